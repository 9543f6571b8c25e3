"""The eindevaluatie: course, result and outcome, the earning capacity (65 % and 30 % tests beside
the casemanager's conclusion), the working relationship, suitable work and the employee's view."""

from __future__ import annotations

from datetime import date

from .. import dutch
from .. import model as m
from ..checks import law as rules
from ..checks import measures
from . import charts
from .common import (
    Context,
    DocumentKind,
    common_context,
    date_and_week,
    or_missing,
    period_text,
    signers,
)

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
        "start_tweede_spoor": date_and_week(case, case.tweede_spoor_start, "geen tweede spoor"),
        "einde_tweede_spoor": date_and_week(case, case.tweede_spoor_end, "niet bekend"),
        "datum_eindevaluatie": date_and_week(case, day, ""),
        "datum": dutch.datum(day),
        "uitkomst": OUTCOME_TEXT[final.outcome] if final.outcome else "",
        "verloop": final.course or "",
        "resultaat": final.result or "",
        "verdiencapaciteit": earning_capacity(case),
        "conclusie_casemanager": or_missing(final.earning_capacity_conclusion, "Niet ingevuld door de casemanager."),
        "laatste_evaluatie": (f"{dutch.datum(latest.date)} ({(latest.kind or m.EvaluationKind.PERIODIEK).value})"
                              f"{': ' + latest.report if latest.report else ''}" if latest else "Geen evaluaties vastgelegd."),
        "afspraken": [
            {"wat": a.what, "wie": a.who, "uiterlijk": dutch.datum(a.due, "doorlopend"), "status": a.status.value}
            for a in case.agreements
        ],
        "interventies": [
            {"fase": charts.PHASE_TITLE[i.phase].lower() if i.phase else "", "activiteit": i.activity,
             "uitvoerder": i.performer or "", "periode": period_text(i.start, i.end),
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
        "kwaliteit_arbeidsrelatie": or_missing(final.working_relationship, "Niet ingevuld."),
        "passend_werk_eigen_werkgever": or_missing(final.suitable_work_own_employer, "Niet ingevuld."),
        "oordeel_werknemer": or_missing(final.employee_opinion, "Niet ingevuld."),
        "ondertekening": signers(case, (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER, m.Rol.COACH),
                                  dutch.datum(day)),
    }



EINDEVALUATIE = DocumentKind(
    key="eindevaluatie",
    title="Eindevaluatie",
    missing=eindevaluatie_missing,
    context=eindevaluatie_context,
    day=lambda case, peildatum: measures.eindevaluatie_date(case) or peildatum,
)

