"""Tests of the PDF writer, checked by re-opening its output with real PDF readers.

The sample document is rendered once per module (it is the slow part); small
hand-made documents cover the edge cases.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import sys
from collections.abc import Iterator

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest

from briefgen.document.nodes import (
    Block,
    Cell,
    Column,
    Document,
    DocumentInfo,
    Heading,
    HeatCell,
    HeatMap,
    PageDecor,
    Paragraph,
    Table,
    Text,
)
from briefgen.errors import BriefgenError
from briefgen.presentation.theme import PageSetup, Theme
from briefgen.writers.fonts import FontBook, load_face
from briefgen.writers.pdf import MissingGlyphsError, PdfWriteError, write_pdf
from tests.writers.conftest import sample_document

STANDARD_14 = {
    "Courier",
    "Courier-Bold",
    "Courier-BoldOblique",
    "Courier-Oblique",
    "Helvetica",
    "Helvetica-Bold",
    "Helvetica-BoldOblique",
    "Helvetica-Oblique",
    "Symbol",
    "Times-Bold",
    "Times-BoldItalic",
    "Times-Italic",
    "Times-Roman",
    "ZapfDingbats",
}
HEADINGS = {"Key points": 0, "Context": 1, "Participants": 0, "Risks": 0, "Sources": 0}
"""Heading title -> expected outline depth in the sample document."""


@pytest.fixture(scope="module")
def sample_pdf(theme: Theme) -> bytes:
    return write_pdf(sample_document(), theme)


@pytest.fixture(scope="module")
def page_texts(sample_pdf: bytes) -> list[str]:
    return _page_texts(sample_pdf)


def _page_texts(data: bytes) -> list[str]:
    pdf = pdfium.PdfDocument(data)
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded().replace("\r\n", "\n"))
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _small_document(*blocks: Block, decor: PageDecor | None = None) -> Document:
    return Document(info=DocumentInfo(title="Small"), decor=decor or PageDecor(), blocks=blocks)


def _page_of(texts: list[str], line: str) -> int:
    """Return the index of the only page that has ``line`` as a whole line."""
    pages = [index for index, text in enumerate(texts) if line in text.splitlines()]
    assert len(pages) == 1, (line, pages)
    return pages[0]


def _outline(reader: pypdf.PdfReader) -> Iterator[tuple[str, int, int]]:
    """Yield (title, depth, page index) for every outline entry."""

    def walk(items: list[object], depth: int) -> Iterator[tuple[str, int, int]]:
        for item in items:
            if isinstance(item, list):
                yield from walk(item, depth + 1)
            else:
                assert isinstance(item, pypdf.generic.Destination)
                page = reader.get_destination_page_number(item)
                assert page is not None
                yield str(item.title), depth, page

    yield from walk(list(reader.outline), 0)


def _internal_links(pdf: pikepdf.Pdf) -> list[tuple[int, int, float]]:
    """Return (page with the link, target page, target top) for every internal link."""
    pages = {page.obj.objgen: index for index, page in enumerate(pdf.pages)}
    links = []
    for index, page in enumerate(pdf.pages):
        for annot in page.obj.get("/Annots", []):
            if annot.get("/Subtype") != "/Link":
                continue
            dest = annot.get("/Dest")
            action = annot.get("/A")
            if dest is None and action is not None and action.get("/S") == "/GoTo":
                dest = action.get("/D")
            if dest is None:
                continue
            if isinstance(dest, pikepdf.Name | pikepdf.String):
                dest = pdf.Root.Dests[str(dest)]
            links.append((index, pages[dest[0].objgen], float(dest[3])))
    return links


# --- structure and fonts ------------------------------------------------------------------


def test_output_opens_in_pikepdf_and_pypdf(sample_pdf: bytes) -> None:
    assert sample_pdf.startswith(b"%PDF-")
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        assert len(pdf.pages) >= 3
    assert len(pypdf.PdfReader(io.BytesIO(sample_pdf)).pages) >= 3


def test_every_font_is_embedded_truetype(sample_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        fonts = [
            obj
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        ]
        assert fonts
        for font in fonts:
            base = str(font.BaseFont).lstrip("/").split("+")[-1]
            assert base not in STANDARD_14
            assert "/FontFile2" in font.FontDescriptor, base
    assert b"Helvetica" not in sample_pdf


def test_cjk_runs_use_their_language_fonts(sample_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        names = {
            str(obj.BaseFont).split("+")[-1]
            for obj in pdf.objects
            if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font"
        }
    assert {"NanumGothic", "IPAGothic"} <= names


def test_metadata_comes_from_document_info(sample_pdf: bytes) -> None:
    meta = pypdf.PdfReader(io.BytesIO(sample_pdf)).metadata
    assert meta is not None
    assert meta.title == "Trilateral Vice Foreign Ministerial"
    assert meta.author == "Office of Korean Affairs"
    assert meta.subject == "Briefing memo"
    assert str(meta["/Keywords"]) == "Korea, Japan, trilateral"
    assert meta.creator == "briefgen"
    assert str(meta["/CreationDate"]) == "D:20241015090000+00'00'"


def test_catalog_has_language_and_opens_outline(sample_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        assert str(pdf.Root.Lang) == "en"
        assert pdf.Root.PageMode == "/UseOutlines"


def test_same_document_gives_identical_bytes(sample_pdf: bytes, theme: Theme) -> None:
    assert write_pdf(sample_document(), theme) == sample_pdf


def test_bytes_depend_on_the_document_not_the_environment(
    sample_pdf: bytes, theme: Theme, monkeypatch: pytest.MonkeyPatch
) -> None:
    """ReportLab reads SOURCE_DATE_EPOCH itself; the writer takes dates from the document only."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert write_pdf(sample_document(), theme) == sample_pdf


