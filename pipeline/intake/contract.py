"""The case workbook contract as data: every sheet, field, type and explanation.

The reader, the validator, `new-case` and the user documentation all read these tables, so a
sheet or column is declared once. Labels are the canonical Dutch spellings; matching is
forgiving (`values.normalise_label`). `attr` names the model field a value goes to.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, StrEnum
from functools import cache, cached_property, partial

from schema import Use

from .. import model as m
from . import values as v


class Kind(Enum):
    TEXT = "tekst"
    DATE = "datum"
    YESNO = "ja/nee"
    NUMBER = "getal"
    WHOLE = "heel getal"
    CHOICE = "keuze"
    BSN = "BSN"
    DOSSIERNUMMER = "dossiernummer"


class Shape(Enum):
    KEY_VALUE = "veld-waarde"
    TABLE = "tabel"


@dataclass(frozen=True)
class Field:
    label: str
    attr: str
    kind: Kind = Kind.TEXT
    required: bool = False
    help: str = ""
    choices: type[StrEnum] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unit: v.Unit | None = None  # amounts and counts: what the number counts, for range messages

    @cached_property
    def key(self) -> str:
        return v.normalise_label(self.label)

    def schema(self, epoch: datetime) -> Use:
        """The `schema` that turns this field's raw cell value into its typed value."""
        return _schema(self, epoch)

    @property
    def type_text(self) -> str:
        """The field's type as the Uitleg sheet and the user documentation describe it."""
        kind = self.kind.value
        if self.kind is Kind.CHOICE and self.choices:
            return "keuze: " + " / ".join(c.value for c in self.choices)
        if self.kind is Kind.DATE:
            return "datum (dd-mm-jjjj)"
        if self.kind in (Kind.NUMBER, Kind.WHOLE) and self.minimum is not None and self.maximum is not None:
            unit = f" {self.unit.value}" if self.unit in (v.Unit.EUROS_A_MONTH, v.Unit.HOURS) else ""
            return f"{kind}, {v.dutch_number(self.minimum)} tot en met {v.dutch_number(self.maximum)}{unit}"
        return kind


_PARSE: dict[Kind, Callable[[object], object]] = {
    Kind.TEXT: v.check_nonempty_text,
    Kind.YESNO: v.parse_yes_no,
    Kind.NUMBER: v.parse_number,
    Kind.WHOLE: v.parse_whole,
    Kind.BSN: v.parse_bsn,
    Kind.DOSSIERNUMMER: v.parse_dossiernummer,
}


@cache  # fields are module constants: each builds its schema once per date system
def _schema(field: Field, epoch: datetime) -> Use:
    if field.minimum is not None or field.maximum is not None:
        if field.kind not in (Kind.NUMBER, Kind.WHOLE):
            raise ValueError(f"{field.label}: only a number has a minimum or maximum")
        number: Callable[[object], float] = v.parse_whole if field.kind is Kind.WHOLE else v.parse_number
        return v.value_schema(number, v.in_range(field.minimum, field.maximum, field.unit))
    if field.kind is Kind.DATE:
        return v.value_schema(partial(v.parse_date, epoch=epoch))
    if field.kind is Kind.CHOICE:
        if field.choices is None:
            raise ValueError(f"{field.label}: a choice needs its choices")
        return v.value_schema(partial(v.parse_choice, choices=field.choices))
    return v.value_schema(_PARSE[field.kind])


@dataclass(frozen=True)
class Sheet:
    name: str
    shape: Shape
    fields: tuple[Field, ...]
    required: bool = False
    help: str = ""
    record: type | None = None  # the model record of each row of a table sheet
    case_attr: str = ""  # the Case attribute holding those records

    @property
    def key(self) -> str:
        return v.normalise_label(self.name)

    def field_by_key(self, key: str) -> Field | None:
        return next((f for f in self.fields if f.key == key), None)


