"""One cache for what the writers derive from a theme: kept per theme object, for the process.

A theme is immutable and the build loads each theme file once per process
(:func:`briefgen.build.pipeline.theme`), so the theme object itself identifies
"this theme": a watch-mode rebuild finds the fonts, paragraph styles and DOCX
styles part it made last time, and a reloaded theme file (a new object) never
finds the old ones.  Entries hold their theme, so an id is never reused while
its entry lives; a few themes at most are kept.  A lock makes each value once
even when two threads render with the same theme.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from briefgen.presentation.theme import Theme

__all__ = ["ThemeCache"]

V = TypeVar("V")


class ThemeCache(Generic[V]):
    """Values made from a theme (plus an optional extra key), each made once."""

    def __init__(self, limit: int = 8) -> None:
        self._limit = limit
        self._entries: dict[tuple[int, Hashable], tuple[Theme, V]] = {}
        self._lock = threading.Lock()

    def get(self, theme: Theme, make: Callable[[], V], key: Hashable = None) -> V:
        """The value for ``theme`` (and ``key``), made by ``make()`` the first time."""
        with self._lock:
            entry = self._entries.get((id(theme), key))
            if entry is None or entry[0] is not theme:
                if len(self._entries) >= self._limit:
                    self._entries.clear()
                entry = (theme, make())
                self._entries[(id(theme), key)] = entry
            return entry[1]
