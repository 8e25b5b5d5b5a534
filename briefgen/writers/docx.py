"""DOCX writer: render a :class:`~briefgen.document.nodes.Document` as a Word file.

Colleagues edit the DOCX in Word, so it uses real styles rather than direct
formatting: Title, Heading 1-3 (Word's navigation pane and TOC key on them),
List Bullet/Number, Caption, Quote and a few ``Brief ...`` styles for what Word
has no name for. The theme decides fonts, sizes and colours; subsets of the
theme's fonts travel inside the file (:mod:`briefgen.writers.docx_fonts`), so
the reader needs none of them installed. Lists are real Word lists (talking
points, source notes), citation markers are REF fields to the notes, and the
table style carries the header row and banded rows, so a colleague can keep
editing the file in Word as if it had been written there.

Anything python-docx has no API for (links, bookmarks, fields, shading, East
Asian fonts) is built in :mod:`briefgen.writers.docx_oxml`; this module only
decides *what* to build. The output is byte-identical for the same input.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any, assert_never, cast

import docx
from docx.document import Document as WordDocument
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_LINE_SPACING, WD_PARAGRAPH_ALIGNMENT, WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.parser import parse_xml
from docx.shared import Inches, Length, Mm, Pt, RGBColor, Twips
from docx.table import Table as WordTable
from docx.table import _Cell, _Row
from docx.text.paragraph import Paragraph as WordParagraph
from docx.text.run import Run
from lxml import etree

from briefgen.document.nodes import (
    Align,
    Block,
    BulletList,
    Callout,
    Cell,
    Content,
    DefinitionList,
    Document,
    DocumentInfo,
    Heading,
    HeatMap,
    NoteRef,
    Notes,
    PageDecor,
    Paragraph,
    ParagraphStyle,
    Table,
    Text,
    Tone,
    heat_map_description,
    note_separator,
    plain_text,
)
from briefgen.presentation import (
    Presentation,
    callout_fill,
    heading_level,
    is_link,
    present,
    table_geometry,
    tone_fill,
)
from briefgen.presentation.fonts import east_asian_family, family_for_language
from briefgen.presentation.scripts import COMPLEX, complex_language, complex_pieces, primary
from briefgen.presentation.styles import STYLES, ResolvedStyle, resolve_style
from briefgen.presentation.tables import HEAT_MAP
from briefgen.presentation.theme import Theme
from briefgen.writers import docx_oxml as ox
from briefgen.writers.bidi import base_level, has_rtl
from briefgen.writers.docx_fonts import embed_fonts
from briefgen.writers.theme_cache import ThemeCache

__all__ = ["write_docx"]

# Word style names. Built-in names keep Word's navigation pane, TOC and list
# numbering working; "Brief ..." styles are ours.
PARAGRAPH_STYLES: dict[ParagraphStyle, str] = {
    "body": "Normal",
    "lead": "Brief Lead",
    "small": "Brief Small",
    "quote": "Quote",
    "title": "Title",
    "subtitle": "Subtitle",
}
CAPTION = "Caption"
TABLE_TEXT = "Brief Table Text"
DEFINITION = "Brief Definition"
CALLOUT_TITLE = "Brief Callout Title"
NOTE = "Brief Note"
HEAT_AXIS = "Brief Heat Map Axis"
SPACER = "Brief Spacer"
LINK = "Hyperlink"
NOTE_REFERENCE = "Brief Note Reference"
TABLE_STYLE = "Brief Table"

_NEW_PARAGRAPH_STYLES = {  # name -> style it is based on
    "Brief Lead": "Normal",
    "Brief Small": "Normal",
    TABLE_TEXT: "Normal",
    DEFINITION: "Normal",
    CALLOUT_TITLE: "Normal",
    NOTE: "Normal",
    HEAT_AXIS: TABLE_TEXT,
    SPACER: "Normal",
}

_ALIGNMENT = {
    "left": WD_PARAGRAPH_ALIGNMENT.LEFT,
    "center": WD_PARAGRAPH_ALIGNMENT.CENTER,
    "right": WD_PARAGRAPH_ALIGNMENT.RIGHT,
}
_PAGE_SIZES: dict[str, tuple[Length, Length]] = {
    "A4": (Mm(210), Mm(297)),
    "Letter": (Inches(8.5), Inches(11)),
}
_TABLE_STYLE_MARGINS = {"top": 28, "bottom": 28, "left": 85, "right": 85}
"""Cell padding of data tables, in twips (1.5 mm either side)."""
_WORD_2013 = 15
"""``w:compatibilityMode``: Word 2013 and later lay out a table's border (not its text)
at the margin, so tables need no indent to line up with the body text."""
_KEPT_TABLE_STYLES = ("TableNormal", "BriefTable")
_ALL_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")
_NBSP = "\u00a0"
_HEAT_LABEL_MM = 14
"""Width of the heat map's row-label column: Word cannot size a column to its text."""


def write_docx(document: Document, theme: Theme) -> bytes:
    """Render ``document`` with ``theme`` and return the bytes of a .docx file.

    The same document and theme give byte-identical output: zip entries are
    stamped with ``document.info.created`` instead of the current time.
    """
    looks = present(document, theme)
    word = docx.Document()
    writer = _Writer(word, theme, looks)
    writer.prepare(document)
    for block in document.blocks:
        writer.block(block)
    writer.finish()
    parts = _package_members(word)
    embed_fonts(parts, theme)
    return _reproducible_zip(parts, _utc(document.info.created))


def _bold(paragraph: WordParagraph) -> bool:
    """Whether the paragraph's own style is bold (headings): Word draws complex scripts
    bold only with ``w:bCs``, which the run then needs."""
    style = paragraph.style
    return bool(style is not None and style.font.bold)


