"""The trajectplan of the tweede spoor as drawn up on its date, by its author: persoonsprofiel,
zoekprofiel with the 30 % test, the planned activities per phase, the reporting moments and a
timeline chart. The plan only: how it went is in the voortgangsrapportages and the eindevaluatie."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .. import dutch
from .. import model as m
from ..checks import law as rules
from ..checks import measures
from . import charts
from .common import (
    Context,
    DocumentKind,
    Image,
    coach_context,
    common_context,
    date_and_week,
    months_between,
    period_text,
    signer,
    signers,
    spoor_and_goal_on,
    trajectplan_author,
    trajectplan_date,
    week_text,
    written_by_signer,
)

PROFILE_TITLES = {
    m.ProfilePart.OPLEIDING: "Opleiding",
    m.ProfilePart.WERKERVARING: "Werkervaring",
    m.ProfilePart.VAARDIGHEID: "Vaardigheden",
    m.ProfilePart.INTERESSE: "Interesses",
    m.ProfilePart.WENS: "Wensen",
    m.ProfilePart.BEPERKING: "Functionele beperkingen (zoals de bedrijfsarts ze vaststelt)",
}


def _suitability(case: m.Case, wage: float | None) -> str:
    """The 30 % rule for one zoekprofiel function, in words and numbers."""
    if wage is None:
        return "geen indicatie maandloon"
    if case.monthly_wage is None:
        return "niet getoetst"
    check = measures.wage_check(case.monthly_wage, wage)
    assert check is not None
    if check.suitable:
        return f"passend: {dutch.percent(check.ratio)} van het oude loon"
    return (f"niet passend: {dutch.percent(check.loss)} lager dan het oude loon, meer dan "
            f"{dutch.percent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)}")


def trajectplan_missing(case: m.Case) -> list[str]:
    lacking = []
    if case.tweede_spoor_start is None:
        lacking.append("vul 'Start tweede spoor' in op sheet Dossier")
    for rows, sheet in ((case.persoonsprofiel, "Persoonsprofiel"), (case.zoekprofiel, "Zoekprofiel"),
                        (case.interventions, "Interventies"), (case.report_moments, "Rapportages")):
        if not rows:
            lacking.append(f"sheet {sheet} is leeg of ontbreekt")
    return lacking


def trajectplan_context(case: m.Case, peildatum: date) -> Context:
    trajectory = measures.trajectory(case)
    assert trajectory is not None and case.tweede_spoor_start is not None
    day = trajectplan_date(case)
    assert day is not None
    phases = []
    for phase in (*m.Phase, None):
        items = [i for i in case.interventions if i.phase is phase]
        if items:
            phases.append({
                "titel": charts.PHASE_TITLE[phase],
                "activiteiten": [
                    {"activiteit": i.activity, "uitvoerder": i.performer or "", "periode": period_text(i.start, i.end)}
                    for i in items
                ],
            })
    end = case.tweede_spoor_end
    author = trajectplan_author(case)
    coach = case.first_with_role(m.Rol.COACH)
    signing = signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER), day)
    if coach is not None:
        signing.append(signer(case, coach, day))
    elif author:
        signing.append(written_by_signer(author, day))
    # As a plan, every reporting moment is one still to come.
    planned = tuple(replace(r, status=m.ReportStatus.GEPLAND) for r in case.report_moments)
    return {
        **common_context(case),
        "datum": dutch.date_long(day),
        "opgesteld_door": author,
        "start_tweede_spoor": date_and_week(case, case.tweede_spoor_start, ""),
        "einde_tweede_spoor": date_and_week(case, end, ""),
        "duur": months_between(case.tweede_spoor_start, end) if end else "",
        "coach": coach_context(case),
        "doel": spoor_and_goal_on(case, day)[1],
        "persoonsprofiel": [
            {"onderdeel": PROFILE_TITLES[part],
             "regels": [p.description for p in case.persoonsprofiel if p.part is part]
             or ["Geen functionele beperkingen vastgelegd."]}
            for part in m.ProfilePart
            if part is m.ProfilePart.BEPERKING or any(p.part is part for p in case.persoonsprofiel)
        ],
        "zoekprofiel": [
            {"rang": str(z.rank), "functie": z.function, "sector": z.sector or "", "waarom": z.why_suitable or "",
             "loon": dutch.euro(z.indicated_monthly_wage, "", cents=False),
             "passend": _suitability(case, z.indicated_monthly_wage)}
            for z in case.zoekprofiel
        ],
        "oud_maandloon": dutch.euro(case.monthly_wage, ""),
        "fases": phases,
        "rapportages": [
            {"datum": dutch.date_long(r.date), "week": week_text(case, r.date), "soort": r.kind or "rapportage"}
            for r in sorted(case.report_moments, key=lambda r: r.date)
        ],
        "tijdlijn": Image(charts.timeline_png(trajectory, case.interventions, planned), 165,
                          charts.timeline_description(trajectory, case.interventions, planned)),
        "ondertekening": signing,
    }


def _day(case: m.Case) -> date:
    day = trajectplan_date(case)
    assert day is not None  # `trajectplan_missing` holds the document back without a start
    return day


TRAJECTPLAN = DocumentKind(
    key="trajectplan",
    title="Trajectplan",
    missing=trajectplan_missing,
    context=trajectplan_context,
    day=lambda case, peildatum: _day(case),
)

