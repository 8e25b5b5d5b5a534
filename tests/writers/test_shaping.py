"""HarfBuzz shaping for the PDF: what each glyph stands for, and which words are shaped."""

from __future__ import annotations

import pytest
from reportlab.lib.abag import ABag
from reportlab.pdfbase.ttfonts import ShapedStr

from briefgen.presentation.theme import default_theme
from briefgen.support.resources import templates_root
from briefgen.writers.fonts import MissingGlyphsError, font_book, load_face
from briefgen.writers.shaping import (
    Glyph,
    glyph_texts,
    is_shaping_code,
    level_of,
    shape_frag_word,
    shaped_font,
    text_of_code,
)

FONTS = templates_root() / "fonts"


def _glyph(cluster: int) -> Glyph:
    return Glyph(gid=1, cluster=cluster, x_advance=0, y_advance=0, x_offset=0, y_offset=0)


def test_a_cluster_spreads_its_characters_over_its_glyphs_in_drawing_order() -> None:
    # "सिं" is drawn vowel sign first: three glyphs of one cluster, then "ह".
    glyphs = [_glyph(0), _glyph(0), _glyph(0), _glyph(3)]
    assert glyph_texts("सिंह", glyphs) == ["स", "ि", "ं", "ह"]


def test_a_ligature_stands_for_all_its_characters() -> None:
    assert glyph_texts("ब्र", [_glyph(0)]) == ["ब्र"]


def test_an_extra_glyph_stands_for_nothing() -> None:
    assert glyph_texts("ำ", [_glyph(0), _glyph(0)]) == ["ำ", ""]


def test_font_names_carry_the_bidi_level() -> None:
    face = load_face(FONTS / "NotoSansArabic-Regular.ttf")
    alias = shaped_font(face.name, 1)
    assert level_of(alias) == 1 and level_of(face.name) is None


def _word(font: str, text: str) -> list[object]:
    return [0.0, (ABag(fontName=font, fontSize=10.0), text)]


def test_unmarked_words_are_left_to_reportlab() -> None:
    face = load_face(FONTS / "NotoSerif-Regular.ttf")
    word = _word(face.name, "office")
    assert shape_frag_word(word) is word


def test_a_marked_word_is_shaped_into_codes_that_extract_as_its_text() -> None:
    face = load_face(FONTS / "NotoSansDevanagari-Regular.ttf")
    shaped = shape_frag_word(_word(shaped_font(face.name, 0), "सुब्रह्मण्यम"))
    width, (_, run) = shaped
    assert isinstance(run, ShapedStr)
    assert all(is_shaping_code(ord(char)) for char in run)
    assert "".join(text_of_code(ord(char)) or "" for char in run) == "सुब्रह्मण्यम"
    assert len(run) < len("सुब्रह्मण्यम")  # conjuncts: fewer glyphs than characters
    assert isinstance(width, float) and width > 0


def test_fonts_never_claim_the_shaping_codes() -> None:
    """A brief that writes one of these private-use codes must not draw a shaped glyph."""
    face = load_face(FONTS / "NotoSansArabic-Regular.ttf")
    run = shape_frag_word(_word(shaped_font(face.name, 1), "فيصل"))[1][1]
    with pytest.raises(MissingGlyphsError):
        font_book(default_theme()).segments(run[0], "body", lang=None)