DOSSIER = Sheet(
    "Dossier",
    Shape.KEY_VALUE,
    required=True,
    help="De gegevens van het dossier: kolom A het veld, kolom B de waarde.",
    fields=(
        Field("Dossiernummer", "dossiernummer", Kind.DOSSIERNUMMER, True,
              "Uniek nummer van het dossier; wordt de naam van de uitvoermap. "
              "1 tot 40 tekens: letters, cijfers, '-' of '_'. Nooit het BSN."),
        Field("Naam werknemer", "employee_name", required=True, help="Volledige naam van de zieke werknemer."),
        Field("Geboortedatum", "birth_date", Kind.DATE, help="Geboortedatum van de werknemer."),
        Field("BSN", "bsn", Kind.BSN,
              help="Burgerservicenummer (9 cijfers). Komt alleen in de documenten voor UWV, "
                   "nooit in bestandsnamen of het batchrapport."),
        Field("Functie", "job_title", required=True, help="De eigen functie van de werknemer."),
        Field("Werkgever", "employer", required=True, help="Naam van de werkgever."),
        Field("Aard van het bedrijf", "employer_business",
              help="Waar het bedrijf zich mee bezighoudt (voor de eindevaluatie)."),
        Field("Contracturen", "contract_hours", Kind.NUMBER, minimum=1, maximum=v.MAX_HOURS_A_WEEK, unit=v.Unit.HOURS,
              help="Uren per week volgens het contract."),
        Field("Maandloon", "monthly_wage", Kind.NUMBER, minimum=v.MIN_MONTHLY_WAGE, maximum=v.MAX_MONTHLY_WAGE,
              unit=v.Unit.EUROS_A_MONTH, help="Het oude bruto maandloon in euro's; nodig voor de 30%- en 65%-toets."),
        Field("Eerste ziektedag", "first_sick_day", Kind.DATE, True,
              help="Dag 1 van week 1 van de Poortwachter-tijdlijn."),
        Field("Datum probleemanalyse", "probleemanalyse_date", Kind.DATE,
              help="Datum van de probleemanalyse van de bedrijfsarts (uiterlijk week 6)."),
        Field("Datum plan van aanpak", "plan_van_aanpak_date", Kind.DATE, True,
              help="Datum waarop het plan van aanpak is opgesteld (uiterlijk week 8)."),
        Field("Datum melding UWV", "uwv_notification_date", Kind.DATE,
              help="Datum van de ziekmelding bij UWV (week 42)."),
        Field("Datum eerstejaarsevaluatie", "eerstejaarsevaluatie_date", Kind.DATE,
              help="Datum van de eerstejaarsevaluatie (rond week 52)."),
        Field("Start tweede spoor", "tweede_spoor_start", Kind.DATE,
              help="Startdatum van het tweede spoor; nodig voor het trajectplan."),
        Field("Einde tweede spoor", "tweede_spoor_end", Kind.DATE,
              help="Geplande of werkelijke einddatum van het tweede spoor."),
        Field("Reden uitstel tweede spoor", "tweede_spoor_delay_reason",
              help="Waarom het tweede spoor later start dan de regels toestaan."),
        Field("Datum eindevaluatie", "eindevaluatie_date", Kind.DATE, help="Datum van de eindevaluatie (week 87-91)."),
        Field("Datum actueel oordeel", "actueel_oordeel_date", Kind.DATE,
              help="Datum van het actueel oordeel van de bedrijfsarts (week 91)."),
        Field("Re-integratiedoel", "goal", required=True, help="Het doel van de re-integratie, in een paar zinnen."),
        Field("Visie werkgever", "employer_view",
              help="De visie van de werkgever op de re-integratie; hoort sinds 1 juli 2023 in het plan van aanpak."),
        Field("Visie werknemer", "employee_view",
              help="De visie van de werknemer op de re-integratie; hoort sinds 1 juli 2023 in het plan van aanpak."),
        Field("Spoor", "spoor", Kind.CHOICE, True, "1 = eigen werkgever, 2 = andere werkgever, of beide.", m.Spoor),
        Field("Sollicitaties per week", "applications_per_week", Kind.WHOLE, minimum=1,
              maximum=v.MAX_APPLICATIONS_A_WEEK, unit=v.Unit.APPLICATIONS,
              help="Afgesproken aantal sollicitaties per week; verplicht zodra er sollicitaties zijn."),
        Field("Contact coach elke weken", "coach_contact_weeks", Kind.WHOLE, minimum=1, maximum=52,
              unit=v.Unit.WEEKS,
              help="Om de hoeveel weken de werknemer contact heeft met de re-integratiecoach."),
        # Version 2 of the contract.
        Field("Datum trajectplan", "trajectplan_date", Kind.DATE,
              help="Datum waarop het trajectplan is opgesteld. Leeg: de datum van de rapportage 'trajectplan', "
                   "anders de start van het tweede spoor."),
        Field("Datum besluit tweede spoor", "tweede_spoor_decision_date", Kind.DATE,
              help="De dag waarop duidelijk werd dat terugkeer naar het eigen werk niet realistisch is (een "
                   "arbeidsdeskundig rapport, evaluatie of bijstelling). Het tweede spoor start binnen 6 weken "
                   "daarna."),
        Field("Datum WIA-aanvraag", "wia_application_date", Kind.DATE,
              help="De dag waarop de WIA-aanvraag is ingediend."),
        Field("Datum hersteld", "recovery_date", Kind.DATE,
              help="Volledig hersteld: het dossier is vanaf die dag gesloten."),
        Field("Datum einde dienstverband", "employment_end_date", Kind.DATE,
              help="Het dienstverband eindigde tijdens de ziekte: het re-integratieverslag is uiterlijk die dag "
                   "nodig."),
    ),
)

