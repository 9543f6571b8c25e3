"""The plan van aanpak as of its own date: parties, the plan's goal and spoor, both views, the
agreements made by then, contact and the planned evaluation moments, signatures (due by week 8).

Held evaluations and bijstellingen are records of their own (`bijstelling`, `eerstejaarsevaluatie`):
the plan says what was agreed that day, whenever it is made again.
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import dutch
from .. import model as m
from ..checks import law as rules
from .common import (
    SPOOR_TEXT,
    Context,
    DocumentKind,
    agreements_made_by,
    common_context,
    date_and_week,
    person_context,
    signers,
    week_text,
)


def planned_evaluations(case: m.Case) -> list[Context]:
    """The evaluation moments as the plan sets them: every 6 weeks from its date, then the
    eerstejaarsevaluatie in weeks 46-52 (Regeling procesgang art. 4: periodically and in any
    case at the end of year one)."""
    moments: list[Context] = []
    eje_from = case.start_of_week(rules.WEEK_EERSTEJAARSEVALUATIE_FROM)
    eje_deadline = case.end_of_week(rules.WEEK_EERSTEJAARSEVALUATIE)
    step = timedelta(weeks=rules.WEEKS_BETWEEN_EVALUATIONS)
    due = case.plan_van_aanpak_date + step
    while due < eje_from:
        moments.append({"datum": f"uiterlijk {dutch.date_long(due)}", "week": week_text(case, due),
                        "soort": "periodieke evaluatie"})
        due += step
    moments.append({"datum": dutch.period(eje_from, eje_deadline),
                    "week": f"week {rules.WEEK_EERSTEJAARSEVALUATIE_FROM}-{rules.WEEK_EERSTEJAARSEVALUATIE}",
                    "soort": "eerstejaarsevaluatie"})
    return moments


def plan_van_aanpak_context(case: m.Case, peildatum: date) -> Context:
    day = case.plan_van_aanpak_date
    casemanager = case.first_with_role(m.Rol.CASEMANAGER)
    analysis = case.probleemanalyse_date if case.probleemanalyse_date and case.probleemanalyse_date <= day else None
    if case.coach_contact_weeks and case.spoor is not m.Spoor.EEN:  # a coach belongs to a tweede spoor
        contact = (f"De werknemer heeft ten minste elke {case.coach_contact_weeks} weken contact met de "
                   "re-integratiecoach.")
    else:
        contact = ""
    return {
        **common_context(case),
        "probleemanalyse": date_and_week(case, analysis, "nog niet ontvangen op de datum van dit plan"),
        "datum_plan": dutch.date_long(day),
        "week_plan": week_text(case, day),
        "doel": case.goal,
        "spoor": SPOOR_TEXT[case.spoor],
        "visie_werkgever": case.employer_view or "De werkgever heeft bij dit plan geen eigen visie vastgelegd.",
        "visie_werknemer": case.employee_view or "De werknemer heeft bij dit plan geen eigen visie vastgelegd.",
        "betrokkenen": [
            {"rol": p.role.value, **person_context(p)} for p in case.people
        ],
        "afspraken": [
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.date_long(a.due, "doorlopend")}
            for a in agreements_made_by(case, day)
        ],
        "contact": contact,
        "evaluatie_frequentie": (f"Werkgever en werknemer evalueren dit plan ten minste elke "
                                 f"{rules.WEEKS_BETWEEN_EVALUATIONS} weken, samen met de casemanager, en in elk "
                                 "geval aan het einde van het eerste ziektejaar (de eerstejaarsevaluatie). Na een "
                                 "evaluatie of een nieuw advies van de bedrijfsarts stellen zij het plan zo nodig "
                                 "bij; elke bijstelling is een eigen, ondertekend document."),
        "evaluaties": planned_evaluations(case),
        "casemanager": person_context(casemanager),
        "ondertekening": signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER), day),
    }


PLAN_VAN_AANPAK = DocumentKind(
    key="plan-van-aanpak",
    title="Plan van aanpak",
    missing=lambda case: [],
    context=plan_van_aanpak_context,
    day=lambda case, peildatum: case.plan_van_aanpak_date,
)
