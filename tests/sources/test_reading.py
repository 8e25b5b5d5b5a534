"""Reading sources in every format: text, metadata, caps and clear refusals."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from briefgen.sources import SourceError, read_source, source_text
from tests.sources.make import write_docx, write_eml, write_html, write_pdf

SCRIPT_ONLY = "<html><body><script>var a = 1;</script></body></html>"
TEXT = (
    "South Korean Vice Foreign Minister Kim Hong Kyun met U.S. Deputy Secretary of State "
    "Kurt Campbell in Seoul.\nThey agreed to finalize a trilateral coordinating mechanism."
)


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder outside ``tmp_path``: conftest audits every DOCX there as one briefgen built,
    and these are sources made by python-docx's default template, not briefgen outputs."""
    return tmp_path_factory.mktemp("sources")


def test_html_keeps_the_article_and_drops_navigation_footer_and_cookies(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    write_html(path, TEXT)
    document = read_source(path)
    assert "agreed to finalize a trilateral coordinating mechanism" in document.text
    assert "Home" not in document.text
    assert "cookies" not in document.text and "Copyright" not in document.text
    assert document.publisher == "Example News"
    assert document.authors == ("Jane Roe",)
    assert document.published == dt.date(2024, 10, 14)


def test_pdf_text_and_info(tmp_path: Path) -> None:
    path = tmp_path / "readout.pdf"
    write_pdf(path, TEXT, title="Readout of the meeting")
    document = read_source(path)
    assert "Kurt Campbell in Seoul" in " ".join(document.text.split())
    assert document.title == "Readout of the meeting"
    assert document.authors == ("Jane Roe",)


def test_docx_paragraphs_and_core_properties(folder: Path) -> None:
    path = folder / "readout.docx"
    write_docx(path, TEXT, title="Readout")
    document = read_source(path)
    assert document.text.splitlines()[1] == TEXT.splitlines()[1]
    assert (document.title, document.published) == ("Readout", dt.date(2024, 10, 16))


def test_eml_body_and_headers(tmp_path: Path) -> None:
    path = tmp_path / "message.eml"
    write_eml(path, TEXT, title="Readout of the meeting")
    document = read_source(path)
    assert TEXT.splitlines()[1] in document.text
    assert document.title == "Readout of the meeting"
    assert document.authors == ("Korea Desk",)
    assert document.published == dt.date(2024, 10, 16)


def test_txt_first_lines_state_url_byline_and_headline(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text(
        "Source URL: https://www.example.org/news/1\nDiplomats meet in Seoul\nBy Jane Roe\n" + TEXT,
        encoding="utf-8",
    )
    document = read_source(path)
    assert document.url == "https://www.example.org/news/1"
    assert document.publisher == "example.org"
    assert document.title == "Diplomats meet in Seoul"
    assert document.authors == ("Jane Roe",)


def test_dateline_gives_the_publisher_and_date(tmp_path: Path) -> None:
    path = tmp_path / "wire.txt"
    path.write_text("SEOUL, Oct. 14, 2024 (Yonhap) -- " + TEXT, encoding="utf-8")
    document = read_source(path)
    assert (document.publisher, document.published) == ("Yonhap", dt.date(2024, 10, 14))


def _encrypted_pdf(path: Path) -> None:
    import pikepdf

    write_pdf(path.with_suffix(".plain.pdf"), TEXT)
    with pikepdf.open(path.with_suffix(".plain.pdf")) as pdf:
        pdf.save(path, encryption=pikepdf.Encryption(user="secret", owner="secret"))


def _image_only_pdf(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (200, 100), "white").save(path, "PDF")


def _zip_bomb_docx(path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as package:
        package.writestr("word/document.xml", b"<" + b" " * (80 * 1024 * 1024))
    path.write_bytes(buffer.getvalue())


@pytest.mark.parametrize(
    ("name", "make", "reason"),
    [
        ("locked.pdf", _encrypted_pdf, "encrypted PDF"),
        ("scan.pdf", _image_only_pdf, r"scanned \(image-only\) PDF"),
        ("empty.txt", lambda p: p.write_bytes(b""), "the file is empty"),
        ("blank.html", lambda p: p.write_text("  \n", encoding="utf-8"), "the file is empty"),
        ("latin1.txt", lambda p: p.write_bytes("caf\xe9".encode("latin-1")), "not UTF-8 text"),
        ("broken.pdf", lambda p: p.write_bytes(b"%PDF-1.4 nonsense"), "not a readable PDF"),
        ("broken.docx", lambda p: p.write_bytes(b"PK not a zip"), "not a readable DOCX"),
        ("bomb.docx", _zip_bomb_docx, "zip bomb"),
        ("script.html", lambda p: p.write_text(SCRIPT_ONLY), "no main text"),
    ],
)
def test_unusable_sources_are_refused_with_a_reason(
    folder: Path, name: str, make: object, reason: str
) -> None:
    path = folder / name
    make(path)  # type: ignore[operator]
    with pytest.raises(SourceError, match=reason):
        read_source(path)


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        read_source(tmp_path / "absent.txt")
    big = tmp_path / "big.txt"
    big.write_bytes(b"a" * (5 * 1024 * 1024 + 1))
    with pytest.raises(SourceError, match="larger than 5 MiB"):
        read_source(big)


def test_extraction_is_cached_by_content_hash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    path = tmp_path / "page.html"
    write_html(path, TEXT)
    first = read_source(path)
    entries = list((tmp_path / "cache" / "sources").glob("*.bin"))
    assert len(entries) == 1
    import briefgen.sources.formats as formats

    def refuse(_data: bytes) -> object:
        raise AssertionError("extracted again despite the cache")

    monkeypatch.setitem(formats.READERS, ".html", refuse)
    assert read_source(path) == first
    path.write_text(path.read_text(encoding="utf-8").replace("Seoul", "Tokyo"), encoding="utf-8")
    with pytest.raises(SourceError, match=r"\(AssertionError\)"):
        read_source(path)  # a changed file misses the cache and is extracted again


def test_control_characters_and_line_ends_are_cleaned(tmp_path: Path) -> None:
    path = tmp_path / "dirty.txt"
    path.write_bytes(b"One line\r\nTwo\x07 lines\r")
    assert source_text(path) == "One line\nTwo  lines\n"


def test_a_parser_crash_on_hostile_bytes_becomes_a_located_reason(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefgen.sources.formats as formats

    def crash(_data: bytes) -> object:
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setenv("BRIEFGEN_NO_CACHE", "1")
    monkeypatch.setitem(formats.READERS, ".html", crash)
    path = folder / "deep.html"
    path.write_text("<div>" * 1000, encoding="utf-8")
    with pytest.raises(SourceError, match=r"not a readable HTML file \(RecursionError\)"):
        read_source(path)


def test_deeply_nested_html_is_refused_without_a_traceback(folder: Path) -> None:
    path = folder / "nested.html"
    path.write_text("<html>" + "<div>" * 50_000 + "words", encoding="utf-8")
    with pytest.raises(SourceError):
        read_source(path)


def test_pdf_words_broken_at_a_line_end_are_joined(folder: Path) -> None:
    from reportlab.pdfgen import canvas

    path = folder / "hyphen.pdf"
    page = canvas.Canvas(str(path))
    page.drawString(72, 700, "finalize a trilateral coordi-")
    page.drawString(72, 686, "nating mechanism by the next summit.")
    page.save()
    assert "trilateral coordinating mechanism" in " ".join(source_text(path).split())
