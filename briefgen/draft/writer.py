"""The drafted brief as commented YAML for the analyst to review.

Written by hand rather than by a YAML library so every drafted item can carry a
"# review" comment beside it and the parts that need judgement (background, agenda,
risks, talking points) appear as commented prompts. Strings are YAML double-quoted
scalars (JSON escapes are valid YAML), so no source text can break the structure.
"""

from __future__ import annotations

import json

from briefgen.draft.model import Draft, DraftCommitment, DraftParticipant, DraftSource, Quote

_HEADER = """\
# Draft brief written by `briefgen draft` from {count} source(s). It is a starting point,
# not a finished brief: every drafted item is marked "# review". Quotes are verbatim from
# the sources (`briefgen check` verifies them); the rest (titles, kinds, parties, dates
# resolved from words like "on Sunday") are guesses by rules. Rewrite the summary in
# your own words, delete what does not belong, and fill in the commented prompts.
schema_version: 1
"""
_JUDGEMENT = """\
# agenda: what the principal should achieve and say needs your judgement. For example:
# agenda:
#   - id: first-topic
#     title: The topic
#     objective: What should the principal achieve?
#     discussion: What the sources say about it.
#     talking_points: [What should the principal say?]
#     sources: [{source}]

# risks: which risks matter, how likely and how grave, is your assessment. For example:
# risks:
#   - id: first-risk
#     title: What could go wrong
#     description: What could happen and why.
#     likelihood: 3   # 1 (rare) to 5 (almost certain)
#     impact: 3       # 1 (minimal) to 5 (severe)
#     trend: new      # new | rising | stable | falling
#     mitigation: What reduces the risk.
#     indicators: [Signs to watch for]
#     sources: [{source}]
"""


def q(text: str) -> str:
    """``text`` as a YAML double-quoted scalar on one line."""
    return json.dumps(" ".join(text.split()), ensure_ascii=False)


def draft_yaml(draft: Draft) -> str:
    """The whole draft as YAML text."""
    parts = [
        _HEADER.format(count=len(draft.sources)),
        _meta(draft),
        _summary(draft),
        _context(draft),
        _participants(draft.participants),
        _JUDGEMENT.format(source=draft.sources[0].id),
        _commitments(draft.commitments),
        _sources(draft.sources),
    ]
    return "\n".join(parts)


def _refs(quotes: tuple[Quote, ...] | list[Quote], indent: str) -> list[str]:
    lines = [f"{indent}sources:"]
    lines += [f"{indent}  - {{id: {quote.source_id}, quote: {q(quote.text)}}}" for quote in quotes]
    return lines


def _meta(draft: Draft) -> str:
    return "\n".join(
        [
            "meta:",
            f"  title: {q(draft.title)}  # review: the title of your brief",
            "  doc_type: briefing_memo  # policy_brief | briefing_memo | info_memo | action_memo",
            f"  date: {draft.date.isoformat()}  # review: {draft.date_note}",
            "  # event: {name: The meeting, start: YYYY-MM-DD, "
            "location: {city: City, country: XX}, format: bilateral}",
            "  # prepared_for: The principal",
            "  # prepared_by: Your office",
            "  marking:",
            "    banner: UNCLASSIFIED  # review: the handling marking (or CUI, ...)",
            "",
        ]
    )


def _summary(draft: Draft) -> str:
    lines = [
        "# review: candidates from the sources' lead sentences. Keep 1 to 7 key points,",
        "# bottom line up front, in your own words, and keep each citation.",
        "summary:",
    ]
    for point in draft.summary:
        lines.append(f"  - text: {q(point.text)}  # review")
        lines += _refs([point.quote], "    ")
    return "\n".join([*lines, ""])


