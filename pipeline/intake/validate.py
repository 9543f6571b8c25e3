"""Validate stage: apply the whole contract to a raw workbook and build the case model once.

Every problem of a workbook is collected, not just the first: each value passes its field's
`schema`, then the rules across rows and sheets run. Errors stop the case (raised together as
one `InputError`); warnings and notes travel with the valid case to the batch report.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from openpyxl.utils import get_column_letter
from schema import SchemaError, Use

from .. import model as m
from ..errors import Finding, InputError, Severity
from . import contract
from .reader import MAX_COLUMNS, MAX_DATA_ROWS, NOT_IN_XML, RawRecord, RawSheet, RawWorkbook, UnsafeText
from .values import normalise_label, suggestion


@dataclass(frozen=True)
class Validated:
    case: m.Case
    findings: tuple[Finding, ...]  # warnings and notes only


class _Collector:
    """Collects findings for one workbook, with the file name filled in."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def add(self, severity: Severity, message: str, rule: str, sheet: str | None = None,
            row: int | None = None, column: str | None = None, label: str | None = None) -> None:
        self.findings.append(Finding(severity, message, self.file, sheet, row, column, label, rule))

    def error(self, message: str, rule: str, **where: Any) -> None:
        self.add(Severity.ERROR, message, rule, **where)

    def warning(self, message: str, rule: str, **where: Any) -> None:
        self.add(Severity.WARNING, message, rule, **where)

    def note(self, message: str, rule: str, **where: Any) -> None:
        self.add(Severity.NOTE, message, rule, **where)

    @property
    def has_errors(self) -> bool:
        return any(f.severity is Severity.ERROR for f in self.findings)


def validate(raw: RawWorkbook) -> Validated:
    """The case of a readable workbook; raises InputError listing every finding if it has errors."""
    out = _Collector(raw.name)
    _check_sheets(raw, out)
    tables = {key: _convert_sheet(raw, sheet, out) for key, sheet in raw.sheets.items()}
    case = _build_case(raw, tables, out)
    if out.has_errors or case is None:
        raise InputError(out.findings)
    return Validated(case, tuple(out.findings))


# Unknown sheets, labels and headers each get a finding up to this many; the rest one together.
_MAX_LISTED = 50
# Merged ranges each get a note up to this many; more share one.
_MAX_MERGED_LISTED = 5


def _closest(name: str, present: list[str]) -> str | None:
    """Of the names in the workbook, the one closest to a contract name (for a missing one)."""
    by_key = {normalise_label(p): p for p in present[:_MAX_LISTED]}
    close = difflib.get_close_matches(normalise_label(name), list(by_key), n=1, cutoff=0.6)
    return by_key[close[0]] if close else None


def _near_names(names: tuple[str, ...]) -> str:
    """"zowel op 'A' als op 'B'", or "op 'A', 'B' en 'C'": what an ambiguous name is near."""
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 2:
        return f"zowel op {quoted[0]} als op {quoted[1]}"
    return "op " + ", ".join(quoted[:-1]) + " en " + quoted[-1]


def _one_of(names: tuple[str, ...]) -> str:
    quoted = [f"'{n}'" for n in names]
    return ", ".join(quoted[:-1]) + " of " + quoted[-1]


