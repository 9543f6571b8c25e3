"""Render stage: fill one Word template (docxtpl) with one document context, safely.

Templates are data maintained by administrators: they run in a sandboxed Jinja environment
(no reaching Python internals), a missing variable is an error (StrictUndefined), and every
value is escaped (autoescape), so a cell's text is always text, never template or XML.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import html
import inspect
import io
import posixpath
import re
import signal
import string
import sys
import threading
import time
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from datetime import date, datetime
from itertools import islice
from pathlib import Path
from typing import IO, Any, cast

from docx import Document
from docx.image.image import Image as DocxImage
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.shape import CT_Inline
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, Template, TemplateSyntaxError, UndefinedError, nodes
from jinja2 import TemplateError as JinjaTemplateError
from jinja2.compiler import CodeGenerator, Frame, optimizeconst
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import MAX_RANGE, SandboxedEnvironment
from jinja2.utils import generate_lorem_ipsum
from lxml import etree
from lxml.etree import XMLSyntaxError
from markupsafe import Markup, escape

from ..archive import Member, member, normalise_zip, write_members
from ..errors import TemplateError
from . import Image

# --- what a template may do ---------------------------------------------------------------------
# Far above any real document (the largest part made so far, 5,000 applications, is 5 MB of
# XML), far below what hurts the machine: a template that goes past one is stopped with an error.

# A template that runs longer than this per document is stopped (2,000 applications take ~2 s).
TIME_LIMIT_SECONDS = 60.0
# Characters in one filled part (the body, a header) and in any one text a template builds.
MAX_TEXT = 50_000_000
# Items in one list or dict a template builds.
MAX_ITEMS = 1_000_000
# What a template may build in all while filling one document, in about bytes (a character, or
# 8 per item of a list): garbage counts too, so a loop that keeps building big values stops long
# before the memory is full. Filling a real document builds a few times its size.
MAX_BUILT = 100_000_000
# Largest width, length, count or repetition one argument may set (as Jinja's range does).
MAX_COUNT = MAX_RANGE
MAX_PRODUCT_SIZE = MAX_COUNT  # the largest string or list '*' may build
MAX_EXPONENT = 100  # of '**', and of a rounding precision
MAX_DIGITS = 30_000  # of an integer a template computes (Python shows at most 4,300)
_MAX_BITS = MAX_DIGITS * 10 // 3
# Output pieces up to this long are only counted when the part is joined.
_LONG = 65_536
# lipsum(): paragraphs, and words per paragraph.
MAX_LIPSUM = (100, 1_000)


class _TooLong(BaseException):
    """Raised by the alarm inside a render that exceeds its time limit. A BaseException, so
    that no `except Exception` on the way (Jinja's, a filter's) can swallow it."""

    def __init__(self, where: str = "") -> None:
        super().__init__(where)
        self.where = where


class _ForeignPart(Exception):
    """A value's Word XML points at a relationship of another document."""


# A relationship id in Word XML: of a hyperlink, a picture, an embedded object, a diagram.
_RELATIONSHIP = re.compile(r'\br:(?:id|embed|link|pict|dm|lo|qs|cs)="')


class _TooBig(SecurityError):
    """A template tried to build a value past one of the limits above; says which, in Dutch."""


def _dutch(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _count(value: object, what: str = "een breedte, lengte of aantal") -> None:
    if isinstance(value, int) and abs(value) > MAX_COUNT:
        raise _TooBig(f"{what} van {_dutch(value)} (hoogstens {_dutch(MAX_COUNT)})")


def _text_limit(size: int) -> None:
    if size > MAX_TEXT:
        raise _TooBig(f"een tekst van ten minste {_dutch(size)} tekens (hoogstens {_dutch(MAX_TEXT)})")


def _text_size(value: object) -> int:
    """About how many characters str(value) has, without making it: a list of a thousand
    references to one long text is small in memory and enormous as text. Stops counting once
    past MAX_TEXT (so a list that holds itself ends too)."""
    total, stack = 0, [value]
    while stack and total <= MAX_TEXT:
        item = stack.pop()
        if isinstance(item, (str, bytes, bytearray)):
            total += len(item) + 3
        elif isinstance(item, (list, tuple, set, frozenset)):
            total += 2 + 2 * len(item)
            if total <= MAX_TEXT:
                stack.extend(item)
        elif isinstance(item, dict):
            total += 2 + 4 * len(item)
            if total <= MAX_TEXT:
                stack.extend(item.keys())
                stack.extend(item.values())
        elif isinstance(item, int):
            total += item.bit_length() // 3 + 2
        else:
            total += 32
    return total


def _as_text(value: object) -> None:
    """Refuse a value whose text would be too long, before anything turns it into text."""
    if not isinstance(value, str):
        _text_limit(_text_size(value))


def _bits(bits: int) -> None:
    if bits > _MAX_BITS:
        raise _TooBig(f"een getal van meer dan {_dutch(MAX_DIGITS)} cijfers")


def _items(size: int) -> None:
    if size > MAX_ITEMS:
        raise _TooBig(f"een lijst van {_dutch(size)} elementen (hoogstens {_dutch(MAX_ITEMS)})")


def _bounded(value: Any) -> Any:
    """`value` to read whole: a sized value of at most MAX_ITEMS, or what an iterator gives as a
    list, read no further than that (a generator over a long text would fill the memory)."""
    if hasattr(value, "__len__"):
        _items(len(value))
        return value
    items = list(islice(value, MAX_ITEMS + 1))
    _items(len(items))
    return items


# printf-style fields ('%s', '%-10.3f', '%(naam)s', '%*d') and the numbers in a format spec.
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0 +\-]*(\*|\d+)?(?:\.(\*|\d+))?")
_DIGITS = re.compile(r"\d+")
_FORMATTER = string.Formatter()


def _spec_number(digits: str | None) -> int:
    """A width or precision written in a format: refused when too big, else its value."""
    if not digits or digits == "*":
        return 0
    if len(digits) > 18:  # (Python will not even read a number of thousands of digits)
        raise _TooBig(f"een breedte of precisie van {len(digits)} cijfers")
    _count(int(digits), "een breedte of precisie")
    return int(digits)


def _formatted(template: str, values: list[object], fields: int, widths: int, nested: bool) -> None:
    """Refuse a format whose result would be too long: every field may show the longest value,
    at its width; a width taken from the values ('%*d', '{:{}}') must be a sane number too."""
    numbers = [abs(v) for v in values if isinstance(v, int)]
    if nested:
        for number in numbers:
            _count(number, "een breedte of precisie")
    longest = max((_text_size(v) for v in values), default=0)
    _text_limit(len(template) + widths + fields * (longest + (max(numbers, default=0) if nested else 0)))


def _check_printf(template: str, values: object) -> None:
    fields = widths = 0
    nested = False
    for match in _PRINTF.finditer(template):
        fields += 1
        widths += _spec_number(match.group(1)) + _spec_number(match.group(2))
        nested = nested or "*" in (match.group(1), match.group(2))
    items = list(values.values()) if isinstance(values, dict) else \
        list(values) if isinstance(values, tuple) else [values]
    _formatted(template, items, fields, widths, nested)


