"""Editorial consistency warnings for ``briefgen check``: what a careful editor would catch.

The schema checks each value on its own; these checks compare values with each
other and with the brief's date. They are warnings (``check --strict`` fails on
them) because a brief can have a good reason for each: the point is that a
principal never reads "almost certain" beside a likelihood of 1, or a brief
dated before the meeting it reports on, without someone having decided so.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

from briefgen.errors import Problem
from briefgen.loading.positions import DataPath, format_path
from briefgen.loading.yaml_source import LoadedYaml
from briefgen.models.brief import Brief
from briefgen.models.types import SLUG_PATTERN, partial_date_bounds

ICD203_LIKELIHOODS: dict[str, frozenset[int]] = {
    "almost_no_chance": frozenset({1}),
    "very_unlikely": frozenset({1}),
    "unlikely": frozenset({2, 3}),
    "roughly_even_chance": frozenset({3}),
    "likely": frozenset({3, 4}),
    "very_likely": frozenset({5}),
    "almost_certain": frozenset({5}),
}
"""Likelihood scores (1-5, each a fifth of 0-100 %) that overlap each ICD 203 term's range:
almost no chance 1-5 %, very unlikely 5-20 %, unlikely 20-45 %, roughly even chance
45-55 %, likely 55-80 %, very likely 80-95 %, almost certain 95-99 %."""

ICD203_PERCENT = {
    "almost_no_chance": "1-5 %",
    "very_unlikely": "5-20 %",
    "unlikely": "20-45 %",
    "roughly_even_chance": "45-55 %",
    "likely": "55-80 %",
    "very_likely": "80-95 %",
    "almost_certain": "95-99 %",
}


def check_consistency(brief: Brief, loaded: LoadedYaml) -> list[Problem]:
    """Every consistency warning of ``brief``, located in the YAML it came from."""
    checks = (
        _estimative_terms,
        _past_events_after_the_brief,
        _sources_after_the_brief,
        _commitments_due_before_the_meeting,
        _decision_dates,
        _drafted_after_the_brief,
        _speakers,
        _timeline_order,
        _memo_parts,
        _bottom_line,
        _recommendation_wording,
        _cui_designation,
    )
    return [problem for check in checks for problem in check(brief, loaded)]


def _warning(loaded: LoadedYaml, path: DataPath, message: str) -> Problem:
    line, column = loaded.positions.of_value(path)
    return Problem(loaded.display_name, line, column, format_path(path), message, "warning")


def _estimative_terms(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    for index, risk in enumerate(brief.risks):
        if risk.estimative and risk.likelihood not in ICD203_LIKELIHOODS[risk.estimative]:
            fits = ", ".join(str(n) for n in sorted(ICD203_LIKELIHOODS[risk.estimative]))
            yield _warning(
                loaded,
                ("risks", index, "estimative"),
                f"{risk.estimative!r} means {ICD203_PERCENT[risk.estimative]} in ICD 203, "
                f"but the likelihood is {risk.likelihood}; use likelihood {fits} or another term",
            )


def _past_events_after_the_brief(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """A timeline reports what happened: an entry after the brief's date cannot have."""
    for index, entry in enumerate(brief.context.timeline):
        first, _ = partial_date_bounds(entry.date)
        if first > brief.meta.date:
            yield _warning(
                loaded,
                ("context", "timeline", index, "date"),
                f"the brief is dated {brief.meta.date.isoformat()} but its timeline reports "
                "this later event as past; check meta.date or this date",
            )


