"""Render stage: fill one Word template (docxtpl) with one document context, safely.

Templates are data maintained by administrators: they run in a sandboxed Jinja environment
(no reaching Python internals), a missing variable is an error (StrictUndefined), and every
value is escaped (autoescape), so a cell's text is always text, never template or XML.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Mapping

from docx.opc.exceptions import PackageNotFoundError
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError as JinjaTemplateError, TemplateSyntaxError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml.etree import XMLSyntaxError

from .archive import normalise_zip
from .documents import Image
from .errors import TemplateError


def sandbox() -> SandboxedEnvironment:
    return SandboxedEnvironment(undefined=StrictUndefined, autoescape=True)


@dataclass(frozen=True)
class Properties:
    """Document properties, fixed so that the same input gives the same bytes."""

    title: str
    subject: str
    day: date
    author: str = "Poortwachter-pipeline"


def render_docx(template: Path, context: Mapping[str, Any], properties: Properties) -> bytes:
    """The filled document as bytes; raises TemplateError naming the template on any problem."""
    name = template.name
    if not template.is_file():
        raise TemplateError(name, f"het sjabloon ontbreekt of is geen Word-document (.docx); verwacht in {template.parent}")
    try:
        document = DocxTemplate(template)
        # Pictures need the template object; docxtpl places them on its full (slower) path.
        values = {key: InlineImage(document, io.BytesIO(value.png), width=Mm(value.width_mm))
                  if isinstance(value, Image) else value for key, value in context.items()}
        document.render(values, jinja_env=sandbox(), autoescape=True)
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
