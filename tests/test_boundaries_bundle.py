"""Boundaries of the WIA bundle: complete but for one element, the week-91 day itself, the 10 MB
upload limit, and who signed what (issue 12)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest

from pipeline import model as m
from pipeline.batch.manifest import manifest_files
from pipeline.bundle import index as b
from pipeline.model import Calendar

FIRST = date(2025, 1, 6)
DAY = timedelta(days=1)
MB = 1024 * 1024
GENERATED = ("plan-van-aanpak.docx", "trajectplan.docx", "sollicitatieoverzicht.docx", "eindevaluatie.docx")
SUPPLIED = (m.BundleDocument.PROBLEEMANALYSE, m.BundleDocument.EERSTEJAARSEVALUATIE,
            m.BundleDocument.ACTUEEL_OORDEEL, m.BundleDocument.RAPPORTAGE)


def day_of(week: int, offset: int = 0) -> date:
    return Calendar(FIRST).start_of_week(week) + timedelta(days=offset)


def last_of(week: int) -> date:
    return Calendar(FIRST).end_of_week(week)


def bare_case(**changes) -> m.Case:
    return replace(m.Case(
        dossiernummer="B", employee_name="Anna", job_title="X", employer="Y", first_sick_day=FIRST,
        plan_van_aanpak_date=day_of(7), goal="Terug", spoor=m.Spoor.EEN,
        people=(m.Person(m.Rol.WERKGEVER, "Piet"), m.Person(m.Rol.WERKNEMER, "Anna"),
                m.Person(m.Rol.CASEMANAGER, "Carla"), m.Person(m.Rol.COACH, "Cees", "Bureau Werk"))), **changes)


def supplied(folder: Path, kind: m.BundleDocument, size: int = 16, name: str | None = None,
             by: str | None = "dr. X, bedrijfsarts") -> m.BundleItem:
    path = folder / (name or f"{kind.value.replace(' ', '-')}.pdf")
    with path.open("wb") as handle:
        handle.truncate(size)  # sparse: a 10 MB file costs no time
    return m.BundleItem(kind, path, day_of(50), by, path.name)


def entry(bundle: b.Bundle, title: str) -> b.Entry:
    return next(e for e in bundle.entries if e.title == title)


def complete_case(folder: Path, leave_out: m.BundleDocument | None = None) -> m.Case:
    items = tuple(supplied(folder, kind) for kind in SUPPLIED if kind is not leave_out)
    final = m.Eindevaluatie(date=day_of(88), outcome=m.Outcome.NIEUW_WERK, employee_opinion="Eens.")
    return bare_case(bundle=items, eindevaluatie=final, tweede_spoor_start=day_of(55),
                     applications=(m.Application(day_of(60), "E", "F"),))


# --- completeness ------------------------------------------------------------------------------

def test_a_bundle_with_everything_supplied_is_complete(tmp_path):
    bundle = b.assemble(complete_case(tmp_path), GENERATED, day_of(90))
    assert bundle.complete and bundle.outstanding == ()
    assert all(e.status == b.PRESENT for e in bundle.entries)
    late = b.assemble(complete_case(tmp_path), GENERATED, last_of(91) + DAY)
    assert [f for f in late.findings if f.rule == "wia-bundel"] == []


@pytest.mark.parametrize("kind, title", [
    (m.BundleDocument.PROBLEEMANALYSE, "probleemanalyse"),
    (m.BundleDocument.EERSTEJAARSEVALUATIE, "eerstejaarsevaluatie"),
    (m.BundleDocument.ACTUEEL_OORDEEL, "actueel oordeel"),
    (m.BundleDocument.RAPPORTAGE, "voortgangsrapportage re-integratiebedrijf"),
])
def test_a_bundle_missing_one_element_names_exactly_that_one(tmp_path, kind, title):
    c = complete_case(tmp_path, leave_out=kind)
    bundle = b.assemble(c, GENERATED, last_of(91) + DAY)
    assert [e.title.lower() for e in bundle.outstanding] == [title]
    [late] = [f for f in bundle.findings if f.rule == "wia-bundel"]
    assert late.message.endswith(f"Ontbreekt: {title}.")


def test_on_the_last_day_of_week_91_an_element_is_still_due_the_day_after_missing(tmp_path):
    c = complete_case(tmp_path, leave_out=m.BundleDocument.ACTUEEL_OORDEEL)
    due = entry(b.assemble(c, GENERATED, last_of(91)), "Actueel oordeel")
    assert (due.status, due.note) == (b.NOT_YET, "uiterlijk week 91: 4 oktober 2026")
    missing = entry(b.assemble(c, GENERATED, last_of(91) + DAY), "Actueel oordeel")
    assert (missing.status, missing.supplier) == (b.MISSING, "bedrijfsarts")
    assert missing.note == ""  # the index says only what is missing and who supplies it (no to-do text)


def _bundle_rule(bundle: b.Bundle) -> tuple[list[str], list[date]]:
    return [f.message for f in bundle.findings if f.rule == "wia-bundel"], [d.day for d in bundle.deadlines]


def test_the_bundle_is_due_with_the_wia_application_on_the_last_day_of_week_91(tmp_path):
    c = complete_case(tmp_path, leave_out=m.BundleDocument.ACTUEEL_OORDEEL)
    assert _bundle_rule(b.assemble(c, GENERATED, last_of(91))) == ([], [last_of(91)])
    messages, deadlines = _bundle_rule(b.assemble(c, GENERATED, last_of(91) + DAY))
    assert deadlines == [] and messages == [
        "De WIA-bundel is niet compleet; die moest uiterlijk in week 91 (4 oktober 2026) compleet zijn. "
        "Ontbreekt: actueel oordeel."]


def test_an_employment_ending_sooner_brings_the_bundle_forward_to_its_last_day(tmp_path):
    ended = day_of(60, 3)
    c = replace(complete_case(tmp_path, leave_out=m.BundleDocument.ACTUEEL_OORDEEL), employment_end_date=ended)
    bundle = b.assemble(c, GENERATED, ended)
    assert bundle.deadlines[0].day == ended and bundle.deadlines[0].week == 60
    assert "uiterlijk op de laatste dag van het dienstverband" in bundle.deadlines[0].what
    messages, _ = _bundle_rule(b.assemble(c, GENERATED, ended + DAY))
    assert len(messages) == 1 and "laatste dag van het dienstverband" in messages[0]


@pytest.mark.parametrize("recovered_week, asked", [(91, False), (92, True)])
def test_an_employee_recovered_by_week_91_needs_no_bundle(tmp_path, recovered_week, asked):
    c = replace(complete_case(tmp_path, leave_out=m.BundleDocument.ACTUEEL_OORDEEL),
                recovery_date=last_of(recovered_week))
    messages, deadlines = _bundle_rule(b.assemble(c, GENERATED, last_of(95)))
    assert bool(messages) is asked and deadlines == []


def test_back_at_own_work_needs_no_bundle(tmp_path):
    c = complete_case(tmp_path, leave_out=m.BundleDocument.ACTUEEL_OORDEEL)
    back = replace(c, eindevaluatie=replace(c.eindevaluatie, outcome=m.Outcome.EIGEN_WERK))
    assert _bundle_rule(b.assemble(back, GENERATED, last_of(95))) == ([], [])
    assert _bundle_rule(b.assemble(c, GENERATED, last_of(95)))[0]  # the same case with new work elsewhere


def test_an_element_is_not_yet_needed_during_its_own_week_and_to_supply_after_it():
    during = entry(b.assemble(bare_case(), ("plan-van-aanpak.docx",), last_of(52)), "Eerstejaarsevaluatie")
    assert (during.status, during.note) == (b.NOT_YET, "uiterlijk week 52: 4 januari 2026")
    after = entry(b.assemble(bare_case(), ("plan-van-aanpak.docx",), last_of(52) + DAY), "Eerstejaarsevaluatie")
    assert after.status == b.TO_SUPPLY


def test_a_tweede_spoor_starting_on_the_peildatum_has_started():
    start = day_of(50)
    started = b.assemble(bare_case(tweede_spoor_start=start), ("plan-van-aanpak.docx",), start)
    assert entry(started, "Trajectplan").status == b.TO_SUPPLY
    assert entry(started, "Voortgangsrapportage re-integratiebedrijf").status == b.TO_SUPPLY
    tomorrow = b.assemble(bare_case(tweede_spoor_start=start + DAY), ("plan-van-aanpak.docx",), start)
    assert entry(tomorrow, "Trajectplan").status == b.NOT_YET
    assert "Voortgangsrapportage re-integratiebedrijf" not in [e.title for e in tomorrow.entries]


# --- who signed what, and of which date --------------------------------------------------------

def test_generated_documents_name_who_signs_them_and_their_date():
    applications = tuple(m.Application(day_of(w), "E", "F") for w in (60, 61, 62))
    bijstellingen = tuple(m.Bijstelling(day_of(w), "wijziging") for w in (10, 20, 30))
    c = bare_case(applications=applications, bijstellingen=bijstellingen, tweede_spoor_start=day_of(55))
    bundle = b.assemble(c, GENERATED, day_of(63))
    plan = entry(bundle, "Plan van aanpak")
    assert plan.written_by == "Piet, werkgever en Anna, werknemer"
    overview = entry(bundle, "Sollicitatieoverzicht")
    assert overview.written_by == "Anna, werknemer en Cees, re-integratiecoach"
    assert overview.day == day_of(63)  # the tweede spoor still runs: the overview is "stand per" the peildatum


# --- UWV's upload rules: pdf, docx, jpg; at most 10 MB -----------------------------------------

def test_a_file_of_exactly_10_mb_goes_in_the_bundle(tmp_path):
    item = supplied(tmp_path, m.BundleDocument.OVERIG, size=10 * MB)
    overig = entry(b.assemble(bare_case(bundle=(item,)), ("plan-van-aanpak.docx",), day_of(50)), "Overig")
    assert overig.status == b.PRESENT and overig.filename == "02-overig.pdf"


@pytest.mark.parametrize("size, shown", [(10 * MB + 1, "10.0 MB"), (int(10.94 * MB), "10.9 MB"),
                                         (int(10.96 * MB), "11.0 MB")])
def test_a_file_over_10_mb_is_left_out_with_its_size(tmp_path, size, shown):
    item = supplied(tmp_path, m.BundleDocument.OVERIG, size=size, name="groot.pdf")
    bundle = b.assemble(bare_case(bundle=(item,)), ("plan-van-aanpak.docx",), day_of(50))
    overig = entry(bundle, "Overig")
    assert overig.status == b.LEFT_OUT
    assert overig.note == f"UWV neemt bestanden tot 10 MB aan; 'groot.pdf' is {shown}"
    assert overig.written_by == "dr. X, bedrijfsarts"
    [finding] = bundle.findings
    assert (finding.rule, finding.column) == ("bundel-bestand", "Bestand")


def test_a_file_without_extension_is_left_out_and_says_so(tmp_path):
    item = supplied(tmp_path, m.BundleDocument.OVERIG, name="scan")
    overig = entry(b.assemble(bare_case(bundle=(item,)), ("plan-van-aanpak.docx",), day_of(50)), "Overig")
    assert overig.status == b.LEFT_OUT
    assert overig.note == "UWV neemt alleen pdf, docx en jpg aan; 'scan' is zonder extensie"


# --- a manifest that is not ours ---------------------------------------------------------------

MANIFEST = {"pipeline": "0.2.0", "bestanden": {"plan-van-aanpak.docx": "ab12"}}


@pytest.mark.parametrize("content", [
    [MANIFEST],
    {"bestanden": MANIFEST["bestanden"]},
    {**MANIFEST, "pipeline": 2},
    {**MANIFEST, "bestanden": ["plan-van-aanpak.docx"]},
    {**MANIFEST, "bestanden": {"plan-van-aanpak.docx": 12}},
])
def test_a_manifest_the_pipeline_did_not_write_is_not_recognised(content):
    assert manifest_files(json.dumps(content).encode()) is None


def test_a_manifest_of_ours_lists_its_files():
    assert manifest_files(json.dumps(MANIFEST).encode()) == {"plan-van-aanpak.docx": "ab12"}


def test_before_the_first_report_the_index_names_the_next_planned_one():
    """Planned reports after the peildatum count (not one planned that very day, not a trajectplan,
    not one already issued); the earliest is named."""
    peildatum = day_of(62)
    moments = (m.ReportMoment(peildatum + 2 * DAY, "trajectplan", m.ReportStatus.GEPLAND),
               m.ReportMoment(peildatum, "voortgangsrapportage", m.ReportStatus.GEPLAND),
               m.ReportMoment(peildatum + 14 * DAY, "voortgangsrapportage", m.ReportStatus.GEPLAND),
               m.ReportMoment(peildatum + 7 * DAY, "voortgangsrapportage", m.ReportStatus.GEPLAND))
    c = bare_case(tweede_spoor_start=day_of(55), report_moments=moments)
    report = entry(b.assemble(c, ("plan-van-aanpak.docx",), peildatum), "Voortgangsrapportage re-integratiebedrijf")
    assert peildatum + 7 * DAY == date(2026, 3, 16)
    assert (report.status, report.note) == (b.NOT_YET, "de eerste is gepland op 16 maart 2026")


def test_an_employment_ending_on_the_last_day_of_week_91_keeps_the_week_91_wording(tmp_path):
    c = replace(complete_case(tmp_path, leave_out=m.BundleDocument.ACTUEEL_OORDEEL), employment_end_date=last_of(91))
    [deadline] = b.assemble(c, GENERATED, last_of(90)).deadlines
    assert deadline.day == last_of(91) and "uiterlijk in week 91" in deadline.what
