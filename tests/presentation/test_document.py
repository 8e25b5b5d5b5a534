"""What no writer can present is refused once, before any writer starts, in every format."""

from __future__ import annotations

import pytest

from briefgen.document.nodes import (
    Document,
    DocumentInfo,
    Note,
    NoteRef,
    Notes,
    PageDecor,
    Paragraph,
    Text,
)
from briefgen.presentation import PresentationError, present
from briefgen.presentation.page import page_format_pieces
from briefgen.presentation.theme import Theme
from briefgen.writers import registry

FORMATS = registry.names()


def _document(*blocks: Paragraph | Notes, decor: PageDecor | None = None) -> Document:
    return Document(DocumentInfo(title="T"), decor or PageDecor(), tuple(blocks))


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_citation_of_a_missing_note_is_refused_by_every_writer(theme: Theme, fmt: str) -> None:
    document = _document(
        Paragraph((Text("Claim"), NoteRef(1, "note-9"))),
        Notes((Note(1, "note-1", (Text("Source."),)),)),
    )
    with pytest.raises(PresentationError, match="note-9"):
        registry.render(fmt, document, theme)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize(
    "page_format", ["{page.__class__}", "{0}", "Page {page", "{page:{pages.real}}", "{page:q}"]
)
def test_page_format_may_only_name_page_and_pages(theme: Theme, fmt: str, page_format: str) -> None:
    document = _document(decor=PageDecor(page_format=page_format))
    with pytest.raises(PresentationError, match="page format"):
        registry.render(fmt, document, theme)


def test_page_format_pieces_unescape_braces() -> None:
    """Every writer shows "{{" as "{": the DOCX used to print the doubled braces."""
    assert page_format_pieces("{{p}} {page}/{pages}") == ["{p} ", "{page}", "/", "{pages}"]


def test_presentation_resolves_label_and_page(theme: Theme) -> None:
    looks = present(_document(decor=PageDecor(label="TLP:AMBER", label_tone="tlp-amber")), theme)
    assert (looks.label.text, looks.label.background) == ("#FFC000", "#000000")
    assert looks.page.text_width_mm == pytest.approx(166)
    assert looks.styles["h1"].space_before == pytest.approx(14 * 1.1)
