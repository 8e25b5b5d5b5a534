"""Fonts carried inside the DOCX (ECMA-376 Part 1, 17.8.1), read back as Word would."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont
from lxml import etree

from briefgen.cli.main import main
from briefgen.document.nodes import Document, DocumentInfo, PageDecor, Paragraph, Text
from briefgen.presentation.theme import Theme, load_theme
from briefgen.writers import docx_fonts
from briefgen.writers.docx import write_docx
from briefgen.writers.docx_fonts import embedding_refusals, iter_embedded, obfuscate
from tests.conftest import REPO, SAMPLE, theme_copy
from tests.writers.conftest import sample_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
FONTS = REPO / "templates" / "fonts"


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture(scope="module")
def parts(theme: Theme) -> dict[str, bytes]:
    return _parts(write_docx(sample_document(), theme))


def _document_text(parts: dict[str, bytes]) -> str:
    stories = [n for n in parts if n == "word/document.xml" or n.startswith("word/header")]
    stories += [n for n in parts if n.startswith("word/footer")]
    root_text = []
    for name in stories:
        root = etree.fromstring(parts[name])
        root_text += [t.text or "" for t in root.iter(f"{W}t")]
    return "".join(root_text)


def test_every_used_family_is_carried_and_readable(parts: dict[str, bytes]) -> None:
    carried = {(family, slot): data for family, slot, data in iter_embedded(parts)}
    assert {family for family, _ in carried} == {
        "Noto Serif",
        "Noto Sans",
        "NanumGothic",
        "IPAGothic",
    }
    for (family, _slot), data in carried.items():
        font = TTFont(io.BytesIO(data))  # de-obfuscated, it is a plain TrueType font again
        assert font["name"].getBestFamilyName() == family
        assert "glyf" in font


def test_subsets_hold_only_what_the_document_draws(parts: dict[str, bytes]) -> None:
    text = _document_text(parts)
    carried = {(family, slot): data for family, slot, data in iter_embedded(parts)}
    korean = TTFont(io.BytesIO(carried[("NanumGothic", "Regular")]))
    hangul = {chr(code) for code in korean.getBestCmap() if 0xAC00 <= code <= 0xD7A3}
    assert hangul == {char for char in text if 0xAC00 <= ord(char) <= 0xD7A3}
    assert len(korean.getGlyphOrder()) < 64  # of the full font's 10,000+
    serif = TTFont(io.BytesIO(carried[("Noto Serif", "Regular")]))
    drawn = {chr(code) for code in serif.getBestCmap()}
    # digits: page fields; "-": the hyphen automatic hyphenation adds
    assert drawn <= set(text) | set("0123456789-") | {" ", "\u2022"}
    assert "Q" not in text or "Q" in drawn


def test_font_table_describes_each_family_as_word_does(parts: dict[str, bytes]) -> None:
    table = etree.fromstring(parts["word/fontTable.xml"])
    fonts = {font.get(f"{W}name"): font for font in table.iter(f"{W}font")}
    assert set(fonts) == {
        "Noto Serif",
        "Noto Sans",
        "NanumGothic",
        "IPAGothic",
    }  # not Calibri, Cambria ...
    korean = fonts["NanumGothic"]
    assert korean.find(f"{W}charset").get(f"{W}val") == "81"  # Hangul
    assert fonts["Noto Serif"].find(f"{W}family").get(f"{W}val") == "roman"
    assert fonts["Noto Sans"].find(f"{W}family").get(f"{W}val") == "swiss"
    assert fonts["IPAGothic"].find(f"{W}charset").get(f"{W}val") == "80"  # Shift-JIS
    assert fonts["IPAGothic"].find(f"{W}pitch").get(f"{W}val") == "fixed"  # not IPAPGothic
    for font in fonts.values():
        assert font.find(f"{W}pitch").get(f"{W}val") in ("variable", "fixed")
        assert len(font.find(f"{W}panose1").get(f"{W}val")) == 20
        assert font.find(f"{W}sig").get(f"{W}usb0")
        embed = font.find(f"{W}embedRegular")
        assert embed.get(f"{W}subsetted") == "1"
        assert embed.get(f"{W}fontKey").startswith("{") and len(embed.get(f"{W}fontKey")) == 38


def test_package_declares_the_fonts(parts: dict[str, bytes]) -> None:
    types = parts["[Content_Types].xml"].decode()
    assert 'Extension="odttf"' in types
    assert "application/vnd.openxmlformats-officedocument.obfuscatedFont" in types
    rels = etree.fromstring(parts["word/_rels/fontTable.xml.rels"])
    targets = {f"word/{rel.get('Target')}" for rel in rels}
    assert targets == {name for name in parts if name.startswith("word/fonts/")}
    settings = etree.fromstring(parts["word/settings.xml"])
    names = [child.tag.replace(W, "") for child in settings]
    assert names.index("embedTrueTypeFonts") + 1 == names.index("saveSubsetFonts")
    assert names.index("zoom") < names.index("embedTrueTypeFonts")


def test_obfuscation_is_the_standard_xor_and_undoes_itself() -> None:
    key = "{0123ABCD-4567-89EF-0123-456789ABCDEF}"
    data = bytes(range(48))
    hidden = obfuscate(data, key)
    reversed_key = bytes.fromhex("0123ABCD456789EF0123456789ABCDEF")[::-1]
    assert hidden[0] == data[0] ^ reversed_key[0] == 0x00 ^ 0xEF
    assert hidden[16] == data[16] ^ reversed_key[0]
    assert hidden[32:] == data[32:]
    assert obfuscate(hidden, key) == data


def test_rebuilds_are_byte_identical(theme: Theme) -> None:
    assert write_docx(sample_document(), theme) == write_docx(sample_document(), theme)


def test_the_theme_can_turn_embedding_off(theme: Theme) -> None:
    fonts = theme.fonts.model_copy(update={"embed": False})
    quiet = theme.model_copy(update={"fonts": fonts})
    parts = _parts(write_docx(sample_document(), quiet))
    assert not [name for name in parts if name.startswith("word/fonts/")]
    assert b"embedTrueTypeFonts" not in parts["word/settings.xml"]
    table = etree.fromstring(parts["word/fontTable.xml"])
    assert {font.get(f"{W}name") for font in table.iter(f"{W}font")} >= {"Noto Serif"}


def _locked_theme(folder: Path) -> Path:
    """A theme whose body font's licence bits forbid embedding (OS/2 fsType 0x0002)."""
    font = TTFont(str(FONTS / "NotoSerif-Regular.ttf"))
    from fontTools import subset

    subsetter = subset.Subsetter()
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,")
    subsetter.subset(font)  # small enough (<256 glyphs) for ReportLab to embed whole
    font["OS/2"].fsType = 0x0002
    font.save(str(folder / "Locked.ttf"))
    theme = theme_copy(folder / "locked.toml", replace=('body = "Noto Serif"', 'body = "Locked"'))
    with theme.open("a", encoding="utf-8") as stream:
        stream.write('\n[fonts.families."Locked"]\nregular = "Locked.ttf"\n')
    return theme


