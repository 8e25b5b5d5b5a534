"""Presentation helpers for templates: dates, country names, labels, tones, citations.

Templates decide what appears; these functions decide how a value reads
("16 October 2024", "Republic of Korea", "In progress"). They return plain
text, or :class:`markupsafe.Markup` when they build document markup
themselves (already escaped).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import cache

from markupsafe import Markup, escape

from briefgen.changes import FieldChange
from briefgen.compose.inline import inline_to_markup, split_paragraphs
from briefgen.models.brief import Brief, Risk, Source, SourceRef

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
    """``2024-10-16`` as ``16 October 2024``; text (a milestone) is returned unchanged."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
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


@cache
def country_name(code: str) -> str:
    """ISO alpha-2 code to the name a reader expects (``KR`` -> ``Republic of Korea``)."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    if country is None:
        return code
    name = str(getattr(country, "common_name", None) or country.name)
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    return name


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
    """Commitment parties for a table: participant ids as names, country codes as written."""
    names = {participant.id: participant.name for participant in brief.participants}
    return ", ".join(names.get(party, party) for party in parties)
