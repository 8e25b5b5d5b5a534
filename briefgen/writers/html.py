"""HTML writer: render a :class:`~briefgen.document.nodes.Document` as one self-contained page.

The page is for reading on screen and printing, and is built to be accessible: a
``lang`` on the root, the marking banner and TLP label in a ``<header>`` and
``<footer>`` around ``<main>``, real ``h1``-``h4`` headings (the title is the
``h1``), tables with ``th scope="col"``, the heat map as inline SVG with a title and
description, and numbered notes whose citations link to them and back. Printed, the
markings, the running title and "Page X of Y" sit in the page margins of every page
(CSS ``@page`` margin boxes).

It is self-contained and inert: no script, no event handler, no remote or local file
reference (a letterhead logo is a ``data:`` URI), and a Content-Security-Policy that
forbids loading anything should a viewer try. Every string from the document is
escaped, so a brief's ``<script>`` is text; the only links are the brief's own web and
mail links and the page's internal ones.

Fonts are named, not embedded (the PDF and DOCX carry theme fonts; a web page names
them with the fallbacks each script needs, the theme's first, then common system
fonts). Every look comes from :mod:`briefgen.presentation`, as in the other writers.
"""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import assert_never, get_args

from briefgen.document.nodes import (
    Block,
    BulletList,
    Callout,
    Cell,
    Column,
    Content,
    DefinitionList,
    Document,
    Heading,
    HeatMap,
    NoteRef,
    Notes,
    Paragraph,
    Table,
    Text,
    Tone,
    heat_map_description,
    inline_contents,
    note_separator,
    plain_text,
)
from briefgen.presentation import (
    Presentation,
    ResolvedStyle,
    callout_fill,
    heading_level,
    is_link,
    present,
    table_geometry,
    tone_fill,
)
from briefgen.presentation.fonts import FontStack, family_chain, role_family
from briefgen.presentation.scripts import east_asian_tag
from briefgen.presentation.styles import STYLES, Role
from briefgen.presentation.tables import HEAT_MAP
from briefgen.presentation.theme import MAX_LOGO_BYTES, Theme
from briefgen.support.reading import read_regular_file

__all__ = ["write_html"]

_PT_PER_MM = 72 / 25.4
_PX_PER_PT = 96 / 72

_SYSTEM_FONTS: dict[str, tuple[str, ...]] = {
    "ko": ("Noto Sans CJK KR", "Noto Sans KR", "Apple SD Gothic Neo", "Malgun Gothic"),
    "ja": ("Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo"),
    "zh": ("Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei"),
}
"""Widely installed fonts per language, named after the theme's own: a reader without the
theme's fonts still sees each script in a font made for it, not in a lookalike."""
_CJK_ORDER = ("zh", "ja", "ko")
"""Untagged ideographs read as Chinese first, as in the PDF and the DOCX."""

_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)
"""Nothing may be fetched or run: only the page's own styles and ``data:`` images."""


def write_html(document: Document, theme: Theme) -> bytes:
    """Render ``document`` with ``theme`` as a UTF-8 HTML5 page; the same input always
    gives the same bytes.

    Raises :class:`~briefgen.presentation.PresentationError` for a page format that
    names other fields than ``{page}`` and ``{pages}`` or a citation of a missing note.
    """
    page = _Page(document, theme, present(document, theme))
    return page.render().encode("utf-8")


# --- ids --------------------------------------------------------------------------------------


class _Ids:
    """Gives every anchor and generated id one valid, unique HTML id.

    Anchors keep their readable form where it is safe (``brief.html#participants``
    works as the PDF's named destination does); anything else is replaced, and a clash
    gets a number. Ids depend on document order only, so output stays reproducible.
    """

    def __init__(self) -> None:
        self._ids: dict[str, str] = {}
        self._taken: set[str] = set()

    def anchor(self, anchor: str) -> str:
        """The id of a heading or note anchor, the same for the target and its links."""
        found = self._ids.get(anchor)
        if found is None:
            found = self._ids[anchor] = self.new(anchor)
        return found

    def new(self, wanted: str) -> str:
        """A fresh id as close to ``wanted`` as is valid and unused."""
        base = re.sub(r"[^A-Za-z0-9_-]+", "-", wanted).strip("-") or "id"
        if not base[0].isalpha():
            base = f"id-{base}"
        candidate, number = base, 1
        while candidate in self._taken:
            number += 1
            candidate = f"{base}-{number}"
        self._taken.add(candidate)
        return candidate


