"""Audience variants: items left out by tag, and the marking set by what is kept."""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.transforms.audience import AudienceError, audiences, for_audience, strictest
from briefgen.validation import load_brief
from tests.conftest import FIXTURES, SAMPLE

BRIEF = FIXTURES / "audiences.yaml"


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def test_every_item_is_kept_without_an_audience_and_the_strictest_label_wins() -> None:
    brief = for_audience(load_brief(BRIEF))
    assert len(brief.summary) == 3 and len(brief.risks) == 2
    assert brief.meta.marking.tlp == "TLP:RED"


def test_an_audience_keeps_its_own_and_untagged_items() -> None:
    press = for_audience(load_brief(BRIEF), "press")
    assert [point.text for point in press.summary] == [
        "Everyone reads this point.",
        "The press line is agreed.",
    ]
    assert [c.id for c in press.commitments] == ["joint-statement"]
    assert [r.id for r in press.risks] == ["provocation"]
    assert press.meta.marking.tlp == "TLP:GREEN"  # the AMBER and RED items were left out


def test_the_principal_variant_carries_the_label_of_its_strictest_item() -> None:
    principal = for_audience(load_brief(BRIEF), "principal")
    assert len(principal.summary) == 2
    assert principal.meta.marking.tlp == "TLP:RED"


def test_a_misspelt_audience_is_refused_not_treated_as_everyone() -> None:
    with pytest.raises(AudienceError, match=r"'pres' \(did you mean 'press'\?\)"):
        for_audience(load_brief(BRIEF), "pres")
    with pytest.raises(AudienceError, match="no item of this brief is tagged"):
        for_audience(load_brief(SAMPLE), "press")


def test_audiences_are_listed_in_order_of_first_use() -> None:
    assert audiences(load_brief(BRIEF)) == ["principal", "press"]
    assert audiences(load_brief(SAMPLE)) == []


def test_strictest_follows_tlp_order() -> None:
    assert strictest([None, "TLP:GREEN", "TLP:AMBER+STRICT", "TLP:AMBER"]) == "TLP:AMBER+STRICT"
    assert strictest([None]) is None


def test_build_for_an_audience_writes_a_named_variant_without_the_others_items(
    tmp_path: Path,
) -> None:
    assert main(["build", str(BRIEF), "-o", str(tmp_path), "--audience", "press"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "audiences-press.docx",
        "audiences-press.pdf",
    ]
    pdf_text = _pdf_text(tmp_path / "audiences-press.pdf")
    word = docx.Document(io.BytesIO((tmp_path / "audiences-press.docx").read_bytes()))
    docx_text = "\n".join(p.text for p in word.paragraphs) + "\n".join(
        cell.text for table in word.tables for row in table.rows for cell in row.cells
    )
    header = " ".join(p.text for p in word.sections[0].header.paragraphs)
    for text in (pdf_text, docx_text):
        assert "The press line is agreed." in text
        assert "negotiating fallback" not in text
        assert "private channel" not in text
        assert "fallback position leaks" not in text
    assert "TLP:GREEN" in pdf_text and "TLP:GREEN" in header


def test_items_with_their_own_label_are_portion_marked(tmp_path: Path) -> None:
    assert main(["build", str(BRIEF), "-o", str(tmp_path), "-f", "pdf"]) == 0
    text = _pdf_text(tmp_path / "audiences.pdf")
    assert "[TLP:AMBER] Only the principal" in text
    assert "[TLP:RED]" in text
    assert "TLP:RED" in text.split("Audience test brief")[0]  # the page label, top of page 1


def test_unknown_audience_on_the_command_line_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(BRIEF), "-o", str(tmp_path), "--audience", "pres"]) == 1
    assert "did you mean 'press'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
