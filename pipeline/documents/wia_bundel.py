"""The index of the WIA bundle (`wia-bundel.docx`): the cover, every element in UWV's order,
and the findings of the timeline check."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .. import dutch
from .. import model as m
from ..checks import law as rules
from .common import Context, common_context

if TYPE_CHECKING:
    from ..bundle import Bundle
    from ..checks.timeline import TimelineResult


def wia_bundel_context(case: m.Case, bundle: "Bundle", timeline: "TimelineResult", peildatum: date) -> Context:
    """The cover and index of the WIA bundle, with the findings of the timeline check."""
    week = case.week_of(peildatum)
    return {
        **common_context(case),
        "peildatum": dutch.datum(peildatum),
        "week_nu": f"week {week}",
        "wia_uiterlijk": dutch.datum(case.end_of_week(rules.WEEK_WIA_APPLICATION)),
        "einde_wachttijd": dutch.datum(case.end_of_week(rules.WEEK_WAITING_PERIOD_END)),
        "onderdelen": [
            {"nr": str(number), "onderdeel": e.title, "status": e.status,
             "datum": dutch.datum(e.day, ""), "door": e.written_by,
             "aanleveren": e.supplier if e.outstanding else "", "toelichting": e.note,
             "bestand": e.filename or ""}
            for number, e in enumerate(bundle.entries, start=1)
        ],
        "compleet": bundle.complete,
        "ontbreekt": dutch.opsomming([e.title.lower() for e in bundle.outstanding]),
        "bevindingen": [
            {"week": str(f.week) if f.week else "", "datum": dutch.datum(f.day, ""), "ernst": f.severity.value,
             "melding": f.message}
            for f in timeline.findings
        ],
        "termijnen": [
            {"datum": dutch.datum(d.day), "week": str(d.week), "wat": d.what} for d in timeline.deadlines
        ],
    }
