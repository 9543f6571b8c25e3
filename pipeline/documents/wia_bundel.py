"""The index of the WIA bundle (`wia-bundel.docx`), as UWV receives it: the cover and every element
of the re-integratieverslag in UWV's order with its status, date, author and who supplies it.

The index and only the index: the findings of the checks and what to do about them are in the
internal controlelijst, never in what UWV reads.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from .. import dutch
from .. import model as m
from ..checks import law as rules
from .common import Context, common_context

if TYPE_CHECKING:
    from ..bundle.index import Bundle
    from ..checks.timeline import TimelineResult


def wia_bundel_context(case: m.Case, bundle: Bundle, timeline: TimelineResult | None, peildatum: date) -> Context:
    """The cover and index of the WIA bundle. `timeline` is not shown (its findings are the
    controlelijst's); it stays in the signature so every context is made alike."""
    week = case.week_of(peildatum)
    return {
        **common_context(case),
        "peildatum": dutch.date_long(peildatum),
        "week_nu": f"week {week}",
        "wia_uiterlijk": dutch.date_long(case.end_of_week(rules.WEEK_WIA_APPLICATION)),
        "einde_wachttijd": dutch.date_long(case.end_of_week(rules.WEEK_WAITING_PERIOD_END)),
        "onderdelen": [
            {"nr": str(number), "onderdeel": e.title, "status": e.status,
             "datum": dutch.date_long(e.day, ""), "door": e.written_by,
             "aanleveren": e.supplier if e.outstanding else "", "toelichting": e.note,
             "bestand": e.filename or ""}
            for number, e in enumerate(bundle.entries, start=1)
        ],
        "compleet": bundle.complete,
        "ontbreekt": dutch.enumeration([e.title.lower() + (f" van {dutch.date_long(e.day)}" if e.day else "")
                                      for e in bundle.outstanding]),
    }