@dataclass(slots=True)
class _Citations:
    """Where each note is cited: the ids of its citation links, for the notes' back links."""

    ids: _Ids
    by_target: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    _next: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    def collect(self, blocks: Sequence[Block]) -> None:
        """Give every citation an id in reading order, before any block is written."""
        for block in blocks:
            for content in inline_contents(block):
                for item in content:
                    if isinstance(item, NoteRef):
                        note = self.ids.anchor(item.target)
                        self.by_target[item.target].append(self.ids.new(f"cite-{note}"))

    def next_id(self, target: str) -> str:
        """The id of the next citation of ``target`` as the blocks are written."""
        index = self._next[target]
        self._next[target] += 1
        return self.by_target[target][index]


# --- CSS --------------------------------------------------------------------------------------


def _css_string(text: str) -> str:
    """``text`` as a double-quoted CSS string: anything but letters, digits, spaces and
    plain punctuation becomes a six-digit escape, so no brief or theme string can end
    the string, the rule or the ``<style>`` element."""
    safe = []
    for char in text:
        if char.isascii() and (char.isalnum() or char in " .,:;!?-_/()+*#%'"):
            safe.append(char)
        elif char in "\r\n":
            safe.append(" ")
        else:
            safe.append(f"\\{ord(char):06X}")
    return '"' + "".join(safe) + '"'


def _generic(family: str) -> str:
    """The CSS generic family a theme family belongs to, judged by its name."""
    name = family.lower()
    return "serif" if "serif" in name and "sans" not in name else "sans-serif"


def _font_family(theme: Theme, role: Role, lang: str | None) -> str:
    """A CSS ``font-family`` for ``role`` text in ``lang``: the theme's chain of families
    (see :mod:`briefgen.presentation.fonts`), then system fonts for the scripts, then
    the generic family of the role's own font."""
    stack = FontStack.of(theme, role, lang)
    scripts = (stack.lang,) if stack.lang else _CJK_ORDER
    system = [name for code in scripts for name in _SYSTEM_FONTS.get(code, ())]
    names = dict.fromkeys([*stack.families, *system])
    generic = _generic(stack.families[0]) if stack.lang not in _SYSTEM_FONTS else "sans-serif"
    return ", ".join([*(_css_string(name) for name in names), generic])


def _font_variables(theme: Theme) -> str:
    """One custom property per role's stack (``--font-body``, ``--font-heading``,
    ``--font-table``), so each is written once, and ``--role``, the family of the text's
    role, which the per-language rules put where the PDF's chain has it."""
    roles: tuple[Role, ...] = ("body", "heading", "table")
    stacks = [f"--font-{role}: {_font_family(theme, role, None)};" for role in roles]
    stacks.append(f"--role: {_css_string(role_family(theme, 'body'))};")
    return (
        ":root { color-scheme: light; -webkit-print-color-adjust: exact; "
        "print-color-adjust: exact;\n  " + "\n  ".join(stacks) + " }"
    )


def _language_rules(theme: Theme) -> list[str]:
    """How each East Asian language's text is drawn, as in the PDF: text tagged with the
    language starts in that language's families, then the role's; text whose script alone
    suggests it (class ``script-ko``...) starts in the role's family, then the script's."""
    rules = []
    for lang, system in _SYSTEM_FONTS.items():
        tagged = _with_role(theme, FontStack.of(theme, "body", lang).families)
        others = tuple(code for code in _CJK_ORDER if code != lang)
        by_script = family_chain(theme, "body", None, (lang, *others))
        fallbacks = [_css_string(name) for name in system]
        rules += [
            f'[lang|="{lang}"] {{ font-family: {", ".join([*tagged, *fallbacks])}, sans-serif; }}',
            f".script-{lang} {{ font-family: "
            f"{', '.join([*_with_role(theme, tuple(by_script)), *fallbacks])}, sans-serif; }}",
        ]
    return rules


def _with_role(theme: Theme, families: tuple[str, ...]) -> list[str]:
    """The families as CSS names, the body's own family standing for the text's role."""
    body = role_family(theme, "body")
    return ["var(--role)" if name == body else _css_string(name) for name in families]


def _pt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".") + "pt"


