"""Write the fictional example cases in input/ (and their bundle attachments).

Developer tool behind `make examples`. Every name, number and organisation is made up; the
BSNs are test numbers that pass the elfproef. The workbooks start from `new-case`'s empty
workbook, so they show a casemanager exactly the layout they get themselves.
"""

from __future__ import annotations

import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipeline.intake.newcase import empty_workbook, fit_row_heights  # noqa: E402
from pipeline.intake.values import normalise_label  # noqa: E402

INPUT = ROOT / "input"


def week(first: date, n: int, weekday: int = 2) -> date:
    """A day in Poortwachter week n (weekday 0 = the weekday of the first sick day)."""
    return first + timedelta(days=7 * (n - 1) + weekday)


def fill(workbook, dossier: dict[str, object], tables: dict[str, list[dict[str, object]]],
         eindevaluatie: dict[str, object] | None = None) -> None:
    for sheet_name, values in (("Dossier", dossier), ("Eindevaluatie", eindevaluatie or {})):
        sheet = workbook[sheet_name]
        rows = {normalise_label(str(sheet.cell(row=r, column=1).value)): r for r in range(2, sheet.max_row + 1)}
        for label, value in values.items():
            sheet.cell(row=rows[normalise_label(label)], column=2, value=value)
        fit_row_heights(sheet)
    for sheet_name, records in tables.items():
        sheet = workbook[sheet_name]
        headers = [normalise_label(str(c.value)) for c in sheet[1]]
        for offset, record in enumerate(records, start=2):
            for label, value in record.items():
                cell = sheet.cell(row=offset, column=headers.index(normalise_label(label)) + 1, value=value)
                # What Excel does for a value typed in the column: it takes the column's format
                # (dates as dd-mm-jjjj, amounts with two decimals); openpyxl would not.
                cell.number_format = sheet.column_dimensions[cell.column_letter].number_format


def pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF with the given lines (stand-in for a scanned document)."""
    text = "BT /F1 11 Tf 56 780 Td 14 TL " + " ".join(
        "(" + line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)") + ") '" for line in lines) + " ET"
    stream = text.encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def early_case() -> None:
    """A spoor-1 case in its first months: plan van aanpak made, no tweede spoor."""
    first = date(2026, 9, 7)
    wb = empty_workbook()
    fill(wb, {
        "Dossiernummer": "DOS-2026-031",
        "Naam werknemer": "Mohamed El Amrani",
        "Geboortedatum": date(1979, 4, 18),
        "BSN": "111222333",
        "Functie": "Magazijnmedewerker",
        "Werkgever": "Van Dijk Logistiek B.V.",
        "Aard van het bedrijf": "Opslag en distributie van levensmiddelen",
        "Contracturen": 38,
        "Maandloon": 2780,
        "Eerste ziektedag": first,
        "Datum probleemanalyse": week(first, 6),
        "Datum plan van aanpak": week(first, 7, 3),
        "Re-integratiedoel": "Terugkeer in het eigen werk als magazijnmedewerker, eerst met aangepaste taken "
                             "(geen tillen boven 10 kg) en een opbouw van 4 naar 8 uur per dag.",
        "Visie werkgever": "Wij willen Mohamed graag behouden. Aangepast werk bij de orderverwerking is mogelijk "
                           "zolang het tillen beperkt blijft.",
        "Visie werknemer": "Ik wil zo snel mogelijk terug naar mijn eigen team en begin graag met halve dagen.",
        "Spoor": 1,
        "Contact coach elke weken": 3,
    }, {
        "Betrokkenen": [
            {"Rol": "werkgever", "Naam": "Karin van Dijk", "Organisatie": "Van Dijk Logistiek B.V.",
             "E-mail": "k.vandijk@vandijklogistiek.example", "Telefoon": "0341 555 120"},
            {"Rol": "werknemer", "Naam": "Mohamed El Amrani", "Telefoon": "06 5555 0101"},
            {"Rol": "casemanager", "Naam": "Jeroen Visser", "Organisatie": "Van Dijk Logistiek B.V.",
             "E-mail": "j.visser@vandijklogistiek.example"},
            {"Rol": "bedrijfsarts", "Naam": "dr. A. Hoekstra", "Organisatie": "ArboNed Midden (fictief)"},
        ],
        "Afspraken": [
            {"Afspraak": "Aangepaste taken bij de orderverwerking, zonder tillen boven 10 kg", "Wie": "Karin van Dijk",
             "Uiterlijk": week(first, 8), "Status": "gedaan"},
            {"Afspraak": "Werkhervatting 4 uur per dag, elke 2 weken 1 uur erbij", "Wie": "Mohamed El Amrani",
             "Uiterlijk": week(first, 16), "Status": "open"},
            {"Afspraak": "Vervolgconsult bedrijfsarts over de belastbaarheid", "Wie": "dr. A. Hoekstra",
             "Uiterlijk": week(first, 12), "Status": "open"},
            {"Afspraak": "Evaluatie plan van aanpak met werkgever, werknemer en casemanager", "Wie": "Jeroen Visser",
             "Uiterlijk": week(first, 13)},
        ],
        "Evaluaties": [
            {"Datum": week(first, 11), "Soort": "periodiek",
             "Verslag": "Opbouw loopt volgens plan; 5 uur per dag haalbaar."},
        ],
    })
    wb.save(INPUT / "DOS-2026-031 El Amrani.xlsx")


# The full example's relapse: sick for six days, fit for fourteen, then sick again. Less than 4 weeks
# apart, the periods add up (samentelling): the fourteen fit days do not count, so from the second
# period on every Poortwachter week falls on the dates it would have had from 10 March 2025.
RELAPSE = ((date(2025, 2, 24), date(2025, 3, 2)), (date(2025, 3, 16), None))


def full_case_history(first: date) -> dict[str, list[dict[str, object]]]:
    """The full example's version-2 sheets: the relapse, an advice followed with a bijstelling, the
    work resumption, the coach contacts, a reasoned departure and the toelichting of short weeks.
    `first` is the day the calendar runs from after the relapse (see RELAPSE)."""
    coach_weeks = [*range(53, 72, 2), *range(74, 87, 2)]  # every 2 weeks, but the summer break
    return {
        "Verzuimverloop": [{"Ziek vanaf": sick, "Hersteld op": fit} for sick, fit in RELAPSE],
        "Adviezen": [
            {"Datum": week(first, 39, 0), "Van": "bedrijfsarts",
             "Advies": "Tilwerk blijft ook na opbouw niet mogelijk; laat onderzoeken welk passend werk er binnen en "
                       "buiten De Linde is.",
             "Opgevolgd op": week(first, 40, 0),
             "Hoe opgevolgd": "Arbeidsdeskundig onderzoek aangevraagd; het plan van aanpak is in week 44 bijgesteld."},
        ],
        "Werkhervatting": [
            {"Vanaf": week(first, 10, 0), "Uren per week": 8, "Soort": "arbeidstherapeutisch"},
            {"Vanaf": week(first, 12, 0), "Uren per week": 12, "Soort": "aangepast eigen werk"},
            {"Vanaf": week(first, 15, 0), "Uren per week": 16, "Soort": "aangepast eigen werk"},
            {"Vanaf": week(first, 31, 0), "Uren per week": 8, "Soort": "ander werk eigen werkgever"},
        ],
        "Contacten": [
            {"Datum": week(first, n, 1), "Met": "re-integratiecoach", "Onderwerp": "Voortgang tweede spoor"}
            for n in coach_weeks
        ] + [
            {"Datum": week(first, 25, 0), "Met": "bedrijfsarts", "Onderwerp": "Belastbaarheid en opbouw"},
            {"Datum": week(first, 43, 0), "Met": "arbeidsdeskundige",
             "Onderwerp": "Uitkomst arbeidsdeskundig onderzoek"},
        ],
        "Afwijkingen": [
            {"Regel": "coach-contact", "Datum": week(first, 71, 1),
             "Reden": "Zomervakantie van de coach; in overleg één gesprek overgeslagen, de werknemer kon de coach "
                      "mailen.", "Akkoord werknemer": "ja"},
        ],
        "Weektoelichting": [
            {"Week van": week(first, 68, 0), "Toelichting": "Eerste week van de werkervaringsplek; één sollicitatie."},
            {"Week van": week(first, 72, 0), "Toelichting": "Zomervakantie, vooraf afgestemd met de coach."},
            {"Week van": week(first, 76, 0), "Toelichting": "Twee sollicitatiegesprekken voorbereid en gevoerd."},
        ],
    }


def full_case() -> None:
    """A whole tweede-spoor case from plan van aanpak to eindevaluatie, with bundle attachments."""
    first = date(2025, 3, 10)
    attachments = INPUT / "bijlagen" / "DOS-2025-014"
    attachments.mkdir(parents=True, exist_ok=True)
    supplied = [
        ("probleemanalyse", "probleemanalyse.pdf", week(first, 5), "dr. M. de Boer, bedrijfsarts",
         ["Probleemanalyse (werkgeversversie) - Ingrid Bakker", "Functionele beperkingen: niet tillen boven 10 kg,",
          "geen langdurig staan, maximaal 6 uur per dag.", "dr. M. de Boer, bedrijfsarts"]),
        ("plan van aanpak", "plan-van-aanpak-ondertekend.pdf", week(first, 7, 1),
         "Henk Mulder, werkgever en Ingrid Bakker, werknemer",
         ["Plan van aanpak - Ingrid Bakker (ondertekend exemplaar)", "Getekend door Henk Mulder, werkgever,",
          "en Ingrid Bakker, werknemer, op 22 april 2025."]),
        ("bijstelling plan van aanpak", "bijstelling-2026-02-18-ondertekend.pdf", week(first, 50),
         "Henk Mulder, werkgever en Ingrid Bakker, werknemer",
         ["Bijstelling plan van aanpak van 18 februari 2026 (ondertekend exemplaar)", "Start tweede spoor."]),
        ("eerstejaarsevaluatie", "eerstejaarsevaluatie.pdf", week(first, 50), "Lotte Smit, casemanager",
         ["Eerstejaarsevaluatie - Ingrid Bakker", "Terugkeer in eigen werk niet haalbaar; start tweede spoor."]),
        ("rapportage re-integratiebedrijf", "voortgangsrapportage-1.pdf", week(first, 66),
         "Ahmed Yilmaz, re-integratiecoach",
         ["Voortgangsrapportage 1 - tweede spoor", "Oriëntatie afgerond, zoekprofiel vastgesteld."]),
        ("rapportage re-integratiebedrijf", "voortgangsrapportage-2.pdf", week(first, 79),
         "Ahmed Yilmaz, re-integratiecoach",
         ["Voortgangsrapportage 2 - tweede spoor", "Werkervaringsplek afgerond, sollicitaties lopen."]),
        ("actueel oordeel", "actueel-oordeel.pdf", week(first, 87), "dr. M. de Boer, bedrijfsarts",
         ["Actueel oordeel bedrijfsarts - Ingrid Bakker", "Belastbaarheid ongewijzigd."]),
        ("oordeel werknemer", "oordeel-werknemer.pdf", week(first, 88), "Ingrid Bakker, werknemer",
         ["Oordeel werknemer over de re-integratie", "Ik ben tevreden over de begeleiding."]),
    ]
    for _, name, _, _, lines in supplied:
        (attachments / name).write_bytes(pdf(lines))
    signed = {"plan van aanpak", "bijstelling plan van aanpak", "eerstejaarsevaluatie"}  # scans of signed copies

    applications = []
    # Per function an employer for each round, so no vacancy is applied to three times (a repeat).
    employers = [
        (("Thuiszorg Rivierenland", "Buurtzorg Tiel (fictief)", "Thuiszorg West-Betuwe (fictief)",
          "Wijkzorg Culemborg (fictief)", "Zorgcentrum De Schakel (fictief)"), "Planner thuiszorg", "Indeed",
         "online formulier"),
        (("Huisartsenpraktijk De Brug", "Huisartsenpraktijk Oost (fictief)", "Gezondheidscentrum Veldhuizen (fictief)",
          "Huisartsen Bennekom (fictief)", "Praktijk Kernhem (fictief)"), "Doktersassistent", "netwerk", "e-mail"),
        (("Zilveren Kruis (fictief)", "Zorgverzekeraar Midden (fictief)", "Zorgverzekeraar Oost (fictief)",
          "Zorgverzekeraar Vallei (fictief)", "Zorgverzekeraar Rivierenland (fictief)"),
         "Klantcontactmedewerker zorg", "werk.nl", "online formulier"),
        (("Ziekenhuis Gelderse Vallei (fictief)", "Ziekenhuis Rivierenland (fictief)", "Rijnziekenhuis (fictief)",
          "Ziekenhuis De Gelderse Poort (fictief)", "Streekziekenhuis Betuwe (fictief)"), "Medisch secretaresse",
         "vacaturesite ziekenhuis", "brief"),
        (("Gemeente Ede (fictief)", "Gemeente Wageningen (fictief)", "Gemeente Renkum (fictief)",
          "Gemeente Barneveld (fictief)", "Gemeente Rhenen (fictief)"), "Administratief medewerker Wmo",
         "werkenvoornederland", "online formulier"),
        (("Careyn (fictief)", "Zorggroep Valleihof (fictief)", "Woonzorg Betuwe (fictief)",
          "Zorggroep Oosterlicht (fictief)", "Zorggroep Rijnvallei (fictief)"), "Roosterplanner", "LinkedIn", "e-mail"),
    ]
    results = ["afgewezen", "geen reactie", "afgewezen", "uitgenodigd", "afgewezen", "geen reactie"]
    counts = [2, 2, 1, 2, 3, 2, 0, 2, 2, 2, 1, 2, 2, 2, 2, 2]  # per week from week 66; week 72 none, 67/76 short
    n = 0
    for offset, count in enumerate(counts):
        for k in range(count):
            names, function, via, how = employers[n % len(employers)]
            applications.append({
                "Datum": week(first, 66 + offset, k * 2), "Werkgever": names[n // len(employers)], "Functie": function,
                "Gevonden via": via, "Sollicitatiewijze": how, "Resultaat": results[n % len(results)],
                "Bewijs": f"e-mail {n + 1:02d} in dossiermap" if n % 9 != 4 else None,
                "Besproken met coach": "ja" if n % 7 != 3 else "nee",
            })
            n += 1
    applications[-1].update({"Werkgever": "Thuiszorg Rivierenland", "Functie": "Planner thuiszorg",
                             "Resultaat": "aangenomen", "Bewijs": "arbeidsovereenkomst in dossiermap",
                             "Besproken met coach": "ja"})

    wb = empty_workbook()
    fill(wb, {
        "Dossiernummer": "DOS-2025-014",
        "Naam werknemer": "Ingrid Bakker",
        "Geboortedatum": date(1971, 11, 2),
        "BSN": "123456782",
        "Functie": "Verzorgende IG",
        "Werkgever": "Zorggroep De Linde",
        "Aard van het bedrijf": "Ouderenzorg: verpleeg- en verzorgingshuizen en wijkverpleging",
        "Contracturen": 32,
        "Maandloon": 2850,
        "Eerste ziektedag": RELAPSE[0][0],  # a relapse: see full_case_history
        "Datum probleemanalyse": week(first, 5),
        "Datum plan van aanpak": week(first, 7, 1),
        "Datum melding UWV": week(first, 41),
        "Datum eerstejaarsevaluatie": week(first, 50),
        "Start tweede spoor": week(first, 53, 0),
        "Einde tweede spoor": week(first, 86, 4),
        "Datum eindevaluatie": week(first, 88),
        "Datum actueel oordeel": week(first, 87),
        "Datum trajectplan": week(first, 54),
        "Datum besluit tweede spoor": week(first, 50),
        # Spoor, goal and views as the plan van aanpak states them; the bijstellingen change them.
        "Re-integratiedoel": "Terugkeer in het eigen werk als verzorgende, eerst in aangepast werk op de afdeling "
                             "zonder tillen, met een opbouw naar de contracturen.",
        "Visie werkgever": "Wij willen Ingrid graag behouden. Aangepast werk zonder tillen is op de afdeling "
                           "tijdelijk mogelijk; samen bekijken we of terugkeer in het eigen werk haalbaar is.",
        "Visie werknemer": "Ik wil graag terug naar mijn eigen werk in de zorg en begin met aangepaste taken, "
                           "zonder tillen.",
        "Spoor": "1",
        "Sollicitaties per week": 2,
        "Contact coach elke weken": 2,
    }, {
        "Betrokkenen": [
            {"Rol": "werkgever", "Naam": "Henk Mulder", "Organisatie": "Zorggroep De Linde",
             "E-mail": "h.mulder@delinde.example", "Telefoon": "0318 555 200"},
            {"Rol": "werknemer", "Naam": "Ingrid Bakker", "E-mail": "ingrid.bakker@mail.example"},
            {"Rol": "casemanager", "Naam": "Lotte Smit", "Organisatie": "Zorggroep De Linde",
             "E-mail": "l.smit@delinde.example", "Telefoon": "0318 555 214"},
            {"Rol": "bedrijfsarts", "Naam": "dr. M. de Boer", "Organisatie": "Arbodienst Vallei (fictief)"},
            {"Rol": "arbeidsdeskundige", "Naam": "Fatima Ouali", "Organisatie": "Arbodienst Vallei (fictief)"},
            {"Rol": "re-integratiecoach", "Naam": "Ahmed Yilmaz", "Organisatie": "Werkpad Re-integratie (fictief)",
             "E-mail": "a.yilmaz@werkpad.example"},
        ],
        "Afspraken": [
            {"Afspraak": "Aangepast werk op de afdeling zonder tillen", "Wie": "Henk Mulder",
             "Uiterlijk": week(first, 9), "Status": "vervallen"},
            {"Afspraak": "Opbouw in aangepast werk van 2 naar 4 uur per dag", "Wie": "Ingrid Bakker",
             "Uiterlijk": week(first, 13), "Status": "gedaan"},
            {"Afspraak": "Arbeidsdeskundig onderzoek naar passend werk binnen De Linde", "Wie": "Fatima Ouali",
             "Uiterlijk": week(first, 44), "Status": "gedaan", "Afgesproken op": week(first, 37, 1)},
            {"Afspraak": "Administratieve taken bij de planning, twee dagdelen per week", "Wie": "Henk Mulder",
             "Uiterlijk": week(first, 46), "Status": "gedaan", "Afgesproken op": week(first, 44)},
            {"Afspraak": "Start tweede spoor bij Werkpad Re-integratie", "Wie": "Lotte Smit",
             "Uiterlijk": week(first, 54), "Status": "gedaan", "Afgesproken op": week(first, 50)},
            {"Afspraak": "Twee sollicitaties per week, met bewijs in de dossiermap", "Wie": "Ingrid Bakker",
             "Status": "gedaan", "Afgesproken op": week(first, 66, 0)},
        ],
        "Bijstellingen": [
            {"Datum": week(first, 37, 1), "Wijziging": "Een arbeidsdeskundige onderzoekt welk passend werk er "
                                                      "binnen De Linde is.",
             "Reden": "De opbouw stagneert bij 4 uur per dag en de bedrijfsarts noemt de beperkingen blijvend.",
             "Visie werkgever": "Eens; wij willen weten of er structureel passend werk bij De Linde is.",
             "Visie werknemer": "Eens; ik wil weten wat ik bij De Linde nog kan doen."},
            {"Datum": week(first, 44), "Wijziging": "Spoor 1 wordt beperkt tot administratieve taken bij de planning.",
             "Reden": "Het arbeidsdeskundig onderzoek laat zien dat tilwerk ook na opbouw niet mogelijk is.",
             "Visie werkgever": "Eens; tijdelijke taken bij de planning zijn beschikbaar.",
             "Visie werknemer": "Eens; ik wil die taken graag doen."},
            {"Datum": week(first, 50), "Wijziging": "Start tweede spoor naast spoor 1.",
             "Reden": "Uit de eerstejaarsevaluatie blijkt dat structurele terugkeer in het eigen werk niet "
                      "haalbaar is.",
             "Spoor": "1 en 2",
             "Re-integratiedoel": "Duurzame terugkeer in passend werk. Spoor 1: aangepast werk binnen De Linde. "
                                  "Spoor 2 (vanaf week 53): passend werk bij een andere werkgever, binnen de "
                                  "functionele beperkingen.",
             "Visie werkgever": "Tweede spoor is nodig; De Linde heeft geen structureel passend werk.",
             "Visie werknemer": "Ik begrijp het en wil het tweede spoor een goede kans geven."},
        ],
        "Evaluaties": [
            {"Datum": week(first, 13, 1), "Soort": "periodiek", "Verslag": "Opbouw in aangepast werk gestart."},
            {"Datum": week(first, 19, 1), "Soort": "periodiek", "Verslag": "Opbouw stagneert bij 4 uur."},
            {"Datum": week(first, 25, 1), "Soort": "periodiek", "Verslag": "Bedrijfsarts: beperkingen blijvend."},
            {"Datum": week(first, 31, 1), "Soort": "periodiek", "Verslag": "Administratieve taken 2 dagdelen."},
            {"Datum": week(first, 37, 1), "Soort": "periodiek", "Verslag": "Arbeidsdeskundig onderzoek aangevraagd."},
            {"Datum": week(first, 43, 1), "Soort": "periodiek", "Verslag": "Uitkomst onderzoek besproken."},
            {"Datum": week(first, 49, 1), "Soort": "periodiek", "Verslag": "Voorbereiding eerstejaarsevaluatie."},
            {"Datum": week(first, 50), "Soort": "eerstejaarsevaluatie",
             "Verslag": "Na een jaar werkt Ingrid twee dagdelen van 4 uur per week in administratieve taken bij de "
                        "planning. Het arbeidsdeskundig onderzoek laat zien dat er bij De Linde geen structureel "
                        "passend werk is. Besloten tot een tweede spoor naast spoor 1.",
             "Visie werkgever": "Terugkeer in het eigen werk is niet realistisch; De Linde heeft geen structureel "
                                "passend werk. Wij zetten het tweede spoor direct in en houden de administratieve "
                                "taken zolang aan.",
             "Visie werknemer": "Ik had gehoopt terug te kunnen, maar begrijp dat het niet gaat. Ik wil graag "
                                "aan de slag in de planning of administratie in de zorg."},
            {"Datum": week(first, 56, 1), "Soort": "periodiek", "Verslag": "Tweede spoor gestart, intake gedaan."},
            {"Datum": week(first, 62, 1), "Soort": "periodiek", "Verslag": "Oriëntatie loopt; zoekprofiel in concept."},
            {"Datum": week(first, 68, 1), "Soort": "periodiek", "Verslag": "Werkervaringsplek gevonden."},
            {"Datum": week(first, 74, 1), "Soort": "periodiek", "Verslag": "Werkervaringsplek verloopt goed."},
            {"Datum": week(first, 80, 1), "Soort": "periodiek", "Verslag": "Sollicitaties lopen, twee gesprekken."},
            {"Datum": week(first, 86, 1), "Soort": "periodiek", "Verslag": "Aanbod van Thuiszorg Rivierenland."},
            {"Datum": week(first, 88), "Soort": "eindevaluatie", "Verslag": "Nieuw werk gevonden."},
        ],
        "Persoonsprofiel": [
            {"Onderdeel": "opleiding", "Omschrijving": "MBO niveau 3 Verzorgende IG (2004)"},
            {"Onderdeel": "opleiding", "Omschrijving": "Cursus medische terminologie (2015)"},
            {"Onderdeel": "werkervaring", "Omschrijving": "20 jaar verzorgende in de ouderenzorg, waarvan 6 jaar "
                                                         "als coördinerend verzorgende (roosters, overdrachten)"},
            {"Onderdeel": "vaardigheid", "Omschrijving": "Plannen en organiseren; rustig onder druk"},
            {"Onderdeel": "vaardigheid", "Omschrijving": "Werken met ECD (Ons) en Excel"},
            {"Onderdeel": "interesse", "Omschrijving": "Zorg, planning, contact met cliënten"},
            {"Onderdeel": "wens", "Omschrijving": "Werk in of rond de zorg, 24 tot 32 uur, reistijd tot 45 minuten"},
            {"Onderdeel": "beperking", "Omschrijving": "Niet tillen boven 10 kg"},
            {"Onderdeel": "beperking", "Omschrijving": "Geen langdurig staan of lopen (maximaal 30 minuten achtereen)"},
            {"Onderdeel": "beperking", "Omschrijving": "Maximaal 6 uur per dag, 30 uur per week"},
        ],
        "Zoekprofiel": [
            {"Rang": 1, "Functie": "Planner thuiszorg", "Sector": "Zorg",
             "Waarom passend": "Sluit aan op roosterervaring en zorgkennis; zittend werk.",
             "Indicatie maandloon": 2650},
            {"Rang": 2, "Functie": "Doktersassistent", "Sector": "Eerstelijnszorg",
             "Waarom passend": "Zorgkennis; afwisselend zitten en staan, geen tillen.", "Indicatie maandloon": 2500},
            {"Rang": 3, "Functie": "Medisch secretaresse", "Sector": "Ziekenhuis",
             "Waarom passend": "Medische terminologie en administratie; zittend werk.", "Indicatie maandloon": 2450},
            {"Rang": 4, "Functie": "Klantcontactmedewerker zorgverzekeraar", "Sector": "Zorgverzekering",
             "Waarom passend": "Kennis van zorg; telefonisch werk.", "Indicatie maandloon": 2300},
            {"Rang": 5, "Functie": "Gastvrouw receptie", "Sector": "Zorg en welzijn",
             "Waarom passend": "Contact met cliënten; lichte taken.", "Indicatie maandloon": 1850},
        ],
        "Interventies": [
            {"Fase": "persoonsgericht", "Activiteit": "Intake en kennismaking", "Uitvoerder": "Ahmed Yilmaz",
             "Start": week(first, 53), "Einde": week(first, 53, 3), "Status": "afgerond",
             "Resultaat": "Trajectplan opgesteld"},
            {"Fase": "persoonsgericht", "Activiteit": "Coaching bij het afscheid van het eigen werk (rouwverwerking)",
             "Uitvoerder": "Ahmed Yilmaz", "Start": week(first, 54), "Einde": week(first, 58), "Status": "afgerond",
             "Resultaat": "Open voor ander werk"},
            {"Fase": "arbeidsmarktgericht", "Activiteit": "Arbeidsmarktoriëntatie en beroepentest",
             "Uitvoerder": "Ahmed Yilmaz", "Start": week(first, 56), "Einde": week(first, 62), "Status": "afgerond",
             "Resultaat": "Zoekprofiel met vijf functies"},
            {"Fase": "arbeidsmarktgericht", "Activiteit": "CV, LinkedIn-profiel en elevator pitch",
             "Uitvoerder": "Ahmed Yilmaz", "Start": week(first, 60), "Einde": week(first, 63), "Status": "afgerond"},
            {"Fase": "arbeidsmarktgericht", "Activiteit": "Sollicitatietraining", "Uitvoerder": "Werkpad Re-integratie",
             "Start": week(first, 63), "Einde": week(first, 66), "Status": "afgerond"},
            {"Fase": "werkgericht", "Activiteit": "Werkervaringsplek planning bij Thuiszorg Rivierenland",
             "Uitvoerder": "Thuiszorg Rivierenland", "Start": week(first, 67), "Einde": week(first, 79),
             "Status": "afgerond", "Resultaat": "Positieve beoordeling; 24 uur per week haalbaar"},
            {"Fase": "werkgericht", "Activiteit": "Jobhunting en begeleiding bij sollicitaties",
             "Uitvoerder": "Ahmed Yilmaz", "Start": week(first, 66), "Einde": week(first, 86), "Status": "afgerond",
             "Resultaat": "Aangenomen als planner thuiszorg"},
        ],
        "Rapportages": [
            {"Datum": week(first, 54), "Soort": "trajectplan", "Status": "uitgebracht",
             "Opgesteld door": "Ahmed Yilmaz, re-integratiecoach Werkpad Re-integratie"},
            {"Datum": week(first, 66), "Soort": "voortgangsrapportage 1", "Status": "uitgebracht",
             "Opgesteld door": "Ahmed Yilmaz, re-integratiecoach Werkpad Re-integratie",
             "Toelichting": "Ingrid heeft het afscheid van haar eigen werk een plek gegeven en staat open voor "
                            "ander werk. Uit de oriëntatie en de beroepentest komt een zoekprofiel met vijf "
                            "functies, met planner thuiszorg bovenaan. Na de sollicitatietraining is zij gestart "
                            "met solliciteren. Hierna: een werkervaringsplek als planner en gerichte jobhunting."},
            {"Datum": week(first, 79), "Soort": "voortgangsrapportage 2", "Status": "uitgebracht",
             "Opgesteld door": "Ahmed Yilmaz, re-integratiecoach Werkpad Re-integratie",
             "Toelichting": "De werkervaringsplek bij Thuiszorg Rivierenland is afgerond met een positieve "
                            "beoordeling; 24 uur per week is haalbaar gebleken. Ingrid solliciteert gemiddeld twee "
                            "keer per week; in drie weken lukte dat niet, in week 72 door een vakantieweek. Twee "
                            "gesprekken staan gepland. Hierna: jobhunting gericht op planningsfuncties."},
            {"Datum": week(first, 87), "Soort": "eindrapportage", "Status": "uitgebracht",
             "Opgesteld door": "Ahmed Yilmaz, re-integratiecoach Werkpad Re-integratie",
             "Toelichting": "Ingrid is aangenomen als planner thuiszorg bij Thuiszorg Rivierenland, 28 uur per "
                            "week. Het tweede spoor is daarmee met een plaatsing afgerond."},
        ],
        "Sollicitaties": applications,
        "Bundel": [
            {"Document": document, "Bestand": f"bijlagen/DOS-2025-014/{name}", "Datum": day, "Opgesteld door": by,
             "Ondertekend": "ja" if document in signed else None}
            for document, name, day, by, _ in supplied
        ],
        **full_case_history(first),
    }, {
        "Datum": week(first, 88),
        "Uitkomst": "nieuw werk bij andere werkgever",
        "Verloop": "Na de eerstejaarsevaluatie is het tweede spoor in week 53 gestart. Na coaching en "
                   "oriëntatie volgde een werkervaringsplek van drie maanden als planner bij Thuiszorg "
                   "Rivierenland. Mevrouw Bakker heeft gemiddeld twee keer per week gesolliciteerd.",
        "Resultaat": "Mevrouw Bakker is aangenomen als planner thuiszorg bij Thuiszorg Rivierenland, "
                     "28 uur per week, met een jaarcontract.",
        "Nieuw maandloon": 2480,
        "Kwaliteit arbeidsrelatie": "Goed; werkgever en werknemer hebben steeds constructief samengewerkt.",
        "Passend werk bij eigen werkgever": "Nee: binnen De Linde is geen structureel passend werk zonder tillen "
                                            "en langdurig staan (arbeidsdeskundig onderzoek week 44).",
        "Conclusie verdienmogelijkheden": "Met het nieuwe werk verdient mevrouw Bakker 87 % van haar oude loon; "
                                          "zij benut haar verdienmogelijkheden grotendeels.",
        "Oordeel werknemer": "Ik ben blij met mijn nieuwe baan en tevreden over de begeleiding van Werkpad.",
        "Nieuwe functie": "Planner thuiszorg",
        "Nieuwe werkgever": "Thuiszorg Rivierenland",
        "Uren per week": 28,
        "Soort contract": "tijdelijk",
        "Einde contract": date(2027, 11, 30),
        "Oud dienstverband": "Het dienstverband met Zorggroep De Linde eindigt met wederzijds goedvinden op "
                             "30 november 2026, de dag voor de start bij Thuiszorg Rivierenland; werkgever en "
                             "werknemer hebben dat schriftelijk vastgelegd.",
    })
    wb.save(INPUT / "DOS-2025-014 Bakker.xlsx")


def running_case() -> None:
    """A case in the middle of its tweede spoor, with a missing view (a warning) and no eindevaluatie."""
    first = date(2025, 10, 6)
    wb = empty_workbook()
    applications = []
    for offset, count in enumerate([3, 2, 3, 1, 3]):
        for k in range(count):
            applications.append({"Datum": week(first, 56 + offset, k),
                                 "Werkgever": f"Bouwbedrijf {chr(65 + k)} (fictief)",
                                 "Functie": "Werkvoorbereider", "Gevonden via": "Indeed", "Sollicitatiewijze": "e-mail",
                                 "Resultaat": "in afwachting", "Bewijs": "e-mail in dossiermap",
                                 "Besproken met coach": "ja"})
    fill(wb, {
        "Dossiernummer": "DOS-2026-007",
        "Naam werknemer": "Bas Hendriks",
        "BSN": "012345672",
        "Functie": "Timmerman",
        "Werkgever": "Bouwbedrijf Hendriks & Zn. (fictief)",
        "Aard van het bedrijf": "Woningbouw en renovatie",
        "Contracturen": 40,
        "Maandloon": "3.150",  # typed as text the Dutch way: the pipeline reads 3150
        "Eerste ziektedag": first,
        "Datum probleemanalyse": week(first, 6),
        "Datum plan van aanpak": week(first, 8),
        "Datum melding UWV": week(first, 42),
        "Datum eerstejaarsevaluatie": week(first, 51),
        "Start tweede spoor": week(first, 55),
        "Einde tweede spoor": week(first, 85),
        "Re-integratiedoel": "Passend werk zonder zwaar lichamelijk werk, bij voorkeur in de bouw.",
        "Visie werkgever": "Binnen ons bedrijf is geen werk zonder tillen en klimmen.",
        "Spoor": 2,
        "Sollicitaties per week": 3,
        "Contact coach elke weken": 3,
    }, {
        "Betrokkenen": [
            {"Rol": "werkgever", "Naam": "Paul Hendriks", "Organisatie": "Bouwbedrijf Hendriks & Zn. (fictief)"},
            {"Rol": "werknemer", "Naam": "Bas Hendriks"},
            {"Rol": "casemanager", "Naam": "Sevda Kaya", "Organisatie": "Arbo Zuid (fictief)",
             "E-mail": "s.kaya@arbozuid.example"},
            {"Rol": "re-integratiecoach", "Naam": "Martijn de Groot", "Organisatie": "Tweede Kans Loopbaan (fictief)"},
        ],
        "Evaluaties": [{"Datum": week(first, n), "Soort": "periodiek", "Verslag": "Voortgang besproken."}
                       for n in (14, 20, 26, 32, 38, 44)]
        + [{"Datum": week(first, 51), "Soort": "eerstejaarsevaluatie", "Verslag": "Besloten tot een tweede spoor."},
           {"Datum": week(first, 56), "Soort": "periodiek", "Verslag": "Tweede spoor gestart."}],
        "Afspraken": [
            {"Afspraak": "Start tweede spoor", "Wie": "Sevda Kaya", "Uiterlijk": week(first, 56), "Status": "gedaan"},
            {"Afspraak": "Drie sollicitaties per week", "Wie": "Bas Hendriks", "Status": "open"},
        ],
        "Persoonsprofiel": [
            {"Onderdeel": "opleiding", "Omschrijving": "MBO niveau 3 Timmerman"},
            {"Onderdeel": "werkervaring", "Omschrijving": "18 jaar timmerman in de woningbouw"},
            {"Onderdeel": "beperking", "Omschrijving": "Niet tillen boven 15 kg, niet klimmen"},
        ],
        "Zoekprofiel": [
            {"Rang": 1, "Functie": "Werkvoorbereider bouw", "Sector": "Bouw", "Indicatie maandloon": 3100,
             "Waarom passend": "Kent het werk op de bouwplaats; vooral kantoorwerk, zonder tillen of klimmen."},
            {"Rang": 2, "Functie": "Calculator", "Sector": "Bouw", "Indicatie maandloon": 3000,
             "Waarom passend": "Kennis van materialen en bouwkosten; zittend werk."},
        ],
        "Interventies": [
            {"Fase": "persoonsgericht", "Activiteit": "Intake", "Uitvoerder": "Martijn de Groot",
             "Start": week(first, 55), "Einde": week(first, 55), "Status": "afgerond"},
            {"Fase": "arbeidsmarktgericht", "Activiteit": "Cursus werkvoorbereiding (10 weken)",
             "Uitvoerder": "Bouwmensen (fictief)", "Start": week(first, 57), "Einde": week(first, 67),
             "Status": "lopend"},
        ],
        "Rapportages": [
            {"Datum": week(first, 56), "Soort": "trajectplan", "Status": "uitgebracht"},
            {"Datum": week(first, 68), "Soort": "voortgangsrapportage", "Status": "gepland"},
        ],
        "Sollicitaties": applications,
    })
    wb.save(INPUT / "DOS-2026-007 Hendriks.xlsx")


def main() -> int:
    INPUT.mkdir(exist_ok=True)
    early_case()
    full_case()
    running_case()
    print("voorbeelden geschreven in input/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
