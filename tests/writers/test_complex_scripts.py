"""Names in Devanagari, Arabic, Hebrew and Thai, checked with independent clients.

The fixture ``tests/fixtures/complex_scripts/brief.yaml`` puts the Indian, Saudi,
Israeli and Thai foreign ministers' names inside English sentences, in the
participants table, and a whole Arabic paragraph with numbers in it; its
``expected.json`` says which font, language and direction each name takes.

* The PDF draws exactly the glyphs HarfBuzz (uharfbuzz, run here on the original
  font file) chooses for each word: compared by outline, since the embedded subset
  renumbers glyphs.
* pdftotext, pypdf and the structure tree read the names as written.
* The DOCX tags each name's run (python-docx and its XML), and LibreOffice, seeing
  only DejaVu, draws them with the Noto fonts the DOCX carries.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

import docx
import pikepdf
import pypdf
import pytest
import uharfbuzz
from fontTools.ttLib import TTFont

from briefgen.build.pipeline import BuildRequest, build_brief
from briefgen.support.resources import templates_root
from tests.conftest import FIXTURES, libreoffice_pdf, pdf_font_families
from tests.writers.tagged_pdf import assert_conforms, squash, structure_text

FOLDER = FIXTURES / "complex_scripts"
EXPECTED = json.loads((FOLDER / "expected.json").read_text(encoding="utf-8"))
NAMES: dict[str, dict[str, Any]] = EXPECTED["names"]
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("complex")
    files = build_brief(BuildRequest(source=FOLDER / "brief.yaml", out_dir=out))
    return {file.path.suffix.lstrip("."): file.path for file in files}


# --- glyphs -----------------------------------------------------------------------------------


Outline = tuple[Any, ...]


def _outline(font: Any, glyph_name: str) -> Outline:
    """A glyph's resolved outline (components included), comparable across two fonts."""
    glyf = font["glyf"]
    coordinates, ends, flags = glyf[glyph_name].getCoordinates(glyf)
    return (tuple(coordinates), tuple(ends), tuple(flag & 1 for flag in flags))


def _drawn_outlines(pdf: Path) -> dict[str, list[Outline]]:
    """Every glyph the PDF draws, by font (subset prefix dropped), in drawing order."""
    drawn: dict[str, list[Outline]] = defaultdict(list)
    with pikepdf.open(pdf) as document:
        for page in document.pages:
            fonts = page.obj.Resources.Font
            programs: dict[str, tuple[str, Any, dict[int, str]]] = {}
            current: tuple[str, Any, dict[int, str]] | None = None
            for instruction in pikepdf.parse_content_stream(page):
                operands, operator = instruction.operands, instruction.operator
                if str(operator) == "Tf":
                    name = str(operands[0])
                    if name not in programs:
                        programs[name] = _program(fonts[name])
                    current = programs[name]
                elif str(operator) in ("Tj", "TJ") and current is not None:
                    family, font, cmap = current
                    items = operands[0] if str(operator) == "TJ" else [operands[0]]
                    for item in items:
                        if isinstance(item, pikepdf.String):
                            drawn[family] += [_outline(font, cmap[code]) for code in bytes(item)]
    return drawn


def _program(font: Any) -> tuple[str, Any, dict[int, str]]:
    family = str(font.BaseFont).split("+", 1)[-1]
    data = font.FontDescriptor.FontFile2.read_bytes()
    program = TTFont(io.BytesIO(data))
    cmap: dict[int, str] = {}
    for table in program["cmap"].tables:
        cmap.update({code & 0xFF: glyph for code, glyph in table.cmap.items()})
    return family, program, cmap


