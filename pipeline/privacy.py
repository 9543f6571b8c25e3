"""Privacy rules shared by every stage: the BSN check and redaction of BSN-like numbers.

A BSN is personal data (AVG): it may appear inside documents for UWV, never in a file name,
log line, console message, manifest or batch report. `redact` is applied to every message we
build, in every notation a person writes a BSN in. The elfproef itself is python-stdnum's.
"""

from __future__ import annotations

import re

from stdnum.nl import bsn as _stdnum_bsn

# A BSN as people write it: 9 digits (8 when Excel dropped the leading zero), plain or grouped
# 3-3-3 or 4-2-3 (8 digits: 2-3-3 or 3-2-3) with a space, point or dash, not part of a longer
# number. Dates (2-2-4, 4-2-2) are not BSN groupings and are left alone.
_SEP = r"[ ._\-]"
_BSN_LIKE = re.compile(
    rf"(?<![\d])(?:\d{{8,9}}|\d{{3}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{4}}{_SEP}\d{{2}}{_SEP}\d{{3}}"
    rf"|\d{{2}}{_SEP}\d{{3}}{_SEP}\d{{3}}|\d{{3}}{_SEP}\d{{2}}{_SEP}\d{{3}})(?![\d])"
)
_DIGIT_GROUPS = re.compile(r"\d+(?:[-_. ]\d+)*")
_MASK = "*********"


def elfproef(digits: str) -> bool:
    """True when 9 ASCII digits pass the BSN elfproef (python-stdnum's rule)."""
    return len(digits) == 9 and digits.isascii() and digits.isdigit() and _stdnum_bsn.is_valid(digits)


def normalise_bsn(text: str) -> str | None:
    """The 9-digit BSN for 8 or 9 digits (separators allowed) that pass the elfproef, else None.
    An 8-digit number is a BSN whose leading zero was lost (Excel drops it from a number cell)."""
    digits = re.sub(r"[ ._\-]", "", text.strip())
    if len(digits) not in (8, 9) or not digits.isascii() or not digits.isdigit():
        return None
    digits = digits.zfill(9)
    return digits if elfproef(digits) else None


def holds_bsn(text: str) -> bool:
    """True when `text` contains a BSN, also split by '-', '_', '.' or spaces ('DOS-123-456-782'):
    any run of adjacent digit groups adding up to 8 or 9 digits that passes the elfproef."""
    for match in _DIGIT_GROUPS.finditer(text):
        groups = re.split(r"[-_. ]", match.group(0))
        for start in range(len(groups)):
            digits = ""
            for group in groups[start:]:
                digits += group
                if len(digits) > 9:
                    break
                if normalise_bsn(digits):
                    return True
    return False


def _mask(match: re.Match[str]) -> str:
    return _MASK if normalise_bsn(match.group(0)) else match.group(0)


def redact(text: str) -> str:
    """Replace every number in `text` that could be a BSN by asterisks."""
    return _BSN_LIKE.sub(_mask, text) if len(text) >= 8 else text