BETROKKENEN = Sheet(
    "Betrokkenen",
    Shape.TABLE,
    required=True,
    help="Wie er bij de re-integratie betrokken zijn. Minstens werkgever, werknemer en casemanager.",
    fields=(
        Field("Rol", "role", Kind.CHOICE, True, "De rol van deze persoon.", m.Rol),
        Field("Naam", "name", required=True, help="Naam van de persoon."),
        Field("Organisatie", "organisation", help="Organisatie of bedrijf."),
        Field("E-mail", "email", help="E-mailadres."),
        Field("Telefoon", "phone", help="Telefoonnummer."),
    ),
)

AFSPRAKEN = Sheet(
    "Afspraken",
    Shape.TABLE,
    required=True,
    help="De afspraken van het plan van aanpak: wat, wie en wanneer. Minstens één afspraak.",
    fields=(
        Field("Afspraak", "what", required=True, help="Wat er is afgesproken."),
        Field("Wie", "who", required=True, help="Wie de afspraak uitvoert."),
        Field("Uiterlijk", "due", Kind.DATE, help="Uiterste datum."),
        Field("Status", "status", Kind.CHOICE, help="Leeg betekent 'open'.", choices=m.AgreementStatus),
        Field("Afgesproken op", "agreed_on", Kind.DATE,
              help="De dag waarop de afspraak is gemaakt. Leeg: de datum van het plan van aanpak. Een afspraak "
                   "van de dag van een bijstelling hoort bij die bijstelling."),
    ),
    record=m.Agreement,
    case_attr="agreements",
)

BIJSTELLINGEN = Sheet(
    "Bijstellingen",
    Shape.TABLE,
    help="Bijstellingen van het plan van aanpak, met datum, reden en de visie van beide partijen.",
    fields=(
        Field("Datum", "date", Kind.DATE, True, "Datum van de bijstelling."),
        Field("Wijziging", "change", required=True, help="Wat er in het plan verandert."),
        Field("Reden", "reason", help="Waarom het plan wordt bijgesteld."),
        Field("Visie werkgever", "employer_view", help="De visie van de werkgever op de bijstelling."),
        Field("Visie werknemer", "employee_view", help="De visie van de werknemer op de bijstelling."),
        Field("Spoor", "spoor", Kind.CHOICE, help="Het spoor vanaf deze bijstelling, als dat verandert.",
              choices=m.Spoor),
        Field("Re-integratiedoel", "goal", help="Het re-integratiedoel vanaf deze bijstelling, als dat verandert."),
    ),
    record=m.Bijstelling,
    case_attr="bijstellingen",
)

EVALUATIES = Sheet(
    "Evaluaties",
    Shape.TABLE,
    help="Evaluatiemomenten: periodiek (ten minste elke 6 weken), de eerstejaarsevaluatie en de eindevaluatie.",
    fields=(
        Field("Datum", "date", Kind.DATE, True, "Datum van de evaluatie."),
        Field("Soort", "kind", Kind.CHOICE, help="Soort evaluatie.", choices=m.EvaluationKind),
        Field("Verslag", "report", help="Korte samenvatting, zonder medische gegevens."),
        Field("Visie werkgever", "employer_view",
              help="De visie van de werkgever; verplicht in de eerstejaarsevaluatie sinds 1 juli 2023."),
        Field("Visie werknemer", "employee_view",
              help="De visie van de werknemer; verplicht in de eerstejaarsevaluatie sinds 1 juli 2023."),
    ),
    record=m.Evaluation,
    case_attr="evaluations",
)

