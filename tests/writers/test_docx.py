"""Tests for the DOCX writer, read back with python-docx, docx2python and LibreOffice.

Most tests share one rendering of the sample document (module fixture) and
inspect the XML python-docx parses; only the LibreOffice round trip is slow.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import itertools
import re
import zipfile
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.shared import Mm
from docx2python import docx2python
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.document.nodes import (
    BulletList,
    Cell,
    Column,
    Document,
    DocumentInfo,
    Heading,
    Note,
    NoteRef,
    Notes,
    PageDecor,
    Paragraph,
    Table,
    Text,
)
from briefgen.presentation.fonts import east_asian_family as east_asian_font
from briefgen.presentation.styles import resolve_style
from briefgen.presentation.theme import Theme
from briefgen.writers.docx import write_docx
from briefgen.writers.docx_oxml import bookmark_name, clean_text
from tests.conftest import libreoffice_pdf, pdf_font_families
from tests.writers.conftest import sample_document

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
HEADINGS = ("Key points", "Context", "Participants", "Risks", "Sources")
INJECTION = '<img src="/etc/passwd"/>'
LANGS = (None, "ko", "ja-JP", "zh", "fr")
FIXTURE_HEALTH_CHECK = HealthCheck.function_scoped_fixture


@pytest.fixture(scope="module")
def sample_bytes(theme: Theme) -> bytes:
    return write_docx(sample_document(), theme)


@pytest.fixture(scope="module")
def word(sample_bytes: bytes) -> Any:
    return docx.Document(io.BytesIO(sample_bytes))


@pytest.fixture(scope="module")
def parts(sample_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as package:
        return {name: package.read(name) for name in package.namelist()}


def _all_text(word: Any) -> str:
    """Body paragraphs, table cells (including hyperlink runs) in document order."""
    return "".join(node.text or "" for node in word.element.body.iter(f"{W}t"))


def _attr(element: Any, name: str) -> str | None:
    value = element.get(f"{W}{name}")
    return None if value is None else str(value)


# --- reading back ---------------------------------------------------------------------------


def test_returns_docx_bytes(sample_bytes: bytes) -> None:
    assert isinstance(sample_bytes, bytes)
    assert sample_bytes.startswith(b"PK")


def test_python_docx_reads_every_heading_and_cjk_name(word: Any) -> None:
    text = _all_text(word)
    for expected in (*HEADINGS, "김홍균", "岡野正敬", INJECTION, "the readout"):
        assert expected in text


def test_docx2python_reads_the_same_text(sample_bytes: bytes) -> None:
    with docx2python(io.BytesIO(sample_bytes)) as parsed:
        text = parsed.text
        footer = str(parsed.footer)
    for expected in (*HEADINGS, "김홍균", "岡野正敬", INJECTION):
        assert expected in text
    assert "Page 1 of 1" in footer  # the fields' cached results


def test_headings_use_builtin_heading_styles(word: Any) -> None:
    styles = {p.text: p.style.name for p in word.paragraphs if p.text in HEADINGS}
    assert styles == {
        "Key points": "Heading 1",
        "Context": "Heading 2",
        "Participants": "Heading 1",
        "Risks": "Heading 1",
        "Sources": "Heading 1",
    }


def test_named_paragraph_styles(word: Any) -> None:
    styles = {p.text: p.style.name for p in word.paragraphs}
    assert styles["Trilateral Vice Foreign Ministerial"] == "Title"
    assert styles["Seoul, 16 October 2024"] == "Subtitle"
    assert styles["A quoted passage."] == "Quote"
    assert styles["Small print."] == "Brief Small"
    assert styles["Table 1. Participants"] == "Caption"
    assert styles["First point with italic1"] == "List Bullet"


def test_markup_in_text_stays_text(parts: dict[str, bytes]) -> None:
    xml = parts["word/document.xml"].decode("utf-8")
    assert '&lt;img src="/etc/passwd"/&gt;' in xml
    assert "<img" not in xml


# --- styles and fonts -----------------------------------------------------------------------


def test_styles_carry_theme_fonts_not_theme_font_references(
    word: Any, parts: dict[str, bytes], theme: Theme
) -> None:
    styles_xml = parts["word/styles.xml"].decode("utf-8")
    assert "asciiTheme" not in styles_xml
    assert "eastAsiaTheme" not in styles_xml
    assert "word/stylesWithEffects.xml" not in parts
    for name in ("Heading 1", "Heading 2", "Heading 3", "Title"):
        fonts = word.styles[name].element.rPr.find(f"{W}rFonts")
        assert _attr(fonts, "ascii") == theme.fonts.heading
    assert word.styles["Normal"].font.name == theme.fonts.body


def test_cjk_runs_name_east_asian_font_and_language(word: Any) -> None:
    runs = list(word.element.body.iter(f"{W}r"))
    korean = [r for r in runs if "김홍균" in "".join(t.text for t in r.iter(f"{W}t"))]
    japanese = [r for r in runs if "岡野正敬" in "".join(t.text for t in r.iter(f"{W}t"))]
    assert len(korean) == len(japanese) == 60
    for run_list, family, lang in ((korean, "NanumGothic", "ko"), (japanese, "IPAGothic", "ja")):
        for run in run_list:
            assert _attr(run.find(f"{W}rPr/{W}rFonts"), "eastAsia") == family
            assert _attr(run.find(f"{W}rPr/{W}lang"), "eastAsia") == lang


def test_latin_runs_get_no_east_asian_override(word: Any) -> None:
    run = next(r for r in word.paragraphs if r.text == "Small print.").runs[0]
    assert run.element.rPr is None


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("김홍균", None, ("NanumGothic", "ko")),
        ("岡野正敬", "ja", ("IPAGothic", "ja")),
        ("おかの", None, ("IPAGothic", "ja")),
        ("Kim", "ko-KR", ("NanumGothic", "ko-KR")),
        ("中文", None, ("WenQuanYi Micro Hei", None)),
        ("中文", "zh", ("WenQuanYi Micro Hei", "zh")),
        ("Plain", None, (None, None)),
        ("Plain", "fr", (None, None)),
    ],
)
def test_east_asian_font_choice(
    theme: Theme, text: str, lang: str | None, expected: tuple[str | None, str | None]
) -> None:
    assert east_asian_font(theme, text, lang) == expected


# --- inline: links and notes ----------------------------------------------------------------


def test_external_link_is_a_real_hyperlink(word: Any) -> None:
    (link,) = [h for h in word.element.body.iter(f"{W}hyperlink") if h.get(f"{W}anchor") is None]
    rel = word.part.rels[
        link.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id")
    ]
    assert rel.is_external
    assert rel.target_ref == "https://example.org/readout?a=1&b=2"
    assert link.find(f"{W}r/{W}rPr/{W}rStyle").get(f"{W}val") == "Hyperlink"


def test_note_refs_link_to_existing_bookmarks(word: Any) -> None:
    body = word.element.body
    bookmarks = {b.get(f"{W}name") for b in body.iter(f"{W}bookmarkStart")}
    anchors = [h.get(f"{W}anchor") for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert len(anchors) == 2
    assert set(anchors) <= bookmarks
    links = [h for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    assert ["".join(t.text for t in link.iter(f"{W}t")) for link in links] == ["1", "2"]
    styles = {r.find(f"{W}rPr/{W}rStyle").get(f"{W}val") for link in links for r in link}
    assert styles == {"BriefNoteReference"}
    assert word.styles["Brief Note Reference"].font.superscript is True


def test_note_refs_are_ref_fields_to_the_numbered_notes(word: Any) -> None:
    """A citation shows its note's list number through a REF field, so it follows the note
    when a colleague inserts another note and updates fields."""
    body = word.element.body
    links = [h for h in body.iter(f"{W}hyperlink") if h.get(f"{W}anchor")]
    for link in links:
        (instruction,) = [i.text for i in link.iter(f"{W}instrText")]
        assert instruction == f" REF {link.get(f'{W}anchor')} \\r "
        kinds = [c.get(f"{W}fldCharType") for c in link.iter(f"{W}fldChar")]
        assert kinds == ["begin", "separate", "end"]


def test_every_heading_and_note_has_a_valid_unique_bookmark(word: Any) -> None:
    starts = list(word.element.body.iter(f"{W}bookmarkStart"))
    names = [b.get(f"{W}name") for b in starts]
    ids = [b.get(f"{W}id") for b in starts]
    assert len(names) == len(HEADINGS) + 2
    assert len(set(names)) == len(names) and len(set(ids)) == len(ids)
    for name in names:
        assert re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{0,39}", name)
    ends = {e.get(f"{W}id") for e in word.element.body.iter(f"{W}bookmarkEnd")}
    assert ends == set(ids)


def test_notes_are_a_numbered_list(word: Any) -> None:
    notes = [p for p in word.paragraphs if p.style.name == "Brief Note"]
    assert notes[0].text.startswith("Korea JoongAng Daily")
    assert notes[1].text.startswith("Omai")
    num_ids = {p._p.find(f"{W}pPr/{W}numPr/{W}numId").get(f"{W}val") for p in notes}
    assert len(num_ids) == 1
    numbering = word.part.numbering_part.element
    (num,) = [n for n in numbering.iter(f"{W}num") if n.get(f"{W}numId") in num_ids]
    abstract_id = num.find(f"{W}abstractNumId").get(f"{W}val")
    (abstract,) = [
        a for a in numbering.iter(f"{W}abstractNum") if a.get(f"{W}abstractNumId") == abstract_id
    ]
    level = abstract.find(f"{W}lvl")
    assert level.find(f"{W}numFmt").get(f"{W}val") == "decimal"
    assert level.find(f"{W}start").get(f"{W}val") == "1"
    assert level.find(f"{W}pPr/{W}ind").get(f"{W}hanging") not in (None, "0")


@pytest.mark.parametrize(
    ("anchor", "expected"),
    [
        ("sources", "sources"),
        ("key-points", "key_points"),
        ("1st", "b_1st"),
        ("참가자", "b____"),
    ],
)
def test_bookmark_name_sanitises(anchor: str, expected: str) -> None:
    assert bookmark_name(anchor) == expected


def test_bookmark_name_is_short_and_stable() -> None:
    long = "a-very-long-anchor-" * 5
    name = bookmark_name(long)
    assert len(name) <= 40
    assert name == bookmark_name(long)
    assert bookmark_name("note-1", unique=True) != bookmark_name("note_1", unique=True)


def test_clashing_anchors_get_distinct_bookmarks(theme: Theme) -> None:
    document = Document(
        info=DocumentInfo(title="t"),
        blocks=(
            Heading(1, (Text("A"),), anchor="a-b"),
            Heading(1, (Text("B"),), anchor="a_b"),
        ),
    )
    word: Any = docx.Document(io.BytesIO(write_docx(document, theme)))
    names = [b.get(f"{W}name") for b in word.element.body.iter(f"{W}bookmarkStart")]
    assert names[0] == "a_b"
    assert names[1].startswith("a_b_") and len(set(names)) == 2


# --- tables ---------------------------------------------------------------------------------


def _tables_with_style(word: Any, style: str) -> list[Any]:
    return [t for t in word.tables if t.style is not None and t.style.name == style]


def test_data_table_repeats_shaded_header_row(word: Any, theme: Theme) -> None:
    (table,) = _tables_with_style(word, "Brief Table")
    rows = table._tbl.tr_lst
    assert len(rows) == 61
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])
    assert all(r.find(f"{W}trPr/{W}cantSplit") is not None for r in rows)
    assert [c.text for c in table.rows[0].cells] == ["No.", "Name", "Counterpart"]
    # The header fill and the stripes come from the table style, so Word's Header Row
    # and Banded Rows switches work: no cell carries them itself.
    assert all(tc.find(f"{W}tcPr/{W}shd") is None for tc in rows[0].tc_lst)
    look = table._tbl.find(f"{W}tblPr/{W}tblLook")
    assert (look.get(f"{W}firstRow"), look.get(f"{W}noHBand")) == ("1", "0")
    style = word.styles["Brief Table"].element
    conditions = {c.get(f"{W}type"): c for c in style.findall(f"{W}tblStylePr")}
    header = conditions["firstRow"]
    assert header.find(f"{W}tcPr/{W}shd").get(f"{W}fill") == _hex(theme.colors.table_header_bg)
    assert header.find(f"{W}rPr/{W}color").get(f"{W}val") == _hex(theme.colors.table_header_text)
    assert header.find(f"{W}rPr/{W}b") is not None
    band = conditions["band2Horz"].find(f"{W}tcPr/{W}shd")
    assert band.get(f"{W}fill") == _hex(theme.colors.table_stripe_bg)


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


def test_data_table_column_widths_follow_weights(word: Any, theme: Theme) -> None:
    (table,) = _tables_with_style(word, "Brief Table")
    widths = [column.width for column in table.columns]
    page = theme.page
    text_width = Mm(210 - page.margin_left_mm - page.margin_right_mm)
    assert abs(sum(widths) - text_width) < Mm(0.1)
    assert abs(widths[1] - 2 * widths[0]) < Mm(0.1)
    assert abs(widths[2] - widths[1]) < Mm(0.1)


def test_a_row_wider_than_its_columns_keeps_every_cell(theme: Theme) -> None:
    """The DOCX used to drop cells past the declared columns; the PDF never did."""
    cells = tuple(Cell(((Text(f"cell {n}"),),)) for n in range(3))
    table = Table(columns=(Column(2.0),), header=(Cell(((Text("Head"),),)),), rows=(cells,))
    document = Document(info=DocumentInfo(title="T"), blocks=(table,))
    word: Any = docx.Document(io.BytesIO(write_docx(document, theme)))
    (written,) = word.tables
    assert [cell.text for cell in written.rows[1].cells] == ["cell 0", "cell 1", "cell 2"]
    widths = [column.width for column in written.columns]
    assert abs(widths[0] - 2 * widths[1]) < Mm(0.1)


def test_word_styles_space_text_as_the_typography_table_says(word: Any, theme: Theme) -> None:
    """One table of typography: an h1 gets the same space before it as in the PDF."""
    for style_name, name in (("Heading 1", "h1"), ("Heading 2", "h2"), ("Normal", "body")):
        resolved = resolve_style(theme, name)
        style = word.styles[style_name].paragraph_format
        assert style.space_after.pt == pytest.approx(resolved.space_after, abs=0.05)
        if name != "body":
            assert style.space_before.pt == pytest.approx(resolved.space_before, abs=0.05)


def test_only_web_and_mail_links_become_hyperlinks(theme: Theme) -> None:
    paragraph = Paragraph(
        (Text("bad", href="javascript:alert(1)"), Text("ok", href="https://e.org"))
    )
    document = Document(info=DocumentInfo(title="T"), blocks=(paragraph,))
    word: Any = docx.Document(io.BytesIO(write_docx(document, theme)))
    links = list(word.element.body.iter(f"{W}hyperlink"))
    assert len(links) == 1 and "".join(t.text for t in links[0].iter(f"{W}t")) == "ok"


def test_cell_tones_and_alignment(word: Any, theme: Theme) -> None:
    (table,) = _tables_with_style(word, "Brief Table")
    cell = table.rows[1].cells[2]
    fill = cell._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill")
    assert fill == theme.colors.tones["high"].lstrip("#").upper()
    assert cell.paragraphs[0].alignment == 1  # WD_PARAGRAPH_ALIGNMENT.CENTER
    assert table.rows[1].cells[0].paragraphs[0].runs[0].bold is True


def test_heat_map_is_a_six_by_six_tone_grid(word: Any, theme: Theme) -> None:
    heat = next(t for t in word.tables if len(t.rows) == 6 and len(t.columns) == 6)
    assert [row.cells[0].text for row in heat.rows] == ["5", "4", "3", "2", "1", ""]
    assert [cell.text for cell in heat.rows[5].cells] == ["", "1", "2", "3", "4", "5"]
    assert heat.rows[0].cells[4].text == "R1, R2"
    fill = heat.rows[0].cells[5]._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill")
    assert fill == theme.colors.tones["critical"].lstrip("#").upper()
    texts = [p.text for p in word.paragraphs]
    for expected in ("Impact", "Likelihood", "Figure 1. Likelihood x impact"):
        assert expected in texts


def test_definition_list_and_callout_are_tables(word: Any, theme: Theme) -> None:
    definitions = word.tables[0]
    assert [[c.text for c in row.cells] for row in definitions.rows] == [
        ["Prepared for", "Deputy Secretary"],
        ["Date", "15 October 2024"],
    ]
    callout = word.tables[1]
    cell = callout.rows[0].cells[0]
    assert cell.paragraphs[0].text == "Bottom line"
    assert cell.paragraphs[0].style.name == "Brief Callout Title"
    assert cell.paragraphs[1].text == "Allies reaffirm unity."
    fill = cell._tc.find(f"{W}tcPr/{W}shd").get(f"{W}fill")
    assert fill == theme.colors.callout_bg.lstrip("#").upper()


def test_tables_are_separated_by_paragraphs(word: Any) -> None:
    body = list(word.element.body)
    for before, after in itertools.pairwise(body):
        assert not (before.tag == after.tag == f"{W}tbl"), "Word would merge adjacent tables"


def test_ordered_lists_restart_numbering(theme: Theme) -> None:
    items = ((Text("one"),), (Text("two"),))
    document = Document(
        info=DocumentInfo(title="t"),
        blocks=(BulletList(items, ordered=True), BulletList(items, ordered=True)),
    )
    word: Any = docx.Document(io.BytesIO(write_docx(document, theme)))
    num_ids = [p._p.pPr.numPr.numId.val for p in word.paragraphs if p.text]
    assert num_ids[0] == num_ids[1] != num_ids[2] == num_ids[3]
    assert {p.style.name for p in word.paragraphs if p.text} == {"List Number"}


# --- page, header and footer ----------------------------------------------------------------


def test_page_setup_follows_theme(word: Any, theme: Theme) -> None:
    section = word.sections[0]
    assert section.page_width.mm == pytest.approx(210, abs=0.05)
    assert section.page_height.mm == pytest.approx(297, abs=0.05)
    assert section.left_margin.mm == pytest.approx(theme.page.margin_left_mm, abs=0.05)
    assert section.top_margin.mm == pytest.approx(theme.page.margin_top_mm, abs=0.05)


def test_letter_paper(theme: Theme) -> None:
    letter = theme.model_copy(update={"page": theme.page.model_copy(update={"size": "Letter"})})
    word: Any = docx.Document(io.BytesIO(write_docx(sample_document(), letter)))
    assert word.sections[0].page_width.inches == pytest.approx(8.5)


def _instructions(part_element: Any) -> list[str]:
    return [node.text.strip() for node in part_element.iter(f"{W}instrText")]


def test_footer_has_page_fields_title_banner_and_label(word: Any) -> None:
    footer = word.sections[0].footer
    assert _instructions(footer._element) == ["PAGE", "NUMPAGES"]
    page_line, marking_line = footer.paragraphs
    assert page_line.text == "Trilateral Vice Foreign Ministerial\tPage 1 of 1"
    assert marking_line.text == "\tUNCLASSIFIED\t\u00a0TLP:AMBER\u00a0"


def test_header_has_banner_and_coloured_label(word: Any, theme: Theme) -> None:
    header = word.sections[0].header
    (line,) = header.paragraphs
    assert line.text == "\tUNCLASSIFIED\t\u00a0TLP:AMBER\u00a0"
    label = line.runs[-1]
    assert label.bold is True
    assert str(label.font.color.rgb) == theme.colors.labels["tlp-amber"].lstrip("#").upper()
    assert label.element.rPr.find(f"{W}shd").get(f"{W}fill") == "000000"
    banner = next(r for r in line.runs if r.text == "UNCLASSIFIED")
    assert banner.bold is True


def test_header_tab_stops_span_the_text_width(word: Any, theme: Theme) -> None:
    stops = word.styles["Header"].paragraph_format.tab_stops
    text_width = Mm(210 - theme.page.margin_left_mm - theme.page.margin_right_mm)
    assert [
        abs(stop.position - target) < Mm(0.1)
        for stop, target in zip(stops, (text_width // 2, text_width), strict=True)
    ] == [True, True]


# --- metadata and package -------------------------------------------------------------------


def test_core_properties_come_from_document_info(word: Any) -> None:
    info = sample_document().info
    props = word.core_properties
    assert props.title == info.title
    assert props.author == info.author
    assert props.last_modified_by == info.author
    assert props.subject == info.subject
    assert props.keywords == "Korea; Japan; trilateral"
    assert props.language == info.language


def test_long_metadata_is_shortened_to_words_limit_not_refused(theme: Theme) -> None:
    """Word and python-docx cap core properties at 255 characters; a brief with many
    participants (one keyword each) or a long title must still build."""
    names = tuple(f"Participant Number {n}" for n in range(60))
    info = DocumentInfo(title="T" * 400, keywords=(*names, *names))
    document = dataclasses.replace(sample_document(), info=info)
    props = docx.Document(io.BytesIO(write_docx(document, theme))).core_properties
    assert len(props.title) == 255 and props.title.endswith("\u2026")
    kept = props.keywords.split("; ")
    assert len(props.keywords) <= 255
    assert kept == list(names[: len(kept)])
    assert props.created == info.created
    assert props.modified == info.created
    assert props.comments == ""
    assert props.category == ""


def test_no_python_docx_leftovers_or_thumbnail(parts: dict[str, bytes]) -> None:
    for name, data in parts.items():
        assert b"python-docx" not in data, name
    assert "docProps/thumbnail.jpeg" not in parts
    assert b"thumbnail" not in parts["_rels/.rels"]
    assert b"jpeg" not in parts["[Content_Types].xml"]
    assert b"savePreviewPicture" not in parts["word/settings.xml"]
    assert b"<Application>briefgen</Application>" in parts["docProps/app.xml"]
    assert b"Macintosh" not in parts["docProps/app.xml"]


def test_output_is_byte_identical(sample_bytes: bytes, theme: Theme) -> None:
    assert write_docx(sample_document(), theme) == sample_bytes


def test_zip_entries_are_stamped_with_document_time(sample_bytes: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as package:
        entries = package.infolist()
    assert entries[0].filename == "[Content_Types].xml"
    assert {entry.date_time for entry in entries} == {(2024, 10, 15, 9, 0, 0)}


def test_timestamps_are_written_in_utc(theme: Theme) -> None:
    seoul = dt.timezone(dt.timedelta(hours=9))
    info = DocumentInfo(title="t", created=dt.datetime(2024, 10, 16, 9, 30, tzinfo=seoul))
    word: Any = docx.Document(io.BytesIO(write_docx(Document(info=info), theme)))
    assert word.core_properties.created == dt.datetime(2024, 10, 16, 0, 30, tzinfo=dt.UTC)


def test_control_characters_are_dropped_not_fatal(theme: Theme) -> None:
    dirty = "bell\x07 nul\x00 vt\x0b esc\x1b lone\ud800 end"
    document = Document(
        info=DocumentInfo(title="title\x01", author="a\x02"),
        blocks=(
            Heading(1, (Text(dirty),), anchor="x\x00"),
            Paragraph((Text(dirty, href="https://e.org/\x00"), NoteRef(1, "n\x01"))),
            Notes((Note(1, "n\x01", (Text(dirty),)),)),
        ),
    )
    word: Any = docx.Document(io.BytesIO(write_docx(document, theme)))
    assert word.paragraphs[0].text == "bell nul vt esc lone end"
    assert word.core_properties.title == "title"
    assert clean_text("tab\tline\nok") == "tab\tline\nok"


def test_empty_document_still_valid(theme: Theme) -> None:
    data = write_docx(Document(info=DocumentInfo(title="Empty")), theme)
    word: Any = docx.Document(io.BytesIO(data))
    assert word.core_properties.title == "Empty"


def test_unknown_label_tone_is_white_on_black_as_in_the_pdf(theme: Theme) -> None:
    base = sample_document()
    decor = dataclasses.replace(base.decor, label="CUSTOM", label_tone="nope")
    word: Any = docx.Document(io.BytesIO(write_docx(dataclasses.replace(base, decor=decor), theme)))
    label = word.sections[0].header.paragraphs[0].runs[-1]
    assert label.text == "\u00a0CUSTOM\u00a0"
    assert label.element.rPr.find(f"{W}shd").get(f"{W}fill") == "000000"
    assert str(label.font.color.rgb) == "FFFFFF"


@settings(max_examples=25, deadline=None, suppress_health_check=[FIXTURE_HEALTH_CHECK])
@given(text=st.text(max_size=40), anchor=st.text(max_size=60), lang=st.sampled_from(LANGS))
def test_any_text_builds_and_reads_back(
    theme: Theme, text: str, anchor: str, lang: str | None
) -> None:
    document = Document(
        info=DocumentInfo(title=text, author=text, keywords=(text,)),
        decor=PageDecor(
            banner=text,
            label=text,
            footer_left=text,
            page_format=text.replace("{", "{{").replace("}", "}}") + " {page}",
        ),
        blocks=(
            Heading(1, (Text(text, lang=lang),), anchor=anchor),
            Paragraph((Text(text, href="https://e.org/" + text), NoteRef(1, "n-" + anchor))),
            Notes((Note(1, "n-" + anchor, (Text(text),)),)),
        ),
    )
    word: Any = docx.Document(io.BytesIO(write_docx(document, theme)))
    assert word.paragraphs[0].text == clean_text(text).replace("\r", "\n")
    anchors = {h.get(f"{W}anchor") for h in word.element.body.iter(f"{W}hyperlink")}
    bookmarks = {b.get(f"{W}name") for b in word.element.body.iter(f"{W}bookmarkStart")}
    assert anchors - {None} <= bookmarks


# --- LibreOffice round trip -----------------------------------------------------------------


def test_libreoffice_converts_to_pdf_with_headings_and_page_numbers(
    sample_bytes: bytes, tmp_path: Path, only_dejavu: Path
) -> None:
    source = tmp_path / "brief.docx"
    source.write_bytes(sample_bytes)
    pdf = libreoffice_pdf(source, tmp_path, only_dejavu)
    reader = PdfReader(pdf)
    # LibreOffice's PDF maps the space glyph back to U+00A0 when a font subset has both.
    text = "\n".join(page.extract_text() or "" for page in reader.pages).replace("\xa0", " ")
    for expected in (*HEADINGS, "Page 1 of", "UNCLASSIFIED", "TLP:AMBER", "김홍균"):
        assert expected in text
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert {"NanumGothic", "NotoSerif-Regular", "NotoSans-Bold"} <= pdf_font_families(pdf)


# --- direct XML helpers ---------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(
    text=st.text(alphabet=st.sampled_from("ab \t\n\r\u00a0\u3000한"), max_size=12),
    bold=st.booleans(),
    italic=st.booleans(),
    align=st.sampled_from(["left", "center", "right"]),
)
def test_direct_xml_matches_what_python_docx_writes(
    text: str, bold: bool, italic: bool, align: str
) -> None:
    from docx.enum.text import WD_PARAGRAPH_ALIGNMENT

    from briefgen.writers.docx_oxml import append_run, set_alignment

    ours, theirs = docx.Document().add_paragraph(), docx.Document().add_paragraph()
    set_alignment(ours._p, align)
    append_run(ours._p, text, bold=bold, italic=italic)
    theirs.alignment = getattr(WD_PARAGRAPH_ALIGNMENT, align.upper())
    run = theirs.add_run(text)
    if bold:
        run.bold = True
    if italic:
        run.italic = True
    assert ours._p.xml == theirs._p.xml


def test_set_paragraph_style_replaces_and_removes_the_style() -> None:
    from briefgen.writers.docx_oxml import set_paragraph_style

    element: Any = docx.Document().add_paragraph()._p
    set_paragraph_style(element, None)
    assert element.pPr is None
    set_paragraph_style(element, "Heading1")
    set_paragraph_style(element, "Heading2")
    properties: Any = element.pPr
    assert properties.style == "Heading2"
    assert len(properties.findall(f"{W}pStyle")) == 1
    set_paragraph_style(element, None)
    assert properties.style is None


def test_data_tables_carry_a_title_and_description_for_screen_readers(word: Any) -> None:
    (table,) = _tables_with_style(word, "Brief Table")
    properties = table._tbl.find(f"{W}tblPr")
    assert properties.find(f"{W}tblCaption").get(f"{W}val")
    description = properties.find(f"{W}tblDescription").get(f"{W}val")
    assert description == "Columns: No., Name, Counterpart"


def test_word_opens_it_as_a_current_document(sample_bytes: bytes) -> None:
    """Word 2013+ layout (no Compatibility Mode), none of the template's leftovers."""
    with zipfile.ZipFile(io.BytesIO(sample_bytes)) as archive:
        names = archive.namelist()
        settings = archive.read("word/settings.xml").decode()
        styles = archive.read("word/styles.xml").decode()
        document = archive.read("word/document.xml").decode()
    assert (
        'w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"'
        in settings
    )
    assert not [name for name in names if name.startswith("customXml")]
    assert "rsid" not in settings + styles + document
    table_styles = re.findall(r'<w:style w:type="table"[^>]*w:styleId="([^"]+)"', styles)
    assert sorted(table_styles) == ["BriefTable", "TableNormal"]
    assert "<w:widowControl/>" in styles
    assert "<w:tblInd " not in document  # Word 2013 puts the border, not the text, at the margin


