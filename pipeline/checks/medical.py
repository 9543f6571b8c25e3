"""Checks stage, privacy: no diagnosis or treatment in text that reaches the employer.

Every free-text field of every record of the case (by the contract: kind TEXT, except the fields
that name people, organisations, jobs or files) is held against the list administrators keep in
`templates/medische-termen.txt`. A hit is an error at the cell: the case gets no documents until
the casemanager says it functionally, as the company doctor does (AVG; seed 003).

The matching rule (the term file's header says the same to its administrators):
- text and terms are compared without case and accents ('Coëliakie' = 'coeliakie');
- a term counts anywhere in a word: at its start, inside a compound, with any ending. A list
  entry is therefore a stem: 'operatie' finds 'operaties', 'rugoperatie', 'hernia-operatie';
  'fysiotherap' finds 'fysiotherapie', 'fysiotherapeut', 'fysiotherapeutische'; 'depressi'
  finds 'depressie', 'depressief', 'depressieve'. Stems are chosen not too short: 'therap'
  would find 'arbeidstherapeutisch', which is re-integration, not treatment;
- a term of at most `WHOLE_WORD_MAX` letters (ggz, cva, ptss) counts only as a whole word (a
  hyphen is a word boundary: 'ggz-behandeling'), never inside another word;
- a space or hyphen in a term may be a space, a hyphen or nothing in the text ('burn-out'
  finds 'burnout' and 'burn out');
- a line starting with '!' is an exception, an ordinary word that holds a term ('!coöperatie'):
  a hit inside an exception does not count.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, fields, is_dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import TypedDict

from .. import model as m
from ..errors import Finding, Severity
from ..files import os_problem
from ..intake import contract
from ..intake.values import normalise_label

TERMS_FILE = "medische-termen.txt"
WHOLE_WORD_MAX = 4  # letters; shorter terms are abbreviations that hide inside ordinary words
RULE = "medisch"

# Text fields that name people, organisations, jobs, places or files: no prose about the
# employee. By contract label, which the contract fixes, so a new sheet's column is excluded
# before its model attribute exists. Everything else of kind TEXT is scanned.
_NOT_PROSE = frozenset(normalise_label(label) for label in (
    "Naam werknemer", "Werkgever", "Naam", "Organisatie", "E-mail", "Telefoon", "Functie", "Sector",
    "Aard van het bedrijf", "Wie", "Uitvoerder", "Gevonden via", "Sollicitatiewijze", "Bewijs", "Soort",
    "Bestand", "Opgesteld door", "Nieuwe functie", "Nieuwe werkgever",
))

_SEPARATOR = re.compile(r"[\s\-]+")
_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")  # a word, hyphenated compounds and "cva's" whole
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")  # never in a text file; tab, CR, LF are

_FUNCTIONAL = ("Beschrijf functioneel wat de werknemer wel en niet kan, zoals de bedrijfsarts dat doet: "
               "bijvoorbeeld 'niet tillen boven 10 kg', 'maximaal 4 uur per dag' of 'beperkt belastbaar'.")


@dataclass(frozen=True)
class MedicalTerms:
    """The term list as administrators keep it, or why it could not be read."""

    terms: tuple[str, ...] = ()
    exceptions: tuple[str, ...] = ()
    unreadable: str = ""  # the Dutch reason the file could not be read; every case is then refused

    @cached_property
    def pattern(self) -> re.Pattern[str] | None:
        # Longest first, so at one position the most specific term is the one named.
        alternatives = [_term_pattern(t) for t in sorted(self.terms, key=len, reverse=True) if _has_word(t)]
        return re.compile("|".join(alternatives)) if alternatives else None

    @cached_property
    def exception_pattern(self) -> re.Pattern[str] | None:
        alternatives = [_spaced(_fold(t)) for t in sorted(self.exceptions, key=len, reverse=True) if _has_word(t)]
        return re.compile("|".join(alternatives)) if alternatives else None

    def hits(self, text: str) -> list[tuple[str, str]]:
        """(word as written in `text`, term of the list it holds) for each hit, in text order."""
        if self.pattern is None:
            return []
        folded = _fold(text)
        found: list[tuple[str, str]] = []
        allowed: list[tuple[int, int]] | None = None
        words: list[tuple[int, int]] = []
        index: list[int] = []
        for hit in self.pattern.finditer(folded):
            start, end = hit.span()
            if allowed is None:  # the rest only once a text has a hit: most texts have none
                allowed = [e.span() for e in self.exception_pattern.finditer(folded)] if self.exception_pattern else []
                words = [w.span() for w in _WORD.finditer(folded)]
                index = _index(text)
            if any(a <= start and end <= b for a, b in allowed):
                continue
            # the whole word around the hit; a term with a space ('long covid') spans two
            first = min([start, *(a for a, b in words if a <= start < b)])
            last = max([end, *(b for a, b in words if a < end <= b)])
            found.append((text[index[first]:index[last - 1] + 1], _term_of(hit.group(), self.terms)))
        return found


def _spaced(folded_term: str) -> str:
    return r"[\s\-]*".join(re.escape(part) for part in _SEPARATOR.split(folded_term) if part)


def _term_pattern(term: str) -> str:
    folded = _fold(term)
    body = _spaced(folded)
    if len(_SEPARATOR.sub("", folded)) <= WHOLE_WORD_MAX:
        return rf"(?<![^\W_]){body}(?![^\W_])"
    return body


def _term_of(matched: str, terms: tuple[str, ...]) -> str:
    """The list's own spelling of the term a match stands for."""
    key = _SEPARATOR.sub("", matched)
    return next((t for t in terms if _SEPARATOR.sub("", _fold(t)) == key), matched)


