"""Raw WordprocessingML for the DOCX writer: the one place that builds XML by hand.

python-docx covers paragraphs, runs, styles and tables, but not hyperlinks,
bookmarks, fields, shading, borders, East Asian fonts or table header rows.
Everything below its API lives here, under OOXML names, so that
:mod:`briefgen.writers.docx` can speak in plain words (``shade_cell``,
``add_bookmark``) and never touch element order or namespaces.

WordprocessingML is order-sensitive: Word rejects a file whose ``w:rPr``
children are out of schema order, so every child is inserted through
:func:`_put`, which knows each parent's sequence.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, cast

from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml.ns import qn
from docx.oxml.parser import OxmlElement
from docx.oxml.xmlchemy import BaseOxmlElement
from docx.shared import Twips

Element = BaseOxmlElement
"""Every XML node handled here; python-docx's lxml element base class."""

# Schema order of the children we touch (ECMA-376 Part 1, 17.3 and 17.4).
_RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:caps", "w:smallCaps",
    "w:strike", "w:dstrike", "w:outline", "w:shadow", "w:emboss", "w:imprint", "w:noProof",
    "w:snapToGrid", "w:vanish", "w:webHidden", "w:color", "w:spacing", "w:w", "w:kern",
    "w:position", "w:sz", "w:szCs", "w:highlight", "w:u", "w:effect", "w:bdr", "w:shd",
    "w:fitText", "w:vertAlign", "w:rtl", "w:cs", "w:em", "w:lang", "w:eastAsianLayout",
    "w:specVanish", "w:oMath",
)  # fmt: skip
_PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr",
    "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", "w:shd", "w:tabs",
    "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:topLinePunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
    "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap",
    "w:jc", "w:textDirection", "w:textAlignment", "w:textboxTightWrap",
    "w:outlineLvl", "w:divId", "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange",
)  # fmt: skip
_TBLPR_ORDER = (
    "w:tblStyle", "w:tblpPr", "w:tblOverlap", "w:bidiVisual", "w:tblStyleRowBandSize",
    "w:tblStyleColBandSize", "w:tblW", "w:jc", "w:tblCellSpacing", "w:tblInd",
    "w:tblBorders", "w:shd", "w:tblLayout", "w:tblCellMar", "w:tblLook", "w:tblCaption",
    "w:tblDescription",
)  # fmt: skip
_TCPR_ORDER = (
    "w:cnfStyle", "w:tcW", "w:gridSpan", "w:hMerge", "w:vMerge", "w:tcBorders", "w:shd",
    "w:noWrap", "w:tcMar", "w:textDirection", "w:tcFitText", "w:vAlign", "w:hideMark",
)  # fmt: skip
_STYLE_ORDER = (
    "w:name", "w:aliases", "w:basedOn", "w:next", "w:link", "w:autoRedefine", "w:hidden",
    "w:uiPriority", "w:semiHidden", "w:unhideWhenUsed", "w:qFormat", "w:locked",
    "w:personal", "w:personalCompose", "w:personalReply", "w:rsid", "w:pPr", "w:rPr",
    "w:tblPr", "w:trPr", "w:tcPr", "w:tblStylePr",
)  # fmt: skip
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_BORDER_SIDES = ("top", "left", "bottom", "right", "insideH", "insideV")

_STYLES_WITH_EFFECTS = "http://schemas.microsoft.com/office/2007/relationships/stylesWithEffects"
_THEME_FONT_ATTRS = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")

# XML 1.0 allows tab, LF, CR and these ranges; anything else makes lxml raise.
_XML_ILLEGAL = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

BorderSpec = tuple[str, int, str]
"""A border as (``w:val`` style such as ``single`` or ``nil``, width in eighths of a point, hex)."""

NO_BORDER: BorderSpec = ("nil", 0, "auto")


def clean_text(text: str) -> str:
    """Drop characters XML 1.0 cannot hold (controls, lone surrogates).

    The document model should never contain them, but lxml raises on them and a
    brief must not fail to build over an invisible character pasted from a PDF.
    """
    return _XML_ILLEGAL.sub("", text)


def make(tag: str, attrs: Mapping[str, str] | None = None) -> Element:
    """Return a new element; ``attrs`` uses prefixed names such as ``w:val``."""
    qualified = {qn(name): value for name, value in (attrs or {}).items()}
    return cast(Element, OxmlElement(tag, qualified))