# --- styles ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Look:
    """How one Word style looks; None leaves that property to the style it is based on."""

    family: str | None = None
    size: float | None = None
    bold: bool | None = None
    italic: bool | None = None
    colour: str | None = None
    before: float | None = None
    after: float | None = None
    line: float | None = None
    """Line height as a multiple of ``size``, written as a minimum in points (see below)."""
    indent_mm: float | None = None
    hanging_mm: float | None = None
    indent_pt: float | None = None
    """Left and right indent in points (a quotation's inset)."""
    keep_next: bool | None = None
    hyphenate: bool | None = None
    """False keeps Word's automatic hyphenation off (``w:suppressAutoHyphens``)."""


_FIELDS = ("family", "size", "bold", "italic", "colour", "before", "after", "line", "keep_next")


def _look(style: ResolvedStyle, *fields: str, **extra: Any) -> _Look:
    """The Word look of a style of the typography table, setting only ``fields`` (the rest
    stay with the style it is based on). Sizes are rounded to Word's half points."""
    values: dict[str, Any] = {
        "family": style.family,
        "size": round(style.size * 2) / 2,
        "bold": style.bold,
        "italic": style.italic,
        "colour": style.colour,
        "before": round(style.space_before, 2),
        "after": round(style.space_after, 2),
        "line": style.leading / style.size,
        "keep_next": style.keep_with_next,
    }
    # Word hyphenates every paragraph of the document (w:autoHyphenation); a style the
    # typography table does not hyphenate (headings, labels, captions) opts out.
    extra.setdefault("hyphenate", None if style.hyphenate else False)
    return _Look(**{name: values[name] for name in fields}, **extra)


def _paragraph_looks(theme: Theme) -> dict[str, _Look]:
    """Map every paragraph style we use to its look, from the one typography table
    (:data:`~briefgen.presentation.STYLES`), so the DOCX spaces text as the PDF does."""
    st = {name: resolve_style(theme, name) for name in STYLES}
    text = ("family", "size", "after", "line")
    heading = ("family", "size", "bold", "italic", "colour", "before", "after", "line")
    return {
        "Normal": _look(st["body"], *text),
        "Title": _look(st["title"], *heading),
        "Subtitle": _look(st["subtitle"], *heading),
        "Heading 1": _look(st["h1"], *heading),
        "Heading 2": _look(st["h2"], *heading),
        "Heading 3": _look(st["h3"], *heading),
        "Brief Lead": _look(st["lead"], "size", "after", "line"),
        "Brief Small": _look(st["small"], "size", "colour", "after", "line"),
        "Quote": _look(st["quote"], "italic", "colour", "after", indent_pt=st["quote"].indent),
        "List Bullet": _look(st["item"], "after"),
        "List Number": _look(st["item"], "after"),
        CAPTION: _look(st["caption"], *heading),
        **_furniture_looks(theme, st),
    }


def _furniture_looks(theme: Theme, st: dict[str, ResolvedStyle]) -> dict[str, _Look]:
    """Looks of the styles for tables, notes, callouts, header and footer; spacing that
    only Word's cell and list geometry needs stays here."""
    return {
        TABLE_TEXT: _look(st["cell"], "family", "size", "line", after=0),
        DEFINITION: _Look(after=2),
        CALLOUT_TITLE: _look(st["callout-title"], "family", "bold", "colour", "after"),
        NOTE: _look(st["note"], "size", "after", "line", indent_mm=7, hanging_mm=7),
        HEAT_AXIS: _look(st["heat-title"], "bold", colour=theme.colors.muted, before=3, after=3),
        SPACER: _Look(size=4, after=0, line=1.0),
        "Header": _look(st["decor"], "family", "size", "colour", "line"),
        "Footer": _look(st["decor"], "family", "size", "colour", "line"),
    }


@dataclass(slots=True)
class _ThemeStyles:
    """A theme's finished styles part, and the style ids looked up in it so far."""

    theme: Theme
    xml: bytes
    ids: dict[tuple[str, WD_STYLE_TYPE], str | None]


_STYLES_CACHE: ThemeCache[_ThemeStyles] = ThemeCache()


def _install_styles(word: WordDocument, theme: Theme, text_width: Length) -> _ThemeStyles:
    """Give ``word`` the theme's styles, defined once per theme and copied after that.

    Defining them through python-docx costs about 20 ms (it searches the
    styles by name for every change); a rebuild in watch mode parses the
    finished part instead, and reuses the style ids already looked up in it.
    Kept per theme (see :mod:`briefgen.writers.theme_cache`) and text width.
    """
    root = word.styles.element
    defined: list[bool] = []

    def define() -> _ThemeStyles:
        _define_styles(word, theme, text_width)
        defined.append(True)
        return _ThemeStyles(theme, etree.tostring(root), {})

    cached = _STYLES_CACHE.get(theme, define, key=int(text_width))
    if not defined:
        # Swap in a freshly parsed part element: moving the 180 style elements
        # into the old element one by one costs more than the parse itself.
        word.part._styles_part._element = parse_xml(cached.xml)
    return cached


def _define_styles(word: WordDocument, theme: Theme, text_width: Length) -> None:
    """Create our styles and restyle the built-in ones from the theme."""
    styles = word.styles
    ox.strip_theme_fonts(styles.element)
    defaults = ox.default_run_properties(styles.element)
    ox.set_fonts(defaults, latin=theme.fonts.body, east_asia=theme.fonts.body)
    # The text colour is a document default rather than part of Normal: a paragraph
    # style's colour would override the table style's white header text.
    ox.set_colour(defaults, _hex(theme.colors.text))
    for name, base in _NEW_PARAGRAPH_STYLES.items():
        styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH).base_style = styles[base]
    for name, look in _paragraph_looks(theme).items():
        _apply_look(styles[name], look)
    _tidy_template_styles(styles)
    styles["Normal"].paragraph_format.widow_control = True
    for name in ("Header", "Footer"):
        _set_tab_stops(styles[name], text_width)
    _define_character_styles(word, theme)
    _define_table_style(word, theme)


