"""The rules that turn source texts into a draft brief (:class:`Draft`).

Order of work: sentences per source, then for each sentence its dates, titled people
and commitment language. Every quote is a verbatim sentence or mention of a source and
is checked against that source's normalised text before it is kept, so the written
draft passes ``briefgen check`` by construction.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import time
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from briefgen.checks.provenance import normalise
from briefgen.draft.commitments import commitment_in
from briefgen.draft.dates import FoundDate, dates_in
from briefgen.draft.model import (
    Draft,
    DraftCommitment,
    DraftEvent,
    DraftKeyPoint,
    DraftParticipant,
    DraftSource,
    Quote,
)
from briefgen.draft.people import Mention, Person, mentions_in, merge, name_key
from briefgen.draft.places import countries_named
from briefgen.draft.sentences import Sentence, split_sentences
from briefgen.errors import BriefgenError
from briefgen.models.types import reject_control_characters
from briefgen.sources import SourceDocument
from briefgen.sources.metadata import without_dateline

MAX_SUMMARY = 7
LEAD_SENTENCES = 2
MIN_LEAD_WORDS = 8
_SLUG_LIMIT = 48
_ID_STOP = frozenset(
    ("a", "an", "the", "and", "of", "to", "in", "on", "for", "with", "by", "at", "their", "its")
)
_TYPES = (
    (re.compile(r"joint statement", re.IGNORECASE), "joint_statement"),
    (re.compile(r"\breadout\b", re.IGNORECASE), "readout"),
    (re.compile(r"press release|statement by|press statement", re.IGNORECASE), "press_release"),
    (re.compile(r"transcript|remarks", re.IGNORECASE), "transcript"),
)


class DraftError(BriefgenError):
    """The sources were readable but give nothing a brief can hold."""


@dataclass(frozen=True, slots=True)
class _Read:
    """A usable source with its sentences and the date its relative words refer to."""

    source: DraftSource
    document: SourceDocument
    sentences: list[Sentence]
    normalised: str
    reference: dt.date | None
    year: int | None


def draft_brief(inputs: list[tuple[Path, SourceDocument]], out: Path, title: str | None) -> Draft:
    """The draft brief drawn from ``inputs`` (source path, extraction), written to ``out``."""
    taken: set[str] = set()
    sources = [_source(path, document, out, taken) for path, document in inputs]
    default_year = _common_year([document for _, document in inputs])
    reads = [
        _read(source, document, default_year)
        for source, (_, document) in zip(sources, inputs, strict=True)
    ]
    summary = _summary(reads)
    if not summary:
        raise DraftError("no sentence in the sources can be quoted in a brief")
    participants = _participants(reads, taken)
    timeline = _timeline(reads)
    date, date_note = _brief_date(sources, timeline)
    return Draft(
        title=title or _title(sources),
        date=date,
        date_note=date_note,
        sources=sources,
        summary=summary,
        timeline=timeline,
        participants=participants,
        commitments=_commitments(reads, participants, taken),
    )


def _source(path: Path, document: SourceDocument, out: Path, taken: set[str]) -> DraftSource:
    notes = []
    title = _clean(document.title or "")
    if not title:
        title = path.stem
        notes.append("the file states no title: the file name stands in")
    relative = Path(os.path.relpath(path.resolve(), out.resolve().parent)).as_posix()
    if relative.startswith("../"):
        notes.append("this file is outside the brief's folder; copy it beside the brief")
    if document.published is None:
        notes.append("no publication date stated: add it if you know it")
    return DraftSource(
        id=unique_id("src-" + slugify(path.stem, "source"), taken),
        type=_source_type(title, path),
        title=title,
        path=relative,
        publisher=_clean(document.publisher or "") or None,
        authors=tuple(name for name in map(_clean, document.authors) if name),
        published=document.published,
        url=document.url if document.url and re.match(r"https?://\S+$", document.url) else None,
        notes=tuple(notes),
    )


def _source_type(title: str, path: Path) -> str:
    if path.suffix.lower() == ".eml":
        return "report"
    return next((kind for pattern, kind in _TYPES if pattern.search(title)), "news_article")


def _read(source: DraftSource, document: SourceDocument, default_year: int | None) -> _Read:
    sentences = [s for s in split_sentences(document.text) if _writable(s.text)]
    year = document.published.year if document.published else default_year
    reference = document.published or _latest_date(sentences, year)
    return _Read(source, document, sentences, normalise(document.text), reference, year)


def _common_year(documents: list[SourceDocument]) -> int | None:
    """The year most sources were published in, else the year most often written out."""
    years = Counter(d.published.year for d in documents if d.published)
    if not years:
        years = Counter(
            int(year)
            for d in documents
            for year in re.findall(r"\b[A-Z][a-z]+\.? \d{1,2}, ((?:19|20)\d{2})\b", d.text)
        )
    return years.most_common(1)[0][0] if years else None


def _latest_date(sentences: list[Sentence], year: int | None) -> dt.date | None:
    """Without a publication date, the latest date the text writes out stands in for it."""
    found = [f.date for s in sentences for f in dates_in(s.text, None, year) if not f.month_only]
    return max(found, default=None)


def _participants(reads: list[_Read], taken: set[str]) -> list[DraftParticipant]:
    mentions: list[tuple[str, Mention]] = []
    for read in reads:
        for sentence in read.sentences:
            mentions += [
                (read.source.id, m) for m in mentions_in(sentence.text) if _kept(m.quote, read)
            ]
    return [_participant(person, taken) for person in merge(mentions) if person.title]


def _participant(person: Person, taken: set[str]) -> DraftParticipant:
    quotes: list[Quote] = []
    for source_id, mention in person.mentions:
        if all(q.source_id != source_id for q in quotes):
            quotes.append(Quote(source_id, mention.quote))  # one citation per source
    return DraftParticipant(
        id=unique_id(slugify(person.name, "person"), taken),
        name=person.name,
        title=person.title or "",
        country=person.country,
        organization=person.organization,
        quotes=tuple(quotes),
        at_meeting=person.at_meeting,
        host=person.host,
    )


def _summary(reads: list[_Read]) -> list[DraftKeyPoint]:
    """Lead sentences, taken in turn from each source (first sentences first)."""
    leads = [
        [s for s in read.sentences if not s.heading and s.words >= MIN_LEAD_WORDS][:LEAD_SENTENCES]
        for read in reads
    ]
    points: list[DraftKeyPoint] = []
    for rank in range(LEAD_SENTENCES):
        for read, sentences in zip(reads, leads, strict=True):
            if rank < len(sentences) and len(points) < MAX_SUMMARY:
                text = sentences[rank].text
                points.append(DraftKeyPoint(text, Quote(read.source.id, text)))
    if not points:  # sources of headings only: their first lines still say something
        points += [
            DraftKeyPoint(r.sentences[0].text, Quote(r.source.id, r.sentences[0].text))
            for r in reads
            if r.sentences
        ][:MAX_SUMMARY]
    return points


def _timeline(reads: list[_Read]) -> list[DraftEvent]:
    """One entry per date: the first sentence naming it, quoted from each source naming it."""
    events: dict[dt.date, tuple[str, list[Quote], list[FoundDate]]] = {}
    for read in reads:
        for sentence in read.sentences:
            if sentence.heading:
                continue
            for found in dates_in(without_dateline(sentence.text), read.reference, read.year):
                _, quotes, finds = events.setdefault(found.date, (sentence.text, [], []))
                if all(q.source_id != read.source.id for q in quotes):
                    quotes.append(Quote(read.source.id, sentence.text))
                    finds.append(found)
    return [
        DraftEvent(date, event, tuple(quotes), _date_note(finds, reads))
        for date, (event, quotes, finds) in sorted(events.items())
    ]


def _date_note(finds: list[FoundDate], reads: list[_Read]) -> str | None:
    if any(f.month_only for f in finds):
        return "only the month is stated: the day is set to the 1st"
    if any(f.relative for f in finds):
        undated = any(r.document.published is None for r in reads)
        basis = "the publication date" + (" (or the latest date in the text)" if undated else "")
        return f"resolved from relative words against {basis}: check"
    return None


def _commitments(
    reads: list[_Read], participants: list[DraftParticipant], taken: set[str]
) -> list[DraftCommitment]:
    present = [p for p in participants if p.at_meeting and p.country]
    countries = list(dict.fromkeys(p.country for p in present if p.country))
    found: list[DraftCommitment] = []
    for read in reads:
        for sentence in read.sentences:
            candidate = None if sentence.heading else commitment_in(sentence.text)
            if candidate is None:
                continue
            parties = _parties(sentence.text, present, countries)
            found.append(
                DraftCommitment(
                    id=unique_id(_commitment_slug(sentence.text), taken),
                    text=sentence.text,
                    parties=tuple(parties or countries or _any_countries(sentence.text)),
                    kind=candidate.kind,
                    due=candidate.due,
                    quote=Quote(read.source.id, sentence.text),
                    parties_guessed=not parties,
                )
            )
    return found


def _parties(sentence: str, present: list[DraftParticipant], countries: list[str]) -> list[str]:
    """Participants named in ``sentence``, else meeting countries named before its verb."""
    words = name_key(sentence)
    named = [p.id for p in present if len(name_key(p.name) & words) >= 2]
    if named:
        return named
    verb = re.search(r"\b(?:agree|reaffirm|reiterat|commit|pledg|vow|decid|launch|will)", sentence)
    subject = sentence[: verb.start()] if verb else sentence
    return [code for code in countries_named(subject) if code in countries]


def _any_countries(sentence: str) -> list[str]:
    """With no meeting countries known, every country the sentence names (a guess)."""
    from briefgen.models.types import is_country_code

    return [code for code in countries_named(sentence) if is_country_code(code)]


def _brief_date(sources: list[DraftSource], timeline: list[DraftEvent]) -> tuple[dt.date, str]:
    """The brief's date: the latest publication date, else the latest event; today (or
    SOURCE_DATE_EPOCH) only when the sources date nothing at all."""
    published = [s.published for s in sources if s.published]
    if published:
        return max(published), "the sources' latest publication date: set your brief's date"
    if timeline:
        latest = max(event.date for event in timeline)
        return latest, "the latest date in the sources: set your brief's date"
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    now = float(epoch) if epoch.isdigit() else time.time()
    return dt.datetime.fromtimestamp(now, dt.UTC).date(), "today: set your brief's date"


def _title(sources: list[DraftSource]) -> str:
    if len(sources) == 1:
        return f"Draft: {sources[0].title}"
    return f"Draft brief from {len(sources)} sources"


def _kept(quote: str, read: _Read) -> bool:
    """The quote occurs in the source as ``briefgen check`` compares them."""
    return bool(quote.strip()) and normalise(quote) in read.normalised


def _writable(text: str) -> bool:
    """Text the brief's schema accepts: no control characters."""
    try:
        reject_control_characters(text)
    except ValueError:
        return False
    return True


def _clean(text: str) -> str:
    folded = " ".join(text.split())
    return folded if folded and _writable(folded) else ""


def slugify(text: str, fallback: str) -> str:
    """A lower-case id of letters, digits and single hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:_SLUG_LIMIT].strip("-")
    return slug if slug and slug[0].isalpha() else f"{fallback}-{slug}".strip("-")


def unique_id(candidate: str, taken: set[str]) -> str:
    """``candidate``, or ``candidate-2``, ``-3``... so ids stay unique across the brief."""
    found, number = candidate, 2
    while found in taken:
        found, number = f"{candidate}-{number}", number + 1
    taken.add(found)
    return found


def _commitment_slug(sentence: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z0-9]+", sentence) if w.lower() not in _ID_STOP]
    return slugify(" ".join(words[:5]), "commitment")
