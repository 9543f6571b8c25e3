"""The case model: a tree of frozen dataclasses built once by `validate`.

Everything after validation (checks, documents, bundle, report) reads this model, never the
worksheet. Each record keeps where it came from (`Source`), outside equality, so a later check
can still point the casemanager at the cell.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import cached_property
from pathlib import Path


class Spoor(StrEnum):
    EEN = "1"
    TWEE = "2"
    BEIDE = "1 en 2"


class Rol(StrEnum):
    WERKGEVER = "werkgever"
    WERKNEMER = "werknemer"
    CASEMANAGER = "casemanager"
    BEDRIJFSARTS = "bedrijfsarts"
    ARBEIDSDESKUNDIGE = "arbeidsdeskundige"
    COACH = "re-integratiecoach"
    OVERIG = "overig"


class AgreementStatus(StrEnum):
    OPEN = "open"
    GEDAAN = "gedaan"
    VERVALLEN = "vervallen"


class EvaluationKind(StrEnum):
    PERIODIEK = "periodiek"
    EERSTEJAARSEVALUATIE = "eerstejaarsevaluatie"
    EINDEVALUATIE = "eindevaluatie"
    OVERIG = "overig"


class ProfilePart(StrEnum):
    OPLEIDING = "opleiding"
    WERKERVARING = "werkervaring"
    VAARDIGHEID = "vaardigheid"
    INTERESSE = "interesse"
    WENS = "wens"
    BEPERKING = "beperking"


class Phase(StrEnum):
    PERSOONSGERICHT = "persoonsgericht"
    ARBEIDSMARKTGERICHT = "arbeidsmarktgericht"
    WERKGERICHT = "werkgericht"


class InterventionStatus(StrEnum):
    GEPLAND = "gepland"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    GESTOPT = "gestopt"


class ReportStatus(StrEnum):
    GEPLAND = "gepland"
    UITGEBRACHT = "uitgebracht"


class ApplicationResult(StrEnum):
    IN_AFWACHTING = "in afwachting"
    GEEN_REACTIE = "geen reactie"
    AFGEWEZEN = "afgewezen"
    UITGENODIGD = "uitgenodigd"
    AANGENOMEN = "aangenomen"


class Outcome(StrEnum):
    NIEUW_WERK = "nieuw werk bij andere werkgever"
    EIGEN_WERK = "eigen werk bij eigen werkgever"
    ANDER_WERK_EIGEN_WERKGEVER = "ander werk bij eigen werkgever"
    GEEN_WERK_WIA = "geen werk, WIA-aanvraag"


class BundleDocument(StrEnum):
    PROBLEEMANALYSE = "probleemanalyse"
    BIJSTELLING_PROBLEEMANALYSE = "bijstelling probleemanalyse"
    ACTUEEL_OORDEEL = "actueel oordeel"
    EERSTEJAARSEVALUATIE = "eerstejaarsevaluatie"
    OORDEEL_WERKNEMER = "oordeel werknemer"
    RAPPORTAGE = "rapportage re-integratiebedrijf"
    OVERIG = "overig"
    # Version 2 of the contract: reports by others, and signed copies of generated documents.
    ARBEIDSDESKUNDIG_RAPPORT = "arbeidsdeskundig rapport"
    DESKUNDIGENOORDEEL = "deskundigenoordeel"
    PLAN_VAN_AANPAK = "plan van aanpak"
    BIJSTELLING_PLAN_VAN_AANPAK = "bijstelling plan van aanpak"
    TRAJECTPLAN = "trajectplan"
    VOORTGANGSRAPPORTAGE = "voortgangsrapportage"
    EINDEVALUATIE = "eindevaluatie"
    SOLLICITATIEOVERZICHT = "sollicitatieoverzicht"


class ContractKind(StrEnum):
    VAST = "vast"
    TIJDELIJK = "tijdelijk"


class Adviser(StrEnum):
    BEDRIJFSARTS = "bedrijfsarts"
    ARBEIDSDESKUNDIGE = "arbeidsdeskundige"
    DESKUNDIGENOORDEEL = "deskundigenoordeel UWV"
    OVERIG = "overig"


class WorkKind(StrEnum):
    EIGEN_WERK = "eigen werk"
    AANGEPAST_EIGEN_WERK = "aangepast eigen werk"
    ANDER_WERK_EIGEN_WERKGEVER = "ander werk eigen werkgever"
    ARBEIDSTHERAPEUTISCH = "arbeidstherapeutisch"
    WERKERVARINGSPLEK = "werkervaringsplek"
    ANDER_WERK_ANDERE_WERKGEVER = "ander werk andere werkgever"


class ContactWith(StrEnum):
    COACH = "re-integratiecoach"
    CASEMANAGER = "casemanager"
    BEDRIJFSARTS = "bedrijfsarts"
    ARBEIDSDESKUNDIGE = "arbeidsdeskundige"
    WERKGEVER = "werkgever"


class RuleKey(StrEnum):
    """The contract's rule keys: every finding and deadline carries one, and `Afwijkingen` names
    the rule a reasoned departure is from."""

    PROBLEEMANALYSE = "probleemanalyse"
    PLAN_VAN_AANPAK = "plan-van-aanpak"
    EVALUATIE = "evaluatie"
    MELDING_UWV = "melding-uwv"
    EERSTEJAARSEVALUATIE = "eerstejaarsevaluatie"
    TWEEDE_SPOOR = "tweede-spoor"
    COACH_CONTACT = "coach-contact"
    SOLLICITATIES_PER_WEEK = "sollicitaties-per-week"
    SOLLICITATIE_BEWIJS = "sollicitatie-bewijs"
    SOLLICITATIE_COACH = "sollicitatie-coach"
    SOLLICITATIE_ZOEKPROFIEL = "sollicitatie-zoekprofiel"
    AFSPRAAK = "afspraak"
    ADVIES = "advies"
    WERKHERVATTING = "werkhervatting"
    VISIE = "visie"
    ACTUEEL_OORDEEL = "actueel-oordeel"
    EINDEVALUATIE = "eindevaluatie"
    WIA_BUNDEL = "wia-bundel"
    WIA_AANVRAAG = "wia-aanvraag"
    PASSEND_WERK = "passend-werk"
    VERDIENCAPACITEIT = "verdiencapaciteit"
    EINDE_WACHTTIJD = "einde-wachttijd"
    MEDISCH = "medisch"


@dataclass(frozen=True)
class Source:
    """Where a record stands in the workbook: file, sheet, row, and the column of each field."""

    file: str
    sheet: str
    row: int
    columns: Mapping[str, str] = field(default_factory=dict)

    def column(self, attr: str) -> str | None:
        return self.columns.get(attr)


NOWHERE = Source(file="", sheet="", row=0)


@dataclass(frozen=True)
class Place:
    """Where a value of the case stands, as a finding names it: sheet, row and field label."""

    sheet: str
    row: int | None = None
    label: str | None = None
    column: str | None = None


# Sickness periods less than this many days apart add up to one sickness (samentelling).
SAMENTELLING_DAYS = 28


@dataclass(frozen=True)
class Calendar:
    """The Poortwachter calendar of one case. Day 1 of week 1 is the first day of sickness; the
    days the employee was fit between periods less than 4 weeks apart (samentelling) do not count,
    so every week, deadline and the end of the waiting period after such a gap move later by it.
    `gaps` holds each such stretch as (first day fit, first day sick again)."""

    first_sick_day: date
    gaps: tuple[tuple[date, date], ...] = ()

    def day_number(self, day: date) -> int:
        """The sickness day `day` is: 1 for the first day of sickness, fit days not counted (a
        day inside a gap counts as the last sick day before it); 0 or less before day 1."""
        number = (day - self.first_sick_day).days + 1
        for fit, sick_again in self.gaps:
            if day >= sick_again:
                number -= (sick_again - fit).days
            elif day >= fit:
                number -= (day - fit).days + 1
        return number

    def date_of(self, number: int) -> date:
        """The date of sickness day `number` (the inverse of `day_number` for sick days)."""
        day = self.first_sick_day + timedelta(days=number - 1)
        for fit, sick_again in self.gaps:
            if day >= fit:
                day += sick_again - fit
        return day

    def week_of(self, day: date) -> int:
        """The Poortwachter week `day` falls in; day 1 is in week 1, days before it in week <= 0."""
        return (self.day_number(day) - 1) // 7 + 1

    def start_of_week(self, week: int) -> date:
        return self.date_of(7 * (week - 1) + 1)

    def end_of_week(self, week: int) -> date:
        """The last day of week `week`: the deadline of "by week N"."""
        return self.date_of(7 * week)


@dataclass(frozen=True)
class Person:
    role: Rol
    name: str
    organisation: str | None = None
    email: str | None = None
    phone: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Agreement:
    what: str
    who: str
    due: date | None = None
    status: AgreementStatus = AgreementStatus.OPEN
    agreed_on: date | None = None  # empty: the date of the plan van aanpak
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Bijstelling:
    date: date
    change: str
    reason: str | None = None
    employer_view: str | None = None
    employee_view: str | None = None
    spoor: Spoor | None = None  # the spoor from this bijstelling on, when it changes
    goal: str | None = None  # the re-integratiedoel from this bijstelling on, when it changes
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Evaluation:
    date: date
    kind: EvaluationKind | None = None
    report: str | None = None
    employer_view: str | None = None
    employee_view: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ProfileItem:
    part: ProfilePart
    description: str
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ZoekprofielFunction:
    rank: int
    function: str
    sector: str | None = None
    why_suitable: str | None = None
    indicated_monthly_wage: float | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Intervention:
    phase: Phase | None
    activity: str
    performer: str | None = None
    start: date | None = None
    end: date | None = None
    status: InterventionStatus | None = None
    result: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class ReportMoment:
    date: date
    kind: str | None = None
    status: ReportStatus | None = None
    written_by: str | None = None  # name and function of the author
    narrative: str | None = None  # the report's own Toelichting
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Application:
    date: date
    employer: str
    function: str
    found_via: str | None = None
    applied_how: str | None = None
    result: ApplicationResult | None = None
    proof: str | None = None
    discussed_with_coach: bool | None = None
    zoekprofiel_rank: int | None = None  # the Rang of the zoekprofiel function it is for
    remark: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Eindevaluatie:
    date: date | None = None
    outcome: Outcome | None = None
    course: str | None = None
    result: str | None = None
    new_monthly_wage: float | None = None
    working_relationship: str | None = None
    suitable_work_own_employer: str | None = None
    earning_capacity_conclusion: str | None = None
    employee_opinion: str | None = None
    new_function: str | None = None
    new_employer: str | None = None
    new_hours: float | None = None  # hours a week of the new work
    contract_kind: ContractKind | None = None
    contract_end: datetime.date | None = None  # `date` is a field of this class: the type is named in full
    old_employment: str | None = None  # what happens to the old employment
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class BundleItem:
    document: BundleDocument
    file: Path  # resolved, inside the workbook's folder
    date: date | None = None
    written_by: str | None = None
    path: str = ""  # as the workbook gives it, relative to the workbook's folder
    signed: bool | None = None  # the supplied file is a signed copy
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class SicknessPeriod:
    """One period of sickness (Verzuimverloop); `fit_from` is the first day fit again."""

    sick_from: date
    fit_from: date | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Advice:
    date: date
    advice: str
    adviser: Adviser | None = None
    followed_on: datetime.date | None = None  # `date` is a field of this class: the type is named in full
    how_followed: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Departure:
    """A reasoned departure from a term (Regeling procesgang art. 5)."""

    date: date
    reason: str
    rule: RuleKey | None = None
    employee_agreed: bool | None = None
    doctor_supports: bool | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class WorkResumption:
    """Work resumed from `start` on; it holds until the next resumption."""

    start: date
    hours: float
    kind: WorkKind | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Contact:
    date: date
    with_role: ContactWith | None = None
    subject: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class WeekNote:
    """Why a week fell short of the agreed applications; `week_of` is any day of that week."""

    week_of: date
    text: str
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Case:
    """One sick employee's re-integration case, as the workbook states it."""

    dossiernummer: str
    employee_name: str
    job_title: str
    employer: str
    first_sick_day: date
    plan_van_aanpak_date: date
    goal: str
    spoor: Spoor
    birth_date: date | None = None
    bsn: str | None = None
    employer_business: str | None = None
    contract_hours: float | None = None
    monthly_wage: float | None = None
    probleemanalyse_date: date | None = None
    uwv_notification_date: date | None = None
    eerstejaarsevaluatie_date: date | None = None
    tweede_spoor_start: date | None = None
    tweede_spoor_end: date | None = None
    tweede_spoor_delay_reason: str | None = None
    eindevaluatie_date: date | None = None
    actueel_oordeel_date: date | None = None
    employer_view: str | None = None
    employee_view: str | None = None
    applications_per_week: int | None = None
    coach_contact_weeks: int | None = None
    trajectplan_date: date | None = None
    tweede_spoor_decision_date: date | None = None
    wia_application_date: date | None = None
    recovery_date: date | None = None
    employment_end_date: date | None = None
    people: tuple[Person, ...] = ()
    agreements: tuple[Agreement, ...] = ()
    bijstellingen: tuple[Bijstelling, ...] = ()
    evaluations: tuple[Evaluation, ...] = ()
    persoonsprofiel: tuple[ProfileItem, ...] = ()
    zoekprofiel: tuple[ZoekprofielFunction, ...] = ()
    interventions: tuple[Intervention, ...] = ()
    report_moments: tuple[ReportMoment, ...] = ()
    applications: tuple[Application, ...] = ()
    eindevaluatie: Eindevaluatie | None = None
    bundle: tuple[BundleItem, ...] = ()
    sickness_periods: tuple[SicknessPeriod, ...] = ()
    advices: tuple[Advice, ...] = ()
    departures: tuple[Departure, ...] = ()
    work_resumptions: tuple[WorkResumption, ...] = ()
    contacts: tuple[Contact, ...] = ()
    week_notes: tuple[WeekNote, ...] = ()
    source_file: str = field(default="", compare=False)
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)
    labels: Mapping[str, str] = field(default_factory=dict, compare=False, repr=False)  # Dossier attr -> label

    @cached_property
    def calendar(self) -> Calendar:
        """The case's calendar: from `first_sick_day`, without the fit days of relapses that add up."""
        gaps = []
        periods = sorted(self.sickness_periods, key=lambda p: p.sick_from)
        for before, after in zip(periods, periods[1:]):
            fit = before.fit_from
            if fit is None or fit < self.first_sick_day or after.sick_from <= fit:
                continue
            if (after.sick_from - fit).days < SAMENTELLING_DAYS:
                gaps.append((fit, after.sick_from))
        return Calendar(self.first_sick_day, tuple(gaps))

    def week_of(self, day: date) -> int:
        return self.calendar.week_of(day)

    def start_of_week(self, week: int) -> date:
        return self.calendar.start_of_week(week)

    def end_of_week(self, week: int) -> date:
        return self.calendar.end_of_week(week)

    def where(self, attr: str) -> Place:
        """Where Dossier field `attr` stands (or belongs, when it is empty), for a finding."""
        source = self.sources.get(attr)
        return Place(source.sheet if source else "Dossier", source.row if source and source.row else None,
                     self.labels.get(attr))

    def people_with_role(self, role: Rol) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role is role)

    def first_with_role(self, role: Rol) -> Person | None:
        found = self.people_with_role(role)
        return found[0] if found else None