def test_a_font_whose_licence_forbids_embedding_is_named_not_carried(tmp_path: Path) -> None:
    theme = load_theme(_locked_theme(tmp_path))
    (refusal,) = embedding_refusals(theme)
    assert refusal.family == "Locked" and "fsType 0x0002" in str(refusal)
    document = Document(
        blocks=(Paragraph((Text("Plain words"),)),),
        info=DocumentInfo(title="t", author="a", subject="s", keywords=(), language="en-US"),
        decor=PageDecor(),
    )
    parts = _parts(write_docx(document, theme))
    table = etree.fromstring(parts["word/fontTable.xml"])
    fonts = {font.get(f"{W}name"): font for font in table.iter(f"{W}font")}
    assert fonts["Locked"].find(f"{W}embedRegular") is None
    assert {family for family, _, _ in iter_embedded(parts)} == {"Noto Sans"}


def test_the_build_says_which_font_it_could_not_carry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theme = _locked_theme(tmp_path)
    brief = tmp_path / "brief.yaml"
    brief.write_text(SAMPLE.read_text(encoding="utf-8").replace("김홍균", "Kim"), encoding="utf-8")
    code = main(
        ["build", str(brief), "-o", str(tmp_path / "out"), "-f", "docx", "--theme", str(theme)]
    )
    output = capsys.readouterr().out
    assert code == 0, output
    assert f'{theme}: warning: font "Locked"' in output and "not embedded" in output


def test_the_sample_docx_stays_small(tmp_path: Path) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "-f", "docx"]) == 0
    size = (tmp_path / f"{SAMPLE.stem}.docx").stat().st_size
    assert size < 400 * 1024


def test_font_facts_from_the_cache_are_the_facts_read_from_the_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    font = REPO / "templates" / "fonts" / "IPAGothic.ttf"
    read = docx_fonts._read_facts(font)
    monkeypatch.setattr(docx_fonts, "_FACTS", {})
    assert docx_fonts._facts(font) == read  # stored
    monkeypatch.setattr(docx_fonts, "_FACTS", {})
    assert docx_fonts._facts(font) == read  # read back from the entry
    (entry,) = (tmp_path / "cache" / "font-facts").glob("*.bin")
    monkeypatch.setattr(docx_fonts, "_FACTS", {})
    entry.write_bytes(b"damaged")
    assert docx_fonts._facts(font) == read


def test_a_build_with_a_warm_cache_does_not_open_fonts_with_fonttools(tmp_path: Path) -> None:
    environment = {**os.environ, "BRIEFGEN_CACHE_DIR": str(tmp_path / "cache")}
    build = [sys.executable, "-m", "briefgen", "build", str(SAMPLE), "-o", str(tmp_path)]
    subprocess.run([*build, "-f", "docx"], check=True, env=environment, capture_output=True)
    code = (
        "import sys; from briefgen.cli.main import main\n"
        f"main(['build', {str(SAMPLE)!r}, '-o', {str(tmp_path)!r}, '-f', 'docx'])\n"
        "print('fontTools' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], check=True, env=environment, capture_output=True, text=True
    )
    assert result.stdout.strip().endswith("False")