def _check_sheets(raw: RawWorkbook, out: _Collector) -> None:
    names = [s.name for s in contract.SHEETS]
    for title in raw.unknown_sheets[:_MAX_LISTED]:
        hint = suggestion(title, names)
        if hint:
            out.warning(f"deze sheet hoort niet bij de werkmap en wordt genegeerd.{hint}", "sheet", sheet=title)
        else:
            out.note("deze sheet hoort niet bij de werkmap en wordt genegeerd", "sheet", sheet=title)
    if len(raw.unknown_sheets) > _MAX_LISTED:
        out.note(f"nog {len(raw.unknown_sheets) - _MAX_LISTED} sheets horen niet bij de werkmap en worden "
                 "genegeerd", "sheet")
    for title, name in raw.near_sheets:
        out.note(f"sheet '{title}' gelezen als '{name}'. Klopt dat niet, geef de sheet dan een andere naam",
                 "bijna-gelijk", sheet=title)
    for title, close in raw.ambiguous_sheets:
        out.error(f"de naam '{title}' lijkt {_near_names(close)}; de sheet wordt niet gelezen. Geef haar de naam "
                  f"die u bedoelt: {_one_of(close)}", "dubbelzinnig", sheet=title)
    for title in raw.duplicate_sheets:
        out.error("deze sheet staat twee keer in de werkmap (de namen verschillen alleen in "
                  "hoofdletters, spaties, '-' of '_'); voeg ze samen tot één sheet", "sheet", sheet=title)
    for title in raw.hidden_sheets:
        out.note("deze sheet is verborgen in Excel, maar wordt wel gelezen", "sheet", sheet=title)
    present = raw.unknown_sheets + [title for title, _ in raw.ambiguous_sheets]
    for spec in contract.SHEETS:
        if spec.required and spec.key not in raw.sheets:
            there = _closest(spec.name, present)
            hint = f". Bedoelt u de sheet '{there}'? Geef die dan de naam '{spec.name}'" if there else ""
            out.error(f"de verplichte sheet '{spec.name}' ontbreekt{hint}", "sheet-ontbreekt")
    for sheet in raw.sheets.values():
        _check_layout(sheet, out)


def _check_layout(sheet: RawSheet, out: _Collector) -> None:
    spec = sheet.spec
    key_value = spec.shape is contract.Shape.KEY_VALUE
    what, unknown_what, that = ("veld", "onbekend veld", "dat") if key_value else ("kolom", "onbekende kolom", "die")
    unknown_rule = "onbekend-veld" if key_value else "onbekende-kolom"

    def where(row: int | None, text: str) -> dict[str, Any]:
        return dict(sheet=sheet.title, row=row, column=None if key_value else text, label=text if key_value else None)

    free = [f.label for f in spec.fields if f.key not in sheet.columns]
    for row, _column, text in sheet.unknown[:_MAX_LISTED]:
        hint = suggestion(text, free)
        if hint:
            out.warning(f"{unknown_what} '{text}' wordt genegeerd.{hint}", unknown_rule, **where(row, text))
        else:
            out.note(f"{unknown_what} '{text}' wordt genegeerd", unknown_rule, **where(row, text))
    if len(sheet.unknown) > _MAX_LISTED:
        out.note(f"nog {len(sheet.unknown) - _MAX_LISTED} {'onbekende velden' if key_value else 'onbekende kolommen'} "
                 "worden genegeerd", unknown_rule, sheet=sheet.title)
    the_what = "het veld" if key_value else "de kolom"
    for row, _column, text, label in sheet.near:
        out.note(f"{what} '{text}' gelezen als '{label}'. Klopt dat niet, geef {the_what} dan een andere naam",
                 "bijna-gelijk", **where(row, text))
    for row, _column, text, label in sheet.shadowed:
        out.warning(f"{what} '{text}' wordt genegeerd: {that} lijkt op '{label}', maar '{label}' staat er al. "
                    f"Haal een van beide weg of geef {that} {what} een andere naam", unknown_rule, **where(row, text))
    for row, _column, text, close in sheet.ambiguous:
        out.error(f"{what} '{text}' lijkt {_near_names(close)} en wordt niet gelezen; geef {the_what} de naam "
                  f"die u bedoelt: {_one_of(close)}", "dubbelzinnig", **where(row, text))
    for row, _column, text in sheet.duplicates:
        out.error(f"{what} '{text}' staat twee keer in de sheet; laat er één over", "dubbel", **where(row, text))
    if sheet.overflow_row is not None:
        out.error(f"er staan gegevens in rij {sheet.overflow_row}, voorbij de grens van {MAX_DATA_ROWS} rijen; "
                  "verwijder wat daar staat of splits het dossier", "te-groot", sheet=sheet.title,
                  row=sheet.overflow_row)
    if sheet.wide:
        out.warning(f"er staan gegevens voorbij kolom {get_column_letter(MAX_COLUMNS)}; die worden niet gelezen",
                    "te-breed", sheet=sheet.title)
    if len(sheet.merged) <= _MAX_MERGED_LISTED:
        for ref in sheet.merged:
            out.note(f"samengevoegde cellen {ref}: de waarde geldt voor elke cel ervan", "samengevoegd",
                     sheet=sheet.title)
    else:
        out.note(f"samengevoegde cellen {', '.join(sheet.merged[:_MAX_MERGED_LISTED])} en nog "
                 f"{len(sheet.merged) - _MAX_MERGED_LISTED} andere: de waarde geldt voor elke cel ervan",
                 "samengevoegd", sheet=sheet.title)
    if sheet.unfilled:
        ranges = ("1 samengevoegd celbereik is" if sheet.unfilled == 1
                  else f"{sheet.unfilled} samengevoegde celbereiken zijn")
        out.warning(f"{ranges} te groot, te veel of overlappend en niet gelezen als waarde van elke cel; maak de "
                    "samenvoeging ongedaan en vul de cellen zelf in", "samengevoegd", sheet=sheet.title)
    present = [text for _, _, text in sheet.unknown] + [text for _, _, text, _ in sheet.ambiguous]
    for f in spec.fields:
        if not f.required or f.key in sheet.columns:
            continue
        there = _closest(f.label, present)
        if key_value:
            hint = f". Bedoelt u het veld '{there}'? Noem het dan '{f.label}'" if there else ""
            out.error(f"het verplichte veld '{f.label}' ontbreekt in kolom A{hint}", "veld-ontbreekt",
                      sheet=sheet.title, label=f.label)
        elif sheet.records or spec.required:
            hint = f". Bedoelt u de kolom '{there}'? Geef die dan de kop '{f.label}'" if there else ""
            out.error(f"de verplichte kolom '{f.label}' ontbreekt in de kopregel (rij 1){hint}", "kolom-ontbreekt",
                      sheet=sheet.title, row=1, column=f.label)


