"""Inline markup from YAML text: three constructs become runs, everything else stays text."""

from __future__ import annotations

import pytest

from briefgen.document.inline import inline_to_markup, is_safe_link, split_paragraphs
from briefgen.document.markup import parse_document
from briefgen.document.nodes import Paragraph, Text


def _runs(text: str) -> tuple[object, ...]:
    markup = f'<document title="t"><p>{inline_to_markup(text)}</p></document>'
    paragraph = parse_document(markup).blocks[0]
    assert isinstance(paragraph, Paragraph)
    return paragraph.content


def test_bold_italic_and_links_become_runs() -> None:
    assert _runs("a **b** *c* [d](https://x.org/?a=1&b=2)") == (
        Text("a "),
        Text("b", bold=True),
        Text(" "),
        Text("c", italic=True),
        Text(" "),
        Text("d", href="https://x.org/?a=1&b=2"),
    )


@pytest.mark.parametrize(
    "text",
    [
        '<img src="/etc/passwd"/>',
        "<b>not bold</b> & <font color=red>x</font>",
        "]]> <!-- --> <?pi?> &amp; &lt;",
        "<para>ReportLab tags</para><br/>",
    ],
)
def test_markup_characters_stay_literal_text(text: str) -> None:
    assert _runs(text) == (Text(text),)


def test_unsafe_link_schemes_print_as_text() -> None:
    runs = _runs("[x](javascript:alert(1)) [y](file:///etc/passwd)")
    assert all(isinstance(run, Text) and run.href is None for run in runs)
    assert is_safe_link("mailto:desk@example.org")
    assert not is_safe_link("file:///etc/passwd")


def test_paragraphs_split_on_blank_lines() -> None:
    assert split_paragraphs("one\nline\n\n  \ntwo\n") == ["one\nline", "two"]
