"""Derived figures: applications per Poortwachter week and the wage rules of thumb."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from pipeline import model as m
from pipeline.checks import measures


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
    assert summary.by_result == (("afgewezen", 2), ("zonder resultaat", 1))
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


# --- the application period and the state of each week ------------------------------------------

FIRST = date(2025, 1, 6)  # a Monday


def day(week: int, offset: int = 0) -> date:
    return FIRST + timedelta(days=7 * (week - 1) + offset)


def spoor_case(applications: list[date], **changes) -> m.Case:
    return replace(case_with(applications, first=FIRST), tweede_spoor_start=day(60), **changes)


def test_the_period_runs_from_the_start_of_the_tweede_spoor_to_the_peildatum():
    case = spoor_case([day(61, 2), day(61, 3)])
    weeks = measures.weekly_counts(case, day(63, 3))
    assert [(w.week, w.count, w.state) for w in weeks] == [
        (60, 0, measures.WeekState.JUDGED), (61, 2, measures.WeekState.JUDGED), (62, 0, measures.WeekState.JUDGED),
        (63, 0, measures.WeekState.RUNNING)]
    summary = measures.application_summary(case, day(63, 3))
    assert [w.week for w in summary.weeks_below] == [60, 62]
    assert (summary.weeks_met, summary.weeks_counted) == (1, 3)
    period = summary.period
    assert (period.start, period.start_reason) == (day(60), "de start van het tweede spoor")


def test_the_period_ends_at_the_earliest_of_hire_end_of_spoor_and_closing():
    hired = spoor_case([day(61), day(62, 3)], tweede_spoor_end=day(70))
    hired = replace(hired, applications=(hired.applications[0],
                                         replace(hired.applications[1], result=m.ApplicationResult.AANGENOMEN)))
    period = measures.application_period(hired, day(80))
    assert (period.end, period.end_reason) == (day(62, 3), "aangenomen op 12 maart 2026")
    assert measures.weekly_counts(hired, day(80))[-1].state is measures.WeekState.PARTIAL
    recovered = spoor_case([day(61)], tweede_spoor_end=day(70), recovery_date=day(65))
    period = measures.application_period(recovered, day(80))
    assert (period.end, period.end_reason) == (day(64, 6), "de werknemer is hersteld op 30 maart 2026")
    after = spoor_case([day(61), day(66)], recovery_date=day(65))
    assert measures.weekly_counts(after, day(80))[-1].state is measures.WeekState.OUTSIDE


def test_work_at_another_employer_is_a_hire_the_same_employer_is_not():
    elsewhere = m.WorkResumption(day(63), 24, m.WorkKind.ANDER_WERK_ANDERE_WERKGEVER)
    assert measures.hire_day(spoor_case([day(61)], work_resumptions=(elsewhere,))) == day(63)
    own = replace(elsewhere, kind=m.WorkKind.ANDER_WERK_EIGEN_WERKGEVER)
    assert measures.hire_day(spoor_case([day(61)], work_resumptions=(own,))) is None


def test_without_a_peildatum_the_period_ends_with_the_week_of_the_last_application():
    case = spoor_case([day(61, 2), day(62, 2)])
    weeks = measures.weekly_counts(case)
    assert [(w.week, w.state) for w in weeks] == [(60, measures.WeekState.JUDGED), (61, measures.WeekState.JUDGED),
                                                  (62, measures.WeekState.JUDGED)]


def test_a_week_note_is_the_remark_of_its_week():
    case = spoor_case([day(60), day(60, 1)], week_notes=(m.WeekNote(day(61, 6), "Vakantie"),
                                                        m.WeekNote(day(61), "Cursus")))
    weeks = measures.weekly_counts(case, day(62))
    assert [(w.week, w.remark) for w in weeks] == [(60, None), (61, "Cursus; Vakantie"), (62, None)]


def test_closing_is_the_earliest_of_recovery_employment_end_and_week_104():
    case = case_with([], first=FIRST)
    assert measures.closing(case).last_day == date(2027, 1, 3)
    ended = replace(case, employment_end_date=date(2026, 6, 30), recovery_date=date(2026, 7, 1))
    assert measures.closing(ended) == measures.Closing(date(2026, 6, 30), "het dienstverband eindigde op 30 juni 2026")
    recovered = replace(case, recovery_date=date(2026, 6, 30))
    assert measures.closing(recovered).last_day == date(2026, 6, 29)


# --- the zoekprofiel -------------------------------------------------------------------------

PROFILE = (m.ZoekprofielFunction(1, "Planner thuiszorg"), m.ZoekprofielFunction(2, "Doktersassistent"),
           m.ZoekprofielFunction(3, "Klantcontactmedewerker zorgverzekeraar"))


def match(function: str, rank: int | None = None) -> int | None:
    case = replace(case_with([], first=FIRST), zoekprofiel=PROFILE)
    found = measures.zoekprofiel_function(case, m.Application(FIRST, "E", function, zoekprofiel_rank=rank))
    return found.rank if found else None


def test_applications_match_the_zoekprofiel_forgivingly():
    assert match("planner thuiszorg") == 1
    assert match("Planner") == 1  # inside 'Planner thuiszorg'
    assert match("Doktersassistente") == 2  # nearly alike
    assert match("Klantcontact-medewerker zorg") == 3
    assert match("Roosterplanner") is None
    assert match("Kok") is None
    assert match("Kok", rank=2) == 2  # the Zoekprofiel column decides
    assert match("Planner thuiszorg", rank=5) is None  # a rank the profile does not have


def test_the_share_on_the_profile_is_floored():
    case = replace(case_with([date(2025, 3, 3)] * 3, first=FIRST), zoekprofiel=PROFILE)
    case = replace(case, applications=tuple(replace(a, function=f) for a, f in
                                            zip(case.applications, ["Planner", "Kok", "Kok"])))
    summary = measures.application_summary(case)
    assert (summary.on_profile, summary.share_on_profile) == (1, Decimal("0.333"))
    assert measures.application_summary(replace(case, zoekprofiel=())).share_on_profile is None
