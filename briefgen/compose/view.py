"""Presentation helpers for templates: dates, country names, labels, tones, citations.

Templates decide what appears; these functions decide how a value reads
("16 October 2024", "Republic of Korea", "In progress"). They return plain
text, or :class:`markupsafe.Markup` when they build document markup
themselves (already escaped).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from briefgen.document.inline import inline_to_markup, split_paragraphs
from briefgen.errors import BriefgenError
from briefgen.models.brief import Brief, Marking, Risk, Source, SourceRef
from briefgen.transforms.changes import FieldChange

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

RISK_BANDS = ((4, "low"), (9, "moderate"), (16, "high"), (25, "critical"))
"""Upper score bound of each band of the 5x5 matrix, and its tone."""

STATUS_TONES = {
    "completed": "low",
    "in_progress": "accent",
    "announced": "neutral",
    "stalled": "high",
    "unknown": "muted",
}


def long_date(value: dt.date | str | None) -> str:
    """``2024-10-16`` as ``16 October 2024``, a month ``2024-04`` as ``April 2024``;
    a year or a milestone in words is returned unchanged."""
    if value is None:
        return ""
    if isinstance(value, str):
        month = re.fullmatch(r"(\d{4})-(0[1-9]|1[0-2])", value)
        return f"{_MONTHS[int(month[2]) - 1]} {month[1]}" if month else value
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def chicago_date(value: dt.date) -> str:
    """``2024-10-16`` as ``October 16, 2024``, the Chicago note style."""
    return f"{_MONTHS[value.month - 1]} {value.day}, {value.year}"


def date_range(start: dt.date, end: dt.date | None) -> str:
    """A compact range: ``16 October 2024`` or ``16-17 October 2024``."""
    if end is None or end == start:
        return long_date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}\u2013{long_date(end)}"
    return f"{long_date(start)} \u2013 {long_date(end)}"


def country_name(code: str) -> str:
    """ISO alpha-2 code to the name a reader expects (``KR`` -> ``South Korea``)."""
    from briefgen.models.countries import NAMES

    return NAMES.get(code, code)


def humanize(value: str | None) -> str:
    """``in_progress`` -> ``In progress``; None -> empty text."""
    if not value:
        return ""
    text = value.replace("_", " ")
    return text[:1].upper() + text[1:]


def risk_tone(score: int) -> str:
    """The heat-map band of a likelihood x impact score."""
    for bound, tone in RISK_BANDS:
        if score <= bound:
            return tone
    return RISK_BANDS[-1][1]


def risk_labels(risks: Iterable[Risk]) -> dict[str, str]:
    """Short labels R1, R2 ... in brief order, shared by the table and the heat map."""
    return {risk.id: f"R{number}" for number, risk in enumerate(risks, start=1)}


def heat_grid(brief: Brief) -> list[list[dict[str, str]]]:
    """Rows of the 5x5 matrix, impact 5 at the top, likelihood 1 at the left."""
    labels = risk_labels(brief.risks)
    grid = []
    for impact in range(5, 0, -1):
        row = []
        for likelihood in range(1, 6):
            inside = [
                labels[risk.id]
                for risk in brief.risks
                if (risk.impact, risk.likelihood) == (impact, likelihood)
            ]
            row.append(
                {"tone": risk_tone(impact * likelihood), "labels": "|".join(_fit_cell(inside))}
            )
        grid.append(row)
    return grid


HEAT_CELL_LABELS = 6
"""Labels one heat-map square can show before the rest are counted ("+12")."""


def _fit_cell(labels: list[str]) -> list[str]:
    """Keep a square readable and its row on one page however many risks share it."""
    if len(labels) <= HEAT_CELL_LABELS:
        return labels
    shown = HEAT_CELL_LABELS - 1
    return [*labels[:shown], f"+{len(labels) - shown}"]


def marking_line(banner: str, caveats: Iterable[str]) -> str:
    """The banner with its caveats joined by ``//``, as marking conventions write it."""
    return "//".join([banner, *caveats])


