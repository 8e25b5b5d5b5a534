"""What changed between two versions of a brief, item by item (``briefgen diff``).

Items with ids are matched by id; an id that disappeared while an item with a
new id and nearly the same content appeared is a rename, not a removal and an
addition.  Key points and timeline entries have no ids, so they are matched by
their text (exactly first, then by similarity).  Fields are compared by walking
the models generically, so a field added to the schema is diffed without any
change here.  The result feeds the text and JSON reports and the "Changes since
version X" section of ``build --changes-since``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from pydantic import BaseModel

from briefgen.models.brief import Brief

RENAME_SIMILARITY = 0.8
"""Content this similar (RapidFuzz ratio, ids aside) makes a new id a rename of an old one."""
EDIT_SIMILARITY = 0.6
"""Text this similar makes a key point or timeline entry an edit of an old one."""
SHOWN_CHARACTERS = 120
"""Longer values are shortened in reports, keeping both ends so the change stays visible."""

ID_SECTIONS = ("participants", "agenda", "commitments", "risks", "sources")
TITLES = {
    "meta": "Brief details",
    "summary": "Key points",
    "context": "Context",
    "participants": "Participants",
    "agenda": "Agenda",
    "commitments": "Commitments",
    "risks": "Risks",
    "sources": "Sources",
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    """One field whose value differs; values are short readable text ('' for none)."""

    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class ItemRef:
    """An item added or removed: its id (or position) and a human label."""

    key: str
    label: str


@dataclass(frozen=True, slots=True)
class ItemChange:
    """An item present in both versions whose fields differ."""

    key: str
    label: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class Rename:
    """An item whose id changed, with any other fields that changed too."""

    old_key: str
    new_key: str
    label: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True, slots=True)
class SectionDiff:
    """The changes in one section of the brief."""

    name: str
    added: tuple[ItemRef, ...] = ()
    removed: tuple[ItemRef, ...] = ()
    changed: tuple[ItemChange, ...] = ()
    renamed: tuple[Rename, ...] = ()
    reordered: bool = False

    @property
    def title(self) -> str:
        """The section's heading as readers know it."""
        return TITLES.get(self.name, self.name)

    @property
    def counts(self) -> str:
        """How much changed, in words: "1 added, 2 changed, reordered"."""
        return _counts(self)

    @property
    def is_empty(self) -> bool:
        """True when nothing changed (a new order alone counts as a change)."""
        return not (self.added or self.removed or self.changed or self.renamed or self.reordered)


@dataclass(frozen=True, slots=True)
class BriefDiff:
    """Every section's changes, in brief order, and labels of the two versions."""

    old_label: str
    new_label: str
    sections: tuple[SectionDiff, ...]

    @property
    def is_empty(self) -> bool:
        """True when the two versions say the same thing."""
        return all(section.is_empty for section in self.sections)

    @property
    def changed_sections(self) -> tuple[SectionDiff, ...]:
        """Only the sections with changes, for reports."""
        return tuple(section for section in self.sections if not section.is_empty)

    def as_json(self) -> dict[str, Any]:
        """Plain data for ``--format json``: every section, changed or not, in brief order."""
        return {
            "old": self.old_label,
            "new": self.new_label,
            "changed": not self.is_empty,
            "sections": [asdict(section) for section in self.sections],
        }


def version_label(brief: Brief) -> str:
    """How a version is named: its ``meta.version`` with its date, or the date alone."""
    date = brief.meta.date.isoformat()
    return f"{brief.meta.version} ({date})" if brief.meta.version else date


def diff_briefs(old: Brief, new: Brief) -> BriefDiff:
    """Compare two versions of a brief section by section."""
    sections = [
        _single("meta", old.meta, new.meta),
        _by_text("summary", old.summary, new.summary, _point_label),
        _context(old, new),
        *(
            _by_id(name, getattr(old, name), getattr(new, name), _LABELS[name])
            for name in ID_SECTIONS
        ),
    ]
    return BriefDiff(version_label(old), version_label(new), tuple(sections))


