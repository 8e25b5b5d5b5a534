"""Property-based tests over whole briefs: any valid brief builds in both formats, both files
re-open in real readers, and the text comes back out; any text at all either builds or is
refused with a located message, never a crash.

Briefs are generated as plain data, written out as YAML text (so the loader sees every
character as a user's file would hold it) and then loaded, validated, composed and rendered
exactly as ``briefgen build`` does. Text is drawn from Latin, Greek, Cyrillic, Hangul, kana and
Han characters, typographic punctuation, the markup characters ``< > & " '`` (with
``<img src=x>`` thrown in), Markdown's own ``* _ [ ] ( ) \\ `` and links, in words of any
length up to 160 characters; sections are empty or hold up to hundreds of items.

Hypothesis profiles (chosen with ``BRIEFGEN_HYPOTHESIS_PROFILE``):

- ``ci`` (the default): derandomized, so every run (and CI) tries the same examples; the
  counts below are fixed and printed at the end of the run ("property-based examples run").
- ``explore``: random examples, ten times as many, for a longer hunt on a workstation.
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import docx
import pypdfium2 as pdfium
from docx2python import docx2python
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from ruamel.yaml import YAML

from briefgen.build.pipeline import render_format, theme
from briefgen.compose.render import ComposeOptions, compose
from briefgen.document.inline import inline_to_plain, smart_quotes, split_paragraphs
from briefgen.document.nodes import Document
from briefgen.errors import BriefgenError
from briefgen.models.brief import Brief
from briefgen.validation import load_brief_text
from briefgen.writers.hyphenation import CELL_MIN, SOFT_HYPHEN, soft_hyphens
from tests.conftest import EXAMPLES
from tests.writers.tagged_pdf import assert_conforms, model_text, reads_as, structure_text

settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
        HealthCheck.large_base_example,
    ],
)
settings.register_profile("explore", settings.get_profile("ci"), derandomize=False)
PROFILE = os.environ.get("BRIEFGEN_HYPOTHESIS_PROFILE", "ci")
_SCALE = {"ci": 1, "explore": 10}[PROFILE]


def _settings(examples: int) -> settings:
    """The chosen profile with this test's number of examples (times ten to explore)."""
    return settings(settings.get_profile(PROFILE), max_examples=examples * _SCALE)


CHARACTERS = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ".,;:!?'\"&<>/-()%$#@+=~|{}^"  # markup, YAML and punctuation characters
    "*_[]\\`"  # Markdown's own: emphasis, links, escapes (code spans stay literal)
    "éèüöñçåøßÉÜÆŒœ€£©°±\u00d7"
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
    st.sampled_from(
        [
            "<img src=x>",
            '<a href="javascript:alert(1)">x</a>',
            "&amp;",
            "&#60;",
            "]]>",
            "**bold**",
            "*italic*",
            "[a link](https://example.org/a?b=1&c=2)",
            "[mail](mailto:desk@example.org)",
            "[no link](javascript:alert(1))",
        ]
    ),
)
line = st.lists(word, min_size=1, max_size=14).map(" ".join)
prose = st.lists(line, min_size=1, max_size=3).map("\n\n".join)
country = st.sampled_from(["KR", "US", "JP", "FR", "CN"])
NATIVE_SCRIPTS = [
    ("ko", "가나다라마바사아자차카타파하한국김홍균"),
    ("ja", "あいうえおかきくけこ岡野正敬"),
    ("zh", "中文北京日本"),
    ("ar", "فيصلبنرحاآلسعود"),
    ("he", "ישראלכ״ץ"),
    ("hi", "सुब्रह्मण्यमजयशंकर"),
    ("th", "มาริษเสงี่ยมพงษ์"),
]
native = st.sampled_from(NATIVE_SCRIPTS).flatmap(
    lambda pair: st.tuples(st.just(pair[0]), st.text(pair[1], min_size=1, max_size=8))
)


def _numbered(prefix: str, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"id": f"{prefix}-{index}", **item} for index, item in enumerate(items)]


def _items(
    prefix: str, item: st.SearchStrategy[dict[str, Any]], max_items: int, min_items: int = 0
) -> st.SearchStrategy[list[dict[str, Any]]]:
    lists = st.lists(item, min_size=min_items, max_size=max_items)
    return lists.map(lambda items: _numbered(prefix, items))


def _with_native(person: dict[str, Any], name: tuple[str, str] | None) -> dict[str, Any]:
    return person if name is None else {**person, "lang": name[0], "native_name": name[1]}