PERSOONSPROFIEL = Sheet(
    "Persoonsprofiel",
    Shape.TABLE,
    help="De startpositie voor het tweede spoor. 'beperking': functionele beperkingen zoals de "
         "bedrijfsarts ze noemt ('niet tillen boven 10 kg'), nooit een diagnose.",
    fields=(
        Field("Onderdeel", "part", Kind.CHOICE, True, "Soort gegeven.", m.ProfilePart),
        Field("Omschrijving", "description", required=True, help="De omschrijving."),
    ),
    record=m.ProfileItem,
    case_attr="persoonsprofiel",
)

ZOEKPROFIEL = Sheet(
    "Zoekprofiel",
    Shape.TABLE,
    help="Het einddoel van het tweede spoor: een top 5 van passende functies.",
    fields=(
        Field("Rang", "rank", Kind.WHOLE, True, "1 tot en met 5, elke rang één keer.", minimum=1, maximum=5),
        Field("Functie", "function", required=True, help="Soort werk of functie."),
        Field("Sector", "sector", help="Branche of sector."),
        Field("Waarom passend", "why_suitable", help="Waarom deze functie past bij profiel en beperkingen."),
        Field("Indicatie maandloon", "indicated_monthly_wage", Kind.NUMBER, minimum=v.MIN_MONTHLY_WAGE,
              maximum=v.MAX_MONTHLY_WAGE, unit=v.Unit.EUROS_A_MONTH,
              help="Indicatie van het bruto maandloon; voor de 30%-toets van passend werk."),
    ),
    record=m.ZoekprofielFunction,
    case_attr="zoekprofiel",
)

INTERVENTIES = Sheet(
    "Interventies",
    Shape.TABLE,
    help="De activiteiten van het tweede spoor per fase, met uitvoerder en periode.",
    fields=(
        Field("Fase", "phase", Kind.CHOICE, help="Fase van het traject.", choices=m.Phase),
        Field("Activiteit", "activity", required=True,
              help="Wat er gebeurt (intake, sollicitatietraining, werkervaringsplek ...)."),
        Field("Uitvoerder", "performer", help="Wie de activiteit uitvoert."),
        Field("Start", "start", Kind.DATE, help="Startdatum."),
        Field("Einde", "end", Kind.DATE, help="Einddatum; niet vóór de start."),
        Field("Status", "status", Kind.CHOICE, help="Stand van zaken.", choices=m.InterventionStatus),
        Field("Resultaat", "result", help="Wat de activiteit heeft opgeleverd."),
    ),
    record=m.Intervention,
    case_attr="interventions",
)

RAPPORTAGES = Sheet(
    "Rapportages",
    Shape.TABLE,
    help="De rapportagemomenten van het re-integratiebedrijf.",
    fields=(
        Field("Datum", "date", Kind.DATE, True, "Datum van de rapportage."),
        Field("Soort", "kind", help="Bijvoorbeeld voortgangsrapportage of eindrapportage."),
        Field("Status", "status", Kind.CHOICE, help="Gepland of uitgebracht.", choices=m.ReportStatus),
        Field("Opgesteld door", "written_by", help="Naam en functie van de opsteller (leeg: de re-integratiecoach)."),
        Field("Toelichting", "narrative", help="Wat er in de periode van de rapportage gebeurde en wat er komt."),
    ),
    record=m.ReportMoment,
    case_attr="report_moments",
)

SOLLICITATIES = Sheet(
    "Sollicitaties",
    Shape.TABLE,
    help="Elke sollicitatie van de werknemer, met bewijs. Vul ook 'Sollicitaties per week' in op Dossier.",
    fields=(
        Field("Datum", "date", Kind.DATE, True, "Datum van de sollicitatie."),
        Field("Werkgever", "employer", required=True, help="Bij welke werkgever."),
        Field("Functie", "function", required=True, help="Op welke functie."),
        Field("Gevonden via", "found_via", help="Vacaturesite, netwerk, uitzendbureau ..."),
        Field("Sollicitatiewijze", "applied_how", help="Brief, e-mail, telefonisch, open sollicitatie ..."),
        Field("Resultaat", "result", Kind.CHOICE, help="Stand van zaken.", choices=m.ApplicationResult),
        Field("Bewijs", "proof", help="Waar het bewijs is (bijvoorbeeld de e-mail of het bestand)."),
        Field("Besproken met coach", "discussed_with_coach", Kind.YESNO, help="ja of nee."),
        Field("Zoekprofiel", "zoekprofiel_rank", Kind.WHOLE, minimum=1, maximum=5, unit=v.Unit.RANK,
              help="De rang (1-5) van de functie uit het zoekprofiel; leeg: gezocht op functienaam."),
        Field("Toelichting", "remark", help="Een opmerking bij deze sollicitatie."),
    ),
    record=m.Application,
    case_attr="applications",
)

