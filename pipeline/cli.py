"""The command line (Click): parse options, call one core function, turn errors into exit codes.

`main(argv)` takes a list so tests can call it directly. Everything a user reads is Dutch,
including Click's own usage messages (translated below).
"""

from __future__ import annotations

import gettext
import os
import sys
from datetime import date
from pathlib import Path

import click

from . import batch
from .documents import lint
from .intake import newcase
from .errors import PipelineError, UsageError
from .files import printable
from .privacy import redact
from .results import BatchResult, Status

# Click's own messages, in Dutch. Click looks its texts up through gettext; we answer them.
_CLICK_NL = {
    "Usage:": "Gebruik:",
    "Options": "Opties",
    "Commands": "Opdrachten",
    "Show this message and exit.": "Toon deze hulp en stop.",
    "Show the version and exit.": "Toon de versie en stop.",
    "Error: {message}": "Fout: {message}",
    "Try '{command} {option}' for help.": "Typ '{command} {option}' voor hulp.",
    "No such option {name!r}.": "Onbekende optie {name!r}.",
    "No such command {name!r}.": "Onbekende opdracht {name!r}.",
    "Missing command.": "Geef een opdracht.",
    "Missing argument": "Ontbrekend argument",
    "Missing option": "Ontbrekende optie",
    "Missing parameter": "Ontbrekende waarde",
    "Invalid value for {param_hint}: {message}": "Ongeldige waarde voor {param_hint}: {message}",
    "Invalid value: {message}": "Ongeldige waarde: {message}",
    "Aborted!": "Afgebroken.",
    "Did you mean {possibility}?": "Bedoelt u {possibility}?",
    "(Possible options: {possibilities})": "(Mogelijke opties: {possibilities})",
    "{value!r} is not a valid {number_type}.": "{value!r} is geen geldig getal.",
    "{value} is not in the range {range}.": "{value} ligt niet in het bereik {range}.",
    "default: {default}": "standaard: {default}",
    "Option {name!r} requires an argument.": "Optie {name!r} heeft een waarde nodig.",
    "Got unexpected extra argument ({args})": "Onverwacht extra argument ({args})",
    "Got unexpected extra arguments ({args})": "Onverwachte extra argumenten ({args})",
}


def _nl(message: str) -> str:
    return _CLICK_NL.get(message, message)


def _nl_plural(singular: str, plural: str, n: int) -> str:
    return _nl(singular if n == 1 else plural)


for _module in ("core", "exceptions", "formatting", "decorators", "types", "parser", "termui"):
    _mod = sys.modules.get(f"click.{_module}")
    if _mod is not None and getattr(_mod, "_", None) is gettext.gettext:
        _mod._ = _nl  # type: ignore[attr-defined]
    if _mod is not None and getattr(_mod, "ngettext", None) is gettext.ngettext:
        _mod.ngettext = _nl_plural  # type: ignore[attr-defined]


def _plain(text: str) -> str:
    """What the console may show: no BSN, and no line break or direction trick inside a line (a
    file name can hold them)."""
    return "\n".join(redact(printable(line)) for line in text.splitlines())


def _peildatum(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"'{value}' is geen datum; gebruik jjjj-mm-dd, bijvoorbeeld 2025-11-03.") from None


