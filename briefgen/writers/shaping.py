"""Complex scripts in the PDF: HarfBuzz shaping and extractable glyphs.

ReportLab draws one glyph per character.  Arabic letters change shape with their
neighbours, Devanagari consonants fuse into conjuncts and move their vowel signs,
Thai stacks marks: only a shaping engine knows which glyphs to draw and where.
ReportLab can hand a paragraph's words to HarfBuzz (``uharfbuzz``) and draw the
glyphs it returns, with their offsets (a ``ShapedStr``); this module replaces its
shaping step (``shapeFragWord``) for three reasons:

* only the runs the PDF writer marks (:func:`shaped_font`) are shaped: Latin text
  keeps ReportLab's plain drawing, so a brief without such scripts is unchanged;
* each run's direction comes from the Unicode Bidirectional Algorithm's level
  (:mod:`briefgen.writers.bidi`), not from HarfBuzz's guess, and a word that mixes
  fonts is shaped font by font (ReportLab's own step shapes it with the first font);
* every glyph drawn gets a character code of its own *for the text it stands for*.
  ReportLab maps a shaped glyph back to the first character the font's cmap gives
  for it, or to a private-use code: a conjunct or an Arabic initial form then
  extracts as the wrong letter or as nothing.  Here a glyph drawn for the text
  ``ब्र`` gets a private code that the PDF's ToUnicode map (rewritten by
  :mod:`briefgen.writers.pdf_tags` through :func:`text_of_code`) sends back to
  ``ब्र``; a cluster of several glyphs spreads its characters over them in drawing
  order, so text extraction reads the source text in logical order.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

ALIAS_MARK = "~"
"""Separates a font's registered name from the bidi level in a shaped run's font name."""

FIRST_CODE = 0xF0000
"""Codes for shaped glyphs come from Supplementary Private Use Area-A, which no
theme font maps and no brief should contain (:func:`is_shaping_code`)."""
LAST_CODE = 0xFFFFD

_LOCK = threading.Lock()
_CODES: dict[tuple[int, int, str], int] = {}
"""(id of the ReportLab face, glyph id, text) -> the code drawn for that glyph."""
_TEXTS: dict[int, str] = {}
"""Code -> the source text its glyph stands for (what ToUnicode should say)."""
_NEXT = [FIRST_CODE]


def shaped_font(font: str, level: int) -> str:
    """The name under which a run of ``font`` at bidi ``level`` is shaped.

    The name travels through ReportLab's paragraph markup (``<font name=...>``) to
    the line breaker and :func:`shape_frag_word`; it is registered as another name
    for the same font object, so the PDF still embeds the font once.
    """
    from reportlab.pdfbase import pdfmetrics

    alias = f"{font}{ALIAS_MARK}{level}"
    fonts: dict[str, Any] = pdfmetrics._fonts  # ReportLab's registry; no public alias API
    if alias not in fonts:
        fonts[alias] = pdfmetrics.getFont(font)
        pdfmetrics.registerFontFamily(alias, normal=alias)  # the markup parser asks
    return alias


def level_of(font_name: str) -> int | None:
    """The bidi level a shaped run's font name carries, or None for a plain run."""
    _, mark, level = font_name.rpartition(ALIAS_MARK)
    return int(level) if mark and level.isdigit() else None


def is_shaping_code(code: int) -> bool:
    """True for codes this module hands out (never a character a font can draw)."""
    return FIRST_CODE <= code <= LAST_CODE


def text_of_code(code: int) -> str | None:
    """The source text a shaped glyph's code stands for, None if it is no such code."""
    return _TEXTS.get(code)


@dataclass(frozen=True, slots=True)
class Glyph:
    """One glyph as HarfBuzz placed it, in font units (drawing order)."""

    gid: int
    cluster: int
    x_advance: int
    y_advance: int
    x_offset: int
    y_offset: int


def shape(font: Any, text: str, rtl: bool) -> list[Glyph]:
    """Shape ``text`` with ReportLab TTFont ``font``; glyphs in drawing (visual) order.

    Script and language are guessed from the text; the direction is given, since
    only the bidi algorithm knows it for neutral characters and digits.
    """
    import uharfbuzz

    buffer = uharfbuzz.Buffer()
    buffer.cluster_level = uharfbuzz.BufferClusterLevel.MONOTONE_CHARACTERS
    buffer.add_str(text)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(_hb_font(font), buffer, {})
    return [
        Glyph(
            info.codepoint, info.cluster, pos.x_advance, pos.y_advance, pos.x_offset, pos.y_offset
        )
        for info, pos in zip(buffer.glyph_infos, buffer.glyph_positions, strict=True)
    ]


_HB_FONTS: dict[int, tuple[Any, Any]] = {}


def _hb_font(font: Any) -> Any:
    """A HarfBuzz font at the font's own units per em, made once per ReportLab font."""
    with _LOCK:
        entry = _HB_FONTS.get(id(font))
        if entry is None or entry[0] is not font:
            import uharfbuzz

            entry = (font, uharfbuzz.Font(uharfbuzz.Face(uharfbuzz.Blob(font.face._ttf_data))))
            _HB_FONTS[id(font)] = entry
        return entry[1]


