"""Documents stage: one module per generated document (its context and what it needs), the
renderer that fills the Word templates, the charts, and `lint-templates`.

`DOCUMENTS` lists every document of a case in the order of the re-integration dossier; a kind
may make several files (a bijstelling, a voortgangsrapportage per date). The WIA bundle's index
and the internal controlelijst are made after them, from the bundle and the checks.
"""

from __future__ import annotations

from datetime import date

from .. import model as m
from .bijstelling import BIJSTELLING
from .common import Context, DocumentFile, DocumentKind, Image, common_context
from .controlelijst import CONTROLELIJST, controlelijst_context
from .eerstejaarsevaluatie import EERSTEJAARSEVALUATIE
from .eindevaluatie import EINDEVALUATIE, earning_capacity, eindevaluatie_missing
from .plan_van_aanpak import PLAN_VAN_AANPAK
from .sollicitatieoverzicht import SOLLICITATIEOVERZICHT, sollicitatieoverzicht_context
from .trajectplan import TRAJECTPLAN
from .voortgangsrapportage import VOORTGANGSRAPPORTAGE
from .wia_bundel import wia_bundel_context

# Every document of a case, in the order of the re-integration dossier.
DOCUMENTS: tuple[DocumentKind, ...] = (PLAN_VAN_AANPAK, BIJSTELLING, EERSTEJAARSEVALUATIE, TRAJECTPLAN,
                                       VOORTGANGSRAPPORTAGE, SOLLICITATIEOVERZICHT, EINDEVALUATIE)

# Every template the batch fills: the documents', the index's and the controlelijst's.
TEMPLATES: tuple[str, ...] = (*(kind.template for kind in DOCUMENTS), "wia-bundel.docx", CONTROLELIJST)


def document_files(case: m.Case, peildatum: date) -> tuple[DocumentFile, ...]:
    """Every file the documents make for `case`, in dossier order."""
    return tuple(f for kind in DOCUMENTS for f in kind.files(case, peildatum))


__all__ = ["CONTROLELIJST", "DOCUMENTS", "TEMPLATES", "Context", "DocumentFile", "DocumentKind", "Image",
           "common_context", "controlelijst_context", "document_files", "earning_capacity", "eindevaluatie_missing",
           "sollicitatieoverzicht_context", "wia_bundel_context"]
