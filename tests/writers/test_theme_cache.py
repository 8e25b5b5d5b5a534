"""The writers' one per-theme cache: one value per theme object, made once."""

from __future__ import annotations

import threading

from briefgen.presentation.theme import default_theme
from briefgen.writers.theme_cache import ThemeCache


def test_a_value_is_made_once_per_theme_and_key() -> None:
    cache: ThemeCache[list[int]] = ThemeCache()
    theme, made = default_theme(), []

    def make() -> list[int]:
        made.append(1)
        return [len(made)]

    first = cache.get(theme, make)
    assert cache.get(theme, make) is first
    assert cache.get(theme, make, key=2) is not first
    assert len(made) == 2


def test_another_theme_object_gets_its_own_value() -> None:
    """A reloaded theme file is a new object: it must not find the old theme's values."""
    cache: ThemeCache[object] = ThemeCache()
    old, new = default_theme(), default_theme()
    assert old is not new
    assert cache.get(old, object) is not cache.get(new, object)


def test_the_cache_stays_small() -> None:
    cache: ThemeCache[object] = ThemeCache(limit=3)
    themes = [default_theme() for _ in range(10)]
    for theme in themes:
        cache.get(theme, object)
    assert len(cache._entries) <= 3


def test_threads_asking_at_once_get_one_value() -> None:
    cache: ThemeCache[object] = ThemeCache()
    theme, start = default_theme(), threading.Barrier(4)
    found: list[object] = []

    def ask() -> None:
        start.wait()
        found.append(cache.get(theme, object))

    threads = [threading.Thread(target=ask) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(value) for value in found}) == 1
