"""The benchmark's generated inputs: scaled briefs must stay valid briefs."""

from __future__ import annotations

from pathlib import Path

from bench.bench import brief_as_markdown, brief_as_typst, write_scaled
from briefgen.validation import load_brief
from tests.conftest import SAMPLE


def test_scaled_briefs_validate_and_grow_every_section(tmp_path: Path) -> None:
    original = load_brief(SAMPLE)
    scaled = load_brief(write_scaled(tmp_path, 3))
    for section in ("participants", "agenda", "commitments", "risks", "sources"):
        assert len(getattr(scaled, section)) == 3 * len(getattr(original, section))
    assert len(scaled.context.timeline) == 3 * len(original.context.timeline)


def test_peer_inputs_carry_the_briefs_content() -> None:
    brief = load_brief(SAMPLE)
    for text in (brief_as_markdown(brief), brief_as_typst(brief)):
        assert all(point.text.split()[0] in text for point in brief.summary)
        assert all(person.name in text for person in brief.participants)
