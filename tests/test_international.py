"""Every script a brief on East Asia meets: embedded, drawn with real glyphs, never lost.

The international fixture holds Korean, Japanese, Chinese, Cyrillic, Greek, accented
Latin and typographic punctuation. Its text must come out of both formats unchanged,
every font must be an embedded TrueType subset, and no character may be drawn with
the .notdef glyph (an empty box): checked in the embedded font programs themselves.
"""

from __future__ import annotations

import io
import re
import unicodedata
from pathlib import Path
from typing import Any

import pikepdf
import pypdf
import pytest
from docx2python import docx2python
from fontTools.ttLib import TTFont

from briefgen.build.pipeline import BuildRequest, build_brief
from briefgen.cli.main import main
from briefgen.validation import load_brief, load_brief_text
from tests.conftest import FIXTURES

INTERNATIONAL = FIXTURES / "international.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("international")
    files = build_brief(BuildRequest(source=INTERNATIONAL, out_dir=out))
    return {file.path.suffix.lstrip("."): file.path for file in files}


def _strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in _strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in _strings(value)]
    return []


def _brief_texts() -> list[str]:
    brief = load_brief(INTERNATIONAL)
    person_texts = [
        text
        for person in brief.participants
        for text in (person.name, person.native_name or "", person.title)
    ]
    return [
        brief.meta.title,
        brief.summary[0].text,
        *person_texts,
        brief.commitments[0].text,
        brief.risks[0].title,
    ]


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


def test_pdf_text_equals_the_input_text(built: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(built["pdf"])
    text = _squash("".join(page.extract_text() or "" for page in reader.pages))
    assert [s for s in _brief_texts() if _squash(s) not in text] == []


def test_docx_text_equals_the_input_text(built: dict[str, Path]) -> None:
    with docx2python(built["docx"]) as parsed:
        text = _squash(parsed.text)
    assert [s for s in _brief_texts() if _squash(s) not in text] == []


def _fonts(pdf: pikepdf.Pdf) -> list[Any]:
    fonts: dict[tuple[int, int], Any] = {}
    for page in pdf.pages:
        for _, font in page.Resources.Font.items():
            fonts[font.objgen] = font
    return list(fonts.values())


def _to_unicode(font: Any) -> dict[int, str]:
    stream = font.ToUnicode.read_bytes().decode("ascii")
    pairs = re.findall(r"<([0-9A-Fa-f]{2})>\s*<([0-9A-Fa-f]{4,})>", stream)
    return {int(code, 16): bytes.fromhex(text).decode("utf-16-be") for code, text in pairs}


def test_every_font_is_an_embedded_truetype_subset(built: dict[str, Path]) -> None:
    with pikepdf.open(built["pdf"]) as pdf:
        fonts = _fonts(pdf)
        names = {str(font.BaseFont).split("+", 1)[-1] for font in fonts}
        for font in fonts:
            assert font.Subtype == "/TrueType", font.BaseFont
            assert "/FontFile2" in font.FontDescriptor, font.BaseFont
            assert re.match(r"/[A-Z]{6}\+", str(font.BaseFont)), font.BaseFont
    assert {"NanumGothic", "IPAGothic"} <= names
    assert any(name.startswith("WenQuanYiMicroHei") for name in names)


def test_no_character_is_drawn_as_an_empty_box(built: dict[str, Path]) -> None:
    drawn = 0
    with pikepdf.open(built["pdf"]) as pdf:
        for font in _fonts(pdf):
            program = TTFont(io.BytesIO(font.FontDescriptor.FontFile2.read_bytes()))
            cmap = program["cmap"].getcmap(1, 0).cmap
            glyphs = program["glyf"]
            for code, char in _to_unicode(font).items():
                if unicodedata.category(char) == "Cc":
                    continue  # ReportLab's placeholder slots, never drawn
                glyph = cmap.get(code, ".notdef")
                assert glyph != ".notdef", f"{char!r} in {font.BaseFont} has no glyph"
                if not char.isspace():
                    assert glyphs[glyph].numberOfContours != 0, f"{char!r} is blank"
                drawn += 1
    assert drawn > 150


def test_japanese_korean_and_chinese_names_use_their_own_fonts(built: dict[str, Path]) -> None:
    with pikepdf.open(built["pdf"]) as pdf:
        by_font = {
            str(font.BaseFont).split("+", 1)[-1]: set(_to_unicode(font).values())
            for font in _fonts(pdf)
        }
    assert set("김홍균") <= by_font["NanumGothic"]
    assert set("岡野正敬") <= by_font["IPAGothic"]
    chinese = next(chars for name, chars in by_font.items() if name.startswith("WenQuanYi"))
    assert set("王毅") <= chinese


def test_right_to_left_text_validates() -> None:
    text = (
        "schema_version: 1\nmeta: {title: T, date: 2024-10-17}\nsummary: [{text: x}]\n"
        "participants:\n"
        "  - {id: p, name: P, native_name: עבד אללה, lang: he, title: T, country: IL}\n"
        "  - {id: q, name: Q, native_name: عبد الله, lang: ar, title: T, country: SA}\n"
    )
    brief = load_brief_text(text, "brief.yaml")
    assert [p.native_name for p in brief.participants] == ["עבד אללה", "عبد الله"]


def test_a_character_no_font_can_draw_fails_the_build_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        "schema_version: 1\nmeta: {title: T, date: 2024-10-17}\n"
        "summary: [{text: Linear B \U00010000 here}]\n",
        encoding="utf-8",
    )
    assert main(["build", str(brief), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{brief}:3:27: error: no font in the theme can draw U+10000" in err
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_a_right_to_left_character_no_font_can_draw_fails_at_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Syriac is right to left like Arabic, but no built-in font draws it."""
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        "schema_version: 1\nmeta: {title: T, date: 2024-10-17}\n"
        'summary:\n  - text: "Patriarch \u0710\u0712\u0713 met the minister"\n',
        encoding="utf-8",
    )
    assert main(["build", str(brief), "-o", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert f"{brief}:4:22: error: no font in the theme can draw U+0710" in err
