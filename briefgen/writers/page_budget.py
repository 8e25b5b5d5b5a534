"""Page budgets of page-limited layouts: which sections run past the limit, by how many lines.

A layout may set ``max_pages`` (the one-page read-ahead, the two-page action memo).
When a brief needs more, "shorten it" is not enough to act on: the user needs to
know which sections run past the last allowed page and how much must go. The PDF
writer records where each top-level heading and the end of the body were drawn
(page and height on the page); this module turns those positions into lines of
body text and a message. It knows nothing of briefs: only headings and pages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from briefgen.errors import BriefgenError


class PageLimitError(BriefgenError):
    """The document needs more pages than its layout allows (the one-page read-ahead).

    The writer knows pages and sections, not briefs or command-line options: the
    build says which input and which option, through :meth:`describe`.
    """

    def __init__(self, limit: int, needed: int, detail: str) -> None:
        self.limit, self.needed, self.detail = limit, needed, detail
        super().__init__(self.describe("the document", "Shorten those sections"))

    def describe(self, whole: str, advice: str) -> str:
        """The message with ``whole`` naming what needs the pages and ``advice`` last."""
        pages = f"{self.limit} page{'s' if self.limit > 1 else ''}"
        needs = f"{whole} needs {self.needed}: {self.detail}"
        return f"this layout must fit on {pages} but {needs}. {advice}"


@dataclass(frozen=True, slots=True)
class Position:
    """Where something was drawn: its page (from 1) and its height on the page in points."""

    page: int
    y: float


@dataclass(frozen=True, slots=True)
class Frame:
    """The text area every page shares: its top and bottom in points, and the line height."""

    top: float
    bottom: float
    line: float

    def between(self, start: Position, end: Position) -> float:
        """Height of text from ``start`` down to ``end``, across page breaks."""
        if start.page == end.page:
            return max(0.0, start.y - end.y)
        full_pages = end.page - start.page - 1
        height = self.top - self.bottom
        return (start.y - self.bottom) + full_pages * height + (self.top - end.y)

    def lines(self, points: float) -> int:
        """Points of text as whole lines of body text (rounded up: a part line is a line)."""
        return math.ceil(points / self.line - 0.01)


@dataclass(frozen=True, slots=True)
class Section:
    """A top-level section as laid out: its title and where it starts."""

    title: str
    start: Position


def check_page_limit(
    limit: int | None, sections: list[Section], body_end: Position, frame: Frame
) -> None:
    """Raise :class:`PageLimitError` naming the sections past the limit when the body
    (everything before the source notes) needs more than ``limit`` pages."""
    if limit is None or body_end.page <= limit:
        return
    sections = [section for section in sections if _before(section.start, body_end)]
    over = frame.lines(frame.between(Position(limit, frame.bottom), body_end))
    parts = [f"{over} line{'s' if over != 1 else ''} too many"]
    past = _past_the_limit(limit, sections, body_end, frame)
    if past:
        parts.append(f"; past page {limit}: " + ", ".join(past))
    lengths = _lengths(sections, body_end, frame)
    if lengths:
        parts.append(" (sections: " + ", ".join(lengths) + ")")
    raise PageLimitError(limit, body_end.page, "".join(parts))


def _before(position: Position, end: Position) -> bool:
    """True when ``position`` comes before ``end`` in reading order (pages, then top down)."""
    return (position.page, -position.y) < (end.page, -end.y)


def _spans(sections: list[Section], body_end: Position) -> list[tuple[str, Position, Position]]:
    ends = [section.start for section in sections[1:]] + [body_end]
    return [
        (section.title, section.start, end) for section, end in zip(sections, ends, strict=True)
    ]


def _past_the_limit(
    limit: int, sections: list[Section], body_end: Position, frame: Frame
) -> list[str]:
    """Each section with lines after the last allowed page, and how many."""
    boundary = Position(limit, frame.bottom)
    found = []
    for title, start, end in _spans(sections, body_end):
        if end.page <= limit:
            continue
        begin = start if start.page > limit else boundary
        lines = frame.lines(frame.between(begin, end))
        total = frame.lines(frame.between(start, end))
        share = f"{lines} line{'s' if lines != 1 else ''}"
        found.append(f"{title} ({share}" + (f" of {total})" if total > lines else ")"))
    return found


def _lengths(sections: list[Section], body_end: Position, frame: Frame) -> list[str]:
    return [
        f"{title} {frame.lines(frame.between(start, end))}"
        for title, start, end in _spans(sections, body_end)
    ]
