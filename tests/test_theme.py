"""Theme files: validated like briefs, fonts named by path, chosen with `build --theme`."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pikepdf
import pytest

from briefgen.cli import main
from briefgen.resources import templates_root
from briefgen.theme import ThemeError, default_theme, load_theme
from tests.conftest import SAMPLE, theme_copy

FONTS = templates_root() / "fonts"


def _theme_with_own_font(folder: Path) -> Path:
    """A theme that uses a font file of its own, by path, for all body text."""
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(FONTS / "NotoSans-Regular.ttf", folder / "fonts" / "Office.ttf")
    text = (templates_root() / "themes" / "default.toml").read_text(encoding="utf-8")
    text = text.replace('body = "Noto Serif"', 'body = "Office Sans"')
    text = text.replace('"../fonts/', f'"{FONTS.as_posix()}/')
    text += '\n[fonts.families."Office Sans"]\nregular = "fonts/Office.ttf"\n'
    path = folder / "office.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_default_theme_fonts_exist() -> None:
    theme = default_theme()
    for family in theme.fonts.families.values():
        assert family.regular.is_file()


def test_theme_names_a_font_by_path_and_the_pdf_embeds_it(tmp_path: Path) -> None:
    theme_file = _theme_with_own_font(tmp_path / "theme")
    assert load_theme(theme_file).family("Office Sans").regular.name == "Office.ttf"
    out = tmp_path / "out"
    assert (
        main(["build", str(SAMPLE), "-o", str(out), "-f", "pdf", "--theme", str(theme_file)]) == 0
    )
    with pikepdf.open(out / f"{SAMPLE.stem}.pdf") as pdf:
        names = {
            str(font.BaseFont).split("+")[-1]
            for page in pdf.pages
            for _, font in page.Resources.Font.items()
        }
    # Office.ttf is a copy of Noto Sans: PDFs name fonts by their PostScript name.
    assert "NotoSerif-Regular" not in names
    assert "NotoSans-Regular" in names


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda text: "sparkle = true\n" + text, "sparkle: Extra inputs are not permitted"),
        (lambda text: text.replace('size = "A4"', 'size = "A5"'), "page.size"),
        (lambda text: text.replace('text = "#1A1A1A"', 'text = "black"'), "colors.text"),
        (lambda text: text.replace("NanumGothic.ttf", "Missing.ttf"), "no font file"),
        (lambda text: text.replace('body = "Noto Serif"', 'body = "Comic"'), "Comic"),
        (lambda text: text + "\n[[[", "not valid TOML"),
    ],
)
def test_bad_themes_are_refused_with_the_reason(
    tmp_path: Path, edit: object, message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    source = (templates_root() / "themes" / "default.toml").read_text(encoding="utf-8")
    path = tmp_path / "theme.toml"
    assert callable(edit)
    path.write_text(str(edit(source)).replace('"../fonts/', f'"{FONTS.as_posix()}/'))
    with pytest.raises(ThemeError, match=message):
        load_theme(path)
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "--theme", str(path)]) == 1
    assert re.match(rf"{re.escape(str(path))}:\d+:\d+: error: ", capsys.readouterr().err)
    assert not out.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"root:x:0:0:root:/root:/bin/bash\n", "is not a TrueType font file"),
        (b"OTTO" + b"\x00" * 64, "OpenType font with CFF outlines"),
        (b"", "is not a TrueType font file"),
    ],
)
def test_theme_fonts_must_be_truetype_files(tmp_path: Path, content: bytes, message: str) -> None:
    """Only font subsets are embedded, so a theme cannot smuggle another file into a PDF."""
    impostor = tmp_path / "impostor.ttf"
    impostor.write_bytes(content)
    theme = theme_copy(
        tmp_path / "theme.toml",
        replace=('regular = "', f'regular = "{impostor}" # '),
    )
    with pytest.raises(ThemeError, match=message):
        load_theme(theme)


def test_a_font_path_to_any_other_file_is_refused_by_name(tmp_path: Path) -> None:
    theme = theme_copy(
        tmp_path / "theme.toml", replace=('regular = "', 'regular = "/etc/passwd" # ')
    )
    with pytest.raises(ThemeError, match=r"fonts\.families\.Noto Serif\.regular: /etc/passwd"):
        load_theme(theme)
