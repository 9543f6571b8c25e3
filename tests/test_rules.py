"""Week arithmetic of the Poortwachter timeline: day 1 is the first day of week 1."""

from __future__ import annotations

from datetime import date, timedelta

from pipeline.checks import law as rules

FIRST = date(2025, 1, 6)


def test_first_day_is_week_one_and_day_seven_still_is():
    assert rules.week_number(FIRST, FIRST) == 1
    assert rules.week_number(FIRST, FIRST + timedelta(days=6)) == 1
    assert rules.week_number(FIRST, FIRST + timedelta(days=7)) == 2


def test_days_before_the_first_sick_day_fall_before_week_one():
    assert rules.week_number(FIRST, FIRST - timedelta(days=1)) == 0


def test_by_week_n_means_by_its_last_day():
    deadline = rules.last_day_of_week(FIRST, rules.WEEK_PLAN_VAN_AANPAK)
    assert deadline == date(2025, 3, 2)
    assert rules.week_number(FIRST, deadline) == 8
    assert rules.week_number(FIRST, deadline + timedelta(days=1)) == 9
    assert rules.first_day_of_week(FIRST, 9) == deadline + timedelta(days=1)


def test_week_count_across_a_leap_day():
    first = date(2024, 2, 26)
    assert rules.week_number(first, date(2024, 3, 3)) == 1  # 29 February is inside week 1
    assert rules.week_number(first, date(2024, 3, 4)) == 2
    assert rules.last_day_of_week(first, 104) == date(2026, 2, 22)
