"""The tweede-spoor documents: trajectplan, sollicitatieoverzicht and eindevaluatie, by content.
(What each document says as of its own date: tests/test_records.py.)"""

from __future__ import annotations

import zipfile
from dataclasses import replace
from datetime import date, timedelta
from io import BytesIO

import openpyxl
import pytest
from docx import Document

from pipeline import documents
from pipeline import model as m
from pipeline.batch import Options
from pipeline.batch.case import render_documents
from pipeline.documents import render
from pipeline.documents.render import Renderer

from .conftest import EARLY_EXAMPLE, TEMPLATES
from .test_batch import run

PEILDATUM = date(2026, 11, 23)


def rendered(case: m.Case, tmp_path) -> dict[str, bytes]:
    files, _ = render_documents(case, Options(tmp_path, tmp_path / "out", TEMPLATES, PEILDATUM), Renderer(TEMPLATES))
    return files


def read(data: bytes):
    document = Document(BytesIO(data))
    body = "\n".join(p.text for p in document.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in document.tables]
    return document, body, tables


def table_with(tables, first_header: str, second_header: str | None = None):
    return next(t for t in tables if t[0][0] == first_header and (second_header is None or t[0][1] == second_header))


@pytest.fixture(scope="module")
def full_documents(full_case, tmp_path_factory):
    return rendered(full_case, tmp_path_factory.mktemp("docs"))


def test_full_example_gets_every_document(full_documents):
    assert sorted(full_documents) == [
        "bijstelling-2025-11-18.docx", "bijstelling-2026-01-07.docx", "bijstelling-2026-02-18.docx",
        "eerstejaarsevaluatie.docx", "eindevaluatie.docx", "plan-van-aanpak.docx", "sollicitatieoverzicht.docx",
        "trajectplan.docx", "voortgangsrapportage-2026-06-10.docx", "voortgangsrapportage-2026-09-09.docx",
        "voortgangsrapportage-2026-11-04.docx"]
    for data in full_documents.values():
        _, body, tables = read(data)
        flat = body + "".join(c for t in tables for r in t for c in r)
        assert "{{" not in flat and "{%" not in flat and "}}" not in flat


def test_trajectplan_sequence_from_persoonsprofiel_to_zoekprofiel(full_documents):
    document, body, tables = read(full_documents["trajectplan.docx"])
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading 1")]
    assert headings == ["1. Het traject", "2. Persoonsprofiel (startpositie)", "3. Zoekprofiel (einddoel)",
                        "4. Activiteiten en interventies", "5. Rapportagemomenten", "6. Tijdlijn", "7. Ondertekening"]
    facts = dict((r[0], r[1]) for r in tables[0])
    assert facts["Start tweede spoor"] == "9 maart 2026 (week 53)"
    assert facts["Einde tweede spoor"] == "30 oktober 2026 (week 86)"
    assert facts["Re-integratiecoach"] == "Ahmed Yilmaz (a.yilmaz@werkpad.example)"
    assert facts["Re-integratiebedrijf"] == "Werkpad Re-integratie (fictief)"
    assert "Functionele beperkingen (zoals de bedrijfsarts ze vaststelt)\nNiet tillen boven 10 kg" in body
    assert "MBO niveau 3 Verzorgende IG (2004)" in body
    zoek = table_with(tables, "Rang")
    assert [r[0] for r in zoek[1:]] == ["1", "2", "3", "4", "5"]
    assert zoek[1][1:] == ["Planner thuiszorg", "Zorg", "Sluit aan op roosterervaring en zorgkennis; zittend werk.",
                           "€\u00a02.650", "passend: 92,9 % van het oude loon"]
    assert zoek[5][5] == "niet passend: 35,1 % lager dan het oude loon, meer dan 30 %"
    assert zoek[0][4] == "Indicatie maandloon"
    assert ["Fase: Persoonsgericht", "Fase: Arbeidsmarktgericht", "Fase: Werkgericht"] == [
        p.text for p in document.paragraphs if p.text.startswith("Fase:")]
    activities = [t for t in tables if t[0][0] == "Activiteit"]
    assert [len(t) - 1 for t in activities] == [2, 3, 2]
    # The plan, not its results: activities with their planned period, no status or result.
    assert activities[0][0] == ["Activiteit", "Wie", "Periode"]
    assert activities[0][1] == ["Intake en kennismaking", "Ahmed Yilmaz", "11–12 maart 2026"]
    assert "Trajectplan opgesteld" not in body + str(tables)
    reports = table_with(tables, "Datum", "Week")
    assert reports[1:] == [["18 maart 2026", "week 54", "trajectplan"],
                           ["10 juni 2026", "week 66", "voortgangsrapportage 1"],
                           ["9 september 2026", "week 79", "voortgangsrapportage 2"],
                           ["4 november 2026", "week 87", "eindrapportage"]]
    assert facts["Datum trajectplan"] == "18 maart 2026"
    assert facts["Opgesteld door"] == "Ahmed Yilmaz, re-integratiecoach Werkpad Re-integratie"
    with zipfile.ZipFile(BytesIO(full_documents["trajectplan.docx"])) as archive:
        assert any(n.startswith("word/media/") and n.endswith(".png") for n in archive.namelist())
    signers = table_with(tables, "Naam", "Functie")
    assert [r[:3] for r in signers[1:]] == [["Henk Mulder", "werkgever, Zorggroep De Linde", "18 maart 2026"],
                                            ["Ingrid Bakker", "werknemer, Verzorgende IG", "18 maart 2026"],
                                            ["Ahmed Yilmaz", "re-integratiecoach, Werkpad Re-integratie (fictief)",
                                             "18 maart 2026"]]


