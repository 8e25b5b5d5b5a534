"""Rules that span sections: unique ids, citations and parties that resolve.

Pydantic validates each item on its own; these checks need the whole brief,
and report every problem at once as (data path, message) pairs that the
validation stage turns into located messages.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from briefgen.loading.positions import DataPath, format_path
from briefgen.models.brief import Brief, SourceRef
from briefgen.models.types import COUNTRY_PATTERN

ReferenceProblem = tuple[DataPath, str]

_ID_SECTIONS = ("participants", "agenda", "commitments", "risks", "sources")
_CITING_SECTIONS = ("summary", "participants", "agenda", "commitments", "risks")


def find_reference_problems(brief: Brief) -> list[ReferenceProblem]:
    """Return every cross-reference problem of ``brief``, in document order."""
    return [
        *_duplicate_ids(brief),
        *_unresolved_refs(brief),
        *_unresolved_parties(brief),
        *_event_dates(brief),
    ]


def _ids(brief: Brief) -> Iterator[tuple[DataPath, str]]:
    for section in _ID_SECTIONS:
        for index, item in enumerate(getattr(brief, section)):
            yield (section, index, "id"), item.id


def _duplicate_ids(brief: Brief) -> Iterator[ReferenceProblem]:
    first_use: dict[str, DataPath] = {}
    for path, item_id in _ids(brief):
        if item_id in first_use:
            where = format_path(first_use[item_id][:-1])
            yield (
                path,
                f"id {item_id!r} is already used by {where}; ids are unique across the brief",
            )
        else:
            first_use[item_id] = path


def _cited_refs(brief: Brief) -> Iterator[tuple[DataPath, SourceRef]]:
    """Every ref in the brief with the data path it was written at."""
    for section in _CITING_SECTIONS:
        for index, item in enumerate(getattr(brief, section)):
            for ref_index, ref in enumerate(item.sources):
                yield (section, index, "sources", ref_index), ref
    for index, entry in enumerate(brief.context.timeline):
        for ref_index, ref in enumerate(entry.sources):
            yield ("context", "timeline", index, "sources", ref_index), ref


def _unresolved_refs(brief: Brief) -> Iterator[ReferenceProblem]:
    source_ids = [source.id for source in brief.sources]
    for path, ref in _cited_refs(brief):
        if ref.id not in source_ids:
            yield path, f"cites unknown source {ref.id!r}{did_you_mean(ref.id, source_ids)}"


def _unresolved_parties(brief: Brief) -> Iterator[ReferenceProblem]:
    participant_ids = [participant.id for participant in brief.participants]
    for index, commitment in enumerate(brief.commitments):
        for party_index, party in enumerate(commitment.parties):
            if party in participant_ids or _is_country(party):
                continue
            hint = did_you_mean(party, participant_ids)
            yield (
                ("commitments", index, "parties", party_index),
                f"party {party!r} is neither a participant id nor an ISO country code{hint}",
            )


def _is_country(code: str) -> bool:
    import pycountry

    return bool(re.fullmatch(COUNTRY_PATTERN, code)) and (
        pycountry.countries.get(alpha_2=code) is not None
    )


def _event_dates(brief: Brief) -> Iterator[ReferenceProblem]:
    event = brief.meta.event
    if event and event.end and event.end < event.start:
        yield ("meta", "event", "end"), "the event ends before it starts"


def did_you_mean(word: str, choices: list[str] | tuple[str, ...]) -> str:
    """Return ``" (did you mean 'x'?)"`` for the closest choice, or an empty string."""
    matches = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.7)
    if not matches:
        lowered = {choice.lower(): choice for choice in choices}
        matches = [lowered[word.lower()]] if word.lower() in lowered else []
    return f" (did you mean {matches[0]!r}?)" if matches else ""
