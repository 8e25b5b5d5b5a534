"""Wrapped list items hang under their text, not under the bullet, in both formats
(read back with poppler's word boxes, and from the DOCX's list definitions)."""

from __future__ import annotations

import io
import re
import subprocess
import zipfile
from pathlib import Path

import pytest

from briefgen.document.nodes import BulletList, Callout, Document, DocumentInfo, Text
from briefgen.presentation.theme import Theme
from briefgen.writers.docx import write_docx
from briefgen.writers.pdf import write_pdf

POINT = (
    "We stand with the ROK and urge the DPRK to refrain from steps that raise the risk of "
    "miscalculation along the border, in the air and at sea, and we say so together."
)


def _document() -> Document:
    items = (BulletList(((Text(POINT),), (Text("Short."),))),)
    numbered = BulletList(((Text(POINT),),), ordered=True)
    return Document(
        info=DocumentInfo(title="Lists"),
        blocks=(*items, numbered, Callout("Talking points", items)),
    )


def _word_boxes(pdf: bytes, tmp_path: Path) -> list[tuple[float, float, str]]:
    """(x, y, word) of every word poppler finds, top to bottom."""
    path = tmp_path / "lists.pdf"
    path.write_bytes(pdf)
    html = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout
    found = re.findall(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>([^<]*)</word>', html)
    return [(float(x), float(y), word) for x, y, word in found]


def test_pdf_list_items_wrap_under_their_text(theme: Theme, tmp_path: Path) -> None:
    boxes = _word_boxes(write_pdf(_document(), theme), tmp_path)
    starts = [index for index, (_, _, word) in enumerate(boxes) if word == "We"]
    assert len(starts) == 3  # the bulleted, the numbered and the callout's item
    for start in starts:
        marker_x = boxes[start - 1][0]
        text_x, first_y = boxes[start][0], boxes[start][1]
        following = next(box for box in boxes[start:] if box[1] > first_y + 1)
        assert marker_x < text_x - 3, "the marker stands left of the text"
        assert following[0] == pytest.approx(text_x, abs=0.6), (following, text_x)


def test_docx_lists_hang_their_text(theme: Theme) -> None:
    with zipfile.ZipFile(io.BytesIO(write_docx(_document(), theme))) as package:
        numbering = package.read("word/numbering.xml").decode()
        document = package.read("word/document.xml").decode()
    assert "<w:numPr>" in document or "ListBullet" in document
    levels = re.findall(r'<w:ind w:left="(\d+)" w:hanging="(\d+)"/>', numbering)
    assert levels and all(int(hanging) > 0 for _, hanging in levels)
    assert 'w:firstLine="' not in re.sub(r"<w:style .*?</w:style>", "", document)
