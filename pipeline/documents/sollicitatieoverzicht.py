"""The sollicitatieoverzicht: every application with its proof, the count per week against the
agreement (with a chart) and the totals.

Once the tweede spoor has ended it is a record dated at its end; while it runs it is the state
on the peildatum and says so ("stand per"), the one document besides the index and the
controlelijst that moves with the peildatum.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from .. import dutch
from .. import model as m
from ..checks import measures
from . import charts
from .common import Context, DocumentKind, Image, common_context, period_text, signers


def sollicitatieoverzicht_missing(case: m.Case) -> list[str]:
    return [] if case.applications else ["sheet Sollicitaties is leeg of ontbreekt"]


def period_end(case: m.Case, peildatum: date) -> date | None:
    """The day the application period ended, on or before `peildatum`: the end of the tweede
    spoor, recovery or the end of employment; None while it still runs."""
    ends = [d for d in (case.tweede_spoor_end, case.recovery_date, case.employment_end_date)
            if d is not None and d <= peildatum]
    return min(ends) if ends else None


def overview_day(case: m.Case, peildatum: date) -> date:
    return period_end(case, peildatum) or peildatum


def _calendar_weeks(week: measures.WeekCount) -> str:
    return " / ".join(f"{number} ({year})" for year, number in week.calendar_weeks)


def sollicitatieoverzicht_context(case: m.Case, peildatum: date) -> Context:
    ended = period_end(case, peildatum)
    day = ended or peildatum
    shown = tuple(a for a in case.applications if a.date <= day) or case.applications
    summary = measures.application_summary(replace(case, applications=shown))
    agreed = summary.agreed_per_week
    assert agreed is not None  # validation requires it once there are applications
    share = summary.share_met
    notes: dict[int, list[str]] = {}
    for note in case.week_notes:
        notes.setdefault(case.week_of(note.week_of), []).append(note.text)
    return {
        **common_context(case),
        "datum": dutch.datum(day),
        "stand": (f"Afgesloten: het tweede spoor eindigde op {dutch.datum(ended)}." if ended
                  else f"Stand per {dutch.datum(day)}: het tweede spoor loopt nog."),
        "afgesproken": f"{agreed} per week",
        "periode": period_text(shown[0].date, shown[-1].date),
        "week1": dutch.datum(case.first_sick_day),
        "sollicitaties": [
            {"datum": dutch.datum(a.date), "werkgever": a.employer, "functie": a.function,
             "gevonden_via": a.found_via or "", "wijze": a.applied_how or "",
             "resultaat": a.result.value if a.result else "", "bewijs": a.proof or "GEEN BEWIJS",
             "besproken": dutch.ja_nee(a.discussed_with_coach, "onbekend")}
            for a in shown
        ],
        "weken": [
            {"week": str(w.week), "kalenderweek": _calendar_weeks(w),
             "periode": dutch.periode(w.start, w.end), "aantal": str(w.count),
             "afspraak": str(w.agreed),
             "oordeel": "gehaald" if w.met else f"NIET GEHAALD ({w.shortfall} te weinig)",
             "toelichting": " ".join(notes.get(w.week, [])) if not w.met else "",
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
        "ondertekening": signers(case, (m.Rol.WERKNEMER, m.Rol.COACH), day),
    }


SOLLICITATIEOVERZICHT = DocumentKind(
    key="sollicitatieoverzicht",
    title="Sollicitatieoverzicht",
    missing=sollicitatieoverzicht_missing,
    context=sollicitatieoverzicht_context,
    day=overview_day,
)
