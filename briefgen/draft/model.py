"""The drafted brief as plain data: what the rules found, before it is written as YAML.

Every item carries the verbatim quote it rests on and, where a rule guessed, a note
saying what to check; the writer turns notes into YAML comments.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Quote:
    """Words of one source, verbatim."""

    source_id: str
    text: str


@dataclass(frozen=True, slots=True)
class DraftSource:
    """One usable source file and what it says about itself."""

    id: str
    type: str
    title: str
    path: str
    publisher: str | None = None
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    url: str | None = None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DraftKeyPoint:
    """A summary candidate: a source's lead sentence."""

    text: str
    quote: Quote


@dataclass(frozen=True, slots=True)
class DraftEvent:
    """A dated event of the timeline."""

    date: dt.date
    event: str
    quotes: tuple[Quote, ...]
    note: str | None = None


@dataclass(frozen=True, slots=True)
class DraftParticipant:
    """A person named with a title."""

    id: str
    name: str
    title: str
    country: str | None
    organization: str | None
    quotes: tuple[Quote, ...]
    at_meeting: bool
    host: bool = False


@dataclass(frozen=True, slots=True)
class DraftCommitment:
    """A sentence with commitment language."""

    id: str
    text: str
    parties: tuple[str, ...]
    kind: str
    due: str | None
    quote: Quote
    parties_guessed: bool


@dataclass(frozen=True, slots=True)
class Draft:
    """Everything ``briefgen draft`` writes."""

    title: str
    date: dt.date
    date_note: str
    """Where the date came from, for the review comment beside it."""
    sources: list[DraftSource] = field(default_factory=list)
    summary: list[DraftKeyPoint] = field(default_factory=list)
    timeline: list[DraftEvent] = field(default_factory=list)
    participants: list[DraftParticipant] = field(default_factory=list)
    commitments: list[DraftCommitment] = field(default_factory=list)
