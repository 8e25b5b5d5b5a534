"""The sample brief built and opened by real clients: pypdf, pypdfium2, qpdf, python-docx,
docx2python and LibreOffice. Every participant, commitment and risk must survive into the
text of both formats, and reference snapshots pin the document model and the DOCX XML."""

from __future__ import annotations

import dataclasses
import io
import json
import re
import subprocess
import zipfile
from pathlib import Path

import docx
import pypdf
import pypdfium2
import pytest
from docx2python import docx2python

from briefgen.build.pipeline import BuildRequest, build_brief
from briefgen.compose.render import compose
from briefgen.models.brief import Brief
from briefgen.validation import load_brief
from tests.conftest import (
    FIXTURES,
    SAMPLE,
    audit_docx,
    check_reference,
    libreoffice_pdf,
    pdf_font_families,
)


@pytest.fixture(scope="module")
def brief() -> Brief:
    return load_brief(SAMPLE)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("sample")
    files = build_brief(BuildRequest(source=SAMPLE, out_dir=out))
    return {file.path.suffix.lstrip("."): file.path for file in files}


def _squash(text: str) -> str:
    """Text without any whitespace, so line wrapping cannot hide or fake a match."""
    return re.sub(r"\s+", "", text)


def _expected_strings(brief: Brief) -> list[str]:
    strings = [brief.meta.title]
    for person in brief.participants:
        strings += [person.name, person.title]
        if person.native_name:
            strings.append(person.native_name)
    strings += [_plain(commitment.text) for commitment in brief.commitments]
    strings += [risk.title for risk in brief.risks]
    strings += [item.title for item in brief.agenda]
    strings += [f"\u201c{quote}\u201d" for quote in _quotes(brief)]
    strings += [f"Grading: {s.reliability}{s.credibility}." for s in brief.sources]
    return strings


def _quotes(brief: Brief) -> list[str]:
    refs = [
        *(ref for item in brief.summary for ref in item.sources),
        *(ref for item in brief.agenda for ref in item.sources),
        *(ref for item in brief.commitments for ref in item.sources),
        *(ref for item in brief.risks for ref in item.sources),
    ]
    return [ref.quote for ref in refs if ref.quote]


def _plain(text: str) -> str:
    """Drop the inline Markdown the composer turns into formatting."""
    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text).replace("**", "").replace("*", "")


def _pdf_text(path: Path) -> str:
    reader = pypdf.PdfReader(path)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def test_pdf_text_holds_every_participant_commitment_and_risk(
    brief: Brief, built: dict[str, Path]
) -> None:
    text = _squash(_pdf_text(built["pdf"]))
    missing = [s for s in _expected_strings(brief) if _squash(s) not in text]
    assert missing == []


def test_pdf_renders_and_passes_qpdf_check(built: dict[str, Path]) -> None:
    document = pypdfium2.PdfDocument(built["pdf"])
    assert 2 <= len(document) <= 12
    bitmap = document[0].render(scale=0.5).to_pil()
    extrema = bitmap.convert("L").getextrema()
    assert extrema[0] < 100 < extrema[1]  # ink on paper, not a blank page
    result = subprocess.run(
        ["qpdf", "--check", str(built["pdf"])], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_pdf_pages_carry_banner_and_page_x_of_y(built: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(built["pdf"])
    total = len(reader.pages)
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert text.count("UNCLASSIFIED") >= 2, number
        assert f"Page {number} of {total}" in text


def test_pdf_bookmarks_cover_every_section(built: dict[str, Path]) -> None:
    reader = pypdf.PdfReader(built["pdf"])

    def titles(outline: list[object]) -> list[str]:
        found: list[str] = []
        for entry in outline:
            if isinstance(entry, list):
                found += titles(entry)
            else:
                found.append(str(getattr(entry, "title", "")))
        return found

    names = titles(list(reader.outline))
    for section in ("Key points", "Context", "Participants", "Agenda", "Commitments", "Risks"):
        assert section in names
    assert "Sources" in names


def test_docx_text_holds_every_participant_commitment_and_risk(
    brief: Brief, built: dict[str, Path]
) -> None:
    with docx2python(built["docx"]) as parsed:
        text = _squash(parsed.text)
    missing = [s for s in _expected_strings(brief) if _squash(s) not in text]
    assert missing == []
    document = docx.Document(str(built["docx"]))
    assert document.core_properties.title == brief.meta.title
    headings = [p.text for p in document.paragraphs if p.style and p.style.name == "Heading 1"]
    assert headings[:2] == ["Key points", "Context"]


def test_libreoffice_draws_the_docx_with_the_fonts_it_carries(
    built: dict[str, Path], tmp_path: Path, only_dejavu: Path
) -> None:
    """On a machine with none of the theme's fonts, LibreOffice draws every name in the
    font the DOCX carries: pdffonts of its output, not its extracted text, shows it
    (the text of a fallback font's empty boxes still extracts as the right letters)."""
    converted = libreoffice_pdf(built["docx"], tmp_path, only_dejavu)
    fonts = pdf_font_families(converted)
    expected = {"NotoSerif-Regular", "NotoSerif-Bold", "NotoSans-Regular", "NotoSans-Bold"}
    assert expected | {"NanumGothic", "IPAGothic"} <= fonts
    assert not [name for name in fonts if "DejaVu" in name], fonts
    text = _squash(_pdf_text(converted))
    assert _squash("Page 1 of") in text
    assert _squash("Kim Hong Kyun") in text and "김홍균" in text and "岡野正敬" in text


def test_the_sample_docx_passes_openxml_audit(built: dict[str, Path]) -> None:
    assert audit_docx(built["docx"].read_bytes()) == []


def test_document_model_reference(brief: Brief) -> None:
    document = compose(brief)
    actual = json.dumps(dataclasses.asdict(document), indent=1, ensure_ascii=False, default=str)
    check_reference(FIXTURES / "reference" / "sample_document.json", actual + "\n")


@pytest.mark.parametrize("part", ["word/document.xml", "word/footer1.xml", "word/header1.xml"])
def test_docx_xml_part_reference(built: dict[str, Path], part: str) -> None:
    with zipfile.ZipFile(io.BytesIO(built["docx"].read_bytes())) as archive:
        names = archive.namelist()
        candidates = [name for name in names if name.startswith(part.split("1")[0])]
        assert candidates, names
        xml = archive.read(part if part in names else sorted(candidates)[0]).decode("utf-8")
    pretty = re.sub(r"(<w:p[ >])", r"\n\1", xml)
    check_reference(FIXTURES / "reference" / part.replace("/", "_"), pretty + "\n")
