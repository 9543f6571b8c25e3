"""How values read in Dutch documents: dates ("3 november 2025"), euros, numbers, percentages.

One place for the wording of values, so every document and report writes them alike.
"""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal

LOCALE = "nl_NL"
UNKNOWN = "niet bekend"

# Dates in words need no locale data: the month names below are CLDR's for nl_NL, as babel
# writes them (tests/test_platform.py holds both side by side for every month). Babel, which
# takes longer to import than a rerun of a few unchanged cases, is loaded for amounts alone.
MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


# babel takes 40-100 µs to format one value, and a batch writes the same dates, amounts and
# percentages many times over: each formatter remembers what it wrote (equal values, whatever
# their type, read the same).
_remembered = functools.lru_cache(maxsize=4096)


def _day_month(day: date) -> str:
    """'3 november'."""
    return f"{day.day} {MONTHS[day.month - 1]}"


def date_long(day: date | None, missing: str = UNKNOWN) -> str:
    """'3 november 2025'."""
    return f"{_day_month(day)} {day.year}" if day else missing


def date_short(day: date | None, missing: str = "") -> str:
    """'03-11-2025', for dense tables."""
    return day.strftime("%d-%m-%Y") if day else missing


@_remembered
def month_short(day: date) -> str:
    """'nov 2025', for a timeline axis."""
    from babel.dates import format_date

    return format_date(day, "MMM y", locale=LOCALE).replace(".", "")


@_remembered
def euro(amount: float | None, missing: str = UNKNOWN, cents: bool = True) -> str:
    """'€ 2.450,50', or '€ 2.450' without cents; a no-break space keeps sign and amount together."""
    if amount is None:
        return missing
    from babel.numbers import format_currency

    if not cents:
        return format_currency(round(amount), "EUR", format="¤\u00a0#,##0", locale=LOCALE, currency_digits=False)
    return format_currency(amount, "EUR", locale=LOCALE)


def period(start: date, end: date) -> str:
    """'11–12 maart 2026', '30 maart – 2 april 2026', '29 december 2025 – 4 januari 2026': the month
    and the year once when start and end share them."""
    if start == end:
        return date_long(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{date_long(end)}"
    if start.year == end.year:
        return f"{_day_month(start)} – {date_long(end)}"
    return f"{date_long(start)} – {date_long(end)}"


@_remembered
def number(value: float | None, missing: str = UNKNOWN) -> str:
    """'38,5' or '40'."""
    if value is None:
        return missing
    from babel.numbers import format_decimal

    return format_decimal(value, format="#,##0.##", locale=LOCALE)


@_remembered
def percent(fraction: float | Decimal, decimals: int = 1) -> str:
    """'65,4 %' (callers floor first where it matters, see measures.floor_fraction); '65 %'."""
    from babel.numbers import format_decimal

    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(Decimal(str(fraction)) * 100, format=pattern, locale=LOCALE) + " %"


def yes_no(value: bool | None, missing: str = "onbekend") -> str:
    if value is None:
        return missing
    return "ja" if value else "nee"


def enumeration(items: list[str]) -> str:
    """'a, b en c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]
