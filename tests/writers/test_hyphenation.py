"""Hyphenation in both writers: long words in narrow columns break at a syllable with a
hyphen, never at an arbitrary letter (read back with pdftotext and python-docx)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from briefgen.document.nodes import Cell, Column, Document, DocumentInfo, Paragraph, Table, Text
from briefgen.presentation.theme import Theme
from briefgen.writers.docx import write_docx
from briefgen.writers.hyphenation import SOFT_HYPHEN, can_hyphenate, hyphenated, soft_hyphens
from briefgen.writers.pdf import write_pdf

WORDS = "counternarcotics institutionalization denuclearization interoperability"
"""Words too long for a 2 cm column, as in a commitments table's Due column."""


def _narrow_table(language: str) -> Document:
    cell = Cell(((Text(WORDS),),))
    return Document(
        info=DocumentInfo(title="Hyphenation", language=language),
        blocks=(
            Table(
                columns=(Column(1.0), Column(7.0)),
                header=(Cell(((Text("Due"),),)), Cell(((Text("Notes"),),))),
                rows=((cell, Cell(((Text("x"),),))),),
            ),
        ),
    )


def _cell_lines(pdf: bytes, tmp_path: Path) -> list[str]:
    """The narrow cell's lines, read back by poppler in reading order."""
    path = tmp_path / "narrow.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    lines = [line.strip() for line in text.splitlines()]
    start = lines.index("Due Notes") + 1
    return [line.removesuffix(" x") for line in lines[start:] if line and line != "x"][:12]


def test_pdf_breaks_long_words_at_syllables_with_a_hyphen(theme: Theme, tmp_path: Path) -> None:
    lines = _cell_lines(write_pdf(_narrow_table("en-US"), theme), tmp_path)
    words = _words_with_breaks(lines)
    assert [word for word, _ in words] == WORDS.split(), lines  # nothing lost, nothing added
    assert any(breaks for _, breaks in words), "the column is narrow enough that words break"
    for word, breaks in words:
        allowed = _break_points(word)
        assert set(breaks) <= allowed, f"{word} broken at {breaks}, not at a syllable: {lines}"


def _words_with_breaks(lines: list[str]) -> list[tuple[str, list[int]]]:
    """Each word of the cell, with the positions where a line broke it (after a hyphen).

    A line that ends inside a word without a hyphen would glue two words together
    here, so the comparison with the source words catches bare breaks too."""
    words: list[tuple[str, list[int]]] = []
    pending = ""
    breaks: list[int] = []
    for line in lines:
        *whole, last = line.split()
        if whole:
            words.append((pending + whole[0], breaks))
            words += [(word, []) for word in whole[1:]]
            pending, breaks = "", []
        if last.endswith("-"):
            pending += last[:-1]
            breaks = [*breaks, len(pending)]
        else:
            words.append((pending + last, breaks))
            pending, breaks = "", []
    return words


def _break_points(word: str) -> set[int]:
    """Positions at which the dictionary lets ``word`` break."""
    parts = hyphenated(word, "en-US").split("-")
    return {len("".join(parts[:count])) for count in range(1, len(parts))}


def test_soft_hyphens_mark_long_words_only() -> None:
    marked = soft_hyphens("The counternarcotics office, 2025.", "en-US", shortest=10)
    assert marked == f"The coun{SOFT_HYPHEN}ternar{SOFT_HYPHEN}cotics office, 2025."
    assert soft_hyphens("counternarcotics", "ko") == "counternarcotics"
    assert not can_hyphenate("ko")
    assert can_hyphenate("en-US")


def test_pdf_text_keeps_unbroken_words_whole(theme: Theme, tmp_path: Path) -> None:
    """A soft hyphen where the line does not break is not drawn."""
    document = Document(
        info=DocumentInfo(title="Whole words"),
        blocks=(Paragraph((Text("Counternarcotics cooperation is institutionalization."),)),),
    )
    path = tmp_path / "whole.pdf"
    path.write_bytes(write_pdf(document, theme))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Counternarcotics cooperation is institutionalization." in text
    assert SOFT_HYPHEN not in text