def banner_line(marking: Marking) -> str:
    """The banner line of a brief: ``CUI//NOFORN`` joins a CUI brief's limited
    dissemination controls to its banner, then any caveats."""
    controls = list(marking.cui.dissemination) if marking.cui else []
    return marking_line(marking.banner, [*controls, *marking.caveats])


def tlp_tone(tlp: str | None) -> str:
    """``TLP:AMBER+STRICT`` -> ``tlp-amber-strict``: the key themes colour labels by."""
    if not tlp:
        return ""
    return "tlp-" + tlp.split(":", 1)[1].lower().replace("+", "-")


FIELD_VALUE_SHOWN = 60
"""Field values up to this long are quoted in a changes section; longer ones are "revised"."""


def field_change(change: FieldChange) -> str:
    """One changed field for readers: ``title: “Deputy Secretary” → “Deputy Secretary of
    State”``, or ``text revised`` when the values are too long to quote usefully."""
    name = change.field.replace("_", " ").replace(".", " ")
    if max(len(change.old), len(change.new)) > FIELD_VALUE_SHOWN:
        return f"{name} revised"
    old = f"\u201c{change.old}\u201d" if change.old else "none"
    new = f"\u201c{change.new}\u201d" if change.new else "none"
    return f"{name} {old} \u2192 {new}"


def portion(tlp: str | None) -> Markup:
    """A portion mark such as ``[TLP:AMBER]`` before an item with its own label, so a
    reader can tell which parts set the document's marking."""
    if not tlp:
        return Markup("")
    return Markup("<b>[{}]</b> ").format(tlp)


def prose(text: str | None) -> Markup:
    """Paragraphs of user text as ``<p>`` markup, inline markup parsed, the rest escaped."""
    if not text:
        return Markup("")
    return Markup("").join(
        Markup("<p>{}</p>").format(inline(part)) for part in split_paragraphs(text)
    )


def paragraphs(text: str | None) -> list[str]:
    """User text split at blank lines, for templates that start each paragraph with a mark."""
    return split_paragraphs(text) if text else []


def inline(text: str | None) -> Markup:
    """One paragraph of user text as inline markup (escaped)."""
    return Markup(inline_to_markup(text or ""))


def cite(refs: Iterable[SourceRef]) -> Markup:
    """Citation markers, then each verbatim quote as a quotation with its own marker.

    Sources cited without a quote get one marker each (in the order written);
    a quote is shown as “words” followed by the marker of the note it comes from,
    so a reader sees the evidence and where it is from.
    """
    refs = list(refs)
    quoted = [ref for ref in refs if ref.quote]
    plain: list[str] = []
    for ref in refs:
        if not ref.quote and ref.id not in plain and all(q.id != ref.id for q in quoted):
            plain.append(ref.id)
    markers = Markup("").join(Markup('<cite ref="{}"/>').format(source_id) for source_id in plain)
    quotes = Markup("").join(
        Markup(' <i>\u201c{}\u201d</i><cite ref="{}"/>').format(ref.quote, ref.id) for ref in quoted
    )
    return markers + quotes


def cite_speakers(refs: Iterable[SourceRef], brief: Brief) -> Markup:
    """:func:`cite`, with the speaker before each quote that names one (a participant id
    becomes the participant's name): ``Mao Ning: “words”[2]``. Without speakers it is
    exactly :func:`cite`."""
    refs = list(refs)
    if not any(ref.quote and ref.speaker for ref in refs):
        return cite(refs)
    names = {person.id: person.name for person in brief.participants}
    said = Markup("").join(
        Markup(' {}: <i>\u201c{}\u201d</i><cite ref="{}"/>').format(
            names.get(ref.speaker, ref.speaker), ref.quote, ref.id
        )
        if ref.speaker
        else Markup(' <i>\u201c{}\u201d</i><cite ref="{}"/>').format(ref.quote, ref.id)
        for ref in refs
        if ref.quote
    )
    quoted = {ref.id for ref in refs if ref.quote}
    plain = cite([ref for ref in refs if not ref.quote and ref.id not in quoted])
    return plain + said


