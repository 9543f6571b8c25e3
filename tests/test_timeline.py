"""The Poortwachter timeline check: each rule at its edges, against the peildatum."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline import model as m
from pipeline.checks.timeline import check_timeline
from pipeline.errors import Severity
from pipeline.intake import contract
from pipeline.model import Calendar

FIRST = date(2025, 1, 6)  # a Monday: week N runs Monday to Sunday


def day_of(week: int, offset: int = 0) -> date:
    return Calendar(FIRST).start_of_week(week) + timedelta(days=offset)


def last_of(week: int) -> date:
    return Calendar(FIRST).end_of_week(week)


def case(**changes) -> m.Case:
    base = m.Case(
        dossiernummer="T", employee_name="Anna", job_title="X", employer="Y", first_sick_day=FIRST,
        plan_van_aanpak_date=day_of(7), goal="Terug", spoor=m.Spoor.EEN, probleemanalyse_date=day_of(5),
        employer_view="ja", employee_view="ja", source_file="t.xlsx", labels=contract.DOSSIER_LABELS,
        people=(m.Person(m.Rol.ARBEIDSDESKUNDIGE, "Fatima Ouali"),),
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
    assert late.message == ("Probleemanalyse kwam te laat, op 17 februari 2025 (week 7); de termijn was uiterlijk "
                            "week 6 (16 februari 2025). Leg in het dossier vast waarom het later was.")
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
             spoor=m.Spoor.EEN, bijstellingen=(m.Bijstelling(day_of(51), "Tweede spoor", spoor=m.Spoor.BEIDE,
                                                            employer_view="ja", employee_view="ja"),),
             coach_contact_weeks=3,
             evaluations=tuple(m.Evaluation(day_of(w, 2)) for w in range(17, 64, 6)))
    result = findings(c, day_of(70))
    plan = next(f for f in result if f.rule == "plan-van-aanpak")
    spoor = next(f for f in result if f.rule == "tweede-spoor")
    assert plan.week == 11 and "Het plan van aanpak kwam te laat, op 19 maart 2025 (week 11)" in plan.message
    assert spoor.week == 64 and spoor.severity is Severity.WARNING
    assert spoor.message.startswith("Het tweede spoor is te laat gestart, op 23 maart 2026 (week 64); de termijn was "
                                    "uiterlijk 6 weken na de eerstejaarsevaluatie (2 februari 2026), wat eerder is "
                                    "dan week 58")
    # It has started: the advice is to record why it was late, not to start it.
    assert "Leg in het dossier vast waarom het later startte" in spoor.message
    assert "Start het tweede spoor" not in spoor.message


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

def test_melding_uwv_by_the_first_working_day_after_week_42():
    # FIRST is a Monday: week 42 ends on Sunday 26 October 2025, the first working day after is the Monday.
    assert findings(case(uwv_notification_date=last_of(42) + timedelta(days=1)), day_of(44), "melding-uwv") == []
    [late] = findings(case(uwv_notification_date=last_of(42) + timedelta(days=2)), day_of(44), "melding-uwv")
    assert late.week == 43 and "uiterlijk de eerste werkdag na week 42 (27 oktober 2025)" in late.message
    [upcoming] = deadlines(case(), day_of(40), "melding-uwv")
    assert upcoming.day == date(2025, 10, 27)


def test_melding_uwv_after_a_week_ending_on_friday_is_due_on_monday():
    saturday = date(2025, 1, 4)  # week 42 runs Saturday to Friday 24 October 2025
    c = case(first_sick_day=saturday, probleemanalyse_date=None, plan_van_aanpak_date=saturday + timedelta(days=40))
    [upcoming] = deadlines(c, saturday + timedelta(days=100), "melding-uwv")
    assert upcoming.day == date(2025, 10, 27)
    assert findings(replace(c, uwv_notification_date=date(2025, 10, 27)), date(2025, 11, 1), "melding-uwv") == []
    assert findings(replace(c, uwv_notification_date=date(2025, 10, 28)), date(2025, 11, 1), "melding-uwv")


def test_melding_uwv_after_a_week_ending_on_thursday_is_due_on_friday():
    friday = date(2025, 1, 3)  # week 42 runs Friday to Thursday 23 October 2025
    c = case(first_sick_day=friday, probleemanalyse_date=None, plan_van_aanpak_date=friday + timedelta(days=40))
    [upcoming] = deadlines(c, friday + timedelta(days=100), "melding-uwv")
    assert upcoming.day == date(2025, 10, 24)
    assert findings(replace(c, uwv_notification_date=date(2025, 10, 25)), date(2025, 11, 1), "melding-uwv")


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
        (61, "Week 61 (2–8 maart 2026) telt 0 sollicitaties, terwijl er 2 per week zijn afgesproken. Bespreek dit "
             "met de werknemer en leg de reden vast op de sheet Weektoelichting."),
        (62, "Week 62 (9–15 maart 2026) telt 1 sollicitatie, terwijl er 2 per week zijn afgesproken. Bespreek dit "
             "met de werknemer en leg de reden vast op de sheet Weektoelichting."),
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
    early = findings(case(eindevaluatie_date=last_of(86)), day_of(88), "eindevaluatie")[0]
    assert "De eindevaluatie was vroeg" in early.message
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
    assert Calendar(first).week_of(date(2024, 2, 29)) == 52


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


# --- tweede spoor: within 6 weeks after the decision, and the arbeidsdeskundig onderzoek ---------

def test_tweede_spoor_within_six_weeks_after_the_decision():
    decision = day_of(20, 3)
    c = case(tweede_spoor_decision_date=decision, tweede_spoor_start=decision + timedelta(weeks=6),
             coach_contact_weeks=3)
    assert findings(c, day_of(30), "tweede-spoor") == []
    [late] = findings(replace(c, tweede_spoor_start=decision + timedelta(weeks=6, days=1)), day_of(30),
                      "tweede-spoor")
    assert late.message.startswith("Het tweede spoor is te laat gestart, op 4 juli 2025 (week 26); de termijn was "
                                   "uiterlijk 6 weken na het besluit tot een tweede spoor op 22 mei 2025 (3 juli "
                                   "2025), wat eerder is dan week 58.")
    [upcoming] = deadlines(replace(c, tweede_spoor_start=None), day_of(21), "tweede-spoor")
    assert upcoming.day == decision + timedelta(weeks=6)


def test_spoor_2_chosen_in_the_plan_is_the_decision_when_no_date_is_given():
    c = case(spoor=m.Spoor.TWEE, plan_van_aanpak_date=day_of(8), tweede_spoor_start=day_of(55),
             coach_contact_weeks=3)
    [late] = findings(c, day_of(56), "tweede-spoor")
    assert "6 weken na de keuze voor spoor 2 in het plan van aanpak van 24 februari 2025 (7 april 2025)" in late.message
    chosen_later = replace(c, spoor=m.Spoor.EEN, bijstellingen=(
        m.Bijstelling(day_of(50), "spoor 2", spoor=m.Spoor.BEIDE, employer_view="ja", employee_view="ja"),))
    assert findings(chosen_later, day_of(56), "tweede-spoor") == []
    [late] = findings(replace(chosen_later, tweede_spoor_start=day_of(57)), day_of(58), "tweede-spoor")
    assert "6 weken na de keuze voor spoor 2 in de bijstelling van 15 december 2025" in late.message


def test_the_stricter_of_the_eerstejaarsevaluatie_and_the_decision_applies():
    c = case(eerstejaarsevaluatie_date=day_of(47), tweede_spoor_decision_date=day_of(49),
             tweede_spoor_start=day_of(53, 1), coach_contact_weeks=3)
    [late] = findings(c, day_of(56), "tweede-spoor")
    assert "6 weken na de eerstejaarsevaluatie" in late.message
    c = replace(c, eerstejaarsevaluatie_date=day_of(52))
    [late] = findings(replace(c, tweede_spoor_start=day_of(55, 1)), day_of(56), "tweede-spoor")
    assert "6 weken na het besluit tot een tweede spoor" in late.message


def test_spoor_2_without_an_arbeidsdeskundig_onderzoek_is_a_warning():
    c = case(people=(), spoor=m.Spoor.EEN, tweede_spoor_decision_date=day_of(50), tweede_spoor_start=day_of(52),
             coach_contact_weeks=3)
    [warning] = findings(c, day_of(53), "tweede-spoor")
    assert warning.severity is Severity.WARNING and warning.week == 50
    assert warning.message.startswith("Spoor 2 is gekozen op 15 december 2025 (week 50) zonder arbeidsdeskundig "
                                      "onderzoek in het dossier")
    assert findings(replace(c, people=(m.Person(m.Rol.ARBEIDSDESKUNDIGE, "Ad"),)), day_of(53), "tweede-spoor") == []
    report = m.BundleItem(m.BundleDocument.ARBEIDSDESKUNDIG_RAPPORT, Path("ad.pdf"), day_of(45))
    assert findings(replace(c, bundle=(report,)), day_of(53), "tweede-spoor") == []
    assert findings(replace(c, tweede_spoor_decision_date=None, tweede_spoor_start=None), day_of(53),
                    "tweede-spoor") == []  # spoor 1 only


# --- applications per week, from the start of the tweede spoor --------------------------------

def spoor(**changes) -> m.Case:
    """A tweede spoor from the first day of week 60, two applications a week agreed."""
    return case(**{"tweede_spoor_start": day_of(60), "eerstejaarsevaluatie_date": day_of(50),
                   "coach_contact_weeks": 3, "applications_per_week": 2, **changes})


def app(week: int, offset: int = 0, **changes) -> m.Application:
    return m.Application(day_of(week, offset), changes.pop("employer", f"Werkgever {week}-{offset}"),
                         changes.pop("function", "Planner"), proof="mail", discussed_with_coach=True, **changes)


def weeks_below(c: m.Case, peildatum: date) -> list[int]:
    return [f.week for f in findings(c, peildatum, "sollicitaties-per-week")]


def test_weeks_without_any_application_count_from_the_start_of_the_tweede_spoor():
    c = spoor(applications=(app(60), app(60, 1), app(61), app(61, 3)))
    assert weeks_below(c, day_of(66)) == [62, 63, 64, 65]  # stopped applying after week 61


def test_the_running_week_is_judged_only_once_it_has_ended():
    c = spoor(applications=(app(60), app(60, 1)))
    assert weeks_below(c, last_of(61)) == []  # week 61 runs until its last day
    assert weeks_below(c, last_of(61) + timedelta(days=1)) == [61]
    assert weeks_below(spoor(), day_of(60)) == []  # a week that started this morning


def test_applications_end_with_hire_or_the_end_of_the_tweede_spoor():
    hired = spoor(applications=(app(60), app(60, 1), app(61, 2, result=m.ApplicationResult.AANGENOMEN)))
    assert weeks_below(hired, day_of(70)) == []  # week 61 is cut short by the hire
    ended = spoor(tweede_spoor_end=last_of(62), applications=(app(60), app(60, 1)))
    assert weeks_below(ended, day_of(70)) == [61, 62]
    assert weeks_below(replace(ended, tweede_spoor_end=last_of(62) - timedelta(days=1)), day_of(70)) == [61]


def test_applications_count_from_the_day_the_agreement_was_made():
    agreement = m.Agreement("Twee sollicitaties per week", "Anna", agreed_on=day_of(63))
    c = spoor(agreements=(agreement,), applications=(app(63), app(63, 2)))
    assert weeks_below(c, day_of(66)) == [64, 65]
    late_start = replace(c, agreements=(replace(agreement, agreed_on=day_of(63, 1)),))
    assert weeks_below(late_start, day_of(66)) == [64, 65]  # week 63 only in part: not judged


def test_a_week_with_a_toelichting_is_a_note_with_its_text():
    c = spoor(applications=(app(60), app(60, 1), app(61)),
              week_notes=(m.WeekNote(day_of(61, 4), "Cursus werkvoorbereiding"),))
    [note] = findings(c, day_of(62), "sollicitaties-per-week")
    assert note.severity is Severity.NOTE and note.sheet == "Weektoelichting"
    assert note.message == ("Week 61 (2–8 maart 2026) telt 1 sollicitatie, terwijl er 2 per week zijn afgesproken. "
                            "Toelichting: Cursus werkvoorbereiding")


# --- applications against the zoekprofiel ------------------------------------------------------

ZOEKPROFIEL = (m.ZoekprofielFunction(1, "Planner thuiszorg", indicated_monthly_wage=2650),
               m.ZoekprofielFunction(2, "Klantcontactmedewerker zorgverzekeraar", indicated_monthly_wage=2300),
               m.ZoekprofielFunction(3, "Gastvrouw receptie", indicated_monthly_wage=1850))


def on_profile(applications, **changes) -> list:
    c = spoor(zoekprofiel=ZOEKPROFIEL, monthly_wage=2850, applications=tuple(applications), **changes)
    return [f for f in findings(c, day_of(70), "sollicitatie-zoekprofiel")]


@pytest.mark.parametrize("on, finding", [(49, True), (50, False)])
def test_49_of_100_applications_on_the_profile_is_too_few_50_is_enough(on, finding):
    applications = [app(60 + i % 10, employer=f"Werkgever {i}", function="Planner thuiszorg" if i < on else "Kok")
                    for i in range(100)]
    assert bool([f for f in on_profile(applications) if f.severity is Severity.WARNING]) is finding


def test_half_of_the_applications_on_the_profile_is_enough_fewer_is_a_finding():
    half = [app(60, function="planner"), app(60, 1, function="Kok"), app(61, function="Klantcontact medewerker zorg"),
            app(61, 1, function="Kok")]
    assert on_profile(half) == []
    [finding] = on_profile(half[:1] + [app(60, 1, function="Kok"), app(61, function="Schilder")])
    assert finding.severity is Severity.WARNING
    assert finding.message.startswith("Tot en met 2 maart 2026 (week 61) is 1 van de 3 sollicitaties in het tweede "
                                      "spoor (33,3 %) gericht op een functie uit het zoekprofiel")


def test_the_zoekprofiel_column_decides_before_the_function_name():
    ranked = [app(60, function="Roosterplanner", zoekprofiel_rank=1), app(60, 1, function="Kok")]
    assert on_profile(ranked) == []
    [unknown] = on_profile([app(60, function="Planner", zoekprofiel_rank=4), app(60, 1, function="Planner thuiszorg")])
    assert "zoekprofiel rang 4" in unknown.message and unknown.column == "Zoekprofiel"


def test_applications_to_a_function_that_fails_the_30_percent_test():
    apps = [app(60, function="Planner thuiszorg"), app(60, 1, function="Gastvrouw receptie"),
            app(61, function="gastvrouw receptie"), app(61, 1, function="Planner thuiszorg")]
    [finding] = on_profile(apps)
    assert finding.message.startswith("2 sollicitaties (24 februari – 2 maart 2026) gingen naar Gastvrouw receptie, "
                                      "zoekprofiel rang 3. De indicatie maandloon van €\u00a01.850,00 ligt 35,1 % "
                                      "onder het oude maandloon")
    suitable = (replace(ZOEKPROFIEL[2], indicated_monthly_wage=1995),)  # exactly 30 % lower
    c = spoor(zoekprofiel=ZOEKPROFIEL[:2] + suitable, monthly_wage=2850, applications=tuple(apps))
    assert findings(c, day_of(70), "sollicitatie-zoekprofiel") == []


def test_a_third_application_to_the_same_vacancy_is_a_note():
    twice = [app(60, employer="Careyn", function="Planner thuiszorg"),
             app(61, employer="careyn ", function="Planner Thuiszorg"), app(61, 1), app(60, 1)]
    assert on_profile(twice) == []
    [note] = on_profile(twice + [app(62, employer="Careyn", function="Planner thuiszorg"), app(62, 1)])
    assert note.severity is Severity.NOTE and note.week == 62
    assert note.message.startswith("3 sollicitaties bij Careyn als Planner thuiszorg (23 februari – 9 maart 2026); "
                                   "UWV telt een herhaalde sollicitatie")


# --- agreements --------------------------------------------------------------------------------

def test_an_open_agreement_past_its_date_is_a_finding_from_the_day_after():
    agreement = m.Agreement("Werkplekonderzoek", "Piet", due=day_of(10, 2))
    c = case(agreements=(agreement,))
    assert findings(c, day_of(10, 2), "afspraak") == []
    [upcoming] = deadlines(c, day_of(10, 2), "afspraak")
    assert upcoming.what == "Afspraak: Werkplekonderzoek (Piet)" and upcoming.day == day_of(10, 2)
    [late] = findings(c, day_of(10, 3), "afspraak")
    assert late.message.startswith("De afspraak 'Werkplekonderzoek' (Piet) staat nog open; die moest uiterlijk "
                                   "12 maart 2025 (week 10) klaar zijn.")
    assert late.sheet == "Afspraken" and late.column == "Status"
    for status in (m.AgreementStatus.GEDAAN, m.AgreementStatus.VERVALLEN):
        assert findings(case(agreements=(replace(agreement, status=status),)), day_of(20), "afspraak") == []


# --- advice ------------------------------------------------------------------------------------

ADVICE = m.Advice(day_of(20), "Werkplek aanpassen", m.Adviser.BEDRIJFSARTS)


def test_advice_followed_within_six_weeks():
    limit = ADVICE.date + timedelta(weeks=6)
    bijstelling = (m.Bijstelling(day_of(21), "Werkplek", employer_view="ja", employee_view="ja"),)
    followed = case(advices=(replace(ADVICE, followed_on=limit),), bijstellingen=bijstelling)
    assert findings(followed, day_of(30), "advies") == []
    [late] = findings(case(advices=(replace(ADVICE, followed_on=limit + timedelta(days=1)),),
                           bijstellingen=bijstelling), day_of(30), "advies")
    assert "is pas op" in late.message and late.sheet == "Adviezen"
    [upcoming] = deadlines(case(advices=(ADVICE,), bijstellingen=bijstelling), limit, "advies")
    assert upcoming.day == limit
    [missing] = findings(case(advices=(ADVICE,), bijstellingen=bijstelling), limit + timedelta(days=1), "advies")
    assert missing.message.startswith("Het advies van de bedrijfsarts van 19 mei 2025 ('Werkplek aanpassen') is niet "
                                      "opgevolgd")


def test_plan_adjusted_within_six_weeks_after_advice_of_the_bedrijfsarts():
    limit = ADVICE.date + timedelta(weeks=6)
    followed = replace(ADVICE, followed_on=day_of(21), how_followed="Bureau aangepast")
    with_bijstelling = case(advices=(followed,), bijstellingen=(
        m.Bijstelling(limit, "Werkplek", employer_view="ja", employee_view="ja"),))
    assert findings(with_bijstelling, day_of(30), "advies") == []
    late = replace(with_bijstelling, bijstellingen=(replace(with_bijstelling.bijstellingen[0],
                                                            date=limit + timedelta(days=1)),))
    [finding] = findings(late, day_of(30), "advies")
    assert "niet binnen 6 weken bijgesteld" in finding.message and finding.column == "Hoe opgevolgd"
    explained = case(advices=(replace(followed, how_followed="Geen bijstelling nodig: past in het plan"),))
    assert findings(explained, day_of(30), "advies") == []
    uwv = case(advices=(replace(followed, adviser=m.Adviser.DESKUNDIGENOORDEEL),))
    assert findings(uwv, day_of(30), "advies") == []  # only advice of the doctor or arbeidsdeskundige


# --- work resumption ---------------------------------------------------------------------------

def resumption(start: date, hours: float, kind: m.WorkKind = m.WorkKind.AANGEPAST_EIGEN_WERK) -> m.WorkResumption:
    return m.WorkResumption(start, hours, kind)


def test_arbeidstherapeutisch_at_most_six_weeks():
    start = day_of(10)
    therapy = resumption(start, 8, m.WorkKind.ARBEIDSTHERAPEUTISCH)
    six_weeks = case(contract_hours=8, work_resumptions=(therapy, resumption(start + timedelta(weeks=6), 8)))
    assert findings(six_weeks, day_of(30), "werkhervatting") == []
    longer = replace(six_weeks, work_resumptions=(therapy, resumption(start + timedelta(weeks=6, days=1), 8)))
    [finding] = findings(longer, day_of(30), "werkhervatting")
    assert finding.message.startswith("Het arbeidstherapeutisch werk van 10 maart 2025 (week 10) tot 22 april 2025 "
                                      "(week 16) duurde langer dan 6 weken; dat kon tot en met 20 april 2025.")
    running = case(contract_hours=8, work_resumptions=(therapy,))
    [upcoming] = deadlines(running, start + timedelta(weeks=6, days=-1), "werkhervatting")
    assert upcoming.day == start + timedelta(weeks=6, days=-1)
    assert findings(running, start + timedelta(weeks=6, days=-1), "werkhervatting") == []
    assert len(findings(running, start + timedelta(weeks=6), "werkhervatting")) == 1


def test_hours_that_do_not_rise_for_twelve_weeks_below_the_contract_hours():
    start = day_of(10)
    rise = resumption(start + timedelta(weeks=12, days=-1), 16)  # 83 days on 12 hours
    c = case(contract_hours=32, work_resumptions=(resumption(start, 12), rise))
    assert findings(c, day_of(30), "werkhervatting") == []
    stuck = replace(c, work_resumptions=(resumption(start, 12), replace(rise, start=start + timedelta(weeks=12))))
    [finding] = findings(stuck, day_of(30), "werkhervatting")
    assert finding.message.startswith("De werkhervatting staat sinds 10 maart 2025 (week 10) op 12 uur per week, "
                                      "onder de contracturen (32), en is tot en met 1 juni 2025 12 weken niet gestegen")
    explained = replace(stuck, evaluations=(m.Evaluation(day_of(15), report="Opbouw van de uren staat stil"),))
    assert findings(explained, day_of(30), "werkhervatting") == []
    full = replace(stuck, work_resumptions=(resumption(start, 32),))
    assert findings(full, day_of(30), "werkhervatting") == []


def test_spoor_2_chosen_on_the_peildatum_without_an_arbeidsdeskundige_is_a_warning_that_day():
    c = case(people=(), spoor=m.Spoor.EEN, tweede_spoor_decision_date=day_of(50), coach_contact_weeks=3)
    assert findings(c, day_of(50) - timedelta(days=1), "tweede-spoor") == []
    [warning] = findings(c, day_of(50), "tweede-spoor")
    assert warning.message.startswith("Spoor 2 is gekozen op 15 december 2025")


def test_a_third_application_to_the_same_vacancy_on_the_peildatum_is_noted_that_day():
    repeats = [app(60, employer="Careyn", function="Kok"), app(61, employer="Careyn", function="Kok"),
               app(62, employer="Careyn", function="Kok")]
    c = spoor(zoekprofiel=ZOEKPROFIEL, monthly_wage=2850, applications=tuple(repeats))
    assert not [f for f in findings(c, day_of(62) - timedelta(days=1), "sollicitatie-zoekprofiel")
                if "Careyn" in f.message]
    assert [f for f in findings(c, day_of(62), "sollicitatie-zoekprofiel") if "Careyn" in f.message]


# --- coach contact log ---------------------------------------------------------------------------

def coach(day: date) -> m.Contact:
    return m.Contact(day, m.ContactWith.COACH, "voortgang")


def test_gaps_between_coach_contacts_longer_than_agreed_are_findings_with_their_dates():
    start = day_of(60)
    c = spoor(coach_contact_weeks=2, contacts=(coach(start + timedelta(weeks=2)), coach(start + timedelta(weeks=4))))
    assert findings(c, start + timedelta(weeks=5), "coach-contact") == []
    gap = replace(c, contacts=(coach(start + timedelta(weeks=2)), coach(start + timedelta(weeks=4, days=1))))
    [finding] = findings(gap, start + timedelta(weeks=5), "coach-contact")
    assert finding.message.startswith("Tussen 9 maart 2026 (week 62) en 24 maart 2026 (week 64) was er 2 weken en 1 "
                                      "dag geen contact met de re-integratiecoach, terwijl afgesproken is ten minste "
                                      "elke 2 weken.")
    [since] = findings(c, start + timedelta(weeks=6, days=1), "coach-contact")
    assert since.message.startswith("Sinds 23 maart 2026 (week 64) is er geen contact met de re-integratiecoach")
    [upcoming] = deadlines(c, start + timedelta(weeks=5), "coach-contact")
    assert upcoming.day == start + timedelta(weeks=6)


def test_without_a_contact_log_only_the_agreed_frequency_is_judged():
    assert findings(spoor(coach_contact_weeks=3), day_of(80), "coach-contact") == []
    others = spoor(coach_contact_weeks=3, contacts=(m.Contact(day_of(61), m.ContactWith.BEDRIJFSARTS),))
    [finding] = findings(others, day_of(64), "coach-contact")  # a log without the coach in it
    assert finding.message.startswith("Sinds de start van het tweede spoor")


def test_a_tweede_spoor_starting_on_the_peildatum_has_its_first_coach_contact_due():
    start = day_of(60)
    c = spoor(coach_contact_weeks=3, contacts=(m.Contact(day_of(59), m.ContactWith.BEDRIJFSARTS),))
    assert [d.day for d in deadlines(c, start, "coach-contact")] == [start + timedelta(weeks=3)]


def test_a_coach_contact_due_on_the_last_day_of_the_tweede_spoor_is_still_asked_for():
    start = day_of(60)
    log = (coach(start + timedelta(weeks=1)),)
    due = start + timedelta(weeks=4)  # three weeks after the last contact
    ends_then = spoor(coach_contact_weeks=3, contacts=log, tweede_spoor_end=due)
    assert findings(ends_then, due + timedelta(days=1), "coach-contact")
    ends_before = replace(ends_then, tweede_spoor_end=due - timedelta(days=1))
    assert findings(ends_before, due + timedelta(days=1), "coach-contact") == []


# --- relapses: periods less than 28 days apart add up ------------------------------------------

def test_a_relapse_27_days_later_moves_every_deadline_a_28_day_gap_starts_a_new_sickness():
    periods = (m.SicknessPeriod(FIRST, FIRST + timedelta(days=10)),
               m.SicknessPeriod(FIRST + timedelta(days=37), None))  # 27 days fit: 10 + 27
    c = case(sickness_periods=periods)
    [uwv] = deadlines(c, day_of(20), "melding-uwv")
    assert uwv.day == date(2025, 11, 24)  # week 42 ends 27 days later, on Saturday 22 November
    [end] = deadlines(c, day_of(20), "einde-wachttijd")
    assert end.day == date(2027, 1, 3) + timedelta(days=27)
    assert findings(c, day_of(20), "probleemanalyse") == []  # day_of(5) is in the gap: in week 5 still
    apart = (periods[0], m.SicknessPeriod(FIRST + timedelta(days=38), None))  # 28 days fit: a new sickness
    [error] = check_timeline(case(sickness_periods=apart), day_of(20)).findings
    assert error.severity is Severity.ERROR and error.rule == "verzuimverloop"
    assert (error.sheet, error.label) == ("Dossier", "Eerste ziektedag")
    assert "die begint op 13 februari 2025" in error.message and "Vul bij 'Eerste ziektedag' 13-02-2025 in" in \
        error.message
    new = FIRST + timedelta(days=38)
    ok = case(first_sick_day=new, plan_van_aanpak_date=new + timedelta(weeks=6), probleemanalyse_date=None,
              sickness_periods=apart)
    [uwv] = deadlines(ok, new + timedelta(weeks=10), "melding-uwv")
    assert uwv.week == 43 and uwv.day == ok.end_of_week(42) + timedelta(days=1)


def test_sickness_periods_out_of_order_are_errors_at_their_row():
    source = m.Source("t.xlsx", "Verzuimverloop", 3, {})
    backwards = (m.SicknessPeriod(FIRST, FIRST - timedelta(days=1), source=source),)
    [error] = check_timeline(case(sickness_periods=backwards), day_of(5)).findings
    assert (error.sheet, error.row, error.column) == ("Verzuimverloop", 3, "Hersteld op")
    still_sick = (m.SicknessPeriod(FIRST, None), m.SicknessPeriod(FIRST + timedelta(days=40), None))
    [error] = check_timeline(case(sickness_periods=still_sick), day_of(10)).findings
    assert "heeft geen 'Hersteld op'" in error.message


# --- reasoned departures (Regeling procesgang art. 5) ------------------------------------------

def test_a_departure_with_the_employees_agreement_turns_the_finding_into_a_note():
    late = case(plan_van_aanpak_date=day_of(10))
    departure = m.Departure(day_of(8), "Werknemer in het buitenland opgenomen", m.RuleKey.PLAN_VAN_AANPAK,
                            employee_agreed=True, doctor_supports=True)
    [note] = findings(replace(late, departures=(departure,)), day_of(12), "plan-van-aanpak")
    assert note.severity is Severity.NOTE
    assert note.message == ("Het plan van aanpak kwam te laat, op 10 maart 2025 (week 10); de termijn was uiterlijk 2 "
                            "weken na de probleemanalyse (17 februari 2025), wat eerder is dan week 8; gemotiveerd "
                            "afgeweken op "
                            "24 februari 2025: Werknemer in het buitenland opgenomen. De bedrijfsarts steunt de "
                            "afwijking.")
    [warning] = findings(replace(late, departures=(replace(departure, employee_agreed=None),)), day_of(12),
                         "plan-van-aanpak")
    assert warning.severity is Severity.WARNING
    assert "Afgeweken op 24 februari 2025 zonder akkoord van de werknemer: Werknemer in het buitenland opgenomen." \
        in warning.message
    after = replace(departure, date=day_of(10, 1))  # dated after the finding: it does not cover it
    assert findings(replace(late, departures=(after,)), day_of(12), "plan-van-aanpak")[0].severity is Severity.WARNING
    other = replace(departure, rule=m.RuleKey.EVALUATIE)
    assert findings(replace(late, departures=(other,)), day_of(12), "plan-van-aanpak")[0].severity is Severity.WARNING


# --- closed cases ------------------------------------------------------------------------------

def test_a_case_long_past_week_104_reports_what_was_missing_once_as_history():
    result = check_timeline(case(), date(2028, 9, 1))
    assert result.deadlines == ()
    [uwv] = [f for f in result.findings if f.rule == "melding-uwv"]
    assert "alsnog" not in uwv.message
    assert uwv.message.endswith("Het dossier is gesloten op 3 januari 2027; dit staat er als geschiedenis.")
    [closed] = [f for f in result.findings if f.rule == "einde-wachttijd"]
    assert closed.severity is Severity.NOTE and closed.day == date(2027, 1, 3)
    assert len([f for f in result.findings if f.rule == "evaluatie"]) == 1  # the gap since the plan, once


def test_a_recovered_case_gets_nothing_that_was_due_after_recovery():
    recovered = case(recovery_date=day_of(30), probleemanalyse_date=None, evaluations=(m.Evaluation(day_of(23)),))
    running = check_timeline(recovered, day_of(28))
    assert [(d.rule, d.day) for d in running.deadlines] == [("evaluatie", day_of(29))]  # no week 42, 52 or 104
    result = check_timeline(recovered, day_of(60))
    assert result.deadlines == ()
    assert [f.rule for f in result.findings] == ["probleemanalyse", "evaluatie", "evaluatie", "einde-wachttijd"]
    assert all(f.message.endswith("dit staat er als geschiedenis.") for f in result.findings[:3])
    assert result.findings[-1].message.startswith("Het dossier is gesloten: de werknemer is hersteld op 28 juli 2025.")


def test_a_case_closes_the_day_after_its_last_day():
    recovered = case(recovery_date=day_of(30), probleemanalyse_date=None)  # the last day sick: day_of(30) - 1
    last_day_sick = check_timeline(recovered, day_of(30) - timedelta(days=1))
    assert not any(f.message.startswith("Het dossier is gesloten") for f in last_day_sick.findings)
    assert not any("als geschiedenis" in f.message for f in last_day_sick.findings)
    recovery_day = check_timeline(recovered, day_of(30))
    assert recovery_day.findings[-1].message.startswith("Het dossier is gesloten: de werknemer is hersteld")


def test_a_wia_application_on_record_ends_its_deadline_and_employment_end_brings_it_forward():
    [due] = deadlines(case(), day_of(80), "wia-aanvraag")
    assert due.day == last_of(91)
    assert deadlines(case(wia_application_date=day_of(85)), day_of(86), "wia-aanvraag") == []
    ended = case(employment_end_date=day_of(70))
    [due] = deadlines(ended, day_of(60), "wia-aanvraag")
    assert due.day == day_of(70) and "laatste dag van het dienstverband" in due.what
    [missing] = findings(ended, day_of(71), "wia-aanvraag")
    assert "Het dossier is gesloten op 4 mei 2026" in missing.message
    [same_day] = deadlines(case(employment_end_date=last_of(91)), day_of(80), "wia-aanvraag")
    assert same_day.day == last_of(91) and "uiterlijk week 91" in same_day.what  # not earlier: week 91 holds


# --- planned reports, views in the eerstejaarsevaluatie -----------------------------------------

def test_planned_reports_are_deadlines_until_their_date_then_a_finding():
    report = m.ReportMoment(day_of(70), "voortgangsrapportage", m.ReportStatus.GEPLAND)
    c = case(report_moments=(report,))
    [due] = [d for d in deadlines(c, day_of(70), "tweede-spoor") if d.what.startswith("Rapportage")]
    assert due.what == "Rapportage gepland: voortgangsrapportage" and due.day == day_of(70)
    [late] = [f for f in findings(c, day_of(70, 1), "tweede-spoor") if "rapportage" in f.message]
    assert late.message.startswith("De rapportage 'voortgangsrapportage' van 4 mei 2026 (week 70) staat nog op "
                                   "gepland.")
    done = replace(report, status=m.ReportStatus.UITGEBRACHT)
    assert [f for f in findings(case(report_moments=(done,)), day_of(71), "tweede-spoor")
            if "rapportage" in f.message] == []


def test_both_views_belong_in_an_eerstejaarsevaluatie_from_july_2023():
    eje = m.Evaluation(day_of(50), m.EvaluationKind.EERSTEJAARSEVALUATIE, "verslag", employer_view="ja")
    [missing] = findings(case(evaluations=(eje,)), day_of(51), "visie")
    assert missing.message.startswith("De visie van de werknemer ontbreekt in de eerstejaarsevaluatie")
    assert findings(case(evaluations=(replace(eje, employee_view="ja"),)), day_of(51), "visie") == []


def test_deadlines_say_whose_case_it_is_for_the_planning_list():
    c = case(people=(m.Person(m.Rol.CASEMANAGER, "Carla Case"), m.Person(m.Rol.ARBEIDSDESKUNDIGE, "Ad")))
    result = check_timeline(c, day_of(80))
    assert {(d.employee, d.casemanager, d.wia_application) for d in result.deadlines} == {
        ("Anna", "Carla Case", "uiterlijk 04-10-2026")}
    filed = check_timeline(replace(c, wia_application_date=day_of(79)), day_of(80))
    assert {d.wia_application for d in filed.deadlines} == {"ingediend 06-07-2026"}
    assert "wia-aanvraag" not in {d.rule for d in filed.deadlines}


def test_the_planning_says_when_the_wia_application_is_late_or_not_needed():
    c = case(people=(m.Person(m.Rol.CASEMANAGER, "Carla Case"), m.Person(m.Rol.ARBEIDSDESKUNDIGE, "Ad")))
    late = check_timeline(c, day_of(93))  # week 91 ended on 4 October 2026: a finding, no longer a deadline
    assert "wia-aanvraag" not in {d.rule for d in late.deadlines}
    assert {d.wia_application for d in late.deadlines} == {"niet ingediend (uiterlijk 04-10-2026)"}
    back = replace(c, eindevaluatie=m.Eindevaluatie(date=day_of(85), outcome=m.Outcome.EIGEN_WERK))
    assert {d.wia_application for d in check_timeline(back, day_of(86)).deadlines} == {"niet nodig"}
