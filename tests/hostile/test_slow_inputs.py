"""Inputs within the documented limits finish in seconds; past them, they are refused fast.

Each of these took minutes to hours before: a one-word title of 10,000 characters (the
running title was re-measured per character), a key point of 180,000 words (laid out
again for every page it ran over), an unmatched quote against a large source (every
window of words compared), and a diff of 1,000 renamed participants (a million
``difflib`` ratios).
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildRequest, render_brief
from briefgen.checks.provenance import ProvenanceOptions, nearest_passage, quote_found
from briefgen.cli.main import main
from briefgen.presentation.theme import default_theme
from briefgen.transforms.changes import diff_briefs
from briefgen.validation import load_brief
from briefgen.writers import pdf
from briefgen.writers.fonts import FontBook
from tests.conftest import SAMPLE


def _sample_with(tmp_path: Path, old: str, new: str) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    assert old in text
    brief = tmp_path / "brief.yaml"
    brief.write_text(text.replace(old, new, 1), encoding="utf-8")
    return brief


def test_a_title_of_one_10000_character_word_builds_in_seconds(tmp_path: Path) -> None:
    brief = _sample_with(
        tmp_path,
        "title: U.S.\u2013Japan\u2013ROK Vice Foreign Ministerial Meeting",
        "title: " + "W" * 10_000,
    )
    started = time.perf_counter()
    (built,) = render_brief(BuildRequest(brief, tmp_path, ("pdf",)))
    assert time.perf_counter() - started < 10
    assert built.data.startswith(b"%PDF")


def _fit_by_scanning(fonts: FontBook, text: str, size: float, room: float) -> str:
    """The old trimmer: drop one character at a time until the title fits."""
    while text:
        text = text[:-1]
        shorter = text.rstrip() + "\u2026"
        if fonts.width(fonts.segments(shorter, "heading", lang=None), size) <= room:
            return shorter
    return ""


@pytest.mark.parametrize("title", ["Wide " * 80, "W" * 400, "Ab " * 100 + "x" * 50])
def test_the_running_title_is_the_longest_prefix_that_fits(title: str) -> None:
    fonts = FontBook(default_theme())
    segments = fonts.segments(title, "heading", lang=None)
    fitted = "".join(segment.text for segment in pdf._fit(fonts, segments, 8, 300.0))
    assert fitted == _fit_by_scanning(fonts, title, 8, 300.0)


def test_the_running_title_of_10000_characters_is_fitted_at_once() -> None:
    fonts = FontBook(default_theme())
    segments = fonts.segments("W" * 10_000, "heading", lang=None)
    started = time.perf_counter()
    fitted = pdf._fit(fonts, segments, 8, 300.0)
    assert time.perf_counter() - started < 1
    assert fonts.width(fitted, 8) <= 300.0


def test_a_key_point_of_180000_words_is_refused_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    start = text.index("summary:\n  - text: >-\n") + len("summary:\n  - text: >-\n")
    end = text.index("    sources:", start)
    brief = tmp_path / "brief.yaml"
    brief.write_text(text[:start] + "      " + "word " * 180_000 + "\n" + text[end:], "utf-8")
    started = time.perf_counter()
    assert main(["build", str(brief), "-o", str(tmp_path / "out")]) == 1
    assert time.perf_counter() - started < 2
    err = capsys.readouterr().err
    assert f"{brief}:27:11: error: summary[0].text: a paragraph of 900,000 characters" in err


def test_long_paragraphs_within_the_limit_build_in_seconds(tmp_path: Path) -> None:
    paragraph = " ".join(["word"] * 1990)  # 9,949 characters, under the limit
    brief = _sample_with(
        tmp_path, "    talking_points:\n", "    talking_points:\n" + f'      - "{paragraph}"\n' * 30
    )
    started = time.perf_counter()
    render_brief(BuildRequest(brief, tmp_path, ("pdf",)))
    assert time.perf_counter() - started < 10


def _source_text(size: int) -> str:
    generator = random.Random(7)
    vocabulary = [
        "".join(
            generator.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(generator.randint(2, 9))
        )
        for _ in range(5000)
    ]
    words: list[str] = []
    length = 0
    while length < size:
        word = generator.choice(vocabulary)
        words.append(word)
        length += len(word) + 1
    return " ".join(words)


def test_an_unmatched_quote_against_a_5_mb_source_takes_under_2_seconds() -> None:
    text = _source_text(5 * 1024 * 1024 - 100)
    quote = " ".join(text[2_000_000:2_000_400].split()[1:-1]).replace("a", "e")
    options = ProvenanceOptions()
    started = time.perf_counter()
    assert not quote_found(quote, text, options)
    nearest = nearest_passage(quote, text)
    assert time.perf_counter() - started < 2
    assert nearest and nearest.split()[0] in text[1_999_000:2_001_000]


def _people(suffix: str, count: int) -> str:
    lines = ["schema_version: 1", "meta: {title: T, date: 2024-10-17}"]
    lines += ["summary:", "  - {text: A point.}", "participants:"]
    lines += [
        f"  - {{id: p{i}{suffix}, name: Person {i} {'x' * (i % 7)}, title: Director {i % 13},"
        f" organization: Ministry {i % 11}, country: KR, role: delegation}}"
        for i in range(count)
    ]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("edited", [False, True], ids=["renamed", "renamed and edited"])
def test_a_diff_of_1000_renamed_participants_takes_under_2_seconds(
    tmp_path: Path, edited: bool
) -> None:
    (tmp_path / "old.yaml").write_text(_people("", 1000), encoding="utf-8")
    new = _people("-r", 1000).replace("Ministry", "Ministry of") if edited else _people("-r", 1000)
    (tmp_path / "new.yaml").write_text(new, encoding="utf-8")
    old_brief, new_brief = load_brief(tmp_path / "old.yaml"), load_brief(tmp_path / "new.yaml")
    started = time.perf_counter()
    changes = diff_briefs(old_brief, new_brief)
    assert time.perf_counter() - started < 2
    (participants,) = [section for section in changes.sections if section.name == "participants"]
    assert len(participants.renamed) == 1000
    assert all(rename.new_key == f"{rename.old_key}-r" for rename in participants.renamed)