def _put(parent: Element, child: Element, order: tuple[str, ...]) -> Element:
    """Insert ``child`` in schema order, replacing any existing element of its tag."""
    tag = cast(str, child.tag)
    for old in parent.findall(tag):
        parent.remove(old)
    position = [qn(name) for name in order].index(tag)
    later = {qn(name) for name in order[position + 1 :]}
    for sibling in parent:
        if sibling.tag in later:
            sibling.addprevious(child)
            return child
    parent.append(child)
    return child


def _get_or_put(parent: Element, tag: str, order: tuple[str, ...]) -> Element:
    """Return the existing ``tag`` child, creating it in schema order when missing."""
    found = parent.find(qn(tag))
    return cast(Element, found) if found is not None else _put(parent, make(tag), order)


# --- paragraphs and runs -------------------------------------------------------------------
# python-docx builds these through generic schema machinery (a search of the
# successor tags for every insert, a state machine per character of run text);
# these do the same for the two commonest cases directly, about five times faster.

_RUN_PIECES = re.compile(r"(\t|\r|\n)")


def set_alignment(paragraph: Element, value: str) -> None:
    """Set ``w:jc`` (``left``, ``center``, ``right``) in the paragraph's properties."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        properties = make("w:pPr")
        paragraph.insert(0, properties)
    _put(properties, make("w:jc", {"w:val": value}), _PPR_ORDER)


def set_paragraph_style(paragraph: Element, style_id: str | None) -> None:
    """Set ``w:pStyle``, which is the first child of ``w:pPr``, the paragraph's first child."""
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        if style_id is None:
            return
        properties = make("w:pPr")
        paragraph.insert(0, properties)
    for old in properties.findall(qn("w:pStyle")):
        properties.remove(old)
    if style_id is not None:
        properties.insert(0, make("w:pStyle", {"w:val": style_id}))


def append_run(
    paragraph: Element, text: str, *, bold: bool = False, italic: bool = False
) -> Element:
    """Append a ``w:r`` holding ``text`` as python-docx's ``add_run`` (and ``.bold``,
    ``.italic``) do.

    Tabs become ``w:tab`` and line breaks ``w:br``; a ``w:t`` whose text has
    space at either end is marked ``xml:space="preserve"``.
    """
    run = make("w:r")
    if bold or italic:
        properties = make("w:rPr")
        for flag, tag in ((bold, "w:b"), (italic, "w:i")):
            if flag:
                properties.append(make(tag))
        run.append(properties)
    for piece in _RUN_PIECES.split(text):
        if piece == "\t":
            run.append(make("w:tab"))
        elif piece in ("\r", "\n"):
            run.append(make("w:br"))
        elif piece:
            element = make("w:t")
            element.text = piece
            if len(piece.strip()) < len(piece):
                element.set(qn("xml:space"), "preserve")
            run.append(element)
    paragraph.append(run)
    return run


# --- styles and fonts -----------------------------------------------------------------------


def strip_theme_fonts(root: Element) -> None:
    """Remove theme-font attributes from every ``w:rFonts`` under ``root``.

    The default template's heading styles and document defaults name theme
    fonts (``asciiTheme="majorHAnsi"``); those win over explicit font names, so
    our families, and above all the East Asian ones, would never show.
    """
    for fonts in root.iter(qn("w:rFonts")):
        for name in _THEME_FONT_ATTRS:
            fonts.attrib.pop(qn(name), None)


def set_fonts(
    rpr: Element,
    *,
    latin: str | None = None,
    east_asia: str | None = None,
    complex_script: str | None = None,
) -> None:
    """Name the fonts of a run or style; None leaves that slot inherited.

    ``latin`` fills the ASCII, high-ANSI and complex-script slots; Word picks
    the ``east_asia`` slot for Hangul, kana and ideographs in the same run, and
    the complex-script slot (``complex_script`` overrides it) for Arabic, Hebrew,
    Devanagari, Thai and the runs marked ``w:cs`` or ``w:rtl``.
    """
    fonts = _get_or_put(rpr, "w:rFonts", _RPR_ORDER)
    if latin is not None:
        for slot in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(slot), latin)
    if east_asia is not None:
        fonts.set(qn("w:eastAsia"), east_asia)
    if complex_script is not None:
        fonts.set(qn("w:cs"), complex_script)


