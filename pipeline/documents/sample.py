"""A complete, fictional case built in code: every sheet filled (version 2 of the contract
included), through the eindevaluatie.

`lint-templates` renders each template's context from it (so a template is checked against
every variable a real document has), and the benchmark multiplies it into synthetic batches.
Deterministic: the same `number` and `applications` give the same case.
"""

from __future__ import annotations

from datetime import date, timedelta

from .. import model as m

FIRST_SICK_DAY = date(2025, 3, 10)  # a Monday


def _week(n: int, weekday: int = 1) -> date:
    return FIRST_SICK_DAY + timedelta(days=7 * (n - 1) + weekday)


def sample_case(number: int = 1, applications: int = 60) -> m.Case:
    """Case `number` with `applications` applications spread over the tweede spoor."""
    employers = ["Thuiszorg Rivierenland", "Huisartsenpraktijk De Brug", "Zorgverzekeraar Midden",
                 "Ziekenhuis Oost", "Gemeente Ede", "Planbureau Zorg"]
    results = list(m.ApplicationResult)
    per_week = 2
    weeks = 26  # applications spread over weeks 60-85 of the tweede spoor
    apps = tuple(
        m.Application(
            date=_week(60 + (i * weeks) // max(applications, 1), i % 5),
            employer=employers[i % len(employers)], function="Planner zorg", found_via="vacaturesite",
            applied_how="e-mail", result=results[i % len(results)],
            proof=f"e-mail {i + 1} in dossiermap" if i % 11 else None, discussed_with_coach=i % 7 != 3)
        for i in range(applications)
    )
    apps = tuple(sorted(apps, key=lambda a: a.date))
    people = (
        m.Person(m.Rol.WERKGEVER, "Henk Mulder", "Zorggroep De Linde", "h.mulder@example.nl", "0318 555 200"),
        m.Person(m.Rol.WERKNEMER, f"Werknemer {number}", None, "werknemer@example.nl"),
        m.Person(m.Rol.CASEMANAGER, "Lotte Smit", "Zorggroep De Linde", "l.smit@example.nl"),
        m.Person(m.Rol.BEDRIJFSARTS, "dr. M. de Boer", "Arbodienst Vallei"),
        m.Person(m.Rol.COACH, "Ahmed Yilmaz", "Werkpad Re-integratie", "a.yilmaz@example.nl"),
    )
    return m.Case(
        dossiernummer=f"VB-{number:05d}",
        employee_name=f"Werknemer {number}",
        job_title="Verzorgende IG",
        employer="Zorggroep De Linde",
        first_sick_day=FIRST_SICK_DAY,
        plan_van_aanpak_date=_week(7),
        goal="Terugkeer in het eigen werk, eerst in aangepast werk zonder tillen.",
        spoor=m.Spoor.EEN,
        birth_date=date(1971, 11, 2),
        bsn="123456782",
        employer_business="Ouderenzorg",
        contract_hours=32,
        monthly_wage=2850,
        probleemanalyse_date=_week(5),
        uwv_notification_date=_week(41),
        eerstejaarsevaluatie_date=_week(50),
        tweede_spoor_start=_week(53),
        tweede_spoor_end=_week(86),
        eindevaluatie_date=_week(88),
        actueel_oordeel_date=_week(87),
        employer_view="Geen structureel passend werk binnen de zorgteams.",
        employee_view="Ik wil in de zorg blijven, in een functie zonder zwaar werk.",
        applications_per_week=per_week,
        coach_contact_weeks=2,
        trajectplan_date=_week(54),
        people=people,
        agreements=tuple(
            m.Agreement(f"Afspraak {i}", "Lotte Smit", _week(8 + 6 * i), m.AgreementStatus.GEDAAN) for i in range(6))
        + (m.Agreement("Start tweede spoor", "Lotte Smit", _week(54), m.AgreementStatus.GEDAAN, _week(50)),
           m.Agreement("Twee sollicitaties per week", f"Werknemer {number}", None, m.AgreementStatus.OPEN, _week(54))),
        bijstellingen=(m.Bijstelling(_week(50), "Start tweede spoor naast spoor 1.", "Eerstejaarsevaluatie",
                                     "Eens.", "Eens.", m.Spoor.BEIDE,
                                     "Duurzame terugkeer in passend werk, zonder tillen en langdurig staan."),),
        evaluations=tuple(m.Evaluation(_week(w), m.EvaluationKind.PERIODIEK, "Voortgang besproken.")
                          for w in range(13, 50, 6))
        + (m.Evaluation(_week(50), m.EvaluationKind.EERSTEJAARSEVALUATIE, "Tweede spoor naast spoor 1.",
                        "Geen structureel passend werk.", "Ik wil in de zorg blijven."),)
        + tuple(m.Evaluation(_week(w), m.EvaluationKind.PERIODIEK, "Voortgang besproken.") for w in range(56, 87, 6)),
        persoonsprofiel=tuple(m.ProfileItem(part, f"{part.value} {i}") for i, part in enumerate(m.ProfilePart)),
        zoekprofiel=tuple(m.ZoekprofielFunction(r, f"Functie {r}", "Zorg", "Past bij het profiel.", 2900 - 250 * r)
                          for r in range(1, 6)),
        interventions=tuple(
            m.Intervention(phase, f"Activiteit {i}", "Ahmed Yilmaz", _week(53 + 5 * i), _week(57 + 5 * i),
                           m.InterventionStatus.AFGEROND, "Afgerond.")
            for i, phase in enumerate([m.Phase.PERSOONSGERICHT, m.Phase.PERSOONSGERICHT, m.Phase.ARBEIDSMARKTGERICHT,
                                       m.Phase.ARBEIDSMARKTGERICHT, m.Phase.WERKGERICHT, m.Phase.WERKGERICHT])),
        report_moments=(m.ReportMoment(_week(54), "trajectplan", m.ReportStatus.UITGEBRACHT,
                                       "Ahmed Yilmaz, re-integratiecoach"),)
        + tuple(m.ReportMoment(_week(w), f"voortgangsrapportage {n}", m.ReportStatus.UITGEBRACHT,
                               "Ahmed Yilmaz, re-integratiecoach", "Het traject loopt volgens plan.")
                for n, w in enumerate((66, 79), start=1))
        + (m.ReportMoment(_week(87), "eindrapportage", m.ReportStatus.GEPLAND),),
        contacts=tuple(m.Contact(_week(w), m.ContactWith.COACH, "Voortgang sollicitaties") for w in range(54, 87, 2)),
        week_notes=(m.WeekNote(_week(62), "Vakantieweek."),),
        applications=apps,
        eindevaluatie=m.Eindevaluatie(
            date=_week(88), outcome=m.Outcome.NIEUW_WERK, course="Het traject verliep volgens plan.",
            result="Aangenomen als planner.", new_monthly_wage=2480, working_relationship="Goed.",
            suitable_work_own_employer="Nee.", earning_capacity_conclusion="Ruim 85 % van het oude loon.",
            employee_opinion="Tevreden.", new_function="Planner", new_employer="Thuiszorg Rivierenland", new_hours=28,
            contract_kind=m.ContractKind.TIJDELIJK, contract_end=_week(140),
            old_employment="Het dienstverband eindigt met wederzijds goedvinden."),
        source_file=f"voorbeeld-{number}.xlsx",
    )
