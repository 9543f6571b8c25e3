"""The sollicitatieoverzicht: every application with its proof and its zoekprofiel function, the count
per week against the agreement (with a chart and each week's toelichting) and the totals.

The weeks are the ones the check judges (`measures.weekly_counts`): from the start of the tweede
spoor or the application agreement to hire, the end of the tweede spoor or the closing of the case.
While that period runs, the overview is a "stand per" the peildatum; once it has ended, it is a
record that no later run changes.
"""

from __future__ import annotations

from datetime import date

from .. import dutch
from .. import model as m
from ..checks import measures
from . import charts
from .common import Context, DocumentKind, Image, common_context, period_text, signers

JUDGEMENT = {
    measures.WeekState.RUNNING: "loopt nog",
    measures.WeekState.PARTIAL: "niet beoordeeld (deel van een week)",
    measures.WeekState.OUTSIDE: "buiten de periode van de afspraak",
}


def sollicitatieoverzicht_missing(case: m.Case) -> list[str]:
    return [] if case.applications else ["sheet Sollicitaties is leeg of ontbreekt"]


def _calendar_weeks(week: measures.WeekCount) -> str:
    return " / ".join(f"{number} ({year})" for year, number in week.calendar_weeks)


def _judgement(week: measures.WeekCount) -> str:
    if week.met:
        return "gehaald"
    if week.judged:
        return f"niet gehaald ({week.shortfall} te weinig)"
    return JUDGEMENT[week.state]


def _running(period: measures.ApplicationPeriod | None, peildatum: date) -> bool:
    """The period the agreement holds has not ended by the peildatum: the overview is a 'stand per'."""
    return period is not None and period.end >= peildatum


def _period(case: m.Case, period: measures.ApplicationPeriod | None, peildatum: date) -> str:
    if period is None or period.end < period.start:
        return period_text(case.applications[0].date, case.applications[-1].date)
    if _running(period, peildatum):
        return f"vanaf {dutch.date_long(period.start)}"  # the 'stand' line gives the date it stands on
    return period_text(period.start, period.end)


def _zoekprofiel(case: m.Case) -> list[str]:
    """Per application the zoekprofiel function it is for; empty without a zoekprofiel."""
    if not case.zoekprofiel:
        return [""] * len(case.applications)
    return [f"rang {z.rank}: {z.function}" if z else "niet in het zoekprofiel"
            for z in measures.zoekprofiel_functions(case, case.applications)]


def sollicitatieoverzicht_context(case: m.Case, peildatum: date) -> Context:
    summary = measures.application_summary(case, peildatum)
    agreed = summary.agreed_per_week
    assert agreed is not None  # validation requires it once there are applications
    share = summary.share_met
    on_profile = summary.share_on_profile
    day = sollicitatieoverzicht_day(case, peildatum)
    running = summary.period is not None and _running(summary.period, peildatum)
    return {
        **common_context(case),
        "datum": dutch.date_long(day),
        "stand": (f"Stand per {dutch.date_long(day)}: de sollicitatieperiode loopt nog." if running
                  else f"Afgesloten: de sollicitatieperiode eindigde op {dutch.date_long(day)}."),
        "afgesproken": f"{agreed} per week",
        "periode": _period(case, summary.period, peildatum),
        "stand_per": dutch.date_long(peildatum) if _running(summary.period, peildatum) else "",
        "week1": dutch.date_long(case.first_sick_day),
        "sollicitaties": [
            {"datum": dutch.date_long(a.date), "werkgever": a.employer, "functie": a.function,
             "gevonden_via": a.found_via or "", "wijze": a.applied_how or "",
             "resultaat": a.result.value if a.result else "", "bewijs": a.proof or "geen bewijs",
             "besproken": dutch.yes_no(a.discussed_with_coach, ""),
             "zoekprofiel": function, "toelichting": a.remark or ""}
            for a, function in zip(case.applications, _zoekprofiel(case))
        ],
        "weken": [
            {"week": str(w.week), "kalenderweek": _calendar_weeks(w),
             "periode": dutch.period(w.start, w.end), "aantal": str(w.count),
             "afspraak": str(w.agreed), "oordeel": _judgement(w), "toelichting": w.remark or "",
             "achtergrond": "D9D9D9" if w.below else "FFFFFF"}
            for w in summary.weeks
        ],
        "totaal": str(summary.total),
        "per_resultaat": [{"resultaat": r, "aantal": str(n)} for r, n in summary.by_result],
        "zonder_bewijs": str(summary.without_proof),
        "niet_besproken": str(summary.not_discussed),
        "bespreking_onbekend": str(summary.discussion_unknown),
        "aantal_weken": str(len(summary.weeks)),
        "weken_gehaald": str(summary.weeks_met),
        "aandeel_gehaald": dutch.percent(share) if share is not None else "",
        "op_zoekprofiel": (f"{summary.on_profile} van {summary.total} ({dutch.percent(on_profile)})"
                           if on_profile is not None else "geen zoekprofiel"),
        "grafiek": Image(charts.applications_png(summary.weeks, agreed), 250,
                         charts.applications_description(summary.weeks, agreed)),
        "ondertekening": signers(case, (m.Rol.WERKNEMER, m.Rol.COACH), day),
    }


def sollicitatieoverzicht_day(case: m.Case, peildatum: date) -> date:
    """The overview's own date: the end of its period once that has ended, else the peildatum."""
    period = measures.application_period(case, peildatum)
    if period is None or period.end < period.start:
        return case.applications[-1].date
    return peildatum if _running(period, peildatum) else period.end


SOLLICITATIEOVERZICHT = DocumentKind(
    key="sollicitatieoverzicht",
    title="Sollicitatieoverzicht",
    missing=sollicitatieoverzicht_missing,
    context=sollicitatieoverzicht_context,
    day=sollicitatieoverzicht_day,
)


# The bundle index dates the overview as the document itself is dated.
overview_day = sollicitatieoverzicht_day
