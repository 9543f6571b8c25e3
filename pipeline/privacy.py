"""Privacy rules shared by every stage: the BSN elfproef and redaction of BSN-like numbers.

A BSN is personal data (AVG): it may appear inside documents for UWV, never in a file name,
log line, console message or batch report. `redact` is applied to every message we build.
"""

from __future__ import annotations

import re

# 8 or 9 digits not part of a longer run of digits: a BSN whose leading zero Excel dropped
# has 8 digits.
_BSN_LIKE = re.compile(r"(?<!\d)\d{8,9}(?!\d)")


def elfproef(digits: str) -> bool:
    """True when a 9-digit string passes the BSN elfproef (weights 9..2 and -1)."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit():
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    total = sum(int(d) * w for d, w in zip(digits, weights))
    return total % 11 == 0 and total != 0


def normalise_bsn(text: str) -> str | None:
    """The 9-digit BSN for 8 or 9 digits that pass the elfproef, else None."""
    digits = text.strip()
    if len(digits) == 8:
        digits = "0" + digits
    return digits if elfproef(digits) else None


def _mask(match: re.Match[str]) -> str:
    return "*********" if normalise_bsn(match.group(0)) else match.group(0)


def redact(text: str) -> str:
    """Replace every number in `text` that could be a BSN by asterisks."""
    return _BSN_LIKE.sub(_mask, text) if len(text) >= 8 else text
