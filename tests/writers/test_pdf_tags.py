"""The finishing pass's repairs, each on a minimal file: what ReportLab writes that PDF/A and
PDF/UA refuse, and what the pass makes of it."""

from __future__ import annotations

import io
import zlib

import page
import pikepdf
import pytest

from briefgen.writers.pdf_tags import (
    MAX_STRING,
    Marker,
    Node,
    _end_streams_clearly,
    _fixed_cmap,
    _xmp_date,
    clip,
)

CMAP = b"""/CIDInit /ProcSet findresource begin
begincmap
1 begincodespacerange
<00> <7F>
endcodespacerange
4 beginbfchar
<00> <0000>
<01> <2013>
<02> <0000>
<20> <0020>
endbfchar
endcmap
"""


def test_null_entries_leave_the_to_unicode_map_and_the_count_follows() -> None:
    fixed = _fixed_cmap(CMAP)
    assert fixed is not None
    text = zlib.decompress(fixed)
    assert b"<0000>" not in text
    assert b"2 beginbfchar\n<01> <2013>\n<20> <0020>\nendbfchar" in text
    assert _fixed_cmap(text) is None  # nothing left to fix


def _compresses_to_a_final_cr() -> bytes:
    """Data whose zlib form ends in CR (the checksum's last byte), as one font subset in
    256 does; found by counting, so the same data every run."""
    return next(
        data
        for data in (b"font program %d" % n for n in range(100_000))
        if zlib.compress(data).endswith(b"\r")
    )


def test_a_stream_ending_in_a_carriage_return_is_wrapped_and_still_decodes() -> None:
    pdf = pikepdf.new()
    font = _compresses_to_a_final_cr()
    flate = pdf.make_stream(zlib.compress(font))
    flate.Filter = pikepdf.Name.FlateDecode
    pdf.Root.Flate = pdf.make_indirect(flate)
    pdf.Root.Plain = pdf.make_indirect(pdf.make_stream(b"ends\r"))
    pdf.Root.Fine = pdf.make_indirect(pdf.make_stream(b"ends\n"))
    _end_streams_clearly(pdf)
    for name, expected in (("/Flate", font), ("/Plain", b"ends\r")):
        obj = pdf.Root[name]
        assert obj.read_raw_bytes().endswith(b"~>") and obj.read_bytes() == expected
        filters = obj.Filter if isinstance(obj.Filter, pikepdf.Array) else [obj.Filter]
        assert filters[0] == "/ASCII85Decode"
    assert pdf.Root.Fine.read_raw_bytes() == b"ends\n" and "/Filter" not in pdf.Root.Fine


@pytest.mark.parametrize(
    ("pdf_date", "xmp"),
    [
        ("D:20241016093000+00'00'", "2024-10-16T09:30:00+00:00"),
        ("D:09990101000000+00'00'", "0999-01-01T00:00:00+00:00"),
    ],
)
def test_pdf_dates_become_xmp_dates(pdf_date: str, xmp: str) -> None:
    assert _xmp_date(pdf_date) == xmp


def test_a_date_the_writer_never_writes_is_a_bug_not_a_guess() -> None:
    with pytest.raises(ValueError, match="unexpected PDF date"):
        _xmp_date("D:2024")


class _Canvas:
    """Just what the marker touches: the content list and the page number."""

    def __init__(self) -> None:
        self._code: list[str] = []

    def getPageNumber(self) -> int:  # noqa: N802 (ReportLab's name)
        return 2


def test_untagged_drawing_is_an_artifact_and_tagged_drawing_gets_numbered_mcids() -> None:
    root = Node("Document")
    first, second = root.add("P"), root.add("H1")
    marker = Marker(root, {}, frozenset())
    canvas = _Canvas()
    marker.page_begins(canvas)
    marker.decoration_done(canvas)
    marker.begin(canvas, first)
    marker.end(canvas)
    marker.begin(canvas, second)
    marker.end(canvas)
    marker.page_ends(canvas)
    assert canvas._code == [
        "/Artifact <</Type /Pagination>> BDC",
        "EMC",
        "/Artifact BMC",
        "EMC",
        "/P <</MCID 0>> BDC",
        "EMC",
        "/Artifact BMC",
        "EMC",
        "/H1 <</MCID 1>> BDC",
        "EMC",
        "/Artifact BMC",
        "EMC",
    ]
    assert [(kid.page, kid.mcid) for kid in first.kids + second.kids] == [(1, 0), (1, 1)]  # type: ignore[union-attr]


def test_a_citation_link_is_a_reference_and_a_web_link_is_described_by_its_address() -> None:
    root = Node("Document")
    paragraph = root.add("P")
    marker = Marker(root, {"note-a": "Note 1"}, frozenset({"note-a"}))
    canvas = _Canvas()
    marker.page_begins(canvas)
    marker.decoration_done(canvas)
    marker.begin(canvas, paragraph)
    marker.expect_link("note-a", internal=True)
    marker.annotation_added(0)
    marker.expect_link("https://example.org/", internal=False)
    marker.annotation_added(1)
    marker.end(canvas)
    reference, link = paragraph.kids[1], paragraph.kids[2]
    assert isinstance(reference, Node) and reference.role == "Reference"
    assert isinstance(link, Node) and link.role == "Link"
    (cited,) = reference.kids
    assert isinstance(cited, Node) and cited.kids[0].contents == "Note 1"  # type: ignore[union-attr]
    assert link.kids[0].contents == "https://example.org/"  # type: ignore[union-attr]


def test_validators_are_strict_about_what_the_pass_repairs() -> None:
    """The checks the repairs answer are real: the same validator fails an untreated file."""
    pdf = pikepdf.new()
    pdf.add_blank_page()
    out = io.BytesIO()
    pdf.save(out)
    report = page.validate_pdf_bytes(out.getvalue(), profile="ua1")
    rules = {failure.rule_id for failure in report.failures}
    assert "PDFUA1-STRUCT-TREE-ROOT-001" in rules and "PDFUA1-ID-PART-001" in rules


def test_long_strings_are_cut_after_a_whole_sentence_to_fit_pdf_a() -> None:
    sentence = "R12, a risk with a long name: likelihood 3, impact 4, score 12. "
    text = sentence * 1000
    clipped = clip(text)
    assert 2 + len(clipped.encode("utf-16-be")) <= MAX_STRING
    assert clipped.endswith("score 12.\u2026") and text.startswith(clipped[:-1])
    assert clip(sentence) == sentence
    astral = "\U0001f600" * 9000  # four bytes each in UTF-16
    assert 2 + len(clip(astral).encode("utf-16-be")) <= MAX_STRING
