"""Derived figures: applications per Poortwachter week and the wage rules of thumb."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from pipeline.checks import measures
from pipeline import model as m


def case_with(applications: list[date], agreed: int = 2, first: date = date(2025, 1, 6)) -> m.Case:
    return m.Case(
        dossiernummer="X", employee_name="A", job_title="B", employer="C", first_sick_day=first,
        plan_van_aanpak_date=first + timedelta(days=40), goal="D", spoor=m.Spoor.TWEE, applications_per_week=agreed,
        applications=tuple(m.Application(date=d, employer="E", function="F") for d in sorted(applications)),
    )


def test_weeks_below_the_agreement_and_weeks_with_none_are_counted():
    first = date(2025, 1, 6)  # a Monday
    week = lambda n, day=0: first + timedelta(days=7 * (n - 1) + day)  # noqa: E731
    case = case_with([week(60), week(60, 3), week(61, 1), week(63), week(63, 6), week(63, 6)])
    weeks = measures.weekly_counts(case)
    assert [(w.week, w.count, w.met, w.shortfall) for w in weeks] == [
        (60, 2, True, 0), (61, 1, False, 1), (62, 0, False, 2), (63, 3, True, 0)]
    assert weeks[0].start == week(60) and weeks[0].end == week(60, 6)


def test_last_day_of_a_week_counts_in_that_week_and_the_day_after_in_the_next():
    first = date(2025, 1, 8)  # a Wednesday: Poortwachter weeks run Wednesday to Tuesday
    last_day_of_week_10 = first + timedelta(days=7 * 10 - 1)
    case = case_with([last_day_of_week_10, last_day_of_week_10 + timedelta(days=1)], agreed=1, first=first)
    assert [(w.week, w.count) for w in measures.weekly_counts(case)] == [(10, 1), (11, 1)]


def test_weeks_across_a_year_boundary_name_both_calendar_weeks():
    first = date(2025, 1, 8)  # a Wednesday
    case = case_with([date(2025, 12, 29), date(2026, 1, 7)], agreed=1, first=first)
    weeks = measures.weekly_counts(case)
    assert [w.calendar_weeks for w in weeks] == [((2025, 52), (2026, 1)), ((2026, 1), (2026, 2)),
                                                 ((2026, 2), (2026, 3))]
    assert [(w.week, w.count) for w in weeks] == [(51, 1), (52, 0), (53, 1)]


def test_summary_counts_results_proof_and_coach():
    case = case_with([date(2025, 3, 3), date(2025, 3, 4), date(2025, 3, 12)])
    apps = case.applications
    case = replace(case, applications=(
        replace(apps[0], result=m.ApplicationResult.AFGEWEZEN, proof="mail", discussed_with_coach=True),
        replace(apps[1], result=m.ApplicationResult.AFGEWEZEN, discussed_with_coach=False),
        replace(apps[2], proof="mail"),
    ))
    summary = measures.application_summary(case)
    assert summary.total == 3
    assert summary.by_result == (("afgewezen", 2), ("niet ingevuld", 1))
    assert (summary.without_proof, summary.not_discussed, summary.discussion_unknown) == (1, 1, 1)
    assert summary.weeks_met == 1 and len(summary.weeks) == 2
    assert summary.share_met == Decimal("0.500")


def test_shares_are_floored_to_a_tenth_of_a_percent():
    assert measures.floor_fraction(Decimal(2) / Decimal(3)) == Decimal("0.666")
    check = measures.wage_check(2850, 2480)
    assert check.ratio == Decimal("0.870") and check.loss == Decimal("0.130")


def test_wia_threshold_at_its_edge():
    assert measures.wage_check(1000, 650).satisfactory  # exactly 65 %
    just_under = measures.wage_check(1000, 649.99)
    assert not just_under.satisfactory and just_under.ratio == Decimal("0.649")


def test_suitable_work_threshold_at_its_edge():
    assert measures.wage_check(1000, 700).suitable  # exactly 30 % lower
    assert not measures.wage_check(1000, 699.99).suitable
    assert measures.wage_check(None, 700) is None and measures.wage_check(1000, None) is None