def native(text: str | None, lang: str | None) -> Markup:
    """Text in its own script, tagged with its language so writers pick the right font."""
    if not text:
        return Markup("")
    if not lang:
        return Markup("{}").format(text)
    return Markup('<span lang="{}">{}</span>').format(lang, text)


def chicago_note(source: Source) -> Markup:
    """A Chicago-style note: Author, "Title," Publisher, Month Day, Year, URL. Grading: B2."""
    before: list[Markup] = [escape(_join_names(source.authors))] if source.authors else []
    after: list[Markup] = []
    if source.publisher:
        after.append(escape(source.publisher))
    if source.published:
        after.append(escape(chicago_date(source.published)))
    if source.url:
        after.append(Markup('<a href="{0}">{0}</a>').format(source.url))
    closing = "," if after else "."
    title = Markup("\u201c{}{}\u201d").format(source.title, closing)
    note = Markup(", ").join([*before, title])
    if after:
        note += Markup(" ") + Markup(", ").join(after) + Markup(".")
    grading = admiralty_grade(source)
    if grading:
        note += Markup(" Grading: {}.").format(grading)
    if source.accessed:
        note += Markup(" Accessed {}.").format(chicago_date(source.accessed))
    return note


def admiralty_grade(source: Source) -> str:
    """``B2`` from reliability B and credibility 2; partial grades use ``?``."""
    if source.reliability is None and source.credibility is None:
        return ""
    reliability = source.reliability or "?"
    credibility = "?" if source.credibility is None else str(source.credibility)
    return reliability + credibility


