"""The presentation layer: how each part of a Document looks, decided once for every writer.

It sits between the format-neutral :mod:`briefgen.document` and the writers. From a
:class:`~briefgen.document.nodes.Document` and a :class:`~briefgen.presentation.theme.Theme` it
resolves what the PDF, DOCX and HTML writers would otherwise each re-derive (and did,
differently): paragraph and heading styles, table geometry and fills, callout and label
looks, heat-map geometry, font families per language and script, the page format. A
writer only translates these values into its own vocabulary.

Rule: this package imports the document model and the theme, never the brief models,
composition, loading or any writer; the writers import it.
"""

from __future__ import annotations

from briefgen.presentation.document import Presentation, present
from briefgen.presentation.fonts import FontStack, east_asian_family, family_for_language
from briefgen.presentation.looks import (
    LINK_SCHEMES,
    LabelLook,
    callout_fill,
    heading_level,
    is_link,
    label_look,
    tone_fill,
)
from briefgen.presentation.page import PageGeometry, PresentationError, check_page_format
from briefgen.presentation.styles import STYLES, ResolvedStyle, StyleSpec, resolve_style
from briefgen.presentation.tables import HeatMapGeometry, TableGeometry, table_geometry

__all__ = [
    "LINK_SCHEMES",
    "STYLES",
    "FontStack",
    "HeatMapGeometry",
    "LabelLook",
    "PageGeometry",
    "Presentation",
    "PresentationError",
    "ResolvedStyle",
    "StyleSpec",
    "TableGeometry",
    "callout_fill",
    "check_page_format",
    "east_asian_family",
    "family_for_language",
    "heading_level",
    "is_link",
    "label_look",
    "present",
    "resolve_style",
    "table_geometry",
    "tone_fill",
]
