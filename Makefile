# One task runner for the project. Needs only python3 and make: the first target that needs
# them creates .venv/ and installs the dependencies from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=

.DEFAULT_GOAL := help
.PHONY: help install run test new-case templates docs examples clean bench

help: ## Toon de beschikbare opdrachten
	@echo "Opdrachten (make <opdracht>):"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-11s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## Maak .venv/ en installeer alles wat nodig is

run: $(STAMP) ## Verwerk alle werkmappen in input/ naar output/ (extra opties: ARGS="--peildatum 2025-11-03")
	$(PY) -m pipeline run --input input --output output --templates templates $(ARGS)

test: $(STAMP) ## Draai alle tests
	$(PY) -m pytest -q -p no:cacheprovider $(ARGS)

new-case: $(STAMP) ## Maak een lege werkmap: make new-case BESTAND=input/dossier-123.xlsx
	$(PY) -m pipeline new-case $(BESTAND)

templates: $(STAMP) ## (ontwikkelaars) Bouw de Word-sjablonen opnieuw vanuit tools/build_templates.py
	$(PY) tools/build_templates.py

docs: $(STAMP) ## (ontwikkelaars) Schrijf de sheet-tabellen van docs/werkmap.md opnieuw vanuit het contract
	$(PY) tools/docs_sheets.py

examples: $(STAMP) ## (ontwikkelaars) Schrijf de voorbeeldwerkmappen in input/ opnieuw
	$(PY) tools/make_examples.py

clean: ## Verwijder .venv/ en alle uitvoer in output/
	rm -rf $(VENV) .hypothesis .pytest_cache *.egg-info
	find output -mindepth 1 ! -name .gitkeep -exec rm -rf {} +

bench: $(STAMP) ## Meet de snelheid op een synthetische batch (BENCH_CASES=500; ARGS=--pdf meet ook PDF; duurt enkele minuten)
	$(PY) tools/bench.py $(ARGS)