def glyph_texts(text: str, glyphs: list[Glyph]) -> list[str]:
    """The text each glyph stands for, so that reading the glyphs in drawing order
    gives each cluster's characters in logical order.

    A cluster of several characters and glyphs (``सि`` drawn as the vowel sign, then
    the consonant) spreads its characters over its glyphs one by one, the last glyph
    taking what is left; a glyph beyond the characters (Thai sara am drawn as two
    glyphs) stands for nothing.
    """
    starts = sorted({glyph.cluster for glyph in glyphs})
    ends = dict(zip(starts, [*starts[1:], len(text)], strict=True))
    members: dict[int, list[int]] = {}
    for index, glyph in enumerate(glyphs):
        members.setdefault(glyph.cluster, []).append(index)
    result = [""] * len(glyphs)
    for cluster, indices in members.items():
        chars = text[cluster : ends[cluster]]
        for position, index in enumerate(indices):
            last = position == len(indices) - 1
            result[index] = chars[position:] if last else chars[position : position + 1]
    return result


def code_for(font: Any, gid: int, text: str) -> int:
    """The code that draws glyph ``gid`` of ``font`` and extracts as ``text``.

    The code is added to ReportLab's character map of the font (with the glyph's
    advance), so ReportLab subsets, embeds and measures it like any character.
    """
    key = (id(font), gid, text)
    with _LOCK:
        code = _CODES.get(key)
        if code is None:
            code = _allocate(font.face, gid)
            _CODES[key] = code
            _TEXTS[code] = text
        return code


def _allocate(face: Any, gid: int) -> int:
    code = _NEXT[0]
    if code > LAST_CODE:
        raise RuntimeError("too many distinct shaped glyphs in one process")
    _NEXT[0] = code + 1
    face.charToGlyph[code] = gid
    face.glyphToChar.setdefault(gid, []).append(code)
    face.charWidths[code] = _advance(face, gid)
    return code


def _advance(face: Any, gid: int) -> float:
    """The glyph's own advance in thousandths of an em, as ReportLab keeps widths."""
    widths: Mapping[int, float] = face.charWidths
    for char in face.glyphToChar.get(gid, ()):
        if char in widths:
            return widths[char]
    metrics = getattr(face, "hmetrics", None)
    if metrics:
        advance = metrics[min(gid, len(metrics) - 1)][0]
        return float(advance) * 1000.0 / float(face.unitsPerEm)
    return 0.0


def shape_run(font: Any, text: str, size: float, rtl: bool) -> tuple[Any, float]:
    """``text`` shaped as a ReportLab ``ShapedStr`` and its advance width in points."""
    from reportlab.pdfbase.ttfonts import ShapeData, ShapedStr

    glyphs = shape(font, text, rtl)
    texts = glyph_texts(text, glyphs)
    scale = 1000.0 / float(font.face.unitsPerEm)
    chars: list[str] = []
    data: list[Any] = []
    width = 0.0
    for glyph, glyph_text in zip(glyphs, texts, strict=True):
        code = code_for(font, glyph.gid, glyph_text)
        chars.append(chr(code))
        advance = glyph.x_advance * scale
        width += advance * size / 1000.0
        data.append(
            ShapeData(
                glyph.cluster,
                advance,
                glyph.y_advance * scale,
                glyph.x_offset * scale,
                glyph.y_offset * scale,
                font.face.charWidths[code],
            )
        )
    return ShapedStr("".join(chars), shapeData=data), width


def shape_frag_word(word: list[Any], *_: Any, **__: Any) -> list[Any]:
    """ReportLab's ``shapeFragWord`` for briefgen: shape the runs the writer marked.

    ``word`` is ``[width, (frag, text), ...]``.  Unmarked runs and ReportLab's
    special fragments (anchors, callbacks) are kept as they are; marked runs are
    shaped with their own font in their own direction.  The result has ReportLab's
    "shaped word" type so it is not shaped twice.
    """
    from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
    from reportlab.pdfbase.ttfonts import ShapedFragWord, makeShapedFragWord

    if isinstance(word, ShapedFragWord):
        return cast(list[Any], word)  # already shaped (a line broken again)
    items = word[1:]
    if not any(_marked(frag) for frag, _ in items):
        return word
    shaped: list[Any] = makeShapedFragWord(word)([])
    width = 0.0
    for frag, text in items:
        level = level_of(getattr(frag, "fontName", "")) if _marked(frag) else None
        if level is None or not text:
            shaped.append((frag, text))
            if not hasattr(frag, "cbDefn"):
                width += stringWidth(text, frag.fontName, frag.fontSize)
            continue
        run, run_width = shape_run(getFont(frag.fontName), text, frag.fontSize, level % 2 == 1)
        shaped.append((frag, run))
        width += run_width
    shaped.insert(0, width)
    return shaped


def _marked(frag: Any) -> bool:
    return not hasattr(frag, "cbDefn") and level_of(getattr(frag, "fontName", "")) is not None


_INSTALLED = [False]


def install() -> None:
    """Make ReportLab's paragraphs shape through :func:`shape_frag_word` (once).

    ReportLab looks the function up in its paragraph module on every line break,
    and only for styles with ``shaping=1``: the writer gives that to the styles of
    paragraphs that hold a marked run, so nothing else changes.
    """
    with _LOCK:
        if _INSTALLED[0]:
            return
        from reportlab.platypus import paragraph

        paragraph.shapeFragWord = shape_frag_word
        _INSTALLED[0] = True
