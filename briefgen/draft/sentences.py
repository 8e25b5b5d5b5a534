"""Splitting a source's text into sentences that can be quoted verbatim.

A sentence keeps the exact characters of the source (whitespace aside), so a quote
taken from it is found again by ``briefgen check``. Lines are joined only where a
sentence was wrapped (the next line starts in lower case); a line without closing
punctuation followed by a capitalised line is a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREVIATIONS = frozenset(
    (
        *("mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "sgt", "adm", "gov", "sen"),
        *("rep", "st", "jr", "sr", "no", "vs", "etc", "inc", "ltd", "co", "corp", "dept"),
        *("jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec"),
        *("u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m"),
    )
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"\u201d\u2019')\]]*\s+(?=[\"\u201c\u2018'(\[]?[A-Z0-9])")
_CLOSING = (".", "!", "?", '"', "\u201d", "\u2019", "'", ")", ":")
MAX_SENTENCE = 600
"""Longer runs without a full stop are cut (at a space) to keep quotes readable."""


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence (or heading) of a source, in reading order."""

    text: str
    """The sentence with runs of whitespace made single spaces."""
    index: int
    """Position among the source's sentences, from 0."""
    heading: bool = False
    """A line without closing punctuation: a title or section heading, not a statement."""

    @property
    def words(self) -> int:
        """How many words it has."""
        return len(self.text.split())


def split_sentences(text: str) -> list[Sentence]:
    """The sentences of ``text`` in order, each a verbatim (whitespace-folded) run."""
    found: list[Sentence] = []
    for block, heading in _blocks(text):
        for piece in _split_block(block) if not heading else [block]:
            cleaned = " ".join(piece.split())
            if len(cleaned) > MAX_SENTENCE:  # a run-on "sentence": quote its beginning
                cleaned = cleaned[:MAX_SENTENCE].rsplit(" ", 1)[0]
            if cleaned:
                found.append(Sentence(cleaned, len(found), heading))
    return found


def _blocks(text: str) -> list[tuple[str, bool]]:
    """Paragraphs made of wrapped lines, each marked as heading or not."""
    blocks: list[tuple[str, bool]] = []
    current: list[str] = []
    lines = [line.strip() for line in text.split("\n")]
    for position, line in enumerate(lines):
        if not line:
            _flush(blocks, current)
            continue
        current.append(line)
        following = next((rest for rest in lines[position + 1 :] if rest), "")
        wrapped = bool(following) and (following[0].islower() or line.endswith((",", "-")))
        if not wrapped:
            _flush(blocks, current)
    _flush(blocks, current)
    return blocks


def _flush(blocks: list[tuple[str, bool]], current: list[str]) -> None:
    if current:
        block = " ".join(current)
        heading = not block.endswith(_CLOSING) and len(block.split()) <= 20
        blocks.append((block, heading))
        current.clear()


def _split_block(block: str) -> list[str]:
    pieces: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(block):
        before = block[start : match.start()].rstrip("\"\u201d\u2019')]")
        last_word = before.rsplit(None, 1)[-1].lower().rstrip(".") if before.strip() else ""
        if last_word in _ABBREVIATIONS or re.fullmatch(r"[a-z]", last_word):
            continue  # "U.S. Deputy", "Kurt M. Campbell": not the end of a sentence
        pieces.append(block[start : match.start() + len(match.group(0).rstrip())].strip())
        start = match.end()
    pieces.append(block[start:].strip())
    return [piece for piece in pieces if piece]
