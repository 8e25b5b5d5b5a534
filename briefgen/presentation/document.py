"""The presentation of one document: what every writer needs, computed once and checked."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.document.nodes import Document, PageDecor, dangling_note_refs
from briefgen.presentation.looks import LabelLook, label_look
from briefgen.presentation.page import (
    PageGeometry,
    PresentationError,
    check_page_format,
    page_format_pieces,
)
from briefgen.presentation.styles import STYLES, ResolvedStyle, resolve_style
from briefgen.presentation.theme import Theme


@dataclass(frozen=True, slots=True)
class Presentation:
    """A document's looks under a theme: the page, its decoration and every style.

    Made by :func:`present`, which also refuses what no writer can show faithfully, so
    each writer starts from a checked document and only translates these values.
    """

    page: PageGeometry
    decor: PageDecor
    """What every page shows (banner, label, running title), as the document says."""
    page_format: str
    """The checked "Page X of Y" pattern (only ``{page}`` and ``{pages}`` fields)."""
    page_format_pieces: tuple[str, ...]
    """The pattern as literal text and ``{page}``/``{pages}`` pieces, for live fields."""
    label: LabelLook
    styles: dict[str, ResolvedStyle]
    """Every style of :data:`~briefgen.presentation.styles.STYLES`, resolved."""


def present(document: Document, theme: Theme) -> Presentation:
    """Resolve ``document``'s looks under ``theme``; raise :class:`PresentationError` for a
    page format with other fields than ``{page}``/``{pages}``, or a citation of a note the
    document does not have (the one check behind every writer's)."""
    dangling = dangling_note_refs(document.blocks)
    if dangling:
        first = dangling[0]
        raise PresentationError(
            f"note reference [{first.number}] points at unknown anchor {first.target!r}"
        )
    page_format = check_page_format(document.decor.page_format)
    return Presentation(
        page=PageGeometry.of(theme),
        decor=document.decor,
        page_format=page_format,
        page_format_pieces=tuple(page_format_pieces(page_format)),
        label=label_look(theme, document.decor.label_tone),
        styles={name: resolve_style(theme, name) for name in STYLES},
    )