def test_sollicitatieoverzicht_counts_against_the_agreement(full_documents, full_case):
    document, body, tables = read(full_documents["sollicitatieoverzicht.docx"])
    assert "Afgesproken: 2 per week" in body
    summary = dict((r[0], r[1]) for r in tables[0])
    assert summary["Sollicitaties"] == "29"
    assert summary["Weken waarin de afspraak is gehaald"] == "13 (81,2 %)"
    assert summary["Zonder bewijs"] == "3"
    weeks = table_with(tables, "Week", "Kalenderweek")
    assert [r[0] for r in weeks[1:]] == [str(w) for w in range(66, 82)]
    assert weeks[3] == ["68", "26 (2026)", "22–28 juni 2026", "1", "2",
                        "niet gehaald (1 te weinig): Eerste week van de werkervaringsplek; één sollicitatie."]
    assert weeks[7] == ["72", "30 (2026)", "20–26 juli 2026", "0", "2",
                        "niet gehaald (2 te weinig): Zomervakantie, vooraf afgestemd met de coach."]
    assert "Afgesloten: de sollicitatieperiode eindigde op 23 september 2026." in body  # hired that day
    assert weeks[1][5] == "gehaald"
    applications = table_with(tables, "Datum", "Werkgever")
    assert len(applications) == 30
    dates = [a.date for a in full_case.applications]
    assert dates == sorted(dates)
    assert applications[1][0] == "8 juni 2026"
    assert applications[0][6] == "Resultaat" and applications[0][3] == "Zoekprofiel"
    assert "geen bewijs" in [r[7] for r in applications]
    assert any(r[3].startswith("rang ") for r in applications[1:])
    xml = document.element.xml
    assert xml.count("<w:tblHeader") >= 3  # header rows repeat on every page
    grey_cells = xml.count('w:fill="D9D9D9"')
    assert grey_cells == 2 * 3  # two cells in each of the three weeks below the agreement


def test_sollicitatie_chart_is_an_image_in_the_document(full_documents):
    with zipfile.ZipFile(BytesIO(full_documents["sollicitatieoverzicht.docx"])) as archive:
        images = [n for n in archive.namelist() if n.startswith("word/media/")]
        assert len(images) == 1
        assert archive.read(images[0])[:8] == b"\x89PNG\r\n\x1a\n"


