"""The PDF writer: renders a :class:`~briefgen.document.nodes.Document` with ReportLab platypus.

The writer knows nothing of briefs.  It maps each document block to flowables,
styled only from the :class:`~briefgen.presentation.theme.Theme`, and draws the page
decoration (banner, TLP label, running title, "Page X of Y") on every page.

Design points that are easy to get wrong with ReportLab:

* Text is plain text.  Every run is escaped and wrapped in ``<font>`` tags built
  here (one per font segment, see :mod:`briefgen.writers.fonts`); user text is
  never parsed as markup, so ``<img src=...>`` in a brief stays text.
* "Page X of Y" needs the total before the first page is drawn.  The common
  canvasmaker recipe defers ``showPage`` and breaks every bookmark and link, and
  laying the document out twice doubles the cost, so each page draws a named
  form XObject (``briefgen-page-N``) where its number goes, and the forms are
  defined once the total is known, just before the file is saved.
* Output is byte-identical for the same document: ReportLab's invariant mode
  fixes ids and timestamps, and the creation date comes from the document.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from itertools import groupby
from operator import itemgetter
from typing import Any, assert_never

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle as RLStyle
from reportlab.lib.units import mm as _rl_mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase.pdfdoc import PDFDictionary
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    ActionFlowable,
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    ListFlowable,
    ListItem,
    PageTemplate,
)
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable
from reportlab.platypus.doctemplate import LayoutError

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
    HeatMap,
    Inline,
    NoteRef,
    Notes,
    Paragraph,
    Table,
    Text,
    heat_map_description,
    note_separator,
    plain_text,
)
from briefgen.presentation import (
    Presentation,
    callout_fill,
    is_link,
    present,
    table_geometry,
    tone_fill,
)
from briefgen.presentation.looks import HeadingLevels
from briefgen.presentation.scripts import COMPLEX
from briefgen.presentation.styles import STYLES, Role, StyleSpec, heading_style, resolve_style
from briefgen.presentation.tables import HEAT_MAP
from briefgen.presentation.theme import Theme
from briefgen.support.xml_text import escape, quoteattr
from briefgen.writers import bidi, page_budget, shaping
from briefgen.writers.fonts import (
    FontBook,
    MissingGlyphsError,
    PdfWriteError,
    Segment,
    font_book,
)
from briefgen.writers.hyphenation import CELL_MIN, PROSE_MIN, soft_hyphens
from briefgen.writers.page_budget import PageLimitError
from briefgen.writers.pdf_lines import ACTUAL_TEXT_CB, actual_text, display_order
from briefgen.writers.pdf_tags import Marker, Node, finish
from briefgen.writers.theme_cache import ThemeCache

__all__ = ["MissingGlyphsError", "PageLimitError", "PdfWriteError", "write_pdf"]

mm: float = float(_rl_mm)

_OUTLINE_CB = "briefgen-outline"
"""Name of the canvas callback that adds a heading's outline entry when it is drawn."""


_CELL_PAD_X = 5.0
_CELL_PAD_Y = 3.5


def write_pdf(document: Document, theme: Theme) -> bytes:
    """Render ``document`` with ``theme`` and return the PDF file's bytes.

    Raises :class:`MissingGlyphsError` when the theme has no font for some
    character, and :class:`PdfWriteError` for an unusable page number format or
    a note reference to an anchor the document does not define.  The same
    document and theme always give the same bytes.
    """
    looks = present(document, theme)
    fonts = font_book(theme)
    decor = _Decor(looks, theme, fonts)
    return _build(document, theme, fonts, decor)


# --- passes -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Pass:
    """What one layout pass collects: outline entries to add and the pages it made."""

    outline: list[tuple[str, str, int]] = field(default_factory=list)
    """(title, anchor, level) for each heading, indexed by the heading's ``onDraw`` label."""
    last_level: int = -1
    pages: int = 0
    body_end: page_budget.Position | None = None
    """Where the source notes begin, once drawn (None when the document has no notes)."""
    sections: list[page_budget.Section] = field(default_factory=list)
    """Where each top-level heading was drawn, for the page budget's report."""
    line: float = 14.0
    """Height of a line of body text, the page budget's unit."""

    def add_outline(self, canv: Any, _kind: str, label: str | None) -> None:
        """Add the heading's outline entry; called by ReportLab as the heading is drawn.

        Levels may not skip (ReportLab refuses 1 -> 3), so a deeper level is
        clamped to one below the previous entry.
        """
        title, anchor, level = self.outline[int(label or 0)]
        if level == 1:
            _, y = canv.absolutePosition(0, 0)
            self.sections.append(
                page_budget.Section(title, page_budget.Position(canv.getPageNumber(), y))
            )
        level = max(0, min(level - 1, self.last_level + 1))
        canv.addOutlineEntry(title, anchor, level)
        self.last_level = level


def _build(document: Document, theme: Theme, fonts: FontBook, decor: _Decor) -> bytes:
    """Lay the document out in one pass, then add its structure tree (see :mod:`.pdf_tags`)."""
    state = _Pass(line=theme.sizes.body * theme.sizes.leading)
    buffer = io.BytesIO()
    # ReportLab ASCII85-encodes page streams in pure Python (its C accelerator is a
    # separate package); the bytes only grow by a quarter, and the finishing pass wraps
    # the odd stream whose binary end would be ambiguous, so plain Flate it is.
    rl_config.useA85 = 0
    doc = _doc_template(buffer, document.info, theme, fonts, _on_page(state, decor))
    root = Node("Document")
    story = _Story(theme, fonts, state, doc.width, document.info.language)
    flowables = story.flowables(document.blocks, root, mark_body_end=document.max_pages is not None)
    marker = Marker(root, story.targets, story.notes)
    try:
        doc.build(flowables, canvasmaker=_canvas_maker(document.info.created, state, decor, marker))
    except LayoutError as error:
        raise PdfWriteError(
            f"cannot lay out the PDF: a block is larger than a page ({_layout_detail(error)}); "
            "shorten the text of that table cell or item"
        ) from None
    _check_page_limit(document.max_pages, state, doc, doc.pageTemplates[0].frames[0])
    return finish(buffer.getvalue(), root, document.info.language)


def _check_page_limit(limit: int | None, state: _Pass, doc: Any, frame: Any) -> None:
    """Enforce the layout's page limit on the body, naming the sections past it."""
    if limit is None:
        return
    end = state.body_end or page_budget.Position(state.pages, frame._y)
    geometry = page_budget.Frame(
        top=doc.bottomMargin + doc.height, bottom=doc.bottomMargin, line=state.line
    )
    page_budget.check_page_limit(limit, state.sections, end, geometry)


def _layout_detail(error: LayoutError) -> str:
    """ReportLab's message without object addresses: which kind of block, on which page."""
    message = str(error)
    kind = re.search(r"<(\w+)", message)
    page = re.search(r"on page (\d+)", message)
    name = kind.group(1).lstrip("_") if kind else "block"
    return f"{name} on page {page.group(1)}" if page else name


def _on_page(state: _Pass, decor: _Decor) -> Callable[[Any, Any], None]:
    def on_page(canv: Any, doc: Any) -> None:
        state.pages = canv.getPageNumber()
        canv.marker.page_begins(canv)
        decor.draw(canv, doc.pagesize, state.pages)
        canv.marker.decoration_done(canv)

    return on_page


