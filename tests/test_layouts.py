"""The built-in layouts in both formats: page counts, the one-page rule, and the listing."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.compose.render import ComposeOptions, compose
from briefgen.document.markup import MarkupError, parse_document
from briefgen.validation import load_brief
from tests.conftest import SAMPLE, audit_docx, libreoffice_pdf

PAGES = {"action_memo": 2, "briefing_memo": 7, "policy_brief": 4, "read_ahead": 1}
"""Pages of the sample in each layout's PDF (A4, default theme)."""


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def _build(tmp_path: Path, template: str, brief: Path = SAMPLE) -> dict[str, Path]:
    assert main(["build", str(brief), "-o", str(tmp_path), "--template", template]) == 0
    return {fmt: tmp_path / f"{brief.stem}.{fmt}" for fmt in ("pdf", "docx")}


@pytest.mark.parametrize("template", sorted(PAGES))
def test_each_layout_builds_both_formats_with_its_page_count(
    tmp_path: Path, template: str, only_dejavu: Path
) -> None:
    built = _build(tmp_path, template)
    assert len(PdfReader(built["pdf"]).pages) == PAGES[template]
    assert audit_docx(built["docx"].read_bytes()) == []
    converted = libreoffice_pdf(built["docx"], tmp_path / "lo", only_dejavu)
    # Same line heights in both formats, so the DOCX paginates as the PDF does
    # (and the read-ahead's one-page rule holds in Word's format too).
    assert len(PdfReader(converted).pages) == PAGES[template]
    word = docx.Document(io.BytesIO(built["docx"].read_bytes()))
    assert word.core_properties.title == load_brief(SAMPLE).meta.title


def test_layouts_differ_in_what_they_show(tmp_path: Path) -> None:
    texts = {
        template: " ".join(
            page.extract_text()
            for page in PdfReader(_build(tmp_path / template, template)["pdf"]).pages
        )
        for template in PAGES
    }
    assert "Talking points" in texts["briefing_memo"]
    assert "Talking points" not in texts["policy_brief"]
    # The agenda's objectives are internal negotiating aims: a public brief never prints them.
    assert "Align on a calm" in texts["briefing_memo"]
    assert "Align on a calm" not in texts["policy_brief"]
    assert "Recommendations" not in texts["policy_brief"]  # the sample has none of its own
    assert "ACTION MEMO" in texts["action_memo"] and "Bottom line" in texts["action_memo"]
    assert "Top risks (3 of 5)" in texts["read_ahead"]
    assert "Context" not in texts["read_ahead"]


def _crowded_brief(tmp_path: Path) -> Path:
    text = SAMPLE.read_text(encoding="utf-8")
    people = "".join(
        f"  - id: extra-{n}\n    name: Extra Delegate {n}\n    title: Adviser\n    country: US\n"
        for n in range(40)
    )
    crowded = text.replace("participants:\n", "participants:\n" + people, 1)
    path = tmp_path / "crowded.yaml"
    path.write_text(crowded, encoding="utf-8")
    (tmp_path / "sources").mkdir(exist_ok=True)
    return path


@pytest.mark.parametrize("formats", [["-f", "all"], ["-f", "docx"], ["-f", "html"]])
def test_a_read_ahead_that_cannot_fit_one_page_is_refused_clearly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], formats: list[str]
) -> None:
    brief = _crowded_brief(tmp_path)
    out = tmp_path / "out"
    command = ["build", str(brief), "-o", str(out), "--template", "read_ahead", *formats]
    assert main(command) == 1
    error = capsys.readouterr().err
    assert "this layout must fit on 1 page but the brief needs 3" in error
    assert "--template" in error
    assert not out.exists() or list(out.iterdir()) == []


def test_the_crowded_brief_still_builds_in_the_full_memo(tmp_path: Path) -> None:
    built = _build(tmp_path, "briefing_memo", _crowded_brief(tmp_path))
    assert len(PdfReader(built["pdf"]).pages) > PAGES["briefing_memo"]


def test_templates_lists_every_layout_with_its_description(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["templates"]) == 0
    listing = capsys.readouterr().out
    for name in PAGES:
        assert name in listing
    assert "One-page read-ahead" in listing
    assert "default.toml" in listing


def test_max_pages_must_be_a_whole_number() -> None:
    with pytest.raises(MarkupError, match="max-pages"):
        parse_document('<document title="T" max-pages="one"></document>')
    document = compose(load_brief(SAMPLE), ComposeOptions(template="read_ahead"))
    assert document.max_pages == 1
