"""wrong_input.yaml beside expected_errors.yaml: every message, in plain words, at its line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from briefgen.errors import InvalidInputError, Problem
from briefgen.validation import load_brief, load_brief_text
from tests.conftest import FIXTURES, SAMPLE, STARTER, check_reference


def _problems(path: Path) -> list[Problem]:
    with pytest.raises(InvalidInputError) as caught:
        load_brief(path)
    return caught.value.problems


def test_wrong_input_gives_every_expected_message_at_its_line() -> None:
    problems = _problems(FIXTURES / "wrong_input.yaml")
    lines = [
        "- " + json.dumps([p.line, p.column, p.path, p.message], ensure_ascii=False)
        for p in problems
    ]
    header = "# briefgen validate on wrong_input.yaml: [line, column, path, message].\n"
    check_reference(FIXTURES / "expected_errors.yaml", header + "\n".join(lines) + "\n")
    expected = YAML(typ="safe").load((FIXTURES / "expected_errors.yaml").read_text())
    assert [[p.line, p.column, p.path, p.message] for p in problems] == expected


def test_all_problems_are_reported_at_once_sorted_by_position() -> None:
    problems = _problems(FIXTURES / "wrong_input.yaml")
    assert len(problems) >= 20
    positions = [(p.line, p.column) for p in problems]
    assert positions == sorted(positions)
    assert all(p.file.endswith("wrong_input.yaml") and p.line > 0 for p in problems)


def test_sample_and_starter_validate() -> None:
    assert load_brief(SAMPLE).meta.title
    assert load_brief(STARTER).summary


MINIMAL = """schema_version: 1
meta: {title: T, date: 2024-10-15}
summary: [{text: x}]
"""


@pytest.mark.parametrize(
    ("yaml_text", "path", "message"),
    [
        (
            "schema_version: 2\n" + MINIMAL.split("\n", 1)[1],
            "schema_version",
            "reads schema_version 1, not 2",
        ),
        (MINIMAL.replace("[{text: x}]", "[]"), "summary", "needs at least 1 item"),
        (MINIMAL.replace("[{text: x}]", "[" + "{text: x}, " * 8 + "]"), "summary", "at most 7"),
        (MINIMAL.replace("title: T", "title: ''"), "meta.title", "must not be empty"),
        (MINIMAL.replace("title: T", "title: [a]"), "meta.title", "expected text but got a list"),
        (MINIMAL.replace("date: 2024-10-15", "date: 20241015"), "meta.date", "YYYY-MM-DD"),
        (MINIMAL + "context: {background: 3}\n", "context.background", "quote it"),
        (
            MINIMAL + "risks: [{id: r, title: t, likelihood: 0, impact: 1}]\n",
            "risks[0].likelihood",
            "must be at least 1",
        ),
        (
            MINIMAL + "sources: [{id: s, title: t, credibility: 9}]\n",
            "sources[0].credibility",
            "at most 6",
        ),
        (
            MINIMAL + "participants: [{id: p, name: n, title: t, country: kr}]\n",
            "participants[0].country",
            "not an ISO 3166-1 alpha-2",
        ),
        (
            MINIMAL + "sources: [{id: s, title: t, reliability: G}]\n",
            "sources[0].reliability",
            "not one of: A, B, C, D, E, F",
        ),
        (
            MINIMAL + "risks: [{id: r, title: t, likelihood: 1, impact: 1, estimative: likley}]\n",
            "risks[0].estimative",
            "did you mean 'likely'",
        ),
        (
            MINIMAL.replace(
                "summary: [{text: x}]", "summary: [{text: x, sources: [{id: s, qoute: q}]}]"
            )
            + "sources: [{id: s, title: t}]\n",
            "summary[0].sources[0].qoute",
            "did you mean 'quote'",
        ),
        (
            MINIMAL
            + "agenda: [{id: a, title: t}]\nrisks: [{id: a, title: t, likelihood: 1, impact: 1}]\n",
            "risks[0].id",
            "already used by agenda[0]",
        ),
        (MINIMAL + "meta2: {}\n", "meta2", "did you mean 'meta'"),
        (
            MINIMAL + "context:\n  timeline: [{date: 2024-01-01, event: e, sources: [x]}]\n",
            "context.timeline[0].sources[0]",
            "unknown source 'x'",
        ),
    ],
)
def test_error_paths_have_plain_messages(yaml_text: str, path: str, message: str) -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_brief_text(yaml_text, "brief.yaml")
    matching = [p for p in caught.value.problems if p.path == path]
    assert matching, [p.format() for p in caught.value.problems]
    assert message in matching[0].message
    assert matching[0].line > 0


def test_top_level_must_be_a_mapping() -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_brief_text("- just\n- a list\n", "brief.yaml")
    assert "a brief is a mapping" in caught.value.problems[0].message


def test_ref_with_quote_and_due_milestone_are_accepted() -> None:
    text = (
        MINIMAL.replace("[{text: x}]", "[{text: x, sources: [s, {id: s, quote: words}]}]")
        + "sources: [{id: s, title: t}]\n"
        + "commitments: [{id: c, text: t, parties: [US], due: next summit}]\n"
    )
    brief = load_brief_text(text, "brief.yaml")
    assert brief.summary[0].sources[1].quote == "words"
    assert brief.commitments[0].due == "next summit"
