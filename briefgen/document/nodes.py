"""The format-neutral document model that sits between composing and writing.

Templates decide *what* a brief says and in which order; the result is a
:class:`Document` made of the blocks below.  Writers (PDF, DOCX, ...) read only
this model and a theme: they never see brief models, so a new output format is
one more writer and a new layout is one more template.

Every class is a frozen slots dataclass so that documents can be compared in
reference tests and shared safely between threads in watch mode.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, assert_never

Tone = Literal["neutral", "accent", "low", "moderate", "high", "critical", "muted"]
"""Semantic colour of a cell, callout or label; the theme maps it to colours."""

ParagraphStyle = Literal["body", "lead", "small", "quote", "title", "subtitle"]
"""Named paragraph styles; the theme decides fonts, sizes and spacing for each."""

Align = Literal["left", "center", "right"]


@dataclass(frozen=True, slots=True)
class Text:
    """A run of plain text with uniform formatting.

    ``text`` is always plain text: writers must escape it for their own markup.
    """

    text: str
    """The characters of the run, never markup."""
    bold: bool = False
    italic: bool = False
    href: str | None = None
    """External link target (http, https or mailto), or None for no link."""
    lang: str | None = None
    """BCP-47 language tag when known (e.g. ``ko``), used to pick fonts; None means unknown."""


@dataclass(frozen=True, slots=True)
class NoteRef:
    """A citation marker that points at a numbered note in a :class:`Notes` block."""

    number: int
    """The note's number as printed (1-based)."""
    target: str
    """Anchor id of the note, used for internal links."""


Inline = Text | NoteRef
Content = tuple[Inline, ...]
"""A sequence of inline items forming one paragraph's worth of text."""


def follows_note_ref(content: Content, index: int) -> bool:
    """True when item ``index`` comes right after another NoteRef.

    Writers print a comma before such a marker so that notes 1 and 2 read
    "1,2" and never "12".
    """
    return (
        index > 0
        and isinstance(content[index], NoteRef)
        and isinstance(content[index - 1], NoteRef)
    )


def plain_text(content: Content) -> str:
    """Return the visible characters of ``content`` (note markers as their numbers)."""
    return "".join(item.text if isinstance(item, Text) else f"[{item.number}]" for item in content)