# --- comparing values ---------------------------------------------------------------------


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """Dotted field paths of a model mapped to short readable values.

    Nested models are walked into; lists are compared whole (a list of refs
    reads "a, b “quote”"). The derived risk score is included, since readers
    care about it more than about likelihood and impact apart.
    """
    if isinstance(value, BaseModel):
        fields: dict[str, str] = {}
        for name in type(value).model_fields:
            fields.update(flatten(getattr(value, name), f"{prefix}{name}."))
        if hasattr(value, "score"):
            fields[f"{prefix}score"] = str(value.score)
        return fields
    return {prefix.rstrip("."): shown(value)}


def shown(value: Any) -> str:
    """A value as short text for a report."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return ", ".join(shown(item) for item in value)
    if isinstance(value, BaseModel):
        return " ".join(text for text in flatten(value).values() if text)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def changed_fields(old: Any, new: Any, *, ignore: Iterable[str] = ()) -> tuple[FieldChange, ...]:
    """The fields whose values differ between two versions of one item."""
    before, after = flatten(old), flatten(new)
    skipped = set(ignore)
    names = [name for name in dict.fromkeys([*before, *after]) if name not in skipped]
    return tuple(
        FieldChange(name, _short(before.get(name, "")), _short(after.get(name, "")))
        for name in names
        if before.get(name, "") != after.get(name, "")
    )


def _short(text: str) -> str:
    if len(text) <= SHOWN_CHARACTERS:
        return text
    half = SHOWN_CHARACTERS // 2 - 1
    return f"{text[:half]}…{text[-half:]}"


def _content(item: Any, ignore: Iterable[str] = ("id",)) -> str:
    """An item's field values as one text, the fields in ``ignore`` left out."""
    skipped = set(ignore)
    return " ".join(v for k, v in flatten(item).items() if k not in skipped)


# --- sections -----------------------------------------------------------------------------


def _single(name: str, old: Any, new: Any) -> SectionDiff:
    fields = changed_fields(old, new)
    if not fields:
        return SectionDiff(name)
    return SectionDiff(name, changed=(ItemChange(name, TITLES[name], fields),))


def _context(old: Brief, new: Brief) -> SectionDiff:
    background = changed_fields(old.context, new.context, ignore=_timeline_fields(old, new))
    timeline = _by_text("context", old.context.timeline, new.context.timeline, _entry_label)
    changed = list(timeline.changed)
    if background:
        changed.insert(0, ItemChange("background", "Background", background))
    return SectionDiff(
        "context",
        added=timeline.added,
        removed=timeline.removed,
        changed=tuple(changed),
        reordered=timeline.reordered,
    )


def _timeline_fields(old: Brief, new: Brief) -> list[str]:
    return [
        name
        for name in dict.fromkeys([*flatten(old.context), *flatten(new.context)])
        if name.startswith("timeline")
    ]


def _by_id(
    name: str, old: Sequence[Any], new: Sequence[Any], label: Callable[[Any], str]
) -> SectionDiff:
    old_by_id = {item.id: item for item in old}
    new_by_id = {item.id: item for item in new}
    changed = tuple(
        ItemChange(item.id, label(item), fields)
        for item in new
        if item.id in old_by_id
        and (fields := changed_fields(old_by_id[item.id], item, ignore=("id",)))
    )
    gone = [item for item in old if item.id not in new_by_id]
    arrived = [item for item in new if item.id not in old_by_id]
    renamed = _renames(gone, arrived, label)
    renamed_old = {rename.old_key for rename in renamed}
    renamed_new = {rename.new_key for rename in renamed}
    common_old = [item.id for item in old if item.id in new_by_id]
    common_new = [item.id for item in new if item.id in old_by_id]
    return SectionDiff(
        name,
        added=tuple(ItemRef(i.id, label(i)) for i in arrived if i.id not in renamed_new),
        removed=tuple(ItemRef(i.id, label(i)) for i in gone if i.id not in renamed_old),
        changed=changed,
        renamed=renamed,
        reordered=common_old != common_new,
    )


def _renames(
    gone: list[Any], arrived: list[Any], label: Callable[[Any], str]
) -> tuple[Rename, ...]:
    """Pair removed and added items whose content (ids aside) is nearly the same."""
    pairs = _best_pairs(gone, arrived, _content, RENAME_SIMILARITY)
    return tuple(
        Rename(old.id, new.id, label(new), changed_fields(old, new, ignore=("id",)))
        for old, new in pairs
    )


