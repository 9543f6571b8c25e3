"""The documents we generate, and the context each template may use.

A document context holds only ready-to-print Dutch text (dates, amounts and choices already
worded), so a template declares nothing but what it shows. `docs/sjablonen.md` lists every
variable per document for the administrators who edit the templates.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, Callable

from . import charts
from .. import dutch
from ..checks import measures
from .. import model as m
from ..checks import law as rules

if TYPE_CHECKING:
    from ..bundle import Bundle
    from ..checks.timeline import TimelineResult

Context = dict[str, Any]

NOT_RECORDED = "Nog niet vastgelegd."

SPOOR_TEXT = {
    m.Spoor.EEN: "Spoor 1: terugkeer in het eigen werk of in ander passend werk bij de eigen werkgever.",
    m.Spoor.TWEE: "Spoor 2: terugkeer in passend werk bij een andere werkgever.",
    m.Spoor.BEIDE: "Spoor 1 en spoor 2 tegelijk: terugkeer bij de eigen werkgever en, daarnaast, "
                   "zoeken naar passend werk bij een andere werkgever.",
}


@dataclass(frozen=True)
class Image:
    """A picture for the document; the renderer turns it into a docxtpl InlineImage."""

    png: bytes
    width_mm: float


@dataclass(frozen=True)
class DocumentKind:
    """One generated document: its template, output file name and what it needs."""

    key: str
    title: str
    missing: Callable[[m.Case], list[str]]
    context: Callable[[m.Case, date], Context]
    day: Callable[[m.Case, date], date]

    @property
    def template(self) -> str:
        return f"{self.key}.docx"

    @property
    def filename(self) -> str:
        return f"{self.key}.docx"


def _text(value: str | None, missing: str = NOT_RECORDED) -> str:
    return value if value else missing


def common_context(case: m.Case) -> Context:
    """The fields every document shows in its page header and gegevens block."""
    return {
        "dossiernummer": case.dossiernummer,
        "werknemer": case.employee_name,
        "bsn": case.bsn or "niet opgegeven",
        "geboortedatum": dutch.datum(case.birth_date),
        "functie": case.job_title,
        "werkgever": case.employer,
        "aard_bedrijf": _text(case.employer_business, dutch.UNKNOWN),
        "contracturen": f"{dutch.getal(case.contract_hours)} uur per week" if case.contract_hours is not None
        else dutch.UNKNOWN,
        "eerste_ziektedag": dutch.datum(case.first_sick_day),
    }


def _person(person: m.Person | None) -> Context:
    if person is None:
        return {"naam": "", "organisatie": "", "email": "", "telefoon": "", "contact": ""}
    contact = " · ".join(x for x in (person.email, person.phone) if x)
    return {
        "naam": person.name,
        "organisatie": person.organisation or "",
        "email": person.email or "",
        "telefoon": person.phone or "",
        "contact": contact,
    }


def _week(case: m.Case, day: date | None) -> str:
    return f"week {rules.week_number(case.first_sick_day, day)}" if day else ""


def _datum_week(case: m.Case, day: date | None, missing: str) -> str:
    """'3 maart 2025 (week 6)'."""
    return f"{dutch.datum(day)} ({_week(case, day)})" if day else missing


def evaluation_moments(case: m.Case, peildatum: date) -> list[Context]:
    """Recorded evaluations, then the periodic ones still to plan until the eerstejaarsevaluatie."""
    moments: list[Context] = []
    for e in case.evaluations:
        moments.append({
            "datum": dutch.datum(e.date),
            "week": _week(case, e.date),
            "soort": (e.kind or m.EvaluationKind.PERIODIEK).value,
            "status": "gehouden" if e.date <= peildatum else "gepland",
            "verslag": e.report or "",
        })
    eje_recorded = measures.eerstejaarsevaluatie_date(case)
    eje_deadline = rules.last_day_of_week(case.first_sick_day, rules.WEEK_EERSTEJAARSEVALUATIE)
    last = max([case.plan_van_aanpak_date, *(e.date for e in case.evaluations)])
    step = timedelta(weeks=rules.WEEKS_BETWEEN_EVALUATIONS)
    due = last + step
    while due < eje_deadline and eje_recorded is None:
        moments.append({"datum": f"uiterlijk {dutch.datum(due)}", "week": _week(case, due),
                        "soort": "periodiek", "status": "te plannen", "verslag": ""})
        due += step
    if eje_recorded is None:
        moments.append({"datum": f"uiterlijk {dutch.datum(eje_deadline)}",
                        "week": f"week {rules.WEEK_EERSTEJAARSEVALUATIE_FROM}-{rules.WEEK_EERSTEJAARSEVALUATIE}",
                        "soort": "eerstejaarsevaluatie", "status": "te plannen", "verslag": ""})
    elif case.eerstejaarsevaluatie_date and not any(
            e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE for e in case.evaluations):
        day = case.eerstejaarsevaluatie_date
        moments.append({"datum": dutch.datum(day), "week": _week(case, day), "soort": "eerstejaarsevaluatie",
                        "status": "gehouden" if day <= peildatum else "gepland", "verslag": ""})
    return moments


def plan_van_aanpak_context(case: m.Case, peildatum: date) -> Context:
    casemanager = case.first_with_role(m.Rol.CASEMANAGER)
    werkgever = case.first_with_role(m.Rol.WERKGEVER)
    werknemer = case.first_with_role(m.Rol.WERKNEMER)
    if case.coach_contact_weeks:
        contact = (f"De werknemer heeft ten minste elke {case.coach_contact_weeks} weken contact met de "
                   "re-integratiecoach.")
    else:
        contact = "De contactfrequentie met de re-integratiecoach is nog niet afgesproken."
    return {
        **common_context(case),
        "probleemanalyse": _datum_week(case, case.probleemanalyse_date, "nog niet bekend"),
        "datum_plan": dutch.datum(case.plan_van_aanpak_date),
        "week_plan": _week(case, case.plan_van_aanpak_date),
        "doel": case.goal,
        "spoor": SPOOR_TEXT[case.spoor],
        "visie_werkgever": _text(case.employer_view),
        "visie_werknemer": _text(case.employee_view),
        "betrokkenen": [
            {"rol": p.role.value, **_person(p)} for p in case.people
        ],
        "afspraken": [
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.datum(a.due, "doorlopend"), "status": a.status.value}
            for a in case.agreements
        ],
        "contact": contact,
        "evaluatie_frequentie": (f"Werkgever en werknemer evalueren dit plan ten minste elke "
                                 f"{rules.WEEKS_BETWEEN_EVALUATIONS} weken, samen met de casemanager."),
        "evaluaties": evaluation_moments(case, peildatum),
        "bijstellingen": [
            {"datum": dutch.datum(b.date), "wijziging": b.change, "reden": b.reason or "",
             "visie_werkgever": b.employer_view or "", "visie_werknemer": b.employee_view or ""}
            for b in case.bijstellingen
        ],
        "casemanager": _person(casemanager),
        "ondertekenaar_werkgever": _person(werkgever),
        "ondertekenaar_werknemer": _person(werknemer),
    }


PLAN_VAN_AANPAK = DocumentKind(
    key="plan-van-aanpak",
    title="Plan van aanpak",
    missing=lambda case: [],
    context=plan_van_aanpak_context,
    day=lambda case, peildatum: case.plan_van_aanpak_date,
)

def _signers(case: m.Case, roles: tuple[m.Rol, ...], day: str) -> list[Context]:
    """Signature rows: name, role and organisation of each person with one of `roles`."""
    signers = []
    for role in roles:
        for person in case.people_with_role(role):
            signers.append({"rol": role.value.capitalize(), "naam": person.name,
                            "organisatie": person.organisation or (case.employer if role is m.Rol.WERKGEVER else ""),
                            "datum": day})
    return signers


def _coach(case: m.Case) -> Context:
    coach = case.first_with_role(m.Rol.COACH)
    result = _person(coach)
    result["naam"] = result["naam"] or "nog niet bekend"
    result["organisatie"] = result["organisatie"] or "nog niet bekend"
    return result


def _period(start: date | None, end: date | None) -> str:
    if start and end:
        return dutch.periode(start, end)
    if start:
        return f"vanaf {dutch.datum(start)}"
    if end:
        return f"tot en met {dutch.datum(end)}"
    return "geen datum"


def _months_between(start: date, end: date) -> str:
    months = round((end - start).days / 30.44)
    return f"ongeveer {months} maand{'en' if months != 1 else ''}" if months >= 1 else "korter dan een maand"


PROFILE_TITLES = {
    m.ProfilePart.OPLEIDING: "Opleiding",
    m.ProfilePart.WERKERVARING: "Werkervaring",
    m.ProfilePart.VAARDIGHEID: "Vaardigheden",
    m.ProfilePart.INTERESSE: "Interesses",
    m.ProfilePart.WENS: "Wensen",
    m.ProfilePart.BEPERKING: "Functionele beperkingen (zoals de bedrijfsarts ze vaststelt)",
}


def _suitability(case: m.Case, wage: float | None) -> str:
    """The 30 % rule for one zoekprofiel function, in words and numbers."""
    if wage is None:
        return "geen loonindicatie"
    if case.monthly_wage is None:
        return "oud maandloon onbekend"
    check = measures.wage_check(case.monthly_wage, wage)
    assert check is not None
    if check.suitable:
        return f"passend: {dutch.procent(check.ratio)} van het oude loon"
    return (f"NIET PASSEND: {dutch.procent(check.loss)} lager dan het oude loon "
            f"(meer dan {dutch.procent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)})")


def trajectplan_missing(case: m.Case) -> list[str]:
    lacking = []
    if case.tweede_spoor_start is None:
        lacking.append("vul 'Start tweede spoor' in op sheet Dossier")
    for rows, sheet in ((case.persoonsprofiel, "Persoonsprofiel"), (case.zoekprofiel, "Zoekprofiel"),
                        (case.interventions, "Interventies"), (case.report_moments, "Rapportages")):
        if not rows:
            lacking.append(f"sheet {sheet} is leeg of ontbreekt")
    return lacking


def trajectplan_context(case: m.Case, peildatum: date) -> Context:
    trajectory = measures.trajectory(case)
    assert trajectory is not None
    phases = []
    for phase in (*m.Phase, None):
        items = [i for i in case.interventions if i.phase is phase]
        if items:
            phases.append({
                "titel": charts.PHASE_TITLE[phase],
                "activiteiten": [
                    {"activiteit": i.activity, "uitvoerder": i.performer or "", "periode": _period(i.start, i.end),
                     "status": i.status.value if i.status else "", "resultaat": i.result or ""}
                    for i in items
                ],
            })
    end = case.tweede_spoor_end
    return {
        **common_context(case),
        "start_tweede_spoor": _datum_week(case, case.tweede_spoor_start, ""),
        "einde_tweede_spoor": _datum_week(case, end, "nog niet bepaald"),
        "duur": _months_between(case.tweede_spoor_start, end) if end else "nog niet bepaald",
        "coach": _coach(case),
        "doel": case.goal,
        "persoonsprofiel": [
            {"onderdeel": PROFILE_TITLES[part],
             "regels": [p.description for p in case.persoonsprofiel if p.part is part] or [NOT_RECORDED]}
            for part in m.ProfilePart
        ],
        "zoekprofiel": [
            {"rang": str(z.rank), "functie": z.function, "sector": z.sector or "", "waarom": z.why_suitable or "",
             "loon": dutch.euro(z.indicated_monthly_wage, "", cents=False), "passend": _suitability(case, z.indicated_monthly_wage)}
            for z in case.zoekprofiel
        ],
        "oud_maandloon": dutch.euro(case.monthly_wage),
        "fases": phases,
        "rapportages": [
            {"datum": dutch.datum(r.date), "week": _week(case, r.date), "soort": r.kind or "rapportage",
             "status": r.status.value if r.status else ""}
            for r in case.report_moments
        ],
        "tijdlijn": Image(charts.timeline_png(trajectory, case.interventions, case.report_moments, peildatum), 165),
        "ondertekening": _signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.COACH), ""),
    }


def sollicitatieoverzicht_missing(case: m.Case) -> list[str]:
    return [] if case.applications else ["sheet Sollicitaties is leeg of ontbreekt"]


def _calendar_weeks(week: measures.WeekCount) -> str:
    return " / ".join(f"{number} ({year})" for year, number in week.calendar_weeks)


def sollicitatieoverzicht_context(case: m.Case, peildatum: date) -> Context:
    summary = measures.application_summary(case)
    agreed = summary.agreed_per_week
    assert agreed is not None  # validation requires it once there are applications
    share = summary.share_met
    return {
        **common_context(case),
        "afgesproken": f"{agreed} per week",
        "periode": _period(case.applications[0].date, case.applications[-1].date),
        "week1": dutch.datum(case.first_sick_day),
        "sollicitaties": [
            {"datum": dutch.datum(a.date), "werkgever": a.employer, "functie": a.function,
             "gevonden_via": a.found_via or "", "wijze": a.applied_how or "",
             "resultaat": a.result.value if a.result else "", "bewijs": a.proof or "GEEN BEWIJS",
             "besproken": dutch.ja_nee(a.discussed_with_coach, "onbekend")}
            for a in case.applications
        ],
        "weken": [
            {"week": str(w.week), "kalenderweek": _calendar_weeks(w),
             "periode": dutch.periode(w.start, w.end), "aantal": str(w.count),
             "afspraak": str(w.agreed),
             "oordeel": "gehaald" if w.met else f"NIET GEHAALD ({w.shortfall} te weinig)",
             "achtergrond": "FFFFFF" if w.met else "D9D9D9"}
            for w in summary.weeks
        ],
        "totaal": str(summary.total),
        "per_resultaat": [{"resultaat": r, "aantal": str(n)} for r, n in summary.by_result],
        "zonder_bewijs": str(summary.without_proof),
        "niet_besproken": str(summary.not_discussed),
        "bespreking_onbekend": str(summary.discussion_unknown),
        "aantal_weken": str(len(summary.weeks)),
        "weken_gehaald": str(summary.weeks_met),
        "aandeel_gehaald": dutch.procent(share) if share is not None else "",
        "grafiek": Image(charts.applications_png(summary.weeks, agreed), 250),
        "ondertekening": _signers(case, (m.Rol.WERKNEMER, m.Rol.COACH), ""),
    }


EINDEVALUATIE_REQUIRED = (("date", "Datum"), ("outcome", "Uitkomst"), ("course", "Verloop"), ("result", "Resultaat"))

OUTCOME_TEXT = {
    m.Outcome.NIEUW_WERK: "Nieuw werk bij een andere werkgever.",
    m.Outcome.EIGEN_WERK: "Terug in het eigen werk bij de eigen werkgever.",
    m.Outcome.ANDER_WERK_EIGEN_WERKGEVER: "Ander werk bij de eigen werkgever.",
    m.Outcome.GEEN_WERK_WIA: "Geen werk gevonden; de werknemer vraagt een WIA-uitkering aan.",
}


def eindevaluatie_missing(case: m.Case) -> list[str]:
    final = case.eindevaluatie
    if final is None:
        return ["sheet Eindevaluatie is leeg of ontbreekt (nodig: Datum, Uitkomst, Verloop en Resultaat)"]
    absent = [label for attr, label in EINDEVALUATIE_REQUIRED
              if getattr(final, attr) is None and not (attr == "date" and case.eindevaluatie_date)]
    return [f"vul op sheet Eindevaluatie in: {dutch.opsomming(absent)}"] if absent else []


def earning_capacity(case: m.Case) -> Context:
    """The computed conclusion on earning capacity: ratio, 65 % (WIA) and 30 % (passend werk)."""
    final = case.eindevaluatie
    new = final.new_monthly_wage if final else None
    old = case.monthly_wage
    check = measures.wage_check(old, new)
    if check is None:
        if new is None and final and final.outcome is m.Outcome.GEEN_WERK_WIA:
            reason = "De werknemer heeft geen nieuw werk; er is geen nieuw loon om te vergelijken."
        elif old is None:
            reason = "Niet te berekenen: het oude maandloon ontbreekt (veld Maandloon op sheet Dossier)."
        else:
            reason = "Niet te berekenen: het nieuwe maandloon ontbreekt (veld Nieuw maandloon op sheet Eindevaluatie)."
        return {"oud": dutch.euro(old), "nieuw": dutch.euro(new), "percentage": "", "verlies": "",
                "wia_toets": reason, "passend_toets": ""}
    threshold = dutch.procent(rules.WIA_EARNING_THRESHOLD, 0)
    loss_limit = dutch.procent(1 - rules.WIA_EARNING_THRESHOLD, 0)
    if check.satisfactory:
        wia = (f"Het nieuwe loon is {dutch.procent(check.ratio)} van het oude loon: {threshold} of meer. Het verlies "
               f"aan verdiencapaciteit ({dutch.procent(check.loss)}) blijft onder {loss_limit}; UWV ziet dit als "
               "een bevredigend resultaat.")
    else:
        wia = (f"Het nieuwe loon is {dutch.procent(check.ratio)} van het oude loon: minder dan {threshold}. Het verlies "
               f"aan verdiencapaciteit ({dutch.procent(check.loss)}) is {loss_limit} of meer; een WIA-aanvraag "
               "ligt voor de hand.")
    limit = dutch.procent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)
    if check.suitable:
        suitable = f"Het nieuwe loon ligt {dutch.procent(check.loss)} onder het oude: binnen de {limit} van passend werk."
    else:
        suitable = (f"Het nieuwe loon ligt {dutch.procent(check.loss)} onder het oude: meer dan {limit}, dus volgens "
                    "de vuistregel geen passend werk.")
    return {"oud": dutch.euro(old), "nieuw": dutch.euro(new), "percentage": dutch.procent(check.ratio),
            "verlies": dutch.procent(check.loss), "wia_toets": wia, "passend_toets": suitable}


def eindevaluatie_context(case: m.Case, peildatum: date) -> Context:
    final = case.eindevaluatie
    assert final is not None
    day = measures.eindevaluatie_date(case)
    summary = measures.application_summary(case)
    latest = case.evaluations[-1] if case.evaluations else None
    share = summary.share_met
    return {
        **common_context(case),
        "start_tweede_spoor": _datum_week(case, case.tweede_spoor_start, "geen tweede spoor"),
        "einde_tweede_spoor": _datum_week(case, case.tweede_spoor_end, "niet bekend"),
        "datum_eindevaluatie": _datum_week(case, day, ""),
        "datum": dutch.datum(day),
        "uitkomst": OUTCOME_TEXT[final.outcome] if final.outcome else "",
        "verloop": final.course or "",
        "resultaat": final.result or "",
        "verdiencapaciteit": earning_capacity(case),
        "conclusie_casemanager": _text(final.earning_capacity_conclusion, "Niet ingevuld door de casemanager."),
        "laatste_evaluatie": (f"{dutch.datum(latest.date)} ({(latest.kind or m.EvaluationKind.PERIODIEK).value})"
                              f"{': ' + latest.report if latest.report else ''}" if latest else "Geen evaluaties vastgelegd."),
        "afspraken": [
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.datum(a.due, "doorlopend"), "status": a.status.value}
            for a in case.agreements
        ],
        "interventies": [
            {"fase": charts.PHASE_TITLE[i.phase].lower() if i.phase else "", "activiteit": i.activity,
             "uitvoerder": i.performer or "", "periode": _period(i.start, i.end),
             "status": i.status.value if i.status else "", "resultaat": i.result or ""}
            for i in case.interventions
        ],
        "sollicitaties": {
            "totaal": str(summary.total),
            "afgesproken": f"{summary.agreed_per_week} per week" if summary.agreed_per_week else "niet afgesproken",
            "weken": str(len(summary.weeks)),
            "weken_gehaald": str(summary.weeks_met),
            "aandeel_gehaald": dutch.procent(share) if share is not None else "",
            "uitgenodigd": str(dict(summary.by_result).get(m.ApplicationResult.UITGENODIGD.value, 0)),
            "aangenomen": str(dict(summary.by_result).get(m.ApplicationResult.AANGENOMEN.value, 0)),
            "zonder_bewijs": str(summary.without_proof),
        },
        "kwaliteit_arbeidsrelatie": _text(final.working_relationship, "Niet ingevuld."),
        "passend_werk_eigen_werkgever": _text(final.suitable_work_own_employer, "Niet ingevuld."),
        "oordeel_werknemer": _text(final.employee_opinion, "Niet ingevuld."),
        "ondertekening": _signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER, m.Rol.COACH),
                                  dutch.datum(day)),
    }


TRAJECTPLAN = DocumentKind(
    key="trajectplan",
    title="Trajectplan",
    missing=trajectplan_missing,
    context=trajectplan_context,
    day=lambda case, peildatum: case.tweede_spoor_start or case.plan_van_aanpak_date,
)

SOLLICITATIEOVERZICHT = DocumentKind(
    key="sollicitatieoverzicht",
    title="Sollicitatieoverzicht",
    missing=sollicitatieoverzicht_missing,
    context=sollicitatieoverzicht_context,
    day=lambda case, peildatum: case.applications[-1].date,
)

EINDEVALUATIE = DocumentKind(
    key="eindevaluatie",
    title="Eindevaluatie",
    missing=eindevaluatie_missing,
    context=eindevaluatie_context,
    day=lambda case, peildatum: measures.eindevaluatie_date(case) or peildatum,
)

# Every document of a case, in the order of the re-integration dossier.
DOCUMENTS: tuple[DocumentKind, ...] = (PLAN_VAN_AANPAK, TRAJECTPLAN, SOLLICITATIEOVERZICHT, EINDEVALUATIE)


def wia_bundel_context(case: m.Case, bundle: "Bundle", timeline: "TimelineResult", peildatum: date) -> Context:
    """The cover and index of the WIA bundle, with the findings of the timeline check."""
    week = rules.week_number(case.first_sick_day, peildatum)
    return {
        **common_context(case),
        "peildatum": dutch.datum(peildatum),
        "week_nu": f"week {week}",
        "wia_uiterlijk": dutch.datum(rules.last_day_of_week(case.first_sick_day, rules.WEEK_WIA_AANVRAAG)),
        "einde_wachttijd": dutch.datum(rules.last_day_of_week(case.first_sick_day, rules.WEEK_EINDE_WACHTTIJD)),
        "onderdelen": [
            {"nr": str(number), "onderdeel": e.title, "status": e.status,
             "datum": dutch.datum(e.day, ""), "door": e.written_by,
             "aanleveren": e.supplier if e.outstanding else "", "toelichting": e.note,
             "bestand": e.filename or ""}
            for number, e in enumerate(bundle.entries, start=1)
        ],
        "compleet": not bundle.missing,
        "ontbreekt": dutch.opsomming(list(bundle.missing)),
        "bevindingen": [
            {"week": str(f.week) if f.week else "", "datum": dutch.datum(f.day, ""), "ernst": f.severity.value,
             "melding": f.message}
            for f in timeline.findings
        ],
        "termijnen": [
            {"datum": dutch.datum(d.day), "week": str(d.week), "wat": d.what} for d in timeline.deadlines
        ],
    }