def _context(draft: Draft) -> str:
    lines = [
        "context:",
        "  # background: |",
        "  #   What led to this meeting, in a few paragraphs of your own.",
    ]
    if not draft.timeline:
        return "\n".join([*lines, "  timeline: []  # no dated events found in the sources", ""])
    lines.append("  timeline:")
    for event in draft.timeline:
        note = f": {event.note}" if event.note else ""
        lines.append(f"    - date: {event.date.isoformat()}  # review{note}")
        lines.append(f"      event: {q(event.event)}")
        lines += _refs(event.quotes, "      ")
    return "\n".join([*lines, ""])


def _participants(participants: list[DraftParticipant]) -> str:
    kept = [p for p in participants if p.at_meeting and p.country]
    others = [p for p in participants if p not in kept]
    lines = ["participants:" if kept else "participants: []  # nobody named with a title"]
    for person in kept:
        lines += _participant(person, "")
    if others:
        lines.append("  # Also named with a title, but not as taking part (or with no country")
        lines.append("  # stated): uncomment whoever belongs, adding the missing country.")
        for person in others:
            lines += _participant(person, "# ")
    return "\n".join([*lines, ""])


def _participant(person: DraftParticipant, prefix: str) -> list[str]:
    pad = f"  {prefix}"
    lines = [
        f"{pad}- id: {person.id}  # review: role, title and country are read from the text",
        f"{pad}  name: {q(person.name)}",
        f"{pad}  title: {q(person.title)}",
    ]
    if person.organization:
        lines.append(f"{pad}  organization: {q(person.organization)}")
    lines.append(f"{pad}  country: {person.country or 'XX'}")
    role = "host" if person.host else "principal"
    lines.append(f"{pad}  role: {role}  # principal | host | delegation | other")
    lines += _refs(person.quotes, f"{pad}  ")
    return lines


def _commitments(commitments: list[DraftCommitment]) -> str:
    if not commitments:
        return "commitments: []  # no commitment language found in the sources\n"
    lines = [
        "# review: sentences with commitment language (agreed, reaffirmed, will...). Rewrite",
        "# each as the commitment itself, and delete those that are not commitments.",
        "commitments:" if any(item.parties for item in commitments) else "commitments: []",
    ]
    for item in commitments:
        lines += _commitment(item)
    return "\n".join([*lines, ""])


def _commitment(item: DraftCommitment) -> list[str]:
    """One commitment; commented out when no party could be named (parties are required)."""
    pad = "  " if item.parties else "  # "
    guessed = ": parties guessed (the meeting's countries)" if item.parties_guessed else ""
    if not item.parties:
        guessed = ": no party named; add parties (participant ids or country codes), uncomment"
    lines = [
        f"{pad}- id: {item.id}  # review{guessed}",
        f"{pad}  text: {q(item.text)}",
        f"{pad}  parties: [{', '.join(item.parties)}]",
        f"{pad}  kind: {item.kind}  # new | reaffirmed",
    ]
    if item.due:
        lines.append(f"{pad}  due: {q(item.due)}")
    lines.append(f"{pad}  status: announced  # announced | in_progress | completed | stalled")
    return lines + _refs([item.quote], f"{pad}  ")


def _sources(sources: list[DraftSource]) -> str:
    lines = ["sources:"]
    for source in sources:
        notes = "; ".join(source.notes)
        lines.append(f"  - id: {source.id}  # review{': ' + notes if notes else ''}")
        lines.append(f"    type: {source.type}  # news_article | joint_statement | readout ...")
        lines.append(f"    title: {q(source.title)}")
        if source.publisher:
            lines.append(f"    publisher: {q(source.publisher)}")
        if source.authors:
            lines.append(f"    authors: [{', '.join(q(name) for name in source.authors)}]")
        if source.published:
            lines.append(f"    published: {source.published.isoformat()}")
        if source.url:
            lines.append(f"    url: {q(source.url)}")
        lines.append(f"    path: {q(source.path)}")
        lines.append("    # reliability: B   # Admiralty grading A-F, your judgement")
        lines.append("    # credibility: 2   # 1-6")
    return "\n".join([*lines, ""])