def _harfbuzz_outlines(path: Path, word: str, rtl: bool) -> list[Outline]:
    """The glyphs HarfBuzz draws for ``word`` with the font file at ``path``."""
    face = uharfbuzz.Face(uharfbuzz.Blob.from_file_path(str(path)))
    buffer = uharfbuzz.Buffer()
    buffer.add_str(word)
    buffer.guess_segment_properties()
    buffer.direction = "rtl" if rtl else "ltr"
    uharfbuzz.shape(uharfbuzz.Font(face), buffer, {})
    font = TTFont(str(path))
    order = font.getGlyphOrder()
    return [_outline(font, order[info.codepoint]) for info in buffer.glyph_infos]


def _contains(sequence: list[Outline], part: list[Outline]) -> bool:
    return any(sequence[i : i + len(part)] == part for i in range(len(sequence) - len(part) + 1))


@pytest.mark.parametrize("name", list(NAMES))
def test_each_word_is_drawn_with_the_glyphs_harfbuzz_chooses(
    built: dict[str, Path], name: str
) -> None:
    expected = NAMES[name]
    path = templates_root() / "fonts" / expected["file"]
    drawn = _drawn_outlines(built["pdf"])[path.stem]
    for word in name.split():
        shaped = _harfbuzz_outlines(path, word, expected["rtl"])
        assert _contains(drawn, shaped), (name, word)


def test_devanagari_conjuncts_are_fewer_glyphs_than_letters(built: dict[str, Path]) -> None:
    path = templates_root() / "fonts" / "NotoSansDevanagari-Regular.ttf"
    shaped = _harfbuzz_outlines(path, "सुब्रह्मण्यम", rtl=False)
    assert len(shaped) < len("सुब्रह्मण्यम")
    assert _contains(_drawn_outlines(built["pdf"])[path.stem], shaped)


# --- text ---------------------------------------------------------------------------------------


def _pdftotext(pdf: Path) -> str:
    binary = shutil.which("pdftotext")
    assert binary, "pdftotext is required: apt-get install poppler-utils"
    result = subprocess.run(
        [binary, str(pdf), "-"], capture_output=True, text=True, check=True, timeout=60
    )
    return _BIDI_CONTROLS.sub("", result.stdout)


@pytest.mark.parametrize("name", list(NAMES))
def test_pdftotext_reads_each_name_as_written(built: dict[str, Path], name: str) -> None:
    text = " ".join(_pdftotext(built["pdf"]).split())
    assert name in text


@pytest.mark.parametrize("name", list(NAMES))
def test_pypdf_reads_each_name_as_written(built: dict[str, Path], name: str) -> None:
    reader = pypdf.PdfReader(built["pdf"])
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert name in text


def test_the_english_sentence_keeps_the_arabic_name_in_its_place(built: dict[str, Path]) -> None:
    """In logical order in both readers (pdftotext puts the space after the name inside
    its embedding marks, so its spaces are not compared)."""
    sentence = "met Prince فيصل بن فرحان آل سعود on 29 July."
    assert squash(sentence) in squash(_pdftotext(built["pdf"]))
    reader = pypdf.PdfReader(built["pdf"])
    assert sentence in " ".join(reader.pages[0].extract_text().split())


def test_long_thai_and_devanagari_paragraphs_read_as_written(built: dict[str, Path]) -> None:
    """Shaped lines that run left to right carry /ActualText, even where a Thai
    paragraph without spaces is cut inside a word to fit the line."""
    reader = pypdf.PdfReader(built["pdf"])
    readers = {
        "pdftotext": squash(_pdftotext(built["pdf"])),
        "pypdf": squash("".join(page.extract_text() for page in reader.pages)),
        "structure": squash(structure_text(built["pdf"].read_bytes())),
    }
    for paragraph in EXPECTED["left_to_right_paragraphs"]:
        for reader_name, text in readers.items():
            assert squash(paragraph) in text, (reader_name, paragraph[:20])


def test_the_structure_tree_reads_names_and_arabic_paragraph_as_written(
    built: dict[str, Path],
) -> None:
    text = squash(structure_text(built["pdf"].read_bytes()))
    for expected in [*NAMES, *EXPECTED["right_to_left_paragraphs"]]:
        assert squash(expected) in text, expected


