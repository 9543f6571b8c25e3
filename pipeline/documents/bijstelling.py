"""A bijstelling of the plan van aanpak, one document per `Bijstellingen` row: the change and its
reason, the spoor and goal from that day on, the agreements made that day, both views (required
since 1 July 2023) and the signatures."""

from __future__ import annotations

from datetime import date

from .. import dutch
from .. import model as m
from .common import (
    SPOOR_TEXT,
    Context,
    DocumentKind,
    agreements_made_on,
    common_context,
    person_context,
    signers,
    spoor_and_goal_on,
    week_text,
)


def _numbered(case: m.Case) -> tuple[tuple[int, m.Bijstelling], ...]:
    """Each bijstelling with its number, in date order (rows of one day in workbook order)."""
    return tuple(enumerate(sorted(case.bijstellingen, key=lambda b: b.date), start=1))


def _occasion(evaluation: m.Evaluation) -> str:
    """'de periodieke evaluatie van 18 november 2025. Verslag van die evaluatie: ...'."""
    kind = {m.EvaluationKind.PERIODIEK: "de periodieke evaluatie", m.EvaluationKind.EERSTEJAARSEVALUATIE:
            "de eerstejaarsevaluatie", m.EvaluationKind.EINDEVALUATIE: "de eindevaluatie"}.get(
        evaluation.kind or m.EvaluationKind.PERIODIEK, "de evaluatie")
    text = f"{kind} van {dutch.date_long(evaluation.date)}."
    return text + (f" Verslag van die evaluatie: {evaluation.report}" if evaluation.report else "")


def bijstelling_context(case: m.Case, peildatum: date, numbered: tuple[int, m.Bijstelling]) -> Context:
    number, bijstelling = numbered
    day = bijstelling.date
    spoor, goal = spoor_and_goal_on(case, day)
    evaluation = next((e for e in case.evaluations if e.date == day), None)
    # The agreements of a day belong to its first bijstelling (those of the plan's own day, to the plan).
    first_of_day = all(b.date != day for _, b in _numbered(case)[:number - 1])
    agreements = agreements_made_on(case, day) if first_of_day and day != case.plan_van_aanpak_date else []
    return {
        **common_context(case),
        "datum": dutch.date_long(day),
        "week": week_text(case, day),
        "nummer": str(number),
        "datum_plan": dutch.date_long(case.plan_van_aanpak_date),
        "wijziging": bijstelling.change,
        "reden": bijstelling.reason or "",
        "aanleiding": _occasion(evaluation) if evaluation else "",
        "spoor": SPOOR_TEXT[spoor],
        "spoor_gewijzigd": bijstelling.spoor is not None,
        "doel": goal,
        "doel_gewijzigd": bijstelling.goal is not None,
        "afspraken": [{"wat": a.what, "wie": a.who, "uiterlijk": dutch.date_long(a.due, "doorlopend")}
                      for a in agreements],
        "visie_werkgever": bijstelling.employer_view or "De werkgever heeft bij deze bijstelling geen eigen visie "
                                                        "vastgelegd.",
        "visie_werknemer": bijstelling.employee_view or "De werknemer heeft bij deze bijstelling geen eigen visie "
                                                        "vastgelegd.",
        "casemanager": person_context(case.first_with_role(m.Rol.CASEMANAGER)),
        "ondertekening": signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER), day),
    }


BIJSTELLING = DocumentKind(
    key="bijstelling",
    title="Bijstelling plan van aanpak",
    missing=lambda case: [],
    context=bijstelling_context,
    day=lambda case, peildatum, numbered: numbered[1].date,
    each=_numbered,
)