def _sources_after_the_brief(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    for index, source in enumerate(brief.sources):
        if source.published and source.published > brief.meta.date:
            yield _warning(
                loaded,
                ("sources", index, "published"),
                f"published after the brief's date ({brief.meta.date.isoformat()}); "
                "a brief cannot rest on it yet: check meta.date",
            )


def _commitments_due_before_the_meeting(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """A new commitment made at the meeting cannot fall due before the meeting."""
    event = brief.meta.event
    if event is None:
        return
    for index, commitment in enumerate(brief.commitments):
        due = _as_date(commitment.due)
        if commitment.kind == "new" and due is not None and due < event.start:
            yield _warning(
                loaded,
                ("commitments", index, "due"),
                f"this new commitment is due before the meeting ({event.start.isoformat()}); "
                "check the date, or mark it `kind: reaffirmed`",
            )


def _as_date(value: dt.date | str | None) -> dt.date | None:
    """The last day a due value can mean, or None for a milestone in words."""
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}(-(0[1-9]|1[0-2]))?", value):
        return partial_date_bounds(value)[1]
    return None


def _decision_dates(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    decision = brief.decision
    if decision is None or decision.due is None:
        return
    path = ("decision", "due")
    if decision.due < brief.meta.date:
        yield _warning(
            loaded,
            path,
            f"the decision is due {decision.due.isoformat()}, already past at the brief's "
            f"date ({brief.meta.date.isoformat()})",
        )
    event = brief.meta.event
    if event and brief.meta.date <= event.start < decision.due:
        yield _warning(
            loaded,
            path,
            f"the decision is due after the meeting it prepares starts ({event.start.isoformat()})",
        )


def _drafted_after_the_brief(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    drafted = brief.clearance.drafted_by.date if brief.clearance else None
    if drafted and drafted > brief.meta.date:
        yield _warning(
            loaded,
            ("clearance", "drafted_by", "date"),
            f"drafted after the brief's date ({brief.meta.date.isoformat()})",
        )


def _speakers(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """A speaker written like an id but matching no participant is most likely a typo."""
    from briefgen.validation.references import CITING_SECTIONS, did_you_mean

    ids = [person.id for person in brief.participants]
    for section_path in CITING_SECTIONS:
        for index, item in enumerate(section_items(brief, section_path)):
            for ref_index, ref in enumerate(item.sources):
                speaker = ref.speaker
                if speaker and re.fullmatch(SLUG_PATTERN, speaker) and speaker not in ids:
                    yield _warning(
                        loaded,
                        (*section_path, index, "sources", ref_index, "speaker"),
                        f"speaker {speaker!r} is not a participant id{did_you_mean(speaker, ids)};"
                        " write the name as published or add the participant",
                    )


def section_items(brief: Brief, section_path: tuple[str, ...]) -> list[Any]:
    """The list at ``section_path`` (``("decision", "recommendations")``), empty if absent."""
    node: Any = brief
    for name in section_path:
        node = getattr(node, name, None)
        if node is None:
            return []
    return list(node)


def _timeline_order(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    latest: dt.date | None = None
    for index, entry in enumerate(brief.context.timeline):
        first, last = partial_date_bounds(entry.date)
        if latest is not None and last < latest:
            yield _warning(
                loaded,
                ("context", "timeline", index, "date"),
                "the timeline goes back in time here; list events in date order",
            )
        latest = max(latest or first, first)


def _memo_parts(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """An action memo asks for a decision; memo headings and decisions belong to memos."""
    doc_type = brief.meta.doc_type
    if doc_type == "action_memo" and brief.decision is None:
        yield _warning(
            loaded,
            ("meta", "doc_type"),
            "an action memo asks the principal to decide: add `decision:` with its recommendations",
        )
    if doc_type == "action_memo" and brief.meta.memo is None:
        yield _warning(
            loaded,
            ("meta", "doc_type"),
            "an action memo is addressed: add `meta.memo` with to and from",
        )
    if doc_type == "policy_brief" and brief.decision is not None:
        yield _warning(
            loaded,
            ("decision",),
            "a public policy brief does not print a decision; use `recommendations` instead",
        )


def _cui_designation(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    marking = brief.meta.marking
    if marking.banner != "CUI" and marking.cui is not None:
        yield _warning(
            loaded,
            ("meta", "marking", "cui"),
            f"a CUI designation indicator on a {marking.banner} brief is not printed; "
            "set the banner to CUI or remove it",
        )
    if marking.banner == "CUI" and marking.cui is None:
        yield _warning(
            loaded,
            ("meta", "marking", "banner"),
            "a CUI document carries a designation indicator: add `meta.marking.cui` with "
            "controlled_by, categories and poc",
        )


BOTTOM_LINE_POINTS = 4
BOTTOM_LINE_CHARACTERS = 400
"""About four lines of an action memo's body text: what its bottom line may take."""


def _bottom_line(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """An action memo's bottom line is at most four lines; the layout shows four points."""
    if brief.meta.doc_type != "action_memo":
        return
    if len(brief.summary) > BOTTOM_LINE_POINTS:
        yield _warning(
            loaded,
            ("summary", BOTTOM_LINE_POINTS),
            f"an action memo's bottom line holds {BOTTOM_LINE_POINTS} points; the action_memo "
            "layout leaves out the rest (set `priority:` to choose which)",
        )
    length = sum(len(point.text) for point in brief.summary[:BOTTOM_LINE_POINTS])
    if length > BOTTOM_LINE_CHARACTERS:
        yield _warning(
            loaded,
            ("summary",),
            f"the bottom line runs to {length} characters, more than about four lines "
            f"({BOTTOM_LINE_CHARACTERS}); shorten the key points",
        )


def _recommendation_wording(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """A decision line reads "That you approve ..." and offers each option once."""
    if brief.decision is None:
        return
    for index, recommendation in enumerate(brief.decision.recommendations):
        path = ("decision", "recommendations", index)
        if not recommendation.text.lower().startswith("that you"):
            yield _warning(
                loaded,
                (*path, "text"),
                'a decision recommendation reads "That you approve ...", so the principal '
                "can initial it as written",
            )
        options = [option.lower() for option in recommendation.options]
        if len(set(options)) < len(options):
            yield _warning(loaded, (*path, "options"), "an option is listed twice")