def test_eindevaluatie_holds_the_riv_elements(full_documents):
    _, body, tables = read(full_documents["eindevaluatie.docx"])
    facts = dict((r[0], r[1]) for r in tables[0])
    assert facts["Aard van het bedrijf"] == "Ouderenzorg: verpleeg- en verzorgingshuizen en wijkverpleging"
    assert facts["BSN"] == "123456782"
    assert facts["Datum eindevaluatie"] == "11 november 2026 (week 88)"
    assert "Nieuw werk bij een andere werkgever." in body
    wages = dict((r[0], r[1]) for r in tables[1])
    assert wages == {"Oud maandloon": "€\u00a02.850,00", "Nieuw maandloon": "€\u00a02.480,00",
                     "Nieuw maandloon als deel van het oude": "87,0 %", "Loonverlies": "13,0 %"}
    # UWV decides: the document cites its rule of thumb, with the conditions that go with it.
    assert ("Het nieuwe maandloon is 87,0 % van het oude, een loonverlies van 13,0 %. Volgens de vuistregel van UWV "
            "is 65 % of meer van het oude loon een bevredigend resultaat van de re-integratie, mits het werk passend "
            "en duurzaam is.") in body
    assert "binnen de 30 % die volgens de vuistregel bij passend werk hoort" in body
    # The note says how it rounded: the share down, the loss (100 % minus the share) up.
    assert ("het nieuwe maandloon als deel van het oude is naar beneden afgerond op 0,1 %, en het loonverlies is "
            "100 % min dat deel, dus naar boven afgerond") in body
    assert "87 % van haar oude loon" in body  # the casemanager's own conclusion stays beside it
    assert "Goed; werkgever en werknemer hebben steeds constructief samengewerkt." in body
    assert "Nee: binnen De Linde is geen structureel passend werk" in body
    assert "Ik ben blij met mijn nieuwe baan" in body
    # The last evaluation before the eindevaluatie, with its report (not the eindevaluatie itself).
    assert ("Evaluatie van 27 oktober 2026 (week 86), soort periodiek. Verslag: Aanbod van Thuiszorg "
            "Rivierenland.") in body
    assert "Actueel oordeel van 4 november 2026, opgesteld door dr. M. de Boer, bedrijfsarts." in body
    assert "Functie: Planner thuiszorg\nWerkgever: Thuiszorg Rivierenland\n" in body
    assert "Uren: 28 uur per week (87,5 % van de oude 32 contracturen)." in body
    assert ("Belastbaarheid: de functionele beperkingen staan hoogstens 30 uur per week toe; het nieuwe werk "
            "blijft daarbinnen.") in body
    assert "Contract: tijdelijk, tot en met 30 november 2027." in body
    assert "Het dienstverband met Zorggroep De Linde eindigt met wederzijds goedvinden" in body
    agreements = table_with(tables, "Afspraak", "Wie")
    assert [r[3] for r in agreements[1:]] == ["vervallen", "gedaan", "gedaan", "gedaan", "gedaan", "gedaan"]
    signers = table_with(tables, "Naam", "Functie")
    assert signers[1] == ["Henk Mulder", "werkgever, Zorggroep De Linde", "11 november 2026", "\n\n"]
    assert [r[0] for r in signers[1:]] == ["Henk Mulder", "Ingrid Bakker", "Lotte Smit"]


def test_eindevaluatie_leaves_out_what_is_not_recorded_and_says_why(full_case, tmp_path):
    final = replace(full_case.eindevaluatie, earning_capacity_conclusion=None, working_relationship=None,
                    new_function=None, new_employer=None, new_hours=None, contract_kind=None, contract_end=None,
                    old_employment=None)
    _, body, _ = read(rendered(replace(full_case, eindevaluatie=final), tmp_path)["eindevaluatie.docx"])
    assert "Conclusie van de casemanager" not in body and "Het oude dienstverband" not in body
    assert "De werkgever heeft bij deze eindevaluatie geen oordeel over de arbeidsrelatie vastgelegd." in body
    assert "Bij deze eindevaluatie zijn geen gegevens over het werk vastgelegd." in body
    assert "Niet ingevuld" not in body and "Nog niet vastgelegd" not in body


def test_eindevaluatie_without_applications_says_so_in_one_line(full_case, tmp_path):
    case = replace(full_case, applications=(), eindevaluatie=replace(full_case.eindevaluatie,
                                                                       outcome=m.Outcome.EIGEN_WERK))
    _, body, tables = read(rendered(case, tmp_path)["eindevaluatie.docx"])
    assert "Tot deze eindevaluatie zijn geen sollicitaties vastgelegd." in body
    assert not any(t[0][0] == "Sollicitaties" for t in tables)  # no table of zeros


@pytest.mark.parametrize("new_wage, ratio, verdict", [
    (1852.49, "64,9 %", "minder dan de 65 %"),  # 64.99 %: floored, so the number agrees with the verdict
    (1852.5, "65,0 %", "65 % of meer"),
])
def test_eindevaluatie_65_percent_edge(full_case, tmp_path, new_wage, ratio, verdict):
    case = replace(full_case, eindevaluatie=replace(full_case.eindevaluatie, new_monthly_wage=new_wage))
    context = documents.earning_capacity(case)
    assert context["percentage"] == ratio
    assert verdict in context["wia_toets"]
    assert "geen passend werk" in context["passend_toets"]


