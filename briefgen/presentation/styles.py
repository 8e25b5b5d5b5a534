"""The one table of typography: every paragraph style any writer uses, from the theme.

Each style is a :class:`StyleSpec` (which theme size, colour and font role it takes,
spacing as multiples of its size) and resolves against a theme to a
:class:`ResolvedStyle` in points. The PDF writer builds its ReportLab styles from it,
and the HTML writer its CSS, so an h1 gets the same space before it everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from briefgen.document.nodes import Align
from briefgen.presentation.looks import heading_level
from briefgen.presentation.theme import Theme

Role = Literal["body", "heading", "table"]
"""Which theme font family a style uses before any fallback (``fonts.body`` ...)."""


@dataclass(frozen=True, slots=True)
class StyleSpec:
    """How a style derives from the theme; spacing and indents are in multiples of its size."""

    role: Role
    size: str
    """Name of a :class:`~briefgen.presentation.theme.Sizes` field."""
    colour: str
    """Name of a :class:`~briefgen.presentation.theme.Colors` field."""
    scale: float = 1.0
    before: float = 0.0
    after: float = 0.0
    indent: float = 0.0
    """Left and right indent (a quotation's inset)."""
    bold: bool = False
    italic: bool = False
    keep: bool = False
    """Keep with the next paragraph: never left alone at the bottom of a page."""
    align: Align = "left"
    lead: float | None = None
    """Line height as a multiple of the size; None uses the theme's ``leading``."""
    hyphenate: bool = False
    """Whether lines may break inside words with a hyphen: running text and table cells
    do (narrow columns need it), headings, labels, captions and page decoration never
    (which words and where: :mod:`briefgen.writers.hyphenation`)."""
    hanging: float = 0.0
    """Hanging indent of the first line's label (list and note numbers), in sizes."""


STYLES: dict[str, StyleSpec] = {
    "body": StyleSpec("body", "body", "text", after=0.6, hyphenate=True),
    "lead": StyleSpec("body", "body", "text", scale=1.15, after=0.7, hyphenate=True),
    "small": StyleSpec("body", "small", "muted", after=0.6, hyphenate=True),
    "quote": StyleSpec("body", "body", "text", after=0.7, indent=1.6, italic=True, hyphenate=True),
    "title": StyleSpec("heading", "title", "accent", after=0.3, bold=True, lead=1.2),
    "subtitle": StyleSpec("heading", "subtitle", "muted", after=1.0),
    "h1": StyleSpec("heading", "h1", "accent", before=1.1, after=0.45, bold=True, keep=True),
    "h2": StyleSpec("heading", "h2", "accent", before=1.0, after=0.35, bold=True, keep=True),
    "h3": StyleSpec("heading", "h3", "text", before=0.9, after=0.3, bold=True, keep=True),
    "caption": StyleSpec("table", "small", "muted", before=0.4, after=0.5, bold=True, keep=True),
    "item": StyleSpec("body", "body", "text", after=0.25, hyphenate=True),
    "note": StyleSpec("body", "small", "text", after=0.3, hyphenate=True),
    "label": StyleSpec("heading", "body", "muted", scale=0.9, bold=True),
    "value": StyleSpec("body", "body", "text", hyphenate=True),
    "callout-title": StyleSpec("heading", "body", "accent", after=0.3, bold=True),
    "cell": StyleSpec("table", "table", "text", lead=1.25, hyphenate=True),
    "header-cell": StyleSpec("table", "table", "table_header_text", bold=True, lead=1.25),
    "heat-cell": StyleSpec("table", "small", "text", bold=True, align="center"),
    "heat-axis": StyleSpec("table", "small", "muted", align="center"),
    "heat-row": StyleSpec("table", "small", "muted", align="right"),
    "heat-title": StyleSpec("table", "small", "text", bold=True, align="center"),
    "decor": StyleSpec("heading", "small", "muted", lead=1.2),
    "banner": StyleSpec("heading", "table", "banner_text", bold=True, lead=1.2),
}
"""Paragraph styles by name; the model's paragraph styles keep their names, headings are
``h1``-``h3``, and the rest are the parts of tables, lists, notes, callouts and pages."""


@dataclass(frozen=True, slots=True)
class ResolvedStyle:
    """A style in points and colours, ready for a writer to translate."""

    name: str
    role: Role
    family: str
    """The theme family of ``role`` (fallbacks per script come from :mod:`.fonts`)."""
    size: float
    leading: float
    """Line height in points."""
    colour: str
    """``#RRGGBB``."""
    bold: bool
    italic: bool
    space_before: float
    space_after: float
    indent: float
    align: Align
    keep_with_next: bool
    hyphenate: bool
    hanging: float


def resolve_style(theme: Theme, name: str, spec: StyleSpec | None = None) -> ResolvedStyle:
    """Resolve the style ``name`` of :data:`STYLES` (or ``spec``) against ``theme``."""
    spec = spec or STYLES[name]
    size = float(getattr(theme.sizes, spec.size)) * spec.scale
    family = {"body": theme.fonts.body, "heading": theme.fonts.heading, "table": theme.fonts.table}
    return ResolvedStyle(
        name=name,
        role=spec.role,
        family=family[spec.role],
        size=size,
        leading=size * (spec.lead or theme.sizes.leading),
        colour=str(getattr(theme.colors, spec.colour)),
        bold=spec.bold,
        italic=spec.italic,
        space_before=size * spec.before,
        space_after=size * spec.after,
        indent=size * spec.indent,
        align=spec.align,
        keep_with_next=spec.keep,
        hyphenate=spec.hyphenate,
        hanging=size * spec.hanging,
    )


def heading_style(level: int) -> str:
    """The style name of a heading level, clamped to the three levels a theme sizes."""
    return f"h{heading_level(level)}"