def _style_rule(selector: str, style: ResolvedStyle) -> str:
    """One CSS rule carrying a resolved paragraph style."""
    declarations = [
        f"font-family: var(--font-{style.role})",
        f"--role: {_css_string(style.family)}",
        f"font-size: {_pt(style.size)}",
        f"line-height: {style.leading / style.size:.3f}",
        f"color: {style.colour}",
        f"font-weight: {'bold' if style.bold else 'normal'}",
        f"font-style: {'italic' if style.italic else 'normal'}",
        f"margin: {_pt(style.space_before)} {_pt(style.indent)} "
        f"{_pt(style.space_after)} {_pt(style.indent)}",
        f"text-align: {style.align}",
    ]
    if style.keep_with_next:
        declarations.append("break-after: avoid")
    if style.hyphenate:
        declarations.append("hyphens: auto")
    return f"{selector} {{ {'; '.join(declarations)}; }}"


_STYLE_SELECTORS = {
    "body": "main p, main li p",
    "lead": "main p.lead",
    "small": "main p.small",
    "quote": "main blockquote p",
    "title": "h1.title",
    "subtitle": "p.subtitle",
    "h1": ".h1",
    "h2": ".h2",
    "h3": ".h3",
    "caption": "caption, figcaption",
    "item": "main ul.list > li, main ol.list > li",
    "note": "ol.notes > li",
    "label": "dl.details dt",
    "value": "dl.details dd",
    "callout-title": "p.callout-title",
    "cell": "table.data td",
    "header-cell": "table.data th",
    "decor": ".decor p, .letterhead",
    "banner": ".decor .banner",
}
"""Where each style of the one typography table applies in the page."""


def _stylesheet(theme: Theme, looks: Presentation) -> str:
    """The page's whole stylesheet: typography, tables, callouts, notes, heat map and the
    print rules that keep the markings on every printed page."""
    colours = theme.colors
    page = looks.page
    rules = [
        _font_variables(theme),
        f"body {{ margin: 0 auto; max-width: {page.text_width_mm:g}mm; padding: 0 1.5rem; "
        f"background: #FFFFFF; color: {colours.text}; font-family: var(--font-body); }}",
        *(
            _style_rule(_STYLE_SELECTORS[name], looks.styles[name])
            for name in STYLES
            if name in _STYLE_SELECTORS
        ),
        *_language_rules(theme),
        f"a {{ color: {colours.accent}; }}",
        "sup.note-ref { line-height: 0; }",
        "sup.note-ref a { text-decoration: none; padding: 0 0.1em; }",
        ".back { margin-left: 0.3em; }",
        "h1, h2, h3, h4 { break-after: avoid; }",
        ".visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; "
        "clip-path: inset(50%); white-space: nowrap; }",
        # page decoration on screen
        ".decor { display: flex; flex-direction: column; gap: 0.3rem; margin: 1rem 0; }",
        ".decor p { margin: 0; }",
        ".marking { display: flex; justify-content: center; align-items: center; "
        "position: relative; min-height: 1.6em; }",
        f".decor .banner {{ color: {colours.banner_text}; letter-spacing: 0.03em; }}",
        ".decor .label { position: absolute; right: 0; font-weight: bold; "
        "padding: 0.1em 0.45em; border-radius: 2px; }",
        ".letterhead { display: flex; align-items: center; gap: 0.5rem; }",
        ".running { display: flex; justify-content: space-between; gap: 1rem; }",
        # tables
        "table { border-collapse: collapse; width: 100%; margin: 0 0 1em; }",
        "table.data td, table.data th { vertical-align: top; "
        f"padding: {_pt(3.5)} {_pt(5)}; border-bottom: 0.4pt solid {colours.rule}; "
        "text-align: left; }",
        "table.data td p, table.data th p { margin: 0; font: inherit; color: inherit; "
        "--role: inherit; }",
        f"table.data thead th {{ background: {colours.table_header_bg}; "
        f"color: {colours.table_header_text}; vertical-align: middle; }}",
        f"table.data tbody tr:nth-child(even) {{ background: {colours.table_stripe_bg}; }}",
        "table.data caption { text-align: left; caption-side: top; }",
        "tr { break-inside: avoid; }",
        "thead { display: table-header-group; }",
        ".align-center { text-align: center !important; }",
        ".align-right { text-align: right !important; }",
        ".bold { font-weight: bold; }",
        *(
            f"table.data td.tone-{tone} {{ background: {fill}; }}"
            for tone in get_args(Tone)
            if (fill := tone_fill(theme, tone))
        ),
        # definition list, callouts, notes
        "dl.details { display: grid; grid-template-columns: max-content 1fr; "
        "column-gap: 1em; row-gap: 0.15em; margin: 0 0 1em; }",
        "dl.details div { display: contents; }",
        "dl.details dd { margin: 0; }",
        f".callout {{ border-left: 3pt solid {colours.accent}; padding: 7pt 10pt; "
        "margin: 0.3em 0 1em; break-inside: avoid; }",
        ".callout > :last-child { margin-bottom: 0; }",
        *(
            f".callout.tone-{tone} {{ background: {callout_fill(theme, tone)}; }}"
            for tone in get_args(Tone)
        ),
        "ol.notes { padding-left: 2.2em; }",
        "figure.heat-map { margin: 0.5em 0 1em; break-inside: avoid; }",
        "figure.heat-map svg { display: block; max-width: 100%; height: auto; }",
        "figure.heat-map text { font-family: var(--font-table); "
        f"--role: {_css_string(role_family(theme, 'table'))}; }}",
        _print_rules(theme, looks),
    ]
    return "\n".join(rules)


