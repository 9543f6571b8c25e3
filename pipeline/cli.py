"""The command line (Click): parse options, call one core function, turn errors into exit codes.

`main(argv)` takes a list so tests can call it directly. Everything a user reads is Dutch,
including Click's own usage messages (translated below). Each command imports the stage it
runs when it runs: `--help`, `--version` and a rerun in which nothing changed start at once.
"""

from __future__ import annotations

import gettext
import os
import re
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .errors import BatchInterrupted, PipelineError, UsageError
from .files import printable, templates_folder
from .privacy import redact
from .results import BatchResult, Status

if TYPE_CHECKING:
    from click._termui_impl import ProgressBar

# How the command is called, as help and messages show it: 'poortwachter' when installed
# (`entry_point`), 'python -m pipeline' from a checkout.
INSTALLED_NAME = "poortwachter"
MODULE_NAME = "python -m pipeline"

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


_DAY_FIRST = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")
_YEAR_FIRST = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_HINT = "gebruik jjjj-mm-dd of dd-mm-jjjj, bijvoorbeeld 2025-11-03 of 03-11-2025"


def parse_peildatum(text: str) -> date:
    """A date as the workbook teaches it (dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj) or jjjj-mm-dd; a
    ValueError in Dutch for anything else ('20251103', '3 nov')."""
    value = text.strip()
    if match := _DAY_FIRST.fullmatch(value):
        day, month, year = int(match[1]), int(match[3]), int(match[4])
    elif match := _YEAR_FIRST.fullmatch(value):
        year, month, day = int(match[1]), int(match[2]), int(match[3])
    else:
        raise ValueError(f"'{printable(text)}' is geen datum; {DATE_HINT}.")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"'{printable(text)}' bestaat niet als datum; {DATE_HINT}.") from None