def _check_format(template: str, args: tuple[object, ...], kwargs: Mapping[str, object]) -> None:
    fields = widths = 0
    nested = False
    pending = [template]
    while pending:
        for _, field, spec, _ in _FORMATTER.parse(pending.pop()):
            if field is None:
                continue
            fields += 1
            if spec:
                widths += sum(_spec_number(digits) for digits in _DIGITS.findall(spec))
                if "{" in spec:
                    nested = True
                    pending.append(spec)
    _formatted(template, [*args, *kwargs.values()], fields, widths, nested)


# --- the filters and methods that can build big values from small arguments ---------------------
# Each check gets the filter's own arguments (value first) and returns the value to pass on
# (an iterable it had to read becomes a list). Other filters only have their result measured.

def _filter_center(value: object, width: int = 80) -> object:
    _as_text(value)
    _count(width)
    return value


def _filter_indent(s: object, width: int | str = 4, first: bool = False, blank: bool = False) -> object:
    _as_text(s)
    text = str(s)
    step = len(width) if isinstance(width, str) else width
    _count(step)
    if isinstance(step, int):
        _text_limit(len(text) + (text.count("\n") + 1) * step)
    return s


def _filter_join(value: Any, d: str = "", attribute: object = None) -> object:
    items = _bounded(value)
    _text_limit(sum(_text_size(item) for item in items) + _text_size(d) * len(items))
    return items


def _filter_replace(s: object, old: object, new: object, count: object = None) -> object:
    _as_text(s)
    text, old_text, new_text = str(s), str(old), str(new)
    found = text.count(old_text) if old_text else len(text) + 1
    if isinstance(count, int) and count >= 0:
        found = min(found, count)
    _text_limit(len(text) + found * max(len(new_text) - len(old_text), 0))
    return s


def _filter_batch(value: object, linecount: int, fill_with: object = None) -> object:
    _count(linecount)
    return value


def _filter_slice(value: object, slices: int, fill_with: object = None) -> object:
    _count(slices)
    return value


def _filter_wordwrap(s: object, width: int = 79, break_long_words: bool = True, wrapstring: object = None,
                     break_on_hyphens: bool = True) -> object:
    _as_text(s)
    size = len(str(s))
    # Every character may end up on a line of its own.
    _text_limit(size + size * (len(wrapstring) if isinstance(wrapstring, str) else 1))
    return s


def _filter_format(value: object, *args: object, **kwargs: object) -> object:
    _check_printf(str(value), kwargs or args)
    return value


def _filter_round(value: object, precision: int = 0, method: str = "common") -> object:
    # round(10**100, -10**9) computes 10**(10**9): minutes of work for one number.
    if isinstance(precision, int) and abs(precision) > MAX_EXPONENT:
        raise _TooBig(f"afronden op {_dutch(precision)} cijfers (hoogstens {MAX_EXPONENT})")
    return value


def _filter_tojson(value: object, indent: object = None) -> object:
    step = len(indent) if isinstance(indent, str) else indent if isinstance(indent, int) else 0
    _count(step)
    _text_limit(_text_size(value) * (1 + step))
    return value


def _filter_sum(iterable: Any, attribute: object = None, start: object = 0) -> object:
    items = _bounded(iterable)
    if not isinstance(start, (int, float)):  # adding up lists: the result holds them all
        _text_limit(_text_size(items) + _text_size(start))
    return items


def _filter_whole(value: Any, *args: object, **kwargs: object) -> object:
    return _bounded(value)


def _filter_text(value: object, *args: object, **kwargs: object) -> object:
    _as_text(value)
    return value


_FILTER_CHECKS: dict[str, Callable[..., object]] = {
    "center": _filter_center, "indent": _filter_indent, "join": _filter_join, "replace": _filter_replace,
    "batch": _filter_batch, "slice": _filter_slice, "wordwrap": _filter_wordwrap, "format": _filter_format,
    "round": _filter_round, "tojson": _filter_tojson, "sum": _filter_sum,
    # Filters that read their value whole.
    **{name: _filter_whole for name in ("list", "sort", "unique", "reverse", "dictsort", "items", "groupby",
                                        "random", "last", "min", "max")},
    # Filters that turn their value into text.
    **{name: _filter_text for name in ("string", "e", "escape", "forceescape", "safe", "striptags", "title", "upper",
                                       "lower", "capitalize", "trim", "truncate", "wordcount", "urlize",
                                       "urlencode", "pprint", "xmlattr", "filesizeformat")},
}


