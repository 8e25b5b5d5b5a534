"""Metadata a source's own text states near its top: a "Source URL:" line, a byline,
a headline and a news dateline ("SEOUL, Oct. 14 (Yonhap) --").

These only fill what the file format did not say (HTML metadata, PDF info, email
headers come first), and only from the first few lines, where such things are written.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from urllib.parse import urlsplit

from briefgen.sources.document import SourceDocument

_HEAD_LINES = 6
_URL_LINE = re.compile(r"^\s*(?:Source\s+)?URL\s*:\s*(https?://\S+)\s*$", re.IGNORECASE)
_BYLINE = re.compile(
    r"^\s*By\s+([A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3}"
    r"(?:\s*(?:,|and)\s*[A-Z][\w'.-]+(?:\s+[A-Z][\w'.-]+){0,3})*)\s*$"
)
_MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_DATELINE = re.compile(
    r"^\s*[A-Z][A-Z .'-]{1,30},\s*(?P<month>[A-Z][a-z]{2,8})\.?\s+(?P<day>\d{1,2})"
    r"(?:,\s*(?P<year>\d{4}))?\s*(?:\((?P<agency>[^)]{2,40})\))?\s*(?:--|\u2014|\u2013|-)"
)


def with_text_metadata(document: SourceDocument) -> SourceDocument:
    """``document`` with the gaps in its metadata filled from the top of its text."""
    head = [line for line in document.text.splitlines()[:_HEAD_LINES] if line.strip()]
    url = document.url or _first(_URL_LINE, head)
    authors = document.authors or _byline(head)
    dateline = next((m for m in map(_DATELINE.match, head) if m), None)
    publisher = document.publisher or (dateline.group("agency") if dateline else None)
    publisher = publisher or (_site(url) if url else None)
    published = document.published or (_dateline_date(dateline) if dateline else None)
    title = document.title or _headline(head)
    return dataclasses.replace(
        document, url=url, authors=authors, publisher=publisher, published=published, title=title
    )


def _first(pattern: re.Pattern[str], lines: list[str]) -> str | None:
    for line in lines:
        match = pattern.match(line)
        if match:
            return match.group(1)
    return None


def _byline(lines: list[str]) -> tuple[str, ...]:
    found = _first(_BYLINE, lines)
    if found is None:
        return ()
    return tuple(name.strip() for name in re.split(r",|\band\b", found) if name.strip())


def _site(url: str) -> str | None:
    host = urlsplit(url).hostname or ""
    return host.removeprefix("www.") or None


def _dateline_date(match: re.Match[str]) -> dt.date | None:
    month = _MONTHS.get(match.group("month").lower())
    if month is None or not match.group("year"):
        return None  # a dateline without a year cannot be dated on its own
    try:
        return dt.date(int(match.group("year")), month, int(match.group("day")))
    except ValueError:
        return None


def _headline(lines: list[str]) -> str | None:
    """A first line that reads like a headline: short, no closing full stop, not a byline."""
    for line in lines:
        text = line.strip()
        if _URL_LINE.match(text) or _BYLINE.match(text):
            continue
        if len(text) <= 150 and not text.endswith((".", ":", ";", ",")):
            return text
        return None
    return None


def without_dateline(sentence: str) -> str:
    """``sentence`` without a leading news dateline, whose date is the story's, not an event's."""
    match = _DATELINE.match(sentence)
    return sentence[match.end() :] if match else sentence


def month_number(name: str) -> int | None:
    """1-12 for an English month name or its abbreviation, else None."""
    return _MONTHS.get(name.lower().rstrip("."))