@dataclass(frozen=True)
class _Row:
    """One converted record: typed values by model attribute, and where each came from."""

    values: dict[str, Any]
    source: m.Source
    ok: bool
    field_sources: dict[str, m.Source] | None = None  # key/value sheets: each field its own row


def _convert_sheet(raw: RawWorkbook, sheet: RawSheet, out: _Collector) -> list[_Row]:
    key_value = sheet.spec.shape is contract.Shape.KEY_VALUE
    schemas = {f.key: f.schema(raw.epoch) for f in sheet.spec.fields}
    if key_value:
        # A key/value sheet is one record; each label row holds one field.
        values: dict[str, Any] = {}
        sources: dict[str, m.Source] = {}
        ok = True
        for record in sheet.records:
            f = sheet.spec.field_by_key(next(iter(record.cells)))
            assert f is not None
            value, good = _convert_cell(f, record, schemas[f.key], sheet, out, key_value=True)
            ok = ok and good
            values[f.attr] = value
            sources[f.attr] = m.Source(raw.name, sheet.title, record.row, {f.attr: "B"})
        return [_Row(values, m.Source(raw.name, sheet.title, 1, {}), ok, sources)]
    columns = {f.attr: sheet.columns[f.key] for f in sheet.spec.fields if f.key in sheet.columns}
    absent = [f for f in sheet.spec.fields if f.required and f.key not in sheet.columns]
    rows: list[_Row] = []
    for record in sheet.records:
        values = {}
        ok = not absent
        for f in absent:  # a required column missing from the header: each row lacks its value
            out.error(f"'{f.label}' is verplicht, maar de kolom '{f.label}' ontbreekt in de kopregel (rij 1)",
                      "kolom-ontbreekt", sheet=sheet.title, row=record.row, column=f.label)
        for f in sheet.spec.fields:
            if f.key not in sheet.columns:
                values[f.attr] = None
                continue
            value, good = _convert_cell(f, record, schemas[f.key], sheet, out, key_value=False)
            ok = ok and good
            values[f.attr] = value
        rows.append(_Row(values, m.Source(raw.name, sheet.title, record.row, columns), ok))
    return rows


