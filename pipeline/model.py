"""The case model: a tree of frozen dataclasses built once by `validate`.

Everything after validation (checks, documents, bundle, report) reads this model, never the
worksheet. Each record keeps where it came from (`Source`), outside equality, so a later check
can still point the casemanager at the cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Mapping


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
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Bijstelling:
    date: date
    change: str
    reason: str | None = None
    employer_view: str | None = None
    employee_view: str | None = None
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Evaluation:
    date: date
    kind: EvaluationKind | None = None
    report: str | None = None
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
    source: Source = field(default=NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class BundleItem:
    document: BundleDocument
    file: Path  # resolved, inside the workbook's folder
    date: date | None = None
    written_by: str | None = None
    path: str = ""  # as the workbook gives it, relative to the workbook's folder
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
    source_file: str = field(default="", compare=False)
    sources: Mapping[str, Source] = field(default_factory=dict, compare=False, repr=False)

    def people_with_role(self, role: Rol) -> tuple[Person, ...]:
        return tuple(p for p in self.people if p.role is role)

    def first_with_role(self, role: Rol) -> Person | None:
        found = self.people_with_role(role)
        return found[0] if found else None
