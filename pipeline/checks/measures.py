"""Figures derived from the case model: applications per week, wage ratios, the trajectory.

Documents and checks both read these, so a week count or a percentage is computed in one
place and every document states the same number.
"""

from __future__ import annotations

import functools
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal
from difflib import SequenceMatcher
from enum import Enum

from .. import dutch
from .. import model as m
from ..results import Deadline
from . import law as rules


class WeekState(Enum):
    """Whether a Poortwachter week of the applications overview is judged against the agreement."""

    JUDGED = "beoordeeld"  # wholly inside the period, and over by the peildatum
    RUNNING = "loopt nog"  # not over yet on the peildatum: judged once it has ended
    PARTIAL = "deel van een week"  # the period starts or ends inside it
    OUTSIDE = "buiten de periode"  # applications outside the period the agreement holds


@dataclass(frozen=True)
class WeekCount:
    """Applications in one Poortwachter week, against the agreed number."""

    week: int  # Poortwachter week
    start: date
    end: date
    count: int
    agreed: int
    state: WeekState = WeekState.JUDGED
    remark: str | None = None  # the Weektoelichting of this week

    @property
    def shortfall(self) -> int:
        return max(self.agreed - self.count, 0)

    @property
    def met(self) -> bool:
        return self.count >= self.agreed

    @property
    def judged(self) -> bool:
        return self.state is WeekState.JUDGED

    @property
    def below(self) -> bool:
        """Judged, and below the agreement: a finding (a note when the week has a toelichting)."""
        return self.judged and not self.met

    @property
    def counted(self) -> bool:
        """Counts in the share of weeks that met the agreement: a week of the period that is judged,
        or that met the agreement already (a part of a week with enough applications)."""
        return self.state is not WeekState.OUTSIDE and (self.judged or self.met)

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
    period: ApplicationPeriod | None = None
    on_profile: int | None = None  # applications on a zoekprofiel function; None without a zoekprofiel

    @property
    def weeks_met(self) -> int:
        return sum(1 for w in self.weeks if w.counted and w.met)

    @property
    def weeks_counted(self) -> int:
        return sum(1 for w in self.weeks if w.counted)

    @property
    def weeks_below(self) -> tuple[WeekCount, ...]:
        return tuple(w for w in self.weeks if w.below)

    @property
    def share_met(self) -> Decimal | None:
        """Share of the counted weeks that met the agreement, as a fraction floored to 0.1 %."""
        counted = self.weeks_counted
        return floor_fraction(Decimal(self.weeks_met) / Decimal(counted)) if counted else None

    @property
    def share_on_profile(self) -> Decimal | None:
        """Share of the applications on a zoekprofiel function, floored to 0.1 %."""
        if self.on_profile is None or not self.total:
            return None
        return floor_fraction(Decimal(self.on_profile) / Decimal(self.total))


def floor_fraction(value: Decimal) -> Decimal:
    """A fraction floored to one decimal of a percent (0.87349 -> 0.873).

    Floored, not rounded: a ratio of 64.99 % then reads 64.9 %, so the printed number never
    contradicts a check against 65 % that the exact ratio failed.
    """
    return value.quantize(Decimal("0.001"), rounding=ROUND_FLOOR)


@dataclass(frozen=True)
class Closing:
    """When the case stops running: recovery, the end of the employment, or the end of the waiting
    period (week 104), whichever comes first. After `last_day` the case is closed."""

    last_day: date
    reason: str  # Dutch, without a colon: 'de werknemer is hersteld op 3 maart 2026'


def closing(case: m.Case) -> Closing:
    end = case.end_of_week(rules.WEEK_WAITING_PERIOD_END)
    week = rules.WEEK_WAITING_PERIOD_END
    candidates = [Closing(end, f"de wachttijd eindigde met week {week} op {dutch.date_long(end)}")]
    if case.employment_end_date is not None:
        candidates.append(Closing(case.employment_end_date,
                                  f"het dienstverband eindigde op {dutch.date_long(case.employment_end_date)}"))
    if case.recovery_date is not None:
        candidates.append(Closing(case.recovery_date - timedelta(days=1),
                                  f"de werknemer is hersteld op {dutch.date_long(case.recovery_date)}"))
    return min(candidates, key=lambda c: c.last_day)


def hire_day(case: m.Case) -> date | None:
    """The first day of new work found in the tweede spoor: an application that led to a job, or
    work resumed at another employer."""
    days = [a.date for a in case.applications if a.result is m.ApplicationResult.AANGENOMEN]
    days += [w.start for w in case.work_resumptions if w.kind is m.WorkKind.ANDER_WERK_ANDERE_WERKGEVER]
    return min(days, default=None)


