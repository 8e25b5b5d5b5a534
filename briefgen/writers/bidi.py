"""Right-to-left text: the Unicode Bidirectional Algorithm (UAX #9) for both writers.

A paragraph's *levels* come from python-bidi (rules P2-P3 for its direction, then
W, N and I): even levels run left to right, odd ones right to left.  Reordering for
display (rule L2) happens per line, after lines are broken in logical order, so the
PDF writer applies :func:`visual_order` to each line it draws; the DOCX needs only
the levels' direction (``w:rtl`` runs, ``w:bidi`` paragraphs), since Word orders
the runs itself.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Sequence

_STRONG_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
"""Blocks of right-to-left scripts (Hebrew, Arabic, Syriac, Thaana, N'Ko, ...); a
quick test before the exact per-character one."""


def has_rtl(text: str) -> bool:
    """True when ``text`` holds a strong right-to-left character (bidi class R or AL)."""
    return bool(_STRONG_RTL.search(text)) and any(
        unicodedata.bidirectional(char) in ("R", "AL") for char in text
    )


def base_level(text: str) -> int:
    """1 when the first strong character is right-to-left (rules P2-P3), else 0."""
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in ("R", "AL"):
            return 1
        if kind == "L":
            return 0
    return 0


@functools.lru_cache(maxsize=4096)
def levels(text: str) -> tuple[int, ...]:
    """The resolved embedding level of every character of ``text`` (one per character).

    Explicit embedding controls (which the algorithm removes) take the level of the
    character before them, so the result always lines up with ``text``.
    """
    if not has_rtl(text):
        return (0,) * len(text)
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    base = base_level(text)
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    algorithm.get_embedding_levels(text, storage, False, False)
    algorithm.explicit_embed_and_overrides(storage, False)
    algorithm.resolve_weak_types(storage, False)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    resolved = [int(char["level"]) for char in storage["chars"]]
    if len(resolved) == len(text):
        return tuple(resolved)
    return _realign(text, storage["chars"], base)


def _realign(text: str, chars: Sequence[dict[str, object]], base: int) -> tuple[int, ...]:
    """Levels for ``text`` when the algorithm dropped some characters (rule X9)."""
    result: list[int] = []
    kept = iter(chars)
    pending = next(kept, None)
    for char in text:
        if pending is not None and pending["ch"] == char:
            level = pending["level"]
            result.append(level if isinstance(level, int) else base)
            pending = next(kept, None)
        else:
            result.append(result[-1] if result else base)
    return tuple(result)


def visual_order(line_levels: Sequence[int]) -> list[int]:
    """Indices of a line's items in display order (rule L2).

    From the highest level down to the lowest odd one, every maximal run of items
    at that level or higher is reversed.
    """
    order = list(range(len(line_levels)))
    if not line_levels:
        return order
    highest = max(line_levels)
    lowest_odd = min(level for level in line_levels) | 1
    for level in range(highest, lowest_odd - 1, -1):
        index = 0
        while index < len(order):
            if line_levels[order[index]] >= level:
                end = index
                while end < len(order) and line_levels[order[end]] >= level:
                    end += 1
                order[index:end] = reversed(order[index:end])
                index = end
            else:
                index += 1
    return order