def _peildatum(ctx: click.Context, param: click.Parameter, value: str | None) -> date:
    if value is None:
        return date.today()
    try:
        return parse_peildatum(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from None


class _Commands(click.Group):
    """Turns the project's own errors into a Dutch message and their exit code, in one place."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except PipelineError as err:
            prefix = "" if isinstance(err, BatchInterrupted) else "Fout: "
            click.echo(f"{prefix}{_plain(str(err))}", err=True)
            ctx.exit(err.exit_code)


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]}, options_metavar="[OPTIES]",
             subcommand_metavar="OPDRACHT [ARGUMENTEN]...")
@click.version_option(__version__, "--version", message="Poortwachter-pipeline versie %(version)s")
def cli() -> None:
    """Poortwachter-pipeline: van case-werkmappen (Excel) naar de documenten van het
    re-integratiedossier (Word)."""


_TEMPLATES_HELP = ("Map met de Word-sjablonen en de lijst medische termen (standaard: de map templates in de "
                   "huidige map als die er is, anders de sjablonen die met de pipeline zijn meegeleverd).")


@cli.command("run", options_metavar="[OPTIES]")
@click.option("--input", "input_dir", default="input", show_default=True, type=click.Path(path_type=Path),
              metavar="MAP", help="Map met de case-werkmappen (.xlsx).")
@click.option("--output", "output_dir", default="output", show_default=True, type=click.Path(path_type=Path),
              metavar="MAP", help="Map waarin per dossier een map met documenten komt.")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path), metavar="MAP", help=_TEMPLATES_HELP)
@click.option("--peildatum", callback=_peildatum, metavar="DD-MM-JJJJ",
              help="Datum waartegen de termijnen worden getoetst, zoals 03-11-2025 (standaard: vandaag).")
@click.option("--pdf", "as_pdf", is_flag=True,
              help="Maak de documenten ook als PDF (met LibreOffice); de WIA-bundel bevat dan de PDF's.")
@click.option("--workers", type=click.IntRange(1, 64), default=os.cpu_count() or 1, show_default=True,
              metavar="N", help="Aantal processen dat tegelijk dossiers verwerkt.")
@click.option("--force", is_flag=True,
              help="Maak alle documenten opnieuw, ook van dossiers waarin niets is veranderd.")
def run_command(input_dir: Path, output_dir: Path, templates_dir: Path | None, peildatum: date, as_pdf: bool,
                workers: int, force: bool) -> None:
    """Verwerk alle werkmappen in de invoermap tot documenten en een batchrapport."""
    from . import batch

    options = batch.Options(input_dir, output_dir, templates_folder(templates_dir), peildatum, as_pdf, workers,
                            force)
    with _ProgressBar() as progress:
        result = batch.run_batch(options, progress)
    _summary(result, force)
    sys.exit(result.exit_code)


@cli.command("new-case", options_metavar="[OPTIES]")
@click.argument("file", metavar="BESTAND.xlsx", type=click.Path(path_type=Path))
@click.option("--overschrijven", is_flag=True, help="Overschrijf het bestand als het al bestaat.")
def new_case_command(file: Path, overschrijven: bool) -> None:
    """Maak een lege case-werkmap met alle sheets, kolommen, keuzelijsten en uitleg."""
    from .intake import newcase

    path = newcase.write_new_case(file, overwrite=overschrijven)
    click.echo(f"Lege werkmap geschreven: {redact(str(path))}")


@cli.command("lint-templates", options_metavar="[OPTIES]")
@click.option("--templates", "templates_dir", type=click.Path(path_type=Path), metavar="MAP", help=_TEMPLATES_HELP)
def lint_templates_command(templates_dir: Path | None) -> None:
    """Controleer de Word-sjablonen op fouten voordat u een batch draait."""
    from .documents import lint

    templates_dir = templates_folder(templates_dir)
    if not templates_dir.is_dir():
        raise UsageError(f"De sjablonenmap '{templates_dir}' bestaat niet; geef de juiste map op met --templates.")
    problems, checked = lint.lint_templates(templates_dir)
    for problem in problems:
        click.echo(str(problem))
    click.echo(f"{_count(checked, 'sjabloon', 'sjablonen')} gecontroleerd, "
               f"{_count(len(problems), 'probleem', 'problemen')}.")
    sys.exit(1 if problems else 0)


class _ProgressBar:
    """A progress bar on stderr, shown only for batches of more than one workbook."""

    def __init__(self) -> None:
        self.bar: ProgressBar[int] | None = None

    def __enter__(self) -> _ProgressBar:
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


LISTED = 20  # files named per status in the summary; the batch report lists them all


# "1 met waarschuwingen" reads right where "1 waarschuwingen" does not.
_STATUS_TEXT = {Status.OK: "ok", Status.WARNINGS: "met waarschuwingen", Status.ERRORS: "met fouten",
                Status.SKIPPED: "overgeslagen"}


def _count(n: int, one: str, more: str) -> str:
    """'1 bestand', '3 bestanden': Dutch has no 'bestand(en)'."""
    return f"{n} {one if n == 1 else more}"


def _summary(result: BatchResult, force: bool = False) -> None:
    from .dutch import date_long

    for r in result.results:
        if r.status is Status.ERRORS:
            click.echo(f"Fouten in {_plain(r.file)}", err=True)
            for f in r.findings:
                # The file is named above: each line gives the place in the workbook, then the message.
                place = replace(f, file="").location
                click.echo(f"      {f.severity.value}{', ' + _plain(place) if place else ''}: {_plain(f.message)}",
                           err=True)
    if result.peildatum is not None:
        click.echo(f"Peildatum: {date_long(result.peildatum)}.")
    parts = [f"{result.count(s)} {_STATUS_TEXT[s]}" for s in Status]
    click.echo(f"{_count(len(result.results), 'bestand', 'bestanden')} verwerkt: {', '.join(parts)}.")
    _names("Met fouten (geen nieuwe documenten; de fouten staan hierboven)", result.files(Status.ERRORS))
    _names("Met waarschuwingen (documenten wel gemaakt; de waarschuwingen staan in het batchrapport)",
           result.files(Status.WARNINGS))
    skipped = [r for r in result.results if r.status is Status.SKIPPED]
    for r in skipped[:LISTED]:
        # The reason says it is skipped ("... en wordt overgeslagen"); without one, the line says it.
        why = _plain(r.findings[0].message).rstrip(".") if r.findings else "overgeslagen"
        click.echo(f"{_plain(r.file)}: {why}.")
    if len(skipped) > LISTED:
        click.echo(f"En nog {_count(len(skipped) - LISTED, 'bestand', 'bestanden')} overgeslagen; zie het "
                   "batchrapport.")
    cases = [r for r in result.results if r.dossiernummer and r.documents]
    reused = sum(1 for r in cases if r.reused)
    same = sum(1 for r in cases if not r.reused and not r.written)
    made = sum(1 for r in cases if not r.reused)
    if force:
        click.echo(f"--force: {_count(made, 'dossier', 'dossiers')} opnieuw gemaakt"
                   + (f"; {same} daarvan precies gelijk aan wat er al stond, dus niet herschreven" if same else "")
                   + ".")
    else:
        if reused:
            click.echo(f"{_count(reused, 'dossier', 'dossiers')} ongewijzigd sinds de vorige run, dus niet opnieuw "
                       "gemaakt.")
        if same:
            click.echo(f"{_count(same, 'dossier', 'dossiers')} opnieuw gemaakt met precies dezelfde bestanden, dus "
                       "niet herschreven.")
    for note in result.notes:
        click.echo(f"Let op: {_plain(note)}", err=True)
    if result.report:
        click.echo(f"Batchrapport: {_plain(result.report)}")


def _names(title: str, files: list[str]) -> None:
    if not files:
        return
    shown = ", ".join(_plain(name) for name in files[:LISTED])
    more = f" en nog {len(files) - LISTED} (zie het batchrapport)" if len(files) > LISTED else ""
    click.echo(f"{title}: {shown}{more}.")


def main(argv: list[str] | None = None, prog_name: str = MODULE_NAME) -> int:
    """Run the command line; returns the exit code (0 ok, 1 case errors, 2 usage error, 128 + the
    signal's number when stopped: 130 for Ctrl-C, 143 for SIGTERM)."""
    try:
        code = cli.main(args=argv, prog_name=prog_name, standalone_mode=False)
    except SystemExit as done:
        return int(done.code or 0)
    except click.exceptions.Abort:  # Ctrl-C outside a batch (while starting, or at a prompt)
        click.echo("Afgebroken.", err=True)
        return 130
    except click.ClickException as err:
        err.show()
        return err.exit_code
    # Without standalone mode Click returns ctx.exit()'s code instead of raising SystemExit.
    return code if isinstance(code, int) else 0


def entry_point() -> None:
    """The installed `poortwachter` command."""
    sys.exit(main(prog_name=INSTALLED_NAME))


__all__ = ["main", "cli", "entry_point", "parse_peildatum"]
