"""Cell value rules of the contract: dates, yes/no, numbers, choices, text, BSN, Dossiernummer.

Each parser takes what openpyxl read from one cell and returns the typed value, or raises
`schema.SchemaError` whose message is the Dutch explanation (without the location, which the
validator adds). `value_schema` composes them into the `schema` objects the validator applies.
"""

from __future__ import annotations

import difflib
import functools
import math
import re
import unicodedata
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from enum import Enum, StrEnum
from typing import TypeVar

from openpyxl.utils.datetime import from_excel
from schema import SchemaError, Use

from ..privacy import holds_bsn, normalise_bsn

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")

DOSSIERNUMMER_MAX = 40
_DOSSIERNUMMER = re.compile(rf"[A-Za-z0-9_-]{{1,{DOSSIERNUMMER_MAX}}}")
# Names Windows refuses as a folder name, whatever the extension.
_RESERVED_NAMES = {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {
    f"lpt{i}" for i in range(1, 10)
}
_DMY = re.compile(r"([0-9]{1,2})[-/]([0-9]{1,2})[-/]([0-9]{4})")
_YMD = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})")
_YES = {"ja", "j", "yes", "y", "true", "waar"}
_NO = {"nee", "n", "no", "false", "onwaar"}
# Characters a document, report or manifest cannot hold: control characters other than tab and
# newline (and DEL), U+FFFE/U+FFFF and lone surrogates. The reader flags a cell holding one.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100
# Excel itself holds at most 32,767 characters in a cell; a document field needs far fewer.
MAX_TEXT = 10_000

