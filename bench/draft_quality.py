"""How good is ``briefgen draft``? Scores drafts against briefs analysts wrote by hand
from the same sources, and times drafting from ten 5 KB sources in a cold process.

Pairs (sources and the hand-written brief):
- seoul: ``bench/draft/seoul/*.txt`` (byte-identical copies of the sample's two articles:
  drone-tensions.txt is ``sources/drone-tensions-excerpt.txt`` in the sample, omai-readout.txt
  is ``sources/omai-readout-excerpt.txt``) against ``inputs/seoul-trilateral-2024-10-16.yaml``;
- camp-david: ``bench/draft/camp-david/{news,readout}.txt`` against ``brief.yaml`` beside them.

Matching: participants by name (rapidfuzz token_set_ratio >= 85, so word order and
middle initials do not matter), timeline entries by date, commitments by text
(token_set_ratio >= 70 between the hand-written text and the drafted sentence).
Recall is the share of hand-written items some drafted item matches; precision the
share of drafted items that match some hand-written item. Run: ``make bench-draft``.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz, utils

from briefgen.models.brief import Brief
from briefgen.validation import load_brief

ROOT = Path(__file__).resolve().parent.parent
PAIRS = {
    "seoul": (ROOT / "bench/draft/seoul", ROOT / "inputs/seoul-trilateral-2024-10-16.yaml"),
    "camp-david": (ROOT / "bench/draft/camp-david", ROOT / "bench/draft/camp-david/brief.yaml"),
}
NAME_MATCH = 85
COMMITMENT_MATCH = 70
TARGETS = {"participants": (0.90, None), "timeline": (0.70, None), "commitments": (0.60, 0.50)}
SPEED_SOURCES, SPEED_BYTES, SPEED_LIMIT = 10, 5 * 1024, 2.0


@dataclass(frozen=True, slots=True)
class Score:
    """Recall and precision of one kind of item."""

    found: int
    expected: int
    right: int
    drafted: int

    @property
    def recall(self) -> float:
        """Share of hand-written items the draft found."""
        return self.found / self.expected if self.expected else 1.0

    @property
    def precision(self) -> float:
        """Share of drafted items that match a hand-written one."""
        return self.right / self.drafted if self.drafted else 1.0


def score(
    expected: Sequence[str], drafted: Sequence[str], same: Callable[[str, str], bool]
) -> Score:
    """Recall and precision of ``drafted`` against ``expected`` under the match ``same``."""
    found = sum(any(same(e, d) for d in drafted) for e in expected)
    right = sum(any(same(e, d) for e in expected) for d in drafted)
    return Score(found, len(expected), right, len(drafted))


def _similar(threshold: int) -> Callable[[str, str], bool]:
    def same(left: str, right: str) -> bool:
        ratio = fuzz.token_set_ratio(left, right, processor=utils.default_process)
        return bool(ratio >= threshold)

    return same


def draft_of(sources: list[Path], folder: Path) -> Brief:
    """Draft from copies of ``sources`` in ``folder`` (beside the draft, as an analyst
    keeps them) with the real command line; the draft must validate."""
    from briefgen.cli.main import main

    copies = [folder / source.name for source in sources]
    for source, copy in zip(sources, copies, strict=True):
        copy.write_bytes(source.read_bytes())
    out = folder / "draft.yaml"
    code = main(["draft", *map(str, copies), "-o", str(out), "--force"])
    if code != 0:
        raise SystemExit(f"briefgen draft failed ({code}) on {sources}")
    return load_brief(out)


def scores(hand: Brief, draft: Brief) -> dict[str, Score]:
    """Participants, timeline dates and commitments of ``draft`` scored against ``hand``."""
    return {
        "participants": score(
            [p.name for p in hand.participants],
            [p.name for p in draft.participants],
            _similar(NAME_MATCH),
        ),
        "timeline": score(
            sorted({str(e.date) for e in hand.context.timeline}),
            sorted({str(e.date) for e in draft.context.timeline}),
            str.__eq__,
        ),
        "commitments": score(
            [c.text for c in hand.commitments],
            [c.text for c in draft.commitments],
            _similar(COMMITMENT_MATCH),
        ),
    }


def quality() -> dict[str, Score]:
    """Scores per kind, summed over every pair; prints each pair's figures."""
    totals: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory() as temporary:
        for name, (sources, hand_file) in PAIRS.items():
            folder = Path(temporary) / name
            folder.mkdir()
            draft = draft_of(sorted(sources.glob("*.txt")), folder)
            for kind, result in scores(load_brief(hand_file), draft).items():
                print(f"{name:<11} {kind:<13} {_figures(result)}")
                sums = totals.setdefault(kind, [0, 0, 0, 0])
                for index, value in enumerate(
                    (result.found, result.expected, result.right, result.drafted)
                ):
                    sums[index] += value
    return {kind: Score(*values) for kind, values in totals.items()}


def _figures(result: Score) -> str:
    return (
        f"recall {result.recall:6.1%} ({result.found}/{result.expected})  "
        f"precision {result.precision:6.1%} ({result.right}/{result.drafted})"
    )


def speed_sources(folder: Path) -> list[Path]:
    """Ten sources of about 5 KB: two each of .txt, .html, .pdf, .docx and .eml."""
    text = "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((ROOT / "bench/draft").glob("*/*.txt"))
    )
    body = (text * (SPEED_BYTES // len(text) + 1))[:SPEED_BYTES].rsplit("\n", 1)[0]
    from tests.sources.make import write_docx, write_eml, write_html, write_pdf

    writers = {
        ".txt": lambda p, t: p.write_text(t, encoding="utf-8"),
        ".html": write_html,
        ".pdf": write_pdf,
        ".docx": write_docx,
        ".eml": write_eml,
    }
    made = []
    for number in range(SPEED_SOURCES):
        suffix = list(writers)[number % len(writers)]
        path = folder / f"source-{number}{suffix}"
        writers[suffix](path, body)
        made.append(path)
    return made


def cold_seconds(sources: list[Path], folder: Path) -> tuple[float, float]:
    """Wall and CPU time of ``briefgen draft`` in a new process with an empty cache.

    The CPU time (user + system of the child) shows what the wall time would be on an
    idle machine; the wall time is what the target is about.
    """
    env = {**os.environ, "BRIEFGEN_CACHE_DIR": str(folder / "cache")}
    command = [sys.executable, "-m", "briefgen", "draft", *map(str, sources)]
    command += ["-o", str(folder / "speed.yaml"), "--force"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, check=True, env=env, capture_output=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    return wall, cpu


def main() -> int:
    """Print the figures; exit 1 when a target is missed."""
    totals = quality()
    missed = []
    for kind, result in totals.items():
        print(f"{'all':<11} {kind:<13} {_figures(result)}")
        recall, precision = TARGETS[kind]
        if result.recall < recall or (precision is not None and result.precision < precision):
            missed.append(kind)
    with tempfile.TemporaryDirectory() as folder:
        sources = speed_sources(Path(folder))
        seconds, cpu = min(cold_seconds(sources, Path(folder) / str(run)) for run in range(3))
    print(
        f"speed: {len(sources)} sources of {SPEED_BYTES // 1024} KB (txt, html, pdf, docx, eml), "
        f"cold process and cache, best of 3: {seconds:.2f} s wall, {cpu:.2f} s CPU "
        f"(target < {SPEED_LIMIT:.0f} s)"
    )
    if seconds >= SPEED_LIMIT:
        missed.append("speed")
    if missed:
        print(f"missed targets: {', '.join(missed)}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