def set_complex_script(rpr: Element, *, rtl: bool) -> None:
    """Mark a run as complex script (``w:cs``) and, for right-to-left text, ``w:rtl``."""
    if rtl:
        _put(rpr, make("w:rtl"), _RPR_ORDER)
    _put(rpr, make("w:cs"), _RPR_ORDER)


def set_complex_script_style(rpr: Element, *, bold: bool = False, italic: bool = False) -> None:
    """Bold (``w:bCs``) or italic (``w:iCs``) for complex-script text, which ignores
    ``w:b`` and ``w:i``."""
    if bold:
        _put(rpr, make("w:bCs"), _RPR_ORDER)
    if italic:
        _put(rpr, make("w:iCs"), _RPR_ORDER)


def set_bidi(ppr: Element, right_to_left: bool) -> None:
    """Make a paragraph right to left (``w:bidi``) or not (no element)."""
    for old in ppr.findall(qn("w:bidi")):
        ppr.remove(old)
    if right_to_left:
        _put(ppr, make("w:bidi"), _PPR_ORDER)


def set_colour(rpr: Element, colour: str) -> None:
    """Set the text colour of run properties (hex), e.g. the document defaults'."""
    _put(rpr, make("w:color", {"w:val": colour}), _RPR_ORDER)


def set_lang(
    rpr: Element,
    *,
    latin: str | None = None,
    east_asia: str | None = None,
    bidi: str | None = None,
) -> None:
    """Tag a run's language for spelling and font choice; None leaves a slot unset
    (``bidi`` is the complex-script language, Arabic and Hebrew but also Hindi, Thai)."""
    lang = _get_or_put(rpr, "w:lang", _RPR_ORDER)
    if latin is not None:
        lang.set(qn("w:val"), latin)
    if east_asia is not None:
        lang.set(qn("w:eastAsia"), east_asia)
    if bidi is not None:
        lang.set(qn("w:bidi"), bidi)


def default_run_properties(styles: Element) -> Element:
    """Return ``w:docDefaults/w:rPrDefault/w:rPr``, creating the chain if absent."""
    defaults = styles.find(qn("w:docDefaults"))
    if defaults is None:
        defaults = make("w:docDefaults")
        styles.insert(0, defaults)
    rpr_default = defaults.find(qn("w:rPrDefault"))
    if rpr_default is None:
        rpr_default = make("w:rPrDefault")
        defaults.insert(0, rpr_default)
    rpr = rpr_default.find(qn("w:rPr"))
    if rpr is None:
        rpr = make("w:rPr")
        rpr_default.append(rpr)
    return cast(Element, rpr)


def remove_children(parent: Element, tag: str) -> None:
    """Delete every direct ``tag`` child, e.g. the template Title's bottom border."""
    for child in parent.findall(qn(tag)):
        parent.remove(child)


def set_style_table_properties(
    style: Element, borders: Mapping[str, BorderSpec], margins_twips: Mapping[str, int]
) -> None:
    """Give a table style its borders and cell margins (``w:style/w:tblPr``)."""
    tbl_pr = _get_or_put(style, "w:tblPr", _STYLE_ORDER)
    _put(tbl_pr, _borders("w:tblBorders", borders), _TBLPR_ORDER)
    _put(tbl_pr, _cell_margins(margins_twips), _TBLPR_ORDER)


# --- runs -----------------------------------------------------------------------------------


def set_complex_script_size(rpr: Element, half_points: int) -> None:
    """Match the complex-script size (``w:szCs``) to the Latin one the theme sets."""
    _put(rpr, make("w:szCs", {"w:val": str(half_points)}), _RPR_ORDER)


def shade_run(rpr: Element, fill: str) -> None:
    """Paint the background behind a run, e.g. the black of a TLP label."""
    _put(rpr, _shading(fill), _RPR_ORDER)


def append_field_char(run: Element, kind: Literal["begin", "separate", "end"]) -> None:
    """Add a complex-field boundary (``w:fldChar``) to a run."""
    run.append(make("w:fldChar", {"w:fldCharType": kind}))


def append_instruction(run: Element, instruction: str) -> None:
    """Add a field instruction such as `` PAGE `` to a run."""
    text = make("w:instrText", {"xml:space": "preserve"})
    text.text = instruction
    run.append(text)


# --- paragraphs: links and bookmarks ---------------------------------------------------------


