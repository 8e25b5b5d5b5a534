"""Outputs from one command never collide, and concurrent builds never mix their files.

Two inputs that would write the same output name are refused before anything is built,
naming both.  Builds of the same outputs (two terminals, a watch and a build) take turns
on a lock per output stem, so the PDF and DOCX on disk always come from one brief.
"""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from briefgen.build import output
from briefgen.build.output import write_all_atomically
from briefgen.cli.main import main
from tests.conftest import SAMPLE


def _two_briefs(tmp_path: Path, name: str = "brief.yaml") -> tuple[Path, Path]:
    first, second = tmp_path / "a" / name, tmp_path / "b" / name
    for path in (first, second):
        path.parent.mkdir(parents=True)
        shutil.copy(SAMPLE, path)
    return first, second


@pytest.mark.parametrize(
    "extra",
    [[], ["-j", "2"], ["-f", "pdf"], ["--audience", "press"], ["--watch"]],
    ids=["plain", "parallel", "one format", "audience", "watch"],
)
def test_two_inputs_with_one_output_name_are_refused_naming_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    first, second = _two_briefs(tmp_path)
    out = tmp_path / "out"
    started = time.perf_counter()
    assert main(["build", str(first), str(second), "-o", str(out), *extra]) == 1
    assert time.perf_counter() - started < 2
    err = capsys.readouterr().err
    assert str(first) in err and str(second) in err and "would both write" in err
    assert not out.exists()


def test_the_same_output_folder_named_two_ways_is_one_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    first, second = _two_briefs(tmp_path)
    (tmp_path / "out").mkdir()
    assert main(["build", str(first), "-o", "out", str(second)]) == 1
    assert "would both write" in capsys.readouterr().err


def test_the_same_brief_named_twice_is_no_collision(tmp_path: Path) -> None:
    """Only different inputs writing one output collide; a brief given twice builds."""
    first = tmp_path / "brief.yaml"
    shutil.copy(SAMPLE, first)
    assert main(["build", str(first), str(first), "-o", str(tmp_path / "out"), "-f", "pdf"]) == 0
    assert (tmp_path / "out" / "brief.pdf").exists()


def test_concurrent_writers_of_the_same_outputs_never_mix_them(tmp_path: Path) -> None:
    """Two writers replace brief.pdf and brief.docx 30 times each; a reader that takes the
    same lock always finds both files from the same writer."""
    pdf, docx = tmp_path / "brief.pdf", tmp_path / "brief.docx"
    mixed: list[tuple[bytes, bytes]] = []
    stop = threading.Event()

    def writer(mark: bytes) -> None:
        for round_number in range(30):
            content = mark * 2000 + str(round_number).encode()
            write_all_atomically([(pdf, b"pdf" + content), (docx, b"docx" + content)])

    def reader() -> None:
        while not stop.is_set():
            with output._exclusive(tmp_path / ".brief.lock"):
                if pdf.exists() and docx.exists():
                    one, other = pdf.read_bytes()[3:], docx.read_bytes()[4:]
                    if one != other:
                        mixed.append((one[:10], other[:10]))

    threads = [threading.Thread(target=writer, args=(mark,)) for mark in (b"A", b"B")]
    watcher = threading.Thread(target=reader)
    watcher.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    stop.set()
    watcher.join(timeout=60)
    assert not mixed
    assert sorted(path.name for path in tmp_path.iterdir()) == ["brief.docx", "brief.pdf"]


def test_a_held_lock_makes_a_second_build_wait(tmp_path: Path) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"old")
    done = threading.Event()

    def build() -> None:
        write_all_atomically([(target, b"new")])
        done.set()

    with output._exclusive(tmp_path / ".brief.lock"):
        thread = threading.Thread(target=build)
        thread.start()
        assert not done.wait(0.5)
        assert target.read_bytes() == b"old"
    thread.join(timeout=10)
    assert done.is_set() and target.read_bytes() == b"new"
    assert not (tmp_path / ".brief.lock").exists()
