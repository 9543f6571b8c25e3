"""Render stage: fill one Word template (docxtpl) with one document context, safely.

Templates are data maintained by administrators: they run in a sandboxed Jinja environment
(no reaching Python internals), a missing variable is an error (StrictUndefined), and every
value is escaped (autoescape), so a cell's text is always text, never template or XML.
"""

from __future__ import annotations

import io
import signal
import threading
import zipfile
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterator, Mapping

from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError as JinjaTemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml.etree import XMLSyntaxError

from .archive import normalise_zip
from .documents import Image
from .errors import TemplateError


# A template that runs longer than this per document is stopped (2,000 applications take ~2 s).
TIME_LIMIT_SECONDS = 60.0
# Largest string or list a template may build with '*', and largest exponent of '**'.
MAX_PRODUCT_SIZE = 100_000
MAX_EXPONENT = 100


class _Sandbox(SandboxedEnvironment):
    """Jinja's sandbox (no Python internals), also refusing '*' and '**' that would build huge
    values: template text is edited by administrators and must not exhaust the machine."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context, operator, left, right):  # type: ignore[no-untyped-def]
        if operator == "**" and isinstance(right, (int, float)) and abs(right) > MAX_EXPONENT:
            raise SecurityError(f"machtsverheffen met exponent {right} is niet toegestaan")
        if operator == "*":
            for sized, count in ((left, right), (right, left)):
                if isinstance(sized, (str, list, tuple)) and isinstance(count, int) \
                        and len(sized) * count > MAX_PRODUCT_SIZE:
                    raise SecurityError(f"een tekst of lijst van {len(sized) * count} elementen is te groot")
        return super().call_binop(context, operator, left, right)


def sandbox() -> SandboxedEnvironment:
    return _Sandbox(undefined=StrictUndefined, autoescape=True)


class _TooLong(Exception):
    """Raised by the alarm inside a render that exceeds its time limit."""


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Stop the block after `seconds` (POSIX main thread; elsewhere the limit does not apply)."""
    if not hasattr(signal, "SIGALRM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Properties:
    """Document properties, fixed so that the same input gives the same bytes."""

    title: str
    subject: str
    day: date
    author: str = "Poortwachter-pipeline"


def render_docx(template: Path, context: Mapping[str, Any], properties: Properties,
                time_limit: float = TIME_LIMIT_SECONDS) -> bytes:
    """The filled document as bytes; raises TemplateError naming the template on any problem."""
    name = template.name
    if not template.is_file():
        raise TemplateError(name, f"het sjabloon ontbreekt of is geen Word-document (.docx); verwacht in {template.parent}")
    try:
        document = DocxTemplate(template)
        # Pictures need the template object; docxtpl places them on its full (slower) path.
        values = {key: InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
                  if isinstance(value, Image) else value for key, value in context.items()}
        with _time_limit(time_limit):
            document.render(values, jinja_env=sandbox(), autoescape=True)
    except _TooLong as err:
        raise TemplateError(name, f"het invullen duurde langer dan {time_limit:g} seconden en is gestopt; "
                                  "controleer de lussen in het sjabloon") from err
    except SecurityError as err:
        raise TemplateError(name, f"het sjabloon probeert iets wat niet is toegestaan ({err})") from err
    except UndefinedError as err:
        raise TemplateError(name, f"het sjabloon gebruikt een veld dat dit document niet kent ({err.message})") from err
    except TemplateSyntaxError as err:
        raise TemplateError(name, f"fout in een sjabloon-opdracht: {err.message}") from err
    except JinjaTemplateError as err:
        raise TemplateError(name, f"het sjabloon kan niet worden ingevuld ({err})") from err
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, OSError) as err:
        raise TemplateError(name, "het sjabloon ontbreekt of is geen Word-document (.docx)") from err
    except XMLSyntaxError as err:
        raise TemplateError(name, f"het ingevulde sjabloon is geen geldige Word-opmaak ({err})") from err

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