class _Commands(click.Group):
    """Turns the project's own errors into a Dutch message and their exit code, in one place."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except PipelineError as err:
            click.echo(f"Fout: {_plain(str(err))}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]",
             subcommand_metavar="OPDRACHT [ARGUMENTEN]...")
def cli() -> None:
    """Poortwachter-pipeline: van case-werkmappen (Excel) naar de documenten van het
    re-integratiedossier (Word)."""


@cli.command("run", options_metavar="[OPTIES]")
@click.option("--input", "input_dir", default="input", show_default=True, type=click.Path(path_type=Path),
              metavar="MAP", help="Map met de case-werkmappen (.xlsx).")
@click.option("--output", "output_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              metavar="MAP", help="Map waarin per dossier een map met documenten komt.")
@click.option("--templates", "templates_dir", default="templates", show_default=True,
              type=click.Path(path_type=Path), metavar="MAP", help="Map met de Word-sjablonen.")
@click.option("--peildatum", callback=_peildatum, metavar="JJJJ-MM-DD",
              help="Datum waartegen de termijnen worden getoetst (standaard: vandaag).")
@click.option("--pdf", "as_pdf", is_flag=True,
              help="Maak de documenten ook als PDF (met LibreOffice); de WIA-bundel bevat dan de PDF's.")
@click.option("--workers", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default=True,
              metavar="N", help="Aantal processen dat tegelijk dossiers verwerkt.")
@click.option("--force", is_flag=True,
              help="Maak alle documenten opnieuw, ook van dossiers waarin niets is veranderd.")
def run_command(input_dir: Path, output_dir: Path, templates_dir: Path, peildatum: date, as_pdf: bool,
                workers: int, force: bool) -> None:
    """Verwerk alle werkmappen in de invoermap tot documenten en een batchrapport."""
    options = batch.Options(input_dir, output_dir, templates_dir, peildatum, as_pdf, workers, force)
    with _ProgressBar() as progress:
        result = batch.run_batch(options, progress)
    _summary(result)
    sys.exit(result.exit_code)


@cli.command("new-case", options_metavar="[OPTIES]")
@click.argument("file", metavar="BESTAND.xlsx", type=click.Path(path_type=Path))
@click.option("--overschrijven", is_flag=True, help="Overschrijf het bestand als het al bestaat.")
def new_case_command(file: Path, overschrijven: bool) -> None:
    """Maak een lege case-werkmap met alle sheets, kolommen, keuzelijsten en uitleg."""
    path = newcase.write_new_case(file, overwrite=overschrijven)
    click.echo(f"Lege werkmap geschreven: {redact(str(path))}")


@cli.command("lint-templates", options_metavar="[OPTIES]")
@click.option("--templates", "templates_dir", default="templates", show_default=True,
              type=click.Path(path_type=Path), metavar="MAP", help="Map met de Word-sjablonen.")
def lint_templates_command(templates_dir: Path) -> None:
    """Controleer de Word-sjablonen op fouten voordat u een batch draait."""
    if not templates_dir.is_dir():
        raise UsageError(f"De sjablonenmap '{templates_dir}' bestaat niet; geef de juiste map op met --templates.")
    problems, checked = lint.lint_templates(templates_dir)
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{checked} sjabloon/sjablonen gecontroleerd: {len(problems)} probleem/problemen.")
    sys.exit(1 if problems else 0)


class _ProgressBar:
    """A progress bar on stderr, shown only for batches of more than one workbook."""

    def __init__(self) -> None:
        self.bar = None

    def __enter__(self) -> "_ProgressBar":
        return self

    def __call__(self, done: int, total: int, name: str) -> None:
        if total < 2:
            return
        if self.bar is None:
            self.bar = click.progressbar(length=total, label="Werkmappen verwerken", file=sys.stderr,
                                         show_pos=True)
            self.bar.__enter__()
        self.bar.update(1)

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)


def _summary(result: BatchResult) -> None:
    for r in result.results:
        if r.status is Status.ERRORS:
            click.echo(f"FOUT  {_plain(r.file)}", err=True)
            for f in r.findings:
                click.echo(f"      {f.severity.value}: {_plain(str(f))}", err=True)
    parts = [f"{result.count(s)} {s.value}" for s in Status]
    click.echo(f"{len(result.results)} bestand(en) verwerkt: {', '.join(parts)}.")
    unchanged = sum(1 for r in result.results if r.dossiernummer and r.documents and not r.written)
    if unchanged:
        click.echo(f"{unchanged} dossier(s) ongewijzigd sinds de vorige run: hun bestanden zijn niet herschreven.")
    click.echo(f"Batchrapport: {_plain(result.report)}")


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 1 case errors, 2 usage error)."""
    try:
        code = cli.main(args=argv, prog_name="python -m pipeline", standalone_mode=False)
    except SystemExit as done:
        return int(done.code or 0)
    except click.exceptions.Abort:
        click.echo("Afgebroken.", err=True)
        return 1
    except click.ClickException as err:
        err.show()
        return err.exit_code
    # Without standalone mode Click returns ctx.exit()'s code instead of raising SystemExit.
    return code if isinstance(code, int) else 0


__all__ = ["main", "cli"]
