"""The keys real memos and policy briefs need: memo heading, decision, clearance, portion
marks, organizations as parties, partial dates, speakers; each problem located, with hints."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.errors import InvalidInputError, Problem
from briefgen.validation import load_brief, load_brief_text
from tests.conftest import FIXTURES

ACTION_MEMO = FIXTURES / "memos" / "quad-action-memo.yaml"
POLICY_BRIEF = FIXTURES / "memos" / "asean-policy-brief.yaml"

HEAD = "schema_version: 1\nmeta:\n  title: T\n  date: 2024-08-01\n"


def _problems(text: str) -> list[Problem]:
    with pytest.raises(InvalidInputError) as caught:
        load_brief_text(text, "memo.yaml")
    return caught.value.problems


def _one(text: str) -> tuple[int, int, str, str]:
    problems = _problems(text)
    assert len(problems) == 1, problems
    problem = problems[0]
    return problem.line, problem.column, problem.path, problem.message


def test_the_action_memo_fixture_reads_every_new_key() -> None:
    brief = load_brief(ACTION_MEMO)
    assert brief.meta.memo is not None and brief.meta.memo.from_.startswith("EAP")
    assert brief.meta.lang == "en-US" and brief.meta.marking.portion_marks
    assert brief.decision is not None
    assert [r.options for r in brief.decision.recommendations] == [
        ["Approve", "Disapprove"],
        ["Approve", "Disapprove", "Discuss"],
    ]
    assert brief.decision.positions[1].position == "nonconcur"
    assert brief.clearance is not None and brief.clearance.cleared[2].status == "dissent"
    assert brief.context.timeline[0].date == "2024-04"
    assert brief.commitments[0].parties == ["quad"] and brief.commitments[0].due == "2024-12"
    assert brief.participants[2].role == "counterpart"
    assert brief.summary[1].sources[0].speaker == "Mao Ning"
    assert brief.summary[2].assessment and brief.summary[2].classification == "SBU"


def test_a_brief_without_the_new_keys_gets_their_defaults() -> None:
    brief = load_brief_text(HEAD + "summary: [{text: A point.}]\n", "plain.yaml")
    assert brief.meta.lang == "en-US" and brief.meta.memo is None and brief.decision is None
    assert not brief.meta.marking.portion_marks and brief.recommendations == []


@pytest.mark.parametrize(
    ("value", "expected"),
    [("2024", "2024"), ("'2024-04'", "2024-04"), ("2024-04-09", dt.date(2024, 4, 9))],
)
def test_timeline_dates_may_be_a_month_or_a_year(value: str, expected: object) -> None:
    text = HEAD + f"summary: [{{text: A.}}]\ncontext:\n  timeline: [{{date: {value}, event: E.}}]\n"
    assert load_brief_text(text, "t.yaml").context.timeline[0].date == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2024-13", "'2024-13' is not a real month (YYYY-MM)"),
        ("2024-02-30", "'2024-02-30' is not a real date"),
        (
            "April",
            "expected a date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY) but got 'April'",
        ),
    ],
)
def test_bad_partial_dates_are_located(value: str, message: str) -> None:
    entry = f"    - {{date: {value}, event: E.}}\n"
    text = HEAD + "summary: [{text: A.}]\ncontext:\n  timeline:\n" + entry
    assert _one(text) == (8, 14, "context.timeline[0].date", message)


def test_organizations_are_commitment_parties_and_typos_get_a_hint() -> None:
    text = HEAD + (
        "summary: [{text: A.}]\n"
        "organizations: [{id: quad, name: Quad, members: [US, JP, IN, AU]}]\n"
        "commitments:\n"
        "  - {id: c, text: T., parties: [quad, US]}\n"
        "  - {id: d, text: T., parties: [qaud]}\n"
    )
    assert _one(text) == (
        9,
        33,
        "commitments[1].parties[0]",
        "party 'qaud' is neither a participant or organization id nor an ISO country code "
        "(did you mean 'quad'?)",
    )


def test_memo_heading_keys_are_checked_with_hints() -> None:
    memo = "  memo: {to: S, form: EAP}\n  date:"
    text = HEAD.replace("  date:", memo) + "summary: [{text: A.}]\n"
    messages = {p.path: p.message for p in _problems(text)}
    assert messages["meta.memo.form"] == "unknown key 'form' (did you mean 'from'?)"
    assert messages["meta.memo.from"] == "required key 'from' is missing"


def test_decision_options_are_one_to_four_words() -> None:
    text = HEAD + (
        "summary: [{text: A.}]\n"
        "decision:\n  recommendations:\n"
        "    - {id: r, text: That you approve., options: [A, B, C, D, E]}\n"
    )
    assert _one(text)[2:] == (
        "decision.recommendations[0].options",
        "has 5 items; at most 4 allowed",
    )


def test_a_portion_above_the_banner_is_refused_at_the_item() -> None:
    text = HEAD + "summary:\n  - {text: A., classification: CUI}\n"
    assert _one(text) == (
        6,
        32,
        "summary[0].classification",
        "this item is marked CUI but the banner is UNCLASSIFIED; raise meta.marking.banner "
        "to at least CUI",
    )


@pytest.mark.parametrize(
    ("banner", "caveat", "message"),
    [
        (
            "UNCLASSIFIED",
            "NOFORN",
            "NOFORN is a dissemination control for classified information: it does not apply "
            "to an unclassified banner; remove it",
        ),
        (
            "CUI",
            "NOFORN",
            "NOFORN is a dissemination control for classified information: list it in "
            "meta.marking.cui.dissemination, the CUI limited dissemination controls",
        ),
        (
            "CUI",
            "FOR OFFICIAL USE ONLY",
            "'FOR OFFICIAL USE ONLY' is a legacy marking retired by CUI (32 CFR 2002); remove "
            "it, the CUI banner replaces it",
        ),
    ],
)
def test_caveats_are_checked_against_the_banner(banner: str, caveat: str, message: str) -> None:
    text = HEAD + f"  marking: {{banner: {banner}, caveats: [{caveat}]}}\nsummary: [{{text: A.}}]\n"
    line, _, path, found = _one(text)
    assert (line, path, found) == (5, "meta.marking.caveats[0]", message)


def test_fouo_stays_allowed_under_a_legacy_sbu_banner() -> None:
    marking = "  marking: {banner: SENSITIVE BUT UNCLASSIFIED, caveats: [FOUO]}\n"
    text = HEAD + marking + "summary: [{text: A.}]\n"
    assert load_brief_text(text, "sbu.yaml").meta.marking.caveats == ["FOUO"]


def test_decision_recommendation_ids_share_the_brief_id_space() -> None:
    text = HEAD + (
        "summary: [{text: A.}]\n"
        "risks: [{id: host, title: T, likelihood: 1, impact: 1}]\n"
        "decision:\n  recommendations: [{id: host, text: That you approve.}]\n"
    )
    assert _one(text)[2:] == (
        "decision.recommendations[0].id",
        "id 'host' is already used by risks[0]; ids are unique across the brief",
    )