def _convert_cell(f: contract.Field, record: RawRecord, value_schema: Use, sheet: RawSheet,
                  out: _Collector, key_value: bool) -> tuple[Any, bool]:
    cell = record.cells.get(f.key)

    def problem(message: str, rule: str) -> tuple[Any, bool]:
        out.error(message, rule, sheet=sheet.title, row=record.row,
                  column=None if key_value else f.label, label=f.label if key_value else None)
        return None, False

    if cell is None or cell.is_empty:
        if f.required:
            return problem(f"'{f.label}' is verplicht maar leeg{' (kolom B)' if key_value else ''}", "verplicht")
        return None, True
    if cell.formula_without_value:
        return problem("formule zonder berekende waarde; open de werkmap in Excel en sla haar op, "
                       "of vul de waarde zelf in", "formule")
    if error := cell.excel_error:
        return problem(f"de cel bevat de Excel-foutwaarde {error}; herstel de formule of vul de waarde in",
                       "excel-fout")
    if isinstance(cell.value, UnsafeText):
        return problem(_unsafe_text(cell.value), "teken")
    try:
        return value_schema.validate(cell.value), True
    except SchemaError as err:
        return problem(str(err.code), f.kind.name.lower())


def _unsafe_text(text: str) -> str:
    """What is wrong with text holding a character no document can hold, with where it stands,
    the text around it shown without such characters."""
    found = NOT_IN_XML.search(text)
    assert found is not None  # an UnsafeText holds one
    position = found.start()
    code = ord(text[position])
    kind = "een onzichtbaar stuurteken" if code < 0x20 else "een teken dat niet bestaat"
    before = NOT_IN_XML.sub("", text[max(0, position - 30):position]).lstrip()
    after = NOT_IN_XML.sub("", text[position + 1:position + 31]).rstrip()
    place = f" na '{before}'" if before else (f" vóór '{after}'" if after else "")
    return (f"de tekst bevat {kind} (U+{code:04X}){place}, dat niet in een document kan; verwijder het teken "
            "(typ de tekst opnieuw in plaats van hem te plakken)")


def _rows_of(tables: dict[str, list[_Row]], spec: contract.Sheet) -> list[_Row]:
    return tables.get(spec.key, [])


def _build_case(raw: RawWorkbook, tables: dict[str, list[_Row]], out: _Collector) -> m.Case | None:
    dossier_rows = _rows_of(tables, contract.DOSSIER)
    if not dossier_rows:
        return None
    dossier = dossier_rows[0]
    dossier_sources = dossier.field_sources or {}
    d = dossier.values
    at = _DossierPointer(contract.DOSSIER, dossier_sources)

    people = tuple(m.Person(**r.values, source=r.source) for r in _rows_of(tables, contract.BETROKKENEN) if r.ok)
    agreements = tuple(
        m.Agreement(**{**r.values, "status": r.values["status"] or m.AgreementStatus.OPEN}, source=r.source)
        for r in _rows_of(tables, contract.AFSPRAKEN) if r.ok
    )
    bijstellingen = tuple(sorted(_records(tables, contract.BIJSTELLINGEN, m.Bijstelling), key=lambda b: b.date))
    evaluations = tuple(sorted(_records(tables, contract.EVALUATIES, m.Evaluation), key=lambda e: e.date))
    persoonsprofiel = _records(tables, contract.PERSOONSPROFIEL, m.ProfileItem)
    zoekprofiel = tuple(sorted(_records(tables, contract.ZOEKPROFIEL, m.ZoekprofielFunction), key=lambda z: z.rank))
    interventions = _records(tables, contract.INTERVENTIES, m.Intervention)
    report_moments = tuple(sorted(_records(tables, contract.RAPPORTAGES, m.ReportMoment), key=lambda r: r.date))
    applications = tuple(sorted(_records(tables, contract.SOLLICITATIES, m.Application), key=lambda a: a.date))
    bundle = _bundle_items(raw, tables, out)
    # Each sheet's records under the Case attribute the contract names: typed by the contract, not here.
    history: dict[str, Any] = {spec.case_attr: _dated_records(tables, spec) for spec in _HISTORY_SHEETS}

    eindevaluatie = None
    eind_rows = _rows_of(tables, contract.EINDEVALUATIE)
    if eind_rows:
        if any(v is not None for v in eind_rows[0].values.values()):
            eindevaluatie = m.Eindevaluatie(**eind_rows[0].values, source=eind_rows[0].source)

    _check_people(people, tables, out)
    if contract.AFSPRAKEN.key in raw.sheets and not _rows_of(tables, contract.AFSPRAKEN):
        out.error("er staat geen enkele afspraak in; het plan van aanpak heeft minstens één afspraak nodig",
                  "afspraken", sheet=raw.sheets[contract.AFSPRAKEN.key].title)
    _check_zoekprofiel(tables, out)
    _check_interventions(interventions, out)
    if applications and d.get("applications_per_week") is None and dossier.ok:
        out.error("er staan sollicitaties in de werkmap, maar het afgesproken aantal per week ontbreekt; "
                  "vul 'Sollicitaties per week' in", "sollicitaties-per-week", **at("applications_per_week"))
    _check_dossier_dates(d, at, out)

    required = [f.attr for f in contract.DOSSIER.fields if f.required]
    if not dossier.ok or any(d.get(a) is None for a in required):
        return None
    return m.Case(
        **d,
        people=people,
        agreements=agreements,
        bijstellingen=bijstellingen,
        evaluations=evaluations,
        persoonsprofiel=persoonsprofiel,
        zoekprofiel=zoekprofiel,
        interventions=interventions,
        report_moments=report_moments,
        applications=applications,
        eindevaluatie=eindevaluatie,
        bundle=bundle,
        **history,
        source_file=raw.name,
        sources=dossier_sources,
        labels=contract.DOSSIER_LABELS,
    )