def _by_text(
    name: str, old: Sequence[Any], new: Sequence[Any], label: Callable[[Any], str]
) -> SectionDiff:
    """Match id-less items: identical ones first, then the most similar remaining pairs."""
    matched = _identical(old, new)
    remaining_old = [i for i in range(len(old)) if i not in set(matched.values())]
    unmatched_new = [i for i in range(len(new)) if i not in matched]
    pairs = _best_pairs(
        [old[i] for i in remaining_old],
        [new[i] for i in unmatched_new],
        lambda item: _content(item, ignore=()),
        EDIT_SIMILARITY,
    )
    edited = {id(new_item): old_item for old_item, new_item in pairs}
    edited_old = {id(old_item) for old_item, _ in pairs}
    changed = tuple(
        ItemChange(_position(name, index), label(item), changed_fields(edited[id(item)], item))
        for index, item in enumerate(new)
        if id(item) in edited
    )
    matched_order = [matched[i] for i in sorted(matched)]
    return SectionDiff(
        name,
        added=tuple(
            ItemRef(_position(name, index), label(item))
            for index, item in enumerate(new)
            if index in unmatched_new and id(item) not in edited
        ),
        removed=tuple(
            ItemRef(_position(name, index), label(item))
            for index, item in enumerate(old)
            if index in remaining_old and id(item) not in edited_old
        ),
        changed=changed,
        reordered=matched_order != sorted(matched_order),
    )


def _identical(old: Sequence[Any], new: Sequence[Any]) -> dict[int, int]:
    """Index in ``old`` of each item of ``new`` that appears there unchanged, each old item
    used once, the earliest first (by a lookup of the flattened fields, not a scan)."""
    unused: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for index, item in enumerate(old):
        unused.setdefault(tuple(flatten(item).items()), []).append(index)
    matched: dict[int, int] = {}
    for new_index, item in enumerate(new):
        same = unused.get(tuple(flatten(item).items()))
        if same:
            matched[new_index] = same.pop(0)
    return matched


def _same_text_pairs(before: list[str], after: list[str]) -> list[tuple[int, int]]:
    """Pairs of identical texts, in the order greedy pairing by score would take them
    (score 100, then old index, then new index): a pure rename is found by lookup."""
    unused: dict[str, list[int]] = {}
    for j, text in enumerate(after):
        unused.setdefault(text, []).append(j)
    pairs = []
    for i, text in enumerate(before):
        same = unused.get(text)
        if same:
            pairs.append((i, same.pop(0)))
    return pairs


def _best_pairs(
    olds: list[Any], news: list[Any], text: Callable[[Any], str], threshold: float
) -> list[tuple[Any, Any]]:
    """Greedy one-to-one pairing by descending similarity of the items' texts, above
    ``threshold``: the most similar pair first (ties by position), then the next pair of
    items both still free.

    Similarity is RapidFuzz's ``ratio`` (2 x longest common subsequence / total length),
    computed in C.  Each old item's candidates are kept best first and merged through a
    heap, so only the few best per item are handed to Python: 1,000 renamed and edited
    items are a million comparisons, minutes with ``difflib``, well under a second here.
    """
    import heapq

    before = [text(item) for item in olds]
    after = [text(item) for item in news]
    pairs = _same_text_pairs(before, after)  # the best score, found without comparing
    used_old = {i for i, _ in pairs}
    used_new = {j for _, j in pairs}
    left = [j for j in range(len(after)) if j not in used_new]
    rows = {
        i: _Candidates(before[i], [after[j] for j in left], left, threshold * 100)
        for i in range(len(before))
        if i not in used_old
    }
    heap: list[tuple[float, int, int]] = []
    for i, row in rows.items():
        best = row.peek()
        if best is not None:
            heap.append((-best[0], i, best[1]))
    heapq.heapify(heap)
    while heap:
        _, i, j = heapq.heappop(heap)
        if j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
            continue
        rows[i].advance()
        following = rows[i].peek()
        if following is not None:
            heapq.heappush(heap, (-following[0], i, following[1]))
    return [(olds[i], news[j]) for i, j in pairs]