@cache
def _fold_char(ch: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)).casefold()


def _fold(text: str) -> str:
    """`text` without case and accents: what terms are matched against."""
    return text.lower() if text.isascii() else "".join(_fold_char(ch) for ch in text)


def _index(text: str) -> list[int]:
    """For each character of `_fold(text)`, its index in `text` (folding 'ß' gives two)."""
    return [i for i, ch in enumerate(text) for _ in (ch.lower() if ch.isascii() else _fold_char(ch))]


def _has_word(term: str) -> bool:
    return re.search(r"[^\W_]", term) is not None  # a line of only '-' or '.' would match everywhere


# --- reading the list ----------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_terms_file(data: bytes) -> str:
    """The text of a term list as Notepad may save it: UTF-8 with or without BOM, UTF-16 with BOM,
    or Windows-1252. Raises ValueError with the Dutch reason when it is none of these."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as err:
                name = codec.upper().removesuffix("-SIG")
                raise ValueError(f"het bestand begint met het kenmerk (BOM) van {name}, maar vanaf positie "
                                 f"{err.start} is het geen geldige {name}") from err
    if b"\x00" in data:
        raise ValueError("het bestand bevat nul-bytes: het is geen tekst, of UTF-16 zonder BOM")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")  # Notepad's 'ANSI' on a Dutch Windows
        except UnicodeDecodeError as err:
            raise ValueError(f"byte {data[err.start]:#04x} op positie {err.start} is geen UTF-8 en geen "
                             "Windows-1252") from err
    if _CONTROL.search(text):
        raise ValueError("het bestand bevat stuurtekens: het is geen tekstbestand")
    return text


def load_terms(templates_dir: Path) -> MedicalTerms | None:
    """The list `<templates>/medische-termen.txt`; None when the file is absent."""
    path = templates_dir / TERMS_FILE
    if not path.is_file():
        return None
    try:
        text = decode_terms_file(path.read_bytes())
    except (OSError, ValueError) as err:
        reason = f"het bestand kan niet worden geopend ({os_problem(err)})" if isinstance(err, OSError) else str(err)
        return MedicalTerms(unreadable=f"de lijst met medische termen {path} kan niet worden gelezen: {reason}")
    lines = [line.strip() for line in text.splitlines()]
    entries = [line for line in lines if line and not line.startswith("#")]
    return MedicalTerms(terms=tuple(e for e in entries if not e.startswith("!")),
                        exceptions=tuple(e[1:].strip() for e in entries if e.startswith("!") and e[1:].strip()))


# --- the check -----------------------------------------------------------------------------------

def check_medical_terms(case: m.Case, terms: MedicalTerms | None) -> tuple[Finding, ...]:
    """An error for each text field holding a medical term; a note when there is no list."""
    if terms is None:
        return (Finding(Severity.NOTE, f"de privacycontrole op medische termen is overgeslagen: {TERMS_FILE} "
                                       "ontbreekt in de sjablonenmap", case.source_file, rule=RULE),)
    if terms.unreadable:
        return (Finding(Severity.ERROR, f"{terms.unreadable}. Zonder die lijst is niet te controleren of er "
                                        "medische gegevens in de documenten komen, dus dit dossier wordt niet "
                                        "verwerkt. Vraag de beheerder het bestand in Kladblok te openen en op te "
                                        "slaan met codering UTF-8", case.source_file, rule=RULE),)
    found = []
    for record, spec in records(case):
        for f in prose_fields(spec):
            value = getattr(record, f.attr, None)
            hits = terms.hits(value) if isinstance(value, str) else []
            if hits:
                found.append(Finding(Severity.ERROR, _message(hits), case.source_file, rule=RULE,
                                     **_where(case, record, spec, f)))
    return tuple(found)


def records(case: m.Case) -> Iterator[tuple[object, contract.Sheet]]:
    """The case itself (sheet Dossier) and every record in it with its sheet, generically: each
    field of the case holding a record, or a tuple of records, that knows its `source`."""
    yield case, contract.DOSSIER
    for f in fields(case):
        value: object = getattr(case, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            record_type: type = type(item)
            spec = sheet_of(record_type) if is_dataclass(item) and hasattr(item, "source") else None
            if spec is not None:
                yield item, spec


@cache
def sheet_of(record_type: type) -> contract.Sheet | None:
    """The contract sheet a record type is read from: the largest one whose every field is an
    attribute of the type (validation builds each record from its sheet's fields)."""
    names = {f.name for f in fields(record_type)}
    fitting = [s for s in contract.SHEETS if {f.attr for f in s.fields} <= names]
    return max(fitting, key=lambda s: len(s.fields), default=None)


def prose_fields(spec: contract.Sheet) -> tuple[contract.Field, ...]:
    return tuple(f for f in spec.fields if f.kind is contract.Kind.TEXT and f.key not in _NOT_PROSE)


class _Where(TypedDict, total=False):
    """Where a finding points: the keyword arguments of its `Finding`."""

    sheet: str
    row: int | None
    column: str
    label: str


def _where(case: m.Case, record: object, spec: contract.Sheet, f: contract.Field) -> _Where:
    own: m.Source | None = getattr(record, "source", None)
    if spec.shape is contract.Shape.KEY_VALUE:
        # key/value: the label names the cell; the Dossier knows each label's row as well
        source = case.sources.get(f.attr) if record is case else None
        sheet = source.sheet if source else (own.sheet if own else "")
        return {"sheet": sheet or spec.name, "row": source.row if source else None, "label": f.label}
    assert own is not None
    return {"sheet": own.sheet or spec.name, "row": own.row or None, "column": f.label}


def _message(hits: list[tuple[str, str]]) -> str:
    words: dict[str, list[str]] = {}
    for word, term in hits:
        terms = words.setdefault(word, [])
        if term not in terms:
            terms.append(term)
    shown = ", ".join(_shown(word, terms) for word, terms in words.items())
    first = next(iter(words))
    return (f"medische {'term' if len(words) == 1 else 'termen'} {shown}: een diagnose of behandeling hoort niet "
            f"in documenten voor de werkgever, dus dit dossier wordt niet verwerkt. {_FUNCTIONAL} Is het hier geen "
            f"medisch gegeven (bijvoorbeeld een werkplek), vraag de beheerder dan '!{first}' als uitzondering toe te "
            f"voegen aan {TERMS_FILE}")


def _shown(word: str, terms: list[str]) -> str:
    """'hernia' when the word is the term itself, else 'rugoperatie' (bevat 'operatie')."""
    if [_fold(word)] == [_fold(t) for t in terms]:
        return f"'{word}'"
    return f"'{word}' (bevat " + ", ".join(f"'{t}'" for t in terms) + ")"