def append_hyperlink(
    paragraph: Element, *, relationship_id: str | None = None, anchor: str | None = None
) -> Element:
    """Append an empty ``w:hyperlink`` to a paragraph and return it for runs to move into.

    ``relationship_id`` makes an external link (the URL lives in the part's
    relationships); ``anchor`` makes an internal link to a bookmark name.
    """
    attrs = {"w:history": "1"}
    if relationship_id is not None:
        attrs["r:id"] = relationship_id
    if anchor is not None:
        attrs["w:anchor"] = anchor
    link = make("w:hyperlink", attrs)
    paragraph.append(link)
    return link


def add_bookmark(paragraph: Element, bookmark_id: int, name: str) -> None:
    """Wrap a paragraph's content in a bookmark so links and Word's Go To can reach it."""
    start = make("w:bookmarkStart", {"w:id": str(bookmark_id), "w:name": name})
    end = make("w:bookmarkEnd", {"w:id": str(bookmark_id)})
    properties = paragraph.find(qn("w:pPr"))
    if properties is None:
        paragraph.insert(0, start)
    else:
        properties.addnext(start)
    paragraph.append(end)


def bookmark_name(anchor: str, *, unique: bool = False) -> str:
    """Turn a document anchor into a valid, deterministic Word bookmark name.

    Word wants a letter first, then ASCII letters, digits or underscores, at
    most 40 characters. Names that must be cut, or that must differ from an
    identical sanitised name (``unique``), end in a short hash of the anchor.
    """
    name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)
    if not ("a" <= name[:1].lower() <= "z"):
        name = "b_" + name
    if len(name) <= 40 and not unique:
        return name
    digest = hashlib.sha1(anchor.encode("utf-8")).hexdigest()[:8]
    return f"{name[:31]}_{digest}"


def set_numbering(paragraph_properties: Element, num_id: int, level: int = 0) -> None:
    """Attach a paragraph to a numbering instance (``w:numPr``)."""
    num_pr = make("w:numPr")
    num_pr.append(make("w:ilvl", {"w:val": str(level)}))
    num_pr.append(make("w:numId", {"w:val": str(num_id)}))
    _put(paragraph_properties, num_pr, _PPR_ORDER)


def restarted_numbering(numbering: Element, base_num_id: int) -> int:
    """Add a numbering instance that shares ``base_num_id``'s format but starts at 1.

    Every ordered list in Word that uses the List Number style continues the
    previous one unless it has its own ``w:num`` with a start override.
    """
    nums = numbering.findall(qn("w:num"))
    abstract = _abstract_num_id(nums, base_num_id)
    new_id = 1 + max(int(num.get(qn("w:numId"), "0")) for num in nums)
    num = make("w:num", {"w:numId": str(new_id)})
    num.append(make("w:abstractNumId", {"w:val": abstract}))
    override = make("w:lvlOverride", {"w:ilvl": "0"})
    override.append(make("w:startOverride", {"w:val": "1"}))
    num.append(override)
    nums[-1].addnext(num)
    return new_id


def style_num_id(style: Element) -> int:
    """Return the numbering instance a list style such as List Number points at."""
    num_id = style.find(f"{qn('w:pPr')}/{qn('w:numPr')}/{qn('w:numId')}")
    if num_id is None:
        raise ValueError("style has no numbering")
    return int(num_id.get(qn("w:val"), "0"))


def ends_with_paragraph(body: Element) -> bool:
    """Whether the last block before the section properties is a paragraph."""
    blocks = [child for child in body if child.tag != qn("w:sectPr")]
    return bool(blocks) and blocks[-1].tag == qn("w:p")


def _abstract_num_id(nums: Iterable[Element], num_id: int) -> str:
    for num in nums:
        if num.get(qn("w:numId")) == str(num_id):
            abstract = num.find(qn("w:abstractNumId"))
            if abstract is not None:
                return cast(str, abstract.get(qn("w:val")))
    raise ValueError(f"numbering instance {num_id} not found in the template")


# --- tables ---------------------------------------------------------------------------------


def set_table_width(table: Element, twips: int) -> None:
    """Fix a table's preferred width so Word does not autofit it to its content."""
    tbl_pr = _get_or_put(table, "w:tblPr", ("w:tblPr", "w:tblGrid", "w:tr"))
    _put(tbl_pr, make("w:tblW", {"w:w": str(twips), "w:type": "dxa"}), _TBLPR_ORDER)