def _join_names(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + ", and " + names[-1]


def party_names(parties: Iterable[str], brief: Brief) -> str:
    """Commitment parties for a table: participant and organization ids as names, country
    codes as written."""
    names = {participant.id: participant.name for participant in brief.participants}
    names.update({body.id: body.name for body in brief.organizations})
    return ", ".join(names.get(party, party) for party in parties)


BANNER_PORTIONS = {"UNCLASSIFIED": "U", "SENSITIVE BUT UNCLASSIFIED": "SBU", "CUI": "CUI"}
"""The portion mark a banner stands for; an unmarked item takes its banner's."""


def portion_mark(marking: Marking, item: object = None) -> Markup:
    """``(SBU) `` before a paragraph, list item or table row when the brief asks for
    portion marks: the item's own ``classification``, or the banner's when it has none
    (over-marking an unmarked portion is safe, under-marking it is not)."""
    if not marking.portion_marks:
        return Markup("")
    mark = getattr(item, "classification", None) or BANNER_PORTIONS.get(marking.banner, "U")
    return Markup("({}) ").format(mark)


def marked_prose(text: str | None, marking: Marking) -> Markup:
    """Paragraphs of user text like :func:`prose`, each starting with the banner's portion mark."""
    if not text:
        return Markup("")
    mark = portion_mark(marking)
    return Markup("").join(
        Markup("<p>{}{}</p>").format(mark, inline(part)) for part in split_paragraphs(text)
    )


def assessed(item: object) -> Markup:
    """``Assessment:`` in bold italics before the analyst's own judgement, the label
    intelligence and policy readers know for a judgement that rests on no single source."""
    if not getattr(item, "assessment", False):
        return Markup("")
    return Markup("<b><i>Assessment:</i></b> ")


def quote_note_id(ref: SourceRef) -> str:
    """The note a quoted ref points at when quotes go to the notes: one note per distinct
    (source, quote, speaker), so the same words cited twice share a number."""
    digest = hashlib.sha256(f"{ref.id}\0{ref.quote}\0{ref.speaker or ''}".encode()).hexdigest()
    return f"{ref.id}--q{digest[:10]}"


def cite_notes(refs: Iterable[SourceRef]) -> Markup:
    """Citation markers only, each quote sent to a note of its own (see :func:`quote_notes`).

    Markers go after the sentence they support and nothing follows them, so a marker
    is never glued to a quotation.
    """
    ids: list[str] = []
    for ref in refs:
        note_id = quote_note_id(ref) if ref.quote else ref.id
        if note_id not in ids:
            ids.append(note_id)
    return Markup("").join(Markup('<cite ref="{}"/>').format(note_id) for note_id in ids)


def quote_notes(brief: Brief) -> list[tuple[str, Markup]]:
    """(note id, note markup) for every source and every distinct quote, in brief order.

    A quote's note shows who said it and the quoted words, then the source in
    Chicago style; a source's own note is kept when something cites it without a
    quote, or nothing cites it at all, so every source is still listed.
    """
    sources = {source.id: source for source in brief.sources}
    speakers = {person.id: person.name for person in brief.participants}
    quoted: dict[str, SourceRef] = {}
    plain: set[str] = set()
    for ref in _all_refs(brief):
        if ref.quote and ref.id in sources:
            quoted.setdefault(quote_note_id(ref), ref)
        else:
            plain.add(ref.id)
    quoted_sources = {ref.id for ref in quoted.values()}
    notes: list[tuple[str, Markup]] = []
    for source in brief.sources:
        if source.id in plain or source.id not in quoted_sources:
            notes.append((source.id, chicago_note(source)))
        for note_id, ref in quoted.items():
            if ref.id == source.id:
                notes.append((note_id, _quote_note(ref, source, speakers)))
    return notes


def _all_refs(brief: Brief) -> Iterator[SourceRef]:
    """Every ref of the brief, section by section."""
    from briefgen.validation.references import CITING_SECTIONS

    for section_path in CITING_SECTIONS:
        node: object = brief
        for name in section_path:
            node = getattr(node, name, None)
        for item in node if isinstance(node, list | tuple) else ():
            yield from item.sources


def _quote_note(ref: SourceRef, source: Source, speakers: dict[str, str]) -> Markup:
    speaker = speakers.get(ref.speaker or "", ref.speaker)
    said = Markup("{}: ").format(speaker) if speaker else Markup("")
    return said + Markup("\u201c{}\u201d Source: ").format(ref.quote) + chicago_note(source)


def decision_options(options: Iterable[str]) -> list[str]:
    """Each option with the line the principal initials: ``Approve ____________``.

    The long rule keeps the options apart on one line even though document markup
    collapses runs of spaces, as a decision line on a State memo reads."""
    return [f"{option} {DECISION_RULE}" for option in options]


DECISION_RULE = "_" * 12
"""The line the principal initials beside each option."""


class NotPublicError(BriefgenError):
    """A public layout was asked to print something marked for restricted readers."""


PUBLIC_SECTIONS: tuple[tuple[str, str], ...] = (
    ("summary", "key point"),
    ("participants", "participant"),
    ("agenda", "agenda item"),
    ("commitments", "commitment"),
    ("risks", "risk"),
    ("recommendations", "recommendation"),
)
"""What a public layout prints, and what to call each item in a refusal."""


def require_public(brief: Brief) -> Markup:
    """Refuse, naming each one, the items a public layout would print that are marked above
    TLP:CLEAR or UNCLASSIFIED; called by public layouts before they print anything.

    The filter runs after ``--audience``, so a brief whose restricted items are tagged
    for other readers builds once those readers are filtered out.
    """
    marking = brief.meta.marking
    found = [f"{name} is marked {label}" for name, label in _restricted_items(brief)]
    if marking.caveats:
        found.insert(0, f"the brief carries the caveats {marking_line('', marking.caveats)[2:]}")
    if marking.banner != "UNCLASSIFIED":
        found.insert(0, f"the brief's banner is {marking.banner}")
    if marking.tlp not in (None, "TLP:CLEAR") and not found:
        # with restricted items kept, the brief's label only echoes theirs (see audience.py)
        found.append(f"the brief is marked {marking.tlp}")
    if found:
        raise NotPublicError(
            "this layout is public and prints only TLP:CLEAR, UNCLASSIFIED material, but "
            + "; ".join(found)
            + ". Tag such items with an `audience:` and build with --audience for the public "
            "readers, or choose another layout with --template"
        )
    return Markup("")


def _restricted_items(brief: Brief) -> Iterator[tuple[str, str]]:
    timeline = [("timeline entry", entry) for entry in brief.context.timeline]
    listed = [(noun, item) for section, noun in PUBLIC_SECTIONS for item in getattr(brief, section)]
    counts: dict[str, int] = {}
    for noun, item in [*listed[: len(brief.summary)], *timeline, *listed[len(brief.summary) :]]:
        counts[noun] = counts.get(noun, 0) + 1
        labels = [
            label
            for label in (item.tlp, item.classification)
            if label not in (None, "TLP:CLEAR", "U")
        ]
        if labels:
            yield _item_name(noun, counts[noun], item), " and ".join(labels)


def _item_name(noun: str, number: int, item: object) -> str:
    """``commitment 'maitri'`` or ``key point 4 (“Our embassy expects…”)``."""
    item_id = getattr(item, "id", None)
    if item_id:
        return f"{noun} {item_id!r}"
    text = str(getattr(item, "text", None) or getattr(item, "event", ""))
    words = text.split()
    short = " ".join(words[:6]) + ("\u2026" if len(words) > 6 else "")
    return f"{noun} {number} (\u201c{short}\u201d)"


DEFAULT_PRIORITY = 5
"""The priority of an item that gives none: kept before items marked 6-9, dropped before 1-4."""


@dataclass(frozen=True, slots=True)
class Selection:
    """What a page-limited layout shows of a list, and what it leaves out (in brief order)."""

    shown: list[Any]
    left_out: list[Any]


def select(
    items: Iterable[Any], count: int, by_score: bool = False, keep: Iterable[str] = ()
) -> Selection:
    """Keep ``count`` items for a page-limited layout, dropping in a documented order.

    Items with a higher ``priority`` number go first (9 before 8 ... before 2; no
    priority counts as 5); among equals, the last in the brief go first, or the
    lowest-scoring when ``by_score`` (risks). Items with ``priority: 1``, and those whose
    id is in ``keep`` (see :func:`referred`), are never dropped. The shown items keep the
    order the layout prints them in.
    """
    protected = set(keep)
    original = list(items)
    ordered = sorted(original, key=lambda item: -item.score) if by_score else original
    ranked = sorted(ordered, key=lambda item: item.priority or DEFAULT_PRIORITY)
    kept = {
        id(item)
        for index, item in enumerate(ranked)
        if index < count or item.priority == 1 or getattr(item, "id", None) in protected
    }
    return Selection(
        shown=[item for item in ordered if id(item) in kept],
        left_out=[item for item in original if id(item) not in kept],
    )


SHORT_WORDS = 4
"""Words kept when a layout names an item it left out."""


def shorten(text: str | None) -> str:
    """The first few words of an item's text, plain (markup removed), to name it briefly."""
    words = re.sub(r"[*_\[\]]|\(https?://[^)]*\)", "", text or "").split()
    return " ".join(words[:SHORT_WORDS]) + ("\u2026" if len(words) > SHORT_WORDS else "")


REFERRED_SHARE = 0.6
"""Share of an item's words a recommendation must use to be about that item."""


def referred(brief: Brief) -> list[str]:
    """Ids of the commitments and risks a recommendation or the decision is about.

    A recommendation is about an item when it uses most of the item's words
    (words of four letters or more): "That you approve hosting the 2025 Quad
    Foreign Ministers' Meeting" is about the commitment "Host the 2025 Quad
    Foreign Ministers' Meeting". Page-limited layouts never drop such an item.
    """
    texts = [recommendation.text for recommendation in brief.recommendations]
    if brief.decision:
        texts += [recommendation.text for recommendation in brief.decision.recommendations]
    used: set[str] = set()
    for text in texts:
        used |= _words(text)
    if not used:
        return []
    items = [(c.id, c.text) for c in brief.commitments] + [(r.id, r.title) for r in brief.risks]
    found = []
    for item_id, text in items:
        words = _words(text)
        if words and len(words & used) >= REFERRED_SHARE * len(words):
            found.append(item_id)
    return found


def _words(text: str) -> set[str]:
    """Lowercase words of four letters or more, stems of plurals and -ing folded crudely."""
    words = set()
    for word in re.findall(r"[\w']{4,}", text.lower()):
        stem = re.sub(r"(?:'s|ing|s)$", "", word)
        words.add(stem[:6])
    return words