def test_page_size_follows_theme(theme: Theme) -> None:
    letter = theme.model_copy(update={"page": PageSetup(size="Letter")})
    data = write_pdf(_small_document(Paragraph((Text("Hello"),))), letter)
    box = pypdf.PdfReader(io.BytesIO(data)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)


def test_first_page_renders_to_a_non_blank_bitmap(sample_pdf: bytes) -> None:
    pdf = pdfium.PdfDocument(sample_pdf)
    try:
        page = pdf[0]
        bitmap = page.render(scale=0.5)
        pixels = bytes(bitmap.buffer)
        bitmap.close()
        page.close()
    finally:
        pdf.close()
    ink = sum(1 for value in pixels[::3] if value < 200)
    assert ink > len(pixels) // 3 * 0.01


# --- text ---------------------------------------------------------------------------------


def test_text_has_headings_cjk_and_links(page_texts: list[str]) -> None:
    text = "\n".join(page_texts)
    for heading in HEADINGS:
        assert heading in text.splitlines()
    assert "김홍균" in text
    assert "岡野正敬" in text
    assert "the readout" in text


def test_heat_map_draws_labels_and_axis_titles(page_texts: list[str]) -> None:
    text = page_texts[_page_of(page_texts, "Risks")]
    for expected in ("R1, R2", "\nLikelihood\n", "\nImpact\n", "Figure 1. Likelihood x impact"):
        assert expected in text


def test_markup_in_text_is_shown_not_interpreted(page_texts: list[str]) -> None:
    text = "\n".join(page_texts)
    assert '<b>not bold</b> & <img src="/etc/passwd"/>' in text


def test_every_page_has_banner_label_and_page_number(page_texts: list[str]) -> None:
    total = len(page_texts)
    for number, text in enumerate(page_texts, start=1):
        assert text.count("UNCLASSIFIED") == 2
        assert text.count("TLP:AMBER") == 2
        assert f"Page {number} of {total}" in text
        assert "Trilateral Vice Foreign Ministerial" in text


def test_table_header_repeats_on_every_page_it_spans(page_texts: list[str]) -> None:
    spanned = [text for text in page_texts if "Row " in text]
    assert len(spanned) >= 2
    for text in spanned:
        assert "No. Name Counterpart" in text.splitlines()
    assert "Row 60 " in page_texts[-1] or any("Row 60 " in text for text in spanned)