def set_grid_widths(table: Element, widths_twips: Sequence[int]) -> None:
    """Set the ``w:gridCol`` widths LibreOffice lays a fixed table out by."""
    columns = table.findall(f"{qn('w:tblGrid')}/{qn('w:gridCol')}")
    for column, width in zip(columns, widths_twips, strict=True):
        column.set(qn("w:w"), str(width))


def set_cell_width(cell: Element, twips: int) -> None:
    """Set a cell's ``w:tcW`` (the width Word reads), as python-docx's ``cell.width`` does."""
    properties = cell.get_or_add_tcPr()
    properties.width = Twips(twips)


def set_table_borders(table: Element, borders: Mapping[str, BorderSpec]) -> None:
    """Set a table's own borders, overriding its style (used for borderless tables)."""
    tbl_pr = _get_or_put(table, "w:tblPr", ("w:tblPr", "w:tblGrid", "w:tr"))
    _put(tbl_pr, _borders("w:tblBorders", borders), _TBLPR_ORDER)


def set_table_cell_margins(table: Element, margins_twips: Mapping[str, int]) -> None:
    """Set default cell padding for one table."""
    tbl_pr = _get_or_put(table, "w:tblPr", ("w:tblPr", "w:tblGrid", "w:tr"))
    _put(tbl_pr, _cell_margins(margins_twips), _TBLPR_ORDER)


def use_style_header_and_bands(table: Element) -> None:
    """Let the table style's header row and banded rows apply (Word's "Header Row" and
    "Banded Rows" switches), and nothing for the first column."""
    tbl_pr = _get_or_put(table, "w:tblPr", ("w:tblPr", "w:tblGrid", "w:tr"))
    look = {
        "w:val": "0420", "w:firstRow": "1", "w:lastRow": "0", "w:firstColumn": "0",
        "w:lastColumn": "0", "w:noHBand": "0", "w:noVBand": "1",
    }  # fmt: skip
    _put(tbl_pr, make("w:tblLook", look), _TBLPR_ORDER)


def set_style_header_and_bands(
    style: Element, *, header_fill: str, header_text: str, band_fill: str
) -> None:
    """Give a table style a bold, filled header row and a fill on every second body row.

    The fill goes on ``band2Horz`` because the first body row after the header
    is band 1: the PDF stripes the second, fourth, ... body rows.
    """
    tbl_pr = _get_or_put(style, "w:tblPr", _STYLE_ORDER)
    _put(tbl_pr, make("w:tblStyleRowBandSize", {"w:val": "1"}), _TBLPR_ORDER)
    header = make("w:tblStylePr", {"w:type": "firstRow"})
    paragraph = make("w:pPr")
    paragraph.append(make("w:keepNext"))
    header.append(paragraph)
    run = make("w:rPr")
    run.append(make("w:b"))
    run.append(make("w:color", {"w:val": header_text}))
    header.append(run)
    header.append(make("w:trPr"))
    header[-1].append(make("w:tblHeader"))
    header.append(make("w:tcPr"))
    header[-1].append(_shading(header_fill))
    band = make("w:tblStylePr", {"w:type": "band2Horz"})
    band.append(make("w:tcPr"))
    band[-1].append(_shading(band_fill))
    for element in (header, band):
        style.append(element)  # tblStylePr comes last in a style


def set_table_alt_text(table: Element, caption: str, description: str = "") -> None:
    """The table's title and description, which screen readers announce (Word's Alt Text)."""
    tbl_pr = _get_or_put(table, "w:tblPr", ("w:tblPr", "w:tblGrid", "w:tr"))
    if caption:
        _put(tbl_pr, make("w:tblCaption", {"w:val": clean_text(caption)}), _TBLPR_ORDER)
    if description:
        _put(tbl_pr, make("w:tblDescription", {"w:val": clean_text(description)}), _TBLPR_ORDER)


def mark_header_row(row: Element) -> None:
    """Make a row repeat at the top of every page the table spans (``w:tblHeader``)."""
    _row_flag(row, "w:tblHeader")


def forbid_row_split(row: Element) -> None:
    """Keep a row on one page (``w:cantSplit``) so a cell never breaks mid-line."""
    _row_flag(row, "w:cantSplit")


def _row_flag(row: Element, tag: str) -> None:
    tr_pr = _get_or_put(row, "w:trPr", ("w:tblPrEx", "w:trPr", "w:tc"))
    if tr_pr.find(qn(tag)) is None:
        tr_pr.append(make(tag))  # trPr is an unordered choice group


