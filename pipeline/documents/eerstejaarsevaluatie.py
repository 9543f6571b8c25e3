"""The eerstejaarsevaluatie, a required element of the re-integratieverslag, as of its date: the
course of year one, the evaluations with their reports, where the re-integration stands, the
decision on the tweede spoor (with the 3-month test when it is postponed), both views, the state
of the agreements that day, and the signatures."""

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
    add_months,
    agreements_on,
    common_context,
    evaluation_kind,
    person_context,
    signers,
    spoor_and_goal_on,
    week_text,
)

ADVISER_TEXT = {
    m.Adviser.BEDRIJFSARTS: "Advies van de bedrijfsarts",
    m.Adviser.ARBEIDSDESKUNDIGE: "Advies van de arbeidsdeskundige",
    m.Adviser.DESKUNDIGENOORDEEL: "Deskundigenoordeel van UWV",
    m.Adviser.OVERIG: "Advies",
}
# How a Werkhervatting 'Soort' reads after "uur per week".
WORK_TEXT = {
    m.WorkKind.EIGEN_WERK: "in het eigen werk",
    m.WorkKind.AANGEPAST_EIGEN_WERK: "in aangepast eigen werk",
    m.WorkKind.ANDER_WERK_EIGEN_WERKGEVER: "in ander werk bij de eigen werkgever",
    m.WorkKind.ARBEIDSTHERAPEUTISCH: "op arbeidstherapeutische basis",
    m.WorkKind.WERKERVARINGSPLEK: "op een werkervaringsplek",
    m.WorkKind.ANDER_WERK_ANDERE_WERKGEVER: "in ander werk bij een andere werkgever",
}
# A postponed tweede spoor is only right when structural return at the own employer within
# 3 months after the eerstejaarsevaluatie is concrete (seeds 003, 004).
POSTPONE_MONTHS = 3


def eerstejaarsevaluatie_missing(case: m.Case) -> list[str]:
    if measures.eerstejaarsevaluatie_date(case) is None:
        return ["vul 'Datum eerstejaarsevaluatie' in op sheet Dossier, of leg op sheet Evaluaties een evaluatie "
                "vast met Soort eerstejaarsevaluatie"]
    return []


def the_evaluation(case: m.Case, day: date) -> m.Evaluation | None:
    """The Evaluaties row of the eerstejaarsevaluatie: of that kind and day, else of that kind."""
    own = [e for e in case.evaluations if e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE]
    return next((e for e in own if e.date == day), own[0] if own else None)


def course_of_year_one(case: m.Case, day: date) -> list[Context]:
    """What happened up to the eerstejaarsevaluatie, in date order."""
    events: list[tuple[date, int, str]] = [(case.first_sick_day, 0, "Eerste ziektedag")]
    if case.probleemanalyse_date and case.probleemanalyse_date <= day:
        events.append((case.probleemanalyse_date, 1, "Probleemanalyse van de bedrijfsarts"))
    events.append((case.plan_van_aanpak_date, 2, "Plan van aanpak opgesteld"))
    for b in case.bijstellingen:
        if b.date <= day:
            events.append((b.date, 3, f"Bijstelling plan van aanpak: {b.change}"))
    for a in case.advices:
        if a.date <= day:
            who = ADVISER_TEXT[a.adviser or m.Adviser.OVERIG]
            followed = (f" Opgevolgd op {dutch.date_long(a.followed_on)}."
                        if a.followed_on and a.followed_on <= day else "")
            events.append((a.date, 4, f"{who}: {a.advice}.{followed}".replace("..", ".")))
    for w in case.work_resumptions:
        if w.start <= day:
            kind = f" {WORK_TEXT[w.kind]}" if w.kind else ""
            events.append((w.start, 5, f"Werkhervatting, {dutch.number(w.hours)} uur per week{kind}"))
    if case.uwv_notification_date and case.uwv_notification_date <= day:
        events.append((case.uwv_notification_date, 6, "Ziekmelding bij UWV"))
    if case.tweede_spoor_decision_date and case.tweede_spoor_decision_date <= day:
        events.append((case.tweede_spoor_decision_date, 7, "Besluit: terugkeer in het eigen werk is niet realistisch"))
    return [{"datum": dutch.date_long(d), "week": week_text(case, d), "gebeurtenis": text}
            for d, _, text in sorted(events, key=lambda e: (e[0], e[1]))]


