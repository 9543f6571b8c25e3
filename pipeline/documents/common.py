"""What every document shares: the context type, pictures, the document registry entry, the
header fields and the small Dutch phrasings several documents use.

A document context holds only ready-to-print Dutch text (dates, amounts and choices already
worded), so a template declares nothing but what it shows. `docs/sjablonen.md` lists every
variable per document for the administrators who edit the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Callable

from .. import dutch
from .. import model as m

Context = dict[str, Any]

NOT_RECORDED = "Nog niet vastgelegd."

SPOOR_TEXT = {
    m.Spoor.EEN: "Spoor 1: terugkeer in het eigen werk of in ander passend werk bij de eigen werkgever.",
    m.Spoor.TWEE: "Spoor 2: terugkeer in passend werk bij een andere werkgever.",
    m.Spoor.BEIDE: "Spoor 1 en spoor 2 tegelijk: terugkeer bij de eigen werkgever en, daarnaast, "
                   "zoeken naar passend werk bij een andere werkgever.",
}


@dataclass(frozen=True)
class Image:
    """A picture for the document; the renderer turns it into a docxtpl InlineImage."""

    png: bytes
    width_mm: float


@dataclass(frozen=True)
class DocumentKind:
    """One generated document: its template, output file name and what it needs."""

    key: str
    title: str
    missing: Callable[[m.Case], list[str]]
    context: Callable[[m.Case, date], Context]
    day: Callable[[m.Case, date], date]

    @property
    def template(self) -> str:
        return f"{self.key}.docx"

    @property
    def filename(self) -> str:
        return f"{self.key}.docx"


def or_missing(value: str | None, missing: str = NOT_RECORDED) -> str:
    return value if value else missing


def common_context(case: m.Case) -> Context:
    """The fields every document shows in its page header and gegevens block."""
    return {
        "dossiernummer": case.dossiernummer,
        "werknemer": case.employee_name,
        "bsn": case.bsn or "niet opgegeven",
        "geboortedatum": dutch.datum(case.birth_date),
        "functie": case.job_title,
        "werkgever": case.employer,
        "aard_bedrijf": or_missing(case.employer_business, dutch.UNKNOWN),
        "contracturen": f"{dutch.getal(case.contract_hours)} uur per week" if case.contract_hours is not None
        else dutch.UNKNOWN,
        "eerste_ziektedag": dutch.datum(case.first_sick_day),
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
    return f"{dutch.datum(day)} ({week_text(case, day)})" if day else missing



def signers(case: m.Case, roles: tuple[m.Rol, ...], day: str) -> list[Context]:
    """Signature rows: name, role and organisation of each person with one of `roles`."""
    signers = []
    for role in roles:
        for person in case.people_with_role(role):
            signers.append({"rol": role.value.capitalize(), "naam": person.name,
                            "organisatie": person.organisation or (case.employer if role is m.Rol.WERKGEVER else ""),
                            "datum": day})
    return signers


def coach_context(case: m.Case) -> Context:
    coach = case.first_with_role(m.Rol.COACH)
    result = person_context(coach)
    result["naam"] = result["naam"] or "nog niet bekend"
    result["organisatie"] = result["organisatie"] or "nog niet bekend"
    return result


def period_text(start: date | None, end: date | None) -> str:
    if start and end:
        return dutch.periode(start, end)
    if start:
        return f"vanaf {dutch.datum(start)}"
    if end:
        return f"tot en met {dutch.datum(end)}"
    return "geen datum"


def months_between(start: date, end: date) -> str:
    months = round((end - start).days / 30.44)
    return f"ongeveer {months} maand{'en' if months != 1 else ''}" if months >= 1 else "korter dan een maand"


