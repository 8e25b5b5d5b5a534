"""Hypothesis fuzzing of the YAML loader and the inline markup parser.

Whatever text arrives, the loader either returns plain data or raises InvalidInputError
whose problems are located (a line and column in the file), and never anything else;
the inline parser turns any text a brief may hold into markup the document parser
accepts, keeping every character and linking only to web and mail addresses.
"""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.document.inline import inline_to_markup, inline_to_plain, is_safe_link
from briefgen.document.markup import parse_document
from briefgen.document.nodes import Paragraph, Text
from briefgen.errors import InvalidInputError
from briefgen.loading.yaml_source import load_yaml_text
from briefgen.validation import validate_loaded

_YAML_PIECES = [
    "a", "title", "meta", "summary", "schema_version", "1", "-1", "0x1F", "1e9", "9" * 30,
    "2024-10-17", "2024-02-30", "null", "~", "true", "yes", ":", ": ", "- ", "-", "? ",
    "\n", "\n  ", "\n    ", "\n- ", "  ", "\t", "#", " # c", "'", '"', "\\", "\\u",
    "\\ud800", "\\U00110000", "\\x00", "&a ", "*a", "&b ", "*b", "<<: *a", "!!str ",
    "!!python/object:os.system ", "!tag ", "%YAML 1.2\n", "---\n", "...\n", "[", "]",
    "{", "}", ",", "|", ">", "|-", ">+", "\u2028", "\u0085", "\ufeff", "\x00", "\ufffe",
    "\x1b", "김홍균", "😀", "é", "=?utf-8?q?=0D=0A?=",
]  # fmt: skip


def _yaml_like() -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(_YAML_PIECES), max_size=40).map("".join) | st.text(max_size=200)


def _located(error: InvalidInputError, text: str) -> None:
    for problem in error.problems:
        assert problem.message
        lines = text.count("\n") + 2
        assert 1 <= problem.line <= lines and problem.column >= 1, problem.format()


@settings(max_examples=600, deadline=None, derandomize=True)
@given(text=_yaml_like())
def test_the_loader_returns_data_or_located_problems(text: str) -> None:
    try:
        loaded = load_yaml_text(text, "fuzz.yaml")
    except InvalidInputError as error:
        _located(error, text)
        return
    try:
        validate_loaded(loaded)
    except InvalidInputError as error:
        _located(error, text)


_SCALAR = st.text(
    alphabet=st.characters(blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"),
    max_size=60,
)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(title=_SCALAR, point=_SCALAR)
def test_any_text_in_a_brief_loads_and_validates_or_is_located(title: str, point: str) -> None:
    """Brief-shaped YAML with arbitrary quoted text: loads, or a located problem."""
    text = (
        "schema_version: 1\n"
        f"meta: {{title: {_quoted(title)}, date: 2024-10-17}}\n"
        f"summary:\n  - text: {_quoted(point)}\n"
    )
    try:
        validate_loaded(load_yaml_text(text, "fuzz.yaml"))
    except InvalidInputError as error:
        for problem in error.problems:
            assert problem.line >= 1, problem.format()


def _quoted(value: str) -> str:
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


_INLINE_PIECES = [
    "*", "**", "***", "_", "__", "[", "]", "(", ")", "[x](https://x.org)",
    "[y](javascript:alert(1))", "[z](file:///etc/passwd)", "[m](mailto:a@b.org)", "<", ">",
    "&", "&amp;", "<b>", "</i>", "<a href='x'>", "`", "``", "\\", "\\*", "#", "# ", "- ",
    "1. ", "> ", "\n", "\n\n", " ", "word", "김", "😀", "<![CDATA[", "]]>", "<!--", "-->",
    "\u2028", "\u00a0", "http://x.org", "www.x.org", "![i](https://x.org/i.png)", "<cite ref='a'/>",
]  # fmt: skip
_XML_TEXT = st.characters(
    blacklist_categories=["Cs", "Cc"], blacklist_characters="\ufffe\uffff"
) | st.sampled_from("\n\t")


@settings(max_examples=500, deadline=None, derandomize=True)
@given(
    text=st.lists(st.sampled_from(_INLINE_PIECES), max_size=30).map("".join)
    | st.text(alphabet=_XML_TEXT, max_size=120)
)
def test_inline_markup_parses_keeps_the_text_and_links_safely(text: str) -> None:
    markup = inline_to_markup(text)
    document = parse_document(
        f'<document title="T" created="2024-10-15T00:00:00+00:00"><p>{markup}</p></document>'
    )
    runs = [
        run for block in document.blocks if isinstance(block, Paragraph) for run in block.content
    ]
    assert all(isinstance(run, Text) for run in runs)
    assert all(run.href is None or is_safe_link(run.href) for run in runs if isinstance(run, Text))
    shown = "".join(run.text for run in runs if isinstance(run, Text))
    assert _words(shown) == _words(inline_to_plain(text))


def _words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()
