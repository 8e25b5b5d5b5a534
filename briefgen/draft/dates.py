"""Dates in a sentence: written out ("October 3, 9, and 10", "16 October 2024",
"2024-10-16") or relative ("on Sunday", "yesterday", "last month"), resolved against
the source's publication date.

A small resolver of our own rather than dateparser: it only needs English news and
readout phrasing, it is deterministic, and it imports in microseconds.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from briefgen.sources.metadata import month_number

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|"
    r"Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
_DAYS = r"(?P<days>\d{1,2}(?:(?:,\s*|,?\s+and\s+|,\s*and\s+)\d{1,2})*)"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_MONTH_DAYS = re.compile(rf"\b{_MONTH}\s+{_DAYS}(?:st|nd|rd|th)?\b(?:,?\s+{_YEAR}\b)?")
_DAYS_MONTH = re.compile(rf"\b{_DAYS}(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH}\b(?:,?\s+{_YEAR}\b)?")
_ISO = re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<days>\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b(?:in|since|from|until|of)\s+{_MONTH}\s+{_YEAR}\b")
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY = re.compile(
    r"\b(?P<which>(?i:on|last|this|next|since|until|by))?\s*(?P<day>Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday)\b(?!\s*,?\s*(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct"
    r"|Nov|Dec|\d))"
)
_RELATIVE = re.compile(r"\b(?P<word>yesterday|today|last month|last year)\b", re.IGNORECASE)
_FUTURE = re.compile(
    r"\b(?:will|shall|is to|are to|set to|scheduled|upcoming|plans? to|next)\b", re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date read from a sentence."""

    date: dt.date
    relative: bool = False
    """Resolved from words like "on Sunday" against a reference date: worth checking."""
    month_only: bool = False
    """Only the month is known; the day is set to the 1st."""


def dates_in(sentence: str, reference: dt.date | None, year: int | None) -> list[FoundDate]:
    """Every date ``sentence`` names, in order of appearance, without repeats.

    ``reference`` (the publication date) resolves relative words and years left out;
    without it, ``year`` completes "October 16", and relative words are skipped.
    """
    spans: list[tuple[int, FoundDate]] = []
    taken: list[tuple[int, int]] = []
    for pattern in (_ISO, _MONTH_DAYS, _DAYS_MONTH):
        for match in pattern.finditer(sentence):
            if not _overlaps(match.span(), taken):
                taken.append(match.span())
                spans += [(match.start(), found) for found in _absolute(match, reference, year)]
    for match in _MONTH_YEAR.finditer(sentence):
        if not _overlaps(match.span(), taken):
            found_month = _month_start(match)
            if found_month:
                spans.append((match.start(), found_month))
    if reference is not None:
        spans += _relative(sentence, reference)
    spans.sort(key=lambda item: item[0])
    unique: dict[dt.date, FoundDate] = {}
    for _, found in spans:
        unique.setdefault(found.date, found)
    return list(unique.values())


def _overlaps(span: tuple[int, int], taken: list[tuple[int, int]]) -> bool:
    return any(span[0] < end and start < span[1] for start, end in taken)


def _absolute(match: re.Match[str], reference: dt.date | None, year: int | None) -> list[FoundDate]:
    month_text = match.group("month")
    month = int(month_text) if month_text.isdigit() else month_number(month_text)
    if month is None:
        return []
    days = [int(day) for day in re.findall(r"\d{1,2}", match.group("days"))]
    stated = int(match.group("year")) if match.group("year") else None
    found = []
    for day in days:
        date = _complete(month, day, stated, reference, year)
        if date is not None:
            found.append(FoundDate(date))
    return found


def _complete(
    month: int, day: int, stated: int | None, reference: dt.date | None, year: int | None
) -> dt.date | None:
    """The date with its year: stated, else the one nearest the reference, else ``year``."""
    try:
        if stated is not None:
            return dt.date(stated, month, day)
        if reference is not None:
            candidates = [dt.date(reference.year + shift, month, day) for shift in (-1, 0, 1)]
            return min(candidates, key=lambda date: abs((date - reference).days))
        return dt.date(year, month, day) if year is not None else None
    except ValueError:
        return None  # 30 February, or 29 February in a common year


def _month_start(match: re.Match[str]) -> FoundDate | None:
    month = month_number(match.group("month"))
    if month is None:
        return None
    return FoundDate(dt.date(int(match.group("year")), month, 1), month_only=True)


def _relative(sentence: str, reference: dt.date) -> list[tuple[int, FoundDate]]:
    future = bool(_FUTURE.search(sentence))
    found: list[tuple[int, FoundDate]] = []
    for match in _WEEKDAY.finditer(sentence):
        which = (match.group("which") or "").lower()
        if not which and sentence[: match.start()].strip():
            continue  # a bare weekday inside a sentence is too often a name or a list
        weekday = _WEEKDAYS.index(match.group("day").lower())
        ahead = which == "next" or (future and which not in ("last", "since"))
        found.append((match.start(), FoundDate(_weekday(reference, weekday, ahead), True)))
    for match in _RELATIVE.finditer(sentence):
        date = _relative_word(match.group("word").lower(), reference)
        if date is not None:
            found.append((match.start(), date))
    return found


def _weekday(reference: dt.date, weekday: int, ahead: bool) -> dt.date:
    """The named weekday nearest ``reference``: the coming one, or the latest on or before."""
    if ahead:
        return reference + dt.timedelta(days=(weekday - reference.weekday()) % 7 or 7)
    return reference - dt.timedelta(days=(reference.weekday() - weekday) % 7)


def _relative_word(word: str, reference: dt.date) -> FoundDate | None:
    if word == "yesterday":
        return FoundDate(reference - dt.timedelta(days=1), True)
    if word == "today":
        return FoundDate(reference, True)
    if word == "last month":
        first = reference.replace(day=1) - dt.timedelta(days=1)
        return FoundDate(first.replace(day=1), True, month_only=True)
    return None  # "last year" names no day worth a timeline entry
