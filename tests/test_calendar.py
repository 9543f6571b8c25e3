"""The case owns its calendar: Poortwachter weeks from the first day of sickness, with the fit days
of relapses less than 4 weeks apart left out (samentelling), so every deadline moves with them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from pipeline import model as m
from pipeline.model import Calendar

FIRST = date(2024, 1, 1)  # a Monday


def case(*periods: tuple[date, date | None]) -> m.Case:
    return m.Case(dossiernummer="T", employee_name="Anna", job_title="X", employer="Y", first_sick_day=periods[0][0],
                  plan_van_aanpak_date=periods[0][0], goal="Terug", spoor=m.Spoor.EEN,
                  sickness_periods=tuple(m.SicknessPeriod(a, b) for a, b in periods))


def test_without_relapses_week_n_runs_from_day_7n_minus_6_to_day_7n():
    c = case((FIRST, None))
    assert c.week_of(FIRST) == 1
    assert c.week_of(FIRST + timedelta(days=6)) == 1
    assert c.week_of(FIRST + timedelta(days=7)) == 2
    assert c.week_of(FIRST - timedelta(days=1)) == 0
    assert c.end_of_week(8) == FIRST + timedelta(days=55)
    assert c.start_of_week(9) == c.end_of_week(8) + timedelta(days=1)
    assert c.end_of_week(104) == Calendar(FIRST).end_of_week(104)


def test_the_contracts_example_21_fit_days_move_every_deadline_21_days_later():
    # Hersteld op 18-03-2024, ziek vanaf 08-04-2024: 21 days fit (18 March to 7 April).
    c = case((FIRST, date(2024, 3, 18)), (date(2024, 4, 8), None))
    plain = case((FIRST, None))
    assert c.end_of_week(8) == plain.end_of_week(8)  # before the gap nothing moves
    for week in (42, 52, 58, 91, 104):
        assert c.end_of_week(week) == plain.end_of_week(week) + timedelta(days=21)
    # 17 March is sick day 77 (week 11); the fit days count as that day; 8 April is sick day 78.
    assert c.week_of(date(2024, 3, 17)) == 11
    assert c.week_of(date(2024, 4, 7)) == 11
    assert c.calendar.day_number(date(2024, 4, 8)) == 78


@pytest.mark.parametrize("fit_days, adds_up", [(27, True), (28, False)])
def test_a_gap_of_27_days_adds_up_and_one_of_28_days_does_not(fit_days, adds_up):
    fit = date(2024, 3, 18)
    c = case((FIRST, fit), (fit + timedelta(days=fit_days), None))
    moved = c.end_of_week(104) - Calendar(FIRST).end_of_week(104)
    assert moved == (timedelta(days=fit_days) if adds_up else timedelta(0))


def test_two_relapses_add_both_gaps_and_day_numbers_invert():
    c = case((FIRST, date(2024, 2, 1)), (date(2024, 2, 11), date(2024, 5, 1)), (date(2024, 5, 6), None))
    assert c.end_of_week(104) == Calendar(FIRST).end_of_week(104) + timedelta(days=10 + 5)
    for n in (1, 31, 32, 100, 500):
        assert c.calendar.day_number(c.calendar.date_of(n)) == n


def test_where_names_the_dossier_field_and_its_row():
    c = m.Case(dossiernummer="T", employee_name="Anna", job_title="X", employer="Y", first_sick_day=FIRST,
               plan_van_aanpak_date=FIRST, goal="Terug", spoor=m.Spoor.EEN,
               sources={"probleemanalyse_date": m.Source("t.xlsx", "Dossier", 12, {"probleemanalyse_date": "B"})},
               labels={"probleemanalyse_date": "Datum probleemanalyse"})
    assert c.where("probleemanalyse_date") == m.Place("Dossier", 12, "Datum probleemanalyse")
    assert c.where("eindevaluatie_date") == m.Place("Dossier", None, None)