def work_on(case: m.Case, day: date) -> str:
    """The work the employee did on `day`, from Werkhervatting; empty without that sheet."""
    current = [w for w in sorted(case.work_resumptions, key=lambda w: w.start) if w.start <= day]
    if not current:
        return "De werknemer heeft het werk nog niet hervat." if case.work_resumptions else ""
    w = current[-1]
    kind = f" {WORK_TEXT[w.kind]}" if w.kind else ""
    hours = (f"{dutch.number(w.hours)} van de {dutch.number(case.contract_hours)} contracturen per week"
             if case.contract_hours else f"{dutch.number(w.hours)} uur per week")
    return f"Sinds {dutch.date_long(w.start)} werkt de werknemer {hours}{kind}."


def tweede_spoor_decision(case: m.Case, day: date) -> tuple[str, str]:
    """(the decision on the tweede spoor, the 3-month test when it is postponed), as of `day`."""
    spoor, _ = spoor_and_goal_on(case, day)
    start, reason = case.tweede_spoor_start, case.tweede_spoor_delay_reason
    by = min(day + timedelta(weeks=rules.WEEKS_TWEEDE_SPOOR_AFTER_EJE), case.end_of_week(rules.WEEK_TWEEDE_SPOOR))
    if start is not None and start <= day:
        return f"Het tweede spoor loopt al, sinds {dutch.date_long(start)} ({week_text(case, start)}).", ""
    if reason and (start is None or start > by):
        test_day = add_months(day, POSTPONE_MONTHS)
        return (f"Het tweede spoor wordt nog niet ingezet. Reden: {reason}",
                f"Uitstel kan alleen als een structurele terugkeer in het eigen of aangepaste werk bij de eigen "
                f"werkgever binnen {POSTPONE_MONTHS} maanden concreet is, volgens het oordeel van de bedrijfsarts. "
                f"Op {dutch.date_long(test_day)} toetsen werkgever en werknemer of het werk dan structureel is "
                f"hervat; is dat niet zo, dan start het tweede spoor direct.")
    if start is not None:
        late = "" if start <= by else f" Dat is later dan 6 weken na deze evaluatie (uiterlijk {dutch.date_long(by)})."
        return (f"Besloten is een tweede spoor in te zetten: zoeken naar passend werk bij een andere werkgever. "
                f"De start is gepland op {dutch.date_long(start)} ({week_text(case, start)}).{late}"), ""
    if spoor is not m.Spoor.EEN:
        return f"Het tweede spoor hoort bij de aanpak; het start uiterlijk {dutch.date_long(by)}.", ""
    return ("Er wordt geen tweede spoor ingezet: werkgever en werknemer houden terugkeer bij de eigen werkgever "
            "(spoor 1) voor realistisch."), ""


def eerstejaarsevaluatie_context(case: m.Case, peildatum: date) -> Context:
    day = measures.eerstejaarsevaluatie_date(case)
    assert day is not None
    evaluation = the_evaluation(case, day)
    spoor, goal = spoor_and_goal_on(case, day)
    decision, postponed = tweede_spoor_decision(case, day)
    held = [e for e in sorted(case.evaluations, key=lambda e: e.date) if e.date < day
            and e.kind is not m.EvaluationKind.EERSTEJAARSEVALUATIE]
    return {
        **common_context(case),
        "datum": dutch.date_long(day),
        "week": week_text(case, day),
        "datum_plan": dutch.date_long(case.plan_van_aanpak_date),
        "verloop": course_of_year_one(case, day),
        "evaluaties": [{"datum": dutch.date_long(e.date), "week": week_text(case, e.date), "soort": evaluation_kind(e),
                        "verslag": e.report or "geen verslag vastgelegd"} for e in held],
        "stand": evaluation.report if evaluation and evaluation.report else "",
        "werk": work_on(case, day),
        "spoor": SPOOR_TEXT[spoor],
        "doel": goal,
        "tweede_spoor": decision,
        "uitsteltoets": postponed,
        "visie_werkgever": (evaluation.employer_view if evaluation and evaluation.employer_view
                            else "De werkgever heeft bij deze evaluatie geen eigen visie vastgelegd."),
        "visie_werknemer": (evaluation.employee_view if evaluation and evaluation.employee_view
                            else "De werknemer heeft bij deze evaluatie geen eigen visie vastgelegd."),
        "afspraken": agreements_on(case, day),
        "casemanager": person_context(case.first_with_role(m.Rol.CASEMANAGER)),
        "ondertekening": signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER), day),
    }


def _day(case: m.Case, peildatum: date) -> date:
    day = measures.eerstejaarsevaluatie_date(case)
    assert day is not None
    return day


EERSTEJAARSEVALUATIE = DocumentKind(
    key="eerstejaarsevaluatie",
    title="Eerstejaarsevaluatie",
    missing=eerstejaarsevaluatie_missing,
    context=eerstejaarsevaluatie_context,
    day=_day,
)