def test_heading_stays_with_the_start_of_a_long_table(page_texts: list[str]) -> None:
    """The heading and caption do not drag the whole table to a new page, nor get orphaned."""
    heading_page = _page_of(page_texts, "Participants")
    assert "Table 1. Participants" in page_texts[heading_page]
    assert "Row 1 " in page_texts[heading_page]


# --- navigation ---------------------------------------------------------------------------


def test_outline_has_every_heading_at_its_page(sample_pdf: bytes, page_texts: list[str]) -> None:
    entries = list(_outline(pypdf.PdfReader(io.BytesIO(sample_pdf))))
    assert [title for title, _, _ in entries] == list(HEADINGS)
    for title, depth, page in entries:
        assert depth == HEADINGS[title]
        assert page == _page_of(page_texts, title)


def test_headings_and_notes_are_named_destinations(
    sample_pdf: bytes, page_texts: list[str]
) -> None:
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    names = reader.named_destinations
    anchors = {"key-points", "context", "participants", "risks", "sources", "note-1", "note-2"}
    assert {name.lstrip("/") for name in names} == anchors
    assert reader.get_destination_page_number(names["/risks"]) == _page_of(page_texts, "Risks")


def test_note_refs_link_to_the_notes_page(sample_pdf: bytes, page_texts: list[str]) -> None:
    notes_page = _page_of(page_texts, "Sources")
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        links = _internal_links(pdf)
        note_top = float(pdf.Root.Dests["/note-1"][3])
    assert len(links) == 2
    assert all(source == 0 and target == notes_page for source, target, _ in links)
    assert links[0][2] == pytest.approx(note_top)


def test_external_link_keeps_its_exact_url(sample_pdf: bytes) -> None:
    with pikepdf.open(io.BytesIO(sample_pdf)) as pdf:
        uris = [
            str(annot.A.URI)
            for page in pdf.pages
            for annot in page.obj.get("/Annots", [])
            if "/A" in annot and annot.A.get("/S") == "/URI"
        ]
    assert uris == ["https://example.org/readout?a=1&b=2"]


def test_heading_levels_may_skip(theme: Theme) -> None:
    document = _small_document(
        Heading(1, (Text("Top"),), "top"),
        Heading(3, (Text("Deep"),), "deep"),
        Heading(2, (Text("Middle"),), "middle"),
    )
    reader = pypdf.PdfReader(io.BytesIO(write_pdf(document, theme)))
    assert [(title, depth) for title, depth, _ in _outline(reader)] == [
        ("Top", 0),
        ("Deep", 1),
        ("Middle", 1),
    ]


# --- input that must not be trusted or cannot be drawn ------------------------------------


def test_hostile_href_is_escaped_and_unsafe_schemes_are_not_linked(theme: Theme) -> None:
    hostile = 'https://example.org/?q="><img src="/etc/passwd"/>'
    document = _small_document(
        Paragraph((Text("one", href=hostile), Text(" two", href="file:///etc/passwd"))),
    )
    data = write_pdf(document, theme)
    with pikepdf.open(io.BytesIO(data)) as pdf:
        uris = [str(annot.A.URI) for annot in pdf.pages[0].obj.get("/Annots", [])]
    assert uris == [hostile]
    assert "one two" in _page_texts(data)[0]


def test_line_breaks_in_text_start_new_lines(theme: Theme) -> None:
    data = write_pdf(_small_document(Paragraph((Text("first line\nsecond line"),))), theme)
    lines = _page_texts(data)[0].splitlines()
    assert "first line" in lines
    assert "second line" in lines


@pytest.mark.parametrize("char", ["\ue000", "\U00010000"])
def test_character_without_font_raises(theme: Theme, char: str) -> None:
    text = f"Linear B or private use: {char}"
    with pytest.raises(MissingGlyphsError) as caught:
        write_pdf(_small_document(Paragraph((Text(text),))), theme)
    assert caught.value.chars == (char,)
    assert caught.value.text == text
    assert isinstance(caught.value, BriefgenError)
    assert f"U+{ord(char):04X}" in str(caught.value)


def test_decoration_without_font_raises(theme: Theme) -> None:
    with pytest.raises(MissingGlyphsError):
        write_pdf(_small_document(decor=PageDecor(banner="SECRET \ue000")), theme)


