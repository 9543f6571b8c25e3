"""The eindevaluatie as of its date: course, result and outcome, the actueel oordeel it builds on,
the new work (hours against the limits and the old contract, whether it lasts, what happens to
the old employment), the earning capacity (65 % and 30 % tests beside the casemanager's
conclusion), the last evaluation before it, the working relationship, suitable work at the own
employer and the employee's own judgement."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from decimal import Decimal

from .. import dutch
from .. import model as m
from ..checks import law as rules
from ..checks import measures
from . import charts
from .common import (
    Context,
    DocumentKind,
    agreed_on,
    common_context,
    date_and_week,
    evaluation_kind,
    named,
    period_text,
    signers,
)

# 'maximaal 30 uur per week' in a functional limit: the hours the new work is held against.
_HOURS_A_WEEK = re.compile(r"(\d+(?:[.,]\d+)?)\s*uur\s+per\s+week", re.IGNORECASE)

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
    return [f"vul op sheet Eindevaluatie in: {dutch.enumeration(absent)}"] if absent else []


def earning_capacity(case: m.Case) -> Context:
    """The new wage against the old: the share, the loonverlies, and the two rules of thumb (65 %,
    UWV's bevredigend resultaat; 30 %, passend werk). One rounding rule (`measures.WageCheck`): the
    share is rounded down to 0.1 % and the loonverlies is 100 % minus that share, so rounded up.
    Without both wages, `wia_toets` says in one line why there is nothing to compare."""
    final = case.eindevaluatie
    new = final.new_monthly_wage if final else None
    old = case.monthly_wage
    check = measures.wage_check(old, new)
    if check is None:
        if new is None and final and final.outcome is m.Outcome.GEEN_WERK_WIA:
            reason = "De werknemer heeft geen nieuw werk; er is geen nieuw loon om te vergelijken."
        elif old is None:
            reason = ("Het oude maandloon staat niet in het dossier; het nieuwe loon is daarom niet met het oude "
                      "vergeleken.")
        else:
            reason = ("Het nieuwe maandloon staat niet in het dossier; het nieuwe loon is daarom niet met het oude "
                      "vergeleken.")
        return {"oud": dutch.euro(old, ""), "nieuw": dutch.euro(new, ""), "percentage": "", "verlies": "",
                "wia_toets": reason, "passend_toets": ""}
    threshold = dutch.percent(rules.WIA_EARNING_THRESHOLD, 0)
    share, loss = dutch.percent(check.ratio), dutch.percent(check.loss)
    if check.satisfactory:
        wia = (f"Het nieuwe maandloon is {share} van het oude, een loonverlies van {loss}. Volgens de vuistregel van "
               f"UWV is {threshold} of meer van het oude loon een bevredigend resultaat van de re-integratie, mits "
               "het werk passend en duurzaam is.")
    else:
        wia = (f"Het nieuwe maandloon is {share} van het oude, een loonverlies van {loss}. Dat is minder dan de "
               f"{threshold} die volgens de vuistregel van UWV een bevredigend resultaat is; een WIA-aanvraag ligt "
               "voor de hand.")
    limit = dutch.percent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)
    if check.suitable:
        suitable = (f"Het nieuwe maandloon ligt {loss} onder het oude, binnen de {limit} die volgens de vuistregel "
                    "bij passend werk hoort.")
    else:
        suitable = (f"Het nieuwe maandloon ligt {loss} onder het oude, meer dan {limit}; volgens de vuistregel is "
                    "dit geen passend werk.")
    return {"oud": dutch.euro(old), "nieuw": dutch.euro(new), "percentage": dutch.percent(check.ratio),
            "verlies": dutch.percent(check.loss), "wia_toets": wia, "passend_toets": suitable}


def actueel_oordeel(case: m.Case, day: date) -> str:
    """The company doctor's actueel oordeel the eindevaluatie builds on: date and author."""
    oordeel = case.actueel_oordeel_date
    if oordeel is None or oordeel > day:
        return "Er lag op de datum van deze eindevaluatie geen actueel oordeel van de bedrijfsarts."
    supplied = [b for b in case.bundle if b.document is m.BundleDocument.ACTUEEL_OORDEEL and b.written_by]
    author = supplied[-1].written_by if supplied else named(case.first_with_role(m.Rol.BEDRIJFSARTS))
    return f"Actueel oordeel van {dutch.date_long(oordeel)}" + (f", opgesteld door {author}" if author else "") + "."


def hours_limit(case: m.Case) -> float | None:
    """The fewest hours a week a functional limit allows ('maximaal 30 uur per week'), if any."""
    found = [float(h.replace(",", ".")) for p in case.persoonsprofiel if p.part is m.ProfilePart.BEPERKING
             for h in _HOURS_A_WEEK.findall(p.description)]
    return min(found) if found else None


def new_work(case: m.Case, final: m.Eindevaluatie) -> list[Context]:
    """The new work as facts: function, employer, hours against the limits and the old
    contract, and whether it lasts. Empty fields are left out."""
    rows: list[Context] = []
    if final.new_function:
        rows.append({"label": "Functie", "waarde": final.new_function})
    if final.new_employer:
        rows.append({"label": "Werkgever", "waarde": final.new_employer})
    if final.new_hours is not None:
        hours = f"{dutch.number(final.new_hours)} uur per week"
        if case.contract_hours:
            share = measures.floor_fraction(Decimal(str(final.new_hours)) / Decimal(str(case.contract_hours)))
            hours += f" ({dutch.percent(share)} van de oude {dutch.number(case.contract_hours)} contracturen)"
        rows.append({"label": "Uren", "waarde": hours + "."})
        limit = hours_limit(case)
        if limit is not None:
            within = "blijft daarbinnen" if final.new_hours <= limit else "gaat daarboven"
            rows.append({"label": "Belastbaarheid",
                         "waarde": f"de functionele beperkingen staan hoogstens {dutch.number(limit)} uur per week "
                                   f"toe; het nieuwe werk {within}."})
    if final.contract_kind is m.ContractKind.VAST:
        rows.append({"label": "Contract", "waarde": "vast, voor onbepaalde tijd."})
    elif final.contract_kind is m.ContractKind.TIJDELIJK:
        until = f", tot en met {dutch.date_long(final.contract_end)}" if final.contract_end else ""
        rows.append({"label": "Contract", "waarde": f"tijdelijk{until}."})
    return rows


def eindevaluatie_context(case: m.Case, peildatum: date) -> Context:
    final = case.eindevaluatie
    assert final is not None
    day = measures.eindevaluatie_date(case)
    assert day is not None
    summary = measures.application_summary(replace(case, applications=tuple(
        a for a in case.applications if a.date <= day)))
    before = [e for e in sorted(case.evaluations, key=lambda e: e.date)
              if e.date < day and e.kind is not m.EvaluationKind.EINDEVALUATIE]
    latest = before[-1] if before else None
    share = summary.share_met
    return {
        **common_context(case),
        "start_tweede_spoor": date_and_week(case, case.tweede_spoor_start, "geen tweede spoor"),
        "einde_tweede_spoor": date_and_week(case, case.tweede_spoor_end, ""),
        "datum_eindevaluatie": date_and_week(case, day, ""),
        "datum": dutch.date_long(day),
        "uitkomst": OUTCOME_TEXT[final.outcome] if final.outcome else "",
        "verloop": final.course or "",
        "resultaat": final.result or "",
        "actueel_oordeel": actueel_oordeel(case, day),
        "nieuw_werk": new_work(case, final),
        "nieuw_werk_toelichting": ("De werknemer heeft geen nieuw werk gevonden."
                                   if final.outcome is m.Outcome.GEEN_WERK_WIA else
                                   "Bij deze eindevaluatie zijn geen gegevens over het werk vastgelegd."),
        "oud_dienstverband": final.old_employment or "",
        "verdiencapaciteit": earning_capacity(case),
        "conclusie_casemanager": final.earning_capacity_conclusion or "",
        "laatste_evaluatie": ({"datum": date_and_week(case, latest.date, ""), "soort": evaluation_kind(latest),
                               "verslag": latest.report or "Bij deze evaluatie is geen verslag vastgelegd."}
                              if latest else None),
        "afspraken": [
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.date_long(a.due, "doorlopend"), "status": a.status.value}
            for a in case.agreements if agreed_on(case, a) <= day
        ],
        "interventies": [
            {"fase": charts.PHASE_TITLE[i.phase].lower() if i.phase else "", "activiteit": i.activity,
             "uitvoerder": i.performer or "", "periode": period_text(i.start, i.end),
             "status": i.status.value if i.status else "", "resultaat": i.result or ""}
            for i in case.interventions if i.start is None or i.start <= day
        ],
        "sollicitaties": {
            "totaal": str(summary.total),
            "afgesproken": f"{summary.agreed_per_week} per week" if summary.agreed_per_week else "niet afgesproken",
            "weken": str(len(summary.weeks)),
            "weken_gehaald": str(summary.weeks_met),
            "aandeel_gehaald": dutch.percent(share) if share is not None else "",
            "uitgenodigd": str(dict(summary.by_result).get(m.ApplicationResult.UITGENODIGD.value, 0)),
            "aangenomen": str(dict(summary.by_result).get(m.ApplicationResult.AANGENOMEN.value, 0)),
            "zonder_bewijs": str(summary.without_proof),
        },
        "kwaliteit_arbeidsrelatie": final.working_relationship or (
            "De werkgever heeft bij deze eindevaluatie geen oordeel over de arbeidsrelatie vastgelegd."),
        "passend_werk_eigen_werkgever": final.suitable_work_own_employer or (
            "De werkgever heeft bij deze eindevaluatie niet vastgelegd of er passend werk in het eigen bedrijf is."),
        "oordeel_werknemer": final.employee_opinion or (
            "De werknemer heeft bij deze eindevaluatie geen eigen oordeel vastgelegd."),
        "ondertekening": signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER), day),
    }


def _day(case: m.Case, peildatum: date) -> date:
    day = measures.eindevaluatie_date(case)
    assert day is not None  # `eindevaluatie_missing` holds the document back without one
    return day


EINDEVALUATIE = DocumentKind(
    key="eindevaluatie",
    title="Eindevaluatie",
    missing=eindevaluatie_missing,
    context=eindevaluatie_context,
    day=_day,
)

