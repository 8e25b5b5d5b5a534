"""One date style for a whole document, chosen by its language, written by Babel.

A brief used to print "16 October 2024" in its body, "October 16, 2024" in its
source notes and "2024-10-16" in its changes section. Every date an output shows
now goes through one :class:`DateStyle`: American English (``en-US``, and the
English locales that write the month first) gives "October 16, 2024", British and
other English, and briefs in other languages (whose labels are still English),
"16 October 2024". A theme may name the locale outright (``date_locale``), then
month names follow it too. Babel carries CLDR's patterns, so nothing is spelled
out by hand here but the choice of pattern.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import re
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from typing import Any

DEFAULT_LOCALE = "en_US"
"""briefgen's default document language (``meta.lang`` defaults to en-US)."""
INTERNATIONAL = "en_001"
"""CLDR's "world English": day before month, for documents in other languages."""

_MONTH = re.compile(r"(?<![M'])MMM(?!M)")
_PARTIAL = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


class UnknownDateLocaleError(ValueError):
    """A date locale Babel does not know."""


@dataclass(frozen=True, slots=True)
class DateStyle:
    """How every date of one document reads, for one Babel locale."""

    locale: str
    """A Babel locale id such as ``en_US`` or ``en_GB``."""

    def day(self, value: dt.date) -> str:
        """``October 16, 2024`` (en-US) or ``16 October 2024``."""
        from babel.dates import format_date

        return str(format_date(value, "long", locale=self.locale))

    def month(self, year: int, month: int) -> str:
        """``October 2024``."""
        from babel.dates import format_skeleton

        return str(format_skeleton("yMMMM", dt.date(year, month, 1), locale=self.locale))

    def partial(self, value: dt.date | str | None) -> str:
        """A day, a month written ``2024-04`` (``April 2024``) or a year or milestone in
        words, returned unchanged; None is empty text."""
        if value is None:
            return ""
        if isinstance(value, dt.date):
            return self.day(value)
        month = _PARTIAL.fullmatch(value)
        return self.month(int(month[1]), int(month[2])) if month else value

    def range(self, start: dt.date, end: dt.date | None) -> str:
        """``October 16-17, 2024``, ``16 October - 2 November 2024`` (en dashes): CLDR's interval
        patterns with the month written out, a range of days closed up (Chicago 6.78)."""
        if end is None or end == start:
            return self.day(start)
        field = "y" if start.year != end.year else "M" if start.month != end.month else "d"
        first, second = _interval_patterns(self.locale)[field]
        from babel.dates import parse_pattern

        text = parse_pattern(first).apply(start, self.locale) + parse_pattern(second).apply(
            end, self.locale
        )
        return _close_day_range(text) if field == "d" else text.replace("\u2009", " ")


@cache
def _interval_patterns(locale: str) -> dict[str, tuple[str, str]]:
    """The locale's ``yMMMd`` interval patterns by greatest difference, months spelled out."""
    from babel import Locale

    formats = Locale.parse(locale).interval_formats["yMMMd"]
    return {field: tuple(_MONTH.sub("MMMM", part) for part in formats[field]) for field in "yMd"}  # type: ignore[misc]


def _close_day_range(text: str) -> str:
    return re.sub(r"\s*\u2013\s*", "\u2013", text)


@cache
def date_style(lang: str | None, override: str | None = None) -> DateStyle:
    """The style for a document in ``lang`` (BCP-47), or for the theme's ``override``.

    English locales keep their own order ("October 16" in en-US and en-CA, "16 October"
    in en-GB, en-AU, en-IN); other languages get world English, since the labels
    around the dates are English. An override is taken as it is (month names too).
    """
    if override:
        return DateStyle(babel_locale(override))
    try:
        locale = babel_locale(lang or "en-US")
    except UnknownDateLocaleError:
        return DateStyle(INTERNATIONAL)
    if locale == "en":
        return DateStyle(DEFAULT_LOCALE)
    return DateStyle(locale if locale.startswith("en") else INTERNATIONAL)


def babel_locale(tag: str) -> str:
    """Babel's id for a BCP-47 tag (``en-GB`` -> ``en_GB``), or UnknownDateLocaleError."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(tag.replace("-", "_")))
    except (UnknownLocaleError, ValueError, TypeError):
        message = f"{tag!r} is not a locale Babel knows (e.g. en-US, en-GB)"
        raise UnknownDateLocaleError(message) from None


_CURRENT: ContextVar[DateStyle | None] = ContextVar("date_style", default=None)


def current() -> DateStyle:
    """The style of the document being composed (see :func:`using`); en-US outside one."""
    return _CURRENT.get() or DateStyle(DEFAULT_LOCALE)


@contextlib.contextmanager
def using(style: DateStyle) -> Iterator[None]:
    """Compose with ``style``: templates call the date filters without passing it (a
    user's template cannot forget it), and the email body reads it the same way."""
    token = _CURRENT.set(style)
    try:
        yield
    finally:
        _CURRENT.reset(token)


def style_for(brief: Any, override: str | None = None) -> DateStyle:
    """The style of ``brief`` (its ``meta.lang``), or the theme's ``override``."""
    return date_style(getattr(brief.meta, "lang", None), override)
