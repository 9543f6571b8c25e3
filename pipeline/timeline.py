"""Checks stage: the Poortwachter timeline of one case against the peildatum.

Every rule is a function below with its week and source. A deadline that passed without its
event is a warning; one still ahead is an upcoming `Deadline` with its date. Findings never
block documents. Weeks count from the eerste ziektedag (rules.week_number); "by week N" means
by the last day of week N.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Callable

from . import contract, dutch, measures, rules
from . import model as m
from .errors import Finding, Severity
from .results import Deadline  # defined with the other shared result types; imported from here too


@dataclass
class _Check:
    case: m.Case
    peildatum: date
    bundle_missing: tuple[str, ...]
    findings: list[Finding] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)

    def week(self, day: date) -> int:
        return rules.week_number(self.case.first_sick_day, day)

    def end_of(self, week: int) -> date:
        return rules.last_day_of_week(self.case.first_sick_day, week)

    def when(self, day: date) -> str:
        """'12 maart 2025 (week 10)'."""
        return f"{dutch.datum(day)} (week {self.week(day)})"

    def warn(self, rule: str, message: str, day: date | None, sheet: str = "Dossier", row: int | None = None,
             label: str | None = None, column: str | None = None, severity: Severity = Severity.WARNING) -> None:
        if label and row is None and sheet == "Dossier":
            source = self.case.sources.get(_ATTR_BY_LABEL.get(label, ""))
            row = source.row if source else None
        self.findings.append(Finding(severity, message, self.case.source_file, sheet, row, column, label, rule,
                                     self.week(day) if day else None, day))

    def due(self, rule: str, what: str, day: date) -> None:
        self.deadlines.append(Deadline(rule, what, self.week(day), day))


_ATTR_BY_LABEL = {f.label: f.attr for f in contract.DOSSIER.fields}


def _by_week(c: _Check, rule: str, what: str, event: date | None, week: int, label: str, todo: str) -> None:
    """The common shape: `what` must have happened by the end of `week`."""
    deadline = c.end_of(week)
    if event is not None:
        if event > deadline:
            c.warn(rule, f"{what} te laat: {c.when(event)}; uiterlijk week {week} ({dutch.datum(deadline)}). "
                         "Leg in het dossier vast waarom het later was.", event, label=label)
        return
    if c.peildatum > deadline:
        c.warn(rule, f"{what} ontbreekt: die moest er uiterlijk in week {week} zijn ({dutch.datum(deadline)}). "
                     f"{todo}", deadline, label=label)
    else:
        c.due(rule, f"{what} (uiterlijk week {week})", deadline)


def _stricter(c: _Check, week: int, event: date | None, weeks_after: int, event_name: str) -> tuple[date, str]:
    """The earlier of 'by week N' and 'within M weeks after the event', with the reason in Dutch."""
    by_week = c.end_of(week)
    if event is not None and event + timedelta(weeks=weeks_after) < by_week:
        after = event + timedelta(weeks=weeks_after)
        return after, (f"uiterlijk {weeks_after} weken na {event_name} ({dutch.datum(after)}), wat eerder is dan "
                       f"week {week}")
    return by_week, f"uiterlijk week {week} ({dutch.datum(by_week)})"


def probleemanalyse(c: _Check) -> None:
    """Probleemanalyse by week 6 (seeds 003, 004)."""
    _by_week(c, "probleemanalyse", "Probleemanalyse", c.case.probleemanalyse_date, rules.WEEK_PROBLEEMANALYSE,
             "Datum probleemanalyse", "Vraag de bedrijfsarts om de probleemanalyse en vul de datum in.")


def plan_van_aanpak(c: _Check) -> None:
    """Plan van aanpak by week 8 (seeds 000, 003) and within 2 weeks after the probleemanalyse
    (Regeling procesgang art. 4): the stricter, i.e. earlier, of the two."""
    deadline, why = _stricter(c, rules.WEEK_PLAN_VAN_AANPAK, c.case.probleemanalyse_date,
                              rules.WEEKS_PLAN_AFTER_PROBLEEMANALYSE, "de probleemanalyse")
    plan = c.case.plan_van_aanpak_date
    if plan > deadline:
        c.warn("plan-van-aanpak", f"Plan van aanpak te laat: {c.when(plan)}; het moest er {why}. "
                                  "Leg in het dossier vast waarom het later was.", plan, label="Datum plan van aanpak")


def evaluations(c: _Check) -> None:
    """Evaluations at most 6 weeks apart from the plan van aanpak on (seeds 002, 004)."""
    final = measures.eindevaluatie_date(c.case)
    end = min(x for x in (final, c.end_of(rules.WEEK_EINDE_WACHTTIJD)) if x is not None)
    moments = sorted({c.case.plan_van_aanpak_date, *(e.date for e in c.case.evaluations),
                      *(d for d in (measures.eerstejaarsevaluatie_date(c.case), final) if d)})
    moments = [d for d in moments if c.case.plan_van_aanpak_date <= d <= min(end, c.peildatum)]
    if not moments:
        return  # the plan van aanpak lies after the peildatum: nothing to evaluate yet
    gap = timedelta(weeks=rules.WEEKS_BETWEEN_EVALUATIONS)
    for earlier, later in zip(moments, moments[1:]):
        if later - earlier > gap:
            c.warn("evaluatie", f"Tussen de evaluaties van {c.when(earlier)} en {c.when(later)} zaten "
                                f"{_weeks_and_days((later - earlier).days)}; evalueer ten minste elke "
                                f"{rules.WEEKS_BETWEEN_EVALUATIONS} weken.", later, sheet="Evaluaties")
    last = moments[-1]
    if final is None or final > c.peildatum:
        next_due = last + gap
        if next_due < c.peildatum:
            c.warn("evaluatie", f"Sinds {c.when(last)} is er geen evaluatie vastgelegd; de volgende moest er "
                                f"uiterlijk {dutch.datum(next_due)} zijn. Plan een evaluatie en leg haar vast.",
                   next_due, sheet="Evaluaties")
        elif next_due <= end:
            c.due("evaluatie", f"Evaluatie plan van aanpak (elke {rules.WEEKS_BETWEEN_EVALUATIONS} weken)", next_due)


def _weeks_and_days(days: int) -> str:
    """'7 weken', '6 weken en 1 dag'."""
    weeks, rest = divmod(days, 7)
    text = f"{weeks} we{'ek' if weeks == 1 else 'ken'}"
    return text + (f" en {rest} dag{'en' if rest != 1 else ''}" if rest else "")


def melding_uwv(c: _Check) -> None:
    """Ziekmelding bij UWV in week 42 (seeds 003, 004)."""
    _by_week(c, "melding-uwv", "Ziekmelding bij UWV", c.case.uwv_notification_date, rules.WEEK_MELDING_UWV,
             "Datum melding UWV", "Meld de werknemer alsnog ziek bij UWV; te laat melden kan een loonsanctie geven.")


def eerstejaarsevaluatie(c: _Check) -> None:
    """Eerstejaarsevaluatie in weeks 46-52 (seeds 003, 004)."""
    day = measures.eerstejaarsevaluatie_date(c.case)
    first, last = rules.WEEK_EERSTEJAARSEVALUATIE_FROM, rules.WEEK_EERSTEJAARSEVALUATIE
    if day is not None and c.week(day) < first:
        c.warn("eerstejaarsevaluatie", f"Eerstejaarsevaluatie te vroeg: {c.when(day)}; die hoort in week {first}-{last} "
                                       f"({dutch.datum(rules.first_day_of_week(c.case.first_sick_day, first))} tot en "
                                       f"met {dutch.datum(c.end_of(last))}). Houd haar in die weken (opnieuw).", day,
               label="Datum eerstejaarsevaluatie")
        return
    _by_week(c, "eerstejaarsevaluatie", "Eerstejaarsevaluatie", day, last, "Datum eerstejaarsevaluatie",
             "Houd de eerstejaarsevaluatie en vul de datum in.")


def tweede_spoor(c: _Check) -> None:
    """Start tweede spoor within 6 weeks after the eerstejaarsevaluatie and by week 58 at the latest
    (seeds 001, 003, 004): the earlier of the two. A later start with a reason is noted, not warned."""
    final = c.case.eindevaluatie
    if final and final.outcome in (m.Outcome.EIGEN_WERK, m.Outcome.ANDER_WERK_EIGEN_WERKGEVER):
        return  # back at the own employer: no tweede spoor needed
    deadline, why = _stricter(c, rules.WEEK_TWEEDE_SPOOR, measures.eerstejaarsevaluatie_date(c.case),
                              rules.WEEKS_TWEEDE_SPOOR_AFTER_EJE, "de eerstejaarsevaluatie")
    start, reason = c.case.tweede_spoor_start, c.case.tweede_spoor_delay_reason
    if start is not None and start <= deadline:
        return
    if start is None and c.peildatum <= deadline:
        c.due("tweede-spoor", f"Start tweede spoor (uiterlijk week {c.week(deadline)})", deadline)
        return
    late = f"Tweede spoor gestart op {c.when(start)}" if start else "Tweede spoor is niet gestart"
    if reason:
        c.warn("tweede-spoor", f"{late}; het moest {why}. Reden van uitstel: {reason}", start or deadline,
               label="Reden uitstel tweede spoor", severity=Severity.NOTE)
    else:
        c.warn("tweede-spoor", f"{late}; het moest {why}. Start het tweede spoor of vul 'Reden uitstel tweede "
                               "spoor' in (alleen als de bedrijfsarts een concrete terugkeer binnen 3 maanden "
                               "verwacht).", start or deadline, label="Start tweede spoor")


def coach_contact(c: _Check) -> None:
    """Coach contact at least every 3 weeks once the tweede spoor runs (seed 000: 2-3 weeks;
    seed 004: sessions every 2-4 weeks; the stricter is 3)."""
    start = c.case.tweede_spoor_start
    if start is None or start > c.peildatum:
        return
    agreed = c.case.coach_contact_weeks
    if agreed is None:
        c.warn("coach-contact", "Het tweede spoor loopt, maar er is geen contactfrequentie met de re-integratiecoach "
                                f"afgesproken; spreek contact af ten minste elke {rules.WEEKS_COACH_CONTACT} weken.",
               start, label="Contact coach elke weken")
    elif agreed > rules.WEEKS_COACH_CONTACT:
        c.warn("coach-contact", f"Afgesproken is contact met de coach elke {agreed} weken; dat moet ten minste elke "
                                f"{rules.WEEKS_COACH_CONTACT} weken.", start, label="Contact coach elke weken")


def applications(c: _Check) -> None:
    """Applications as agreed: every week below the agreed number, applications without proof,
    and applications not discussed with the coach (seed 001: too few has consequences)."""
    summary = measures.application_summary(c.case)
    for week in summary.weeks_below:
        c.warn("sollicitaties-per-week", f"Week {week.week} ({dutch.periode(week.start, week.end)}): {week.count} "
                                         f"sollicitatie{'s' if week.count != 1 else ''}, afgesproken {week.agreed}. "
                                         "Bespreek dit met de werknemer en leg de reden vast.",
               week.start, sheet="Sollicitaties")
    for a in c.case.applications:
        if not a.proof:
            c.warn("sollicitatie-bewijs", f"Sollicitatie van {dutch.datum(a.date)} bij {a.employer} heeft geen bewijs; "
                                          "noteer waar het bewijs is (bijvoorbeeld de e-mail).", a.date,
                   sheet="Sollicitaties", row=a.source.row or None, column="Bewijs")
        if a.discussed_with_coach is False:
            c.warn("sollicitatie-coach", f"Sollicitatie van {dutch.datum(a.date)} bij {a.employer} is niet besproken met "
                                         "de coach; bespreek haar bij het volgende contact.", a.date, sheet="Sollicitaties", row=a.source.row or None,
                   column="Besproken met coach")


def views(c: _Check) -> None:
    """Both views (werkgever and werknemer) in a plan van aanpak or bijstelling dated from
    1 July 2023 (Regeling procesgang, since 1 July 2023)."""
    if c.case.plan_van_aanpak_date >= rules.VIEWS_REQUIRED_FROM:
        for attr, who, label in (("employer_view", "werkgever", "Visie werkgever"),
                                 ("employee_view", "werknemer", "Visie werknemer")):
            if getattr(c.case, attr) is None:
                c.warn("visie", f"De visie van de {who} ontbreekt in het plan van aanpak; sinds 1 juli 2023 hoort die "
                                "erin.", c.case.plan_van_aanpak_date, label=label)
    for b in c.case.bijstellingen:
        if b.date < rules.VIEWS_REQUIRED_FROM:
            continue
        for attr, who, column in (("employer_view", "werkgever", "Visie werkgever"),
                                  ("employee_view", "werknemer", "Visie werknemer")):
            if getattr(b, attr) is None:
                c.warn("visie", f"De visie van de {who} ontbreekt bij de bijstelling van {dutch.datum(b.date)}; sinds "
                                "1 juli 2023 hoort die erbij.", b.date, sheet="Bijstellingen",
                       row=b.source.row or None, column=column)


def actueel_oordeel(c: _Check) -> None:
    """Actueel oordeel of the company doctor by week 91 (seed 004)."""
    _by_week(c, "actueel-oordeel", "Actueel oordeel van de bedrijfsarts", c.case.actueel_oordeel_date,
             rules.WEEK_ACTUEEL_OORDEEL, "Datum actueel oordeel", "Vraag de bedrijfsarts om het actueel oordeel.")


def eindevaluatie(c: _Check) -> None:
    """Eindevaluatie in weeks 87-91 (seeds 003, 004), and not before the actueel oordeel."""
    day = measures.eindevaluatie_date(c.case)
    first = rules.WEEK_EINDEVALUATIE_FROM
    if day is not None and c.week(day) < first:
        c.warn("eindevaluatie", f"Eindevaluatie vroeg: {c.when(day)}; voor de WIA-aanvraag hoort die in week "
                                f"{first}-{rules.WEEK_EINDEVALUATIE}; houd haar zo nodig in die weken opnieuw.", day,
               label="Datum eindevaluatie")
    oordeel = c.case.actueel_oordeel_date
    if day is not None and oordeel is not None and day < oordeel:
        c.warn("eindevaluatie", f"De eindevaluatie ({c.when(day)}) ligt vóór het actueel oordeel van de bedrijfsarts "
                                f"({c.when(oordeel)}); de eindevaluatie bouwt op dat oordeel. Houd haar na het actueel "
                                "oordeel.", day,
               label="Datum eindevaluatie")
    _by_week(c, "eindevaluatie", "Eindevaluatie", day, rules.WEEK_EINDEVALUATIE, "Datum eindevaluatie",
             "Houd de eindevaluatie en vul de sheet Eindevaluatie in.")


def wia_bundle(c: _Check) -> None:
    """The WIA bundle complete by week 91, when the WIA application is due (seed 002; seed 004
    allows week 93, the stricter is 91)."""
    deadline = c.end_of(rules.WEEK_WIA_AANVRAAG)
    if not c.bundle_missing:
        return
    missing = dutch.opsomming(list(c.bundle_missing))
    if c.peildatum > deadline:
        c.warn("wia-bundel", f"De WIA-bundel is niet compleet; dat moest uiterlijk week {rules.WEEK_WIA_AANVRAAG} "
                             f"({dutch.datum(deadline)}). Ontbreekt: {missing}.", deadline, sheet="Bundel")
    else:
        c.due("wia-bundel", f"WIA-bundel compleet (uiterlijk week {rules.WEEK_WIA_AANVRAAG}); ontbreekt nu: {missing}",
              deadline)


def waiting_period(c: _Check) -> None:
    """End of the waiting period in week 104 (all seeds)."""
    end = c.end_of(rules.WEEK_EINDE_WACHTTIJD)
    if c.peildatum <= end:
        c.due("einde-wachttijd", f"Einde wachttijd (week {rules.WEEK_EINDE_WACHTTIJD})", end)


def suitable_work(c: _Check) -> None:
    """Suitable work: a zoekprofiel function more than 30 % below the old wage (seed 001); the
    eindevaluatie's new wage under 65 % of the old (seed 000)."""
    for z in c.case.zoekprofiel:
        check = measures.wage_check(c.case.monthly_wage, z.indicated_monthly_wage)
        if check is not None and not check.suitable:
            c.warn("passend-werk", f"Zoekprofiel rang {z.rank} ({z.function}): {dutch.euro(z.indicated_monthly_wage)} "
                                   f"is {dutch.procent(check.loss)} lager dan het oude loon "
                                   f"{dutch.euro(c.case.monthly_wage)}; dat is meer dan "
                                   f"{dutch.procent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)} en geldt niet als passend "
                                   "werk. Kies een andere functie of licht toe waarom deze toch past.", None, sheet="Zoekprofiel", row=z.source.row or None,
                   column="Indicatie maandloon")
    final = c.case.eindevaluatie
    check = measures.wage_check(c.case.monthly_wage, final.new_monthly_wage if final else None)
    if check is not None and check.ratio < Decimal(str(rules.WIA_EARNING_THRESHOLD)):
        c.warn("verdiencapaciteit", f"Het nieuwe loon is {dutch.procent(check.ratio)} van het oude: minder dan "
                                    f"{dutch.procent(rules.WIA_EARNING_THRESHOLD, 0)}. Een WIA-aanvraag ligt voor de "
                                    "hand.", measures.eindevaluatie_date(c.case), sheet="Eindevaluatie",
               label="Nieuw maandloon")


RULES: tuple[Callable[[_Check], None], ...] = (
    probleemanalyse, plan_van_aanpak, evaluations, melding_uwv, eerstejaarsevaluatie, tweede_spoor,
    coach_contact, applications, views, actueel_oordeel, eindevaluatie, wia_bundle, waiting_period,
    suitable_work,
)


@dataclass(frozen=True)
class TimelineResult:
    findings: tuple[Finding, ...]
    deadlines: tuple[Deadline, ...]  # upcoming, by date


def check_timeline(case: m.Case, peildatum: date, bundle_missing: tuple[str, ...] = ()) -> TimelineResult:
    """Every rule against `peildatum`; `bundle_missing` names WIA-bundle elements still missing."""
    check = _Check(case, peildatum, bundle_missing)
    for rule in RULES:
        rule(check)
    # Chronological, as a casemanager reads a dossier; findings without a date last.
    findings = sorted(check.findings, key=lambda f: (f.day is None, f.day or date.min))
    return TimelineResult(tuple(findings), tuple(sorted(check.deadlines, key=lambda d: (d.day, d.rule))))