Record = TypeVar("Record")


def _records(tables: dict[str, list[_Row]], spec: contract.Sheet, cls: Callable[..., Record]) -> tuple[Record, ...]:
    return tuple(cls(**r.values, source=r.source) for r in _rows_of(tables, spec) if r.ok)


# Version 2's sheets of dated history: each row one record, in date order.
_HISTORY_SHEETS = (contract.VERZUIMVERLOOP, contract.ADVIEZEN, contract.AFWIJKINGEN, contract.WERKHERVATTING,
                   contract.CONTACTEN, contract.WEEKTOELICHTING)


def _dated_records(tables: dict[str, list[_Row]], spec: contract.Sheet) -> tuple[object, ...]:
    assert spec.record is not None
    first_date = next(f.attr for f in spec.fields if f.kind is contract.Kind.DATE)
    return tuple(sorted(_records(tables, spec, spec.record), key=lambda r: getattr(r, first_date)))


class _DossierPointer:
    """Where a Dossier field stands, as keyword arguments for a finding."""

    def __init__(self, spec: contract.Sheet, sources: dict[str, m.Source]) -> None:
        self.spec = spec
        self.sources = sources
        self.labels = {f.attr: f.label for f in spec.fields}

    def __call__(self, attr: str) -> dict[str, Any]:
        source = self.sources.get(attr)
        return dict(sheet=source.sheet if source else self.spec.name, row=source.row if source else None,
                    label=self.labels[attr])


def _check_people(people: tuple[m.Person, ...], tables: dict[str, list[_Row]], out: _Collector) -> None:
    rows = _rows_of(tables, contract.BETROKKENEN)
    if not rows or not all(r.ok for r in rows):
        if not rows and tables.get(contract.BETROKKENEN.key) is not None:
            out.error("er staat niemand in; vul minstens de werkgever, de werknemer en de casemanager in",
                      "betrokkenen", sheet=contract.BETROKKENEN.name)
        return
    roles = {p.role for p in people}
    missing = [r.value for r in contract.REQUIRED_ROLES if r not in roles]
    if missing:
        out.error(f"de rol {', '.join(missing)} ontbreekt; vul minstens de werkgever, de werknemer en de "
                  "casemanager in", "betrokkenen", sheet=contract.BETROKKENEN.name, column="Rol")