def test_a_table_row_taller_than_a_page_splits_and_keeps_all_its_text(theme: Theme) -> None:
    huge = Cell(((Text("word " * 6000),),))
    table = Table(columns=(Column(),), header=(Cell(((Text("Head"),),)),), rows=((huge,),))
    reader = pypdf.PdfReader(io.BytesIO(write_pdf(_small_document(table), theme)))
    assert len(reader.pages) > 1
    assert sum(page.extract_text().count("word") for page in reader.pages) == 6000


def test_a_block_larger_than_a_page_is_a_clear_error_not_a_traceback(theme: Theme) -> None:
    crowded = HeatCell("high", tuple(f"R{n}" for n in range(2000)))
    heat_map = HeatMap(((crowded,),), ("5",), ("1",), "Likelihood", "Impact")
    with pytest.raises(PdfWriteError, match="larger than a page"):
        write_pdf(_small_document(heat_map), theme)


def test_fonts_are_parsed_only_when_a_character_needs_them() -> None:
    """An English-only document must not pay for parsing the CJK fallback fonts."""
    script = (
        "from briefgen.build.pipeline import theme\n"
        "from briefgen.document.nodes import *\n"
        "from briefgen.writers import fonts, pdf\n"
        "doc = Document(DocumentInfo(title='T'), PageDecor(), "
        "(Paragraph((Text('Plain English text.'),)),))\n"
        "pdf.write_pdf(doc, theme(None))\n"
        "print(' '.join(sorted(path.name for path in fonts._FACES)))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout.split()
    assert loaded and all(name.startswith("Noto") for name in loaded), loaded


# --- font fallback ------------------------------------------------------------------------


def _fonts_used(fonts: FontBook, text: str, lang: str | None) -> list[tuple[str, str]]:
    return [
        (segment.font.split("-")[1], segment.text)
        for segment in fonts.segments(text, "body", lang=lang)
    ]


def test_language_family_is_preferred_for_characters_it_covers(theme: Theme) -> None:
    fonts = FontBook(theme)
    assert _fonts_used(fonts, "Kim 岡野", "ja-JP") == [("IPAGothic", "Kim 岡野")]
    assert _fonts_used(fonts, "Kim 김홍균", "ko") == [("NanumGothic", "Kim 김홍균")]


def test_role_font_then_fallbacks_without_language(theme: Theme) -> None:
    fonts = FontBook(theme)
    assert _fonts_used(fonts, "Kim 김홍균", None) == [
        ("NotoSerif", "Kim "),
        ("NanumGothic", "김홍균"),
    ]


def test_tabs_and_controls_are_normalised(theme: Theme) -> None:
    fonts = FontBook(theme)
    assert [seg.text for seg in fonts.segments("a\tb\x07c\r\nd", "body", lang=None)] == ["a bc\nd"]


def test_created_date_is_naive_utc_safe(theme: Theme) -> None:
    info = DocumentInfo(title="T", created=dt.datetime(2024, 1, 2, 3, 4, 5))
    data = write_pdf(Document(info=info), theme)
    meta = pypdf.PdfReader(io.BytesIO(data)).metadata
    assert meta is not None
    assert str(meta["/CreationDate"]) == "D:20240102030405+00'00'"


@pytest.mark.parametrize(
    ("text", "family"),
    [
        ("Meeting in 北京", "WenQuanYi Micro Hei"),  # ideographs alone: a Chinese font
        ("岡野です", "IPAGothic"),  # kana makes it Japanese, kanji included
        ("김홍균 金", "NanumGothic"),  # Hangul makes it Korean, hanja included
    ],
)
def test_untagged_east_asian_text_gets_the_same_font_in_pdf_and_docx(
    theme: Theme, text: str, family: str
) -> None:
    from briefgen.presentation.fonts import east_asian_family as east_asian_font

    assert east_asian_font(theme, text, None)[0] == family
    faces = theme.family(family)
    names = {load_face(path).name for path in (faces.regular, faces.bold) if path is not None}
    east_asian = [
        segment
        for segment in FontBook(theme).segments(text, "body", lang=None)
        if any(not char.isascii() for char in segment.text)
    ]
    assert east_asian
    assert all(segment.font in names for segment in east_asian), east_asian
