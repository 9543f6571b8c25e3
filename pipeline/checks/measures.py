"""Figures derived from the case model: applications per week, wage ratios, the trajectory.

Documents and checks both read these, so a week count or a percentage is computed in one
place and every document states the same number.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from .. import model as m
from . import law as rules


@dataclass(frozen=True)
class WeekCount:
    """Applications in one Poortwachter week, against the agreed number."""

    week: int  # Poortwachter week
    start: date
    end: date
    count: int
    agreed: int

    @property
    def shortfall(self) -> int:
        return max(self.agreed - self.count, 0)

    @property
    def met(self) -> bool:
        return self.count >= self.agreed

    @property
    def calendar_weeks(self) -> tuple[tuple[int, int], ...]:
        """The ISO (year, week) pairs this Poortwachter week overlaps: one, or two."""
        first = self.start.isocalendar()[:2]
        last = self.end.isocalendar()[:2]
        return (first,) if first == last else (first, last)


@dataclass(frozen=True)
class ApplicationSummary:
    total: int
    by_result: tuple[tuple[str, int], ...]
    without_proof: int
    not_discussed: int
    discussion_unknown: int
    agreed_per_week: int | None
    weeks: tuple[WeekCount, ...]

    @property
    def weeks_met(self) -> int:
        return sum(1 for w in self.weeks if w.met)

    @property
    def weeks_below(self) -> tuple[WeekCount, ...]:
        return tuple(w for w in self.weeks if not w.met)

    @property
    def share_met(self) -> Decimal | None:
        """Share of weeks that met the agreement, as a fraction floored to 0.1 %."""
        return floor_fraction(Decimal(self.weeks_met) / Decimal(len(self.weeks))) if self.weeks else None


def floor_fraction(value: Decimal) -> Decimal:
    """A fraction floored to one decimal of a percent (0.87349 -> 0.873).

    Floored, not rounded: a ratio of 64.99 % then reads 64.9 %, so the printed number never
    contradicts a check against 65 % that the exact ratio failed.
    """
    return value.quantize(Decimal("0.001"), rounding=ROUND_FLOOR)


def weekly_counts(case: m.Case) -> tuple[WeekCount, ...]:
    """Every Poortwachter week from the first application's week to the last one's, none skipped."""
    if not case.applications or not case.applications_per_week:
        return ()
    per_week = Counter(case.week_of(a.date) for a in case.applications)
    first, last = min(per_week), max(per_week)
    return tuple(
        WeekCount(
            week=w,
            start=case.start_of_week(w),
            end=case.end_of_week(w),
            count=per_week.get(w, 0),
            agreed=case.applications_per_week,
        )
        for w in range(first, last + 1)
    )


def application_summary(case: m.Case) -> ApplicationSummary:
    results = Counter(a.result.value if a.result else "niet ingevuld" for a in case.applications)
    order = [r.value for r in m.ApplicationResult] + ["niet ingevuld"]
    return ApplicationSummary(
        total=len(case.applications),
        by_result=tuple((r, results[r]) for r in order if results[r]),
        without_proof=sum(1 for a in case.applications if not a.proof),
        not_discussed=sum(1 for a in case.applications if a.discussed_with_coach is False),
        discussion_unknown=sum(1 for a in case.applications if a.discussed_with_coach is None),
        agreed_per_week=case.applications_per_week,
        weeks=weekly_counts(case),
    )


@dataclass(frozen=True)
class WageCheck:
    """A wage against the old monthly wage: the ratio and the two rules of thumb."""

    old: Decimal
    new: Decimal

    @property
    def ratio(self) -> Decimal:
        """New wage as a fraction of the old, floored to 0.1 % (see `floor_fraction`)."""
        return floor_fraction(self.new / self.old)

    @property
    def loss(self) -> Decimal:
        return Decimal(1) - self.ratio

    @property
    def suitable(self) -> bool:
        """Passend werk: at most 30 % below the old wage (seed 001)."""
        return self.loss <= Decimal(str(rules.SUITABLE_WORK_MAX_WAGE_LOSS))

    @property
    def satisfactory(self) -> bool:
        """65 % or more of the old wage: a loss under 35 %, no WIA (seed 000)."""
        return self.ratio >= Decimal(str(rules.WIA_EARNING_THRESHOLD))


def wage_check(old: float | None, new: float | None) -> WageCheck | None:
    if old is None or new is None or old <= 0:
        return None
    return WageCheck(Decimal(str(old)), Decimal(str(new)))


@dataclass(frozen=True)
class Trajectory:
    """The period of the tweede spoor as the documents show it."""

    start: date
    end: date | None  # planned or actual end, as the workbook states it
    chart_end: date  # last day the timeline shows
    chart_start: date  # first day it shows: the start, or an earlier activity or report


def trajectory(case: m.Case) -> Trajectory | None:
    if case.tweede_spoor_start is None:
        return None
    dates = [case.tweede_spoor_start]
    dates += [d for i in case.interventions for d in (i.start, i.end) if d]
    dates += [r.date for r in case.report_moments]
    if case.tweede_spoor_end:
        dates.append(case.tweede_spoor_end)
    latest = max(dates)
    # With no end in sight, show the usual length of a tweede spoor (6-12 months, seed 000).
    default_end = case.tweede_spoor_start + timedelta(days=7 * 26)
    return Trajectory(case.tweede_spoor_start, case.tweede_spoor_end, max(latest, default_end)
                      if case.tweede_spoor_end is None else latest, min(dates))


def eerstejaarsevaluatie_date(case: m.Case) -> date | None:
    """The eerstejaarsevaluatie as Dossier states it, or as an Evaluaties row of that kind."""
    return case.eerstejaarsevaluatie_date or next(
        (e.date for e in case.evaluations if e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE), None)


def eindevaluatie_date(case: m.Case) -> date | None:
    """The eindevaluatie's date: its own sheet first, then Dossier, then an Evaluaties row."""
    if case.eindevaluatie and case.eindevaluatie.date:
        return case.eindevaluatie.date
    return case.eindevaluatie_date or next(
        (e.date for e in case.evaluations if e.kind is m.EvaluationKind.EINDEVALUATIE), None)