def _print_rules(theme: Theme, looks: Presentation) -> str:
    """``@page`` with the theme's paper and margins, and margin boxes that repeat the
    banner (top and bottom centre), the label (right), the letterhead text, the running
    title and "Page X of Y" on every printed page; the screen's header and footer,
    which say the same, are then left out."""
    decor, page, look = looks.decor, looks.page, looks.label
    small, banner = looks.styles["decor"], looks.styles["banner"]
    font = _font_family(theme, "heading", None)
    counters = {"{page}": "counter(page)", "{pages}": "counter(pages)"}
    number = " ".join(
        counters.get(piece) or _css_string(piece) for piece in looks.page_format_pieces
    )
    running = f"{_css_string(decor.footer_left + '  ')} {number}" if decor.footer_left else number
    letterhead = theme.letterhead
    base = f"font-family: {font}; font-size: {_pt(small.size)}; color: {small.colour}"
    boxes = [
        f"@bottom-left {{ content: {running}; {base}; vertical-align: top; }}",
    ]
    if letterhead.header_text:
        boxes.append(
            f"@top-left {{ content: {_css_string(letterhead.header_text)}; {base}; "
            "vertical-align: bottom; }"
        )
    if letterhead.footer_text:
        boxes[0] = (
            f"@bottom-left {{ content: {_css_string(letterhead.footer_text)} '\\A' {running}; "
            f"white-space: pre-wrap; {base}; vertical-align: top; }}"
        )
    if decor.banner:
        text = _css_string(decor.banner)
        style = (
            f"font-family: {font}; font-size: {_pt(banner.size)}; font-weight: bold; "
            f"color: {banner.colour}"
        )
        boxes += [
            f"@top-center {{ content: {text}; {style}; vertical-align: middle; }}",
            f"@bottom-center {{ content: {text}; {style}; vertical-align: middle; }}",
        ]
    if decor.label:
        text = _css_string(decor.label)
        style = (
            f"font-family: {font}; font-size: {_pt(small.size)}; font-weight: bold; "
            f"color: {look.text}; background: {look.background}; padding: 0.15em 0.45em; "
            "width: max-content; height: max-content; margin: auto 0 auto auto"
        )
        boxes += [
            f"@top-right {{ content: {text}; {style}; }}",
            f"@bottom-right {{ content: {text}; {style}; }}",
        ]
    margins = f"{page.top_mm:g}mm {page.right_mm:g}mm {page.bottom_mm:g}mm {page.left_mm:g}mm"
    return (
        f"@page {{ size: {page.size}; margin: {margins};\n  "
        + "\n  ".join(boxes)
        + "\n}\n@media print { body { max-width: none; padding: 0; } "
        "header.decor, footer.decor { display: none; } a { color: inherit; } }"
    )


# --- the page ---------------------------------------------------------------------------------


