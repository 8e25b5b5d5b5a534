"""Inline markup from YAML text: three constructs become runs, everything else stays text."""

from __future__ import annotations

import pytest

from briefgen.document.inline import (
    inline_to_markup,
    is_safe_link,
    smart_quotes,
    split_paragraphs,
)
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
    """Printed as text, never obeyed (its straight quotes become typographic ones)."""
    curled = text.replace('="/etc/passwd"', "=\u201c/etc/passwd\u201d")
    assert _runs(text) == (Text(curled),)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('Pyongyang\'s "major statement"', "Pyongyang\u2019s \u201cmajor statement\u201d"),
        ("the 'quoted' words", "the \u2018quoted\u2019 words"),
        ('**"ironclad"** ties', "\u201cironclad\u201d ties"),
    ],
)
def test_quotes_and_apostrophes_become_typographic(text: str, expected: str) -> None:
    assert "".join(run.text for run in _runs(text) if isinstance(run, Text)) == expected


def test_a_link_address_keeps_its_straight_quotes() -> None:
    runs = _runs('see [the "readout"](https://example.org/it\'s)')
    link = next(run for run in runs if isinstance(run, Text) and run.href)
    assert link.href == "https://example.org/it's"
    assert link.text == "the \u201creadout\u201d"
    assert smart_quotes("https://example.org/it's") == "https://example.org/it's"
    assert smart_quotes('Japan\'s "ironclad" ties') == "Japan\u2019s \u201cironclad\u201d ties"


def test_unsafe_link_schemes_print_as_text() -> None:
    runs = _runs("[x](javascript:alert(1)) [y](file:///etc/passwd)")
    assert all(isinstance(run, Text) and run.href is None for run in runs)
    assert is_safe_link("mailto:desk@example.org")
    assert not is_safe_link("file:///etc/passwd")


def test_paragraphs_split_on_blank_lines() -> None:
    assert split_paragraphs("one\nline\n\n  \ntwo\n") == ["one\nline", "two"]
