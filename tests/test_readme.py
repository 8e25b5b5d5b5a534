"""The README's worked examples work as written."""

from __future__ import annotations

import re
from pathlib import Path

from PIL import Image
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.presentation.theme import load_theme
from tests.conftest import REPO, SAMPLE, theme_copy

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_own_layout_example_builds_and_shows_its_overrides(tmp_path: Path) -> None:
    template = re.search(r"<<'END'\n(.*?)\nEND\n", README, re.DOTALL)
    assert template, "the README's template example has moved"
    folder = tmp_path / "my-memo"
    folder.mkdir()
    (folder / "document.xml.j2").write_text(template.group(1), encoding="utf-8")
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "--template", str(folder)]) == 0
    pdf = tmp_path / f"{SAMPLE.stem}-my-memo.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Who is in the room" in text
    assert "Distribution: EAP front office only." in text


def test_the_theme_example_is_a_valid_theme(tmp_path: Path) -> None:
    example = re.search(r"```toml\n(.*?)```", README, re.DOTALL)
    assert example, "the README's theme example has moved"
    page, letterhead = example.group(1).split("[letterhead]")
    assert 'size = "Letter"' in page
    theme = theme_copy(
        tmp_path / "office.toml",
        replace=('size = "A4"', 'size = "Letter"'),
        letterhead="[letterhead]" + letterhead,
    )
    Image.new("RGB", (90, 30), (31, 58, 95)).save(tmp_path / "logo.png")
    loaded = load_theme(theme)
    assert loaded.page.size == "Letter"
    assert loaded.letterhead.header_text == "Office of Northeast Asian Affairs"
