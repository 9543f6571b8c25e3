"""Documents stage: one module per generated document (its context and what it needs), the
renderer that fills the Word templates, the charts, and `lint-templates`.

`DOCUMENTS` lists every document of a case in the order of the re-integration dossier.
"""

from __future__ import annotations

from .common import Context, DocumentKind, Image, common_context
from .eindevaluatie import EINDEVALUATIE, earning_capacity, eindevaluatie_missing
from .plan_van_aanpak import PLAN_VAN_AANPAK
from .sollicitatieoverzicht import SOLLICITATIEOVERZICHT, sollicitatieoverzicht_context
from .trajectplan import TRAJECTPLAN
from .wia_bundel import wia_bundel_context

# Every document of a case, in the order of the re-integration dossier.
DOCUMENTS: tuple[DocumentKind, ...] = (PLAN_VAN_AANPAK, TRAJECTPLAN, SOLLICITATIEOVERZICHT, EINDEVALUATIE)

__all__ = ["DOCUMENTS", "Context", "DocumentKind", "Image", "common_context", "earning_capacity",
           "eindevaluatie_missing", "sollicitatieoverzicht_context", "wia_bundel_context"]
