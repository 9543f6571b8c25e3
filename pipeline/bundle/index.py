"""Bundle stage: the WIA bundle (index, zip) and the manifest of a case's output folder.

The index follows the order of UWV's re-integratieverslag and says of every element whether it
is present, missing (and who must supply it) or not yet due, with its date and author. The zip
holds the generated documents and the files from the `Bundel` sheet, numbered so a UWV clerk
sees order and kind; a supplied (signed) copy of a generated document takes its place. The
controlelijst (internal) is never in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from datetime import date

from .. import dutch
from .. import model as m
from ..archive import build_zip
from ..checks import law as rules
from ..checks import measures
from ..documents import common
from ..documents.sollicitatieoverzicht import overview_day
from ..errors import Finding, Severity
from ..results import Deadline

BUNDLE_DOCUMENT = "wia-bundel.docx"
UWV_TYPES = {".pdf", ".docx", ".jpg", ".jpeg"}
UWV_MAX_BYTES = 10 * 1024 * 1024

PRESENT = "aanwezig"
MISSING = "ontbreekt"  # the bundle's own deadline (week 91) has passed without it
TO_SUPPLY = "aan te leveren"  # due or done, but not yet in the bundle
NOT_YET = "nog niet nodig"
NOT_APPLICABLE = "niet van toepassing"
LEFT_OUT = "niet opgenomen"


@dataclass(frozen=True)
class Entry:
    """One element of the re-integratieverslag in the index."""

    title: str
    status: str
    day: date | None = None
    written_by: str = ""
    supplier: str = ""
    note: str = ""
    filename: str | None = None  # name in the zip, numbered when the bundle is assembled
    document: str | None = None  # a generated document: its file name in the case folder
    content: bytes | None = field(default=None, compare=False, repr=False)  # a supplied file
    item: m.BundleItem | None = field(default=None, compare=False, repr=False)  # the Bundel row it comes from

    @property
    def in_zip(self) -> bool:
        return self.document is not None or self.content is not None

    @property
    def outstanding(self) -> bool:
        """Still to come before the bundle is complete."""
        return self.status in (MISSING, TO_SUPPLY, NOT_YET)


@dataclass(frozen=True)
class Bundle:
    """The WIA bundle of a case, and the one judgement of whether it is complete."""

    entries: tuple[Entry, ...]
    findings: tuple[Finding, ...]  # supplied files UWV cannot take, and the bundle's own deadline
    deadlines: tuple[Deadline, ...] = ()

    @property
    def outstanding(self) -> tuple[Entry, ...]:
        """The elements still to come before the bundle is complete."""
        return tuple(e for e in self.entries if e.outstanding)

    @property
    def complete(self) -> bool:
        return not self.outstanding


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# Supplied kinds that may come more than once: named in the zip with their date.
_DATED = {m.BundleDocument.BIJSTELLING_PROBLEEMANALYSE, m.BundleDocument.BIJSTELLING_PLAN_VAN_AANPAK,
          m.BundleDocument.RAPPORTAGE, m.BundleDocument.VOORTGANGSRAPPORTAGE,
          m.BundleDocument.ARBEIDSDESKUNDIG_RAPPORT, m.BundleDocument.DESKUNDIGENOORDEEL}
_REPORTS = (m.BundleDocument.RAPPORTAGE, m.BundleDocument.VOORTGANGSRAPPORTAGE)


def assemble(case: m.Case, generated: tuple[str, ...], peildatum: date) -> Bundle:
    """The index of the WIA bundle; `generated` names the generated documents as they go in the
    zip ('trajectplan.docx', 'bijstelling-2026-02-18.docx', or '.pdf' with --pdf).

    Every element of the re-integratieverslag in UWV's order, each with its date and author. A
    supplied file of a kind the pipeline also generates (the signed copy) takes the generated
    document's place; bijstellingen and reports are matched to their copy by date. Each report
    of the re-integratiebedrijf that was issued is listed by its date. The index holds facts
    only: what to do about them is the controlelijst's (and the findings')."""
    week_now = case.week_of(peildatum)
    bundle_due = case.end_of_week(rules.WEEK_WIA_APPLICATION)
    findings: list[Finding] = []
    entries: list[Entry] = []
    made_files = {name.rsplit(".", 1)[0]: name for name in generated}
    refused: list[Entry] = []  # supplied copies UWV would not take: the generated document stays
    unused = {kind: [b for b in case.bundle if b.document is kind] for kind in m.BundleDocument}

    def pending(title: str, due_week: int, supplier: str, known: date | None = None, started: bool = False) -> Entry:
        """An element not in the bundle: missing, to supply, or not yet due."""
        due = case.end_of_week(due_week)
        if peildatum > bundle_due:
            return Entry(title, MISSING, known, supplier=supplier)
        if known or started or week_now > due_week:
            return Entry(title, TO_SUPPLY, known, supplier=supplier)
        return Entry(title, NOT_YET, None, supplier=supplier, note=f"uiterlijk week {due_week}: {dutch.date_long(due)}")

    def supplied(item: m.BundleItem, title: str, name: str | None = None) -> Entry:
        entry, problem = _supplied(item, title, name)
        if problem:
            findings.append(problem)
        return entry

    def from_sheet(kind: m.BundleDocument, title: str) -> list[Entry]:
        items, unused[kind] = unused[kind], []
        return [supplied(item, title) for item in items]

    def made(stem: str, title: str, day: date | None, by: str, copy_of: tuple[m.BundleDocument, ...] = (),
             on: date | None = None) -> Entry | None:
        """A generated document, or the supplied copy that takes its place (of one of the kinds
        `copy_of`, and of day `on` for documents of which a case has several)."""
        for kind in copy_of:
            for item in unused[kind]:
                if on is None or item.date == on:
                    unused[kind].remove(item)
                    entry = supplied(item, title, stem)
                    if entry.status == LEFT_OUT and stem in made_files:
                        refused.append(entry)
                        break
                    return replace(entry, day=entry.day or day, written_by=entry.written_by or by)
        name = made_files.get(stem)
        return Entry(title, PRESENT, day, by, filename=name, document=name) if name else None

    employee = case.first_with_role(m.Rol.WERKNEMER)
    coach = case.first_with_role(m.Rol.COACH)
    authors = common.employer_document_authors(case)

    entries += from_sheet(m.BundleDocument.PROBLEEMANALYSE, "Probleemanalyse") or [
        pending("Probleemanalyse", rules.WEEK_PROBLEEMANALYSE, "bedrijfsarts", case.probleemanalyse_date)]
    entries += from_sheet(m.BundleDocument.BIJSTELLING_PROBLEEMANALYSE, "Bijstelling probleemanalyse")
    entries.append(made("plan-van-aanpak", "Plan van aanpak", case.plan_van_aanpak_date, authors,
                        (m.BundleDocument.PLAN_VAN_AANPAK,))
                   or Entry("Plan van aanpak", MISSING, supplier="werkgever"))
    bijstellingen = sorted(case.bijstellingen, key=lambda b: b.date)
    for b, stem in zip(bijstellingen, common.dated_names("bijstelling", [b.date for b in bijstellingen])):
        entries.append(made(stem, "Bijstelling plan van aanpak", b.date, authors,
                            (m.BundleDocument.BIJSTELLING_PLAN_VAN_AANPAK,), b.date)
                       or Entry("Bijstelling plan van aanpak", TO_SUPPLY, b.date, authors, supplier="werkgever"))
    entries += from_sheet(m.BundleDocument.BIJSTELLING_PLAN_VAN_AANPAK, "Bijstelling plan van aanpak")
    eje = measures.eerstejaarsevaluatie_date(case)
    entries.append(made("eerstejaarsevaluatie", "Eerstejaarsevaluatie", eje, authors,
                        (m.BundleDocument.EERSTEJAARSEVALUATIE,))
                   or pending("Eerstejaarsevaluatie", rules.WEEK_EERSTEJAARSEVALUATIE, "werkgever", eje))
    entries += from_sheet(m.BundleDocument.EERSTEJAARSEVALUATIE, "Eerstejaarsevaluatie")
    entries += from_sheet(m.BundleDocument.ACTUEEL_OORDEEL, "Actueel oordeel") or [
        pending("Actueel oordeel", rules.WEEK_ACTUEEL_OORDEEL, "bedrijfsarts", case.actueel_oordeel_date)]
    final_day = measures.eindevaluatie_date(case)
    final = made("eindevaluatie", "Eindevaluatie", final_day, authors, (m.BundleDocument.EINDEVALUATIE,))
    entries.append(final or pending("Eindevaluatie", rules.WEEK_EINDEVALUATIE, "werkgever", final_day))
    entries += from_sheet(m.BundleDocument.EINDEVALUATIE, "Eindevaluatie")
    opinion = from_sheet(m.BundleDocument.OORDEEL_WERKNEMER, "Oordeel werknemer")
    if not opinion and final and case.eindevaluatie and case.eindevaluatie.employee_opinion:
        opinion = [Entry("Oordeel werknemer", PRESENT, final.day, common.named(employee),
                         note="opgenomen in de eindevaluatie")]
    entries += opinion or [pending("Oordeel werknemer", rules.WEEK_WIA_APPLICATION, "werknemer")]
    entries += from_sheet(m.BundleDocument.ARBEIDSDESKUNDIG_RAPPORT, "Arbeidsdeskundig rapport")
    entries += from_sheet(m.BundleDocument.DESKUNDIGENOORDEEL, "Deskundigenoordeel UWV")

    # The re-integration bureau's reports: only where a tweede spoor is (or should be) running.
    back_at_own_employer = bool(case.eindevaluatie and case.eindevaluatie.outcome in (
        m.Outcome.EIGEN_WERK, m.Outcome.ANDER_WERK_EIGEN_WERKGEVER))
    started = case.tweede_spoor_start is not None and case.tweede_spoor_start <= peildatum

    def bureau(entry: Entry | None, title: str) -> Entry:
        if entry:
            return entry
        if back_at_own_employer and not started:
            return Entry(title, NOT_APPLICABLE, note="terug bij de eigen werkgever, geen tweede spoor")
        return pending(title, rules.WEEK_TWEEDE_SPOOR, "re-integratiebedrijf", started=started)

    entries.append(bureau(made("trajectplan", "Trajectplan", common.trajectplan_date(case),
                               common.trajectplan_author(case), (m.BundleDocument.TRAJECTPLAN,)), "Trajectplan"))
    entries += from_sheet(m.BundleDocument.TRAJECTPLAN, "Trajectplan")
    reports = list(common.progress_reports(case))
    listed: list[Entry] = []
    for report, stem in zip(reports, common.dated_names("voortgangsrapportage", [r.date for r in reports])):
        title = common.report_title(report)
        listed.append(made(stem, title, report.date, common.report_author(case, report), _REPORTS, report.date)
                      or Entry(title, TO_SUPPLY, report.date, common.report_author(case, report),
                               supplier="re-integratiebedrijf"))
    for kind in _REPORTS:
        listed += from_sheet(kind, "Rapportage re-integratiebedrijf")
    listed.sort(key=lambda e: e.day or date.max)
    planned = sorted(r.date for r in case.report_moments
                     if r.status is not m.ReportStatus.UITGEBRACHT and r.date > peildatum
                     and not common.is_trajectplan_report(r))
    if listed:
        entries += listed
    elif started and planned and peildatum <= bundle_due:  # the first report is still to come
        entries.append(Entry("Voortgangsrapportage re-integratiebedrijf", NOT_YET, supplier="re-integratiebedrijf",
                             note=f"de eerste is gepland op {dutch.date_long(planned[0])}"))
    elif started:
        entries.append(pending("Voortgangsrapportage re-integratiebedrijf", rules.WEEK_TWEEDE_SPOOR,
                               "re-integratiebedrijf", started=True))
    overview_by = " en ".join(x for x in (common.named(employee), common.named(coach)) if x)
    entries.append(bureau(made("sollicitatieoverzicht", "Sollicitatieoverzicht",
                               overview_day(case, peildatum) if case.applications else None, overview_by,
                               (m.BundleDocument.SOLLICITATIEOVERZICHT,)), "Sollicitatieoverzicht"))
    entries += from_sheet(m.BundleDocument.SOLLICITATIEOVERZICHT, "Sollicitatieoverzicht")
    entries += from_sheet(m.BundleDocument.OVERIG, "Overig")
    entries += refused
    bundle = Bundle(_numbered(entries), ())
    deadlines: list[Deadline] = []
    due = measures.wia_due(case)
    if not bundle.complete and due is not None:
        day, by = due
        missing = dutch.enumeration([e.title.lower() for e in bundle.outstanding])
        if peildatum > day:
            findings.append(Finding(
                Severity.WARNING, f"De WIA-bundel is niet compleet; die moest {by} ({dutch.date_long(day)}) compleet "
                                  f"zijn. Ontbreekt: {missing}.", case.source_file, "Bundel",
                rule="wia-bundel", week=case.week_of(day), day=day))
        else:
            deadlines.append(Deadline("wia-bundel", f"WIA-bundel compleet ({by}); ontbreekt nu: {missing}",
                                      case.week_of(day), day))
    return replace(bundle, findings=tuple(findings), deadlines=tuple(deadlines))


def _supplied(item: m.BundleItem, title: str, name: str | None = None) -> tuple[Entry, Finding | None]:
    """A file from the Bundel sheet: in the bundle if UWV accepts it (docx, pdf, jpg, <= 10 MB),
    named in the zip `name` (the generated document it replaces) or after its kind."""
    suffix = item.file.suffix.lower()
    size = item.file.stat().st_size
    problem = None
    if suffix not in UWV_TYPES:
        problem = f"UWV neemt alleen pdf, docx en jpg aan; '{item.file.name}' is {suffix or 'zonder extensie'}"
    elif size > UWV_MAX_BYTES:
        problem = f"UWV neemt bestanden tot 10 MB aan; '{item.file.name}' is {size / 1024 / 1024:.1f} MB"
    if problem:
        finding = Finding(Severity.WARNING, f"{problem}. Zet het om en geef het nieuwe bestand op; het zit nu niet "
                                            "in de WIA-bundel.", item.source.file, item.source.sheet,
                          item.source.row or None, "Bestand", rule="bundel-bestand", day=item.date)
        return Entry(title, LEFT_OUT, item.date, item.written_by or "", note=problem), finding
    if name is None:
        name = _slug(title) + (f"-{item.date.isoformat()}" if item.date and item.document in _DATED else "")
    return Entry(title, PRESENT, item.date, item.written_by or "", note="ondertekend" if item.signed else "",
                 filename=f"{name}{suffix}", content=item.file.read_bytes(), item=item), None


def _numbered(entries: list[Entry]) -> tuple[Entry, ...]:
    """Number the files in index order: '01-probleemanalyse.pdf'; the index itself is 00."""
    result, number = [], 0
    for entry in entries:
        if not entry.in_zip:
            result.append(entry)
            continue
        number += 1
        result.append(replace(entry, filename=f"{number:02d}-{entry.filename}"))
    return tuple(result)


def zip_bundle(bundle: Bundle, documents: dict[str, bytes], index_name: str) -> bytes:
    """The bundle as one zip: the index (`index_name` in `documents`) first, then every file in
    index order; generated documents come from `documents`, supplied files from the entries."""
    entries = [(f"00-{index_name}", documents[index_name])]
    for e in bundle.entries:
        if e.in_zip:
            entries.append((e.filename or "", documents[e.document] if e.document else e.content or b""))
    return build_zip(entries)