def _apply_look(style: Any, look: _Look) -> None:
    """Set the non-None properties of ``look`` on a python-docx style."""
    font, para = style.font, style.paragraph_format
    if look.family is not None:
        ox.set_fonts(style.element.get_or_add_rPr(), latin=look.family)
    if look.size is not None:
        font.size = Pt(look.size)
        ox.set_complex_script_size(style.element.get_or_add_rPr(), round(look.size * 2))
    if look.bold is not None:
        font.bold = look.bold
    if look.italic is not None:
        font.italic = look.italic
    if look.colour is not None:
        font.color.rgb = _rgb(look.colour)
    if look.hyphenate is False:
        ox.suppress_hyphenation(style.element.get_or_add_pPr())
    _apply_spacing(para, look)


def _apply_spacing(para: Any, look: _Look) -> None:
    if look.before is not None:
        para.space_before = Pt(look.before)
    if look.after is not None:
        para.space_after = Pt(look.after)
    if look.line is not None and look.size is not None:
        # "At least size x line" points, as the PDF writer's leading. Word's "multiple"
        # spacing would scale the font's own line height (about 1.36 em for Noto
        # Serif), making the DOCX about a third longer than the PDF.
        para.line_spacing = Pt(round(look.size * look.line, 2))
        para.line_spacing_rule = WD_LINE_SPACING.AT_LEAST
    if look.indent_mm is not None:
        para.left_indent = Mm(look.indent_mm)
    if look.indent_pt is not None:
        para.left_indent = para.right_indent = Pt(round(look.indent_pt, 2))
    if look.hanging_mm is not None:
        para.first_line_indent = -Mm(look.hanging_mm)
    if look.keep_next is not None:
        para.keep_with_next = look.keep_next


def _tidy_template_styles(styles: Any) -> None:
    """Drop template decoration the theme does not ask for.

    The default Title has a blue bottom rule, Title and Subtitle widen their
    letter spacing, and Subtitle has a stray numbering level that LibreOffice
    may turn into a list.
    """
    ox.remove_children(styles["Title"].element.get_or_add_pPr(), "w:pBdr")
    ox.remove_children(styles["Subtitle"].element.get_or_add_pPr(), "w:numPr")
    for name in ("Title", "Subtitle"):
        ox.remove_children(styles[name].element.get_or_add_rPr(), "w:spacing")


