"""The "Changes since version X" section in plain words, for a principal."""

from __future__ import annotations

from briefgen.compose import changes_words
from briefgen.models.brief import Brief
from briefgen.transforms.changes import FieldChange, diff_briefs, word_diff
from briefgen.validation import load_brief
from tests.conftest import FIXTURES

NEW = FIXTURES / "changes" / "v2.yaml"
OLD = FIXTURES / "changes" / "v1.yaml"


def test_the_changes_section_says_values_in_words() -> None:
    new: Brief = load_brief(NEW)
    risk = new.risks[0]
    edited_risk = risk.model_copy(
        update={"estimative": "almost_certain", "trend": "falling", "id": "renamed-risk"}
    )
    commitment = new.commitments[0].model_copy(update={"status": "stalled", "parties": ["JP"]})
    edited = new.model_copy(
        update={
            "risks": [edited_risk, *new.risks[1:]],
            "commitments": [commitment, *new.commitments[1:]],
        }
    )
    sections = changes_words.changes_in_words(diff_briefs(new, edited), edited)
    lines = {f"{line.item}: {line.details}" for section in sections for line in section.lines}
    assert any("estimate now almost certain (was roughly even chance)" in line for line in lines)
    assert any("trend now falling (was rising)" in line for line in lines), lines
    assert any("status now stalled" in line and "parties now Japan" in line for line in lines)
    assert not any("renamed-risk" in line or "_" in line for line in lines), lines


def test_the_earlier_version_is_named_in_words() -> None:
    diff = diff_briefs(load_brief(OLD), load_brief(NEW))
    assert changes_words.since(diff) == "version 0.9 of October 16, 2024"


def test_a_rewording_says_what_was_added_dropped_or_replaced() -> None:
    old = "Kim and Campbell met for 80 minutes in Seoul, the first meeting in five months."
    new = "Kim and Campbell met in Seoul, the first in-person session in five months."
    change = FieldChange("text", old, new, word_diff(old, new))
    line = changes_words._field(change, {})
    assert line.startswith("wording revised: drops \u201cfor 80 minutes\u201d")
    assert "replaces \u201cmeeting\u201d with \u201cin-person session\u201d" in line


def test_a_pure_rename_is_no_change_to_a_reader() -> None:
    new = load_brief(NEW)
    renamed = new.model_copy(
        update={"risks": [new.risks[0].model_copy(update={"id": "other-id"}), *new.risks[1:]]}
    )
    assert changes_words.changes_in_words(diff_briefs(new, renamed), renamed) == []