def _doc_template(
    buffer: io.BytesIO,
    info: DocumentInfo,
    theme: Theme,
    fonts: FontBook,
    on_page: Callable[[Any, Any], None],
) -> Any:
    page = theme.page
    size = A4 if page.size == "A4" else LETTER
    doc = BaseDocTemplate(
        buffer,
        pagesize=size,
        leftMargin=page.margin_left_mm * mm,
        rightMargin=page.margin_right_mm * mm,
        topMargin=page.margin_top_mm * mm,
        bottomMargin=page.margin_bottom_mm * mm,
        title=info.title,
        author=info.author,
        subject=info.subject,
        keywords=list(info.keywords),
        creator="briefgen",
        lang=info.language or None,
        invariant=1,
        displayDocTitle=1,
        initialFontName=fonts.face("body").name,
        keepTogetherClass=_KeepWithStart,
    )
    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="body", **_NO_PADDING)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame], onPage=on_page)])
    return doc


_NO_PADDING = {"leftPadding": 0, "rightPadding": 0, "topPadding": 0, "bottomPadding": 0}


def _canvas_maker(
    created: dt.datetime, state: _Pass, decor: _Decor, marker: Marker
) -> Callable[..., Any]:
    """Return a canvas factory that stamps the document's date and knows the outline callback.

    Passing ``initialFontName`` (above) matters too: ReportLab otherwise sets
    Helvetica at the start of every page, which puts an unembedded font in the PDF.
    """
    stamp = _pdf_date(created)

    def make(*args: Any, **kwargs: Any) -> Any:
        canv = _Canvas(*args, **kwargs)
        canv.marker = marker
        canv.seed_id(stamp)
        canv.setDateFormatter(lambda *_: stamp)
        canv.setNamedCB(_OUTLINE_CB, state.add_outline)
        canv.setNamedCB(ACTUAL_TEXT_CB, actual_text)
        canv.showOutline()
        canv.before_save = lambda: decor.define_page_numbers(canv, state.pages)
        return canv

    return make


class _Canvas(Canvas):  # type: ignore[misc]
    """A canvas whose file id depends on the document only, and that publishes named destinations.

    ReportLab resolves ``<a name>`` bookmarks to page positions for its own
    links and outline but writes no names, so ``brief.pdf#participants`` would
    not work in a viewer.  The catalog's ``/Dests`` dictionary adds them.
    """

    def seed_id(self, stamp: str) -> None:
        """Seed the file identifier (/ID) from the document's date.

        ReportLab seeds it from ``SOURCE_DATE_EPOCH`` or a fixed date, which
        would make the bytes depend on the environment rather than on the
        document alone.  It is a private attribute, hence this one place.
        """
        self._doc.signature = hashlib.md5(b"briefgen " + stamp.encode(), usedforsecurity=False)

    before_save: Callable[[], None] | None = None
    """Drawn after the last page and before the file is written (the page-number forms)."""

    marker: Marker
    """Tags what is drawn (see :mod:`.pdf_tags`); it also learns of every link annotation."""

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self.marker.page_ends(self)
        super().showPage()

    def linkRect(self, contents: str, destinationname: str, *args: Any, **kwargs: Any) -> Any:  # noqa: N802
        self.marker.expect_link(destinationname, internal=True)
        return super().linkRect(contents, destinationname, *args, **kwargs)

    def linkURL(self, url: str, *args: Any, **kwargs: Any) -> None:  # noqa: N802
        self.marker.expect_link(url, internal=False)
        super().linkURL(url, *args, **kwargs)

    def _addAnnotation(self, annotation: Any, name: Any = None, addtopage: int = 1) -> None:  # noqa: N802
        index = len(self._annotationrefs)
        super()._addAnnotation(annotation, name, addtopage)
        if addtopage:
            self.marker.annotation_added(index)

    def save(self) -> None:
        if self.before_save is not None:
            self.before_save()
        named = {
            _name_key(name): destination
            for name, destination in sorted(self._destinations.items())
            if destination.fmt is not None and destination.page is not None
        }
        if named:
            self._doc.Catalog.Dests = PDFDictionary(named)
        super().save()


def _name_key(name: str) -> str:
    """Return ``name`` as UTF-8 bytes in a str, which ReportLab writes as a valid PDF name."""
    return name.encode("utf-8").decode("latin-1")


def _pdf_date(created: dt.datetime) -> str:
    """Format a timestamp as a PDF date string in UTC (naive times count as UTC)."""
    aware = created if created.tzinfo else created.replace(tzinfo=dt.UTC)
    utc = aware.astimezone(dt.UTC)
    # The year is padded by hand: strftime writes the year 999 as "999", not "0999".
    return f"D:{utc.year:04d}" + utc.strftime("%m%d%H%M%S+00'00'")


class _KeepWithStart(KeepTogether):  # type: ignore[misc]
    """keepWithNext that lets a long follower split instead of moving to the next page.

    ReportLab's own KeepTogether moves a heading *and* the whole following
    table to a new page whenever the pair does not fit, leaving a half-empty
    page before every long table.  Here the group stays put when the heading
    fits together with the first part of what follows.
    """

    def split(self, avail_w: float, avail_h: float) -> list[Any]:
        content = list(self._content)
        if getattr(self, "_wrapInfo", None) != (avail_w, avail_h):
            self.wrap(avail_w, avail_h)
        if len(content) > 1 and avail_h < self._H and self._starts_here(content, avail_w, avail_h):
            return content
        return list(super().split(avail_w, avail_h))

    def _starts_here(self, content: list[Any], avail_w: float, avail_h: float) -> bool:
        *head, last = content
        used = 0.0
        for index, flowable in enumerate(head):
            _, height = flowable.wrapOn(self.canv, avail_w, avail_h)
            used += height + flowable.getSpaceAfter() + (flowable.getSpaceBefore() if index else 0)
        room = avail_h - used - last.getSpaceBefore()
        if room <= 0:
            return False
        parts = last.splitOn(self.canv, avail_w, room)
        return len(parts) > 1 and _fits(parts[0], self.canv, avail_w, room)


def _fits(flowable: Any, canv: Any, avail_w: float, avail_h: float) -> bool:
    """True when ``flowable`` is real content that fits (a nested KeepTogether's split
    starts with a page-break action when it does not fit)."""
    if isinstance(flowable, ActionFlowable):
        return False
    return bool(flowable.wrapOn(canv, avail_w, avail_h)[1] <= avail_h)


# --- styles -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """A ReportLab paragraph style plus the font role and forced weight/slant of its text."""

    para: Any
    role: Role
    bold: bool = False
    italic: bool = False
    hyphenate: bool = False
    """Whether words may break at a syllable (the typography table's ``hyphenate``)."""


def _hex(value: str) -> Any:
    return colors.HexColor(value)


_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}
URI_WASTE = 0.3
"""Break a URL (at a slash or dot) rather than leave this share of a line empty before it."""


_SHAPED_RUN = re.compile(rf'<font name="[^"<>]*{re.escape(shaping.ALIAS_MARK)}\d+">')
"""A run the markup marks for shaping (user text is escaped, so it never matches)."""

_ParsedParagraph = tuple[Any, list[Any], Any]
"""What ReportLab's paragraph parser returns: the style, the fragments, the bullet text."""