EINDEVALUATIE = Sheet(
    "Eindevaluatie",
    Shape.KEY_VALUE,
    help="De eindevaluatie van het tweede spoor: kolom A het veld, kolom B de waarde.",
    fields=(
        Field("Datum", "date", Kind.DATE, help="Datum van de eindevaluatie."),
        Field("Uitkomst", "outcome", Kind.CHOICE, help="De uitkomst van het traject.", choices=m.Outcome),
        Field("Verloop", "course", help="Hoe het traject is verlopen."),
        Field("Resultaat", "result", help="Wat het traject heeft opgeleverd."),
        Field("Nieuw maandloon", "new_monthly_wage", Kind.NUMBER, minimum=v.MIN_MONTHLY_WAGE,
              maximum=v.MAX_MONTHLY_WAGE, unit=v.Unit.EUROS_A_MONTH, help="Bruto maandloon in het nieuwe werk."),
        Field("Kwaliteit arbeidsrelatie", "working_relationship",
              help="De visie van de werkgever op de arbeidsrelatie."),
        Field("Passend werk bij eigen werkgever", "suitable_work_own_employer",
              help="Of er passend werk is bij de eigen werkgever, en waarom (niet)."),
        Field("Conclusie verdienmogelijkheden", "earning_capacity_conclusion",
              help="De conclusie van de casemanager over de verdienmogelijkheden."),
        Field("Oordeel werknemer", "employee_opinion", help="Het oordeel van de werknemer over het traject."),
        Field("Nieuwe functie", "new_function", help="De functie in het nieuwe werk, als dat er is."),
        Field("Nieuwe werkgever", "new_employer", help="De werkgever van het nieuwe werk."),
        Field("Uren per week", "new_hours", Kind.NUMBER, minimum=0, maximum=v.MAX_HOURS_A_WEEK, unit=v.Unit.HOURS,
              help="Uren per week in het nieuwe werk."),
        Field("Soort contract", "contract_kind", Kind.CHOICE, help="Vast of tijdelijk: is het resultaat duurzaam?",
              choices=m.ContractKind),
        Field("Einde contract", "contract_end", Kind.DATE, help="Einddatum van een tijdelijk contract."),
        Field("Oud dienstverband", "old_employment", help="Wat er met het oude dienstverband gebeurt."),
    ),
)

BUNDEL = Sheet(
    "Bundel",
    Shape.TABLE,
    help="Documenten van anderen (bedrijfsarts, re-integratiebedrijf) voor de WIA-bundel. "
         "Nooit medische informatie: die stuurt de werknemer zelf naar UWV.",
    fields=(
        Field("Document", "document", Kind.CHOICE, True, "Soort document.", m.BundleDocument),
        Field("Bestand", "file", required=True,
              help="Pad van het bestand, vanaf de map van deze werkmap (bijvoorbeeld bijlagen/probleemanalyse.pdf)."),
        Field("Datum", "date", Kind.DATE, help="Datum van het document."),
        Field("Opgesteld door", "written_by", help="Naam en functie van wie het opstelde of ondertekende."),
        Field("Ondertekend", "signed", Kind.YESNO, help="ja als het bestand een ondertekend exemplaar is."),
    ),
)

# Version 2 of the contract: the history UWV asks about.
VERZUIMVERLOOP = Sheet(
    "Verzuimverloop",
    Shape.TABLE,
    help="De ziekteperiodes, voor terugval. Periodes die minder dan 4 weken (28 dagen) uit elkaar liggen, tellen "
         "samen als één ziekte; de dagen ertussen tellen niet mee.",
    fields=(
        Field("Ziek vanaf", "sick_from", Kind.DATE, True, "De eerste ziektedag van de periode."),
        Field("Hersteld op", "fit_from", Kind.DATE, help="De eerste dag weer hersteld; leeg: nog ziek."),
    ),
    record=m.SicknessPeriod,
    case_attr="sickness_periods",
)

