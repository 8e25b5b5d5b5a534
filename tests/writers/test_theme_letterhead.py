"""Theme letterhead and look: visible in both formats, and a logo cannot smuggle in a file."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pytest
from PIL import Image
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.presentation.theme import ThemeError, load_theme
from tests.conftest import SAMPLE, theme_copy


def _theme(folder: Path, letterhead: str = "", replace: tuple[str, str] = ("", "")) -> Path:
    return theme_copy(folder / "office.toml", replace=replace, letterhead=letterhead)


def _logo(path: Path, size: tuple[int, int] = (120, 40)) -> Path:
    Image.new("RGB", size, (31, 58, 95)).save(path)
    return path


LETTERHEAD = """
[letterhead]
logo = "logo.png"
header_text = "Office of Northeast Asian Affairs"
footer_text = "Internal use: do not forward"
"""


def _build(tmp_path: Path, theme: Path) -> tuple[Path, Path]:
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "--theme", str(theme)]) == 0
    return out / f"{SAMPLE.stem}.pdf", out / f"{SAMPLE.stem}.docx"


def test_the_letterhead_appears_on_every_page_of_both_formats(tmp_path: Path) -> None:
    _logo(tmp_path / "logo.png")
    pdf, word_file = _build(tmp_path, _theme(tmp_path, LETTERHEAD))
    for page in PdfReader(pdf).pages:
        assert len(page.images) == 1
        text = page.extract_text()
        assert "Office of Northeast Asian Affairs" in text
        assert "Internal use: do not forward" in text
    word = docx.Document(io.BytesIO(word_file.read_bytes()))
    header = "\n".join(p.text for p in word.sections[0].header.paragraphs)
    footer = "\n".join(p.text for p in word.sections[0].footer.paragraphs)
    assert "Office of Northeast Asian Affairs" in header
    assert "Internal use: do not forward" in footer
    assert footer.strip().splitlines()[-1].strip().startswith("UNCLASSIFIED")  # marking outermost
    with zipfile.ZipFile(word_file) as package:
        assert any(name.startswith("word/media/") for name in package.namelist())
        header_xml = next(
            package.read(n) for n in package.namelist() if n.startswith("word/header")
        )
    assert b"<a:blip" in header_xml


def test_a_theme_change_shows_in_both_formats(tmp_path: Path) -> None:
    theme = _theme(
        tmp_path,
        "",
        replace=('accent = "#1F3A5F"', 'accent = "#8B1E3F"'),
    )
    theme.write_text(
        theme.read_text(encoding="utf-8").replace('size = "A4"', 'size = "Letter"'),
        encoding="utf-8",
    )
    pdf, word_file = _build(tmp_path, theme)
    page = PdfReader(pdf).pages[0]
    assert round(float(page.mediabox.width)) == 612  # Letter, not A4's 595
    content = page.get_contents()
    assert content is not None
    fills = re.findall(rb"([\d.]+) ([\d.]+) ([\d.]+) rg", content.get_data())
    wanted = (0x8B / 255, 0x1E / 255, 0x3F / 255)
    assert any(
        all(abs(float(v) - w) < 0.002 for v, w in zip(fill, wanted, strict=True)) for fill in fills
    ), "the accent colour is not used on page 1"
    word = docx.Document(io.BytesIO(word_file.read_bytes()))
    assert str(word.styles["Heading 1"].font.color.rgb) == "8B1E3F"
    width = word.sections[0].page_width
    assert width is not None and round(width.mm) == 216


@pytest.mark.parametrize(
    ("setup", "logo", "message"),
    [
        ("outside", "../outside.png", "outside the theme's folder"),
        ("symlink", "link.png", "outside the theme's folder"),
        ("text", "notes.png", "not a PNG or JPEG"),
        ("truncated", "broken.png", "not a readable PNG"),
        ("huge", "huge.png", "pixels; use a smaller image"),
        ("missing", "absent.png", "no image file"),
    ],
)
def test_a_logo_must_be_a_real_image_inside_the_theme_folder(
    tmp_path: Path, setup: str, logo: str, message: str
) -> None:
    folder = tmp_path / "theme"
    folder.mkdir()
    _logo(tmp_path / "outside.png")
    if setup == "symlink":
        (folder / "link.png").symlink_to("/etc/passwd")
    elif setup == "text":
        (folder / "notes.png").write_text("secret notes", encoding="utf-8")
    elif setup == "truncated":
        (folder / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    elif setup == "huge":
        with Image.new("1", (5000, 4000)) as image:
            image.save(folder / "huge.png")
    theme = _theme(folder, f'\n[letterhead]\nlogo = "{logo}"\n')
    with pytest.raises(ThemeError, match=message):
        load_theme(theme)


def test_letterhead_text_may_not_hold_control_characters(tmp_path: Path) -> None:
    theme = _theme(tmp_path, '\n[letterhead]\nheader_text = "Office\\u0007"\n')
    with pytest.raises(ThemeError, match=r"letterhead\.header_text"):
        load_theme(theme)
