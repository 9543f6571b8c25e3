"""Checks stage: the rules of the Poortwachter process, each with its source, against the peildatum.

Every rule below is registered with `@rule(key, source)`: its rule key from the contract, the
severity of what it finds, and where the rule comes from (a seed in `shared/seeds/`, an article
of the Regeling procesgang eerste en tweede ziektejaar, UWV's Beoordelingskader). A rule states
what is wrong, with its week and date, and what to do now; a deadline still ahead is a
`Deadline`. What holds for every rule is done once, after them: a reasoned departure
(`Afwijkingen`, Regeling procesgang art. 5) turns a finding into a note; a closed case (recovered,
employment ended, or past week 104) gets what was missing while it ran as history, without advice
that can no longer be followed, and no deadlines. Weeks count on the case's calendar
(`Case.week_of`, relapses added up); "by week N" means by the last day of week N.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import TypedDict

from .. import dutch
from .. import model as m
from ..errors import Finding, Severity
from ..model import RuleKey as K
from ..results import Deadline
from . import law as rules
from . import measures

# Workbook errors found here rather than in validation, because they need the case's calendar.
SICKNESS_RULE = "verzuimverloop"
DEPARTURE_RULE = "afwijkingen"


_Body = Callable[["_Check"], None]


@dataclass(frozen=True)
class Rule:
    """One rule of the process: its contract key, the severity of its findings, and its source."""

    key: K
    severity: Severity
    source: str
    check: _Body

    @property
    def name(self) -> str:
        return self.check.__name__


_REGISTRY: list[Rule] = []


def rule(key: K, source: str, severity: Severity = Severity.WARNING) -> Callable[[_Body], _Body]:
    """Register the function below as a rule, in the order of this module."""
    def register(check: _Body) -> _Body:
        _REGISTRY.append(Rule(key, severity, source, check))
        return check
    return register


@dataclass(frozen=True)
class _Draft:
    """A finding before the departures and the closing of the case are applied: what is wrong and
    what to do now are kept apart, so either can be replaced."""

    key: K
    severity: Severity
    what: str  # what is wrong, with its week and date
    todo: str  # what to do now; "" when there is nothing
    day: date | None
    sheet: str
    row: int | None
    column: str | None
    label: str | None


@dataclass
class _Check:
    case: m.Case
    peildatum: date
    closing: measures.Closing
    drafts: list[_Draft] = field(default_factory=list)
    deadlines: list[Deadline] = field(default_factory=list)
    current: Rule | None = None  # the rule running now

    # --- the calendar -------------------------------------------------------------------------

    def week(self, day: date) -> int:
        return self.case.week_of(day)

    def end_of(self, week: int) -> date:
        return self.case.end_of_week(week)

    def when(self, day: date) -> str:
        """'12 maart 2025 (week 10)'."""
        return f"{dutch.date_long(day)} (week {self.week(day)})"

    def weeks_after(self, day: date, weeks: int) -> date:
        """`weeks` weeks after `day` on the case's calendar: fit days between relapses that add up do
        not count, so this moves later with them like every other deadline."""
        calendar = self.case.calendar
        return calendar.date_of(calendar.day_number(day) + 7 * weeks)

    def days_between(self, earlier: date, later: date) -> int:
        calendar = self.case.calendar
        return calendar.day_number(later) - calendar.day_number(earlier)

    # --- open or closed -----------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.peildatum > self.closing.last_day

    @property
    def now(self) -> date:
        """The day things are judged on: the peildatum, or the day after a closed case stopped."""
        return min(self.peildatum, self.closing.last_day + timedelta(days=1))

    def ran_on(self, day: date) -> bool:
        """The case still ran on `day`: something due then applies."""
        return day <= self.closing.last_day

    def passed(self, deadline: date) -> bool:
        """`deadline` is over (the day itself is still allowed)."""
        return self.now > deadline

    # --- what a rule reports ------------------------------------------------------------------

    def find(self, what: str, todo: str, day: date | None, *, sheet: str = "Dossier", row: int | None = None,
             column: str | None = None, label: str | None = None, attr: str | None = None,
             severity: Severity | None = None) -> None:
        """A finding of the running rule; `attr` names the Dossier field it concerns (the case knows
        where that field stands), otherwise sheet, row, column and label say where."""
        assert self.current is not None
        if attr is not None:
            place = self.case.where(attr)
            sheet, row, label = place.sheet, place.row, place.label
        self.drafts.append(_Draft(self.current.key, severity or self.current.severity, what, todo, day, sheet, row,
                                  column, label))

    def due(self, what: str, day: date) -> None:
        """An upcoming deadline of the running rule, if the case still runs then."""
        assert self.current is not None
        if self.ran_on(day) and not self.passed(day):
            self.deadlines.append(Deadline(self.current.key.value, what, self.week(day), day))


class _Where(TypedDict):
    sheet: str
    row: int | None
    column: str | None


def _at(record: object, sheet: str, column: str | None = None) -> _Where:
    """Where a record of a table sheet stands (its own sheet, else `sheet`), for `find`."""
    source: m.Source = getattr(record, "source", m.NOWHERE)
    return _Where(sheet=source.sheet or sheet, row=source.row or None, column=column)


def _weeks_and_days(days: int) -> str:
    """'7 weken', '6 weken en 1 dag'."""
    weeks, rest = divmod(days, 7)
    text = f"{weeks} we{'ek' if weeks == 1 else 'ken'}"
    return text + (f" en {rest} dag{'en' if rest != 1 else ''}" if rest else "")


def _plural(count: int, one: str, more: str) -> str:
    return f"{count} {one if count == 1 else more}"


def _by(c: _Check, what: str, event: date | None, deadline: date, why: str, attr: str, todo: str,
        upcoming: str) -> None:
    """The common shape: `what` must have happened by `deadline` ("why" says by when and why)."""
    if event is not None:
        if event > deadline:
            c.find(f"{what} kwam te laat, op {c.when(event)}; de termijn was {why}.",
                   "Leg in het dossier vast waarom het later was.", event, attr=attr)
        return
    if not c.ran_on(deadline):
        return  # the case closed before it was due
    if c.passed(deadline):
        c.find(f"{what} ontbreekt; de termijn was {why}.", todo, deadline, attr=attr)
    else:
        c.due(f"{what} ({upcoming})", deadline)


def _by_week(c: _Check, what: str, event: date | None, week: int, attr: str, todo: str) -> None:
    deadline = c.end_of(week)
    _by(c, what, event, deadline, f"uiterlijk week {week} ({dutch.date_long(deadline)})", attr, todo,
        f"uiterlijk week {week}")


def _stricter(c: _Check, week: int, after: list[tuple[date | None, int, str]]) -> tuple[date, str]:
    """The earliest of 'by week N' and each 'within M weeks after <event>', with the reason in Dutch.
    `after` holds (event day, weeks, the event's name)."""
    by_week = c.end_of(week)
    best, why = by_week, f"uiterlijk week {week} ({dutch.date_long(by_week)})"
    for event, weeks, name in after:
        if event is None:
            continue
        deadline = c.weeks_after(event, weeks)
        if deadline < best:
            best, why = deadline, (f"uiterlijk {weeks} weken na {name} ({dutch.date_long(deadline)}), wat eerder is "
                                   f"dan week {week}")
    return best, why


# --- the Poortwachter timeline ----------------------------------------------------------------

@rule(K.PROBLEEMANALYSE, "seeds 003, 004: probleemanalyse uiterlijk week 6")
def probleemanalyse(c: _Check) -> None:
    _by_week(c, "Probleemanalyse", c.case.probleemanalyse_date, rules.WEEK_PROBLEEMANALYSE, "probleemanalyse_date",
             "Vraag de bedrijfsarts om de probleemanalyse en vul de datum in.")


@rule(K.PLAN_VAN_AANPAK, "seeds 000, 003: uiterlijk week 8; Regeling procesgang art. 4: binnen 2 weken na de "
                         "probleemanalyse (de strengste geldt)")
def plan_van_aanpak(c: _Check) -> None:
    deadline, why = _stricter(c, rules.WEEK_PLAN_VAN_AANPAK, [
        (c.case.probleemanalyse_date, rules.WEEKS_PLAN_AFTER_PROBLEEMANALYSE, "de probleemanalyse")])
    plan = c.case.plan_van_aanpak_date
    if plan > deadline:
        c.find(f"Het plan van aanpak kwam te laat, op {c.when(plan)}; de termijn was {why}.",
               "Leg in het dossier vast waarom het later was.", plan, attr="plan_van_aanpak_date")


@rule(K.EVALUATIE, "seeds 002, 004: evaluatie elke 6 weken; Regeling procesgang art. 4: evaluatiemomenten")
def evaluations(c: _Check) -> None:
    final = measures.eindevaluatie_date(c.case)
    end = min(final, c.closing.last_day) if final is not None else c.closing.last_day
    plan = c.case.plan_van_aanpak_date
    moments = sorted({plan, *(e.date for e in c.case.evaluations),
                      *(d for d in (measures.eerstejaarsevaluatie_date(c.case), final) if d)})
    moments = [d for d in moments if plan <= d <= min(end, c.peildatum)]
    if not moments:
        return  # the plan van aanpak lies after the peildatum: nothing to evaluate yet
    weeks = rules.WEEKS_BETWEEN_EVALUATIONS
    for earlier, later in zip(moments, moments[1:]):
        if c.days_between(earlier, later) > 7 * weeks:
            c.find(f"Tussen de evaluaties van {c.when(earlier)} en {c.when(later)} zaten "
                   f"{_weeks_and_days(c.days_between(earlier, later))}; evalueer ten minste elke {weeks} weken.",
                   "", later, sheet="Evaluaties")
    last = moments[-1]
    if final is not None and final <= c.peildatum:
        return
    next_due = c.weeks_after(last, weeks)
    if next_due > end:
        return
    if c.passed(next_due):
        c.find(f"Sinds {c.when(last)} is er geen evaluatie vastgelegd; de volgende moest er uiterlijk "
               f"{dutch.date_long(next_due)} zijn.", "Plan een evaluatie en leg haar vast.", next_due,
               sheet="Evaluaties")
    else:
        c.due(f"Evaluatie plan van aanpak (elke {weeks} weken)", next_due)


def _next_working_day(day: date) -> date:
    """The first working day after `day` (Saturday and Sunday skipped; public holidays are not known)."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


@rule(K.MELDING_UWV, "seeds 003, 004: ziekmelding bij UWV in week 42; UWV: uiterlijk de eerste werkdag na "
                     "afloop van de 42e ziekteweek")
def uwv_notification(c: _Check) -> None:
    week = rules.WEEK_UWV_NOTIFICATION
    deadline = _next_working_day(c.end_of(week))
    _by(c, "Ziekmelding bij UWV", c.case.uwv_notification_date, deadline,
        f"uiterlijk de eerste werkdag na week {week} ({dutch.date_long(deadline)})", "uwv_notification_date",
        "Meld de werknemer alsnog ziek bij UWV; te laat melden kan een loonsanctie geven.",
        f"uiterlijk de eerste werkdag na week {week}")


@rule(K.EERSTEJAARSEVALUATIE, "seeds 003, 004: eerstejaarsevaluatie rond week 52 (UWV verwacht week 46-52)")
def eerstejaarsevaluatie(c: _Check) -> None:
    day = measures.eerstejaarsevaluatie_date(c.case)
    first, last = rules.WEEK_EERSTEJAARSEVALUATIE_FROM, rules.WEEK_EERSTEJAARSEVALUATIE
    if day is not None and c.week(day) < first:
        c.find(f"De eerstejaarsevaluatie was te vroeg, op {c.when(day)}; die hoort in week {first}-{last}, van "
               f"{dutch.date_long(c.case.start_of_week(first))} tot en met {dutch.date_long(c.end_of(last))}.",
               "Houd de eerstejaarsevaluatie (opnieuw) in die weken.", day, attr="eerstejaarsevaluatie_date")
        return
    _by_week(c, "Eerstejaarsevaluatie", day, last, "eerstejaarsevaluatie_date",
             "Houd de eerstejaarsevaluatie en vul de datum in.")


# --- the tweede spoor -------------------------------------------------------------------------

def _back_at_own_employer(case: m.Case) -> bool:
    final = case.eindevaluatie
    return bool(final and final.outcome in (m.Outcome.EIGEN_WERK, m.Outcome.ANDER_WERK_EIGEN_WERKGEVER))


def _spoor_2_chosen(case: m.Case) -> tuple[date, str] | None:
    """When it became clear that the own work would not return, and how the dossier shows it:
    `Datum besluit tweede spoor`, else the plan van aanpak or the first bijstelling that chose spoor 2."""
    if case.tweede_spoor_decision_date is not None:
        day = case.tweede_spoor_decision_date
        return day, f"het besluit tot een tweede spoor op {dutch.date_long(day)}"
    with_two = (m.Spoor.TWEE, m.Spoor.BEIDE)
    if case.spoor in with_two:
        return case.plan_van_aanpak_date, f"de keuze voor spoor 2 in het plan van aanpak van " \
                                          f"{dutch.date_long(case.plan_van_aanpak_date)}"
    for b in case.bijstellingen:
        if b.spoor in with_two:
            return b.date, f"de keuze voor spoor 2 in de bijstelling van {dutch.date_long(b.date)}"
    return None


@rule(K.TWEEDE_SPOOR, "seeds 001, 003, 004: uiterlijk 6 weken na de eerstejaarsevaluatie, dus week 58; seed 004 "
                      "en contract versie 2: eerder, binnen 6 weken nadat duidelijk is dat terugkeer in eigen werk "
                      "niet realistisch is (Datum besluit tweede spoor); de strengste geldt")
def tweede_spoor(c: _Check) -> None:
    if _back_at_own_employer(c.case):
        return  # back at the own employer: no tweede spoor needed
    chosen = _spoor_2_chosen(c.case)
    deadline, why = _stricter(c, rules.WEEK_TWEEDE_SPOOR, [
        (measures.eerstejaarsevaluatie_date(c.case), rules.WEEKS_TWEEDE_SPOOR_AFTER_EJE, "de eerstejaarsevaluatie"),
        (chosen[0] if chosen else None, rules.WEEKS_TWEEDE_SPOOR_AFTER_DECISION, chosen[1] if chosen else ""),
    ])
    start, reason = c.case.tweede_spoor_start, c.case.tweede_spoor_delay_reason
    if start is not None and start <= deadline:
        return
    if start is None:
        if not c.ran_on(deadline):
            return
        if not c.passed(deadline):
            c.due(f"Start tweede spoor (uiterlijk week {c.week(deadline)})", deadline)
            return
    late = (f"Het tweede spoor is te laat gestart, op {c.when(start)}" if start
            else "Het tweede spoor is niet gestart")
    if reason:
        c.find(f"{late}; de termijn was {why}. Reden van uitstel: {reason}", "", start or deadline,
               attr="tweede_spoor_delay_reason", severity=Severity.NOTE)
    elif start:
        c.find(f"{late}; de termijn was {why}.", "Leg in het dossier vast waarom het later startte; verwachtte de "
                                                 "bedrijfsarts een concrete terugkeer binnen 3 maanden, vul dan 'Reden "
                                                 "uitstel tweede spoor' in.", start, attr="tweede_spoor_start")
    else:
        c.find(f"{late}; de termijn was {why}.", "Start het tweede spoor, of vul 'Reden uitstel tweede spoor' in als "
                                                 "de bedrijfsarts een concrete terugkeer binnen 3 maanden verwacht.",
               deadline, attr="tweede_spoor_start")


def _arbeidsdeskundig_onderzoek(case: m.Case) -> bool:
    """An arbeidsdeskundig onderzoek is on record: an arbeidsdeskundige among the Betrokkenen, an
    arbeidsdeskundig rapport in Bundel, or an advice of the arbeidsdeskundige."""
    return bool(case.people_with_role(m.Rol.ARBEIDSDESKUNDIGE)
                or any(b.document is m.BundleDocument.ARBEIDSDESKUNDIG_RAPPORT for b in case.bundle)
                or any(a.adviser is m.Adviser.ARBEIDSDESKUNDIGE for a in case.advices))


@rule(K.TWEEDE_SPOOR, "domain brief, sanctiegrond 2 (UWV): eerste spoor niet onderzocht, geen arbeidsdeskundig "
                      "onderzoek vóór de keuze voor spoor 2")
def tweede_spoor_without_arbeidsdeskundige(c: _Check) -> None:
    chosen = _spoor_2_chosen(c.case)
    days = [d for d in (chosen[0] if chosen else None, c.case.tweede_spoor_start) if d is not None]
    if not days or _arbeidsdeskundig_onderzoek(c.case):
        return
    day = min(days)
    if day > c.now or not c.ran_on(day):
        return
    c.find(f"Spoor 2 is gekozen op {c.when(day)} zonder arbeidsdeskundig onderzoek in het dossier: er staat geen "
           "arbeidsdeskundige bij de Betrokkenen en geen arbeidsdeskundig rapport in de Bundel. UWV wil zien dat "
           "het eerste spoor is onderzocht.",
           "Laat een arbeidsdeskundig onderzoek doen en zet het rapport op de sheet Bundel (Document: "
           "arbeidsdeskundig rapport).", day, sheet="Betrokkenen", column="Rol")


@rule(K.TWEEDE_SPOOR, "seed 004: het trajectplan noemt de rapportagemomenten; domain brief, sanctiegrond 1: gaten "
                      "in de rapportages van de coach")
def planned_reports(c: _Check) -> None:
    for r in c.case.report_moments:
        if r.status is m.ReportStatus.UITGEBRACHT:
            continue
        kind = r.kind or "rapportage"
        if not c.passed(r.date):
            c.due(f"Rapportage gepland: {kind}", r.date)
        elif r.status is m.ReportStatus.GEPLAND and c.ran_on(r.date):
            c.find(f"De rapportage '{kind}' van {c.when(r.date)} staat nog op gepland.",
                   "Vraag de re-integratiecoach om de rapportage en zet de status op uitgebracht, of plan een "
                   "nieuwe datum.", r.date, **_at(r, "Rapportages", "Status"))


@rule(K.COACH_CONTACT, "seed 000: contact met de coach elke 2-3 weken; seed 004: sessies elke 2-4 weken (de "
                       "strengste: 3)")
def coach_contact(c: _Check) -> None:
    start = c.case.tweede_spoor_start
    if start is None or start > c.now:
        return
    agreed = c.case.coach_contact_weeks
    if agreed is None:
        c.find("Het tweede spoor loopt, maar er is geen contactfrequentie met de re-integratiecoach afgesproken.",
               f"Spreek contact af ten minste elke {rules.WEEKS_COACH_CONTACT} weken.", start,
               attr="coach_contact_weeks")
    elif agreed > rules.WEEKS_COACH_CONTACT:
        c.find(f"Afgesproken is contact met de coach elke {agreed} weken; dat moet ten minste elke "
               f"{rules.WEEKS_COACH_CONTACT} weken.", "Spreek vaker contact af.", start, attr="coach_contact_weeks")


@rule(K.COACH_CONTACT, "contract versie 2 (Contacten): zolang het tweede spoor loopt, geen gat tussen de contacten "
                       "met de coach langer dan 'Contact coach elke weken' (standaard 3; seeds 000, 004)")
def coach_contact_log(c: _Check) -> None:
    start = c.case.tweede_spoor_start
    if start is None or start > c.now or not c.case.contacts:
        return  # without the contact log only the agreed frequency is judged
    weeks = c.case.coach_contact_weeks or rules.WEEKS_COACH_CONTACT
    end = min(d for d in (c.case.tweede_spoor_end, c.closing.last_day) if d is not None)
    upto = min(end, c.peildatum)
    contacts = sorted({x.date for x in c.case.contacts
                       if x.with_role is m.ContactWith.COACH and start < x.date <= upto})
    points = [start, *contacts]
    for earlier, later in zip(points, points[1:]):
        if c.days_between(earlier, later) > 7 * weeks:
            gap = _weeks_and_days(c.days_between(earlier, later))
            c.find(f"Tussen {c.when(earlier)} en {c.when(later)} was er {gap} geen contact met de re-integratiecoach, "
                   f"terwijl afgesproken is ten minste elke {weeks} weken.",
                   "Leg elk contact vast op de sheet Contacten en houd de afgesproken frequentie aan.",
                   c.weeks_after(earlier, weeks) + timedelta(days=1), sheet="Contacten")
    last = points[-1]
    next_due = c.weeks_after(last, weeks)
    if next_due > end:
        return
    since = f"Sinds {c.when(last)}" if contacts else f"Sinds de start van het tweede spoor op {c.when(last)}"
    if c.passed(next_due):
        c.find(f"{since} is er geen contact met de re-integratiecoach vastgelegd; het volgende moest er uiterlijk "
               f"{dutch.date_long(next_due)} zijn (elke {weeks} weken).",
               "Plan een gesprek met de coach en leg het vast op de sheet Contacten.", next_due + timedelta(days=1),
               sheet="Contacten")
    else:
        c.due(f"Contact met de re-integratiecoach (elke {weeks} weken)", next_due)


# --- applications -----------------------------------------------------------------------------

@rule(K.SOLLICITATIES_PER_WEEK, "seed 001: te weinig solliciteren heeft gevolgen; seed 004: sollicitatieplicht in "
                                "het tweede spoor; contract versie 2 (Weektoelichting)")
def applications_per_week(c: _Check) -> None:
    for week in measures.weekly_counts(c.case, c.peildatum):
        if not week.below:
            continue
        what = (f"Week {week.week} ({dutch.period(week.start, week.end)}) telt "
                f"{_plural(week.count, 'sollicitatie', 'sollicitaties')}, terwijl er {week.agreed} per week "
                f"{'is' if week.agreed == 1 else 'zijn'} afgesproken.")
        if week.remark:
            c.find(f"{what} Toelichting: {week.remark}", "", week.start, sheet="Weektoelichting",
                   severity=Severity.NOTE)
        else:
            c.find(what, "Bespreek dit met de werknemer en leg de reden vast op de sheet Weektoelichting.", week.start,
                   sheet="Sollicitaties")


@rule(K.SOLLICITATIE_BEWIJS, "domain brief: elke sollicitatie met bewijs (bijvoorbeeld de e-mail)")
def application_proof(c: _Check) -> None:
    for a in c.case.applications:
        if not a.proof:
            c.find(f"Sollicitatie van {dutch.date_long(a.date)} bij {a.employer} heeft geen bewijs.",
                   "Noteer waar het bewijs is (bijvoorbeeld de e-mail).", a.date, **_at(a, "Sollicitaties", "Bewijs"))


@rule(K.SOLLICITATIE_COACH, "domain brief: elke sollicitatie besproken met de coach")
def application_discussed(c: _Check) -> None:
    for a in c.case.applications:
        if a.discussed_with_coach is False:
            c.find(f"Sollicitatie van {dutch.date_long(a.date)} bij {a.employer} is niet besproken met de coach.",
                   "Bespreek deze sollicitatie bij het volgende contact met de coach.", a.date,
                   **_at(a, "Sollicitaties", "Besproken met coach"))


def _tweede_spoor_applications(c: _Check) -> list[m.Application]:
    start, end = c.case.tweede_spoor_start, c.case.tweede_spoor_end
    return [a for a in c.case.applications
            if (start is None or a.date >= start) and (end is None or a.date <= end) and a.date <= c.peildatum]


@rule(K.SOLLICITATIE_ZOEKPROFIEL, "domain brief: UWV kijkt of er genoeg is gesolliciteerd, op passend werk; seed "
                                  "001: passend is hoogstens 30 % onder het oude loon; contract versie 2")
def applications_on_profile(c: _Check) -> None:
    case = c.case
    if not case.zoekprofiel:
        return  # no trajectplan yet: nothing to hold the applications against
    ranks = {z.rank for z in case.zoekprofiel}
    for a in case.applications:
        if a.zoekprofiel_rank is not None and a.zoekprofiel_rank not in ranks:
            c.find(f"Sollicitatie van {dutch.date_long(a.date)} bij {a.employer} noemt zoekprofiel rang "
                   f"{a.zoekprofiel_rank}, maar het zoekprofiel heeft geen functie met die rang.",
                   "Vul de rang van de juiste functie in, of laat de kolom leeg.", a.date,
                   **_at(a, "Sollicitaties", "Zoekprofiel"))
    applications = _tweede_spoor_applications(c)
    matched = list(zip(applications, measures.zoekprofiel_functions(case, applications)))
    on_profile = sum(1 for _, z in matched if z is not None)
    if applications and on_profile < Decimal(str(rules.APPLICATIONS_ON_PROFILE_MIN_SHARE)) * len(applications):
        share = measures.floor_fraction(Decimal(on_profile) / Decimal(len(applications)))
        c.find(f"Tot en met {c.when(applications[-1].date)} {'is' if on_profile == 1 else 'zijn'} {on_profile} van de "
               f"{len(applications)} sollicitaties "
               f"in het tweede spoor ({dutch.percent(share)}) gericht op een functie uit het zoekprofiel; dat moet ten "
               "minste de helft zijn.",
               "Spreek met de werknemer en de coach af dat de sollicitaties op functies uit het zoekprofiel "
               "gericht zijn, of stel het zoekprofiel bij en leg dat vast in een bijstelling.",
               applications[-1].date, sheet="Sollicitaties", column="Functie")
    unsuitable: dict[int, list[m.Application]] = defaultdict(list)
    profile = {z.rank: z for z in case.zoekprofiel}
    for a, z in matched:
        check = measures.wage_check(case.monthly_wage, z.indicated_monthly_wage) if z else None
        if z is not None and check is not None and not check.suitable:
            unsuitable[z.rank].append(a)
    for rank, apps in sorted(unsuitable.items()):
        z = profile[rank]
        check = measures.wage_check(case.monthly_wage, z.indicated_monthly_wage)
        assert check is not None
        c.find(f"{_plural(len(apps), 'sollicitatie', 'sollicitaties')} ({dutch.period(apps[0].date, apps[-1].date)}) "
               f"ging{'en' if len(apps) != 1 else ''} naar {z.function}, zoekprofiel rang {z.rank}. De indicatie "
               f"maandloon van {dutch.euro(z.indicated_monthly_wage)} ligt {dutch.percent(check.loss)} onder het oude "
               f"maandloon van {dutch.euro(case.monthly_wage)}, meer dan "
               f"{dutch.percent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)}; het trajectplan noemt die functie zelf niet "
               "passend.",
               "Richt de sollicitaties op passende functies, of leg vast waarom deze functie toch passend is.",
               apps[0].date, **_at(apps[0], "Sollicitaties", "Functie"))
    _repeated_applications(c)


def _repeated_applications(c: _Check) -> None:
    """The same employer and function more than twice: a repeat, noted (same rule)."""
    groups: dict[tuple[str, str], list[m.Application]] = defaultdict(list)
    for a in c.case.applications:
        if a.date <= c.peildatum:
            groups[measures.repeat_key(a)].append(a)
    for apps in groups.values():
        if len(apps) <= rules.APPLICATION_REPEATS_MAX:
            continue
        third = apps[rules.APPLICATION_REPEATS_MAX]
        c.find(f"{len(apps)} sollicitaties bij {apps[0].employer} als {apps[0].function} "
               f"({dutch.period(apps[0].date, apps[-1].date)}); UWV telt een herhaalde sollicitatie op dezelfde "
               "vacature niet als nieuwe sollicitatie.",
               "Solliciteer op andere vacatures, of zet in de kolom Toelichting waarom het om verschillende vacatures "
               "gaat.", third.date, **_at(third, "Sollicitaties", "Werkgever"), severity=Severity.NOTE)


# --- agreements, advice, work resumption ------------------------------------------------------

@rule(K.AFSPRAAK, "Regeling procesgang art. 4: het plan van aanpak legt activiteiten, doelen en termijnen vast")
def agreements(c: _Check) -> None:
    for a in c.case.agreements:
        if a.status is not m.AgreementStatus.OPEN or a.due is None or not c.ran_on(a.due):
            continue
        if c.passed(a.due):
            c.find(f"De afspraak '{a.what}' ({a.who}) staat nog open; die moest uiterlijk {c.when(a.due)} klaar zijn.",
                   "Zet de status op gedaan of vervallen, of maak een nieuwe afspraak met een nieuwe datum en leg vast "
                   "waarom.", a.due, **_at(a, "Afspraken", "Status"))
        else:
            c.due(f"Afspraak: {a.what} ({a.who})", a.due)


_ADVISER = {m.Adviser.BEDRIJFSARTS: "de bedrijfsarts", m.Adviser.ARBEIDSDESKUNDIGE: "de arbeidsdeskundige",
            m.Adviser.DESKUNDIGENOORDEEL: "UWV (deskundigenoordeel)", m.Adviser.OVERIG: "overig"}


def _advice_name(advice: m.Advice) -> str:
    by = f" van {_ADVISER[advice.adviser]}" if advice.adviser and advice.adviser is not m.Adviser.OVERIG else ""
    return f"Het advies{by} van {dutch.date_long(advice.date)} ('{advice.advice}')"


@rule(K.ADVIES, "domain brief, sanctiegrond 3: advies van de bedrijfsarts niet of te laat (na ongeveer 6 weken) "
                "opgevolgd; contract versie 2 (Adviezen)")
def advice_followed(c: _Check) -> None:
    for advice in c.case.advices:
        limit = c.weeks_after(advice.date, rules.WEEKS_ADVICE_FOLLOW_UP)
        name = _advice_name(advice)
        if advice.followed_on is not None:
            if advice.followed_on > limit:
                c.find(f"{name} is pas op {c.when(advice.followed_on)} opgevolgd; dat moest binnen "
                       f"{rules.WEEKS_ADVICE_FOLLOW_UP} weken, uiterlijk {dutch.date_long(limit)}.",
                       "Leg in het dossier vast waarom het later was.", advice.followed_on,
                       **_at(advice, "Adviezen", "Opgevolgd op"))
            continue
        if not c.ran_on(limit):
            continue
        if c.passed(limit):
            c.find(f"{name} is niet opgevolgd; dat moest binnen {rules.WEEKS_ADVICE_FOLLOW_UP} weken, uiterlijk "
                   f"{c.when(limit)}.",
                   "Volg het advies op en vul 'Opgevolgd op' en 'Hoe opgevolgd' in, of leg vast waarom het niet "
                   "wordt opgevolgd.", limit, **_at(advice, "Adviezen", "Opgevolgd op"))
        else:
            c.due(f"Advies van {dutch.date_long(advice.date)} opvolgen ({advice.advice})", limit)


# Words in 'Hoe opgevolgd' that say why the plan van aanpak needed no bijstelling (compared
# without case, spaces or punctuation).
_NO_BIJSTELLING_NEEDED = ("bijstelling", "bijgesteld", "nietnodig", "geenaanpassing", "ongewijzigd", "pastinhetplan",
                          "pastbinnenhetplan", "alinhetplan")


def _says_why_no_bijstelling(text: str | None) -> bool:
    key = "".join(ch for ch in (text or "").casefold() if ch.isalnum())
    return any(word in key for word in _NO_BIJSTELLING_NEEDED)


@rule(K.ADVIES, "Regeling procesgang art. 4: het plan van aanpak wordt bijgesteld na een nieuw advies; contract "
                "versie 2 (Adviezen)")
def plan_adjusted_after_advice(c: _Check) -> None:
    for advice in c.case.advices:
        if advice.adviser not in (m.Adviser.BEDRIJFSARTS, m.Adviser.ARBEIDSDESKUNDIGE):
            continue
        limit = c.weeks_after(advice.date, rules.WEEKS_ADVICE_FOLLOW_UP)
        if any(advice.date <= b.date <= limit for b in c.case.bijstellingen):
            continue
        if _says_why_no_bijstelling(advice.how_followed) or not c.ran_on(limit) or not c.passed(limit):
            continue
        c.find(f"Na het advies van {_ADVISER[advice.adviser]} van {c.when(advice.date)} is het plan van aanpak niet "
               f"binnen {rules.WEEKS_ADVICE_FOLLOW_UP} weken bijgesteld (uiterlijk {dutch.date_long(limit)}), en 'Hoe "
               "opgevolgd' zegt niet waarom dat niet nodig was.",
               "Stel het plan van aanpak bij (sheet Bijstellingen) of leg in 'Hoe opgevolgd' vast waarom geen "
               "bijstelling nodig is.", limit, **_at(advice, "Adviezen", "Hoe opgevolgd"))


def _reaches(c: _Check, bad_day: date, next_start: date | None) -> bool:
    """A stretch that began before `bad_day` and lasts until `next_start` (exclusive; None: still
    running) includes `bad_day`, while the case ran."""
    if not c.ran_on(bad_day):
        return False
    if next_start is not None:
        return next_start > bad_day
    return c.peildatum >= bad_day


@rule(K.WERKHERVATTING, "UWV, Beleidsregels beoordelingskader poortwachter: arbeidstherapeutisch werken als regel "
                        "niet langer dan 6 weken (domain brief, sanctiegrond 4)")
def arbeidstherapeutisch(c: _Check) -> None:
    rows = sorted(c.case.work_resumptions, key=lambda w: w.start)
    weeks = rules.WEEKS_ARBEIDSTHERAPEUTISCH
    index = 0
    while index < len(rows):
        if rows[index].kind is not m.WorkKind.ARBEIDSTHERAPEUTISCH:
            index += 1
            continue
        first = rows[index]
        while index < len(rows) and rows[index].kind is m.WorkKind.ARBEIDSTHERAPEUTISCH:
            index += 1
        next_start = rows[index].start if index < len(rows) else None
        over = c.weeks_after(first.start, weeks)  # the first day too long
        last_allowed = over - timedelta(days=1)
        if _reaches(c, over, next_start):
            stretch = (f"Het arbeidstherapeutisch werk van {c.when(first.start)} tot {c.when(next_start)} duurde"
                       if next_start else f"Het arbeidstherapeutisch werk sinds {c.when(first.start)} duurt")
            c.find(f"{stretch} langer dan {weeks} weken; dat kon tot en met {dutch.date_long(last_allowed)}.",
                   "Zet het om naar werk met loonwaarde (aangepast of ander werk) of leg vast waarom het langer duurt; "
                   "vraag zo nodig een deskundigenoordeel aan bij UWV.", over,
                   **_at(first, "Werkhervatting", "Soort"))
        elif next_start is None:
            c.due(f"Arbeidstherapeutisch werken: uiterlijk {weeks} weken, zet het om naar werk met loonwaarde",
                  last_allowed)


_ABOUT_HOURS = ("uur", "uren", "opbouw", "stagn", "werkhervatting", "hervat", "belastba")


def _says_why_hours_stay(case: m.Case, first: date, last: date) -> bool:
    """An evaluation about the work resumption, or any advice, between `first` and `last`."""
    if any(first <= a.date <= last for a in case.advices):
        return True
    return any(first <= e.date <= last and e.report and any(w in e.report.casefold() for w in _ABOUT_HOURS)
               for e in case.evaluations)


@rule(K.WERKHERVATTING, "domain brief, sanctiegrond 5: stagnatie zonder een deskundigenoordeel te vragen; contract "
                        "versie 2 (Werkhervatting): 12 weken geen stijging van de uren onder de contracturen")
def stagnation(c: _Check) -> None:
    contract = c.case.contract_hours
    rows = sorted(c.case.work_resumptions, key=lambda w: w.start)
    if contract is None or not rows:
        return
    # Stretches without a rise: each begins at the first row or at a row with more hours than the one before.
    starts = [i for i, row in enumerate(rows) if i == 0 or row.hours > rows[i - 1].hours]
    for n, i in enumerate(starts):
        first = rows[i]
        if first.hours >= contract:
            continue
        next_start = rows[starts[n + 1]].start if n + 1 < len(starts) else None
        bad_day = c.weeks_after(first.start, rules.WEEKS_STAGNATION) - timedelta(days=1)  # the 84th day
        if not _reaches(c, bad_day, next_start):
            if next_start is None and not _says_why_hours_stay(c.case, first.start, c.peildatum):
                c.due(f"Werkhervatting {rules.WEEKS_STAGNATION} weken op {dutch.number(first.hours)} uur: evalueer de "
                      "opbouw", bad_day)
            continue
        last = min(next_start - timedelta(days=1) if next_start else c.peildatum, c.closing.last_day)
        if _says_why_hours_stay(c.case, first.start, last):
            continue
        c.find(f"De werkhervatting staat sinds {c.when(first.start)} op {dutch.number(first.hours)} uur per week, "
               f"onder de contracturen ({dutch.number(contract)}), en is tot en met {dutch.date_long(last)} "
               f"{_weeks_and_days(c.days_between(first.start, last) + 1)} niet gestegen; geen evaluatie of advies in "
               "die periode zegt waarom.",
               "Bespreek de stagnatie met de bedrijfsarts, leg de reden vast in een evaluatie en overweeg een "
               "deskundigenoordeel bij UWV.", bad_day, **_at(first, "Werkhervatting", "Uren per week"))


# --- views, the end of the waiting period, suitable work ---------------------------------------

@rule(K.VISIE, "Regeling procesgang art. 4, sinds 1 juli 2023: de visie van werkgever en werknemer in het plan van "
               "aanpak, elke bijstelling en de eerstejaarsevaluatie")
def views(c: _Check) -> None:
    if c.case.plan_van_aanpak_date >= rules.VIEWS_REQUIRED_FROM:
        for attr, who in (("employer_view", "werkgever"), ("employee_view", "werknemer")):
            if getattr(c.case, attr) is None:
                c.find(f"De visie van de {who} ontbreekt in het plan van aanpak; sinds 1 juli 2023 hoort die erin.",
                       "Vul die visie in.", c.case.plan_van_aanpak_date, attr=attr)
    records: list[tuple[object, date, str, str]] = [
        (b, b.date, "Bijstellingen", f"bij de bijstelling van {dutch.date_long(b.date)}") for b in c.case.bijstellingen]
    records += [(e, e.date, "Evaluaties", f"in de eerstejaarsevaluatie van {dutch.date_long(e.date)}")
                for e in c.case.evaluations if e.kind is m.EvaluationKind.EERSTEJAARSEVALUATIE]
    for record, day, sheet, where in records:
        if day < rules.VIEWS_REQUIRED_FROM:
            continue
        for attr, who, column in (("employer_view", "werkgever", "Visie werkgever"),
                                  ("employee_view", "werknemer", "Visie werknemer")):
            if getattr(record, attr) is None:
                c.find(f"De visie van de {who} ontbreekt {where}; sinds 1 juli 2023 hoort die erbij.",
                       "Vul die visie in.", day, **_at(record, sheet, column))


@rule(K.ACTUEEL_OORDEEL, "seed 004: actueel oordeel van de bedrijfsarts in week 91")
def actueel_oordeel(c: _Check) -> None:
    _by_week(c, "Actueel oordeel van de bedrijfsarts", c.case.actueel_oordeel_date, rules.WEEK_ACTUEEL_OORDEEL,
             "actueel_oordeel_date", "Vraag de bedrijfsarts om het actueel oordeel.")


@rule(K.EINDEVALUATIE, "seeds 003, 004: eindevaluatie in week 87-91, na het actueel oordeel")
def eindevaluatie(c: _Check) -> None:
    day = measures.eindevaluatie_date(c.case)
    first = rules.WEEK_EINDEVALUATIE_FROM
    if day is not None and c.week(day) < first:
        c.find(f"De eindevaluatie was vroeg, op {c.when(day)}; voor de WIA-aanvraag hoort die in week "
               f"{first}-{rules.WEEK_EINDEVALUATIE}.", "Houd de eindevaluatie zo nodig opnieuw in die weken.", day,
               attr="eindevaluatie_date")
    oordeel = c.case.actueel_oordeel_date
    if day is not None and oordeel is not None and day < oordeel:
        c.find(f"De eindevaluatie van {c.when(day)} ligt vóór het actueel oordeel van de bedrijfsarts van "
               f"{c.when(oordeel)}; de eindevaluatie bouwt op dat oordeel.",
               "Houd de eindevaluatie na het actueel oordeel.", day, attr="eindevaluatie_date")
    _by_week(c, "Eindevaluatie", day, rules.WEEK_EINDEVALUATIE, "eindevaluatie_date",
             "Houd de eindevaluatie en vul de sheet Eindevaluatie in.")


@rule(K.WIA_AANVRAAG, "seed 002: WIA-aanvraag in week 91; seed 004: uiterlijk week 93 (de strengste: 91); contract "
                      "versie 2: bij einde dienstverband het re-integratieverslag uiterlijk die dag")
def wia_application(c: _Check) -> None:
    if measures.no_wia_needed(c.case):
        return
    week = rules.WEEK_WIA_APPLICATION
    deadline, employment_ended = measures.wia_deadline(c.case)
    upcoming = "uiterlijk de laatste dag van het dienstverband" if employment_ended else f"uiterlijk week {week}"
    why = f"{upcoming} ({dutch.date_long(deadline)})"
    _by(c, "WIA-aanvraag met het re-integratieverslag", c.case.wia_application_date, deadline, why,
        "wia_application_date", "Dien de WIA-aanvraag met het re-integratieverslag in bij UWV en vul 'Datum "
                                "WIA-aanvraag' in.", upcoming)


@rule(K.EINDE_WACHTTIJD, "seeds 000-004 (alle): de wachttijd eindigt na week 104")
def waiting_period(c: _Check) -> None:
    c.due(f"Einde wachttijd (week {rules.WEEK_WAITING_PERIOD_END})", c.end_of(rules.WEEK_WAITING_PERIOD_END))


@rule(K.PASSEND_WERK, "seed 001: passend werk is hoogstens 30 % onder het oude loon")
def suitable_work(c: _Check) -> None:
    for z in c.case.zoekprofiel:
        check = measures.wage_check(c.case.monthly_wage, z.indicated_monthly_wage)
        if check is not None and not check.suitable:
            c.find(f"De indicatie maandloon van zoekprofiel rang {z.rank} ({z.function}), "
                   f"{dutch.euro(z.indicated_monthly_wage)}, ligt {dutch.percent(check.loss)} onder het oude maandloon "
                   f"van {dutch.euro(c.case.monthly_wage)}. Dat is meer dan "
                   f"{dutch.percent(rules.SUITABLE_WORK_MAX_WAGE_LOSS, 0)}, dus volgens de vuistregel geen passend "
                   "werk.",
                   "Kies een andere functie of licht toe waarom deze toch past.", None,
                   **_at(z, "Zoekprofiel", "Indicatie maandloon"))


@rule(K.VERDIENCAPACITEIT, "seed 000: WIA bij minder dan 65 % van het oude loon")
def earning_capacity(c: _Check) -> None:
    final = c.case.eindevaluatie
    check = measures.wage_check(c.case.monthly_wage, final.new_monthly_wage if final else None)
    if check is not None and check.ratio < Decimal(str(rules.WIA_EARNING_THRESHOLD)):
        c.find(f"Het nieuwe maandloon is {dutch.percent(check.ratio)} van het oude, minder dan de "
               f"{dutch.percent(rules.WIA_EARNING_THRESHOLD, 0)} die volgens de vuistregel van UWV een bevredigend "
               "resultaat is.", "Een WIA-aanvraag ligt voor de hand.",
               measures.eindevaluatie_date(c.case), sheet="Eindevaluatie", label="Nieuw maandloon")


RULES: tuple[Rule, ...] = tuple(_REGISTRY)


# --- what holds for every rule ---------------------------------------------------------------

def _sickness_errors(case: m.Case) -> list[Finding]:
    """The Verzuimverloop against the calendar: periods in order, and `Eerste ziektedag` the first day
    of the last chain of periods less than 4 weeks apart (samentelling). Errors stop the case."""
    found: list[Finding] = []

    def error(message: str, record: m.SicknessPeriod | None = None, column: str | None = None) -> None:
        if record is None:
            place = case.where("first_sick_day")
            found.append(Finding(Severity.ERROR, message, case.source_file, place.sheet, place.row, None, place.label,
                                 SICKNESS_RULE, None, case.first_sick_day))
        else:
            at = _at(record, "Verzuimverloop", column)
            found.append(Finding(Severity.ERROR, message, case.source_file, at["sheet"], at["row"], at["column"],
                                 None, SICKNESS_RULE, None, record.sick_from))

    periods = sorted(case.sickness_periods, key=lambda p: p.sick_from)
    if not periods:
        return found
    for p in periods:
        if p.fit_from is not None and p.fit_from <= p.sick_from:
            error(f"'Hersteld op' ({dutch.date_long(p.fit_from)}) ligt niet na 'Ziek vanaf' "
                  f"({dutch.date_long(p.sick_from)}); controleer de datums.", p, "Hersteld op")
    chain_start = periods[0].sick_from
    for before, after in zip(periods, periods[1:]):
        if before.fit_from is None:
            error(f"de periode vanaf {dutch.date_long(before.sick_from)} heeft geen 'Hersteld op', maar er volgt "
                  f"nog een periode vanaf {dutch.date_long(after.sick_from)}; vul in wanneer de werknemer hersteld "
                  "was.", before,
                  "Hersteld op")
            return found
        if after.sick_from < before.fit_from:
            error(f"deze periode begint ({dutch.date_long(after.sick_from)}) vóór het herstel van de vorige "
                  f"({dutch.date_long(before.fit_from)}); periodes mogen elkaar niet overlappen.", after, "Ziek vanaf")
            return found
        if (after.sick_from - before.fit_from).days >= m.SAMENTELLING_DAYS:
            chain_start = after.sick_from
    if chain_start != case.first_sick_day:
        error(f"'Eerste ziektedag' ({dutch.date_long(case.first_sick_day)}) is niet de eerste dag van de laatste reeks "
              f"ziekteperiodes op de sheet Verzuimverloop: die begint op {dutch.date_long(chain_start)}. Periodes die "
              f"minder dan 4 weken ({m.SAMENTELLING_DAYS} dagen) uit elkaar liggen tellen samen; bij 4 weken of meer "
              f"begint een nieuwe ziekte. Vul bij 'Eerste ziektedag' {chain_start:%d-%m-%Y} in, of corrigeer de sheet "
              "Verzuimverloop.")
    return found


def _departure_for(case: m.Case, draft: _Draft) -> m.Departure | None:
    """The latest reasoned departure from the draft's rule dated on or before the finding."""
    if draft.day is None or draft.severity is not Severity.WARNING:
        return None
    matching = [d for d in case.departures if d.rule is draft.key and d.date <= draft.day]
    return max(matching, key=lambda d: d.date, default=None)


def _finish(c: _Check, draft: _Draft) -> Finding:
    """The finding as the casemanager reads it: a departure with the employee's agreement makes it a
    note; a closed case gets it as history, without advice."""
    severity, message = draft.severity, draft.what
    departure = _departure_for(c.case, draft)
    if departure is not None and departure.employee_agreed:
        severity = Severity.NOTE
        message = (f"{draft.what.rstrip('.')}; gemotiveerd afgeweken op {dutch.date_long(departure.date)}: "
                   f"{departure.reason.rstrip('.')}.")
        if departure.doctor_supports:
            message += " De bedrijfsarts steunt de afwijking."
    elif departure is not None:
        message = (f"{draft.what} Afgeweken op {dutch.date_long(departure.date)} zonder akkoord van de werknemer: "
                   f"{departure.reason.rstrip('.')}.")
        if not c.closed:
            message += " Leg het akkoord van de werknemer vast op de sheet Afwijkingen, of herstel het verzuim."
    if c.closed:
        message += f" Het dossier is gesloten op {dutch.date_long(c.closing.last_day)}; dit staat er als geschiedenis."
    elif draft.todo and not (departure is not None and departure.employee_agreed):
        message += f" {draft.todo}"
    return Finding(severity, message, c.case.source_file, draft.sheet, draft.row, draft.column, draft.label,
                   draft.key.value, c.week(draft.day) if draft.day else None, draft.day)


def _departures_without_rule(case: m.Case) -> list[Finding]:
    return [Finding(Severity.NOTE, f"De afwijking van {dutch.date_long(d.date)} noemt geen regel en geldt daarom voor "
                                   "geen enkele melding; kies in de kolom Regel de regel waarvan wordt afgeweken.",
                    case.source_file, **_at(d, "Afwijkingen", "Regel"), rule=DEPARTURE_RULE, day=d.date)
            for d in case.departures if d.rule is None]


@dataclass(frozen=True)
class TimelineResult:
    findings: tuple[Finding, ...]
    deadlines: tuple[Deadline, ...]  # upcoming, by date


def check_timeline(case: m.Case, peildatum: date) -> TimelineResult:
    """Every rule against `peildatum`. Whether the WIA bundle is complete is the bundle's own
    judgement (`bundle.assemble`). An error in the Verzuimverloop stops here: every week would be wrong."""
    errors = _sickness_errors(case)
    if errors:
        return TimelineResult(tuple(errors), ())
    check = _Check(case, peildatum, measures.closing(case))
    for r in RULES:
        check.current = r
        r.check(check)
    findings = [_finish(check, d) for d in check.drafts] + _departures_without_rule(case)
    if check.closed:
        findings.append(Finding(Severity.NOTE, f"Het dossier is gesloten: {check.closing.reason}. De controle kijkt "
                                               "alleen naar wat er tot en met "
                                               f"{dutch.date_long(check.closing.last_day)} had moeten gebeuren; er "
                                               "volgen geen termijnen meer.",
                                case.source_file, "Dossier", rule=K.EINDE_WACHTTIJD.value,
                                week=case.week_of(check.closing.last_day), day=check.closing.last_day))
    # Chronological, as a casemanager reads a dossier; findings without a date last.
    findings.sort(key=lambda f: (f.day is None, f.day or date.min))
    wia = next((d.day for d in check.deadlines if d.rule == K.WIA_AANVRAAG.value), None)
    deadlines = sorted(measures.for_planning(case, check.deadlines, wia), key=lambda d: (d.day, d.rule))
    return TimelineResult(tuple(findings), tuple(deadlines))
