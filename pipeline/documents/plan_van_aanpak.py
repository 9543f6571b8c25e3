"""The plan van aanpak: parties, goal and spoor, both views, agreements, contact and evaluation
moments, bijstellingen and signatures (due by week 8)."""

from __future__ import annotations

from datetime import date, timedelta

from .. import dutch
from .. import model as m
from ..checks import law as rules
from ..checks import measures
from .common import (
    SPOOR_TEXT,
    Context,
    DocumentKind,
    common_context,
    date_and_week,
    or_missing,
    person_context,
    week_text,
)


def evaluation_moments(case: m.Case, peildatum: date) -> list[Context]:
    """Recorded evaluations, then the periodic ones still to plan until the eerstejaarsevaluatie."""
    moments: list[Context] = []
    for e in case.evaluations:
        moments.append({
            "datum": dutch.datum(e.date),
            "week": week_text(case, e.date),
            "soort": (e.kind or m.EvaluationKind.PERIODIEK).value,
            "status": "gehouden" if e.date <= peildatum else "gepland",
            "verslag": e.report or "",
        })
    eje_recorded = measures.eerstejaarsevaluatie_date(case)
    eje_deadline = case.end_of_week(rules.WEEK_EERSTEJAARSEVALUATIE)
    last = max([case.plan_van_aanpak_date, *(e.date for e in case.evaluations)])
    step = timedelta(weeks=rules.WEEKS_BETWEEN_EVALUATIONS)
    due = last + step
    while due < eje_deadline and eje_recorded is None:
        moments.append({"datum": f"uiterlijk {dutch.datum(due)}", "week": week_text(case, due),
                        "soort": "periodiek", "status": "te plannen", "verslag": ""})
        due += step
    if eje_recorded is None:
        moments.append({"datum": f"uiterlijk {dutch.datum(eje_deadline)}",
                        "week": f"week {rules.WEEK_EERSTEJAARSEVALUATIE_FROM}-{rules.WEEK_EERSTEJAARSEVALUATIE}",
                        "soort": "eerstejaarsevaluatie", "status": "te plannen", "verslag": ""})
    elif case.eerstejaarsevaluatie_date and not any(
            e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE for e in case.evaluations):
        day = case.eerstejaarsevaluatie_date
        moments.append({"datum": dutch.datum(day), "week": week_text(case, day), "soort": "eerstejaarsevaluatie",
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
        **common_context(case),
        "probleemanalyse": date_and_week(case, case.probleemanalyse_date, "nog niet bekend"),
        "datum_plan": dutch.datum(case.plan_van_aanpak_date),
        "week_plan": week_text(case, case.plan_van_aanpak_date),
        "doel": case.goal,
        "spoor": SPOOR_TEXT[case.spoor],
        "visie_werkgever": or_missing(case.employer_view),
        "visie_werknemer": or_missing(case.employee_view),
        "betrokkenen": [
            {"rol": p.role.value, **person_context(p)} for p in case.people
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
        "casemanager": person_context(casemanager),
        "ondertekenaar_werkgever": person_context(werkgever),
        "ondertekenaar_werknemer": person_context(werknemer),
    }


PLAN_VAN_AANPAK = DocumentKind(
    key="plan-van-aanpak",
    title="Plan van aanpak",
    missing=lambda case: [],
    context=plan_van_aanpak_context,
    day=lambda case, peildatum: case.plan_van_aanpak_date,
)
