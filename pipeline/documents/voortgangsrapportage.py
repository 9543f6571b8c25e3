"""A voortgangsrapportage of the re-integratiebedrijf, one per report issued (a `Rapportages` row
with status uitgebracht, other than the trajectplan), as of its date: its period (since the
previous report), the activities, the applications against the agreement, the contacts, the
agreements, the report's own toelichting, and what comes next."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from .. import dutch
from .. import model as m
from ..checks import measures
from . import charts
from .common import (
    Context,
    DocumentKind,
    agreements_on,
    coach_context,
    common_context,
    period_text,
    progress_reports,
    report_author,
    report_title,
    signer,
    week_text,
    written_by_signer,
)

CONTACT_TEXT = {role: role.value for role in m.ContactWith}


def period_start(case: m.Case, report: m.ReportMoment) -> date:
    """The day after the previous report issued (the trajectplan counts), else the start of the
    tweede spoor, else the plan van aanpak."""
    earlier = [r.date for r in case.report_moments
               if r.status is m.ReportStatus.UITGEBRACHT and r.date < report.date]
    if earlier:
        return max(earlier) + timedelta(days=1)
    return min(d for d in (case.tweede_spoor_start, report.date) if d is not None)


def intervention_state(intervention: m.Intervention, day: date) -> str:
    """An activity's state on `day`, from its dates (its recorded status is how it ended)."""
    if intervention.start is not None and intervention.start > day:
        return "gepland"
    if intervention.end is not None and intervention.end <= day:
        return (intervention.status.value if intervention.status in (m.InterventionStatus.AFGEROND,
                                                                     m.InterventionStatus.GESTOPT) else "afgerond")
    return "lopend" if intervention.start is not None else (intervention.status.value if intervention.status else "")


def _next_steps(case: m.Case, report: m.ReportMoment) -> list[str]:
    day = report.date
    steps = []
    for i in case.interventions:
        state = intervention_state(i, day)
        if state == "lopend":
            steps.append(f"{i.activity} loopt door{' tot ' + dutch.date_long(i.end) if i.end else ''}.")
        elif state == "gepland":
            steps.append(f"{i.activity}: gepland {period_text(i.start, i.end)}.")
    following = [r for r in sorted(case.report_moments, key=lambda r: r.date) if r.date > day]
    if following:
        following_kind = following[0].kind or "rapportage"
        steps.append(f"Volgende rapportage: {following_kind} op {dutch.date_long(following[0].date)}.")
    elif case.tweede_spoor_end and case.tweede_spoor_end > day:
        steps.append(f"Het tweede spoor loopt tot {dutch.date_long(case.tweede_spoor_end)}.")
    return steps


def voortgangsrapportage_context(case: m.Case, peildatum: date, report: m.ReportMoment) -> Context:
    day = report.date
    start = period_start(case, report)
    author = report_author(case, report)
    in_period = tuple(a for a in case.applications if start <= a.date <= day)
    summary = measures.application_summary(replace(case, applications=in_period))
    activities = [i for i in case.interventions
                  if (i.start is None or i.start <= day) and (i.end is None or i.end >= start)]
    contacts = [c for c in sorted(case.contacts, key=lambda c: c.date) if start <= c.date <= day]
    if contacts:
        contacts_note = ""
    elif case.contacts:
        contacts_note = "In deze periode zijn geen contactmomenten vastgelegd."
    else:
        contacts_note = ("De contactmomenten zijn niet afzonderlijk vastgelegd"
                         + (f"; afgesproken is contact met de coach ten minste elke {case.coach_contact_weeks} weken."
                            if case.coach_contact_weeks else "."))
    coach = case.first_with_role(m.Rol.COACH)
    if report.written_by:
        signing = [written_by_signer(report.written_by, day)]
    else:
        signing = [signer(case, coach, day)] if coach is not None else []
    employee = case.first_with_role(m.Rol.WERKNEMER)
    if employee is not None:
        signing.append(signer(case, employee, day))
    agreed = summary.agreed_per_week
    return {
        **common_context(case),
        "titel": report_title(report),
        "datum": dutch.date_long(day),
        "week": week_text(case, day),
        "periode": period_text(start, day),
        "opgesteld_door": author,
        "coach": coach_context(case),
        "activiteiten": [
            {"fase": charts.PHASE_TITLE[i.phase].lower() if i.phase else "", "activiteit": i.activity,
             "uitvoerder": i.performer or "", "periode": period_text(i.start, i.end),
             "stand": intervention_state(i, day),
             "resultaat": (i.result or "") if i.end is not None and i.end <= day else ""}
            for i in activities
        ],
        "sollicitaties": [
            {"datum": dutch.date_long(a.date), "werkgever": a.employer, "functie": a.function,
             "resultaat": a.result.value if a.result else ""}
            for a in in_period
        ],
        "sollicitaties_samenvatting": _applications_summary(case, start, day, summary.total, agreed),
        "contacten": [{"datum": dutch.date_long(c.date), "met": CONTACT_TEXT[c.with_role] if c.with_role else "",
                       "onderwerp": c.subject or ""} for c in contacts],
        "contacten_toelichting": contacts_note,
        "afspraken": agreements_on(case, day),
        "toelichting": report.narrative or "",
        "vervolg": _next_steps(case, report),
        "ondertekening": signing,
    }


def _applications_summary(case: m.Case, start: date, day: date, total: int, agreed: int | None) -> str:
    """The count of the period, the agreement, and how many of the weeks that ended in the period met
    it. Each week is judged whole, on every application of the case up to the report's day, and
    belongs to the report whose period holds its last day: one week, one report."""
    text = (f"In deze periode: {total} sollicitatie{'s' if total != 1 else ''}" if total
            else "In deze periode zijn geen sollicitaties vastgelegd")
    if not agreed:
        return text + "."
    text += f"; afgesproken is {agreed} per week."
    so_far = replace(case, applications=tuple(a for a in case.applications if a.date <= day))
    weeks = [w for w in measures.weekly_counts(so_far, day) if w.judged and start <= w.end <= day]
    met = sum(1 for w in weeks if w.met)
    if len(weeks) == 1:
        text += f" In de week die in deze periode afliep, is die afspraak {'gehaald' if met else 'niet gehaald'}."
    elif weeks:
        text += f" In {met} van de {len(weeks)} weken die in deze periode afliepen, is die afspraak gehaald."
    return text


VOORTGANGSRAPPORTAGE = DocumentKind(
    key="voortgangsrapportage",
    title="Voortgangsrapportage",
    missing=lambda case: [],
    context=voortgangsrapportage_context,
    day=lambda case, peildatum, report: report.date,
    each=progress_reports,
)