def test_eindevaluatie_without_new_work(full_case):
    final = replace(full_case.eindevaluatie, outcome=m.Outcome.GEEN_WERK_WIA, new_monthly_wage=None)
    context = documents.earning_capacity(replace(full_case, eindevaluatie=final))
    assert context["wia_toets"] == "De werknemer heeft geen nieuw werk; er is geen nieuw loon om te vergelijken."
    assert context["percentage"] == "" and context["passend_toets"] == ""


def test_spoor_1_case_gets_none_of_the_later_documents_and_the_report_says_why(tmp_path):
    input_dir = tmp_path / "in"
    input_dir.mkdir()
    (input_dir / EARLY_EXAMPLE.name).write_bytes(EARLY_EXAMPLE.read_bytes())
    result = run(input_dir, tmp_path / "out", peildatum="2026-11-23")
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out" / "DOS-2026-031").iterdir()) == [
        "DOS-2026-031-wia-bundel.zip", "controlelijst.docx", "manifest.json", "plan-van-aanpak.docx",
        "wia-bundel.docx"]
    row = next(openpyxl.load_workbook(tmp_path / "out" / "batchrapport.xlsx")["Overzicht"].iter_rows(
        min_row=2, values_only=True))
    assert row[2] == "ok"
    assert row[3].splitlines() == ["plan-van-aanpak.docx", "wia-bundel.docx", "controlelijst.docx",
                                   "DOS-2026-031-wia-bundel.zip", "manifest.json"]
    assert row[4].splitlines() == [
        "Eerstejaarsevaluatie: vul 'Datum eerstejaarsevaluatie' in op sheet Dossier, of leg op sheet Evaluaties een "
        "evaluatie vast met Soort eerstejaarsevaluatie",
        "Trajectplan: vul 'Start tweede spoor' in op sheet Dossier; sheet Persoonsprofiel is leeg of ontbreekt; "
        "sheet Zoekprofiel is leeg of ontbreekt; sheet Interventies is leeg of ontbreekt; sheet Rapportages is "
        "leeg of ontbreekt",
        "Sollicitatieoverzicht: sheet Sollicitaties is leeg of ontbreekt",
        "Eindevaluatie: sheet Eindevaluatie is leeg of ontbreekt (nodig: Datum, Uitkomst, Verloop en Resultaat)",
    ]


def test_eindevaluatie_missing_fields_are_named(full_case):
    final = replace(full_case.eindevaluatie, outcome=None, course=None)
    assert documents.eindevaluatie_missing(replace(full_case, eindevaluatie=final)) == [
        "vul op sheet Eindevaluatie in: Uitkomst en Verloop"]


def test_two_thousand_applications_render_whole(full_case, tmp_path):
    start = date(2024, 6, 3)
    first = start - timedelta(days=7 * 60)
    applications = tuple(
        m.Application(date=start + timedelta(days=i // 3), employer=f"Werkgever {i} & Zn <BV>", function="Planner",
                      proof=f"mail {i}", discussed_with_coach=i % 2 == 0)
        for i in range(2000)
    )
    # Another first day of sickness: the example's relapse (Verzuimverloop) does not belong to it.
    case = replace(full_case, first_sick_day=first, sickness_periods=(), applications=applications,
                   applications_per_week=10)
    context = documents.sollicitatieoverzicht_context(case, PEILDATUM)
    data = render.render_docx(TEMPLATES / "sollicitatieoverzicht.docx", context,
                              render.Properties("t", "s", date(2025, 1, 1)))
    document, _, tables = read(data)
    rows = table_with(tables, "Datum", "Werkgever")
    assert len(rows) == 2001
    assert rows[-1][1] == "Werkgever 1999 & Zn <BV>"
    weeks = table_with(tables, "Week", "Kalenderweek")
    assert len(weeks) - 1 == len(context["weken"]) == 96
    header = document.tables[-2].rows[0]._tr
    assert header.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblHeader") is not None


def test_timeline_shows_activities_that_start_before_the_tweede_spoor(full_case):
    from pipeline.checks import measures
    from pipeline.documents import charts

    early = replace(full_case.interventions[0], start=full_case.tweede_spoor_start - timedelta(days=70))
    case = replace(full_case, interventions=(early, *full_case.interventions[1:]))
    trajectory = measures.trajectory(case)
    assert trajectory.chart_start == early.start
    png = charts.timeline_png(trajectory, case.interventions, case.report_moments, PEILDATUM)
    assert png.startswith(b"\x89PNG")
