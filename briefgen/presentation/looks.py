"""Fills, labels, links and heading levels: the small looks every writer shares."""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.document.nodes import Tone
from briefgen.presentation.theme import Theme

LINK_SCHEMES = ("http://", "https://", "mailto:")
"""Only these become external links; ``file:``, ``javascript:`` or ``#`` targets from
input would not be safe, so any other target is printed as plain text."""

LABEL_BACKGROUND = "#000000"
"""TLP labels are coloured text on black, per the FIRST TLP 2.0 standard."""
LABEL_DEFAULT_TEXT = "#FFFFFF"
"""Label text colour when the theme has none for the document's ``label_tone``."""

MAX_HEADING_LEVEL = 3
"""Themes size three heading levels; the markup parser allows no more."""


@dataclass(frozen=True, slots=True)
class LabelLook:
    """How the TLP-style label in the page decoration looks: its colour on a background."""

    text: str
    background: str


def label_look(theme: Theme, tone: str) -> LabelLook:
    """The label's colour for ``tone`` (white for a tone the theme does not know), on black."""
    return LabelLook(theme.colors.labels.get(tone, LABEL_DEFAULT_TEXT), LABEL_BACKGROUND)


def tone_fill(theme: Theme, tone: Tone | None) -> str | None:
    """A cell's fill for its tone, or None to leave the row's own (stripe or none)."""
    return theme.colors.tone(tone)


def callout_fill(theme: Theme, tone: Tone) -> str:
    """The theme's callout background for accent callouts (and tones it has no colour
    for), else the tone's colour."""
    colours = theme.colors
    fill = None if tone == "accent" else colours.tone(tone)
    return fill or colours.callout_bg


def heading_level(level: int) -> int:
    """A heading's level clamped to 1..3, the levels a theme sizes."""
    return min(max(level, 1), MAX_HEADING_LEVEL)


def is_link(href: str | None) -> bool:
    """Whether ``href`` may become a link (see :data:`LINK_SCHEMES`)."""
    return bool(href) and str(href).lower().startswith(LINK_SCHEMES)


class HeadingLevels:
    """Heading levels for navigation (PDF structure, outline, HTML ``h`` elements): never
    more than one below the previous heading, since a skipped level reads as a missing
    section. The title counts as the first level."""

    def __init__(self) -> None:
        self.last = 0

    def title(self) -> int:
        """The document title's level, 1."""
        self.last = 1
        return 1

    def next(self, level: int) -> int:
        """The level to use for a heading of ``level``."""
        self.last = max(1, min(heading_level(level), self.last + 1))
        return self.last