@dataclass(frozen=True, slots=True)
class Heading:
    """A section heading; every heading becomes a bookmark/outline entry."""

    level: int
    """1 for sections, 2 for subsections, 3 below that."""
    content: Content
    anchor: str
    """Unique id used for bookmarks and internal links."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """A paragraph of inline content in one of the named styles."""

    content: Content
    style: ParagraphStyle = "body"


@dataclass(frozen=True, slots=True)
class BulletList:
    """A list of single-paragraph items, bulleted or numbered."""

    items: tuple[Content, ...]
    ordered: bool = False


@dataclass(frozen=True, slots=True)
class Column:
    """Layout of one table column."""

    weight: float = 1.0
    """Relative width; widths are ``weight / sum(weights)`` of the text width."""
    align: Align = "left"


@dataclass(frozen=True, slots=True)
class Cell:
    """One table cell: one or more paragraphs, optionally tinted by a tone."""

    paragraphs: tuple[Content, ...]
    tone: Tone | None = None
    """None leaves the cell untinted."""
    bold: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table whose header row repeats on every page it spans."""

    columns: tuple[Column, ...]
    header: tuple[Cell, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: Content = ()
    """Optional caption shown above the table; empty means none."""


@dataclass(frozen=True, slots=True)
class DefinitionList:
    """Label/value pairs, such as the title block's "Prepared for"."""

    items: tuple[tuple[str, Content], ...]


@dataclass(frozen=True, slots=True)
class Callout:
    """A boxed group of paragraphs and lists drawing attention (the bottom line, talking
    points); a list stays a list so a reader's editor can keep numbering it."""

    title: str
    body: tuple[Paragraph | BulletList, ...]
    tone: Tone = "accent"


@dataclass(frozen=True, slots=True)
class Note:
    """One numbered note (e.g. a source citation in Chicago style)."""

    number: int
    anchor: str
    content: Content


@dataclass(frozen=True, slots=True)
class Notes:
    """The numbered notes that :class:`NoteRef` markers link to."""

    items: tuple[Note, ...]


@dataclass(frozen=True, slots=True)
class HeatCell:
    """One square of a heat map: its tone and the labels of what sits in it."""

    tone: Tone
    labels: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class HeatMap:
    """A grid of tinted cells with axis labels, e.g. likelihood x impact.

    ``rows[0]`` is drawn at the top. ``row_labels`` and ``column_labels`` name
    each row and column; ``x_title`` and ``y_title`` name the axes.
    """

    rows: tuple[tuple[HeatCell, ...], ...]
    row_labels: tuple[str, ...]
    column_labels: tuple[str, ...]
    x_title: str
    y_title: str
    caption: Content = ()
    alt: str = ""
    """What the picture shows, in words, for readers who cannot see it; empty lets writers
    describe the grid square by square."""


Block = Heading | Paragraph | BulletList | Table | DefinitionList | Callout | Notes | HeatMap


def heat_map_description(block: HeatMap) -> str:
    """Alternative text for a heat map: the template's own description, else what each
    non-empty square holds, by row and column. Every writer's text alternative (the PDF's
    Figure /Alt, the DOCX table's description) comes from here."""
    if block.alt:
        return block.alt
    squares = []
    for row, row_label in zip(block.rows, block.row_labels, strict=False):
        for cell, column_label in zip(row, block.column_labels, strict=False):
            if cell.labels:
                where = f"{block.y_title} {row_label}, {block.x_title} {column_label}"
                squares.append(f"{where}: {', '.join(cell.labels)}.")
    grid = f"Heat map of {block.y_title} by {block.x_title}."
    return " ".join([grid, *squares]) if squares else f"{grid} No entries."


def inline_contents(block: Block) -> Iterator[Content]:
    """Every run of inline content in ``block``, in reading order (titles and labels that
    are plain strings are not content)."""
    match block:
        case Heading() | Paragraph():
            yield block.content
        case BulletList():
            yield from block.items
        case Table():
            yield block.caption
            for cell in (*block.header, *(cell for row in block.rows for cell in row)):
                yield from cell.paragraphs
        case DefinitionList():
            yield from (value for _, value in block.items)
        case Callout():
            for part in block.body:
                yield from inline_contents(part)
        case Notes():
            yield from (note.content for note in block.items)
        case HeatMap():
            yield block.caption
        case _:
            assert_never(block)


def dangling_note_refs(blocks: tuple[Block, ...]) -> tuple[NoteRef, ...]:
    """The citations whose target is no note of the document, in reading order: the one
    check behind the template parser's error and the writers'."""
    notes = {note.anchor for block in blocks if isinstance(block, Notes) for note in block.items}
    return tuple(
        item
        for block in blocks
        for content in inline_contents(block)
        for item in content
        if isinstance(item, NoteRef) and item.target not in notes
    )


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    """Metadata written to PDF info and DOCX core properties."""

    title: str
    author: str = ""
    subject: str = ""
    keywords: tuple[str, ...] = ()
    language: str = "en"
    created: dt.datetime = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
    """Timestamp stamped into outputs; fixed per input so builds are reproducible."""


@dataclass(frozen=True, slots=True)
class PageDecor:
    """What every page shows around the body text.

    ``banner`` is centred at the top and bottom of every page; ``label`` (e.g.
    a TLP marking) is right-aligned in header and footer with ``label_tone``;
    ``footer_left`` is a short running title. Writers add "Page X of Y".
    """

    banner: str = ""
    label: str = ""
    label_tone: str = ""
    """Free-form key the theme maps to label colours (e.g. ``tlp-amber``); empty for default."""
    footer_left: str = ""
    page_format: str = "Page {page} of {pages}"


@dataclass(frozen=True, slots=True)
class Document:
    """A whole document: metadata, page decoration and the blocks in reading order."""

    info: DocumentInfo
    decor: PageDecor = field(default_factory=PageDecor)
    blocks: tuple[Block, ...] = ()
    max_pages: int | None = None
    """A layout's page limit (the one-page read-ahead, the two-page action memo), counting the
    pages before the source notes; writers that paginate enforce it."""