def test_the_pdf_still_conforms_to_pdf_ua_and_pdf_a(built: dict[str, Path]) -> None:
    assert_conforms(built["pdf"].read_bytes())


def test_the_pdf_embeds_the_noto_fonts(built: dict[str, Path]) -> None:
    assert set(EXPECTED["pdf_fonts"]) <= pdf_font_families(built["pdf"])


# --- DOCX ---------------------------------------------------------------------------------------


def _runs_with(document: Any, text: str) -> list[Any]:
    return [
        run for paragraph in _paragraphs(document) for run in paragraph.runs if run.text == text
    ]


def _paragraphs(document: Any) -> list[Any]:
    cells = [
        paragraph
        for table in document.tables
        for row in table.rows
        for cell in row.cells
        for paragraph in cell.paragraphs
    ]
    return [*document.paragraphs, *cells]


@pytest.mark.parametrize("name", list(NAMES))
def test_docx_runs_carry_complex_script_font_language_and_direction(
    built: dict[str, Path], name: str
) -> None:
    expected = NAMES[name]
    runs = _runs_with(docx.Document(str(built["docx"])), name)
    assert len(runs) >= 2, name  # in the key points and in the participants table
    for run in runs:
        properties = run._r.rPr
        assert properties.find(f"{_W}rFonts").get(f"{_W}cs") == expected["font"]
        assert properties.find(f"{_W}cs") is not None
        assert properties.find(f"{_W}lang").get(f"{_W}bidi") == expected["lang"]
        assert (properties.find(f"{_W}rtl") is not None) == expected["rtl"]


def test_docx_paragraph_direction_follows_its_first_strong_letter(built: dict[str, Path]) -> None:
    document = docx.Document(str(built["docx"]))
    directions = {
        paragraph.text[:12]: paragraph._p.pPr.find(f"{_W}bidi") is not None
        for paragraph in document.paragraphs
        if paragraph.text and paragraph._p.pPr is not None
    }
    arabic = EXPECTED["right_to_left_paragraphs"][0]
    assert directions[arabic[:12]] is True
    assert directions["External Aff"] is False


def test_libreoffice_draws_the_names_with_the_fonts_the_docx_carries(
    built: dict[str, Path], only_dejavu: Path, tmp_path: Path
) -> None:
    converted = libreoffice_pdf(built["docx"], tmp_path, only_dejavu)
    assert set(EXPECTED["pdf_fonts"]) <= pdf_font_families(converted)
    text = " ".join(_pdftotext(converted).split())
    for name in NAMES:
        assert name in text


def test_a_mark_without_its_letter_and_a_vowel_drawn_as_two_glyphs_stay_conformant(
    tmp_path: Path,
) -> None:
    """HarfBuzz draws a lone Devanagari sign on a dotted circle, and Thai sara am as two
    glyphs: a glyph that stands for no character of its own still gets a ToUnicode entry
    (PDF/UA wants one for every code drawn), and the structure tree reads the text as written."""
    brief = tmp_path / "marks.yaml"
    brief.write_text(
        "schema_version: 1\nmeta: {title: Marks, date: 2024-10-17}\nsummary: [{text: x}]\n"
        "participants:\n"
        '  - {id: p, name: P, native_name: "\u0902", lang: hi, title: T, country: IN}\n'
        '  - {id: q, name: Q, native_name: "\u0e19\u0e49\u0e33", lang: th, title: T,'
        " country: TH}\n",
        encoding="utf-8",
    )
    (pdf,) = build_brief(BuildRequest(source=brief, out_dir=tmp_path / "out", formats=("pdf",)))
    data = pdf.path.read_bytes()
    assert_conforms(data)
    text = structure_text(data)
    assert "P\u0902" in text and "Q\u0e19\u0e49\u0e33" in text
