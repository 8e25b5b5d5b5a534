"""Inline markup of brief text (**bold**, *italic*, [text](url)) to document markup.

User text is plain text with a tiny Markdown subset. markdown-it-py parses it
once; everything that is not one of the three constructs stays literal text
and is XML-escaped, so ``<img src=...>`` in a brief is printed, never obeyed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from briefgen.support.xml_text import escape, quoteattr

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_LINK_SCHEMES = ("http://", "https://", "mailto:")

_OPEN_TAGS = {"strong_open": "<b>", "em_open": "<i>", "strong_close": "</b>", "em_close": "</i>"}


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    return MarkdownIt("zero").enable(["emphasis", "link", "escape", "newline"])


def inline_to_markup(text: str) -> str:
    """Return escaped document markup for one paragraph of user text."""
    tokens = _parser().parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    return "".join(_token_markup(token) for token in children)


def _token_markup(token: Token) -> str:
    if token.type == "text":
        return escape(token.content)
    if token.type in ("softbreak", "hardbreak"):
        return " "
    if token.type in _OPEN_TAGS:
        return _OPEN_TAGS[token.type]
    if token.type == "link_open":
        href = str(token.attrs.get("href", ""))
        return f"<a href={quoteattr(href)}>" if is_safe_link(href) else "<a>"
    if token.type == "link_close":
        return "</a>"
    return escape(token.content)


def inline_to_plain(text: str) -> str:
    """The words of one paragraph of user text without its markup (for labels and titles)."""
    tokens = _parser().parseInline(text)
    children = tokens[0].children if tokens and tokens[0].children else []
    return "".join(
        " " if token.type in ("softbreak", "hardbreak") else token.content
        for token in children
        if token.type in ("text", "softbreak", "hardbreak")
    )


def is_safe_link(href: str) -> bool:
    """Only web and mail links; file:, javascript: and relative paths are refused."""
    return href.lower().startswith(SAFE_LINK_SCHEMES) and not re.search(r"\s", href)


def split_paragraphs(text: str) -> list[str]:
    """Split prose on blank lines into paragraphs, dropping empty ones."""
    return [part.strip() for part in re.split(r"\n\s*\n", text) if part.strip()]
