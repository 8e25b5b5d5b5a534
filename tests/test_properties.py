"""Property-based tests over whole briefs: any valid brief builds in both formats, both
files re-open in real readers, and the text comes back out.

Text is drawn from Latin, Greek, Cyrillic, Hangul, kana and Han characters, typographic
punctuation and the markup characters ``< > & " '`` (with ``<img src=x>`` thrown in), in
words of any length; sections are empty or hold up to hundreds of items. The examples are
derandomized so CI runs the same ones every time; their number is printed at the end.
"""

from __future__ import annotations

import io
from typing import Any

import docx
import pypdfium2 as pdfium
from docx2python import docx2python
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.build import render_format, theme
from briefgen.compose.inline import inline_to_plain
from briefgen.compose.render import ComposeOptions, compose
from briefgen.loading.yaml_source import LoadedYaml
from briefgen.models.brief import Brief
from briefgen.validation import validate_loaded
from tests.conftest import EXAMPLES

CHARACTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ".,;:!?'\"&<>/-()%$#@+=~"  # markup and punctuation; no Markdown (*, _, [, ], `)
    "éèüöñçåøßÉÜ"
    "αβγδεζηθλμπσωΑΓΔΩ"
    "абвгдежзийклмнопрстуфхцчшщыэюяЖЩЯ"
    "가나다라마바사아자차카타파하한국김홍균"
    "あいうえおかきくけこアイウエオカタナ"
    "中文岡野正敬北京日本"
    "\u2013\u2014\u201c\u201d\u2018\u2019\u2026\u2022"  # dashes, curly quotes, ellipsis, bullet
)

word = st.one_of(
    st.text(alphabet=CHARACTERS, min_size=1, max_size=12),
    st.text(alphabet="abcdefghij가나다", min_size=60, max_size=160),  # a very long word
    st.just("<img src=x>"),
    st.just("&amp;"),
)
line = st.lists(word, min_size=1, max_size=14).map(" ".join)
country = st.sampled_from(["KR", "US", "JP", "FR", "CN"])


def _numbered(prefix: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}-{index}", **item} for index, item in enumerate(items)]


def _items(
    prefix: str, item: st.SearchStrategy[dict[str, Any]], max_items: int, min_items: int = 0
) -> st.SearchStrategy[list[dict[str, Any]]]:
    lists = st.lists(item, min_size=min_items, max_size=max_items)
    return lists.map(lambda items: _numbered(prefix, items))


def _brief(max_items: int, min_items: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A brief as plain data, exactly as the YAML loader would hand it over."""
    participant = st.fixed_dictionaries(
        {"name": line, "title": line, "country": country},
        optional={"organization": line, "native_name": line},
    )
    agenda_item = st.fixed_dictionaries(
        {"title": line}, optional={"objective": line, "talking_points": st.lists(line, max_size=3)}
    )
    commitment = st.fixed_dictionaries(
        {"text": line, "parties": st.lists(country, min_size=1, max_size=3)}
    )
    risk = st.fixed_dictionaries(
        {"title": line, "likelihood": st.integers(1, 5), "impact": st.integers(1, 5)},
        optional={"description": line},
    )
    return st.fixed_dictionaries(
        {
            "schema_version": st.just(1),
            "meta": st.fixed_dictionaries(
                {"title": line, "date": st.dates()}, optional={"subtitle": line}
            ),
            "summary": st.lists(st.fixed_dictionaries({"text": line}), min_size=1, max_size=7),
            "participants": _items("p", participant, max_items),
            "agenda": _items("a", agenda_item, max_items),
            "commitments": _items("c", commitment, max_items, min_items),
            "risks": _items("r", risk, max_items, min_items),
        },
        optional={"context": st.fixed_dictionaries({"background": line})},
    )


def _grown(drawn: tuple[dict[str, Any], int]) -> dict[str, Any]:
    """The brief with its participants, commitments and risks repeated ``factor`` times
    (new ids), so hundreds of items cost no more generated data than a few."""
    data, factor = drawn
    for section, prefix in (("participants", "p"), ("commitments", "c"), ("risks", "r")):
        items = [dict(item) for _ in range(factor) for item in data[section]]
        data[section] = _numbered(
            prefix, [{k: v for k, v in i.items() if k != "id"} for i in items]
        )
    return data


def _squash(text: str) -> str:
    return "".join(text.split())


def _build_and_reopen(data: dict[str, Any]) -> None:
    brief = validate_loaded(LoadedYaml(data, "generated.yaml"))
    document = compose(brief, ComposeOptions())
    pdf = render_format("pdf", document, theme(None))
    word = render_format("docx", document, theme(None))
    _check_pdf(pdf, brief)
    _check_docx(word, brief)


def _check_pdf(pdf: bytes, brief: Brief) -> None:
    """pdfium renders the first page and reads back the title and every key point from
    the body frame of each page (so the running title and markings in the margins do
    not interleave with a key point that breaks across pages); pypdf reads it too."""
    setup = theme(None).page
    document = pdfium.PdfDocument(pdf)
    try:
        bitmap = document[0].render(scale=0.3)
        assert bitmap.width > 0 and bitmap.height > 0
        texts = []
        for page in document:
            width, height = page.get_size()
            frame = (
                setup.margin_left_mm * MM - 2,
                setup.margin_bottom_mm * MM - 2,
                width - setup.margin_right_mm * MM + 2,
                height - setup.margin_top_mm * MM + 2,
            )
            texts.append(page.get_textpage().get_text_bounded(*frame))
    finally:
        document.close()
    text = _squash(" ".join(texts))
    for expected in [brief.meta.title, *(point.text for point in brief.summary)]:
        assert _squash(inline_to_plain(expected)) in text
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(texts)


MM = 72 / 25.4


def _check_docx(data: bytes, brief: Brief) -> None:
    """python-docx and docx2python both read every key point and every commitment."""
    word = docx.Document(io.BytesIO(data))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    text = _squash(" ".join(paragraphs + cells))
    expected = [
        brief.meta.title,
        *(p.text for p in brief.summary),
        *(c.text for c in brief.commitments),
    ]
    for item in expected:
        assert _squash(inline_to_plain(item)) in text
    with docx2python(io.BytesIO(data)) as parsed:
        second = _squash(parsed.text)
    for point in brief.summary:
        assert _squash(inline_to_plain(point.text)) in second


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(data=_brief(max_items=4))
def test_any_valid_brief_builds_reopens_and_keeps_its_text(data: dict[str, Any]) -> None:
    EXAMPLES["any valid brief"] += 1
    _build_and_reopen(data)


@settings(
    max_examples=4,
    deadline=None,
    derandomize=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
@given(data=st.tuples(_brief(max_items=3, min_items=1), st.integers(70, 120)).map(_grown))
def test_briefs_with_hundreds_of_items_build_too(data: dict[str, Any]) -> None:
    assert len(data["commitments"]) + len(data["risks"]) >= 140
    EXAMPLES["hundreds of items"] += 1
    _build_and_reopen(data)