class _Page:
    """Writes one document: ids, citations and heading levels are per page."""

    def __init__(self, document: Document, theme: Theme, looks: Presentation) -> None:
        self.document = document
        self.theme = theme
        self.looks = looks
        self.ids = _Ids()
        self.citations = _Citations(self.ids)
        self.citations.collect(document.blocks)
        self._has_title = any(
            isinstance(block, Paragraph) and block.style == "title" for block in document.blocks
        )
        self._last_level = 0

    def render(self) -> str:
        """The whole page."""
        info = self.document.info
        logo = self._logo()
        head = [
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">',
            f"<title>{_text(info.title)}</title>",
            '<meta name="generator" content="briefgen">',
            *(
                f'<meta name="{name}" content="{_attr(value)}">'
                for name, value in (
                    ("author", info.author),
                    ("description", info.subject),
                    ("keywords", ", ".join(info.keywords)),
                    ("dcterms.created", _iso(info.created)),
                )
                if value
            ),
            f"<style>\n{_stylesheet(self.theme, self.looks)}\n</style>",
        ]
        body = [
            self._header(logo),
            "<main>",
            *self._sections(),
            "</main>",
            self._footer(),
        ]
        lang = _attr(self.document.info.language or "en")
        return (
            f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n'
            + "\n".join(head)
            + "\n</head>\n<body>\n"
            + "\n".join(part for part in body if part)
            + "\n</body>\n</html>\n"
        )

    # decoration ------------------------------------------------------------------------------

    def _logo(self) -> str | None:
        """The letterhead logo as a ``data:`` URI, or None."""
        path = self.theme.letterhead.logo
        if path is None:
            return None
        data = read_regular_file(path, MAX_LOGO_BYTES)
        kind = "image/png" if data.startswith(b"\x89PNG") else "image/jpeg"
        return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"

    def _marking(self) -> str:
        """The banner centred and the label at the right, as on every PDF page."""
        decor = self.document.decor
        parts = []
        if decor.banner:
            parts.append(f'<strong class="banner">{_text(decor.banner)}</strong>')
        if decor.label:
            look = self.looks.label
            parts.append(
                f'<strong class="label" style="color: {look.text}; '
                f'background: {look.background}">{_text(decor.label)}</strong>'
            )
        return f'<p class="marking">{"".join(parts)}</p>' if parts else ""

    def _header(self, logo: str | None) -> str:
        letterhead = self.theme.letterhead
        parts = [self._marking()]
        if logo is not None or letterhead.header_text:
            height = f"{letterhead.logo_height_mm:g}mm"
            image = (
                f'<img src="{logo}" alt="" style="height: {height}; width: auto">'
                if logo is not None
                else ""
            )
            parts.append(f'<p class="letterhead">{image}{_text(letterhead.header_text)}</p>')
        content = "".join(parts)
        return f'<header class="decor">{content}</header>' if content else ""

    def _footer(self) -> str:
        decor = self.document.decor
        letterhead = self.theme.letterhead
        parts = []
        if letterhead.footer_text:
            parts.append(f'<p class="letterhead">{_text(letterhead.footer_text)}</p>')
        if decor.footer_left:
            parts.append(f'<p class="running">{_text(decor.footer_left)}</p>')
        parts.append(self._marking())
        content = "".join(parts)
        return f'<footer class="decor">{content}</footer>' if content else ""

    # blocks ----------------------------------------------------------------------------------

    def _sections(self) -> Iterator[str]:
        """The blocks, each level-1 heading opening a ``<section>`` named by it."""
        open_section = False
        for block in self.document.blocks:
            if isinstance(block, Heading) and heading_level(block.level) == 1:
                if open_section:
                    yield "</section>"
                yield f'<section aria-labelledby="{self.ids.anchor(block.anchor)}">'
                open_section = True
            yield self.block(block)
        if open_section:
            yield "</section>"

    def block(self, block: Block) -> str:
        """One block of the document model as HTML."""
        match block:
            case Heading():
                return self._heading(block)
            case Paragraph():
                return self._paragraph(block)
            case BulletList():
                return self._list(block)
            case Table():
                return self._table(block)
            case DefinitionList():
                return self._definitions(block)
            case Callout():
                return self._callout(block)
            case Notes():
                return self._notes(block)
            case HeatMap():
                return self._heat_map(block)
            case _:
                assert_never(block)

    def _heading(self, block: Heading) -> str:
        """``h2``-``h4`` under a title (``h1``-``h3`` without one), never skipping a level."""
        level = heading_level(block.level) + (1 if self._has_title else 0)
        level = max(1, min(level, self._last_level + 1, 6))
        self._last_level = level
        anchor = self.ids.anchor(block.anchor)
        css = f"h{heading_level(block.level)}"
        return f'<h{level} id="{anchor}" class="{css}">{self.inline(block.content)}</h{level}>'

    def _paragraph(self, block: Paragraph) -> str:
        content = self.inline(block.content)
        match block.style:
            case "title":
                self._last_level = 1
                return f'<h1 class="title">{content}</h1>'
            case "quote":
                return f'<blockquote class="quote"><p>{content}</p></blockquote>'
            case "body":
                return f"<p>{content}</p>"
            case "lead" | "small" | "subtitle":
                return f'<p class="{block.style}">{content}</p>'
            case _:
                assert_never(block.style)

    def _list(self, block: BulletList) -> str:
        if not block.items:
            return ""
        tag = "ol" if block.ordered else "ul"
        items = "".join(f"<li>{self.inline(item)}</li>" for item in block.items)
        return f'<{tag} class="list">{items}</{tag}>'

    def _table(self, block: Table) -> str:
        """A data table: caption, column widths from the weights, a header row of column
        headers, tinted cells; stripes and the header fill come from the stylesheet."""
        geometry = table_geometry(block)
        if not geometry.columns:
            return ""
        caption = f"<caption>{self.inline(block.caption)}</caption>" if block.caption else ""
        cols = "".join(
            f'<col style="width: {fraction * 100:.2f}%">' for fraction in geometry.fractions
        )
        head = ""
        if block.header:
            cells = self._cells(block.header, geometry.columns, header=True)
            head = f"<thead><tr>{cells}</tr></thead>"
        rows = "".join(
            f"<tr>{self._cells(row, geometry.columns, header=False)}</tr>" for row in block.rows
        )
        return (
            f'<table class="data">{caption}<colgroup>{cols}</colgroup>{head}'
            f"<tbody>{rows}</tbody></table>"
        )

    def _cells(self, cells: Sequence[Cell], columns: Sequence[Column], *, header: bool) -> str:
        padded = [*cells, *[Cell(paragraphs=())] * (len(columns) - len(cells))]
        return "".join(
            self._cell(cell, column.align, header)
            for cell, column in zip(padded, columns, strict=False)
        )

    def _cell(self, cell: Cell, align: str, header: bool) -> str:
        classes = [f"align-{align}"] if align != "left" else []
        if cell.bold:
            classes.append("bold")
        if cell.tone is not None and not header and tone_fill(self.theme, cell.tone):
            classes.append(f"tone-{cell.tone}")
        css = f' class="{" ".join(classes)}"' if classes else ""
        if len(cell.paragraphs) == 1:
            content = self.inline(cell.paragraphs[0])
        else:
            content = "".join(f"<p>{self.inline(paragraph)}</p>" for paragraph in cell.paragraphs)
        if header:
            return f'<th scope="col"{css}>{content}</th>'
        return f"<td{css}>{content}</td>"

    def _definitions(self, block: DefinitionList) -> str:
        if not block.items:
            return ""
        items = "".join(
            f"<div><dt>{_text(label)}</dt><dd>{self.inline(value)}</dd></div>"
            for label, value in block.items
        )
        return f'<dl class="details">{items}</dl>'

    def _callout(self, block: Callout) -> str:
        """A tinted box named by its title (a ``note`` group, not a landmark: talking
        points repeat under every agenda item)."""
        title_id = self.ids.new("callout")
        body = "".join(
            self._list(part) if isinstance(part, BulletList) else self._paragraph(part)
            for part in block.body
        )
        return (
            f'<div class="callout tone-{block.tone}" role="note" aria-labelledby="{title_id}">'
            f'<p class="callout-title" id="{title_id}">{_text(block.title)}</p>{body}</div>'
        )

    def _notes(self, block: Notes) -> str:
        """Numbered notes; each links back to every place that cites it."""
        if not block.items:
            return ""
        items = []
        for note in block.items:
            anchor = self.ids.anchor(note.anchor)
            back = self._back_links(note.anchor, note.number)
            items.append(
                f'<li id="{anchor}" value="{note.number}">{self.inline(note.content)}{back}</li>'
            )
        return f'<ol class="notes">{"".join(items)}</ol>'

    def _back_links(self, target: str, number: int) -> str:
        """One "↩" link back to the citation, or "↩ a b c" for a note cited several times."""
        cited = self.citations.by_target.get(target, [])
        if len(cited) == 1:
            return (
                f'<a href="#{cited[0]}" class="back" role="doc-backlink" '
                f'aria-label="Back to the citation of note {number}">\u21a9\ufe0e</a>'
            )
        links = "".join(
            f' <a href="#{cite}" role="doc-backlink" '
            f'aria-label="Back to citation {_letter(index)} of note {number}">{_letter(index)}</a>'
            for index, cite in enumerate(cited)
        )
        return (
            f'<span class="back"><span aria-hidden="true">\u21a9\ufe0e</span>{links}</span>'
            if cited
            else ""
        )

    def _heat_map(self, block: HeatMap) -> str:
        if not block.rows or not any(block.rows):
            return ""
        svg = _HeatMapSvg(block, self.theme, self.looks, self.ids).render()
        caption = f"<figcaption>{self.inline(block.caption)}</figcaption>" if block.caption else ""
        return f'<figure class="heat-map">{svg}{caption}</figure>'

    # inline ----------------------------------------------------------------------------------

    def inline(self, content: Content) -> str:
        """Inline content: escaped text, emphasis, language spans, links and citations."""
        parts = []
        for index, item in enumerate(content):
            if isinstance(item, NoteRef):
                between = note_separator(content, index)  # "," or the en dash of "1-3"
                separator = f'<sup class="note-ref">{between}</sup>' if between else ""
                parts.append(separator + self._note_ref(item))
            else:
                parts.append(self._run(item))
        return "".join(parts)

    def _run(self, run: Text) -> str:
        html = _text(run.text)
        if run.bold:
            html = f"<strong>{html}</strong>"
        if run.italic:
            html = f"<em>{html}</em>"
        if run.lang and run.lang != self.document.info.language:
            html = f'<span lang="{_attr(run.lang)}">{html}</span>'
        elif not run.lang and (script := east_asian_tag(run.text, None)):
            html = f'<span lang="{script}" class="script-{script}">{html}</span>'
        if run.href and is_link(run.href):
            html = f'<a href="{_attr(run.href)}">{html}</a>'
        return html

    def _note_ref(self, ref: NoteRef) -> str:
        cite = self.citations.next_id(ref.target)
        target = self.ids.anchor(ref.target)
        return (
            f'<sup class="note-ref"><a href="#{target}" id="{cite}" role="doc-noteref" '
            f'aria-label="Note {ref.number}">{ref.number}</a></sup>'
        )