class _Candidates:
    """One old item's matches above the threshold, best first (ties: earliest new item).

    RapidFuzz is asked for the best few only; all are fetched if those run out.  Matches
    scoring the same as the last of the few may be missing from them, so those count
    as not yet fetched, which keeps the order exact.
    """

    FEW = 16

    def __init__(self, query: str, choices: list[str], indexes: list[int], cutoff: float) -> None:
        self._query, self._choices, self._indexes, self._cutoff = query, choices, indexes, cutoff
        found = self._extract(self.FEW)
        self._complete = len(found) < self.FEW
        self._floor = found[-1][0] if found and not self._complete else -1.0
        self._queue = [match for match in found if self._complete or match[0] > self._floor]
        self._taken: set[int] = set()

    def _extract(self, limit: int | None) -> list[tuple[float, int]]:
        from rapidfuzz import fuzz, process

        found = process.extract(
            self._query, self._choices, scorer=fuzz.ratio, score_cutoff=self._cutoff, limit=limit
        )
        return sorted(((score, self._indexes[k]) for _, score, k in found), key=_best_first)

    def peek(self) -> tuple[float, int] | None:
        if not self._queue and not self._complete:
            self._queue = [m for m in self._extract(None) if m[1] not in self._taken]
            self._complete = True
        return self._queue[0] if self._queue else None

    def advance(self) -> None:
        self._taken.add(self._queue.pop(0)[1])


def _best_first(match: tuple[float, int]) -> tuple[float, int]:
    return (-match[0], match[1])


def _position(section: str, index: int) -> str:
    return f"{'timeline' if section == 'context' else section}[{index + 1}]"


# --- labels -------------------------------------------------------------------------------


def _clip(text: str, limit: int = 70) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _plain(text: str) -> str:
    from briefgen.document.inline import inline_to_plain

    return inline_to_plain(text)


def _point_label(point: Any) -> str:
    return _clip(_plain(point.text))


def _entry_label(entry: Any) -> str:
    """``2024-10-16 Event...``; a month or year date (``2024-04``) is text already."""
    when = entry.date.isoformat() if isinstance(entry.date, dt.date) else str(entry.date)
    return f"{when} {_clip(_plain(entry.event), 60)}"


_LABELS: dict[str, Callable[[Any], str]] = {
    "participants": lambda item: str(item.name),
    "agenda": lambda item: str(item.title),
    "commitments": lambda item: _clip(_plain(item.text)),
    "risks": lambda item: str(item.title),
    "sources": lambda item: _clip(item.title),
}


# --- the text report ----------------------------------------------------------------------


def format_diff_text(diff: BriefDiff) -> str:
    """A readable report: one block per changed section, one line per item and field."""
    lines = [f"Changes from {diff.old_label} to {diff.new_label}"]
    if diff.is_empty:
        return "\n".join([*lines, "No changes."]) + "\n"
    for section in diff.changed_sections:
        lines.append(f"{section.name}: {section.counts}")
        lines += [f"  + {item.key}  {item.label}" for item in section.added]
        lines += [f"  - {item.key}  {item.label}" for item in section.removed]
        for rename in section.renamed:
            lines.append(f"  > {rename.old_key} -> {rename.new_key}  {rename.label}")
            lines += _field_lines(rename.fields)
        for change in section.changed:
            lines.append(f"  ~ {change.key}  {change.label}")
            lines += _field_lines(change.fields)
    return "\n".join(lines) + "\n"


def _counts(section: SectionDiff) -> str:
    parts = [
        f"{len(items)} {word}"
        for items, word in (
            (section.added, "added"),
            (section.removed, "removed"),
            (section.renamed, "renamed"),
            (section.changed, "changed"),
        )
        if items
    ]
    if section.reordered:
        parts.append("reordered")
    return ", ".join(parts)


def _field_lines(fields: Iterable[FieldChange]) -> list[str]:
    return [f"      {field.field}: {field.old!r} -> {field.new!r}" for field in fields]