def application_agreement(case: m.Case) -> m.Agreement | None:
    """The agreement on applications (an Afspraken row about 'sollicit...') with its own `Afgesproken
    op` date: from that day the agreed number a week holds."""
    dated = [a for a in case.agreements if a.agreed_on is not None and "sollicit" in a.what.lower()]
    return min(dated, key=lambda a: a.agreed_on or date.max, default=None)


@dataclass(frozen=True)
class ApplicationPeriod:
    """The days in which the agreed number of applications a week holds."""

    start: date
    end: date  # the last day that counts
    start_reason: str  # Dutch: 'de start van het tweede spoor', ...
    end_reason: str  # Dutch: 'aangenomen op 3 maart 2026', ...; 'laatste sollicitatie' without a peildatum


def application_period(case: m.Case, peildatum: date | None = None) -> ApplicationPeriod | None:
    """From the start of the tweede spoor, or the day the application agreement was made, to the
    earliest of hire, the end of the tweede spoor and the closing of the case. Without a peildatum
    (a document that is a record) the period ends with the week of the last application."""
    agreement = application_agreement(case)
    if agreement is not None and agreement.agreed_on is not None:
        start, start_reason = agreement.agreed_on, "de afspraak over sollicitaties"
    elif case.tweede_spoor_start is not None:
        start, start_reason = case.tweede_spoor_start, "de start van het tweede spoor"
    elif case.applications:
        start, start_reason = case.applications[0].date, "de eerste sollicitatie"
    else:
        return None
    ends = []
    hired = hire_day(case)
    if hired is not None:
        ends.append((hired, f"aangenomen op {dutch.date_long(hired)}"))
    if case.tweede_spoor_end is not None:
        ends.append((case.tweede_spoor_end, f"einde tweede spoor op {dutch.date_long(case.tweede_spoor_end)}"))
    closed = closing(case)
    ends.append((closed.last_day, closed.reason))
    if peildatum is None and case.applications:
        last = case.end_of_week(case.week_of(case.applications[-1].date))
        ends.append((last, "laatste sollicitatie"))
    end, end_reason = min(ends, key=lambda e: e[0])
    return ApplicationPeriod(start, end, start_reason, end_reason)


def weekly_counts(case: m.Case, peildatum: date | None = None) -> tuple[WeekCount, ...]:
    """Every Poortwachter week of the application period (up to the peildatum's week) and every week
    with an application, none skipped; each with its state (`WeekState`) and its toelichting."""
    agreed = case.applications_per_week
    if not agreed:
        return ()
    per_week = Counter(case.week_of(a.date) for a in case.applications)
    period = application_period(case, peildatum)
    if period is not None and period.end < period.start:
        period = None  # ended before it began (closed or hired first): nothing to judge
    weeks = set(per_week)
    if period is not None:
        shown_end = min(period.end, peildatum) if peildatum is not None else period.end
        if shown_end >= period.start:
            weeks |= {case.week_of(period.start), case.week_of(shown_end)}
    if not weeks:
        return ()
    remarks: dict[int, list[str]] = defaultdict(list)
    for note in sorted(case.week_notes, key=lambda n: n.week_of):
        remarks[case.week_of(note.week_of)].append(note.text)

    def state(start: date, end: date) -> WeekState:
        if period is None or end < period.start or start > period.end:
            return WeekState.OUTSIDE
        if start < period.start or end > period.end:
            return WeekState.PARTIAL
        if peildatum is not None and end >= peildatum:
            return WeekState.RUNNING
        return WeekState.JUDGED

    counts = []
    for w in range(min(weeks), max(weeks) + 1):
        start, end = case.start_of_week(w), case.end_of_week(w)
        counts.append(WeekCount(week=w, start=start, end=end, count=per_week.get(w, 0), agreed=agreed,
                                state=state(start, end), remark="; ".join(remarks[w]) if w in remarks else None))
    return tuple(counts)