# Plausible ranges of amounts and counts: a value outside is a typing or reading mistake (a wage of
# "3.150" read as 3,15), so it is an error at the cell rather than a document that says € 3,15.
MIN_MONTHLY_WAGE, MAX_MONTHLY_WAGE = 100, 50_000
MAX_HOURS_A_WEEK = 60
MAX_APPLICATIONS_A_WEEK = 20
# A number typed as text longer than this is no amount or count of a case.
_MAX_NUMBER_TEXT = 30
# Dutch amounts: a point followed by three digits groups thousands, the comma is the decimal sign.
_DUTCH_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:\.[0-9]{3})+(?:,[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"-?[0-9]+(?:,[0-9]+)?")
_DECIMAL_POINT = re.compile(r"-?[0-9]+\.[0-9]+")
_ENGLISH_THOUSANDS = re.compile(r"-?[0-9]{1,3}(?:,[0-9]{3})+\.[0-9]+")


class Unit(Enum):
    """What an amount or count measures: how a range message shows the value read."""

    EUROS_A_MONTH = "euro per maand"
    HOURS = "uur per week"
    APPLICATIONS = "sollicitaties per week"
    WEEKS = "weken"
    RANK = "rang"


@functools.lru_cache(maxsize=8192)
def normalise_label(text: str) -> str:
    """The contract's forgiving match: case-insensitive, spaces, `_` and `-` ignored (cached:
    every header, label and choice of every workbook passes here)."""
    return re.sub(r"[\s_\-]+", "", unicodedata.normalize("NFKC", text)).casefold()


def invalid(message: str) -> SchemaError:
    return SchemaError(None, message)


def shown(value: object) -> str:
    """A cell value as a casemanager would recognise it in a message (a date cell as dd-mm-jjjj)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        value = int(value)
    text = value.strftime("%d-%m-%Y") if isinstance(value, (datetime, date)) else str(value)
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def suggestion(text: str, options: list[str]) -> str:
    """' Bedoelt u 'X'?' for the closest option, or '' when none is close."""
    by_key = {normalise_label(o): o for o in options}
    close = difflib.get_close_matches(normalise_label(text), list(by_key), n=1, cutoff=0.6)
    return f" Bedoelt u '{by_key[close[0]]}'?" if close else ""


def parse_text(value: object) -> str | None:
    """A cell's value as text: trimmed, with Windows line ends made newlines, in NFC and without
    characters no document can hold. Excel's `_xHHHH_` escapes are the reader's, undone once
    there (`workbook.unescape`): text that reads `_x0041_` here is what the user typed."""
    if isinstance(value, (datetime, date)):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool):
        value = "ja" if value else "nee"
    text = str(value)
    # Each step only where it can change something: every text cell of every workbook passes here.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.isascii() and not unicodedata.is_normalized("NFC", text):
        text = unicodedata.normalize("NFC", text)
    if _CONTROL.search(text):
        text = _CONTROL.sub("", text)
    return text.strip() or None


def _make_date(year: int, month: int, day: int, value: object) -> date:
    try:
        result = date(year, month, day)
    except ValueError:
        raise invalid(f"{shown(value)} is geen bestaande datum; controleer dag en maand") from None
    if not EARLIEST_YEAR <= result.year <= LATEST_YEAR:
        raise invalid(f"{shown(value)} ligt buiten {EARLIEST_YEAR}-{LATEST_YEAR}; controleer het jaartal")
    return result


def parse_date(value: object, epoch: datetime) -> date:
    """A date cell, an Excel serial number, or text dd-mm-jjjj, d-m-jjjj, dd/mm/jjjj, jjjj-mm-dd."""
    if isinstance(value, datetime):
        return _make_date(value.year, value.month, value.day, value)
    if isinstance(value, date):
        return _make_date(value.year, value.month, value.day, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell whose number format was lost: Excel's serial day number.
        if 1 <= value < 2958466:
            converted = from_excel(value, epoch)
            if isinstance(converted, datetime):
                return _make_date(converted.year, converted.month, converted.day, value)
        raise invalid(f"{shown(value)} is geen datum; gebruik dd-mm-jjjj")
    if isinstance(value, (time, timedelta)):
        raise invalid(f"{shown(value)} is een tijd, geen datum; gebruik dd-mm-jjjj")
    text = str(value).strip()
    if m := _DMY.fullmatch(text):
        return _make_date(int(m[3]), int(m[2]), int(m[1]), value)
    if m := _YMD.fullmatch(text):
        return _make_date(int(m[1]), int(m[2]), int(m[3]), value)
    raise invalid(f"{shown(value)} is geen datum; gebruik dd-mm-jjjj (bijvoorbeeld 03-11-2025)")


def parse_yes_no(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().casefold()
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise invalid(f"{shown(value)} is geen ja of nee; vul 'ja' of 'nee' in")


def parse_number(value: object) -> float:
    """A numeric cell, or text read the Dutch way: '3.150' is three thousand one hundred and fifty,
    '3.150,50' and '2450,50' have a decimal comma; a point followed by other than three digits
    ('2450.5') is a decimal point. '€' and spaces are allowed. Never infinite or NaN."""
    if isinstance(value, bool) or isinstance(value, (datetime, date, time, timedelta)):
        raise invalid(f"{shown(value)} is geen getal")
    if isinstance(value, (int, float)):
        number = float(value) if abs(value) < 1e300 else math.inf
    else:
        text = str(value).strip().replace("€", "").replace(" ", "").replace("\u00a0", "")
        if len(text) > _MAX_NUMBER_TEXT:
            raise invalid(f"{shown(value)} is geen getal (te lang); vul een bedrag of aantal in, bijvoorbeeld 2.450,50")
        if _DUTCH_THOUSANDS.fullmatch(text):
            text = text.replace(".", "").replace(",", ".")
        elif _DECIMAL_COMMA.fullmatch(text):
            text = text.replace(",", ".")
        elif _ENGLISH_THOUSANDS.fullmatch(text):
            text = text.replace(",", "")
        elif not _DECIMAL_POINT.fullmatch(text):
            raise invalid(f"{shown(value)} is geen getal; gebruik bijvoorbeeld 2.450,50 of 2450,50")
        number = float(text)
    if not math.isfinite(number):
        raise invalid(f"{shown(value)} is geen bruikbaar getal (te groot)")
    return number


def parse_whole(value: object) -> int:
    number = parse_number(value)
    if not number.is_integer():
        raise invalid(f"{shown(value)} is geen heel getal")
    return int(number)


def dutch_number(number: float, decimals: int | None = None) -> str:
    """'3.150', '3,15': a number as a Dutch reader writes it (for messages; documents use babel)."""
    if decimals is None:
        decimals = 0 if float(number).is_integer() else 2
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


def _with_unit(number: float, unit: Unit | None) -> str:
    if unit is Unit.EUROS_A_MONTH:
        return f"€ {dutch_number(number)} per maand"
    if unit is Unit.RANK:
        return f"rang {dutch_number(number)}"
    if unit is Unit.WEEKS:
        return f"elke {dutch_number(number)} weken"
    if unit is not None:
        return f"{dutch_number(number)} {unit.value}"
    return dutch_number(number)


def in_range(minimum: float | None, maximum: float | None, unit: Unit | None = None) -> Callable[[float], float]:
    """A check that an amount or count lies in its plausible range; the message shows the value as
    read, with its unit, and for a wage that lost its thousands the likely meaning."""

    def check(number: float) -> float:
        low = minimum is not None and number < minimum
        if not low and (maximum is None or number <= maximum):
            return number
        bounds = " en ".join(_with_unit(b, unit) for b in (minimum, maximum) if b is not None)
        if minimum is not None and maximum is not None:
            expected = f"het moet tussen {bounds} liggen"
        elif low:
            expected = f"het moet minstens {bounds} zijn"
        else:
            expected = f"het mag hoogstens {bounds} zijn"
        read = _with_unit(number, unit)
        hint = ""
        thousandfold = number * 1000
        if low and unit is Unit.EUROS_A_MONTH and minimum is not None and maximum is not None \
                and minimum <= thousandfold <= maximum:
            hint = f" Bedoelt u {dutch_number(round(thousandfold, 2))}? Schrijf duizendtallen met een punt en " \
                   "centen na een komma (3.150,50)."
        raise invalid(f"{read}? Dat is {'te weinig' if low else 'te veel'}: {expected}.{hint}")

    return check


@functools.cache
def _options(choices: type[E]) -> dict[str, E]:
    """Each option of a choice list by its forgiving key (the first, should two share one)."""
    index: dict[str, E] = {}
    for option in choices:
        index.setdefault(normalise_label(option.value), option)
    return index


# No choice of the contract is longer than this; a longer text is refused before it is normalised
# (and cached), so thousands of long texts cannot fill the label cache.
_MAX_CHOICE_TEXT = 200


def parse_choice(value: object, choices: type[E]) -> E:
    text = parse_text(value) or ""
    if len(text) > _MAX_CHOICE_TEXT:
        listed = ", ".join(f"'{o.value}'" for o in choices)
        raise invalid(f"{shown(text)} is geen geldige keuze; kies uit {listed}")
    option: E | None = _options(choices).get(normalise_label(text))
    if option is not None:
        return option
    options = [o.value for o in choices]
    listed = ", ".join(f"'{o}'" for o in options)
    raise invalid(f"{shown(value)} is geen geldige keuze; kies uit {listed}.{suggestion(text, options)}")


def parse_bsn(value: object) -> str:
    """8 or 9 ASCII digits passing the elfproef; never echoes the value (personal data)."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e12:
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise invalid("het BSN moet uit 9 cijfers bestaan")
    text = str(value).strip().replace(" ", "").replace(".", "").replace("-", "")
    if not (text.isascii() and text.isdigit()) or len(text) not in (8, 9):
        raise invalid("het BSN moet uit 9 cijfers bestaan (0-9)")
    bsn = normalise_bsn(text)
    if bsn is None:
        raise invalid("het BSN klopt niet (voldoet niet aan de elfproef); controleer de cijfers")
    return bsn


def parse_dossiernummer(value: object) -> str:
    """1-40 of A-Z a-z 0-9 - _: it names the output folder, so no path tricks."""
    text = parse_text(value) or ""
    if not _DOSSIERNUMMER.fullmatch(text):
        raise invalid(
            f"{shown(text)} is geen geldig dossiernummer; gebruik 1 tot {DOSSIERNUMMER_MAX} tekens: "
            "letters, cijfers, '-' of '_' (geen spaties, punten of schuine strepen)"
        )
    if holds_bsn(text):
        raise invalid("het dossiernummer bevat een BSN; gebruik een eigen dossiernummer zonder BSN")
    if text.casefold() in _RESERVED_NAMES:
        raise invalid(f"{shown(text)} kan geen mapnaam zijn in Windows; kies een ander dossiernummer")
    return text


def check_nonempty_text(value: object) -> str:
    text = parse_text(value)
    if text is None:
        raise invalid("de cel is leeg")
    if len(text) > MAX_TEXT:
        raise invalid(f"de tekst is te lang ({len(text)} tekens; hoogstens {MAX_TEXT}): {shown(text)}; "
                      "vat hem samen of zet de details in een bijlage")
    return text


def value_schema(parse: Callable[[object], T], *checks: Callable[[T], T]) -> Use:
    """A `schema` that converts a raw cell value with `parse` and then applies `checks`, as one
    `Use`, applied directly: every cell of every workbook passes here, and wrapping it in a
    `Schema` would only add schema's type dispatch to each value."""

    def convert(value: object) -> T:
        result = parse(value)
        for check in checks:
            result = check(result)
        return result

    return Use(convert)
