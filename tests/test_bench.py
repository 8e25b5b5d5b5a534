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


def test_the_report_gives_wall_and_cpu_ratios_and_judges_the_targets() -> None:
    from bench.bench import Figure, report

    names = (
        "cold briefgen --help", "cold validate", "cold build both", "warm build both",
        "cold build 8 briefs, one core", "cold build 8 briefs -j 2",
    )  # fmt: skip
    figures = [Figure("import floor", 0.2, 40, cpu=0.2)]
    figures += [Figure(name, 0.1, 40, cpu=0.3) for name in names]
    figures += [Figure("warm build both x10", 1.0), Figure("warm build both x50", 5.0)]
    lines = report(figures)
    (row,) = [line for line in lines if line.startswith("cold validate")]
    assert "0.50" in row and "1.50" in row  # wall and CPU, each to the floor
    verdicts = [line.split()[:2] for line in lines if "x floor " in line and ", CPU" in line]
    assert verdicts == [["met", "cold"], ["met", "cold"], ["MISS", "cold"]]  # build, validate, help
