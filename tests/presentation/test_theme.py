"""Theme files: validated like briefs, fonts named by path, chosen with `build --theme`."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pikepdf
import pytest

from briefgen.cli.main import main
from briefgen.presentation.theme import ThemeError, default_theme, load_theme
from briefgen.support.resources import templates_root
from tests.conftest import REPO, SAMPLE, theme_copy

FONTS = templates_root() / "fonts"


def _theme_with_own_font(folder: Path) -> Path:
    """A theme that uses a font file of its own, by path, for all body text."""
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(FONTS / "NotoSans-Regular.ttf", folder / "fonts" / "Office.ttf")
    text = (templates_root() / "themes" / "default.toml").read_text(encoding="utf-8")
    text = text.replace('body = "Noto Serif"', 'body = "Office Sans"')
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
        (
            lambda text: text + '\n[fonts.families."Office"]\nregular = "Missing.ttf"\n',
            "no font file",
        ),
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
    path.write_text(str(edit(source)))
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
        tmp_path / "theme.toml", families=f'[fonts.families."Noto Serif"]\nregular = "{impostor}"'
    )
    with pytest.raises(ThemeError, match=message):
        load_theme(theme)


def test_a_font_path_to_any_other_file_is_refused_by_name(tmp_path: Path) -> None:
    theme = theme_copy(
        tmp_path / "theme.toml", families='[fonts.families."Noto Serif"]\nregular = "/etc/passwd"'
    )
    with pytest.raises(ThemeError, match=r"fonts\.families\.Noto Serif\.regular: /etc/passwd"):
        load_theme(theme)


def _theme_with_font_at(folder: Path, font_path: str) -> Path:
    """A theme in ``folder`` whose body family is the font file at ``font_path``."""
    folder.mkdir(parents=True, exist_ok=True)
    text = (templates_root() / "themes" / "default.toml").read_text(encoding="utf-8")
    text = text.replace('body = "Noto Serif"', 'body = "Office Sans"')
    text += f'\n[fonts.families."Office Sans"]\nregular = "{font_path}"\n'
    path = folder / "office.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("how", ["absolute", "relative", "link"])
def test_a_font_outside_the_theme_folder_is_refused(tmp_path: Path, how: str) -> None:
    """A theme from someone else cannot reach for the user's other files, even real fonts."""
    private = tmp_path / "private" / "Private.ttf"
    private.parent.mkdir()
    shutil.copy(FONTS / "NotoSans-Regular.ttf", private)
    folder = tmp_path / "theme"
    folder.mkdir()
    if how == "link":
        (folder / "Office.ttf").symlink_to(private)
    named = {"absolute": str(private), "relative": "../private/Private.ttf", "link": "Office.ttf"}
    theme = _theme_with_font_at(folder, named[how])
    with pytest.raises(ThemeError) as caught:
        load_theme(theme)
    expected = (
        f": error: fonts.families.Office Sans.regular: {private} is outside the theme's "
        f"folder {folder}; copy the font next to the theme file"
    )
    assert re.fullmatch(rf"{re.escape(str(theme))}:\d+:1{re.escape(expected)}", str(caught.value))


def test_fonts_inside_the_theme_folder_and_briefgens_own_are_allowed(tmp_path: Path) -> None:
    folder = tmp_path / "theme"
    (folder / "fonts").mkdir(parents=True)
    shutil.copy(FONTS / "NotoSans-Bold.ttf", folder / "fonts" / "Office.ttf")
    (folder / "Linked.ttf").symlink_to(FONTS / "NotoSans-Regular.ttf")  # a link to our own
    assert load_theme(_theme_with_font_at(folder, "fonts/Office.ttf"))
    assert (
        load_theme(_theme_with_font_at(folder, "Linked.ttf")).family("Office Sans").regular
        == (FONTS / "NotoSans-Regular.ttf").resolve()
    )


def _damaged(data: bytes, offset: int) -> bytes:
    """The font with its table directory scribbled over from ``offset`` on."""
    return data[:offset] + bytes(range(7, 250, 3)) * 4 + data[offset + 324 :]


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\x01\x00\x00" + b"\xff" * 4096,
        b"true" + b"\x00" * 64,
        b"ttcf" + b"\x00\x02\x00\x00" + b"\x00" * 64,
        _damaged((FONTS / "NotoSans-Regular.ttf").read_bytes(), 12),
        (FONTS / "NotoSans-Regular.ttf").read_bytes()[:20_000],
    ],
    ids=["TrueType magic, then junk", "Apple magic", "empty collection", "damaged", "truncated"],
)
def test_a_font_that_only_looks_like_truetype_is_refused_when_the_theme_loads(
    tmp_path: Path, content: bytes, capsys: pytest.CaptureFixture[str]
) -> None:
    """ReportLab would fail half-way through a build with any exception (KeyError,
    struct.error, ...); the theme check parses the font first and says which key."""
    folder = tmp_path / "theme"
    folder.mkdir()
    (folder / "Bad.ttf").write_bytes(content)
    theme = _theme_with_font_at(folder, "Bad.ttf")
    with pytest.raises(ThemeError, match=r"Office Sans\.regular: .*Bad\.ttf is not a usable"):
        load_theme(theme)
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "--theme", str(theme)]) == 1
    error = capsys.readouterr().err
    assert error.startswith(f"{theme}:") and "Traceback" not in error
    assert not out.exists()