def _check_zoekprofiel(tables: dict[str, list[_Row]], out: _Collector) -> None:
    rows = _rows_of(tables, contract.ZOEKPROFIEL)
    if len(rows) > contract.ZOEKPROFIEL_MAX_ROWS:
        out.error(f"het zoekprofiel heeft {len(rows)} functies; het is een top {contract.ZOEKPROFIEL_MAX_ROWS}, "
                  "laat de minst passende weg", "zoekprofiel", sheet=contract.ZOEKPROFIEL.name,
                  row=rows[contract.ZOEKPROFIEL_MAX_ROWS].source.row)
    seen: dict[int, int] = {}
    for r in rows:
        rank = r.values.get("rank")
        if rank is None:
            continue
        if rank in seen:
            out.error(f"rang {rank} staat ook al in rij {seen[rank]}; elke rang komt één keer voor",
                      "zoekprofiel", sheet=contract.ZOEKPROFIEL.name, row=r.source.row, column="Rang")
        else:
            seen[rank] = r.source.row


def _check_interventions(interventions: tuple[m.Intervention, ...], out: _Collector) -> None:
    for i in interventions:
        if i.start and i.end and i.end < i.start:
            out.error(f"de einddatum {i.end:%d-%m-%Y} ligt vóór de startdatum {i.start:%d-%m-%Y}",
                      "periode", sheet=contract.INTERVENTIES.name, row=i.source.row, column="Einde")


def _check_dossier_dates(d: dict[str, Any], at: _DossierPointer, out: _Collector) -> None:
    first = d.get("first_sick_day")
    if first is None:
        return
    for f in contract.DOSSIER.fields:
        value = d.get(f.attr)
        if f.kind is contract.Kind.DATE and f.attr not in ("first_sick_day", "birth_date") and value is not None \
                and value < first:
            out.error(f"{value:%d-%m-%Y} ligt vóór de eerste ziektedag ({first:%d-%m-%Y}); controleer de datum",
                      "volgorde", **at(f.attr))
    birth = d.get("birth_date")
    if birth is not None and birth >= first:
        out.error("de geboortedatum ligt niet vóór de eerste ziektedag; controleer de datum", "volgorde",
                  **at("birth_date"))
    start, end = d.get("tweede_spoor_start"), d.get("tweede_spoor_end")
    if start and end and end < start:
        out.error(f"het einde van het tweede spoor ({end:%d-%m-%Y}) ligt vóór de start ({start:%d-%m-%Y})",
                  "volgorde", **at("tweede_spoor_end"))


def _bundle_items(raw: RawWorkbook, tables: dict[str, list[_Row]], out: _Collector) -> tuple[m.BundleItem, ...]:
    folder = raw.path.parent.resolve()
    items = []
    for r in _rows_of(tables, contract.BUNDEL):
        texts = " ".join(str(v) for v in r.values.values() if isinstance(v, str))
        where = dict(sheet=r.source.sheet, row=r.source.row)
        if "medischeinformatie" in normalise_label(texts) or "medischdossier" in normalise_label(texts):
            out.error("medische informatie hoort niet in de WIA-bundel van de werkgever; de werknemer stuurt "
                      "die zelf naar UWV. Haal deze rij weg", "medisch", **where)
            continue
        if not r.ok or r.values.get("file") is None:
            continue
        relative = Path(r.values["file"].replace("\\", "/"))
        target = (raw.path.parent / relative)
        where["column"] = "Bestand"
        if relative.is_absolute() or ".." in relative.parts:
            out.error(f"het pad '{relative.as_posix()}' verwijst buiten de map van de werkmap; zet het bestand "
                      "in (een submap van) de map van de werkmap", "bundel-pad", **where)
            continue
        try:
            resolved = target.resolve(strict=True)
        except (OSError, RuntimeError):
            out.error(f"het bestand '{relative.as_posix()}' bestaat niet naast de werkmap", "bundel-bestand", **where)
            continue
        if not resolved.is_relative_to(folder):
            out.error(f"'{relative.as_posix()}' is een snelkoppeling naar een plek buiten de map van de werkmap; "
                      "kopieer het bestand zelf naar die map", "bundel-pad", **where)
            continue
        if not resolved.is_file():
            out.error(f"'{relative.as_posix()}' is geen bestand", "bundel-bestand", **where)
            continue
        items.append(m.BundleItem(**{**r.values, "file": resolved, "path": relative.as_posix()}, source=r.source))
    return tuple(items)
