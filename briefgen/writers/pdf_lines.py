"""One line of a ReportLab paragraph put in display order (UAX #9, rule L2).

ReportLab breaks lines in logical order and draws each line's fragments left to
right.  For a line holding right-to-left text the fragments must be drawn in
display order: the words of an Arabic name inside an English sentence reversed,
a number inside Arabic text kept left to right.  Each run's bidi level travels in
its font name (:func:`briefgen.writers.shaping.level_of`); a right-to-left word
is already in display order inside itself (HarfBuzz shaped it right to left), so
only words and the spaces between them are reordered here.

A shaped line that runs left to right throughout (Devanagari, Thai) is also wrapped
in a ``/Span`` marked-content sequence whose ``/ActualText`` is the line's source text
(PDF 1.7, 14.9.4), so text extraction reads a vowel sign drawn before its consonant,
or a vowel drawn as two glyphs, as written.  Lines holding right-to-left text get no
``/ActualText``: readers (poppler's pdftotext, pypdf) apply the bidi algorithm to
the text they extract, including an ``/ActualText``, so logical text there would be
reversed once more.  Their glyphs are drawn in display order, each mapped by the
ToUnicode map to the characters it stands for (:mod:`.shaping`), which is what
those readers reorder correctly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from briefgen.writers.bidi import visual_order
from briefgen.writers.shaping import is_shaping_code, level_of, text_of_code

ACTUAL_TEXT_CB = "briefgen-actual-text"
"""Name of the canvas callback (see :func:`actual_text`) that the line's markers call."""

_PIECES = re.compile(r" +|[^ ]+")


@dataclass(slots=True)
class _Piece:
    """A word, the spaces after one, or a zero-width fragment (anchor, callback)."""

    frag: Any
    text: Any
    """A ``str`` or ReportLab ``ShapedStr`` slice; None for a zero-width fragment."""
    level: int


def display_order(words: list[Any], base: int) -> list[Any]:
    """The fragments of one line (``FragLine.words``) in display order.

    ``base`` is the paragraph's level (1 when it runs right to left).  Spaces take
    the lower level of the words around them, so they stay between the words they
    separated; zero-width fragments keep the level of the word before them.
    """
    pieces = _pieces(words, base)
    if not any(level_of(getattr(frag, "fontName", "")) is not None for frag in words):
        return words
    if any(piece.level for piece in pieces):
        _level_spaces(pieces, base)
        order = visual_order([piece.level for piece in pieces])
        return _fragments([pieces[index] for index in order])
    logical = "".join(_logical_text(piece) for piece in pieces)
    return [_marker(words[0], logical), *words, _marker(words[-1], "")]


def _logical_text(piece: _Piece) -> str:
    """The source text of a piece of a left-to-right line: each shaped glyph's code read
    back as the text it stands for, in drawing order (see :func:`.shaping.glyph_texts`).
    ReportLab may have cut an over-long word into plain strings of those codes."""
    if piece.text is None:
        return ""
    return "".join(_source(char) for char in str(piece.text))


def _source(char: str) -> str:
    code = ord(char)
    return (text_of_code(code) or "") if is_shaping_code(code) else char


def _marker(frag: Any, text: str) -> Any:
    """A zero-width fragment that calls :func:`actual_text` where the line is drawn."""
    from reportlab.lib.abag import ABag

    marker = frag.clone()
    marker.text = ""
    marker.cbDefn = ABag(kind="onDraw", name=ACTUAL_TEXT_CB, label=text, width=0)
    return marker


def actual_text(canv: Any, _kind: str, label: str | None) -> None:
    """Open (with the line's text) or close the line's ``/Span`` inside its text object."""
    tx = canv._curr_tx_info["tx"]  # the line's text object, as ReportLab hands it over
    if label:
        hex_text = ("\ufeff" + label).encode("utf-16-be").hex().upper()
        tx._code.append(f"/Span <</ActualText <{hex_text}>>> BDC")
    else:
        tx._code.append("EMC")


def _pieces(words: list[Any], base: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    for frag in words:
        text = getattr(frag, "text", None)
        if hasattr(frag, "cbDefn") or not text:
            level = pieces[-1].level if pieces else base
            pieces.append(_Piece(frag, None, level))
            continue
        marked = level_of(frag.fontName)
        level = base if marked is None else marked
        pieces.extend(
            _Piece(frag, text[m.start() : m.end()], level) for m in _PIECES.finditer(str(text))
        )
    return pieces


def _is_space(piece: _Piece) -> bool:
    return piece.text is not None and not str(piece.text).strip(" ")


def _level_spaces(pieces: list[_Piece], base: int) -> None:
    """Give each run of spaces the lower of its neighbours' levels (the paragraph's at an
    end of the line), a close reading of rules N1-N2 and L1 for the common cases."""
    words = [i for i, piece in enumerate(pieces) if piece.text is not None and not _is_space(piece)]
    for index, piece in enumerate(pieces):
        if not _is_space(piece):
            continue
        before = next((pieces[i].level for i in reversed(words) if i < index), None)
        after = next((pieces[i].level for i in words if i > index), None)
        if before is None or after is None:
            piece.level = base
        else:
            piece.level = min(before, after)


def _fragments(pieces: list[_Piece]) -> list[Any]:
    """Clone a fragment for each display-order run of pieces that came from it."""
    result: list[Any] = []
    last: Any = None
    for piece in pieces:
        if piece.text is None:
            result.append(piece.frag)
            last = None
            continue
        if last is not None and last[0] is piece.frag:
            last[1].text = last[1].text + piece.text
            continue
        clone = piece.frag.clone()
        clone.text = piece.text
        result.append(clone)
        last = (piece.frag, clone)
    return result