def test_only_a_subset_of_a_theme_font_is_embedded(tmp_path: Path) -> None:
    """The PDF carries the glyphs it uses, never a whole file a theme points at."""
    theme_file = _theme_with_own_font(tmp_path / "theme")
    out = tmp_path / "out"
    build = ["build", str(SAMPLE), "-o", str(out), "-f", "pdf", "--theme", str(theme_file)]
    assert main(build) == 0
    whole = (tmp_path / "theme" / "fonts" / "Office.ttf").read_bytes()
    with pikepdf.open(out / f"{SAMPLE.stem}.pdf") as pdf:
        for page in pdf.pages:
            for _, font in page.Resources.Font.items():
                for descendant in font.get("/DescendantFonts", [font]):
                    descriptor = descendant.get("/FontDescriptor")
                    if descriptor is not None and "/FontFile2" in descriptor:
                        embedded = descriptor.FontFile2.read_bytes()
                        assert len(embedded) < len(whole) / 2
                        assert embedded != whole


@pytest.mark.parametrize("source", ["/dev/zero", "large"])
def test_a_theme_file_that_never_ends_is_refused(tmp_path: Path, source: str) -> None:
    path = Path(source)
    if source == "large":
        path = tmp_path / "large.toml"
        path.write_bytes(b"# " + b"x" * (1024 * 1024) + b"\n")
    started = time.perf_counter()
    expected = "it is a device, not a file" if source == "/dev/zero" else "larger than 256 KiB"
    with pytest.raises(ThemeError, match=expected):
        load_theme(path)
    assert time.perf_counter() - started < 5


def test_a_theme_can_choose_the_date_style(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    british = theme_copy(
        tmp_path / "british.toml",
        replace=('name = "default"\n', 'name = "default"\ndate_locale = "en-GB"\n'),
    )
    command = ["build", str(SAMPLE), "-o", str(tmp_path / "out"), "-f", "pdf"]
    assert main([*command, "--theme", str(british)]) == 0
    from pypdf import PdfReader

    text = " ".join(
        p.extract_text() for p in PdfReader(tmp_path / "out" / f"{SAMPLE.stem}.pdf").pages
    )
    assert "17 October 2024" in text and "October 17, 2024" not in text
    nowhere = theme_copy(
        tmp_path / "nowhere.toml",
        replace=('name = "default"\n', 'name = "default"\ndate_locale = "xx-Nowhere"\n'),
    )
    assert main(["validate", str(nowhere)]) == 1
    err = capsys.readouterr().err
    assert (
        "nowhere.toml:4:1: error: date_locale:" in err
        and "'xx-Nowhere' is not a locale Babel knows" in err
    )


def test_a_copy_of_the_default_theme_works_from_any_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README says: copy templates/themes/default.toml, edit it, pass it with --theme.
    It names briefgen's fonts by family, so nothing points back at the install."""
    copy = tmp_path / "elsewhere" / "office.toml"
    copy.parent.mkdir()
    shutil.copy(templates_root() / "themes" / "default.toml", copy)
    assert main(["validate", str(copy)]) == 0
    brief = REPO / "tests" / "fixtures" / "complex_scripts" / "brief.yaml"
    out = tmp_path / "out"
    assert main(["build", str(brief), "-o", str(out), "--theme", str(copy)]) == 0, capsys
    assert (out / "brief.pdf").stat().st_size > 0
    assert load_theme(copy).family("Noto Sans Arabic") == default_theme().family("Noto Sans Arabic")


def test_every_missing_or_unusable_font_is_reported_at_once_at_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "Broken.ttf").write_bytes(b"\x00\x01\x00\x00" + b"\x00" * 60)
    theme = theme_copy(
        tmp_path / "office.toml",
        replace=('table = "Noto Sans"', 'table = "Office Tables"'),
        families=(
            '[fonts.families."Office Serif"]\nregular = "Serif.ttf"\nbold = "SerifBold.ttf"\n\n'
            '[fonts.families."Office Sans"]\nregular = "Broken.ttf"\n'
        ),
    )
    assert main(["validate", str(theme)]) == 1
    err = capsys.readouterr().err
    lines = theme.read_text(encoding="utf-8").splitlines()

    def at(text: str) -> str:
        return f"{theme}:{lines.index(text) + 1}:1: error: "

    expected = [
        at('table = "Office Tables"')
        + "fonts.table: no font family 'Office Tables' is defined or built in",
        at('regular = "Serif.ttf"') + "fonts.families.Office Serif.regular: no font file",
        at('bold = "SerifBold.ttf"') + "fonts.families.Office Serif.bold: no font file",
        at('regular = "Broken.ttf"') + "fonts.families.Office Sans.regular: ",
    ]
    for message in expected:
        assert message in err, (message, err)
    assert "is not a usable TrueType font" in err


def test_a_theme_reaches_the_built_in_font_of_a_script_without_naming_it(
    tmp_path: Path,
) -> None:
    """A theme whose fallbacks stop at Noto Sans still draws an Arabic name: the script
    suggests the family preferred for Arabic, in the PDF as in the DOCX."""
    theme = theme_copy(
        tmp_path / "latin.toml",
        replace=(
            '  "Noto Sans Arabic", "Noto Sans Hebrew", "Noto Sans Devanagari", "Noto Sans Thai",\n',
            "",
        ),
    )
    assert "Arabic" not in str(load_theme(theme).fonts.fallbacks)
    brief = REPO / "tests" / "fixtures" / "complex_scripts" / "brief.yaml"
    out = tmp_path / "out"
    assert main(["build", str(brief), "-o", str(out), "--theme", str(theme)]) == 0
    with pikepdf.open(out / "brief.pdf") as pdf:
        names = {str(font.BaseFont).split("+")[-1] for font in pdf.pages[0].Resources.Font.values()}
    assert {"NotoSansArabic-Regular", "NotoSansHebrew-Regular", "NotoSansThai-Regular"} <= names