def shade_cell(cell: Element, fill: str) -> None:
    """Fill a table cell with a solid colour (``w:tcPr/w:shd``)."""
    _put(_cell_properties(cell), _shading(fill), _TCPR_ORDER)


def set_cell_borders(cell: Element, borders: Mapping[str, BorderSpec]) -> None:
    """Override some borders of one cell, e.g. the thick left rule of a callout."""
    _put(_cell_properties(cell), _borders("w:tcBorders", borders), _TCPR_ORDER)


def _cell_properties(cell: Element) -> Element:
    return _get_or_put(cell, "w:tcPr", ("w:tcPr", "w:p", "w:tbl"))


def _shading(fill: str) -> Element:
    return make("w:shd", {"w:val": "clear", "w:color": "auto", "w:fill": fill})


def _borders(tag: str, borders: Mapping[str, BorderSpec]) -> Element:
    element = make(tag)
    for side in _BORDER_SIDES:
        if side in borders:
            style, size, colour = borders[side]
            attrs = {"w:val": style, "w:sz": str(size), "w:space": "0", "w:color": colour}
            element.append(make(f"w:{side}", attrs))
    return element


def _cell_margins(margins_twips: Mapping[str, int]) -> Element:
    element = make("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        if side in margins_twips:
            attrs = {"w:w": str(margins_twips[side]), "w:type": "dxa"}
            element.append(make(f"w:{side}", attrs))
    return element


# --- package ---------------------------------------------------------------------------------


def drop_thumbnail(package: Any) -> None:
    """Remove the template's ``docProps/thumbnail.jpeg``, a picture of another document.

    Parts are written by walking relationships, so deleting the package-level
    relationship is enough for the part to disappear from the saved file.
    """
    _drop_relationships(package.rels, RT.THUMBNAIL)


def drop_styles_with_effects(document_part: Any) -> None:
    """Remove ``stylesWithEffects.xml``, Word 2010's stale copy of the template styles.

    It still names the theme fonts we strip from ``styles.xml``; Word 2013 and
    later ignore it, and nothing reads it that would miss it.
    """
    _drop_relationships(document_part.rels, _STYLES_WITH_EFFECTS)


def _drop_relationships(relationships: dict[str, Any], reltype: str) -> None:
    for r_id in [key for key, rel in relationships.items() if rel.reltype == reltype]:
        del relationships[r_id]


def drop_preview_setting(settings: Element) -> None:
    """Stop Word from re-adding a thumbnail on save (``w:savePreviewPicture``)."""
    remove_children(settings, "w:savePreviewPicture")


def drop_custom_xml(document_part: Any) -> None:
    """Remove the template's customXml item (a leftover bibliography store)."""
    _drop_relationships(document_part.rels, RT.CUSTOM_XML)


def set_compatibility_mode(settings: Element, mode: int) -> None:
    """Lay the document out as Word ``mode`` does (15: Word 2013 and later), so Word
    does not open it in Compatibility Mode."""
    for setting in settings.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), str(mode))


HYPHEN_RUN_LIMIT = 2
"""Lines in a row that may end in a hyphen (Chicago: no more than two or three)."""
HYPHENATION_ZONE = 360
"""Word hyphenates a word only when carrying it over would leave a gap wider than this
(twips: Word's default 0.25 in), so hyphens stay rare in prose, as in the PDF."""


def set_auto_hyphenation(settings: Element) -> None:
    """Turn on Word's automatic hyphenation (File > Options > Hyphenation), so a long word
    in a narrow column breaks at a syllable with a hyphen, as in the PDF, rather than at
    the cell edge; each paragraph is hyphenated by its ``w:lang`` dictionary."""
    for name in ("w:autoHyphenation", "w:consecutiveHyphenLimit", "w:hyphenationZone"):
        remove_children(settings, name)
    anchor = settings.find(qn("w:defaultTabStop"))
    position = list(settings).index(anchor) + 1 if anchor is not None else 0
    added = [
        make("w:autoHyphenation"),
        make("w:consecutiveHyphenLimit", {"w:val": str(HYPHEN_RUN_LIMIT)}),
        make("w:hyphenationZone", {"w:val": str(HYPHENATION_ZONE)}),
    ]
    for offset, element in enumerate(added):
        settings.insert(position + offset, element)


