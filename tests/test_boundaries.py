"""Boundaries of the Poortwachter rules: each deadline with the peildatum (or the event) on its
last day and on the day after, and the figures the checks rest on at their edges.

A week off by one, or a comparison that includes or excludes the day itself, fails one of these
(issue 12; `make mutate` measures how many such faults the tests catch).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from pipeline import model as m
from pipeline.checks import measures
from pipeline.checks.timeline import check_timeline
from pipeline.errors import Severity
from pipeline.intake import contract
from pipeline.model import Calendar

FIRST = date(2025, 1, 6)  # a Monday: week N runs Monday to Sunday
DAY = timedelta(days=1)


def day_of(week: int, offset: int = 0) -> date:
    return Calendar(FIRST).start_of_week(week) + timedelta(days=offset)


def last_of(week: int) -> date:
    return Calendar(FIRST).end_of_week(week)


def case(**changes) -> m.Case:
    base = m.Case(
        dossiernummer="T", employee_name="Anna", job_title="X", employer="Y", first_sick_day=FIRST,
        plan_van_aanpak_date=day_of(7), goal="Terug", spoor=m.Spoor.EEN, probleemanalyse_date=day_of(5),
        employer_view="ja", employee_view="ja", source_file="t.xlsx", labels=contract.DOSSIER_LABELS,
    )
    return replace(base, **changes)


def findings(c: m.Case, peildatum: date, rule: str | None = None):
    return [f for f in check_timeline(c, peildatum).findings if rule is None or f.rule == rule]


def deadlines(c: m.Case, peildatum: date, rule: str):
    return [d for d in check_timeline(c, peildatum).deadlines if d.rule == rule]


# --- every "by week N" deadline: upcoming on its last day, missing the day after ----------------
# (the UWV sick report is due on the first working day after week 42: Monday of week 43)

@pytest.mark.parametrize("rule, week, due, absent, words", [
    ("probleemanalyse", 6, last_of(6), {"probleemanalyse_date": None},
     "Probleemanalyse ontbreekt; de termijn was uiterlijk week 6 (16 februari 2025)."),
    ("melding-uwv", 43, last_of(42) + DAY, {},
     "Ziekmelding bij UWV ontbreekt; de termijn was uiterlijk de eerste werkdag na week 42 (27 oktober 2025)."),
    ("eerstejaarsevaluatie", 52, last_of(52), {},
     "Eerstejaarsevaluatie ontbreekt; de termijn was uiterlijk week 52 (4 januari 2026)."),
    ("actueel-oordeel", 91, last_of(91), {},
     "Actueel oordeel van de bedrijfsarts ontbreekt; de termijn was uiterlijk week 91 (4 oktober 2026)."),
    ("eindevaluatie", 91, last_of(91), {},
     "Eindevaluatie ontbreekt; de termijn was uiterlijk week 91 (4 oktober 2026)."),
])
def test_a_missing_event_is_upcoming_on_the_last_day_of_its_week_and_late_the_day_after(rule, week, due, absent, words):
    c = case(**absent)
    [upcoming] = deadlines(c, due, rule)
    assert (upcoming.week, upcoming.day) == (week, due)
    assert findings(c, due, rule) == []
    [late] = findings(c, due + DAY, rule)
    assert late.message.startswith(words)
    assert (late.week, late.day, late.severity) == (week, due, Severity.WARNING)
    assert deadlines(c, due + DAY, rule) == []


def test_the_end_of_the_waiting_period_is_upcoming_on_the_last_day_of_week_104():
    [end] = deadlines(case(), last_of(104), "einde-wachttijd")
    assert (end.week, end.day) == (104, date(2027, 1, 3))
    assert deadlines(case(), last_of(104) + DAY, "einde-wachttijd") == []


# --- tweede spoor ------------------------------------------------------------------------------
# With an arbeidsdeskundige on record, so that the choice for spoor 2 without one (also rule
# tweede-spoor, a warning of its own) does not mix with the deadline judged here.
AD = (m.Person(m.Rol.ARBEIDSDESKUNDIGE, "Ad"),)


def test_tweede_spoor_not_started_is_upcoming_on_the_last_day_of_week_58_and_late_the_day_after():
    [upcoming] = deadlines(case(), last_of(58), "tweede-spoor")
    assert (upcoming.week, upcoming.day) == (58, date(2026, 2, 15))
    assert findings(case(), last_of(58), "tweede-spoor") == []
    [late] = findings(case(), last_of(58) + DAY, "tweede-spoor")
    assert late.message.startswith("Het tweede spoor is niet gestart; de termijn was uiterlijk week 58 (15 februari "
                                   "2026). Start het tweede spoor")
    assert (late.week, late.label, late.severity) == (58, "Start tweede spoor", Severity.WARNING)


def test_tweede_spoor_starting_on_the_peildatum_runs_and_needs_coach_contact():
    c = case(eerstejaarsevaluatie_date=day_of(48), tweede_spoor_start=day_of(50), people=AD)
    [coach] = findings(c, day_of(50), "coach-contact")
    assert "geen contactfrequentie" in coach.message and coach.day == day_of(50)
    assert findings(c, day_of(50), "tweede-spoor") == []
    assert findings(c, day_of(50) - DAY, "coach-contact") == []  # starts tomorrow: not running yet


def test_a_start_planned_after_the_deadline_is_warned_before_the_deadline_arrives():
    c = case(tweede_spoor_start=day_of(60))
    [late] = findings(c, day_of(50), "tweede-spoor")
    assert late.severity is Severity.WARNING and late.week == 60
    assert "de termijn was uiterlijk week 58 (15 februari 2026)" in late.message
    assert deadlines(c, day_of(50), "tweede-spoor") == []


def test_a_late_tweede_spoor_with_a_reason_is_noted_on_its_start_or_on_the_deadline():
    reason = "Terugkeer in eigen werk binnen 3 maanden verwacht"
    [started] = findings(case(tweede_spoor_start=day_of(64), tweede_spoor_delay_reason=reason, coach_contact_weeks=3,
                              people=AD), day_of(66), "tweede-spoor")
    assert (started.severity, started.week, started.day) == (Severity.NOTE, 64, day_of(64))
    [not_started] = findings(case(tweede_spoor_delay_reason=reason), last_of(58) + DAY, "tweede-spoor")
    assert (not_started.severity, not_started.week, not_started.day) == (Severity.NOTE, 58, last_of(58))
    assert not_started.message.endswith(f"Reden van uitstel: {reason}")


# --- evaluations every 6 weeks -----------------------------------------------------------------

def test_an_evaluation_due_on_the_peildatum_is_upcoming_and_late_the_day_after():
    plan = day_of(7)
    due = plan + timedelta(weeks=6)
    assert findings(case(), due, "evaluatie") == []
    [upcoming] = deadlines(case(), due, "evaluatie")
    assert upcoming.day == due
    [late] = findings(case(), due + DAY, "evaluatie")
    assert "de volgende moest er uiterlijk 31 maart 2025 zijn" in late.message and late.day == due


def test_an_evaluation_held_on_the_peildatum_counts_and_sets_the_next_one():
    held = day_of(12)
    [upcoming] = deadlines(case(evaluations=(m.Evaluation(held),)), held, "evaluatie")
    assert upcoming.day == held + timedelta(weeks=6)


def test_an_evaluation_due_on_the_last_day_of_the_waiting_period_is_listed_one_after_it_is_not():
    last = last_of(104) - timedelta(weeks=6)
    [due] = deadlines(case(evaluations=(m.Evaluation(last),)), last + DAY, "evaluatie")
    assert due.day == last_of(104)
    assert deadlines(case(evaluations=(m.Evaluation(last + DAY),)), last + 2 * DAY, "evaluatie") == []


def test_an_eindevaluatie_held_on_the_peildatum_ends_the_evaluations_one_planned_for_tomorrow_does_not():
    # After week 104 the eindevaluatie is no evaluation moment of its own: only its date stops the cycle.
    held = day_of(105)
    assert findings(case(eindevaluatie_date=held), held, "evaluatie") == []
    [overdue] = findings(case(eindevaluatie_date=held + DAY), held, "evaluatie")
    assert "is er geen evaluatie vastgelegd" in overdue.message


@pytest.mark.parametrize("gap, words", [(timedelta(weeks=7), "zaten 7 weken;"),
                                        (timedelta(weeks=6, days=1), "zaten 6 weken en 1 dag;"),
                                        (timedelta(weeks=6, days=2), "zaten 6 weken en 2 dagen;")])
def test_a_gap_between_evaluations_is_said_in_weeks_and_days(gap, words):
    [finding] = findings(case(evaluations=(m.Evaluation(day_of(7) + gap),)), day_of(7) + gap, "evaluatie")
    assert words in finding.message


# --- eindevaluatie: weeks 87-91, not before the actueel oordeel ---------------------------------

def test_eindevaluatie_on_the_first_day_of_week_87_is_in_time_the_day_before_is_early():
    c = case(actueel_oordeel_date=day_of(86))
    assert findings(replace(c, eindevaluatie_date=day_of(87)), day_of(92), "eindevaluatie") == []
    [early] = findings(replace(c, eindevaluatie_date=day_of(87) - DAY), day_of(92), "eindevaluatie")
    assert early.message.startswith("De eindevaluatie was vroeg, op 30 augustus 2026 (week 86)")


def test_eindevaluatie_on_the_day_of_the_actueel_oordeel_builds_on_it():
    oordeel = day_of(88, 2)
    assert findings(case(actueel_oordeel_date=oordeel, eindevaluatie_date=oordeel), day_of(92), "eindevaluatie") == []
    [before] = findings(case(actueel_oordeel_date=oordeel, eindevaluatie_date=oordeel - DAY), day_of(92),
                        "eindevaluatie")
    assert "vóór het actueel oordeel" in before.message


# --- where a finding points, and in which order ------------------------------------------------

def test_a_dossier_finding_points_at_the_row_of_its_label():
    sources = {"probleemanalyse_date": m.Source("t.xlsx", "Dossier", 7)}
    [late] = findings(case(probleemanalyse_date=day_of(7), sources=sources), day_of(9), "probleemanalyse")
    assert (late.sheet, late.row, late.label) == ("Dossier", 7, "Datum probleemanalyse")


def test_findings_on_table_rows_point_at_their_row():
    application = m.Application(day_of(60), "Bakkerij", "Verkoper", proof=None, discussed_with_coach=False,
                                source=m.Source("t.xlsx", "Sollicitaties", 5))
    bijstelling = m.Bijstelling(day_of(20), "Meer uren", employer_view="eens",
                                source=m.Source("t.xlsx", "Bijstellingen", 4))
    result = findings(case(applications=(application,), bijstellingen=(bijstelling,)), day_of(61))
    rows = {(f.rule, f.sheet, f.row, f.column) for f in result}
    assert ("sollicitatie-bewijs", "Sollicitaties", 5, "Bewijs") in rows
    assert ("sollicitatie-coach", "Sollicitaties", 5, "Besproken met coach") in rows
    assert ("visie", "Bijstellingen", 4, "Visie werknemer") in rows


def test_findings_are_in_date_order_even_when_their_rules_run_in_another_order():
    c = case(employer_view=None, uwv_notification_date=day_of(44))
    rules_in_order = [f.rule for f in findings(c, day_of(45)) if f.rule in ("visie", "melding-uwv")]
    assert rules_in_order == ["visie", "melding-uwv"]  # week 7 before week 44


# --- the wage rules of thumb -------------------------------------------------------------------

def test_wage_findings_name_the_thresholds_in_whole_percents():
    c = case(monthly_wage=3000, zoekprofiel=(m.ZoekprofielFunction(1, "A", indicated_monthly_wage=2000),),
             eindevaluatie=m.Eindevaluatie(date=day_of(88), new_monthly_wage=1500))
    [profile] = findings(c, day_of(89), "passend-werk")
    assert "Dat is meer dan 30 %, dus volgens de vuistregel geen passend werk." in profile.message
    [wage] = findings(c, day_of(89), "verdiencapaciteit")
    assert ("minder dan de 65 % die volgens de vuistregel van UWV een bevredigend resultaat is. Een WIA-aanvraag ligt "
            "voor de hand.") in wage.message


@pytest.mark.parametrize("old, new, ratio", [(0.01, 0.01, Decimal("1.000")), (3000, 1950, Decimal("0.650"))])
def test_a_wage_check_needs_a_positive_old_wage(old, new, ratio):
    assert measures.wage_check(old, new).ratio == ratio
    assert measures.wage_check(0, new) is None  # no division by zero
    assert measures.wage_check(-old, new) is None


# --- applications per week ---------------------------------------------------------------------

def applications_case(days: list[date], agreed: int | None) -> m.Case:
    return case(applications_per_week=agreed,
                applications=tuple(m.Application(d, "E", "F") for d in sorted(days)))


def test_without_an_agreed_number_or_without_applications_no_week_is_counted():
    summary = measures.application_summary(applications_case([day_of(60)], agreed=None))
    assert (summary.total, summary.weeks, summary.share_met) == (1, (), None)
    assert measures.weekly_counts(applications_case([], agreed=2)) == ()


def test_weeks_met_counts_the_weeks_that_reached_the_agreement():
    summary = measures.application_summary(applications_case([day_of(60), day_of(61), day_of(61, 1)], agreed=1))
    assert [(w.week, w.count, w.met) for w in summary.weeks] == [(60, 1, True), (61, 2, True)]
    assert summary.weeks_met == 2 and summary.share_met == Decimal("1.000")
    summary = measures.application_summary(applications_case([day_of(60), day_of(62), day_of(63)], agreed=1))
    assert summary.weeks_met == 3 and summary.share_met == Decimal("0.750")


# --- the eerstejaarsevaluatie from the Evaluaties sheet ----------------------------------------

def test_the_eerstejaarsevaluatie_row_of_evaluaties_counts_not_an_earlier_periodic_one():
    c = case(evaluations=(m.Evaluation(day_of(40), m.EvaluationKind.PERIODIEK),
                          m.Evaluation(day_of(50), m.EvaluationKind.EERSTEJAARSEVALUATIE)))
    assert measures.eerstejaarsevaluatie_date(c) == day_of(50)
    assert findings(c, day_of(54), "eerstejaarsevaluatie") == []


# --- the trajectory the trajectplan shows ------------------------------------------------------

def test_a_tweede_spoor_without_an_end_is_shown_for_half_a_year():
    start = day_of(55)
    shown = measures.trajectory(case(tweede_spoor_start=start))
    assert (shown.start, shown.end, shown.chart_start, shown.chart_end) == \
        (start, None, start, start + timedelta(days=182))


def test_the_trajectory_runs_from_the_earliest_activity_to_the_stated_end():
    start, end = day_of(55), day_of(70)
    interventions = (m.Intervention(m.Phase.PERSOONSGERICHT, "Intake", start=start - timedelta(days=3)),
                     m.Intervention(m.Phase.WERKGERICHT, "Stage"))  # no dates yet
    shown = measures.trajectory(case(tweede_spoor_start=start, tweede_spoor_end=end, interventions=interventions))
    assert (shown.chart_start, shown.chart_end, shown.end) == (start - timedelta(days=3), end, end)