# --- heat map ---------------------------------------------------------------------------------


class _HeatMapSvg:
    """The heat map as an SVG picture with its description as the text alternative.

    Its geometry is the presentation layer's (square size, ratio, label share, rules);
    labels inside squares wrap at commas, since SVG text does not wrap by itself.
    """

    def __init__(self, block: HeatMap, theme: Theme, looks: Presentation, ids: _Ids) -> None:
        self.block = block
        self.theme = theme
        self.ids = ids
        self.text_width_mm = looks.page.text_width_mm
        self.cell_style = looks.styles["heat-cell"]
        self.axis_style = looks.styles["heat-axis"]
        self.row_style = looks.styles["heat-row"]
        self.title_style = looks.styles["heat-title"]

    def render(self) -> str:
        block, geometry = self.block, HEAT_MAP
        size = self.cell_style.size * _PX_PER_PT
        line = size * 1.25
        gap, pad = geometry.gap_pt * _PX_PER_PT, geometry.pad_pt * _PX_PER_PT
        width = self.text_width_mm * _PT_PER_MM * _PX_PER_PT
        columns = max(len(row) for row in block.rows)
        label_w = min(
            max((_text_width(label, size) for label in block.row_labels), default=0.0),
            width * geometry.max_label,
        )
        y_title_h = line
        left = y_title_h + label_w + 2 * gap
        cell_w = min(geometry.max_cell_mm * _PT_PER_MM * _PX_PER_PT, (width - left) / columns)
        wrapped = [
            [_wrap(", ".join(c.labels), cell_w - 2 * pad, size) for c in row] for row in block.rows
        ]
        tallest = max((len(lines) for row in wrapped for lines in row), default=1)
        cell_h = max(cell_w * geometry.ratio, tallest * line + 2 * pad)
        grid_h = cell_h * len(block.rows)
        total_w = left + cell_w * columns
        total_h = grid_h + gap + line + gap + line
        title_id, desc_id = self.ids.new("heat-map-title"), self.ids.new("heat-map-description")
        parts = [
            f'<svg xmlns="http://www.w3.org/2000/svg" role="img" '
            f'aria-labelledby="{title_id} {desc_id}" viewBox="0 0 {total_w:.1f} {total_h:.1f}" '
            f'width="{total_w:.1f}" height="{total_h:.1f}">',
            f'<title id="{title_id}">{_text(self._title())}</title>',
            f'<desc id="{desc_id}">{_text(heat_map_description(block))}</desc>',
        ]
        for i, row in enumerate(block.rows):
            y = i * cell_h
            if i < len(block.row_labels):
                parts.append(
                    self._label(
                        block.row_labels[i], left - gap, y + cell_h / 2, self.row_style, "end"
                    )
                )
            for j, cell in enumerate(row):
                x = left + j * cell_w
                fill = tone_fill(self.theme, cell.tone) or "#FFFFFF"
                parts.append(
                    f'<rect x="{x:.1f}" y="{y:.1f}" width="{cell_w:.1f}" height="{cell_h:.1f}" '
                    f'fill="{fill}" stroke="{geometry.rule_colour}" '
                    f'stroke-width="{geometry.rule_pt * _PX_PER_PT:.1f}"/>'
                )
                lines = wrapped[i][j]
                top = y + cell_h / 2 - (len(lines) - 1) * line / 2
                for k, text in enumerate(lines):
                    parts.append(
                        self._label(text, x + cell_w / 2, top + k * line, self.cell_style, "middle")
                    )
        axis_y = grid_h + gap + line / 2
        for j, label in enumerate(block.column_labels[:columns]):
            parts.append(
                self._label(label, left + (j + 0.5) * cell_w, axis_y, self.axis_style, "middle")
            )
        parts.append(
            self._label(
                block.x_title,
                left + columns * cell_w / 2,
                axis_y + line + gap,
                self.title_style,
                "middle",
            )
        )
        parts.append(
            f'<text transform="translate({line * 0.75:.1f} {grid_h / 2:.1f}) rotate(-90)" '
            f'text-anchor="middle" dominant-baseline="middle" '
            f'font-size="{self.title_style.size:g}pt" font-weight="bold" '
            f'fill="{self.title_style.colour}">{_text(block.y_title)}</text>'
        )
        parts.append("</svg>")
        return "".join(parts)

    def _title(self) -> str:
        block = self.block
        caption = plain_text(block.caption) if block.caption else ""
        return caption or f"Heat map of {block.y_title} by {block.x_title}"

    @staticmethod
    def _label(text: str, x: float, y: float, style: ResolvedStyle, anchor: str) -> str:
        weight = ' font-weight="bold"' if style.bold else ""
        return (
            f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" dominant-baseline="middle" '
            f'font-size="{style.size:g}pt" fill="{style.colour}"{weight}>{_text(text)}</text>'
        )