class _Styles:
    """Every paragraph style the writer uses, built from the theme on first use.

    It also remembers ReportLab's parse of each paragraph's markup: parsing is
    a quarter of the PDF writer's time, and a rebuild in watch mode sees
    almost every paragraph again unchanged.  One instance lives per theme.
    """

    def __init__(self, theme: Theme, fonts: FontBook) -> None:
        self._theme = theme
        self._fonts = fonts
        self._cache: dict[str, _Style] = {}
        self._parsed: dict[tuple[str, str], _ParsedParagraph] = {}
        self._variants: dict[str, Any] = {}

    def paragraph(
        self, markup: str, style: _Style, *, rtl: bool = False, actual_text: str = ""
    ) -> Any:
        """A ReportLab paragraph of ``markup`` in ``style``, parsed once per process.

        Each paragraph gets its own copies of the fragments, since layout may
        annotate them.  Markup with runs marked for shaping gets a variant of the
        style that shapes them (right-aligned when the paragraph runs right to
        left), and a paragraph that puts each line in display order.
        """
        shaped = _SHAPED_RUN.search(markup) is not None
        para_style = self._shaped(style.para, rtl) if shaped else style.para
        key = (markup, para_style.name)
        parsed = self._parsed.get(key)
        if parsed is None:
            parsed = _parse_paragraph(markup, para_style)
            if len(self._parsed) > 50_000:
                self._parsed.clear()
            self._parsed[key] = parsed
        para_style, frags, bullet = parsed
        para = _Paragraph(
            markup, para_style, bulletText=bullet, frags=[frag.clone() for frag in frags]
        )
        para.bidi_base = (1 if rtl else 0) if shaped else None
        para.actual_text = actual_text
        return para

    def _shaped(self, para: Any, rtl: bool) -> Any:
        """The shaping variant of a ReportLab style (see :mod:`.shaping`)."""
        name = f"{para.name}-shaped{'-rtl' if rtl else ''}"
        variant = self._variants.get(name)
        if variant is None:
            shaping.install()
            alignment = TA_RIGHT if rtl and para.alignment == TA_LEFT else para.alignment
            variant = RLStyle(name, parent=para, shaping=1, alignment=alignment)
            self._variants[name] = variant
        return variant

    def __getitem__(self, name: str) -> _Style:
        """Return a style of the typography table (:data:`~briefgen.presentation.STYLES`) by
        name; paragraph styles use the model's names."""
        return self._style(name, STYLES[name])

    def heading(self, level: int) -> _Style:
        """Return the style of a heading level, clamped to the three levels a theme sizes."""
        return self[heading_style(level)]

    def cell(self, align: Align, header: bool, bold: bool) -> _Style:
        """Return the style of a table cell; header cells use the header text colour."""
        base = STYLES["header-cell" if header else "cell"]
        spec = replace(base, bold=base.bold or bold, align=align)
        return self._style(f"cell-{align}-{header}-{bold}", spec)

    def _style(self, name: str, spec: StyleSpec) -> _Style:
        style = self._cache.get(name)
        if style is None:
            style = self._cache[name] = self._make(name, spec)
        return style

    def _make(self, name: str, spec: StyleSpec) -> _Style:
        """A ReportLab style carrying the resolved style (see :mod:`briefgen.presentation`)."""
        style = resolve_style(self._theme, name, spec)
        para = RLStyle(
            name,
            fontName=self._fonts.face(style.role, style.bold, style.italic).name,
            fontSize=style.size,
            leading=style.leading,
            textColor=_hex(style.colour),
            spaceBefore=style.space_before,
            spaceAfter=style.space_after,
            leftIndent=style.indent,
            rightIndent=style.indent,
            alignment=_ALIGN[style.align],
            keepWithNext=int(style.keep_with_next),
            allowWidows=0,
            allowOrphans=0,
            # A long word breaks at its soft hyphens (see _Markup), at a hyphen it has,
            # or (a URL) at a slash; cutting it at any letter is the last resort.
            embeddedHyphenation=1,
            uriWasteReduce=URI_WASTE,
            splitLongWords=1,
        )
        return _Style(para, style.role, style.bold, style.italic, style.hyphenate)


def _parse_paragraph(markup: str, style: RLStyle) -> _ParsedParagraph:
    """Parse markup the way ``Paragraph`` does when given no fragments."""
    parsed = RLParagraph(markup, style)
    return parsed.style, parsed.frags, parsed.bulletText


class _Paragraph(RLParagraph):  # type: ignore[misc]
    """A paragraph that remembers its line breaking for the width it was last given.

    Platypus wraps most paragraphs several times at the same width (to measure
    table cells, keep-together groups and then the frame), and the result
    depends on the width alone; breaking lines was the writer's largest cost.
    """

    _wrapped: tuple[float, tuple[float, float], Any] | None = None
    """(width, size, line breaks) of the last wrap; stale once ``split`` drops the breaks."""

    tag: Node | None = None
    """The structure element this paragraph's text belongs to; None inherits (figure labels)."""
    label: Node | None = None
    """The ``Lbl`` element of the list item this paragraph starts, for its bullet."""
    _drawn = False

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        """Draw inside the paragraph's marked content.

        A table's header row is drawn again on every page the table continues on;
        those copies are the same paragraph objects and stay artifacts.
        """
        if self.tag is None or self._drawn:
            super().drawOn(canv, x, y, _sW)
            return
        self._drawn = True
        if self.actual_text:
            self.tag.actual_text = self.actual_text
        canv.marker.begin(canv, self.tag)
        super().drawOn(canv, x, y, _sW)
        canv.marker.end(canv)

    bidi_base: int | None = None
    """The paragraph's bidi base level when it holds shaped runs, else None."""
    actual_text = ""
    """The paragraph's text in logical order when it holds right-to-left text (its lines
    are drawn in display order): the ``/ActualText`` of its structure element."""

    def split(self, availWidth: float, availHeight: float) -> list[Any]:  # noqa: N803
        """Both halves of a paragraph split across pages belong to the same element."""
        parts: list[Any] = super().split(availWidth, availHeight)
        for part in parts:
            part.tag = self.tag
            part.bidi_base = self.bidi_base
            part.actual_text = self.actual_text
        return parts

    def breakLines(self, width: Any) -> Any:  # noqa: N802 (ReportLab's name)
        """Break lines in logical order, then put each line in display order (UAX #9 L2)."""
        result = super().breakLines(width)
        if self.bidi_base is not None and getattr(result, "kind", 0) == 1:
            for line in result.lines:
                line.words = display_order(line.words, self.bidi_base)
        return result

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        last = self._wrapped
        if last is not None and last[0] == availWidth and getattr(self, "blPara", None) is last[2]:
            return last[1]
        size: tuple[float, float] = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size, getattr(self, "blPara", None))
        return size


_STYLES: ThemeCache[_Styles] = ThemeCache()


def _styles_for(theme: Theme, fonts: FontBook) -> _Styles:
    """The process's ``_Styles`` for ``theme`` (see :mod:`briefgen.writers.theme_cache`)."""
    return _STYLES.get(theme, lambda: _Styles(theme, fonts))


# --- inline markup ------------------------------------------------------------------------


