"""The PDF is tagged PDF/UA-1 and PDF/A-2a: every layout, scripts, letterhead, all block types.

Each PDF is checked by two validators (see :mod:`tests.writers.tagged_pdf`), its text is
read back in structure order and compared with the document model's order, and the
parts a validator cannot judge are checked directly: which structure types the blocks
get, that page decoration is an artifact, what the heat map's alternative text says and
what link annotations announce.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from PIL import Image

from briefgen.build.pipeline import render_format, theme
from briefgen.compose.render import ComposeOptions, compose
from briefgen.document.nodes import Document, DocumentInfo, Heading, HeatMap, Paragraph, Text
from briefgen.validation import load_brief
from briefgen.writers.pdf import write_pdf
from tests.conftest import FIXTURES, SAMPLE, theme_copy
from tests.writers.conftest import sample_document
from tests.writers.tagged_pdf import assert_conforms, model_text, reads_as, structure_text
from tests.writers.test_theme_letterhead import LETTERHEAD

LAYOUTS = ("briefing_memo", "policy_brief", "read_ahead")


def _compose(brief: Path = SAMPLE, template: str = "briefing_memo") -> Document:
    return compose(load_brief(brief), ComposeOptions(template=template))


def _check(document: Document, pdf: bytes) -> None:
    assert_conforms(pdf)
    assert reads_as(structure_text(pdf), model_text(document))


@pytest.mark.parametrize("template", LAYOUTS)
def test_each_layout_is_tagged_and_reads_in_model_order(template: str) -> None:
    document = _compose(template=template)
    _check(document, render_format("pdf", document, theme(None)))


def test_the_international_fixture_is_tagged_and_reads_in_model_order() -> None:
    document = _compose(FIXTURES / "international.yaml")
    _check(document, render_format("pdf", document, theme(None)))


def test_the_writers_sample_with_every_block_type_is_tagged() -> None:
    document = sample_document()
    _check(document, write_pdf(document, theme(None)))


def test_a_letterhead_theme_keeps_the_pdf_conformant(tmp_path: Path) -> None:
    Image.new("RGB", (120, 40), (31, 58, 95)).save(tmp_path / "logo.png")
    themed = theme(theme_copy(tmp_path / "office.toml", letterhead=LETTERHEAD))
    document = _compose()
    _check(document, render_format("pdf", document, themed))


@pytest.fixture(scope="module")
def sample_pdf() -> pikepdf.Pdf:
    document = _compose()
    return pikepdf.open(io.BytesIO(render_format("pdf", document, theme(None))))


def _elements(node: Any) -> list[Any]:
    """Every structure element below ``node``, depth first in reading order."""
    kids = node.get("/K")
    found: list[Any] = []
    for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/StructElem":
            found += [kid, *_elements(kid)]
    return found


def test_blocks_get_their_structure_types(sample_pdf: pikepdf.Pdf) -> None:
    root = sample_pdf.Root.StructTreeRoot
    document = root.K
    assert document.S == "/Document"
    kinds = [str(element.S) for element in _elements(document)]
    top = [str(kid.S) for kid in document.K]
    assert top[:3] == ["/Title", "/Subtitle", "/L"]  # title block: title, subtitle, details
    assert {"/H1", "/H2", "/P", "/Table", "/THead", "/TBody", "/TR", "/TH", "/TD"} <= set(kinds)
    assert {"/L", "/LI", "/Lbl", "/LBody", "/Note", "/Reference", "/Link", "/Callout"} <= set(kinds)
    assert kinds.count("/Figure") == 1
    assert dict(root.RoleMap) == {"/Title": "/H1", "/Subtitle": "/P", "/Callout": "/Div"}
    headers = [element for element in _elements(document) if element.S == "/TH"]
    assert headers and all(element.A.Scope == "/Column" for element in headers)


def test_the_heat_map_says_what_it_shows(sample_pdf: pikepdf.Pdf) -> None:
    (figure,) = [e for e in _elements(sample_pdf.Root.StructTreeRoot.K) if e.S == "/Figure"]
    alt = str(figure.Alt)
    for risk in load_brief(SAMPLE).risks:
        expected = f"likelihood {risk.likelihood}, impact {risk.impact}, score {risk.score}"
        assert f"{risk.title}: {expected}" in alt
    assert len(figure.A.BBox) == 4


def test_a_heat_map_without_a_description_is_described_square_by_square() -> None:
    document = sample_document()
    heat_map = next(block for block in document.blocks if isinstance(block, HeatMap))
    assert heat_map.alt == ""
    pdf = pikepdf.open(io.BytesIO(write_pdf(document, theme(None))))
    (figure,) = [e for e in _elements(pdf.Root.StructTreeRoot.K) if e.S == "/Figure"]
    assert "Impact 5, Likelihood 4: R1, R2." in str(figure.Alt)


@pytest.mark.parametrize("source", ["sample brief", "writers' sample"])
def test_links_are_described_flagged_and_in_the_structure(source: str) -> None:
    document = _compose() if source == "sample brief" else sample_document()
    pdf = pikepdf.open(io.BytesIO(write_pdf(document, theme(None))))
    links = [e for e in _elements(pdf.Root.StructTreeRoot.K) if e.S == "/Link"]
    annotations = [annot for page in pdf.pages for annot in page.obj.get("/Annots", [])]
    assert len(links) == len(annotations) > 0
    for link in links:
        annotation = link.K.Obj
        assert link.K.Type == "/OBJR" and annotation.F == 4 and str(annotation.Contents)
    described = {str(annotation.Contents) for annotation in annotations}
    assert "Note 1" in described
    if source != "sample brief":
        assert "https://example.org/readout?a=1&b=2" in described
    assert all(page.obj.Tabs == "/S" for page in pdf.pages)


def test_page_decoration_is_an_artifact(sample_pdf: pikepdf.Pdf) -> None:
    """The banner, label and page number are drawn before any tagged content, inside a
    pagination artifact."""
    operators = pikepdf.parse_content_stream(sample_pdf.pages[0])
    opened = [str(ops[1]) for ops in operators if str(ops[1]) in {"BDC", "BMC"}]
    first = next(ops for ops in operators if str(ops[1]) == "BDC")
    assert opened[:2] == ["BDC", "BMC"] and first[0][0] == "/Artifact"
    assert first[0][1].Type == "/Pagination"


def test_metadata_declares_the_conformance_and_the_language(sample_pdf: pikepdf.Pdf) -> None:
    meta = sample_pdf.open_metadata()
    assert meta["pdfuaid:part"] == "1"
    assert (meta["pdfaid:part"], meta["pdfaid:conformance"]) == ("2", "A")
    assert meta["dc:title"] == str(sample_pdf.docinfo.Title)
    assert sample_pdf.Root.Lang == "en-US" and sample_pdf.Root.MarkInfo.Marked
    (intent,) = sample_pdf.Root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and intent.DestOutputProfile.N == 3


def test_tagged_output_is_byte_identical_across_runs() -> None:
    document = _compose()
    assert write_pdf(document, theme(None)) == write_pdf(document, theme(None))


@pytest.mark.parametrize("year", [1, 999, 2024, 9999])
def test_any_year_gives_matching_info_and_xmp_dates(year: int) -> None:
    """PDF/A wants the Info dictionary's dates and the XMP's to be the same instant; a year
    before 1000 must still be written with four digits in both."""
    info = DocumentInfo(title="Dates", created=dt.datetime(year, 2, 3, 4, 5, 6, tzinfo=dt.UTC))
    document = Document(info=info, blocks=(Paragraph((Text("Body"),)),))
    pdf = write_pdf(document, theme(None))
    assert_conforms(pdf)
    opened = pikepdf.open(io.BytesIO(pdf))
    assert str(opened.docinfo.CreationDate) == f"D:{year:04d}0203040506+00'00'"
    assert opened.open_metadata()["xmp:CreateDate"] == f"{year:04d}-02-03T04:05:06+00:00"


def test_text_in_another_language_declares_it(sample_pdf: pikepdf.Pdf) -> None:
    """The participants' native names (Korean, Japanese) are paragraphs of their own, tagged
    with their language so a screen reader switches voice; English text declares nothing."""
    langs = {
        str(element.Lang): element
        for element in _elements(sample_pdf.Root.StructTreeRoot.K)
        if "/Lang" in element
    }
    assert set(langs) == {"ko", "ja"}
    assert all(element.S == "/P" for element in langs.values())


def test_a_heat_map_of_hundreds_of_risks_keeps_its_description_within_pdf_a_limits() -> None:
    """PDF/A caps a string at 32767 bytes; a description of hundreds of risks is cut after
    the last whole sentence that fits, and so are the keywords listing every participant."""
    base = sample_document()
    heat_map = next(block for block in base.blocks if isinstance(block, HeatMap))
    alt = " ".join(f"R{n}, risk {n}: likelihood 3, impact 4, score 12." for n in range(1, 900))
    blocks = tuple(
        dataclasses.replace(block, alt=alt) if block is heat_map else block for block in base.blocks
    )
    info = dataclasses.replace(base.info, keywords=tuple(f"Participant {n}" for n in range(3000)))
    pdf = write_pdf(dataclasses.replace(base, info=info, blocks=blocks), theme(None))
    assert_conforms(pdf)
    opened = pikepdf.open(io.BytesIO(pdf))
    (figure,) = [e for e in _elements(opened.Root.StructTreeRoot.K) if e.S == "/Figure"]
    assert str(figure.Alt).endswith("score 12.\u2026") and str(figure.Alt).startswith("R1, risk 1:")


def test_heading_levels_never_skip_in_the_structure() -> None:
    """A template may jump from a section to a level-3 heading, or start at level 2 without a
    title; the tags still step one level at a time, and the file stays PDF/UA-1."""

    def heading(level: int, anchor: str) -> Heading:
        return Heading(level=level, content=(Text(f"Level {level}"),), anchor=anchor)

    blocks = (heading(2, "a"), heading(3, "b"), heading(1, "c"), heading(3, "d"))
    pdf = write_pdf(Document(info=DocumentInfo(title="Levels"), blocks=blocks), theme(None))
    assert_conforms(pdf)
    opened = pikepdf.open(io.BytesIO(pdf))
    kinds = [str(e.S) for e in _elements(opened.Root.StructTreeRoot.K)]
    assert kinds == ["/H1", "/H2", "/H1", "/H2"]


def test_a_list_in_a_callout_split_across_pages_keeps_its_text_and_links() -> None:
    """ReportLab deep-copies a list's items when the table cell holding it splits across
    pages; the copies must still draw into the items' own elements (found by the property
    tests: the item's text and its link's annotation had gone missing from the tree)."""
    from briefgen.document.nodes import BulletList, Callout

    long = " ".join(f"word{index}" for index in range(900))
    linked = (Text(long), Text(" see "), Text("the readout", href="https://example.org/r"))
    document = Document(
        info=DocumentInfo(title="Split callout", language="en-US"),
        blocks=(
            Paragraph((Text("filler " * 300),)),
            Callout(
                title="Talking points",
                body=(BulletList(items=((Text("first"),), linked, (Text("third"),))),),
            ),
        ),
    )
    pdf = write_pdf(document, theme())
    assert_conforms(pdf)
    assert reads_as(structure_text(pdf), model_text(document))