@pytest.mark.parametrize("language", ["en-US", "en-GB"])
def test_docx_turns_on_word_automatic_hyphenation(theme: Theme, language: str) -> None:
    data = write_docx(_narrow_table(language), theme)
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        settings = package.read("word/settings.xml").decode()
        styles = package.read("word/styles.xml").decode()
    assert "<w:autoHyphenation/>" in settings
    assert re.search(r'<w:consecutiveHyphenLimit w:val="2"/>', settings)
    assert f'w:val="{language}"' in styles  # the dictionary Word hyphenates with
    heading = re.search(r'<w:style [^>]*w:styleId="Heading1".*?</w:style>', styles, re.S)
    assert heading is not None
    assert "<w:suppressAutoHyphens/>" in heading.group(0)


def test_a_hyphenated_word_before_a_new_run_keeps_its_space(theme: Theme, tmp_path: Path) -> None:
    """ReportLab loses the space after a soft-hyphenated word that ends a run."""
    document = Document(
        info=DocumentInfo(title="Runs"),
        blocks=(
            Paragraph(
                (
                    Text("Backed by extended deterrence. "),
                    Text("\u201cironclad\u201d", italic=True),
                )
            ),
        ),
    )
    path = tmp_path / "runs.pdf"
    path.write_bytes(write_pdf(document, theme))
    text = subprocess.run(
        ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "extended deterrence. \u201cironclad\u201d" in text


def test_the_sample_due_column_hyphenates_a_long_milestone(tmp_path: Path) -> None:
    """The commitments table's narrow Due column, as a user builds it: "counternarcotics"
    breaks at a syllable with a hyphen, never bare."""
    from briefgen.build.pipeline import BuildRequest, render_brief
    from tests.conftest import SAMPLE

    text = SAMPLE.read_text(encoding="utf-8")
    assert "    due: future youth summits\n" in text
    brief = tmp_path / "narcotics.yaml"
    brief.write_text(text.replace("due: future youth summits", f"due: {WORDS}"), encoding="utf-8")
    (rendered,) = render_brief(BuildRequest(brief, tmp_path, ("pdf",)))
    path = tmp_path / "narcotics.pdf"
    path.write_bytes(rendered.data)
    lines = subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "counter" in line)
    cell = [line.strip() for line in lines[start : start + 12]]
    cell[0] = cell[0][cell[0].index("counter") :]  # the Kind cell ("New") shares the line
    words = _words_with_breaks(cell)[: len(WORDS.split())]
    assert [word for word, _ in words] == WORDS.split(), cell
    assert any(breaks for _, breaks in words), cell
    for word, breaks in words:
        assert set(breaks) <= _break_points(word), (word, breaks, cell)


def test_the_cached_dictionary_is_the_one_pyphen_parses() -> None:
    """The patterns come back from briefgen's cache (JSON) exactly as pyphen parses them."""
    import pyphen

    from briefgen.writers import hyphenation

    path = pyphen.LANGUAGES["en_US"]
    parsed = pyphen.HyphDict(path)
    for _ in range(2):  # made and stored, then read back
        cached = hyphenation._patterns(path)
        assert cached.patterns == parsed.patterns
        assert cached.maxlen == parsed.maxlen
        assert cached.positions("counternarcotics") == parsed.positions("counternarcotics")


def test_libreoffice_hyphenates_the_docx_due_column(tmp_path: Path, only_dejavu: Path) -> None:
    """A real client honours the DOCX's automatic hyphenation: LibreOffice breaks the
    Due column's long words at syllables with a hyphen (Word does the same)."""
    from briefgen.build.pipeline import BuildRequest, render_brief
    from tests.conftest import SAMPLE, libreoffice_pdf

    text = SAMPLE.read_text(encoding="utf-8").replace("due: future youth summits", f"due: {WORDS}")
    brief = tmp_path / "narcotics.yaml"
    brief.write_text(text, encoding="utf-8")
    (rendered,) = render_brief(BuildRequest(brief, tmp_path, ("docx",)))
    document = tmp_path / "narcotics.docx"
    document.write_bytes(rendered.data)
    converted = libreoffice_pdf(document, tmp_path / "lo", only_dejavu)
    lines = subprocess.run(
        ["pdftotext", "-raw", str(converted), "-"], check=True, capture_output=True, text=True
    ).stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if "counter" in line)
    cell = [line.strip() for line in lines[start : start + 12]]
    cell[0] = cell[0][cell[0].index("counter") :]
    words = _words_with_breaks(cell)[: len(WORDS.split())]
    assert [word for word, _ in words] == WORDS.split(), cell
    assert any(breaks for _, breaks in words), cell