def suppress_hyphenation(paragraph_properties: Element) -> None:
    """``w:suppressAutoHyphens``: keep a paragraph (a heading) unhyphenated."""
    _get_or_put(paragraph_properties, "w:suppressAutoHyphens", _PPR_ORDER)


def drop_revision_ids(*roots: Element) -> None:
    """Remove the template's editing-session ids (``w:rsids``, ``w:rsid*`` attributes).

    They record Word sessions of whoever made the template and mean nothing here.
    """
    for root in roots:
        remove_children(root, "w:rsids")
        for element in root.iter():
            for name in [n for n in element.attrib if n.startswith(f"{{{_W}}}rsid")]:
                del element.attrib[name]
            for child in element.findall(qn("w:rsid")):
                element.remove(child)


def drop_unused_table_styles(styles: Element, keep: Iterable[str]) -> None:
    """Remove the template's hundred table styles nobody applies ("Light Shading", ...)."""
    kept = set(keep)
    for style in styles.findall(qn("w:style")):
        if style.get(qn("w:type")) == "table" and style.get(qn("w:styleId")) not in kept:
            styles.remove(style)


# --- lists ----------------------------------------------------------------------------------


def plain_bullets(numbering: Element, font: str, colour: str) -> None:
    """Draw every bullet level with "•" in ``font`` instead of the template's Symbol glyph.

    The template's bullets are U+F0B7 in the Symbol font, which machines
    without Symbol show as an empty box, and which no embedded font carries.
    """
    for level in numbering.iter(qn("w:lvl")):
        number_format = level.find(qn("w:numFmt"))
        if number_format is None or number_format.get(qn("w:val")) != "bullet":
            continue
        text = level.find(qn("w:lvlText"))
        if text is not None:
            text.set(qn("w:val"), "\u2022")
        properties = level.find(qn("w:rPr"))
        if properties is None:
            properties = make("w:rPr")
            level.append(properties)
        properties.clear()
        fonts = make("w:rFonts", {"w:ascii": font, "w:hAnsi": font, "w:hint": "default"})
        properties.append(fonts)
        properties.append(make("w:color", {"w:val": colour}))


def add_numbered_list(numbering: Element, *, start: int, indent: int, hanging: int) -> int:
    """Add a one-level decimal list ("1", "2", ... then a tab) starting at ``start``.

    Returns its ``w:numId``. The number has no trailing period so that a REF
    field to a numbered paragraph (``\\r``) gives exactly the number printed.
    """
    abstracts = numbering.findall(qn("w:abstractNum"))
    nums = numbering.findall(qn("w:num"))
    abstract_id = 1 + max((int(a.get(qn("w:abstractNumId"), "0")) for a in abstracts), default=-1)
    abstract = make("w:abstractNum", {"w:abstractNumId": str(abstract_id)})
    abstract.append(make("w:nsid", {"w:val": f"{0x42520000 + abstract_id:08X}"}))
    abstract.append(make("w:multiLevelType", {"w:val": "singleLevel"}))
    level = make("w:lvl", {"w:ilvl": "0"})
    for tag, value in (("w:start", str(start)), ("w:numFmt", "decimal"), ("w:suff", "tab"),
                       ("w:lvlText", "%1"), ("w:lvlJc", "left")):  # fmt: skip
        level.append(make(tag, {"w:val": value}))
    paragraph = make("w:pPr")
    paragraph.append(make("w:ind", {"w:left": str(indent), "w:hanging": str(hanging)}))
    level.append(paragraph)
    abstract.append(level)
    if abstracts:
        abstracts[-1].addnext(abstract)
    else:
        numbering.insert(0, abstract)
    num_id = 1 + max((int(n.get(qn("w:numId"), "0")) for n in nums), default=0)
    num = make("w:num", {"w:numId": str(num_id)})
    num.append(make("w:abstractNumId", {"w:val": str(abstract_id)}))
    (nums[-1] if nums else abstract).addnext(num)
    return num_id


APP_PROPERTIES = (
    b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"
    b'<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/'
    b'extended-properties">'
    b"<Application>briefgen</Application><DocSecurity>0</DocSecurity>"
    b"<LinksUpToDate>false</LinksUpToDate><SharedDoc>false</SharedDoc>"
    b"</Properties>"
)
"""docProps/app.xml naming briefgen as the producer.

python-docx's template says "Microsoft Macintosh Word" with a page count of 1;
Word recomputes the statistics it drops, so the minimal honest part is best.
"""
