"""Rules that span sections: unique ids, citations and parties that resolve.

Pydantic validates each item on its own; these checks need the whole brief.
They read the plain loaded data rather than the validated model so that they
run even when the schema found problems elsewhere: the user sees every
problem of the file in one pass. Values of the wrong shape are skipped here
(the schema reports those).
"""

from __future__ import annotations

import datetime as dt
import difflib
from collections.abc import Iterator
from typing import Any

from briefgen.loading.positions import DataPath, format_path
from briefgen.models.types import is_country_code

ReferenceProblem = tuple[DataPath, str]

_ID_SECTIONS: tuple[tuple[str, ...], ...] = (
    ("participants",),
    ("agenda",),
    ("commitments",),
    ("risks",),
    ("sources",),
    ("organizations",),
    ("decision", "recommendations"),
    ("recommendations",),
)
CITING_SECTIONS: tuple[tuple[str, ...], ...] = (
    ("summary",),
    ("participants",),
    ("agenda",),
    ("commitments",),
    ("risks",),
    ("context", "timeline"),
    ("decision", "recommendations"),
    ("recommendations",),
)
"""Where items carry ``sources`` refs, as paths from the top of the brief."""


def find_reference_problems(data: dict[str, Any]) -> list[ReferenceProblem]:
    """Return every cross-reference problem of the brief data, in document order."""
    return [
        *_duplicate_ids(data),
        *_unresolved_refs(data),
        *_unresolved_parties(data),
        *_event_dates(data),
        *_portions_above_banner(data),
        *_caveats_against_banner(data),
    ]


