"""The "Changes since version X" section in plain words, for a principal.

``briefgen diff`` speaks to the analyst: ids, field paths, raw values. A principal
reading a re-sent brief wants to know what is new, what changed and what was
dropped, named by title, with values as the brief prints them: "Risk “Accidental
inter-Korean clash”: likelihood up from 2 to 3; estimate now roughly even chance
(was unlikely)". So this module turns a :class:`~briefgen.transforms.changes.BriefDiff` into
such lines: no ids (a renamed id is no change to a reader), no enum spellings
(``roughly_even_chance``), no ISO dates, and nothing a reader never sees
(audience tags, priorities, source ids).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

from briefgen.compose import dates
from briefgen.models.brief import Brief
from briefgen.transforms.changes import BriefDiff, FieldChange, SectionDiff, WordRun

FIELD_WORDS: dict[str, str] = {
    "text": "wording",
    "event": "wording",
    "title": "title",
    "name": "name",
    "native_name": "name in its own script",
    "objective": "objective",
    "discussion": "discussion",
    "points": "points",
    "talking_points": "talking points",
    "parties": "parties",
    "kind": "kind",
    "due": "due",
    "status": "status",
    "likelihood": "likelihood",
    "impact": "impact",
    "score": "score",
    "estimative": "estimate",
    "trend": "trend",
    "mitigation": "mitigation",
    "indicators": "indicators to watch",
    "owner": "owner",
    "description": "description",
    "bio": "biography",
    "role": "role",
    "organization": "organization",
    "country": "country",
    "date": "date",
    "background": "background",
    "subtitle": "subtitle",
    "prepared_for": "prepared for",
    "prepared_by": "prepared by",
    "publisher": "publisher",
    "published": "publication date",
    "url": "web address",
    "reliability": "reliability grade",
    "credibility": "credibility grade",
    "classification": "portion mark",
    "tlp": "TLP label",
    "assessment": "assessment",
    "event.name": "meeting",
    "event.start": "meeting date",
    "event.end": "meeting end",
    "event.location.city": "meeting city",
    "event.location.country": "meeting country",
    "event.format": "meeting format",
    "marking.banner": "marking",
    "marking.tlp": "TLP label",
    "marking.caveats": "caveats",
}
"""Field paths (as :func:`briefgen.transforms.changes.flatten` names them) in words."""

UNSEEN = frozenset({"id", "audience", "priority", "lang", "sources", "path", "accessed"})
"""Fields a reader never sees as such: leaving them out keeps ids and tags out of the
section (a change of sources shows as "sources revised" instead)."""

NUMBERS = frozenset({"likelihood", "impact", "score", "credibility"})
"""Fields whose change is best read as up or down."""

ENUMS = frozenset(
    {"kind", "status", "estimative", "trend", "role", "format", "event.format", "doc_type"}
)
"""Fields whose values are schema words (``in_progress``), printed as words."""

QUOTED_UP_TO = 60
"""Text values up to this long are quoted; longer ones are "revised"."""

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True, slots=True)
class ChangeLine:
    """One line of the section: ``New``, ``Changed`` or ``Dropped``, the item and what."""

    verb: str
    item: str
    details: str = ""


@dataclass(frozen=True, slots=True)
class ChangedSection:
    """One section's lines, under the section's title."""

    name: str
    title: str
    lines: tuple[ChangeLine, ...]


def changes_in_words(changes: BriefDiff, brief: Brief | None = None) -> list[ChangedSection]:
    """Every changed section with its lines in plain words; ``brief`` (the new version)
    names party ids (participants and organizations), so changed parties read as names."""
    names: dict[str, str] = {}
    if brief is not None:
        names = {person.id: person.name for person in brief.participants}
        names.update({body.id: body.name for body in brief.organizations})
    found = []
    for section in changes.changed_sections:
        lines = tuple(_section_lines(section, names))
        if lines:
            found.append(ChangedSection(section.name, section.title, lines))
    return found


def counts(section: ChangedSection) -> str:
    """``1 new, 2 changed, 1 dropped``: how much a section changed, for a one-line summary."""
    verbs = [line.verb for line in section.lines]
    parts = [
        f"{verbs.count(verb)} {word}"
        for verb, word in (("New", "new"), ("Changed", "changed"), ("Dropped", "dropped"))
        if verb in verbs
    ]
    return ", ".join([*parts, *(["reordered"] if "Reordered" in verbs else [])])


def since(changes: BriefDiff) -> str:
    """``version 0.9 of October 16, 2024`` (the earlier version as a reader names it)."""
    label = changes.old_label
    match = re.fullmatch(r"(.*) \((\d{4}-\d{2}-\d{2})\)", label)
    if match:
        return f"version {match[1]} of {_day(match[2])}"
    return _day(label) if _ISO_DAY.fullmatch(label) else f"version {label}"


def _section_lines(section: SectionDiff, parties: dict[str, str]) -> Iterator[ChangeLine]:
    for added in section.added:
        yield ChangeLine("New", _label(section, added.label))
    changed = [(rename.label, rename.fields) for rename in section.renamed]
    changed += [(change.label, change.fields) for change in section.changed]
    for label, fields in changed:
        details = _fields(fields, parties, brief_details=section.name == "meta")
        if details:
            name = "" if section.name == "meta" else _label(section, label)
            yield ChangeLine("Changed", name, details)
    for removed in section.removed:
        yield ChangeLine("Dropped", _label(section, removed.label))
    if section.reordered:
        yield ChangeLine("Reordered", "", "the items are listed in a new order")


def _label(section: SectionDiff, label: str) -> str:
    """The item as a reader knows it: a timeline entry's ISO date in the document's style."""
    if section.name == "context":
        when, _, event = label.partition(" ")
        if _ISO_DAY.fullmatch(when) or _MONTH.fullmatch(when) or re.fullmatch(r"\d{4}", when):
            return f"{_day(when)}: {event}"
    return label


def _fields(
    fields: tuple[FieldChange, ...], parties: dict[str, str], *, brief_details: bool = False
) -> str:
    """The fields a reader sees, in words; the brief's own date and version are what the
    heading already names, so they are left out."""
    words = []
    sources = False
    for change in fields:
        leaf = change.field.rsplit(".", 1)[-1]
        if (brief_details and change.field in ("date", "version")) or leaf in UNSEEN:
            sources = sources or leaf == "sources"
            continue
        words.append(_field(change, parties))
    if sources:
        words.append("sources revised")
    return "; ".join(dict.fromkeys(words))


def _field(change: FieldChange, parties: dict[str, str]) -> str:
    """One field in words: ``likelihood up from 2 to 3``, ``status now completed (was
    in progress)``, ``wording revised``."""
    leaf = change.field.rsplit(".", 1)[-1]
    name = FIELD_WORDS.get(change.field) or FIELD_WORDS.get(leaf) or leaf.replace("_", " ")
    if leaf in NUMBERS and change.old.isdigit() and change.new.isdigit():
        direction = "up" if int(change.new) > int(change.old) else "down"
        return f"{name} {direction} from {change.old} to {change.new}"
    if leaf == "assessment":
        return "now marked as an assessment" if change.new == "True" else "no longer an assessment"
    old, new = _value(change.field, change.old, parties), _value(change.field, change.new, parties)
    if change.words and max(len(old), len(new)) > QUOTED_UP_TO:
        return f"{name} {_edits(change.words)}"
    if max(len(old), len(new)) > QUOTED_UP_TO:
        return f"{name} revised"
    if not old:
        return f"{name} added: {new}"
    if not new:
        return f"{name} removed (was {old})"
    return f"{name} now {new} (was {old})"


def _edits(runs: tuple[WordRun, ...]) -> str:
    """What a rewording did, in words: ``adds “backed by extended deterrence”``,
    ``drops “for 80 minutes”``, ``replaces “talks” with “a meeting”``; "revised" when
    the edits are too long to quote usefully."""
    edits: list[str] = []
    index = 0
    while index < len(runs):
        run = runs[index]
        following = runs[index + 1] if index + 1 < len(runs) else None
        if run.op == "delete" and following is not None and following.op == "insert":
            edits.append(_edit("replaces", run.text, following.text))
            index += 2
            continue
        if run.op != "same":
            edits.append(_edit("adds" if run.op == "insert" else "drops", run.text))
        index += 1
    shown = [edit for edit in edits if edit]
    if not shown:
        return "punctuation revised" if edits else "revised"
    if sum(len(edit) for edit in shown) > 2 * QUOTED_UP_TO:
        return "revised"
    return "revised: " + "; ".join(shown)


def _edit(verb: str, text: str, replacement: str = "") -> str:
    words = _quoted_words(text)
    if verb == "replaces":
        instead = _quoted_words(replacement)
        if words and instead:
            return f"replaces {words} with {instead}"
        return f"adds {instead}" if instead else (f"drops {words}" if words else "")
    return f"{verb} {words}" if words else ""


def _quoted_words(text: str) -> str:
    words = _plain(text).strip(" ,;:.")
    return f"\u201c{words}\u201d" if words else ""


def _value(field: str, value: str, parties: dict[str, str]) -> str:
    """A value as the outputs print it."""
    leaf = field.rsplit(".", 1)[-1]
    if not value:
        return ""
    if leaf in ENUMS or field in ENUMS:
        return value.replace("_", " ")
    if leaf in ("parties", "country"):
        return ", ".join(_party(part, parties) for part in value.split(", "))
    if _ISO_DAY.fullmatch(value) or (leaf in ("date", "due") and _MONTH.fullmatch(value)):
        return _day(value)
    if leaf in ("text", "event", "title", "name", "objective", "owner", "mitigation"):
        return f"\u201c{_plain(value)}\u201d"
    return _plain(value)


def _party(code: str, parties: dict[str, str]) -> str:
    from briefgen.compose.view import country_name

    return parties.get(code) or (country_name(code) if re.fullmatch(r"[A-Z]{2}", code) else code)


def _day(value: str) -> str:
    if _ISO_DAY.fullmatch(value):
        return dates.current().day(dt.date.fromisoformat(value))
    return dates.current().partial(value)


def _plain(text: str) -> str:
    from briefgen.document.inline import inline_to_plain

    return inline_to_plain(text)
