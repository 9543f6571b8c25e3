"""Realistic cases, one per ground on which UWV imposes a loonsanctie (domain brief, "What UWV checks
in the RIV-toets"): each starts from a clean tweede-spoor case built here, gets the one defect, and
raises exactly that finding with its rule key. The clean case and the shipped full example raise none."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import date, timedelta

import pytest

from pipeline import model as m
from pipeline.checks.timeline import check_timeline
from pipeline.errors import Finding, Severity
from pipeline.intake import contract

FIRST = date(2025, 1, 6)  # a Monday
PEILDATUM = date(2026, 6, 15)  # Monday of week 76: the tweede spoor runs since week 53

# The rule keys of the sanction grounds below: the full example raises none of them as a warning.
SANCTION_KEYS = {"tweede-spoor", "sollicitaties-per-week", "sollicitatie-zoekprofiel", "afspraak", "advies",
                 "werkhervatting", "coach-contact", "melding-uwv"}


def day(week: int, offset: int = 0) -> date:
    return FIRST + timedelta(days=7 * (week - 1) + offset)


ZOEKPROFIEL = (
    m.ZoekprofielFunction(1, "Planner zorg", "Zorg", "Roosterervaring; zittend werk", 2900),
    m.ZoekprofielFunction(2, "Medisch secretaresse", "Ziekenhuis", "Medische kennis; administratief", 2700),
    m.ZoekprofielFunction(3, "Praktijkondersteuner", "Huisartsenzorg", "Zorgkennis, geen tilwerk", 3000),
)


def applications(first_week: int = 58, last_week: int = 75,
                 functions: tuple[str, ...] = ("Planner zorg", "Medisch secretaresse", "Praktijkondersteuner")):
    """Two a week, each to another employer, with proof, discussed with the coach."""
    apps = []
    for week in range(first_week, last_week + 1):
        for k in range(2):
            n = len(apps)
            apps.append(m.Application(day(week, 1 + 2 * k), f"Zorgaanbieder {n + 1} (fictief)",
                                      functions[n % len(functions)], "Indeed", "e-mail",
                                      m.ApplicationResult.AFGEWEZEN, f"e-mail {n + 1}", True))
    return tuple(apps)


def clean_case() -> m.Case:
    """Sanne Jansen, verpleegkundige: spoor 1 in year one with a build-up of hours, an advice of the
    bedrijfsarts followed with a bijstelling, an arbeidsdeskundig onderzoek, the eerstejaarsevaluatie
    deciding on a tweede spoor, started in week 53 with a coach every two weeks and two applications
    a week on the zoekprofiel. Everything in time."""
    both = dict(employer_view="Eens.", employee_view="Eens.")
    return m.Case(
        dossiernummer="SANCTIE", employee_name="Sanne Jansen", job_title="Verpleegkundige",
        employer="Zorgcentrum Het Anker (fictief)", first_sick_day=FIRST, plan_van_aanpak_date=day(7, 1),
        goal="Terugkeer in passend werk", spoor=m.Spoor.EEN, contract_hours=32, monthly_wage=3200,
        probleemanalyse_date=day(5, 2), uwv_notification_date=day(41), eerstejaarsevaluatie_date=day(50),
        tweede_spoor_decision_date=day(50), tweede_spoor_start=day(53), tweede_spoor_end=day(100),
        applications_per_week=2, coach_contact_weeks=2, source_file="sanne.xlsx", labels=contract.DOSSIER_LABELS,
        **both,
        people=(m.Person(m.Rol.WERKGEVER, "Karel Anker"), m.Person(m.Rol.WERKNEMER, "Sanne Jansen"),
                m.Person(m.Rol.CASEMANAGER, "Mila de Vries"), m.Person(m.Rol.BEDRIJFSARTS, "dr. P. Smit"),
                m.Person(m.Rol.ARBEIDSDESKUNDIGE, "Youssef Amrani"), m.Person(m.Rol.COACH, "Eva Bos")),
        agreements=(
            m.Agreement("Opbouw van de uren in aangepast werk", "Sanne Jansen", day(20), m.AgreementStatus.GEDAAN),
            m.Agreement("Arbeidsdeskundig onderzoek", "Youssef Amrani", day(44), m.AgreementStatus.GEDAAN),
            m.Agreement("Twee sollicitaties per week, met bewijs", "Sanne Jansen", agreed_on=day(58)),
        ),
        bijstellingen=(m.Bijstelling(day(42), "Arbeidsdeskundig onderzoek naar passend werk", "Advies bedrijfsarts",
                                     **both),
                       m.Bijstelling(day(50), "Start tweede spoor naast spoor 1", "Eerstejaarsevaluatie",
                                     spoor=m.Spoor.BEIDE, **both)),
        evaluations=tuple(
            m.Evaluation(day(w, 1), m.EvaluationKind.PERIODIEK, "Voortgang besproken.")
            for w in (13, 19, 31, 37, 43, 49)
        ) + (m.Evaluation(day(25, 1), m.EvaluationKind.PERIODIEK, "Opbouw van de uren staat op 16 uur: de "
                                                                 "bedrijfsarts vindt meer nu niet verantwoord."),
             m.Evaluation(day(50), m.EvaluationKind.EERSTEJAARSEVALUATIE, "Tweede spoor naast spoor 1.", **both),
             ) + tuple(m.Evaluation(day(w), m.EvaluationKind.PERIODIEK, "Tweede spoor loopt.")
                       for w in (56, 62, 68, 74)),
        zoekprofiel=ZOEKPROFIEL,
        report_moments=(m.ReportMoment(day(54), "trajectplan", m.ReportStatus.UITGEBRACHT),
                        m.ReportMoment(day(66), "voortgangsrapportage", m.ReportStatus.UITGEBRACHT),
                        m.ReportMoment(day(78), "voortgangsrapportage", m.ReportStatus.GEPLAND)),
        applications=applications(),
        advices=(m.Advice(day(38), "Geen tilwerk meer; laat onderzoeken welk passend werk er is",
                          m.Adviser.BEDRIJFSARTS, day(39), "Arbeidsdeskundig onderzoek aangevraagd."),),
        work_resumptions=(m.WorkResumption(day(10), 8, m.WorkKind.ARBEIDSTHERAPEUTISCH),
                          m.WorkResumption(day(14), 12, m.WorkKind.AANGEPAST_EIGEN_WERK),
                          m.WorkResumption(day(20), 16, m.WorkKind.AANGEPAST_EIGEN_WERK)),
        contacts=tuple(m.Contact(day(w, 2), m.ContactWith.COACH, "Voortgang") for w in range(53, 77, 2)),
    )


def findings(case: m.Case, peildatum: date = PEILDATUM) -> list[Finding]:
    return list(check_timeline(case, peildatum).findings)


def by_rule(found: list[Finding], severity: Severity = Severity.WARNING) -> dict[str, list[Finding]]:
    result: dict[str, list[Finding]] = defaultdict(list)
    for f in found:
        if f.severity is severity:
            result[f.rule].append(f)
    return dict(result)


def test_the_clean_case_raises_nothing():
    assert findings(clean_case()) == []
    assert [d.rule for d in check_timeline(clean_case(), PEILDATUM).deadlines][:3] == [
        "coach-contact", "tweede-spoor", "evaluatie"]  # the next contact, the planned report, the next evaluation


def test_the_full_example_raises_no_sanction_ground(full_case):
    raised = by_rule(findings(full_case, date(2026, 11, 23)))
    assert SANCTION_KEYS.isdisjoint(raised), {k: [f.message for f in v] for k, v in raised.items()
                                              if k in SANCTION_KEYS}
    notes = by_rule(findings(full_case, date(2026, 11, 23)), Severity.NOTE)
    assert "gemotiveerd afgeweken op 14 juli 2026" in notes["coach-contact"][0].message  # its reasoned departure


# --- 1. the tweede spoor: late, and without an arbeidsdeskundig onderzoek ---------------------------

def test_spoor_2_chosen_in_week_8_and_started_in_week_55():
    case = replace(clean_case(), spoor=m.Spoor.TWEE, probleemanalyse_date=day(6), plan_van_aanpak_date=day(8),
                   tweede_spoor_decision_date=None,
                   bijstellingen=clean_case().bijstellingen[:1], tweede_spoor_start=day(55))
    raised = by_rule(findings(case))
    assert list(raised) == ["tweede-spoor"]
    [late] = raised["tweede-spoor"]
    assert late.week == 55 and late.message.startswith(
        "Het tweede spoor is te laat gestart, op 19 januari 2026 (week 55); de termijn was uiterlijk 6 weken na de "
        "keuze voor spoor 2 in het plan van aanpak van 24 februari 2025 (7 april 2025), wat eerder is dan week 58.")


def test_spoor_2_without_an_arbeidsdeskundig_onderzoek():
    case = clean_case()
    case = replace(case, people=tuple(p for p in case.people if p.role is not m.Rol.ARBEIDSDESKUNDIGE),
                   agreements=case.agreements[:1] + case.agreements[2:])
    raised = by_rule(findings(case))
    assert list(raised) == ["tweede-spoor"]
    assert "zonder arbeidsdeskundig onderzoek" in raised["tweede-spoor"][0].message


# --- 2. applications: too few, off the profile, on work that is not suitable -------------------------

def test_an_employee_who_stopped_applying_in_week_70():
    case = replace(clean_case(), applications=applications(last_week=69))
    raised = by_rule(findings(case))
    assert list(raised) == ["sollicitaties-per-week"]
    assert [f.week for f in raised["sollicitaties-per-week"]] == [70, 71, 72, 73, 74, 75]  # week 76 still runs


def test_eleven_of_36_applications_to_a_function_the_trajectplan_judges_not_suitable():
    profile = ZOEKPROFIEL + (m.ZoekprofielFunction(4, "Gastvrouw", "Zorg", "Contact met cliënten", 1900),)
    apps = applications()
    apps = tuple(replace(a, function="Gastvrouw") if i % 3 == 0 and i < 33 else a for i, a in enumerate(apps))
    assert (len(apps), sum(a.function == "Gastvrouw" for a in apps)) == (36, 11)
    raised = by_rule(findings(replace(clean_case(), zoekprofiel=profile, applications=apps)))
    # The zoekprofiel itself has a function more than 30 % below the old wage (passend-werk); the
    # applications to it are the sanction ground.
    assert sorted(raised) == ["passend-werk", "sollicitatie-zoekprofiel"]
    [finding] = raised["sollicitatie-zoekprofiel"]
    assert finding.message.startswith("11 sollicitaties (10 februari – 26 mei 2026) gingen naar Gastvrouw, zoekprofiel "
                                      "rang 4. De indicatie maandloon van €\u00a01.900,00 ligt 40,7 % onder het oude "
                                      "maandloon")


def test_most_applications_off_the_zoekprofiel():
    apps = applications(functions=("Planner zorg", "Kok", "Chauffeur", "Kassamedewerker"))
    raised = by_rule(findings(replace(clean_case(), applications=apps)))
    assert list(raised) == ["sollicitatie-zoekprofiel"]
    assert raised["sollicitatie-zoekprofiel"][0].message.startswith(
        "Tot en met 11 juni 2026 (week 75) zijn 9 van de 36 sollicitaties in het tweede spoor (25,0 %) gericht op een "
        "functie uit het zoekprofiel")


def test_the_same_vacancy_three_times_is_a_note():
    apps = list(applications())
    for i in (4, 10, 16):
        apps[i] = replace(apps[i], employer="Zorgcentrum De Linde (fictief)", function="Planner zorg")
    found = findings(replace(clean_case(), applications=tuple(apps)))
    assert by_rule(found) == {}
    assert list(by_rule(found, Severity.NOTE)) == ["sollicitatie-zoekprofiel"]


# --- 3. agreements, advice, a plan that was not adjusted -----------------------------------------

def test_an_agreement_whose_date_passed_long_ago_is_still_open():
    case = clean_case()
    case = replace(case, agreements=(replace(case.agreements[0], status=m.AgreementStatus.OPEN),) + case.agreements[1:])
    raised = by_rule(findings(case))
    assert list(raised) == ["afspraak"]
    assert raised["afspraak"][0].week == 20


def test_advice_of_the_bedrijfsarts_not_followed():
    case = clean_case()
    advice = m.Advice(day(62), "Sollicitaties beperken tot functies zonder nachtdiensten", m.Adviser.BEDRIJFSARTS)
    raised = by_rule(findings(replace(case, advices=case.advices + (advice,))))
    assert list(raised) == ["advies"]
    assert [f.message.split(";")[0].split(" Stel ")[0] for f in raised["advies"]] == [
        "Het advies van de bedrijfsarts van 9 maart 2026 ('Sollicitaties beperken tot functies zonder "
        "nachtdiensten') is niet opgevolgd",
        "Na het advies van de bedrijfsarts van 9 maart 2026 (week 62) is het plan van aanpak niet binnen 6 weken "
        "bijgesteld (uiterlijk 20 april 2026), en 'Hoe opgevolgd' zegt niet waarom dat niet nodig was."]


def test_advice_followed_but_the_plan_not_adjusted():
    case = clean_case()
    case = replace(case, bijstellingen=case.bijstellingen[1:])
    raised = by_rule(findings(case))
    assert list(raised) == ["advies"]
    assert "niet binnen 6 weken bijgesteld" in raised["advies"][0].message


# --- 4./5. work resumption: too long on a therapeutic basis, stagnation ----------------------------

def test_too_long_on_an_arbeidstherapeutische_basis():
    case = clean_case()
    case = replace(case, work_resumptions=(case.work_resumptions[0], replace(case.work_resumptions[1], start=day(17)),
                                           case.work_resumptions[2]))
    raised = by_rule(findings(case))
    assert list(raised) == ["werkhervatting"]
    assert raised["werkhervatting"][0].message.startswith("Het arbeidstherapeutisch werk van 10 maart 2025 (week 10)")


def test_hours_stuck_for_a_year_without_anyone_saying_why():
    case = clean_case()
    evaluations = tuple(replace(e, report="Voortgang besproken.") if e.date == day(25, 1) else e
                        for e in case.evaluations)
    raised = by_rule(findings(replace(case, evaluations=evaluations, advices=())))
    assert list(raised) == ["werkhervatting"]
    assert "overweeg een deskundigenoordeel bij UWV" in raised["werkhervatting"][0].message


# --- 6. gaps in the coach's contacts, and a reasoned departure -----------------------------------

def test_no_coach_for_six_weeks():
    case = clean_case()
    case = replace(case, contacts=tuple(c for c in case.contacts if not day(64) <= c.date <= day(68)))
    raised = by_rule(findings(case))
    assert list(raised) == ["coach-contact"]
    assert raised["coach-contact"][0].message.startswith(
        "Tussen 18 maart 2026 (week 63) en 29 april 2026 (week 69) was er 6 weken geen contact met de "
        "re-integratiecoach, terwijl afgesproken is ten minste elke 2 weken.")


@pytest.mark.parametrize("agreed, severity", [(True, Severity.NOTE), (None, Severity.WARNING)])
def test_a_reasoned_departure_needs_the_employees_agreement(agreed, severity):
    case = clean_case()
    case = replace(case, contacts=tuple(c for c in case.contacts if not day(64) <= c.date <= day(68)),
                   departures=(m.Departure(day(63), "Coach met zwangerschapsverlof; vervanger vanaf week 67",
                                           m.RuleKey.COACH_CONTACT, employee_agreed=agreed),))
    [finding] = [f for f in findings(case) if f.rule == "coach-contact"]
    assert finding.severity is severity
    assert "Coach met zwangerschapsverlof" in finding.message


# --- relapses and closed cases -------------------------------------------------------------------

def test_a_relapse_moves_the_uwv_deadline():
    late = replace(clean_case(), uwv_notification_date=day(43, 3))
    assert list(by_rule(findings(late))) == ["melding-uwv"]
    # Fit for two weeks in March 2025, sick again within 4 weeks: the weeks move 14 days later.
    relapse = (m.SicknessPeriod(FIRST, day(9)), m.SicknessPeriod(day(11), None))
    assert by_rule(findings(replace(late, sickness_periods=relapse))) == {}


def test_a_case_long_past_week_104_gets_history_not_advice():
    found = findings(clean_case(), date(2028, 3, 1))
    assert check_timeline(clean_case(), date(2028, 3, 1)).deadlines == ()
    warnings = [f for f in found if f.severity is Severity.WARNING]
    assert {f.rule for f in warnings} == {"actueel-oordeel", "eindevaluatie", "wia-aanvraag", "evaluatie",
                                          "sollicitaties-per-week", "coach-contact", "tweede-spoor"}
    assert all(f.message.endswith("Het dossier is gesloten op 3 januari 2027; dit staat er als geschiedenis.")
               for f in warnings)
    assert not any("alsnog" in f.message or "Vraag " in f.message for f in found)