def _text_width(text: str, size: float) -> float:
    """An estimate of a label's width in the same unit as ``size`` (average glyph 0.55 em)."""
    return len(text) * size * 0.55


def _wrap(text: str, width: float, size: float) -> list[str]:
    """Break a square's labels after commas so each line fits ``width``."""
    if not text:
        return []
    lines: list[str] = []
    for word in text.split(", "):
        if lines and _text_width(f"{lines[-1]}, {word}", size) <= width:
            lines[-1] = f"{lines[-1]}, {word}"
        else:
            lines.append(word)
    return [f"{line}," if index < len(lines) - 1 else line for index, line in enumerate(lines)]


# --- helpers ----------------------------------------------------------------------------------


def _text(text: str) -> str:
    """Escape text for HTML content; line breaks become ``<br>``."""
    return escape(_clean(text), quote=False).replace("\n", "<br>")


def _attr(text: str) -> str:
    """Escape text for a double-quoted attribute value."""
    return escape(_clean(text).replace("\n", " "), quote=True)


_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Drop control characters HTML cannot carry; tabs stay, CR LF becomes LF."""
    return _CONTROLS.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _letter(index: int) -> str:
    """a, b, ... z, aa, ab, ...: the marks of a note's several back links."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("a") + rest) + letters
    return letters


def _iso(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