def _brief(max_items: int, min_items: int = 0) -> st.SearchStrategy[dict[str, Any]]:
    """A brief as plain data, as a user would write it; every optional section may be empty."""
    cited = st.lists(
        st.one_of(st.just("src-0"), st.fixed_dictionaries({"id": st.just("src-0"), "quote": line})),
        max_size=2,
    )
    person = st.fixed_dictionaries(
        {"name": line, "title": line, "country": country},
        optional={"organization": line, "bio": line, "sources": cited},
    )
    participant = st.tuples(person, st.none() | native).map(lambda pair: _with_native(*pair))
    agenda_item = st.fixed_dictionaries(
        {"title": line},
        optional={
            "objective": line,
            "discussion": prose,
            "points": st.lists(line, max_size=3),
            "talking_points": st.lists(line, max_size=3),
            "sources": cited,
        },
    )
    commitment = st.fixed_dictionaries(
        {"text": line, "parties": st.lists(country, min_size=1, max_size=3)},
        optional={"sources": cited},
    )
    risk = st.fixed_dictionaries(
        {"title": line, "likelihood": st.integers(1, 5), "impact": st.integers(1, 5)},
        optional={
            "description": prose,
            "mitigation": line,
            "indicators": st.lists(line, max_size=3),
            "owner": line,
        },
    )
    timeline = st.lists(
        st.fixed_dictionaries({"date": st.dates().map(str), "event": line}), max_size=4
    )
    context = st.fixed_dictionaries({}, optional={"background": prose, "timeline": timeline})
    return st.fixed_dictionaries(
        {
            "schema_version": st.just(1),
            "meta": st.fixed_dictionaries(
                {"title": line, "date": st.dates().map(str)},
                optional={"subtitle": line, "prepared_by": line},
            ),
            "summary": st.lists(
                st.fixed_dictionaries({"text": line}, optional={"sources": cited}),
                min_size=1,
                max_size=7,
            ),
            "participants": _items("p", participant, max_items),
            "agenda": _items("a", agenda_item, max_items),
            "commitments": _items("c", commitment, max_items, min_items),
            "risks": _items("r", risk, max_items, min_items),
            "sources": st.just([{"id": "src-0", "title": "Source & <title>"}]),
        },
        optional={"context": context},
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


def _yaml_text(data: dict[str, Any]) -> str:
    """The brief as a user's YAML file (block style, Unicode written as itself)."""
    yaml = YAML(typ="safe", pure=True)
    yaml.allow_unicode = True
    yaml.default_flow_style = False
    yaml.width = 4096
    stream = io.StringIO()
    yaml.dump(data, stream)
    return stream.getvalue()


def _squash(text: str) -> str:
    return "".join(text.split())


def _in_pdf(expected: str, squashed: str) -> bool:
    """``expected`` in a PDF's squashed text, a hyphen allowed wherever the writer may
    hyphenate a word at a line end (the dictionary's breaks, as ``reads_as`` allows)."""
    parts = _squash(soft_hyphens(expected, "en-US", CELL_MIN)).split(SOFT_HYPHEN)
    return re.search("-?".join(re.escape(part) for part in parts), squashed) is not None


_HYPERLINK = re.compile(r'<a href="[^"]*">(.*?)</a>', re.DOTALL)


def _unlinked(text: str) -> str:
    """docx2python writes a hyperlink as ``<a href="...">text</a>``; keep the text.
    Applied to what is expected too, since a brief may hold such words literally."""
    return _HYPERLINK.sub(r"\1", text)


def _build_and_reopen(data: dict[str, Any]) -> None:
    brief = load_brief_text(_yaml_text(data), "generated.yaml")
    document = compose(brief, ComposeOptions())
    pdf = render_format("pdf", document, theme(None))
    word = render_format("docx", document, theme(None))
    _check_pdf(pdf, brief)
    _check_tagged(pdf, document)
    _check_docx(word, brief)


def _flowing_text(brief: Brief) -> list[str]:
    """What the PDF prints in full-width paragraphs (tables set cells side by side, so
    their text interleaves when extracted): titles, key points, prose, agenda, risk notes."""
    plain = inline_to_plain
    texts = [plain(brief.meta.title), *(plain(point.text) for point in brief.summary)]
    texts += [plain(part) for part in split_paragraphs(brief.context.background or "")]
    for item in brief.agenda:
        texts.append(smart_quotes(item.title))
        texts += [plain(item.objective or ""), *map(plain, item.points + item.talking_points)]
        texts += [plain(part) for part in split_paragraphs(item.discussion or "")]
    for risk in brief.risks:
        texts += [smart_quotes(risk.title), plain(risk.mitigation or "")]
        texts += list(map(plain, risk.indicators))
        texts += [plain(part) for part in split_paragraphs(risk.description or "")]
    return [text for text in texts if text.strip()]


def _table_text(brief: Brief) -> list[str]:
    """What the DOCX holds in table cells, where each cell reads whole."""
    plain = inline_to_plain
    texts = [smart_quotes(person.name) for person in brief.participants]
    texts += [smart_quotes(person.title) for person in brief.participants]
    texts += [smart_quotes(p.native_name) for p in brief.participants if p.native_name]
    texts += [plain(commitment.text) for commitment in brief.commitments]
    texts += [plain(entry.event) for entry in brief.context.timeline]
    return texts


MM = 72 / 25.4


def _check_pdf(pdf: bytes, brief: Brief) -> None:
    """pdfium renders the first page and reads back, from the body frame of each page (so
    the running title and markings in the margins do not interleave with a paragraph that
    breaks across pages), every paragraph's words; pypdf opens it and counts the pages."""
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
    # pdfium reports a hyphen that ends a line as U+0002 (its mark for a soft hyphen).
    text = _squash(" ".join(texts).replace("\x02", "-"))
    for expected in _flowing_text(brief):
        assert _in_pdf(expected, text), expected
    assert len(PdfReader(io.BytesIO(pdf)).pages) == len(texts)
    _check_pdf_with_tools(pdf, brief, frame)


def _check_pdf_with_tools(pdf: bytes, brief: Brief, frame: tuple[float, ...]) -> None:
    """qpdf checks the file's structure and poppler's pdftotext, a third reader, finds
    every paragraph in the body frame (a missing tool fails the test, never skips it)."""
    left, bottom, right, top = frame
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "brief.pdf"
        path.write_bytes(pdf)
        check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, check=False)
        assert check.returncode == 0, check.stdout + check.stderr
        height = PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height
        crop = ["-x", f"{left:.0f}", "-y", f"{float(height) - top:.0f}"]
        crop += ["-W", f"{right - left:.0f}", "-H", f"{top - bottom:.0f}"]
        text = subprocess.run(
            ["pdftotext", "-enc", "UTF-8", *crop, str(path), "-"],
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
    squashed = _squash(text)
    unhyphenated = squashed.replace("-", "")
    for expected in _flowing_text(brief):
        # pdftotext reads a hyphen that ends a line as a word broken there: it drops the
        # hyphen and joins the next line on (pdfium, above, keeps every hyphen).
        found = _in_pdf(expected, squashed)
        assert found or _squash(expected).replace("-", "") in unhyphenated, expected


def _check_tagged(pdf: bytes, document: Document) -> None:
    """PDF/UA-1 and PDF/A-2a with zero failed rules, and the structure tree reads the
    document model's text in the model's order."""
    assert_conforms(pdf)
    assert reads_as(structure_text(pdf), model_text(document))


def _check_docx(data: bytes, brief: Brief) -> None:
    """python-docx reads every paragraph and cell; docx2python, a second parser that reads
    the XML its own way, finds the same words."""
    word = docx.Document(io.BytesIO(data))
    paragraphs = [paragraph.text for paragraph in word.paragraphs]
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    text = _squash(" ".join(paragraphs + cells))
    expected = _flowing_text(brief) + _table_text(brief)
    for item in expected:
        assert _squash(item) in text, item
    with docx2python(io.BytesIO(data)) as parsed:
        second = _squash(_unlinked(parsed.text))
    for item in expected:
        assert _squash(_unlinked(item)) in second, item


@_settings(100)
@given(data=_brief(max_items=4))
def test_any_valid_brief_builds_reopens_and_keeps_its_text(data: dict[str, Any]) -> None:
    EXAMPLES["any valid brief"] += 1
    _build_and_reopen(data)


@_settings(4)
@given(data=st.tuples(_brief(max_items=3, min_items=1), st.integers(70, 120)).map(_grown))
def test_briefs_with_hundreds_of_items_build_too(data: dict[str, Any]) -> None:
    assert len(data["commitments"]) + len(data["risks"]) >= 140
    EXAMPLES["hundreds of items"] += 1
    _build_and_reopen(data)


EDGY = "\u00a0\u00ad\u0301\u200b\u200d\u2028\u2029\u202e\u3000\ufeff\ufffd\t\n\r"
"""No-break, soft hyphen, a combining accent, zero-width, line and paragraph separators,
a right-to-left override, an ideographic space, a byte order mark, the replacement
character, and the white space YAML treats specially."""
any_text = st.one_of(
    st.text(min_size=1, max_size=40),
    st.text(alphabet=CHARACTERS + EDGY, min_size=1, max_size=40),
)
"""Any Unicode at all (control characters, right-to-left scripts, unassigned code points,
characters no bundled font can draw), and text made mostly of characters that can be drawn
but are easy to get wrong."""


@_settings(100)
@given(title=any_text, points=st.lists(any_text, min_size=1, max_size=3), name=any_text)
def test_any_text_builds_or_is_refused_with_a_located_message(
    title: str, points: list[str], name: str
) -> None:
    EXAMPLES["any text"] += 1
    data = {
        "schema_version": 1,
        "meta": {"title": title, "date": "2024-10-16"},
        "summary": [{"text": point} for point in points],
        "participants": [{"id": "p", "name": name, "title": "t", "country": "KR"}],
    }
    try:
        brief = load_brief_text(_yaml_text(data), "generated.yaml")
        document = compose(brief, ComposeOptions())
        assert render_format("docx", document, theme(None))
        _check_tagged(render_format("pdf", document, theme(None)), document)
        event("built")
    except BriefgenError as error:
        message = str(error)
        assert message.strip() and "Traceback" not in message
        event("refused")
