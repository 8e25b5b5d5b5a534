"""The drafting rules keep meeting the issue's targets on the benchmark pairs."""

from __future__ import annotations

import pytest

from bench.draft_quality import PAIRS, TARGETS, quality
from briefgen.cli.main import main


def test_hand_written_briefs_of_the_benchmark_pass_check() -> None:
    for _, hand in PAIRS.values():
        assert main(["check", str(hand)]) == 0, hand


def test_drafts_meet_the_recall_and_precision_targets(capsys: pytest.CaptureFixture[str]) -> None:
    totals = quality()
    capsys.readouterr()
    for kind, (recall, precision) in TARGETS.items():
        assert totals[kind].recall >= recall, kind
        if precision is not None:
            assert totals[kind].precision >= precision, kind