ADVIEZEN = Sheet(
    "Adviezen",
    Shape.TABLE,
    help="Adviezen waarop de werkgever moet handelen, en hoe ze zijn opgevolgd (binnen 6 weken).",
    fields=(
        Field("Datum", "date", Kind.DATE, True, "Datum van het advies."),
        Field("Van", "adviser", Kind.CHOICE, help="Wie het advies gaf.", choices=m.Adviser),
        Field("Advies", "advice", required=True, help="Het advies, in functionele termen (geen diagnose)."),
        Field("Opgevolgd op", "followed_on", Kind.DATE, help="De dag waarop het advies is opgevolgd."),
        Field("Hoe opgevolgd", "how_followed",
              help="Hoe het advies is opgevolgd, of waarom geen bijstelling van het plan nodig was."),
    ),
    record=m.Advice,
    case_attr="advices",
)

AFWIJKINGEN = Sheet(
    "Afwijkingen",
    Shape.TABLE,
    help="Gemotiveerd afwijken van een termijn (Regeling procesgang art. 5): met reden en het akkoord van de "
         "werknemer is het geen tekortkoming.",
    fields=(
        Field("Regel", "rule", Kind.CHOICE, help="De regel waarvan wordt afgeweken.", choices=m.RuleKey),
        Field("Datum", "date", Kind.DATE, True, "Vanaf wanneer de afwijking geldt."),
        Field("Reden", "reason", required=True, help="Waarom wordt afgeweken."),
        Field("Akkoord werknemer", "employee_agreed", Kind.YESNO, help="ja als de werknemer akkoord is."),
        Field("Steun bedrijfsarts", "doctor_supports", Kind.YESNO, help="ja als de bedrijfsarts de afwijking steunt."),
    ),
    record=m.Departure,
    case_attr="departures",
)

WERKHERVATTING = Sheet(
    "Werkhervatting",
    Shape.TABLE,
    help="Werkhervatting: vanaf welke dag, hoeveel uur per week en welk werk. Elke rij geldt tot de volgende.",
    fields=(
        Field("Vanaf", "start", Kind.DATE, True, "Vanaf welke dag."),
        Field("Uren per week", "hours", Kind.NUMBER, True, "Gewerkte uren per week.", minimum=0,
              maximum=v.MAX_HOURS_A_WEEK, unit=v.Unit.HOURS),
        Field("Soort", "kind", Kind.CHOICE, help="Soort werk.", choices=m.WorkKind),
    ),
    record=m.WorkResumption,
    case_attr="work_resumptions",
)

CONTACTEN = Sheet(
    "Contacten",
    Shape.TABLE,
    help="Het contactlogboek: elk contact met de coach, casemanager, bedrijfsarts, arbeidsdeskundige of werkgever.",
    fields=(
        Field("Datum", "date", Kind.DATE, True, "Datum van het contact."),
        Field("Met", "with_role", Kind.CHOICE, help="Met wie.", choices=m.ContactWith),
        Field("Onderwerp", "subject", help="Waarover, zonder medische gegevens."),
    ),
    record=m.Contact,
    case_attr="contacts",
)

WEEKTOELICHTING = Sheet(
    "Weektoelichting",
    Shape.TABLE,
    help="Waarom een week minder sollicitaties had dan afgesproken (bijvoorbeeld vakantie of een cursus).",
    fields=(
        Field("Week van", "week_of", Kind.DATE, True, "Een dag uit die week."),
        Field("Toelichting", "text", required=True, help="Waarom de week achterbleef."),
    ),
    record=m.WeekNote,
    case_attr="week_notes",
)

SHEETS: tuple[Sheet, ...] = (
    DOSSIER, BETROKKENEN, AFSPRAKEN, BIJSTELLINGEN, EVALUATIES, PERSOONSPROFIEL, ZOEKPROFIEL,
    INTERVENTIES, RAPPORTAGES, SOLLICITATIES, EINDEVALUATIE, BUNDEL,
    VERZUIMVERLOOP, ADVIEZEN, AFWIJKINGEN, WERKHERVATTING, CONTACTEN, WEEKTOELICHTING,
)

# Roles that must be present on Betrokkenen.
REQUIRED_ROLES = (m.Rol.WERKGEVER, m.Rol.WERKNEMER, m.Rol.CASEMANAGER)
ZOEKPROFIEL_MAX_ROWS = 5

# Sheets that `new-case` adds for the person filling the workbook; the reader ignores them.
EXPLANATION_SHEET = "Uitleg"
CHOICE_LIST_SHEET = "Keuzelijsten"
HELPER_SHEETS = (EXPLANATION_SHEET, CHOICE_LIST_SHEET)

# Each Dossier field's label by model attribute: the case names its fields by these in findings.
DOSSIER_LABELS: dict[str, str] = {f.attr: f.label for f in DOSSIER.fields}
