"""`briefgen check` catches what an editor would: estimative terms against likelihood,
dates that contradict the brief's own date, decisions already overdue, stray speakers."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.checks.consistency import ICD203_LIKELIHOODS, check_consistency
from briefgen.cli.main import main
from briefgen.loading.yaml_source import load_yaml_text
from briefgen.validation import validate_loaded
from tests.conftest import FIXTURES, SAMPLE

BRIEF = """\
schema_version: 1
meta:
  title: T
  doc_type: action_memo
  date: 2024-07-20
  event: {name: Quad FMM, start: 2024-07-29}
  marking: {banner: CUI}
summary:
  - text: A point.
    sources: [{id: s, quote: words, speaker: wang-yi}]
context:
  timeline:
    - {date: 2024-08, event: Later., assessment: true}
    - {date: 2024-07-01, event: Earlier., assessment: true}
participants:
  - {id: wang, name: Wang Yi, title: Minister, country: CN, role: counterpart}
commitments:
  - {id: c, text: T., parties: [US], due: 2024-07-01, assessment: true}
  - {id: r, text: T., parties: [US], due: 2024-07-01, kind: reaffirmed, assessment: true}
risks:
  - {id: k, title: K, likelihood: 1, impact: 2, estimative: almost_certain, assessment: true}
decision:
  due: 2024-08-07
  recommendations: [{id: d, text: That you approve., assessment: true}]
clearance:
  drafted_by: {name: A, office: EAP/J, date: 2024-07-21}
sources:
  - {id: s, title: S, published: 2024-07-30}
"""


def _warnings(text: str) -> dict[str, str]:
    """``LINE:PATH`` -> message(s) of every warning (several at one place joined by " | ")."""
    loaded = load_yaml_text(text, "memo.yaml")
    problems = check_consistency(validate_loaded(loaded), loaded)
    assert all(problem.severity == "warning" for problem in problems)
    found: dict[str, str] = {}
    for problem in problems:
        key = f"{problem.line}:{problem.path}"
        found[key] = f"{found[key]} | {problem.message}" if key in found else problem.message
    return found


def test_every_inconsistency_is_a_located_warning() -> None:
    found = _warnings(BRIEF)
    assert found == {
        "21:risks[0].estimative": "'almost_certain' means 95-99 % in ICD 203, but the "
        "likelihood is 1; use likelihood 5 or another term",
        "13:context.timeline[0].date": "the brief is dated 2024-07-20 but its timeline "
        "reports this later event as past; check meta.date or this date",
        "14:context.timeline[1].date": "the timeline goes back in time here; list events "
        "in date order",
        "28:sources[0].published": "published after the brief's date (2024-07-20); a brief "
        "cannot rest on it yet: check meta.date",
        "18:commitments[0].due": "this new commitment is due before the meeting "
        "(2024-07-29); check the date, or mark it `kind: reaffirmed`",
        "23:decision.due": "the decision is due after the meeting it prepares starts (2024-07-29)",
        "26:clearance.drafted_by.date": "drafted after the brief's date (2024-07-20)",
        "10:summary[0].sources[0].speaker": "speaker 'wang-yi' is not a participant id "
        "(did you mean 'wang'?); write the name as published or add the participant",
        "4:meta.doc_type": "an action memo is addressed: add `meta.memo` with to and from",
        "7:meta.marking.banner": "a CUI document carries a designation indicator: add "
        "`meta.marking.cui` with controlled_by, categories and poc",
    }


def test_an_overdue_decision_is_reported() -> None:
    text = BRIEF.replace("due: 2024-08-07", "due: 2024-07-10")
    assert _warnings(text)["23:decision.due"] == (
        "the decision is due 2024-07-10, already past at the brief's date (2024-07-20)"
    )


def test_an_action_memo_without_a_decision_is_reported() -> None:
    text = BRIEF.split("decision:")[0] + "sources:" + BRIEF.split("sources:")[-1]
    assert "an action memo asks the principal to decide" in _warnings(text)["4:meta.doc_type"]


@pytest.mark.parametrize("term", sorted(ICD203_LIKELIHOODS))
def test_each_icd203_term_fits_some_likelihood(term: str) -> None:
    assert ICD203_LIKELIHOODS[term] <= {1, 2, 3, 4, 5} and ICD203_LIKELIHOODS[term]


def test_the_sample_and_the_memo_fixtures_are_consistent() -> None:
    memos = FIXTURES / "memos"
    for brief in (SAMPLE, memos / "quad-action-memo.yaml", memos / "asean-policy-brief.yaml"):
        assert main(["check", "--strict", str(brief)]) == 0, brief


def test_check_strict_fails_on_a_consistency_warning(tmp_path: Path) -> None:
    brief = tmp_path / "memo.yaml"
    brief.write_text(BRIEF.replace("wang-yi", "Wang Yi"), encoding="utf-8")
    assert main(["check", str(brief)]) == 0
    assert main(["check", "--strict", str(brief)]) == 1


def test_an_action_memo_bottom_line_and_decision_wording_are_checked() -> None:
    points = "".join(f"  - {{text: Point {n}., assessment: true}}\n" for n in range(5))
    text = (
        BRIEF.replace("summary:\n", "summary:\n" + points, 1)
        .replace("text: That you approve.", "text: Approve hosting.")
        .replace(
            "assessment: true}]\nclearance", "assessment: true, options: [Yes, yes]}]\nclearance"
        )
    )
    found = _warnings(text)
    by_path = {key.split(":", 1)[1]: message for key, message in found.items()}
    assert by_path["summary[4]"].startswith("an action memo's bottom line holds 4 points")
    assert by_path["decision.recommendations[0].text"].startswith(
        'a decision recommendation reads "That you approve ..."'
    )
    assert by_path["decision.recommendations[0].options"] == "an option is listed twice"
    long = BRIEF.replace("text: A point.", "text: " + "A long point. " * 40)
    assert "more than about four lines" in _warnings(long)["9:summary"]


def test_a_cui_designation_under_another_banner_is_reported() -> None:
    text = BRIEF.replace(
        "marking: {banner: CUI}",
        "marking: {banner: UNCLASSIFIED, cui: {controlled_by: [DOS], categories: [PRVCY], poc: A}}",
    )
    assert _warnings(text)["7:meta.marking.cui"] == (
        "a CUI designation indicator on a UNCLASSIFIED brief is not printed; set the banner "
        "to CUI or remove it"
    )
