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
        wia = (f"Het nieuwe loon is {dutch.procent(check.ratio)} van het oude loon: minder dan {threshold}. "
               f"Het verlies aan verdiencapaciteit ({dutch.procent(check.loss)}) is {loss_limit} of meer; een "
               "WIA-aanvraag ligt voor de hand.")
    limit = dutch.procent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)
    if check.suitable:
        suitable = (f"Het nieuwe loon ligt {dutch.procent(check.loss)} onder het oude: binnen de {limit} van "
                    "passend werk.")
    else:
        suitable = (f"Het nieuwe loon ligt {dutch.procent(check.loss)} onder het oude: meer dan {limit}, dus volgens "
                    "de vuistregel geen passend werk.")
    return {"oud": dutch.euro(old), "nieuw": dutch.euro(new), "percentage": dutch.procent(check.ratio),
            "verlies": dutch.procent(check.loss), "wia_toets": wia, "passend_toets": suitable}


def actueel_oordeel(case: m.Case, day: date) -> str:
    """The company doctor's actueel oordeel the eindevaluatie builds on: date and author."""
    oordeel = case.actueel_oordeel_date
    if oordeel is None or oordeel > day:
        return "Er lag op de datum van deze eindevaluatie geen actueel oordeel van de bedrijfsarts."
    supplied = [b for b in case.bundle if b.document is m.BundleDocument.ACTUEEL_OORDEEL and b.written_by]
    author = supplied[-1].written_by if supplied else named(case.first_with_role(m.Rol.BEDRIJFSARTS))
    return f"Actueel oordeel van {dutch.datum(oordeel)}" + (f", opgesteld door {author}" if author else "") + "."


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
        hours = f"{dutch.getal(final.new_hours)} uur per week"
        if case.contract_hours:
            share = measures.floor_fraction(Decimal(str(final.new_hours)) / Decimal(str(case.contract_hours)))
            hours += f" ({dutch.procent(share)} van de oude {dutch.getal(case.contract_hours)} contracturen)"
        rows.append({"label": "Uren", "waarde": hours + "."})
        limit = hours_limit(case)
        if limit is not None:
            within = "blijft daarbinnen" if final.new_hours <= limit else "gaat daarboven"
            rows.append({"label": "Tegen de beperkingen",
                         "waarde": f"De functionele beperkingen staan hoogstens {dutch.getal(limit)} uur per week "
                                   f"toe; het nieuwe werk {within}."})
    if final.contract_kind is m.ContractKind.VAST:
        rows.append({"label": "Contract", "waarde": "Vast contract (voor onbepaalde tijd)."})
    elif final.contract_kind is m.ContractKind.TIJDELIJK:
        until = f" tot en met {dutch.datum(final.contract_end)}" if final.contract_end else ", einddatum niet bekend"
        rows.append({"label": "Contract", "waarde": f"Tijdelijk contract{until}."})
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
        "einde_tweede_spoor": date_and_week(case, case.tweede_spoor_end, "niet bekend"),
        "datum_eindevaluatie": date_and_week(case, day, ""),
        "datum": dutch.datum(day),
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
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.datum(a.due, "doorlopend"), "status": a.status.value}
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
            "aandeel_gehaald": dutch.procent(share) if share is not None else "",
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