def _guard_filter(env: _Sandbox, name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """The filter with its check before it and its result measured after it."""
    check = _FILTER_CHECKS.get(name)
    signature = inspect.signature(check) if check else None
    # Filters marked pass_context / pass_eval_context / pass_environment get that first.
    skip = 1 if getattr(function, "jinja_pass_arg", None) is not None else 0

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if check is not None and signature is not None and len(args) > skip:
            try:
                bound = signature.bind(*args[skip:], **kwargs)
            except TypeError:
                pass  # wrong arguments: the filter itself says so
            else:
                args = (*args[:skip], check(*bound.args, **bound.kwargs), *args[skip + 1:])
        return env.built(function(*args, **kwargs))

    return guarded


def _check_method(receiver: Any, name: str, args: tuple[Any, ...]) -> None:
    """Refuse a method call on a text, number or list that would build a huge value (an
    iterator among the arguments has been read into a list already)."""
    if isinstance(receiver, (str, bytes, bytearray)):
        if name in ("center", "ljust", "rjust", "zfill") and args:
            _count(args[0])
        elif name == "expandtabs":
            size = args[0] if args and isinstance(args[0], int) else 8
            _count(size)
            tabs = receiver.count("\t") if isinstance(receiver, str) else receiver.count(b"\t")
            _text_limit(len(receiver) + tabs * size)
        elif name == "replace" and len(args) >= 2 and all(isinstance(a, type(receiver)) for a in args[:2]):
            old, new = args[:2]
            found = receiver.count(old) if old else len(receiver) + 1
            if len(args) > 2 and isinstance(args[2], int) and args[2] >= 0:
                found = min(found, args[2])
            _text_limit(len(receiver) + found * max(len(new) - len(old), 0))
        elif name == "join" and len(args) == 1 and hasattr(args[0], "__len__"):
            _items(len(args[0]))
            _text_limit(sum(_text_size(item) for item in args[0]) + len(receiver) * len(args[0]))
        elif name == "translate" and args and isinstance(args[0], dict):
            longest = max((len(v) for v in args[0].values() if isinstance(v, str)), default=1)
            _text_limit(len(receiver) * max(longest, 1))
    elif isinstance(receiver, int) and name == "to_bytes" and args:
        _count(args[0])
    elif isinstance(receiver, list) and name == "extend" and len(args) == 1 and hasattr(args[0], "__len__"):
        _items(len(receiver) + len(args[0]))


def _check_lipsum(n: object = 5, html: object = True, min: object = 20, max: object = 100) -> None:
    if any(isinstance(v, int) and v > limit for v, limit in ((n, MAX_LIPSUM[0]), (min, MAX_LIPSUM[1]),
                                                             (max, MAX_LIPSUM[1]))):
        raise _TooBig(f"lipsum() met meer dan {MAX_LIPSUM[0]} alinea's of {MAX_LIPSUM[1]} woorden per alinea")


class _CodeGenerator(CodeGenerator):
    """Jinja's code generator, with '~' measured like the operators the sandbox intercepts, and
    the arguments of f(*args) read through the list filter: Python would otherwise make them one
    tuple, however long, before the sandbox sees the call."""

    def visit_Template(self, node: nodes.Template, frame: Frame | None = None) -> None:
        for call in list(node.find_all((nodes.Call, nodes.Filter, nodes.Test))):
            if isinstance(call, (nodes.Call, nodes.Filter, nodes.Test)) and call.dyn_args is not None:
                call.dyn_args = nodes.Filter(call.dyn_args, "list", [], [], None, None, lineno=call.lineno)
        super().visit_Template(node, frame)

    @optimizeconst
    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        # As Jinja's own, but through environment.joined.
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.joined({join}, (")
        for argument in node.nodes:
            self.visit(argument, frame)
            self.write(", ")
        self.write("))")


class _GuardedTemplate(Template):
    """A template that knows its source, so an error can point at the paragraph it happened in."""

    xml_source = ""

    def render(self, *args: Any, **kwargs: Any) -> str:
        try:
            return super().render(*args, **kwargs)
        except Exception as err:
            # Jinja rewrote the traceback: its frames named "<template>" carry the template's line.
            line, trace = None, err.__traceback__
            while trace is not None:
                if trace.tb_frame.f_code.co_filename == "<template>":
                    line = trace.tb_lineno
                trace = trace.tb_next
            _locate(err, self.xml_source, line)
            raise


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals), also refusing to build huge values: template text
    is edited by administrators and must not exhaust the machine. Every way a template makes a
    value is measured: the operators ('*', '**', '+', '%', '~'), each filter, each method or
    function call, str.format, every block's and the whole part's output, and what '{{ }}'
    turns into text. What can only grow with what was measured before (upper, escape) is
    measured after; what a small argument can make huge (a width, a count, a format) before."""

    intercepted_binops = frozenset(["*", "**", "+", "%"])
    code_generator_class = _CodeGenerator
    template_class = _GuardedTemplate

    def __init__(self) -> None:
        super().__init__(undefined=StrictUndefined, autoescape=True, finalize=self._finalize)
        self.filters = {name: _guard_filter(self, name, f) for name, f in self.filters.items()}
        self.spent = 0
        # What a field showing an Image prints (set by the renderer filling the part); without
        # it an Image is shown as any other value.
        self.picture: Callable[[Image], Markup] | None = None

    def begin(self) -> None:
        """Start the count of what one document's filling builds."""
        self.spent = 0

    def built(self, value: Any) -> Any:
        """`value`, after checking its size and counting it against MAX_BUILT (about its bytes);
        an iterator (what batch, map, select give) is counted item by item as it is read."""
        if isinstance(value, (str, bytes, bytearray)):
            _text_limit(len(value))
            self._spend(len(value))
        elif isinstance(value, (list, tuple, dict, set, frozenset)):
            _items(len(value))
            self._spend(64 + 8 * len(value))
        elif isinstance(value, int):
            _bits(value.bit_length())
        elif isinstance(value, Iterator):
            return self._counted(value)
        return value

    def _counted(self, items: Iterator[Any]) -> Iterator[Any]:
        for item in items:
            yield self.built(item)

    def _spend(self, size: int) -> None:
        self.spent += size
        if self.spent > MAX_BUILT:
            raise _TooBig(f"tussenresultaten van samen meer dan {MAX_BUILT // 1_000_000} MB")

    def concat(self, parts: Iterable[str]) -> str:
        """Every output joined: a macro's, a block's, and the whole part's (Jinja's "".join,
        counted as it streams, so a loop that writes forever stops at MAX_TEXT). Streamed in
        chunks: a long piece was counted when it was made (built, _finalize), so a chunk of
        short ones is all that can come in unmeasured."""
        if isinstance(parts, list):
            size = sum(map(len, parts))
        else:
            pieces: list[str] = []
            size = 0
            stream = iter(parts)
            while size <= MAX_TEXT and (chunk := list(islice(stream, 256))):
                size += sum(map(len, chunk))
                pieces += chunk
            parts = pieces
        if size > MAX_TEXT:
            raise _TooBig(f"een ingevuld onderdeel van meer dan {_dutch(MAX_TEXT)} tekens")
        self._spend(size)
        return "".join(parts)

    def joined(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        """The '~' operator."""
        _text_limit(sum(len(p) if isinstance(p, str) else _text_size(p) for p in parts))
        text = join(parts)
        self.built(text)
        return text

    def _finalize(self, value: Any) -> Any:
        """Each '{{ }}' value before it becomes text (and a copy: escaping copies a text). Long
        texts count against MAX_BUILT, so writing one a million times stops early; a list is
        measured as the text it becomes, which can be enormous."""
        if value.__class__ is str or value.__class__ is Markup:
            if len(value) > _LONG:
                self._spend(len(value))
            return value
        if value.__class__ is Image and self.picture is not None:
            return self.picture(value)
        if not isinstance(value, str):
            if hasattr(value, "__html__"):
                return self._markup(value)
            size = _text_size(value)
            _text_limit(size)
            self._spend(size)
        return value

    def _markup(self, value: Any) -> Markup:
        """A value that writes its own Word XML (docxtpl's RichText, Listing, Subdoc...). One
        whose XML points at a relationship (a hyperlink, a picture, a subdocument's parts) was
        made for another document, where that relationship lives: here it would point at
        nothing, or at the wrong part."""
        markup = value.__html__()
        _text_limit(len(markup))
        self._spend(len(markup))
        if _RELATIONSHIP.search(markup):
            raise _ForeignPart(type(value).__name__)
        return Markup(markup)

    def getattr(self, obj: Any, attribute: str) -> Any:
        _check_deadline()
        return super().getattr(obj, attribute)

    def getitem(self, obj: Any, argument: Any) -> Any:
        _check_deadline()
        return super().getitem(obj, argument)

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        _check_deadline()
        if operator == "**" and isinstance(right, (int, float)):
            if abs(right) > MAX_EXPONENT:
                raise _TooBig(f"een macht met exponent {right} (hoogstens {MAX_EXPONENT})")
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                _bits(left.bit_length() * right)
        elif operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) \
                        and len(sized) * count > MAX_PRODUCT_SIZE:
                    raise _TooBig(f"een tekst of lijst van {_dutch(len(sized) * count)} elementen "
                                  f"(hoogstens {_dutch(MAX_PRODUCT_SIZE)})")
            if isinstance(left, int) and isinstance(right, int):
                _bits(left.bit_length() + right.bit_length())
        elif operator == "+":
            if isinstance(left, str) and isinstance(right, str):
                _text_limit(len(left) + len(right))
            elif isinstance(left, (list, tuple)) and isinstance(right, (list, tuple)):
                _items(len(left) + len(right))
        elif operator == "%" and isinstance(left, str):
            _check_printf(left, right)
        return self.built(super().call_binop(context, operator, left, right))

    def call(__self, __context: Context, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        """Every function or method a template calls (Jinja's names, to keep its keywords free)."""
        _check_deadline()
        # What a callee would read whole anyway (join, extend, dict()), read here, bounded.
        args = tuple(_bounded(a) if isinstance(a, Iterator) else a for a in args)
        receiver = getattr(__obj, "__self__", None)
        if receiver is not None:
            _check_method(receiver, getattr(__obj, "__name__", ""), args)
        elif __obj is generate_lorem_ipsum:
            with suppress(TypeError):  # wrong arguments: lipsum itself says so
                _check_lipsum(*args, **kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        if isinstance(receiver, (list, dict, set, bytearray)):
            _items(len(receiver))  # append, update, setdefault... in a loop
        return __self.built(result)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        """str.format and format_map, with the result's size checked from the format first."""
        format_function = super().wrap_str_format(value)
        if format_function is None:
            return None
        template = value.__self__
        mapping = value.__name__ == "format_map"

        def checked(*args: Any, **kwargs: Any) -> str:
            if mapping and len(args) == 1 and isinstance(args[0], dict):
                _check_format(template, (), args[0])
            else:
                _check_format(template, args, kwargs)
            return format_function(*args, **kwargs)

        return checked

    def from_string(self, source: str | nodes.Template, globals: MutableMapping[str, Any] | None = None,
                    template_class: type[Template] | None = None) -> Template:
        try:
            template = super().from_string(source, globals, template_class)
        except TemplateSyntaxError as err:
            _locate(err, source if isinstance(source, str) else "", err.lineno)
            raise
        if isinstance(template, _GuardedTemplate) and isinstance(source, str):
            template.xml_source = source
        return template


def sandbox() -> SandboxedEnvironment:
    return _Sandbox()


# --- errors: one Dutch message per kind of problem, with where it happened ----------------------

_PARTS = {"body": "de tekst", "hdr": "de koptekst", "ftr": "de voettekst", "footnotes": "de voetnoten"}
_PART_TAG = re.compile(r"\s*(?:<\?xml[^>]*\?>\s*)?<w:(body|hdr|ftr|footnotes)\b")
_TAGS = re.compile(r"<[^>]+>")


def _where(source: str, line: int | None) -> str:
    """' (in de koptekst, bij: «...»)': the part and the text of the paragraph at `line` of a
    part's template source (each paragraph starts a line there, as docxtpl splits them)."""
    part = _PART_TAG.match(source)
    where = [f"in {_PARTS[part.group(1)]}"] if part else []
    lines = source.splitlines() if line else []
    if line and line <= len(lines):
        text = " ".join(html.unescape(_TAGS.sub("", lines[line - 1])).split())
        if text:
            where.append(f"bij: «{text[:120]}{'…' if len(text) > 120 else ''}»")
    return f" ({', '.join(where)})" if where else ""


def _locate(err: BaseException, source: str, line: int | None) -> None:
    """Remember on `err` where in the template it happened (the innermost template knows best)."""
    if getattr(err, "template_where", None) is None:
        with suppress(AttributeError):  # a mark of ours on any exception: no type can say it has one
            err.template_where = _where(source, line)  # type: ignore[attr-defined]


def _running_template(frame: Any) -> str:
    """Where the template was when the alarm went off: its innermost frame, as Jinja maps one
    to the template's line when it rewrites a traceback."""
    while frame is not None:
        template = frame.f_globals.get("__jinja_template__") if frame.f_code.co_filename == "<template>" else None
        if isinstance(template, _GuardedTemplate):
            return _where(template.xml_source, template.get_corresponding_lineno(frame.f_lineno))
        frame = frame.f_back
    return ""


def _technical(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f" (technisch: {type(err).__name__}: {text[:200]}{'…' if len(text) > 200 else ''})"


# Jinja's syntax errors are English; an administrator editing a template in Word reads them in
# Dutch. Token names first, then each sentence Jinja writes (jinja2/parser.py, lexer.py); a
# sentence not listed stays as Jinja wrote it.
_SYNTAX_TOKENS = (("'end of print statement'", "'}}'"), ("'end of statement block'", "'%}'"),
                  ("'end of template'", "het einde van het sjabloon"), ("'name'", "een naam"), ("' or '", "' of '"))
_SYNTAX_SENTENCES = (
    (r"[Uu]nexpected end of template, expected (.+?)\.", r"Het sjabloon houdt op waar \1 werd verwacht."),
    (r"Unexpected end of template\.", "Het sjabloon houdt op terwijl er nog een blok openstaat."),
    (r"Encountered unknown tag '([^']*)'\.", r"De opdracht '\1' bestaat niet of staat op de verkeerde plaats."),
    (r"Jinja was looking for the following tags: (.+?)\.", r"Er ontbreekt een afsluitende opdracht: \1."),
    (r"The innermost block that needs to be closed is '([^']*)'\.", r"Het binnenste open blok is '\1'."),
    (r"You probably made a nesting mistake\.", "Waarschijnlijk staan de blokken niet goed in elkaar."),
    (r"Jinja is expecting this tag, but currently looking for (.+?)\.", r"Eerst moet \1 komen."),
    (r"expected token (.+?), got '([^']*)'", r"verwacht \1, maar hier staat '\2'"),
    (r"unexpected char (.+?) at \d+", r"onverwacht teken \1"),
    (r"unexpected '([^']*)'", r"onverwacht '\1'"),
    (r"tag name expected", "hier hoort de naam van een opdracht, zoals for of if"),
    (r"Expected an expression, got (.+)", r"hier hoort een veld of waarde, maar hier staat \1"),
)


def syntax_message(message: str | None) -> str:
    """Jinja's syntax error in Dutch: 'Unexpected end of template. Jinja was looking for the
    following tags: 'endif'...' reads 'Het sjabloon houdt op terwijl er nog een blok openstaat.
    Er ontbreekt een afsluitende opdracht: 'endif'...'."""
    text = message or ""
    for english, dutch_token in _SYNTAX_TOKENS:
        text = text.replace(english, dutch_token)
    for pattern, replacement in _SYNTAX_SENTENCES:
        text = re.sub(pattern, replacement, text)
    return text


def _describe(err: BaseException) -> str:
    """What went wrong while filling a template, in Dutch, with what to do."""
    if isinstance(err, _TooBig):
        return (f"het sjabloon maakt {err}, wat niet is toegestaan; maak de breedte, het aantal of de "
                "herhaling in deze opdracht kleiner")
    if isinstance(err, _ForeignPart):
        return (f"een waarde ({err}) verwijst naar een koppeling, afbeelding of subdocument van een ander "
                "Word-document en kan niet in dit document worden geplaatst; geef een afbeelding als Image en "
                "tekst als tekst")
    if isinstance(err, SecurityError):
        return f"het sjabloon probeert iets wat niet is toegestaan ({err})"
    if isinstance(err, UndefinedError):
        return f"het sjabloon gebruikt een veld dat dit document niet kent ({err.message})"
    if isinstance(err, TemplateSyntaxError):
        return f"fout in een sjabloon-opdracht: {syntax_message(err.message)}"
    if isinstance(err, JinjaTemplateError):
        return f"het sjabloon kan niet worden ingevuld ({err})"
    if isinstance(err, ZeroDivisionError):
        return "het sjabloon deelt door nul; controleer de deling (/, // of %) in deze opdracht"
    if isinstance(err, RecursionError):
        return ("het sjabloon herhaalt zichzelf te diep, bijvoorbeeld een macro die zichzelf blijft aanroepen; "
                "geef de herhaling een einde")
    if isinstance(err, MemoryError):
        return ("het invullen vraagt meer geheugen dan er is en is gestopt; controleer de lussen en herhalingen "
                "in het sjabloon")
    if isinstance(err, OverflowError) and "MAX_RANGE" in str(err):
        return (f"range() maakt hier meer dan {_dutch(MAX_RANGE)} getallen, wat niet is toegestaan; maak het "
                "bereik kleiner")
    if isinstance(err, OverflowError) or isinstance(err, ValueError) and "integer string conversion" in str(err):
        return "het sjabloon rekent met een getal dat te groot is; controleer de berekening in deze opdracht"
    if isinstance(err, TypeError):
        return ("een bewerking past niet bij de soort waarde, bijvoorbeeld rekenen met tekst of een filter met "
                "verkeerde argumenten; controleer deze opdracht" + _technical(err))
    if isinstance(err, ValueError):
        return ("een waarde heeft niet de vorm die deze bewerking verwacht, bijvoorbeeld tekst die geen getal "
                "is; controleer deze opdracht" + _technical(err))
    return "het sjabloon kan niet worden ingevuld; controleer deze opdracht" + _technical(err)


# The end of the current render's time, for the portable time limit: the sandbox looks at the clock
# at every call, operator, attribute and item a template uses, so a template stops on Windows and
# outside the main thread too, where there is no SIGALRM. (A loop that does none of these in its
# body, e.g. nested empty loops, still calls range() or reads its list at each outer pass.)
_deadlines = threading.local()


def _check_deadline() -> None:
    ends = getattr(_deadlines, "ends", None)
    if ends and time.monotonic() > ends[-1]:
        raise _TooLong(_running_template(sys._getframe(1)))


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds`: by the clock the sandbox checks (every platform and thread)
    and, in the POSIX main thread, also by SIGALRM (which stops a single slow call as well)."""
    ends = _deadlines.__dict__.setdefault("ends", [])
    ends.append(time.monotonic() + seconds)
    try:
        if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
            yield
            return

        def stop(signum: int, frame: Any) -> None:
            raise _TooLong(_running_template(frame))

        previous = signal.signal(signal.SIGALRM, stop)
        signal.setitimer(signal.ITIMER_REAL, seconds)
        try:
            yield
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, previous)
    finally:
        ends.pop()


@dataclass(frozen=True)
class Properties:
    """Document properties, fixed so that the same input gives the same bytes."""

    title: str
    subject: str
    day: date
    author: str = "Poortwachter-pipeline"


@contextmanager
def _template_errors(name: str, time_limit: float) -> Iterator[None]:
    """Turn whatever filling a template can raise into one TemplateError naming the template:
    a template's error never stops the batch, only its case."""
    try:
        with _time_limit(time_limit):
            yield
    except _TooLong as err:
        raise TemplateError(name, f"het invullen duurde langer dan {time_limit:g} seconden en is gestopt; "
                                  f"controleer de lussen in het sjabloon{err.where}") from err
    except Exception as err:
        where = getattr(err, "template_where", None)
        if where is None and isinstance(err, (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError)):
            raise TemplateError(name, "het sjabloon ontbreekt of is geen Word-document (.docx)") from err
        if where is None and isinstance(err, XMLSyntaxError):
            raise TemplateError(name, f"het ingevulde sjabloon is geen geldige Word-opmaak ({err})") from err
        raise TemplateError(name, _describe(err) + (where or "")) from err


def _check_exists(template: Path) -> None:
    if not template.is_file():
        raise TemplateError(template.name, "het sjabloon ontbreekt of is geen Word-document (.docx); verwacht in "
                                           f"{template.parent}")


def render_docx(template: Path, context: Mapping[str, Any], properties: Properties,
                time_limit: float = TIME_LIMIT_SECONDS) -> bytes:
    """Plain docxtpl, one template load per document: the reference the prepared renderer is
    held against (tests compare their output; the benchmark their speed)."""
    _check_exists(template)
    with _template_errors(template.name, time_limit):
        return _plain(template, context, properties)


def _plain(source: Path | IO[bytes], context: Mapping[str, Any], properties: Properties) -> bytes:
    """Plain docxtpl fills `source`, inside the caller's guards (time limit, error messages)."""
    document = DocxTemplate(source)
    env = _Sandbox()
    # A picture becomes docxtpl's InlineImage where a field shows it, in whatever part that is.
    env.picture = lambda image: Markup(_described(
        InlineImage(document, io.BytesIO(image.png), width=Mm(image.width_mm)).__html__(), image.description))
    document.render(dict(context), jinja_env=env, autoescape=True)
    core = document.docx.core_properties
    stamp = datetime(properties.day.year, properties.day.month, properties.day.day)
    core.title = properties.title
    core.subject = properties.subject
    core.author = properties.author
    core.last_modified_by = properties.author
    core.created = stamp
    core.modified = stamp
    core.last_printed = stamp
    core.revision = 1
    buffer = io.BytesIO()
    document.save(buffer)
    return normalise_zip(buffer.getvalue())


_DOC_PR = re.compile(r"<wp:docPr\b[^>]*?(?=/?>)")


def _described(drawing: str, description: str) -> str:
    """The picture's drawing with its alternative text (wp:docPr's descr, which Word shows as
    'Alternatieve tekst' and LibreOffice puts in a PDF), in both renderers alike."""
    if not description:
        return drawing
    return _DOC_PR.sub(lambda m: f'{m.group(0)} descr="{html.escape(description, quote=True)}"', drawing, count=1)


# --- the prepared renderer ------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_BODY = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"
_TYPES = "[Content_Types].xml"
_CORE = "docProps/core.xml"
# The parts filled for each document are compressed fast: for a 240 KB overview level 6 takes
# 1.2 ms against 0.3 ms, for a part a fifth smaller, and a batch does this for every document.
_FILLED_LEVEL = 1
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)  # as docxtpl's resolve_listing finds them
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*[\t\n\a\f]")
# What Jinja (after docxtpl's clean-up) reads as a field, a statement or a comment, and docxtpl's
# escapes for literal braces, which a second pass would read as one.
_JINJA = re.compile(r"\{[{%#_]|_\}")


def _serialise(element: etree._Element) -> bytes:
    """As python-docx writes a part (so the output matches plain docxtpl's)."""
    return etree.tostring(element, encoding="UTF-8", standalone=True)


class _NotExact(BaseException):
    """Raised while filling a document with something the prepared renderer does not reproduce
    exactly (a picture outside the body, fields in the footnotes of a document with several
    sections): plain docxtpl fills that document instead. A BaseException, so that no
    `except Exception` on the way (Jinja's, a template's error handling) can take it for an
    error of the template."""


def _picture_outside_the_body(image: Image) -> Markup:
    raise _NotExact("a picture outside the body")


class _Library:
    """Every use the prepared renderer makes of docxtpl's and python-docx's internals, in one place.

    Plain docxtpl fills a document in steps (DocxTemplate.render: clean up each part's XML, run
    Jinja, resolve tabs and breaks, fix table grids, renumber picture ids, fill the footnotes once
    per section; then python-docx saves every part). The prepared renderer takes those steps
    apart: what does not depend on the document is done once, the rest per document, by calling
    docxtpl's own helpers below or by repeating python-docx's rules for new pictures. If an
    upgrade of either library changes one of these steps, tests/test_fastrender.py (our own
    templates, part for part) and tests/test_render_fence.py (templates as Word saves them, with
    footnotes, pictures, comment tags, empty table loops) fail, not users' documents.
    """

    HEADER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/header"
    FOOTER = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"
    IMAGE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/image"
    FOOTNOTES = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
    # The document properties docxtpl fills with Jinja (DocxTemplate.render_properties).
    PROPERTIES = ("title", "subject", "creator", "description", "identifier", "language")
    _NUMBERED = re.compile(r"[a-zA-Z]+([1-9][0-9]*)?")  # python-docx's PackURI.idx

    def __init__(self, source: bytes) -> None:
        # For docxtpl's XML helpers only; never loaded as a document.
        self._helper = DocxTemplate(io.BytesIO(source))

    @staticmethod
    def normalised(source: bytes) -> bytes:
        """The template as python-docx writes it back (with document properties, which plain
        rendering always gets): every part docxtpl does not fill comes out of plain docxtpl like
        this, and a template saved by Word differs from it in every part."""
        document = Document(io.BytesIO(source))
        document.core_properties  # noqa: B018  (python-docx adds the part on first use)
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()

    def source(self, element: etree._Element) -> str:
        """A part's Jinja source, as docxtpl's build_xml and render_xml_part make it."""
        return self.text_source(self._helper.xml_to_string(element))

    def text_source(self, xml: str) -> str:
        """The Jinja source of a part docxtpl fills from its raw text (the footnotes)."""
        return re.sub(r"<w:p([ >])", r"\n<w:p\1", self._helper.patch_xml(xml))

    def post_process(self, xml: str, drawings: list[str]) -> str:
        """docxtpl's render_xml_part, after Jinja. Its resolve_listing (tabs, line and page
        breaks in values) only changes paragraphs whose text holds such a character, so it runs
        on those paragraphs alone: the same result, without a regex pass over every paragraph."""
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # A listing character can only be in the text if it is anywhere outside the pictures'
        # (indented) XML: a quick scan first, so documents without one skip the search for it
        # in each run of text.
        outside = xml
        for drawing in drawings:
            outside = outside.replace(drawing, "")
        if not any(character in outside for character in "\t\n\a\f") or not _LISTING_TEXT.search(xml):
            return xml
        return _PARAGRAPH.sub(lambda m: self._helper.resolve_listing(m.group(0))
                              if _LISTING_TEXT.search(m.group(0)) else m.group(0), xml)

    def body(self, xml: str) -> tuple[etree._Element, int]:
        """The filled body as docxtpl puts it in the document (table grids fixed, picture ids
        renumbered), and its number of sections (as python-docx's Document.sections counts)."""
        tree = etree.fromstring(xml, parser=etree.XMLParser(recover=True))  # as fix_tables parses
        if self._grids_may_change(tree):
            tree = self._helper.fix_tables(xml)
        self._helper.__dict__["docx_ids_index"] = 1000
        self._helper.fix_docpr_ids(tree)
        sections = cast(list[etree._Element], tree.xpath("./w:p/w:pPr/w:sectPr | ./w:sectPr", namespaces={"w": _W}))
        return tree, len(sections)

    _SPANS = etree.XPath("//w:gridSpan", namespaces={"w": _W})
    _TBL, _GRID, _COLUMN, _TR, _TC, _SPAN, _VAL = (
        f"{{{_W}}}{tag}" for tag in ("tbl", "tblGrid", "gridCol", "tr", "tc", "gridSpan", "val"))

    @classmethod
    def _grids_may_change(cls, tree: etree._Element) -> bool:
        """Whether docxtpl's fix_tables would change (or fail on) a table of `tree`. It adds
        grid columns when a row (of the table or of one inside it) has more cells than the grid,
        and removes them when no row fills the grid (cells counted with their gridSpan), as after
        a comment tag, a column loop or a row loop over an empty list; otherwise it only parses,
        which is done already. Its Python walks every cell; this looks at a row's cells only
        when the row has more children than the grid has columns."""
        spans: dict[etree._Element, int] = {}
        for span in cast(list[etree._Element], cls._SPANS(tree)):
            value, properties = span.get(cls._VAL), span.getparent()
            cell = properties.getparent() if properties is not None else None
            if not (value and value.isascii() and value.isdigit()) or properties is None or cell is None \
                    or len(properties.findall(cls._SPAN)) > 1:
                return True  # fix_tables reads it with int(): let it say what is wrong
            spans[cell] = int(value)
        for table in tree.iter(cls._TBL):
            grids = table.findall(cls._GRID)
            if len(grids) != 1:
                return True
            columns = len(grids[0].findall(cls._COLUMN))
            full = False
            for row in table.iter(cls._TR):
                if len(row) > columns and len(row.findall(cls._TC)) > columns:
                    return True
                if not full:
                    cells = row.findall(cls._TC)
                    full = len(cells) + sum(spans.get(cell, 1) - 1 for cell in cells) >= columns
            if not full:
                return True
        return False

    @classmethod
    def image_number(cls, partname: str) -> int | None:
        """The number python-docx reads in a media part's name ('image3.png': 3)."""
        match = cls._NUMBERED.match(posixpath.splitext(posixpath.basename(partname))[0])
        return int(match.group(1)) if match and match.group(1) else None

    @staticmethod
    def next_number(used: list[int | None]) -> int:
        """python-docx's next image number: the first one free, gaps filled."""
        return next((n for n in range(1, len(used) + 1) if n not in used), len(used) + 1)

    @staticmethod
    def next_rid(used: Collection[str | None]) -> str:
        """python-docx's next relationship id: the first one free, gaps filled."""
        return next(f"rId{n}" for n in range(1, len(used) + 2) if f"rId{n}" not in used)

    @staticmethod
    def picture(data: bytes) -> DocxImage:
        return DocxImage.from_blob(data)

    @staticmethod
    def inline(picture: DocxImage, shape_id: int, rid: str, width_mm: float) -> str:
        """The drawing python-docx's new_pic_inline makes for a picture of the body."""
        cx, cy = picture.scaled_dimensions(Mm(width_mm), None)
        return CT_Inline.new_pic_inline(shape_id, rid, picture.filename, cx, cy).xml


class _Pictures:
    """The pictures of one document, placed where a field in the body shows an Image, as docxtpl
    and python-docx place them: one media part per distinct picture (a template's own when it is
    the same picture), one relationship to it, numbered after what the template has."""

    def __init__(self, prepared: PreparedTemplate) -> None:
        self._prepared = prepared
        self._parts = dict(prepared._image_parts)  # SHA-1 -> media part
        self._numbers = list(prepared._image_numbers)
        self._rids = set(prepared._rids)
        self._related = dict(prepared._image_rels)  # media part -> rId of the body's relationship
        self.media: list[tuple[str, bytes]] = []  # new media parts
        self.rels: list[tuple[str, str]] = []  # new relationships of the body: (rId, media part)
        self.types: dict[str, str] = {}  # extension -> content type of the new media
        self.drawings: list[str] = []  # the XML each picture put in the text

    def place(self, image: Image) -> Markup:
        picture = _Library.picture(image.png)
        part = self._parts.get(picture.sha1)
        if part is None:
            number = _Library.next_number(self._numbers)
            part = f"word/media/image{number}.{picture.ext}"
            self._numbers.append(number)
            self._parts[picture.sha1] = part
            self.media.append((part, image.png))
            self.types.setdefault(picture.ext, picture.content_type)
        rid = self._related.get(part)
        if rid is None:
            rid = self._related[part] = _Library.next_rid(self._rids)
            self._rids.add(rid)
            self.rels.append((rid, part))
        drawing = _described(_Library.inline(picture, self._prepared._shape_id, rid, image.width_mm),
                             image.description)
        self.drawings.append(drawing)
        return Markup(f"</w:t></w:r><w:r><w:drawing>{drawing}</w:drawing></w:r><w:r><w:t xml:space=\"preserve\">")


@dataclass
class _Footnotes:
    """A footnotes part. docxtpl fills it once per section of the filled document, each time
    from the last result; without fields every pass gives the same for every document."""

    name: str
    original: bytes
    template: Template | None  # None: no fields
    fixed: dict[int, Member]  # passes -> the part, for a part without fields


class PreparedTemplate:
    """One Word template prepared once per process: docxtpl's XML pre-processing done and each
    part it fills (body, headers, footers, footnotes) compiled into a sandboxed Jinja template;
    every other part kept compressed, as python-docx writes it, and copied into every document.

    Filling applies docxtpl's own post-processing to the same Jinja output (see `_Library`), so a
    document matches plain docxtpl's part for part: tests/test_fastrender.py holds our templates
    side by side with it, tests/test_render_fence.py templates saved by Word with each feature
    below. Where the prepared path does not reproduce docxtpl exactly, plain docxtpl fills the
    document instead (same sandbox, limits and time limit; slower), and `rendered_by` says so:
    for the template, when its document properties hold fields; for one document, when it puts a
    picture outside the body or fills footnotes in a document of several sections.
    """

    def __init__(self, path: Path) -> None:
        _check_exists(path)
        self.name = path.name
        # Why plain docxtpl fills every document of this template (None: the prepared path does).
        self.unsupported: str | None = None
        # Who filled the last document: "prepared", or "docxtpl (<why>)".
        self.rendered_by = ""
        with _template_errors(self.name, TIME_LIMIT_SECONDS):
            self._source = path.read_bytes()
            self._prepare(_Library.normalised(self._source))

    def _prepare(self, package: bytes) -> None:
        library = self._library = _Library(self._source)
        env = self._env = _Sandbox()
        with zipfile.ZipFile(io.BytesIO(package)) as archive:
            entries = [(info.filename, archive.read(info)) for info in archive.infolist()]
        contents = dict(entries)
        rels = self._rels = etree.fromstring(contents[_RELS])
        self._content_types = etree.fromstring(contents[_TYPES])
        if self._fields_in_properties(contents.get(_CORE)):
            self.unsupported = "fields in the document properties"
            return
        # What docxtpl fills, in its order: the body, the headers, then the footers (each in the
        # order of the body's relationships, when not empty), then the footnotes.
        targets = {kind: [_target("word", r.get("Target")) for r in rels
                          if r.get("Type") == kind and r.get("TargetMode") != "External"]
                   for kind in (_Library.HEADER, _Library.FOOTER)}
        filled = [_BODY] + [name for name in targets[_Library.HEADER] + targets[_Library.FOOTER] if contents[name]]
        footnotes = [_target("", o.get("PartName")) for o in self._content_types
                     if o.get("ContentType") == _Library.FOOTNOTES and _target("", o.get("PartName")) in contents]
        self._order = [name for name, _ in entries]
        self._kept = {name: member(name, data) for name, data in entries
                      if name not in filled and name not in footnotes and name not in (_CORE, _TYPES, _RELS)}

        self._document = contents[_BODY]
        root = etree.fromstring(self._document)
        body = root.find(f"{{{_W}}}body")
        if body is None:
            raise KeyError(f"{_BODY} zonder body")  # not a Word document
        # python-docx names a new picture after the document's highest id, before filling.
        ids = [int(v) for v in cast(list[str], root.xpath("//@id")) if str(v).isdigit()]
        self._shape_id = max(ids, default=0) + 1
        self._parts: list[tuple[str, Template]] = [(_BODY, env.from_string(library.source(body)))]
        self._parts += [(name, env.from_string(library.source(etree.fromstring(contents[name]))))
                        for name in filled[1:]]
        self._footnotes: list[_Footnotes] = []
        for name in footnotes:
            source = library.text_source(contents[name].decode("utf-8"))
            self._footnotes.append(_Footnotes(name, contents[name],
                                              env.from_string(source) if _JINJA.search(source) else None, {}))

        # The document serialised with a marker for its body, split there: what goes around it.
        marker = etree.Element("body-marker")
        root.replace(body, marker)
        before, _, after = _serialise(root).partition(b"<body-marker/>")
        self._around = (before, after)
        self._root_nsmap = dict(root.nsmap)
        # Every prefix the body can hold (its own, the root's, and a picture's): kept even where
        # unused, so the clean-up removes repeated declarations only, never a needed one.
        self._prefixes = sorted({p for el in body.iter() for p in el.nsmap if p} | {p for p in root.nsmap if p}
                                | {"a", "pic", "wp", "r"})
        # Splicing is exact when the root declares every namespace the body uses (as Word writes
        # documents); otherwise the body goes into a parsed copy of the document, the general way.
        self._splice = not set(body.nsmap.items()) - set(root.nsmap.items())
        self._prepare_pictures(contents)

    def _prepare_pictures(self, contents: dict[str, bytes]) -> None:
        """What python-docx names and numbers new pictures after: the media parts pictures
        point to (from any part, in the order it finds them), the body's relationships and the
        media it already relates to."""
        media: dict[str, str] = {}
        for name, data in contents.items():
            if name.endswith(".rels"):
                base = posixpath.dirname(posixpath.dirname(name))
                for rel in etree.fromstring(data):
                    if rel.get("Type") == _Library.IMAGE and rel.get("TargetMode") != "External":
                        part = _target(base, rel.get("Target"))
                        media.setdefault(part, hashlib.sha1(contents.get(part, b"")).hexdigest())
        self._image_parts = {sha1: part for part, sha1 in reversed(media.items())}  # the first of equals
        self._image_numbers = [_Library.image_number(part) for part in media]
        self._rids = {r.get("Id") for r in self._rels}
        self._image_rels = {_target("word", r.get("Target")): r.get("Id") for r in self._rels
                            if r.get("Type") == _Library.IMAGE and r.get("TargetMode") != "External"}

    @staticmethod
    def _fields_in_properties(core: bytes | None) -> bool:
        """Whether docxtpl would fill a field in the document properties (title, subject...)."""
        if core is None:
            return False
        root = etree.fromstring(core)
        return any(el.text and _JINJA.search(el.text) for el in root
                   if etree.QName(el).localname in _Library.PROPERTIES)

    def render(self, context: Mapping[str, Any], properties: Properties,
               time_limit: float = TIME_LIMIT_SECONDS) -> bytes:
        """The filled document as bytes; raises TemplateError naming the template on any problem."""
        with _template_errors(self.name, time_limit):
            reason = self.unsupported
            if reason is None:
                try:
                    document = self._render(context, properties)
                except _NotExact as err:
                    reason = str(err)
                else:
                    self.rendered_by = "prepared"
                    return document
            self.rendered_by = f"docxtpl ({reason})"
            return _plain(io.BytesIO(self._source), context, properties)

    def _render(self, context: Mapping[str, Any], properties: Properties) -> bytes:
        pictures = _Pictures(self)
        env = self._env
        env.begin()
        parts: dict[str, bytes] = {}
        sections = 0
        try:
            for name, template in self._parts:
                env.picture = pictures.place if name == _BODY else _picture_outside_the_body
                xml = self._library.post_process(template.render(context), pictures.drawings)
                if name == _BODY:
                    parts[name], sections = self._document_with(xml)
                else:
                    parts[name] = _serialise(etree.fromstring(xml.encode("utf-8")))
            env.picture = _picture_outside_the_body
            filled = {notes.name: self._footnote(notes, context, sections) for notes in self._footnotes}
        finally:
            env.picture = None
        parts[_CORE] = _core_xml(properties)
        parts[_RELS] = self._relationships(pictures)
        parts[_TYPES] = self._types(pictures)
        filled.update((name, member(name, data, _FILLED_LEVEL)) for name, data in parts.items())
        return write_members([self._kept[name] if name in self._kept else filled[name] for name in self._order]
                             + [member(name, data) for name, data in pictures.media])

    def _footnote(self, footnotes: _Footnotes, context: Mapping[str, Any], sections: int) -> Member:
        """The footnotes part as docxtpl fills it: once per section, each pass from the last."""
        if sections == 0:
            return member(footnotes.name, footnotes.original)
        if footnotes.template is None:
            if sections not in footnotes.fixed:
                text = footnotes.original.decode("utf-8")
                for _ in range(sections):
                    text = self._library.post_process(self._env.from_string(self._library.text_source(text)).render(),
                                                      [])
                footnotes.fixed[sections] = member(footnotes.name, text.encode("utf-8"), _FILLED_LEVEL)
            return footnotes.fixed[sections]
        if sections > 1:
            raise _NotExact("fields in the footnotes of a document with several sections")
        text = self._library.post_process(footnotes.template.render(context), [])
        return member(footnotes.name, text.encode("utf-8"), _FILLED_LEVEL)

    def _document_with(self, body_xml: str) -> tuple[bytes, int]:
        """The template's document element with the filled body, as docxtpl's map_tree does,
        and the number of sections the filled document has. The parts around the body never
        change, so they are serialised once (`_around`)."""
        tree, sections = self._library.body(body_xml)
        if not self._splice:
            root = etree.fromstring(self._document)
            old = root.find(f"{{{_W}}}body")
            assert old is not None  # _prepare found it
            root.replace(old, tree)
            return _serialise(root), sections
        before, after = self._around
        # Inside the document, declarations that repeat the root's are dropped (as lxml does when
        # python-docx puts the body in place); do the same on the body alone.
        # (lxml-stubs leave out the None key of a default namespace, which lxml takes.)
        etree.cleanup_namespaces(tree, top_nsmap=self._root_nsmap,  # type: ignore[arg-type]
                                 keep_ns_prefixes=self._prefixes)
        body = etree.tostring(tree, encoding="UTF-8")
        # On its own the body declares its namespaces; inside the document (whose root declares
        # them all) python-docx writes a bare <w:body>. Only the declarations go: it has no attributes.
        if not tree.attrib:
            body = b"<w:body>" + body[body.index(b">") + 1:]
        return before + body + after, sections

    def _relationships(self, pictures: _Pictures) -> bytes:
        rels = self._rels
        if pictures.rels:
            rels = copy.deepcopy(rels)
            for rid, part in pictures.rels:
                etree.SubElement(rels, f"{{{_REL}}}Relationship", Id=rid, Type=_Library.IMAGE,
                                 Target=posixpath.relpath(part, "word"))
        return _serialise(rels)

    def _types(self, pictures: _Pictures) -> bytes:
        types = self._content_types
        ns = types.nsmap.get(None, "")
        new = {ext: kind for ext, kind in pictures.types.items()
               if not any(d.tag == f"{{{ns}}}Default" and d.get("Extension") == ext for d in types)}
        if new:
            types = copy.deepcopy(types)
            for ext, kind in new.items():
                default = etree.Element(f"{{{ns}}}Default", Extension=ext, ContentType=kind)
                # In extension order among the defaults, as python-docx writes them.
                before = [d for d in types if d.tag == f"{{{ns}}}Default" and d.get("Extension", "") < ext]
                (before[-1].addnext(default) if before else types.insert(0, default))
        return _serialise(types)


def _target(base: str, target: str | None) -> str:
    """The part a relationship points to, as a name in the zip ('/word/x.xml' or 'x.xml' from word/)."""
    if target is None:
        raise KeyError("a relationship without a target")  # not a Word document
    return posixpath.normpath(target.lstrip("/") if target.startswith("/") else posixpath.join(base, target))


def _core_xml(properties: Properties) -> bytes:
    stamp = f"{properties.day.isoformat()}T00:00:00Z"
    text = (
        '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{escape(properties.title)}</dc:title><dc:subject>{escape(properties.subject)}</dc:subject>"
        f"<dc:creator>{escape(properties.author)}</dc:creator><dc:language>nl-NL</dc:language>"
        f"<cp:lastModifiedBy>{escape(properties.author)}</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        f'<cp:lastPrinted>{stamp}</cp:lastPrinted>'
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified></cp:coreProperties>')
    return b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + text.encode("utf-8")


class Renderer:
    """Prepares each template on first use and keeps it for the rest of the process."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._prepared: dict[str, PreparedTemplate] = {}

    def render(self, template: str, context: Mapping[str, Any], properties: Properties) -> bytes:
        prepared = self._prepared.get(template)
        if prepared is None:
            prepared = self._prepared[template] = PreparedTemplate(self.folder / template)
        return prepared.render(context, properties)
