"""The documents we generate, and the context each template may use.

A document context holds only ready-to-print Dutch text (dates, amounts and choices already
worded), so a template declares nothing but what it shows. `docs/sjablonen.md` lists every
variable per document for the administrators who edit the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Callable

from . import dutch
from . import model as m
from . import rules

Context = dict[str, Any]

NOT_RECORDED = "Nog niet vastgelegd."

SPOOR_TEXT = {
    m.Spoor.EEN: "Spoor 1: terugkeer in het eigen werk of in ander passend werk bij de eigen werkgever.",
    m.Spoor.TWEE: "Spoor 2: terugkeer in passend werk bij een andere werkgever.",
    m.Spoor.BEIDE: "Spoor 1 en spoor 2 tegelijk: terugkeer bij de eigen werkgever en, daarnaast, "
                   "zoeken naar passend werk bij een andere werkgever.",
}


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


def _text(value: str | None, missing: str = NOT_RECORDED) -> str:
    return value if value else missing


def _header(case: m.Case) -> Context:
    """The fields every document shows in its page header and gegevens block."""
    return {
        "dossiernummer": case.dossiernummer,
        "werknemer": case.employee_name,
        "bsn": case.bsn or "niet opgegeven",
        "geboortedatum": dutch.datum(case.birth_date),
        "functie": case.job_title,
        "werkgever": case.employer,
        "aard_bedrijf": _text(case.employer_business, dutch.UNKNOWN),
        "contracturen": f"{dutch.getal(case.contract_hours)} uur per week" if case.contract_hours is not None
        else dutch.UNKNOWN,
        "eerste_ziektedag": dutch.datum(case.first_sick_day),
    }


def _person(person: m.Person | None) -> Context:
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


def _week(case: m.Case, day: date | None) -> str:
    return f"week {rules.week_number(case.first_sick_day, day)}" if day else ""


def _datum_week(case: m.Case, day: date | None, missing: str) -> str:
    """'3 maart 2025 (week 6)'."""
    return f"{dutch.datum(day)} ({_week(case, day)})" if day else missing


def evaluation_moments(case: m.Case, peildatum: date) -> list[Context]:
    """Recorded evaluations, then the periodic ones still to plan until the eerstejaarsevaluatie."""
    moments: list[Context] = []
    for e in case.evaluations:
        moments.append({
            "datum": dutch.datum(e.date),
            "week": _week(case, e.date),
            "soort": (e.kind or m.EvaluationKind.PERIODIEK).value,
            "status": "gehouden" if e.date <= peildatum else "gepland",
            "verslag": e.report or "",
        })
    eje_recorded = case.eerstejaarsevaluatie_date or next(
        (e.date for e in case.evaluations if e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE), None)
    eje_deadline = rules.last_day_of_week(case.first_sick_day, rules.WEEK_EERSTEJAARSEVALUATIE)
    last = max([case.plan_van_aanpak_date, *(e.date for e in case.evaluations)])
    step = timedelta(weeks=rules.WEEKS_BETWEEN_EVALUATIONS)
    due = last + step
    while due < eje_deadline and eje_recorded is None:
        moments.append({"datum": f"uiterlijk {dutch.datum(due)}", "week": _week(case, due),
                        "soort": "periodiek", "status": "te plannen", "verslag": ""})
        due += step
    if eje_recorded is None:
        moments.append({"datum": f"uiterlijk {dutch.datum(eje_deadline)}",
                        "week": f"week {rules.WEEK_EERSTEJAARSEVALUATIE_FROM}-{rules.WEEK_EERSTEJAARSEVALUATIE}",
                        "soort": "eerstejaarsevaluatie", "status": "te plannen", "verslag": ""})
    elif case.eerstejaarsevaluatie_date and not any(
            e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE for e in case.evaluations):
        day = case.eerstejaarsevaluatie_date
        moments.append({"datum": dutch.datum(day), "week": _week(case, day), "soort": "eerstejaarsevaluatie",
                        "status": "gehouden" if day <= peildatum else "gepland", "verslag": ""})
    return moments


def plan_van_aanpak_context(case: m.Case, peildatum: date) -> Context:
    casemanager = case.first_with_role(m.Rol.CASEMANAGER)
    werkgever = case.first_with_role(m.Rol.WERKGEVER)
    werknemer = case.first_with_role(m.Rol.WERKNEMER)
    if case.coach_contact_weeks:
        contact = (f"De werknemer heeft ten minste elke {case.coach_contact_weeks} weken contact met de "
                   "re-integratiecoach.")
    else:
        contact = "De contactfrequentie met de re-integratiecoach is nog niet afgesproken."
    return {
        **_header(case),
        "probleemanalyse": _datum_week(case, case.probleemanalyse_date, "nog niet bekend"),
        "datum_plan": dutch.datum(case.plan_van_aanpak_date),
        "week_plan": _week(case, case.plan_van_aanpak_date),
        "doel": case.goal,
        "spoor": SPOOR_TEXT[case.spoor],
        "visie_werkgever": _text(case.employer_view),
        "visie_werknemer": _text(case.employee_view),
        "betrokkenen": [
            {"rol": p.role.value, **_person(p)} for p in case.people
        ],
        "afspraken": [
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.datum(a.due, "doorlopend"), "status": a.status.value}
            for a in case.agreements
        ],
        "contact": contact,
        "evaluatie_frequentie": (f"Werkgever en werknemer evalueren dit plan ten minste elke "
                                 f"{rules.WEEKS_BETWEEN_EVALUATIONS} weken, samen met de casemanager."),
        "evaluaties": evaluation_moments(case, peildatum),
        "bijstellingen": [
            {"datum": dutch.datum(b.date), "wijziging": b.change, "reden": b.reason or "",
             "visie_werkgever": b.employer_view or "", "visie_werknemer": b.employee_view or ""}
            for b in case.bijstellingen
        ],
        "casemanager": _person(casemanager),
        "ondertekenaar_werkgever": _person(werkgever),
        "ondertekenaar_werknemer": _person(werknemer),
    }


PLAN_VAN_AANPAK = DocumentKind(
    key="plan-van-aanpak",
    title="Plan van aanpak",
    missing=lambda case: [],
    context=plan_van_aanpak_context,
    day=lambda case, peildatum: case.plan_van_aanpak_date,
)

# Every document of a case, in the order of the re-integration dossier.
DOCUMENTS: tuple[DocumentKind, ...] = (PLAN_VAN_AANPAK,)