@functools.lru_cache(maxsize=4096)
def _name_key(text: str) -> str:
    """A function or employer name compared forgivingly: no case, accents, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in plain if ch.isalnum())


# Names this much alike are one function ('Klantcontactmedewerker' and 'Klantcontact medewerker').
_ALIKE = 0.85
_CONTAINED_MIN = 5  # a name inside another counts from this many letters ('Planner' in 'Planner thuiszorg')


def zoekprofiel_function(case: m.Case, application: m.Application) -> m.ZoekprofielFunction | None:
    """The zoekprofiel function an application is for: its `Zoekprofiel` rank, else the best-ranked
    function whose name matches forgivingly (equal, one inside the other, or nearly alike)."""
    return zoekprofiel_functions(case, (application,))[0]


def zoekprofiel_functions(case: m.Case, applications: tuple[m.Application, ...] | list[m.Application]
                          ) -> list[m.ZoekprofielFunction | None]:
    """`zoekprofiel_function` of each application, each function name compared once."""
    by_rank = {z.rank: z for z in case.zoekprofiel}
    by_name: dict[str, m.ZoekprofielFunction | None] = {}
    found: list[m.ZoekprofielFunction | None] = []
    for a in applications:
        if a.zoekprofiel_rank is not None:
            found.append(by_rank.get(a.zoekprofiel_rank))
            continue
        if a.function not in by_name:
            by_name[a.function] = _match_function(_name_key(a.function), case.zoekprofiel)
        found.append(by_name[a.function])
    return found


def _match_function(key: str, zoekprofiel: tuple[m.ZoekprofielFunction, ...]) -> m.ZoekprofielFunction | None:
    for z in zoekprofiel:  # in rank order
        other = _name_key(z.function)
        if key == other:
            return z
        if min(len(key), len(other)) >= _CONTAINED_MIN and (key in other or other in key):
            return z
        if SequenceMatcher(None, key, other).ratio() >= _ALIKE:
            return z
    return None


def repeat_key(application: m.Application) -> tuple[str, str]:
    """Employer and function, compared forgivingly: the same vacancy when both are equal."""
    return _name_key(application.employer), _name_key(application.function)


def application_summary(case: m.Case, peildatum: date | None = None) -> ApplicationSummary:
    results = Counter(a.result.value if a.result else "zonder resultaat" for a in case.applications)
    order = [r.value for r in m.ApplicationResult] + ["zonder resultaat"]
    on_profile = None
    if case.zoekprofiel:
        on_profile = sum(1 for z in zoekprofiel_functions(case, case.applications) if z is not None)
    return ApplicationSummary(
        total=len(case.applications),
        by_result=tuple((r, results[r]) for r in order if results[r]),
        without_proof=sum(1 for a in case.applications if not a.proof),
        not_discussed=sum(1 for a in case.applications if a.discussed_with_coach is False),
        discussion_unknown=sum(1 for a in case.applications if a.discussed_with_coach is None),
        agreed_per_week=case.applications_per_week,
        weeks=weekly_counts(case, peildatum),
        period=application_period(case, peildatum),
        on_profile=on_profile,
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


def no_wia_needed(case: m.Case) -> bool:
    """Back at the own employer, or new work at 65 % or more of the old wage (seed 000)."""
    final = case.eindevaluatie
    if final is None or final.outcome is None:
        return False
    if final.outcome in (m.Outcome.EIGEN_WERK, m.Outcome.ANDER_WERK_EIGEN_WERKGEVER):
        return True
    check = wage_check(case.monthly_wage, final.new_monthly_wage)
    return final.outcome is m.Outcome.NIEUW_WERK and check is not None and check.satisfactory


def wia_deadline(case: m.Case) -> tuple[date, bool]:
    """The last day for the WIA application with the re-integratieverslag: the end of week 91
    (seed 002; seed 004 allows week 93, the stricter is 91), or the last day of an employment that
    ended sooner (contract version 2; then True)."""
    day = case.end_of_week(rules.WEEK_WIA_APPLICATION)
    ended = case.employment_end_date
    return (ended, True) if ended is not None and ended < day else (day, False)


def wia_due(case: m.Case) -> tuple[date, str] | None:
    """When the WIA application (and with it the complete bundle) is due, and by which rule in
    Dutch. None when no WIA application comes: the employee recovered before it was due, or works
    again at the own employer or at 65 % or more of the old wage."""
    day, employment_ended = wia_deadline(case)
    if no_wia_needed(case) or (case.recovery_date is not None and case.recovery_date <= day):
        return None
    if employment_ended:
        return day, "uiterlijk op de laatste dag van het dienstverband"
    return day, f"uiterlijk in week {rules.WEEK_WIA_APPLICATION}"


def wia_application_state(case: m.Case, upcoming: date | None) -> str:
    """Where the WIA application stands, for the planning list: 'ingediend 03-11-2026',
    'uiterlijk 04-10-2026' (`upcoming`: its deadline still ahead), 'niet ingediend (uiterlijk
    04-10-2026)' or 'niet nodig'."""
    if case.wia_application_date is not None:
        return f"ingediend {dutch.date_short(case.wia_application_date)}"
    if upcoming is not None:
        return f"uiterlijk {dutch.date_short(upcoming)}"
    due = wia_due(case)
    return "niet nodig" if due is None else f"niet ingediend (uiterlijk {dutch.date_short(due[0])})"


def for_planning(case: m.Case, deadlines: Iterable[Deadline], upcoming_wia: date | None) -> list[Deadline]:
    """Each deadline with whose case it is and where its WIA application stands (`upcoming_wia`:
    the application's own deadline, still ahead), for the planning list; never the BSN."""
    manager = case.first_with_role(m.Rol.CASEMANAGER)
    application = wia_application_state(case, upcoming_wia)
    return [replace(d, employee=case.employee_name, casemanager=manager.name if manager else "",
                    wia_application=application) for d in deadlines]