def _items(data: dict[str, Any], *path: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """(index, mapping) for each mapping in the list at ``path``; anything else is skipped."""
    node: Any = data
    for key in path:
        node = node.get(key) if isinstance(node, dict) else None
    if isinstance(node, list):
        yield from ((index, item) for index, item in enumerate(node) if isinstance(item, dict))


def _ids(data: dict[str, Any]) -> Iterator[tuple[DataPath, str]]:
    for section_path in _ID_SECTIONS:
        for index, item in _items(data, *section_path):
            if isinstance(item.get("id"), str):
                yield (*section_path, index, "id"), item["id"]


def _duplicate_ids(data: dict[str, Any]) -> Iterator[ReferenceProblem]:
    first_use: dict[str, DataPath] = {}
    for path, item_id in _ids(data):
        if item_id in first_use:
            where = format_path(first_use[item_id][:-1])
            yield (
                path,
                f"id {item_id!r} is already used by {where}; ids are unique across the brief",
            )
        else:
            first_use[item_id] = path


def _cited_ids(data: dict[str, Any]) -> Iterator[tuple[DataPath, str]]:
    """Every cited source id with the data path it was written at."""
    for section_path in CITING_SECTIONS:
        for index, item in _items(data, *section_path):
            refs = item.get("sources")
            for ref_index, ref in enumerate(refs if isinstance(refs, list) else []):
                ref_id = ref.get("id") if isinstance(ref, dict) else ref
                if isinstance(ref_id, str):
                    yield (*section_path, index, "sources", ref_index), ref_id


def _unresolved_refs(data: dict[str, Any]) -> Iterator[ReferenceProblem]:
    source_ids = [item_id for path, item_id in _ids(data) if path[0] == "sources"]
    for path, ref_id in _cited_ids(data):
        if ref_id not in source_ids:
            yield path, f"cites unknown source {ref_id!r}{did_you_mean(ref_id, source_ids)}"


def _unresolved_parties(data: dict[str, Any]) -> Iterator[ReferenceProblem]:
    ids = list(_ids(data))
    participants = [item_id for path, item_id in ids if path[0] == "participants"]
    organizations = [item_id for path, item_id in ids if path[0] == "organizations"]
    what = "a participant or organization id" if organizations else "a participant id"
    for index, commitment in _items(data, "commitments"):
        parties = commitment.get("parties")
        for party_index, party in enumerate(parties if isinstance(parties, list) else []):
            known = party in participants or party in organizations
            if not isinstance(party, str) or known or is_country_code(party):
                continue
            hint = did_you_mean(party, participants + organizations)
            yield (
                ("commitments", index, "parties", party_index),
                f"party {party!r} is neither {what} nor an ISO country code{hint}",
            )


PORTION_ORDER = ("U", "SBU", "CUI")
"""Portion marks from the least to the most controlled."""

BANNER_PORTIONS = {"UNCLASSIFIED": "U", "SENSITIVE BUT UNCLASSIFIED": "SBU", "CUI": "CUI"}
"""The portion mark each banner stands for."""

PORTION_SECTIONS: tuple[tuple[str, ...], ...] = (
    ("summary",),
    ("context", "timeline"),
    ("participants",),
    ("agenda",),
    ("commitments",),
    ("risks",),
    ("decision", "recommendations"),
    ("recommendations",),
)
"""Where items may carry a ``classification`` portion mark."""


def _banner(data: dict[str, Any]) -> str:
    meta = data.get("meta")
    marking = meta.get("marking") if isinstance(meta, dict) else None
    banner = marking.get("banner", "UNCLASSIFIED") if isinstance(marking, dict) else "UNCLASSIFIED"
    return banner if isinstance(banner, str) else "UNCLASSIFIED"


def _portions_above_banner(data: dict[str, Any]) -> Iterator[ReferenceProblem]:
    """A banner lower than a portion would under-mark the document: refuse it at the item."""
    banner = _banner(data)
    if banner not in BANNER_PORTIONS:
        return
    level = PORTION_ORDER.index(BANNER_PORTIONS[banner])
    for section_path in PORTION_SECTIONS:
        for index, item in _items(data, *section_path):
            mark = item.get("classification")
            if mark in PORTION_ORDER and PORTION_ORDER.index(mark) > level:
                yield (
                    (*section_path, index, "classification"),
                    f"this item is marked {mark} but the banner is {banner}; raise "
                    f"meta.marking.banner to at least {_banner_for(mark)}",
                )


def _banner_for(mark: str) -> str:
    return next(banner for banner, portion in BANNER_PORTIONS.items() if portion == mark)


_FOUO = ("FOUO", "FOR OFFICIAL USE ONLY")


def _caveats_against_banner(data: dict[str, Any]) -> Iterator[ReferenceProblem]:
    """Caveats that cannot go with the banner: NOFORN is a control for classified
    information (CUI carries it as a dissemination control), FOUO was retired by CUI."""
    banner = _banner(data)
    meta = data.get("meta")
    marking = meta.get("marking") if isinstance(meta, dict) else None
    caveats = marking.get("caveats") if isinstance(marking, dict) else None
    for index, caveat in enumerate(caveats if isinstance(caveats, list) else []):
        if not isinstance(caveat, str):
            continue
        word = " ".join(caveat.upper().split())
        path = ("meta", "marking", "caveats", index)
        if word in ("NOFORN", "NOT RELEASABLE TO FOREIGN NATIONALS"):
            fix = (
                "list it in meta.marking.cui.dissemination, the CUI limited dissemination controls"
                if banner == "CUI"
                else "it does not apply to an unclassified banner; remove it"
            )
            yield path, f"NOFORN is a dissemination control for classified information: {fix}"
        elif word in _FOUO and banner == "CUI":
            yield (
                path,
                (
                    f"{caveat!r} is a legacy marking retired by CUI (32 CFR 2002); remove it, "
                    "the CUI banner replaces it"
                ),
            )


def _event_dates(data: dict[str, Any]) -> Iterator[ReferenceProblem]:
    meta = data.get("meta")
    event = meta.get("event") if isinstance(meta, dict) else None
    if not isinstance(event, dict):
        return
    start, end = event.get("start"), event.get("end")
    if isinstance(start, dt.date) and isinstance(end, dt.date) and end < start:
        yield ("meta", "event", "end"), "the event ends before it starts"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    if not matches:
        lowered = {choice.lower(): choice for choice in choices}
        matches = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean {matches[0]!r}?)" if matches else ""
