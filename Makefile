# One task runner for the project (Linux, macOS and CI; Windows users start the .cmd launchers).
# Needs only python3 (3.11 or newer) and make: the first target that needs them creates .venv/
# and installs the dependencies from pyproject.toml.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
ARGS ?=
BESTAND ?=
OVERSCHRIJVEN ?=

# Words on the command line that are no target are nearly always an option typed without quotes
# (make run ARGS=--peildatum 03-11-2025 makes '03-11-2025' a target): every target first checks
# for them and says how to write it, before anything runs.
TARGETS := help install run test check new-case lint-templates templates docs examples clean clean-output bench
TARGETS += mutate
STRAY := $(filter-out $(TARGETS),$(MAKECMDGOALS))

# Commands are not echoed: a casemanager reads what the pipeline says, not the recipe.
.SILENT:
.DEFAULT_GOAL := help
.PHONY: $(TARGETS) goals

goals:
	if [ -n "$(STRAY)" ]; then \
	  echo "Fout: '$(STRAY)' is geen opdracht van make. Zet opties tussen aanhalingstekens, bijvoorbeeld:"; \
	  echo '  make run ARGS="--peildatum 03-11-2025"'; echo "Alle opdrachten: make help"; exit 2; fi

help: goals ## Toon de beschikbare opdrachten
	echo "Opdrachten (make <opdracht>):"
	grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-15s %s\n", $$1, $$2}'

# Python 3.11 or newer first, in Dutch; the virtual environment is built beside its final place and
# only moved there once everything is installed, so a failed or interrupted install leaves no
# half-made .venv/ behind.
$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null || { \
	  echo "Fout: de pipeline heeft Python 3.11 of nieuwer nodig; '$(PYTHON)' is $$($(PYTHON) --version 2>&1 || echo 'niet gevonden')."; \
	  echo "Installeer Python 3.11+ en geef het op, bijvoorbeeld: make run PYTHON=python3.12"; exit 1; }
	rm -rf $(VENV).nieuw
	echo "Eenmalig: virtuele omgeving maken en installeren (.venv/)..."
	$(PYTHON) -m venv $(VENV).nieuw
	$(VENV).nieuw/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]' || { \
	  rm -rf $(VENV).nieuw; echo "Fout: installeren is mislukt; er is niets achtergelaten. Probeer het opnieuw."; exit 1; }
	rm -rf $(VENV) && mv $(VENV).nieuw $(VENV)
	# Every script pip wrote (poortwachter, pytest, mypy, ...) names the Python of the folder it was
	# installed in on its first line: point them all at the moved one, or they fail to start.
	$(PY) -c 'import pathlib, sys; old, new = (a.encode() + b"/bin/python" for a in sys.argv[1:3]); \
	  [p.write_bytes(p.read_bytes().replace(b"#!" + old, b"#!" + new, 1)) \
	   for p in pathlib.Path(sys.argv[2], "bin").iterdir() \
	   if p.is_file() and not p.is_symlink() and p.read_bytes().startswith(b"#!" + old + b"\n")]' \
	  "$(abspath $(VENV)).nieuw" "$(abspath $(VENV))"
	touch $(STAMP)

install: goals $(STAMP) ## Maak .venv/ en installeer alles wat nodig is

run: goals $(STAMP) ## Verwerk alle werkmappen in input/ naar output/ (opties: ARGS="--peildatum 03-11-2025")
	$(PY) -m pipeline run --input input --output output --templates templates $(ARGS)

test: goals $(STAMP) ## Draai alle tests
	$(PY) -m pytest -q -p no:cacheprovider $(ARGS)

# What CI runs: the linter and the type checker first (seconds), then the tests (minutes); the
# first that finds something stops the rest.
check: goals $(STAMP) ## (ontwikkelaars) Controleer de code met ruff en mypy en draai daarna alle tests (dit draait CI)
	$(PY) -m ruff check .
	$(PY) -m mypy
	$(PY) -m pytest -q -p no:cacheprovider $(ARGS)

new-case: goals $(STAMP) ## Maak een lege werkmap: make new-case BESTAND="input/DOS-2026-100 Jansen.xlsx" [OVERSCHRIJVEN=ja]
	if [ -z "$(BESTAND)" ]; then echo 'Geef een bestand op, bijvoorbeeld: make new-case BESTAND="input/DOS-2026-100 Jansen.xlsx"'; exit 2; fi
	$(PY) -m pipeline new-case "$(BESTAND)" $(if $(filter ja JA Ja yes 1,$(OVERSCHRIJVEN)),--overschrijven,)

lint-templates: goals $(STAMP) ## Controleer de Word-sjablonen in templates/ voordat u een batch draait
	$(PY) -m pipeline lint-templates --templates templates

templates: goals $(STAMP) ## (ontwikkelaars) Bouw de Word-sjablonen opnieuw vanuit tools/build_templates.py
	$(PY) tools/build_templates.py

docs: goals $(STAMP) ## (ontwikkelaars) Schrijf de sheet-tabellen van docs/werkmap.md opnieuw vanuit het contract
	$(PY) tools/docs_sheets.py

examples: goals $(STAMP) ## (ontwikkelaars) Schrijf de voorbeeldwerkmappen in input/ opnieuw
	$(PY) tools/make_examples.py

clean: goals ## Verwijder .venv/ en tijdelijke bestanden (output/ blijft staan)
	rm -rf $(VENV) $(VENV).nieuw .hypothesis .pytest_cache .ruff_cache .mypy_cache *.egg-info

clean-output: goals ## Verwijder alle gemaakte documenten in output/ (vraagt eerst om bevestiging)
	count=$$(find output -mindepth 1 -maxdepth 1 ! -name .gitkeep | wc -l); \
	if [ "$$count" -eq 0 ]; then echo "output/ is al leeg."; exit 0; fi; \
	echo "Dit verwijdert de inhoud van output/ ($$count in totaal):"; \
	find output -mindepth 1 -maxdepth 1 ! -name .gitkeep -printf '  %f\n' | head -20; \
	printf 'Weet u het zeker? Typ ja: '; read answer; \
	if [ "$$answer" = "ja" ]; then find output -mindepth 1 -maxdepth 1 ! -name .gitkeep -exec rm -rf {} +; \
	echo "output/ is leeggemaakt."; else echo "Niets verwijderd."; fi

bench: goals $(STAMP) ## Meet de snelheid op een synthetische batch (BENCH_CASES=500; ARGS=--pdf meet ook PDF; duurt enkele minuten)
	$(PY) tools/bench.py $(ARGS)

mutate: goals $(STAMP) ## (ontwikkelaars) Meet met mutaties hoeveel fouten de tests vangen (ARGS=pipeline/privacy.py; duurt ~25 min)
	$(PY) tools/mutate.py $(ARGS)

Makefile pyproject.toml: ;

# The stray words themselves: nothing to do (the check above has already stopped the run).
$(STRAY): goals ;