class _Markup:
    """Turns inline content into ReportLab paragraph markup, escaping every piece of text."""

    def __init__(self, theme: Theme, fonts: FontBook, language: str = "en") -> None:
        self._fonts = fonts
        self._link_colour = theme.colors.accent
        self._language = language
        self._drawn: list[str] = []
        self._levels: Iterator[int] | None = None

    def content(self, content: Content, style: _Style, *, bold: bool = False) -> str:
        """Return markup for ``content``; ``bold`` adds weight on top of the style's own."""
        return self._paragraph(
            lambda: "".join(
                self._note_separator(note_separator(content, index), style)
                + self._item(item, style, bold)
                for index, item in enumerate(content)
            )
        )

    def text(self, text: str, role: Role, *, bold: bool = False, lang: str | None = None) -> str:
        """Return markup for one plain string (labels, titles) in one style."""
        return self._paragraph(
            lambda: self._runs(self._fonts.segments(text, role, bold=bold, lang=lang))
        )

    rtl = False
    """Whether the paragraph last made runs right to left (its first strong letter)."""
    actual_text = ""
    """The last paragraph's text as written when it holds right-to-left text, else ""."""

    def _paragraph(self, make: Callable[[], str]) -> str:
        """Markup of a whole paragraph, with its complex-script runs marked for shaping.

        The first pass notes the text drawn; only when it holds a complex script
        (see :mod:`.shaping`) is the markup made again, each run's font name then
        carrying its bidi level over the whole paragraph (:mod:`.bidi`).
        """
        self._drawn = []
        self._levels = None
        markup = make()
        drawn = "".join(self._drawn)
        self.rtl = False
        self.actual_text = ""
        if not COMPLEX.search(drawn):
            return markup
        if bidi.has_rtl(drawn):
            self.rtl = bidi.base_level(drawn) == 1
            self.actual_text = drawn
        self._levels = iter(bidi.levels(drawn))
        try:
            return make()
        finally:
            self._levels = None

    def _item(self, item: Inline, style: _Style, bold: bool) -> str:
        if isinstance(item, NoteRef):
            return self._note_ref(item.number, item.target, style)
        segments = self._fonts.segments(
            self._hyphenate(item, style),
            style.role,
            bold=style.bold or bold or item.bold,
            italic=style.italic or item.italic,
            lang=item.lang,
        )
        runs = self._runs(segments)
        if item.href and is_link(item.href):
            return self._link(item.href, f"<u>{runs}</u>")
        return runs

    def _hyphenate(self, item: Text, style: _Style) -> str:
        """Mark where the words of a run may break (see :mod:`.hyphenation`) in the styles
        the typography table hyphenates; link text (often a URL) is left whole."""
        if not style.hyphenate or item.href:
            return item.text
        shortest = CELL_MIN if style.role == "table" else PROSE_MIN
        language = item.lang or self._language
        # ReportLab drops the space after a word with soft hyphens when that space ends
        # a run ("deterrence. " before an italic quote): such a last word stays whole.
        text = item.text
        stripped = text.rstrip()
        if not stripped or len(stripped) == len(text):
            return soft_hyphens(text, language, shortest)
        cut = len(stripped) - len(stripped.split()[-1])
        return soft_hyphens(text[:cut], language, shortest) + text[cut:]

    def _note_separator(self, separator: str, style: _Style) -> str:
        """The superscript comma or en dash between adjacent citation markers, in a theme
        font (see :func:`~briefgen.document.nodes.note_separator`)."""
        if not separator:
            return ""
        return (
            f"<super>{self._runs(self._fonts.segments(separator, style.role, lang=None))}</super>"
        )

    def _note_ref(self, number: int, target: str, style: _Style) -> str:
        """Render a citation as a superscript number linking to the note's destination
        (:func:`~briefgen.presentation.present` has checked that the note exists)."""
        runs = self._runs(self._fonts.segments(str(number), style.role, lang=None))
        return f"<super>{self._link('#' + target, runs)}</super>"

    def _link(self, href: str, inner: str) -> str:
        """Wrap ``inner`` in a link whose target is escaped as an attribute value."""
        return f"<a href={quoteattr(href)} color={quoteattr(self._link_colour)}>{inner}</a>"

    def _runs(self, segments: Iterable[Segment]) -> str:
        if self._levels is None:
            segments = list(segments)
            self._drawn.extend(seg.text for seg in segments)
            return "".join(_font_run(seg.font, seg.text) for seg in segments)
        levels = self._levels
        return "".join(
            _font_run(_run_font(seg.font, run, level), run)
            for seg in segments
            for level, run in _by_level(seg.text, levels)
        )


def _font_run(font: str, text: str) -> str:
    return f"<font name={quoteattr(font)}>{escape(text).replace(chr(10), '<br/>')}</font>"


def _by_level(text: str, levels: Iterator[int]) -> list[tuple[int, str]]:
    """``text`` cut where the bidi level changes, taking one level per character."""
    pieces = [(next(levels, 0), char) for char in text]
    return [
        (level, "".join(char for _, char in run)) for level, run in groupby(pieces, itemgetter(0))
    ]


def _run_font(font: str, text: str, level: int) -> str:
    """The font name a run is drawn under: marked for shaping when it is right to left or
    in a complex script (:func:`.shaping.shaped_font`), else the font itself."""
    if level or COMPLEX.search(text):
        return shaping.shaped_font(font, level)
    return font


# --- blocks -------------------------------------------------------------------------------


class _BodyEnd(Flowable):  # type: ignore[misc]
    """An empty flowable where the source notes begin: it records the page the body ends on,
    because a layout's page limit (``max_pages``) counts the pages one reads, and the
    notes that follow are reference."""

    def __init__(self, state: _Pass) -> None:
        super().__init__()
        self._state = state

    def wrap(self, *_: float) -> tuple[float, float]:
        return 0.0, 0.0

    def drawOn(self, canvas: Any, _x: float, y: float, **_: Any) -> None:  # noqa: N802
        """ReportLab's name: the frame hands over the height the body ended at (the first
        notes section ends the body; a later one changes nothing)."""
        if self._state.body_end is None:
            self._state.body_end = page_budget.Position(canvas.getPageNumber(), y)


def _notes_start(blocks: Sequence[Block], index: int) -> bool:
    """True at the notes block, or at the heading right before it."""
    block = blocks[index]
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    if isinstance(block, Heading):
        return isinstance(following, Notes)
    return isinstance(block, Notes) and not (index and isinstance(blocks[index - 1], Heading))


