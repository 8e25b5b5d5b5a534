"""ReportLab's parse of each font, kept in the on-disk cache: same fonts, same PDF bytes."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFont

from briefgen.writers import fonts
from tests.conftest import REPO

FONTS = REPO / "templates" / "fonts"
KOREAN = FONTS / "NanumGothic.ttf"


def _comparable(font: TTFont) -> tuple[dict[str, object], dict[str, object]]:
    """Everything a font and its face hold, less what cannot be compared by value."""
    own = {k: v for k, v in font.__dict__.items() if k not in ("face", "state", "encoding")}
    face = {k: v for k, v in font.face.__dict__.items() if k != "_pdfScale"}
    return own, face


def test_a_font_from_the_cache_is_the_font_reportlab_parses(empty_cache: Path) -> None:
    parsed = TTFont("bg-test", str(KOREAN))
    made = fonts._ttfont("bg-test", KOREAN)  # parses and stores
    read = fonts._ttfont("bg-test", KOREAN)  # reads the entry
    assert len(list((empty_cache / "font-metrics").glob("*.bin"))) == 1
    for font in (made, read):
        assert _comparable(font) == _comparable(parsed)
        assert type(font.face) is type(parsed.face)
        assert font.shapable == parsed.shapable
        assert font.face._pdfScale(1234) == parsed.face._pdfScale(1234)
        assert font.stringWidth("한국어 text", 11) == parsed.stringWidth("한국어 text", 11)


def test_an_edited_font_is_parsed_again(empty_cache: Path, tmp_path: Path) -> None:
    copy = tmp_path / "Font.ttf"
    copy.write_bytes(KOREAN.read_bytes())
    fonts._ttfont("bg-a", copy)
    copy.write_bytes((FONTS / "NotoSans-Regular.ttf").read_bytes())  # same path, new content
    font = fonts._ttfont("bg-a", copy)
    assert font.face.charToGlyph == TTFont("bg-b", str(copy)).face.charToGlyph
    assert len(list((empty_cache / "font-metrics").glob("*.bin"))) == 2


def test_a_stored_entry_that_is_not_a_face_is_ignored(empty_cache: Path) -> None:
    """An entry whose hash checks out but whose content is not a face (another
    version's format, say) is parsed again rather than trusted."""
    fonts._ttfont("bg-test", KOREAN)
    (entry,) = (empty_cache / "font-metrics").glob("*.bin")
    junk = b"\x80\x05K\x01."  # the pickle of the integer 1
    entry.write_bytes(hashlib.sha256(junk).digest() + junk)
    font = fonts._ttfont("bg-test", KOREAN)
    assert font.face.charToGlyph == TTFont("bg-x", str(KOREAN)).face.charToGlyph


_BUILD = """
import sys
from pathlib import Path
from briefgen.build.pipeline import BuildRequest, render_brief
out = render_brief(BuildRequest(Path(sys.argv[1]), Path(sys.argv[2]), ("pdf",)))
sys.stdout.buffer.write(out[0].data)
"""


def _pdf_in_new_process(environment: dict[str, str], out: Path) -> bytes:
    """The sample's PDF from a fresh process, so fonts come from the cache or a parse."""
    sample = REPO / "inputs" / "seoul-trilateral-2024-10-16.yaml"
    result = subprocess.run(
        [sys.executable, "-c", _BUILD, str(sample), str(out)],
        capture_output=True,
        check=True,
        env=environment,
        cwd=REPO,
    )
    return result.stdout


def test_pdf_bytes_are_the_same_with_the_cache_off_cold_warm_and_damaged(
    tmp_path: Path,
) -> None:
    base = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
    base.pop("BRIEFGEN_NO_CACHE", None)
    folder = tmp_path / "cache"
    cached = {**base, "BRIEFGEN_CACHE_DIR": str(folder)}
    off = _pdf_in_new_process({**base, "BRIEFGEN_NO_CACHE": "1"}, tmp_path)
    cold = _pdf_in_new_process(cached, tmp_path)
    entries = sorted((folder / "font-metrics").glob("*.bin"))
    assert entries, "no font entry was stored"
    warm = _pdf_in_new_process(cached, tmp_path)
    for entry in entries:  # truncated entries: ignored and made again
        entry.write_bytes(entry.read_bytes()[: len(entry.read_bytes()) // 2])
    damaged = _pdf_in_new_process(cached, tmp_path)
    assert off == cold == warm == damaged
    assert all(len(entry.read_bytes()) > 1000 for entry in entries), "not made again"
