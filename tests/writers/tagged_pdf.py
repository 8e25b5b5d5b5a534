"""Checks of a tagged PDF shared by the accessibility and property tests.

* :func:`assert_conforms` runs two independent validators: page-validation (a Rust
  PDF/A and PDF/UA checker) for PDF/UA-1 and PDF/A-2a, and pdfua (pikepdf-based) as a
  second opinion; any failed rule fails the test with the validators' own messages.
* :func:`structure_text` reads the text back *in structure order*: it walks the
  structure tree, and for every marked-content reference decodes the glyphs drawn inside
  that sequence through the font's ToUnicode map.  :func:`model_text` is what the
  document model says, in its own order, so the two can be compared.
"""

from __future__ import annotations

import io
import re
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

import page
import pdfua
import pikepdf

from briefgen.document.nodes import (
    Block,
    BulletList,
    Callout,
    Content,
    DefinitionList,
    Document,
    Heading,
    HeatMap,
    Notes,
    Paragraph,
    Table,
    Text,
    note_separator,
)
from briefgen.writers.hyphenation import CELL_MIN, soft_hyphens


def assert_conforms(pdf: bytes) -> None:
    """Zero failed rules for PDF/UA-1 and PDF/A-2a (page-validation) and no pdfua findings."""
    for profile in ("ua1", "2a"):
        report = page.validate_pdf_bytes(pdf, profile=profile)
        failures = sorted({f"{f.rule_id}: {f.message}" for f in report.failures})
        assert report.is_compliant and report.rules.failed == 0, (profile, failures[:20])
        assert report.rules.total > 100, (profile, report.rules.total)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "tagged.pdf"
        path.write_bytes(pdf)
        second = pdfua.validate(str(path))
    findings = [f"{f.rule_id} {f.severity.name}: {f.message}" for f in second.findings]
    assert not findings, findings[:20]


def squash(text: str) -> str:
    """Text without white space: line breaks fall where the layout puts them."""
    return re.sub(r"\s+", "", text)


def reads_as(structure: str, model: str) -> bool:
    """True when the structure's text is the model's, white space aside.

    A soft hyphen is invisible, or a hyphen where the layout breaks a line at it; the
    writer's hyphenation adds soft hyphens at the breaks the dictionary allows.
    """
    expected = squash(soft_hyphens(model, "en-US", CELL_MIN))
    if "\u00ad" not in expected:
        return squash(structure) == expected
    pattern = "-?".join(re.escape(part) for part in expected.split("\u00ad"))
    return re.fullmatch(pattern, squash(structure)) is not None


# --- reading the structure --------------------------------------------------------------------


def structure_text(pdf: bytes) -> str:
    """The text of every tagged element in structure-tree order; a Figure reads as its
    caption (its picture is described by /Alt, checked elsewhere), an element with
    /ActualText as that text."""
    with pikepdf.open(io.BytesIO(pdf)) as document:
        pages = {page.obj.objgen: number for number, page in enumerate(document.pages)}
        marked = [_marked_text(page) for page in document.pages]
        pieces: list[str] = []
        _walk(document.Root.StructTreeRoot.K, None, pages, marked, pieces)
    return "".join(pieces)


def _walk(
    kid: Any,
    page_number: int | None,
    pages: dict[tuple[int, int], int],
    marked: list[dict[int, str]],
    pieces: list[str],
) -> None:
    if isinstance(kid, pikepdf.Array):
        for item in kid:
            _walk(item, page_number, pages, marked, pieces)
    elif isinstance(kid, int):
        assert page_number is not None, "an MCID without a page"
        pieces.append(marked[page_number].pop(kid, ""))
    elif isinstance(kid, pikepdf.Dictionary):
        kind = kid.get("/Type")
        here = pages[kid.Pg.objgen] if "/Pg" in kid else page_number
        if kind == "/MCR":
            pieces.append(marked[here].pop(int(kid.MCID), ""))  # type: ignore[index]
        elif kind == "/OBJR":
            return
        elif "/ActualText" in kid:  # replaces the element's content (its glyphs' order)
            pieces.append(str(kid.ActualText))
            _walk(kid.get("/K", pikepdf.Array()), here, pages, marked, [])
        elif "/K" in kid:
            if kid.get("/S") == "/Figure":
                _walk_figure(kid, here, pages, marked, pieces)
            else:
                _walk(kid.K, here, pages, marked, pieces)


