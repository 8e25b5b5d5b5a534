"""Fills, labels, links and heading levels, the same for every writer."""

from __future__ import annotations

import pytest

from briefgen.presentation import callout_fill, heading_level, is_link, label_look, tone_fill
from briefgen.presentation.looks import HeadingLevels
from briefgen.presentation.theme import Theme


def test_an_unknown_label_tone_is_white_on_black(theme: Theme) -> None:
    """The DOCX printed such a label plain bold while the PDF put it white on black."""
    look = label_look(theme, "no-such-tone")
    assert (look.text, look.background) == ("#FFFFFF", "#000000")


def test_callout_fill_uses_the_callout_background_for_accent(theme: Theme) -> None:
    assert callout_fill(theme, "accent") == theme.colors.callout_bg
    assert callout_fill(theme, "high") == theme.colors.tones["high"]
    assert tone_fill(theme, None) is None


@pytest.mark.parametrize(("level", "clamped"), [(-1, 1), (1, 1), (3, 3), (7, 3)])
def test_heading_levels_are_clamped_to_three(level: int, clamped: int) -> None:
    assert heading_level(level) == clamped


def test_navigation_levels_never_skip() -> None:
    levels = HeadingLevels()
    assert [levels.title(), levels.next(3), levels.next(3), levels.next(1)] == [1, 2, 3, 1]


@pytest.mark.parametrize(
    ("href", "ok"),
    [("https://e.org", True), ("MAILTO:a@b.c", True), ("javascript:x", False), ("#a", False)],
)
def test_only_web_and_mail_links(href: str, ok: bool) -> None:
    assert is_link(href) is ok
