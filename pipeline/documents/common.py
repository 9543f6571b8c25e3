"""What every document shares: the context type, pictures, the document registry entry, the
header fields, who signs and wrote what, the case as it stood on a day, and the small Dutch
phrasings several documents use.

A document context holds only ready-to-print Dutch text (dates, amounts and choices already
worded), so a template declares nothing but what it shows. `docs/sjablonen.md` lists every
variable per document for the administrators who edit the templates.

Documents are records: each shows the case as it stood on its own date (`DocumentFile.day`),
so the helpers below that look at the case "on a day" never look at the peildatum.
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .. import dutch
from .. import model as m

Context = dict[str, Any]

SPOOR_TEXT = {
    m.Spoor.EEN: "Spoor 1: terugkeer in het eigen werk of in ander passend werk bij de eigen werkgever.",
    m.Spoor.TWEE: "Spoor 2: terugkeer in passend werk bij een andere werkgever.",
    m.Spoor.BEIDE: "Spoor 1 en spoor 2 tegelijk: terugkeer bij de eigen werkgever en daarnaast zoeken naar "
                   "passend werk bij een andere werkgever.",
}

ROLE_TEXT = {role: role.value for role in m.Rol}


@dataclass(frozen=True)
class Image:
    """A picture for the document; the renderer turns it into a docxtpl InlineImage. The
    description is its alternative text (Dutch: what the picture shows, for a screen reader and
    for whoever cannot see it)."""

    png: bytes
    width_mm: float
    description: str = ""


@dataclass(frozen=True)
class DocumentFile:
    """One file a document kind makes for a case: its name, title, its own date (the day the
    document speaks of, also its Word properties' date) and its context, built when asked."""

    template: str
    filename: str
    title: str
    day: date
    build: Callable[[], Context] = field(compare=False, repr=False)

    def context(self) -> Context:
        return self.build()


@dataclass(frozen=True)
class DocumentKind:
    """One generated document: its template, what it needs, and the file(s) it makes.

    A kind makes one file `<key>.docx` from `context(case, peildatum)` dated `day(case,
    peildatum)`; a kind with `each` makes one file per record `each(case)` returns, named
    `<key>-<jjjj-mm-dd>.docx` ('-2' for a second on one day), from `context(case, peildatum,
    record)` dated `day(case, peildatum, record)`.
    """

    key: str
    title: str
    missing: Callable[[m.Case], list[str]]
    context: Callable[..., Context]
    day: Callable[..., date]
    each: Callable[[m.Case], tuple[Any, ...]] | None = None

    @property
    def template(self) -> str:
        return f"{self.key}.docx"

    @property
    def filename(self) -> str:
        """The file name of a one-file kind (a kind with `each` names its files by date)."""
        return f"{self.key}.docx"

    def files(self, case: m.Case, peildatum: date) -> tuple[DocumentFile, ...]:
        """The files this kind makes for `case`; nothing when the case lacks what it needs."""
        if self.missing(case):
            return ()
        if self.each is None:
            return (DocumentFile(self.template, self.filename, self.title, self.day(case, peildatum),
                                 functools.partial(self.context, case, peildatum)),)
        records = self.each(case)
        days = [self.day(case, peildatum, record) for record in records]
        return tuple(
            DocumentFile(self.template, f"{name}.docx", f"{self.title} {dutch.date_long(day)}", day,
                         functools.partial(self.context, case, peildatum, record))
            for record, day, name in zip(records, days, dated_names(self.key, days)))


def dated_names(key: str, days: list[date]) -> list[str]:
    """'bijstelling-2026-02-18', and '-2', '-3' for a second and third on one day, in order."""
    seen: dict[date, int] = {}
    names = []
    for day in days:
        seen[day] = seen.get(day, 0) + 1
        names.append(f"{key}-{day.isoformat()}" + (f"-{seen[day]}" if seen[day] > 1 else ""))
    return names


def common_context(case: m.Case) -> Context:
    """The fields every document shows in its page header and gegevens block. An optional field
    the workbook leaves empty is "": the template leaves its line out (a document that is signed
    holds no "niet bekend")."""
    return {
        "dossiernummer": case.dossiernummer,
        "werknemer": case.employee_name,
        "bsn": case.bsn or "",
        "geboortedatum": dutch.date_long(case.birth_date, ""),
        "functie": case.job_title,
        "werkgever": case.employer,
        "aard_bedrijf": case.employer_business or "",
        "contracturen": f"{dutch.number(case.contract_hours)} uur per week" if case.contract_hours is not None
        else "",
        "eerste_ziektedag": dutch.date_long(case.first_sick_day),
    }


def person_context(person: m.Person | None) -> Context:
    if person is None:
        return {"naam": "", "organisatie": "", "email": "", "telefoon": "", "contact": ""}
    contact = " · ".join(x for x in (person.email, person.phone) if x)
    return {
        "naam": person.name,
        "organisatie": person.organisation or "",
        "email": person.email or "",
        "telefoon": person.phone or "",
        "contact": contact,
    }


def week_text(case: m.Case, day: date | None) -> str:
    return f"week {case.week_of(day)}" if day else ""


def date_and_week(case: m.Case, day: date | None, missing: str) -> str:
    """'3 maart 2025 (week 6)'."""
    return f"{dutch.date_long(day)} ({week_text(case, day)})" if day else missing


# --- who wrote and who signs ------------------------------------------------------------------
# UWV's vorm- en herkenbaarheidsvereisten: every element dated, with the name and function of
# whoever wrote or signed it. The workbook knows each person's role and organisation, and the
# employee's own job: together, their function in the dossier.

def function_of(case: m.Case, person: m.Person) -> str:
    """'casemanager, Zorggroep De Linde'; the employee: 'werknemer, Verzorgende IG'."""
    if person.role is m.Rol.WERKNEMER:
        return f"werknemer, {case.job_title}"
    organisation = person.organisation or (case.employer if person.role in (m.Rol.WERKGEVER, m.Rol.CASEMANAGER)
                                           else None)
    return ROLE_TEXT[person.role] + (f", {organisation}" if organisation else "")


def named(person: m.Person | None) -> str:
    """'Lotte Smit, casemanager': name and function, short (for indexes and running text)."""
    return f"{person.name}, {ROLE_TEXT[person.role]}" if person else ""


def named_list(people: list[m.Person | None]) -> str:
    return dutch.enumeration([named(p) for p in people if p is not None])


def signer(case: m.Case, person: m.Person, day: date) -> Context:
    return {"rol": ROLE_TEXT[person.role].capitalize(), "naam": person.name, "functie": function_of(case, person),
            "datum": dutch.date_long(day)}


def signers(case: m.Case, roles: tuple[m.Rol, ...], day: date) -> list[Context]:
    """Signature rows, dated `day`: name and function of the first person with each of `roles`."""
    rows = []
    for role in roles:
        person = case.first_with_role(role)
        if person is not None:
            rows.append(signer(case, person, day))
    return rows


def written_by_signer(text: str, day: date) -> Context:
    """A signature row from a free 'Opgesteld door' text, 'Ahmed Yilmaz, re-integratiecoach' (the
    function stays as the user typed it)."""
    name, _, function = text.partition(",")
    return {"rol": "Opgesteld door", "naam": name.strip(), "functie": function.strip() or "opsteller",
            "datum": dutch.date_long(day)}


def employer_document_authors(case: m.Case) -> str:
    """Who makes the plan van aanpak, its bijstellingen and the evaluations: werkgever and
    werknemer together (Regeling procesgang art. 4)."""
    return named_list([case.first_with_role(m.Rol.WERKGEVER), case.first_with_role(m.Rol.WERKNEMER)])


def coach_named(case: m.Case) -> str:
    coach = case.first_with_role(m.Rol.COACH)
    if coach is None:
        return ""
    return f"{coach.name}, re-integratiecoach" + (f" bij {coach.organisation}" if coach.organisation else "")


def report_author(case: m.Case, report: m.ReportMoment | None) -> str:
    """Who wrote a report of the re-integratiebedrijf: its 'Opgesteld door', else the coach."""
    return (report.written_by if report and report.written_by else "") or coach_named(case)


def trajectplan_author(case: m.Case) -> str:
    """Who drew up the trajectplan: its Rapportages row's 'Opgesteld door', else the coach."""
    return report_author(case, next((r for r in case.report_moments if is_trajectplan_report(r)), None))


def coach_context(case: m.Case) -> Context:
    """The re-integratiecoach; without one on Betrokkenen every field is "" and the template
    leaves the lines out."""
    return person_context(case.first_with_role(m.Rol.COACH))


# --- the case as it stood on a day ------------------------------------------------------------

def agreed_on(case: m.Case, agreement: m.Agreement) -> date:
    """The day an agreement was made; without 'Afgesproken op', the plan van aanpak's date."""
    return agreement.agreed_on or case.plan_van_aanpak_date


def agreements_made_by(case: m.Case, day: date) -> list[m.Agreement]:
    return [a for a in case.agreements if agreed_on(case, a) <= day]


def agreements_made_on(case: m.Case, day: date) -> list[m.Agreement]:
    return [a for a in case.agreements if agreed_on(case, a) == day]


def agreement_state_on(agreement: m.Agreement, day: date) -> str:
    """An agreement's state on `day`: 'loopt' until its term; after it, the status it got."""
    if agreement.due is None:  # when it was done or dropped is not known: on an earlier day, it ran
        return "doorlopend"
    if agreement.due > day:
        return "loopt"
    if agreement.status is m.AgreementStatus.OPEN:
        return "open, termijn verstreken"
    return agreement.status.value


def agreements_on(case: m.Case, day: date) -> list[Context]:
    """Every agreement made by `day`, with its state on that day."""
    return [{"wat": a.what, "wie": a.who, "afgesproken": dutch.date_long(agreed_on(case, a)),
             "uiterlijk": dutch.date_long(a.due, "doorlopend"), "stand": agreement_state_on(a, day)}
            for a in agreements_made_by(case, day)]


def spoor_and_goal_on(case: m.Case, day: date) -> tuple[m.Spoor, str]:
    """The spoor and goal on `day`: the plan's, as changed by the bijstellingen up to that day."""
    spoor, goal = case.spoor, case.goal
    for b in sorted(case.bijstellingen, key=lambda b: b.date):
        if b.date > day:
            break
        spoor = b.spoor or spoor
        goal = b.goal or goal
    return spoor, goal


def is_trajectplan_report(report: m.ReportMoment) -> bool:
    """A Rapportages row of Soort 'trajectplan' (also 'Trajectplan tweede spoor')."""
    return (report.kind or "").strip().casefold().startswith("trajectplan")


def trajectplan_date(case: m.Case) -> date | None:
    """'Datum trajectplan'; else the date of the Rapportages row 'trajectplan'; else the start."""
    if case.trajectplan_date:
        return case.trajectplan_date
    row = next((r for r in case.report_moments if is_trajectplan_report(r)), None)
    return row.date if row else case.tweede_spoor_start


def progress_reports(case: m.Case) -> tuple[m.ReportMoment, ...]:
    """The reports of the re-integratiebedrijf that were issued, other than the trajectplan,
    in date order: each is a voortgangsrapportage of its own."""
    return tuple(sorted((r for r in case.report_moments
                         if r.status is m.ReportStatus.UITGEBRACHT and not is_trajectplan_report(r)),
                        key=lambda r: r.date))


def report_title(report: m.ReportMoment) -> str:
    """'Voortgangsrapportage 1', 'Eindrapportage': the report's Soort, else 'Voortgangsrapportage'."""
    kind = (report.kind or "").strip()
    return kind[0].upper() + kind[1:] if kind else "Voortgangsrapportage"


def add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return dutch.period(start, end)
    if start:
        return f"vanaf {dutch.date_long(start)}"
    if end:
        return f"tot en met {dutch.date_long(end)}"
    return "geen datum"


def months_between(start: date, end: date) -> str:
    months = round((end - start).days / 30.44)
    return f"ongeveer {months} maand{'en' if months != 1 else ''}" if months >= 1 else "korter dan een maand"


def evaluation_kind(evaluation: m.Evaluation) -> str:
    return (evaluation.kind or m.EvaluationKind.PERIODIEK).value