class _Story:
    """Maps document blocks to platypus flowables (one method per block type)."""

    def __init__(
        self, theme: Theme, fonts: FontBook, state: _Pass, width: float, language: str = "en"
    ) -> None:
        self._theme = theme
        self._fonts = fonts
        self._state = state
        self._width = width
        self._styles = _styles_for(theme, fonts)
        self._language = language

    def flowables(
        self, blocks: Sequence[Block], root: Node, *, mark_body_end: bool = False
    ) -> list[Any]:
        """Return the flowables of all blocks in reading order, adding their elements to
        ``root`` in the same order (the structure tree follows the model, not the page),
        with a :class:`_BodyEnd` where the notes start when the page limit needs it."""
        self._markup = _Markup(self._theme, self._fonts, self._language)
        self.targets, self.notes = _targets(blocks)
        self._heading_levels = HeadingLevels()
        story: list[Any] = []
        for index, block in enumerate(blocks):
            if mark_body_end and _notes_start(blocks, index):
                story.append(_BodyEnd(self._state))
            story.extend(self._block(block, root))
        return story

    def _block(self, block: Block, parent: Node) -> list[Any]:
        match block:
            case Heading():
                return [self._heading(block, parent)]
            case Paragraph():
                return [self._paragraph(block, parent)]
            case BulletList():
                return self._list(block, parent)
            case Table():
                return self._table(block, parent)
            case DefinitionList():
                return self._definitions(block, parent)
            case Callout():
                return [self._callout(block, parent)]
            case Notes():
                return self._notes(block, parent)
            case HeatMap():
                return self._heat_map(block, parent)
            case _:
                assert_never(block)

    def _para(
        self,
        content: Content,
        style: _Style,
        tag: Node | None,
        *,
        prefix: str = "",
        bold: bool = False,
    ) -> Any:
        markup = prefix + self._markup.content(content, style, bold=bold)
        para = self._styles.paragraph(
            markup, style, rtl=self._markup.rtl, actual_text=self._markup.actual_text
        )
        para.tag = tag
        if tag is not None:
            tag.lang = _language(content)
        return para

    def _heading(self, block: Heading, parent: Node) -> Any:
        """A heading carries its named destination and, once drawn, its outline entry."""
        index = len(self._state.outline)
        self._state.outline.append((plain_text(block.content), block.anchor, block.level))
        prefix = (
            f'<a name={quoteattr(block.anchor)}/><onDraw name="{_OUTLINE_CB}" label="{index}"/>'
        )
        return self._para(
            block.content,
            self._styles.heading(block.level),
            self._heading_tag(block, parent),
            prefix=prefix,
        )

    def _heading_tag(self, block: Heading, parent: Node) -> Node:
        """H1-H3 for the heading, never more than one level below the previous heading (the
        title counts as H1): PDF/UA readers navigate by levels, and a skipped one reads as a
        missing section.  The outline clamps the same way."""
        return parent.add(f"H{self._heading_levels.next(block.level)}")

    def _paragraph(self, block: Paragraph, parent: Node) -> Any:
        if block.style == "title":
            self._heading_levels.title()  # role-mapped to H1
        tag = parent.add(_PARAGRAPH_ROLES[block.style])
        return self._para(block.content, self._styles[block.style], tag)

    def _list(self, block: BulletList, parent: Node) -> list[Any]:
        if not block.items:
            return []
        style = self._styles["item"]
        tags = parent.add("L", numbering="Decimal" if block.ordered else "Disc")
        items = [ListItem(self._list_item(tags, item, style)) for item in block.items]
        largest = len(block.items) if block.ordered else None
        return [self._list_flowable(items, style, largest=largest)]

    def _list_item(
        self, tags: Node, content: Content, style: _Style, *, role: str = "LBody", prefix: str = ""
    ) -> Any:
        """One item's paragraph, tagged LI > (Lbl for its bullet or number, LBody or a role in
        LBody for its text)."""
        item = tags.add("LI")
        label = item.add("Lbl")
        body = item.add("LBody")
        para = self._para(
            content, style, body if role == "LBody" else body.add(role), prefix=prefix
        )
        para.label = label
        return para

    def _list_flowable(self, items: list[Any], style: _Style, *, largest: int | None) -> Any:
        """Lay out a list; ``largest`` is the highest number of an ordered list, None for bullets.

        Markers are drawn in a theme font that has their glyphs (ReportLab's
        default is Helvetica); numbers are right-aligned so "9." and "10." line up.
        """
        size = style.para.fontSize
        colours = self._theme.colors
        marker = "\u2022" if largest is None else f"{largest}."
        font = self._fonts.face_for(marker[0], style.role).name
        if largest is None:
            kind: dict[str, Any] = {"bulletType": "bullet", "start": marker}
        else:
            kind = {"bulletType": "1", "bulletFormat": "%s.", "bulletAlign": "right"}
        gap = size * 0.5
        indent = max(size * 1.5, float(stringWidth(marker, font, size)) + gap)
        return _TaggedList(
            items,
            bulletFontName=font,
            bulletFontSize=size,
            bulletColor=_hex(colours.accent if largest is None else colours.muted),
            bulletDedent=indent if largest is None else gap,  # numbers end ``gap`` before text
            leftIndent=indent,
            spaceAfter=self._theme.sizes.body * 0.5,
            **kind,
        )

    def _table(self, block: Table, parent: Node) -> list[Any]:
        geometry = table_geometry(block)
        columns = list(geometry.columns)
        if not columns:
            return []
        widths = geometry.widths(self._width)
        tags = parent.add("Table")
        caption = (
            [self._para(block.caption, self._styles["caption"], tags.add("Caption"))]
            if block.caption
            else []
        )
        rows = (
            [self._row(block.header, columns, tags.add("THead"), header=True)]
            if block.header
            else []
        )
        body = tags.add("TBody")
        rows += [self._row(row, columns, body, header=False) for row in block.rows]
        table = RLTable(
            rows,
            colWidths=widths,
            repeatRows=1 if block.header else 0,
            hAlign="LEFT",
            splitInRow=1,
            spaceAfter=self._theme.sizes.body * 0.9,
            style=self._table_style(block),
        )
        return [*caption, table]

    def _row(
        self, cells: Sequence[Cell], columns: Sequence[Column], group: Node, *, header: bool
    ) -> list[Any]:
        padded = [*cells, *[Cell(paragraphs=())] * (len(columns) - len(cells))]
        row = group.add("TR")
        return [
            self._cell(cell, column, row, header)
            for cell, column in zip(padded, columns, strict=False)
        ]

    def _cell(self, cell: Cell, column: Column, row: Node, header: bool) -> list[Any]:
        """A cell's paragraphs; a cell of one paragraph is tagged TH/TD itself."""
        style = self._styles.cell(column.align, header, cell.bold)
        tag = row.add("TH", scope="Column") if header else row.add("TD")
        if len(cell.paragraphs) == 1:
            return [self._para(cell.paragraphs[0], style, tag)]
        return [self._para(paragraph, style, tag.add("P")) for paragraph in cell.paragraphs]

    def _table_style(self, block: Table) -> list[tuple[Any, ...]]:
        """Padding, rules, header fill and stripes first, so cell tones paint over them."""
        c = self._theme.colors
        first = 1 if block.header else 0
        commands: list[tuple[Any, ...]] = [
            *self._cell_base(_CELL_PAD_X, _CELL_PAD_Y),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LINEBELOW", (0, first), (-1, -1), 0.4, _hex(c.rule)),
            ("ROWBACKGROUNDS", (0, first), (-1, -1), [None, _hex(c.table_stripe_bg)]),
        ]
        if block.header:
            commands += [
                ("BACKGROUND", (0, 0), (-1, 0), _hex(c.table_header_bg)),
                ("VALIGN", (0, 0), (-1, 0), "MIDDLE"),
            ]
        for y, row in enumerate(block.rows, start=first):
            for x, cell in enumerate(row):
                fill = tone_fill(self._theme, cell.tone)
                if fill:
                    commands.append(("BACKGROUND", (x, y), (x, y), _hex(fill)))
        return commands

    def _definitions(self, block: DefinitionList, parent: Node) -> list[Any]:
        """Label/value pairs as a borderless two-column table sized to the longest label,
        tagged as a list of label (Lbl) and value (LBody) items."""
        if not block.items:
            return []
        label_style, value_style = self._styles["label"], self._styles["value"]
        tags = parent.add("L", numbering="None")
        rows = []
        for label, value in block.items:
            item = tags.add("LI")
            label_markup = self._markup.text(label, label_style.role, bold=True)
            label_para = self._styles.paragraph(
                label_markup,
                label_style,
                rtl=self._markup.rtl,
                actual_text=self._markup.actual_text,
            )
            label_para.tag = item.add("Lbl")
            rows.append([label_para, self._para(value, value_style, item.add("LBody"))])
        label_w = self._label_width([label for label, _ in block.items], label_style)
        table = RLTable(
            rows,
            colWidths=[label_w, self._width - label_w],
            hAlign="LEFT",
            spaceAfter=self._theme.sizes.body * 0.8,
            style=[
                *self._cell_base(0, 1.5),
                ("LEFTPADDING", (1, 0), (1, -1), _CELL_PAD_X),
                ("TOPPADDING", (0, 0), (0, -1), 1.5 + _baseline_shift(label_style, value_style)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ],
        )
        return [table]

    def _label_width(self, labels: list[str], style: _Style) -> float:
        size = style.para.fontSize
        widest = max(
            self._fonts.width(self._fonts.segments(label, style.role, bold=True, lang=None), size)
            for label in labels
        )
        return min(max(widest + _CELL_PAD_X * 2, 25 * mm), self._width * 0.4)

    def _callout(self, block: Callout, parent: Node) -> Any:
        """A tinted box with an accent bar; the default accent tone uses ``callout_bg``.

        Tagged as a ``Callout`` (a Div) titled by its title, whose first paragraph is that title.
        """
        fill = callout_fill(self._theme, block.tone)
        tags = parent.add("Callout", title=block.title)
        title_markup = self._markup.text(block.title, "heading", bold=True)
        title = self._styles.paragraph(
            title_markup,
            self._styles["callout-title"],
            rtl=self._markup.rtl,
            actual_text=self._markup.actual_text,
        )
        title.tag = tags.add("P")
        body = [
            flowable
            for part in block.body
            for flowable in (
                self._list(part, tags)
                if isinstance(part, BulletList)
                else [self._paragraph(part, tags)]
            )
        ]
        # Kept whole when it fits on a page: split, a short box leaves an empty tinted strip
        # (its padding) at the foot or head of a page; a longer one still splits.
        return KeepTogether([self._callout_box([title, *body], fill)])

    def _callout_box(self, content: list[Any], fill: str) -> Any:
        """The tinted table of a callout, splittable inside its one row."""
        c = self._theme.colors
        return RLTable(
            [[content]],
            colWidths=[self._width],
            hAlign="LEFT",
            splitInRow=1,
            spaceBefore=self._theme.sizes.body * 0.3,
            spaceAfter=self._theme.sizes.body * 1.0,
            style=[
                *self._cell_base(10, 7),
                ("BACKGROUND", (0, 0), (-1, -1), _hex(fill)),
                ("LINEBEFORE", (0, 0), (0, -1), 3, _hex(c.accent)),
            ],
        )

    def _notes(self, block: Notes, parent: Node) -> list[Any]:
        """Numbered notes, each starting with the named destination its NoteRefs link to,
        tagged as a list whose items hold a Note element."""
        if not block.items:
            return []
        style = self._styles["note"]
        tags = parent.add("L", numbering="Decimal")
        items = []
        for note in block.items:
            para = self._list_item(
                tags, note.content, style, role="Note", prefix=f"<a name={quoteattr(note.anchor)}/>"
            )
            assert para.tag is not None
            para.tag.ident = note.anchor
            items.append(ListItem(para, value=note.number))
        largest = max(note.number for note in block.items)
        return [self._list_flowable(items, style, largest=largest)]

    def _heat_map(self, block: HeatMap, parent: Node) -> list[Any]:
        """The grid is one Figure whose alternative text lists what each square holds."""
        if not block.rows or not any(block.rows):
            return []
        figure = parent.add("Figure", alt=heat_map_description(block))
        styles = self._styles
        cells = [
            [
                (
                    _hex(tone_fill(self._theme, cell.tone) or "#FFFFFF"),
                    self._text_para(", ".join(cell.labels), styles["heat-cell"]),
                )
                for cell in row
            ]
            for row in block.rows
        ]
        heat_map = _HeatMapFlowable(
            cells,
            row_labels=[self._text_para(label, styles["heat-row"]) for label in block.row_labels],
            column_labels=[
                self._text_para(label, styles["heat-axis"]) for label in block.column_labels
            ],
            x_title=self._text_para(block.x_title, styles["heat-title"]),
            y_title=self._text_para(block.y_title, styles["heat-title"]),
        )
        heat_map.tag = figure
        caption = (
            [self._para(block.caption, styles["caption"], figure.add("Caption"))]
            if block.caption
            else []
        )
        return [KeepTogether([heat_map, *caption])]

    def _cell_base(self, x: float, y: float) -> list[tuple[Any, ...]]:
        return _cell_commands(self._fonts.face("table").name, x, y)

    def _text_para(self, text: str, style: _Style) -> Any:
        markup = self._markup.text(text, style.role, bold=style.bold)
        return self._styles.paragraph(
            markup, style, rtl=self._markup.rtl, actual_text=self._markup.actual_text
        )


def _cell_commands(font: str, x: float, y: float) -> list[tuple[Any, ...]]:
    """Padding and the cell font: ReportLab's default cell font is (unembedded) Helvetica."""
    every = ((0, 0), (-1, -1))
    return [
        ("FONTNAME", *every, font),
        ("LEFTPADDING", *every, x),
        ("RIGHTPADDING", *every, x),
        ("TOPPADDING", *every, y),
        ("BOTTOMPADDING", *every, y + 0.5),
    ]


def _baseline_shift(smaller: _Style, larger: _Style) -> float:
    """Return how far to lower a smaller-type cell so its first baseline meets its neighbour's."""
    return max(0.0, float(larger.para.fontSize - smaller.para.fontSize))


_PARAGRAPH_ROLES: dict[str, str] = {
    "body": "P",
    "lead": "P",
    "small": "P",
    "quote": "BlockQuote",
    "title": "Title",
    "subtitle": "Subtitle",
}
"""Structure type of each paragraph style (Title and Subtitle are role-mapped, see pdf_tags)."""


def _targets(blocks: Sequence[Block]) -> tuple[dict[str, str], frozenset[str]]:
    """What each internal link target is, for its annotation's description, and which
    targets are notes (their links are citations: a Reference in the structure)."""
    targets: dict[str, str] = {}
    notes: set[str] = set()
    for block in blocks:
        if isinstance(block, Heading):
            targets[block.anchor] = f"Section: {plain_text(block.content)}"
        elif isinstance(block, Notes):
            for note in block.items:
                targets[note.anchor] = f"Note {note.number}"
                notes.add(note.anchor)
    return targets, frozenset(notes)


def _language(content: Content) -> str:
    """The language of ``content`` when every run with letters says the same one, else "".

    A structure element can declare a language only for all of its text; a change of
    language inside a paragraph would need marked content per run, which ReportLab's
    paragraph drawing has no place for.
    """
    langs = {item.lang for item in content if isinstance(item, Text) and item.text.strip()}
    if len(langs) == 1:
        (lang,) = langs
        return lang or ""
    return ""


# --- heat map -----------------------------------------------------------------------------


class _HeatMapFlowable(Flowable):  # type: ignore[misc]
    """A grid of tinted cells with axis labels.

    A custom flowable rather than a table because the y-axis title is drawn
    rotated and the cells should stay square-ish whatever their labels.
    Labels are ordinary paragraphs, so they get the same font fallback as text.
    """

    _GAP = HEAT_MAP.gap_pt
    _PAD = HEAT_MAP.pad_pt
    _MAX_CELL = HEAT_MAP.max_cell_mm * mm
    _RATIO = HEAT_MAP.ratio
    """Minimum cell height as a fraction of its width."""
    _MAX_LABEL = HEAT_MAP.max_label
    """Widest row-label column as a fraction of the frame; longer labels wrap."""

    def __init__(
        self,
        cells: list[list[tuple[Any, Any]]],
        *,
        row_labels: list[Any],
        column_labels: list[Any],
        x_title: Any,
        y_title: Any,
    ) -> None:
        super().__init__()
        self.hAlign = "LEFT"  # aligned with tables and captions on the text's left edge
        self._cells = cells
        self._cols = max(len(row) for row in cells)
        self._row_labels = row_labels
        self._column_labels = column_labels
        self._x_title = x_title
        self._y_title = y_title
        self._cell_w = self._cell_h = self._label_w = self._y_h = 0.0
        self._col_h = self._x_h = 0.0

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        widest = max([_natural_width(para) for para in self._row_labels] + [0.0])
        self._label_w = min(widest, avail_w * self._MAX_LABEL)
        self._y_h = self._y_title.wrap(avail_h, avail_h)[1]
        for _ in range(2):  # the y title's wrapped height depends on the grid height
            left = self._y_h + self._label_w + 2 * self._GAP
            self._cell_w = min(self._MAX_CELL, (avail_w - left) / self._cols)
            self._cell_h = max(self._cell_w * self._RATIO, self._tallest_label() + 2 * self._PAD)
            self._y_h = self._y_title.wrap(self._grid_h(), avail_h)[1]
        self._col_h = max([p.wrap(self._cell_w, avail_h)[1] for p in self._column_labels] + [0.0])
        self._x_h = self._x_title.wrap(self._cell_w * self._cols, avail_h)[1]
        for para in self._row_labels:
            para.wrap(self._label_w, avail_h)
        self.width = self._left() + self._cell_w * self._cols
        self.height = self._grid_bottom() + self._grid_h()
        return self.width, self.height

    def _tallest_label(self) -> float:
        inner = self._cell_w - 2 * self._PAD
        return max(float(para.wrap(inner, 1e6)[1]) for row in self._cells for _, para in row)

    def _left(self) -> float:
        return self._y_h + self._label_w + 2 * self._GAP

    def _grid_h(self) -> float:
        return self._cell_h * len(self._cells)

    def _grid_bottom(self) -> float:
        return self._x_h + self._col_h + 2 * self._GAP

    tag: Node | None = None
    """The Figure element the whole grid is drawn as (its labels are part of the picture)."""

    def drawOn(self, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        if self.tag is None:
            super().drawOn(canv, x, y, _sW)
            return
        self.tag.bbox = (x, y, x + self.width, y + self.height)
        canv.marker.begin(canv, self.tag)
        super().drawOn(canv, x, y, _sW)
        canv.marker.end(canv)

    def draw(self) -> None:
        self._draw_cells()
        self._draw_labels()
        canv = self.canv
        canv.saveState()
        canv.translate(self._y_h, self._grid_bottom())
        canv.rotate(90)
        self._y_title.drawOn(canv, 0, 0)
        canv.restoreState()
        self._x_title.drawOn(canv, self._left(), 0)

    def _draw_cells(self) -> None:
        canv = self.canv
        canv.setStrokeColor(_hex(HEAT_MAP.rule_colour))
        canv.setLineWidth(HEAT_MAP.rule_pt)
        inner = self._cell_w - 2 * self._PAD
        for i, row in enumerate(self._cells):
            y = self._row_y(i)
            for j, (fill, para) in enumerate(row):
                x = self._left() + j * self._cell_w
                canv.setFillColor(fill)
                canv.rect(x, y, self._cell_w, self._cell_h, stroke=1, fill=1)
                height = para.wrap(inner, self._cell_h)[1]
                para.drawOn(canv, x + self._PAD, y + (self._cell_h - height) / 2)

    def _draw_labels(self) -> None:
        canv = self.canv
        for i, para in enumerate(self._row_labels[: len(self._cells)]):
            para_y = self._row_y(i) + (self._cell_h - para.height) / 2
            para.drawOn(canv, self._y_h + self._GAP, para_y)
        top = self._x_h + self._GAP + self._col_h
        for j, para in enumerate(self._column_labels[: self._cols]):
            para.drawOn(canv, self._left() + j * self._cell_w, top - para.height)

    def _row_y(self, index: int) -> float:
        """Return the bottom of row ``index``; row 0 is drawn at the top."""
        return self._grid_bottom() + (len(self._cells) - 1 - index) * self._cell_h


class _TaggedList(ListFlowable):  # type: ignore[misc]
    """A list whose bullets and numbers are drawn as their item's ``Lbl`` element."""

    def _getContent(self) -> list[Any]:  # noqa: N802 (ReportLab's name)
        """ReportLab's indented items, each marker wrapped to draw as its item's label."""
        content: list[Any] = super()._getContent()
        for indenter in content:
            bullet = getattr(indenter, "_bullet", None)
            label = getattr(getattr(indenter, "_flowable", None), "label", None)
            if bullet is not None and label is not None:
                indenter._bullet = _TaggedBullet(bullet, label)
        return content


class _TaggedBullet:
    """Draws a list marker inside its ``Lbl`` element's marked content."""

    def __init__(self, drawer: Any, label: Node) -> None:
        self._drawer = drawer
        self._label = label

    def drawOn(self, indenter: Any, canv: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        canv.marker.begin(canv, self._label)
        self._drawer.drawOn(indenter, canv, x, y, _sW)
        canv.marker.end(canv)


def _natural_width(para: Any) -> float:
    """Return the width a short paragraph needs on one line."""
    para.wrap(1e6, 1e6)
    return float(max(para.getActualLineWidths0() or [0.0]))


# --- page decoration ----------------------------------------------------------------------


class _Decor:
    """Draws banner, label, running title and page number on every page.

    Strings are split into font segments up front so a missing glyph fails
    before layout starts, and the page format is checked once.  The banner and
    label share a band at the very top and bottom of the page (where marking
    conventions put them); the running title and page number sit just above
    the bottom band.
    """

    def __init__(self, looks: Presentation, theme: Theme, fonts: FontBook) -> None:
        decor = looks.decor
        self._theme = theme
        self._fonts = fonts
        self._format = looks.page_format
        self._page_size: tuple[float, float] = A4 if theme.page.size == "A4" else LETTER
        self._banner = fonts.segments(decor.banner, "heading", bold=True, lang=None)
        self._label = fonts.segments(decor.label, "heading", bold=True, lang=None)
        self._running = fonts.segments(decor.footer_left, "heading", lang=None)
        self._label_look = looks.label
        self._small = looks.styles["decor"]
        """Running title, page number, letterhead text and label: the decoration's type."""
        self._banner_style = looks.styles["banner"]
        letterhead = theme.letterhead
        self._header_text = fonts.segments(letterhead.header_text, "heading", lang=None)
        self._footer_text = fonts.segments(letterhead.footer_text, "heading", lang=None)
        self._logo = ImageReader(str(letterhead.logo)) if letterhead.logo else None

    def draw(self, canv: Any, page_size: tuple[float, float], page: int) -> None:
        """Draw the decoration of one page; called by ReportLab as each page begins.

        The page number itself is a reference to a form defined at the end
        (see :meth:`define_page_numbers`), when the number of pages is known.
        """
        setup = self._theme.page
        width, height = page_size
        left, right = setup.margin_left_mm * mm, width - setup.margin_right_mm * mm
        canv.saveState()
        top_band = height - setup.margin_top_mm * mm * 0.45
        bottom_band = setup.margin_bottom_mm * mm * 0.3
        self._band(canv, left, right, top_band)
        self._band(canv, left, right, bottom_band)
        self._letterhead(canv, left, top_band)
        self._running_title(canv, left, right, page)
        canv.doForm(_page_form(page))
        canv.restoreState()

    def define_page_numbers(self, canv: Any, pages: int) -> None:
        """Define each page's "Page X of Y" form, right-aligned where the footer expects it."""
        width, _ = self._page_size
        right = width - self._theme.page.margin_right_mm * mm
        size, colour = self._small.size, self._small.colour
        for page in range(1, pages + 1):
            canv.beginForm(_page_form(page))
            number = self._page_number(page, pages)
            width = self._fonts.width(number, size)
            self._text(canv, number, size, right - width / 2, self._info_baseline(), colour)
            canv.endForm()

    def _letterhead(self, canv: Any, left: float, top_band: float) -> None:
        """The theme's logo and header text on a row just below the top marking band, and
        its footer text on a row just above the running title; the marking bands stay
        the outermost lines of the page."""
        size, colour = self._small.size, self._small.colour
        x, middle = left, top_band - self._banner_style.size * 0.35 - 2.5 * mm
        if self._logo is not None:
            x += self._draw_logo(canv, left, middle) + 2 * mm
        width = self._page_size[0] - self._theme.page.margin_right_mm * mm - x
        header = _fit(self._fonts, self._header_text, size, width)
        baseline = middle - size * 0.35
        self._text(canv, header, size, x + self._fonts.width(header, size) / 2, baseline, colour)
        footer_y = self._info_baseline() + size * 1.5
        width = self._page_size[0] - self._theme.page.margin_right_mm * mm - left
        footer = _fit(self._fonts, self._footer_text, size, width)
        self._text(canv, footer, size, left + self._fonts.width(footer, size) / 2, footer_y, colour)

    def _draw_logo(self, canv: Any, left: float, middle: float) -> float:
        """Draw the logo centred on ``middle``, no taller than the top margin leaves room
        for between the marking band and the text; return its width."""
        assert self._logo is not None
        image_width, image_height = self._logo.getSize()
        room = 2 * (middle - self._page_size[1] + self._theme.page.margin_top_mm * mm) - mm
        height = max(2 * mm, min(self._theme.letterhead.logo_height_mm * mm, room))
        width = height * image_width / image_height
        canv.drawImage(
            self._logo, left, middle - height / 2, width=width, height=height, mask="auto"
        )
        return float(width)

    def _band(self, canv: Any, left: float, right: float, y: float) -> None:
        """Draw the banner centred and the label right-aligned on baseline ``y``."""
        style = self._banner_style
        self._text(canv, self._banner, style.size, (left + right) / 2, y, style.colour)
        if self._label:
            self._label_box(canv, right, y)

    def _running_title(self, canv: Any, left: float, right: float, page: int) -> None:
        """Draw the running title on the left, shortened to leave room for the page number.

        The total is not known yet, so the room kept is that of a three-digit
        total (or as many digits as the page number has, if more).
        """
        size, colour = self._small.size, self._small.colour
        widest_total = int("9" * max(3, len(str(page))))
        reserved = self._fonts.width(self._page_number(page, widest_total), size)
        running = _fit(self._fonts, self._running, size, right - left - reserved - 6 * mm)
        y = self._info_baseline()
        self._text(canv, running, size, left + self._fonts.width(running, size) / 2, y, colour)

    def _page_number(self, page: int, pages: int) -> list[Segment]:
        return self._fonts.segments(
            self._format.format(page=page, pages=pages), "heading", lang=None
        )

    def _info_baseline(self) -> float:
        """The running title and page number sit just above the bottom marking band."""
        return self._theme.page.margin_bottom_mm * mm * 0.62

    def _label_box(self, canv: Any, right: float, y: float) -> None:
        """Draw the label in its colour on a black box whose right edge is at ``right``."""
        size = self._small.size
        width = self._fonts.width(self._label, size)
        pad_x, pad_y, descent = size * 0.45, size * 0.35, size * 0.2
        box_w, box_h = width + 2 * pad_x, size * 0.95 + 2 * pad_y
        canv.setFillColor(_hex(self._label_look.background))
        canv.roundRect(right - box_w, y - pad_y - descent, box_w, box_h, 1.5, stroke=0, fill=1)
        self._text(canv, self._label, size, right - box_w / 2, y, self._label_look.text)

    def _text(
        self, canv: Any, segments: list[Segment], size: float, centre: float, y: float, colour: str
    ) -> None:
        """Draw segments centred on ``centre``, switching fonts between segments (complex
        scripts shaped and right-to-left runs in display order, see :func:`_display_runs`)."""
        runs = _display_runs(segments, size)
        x = centre - sum(width for _, _, width in runs) / 2
        canv.setFillColor(_hex(colour))
        for font, text, width in runs:
            canv.setFont(font, size)
            canv.drawString(x, y, text)
            x += width


def _display_runs(segments: list[Segment], size: float) -> list[tuple[str, Any, float]]:
    """One line of decoration as (font, text, width) runs in display order.

    Plain text is drawn as it is; runs in a complex script are shaped (a ReportLab
    ``ShapedStr``) and right-to-left runs ordered by the bidi algorithm, as in
    paragraphs (:mod:`.pdf_lines`).
    """
    line = "".join(seg.text for seg in segments).replace("\n", " ")
    if not COMPLEX.search(line):
        return [
            (seg.font, text, float(stringWidth(text, seg.font, size)))
            for seg in segments
            for text in [seg.text.replace("\n", " ")]
        ]
    levels = iter(bidi.levels(line))
    runs: list[tuple[int, str, Any, float]] = []
    for seg in segments:
        for level, text in _by_level(seg.text.replace("\n", " "), levels):
            if level or COMPLEX.search(text):
                shaped, width = shaping.shape_run(getFont(seg.font), text, size, level % 2 == 1)
                runs.append((level, seg.font, shaped, width))
            else:
                runs.append((level, seg.font, text, float(stringWidth(text, seg.font, size))))
    order = bidi.visual_order([run[0] for run in runs])
    return [runs[index][1:] for index in order]


def _page_form(page: int) -> str:
    return f"briefgen-page-{page}"


def _fit(fonts: FontBook, segments: list[Segment], size: float, room: float) -> list[Segment]:
    """Shorten a running title with an ellipsis so it never runs into the page number.

    The longest prefix that fits is found by binary search (a prefix's width only grows
    with its length), so a title of 10,000 characters costs 14 measurements, not 10,000.
    """
    if fonts.width(segments, size) <= room:
        return segments
    text = "".join(seg.text for seg in segments)

    def shortened(length: int) -> list[Segment]:
        return fonts.segments(text[:length].rstrip() + "\u2026", "heading", lang=None)

    low, high = 0, len(text) - 1  # a prefix this long fits; none longer than high can
    if fonts.width(shortened(0), size) > room:
        return []
    while low < high:
        middle = (low + high + 1) // 2
        if fonts.width(shortened(middle), size) <= room:
            low = middle
        else:
            high = middle - 1
    return shortened(low)
