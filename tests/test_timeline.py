"""The Poortwachter timeline check: each rule at its edges, against the peildatum."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from pipeline import model as m
from pipeline.intake import contract
from pipeline.checks import law as rules
from pipeline.errors import Severity
from pipeline.checks.timeline import check_timeline

FIRST = date(2025, 1, 6)  # a Monday: week N runs Monday to Sunday


def day_of(week: int, offset: int = 0) -> date:
    return rules.first_day_of_week(FIRST, week) + timedelta(days=offset)


def last_of(week: int) -> date:
    return rules.last_day_of_week(FIRST, week)


def case(**changes) -> m.Case:
    base = m.Case(
        dossiernummer="T", employee_name="Anna", job_title="X", employer="Y", first_sick_day=FIRST,
        plan_van_aanpak_date=day_of(7), goal="Terug", spoor=m.Spoor.EEN, probleemanalyse_date=day_of(5),
        employer_view="ja", employee_view="ja", source_file="t.xlsx", labels=contract.DOSSIER_LABELS,
    )
    return replace(base, **changes)


def findings(c: m.Case, peildatum: date, rule: str | None = None):
    result = check_timeline(c, peildatum)
    return [f for f in result.findings if rule is None or f.rule == rule]


def deadlines(c: m.Case, peildatum: date, rule: str):
    return [d for d in check_timeline(c, peildatum).deadlines if d.rule == rule]


# --- probleemanalyse by week 6 ---------------------------------------------------------------

def test_probleemanalyse_on_the_last_day_of_week_6_is_in_time_the_day_after_late():
    assert findings(case(probleemanalyse_date=last_of(6), plan_van_aanpak_date=last_of(6)), day_of(8),
                    "probleemanalyse") == []
    [late] = findings(case(probleemanalyse_date=last_of(6) + timedelta(days=1),
                           plan_van_aanpak_date=last_of(7)), day_of(8), "probleemanalyse")
    assert late.week == 7 and late.severity is Severity.WARNING
    assert late.message == ("Probleemanalyse te laat: 17 februari 2025 (week 7); uiterlijk week 6 (16 februari "
                            "2025). Leg in het dossier vast waarom het later was.")
    assert (late.sheet, late.label) == ("Dossier", "Datum probleemanalyse")


def test_missing_probleemanalyse_is_upcoming_until_week_6_ends_then_late():
    c = case(probleemanalyse_date=None)
    [upcoming] = deadlines(c, last_of(6), "probleemanalyse")
    assert (upcoming.week, upcoming.day) == (6, date(2025, 2, 16))
    assert findings(c, last_of(6), "probleemanalyse") == []
    [late] = findings(c, last_of(6) + timedelta(days=1), "probleemanalyse")
    assert "ontbreekt" in late.message and "Vraag de bedrijfsarts" in late.message


# --- plan van aanpak: week 8, or 2 weeks after the probleemanalyse, whichever is earlier --------

def test_plan_by_week_8_when_that_is_the_stricter():
    assert findings(case(probleemanalyse_date=day_of(6, 6), plan_van_aanpak_date=last_of(8)), day_of(9),
                    "plan-van-aanpak") == []
    [late] = findings(case(probleemanalyse_date=day_of(6, 6), plan_van_aanpak_date=last_of(8) + timedelta(days=1)),
                      day_of(10), "plan-van-aanpak")
    assert late.week == 9 and "uiterlijk week 8 (2 maart 2025)" in late.message


def test_plan_within_two_weeks_after_an_early_probleemanalyse():
    pa = day_of(3)  # 20 January 2025: two weeks later is 3 February, well before week 8
    assert findings(case(probleemanalyse_date=pa, plan_van_aanpak_date=pa + timedelta(days=14)), day_of(9),
                    "plan-van-aanpak") == []
    [late] = findings(case(probleemanalyse_date=pa, plan_van_aanpak_date=pa + timedelta(days=15)), day_of(9),
                      "plan-van-aanpak")
    assert "2 weken na de probleemanalyse (3 februari 2025), wat eerder is dan week 8" in late.message


def test_plan_in_week_11_and_tweede_spoor_in_week_64_without_reason():
    c = case(plan_van_aanpak_date=day_of(11, 2), eerstejaarsevaluatie_date=day_of(51), tweede_spoor_start=day_of(64),
             spoor=m.Spoor.BEIDE, coach_contact_weeks=3,
             evaluations=tuple(m.Evaluation(day_of(w, 2)) for w in range(17, 64, 6)))
    result = findings(c, day_of(70))
    plan = next(f for f in result if f.rule == "plan-van-aanpak")
    spoor = next(f for f in result if f.rule == "tweede-spoor")
    assert plan.week == 11 and "Plan van aanpak te laat: 19 maart 2025 (week 11)" in plan.message
    assert spoor.week == 64 and spoor.severity is Severity.WARNING
    assert spoor.message.startswith("Tweede spoor gestart op 23 maart 2026 (week 64); het moest uiterlijk 6 weken na "
                                    "de eerstejaarsevaluatie (2 februari 2026), wat eerder is dan week 58")
    assert "vul 'Reden uitstel tweede spoor' in" in spoor.message


# --- tweede spoor: 6 weeks after the eerstejaarsevaluatie, week 58 at the latest ----------------

def test_tweede_spoor_six_weeks_after_an_early_eerstejaarsevaluatie():
    eje = day_of(46)
    c = case(eerstejaarsevaluatie_date=eje, tweede_spoor_start=eje + timedelta(weeks=6), coach_contact_weeks=3)
    assert findings(c, day_of(60), "tweede-spoor") == []
    [late] = findings(replace(c, tweede_spoor_start=eje + timedelta(weeks=6, days=1)), day_of(60), "tweede-spoor")
    assert "6 weken na de eerstejaarsevaluatie" in late.message and late.week == 52


def test_tweede_spoor_by_week_58_when_that_is_stricter():
    c = case(eerstejaarsevaluatie_date=day_of(53), tweede_spoor_start=last_of(58), coach_contact_weeks=3)
    assert findings(c, day_of(60), "tweede-spoor") == []
    [late] = findings(replace(c, tweede_spoor_start=last_of(58) + timedelta(days=1)), day_of(60), "tweede-spoor")
    assert "uiterlijk week 58 (15 februari 2026)" in late.message


def test_late_tweede_spoor_with_a_reason_is_noted_not_warned():
    c = case(tweede_spoor_start=day_of(64), tweede_spoor_delay_reason="Terugkeer in eigen werk binnen 3 maanden",
             coach_contact_weeks=3)
    [noted] = findings(c, day_of(66), "tweede-spoor")
    assert noted.severity is Severity.NOTE
    assert noted.message.endswith("Reden van uitstel: Terugkeer in eigen werk binnen 3 maanden")


def test_tweede_spoor_upcoming_while_week_58_is_ahead():
    [upcoming] = deadlines(case(), day_of(30), "tweede-spoor")
    assert (upcoming.week, upcoming.day) == (58, date(2026, 2, 15))


# --- evaluations at most 6 weeks apart ---------------------------------------------------------

def test_evaluations_exactly_six_weeks_apart_are_fine_one_day_more_is_not():
    plan = day_of(7)
    ok = case(evaluations=(m.Evaluation(plan + timedelta(weeks=6)),))
    assert findings(ok, plan + timedelta(weeks=7), "evaluatie") == []
    gap = case(evaluations=(m.Evaluation(plan + timedelta(weeks=6, days=1)),))
    [late] = findings(gap, plan + timedelta(weeks=7), "evaluatie")
    assert "zaten 6 weken en 1 dag" in late.message and late.sheet == "Evaluaties"


def test_no_evaluation_since_more_than_six_weeks():
    [late] = findings(case(), day_of(7) + timedelta(weeks=6, days=1), "evaluatie")
    assert late.message.startswith("Sinds 17 februari 2025 (week 7) is er geen evaluatie vastgelegd")
    [upcoming] = deadlines(case(), day_of(8), "evaluatie")
    assert upcoming.day == day_of(13)


# --- melding UWV, eerstejaarsevaluatie ---------------------------------------------------------

def test_melding_uwv_by_week_42():
    assert findings(case(uwv_notification_date=last_of(42)), day_of(43), "melding-uwv") == []
    [late] = findings(case(uwv_notification_date=last_of(42) + timedelta(days=1)), day_of(44), "melding-uwv")
    assert late.week == 43


@pytest.mark.parametrize("week, offset, problem", [(45, 6, "te vroeg"), (46, 0, None), (52, 6, None),
                                                   (53, 0, "te laat")])
def test_eerstejaarsevaluatie_in_weeks_46_to_52(week, offset, problem):
    result = findings(case(eerstejaarsevaluatie_date=day_of(week, offset)), day_of(54), "eerstejaarsevaluatie")
    if problem is None:
        assert result == []
    else:
        assert problem in result[0].message


# --- coach contact, applications, views --------------------------------------------------------

def test_coach_contact_at_least_every_three_weeks_once_the_tweede_spoor_runs():
    running = case(tweede_spoor_start=day_of(50), eerstejaarsevaluatie_date=day_of(48))
    assert "geen contactfrequentie" in findings(running, day_of(51), "coach-contact")[0].message
    assert "elke 4 weken" in findings(replace(running, coach_contact_weeks=4), day_of(51), "coach-contact")[0].message
    assert findings(replace(running, coach_contact_weeks=3), day_of(51), "coach-contact") == []
    assert findings(case(tweede_spoor_start=day_of(60)), day_of(51), "coach-contact") == []  # not started yet


def test_every_week_below_the_agreement_and_missing_proof_are_findings():
    apps = (m.Application(day_of(60), "A", "F", proof="mail", discussed_with_coach=True),
            m.Application(day_of(60, 2), "B", "F", proof=None, discussed_with_coach=False),
            m.Application(day_of(62), "C", "F", proof="mail", discussed_with_coach=True))
    result = findings(case(applications=apps, applications_per_week=2), day_of(63))
    weekly = [f for f in result if f.rule == "sollicitaties-per-week"]
    assert [(f.week, f.message) for f in weekly] == [
        (61, "Week 61 (2 maart – 8 maart 2026): 0 sollicitaties, afgesproken 2. Bespreek dit met de werknemer en "
             "leg de reden vast."),
        (62, "Week 62 (9 maart – 15 maart 2026): 1 sollicitatie, afgesproken 2. Bespreek dit met de werknemer en "
             "leg de reden vast."),
    ]
    assert [f.rule for f in result if f.rule.startswith("sollicitatie-")] == ["sollicitatie-bewijs",
                                                                              "sollicitatie-coach"]


def test_views_required_for_plans_and_bijstellingen_from_july_2023():
    old = case(plan_van_aanpak_date=date(2023, 6, 30), first_sick_day=date(2023, 5, 15), probleemanalyse_date=None,
               employer_view=None, employee_view=None)
    assert findings(old, date(2023, 7, 10), "visie") == []
    new = replace(old, plan_van_aanpak_date=date(2023, 7, 1), bijstellingen=(
        m.Bijstelling(date(2023, 6, 30), "oud"), m.Bijstelling(date(2023, 7, 1), "nieuw", employer_view="ok")))
    messages = [(f.sheet, f.label or f.column) for f in findings(new, date(2023, 7, 10), "visie")]
    assert messages == [("Dossier", "Visie werkgever"), ("Dossier", "Visie werknemer"),
                        ("Bijstellingen", "Visie werknemer")]


# --- actueel oordeel, eindevaluatie, bundle, end of waiting period -----------------------------

def test_eindevaluatie_in_weeks_87_to_91_and_not_before_the_actueel_oordeel():
    c = case(actueel_oordeel_date=day_of(88), eindevaluatie_date=day_of(87))
    messages = [f.message for f in findings(c, day_of(92), "eindevaluatie")]
    assert any("vóór het actueel oordeel" in x for x in messages)
    assert findings(case(actueel_oordeel_date=day_of(87), eindevaluatie_date=last_of(91)), day_of(92),
                    "eindevaluatie") == []
    assert "Eindevaluatie vroeg" in findings(case(eindevaluatie_date=last_of(86)), day_of(88), "eindevaluatie")[0].message
    [late] = findings(case(), last_of(91) + timedelta(days=1), "eindevaluatie")
    assert "ontbreekt" in late.message and late.week == 91


def test_actueel_oordeel_by_week_91():
    [upcoming] = deadlines(case(), day_of(80), "actueel-oordeel")
    assert upcoming.week == 91 and upcoming.day == last_of(91)
    assert findings(case(actueel_oordeel_date=last_of(91)), day_of(92), "actueel-oordeel") == []


def test_incomplete_bundle_is_upcoming_then_late_after_week_91():
    from pipeline.bundle.index import assemble

    c = case(actueel_oordeel_date=None)
    [upcoming] = [d for d in assemble(c, ("plan-van-aanpak.docx",), last_of(91)).deadlines if d.rule == "wia-bundel"]
    assert upcoming.week == 91 and "actueel oordeel" in upcoming.what
    [late] = [f for f in assemble(c, ("plan-van-aanpak.docx",), last_of(91) + timedelta(days=1)).findings
              if f.rule == "wia-bundel"]
    assert "actueel oordeel" in late.message and late.message.startswith("De WIA-bundel is niet compleet")
    assert not [f for f in check_timeline(c, last_of(91) + timedelta(days=1)).findings if f.rule == "wia-bundel"]


def test_end_of_waiting_period_is_always_a_deadline_until_it_passes():
    [end] = deadlines(case(), day_of(10), "einde-wachttijd")
    assert end.week == 104 and end.day == date(2027, 1, 3)
    assert deadlines(case(), date(2027, 1, 4), "einde-wachttijd") == []


def test_week_count_across_a_leap_year():
    first = date(2023, 3, 6)  # week 52 ends on 3 March 2024, after 29 February
    c = case(first_sick_day=first, plan_van_aanpak_date=first + timedelta(days=40), probleemanalyse_date=None)
    [eje] = deadlines(c, first + timedelta(days=100), "eerstejaarsevaluatie")
    assert eje.day == date(2024, 3, 3)
    assert rules.week_number(first, date(2024, 2, 29)) == 52


# --- suitable work -----------------------------------------------------------------------------

def test_zoekprofiel_more_than_30_percent_below_is_a_finding_at_the_cell():
    source = m.Source("t.xlsx", "Zoekprofiel", 3, {})
    c = case(monthly_wage=3000, zoekprofiel=(m.ZoekprofielFunction(1, "A", indicated_monthly_wage=2100),
                                             m.ZoekprofielFunction(2, "B", indicated_monthly_wage=2099.99,
                                                                   source=source)))
    [finding] = findings(c, day_of(10), "passend-werk")
    assert (finding.sheet, finding.row, finding.column) == ("Zoekprofiel", 3, "Indicatie maandloon")
    assert "rang 2 (B)" in finding.message


def test_new_wage_under_65_percent_is_a_finding():
    final = m.Eindevaluatie(date=day_of(88), new_monthly_wage=1949)
    [finding] = findings(case(monthly_wage=3000, eindevaluatie=final), day_of(89), "verdiencapaciteit")
    assert "64,9 %" in finding.message
    assert findings(case(monthly_wage=3000, eindevaluatie=replace(final, new_monthly_wage=1950)), day_of(89),
                    "verdiencapaciteit") == []


def test_findings_are_in_date_order():
    c = case(probleemanalyse_date=None, plan_van_aanpak_date=day_of(12))
    days = [f.day for f in findings(c, day_of(14)) if f.day]
    assert days == sorted(days)
