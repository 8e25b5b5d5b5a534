"""The command's worker pool: same bytes as rendering in sequence, failures fall back,
and no worker outlives the command that started it."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import docx
import pytest

from briefgen.build import parallel
from briefgen.build import pipeline as build
from briefgen.build.pipeline import BuildRequest, render_brief
from briefgen.document.nodes import Document
from briefgen.writers.theme import Theme
from tests.conftest import REPO, SAMPLE, theme_copy


def _render(request: BuildRequest) -> dict[str, bytes]:
    return {item.fmt: item.data for item in render_brief(request)}


def _children() -> set[int]:
    """This process's child processes, as the kernel lists them."""
    found: set[int] = set()
    for task in Path(f"/proc/{os.getpid()}/task").iterdir():
        found.update(int(pid) for pid in (task / "children").read_text().split())
    return found


def _worker_pids(pool: parallel.WorkerPool) -> set[int]:
    executor = pool._executor
    assert executor is not None, "the pool started no worker"
    return {process.pid for process in executor._processes.values() if process.pid is not None}


def test_rendering_in_a_worker_gives_the_bytes_rendering_in_sequence_gives(
    tmp_path: Path,
) -> None:
    sequential = _render(BuildRequest(SAMPLE, tmp_path))
    with parallel.session() as pool:
        beside = _render(BuildRequest(SAMPLE, tmp_path))
        assert _worker_pids(pool), "the DOCX was not rendered in a worker"
    assert beside == sequential


def test_outside_a_session_nothing_is_forked(tmp_path: Path) -> None:
    before = _children()
    _render(BuildRequest(SAMPLE, tmp_path))
    assert parallel.current() is None
    assert _children() == before


def test_the_session_reaps_its_workers(tmp_path: Path) -> None:
    before = _children()
    with parallel.session() as pool:
        _render(BuildRequest(SAMPLE, tmp_path))
        workers = _worker_pids(pool)
        assert workers <= _children()
    assert _children() == before
    assert parallel.current() is None


def test_the_cli_leaves_no_process_behind(tmp_path: Path) -> None:
    """A whole ``briefgen build`` in its own process group: once it has exited, no
    process of that group is left (a worker would be)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", str(SAMPLE), "-o", str(tmp_path)],
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.PIPE,
    )
    output, _ = process.communicate(timeout=120)
    assert process.returncode == 0, output
    assert b".docx" in output and b".pdf" in output
    time.sleep(0.2)
    left = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == process.pid:  # the process group
            left.append(stat.parent.name)
    assert left == []


def test_a_killed_worker_is_replaced_and_the_build_still_succeeds(tmp_path: Path) -> None:
    expected = _render(BuildRequest(SAMPLE, tmp_path))
    with parallel.session() as pool:
        assert _render(BuildRequest(SAMPLE, tmp_path)) == expected
        (worker,) = _worker_pids(pool)
        os.kill(worker, signal.SIGKILL)
        assert _render(BuildRequest(SAMPLE, tmp_path)) == expected
        assert _render(BuildRequest(SAMPLE, tmp_path)) == expected
        assert worker not in _worker_pids(pool)


def test_a_failing_worker_leaves_the_error_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker (forked after the patch) fails; rendering here fails the same way,
    so the user sees the writer's own message."""
    real = build.render_format

    def docx_fails(fmt: str, document: Document, theme: Theme) -> bytes:
        if fmt == "docx":
            raise RuntimeError(f"docx failed in {os.getpid()}")
        return real(fmt, document, theme)

    monkeypatch.setattr(build, "render_format", docx_fails)
    with parallel.session(), pytest.raises(RuntimeError, match=f"failed in {os.getpid()}$"):
        render_brief(BuildRequest(SAMPLE, tmp_path))


def _current_is_none() -> bool:
    return parallel.current() is None


def test_a_worker_does_not_use_the_pool_it_was_forked_from() -> None:
    with parallel.session() as pool:
        future = pool.submit(_current_is_none)
        assert future is not None
        assert future.result() is True
        assert parallel.current() is pool


def test_no_worker_is_forked_while_other_threads_run(tmp_path: Path) -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with parallel.session() as pool:
            assert pool.submit(_current_is_none) is None
            assert _render(BuildRequest(SAMPLE, tmp_path))["docx"]
            assert pool._executor is None
    finally:
        release.set()
        thread.join()


def test_workers_follow_a_theme_reload(tmp_path: Path) -> None:
    theme_file = theme_copy(tmp_path / "theme.toml")
    request = BuildRequest(SAMPLE, tmp_path, theme=theme_file)
    with parallel.session():
        before = _render(request)["docx"]
        theme_file.write_text(
            theme_file.read_text(encoding="utf-8").replace('size = "A4"', 'size = "Letter"'),
            encoding="utf-8",
        )
        build.reload_themes()
        after = _render(request)["docx"]
    widths = [docx.Document(io.BytesIO(data)).sections[0].page_width for data in (before, after)]
    assert [round(width.mm) for width in widths if width is not None] == [210, 216]