def test_talking_points_are_a_real_list_inside_the_callout(theme: Theme) -> None:
    from briefgen.document.nodes import Callout

    callout = Callout(
        title="Talking points",
        body=(BulletList(items=((Text("First"),), (Text("Second, a longer point"),))),),
    )
    document = Document(info=DocumentInfo(title="t"), blocks=(callout,))
    word = docx.Document(io.BytesIO(write_docx(document, theme)))
    (cell,) = word.tables[0]._cells
    items = [p for p in cell.paragraphs if p.style.name == "List Bullet"]
    assert [p.text for p in items] == ["First", "Second, a longer point"]
    numbering = word.part.numbering_part.element
    bullets = {
        level.find(f"{W}lvlText").get(f"{W}val")
        for level in numbering.iter(f"{W}lvl")
        if level.find(f"{W}numFmt").get(f"{W}val") == "bullet"
    }
    assert bullets == {"\u2022"}  # not the Symbol font's private-use glyph


def test_the_heat_map_table_describes_what_it_shows(word: Any) -> None:
    """The heat map is a table in the DOCX; its description is the same text alternative
    the PDF gives its Figure (one rule, in the document model)."""
    descriptions = [
        table._tbl.find(f"{W}tblPr/{W}tblDescription").get(f"{W}val")
        for table in word.tables
        if table._tbl.find(f"{W}tblPr/{W}tblDescription") is not None
    ]
    heat_maps = [text for text in descriptions if text.startswith("Heat map")]
    assert len(heat_maps) == 1 and ":" in heat_maps[0]