def _walk_figure(
    figure: Any,
    page_number: int | None,
    pages: dict[tuple[int, int], int],
    marked: list[dict[int, str]],
    pieces: list[str],
) -> None:
    kids = figure.K if isinstance(figure.K, pikepdf.Array) else [figure.K]
    for kid in kids:
        if isinstance(kid, pikepdf.Dictionary) and kid.get("/S") == "/Caption":
            _walk(kid, page_number, pages, marked, pieces)
        elif isinstance(kid, int) and page_number is not None:
            marked[page_number].pop(kid, "")


def _marked_text(pdf_page: pikepdf.Page) -> dict[int, str]:
    """The text drawn inside each MCID of a page, decoded through the fonts' ToUnicode maps;
    a ``/Span`` with ``/ActualText`` inside one reads as that text."""
    fonts = pdf_page.obj.Resources.get("/Font", pikepdf.Dictionary())
    maps: dict[str, dict[int, str]] = {}
    texts: dict[int, list[str]] = defaultdict(list)
    stack: list[int | None] = []
    replaced: list[bool] = []
    font: dict[int, str] = {}
    for instruction in pikepdf.parse_content_stream(pdf_page):
        operands, op = instruction.operands, str(instruction.operator)
        if op == "BDC":
            properties = operands[1]
            is_dict = isinstance(properties, pikepdf.Dictionary)
            mcid = properties.get("/MCID") if is_dict else None
            inherited = stack[-1] if stack and str(operands[0]) == "/Span" else None
            stack.append(inherited if mcid is None else int(mcid))
            actual = properties.get("/ActualText") if is_dict else None
            if actual is not None and stack[-1] is not None and not any(replaced):
                texts[stack[-1]].append(str(actual))  # stands for the glyphs inside
            replaced.append(actual is not None)
        elif op == "BMC":
            stack.append(None)
            replaced.append(False)
        elif op == "EMC":
            stack.pop()
            replaced.pop()
        elif any(replaced):
            continue
        elif op == "Tf":
            name = str(operands[0])
            if name not in maps:
                maps[name] = _to_unicode(fonts[name])
            font = maps[name]
        elif op in {"Tj", "'", '"', "TJ"} and stack and stack[-1] is not None:
            texts[stack[-1]].append(_decode(operands, op, font))
    assert not stack, "unbalanced marked content"
    return {mcid: "".join(parts) for mcid, parts in texts.items()}


def _decode(operands: Any, op: str, font: dict[int, str]) -> str:
    if op == "TJ":
        strings = [item for item in operands[0] if isinstance(item, pikepdf.String)]
    else:
        strings = [operands[-1]]
    return "".join(font.get(code, "\ufffd") for string in strings for code in bytes(string))


_ENTRY = re.compile(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>")


def _to_unicode(font: Any) -> dict[int, str]:
    """A simple font's code -> text map (ReportLab writes single-byte subsets)."""
    cmap = font.get("/ToUnicode")
    assert cmap is not None, f"font {font.get('/BaseFont')} has no ToUnicode map"
    text = cmap.read_bytes()
    body = re.findall(rb"beginbfchar(.*?)endbfchar", text, re.DOTALL)
    return {
        int(code, 16): bytes.fromhex(value.decode()).decode("utf-16-be")
        for chunk in body
        for code, value in _ENTRY.findall(chunk)
    }


# --- what the model says --------------------------------------------------------------------


def model_text(document: Document) -> str:
    """The document's text in model order, as the PDF prints it: list markers, note numbers
    as superscript digits with commas between adjacent ones, heat maps by their caption."""
    return "".join(_block_text(block) for block in document.blocks)


def _block_text(block: Block) -> str:
    match block:
        case Heading() | Paragraph():
            return _content(block.content)
        case BulletList():
            return "".join(
                (f"{number}." if block.ordered else "\u2022") + _content(item)
                for number, item in enumerate(block.items, start=1)
            )
        case Table():
            cells = [*block.header, *(cell for row in block.rows for cell in row)]
            caption = _content(block.caption)
            return caption + "".join(_content(p) for cell in cells for p in cell.paragraphs)
        case DefinitionList():
            return "".join(label + _content(value) for label, value in block.items)
        case Callout():
            return block.title + "".join(_block_text(part) for part in block.body)
        case Notes():
            return "".join(f"{note.number}." + _content(note.content) for note in block.items)
        case HeatMap():
            return _content(block.caption)


def _content(content: Content) -> str:
    return "".join(
        note_separator(content, index) + (item.text if isinstance(item, Text) else str(item.number))
        for index, item in enumerate(content)
    )
