"""Page format: paper, margins, the text block, and the "Page X of Y" pattern."""

from __future__ import annotations

import string
from dataclasses import dataclass

from briefgen.errors import BriefgenError
from briefgen.presentation.theme import PAGE_SIZES_MM, Theme


class PresentationError(BriefgenError):
    """A document that no writer can present faithfully (a bad page format, a citation of
    a note the document lacks); raised before any writer starts."""


@dataclass(frozen=True, slots=True)
class PageGeometry:
    """The page in millimetres: paper size, margins and the text block between them."""

    size: str
    """The theme's paper name, ``A4`` or ``Letter``."""
    width_mm: float
    height_mm: float
    top_mm: float
    bottom_mm: float
    left_mm: float
    right_mm: float

    @classmethod
    def of(cls, theme: Theme) -> PageGeometry:
        """The theme's page."""
        page = theme.page
        width, height = PAGE_SIZES_MM[page.size]
        return cls(
            page.size,
            width,
            height,
            page.margin_top_mm,
            page.margin_bottom_mm,
            page.margin_left_mm,
            page.margin_right_mm,
        )

    @property
    def text_width_mm(self) -> float:
        """Width of the text block, the width tables and callouts span."""
        return self.width_mm - self.left_mm - self.right_mm


def check_page_format(page_format: str) -> str:
    """Return ``page_format`` when it names only plain ``{page}`` and ``{pages}`` fields.

    A template writes the pattern; a field such as ``{page.__class__}`` would reach
    attributes when formatted, so every writer relies on this one check.
    """
    try:
        fields = list(string.Formatter().parse(page_format))
    except ValueError as error:
        raise PresentationError(f"page format {page_format!r}: {error}") from error
    for _, name, spec, _ in fields:
        if name is not None and (name not in {"page", "pages"} or "{" in (spec or "")):
            raise PresentationError(
                f"page format {page_format!r} may only use {{page}} and {{pages}}, not {{{name}}}"
            )
    try:
        page_format.format(page=1, pages=1)
    except (ValueError, TypeError) as error:
        raise PresentationError(f"page format {page_format!r}: {error}") from error
    return page_format


def page_format_pieces(page_format: str) -> list[str]:
    """The checked pattern split into literal text and the fields ``page`` and ``pages``
    (a field is returned as its name in braces), for writers whose page numbers are
    live fields or counters rather than formatted text."""
    pieces: list[str] = []
    literal_run = ""
    for literal, name, _, _ in string.Formatter().parse(check_page_format(page_format)):
        literal_run += literal
        if name is not None:
            pieces += [literal_run, "{" + name + "}"] if literal_run else ["{" + name + "}"]
            literal_run = ""
    return [*pieces, literal_run] if literal_run else pieces
