"""Document markup: the small XML vocabulary templates emit, parsed into a Document.

Templates produce text; this module is the one place that turns it into the
typed document model, so templates stay declarative and writers stay typed.
The vocabulary::

    <document title= author= subject= keywords="a; b" language= created=ISO max-pages=N>
      <decor banner= label= label-tone= footer-left= page-format=/>
      <p style="title|subtitle|lead|body|small|quote">inline</p>
      <h level="1" id="anchor">inline</h>
      <ul><li>inline</li></ul>   <ol>...</ol>
      <table><caption>inline</caption><col weight="2" align="left"/>
             <thead><td>inline</td></thead>
             <tr><td tone="high" bold="true">inline | <p>inline</p>...</td></tr></table>
      <dl><item label="Prepared for">inline</item></dl>
      <callout title= tone=><p>inline</p><ul><li>inline</li></ul>...</callout>
      <notes><note id="source-id">inline</note></notes>
      <heatmap x-title= y-title= row-labels="5|4|3" column-labels="1|2|3" alt="in words">
        <row><cell tone="high">R1|R2</cell>...</row><caption>inline</caption></heatmap>
    inline: text, <b>, <i>, <a href=>, <span lang=>, <cite ref="note-id"/>

Notes are numbered in order of first citation (uncited notes follow), and
every ``<cite>`` becomes a :class:`NoteRef` to its note. Whitespace inside
inline content is collapsed as in HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import cast
from xml.etree.ElementTree import Element

from briefgen.document.nodes import (
    Align,
    Block,
    BulletList,
    Callout,
    Cell,
    Column,
    Content,
    DefinitionList,
    Document,
    DocumentInfo,
    Heading,
    HeatCell,
    HeatMap,
    Inline,
    Note,
    NoteRef,
    Notes,
    PageDecor,
    Paragraph,
    ParagraphStyle,
    Table,
    Text,
    Tone,
    dangling_note_refs,
)
from briefgen.errors import BriefgenError

_EPOCH = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
_PARAGRAPH_STYLES = ("body", "lead", "small", "quote", "title", "subtitle")
_TONES = ("neutral", "accent", "low", "moderate", "high", "critical", "muted")
_ALIGNS = ("left", "center", "right")


class MarkupError(BriefgenError):
    """The template produced markup that is not a valid document (a template bug)."""


@dataclass(slots=True)
class _Citations:
    """Note numbers assigned in order of first citation."""

    numbers: dict[str, int] = field(default_factory=dict)

    def number(self, note_id: str) -> int:
        if note_id not in self.numbers:
            self.numbers[note_id] = len(self.numbers) + 1
        return self.numbers[note_id]


def parse_document(markup: str) -> Document:
    """Parse template output into a Document; raise MarkupError on any violation."""
    from defusedxml.ElementTree import fromstring as safe_fromstring

    try:
        root = safe_fromstring(markup, forbid_dtd=True)
    except Exception as error:  # defusedxml and expat raise several unrelated types
        raise MarkupError(f"template produced invalid document markup: {error}") from None
    if root.tag != "document":
        raise MarkupError(f"document markup must start with <document>, not <{root.tag}>")
    citations = _Citations()
    _number_citations(root, citations)
    blocks = tuple(_blocks(root, citations))
    _check_unique_anchors(blocks)
    _check_cited_notes_exist(blocks)
    return Document(info=_info(root), decor=_decor(root), blocks=blocks, max_pages=_max_pages(root))


def _number_citations(root: Element, citations: _Citations) -> None:
    """Walk cites in document order (outside <notes>) so numbering follows reading order."""
    for element in root.iter():
        if element.tag == "cite":
            citations.number(_required(element, "ref"))


def _info(root: Element) -> DocumentInfo:
    created = root.get("created")
    keywords = tuple(word.strip() for word in root.get("keywords", "").split(";") if word.strip())
    return DocumentInfo(
        title=_required(root, "title"),
        author=root.get("author", ""),
        subject=root.get("subject", ""),
        keywords=keywords,
        language=root.get("language", "en"),
        created=dt.datetime.fromisoformat(created) if created else _EPOCH,
    )


def _max_pages(root: Element) -> int | None:
    value = root.get("max-pages")
    if value is None:
        return None
    if not value.isdigit() or int(value) < 1:
        raise MarkupError(f"<document max-pages> must be a whole number of pages, not {value!r}")
    return int(value)


def _safe_href(href: str | None) -> str | None:
    """Keep web and mail links only. A template writes markup itself, so it could write
    ``<a href="javascript:...">`` or ``file:``; such a link is dropped, its text kept."""
    if not href:
        return None
    from briefgen.document.inline import is_safe_link

    return href if is_safe_link(href) else None


def _decor(root: Element) -> PageDecor:
    element = root.find("decor")
    if element is None:
        return PageDecor()
    defaults = PageDecor()
    return PageDecor(
        banner=element.get("banner", ""),
        label=element.get("label", ""),
        label_tone=element.get("label-tone", ""),
        footer_left=element.get("footer-left", ""),
        page_format=element.get("page-format", defaults.page_format),
    )


def _blocks(root: Element, citations: _Citations) -> Iterator[Block]:
    for element in root:
        if element.tag == "decor":
            continue
        parser = _BLOCK_PARSERS.get(element.tag)
        if parser is None:
            raise MarkupError(f"unknown block <{element.tag}> in document markup")
        yield parser(element, citations)


def _paragraph(element: Element, citations: _Citations) -> Paragraph:
    style = _choice(element, "style", _PARAGRAPH_STYLES, "body")
    return Paragraph(content=_content(element, citations), style=cast(ParagraphStyle, style))


def _heading(element: Element, citations: _Citations) -> Heading:
    level = int(_required(element, "level"))
    if level not in (1, 2, 3):
        raise MarkupError(f"heading level must be 1, 2 or 3, not {level}")
    return Heading(
        level=level, content=_content(element, citations), anchor=_required(element, "id")
    )


def _list(element: Element, citations: _Citations) -> BulletList:
    items = tuple(_content(item, citations) for item in _children(element, "li"))
    return BulletList(items=items, ordered=element.tag == "ol")


def _table(element: Element, citations: _Citations) -> Table:
    columns = tuple(
        Column(
            weight=float(col.get("weight", "1")),
            align=cast(Align, _choice(col, "align", _ALIGNS, "left")),
        )
        for col in _children(element, "col")
    )
    header_element = element.find("thead")
    header = () if header_element is None else _cells(header_element, citations)
    rows = tuple(_cells(row, citations) for row in _children(element, "tr"))
    for row in (header, *rows):
        if row and len(row) != len(columns):
            raise MarkupError(f"table row has {len(row)} cells for {len(columns)} columns")
    caption = element.find("caption")
    return Table(
        columns=columns,
        header=header,
        rows=rows,
        caption=() if caption is None else _content(caption, citations),
    )


def _cells(row: Element, citations: _Citations) -> tuple[Cell, ...]:
    return tuple(_cell(cell, citations) for cell in _children(row, "td"))


def _cell(element: Element, citations: _Citations) -> Cell:
    paragraphs = [child for child in element if child.tag == "p"]
    if paragraphs:
        contents = tuple(_content(child, citations) for child in paragraphs)
    else:
        contents = (_content(element, citations),)
    tone = element.get("tone")
    if tone is not None and tone not in _TONES:
        raise MarkupError(f"unknown tone {tone!r}")
    return Cell(
        paragraphs=tuple(content for content in contents if content),
        tone=cast(Tone | None, tone),
        bold=element.get("bold") == "true",
    )


def _definitions(element: Element, citations: _Citations) -> DefinitionList:
    items = tuple(
        (_required(item, "label"), _content(item, citations)) for item in _children(element, "item")
    )
    return DefinitionList(items=tuple(item for item in items if item[1]))


def _callout(element: Element, citations: _Citations) -> Callout:
    _children(element, "p")  # checks that nothing but paragraphs and lists is inside
    body = tuple(
        _paragraph(child, citations) if child.tag == "p" else _list(child, citations)
        for child in element
    )
    tone = _choice(element, "tone", _TONES, "accent")
    return Callout(title=element.get("title", ""), body=body, tone=cast(Tone, tone))


def _notes(element: Element, citations: _Citations) -> Notes:
    entries = {
        _required(note, "id"): _content(note, citations) for note in _children(element, "note")
    }
    for note_id in entries:
        citations.number(note_id)
    ordered = sorted(entries, key=lambda note_id: citations.numbers[note_id])
    return Notes(
        items=tuple(
            Note(
                number=citations.numbers[note_id],
                anchor=note_anchor(note_id),
                content=entries[note_id],
            )
            for note_id in ordered
        )
    )


def _heatmap(element: Element, citations: _Citations) -> HeatMap:
    rows = tuple(
        tuple(_heat_cell(cell) for cell in _children(row, "cell"))
        for row in _children(element, "row")
    )
    caption = element.find("caption")
    return HeatMap(
        rows=rows,
        row_labels=_split_labels(element.get("row-labels", "")),
        column_labels=_split_labels(element.get("column-labels", "")),
        x_title=element.get("x-title", ""),
        y_title=element.get("y-title", ""),
        caption=() if caption is None else _content(caption, citations),
        alt=" ".join(element.get("alt", "").split()),
    )


def _heat_cell(element: Element) -> HeatCell:
    tone = _choice(element, "tone", _TONES, "neutral")
    return HeatCell(tone=cast(Tone, tone), labels=_split_labels(element.text or ""))


def _split_labels(text: str) -> tuple[str, ...]:
    return tuple(label.strip() for label in text.split("|") if label.strip())


_BLOCK_PARSERS: dict[str, Callable[[Element, _Citations], Block]] = {
    "p": _paragraph,
    "h": _heading,
    "ul": _list,
    "ol": _list,
    "table": _table,
    "dl": _definitions,
    "callout": _callout,
    "notes": _notes,
    "heatmap": _heatmap,
}


def note_anchor(note_id: str) -> str:
    """The anchor of the note for ``note_id``; shared by notes and their citations."""
    return f"note-{note_id}"


# --- inline content -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    bold: bool = False
    italic: bool = False
    href: str | None = None
    lang: str | None = None


def _content(element: Element, citations: _Citations) -> Content:
    """Inline items of ``element`` with whitespace collapsed and trimmed at the edges."""
    items = list(_inline(element, _Style(), citations))
    return _trim(_merge(_collapse(items)))


def _inline(element: Element, style: _Style, citations: _Citations) -> Iterator[Inline]:
    if element.text:
        yield Text(element.text, style.bold, style.italic, style.href, style.lang)
    for child in element:
        yield from _inline_child(child, style, citations)
        if child.tail:
            yield Text(child.tail, style.bold, style.italic, style.href, style.lang)


def _inline_child(child: Element, style: _Style, citations: _Citations) -> Iterator[Inline]:
    if child.tag == "cite":
        note_id = _required(child, "ref")
        yield NoteRef(number=citations.number(note_id), target=note_anchor(note_id))
        return
    if child.tag == "p":
        raise MarkupError("a <p> cannot sit inside inline content")
    nested = _nested_style(child, style)
    yield from _inline(child, nested, citations)


def _nested_style(child: Element, style: _Style) -> _Style:
    if child.tag == "b":
        return _Style(True, style.italic, style.href, style.lang)
    if child.tag == "i":
        return _Style(style.bold, True, style.href, style.lang)
    if child.tag == "a":
        return _Style(style.bold, style.italic, _safe_href(child.get("href")), style.lang)
    if child.tag == "span":
        return _Style(style.bold, style.italic, style.href, child.get("lang") or style.lang)
    raise MarkupError(f"unknown inline element <{child.tag}>")


def _collapse(items: list[Inline]) -> list[Inline]:
    collapsed: list[Inline] = []
    for item in items:
        if isinstance(item, Text):
            item = Text(
                re.sub(r"\s+", " ", item.text), item.bold, item.italic, item.href, item.lang
            )
        collapsed.append(item)
    return collapsed


def _merge(items: list[Inline]) -> list[Inline]:
    """Join neighbouring runs with identical formatting and drop doubled spaces between runs."""
    merged: list[Inline] = []
    for item in items:
        previous = merged[-1] if merged else None
        if isinstance(item, Text) and isinstance(previous, Text):
            if previous.text.endswith(" ") and item.text.startswith(" "):
                item = Text(item.text[1:], item.bold, item.italic, item.href, item.lang)
            if _same_format(previous, item):
                merged[-1] = Text(
                    previous.text + item.text, item.bold, item.italic, item.href, item.lang
                )
                continue
        if isinstance(item, Text) and not item.text:
            continue
        merged.append(item)
    return merged


def _same_format(a: Text, b: Text) -> bool:
    return (a.bold, a.italic, a.href, a.lang) == (b.bold, b.italic, b.href, b.lang)


def _trim(items: list[Inline]) -> Content:
    if items and isinstance(items[0], Text):
        first = items[0]
        items[0] = Text(first.text.lstrip(), first.bold, first.italic, first.href, first.lang)
    if items and isinstance(items[-1], Text):
        last = items[-1]
        items[-1] = Text(last.text.rstrip(), last.bold, last.italic, last.href, last.lang)
    return tuple(item for item in items if not (isinstance(item, Text) and not item.text))


# --- checks and helpers -----------------------------------------------------------------------


_ALLOWED_CHILDREN = {
    "ul": {"li"},
    "ol": {"li"},
    "table": {"col", "thead", "tr", "caption"},
    "thead": {"td"},
    "tr": {"td"},
    "dl": {"item"},
    "callout": {"p", "ul", "ol"},
    "notes": {"note"},
    "heatmap": {"row", "caption"},
    "row": {"cell"},
}


def _children(element: Element, tag: str) -> list[Element]:
    """Children named ``tag``, after checking the container holds nothing unexpected."""
    allowed = _ALLOWED_CHILDREN.get(element.tag, {tag})
    unexpected = [child.tag for child in element if child.tag not in allowed]
    if unexpected:
        raise MarkupError(f"<{element.tag}> cannot contain <{unexpected[0]}>")
    return [child for child in element if child.tag == tag]


def _required(element: Element, name: str) -> str:
    value = element.get(name)
    if not value:
        raise MarkupError(f"<{element.tag}> needs a {name}= attribute")
    return value


def _choice(element: Element, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = element.get(name, default)
    if value not in allowed:
        raise MarkupError(f"<{element.tag} {name}={value!r}> is not one of {', '.join(allowed)}")
    return value


def _check_unique_anchors(blocks: tuple[Block, ...]) -> None:
    anchors = [block.anchor for block in blocks if isinstance(block, Heading)]
    duplicates = sorted({anchor for anchor in anchors if anchors.count(anchor) > 1})
    if duplicates:
        raise MarkupError(f"heading ids must be unique: {', '.join(duplicates)}")


def _check_cited_notes_exist(blocks: tuple[Block, ...]) -> None:
    missing = dict.fromkeys(ref.target.removeprefix("note-") for ref in dangling_note_refs(blocks))
    if missing:
        raise MarkupError(f"citations point at notes that do not exist: {', '.join(missing)}")