def _set_tab_stops(style: Any, text_width: Length) -> None:
    """Centre and right tab stops at the middle and edge of the text block."""
    stops = style.paragraph_format.tab_stops
    stops.clear_all()
    stops.add_tab_stop(Length(text_width // 2), WD_TAB_ALIGNMENT.CENTER)
    stops.add_tab_stop(text_width, WD_TAB_ALIGNMENT.RIGHT)


def _define_character_styles(word: WordDocument, theme: Theme) -> None:
    link = word.styles.add_style(LINK, WD_STYLE_TYPE.CHARACTER, builtin=True)
    link.font.color.rgb = _rgb(theme.colors.accent)
    link.font.underline = True
    note = word.styles.add_style(NOTE_REFERENCE, WD_STYLE_TYPE.CHARACTER)
    note.font.superscript = True
    note.font.color.rgb = _rgb(theme.colors.accent)


def _define_table_style(word: WordDocument, theme: Theme) -> None:
    """A thin-ruled grid with compact padding, a filled header row and banded rows.

    The header and bands live in the style (``w:tblStylePr``), not on each
    cell, so Word's Header Row and Banded Rows switches turn them on and off.
    """
    style = word.styles.add_style(TABLE_STYLE, WD_STYLE_TYPE.TABLE)
    style.base_style = word.styles["Normal Table"]
    colours = theme.colors
    rule: ox.BorderSpec = ("single", 4, _hex(colours.rule))
    ox.set_style_table_properties(
        style.element, dict.fromkeys(_ALL_SIDES, rule), _TABLE_STYLE_MARGINS
    )
    ox.set_style_header_and_bands(
        style.element,
        header_fill=_hex(colours.table_header_bg),
        header_text=_hex(colours.table_header_text),
        band_fill=_hex(colours.table_stripe_bg),
    )
    ox.drop_unused_table_styles(word.styles.element, _KEPT_TABLE_STYLES)


# --- the writer -----------------------------------------------------------------------------


_STYLE_TYPE_NAMES = {
    WD_STYLE_TYPE.PARAGRAPH: "paragraph",
    WD_STYLE_TYPE.CHARACTER: "character",
    WD_STYLE_TYPE.TABLE: "table",
    WD_STYLE_TYPE.LIST: "numbering",
}


class _Writer:
    """Appends blocks to one python-docx document; holds per-document counters."""

    def __init__(self, word: WordDocument, theme: Theme, looks: Presentation) -> None:
        self.word = word
        self.theme = theme
        self.looks = looks
        width, _ = _PAGE_SIZES[theme.page.size]
        margins = Mm(theme.page.margin_left_mm + theme.page.margin_right_mm)
        self.text_width = Length(width - margins)
        self._bookmark_ids = 0
        self._bookmark_names = _BookmarkNames()
        self._style_ids: dict[tuple[str, WD_STYLE_TYPE], str | None] = {}
        self._notes_as_lists = True
        self._last_heading = ""
        """The latest heading's text: the title of a table without a caption."""

    # setup ----------------------------------------------------------------------------------

    def prepare(self, document: Document) -> None:
        """Set up styles, page, header, footer and metadata before any block."""
        self._style_ids = _install_styles(self.word, self.theme, self.text_width).ids
        ox.set_lang(ox.default_run_properties(self.word.styles.element), latin=_language(document))
        self._notes_as_lists = all(
            _numbered_from_first(block) for block in document.blocks if isinstance(block, Notes)
        )
        self._page_setup()
        self._decorate(document.decor)
        _set_core_properties(self.word, document.info)
        self._tidy_package()

    def _tidy_package(self) -> None:
        """Word 2013 layout, plain bullets, and none of the template's leftovers."""
        part, settings = self.word.part, self.word.settings.element
        ox.drop_thumbnail(part.package)
        ox.drop_styles_with_effects(part)
        ox.drop_custom_xml(part)
        ox.drop_preview_setting(settings)
        ox.set_compatibility_mode(settings, _WORD_2013)
        ox.set_auto_hyphenation(settings)
        ox.drop_revision_ids(settings, self.word.element, self.word.styles.element)
        ox.plain_bullets(
            part.numbering_part.element, self.theme.fonts.body, _hex(self.theme.colors.accent)
        )

    def finish(self) -> None:
        """End with a paragraph: Word requires one after a final table."""
        if not ox.ends_with_paragraph(self.word.element.body):
            self._spacer()

    def _style_id(self, name: str, kind: WD_STYLE_TYPE) -> str | None:
        """The style id for a style name, looked up once per document.

        python-docx resolves ``paragraph.style = name`` by scanning every style
        for the default on each call, which was most of the DOCX writer's time;
        ids are stable within a document, so one lookup per name is enough.
        None marks the default style, which Word applies without a reference.
        """
        key = (name, kind)
        if key not in self._style_ids:
            style_id = self.word.styles[name].style_id
            self._style_ids[key] = None if style_id == self._default_style_id(kind) else style_id
        return self._style_ids[key]

    def _default_style_id(self, kind: WD_STYLE_TYPE) -> str | None:
        """The id of the default style of a kind, found with one XPath query.

        python-docx's ``styles.default()`` converts every style's type on each
        call, which cost more than the lookups it guards.
        """
        found = self.word.styles.element.xpath(
            f'w:style[@w:type="{_STYLE_TYPE_NAMES[kind]}" and @w:default="1"]/@w:styleId'
        )
        return str(found[0]) if found else None

    def _styled(self, paragraph: WordParagraph, style: str) -> WordParagraph:
        """Give ``paragraph`` the paragraph style named ``style``."""
        ox.set_paragraph_style(paragraph._p, self._style_id(style, WD_STYLE_TYPE.PARAGRAPH))
        return paragraph

    def _new_paragraph(self, style: str, container: Any = None) -> WordParagraph:
        """Append a paragraph with ``style`` to ``container`` (the body by default)."""
        target = self.word if container is None else container
        return self._styled(target.add_paragraph(), style)

    def _styled_run(self, paragraph: WordParagraph, text: str, style: str) -> Run:
        """Append a run with the character style named ``style``."""
        run = paragraph.add_run(text)
        run._r.style = self._style_id(style, WD_STYLE_TYPE.CHARACTER)
        return run

    def _page_setup(self) -> None:
        page = self.theme.page
        section = self.word.sections[0]
        section.page_width, section.page_height = _PAGE_SIZES[page.size]
        section.top_margin = Mm(page.margin_top_mm)
        section.bottom_margin = Mm(page.margin_bottom_mm)
        section.left_margin = Mm(page.margin_left_mm)
        section.right_margin = Mm(page.margin_right_mm)
        section.header_distance = Mm(min(10.0, page.margin_top_mm * 0.45))
        section.footer_distance = Mm(min(8.0, page.margin_bottom_mm * 0.35))

    def _decorate(self, decor: PageDecor) -> None:
        """Header: banner centred, label right. Footer: running title and page, then marking.

        The marking line (banner and label) is the outermost line at both top
        and bottom of the page, where readers look for classification marks.
        """
        section = self.word.sections[0]
        section.header.is_linked_to_previous = False
        section.footer.is_linked_to_previous = False
        header_line = section.header.paragraphs[0]
        self._styled(header_line, "Header")
        self._marking_line(header_line, decor)
        letterhead = self.theme.letterhead
        if letterhead.logo is not None or letterhead.header_text:
            row = self._new_paragraph("Header", section.header)
            self._letterhead(row, letterhead.header_text, with_logo=True)
        page_line = section.footer.paragraphs[0]
        if letterhead.footer_text:
            self._styled(page_line, "Footer")
            self._letterhead(page_line, letterhead.footer_text, with_logo=False)
            page_line = self._new_paragraph("Footer", section.footer)
        self._styled(page_line, "Footer")
        # Only a right tab here, so a long running title cannot push the page number.
        page_line.paragraph_format.tab_stops.add_tab_stop(
            Length(self.text_width // 2), WD_TAB_ALIGNMENT.CLEAR
        )
        self._add_text(page_line, Text(decor.footer_left))
        page_line.add_run("\t")
        self._page_number(page_line)
        self._marking_line(self._new_paragraph("Footer", section.footer), decor)

    def _letterhead(self, paragraph: WordParagraph, text: str, *, with_logo: bool) -> None:
        """The theme's logo and letterhead text on their own line, inside the marking
        lines, which stay the outermost lines of the page."""
        letterhead = self.theme.letterhead
        if with_logo and letterhead.logo is not None:
            logo = paragraph.add_run()
            logo.add_picture(str(letterhead.logo), height=Mm(letterhead.logo_height_mm))
            paragraph.add_run(" ")
        if text:
            run = self._add_text(paragraph, Text(text))
            run.font.color.rgb = _rgb(self.theme.colors.muted)

    def _marking_line(self, paragraph: WordParagraph, decor: PageDecor) -> None:
        paragraph.add_run("\t")
        if decor.banner:
            banner = self._add_text(paragraph, Text(decor.banner, bold=True))
            banner.font.color.rgb = _rgb(self.theme.colors.banner_text)
        paragraph.add_run("\t")
        if decor.label:
            self._label(paragraph, decor)

    def _label(self, paragraph: WordParagraph, decor: PageDecor) -> None:
        """A TLP-style label: its colour on black, padded so the black shows around it."""
        look = self.looks.label
        run = self._add_text(paragraph, Text(f"{_NBSP}{decor.label}{_NBSP}", bold=True))
        run.font.color.rgb = _rgb(look.text)
        ox.shade_run(run._r.get_or_add_rPr(), _hex(look.background))

    def _page_number(self, paragraph: WordParagraph) -> None:
        """Write "Page X of Y" with live PAGE and NUMPAGES fields in place of the placeholders."""
        for piece in self.looks.page_format_pieces:
            if piece == "{page}":
                self._field(paragraph, "PAGE")
            elif piece == "{pages}":
                self._field(paragraph, "NUMPAGES")
            elif piece:
                self._add_text(paragraph, Text(piece))

    def _field(self, paragraph: WordParagraph, instruction: str) -> None:
        """A complex field; "1" is the cached result shown until the reader updates fields."""
        ox.append_field_char(paragraph.add_run()._r, "begin")
        ox.append_instruction(paragraph.add_run()._r, f" {instruction} ")
        ox.append_field_char(paragraph.add_run()._r, "separate")
        paragraph.add_run("1")
        ox.append_field_char(paragraph.add_run()._r, "end")

    # blocks ---------------------------------------------------------------------------------

    def block(self, block: Block) -> None:
        """Append one block of the document model."""
        match block:
            case Heading():
                self._heading(block)
            case Paragraph():
                self._paragraph(block)
            case BulletList():
                self._list(block)
            case Table():
                self._table(block)
            case DefinitionList():
                self._definitions(block)
            case Callout():
                self._callout(block)
            case Notes():
                self._notes(block)
            case HeatMap():
                self._heat_map(block)
            case _:
                assert_never(block)

    def _heading(self, block: Heading) -> None:
        self._last_heading = plain_text(block.content)
        paragraph = self._new_paragraph(f"Heading {heading_level(block.level)}")
        self._add_content(paragraph, block.content)
        self._bookmark(paragraph, block.anchor)

    def _paragraph(self, block: Paragraph) -> None:
        paragraph = self._new_paragraph(PARAGRAPH_STYLES[block.style])
        self._add_content(paragraph, block.content)

    def _list(self, block: BulletList, container: Any = None) -> None:
        """List Bullet / List Number items (in ``container``, the body by default); each
        numbered list restarts at 1."""
        style = "List Number" if block.ordered else "List Bullet"
        num_id = self._restarted_numbering(style) if block.ordered else None
        for item in block.items:
            paragraph = self._new_paragraph(style, container)
            if num_id is not None:
                ox.set_numbering(paragraph._p.get_or_add_pPr(), num_id)
            self._add_content(paragraph, item)

    def _restarted_numbering(self, style: str) -> int:
        numbering = self.word.part.numbering_part.element
        base = ox.style_num_id(self.word.styles[style].element)
        return ox.restarted_numbering(numbering, base)

    def _notes(self, block: Notes) -> None:
        """Notes as a Word numbered list, each paragraph a bookmark its citations refer to.

        Citations are REF fields to these bookmarks (see :meth:`_add_note_ref`),
        so when a colleague adds or moves a note, updating fields renumbers both.
        Notes not numbered 1, 2, 3 ... from their first (never made by the markup
        parser) keep typed numbers, which always match their citations.
        """
        num_id = self._notes_numbering(block) if self._notes_as_lists else None
        for note in block.items:
            paragraph = self._new_paragraph(NOTE)
            if num_id is not None:
                ox.set_numbering(paragraph._p.get_or_add_pPr(), num_id)
            else:
                self._add_text(paragraph, Text(f"{note.number}.\t"))
            self._add_content(paragraph, note.content)
            self._bookmark(paragraph, note.anchor)

    def _notes_numbering(self, block: Notes) -> int | None:
        if not block.items:
            return None
        look = _paragraph_looks(self.theme)[NOTE]
        return ox.add_numbered_list(
            self.word.part.numbering_part.element,
            start=block.items[0].number,
            indent=int(Mm(look.indent_mm or 0).twips),
            hanging=int(Mm(look.hanging_mm or 0).twips),
        )

    # tables ---------------------------------------------------------------------------------

    def _table(self, block: Table) -> None:
        """A data table: fixed column widths, repeating shaded header, striped rows."""
        if block.caption:
            self._caption(block.caption, keep_next=True)
        geometry = table_geometry(block)
        widths = _split_width(self.text_width, geometry.fractions)
        aligns = [c.align for c in geometry.columns]
        table = self._new_table(1 + len(block.rows), widths, TABLE_STYLE)
        ox.use_style_header_and_bands(table._tbl)
        caption = plain_text(block.caption) if block.caption else self._last_heading
        columns = ", ".join(
            plain_text(cell.paragraphs[0]) for cell in block.header if cell.paragraphs
        )
        ox.set_table_alt_text(table._tbl, caption, f"Columns: {columns}" if columns else "")
        rows = list(table.rows)
        ox.mark_header_row(rows[0]._tr)
        ox.forbid_row_split(rows[0]._tr)
        self._fill_row(_cells(rows[0]), block.header, aligns, TABLE_TEXT, lambda _: None)
        for row, cells in zip(rows[1:], block.rows, strict=False):
            ox.forbid_row_split(row._tr)
            self._fill_row(_cells(row), cells, aligns, TABLE_TEXT, self._tone_fill)
        self._spacer()

    def _tone_fill(self, cell: Cell) -> str | None:
        """A cell's tone colour, or None to leave the style's band fill."""
        tone = tone_fill(self.theme, cell.tone)
        return _hex(tone) if tone else None

    def _fill_row(
        self,
        targets: Sequence[_Cell],
        cells: Sequence[Cell],
        aligns: Sequence[Align],
        style: str,
        fill: Callable[[Cell], str | None],
    ) -> None:
        for target, cell, align in zip(targets, cells, aligns, strict=False):
            self._fill_cell(target, cell.paragraphs, align, style, bold=cell.bold)
            colour = fill(cell)
            if colour:
                ox.shade_cell(target._tc, colour)

    def _fill_cell(
        self,
        target: _Cell,
        paragraphs: Sequence[Content],
        align: Align,
        style: str,
        *,
        bold: bool = False,
    ) -> list[WordParagraph]:
        """Write paragraphs into a cell, reusing the empty paragraph every cell starts with."""
        written = []
        for index, content in enumerate(paragraphs or ((),)):
            paragraph = target.paragraphs[0] if index == 0 else target.add_paragraph()
            self._styled(paragraph, style)
            ox.set_alignment(paragraph._p, align)
            self._add_content(paragraph, content, bold=bold)
            written.append(paragraph)
        return written

    def _new_table(self, rows: int, widths: Sequence[int], style: str | None) -> WordTable:
        """A table with fixed column widths in twips (Word reads tcW, LibreOffice gridCol)."""
        table: WordTable = self.word.add_table(rows=rows, cols=len(widths), style=style)
        table.autofit = False
        ox.set_table_width(table._tbl, sum(widths))
        ox.set_grid_widths(table._tbl, widths)
        for row in table._tbl.tr_lst:
            for cell, width in zip(row.tc_lst, widths, strict=True):
                ox.set_cell_width(cell, width)
        return table

    def _definitions(self, block: DefinitionList) -> None:
        """Label/value pairs as a borderless two-column table aligned with the body text."""
        widths = _split_width(self.text_width, [0.25, 0.75])
        table = self._new_table(len(block.items), widths, None)
        ox.set_table_borders(table._tbl, dict.fromkeys(_ALL_SIDES, ox.NO_BORDER))
        ox.set_table_cell_margins(table._tbl, {"top": 0, "bottom": 0, "left": 0, "right": 113})
        muted = _rgb(self.theme.colors.muted)
        for row, (label, value) in zip(table.rows, block.items, strict=True):
            ox.forbid_row_split(row._tr)
            label_cell, value_cell = _cells(row)
            (label_paragraph,) = self._fill_cell(label_cell, ((Text(label),),), "left", DEFINITION)
            for run in label_paragraph.runs:
                run.bold = True
                run.font.color.rgb = muted
            self._fill_cell(value_cell, (value,), "left", DEFINITION)
        self._spacer()

    def _callout(self, block: Callout) -> None:
        """A one-cell shaded box with a thick accent rule on the left and a bold title."""
        table = self._new_table(1, [int(self.text_width.twips)], None)
        ox.set_table_borders(table._tbl, dict.fromkeys(_ALL_SIDES, ox.NO_BORDER))
        margins = {"top": 100, "bottom": 40, "left": 170, "right": 170}
        ox.set_table_cell_margins(table._tbl, margins)
        row = table.rows[0]
        ox.forbid_row_split(row._tr)
        cell = _cells(row)[0]
        ox.shade_cell(cell._tc, _hex(callout_fill(self.theme, block.tone)))
        ox.set_cell_borders(cell._tc, {"left": ("single", 24, _hex(self.theme.colors.accent))})
        title = cell.paragraphs[0]
        self._styled(title, CALLOUT_TITLE)
        self._add_text(title, Text(block.title))
        for part in block.body:
            if isinstance(part, BulletList):
                self._list(part, cell)
            else:
                target = self._new_paragraph(PARAGRAPH_STYLES[part.style], cell)
                self._add_content(target, part.content)
        self._spacer()

    def _heat_map(self, block: HeatMap) -> None:
        """Row labels, tone-shaded squares holding their labels, then a column-label row.

        The table is centred; axis titles sit above (y) and below (x) it, the x
        title centred under the squares rather than under the whole table.
        """
        label_width = int(Mm(_HEAT_LABEL_MM).twips)
        columns = max((len(row) for row in block.rows), default=0)
        room_mm = self.looks.page.text_width_mm - _HEAT_LABEL_MM
        square_mm = HEAT_MAP.cell_width_mm(block, room_mm)
        widths = [label_width] + [int(Mm(square_mm).twips)] * columns
        offset = Length((self.text_width - Twips(sum(widths))) // 2)
        if block.y_title:
            axis = self._heat_axis(block.y_title, "left", keep_next=True)
            axis.paragraph_format.left_indent = offset
        table = self._new_table(len(block.rows) + 1, widths, None)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        title = plain_text(block.caption) if block.caption else "Heat map"
        ox.set_table_alt_text(table._tbl, title, heat_map_description(block))
        white: ox.BorderSpec = ("single", round(HEAT_MAP.rule_pt * 8), _hex(HEAT_MAP.rule_colour))
        ox.set_table_borders(table._tbl, dict.fromkeys(_ALL_SIDES, white))
        rows = list(table.rows)
        for index, (row, cells) in enumerate(zip(rows, block.rows, strict=False)):
            label = block.row_labels[index] if index < len(block.row_labels) else ""
            cells_text = [(c.tone, ", ".join(c.labels)) for c in cells]
            self._heat_row(row, label, cells_text, Mm(square_mm * HEAT_MAP.ratio))
        self._heat_column_labels(rows[-1], block.column_labels)
        if block.x_title:
            axis = self._heat_axis(block.x_title, "center", keep_next=bool(block.caption))
            axis.paragraph_format.left_indent = Twips(label_width)
        if block.caption:
            caption = self._caption(block.caption, keep_next=False)
            caption.alignment = _ALIGNMENT["center"]
            caption.paragraph_format.left_indent = Twips(label_width)
        if not block.x_title and not block.caption:
            self._spacer()

    def _heat_row(
        self, row: _Row, label: str, cells: Sequence[tuple[Tone, str]], height: Length
    ) -> None:
        """One row of squares, at least as tall as the geometry's ratio makes them."""
        ox.forbid_row_split(row._tr)
        row.height = height
        row.height_rule = WD_ROW_HEIGHT_RULE.AT_LEAST
        targets = _cells(row)
        self._heat_cell(targets[0], label, "right")
        for target, (tone, text) in zip(targets[1:], cells, strict=False):
            self._heat_cell(target, text, "center")
            colour = tone_fill(self.theme, tone)
            if colour:
                ox.shade_cell(target._tc, _hex(colour))

    def _heat_column_labels(self, row: _Row, labels: Sequence[str]) -> None:
        ox.forbid_row_split(row._tr)
        targets = _cells(row)
        for target, label in zip(targets[1:], labels, strict=False):
            self._heat_cell(target, label, "center", keep_next=False)

    def _heat_cell(self, target: _Cell, text: str, align: Align, *, keep_next: bool = True) -> None:
        """One heat-map cell, vertically centred; keep_next holds the small table on one page."""
        target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        content = (Text(text, bold=True),) if text else ()
        (paragraph,) = self._fill_cell(target, (content,), align, TABLE_TEXT)
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True

    def _heat_axis(self, title: str, align: Align, *, keep_next: bool) -> WordParagraph:
        paragraph = self._new_paragraph(HEAT_AXIS)
        ox.set_alignment(paragraph._p, align)
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True
        self._add_text(paragraph, Text(title))
        return paragraph

    def _caption(self, content: Content, *, keep_next: bool) -> WordParagraph:
        paragraph = self._new_paragraph(CAPTION)
        if keep_next:
            paragraph.paragraph_format.keep_with_next = True
        self._add_content(paragraph, content)
        return paragraph

    def _spacer(self) -> None:
        """A tiny paragraph after a table: it spaces the table from what follows and
        stops Word from merging two adjacent tables into one."""
        self._new_paragraph(SPACER)

    # inline ---------------------------------------------------------------------------------

    def _add_content(
        self, paragraph: WordParagraph, content: Content, *, bold: bool = False
    ) -> None:
        for index, item in enumerate(content):
            if isinstance(item, Text) and not item.text:
                continue
            if isinstance(item, NoteRef):
                separator = note_separator(content, index)
                if separator:
                    self._styled_run(paragraph, separator, NOTE_REFERENCE)
                self._add_note_ref(paragraph, item)
            elif is_link(item.href):
                self._add_link(paragraph, item, bold=bold)
            else:
                self._add_text(paragraph, item, bold=bold)

    def _add_text(self, paragraph: WordParagraph, text: Text, *, bold: bool = False) -> Run:
        """Append one run (the last, when complex scripts split it; see :meth:`_add_runs`)."""
        return self._add_runs(paragraph, text, bold=bold)[-1]

    def _add_runs(self, paragraph: WordParagraph, text: Text, *, bold: bool = False) -> list[Run]:
        """Append ``text`` as runs; tabs and newlines become Word tabs and line breaks.

        Text in a complex script (Arabic, Hebrew, Devanagari, Thai, ...) gets runs of
        its own, with the complex-script font, size, weight and language Word uses
        for it, and right-to-left ones ``w:rtl``; a paragraph whose first strong
        letter is right to left becomes a right-to-left (``w:bidi``) paragraph.
        """
        cleaned = ox.clean_text(text.text)
        pieces = complex_pieces(cleaned) if COMPLEX.search(cleaned) else [(cleaned, False)]
        runs: list[Run] = []
        for piece, is_complex in pieces:
            element = ox.append_run(paragraph._p, piece, bold=text.bold or bold, italic=text.italic)
            run = Run(element, paragraph)
            if is_complex:
                self._tag_complex(run, piece, text.lang, bold=text.bold or bold or _bold(paragraph))
                if text.italic:
                    ox.set_complex_script_style(run._r.get_or_add_rPr(), italic=True)
            else:
                self._tag_language(run, replace(text, text=piece))
            runs.append(run)
        if has_rtl(cleaned):
            ox.set_bidi(paragraph._p.get_or_add_pPr(), base_level(paragraph.text) == 1)
        return runs

    def _tag_complex(self, run: Run, text: str, lang: str | None, *, bold: bool) -> None:
        """Font (``w:rFonts w:cs``), language (``w:lang w:bidi``) and direction of a run
        in a complex script; the family is the one the PDF draws it with."""
        language = complex_language(text, lang)
        family = family_for_language(self.theme, primary(language)) if language else None
        properties = run._r.get_or_add_rPr()
        if family is not None:
            ox.set_fonts(properties, complex_script=family)
        if bold:
            ox.set_complex_script_style(properties, bold=True)
        ox.set_complex_script(properties, rtl=has_rtl(text))
        if language and language != "und":
            ox.set_lang(properties, bidi=language)

    def _tag_language(self, run: Run, text: Text) -> None:
        """Give East Asian runs their font and language; tag other known languages."""
        family, east_asian = east_asian_family(self.theme, text.text, text.lang)
        latin = text.lang if text.lang and east_asian != text.lang else None
        if family is None and east_asian is None and latin is None:
            return
        properties = run._r.get_or_add_rPr()
        if family is not None:
            ox.set_fonts(properties, east_asia=family)
        ox.set_lang(properties, latin=latin, east_asia=east_asian)

    def _add_link(self, paragraph: WordParagraph, text: Text, *, bold: bool) -> None:
        """An external hyperlink: the URL goes in the part's relationships, the run inside."""
        url = ox.clean_text(text.href or "")
        relationship_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
        link = ox.append_hyperlink(paragraph._p, relationship_id=relationship_id)
        for run in self._add_runs(paragraph, text, bold=bold):
            run._r.style = self._style_id(LINK, WD_STYLE_TYPE.CHARACTER)
            link.append(run._r)

    def _add_note_ref(self, paragraph: WordParagraph, ref: NoteRef) -> None:
        """A superscript note number that links to the note's bookmark.

        With notes as a numbered list the number is a ``REF bookmark \\r`` field
        showing the note's list number, so it follows the note when a colleague
        inserts another one and updates fields; the link jumps there either way.
        """
        bookmark = self._bookmark_names.get(ref.target)
        link = ox.append_hyperlink(paragraph._p, anchor=bookmark)
        if not self._notes_as_lists:
            link.append(self._styled_run(paragraph, str(ref.number), NOTE_REFERENCE)._r)
            return
        for kind, text in (("begin", ""), ("instruction", f" REF {bookmark} \\r "),
                           ("separate", ""), ("result", str(ref.number)), ("end", "")):  # fmt: skip
            run = self._styled_run(paragraph, text if kind == "result" else "", NOTE_REFERENCE)
            if kind == "instruction":
                ox.append_instruction(run._r, text)
            elif kind != "result":
                ox.append_field_char(run._r, cast(Any, kind))
            link.append(run._r)

    def _bookmark(self, paragraph: WordParagraph, anchor: str) -> None:
        self._bookmark_ids += 1
        ox.add_bookmark(paragraph._p, self._bookmark_ids, self._bookmark_names.get(anchor))


def _cells(row: _Row) -> list[_Cell]:
    """The cells of a row without merged cells.

    python-docx's ``row.cells`` rebuilds the whole table's cell grid on every
    call, which made filling a table quadratic in its number of rows.
    """
    return [_Cell(cell, row.table) for cell in row._tr.tc_lst]


class _BookmarkNames:
    """Assigns each anchor one valid bookmark name, the same for link and target.

    Names are the sanitised anchor where possible (readable in Word's bookmark
    dialog); an anchor whose sanitised form is already taken by a different
    anchor gets a hash suffix. Names depend only on document order, so output
    stays deterministic.
    """

    def __init__(self) -> None:
        self._names: dict[str, str] = {}
        self._taken: set[str] = set()

    def get(self, anchor: str) -> str:
        """Return the bookmark name for ``anchor``, assigning one on first use."""
        name = self._names.get(anchor)
        if name is None:
            name = ox.bookmark_name(anchor)
            if name in self._taken:
                name = ox.bookmark_name(anchor, unique=True)
            self._names[anchor] = name
            self._taken.add(name)
        return name


# --- helpers --------------------------------------------------------------------------------


def _numbered_from_first(block: Notes) -> bool:
    """Whether the notes are numbered first, first + 1, ... (as a Word list counts)."""
    first = block.items[0].number if block.items else 0
    return all(note.number == first + index for index, note in enumerate(block.items))


def _split_width(total: Length, fractions: Sequence[float]) -> list[int]:
    """Share ``total`` (converted to twips) by fraction; the last column takes the rounding."""
    twips = int(total.twips)
    widths = [int(twips * fraction) for fraction in fractions[:-1]]
    return [*widths, twips - sum(widths)]


def _set_core_properties(word: WordDocument, info: DocumentInfo) -> None:
    """Metadata from the document, replacing the template's "python-docx" author and note."""
    properties = word.core_properties
    stamp = _utc(info.created)
    properties.title = _core_text(info.title)
    properties.author = _core_text(info.author)
    properties.last_modified_by = _core_text(info.author)
    properties.subject = _core_text(info.subject)
    properties.keywords = _keywords(info.keywords)
    properties.language = _core_text(info.language)
    properties.created = stamp
    properties.modified = stamp
    properties.revision = 1
    properties.comments = ""
    properties.category = ""


_CORE_LIMIT = 255
"""python-docx refuses core properties longer than this (Word's own limit)."""


def _core_text(text: str) -> str:
    """A core property value, shortened with an ellipsis to the 255-character limit."""
    text = ox.clean_text(text)
    return text if len(text) <= _CORE_LIMIT else text[: _CORE_LIMIT - 1].rstrip() + "\u2026"


def _keywords(keywords: Sequence[str]) -> str:
    """Unique keywords joined by "; ", keeping only whole keywords that fit the limit."""
    kept: list[str] = []
    for keyword in dict.fromkeys(ox.clean_text(k) for k in keywords):
        if len("; ".join([*kept, keyword])) > _CORE_LIMIT:
            break
        kept.append(keyword)
    return "; ".join(kept)


def _language(document: Document) -> str:
    return ox.clean_text(document.info.language) or "en"


def _utc(moment: dt.datetime) -> dt.datetime:
    """Read naive timestamps as UTC; python-docx writes the clock time followed by "Z"."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC)


class _Members:
    """Collects package members where python-docx's package writer would zip them."""

    def __init__(self) -> None:
        self.members: dict[str, bytes] = {}

    def write(self, pack_uri: Any, blob: bytes) -> None:
        self.members[pack_uri.membername] = blob


def _package_members(word: WordDocument) -> dict[str, bytes]:
    """Every member of the package exactly as ``Document.save`` would write it, unzipped.

    ``save`` stamps zip entries with the current time, so the package would
    have to be unzipped and zipped again to make it reproducible; this runs
    the same steps as ``OpcPackage.save`` with a collector in place of the zip.
    """
    package = word.part.package
    parts = list(package.parts)
    for part in parts:
        part.before_marshal()
    members = _Members()
    writer: Any = PackageWriter  # partly typed; its steps are private but stable since 0.8
    writer._write_content_types_stream(members, parts)
    writer._write_pkg_rels(members, package.rels)
    writer._write_parts(members, parts)
    return members.members


def _reproducible_zip(parts: dict[str, bytes], stamp: dt.datetime) -> bytes:
    """Zip the package with fixed timestamps, order, permissions and compression.

    Two builds of the same brief must give the same bytes; the content types
    part goes first as Word expects.
    """
    if "docProps/app.xml" in parts:
        parts["docProps/app.xml"] = ox.APP_PROPERTIES
    year = min(max(stamp.year, 1980), 2107)
    date_time = (year, stamp.month, stamp.day, stamp.hour, stamp.minute, stamp.second)
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as target:
        for name in sorted(parts, key=_entry_order):
            entry = zipfile.ZipInfo(name, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.create_system = 3
            entry.external_attr = 0o644 << 16
            target.writestr(entry, parts[name])
    return output.getvalue()


def _entry_order(name: str) -> tuple[int, str]:
    first = {"[Content_Types].xml": 0, "_rels/.rels": 1}
    return first.get(name, 2), name


def _rgb(colour: str) -> RGBColor:
    return RGBColor.from_string(_hex(colour))


def _hex(colour: str) -> str:
    """``#1f3a5f`` -> ``1F3A5F``, the form OOXML colour attributes take."""
    return colour.lstrip("#").upper()
