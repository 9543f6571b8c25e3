"""The controlelijst (`controlelijst.docx`): the RIV-toets done beforehand, for the casemanager.

Internal, never in the WIA zip. Element by element of the re-integratieverslag (Regeling
procesgang eerste en tweede ziektejaar art. 6, items a-l) and the vorm- en
herkenbaarheidsvereisten (Beleidsregels art. 2: each element dated, with the name and function
of whoever wrote or signed it, signed, no medical information), each with a verdict (in orde,
zwak, ontbreekt, or nog niet nodig while it is not yet due) and what to do; then every finding
of the checks and the deadlines ahead, in date order. Whether an element is in the bundle is
the bundle's judgement (`bundle.assemble`); this list reads it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from .. import dutch
from .. import model as m
from ..bundle import index as bundle_stage
from ..checks import law as rules
from ..checks import measures
from ..errors import Finding
from .common import Context, common_context, progress_reports, report_title
from .eerstejaarsevaluatie import the_evaluation

if TYPE_CHECKING:
    from ..bundle.index import Bundle, Entry
    from ..checks.timeline import TimelineResult
    from ..results import Deadline

CONTROLELIJST = "controlelijst.docx"

IN_ORDE = "in orde"
ZWAK = "zwak"
ONTBREEKT = "ontbreekt"
NOG_NIET = "nog niet nodig"
SHADE = {IN_ORDE: "FFFFFF", NOG_NIET: "FFFFFF", ZWAK: "E4E4E4", ONTBREEKT: "BFBFBF"}


@dataclass(frozen=True)
class Verdict:
    """One element of the RIV-toets: which, the verdict, and what to do (or why it is fine)."""

    element: str
    verdict: str
    todo: str

    def context(self) -> Context:
        return {"onderdeel": self.element, "oordeel": self.verdict, "toelichting": self.todo,
                "achtergrond": SHADE[self.verdict]}


def _entries(bundle: Bundle, title: str) -> list[Entry]:
    return [e for e in bundle.entries if e.title == title]


def _presence(bundle: Bundle, title: str, element: str, supply: str) -> Verdict | None:
    """The verdict of an element by its place in the bundle when it is not there; None if it is."""
    found = _entries(bundle, title)
    if any(e.status == bundle_stage.PRESENT for e in found):
        return None
    entry = found[0] if found else None
    if entry is None or entry.status == bundle_stage.NOT_APPLICABLE:
        return Verdict(element, IN_ORDE, entry.note.capitalize() + "." if entry and entry.note else
                       "Niet van toepassing.")
    if entry.status == bundle_stage.NOT_YET:
        return Verdict(element, NOG_NIET, f"Nog niet nodig; {entry.note}.")
    if entry.status == bundle_stage.LEFT_OUT:
        return Verdict(element, ONTBREEKT, f"Het bestand zit niet in de bundel: {entry.note}. Zet het om naar pdf, "
                                           "docx of jpg (hoogstens 10 MB) en geef het nieuwe bestand op.")
    known = f" (van {dutch.date_long(entry.day)})" if entry.day else ""
    return Verdict(element, ONTBREEKT, f"Niet in de bundel{known}. {supply}")


def _views(element: str, employer: str | None, employee: str | None, day: date, what: str) -> Verdict:
    absent = [who for who, view in (("werkgever", employer), ("werknemer", employee)) if not view]
    if not absent or day < rules.VIEWS_REQUIRED_FROM:
        return Verdict(element, IN_ORDE, "Beide visies staan erin." if not absent else
                       "Van vóór 1 juli 2023: de visies waren nog niet verplicht.")
    missing = ("De visies van werkgever en werknemer ontbreken" if len(absent) == 2
               else f"De visie van de {absent[0]} ontbreekt")
    return Verdict(element, ZWAK, f"{missing}; sinds 1 juli 2023 horen beide visies erin. {what}")


def riv_toets(case: m.Case, bundle: Bundle, peildatum: date) -> list[Verdict]:
    """Every element of the re-integratieverslag with its verdict on `peildatum`."""
    final = case.eindevaluatie
    final_missing = _presence(bundle, "Eindevaluatie", "h. Eindevaluatie en laatste evaluatie",
                              "Houd de eindevaluatie en vul de sheet Eindevaluatie in (Datum, Uitkomst, Verloop en "
                              "Resultaat).")
    verdicts: list[Verdict] = []

    # a. Administrative data: the BSN on every document (UWV's upload rules).
    lacking = [label for label, value in (("het BSN", case.bsn), ("de geboortedatum", case.birth_date)) if not value]
    verdicts.append(Verdict("a. Administratieve gegevens", ZWAK if lacking else IN_ORDE,
                            f"Vul {dutch.enumeration(lacking)} in op sheet Dossier"
                            + ("; UWV wil het BSN op elk document." if not case.bsn else ".")
                            if lacking else "Naam, BSN, geboortedatum, functie en werkgever staan op elk document."))
    # b. The nature of the business, in the eindevaluatie.
    verdicts.append(Verdict("b. Aard van het bedrijf", IN_ORDE if case.employer_business else ONTBREEKT,
                            f"Vastgelegd ({case.employer_business}); de eindevaluatie noemt die."
                            if case.employer_business else
                            "Vul 'Aard van het bedrijf' in op sheet Dossier; UWV wil haar in de eindevaluatie."))
    # c. The function and what the employee can.
    limits = [p for p in case.persoonsprofiel if p.part is m.ProfilePart.BEPERKING]
    verdicts.append(Verdict("c. Functie en mogelijkheden", IN_ORDE if limits else ZWAK,
                            f"Functie {case.job_title}; {len(limits)} functionele "
                            f"{'beperking' if len(limits) == 1 else 'beperkingen'} vastgelegd." if limits
                            else "Zet de functionele beperkingen, zoals de bedrijfsarts ze formuleert, op sheet "
                                 "Persoonsprofiel (onderdeel beperking)."))
    # d. The first day of sickness.
    verdicts.append(Verdict("d. Eerste ziektedag", IN_ORDE, f"{dutch.date_long(case.first_sick_day)}."))
    # e. The probleemanalyse and its advice.
    verdicts.append(_presence(bundle, "Probleemanalyse", "e. Probleemanalyse en advies",
                              "Vraag de bedrijfsarts om de probleemanalyse en voeg haar toe op sheet Bundel.")
                    or Verdict("e. Probleemanalyse en advies", IN_ORDE, "In de bundel."))
    # f. The plan van aanpak and every bijstelling, each with both views.
    verdicts.append(_views("f. Plan van aanpak", case.employer_view, case.employee_view, case.plan_van_aanpak_date,
                           "Vul 'Visie werkgever' en 'Visie werknemer' in op sheet Dossier."))
    ordered = sorted(case.bijstellingen, key=lambda b: b.date)
    for b in ordered:
        verdicts.append(_views(f"f. Bijstelling van {dutch.date_long(b.date)}", b.employer_view, b.employee_view,
                               b.date, "Vul de visies in op sheet Bijstellingen."))
    # g. The eerstejaarsevaluatie, with both views, and the decision on the tweede spoor.
    eje = measures.eerstejaarsevaluatie_date(case)
    missing = _presence(bundle, "Eerstejaarsevaluatie", "g. Eerstejaarsevaluatie",
                        "Houd de eerstejaarsevaluatie en vul de datum in op sheet Dossier of Evaluaties.")
    if missing or eje is None:
        verdicts.append(missing or Verdict("g. Eerstejaarsevaluatie", IN_ORDE, "In de bundel (aangeleverd)."))
    else:
        row = the_evaluation(case, eje)
        verdicts.append(_views("g. Eerstejaarsevaluatie", row.employer_view if row else None,
                               row.employee_view if row else None, eje,
                               "Vul 'Visie werkgever' en 'Visie werknemer' in bij de eerstejaarsevaluatie op sheet "
                               "Evaluaties."))
    # h. The latest evaluation: the eindevaluatie, and the evaluation before it.
    if final_missing is not None:
        verdicts.append(final_missing)
    else:
        day = measures.eindevaluatie_date(case)
        before = [e for e in case.evaluations if day and e.date < day and e.kind is not m.EvaluationKind.EINDEVALUATIE]
        verdicts.append(Verdict("h. Eindevaluatie en laatste evaluatie", IN_ORDE if before else ZWAK,
                                "In de bundel, met de laatste evaluatie ervoor." if before else
                                "Er is geen evaluatie vóór de eindevaluatie vastgelegd; leg de laatste evaluatie vast "
                                "op sheet Evaluaties."))

    # i, k, l: views the eindevaluatie must hold; j: the company doctor's actueel oordeel.
    def in_final(element: str, value: str | None, label: str) -> Verdict:
        if final_missing is not None:
            return Verdict(element, final_missing.verdict,
                           f"Hoort in de eindevaluatie: vul '{label}' in op sheet Eindevaluatie.")
        if value:
            return Verdict(element, IN_ORDE, "Staat in de eindevaluatie.")
        return Verdict(element, ONTBREEKT, f"Vul '{label}' in op sheet Eindevaluatie.")

    verdicts.append(in_final("i. Visie op de arbeidsrelatie", final.working_relationship if final else None,
                             "Kwaliteit arbeidsrelatie"))
    verdicts.append(_presence(bundle, "Actueel oordeel", "j. Actueel oordeel (verloop en beperkingen)",
                              "Vraag de bedrijfsarts om het actueel oordeel en voeg het toe op sheet Bundel.")
                    or Verdict("j. Actueel oordeel (verloop en beperkingen)", IN_ORDE, "In de bundel."))
    verdicts.append(in_final("k. Passend werk bij de eigen werkgever",
                             final.suitable_work_own_employer if final else None, "Passend werk bij eigen werkgever"))
    verdicts.append(_presence(bundle, "Oordeel werknemer", "l. Oordeel van de werknemer",
                              "Vraag de werknemer om een eigen oordeel: vul 'Oordeel werknemer' in op sheet "
                              "Eindevaluatie of voeg het toe op sheet Bundel.")
                    or Verdict("l. Oordeel van de werknemer", IN_ORDE, "In de bundel."))
    verdicts += _tweede_spoor(case, bundle, peildatum)
    verdicts += _form(bundle)
    return verdicts


def _tweede_spoor(case: m.Case, bundle: Bundle, peildatum: date) -> list[Verdict]:
    """The reports of the re-integratiebedrijf: the trajectplan, every report, the applications."""
    verdicts = [_presence(bundle, "Trajectplan", "Trajectplan tweede spoor",
                          "Vul de sheets Persoonsprofiel, Zoekprofiel, Interventies en Rapportages en 'Start tweede "
                          "spoor' in, of voeg het trajectplan toe op sheet Bundel.")
                or Verdict("Trajectplan tweede spoor", IN_ORDE, "In de bundel.")]
    overdue = [r for r in case.report_moments if r.status is not m.ReportStatus.UITGEBRACHT and r.date <= peildatum]
    reports = progress_reports(case)
    if overdue:
        verdicts.append(Verdict("Rapportages re-integratiebedrijf", ZWAK, "Gepland maar niet uitgebracht: " +
                                dutch.enumeration([f"{r.kind or 'rapportage'} van {dutch.date_long(r.date)}"
                                                 for r in overdue]) +
                                ". Vraag de coach om de rapportage en zet de status op uitgebracht."))
    elif reports:
        verdicts.append(Verdict("Rapportages re-integratiebedrijf", IN_ORDE,
                                f"{len(reports)} uitgebracht, elk in de bundel: " +
                                dutch.enumeration([f"{report_title(r).lower()} van {dutch.date_long(r.date)}"
                                                 for r in reports]) + "."))
    elif case.tweede_spoor_start and case.tweede_spoor_start <= peildatum:
        verdicts.append(_presence(bundle, "Voortgangsrapportage re-integratiebedrijf",
                                  "Rapportages re-integratiebedrijf",
                                  "Het tweede spoor loopt, maar er is nog geen rapportage uitgebracht; leg de "
                                  "rapportagemomenten vast op sheet Rapportages en vraag de coach om de rapportage.")
                        or Verdict("Rapportages re-integratiebedrijf", IN_ORDE, "In de bundel."))
    if case.applications or (case.tweede_spoor_start and case.tweede_spoor_start <= peildatum):
        verdicts.append(_presence(bundle, "Sollicitatieoverzicht", "Sollicitatieoverzicht",
                                  "Leg de sollicitaties vast op sheet Sollicitaties.")
                        or Verdict("Sollicitatieoverzicht", IN_ORDE, "In de bundel."))
    return verdicts


def _form(bundle: Bundle) -> list[Verdict]:
    """The vorm- en herkenbaarheidsvereisten over every element in the bundle."""
    present = [e for e in bundle.entries if e.status == bundle_stage.PRESENT and e.in_zip]

    def titled(entries: list[Entry]) -> str:
        return dutch.enumeration([e.title.lower() + (f" van {dutch.date_long(e.day)}" if e.day else "")
                                  for e in entries])

    undated = [e for e in present if e.day is None]
    anonymous = [e for e in present if not e.written_by or "," not in e.written_by]
    # A generated document is signed on paper: until its scan is supplied, the bundle holds the
    # unsigned .docx. A supplied file is someone else's document: only an explicit 'nee' counts.
    unsigned = [e for e in present if (e.document is not None) or (e.item is not None and e.item.signed is False)]
    left_out = [e for e in bundle.entries if e.status == bundle_stage.LEFT_OUT]
    return [
        Verdict("Vorm: elk onderdeel gedateerd", ZWAK if undated else IN_ORDE,
                f"Zonder datum: {titled(undated)}. Vul de Datum in op sheet Bundel." if undated
                else "Elk onderdeel in de bundel heeft een datum."),
        Verdict("Vorm: naam en functie van de opsteller", ZWAK if anonymous else IN_ORDE,
                f"Zonder naam en functie: {titled(anonymous)}. Vul 'Opgesteld door' in op sheet Bundel als 'naam, "
                "functie'." if anonymous else "Bij elk onderdeel staan naam en functie van wie het opstelde."),
        Verdict("Vorm: ondertekend", ZWAK if unsigned else IN_ORDE,
                f"Nog geen ondertekend exemplaar in de bundel: {titled(unsigned)}. Laat ze ondertekenen en voeg de "
                "scans toe op sheet Bundel (Document van dezelfde soort en datum, Ondertekend ja); een scan neemt de "
                "plaats in van het gemaakte document." if unsigned
                else "Van elk gemaakt document zit een ondertekend exemplaar in de bundel."),
        Verdict("Vorm: bestanden die UWV aanneemt", ZWAK if left_out else IN_ORDE,
                f"Niet in de bundel: {titled(left_out)}. Zet ze om naar pdf, docx of jpg van hoogstens 10 MB."
                if left_out else "Alle bestanden zijn pdf, docx of jpg van hoogstens 10 MB."),
        Verdict("Geen medische informatie", IN_ORDE,
                "De documenten zijn getoetst op medische termen en de bundel bevat geen medische informatie; die "
                "stuurt de werknemer zelf naar UWV."),
    ]


def _where(f: Finding) -> str:
    parts = [f"sheet {f.sheet}"] if f.sheet else []
    if f.row is not None:
        parts.append(f"rij {f.row}")
    if f.column or f.label:
        parts.append(f"{'kolom' if f.column else 'veld'} {f.column or f.label}")
    return ", ".join(parts)


def controlelijst_context(case: m.Case, bundle: Bundle, timeline: TimelineResult, peildatum: date) -> Context:
    """The RIV-toets on `peildatum`, then every finding and the deadlines ahead, in date order."""
    verdicts = riv_toets(case, bundle, peildatum)
    findings = sorted((*timeline.findings, *bundle.findings), key=lambda f: (f.day is None, f.day or date.min))
    deadlines: list[Deadline] = sorted((*timeline.deadlines, *bundle.deadlines), key=lambda d: (d.day, d.rule))
    counts = {v: sum(1 for x in verdicts if x.verdict == v) for v in (IN_ORDE, ZWAK, ONTBREEKT, NOG_NIET)}
    return {
        **common_context(case),
        "peildatum": dutch.date_long(peildatum),
        "week_nu": f"week {case.week_of(peildatum)}",
        "wia_uiterlijk": dutch.date_long(case.end_of_week(rules.WEEK_WIA_APPLICATION)),
        "samenvatting": ", ".join(f"{n} {v}" for v, n in counts.items() if n),
        "onderdelen": [v.context() for v in verdicts],
        "bevindingen": [
            {"datum": dutch.date_long(f.day, ""), "week": str(f.week) if f.week else "", "ernst": f.severity.value,
             "regel": f.rule, "waar": _where(f), "melding": f.message}
            for f in findings
        ],
        "termijnen": [{"datum": dutch.date_long(d.day), "week": str(d.week), "wat": d.what} for d in deadlines],
    }

