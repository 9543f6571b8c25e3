"""The sollicitatieoverzicht: every application with its proof, the count per week against the
agreement (with a chart) and the totals."""

from __future__ import annotations

from datetime import date

from .. import dutch
from .. import model as m
from ..checks import measures
from . import charts
from .common import Context, DocumentKind, Image, common_context, period_text, signers


def sollicitatieoverzicht_missing(case: m.Case) -> list[str]:
    return [] if case.applications else ["sheet Sollicitaties is leeg of ontbreekt"]


def _calendar_weeks(week: measures.WeekCount) -> str:
    return " / ".join(f"{number} ({year})" for year, number in week.calendar_weeks)


def sollicitatieoverzicht_context(case: m.Case, peildatum: date) -> Context:
    summary = measures.application_summary(case)
    agreed = summary.agreed_per_week
    assert agreed is not None  # validation requires it once there are applications
    share = summary.share_met
    return {
        **common_context(case),
        "afgesproken": f"{agreed} per week",
        "periode": period_text(case.applications[0].date, case.applications[-1].date),
        "week1": dutch.datum(case.first_sick_day),
        "sollicitaties": [
            {"datum": dutch.datum(a.date), "werkgever": a.employer, "functie": a.function,
             "gevonden_via": a.found_via or "", "wijze": a.applied_how or "",
             "resultaat": a.result.value if a.result else "", "bewijs": a.proof or "GEEN BEWIJS",
             "besproken": dutch.ja_nee(a.discussed_with_coach, "onbekend")}
            for a in case.applications
        ],
        "weken": [
            {"week": str(w.week), "kalenderweek": _calendar_weeks(w),
             "periode": dutch.periode(w.start, w.end), "aantal": str(w.count),
             "afspraak": str(w.agreed),
             "oordeel": "gehaald" if w.met else f"NIET GEHAALD ({w.shortfall} te weinig)",
             "achtergrond": "FFFFFF" if w.met else "D9D9D9"}
            for w in summary.weeks
        ],
        "totaal": str(summary.total),
        "per_resultaat": [{"resultaat": r, "aantal": str(n)} for r, n in summary.by_result],
        "zonder_bewijs": str(summary.without_proof),
        "niet_besproken": str(summary.not_discussed),
        "bespreking_onbekend": str(summary.discussion_unknown),
        "aantal_weken": str(len(summary.weeks)),
        "weken_gehaald": str(summary.weeks_met),
        "aandeel_gehaald": dutch.procent(share) if share is not None else "",
        "grafiek": Image(charts.applications_png(summary.weeks, agreed), 250),
        "ondertekening": signers(case, (m.Rol.WERKNEMER, m.Rol.COACH), ""),
    }



SOLLICITATIEOVERZICHT = DocumentKind(
    key="sollicitatieoverzicht",
    title="Sollicitatieoverzicht",
    missing=sollicitatieoverzicht_missing,
    context=sollicitatieoverzicht_context,
    day=lambda case, peildatum: case.applications[-1].date,
)

