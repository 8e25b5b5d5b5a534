"""The command's worker pool (``-j``): the same outputs as one at a time, and no worker
outlives the command that started it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

from briefgen.build import parallel
from briefgen.build.pipeline import BuildRequest, render_brief
from tests.conftest import REPO, SAMPLE


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


def _pid() -> int:
    return os.getpid()


def _render(request: BuildRequest) -> dict[str, bytes]:
    return {item.fmt: item.data for item in render_brief(request)}


def test_a_brief_rendered_in_a_worker_has_the_bytes_it_has_here(tmp_path: Path) -> None:
    here = _render(BuildRequest(SAMPLE, tmp_path))
    with parallel.session(2) as pool:
        future = pool.submit(_render, BuildRequest(SAMPLE, tmp_path))
        assert future is not None
        assert future.result() == here


def test_rendering_starts_no_process(tmp_path: Path) -> None:
    before = _children()
    _render(BuildRequest(SAMPLE, tmp_path))
    assert _children() == before


def test_the_session_reaps_its_workers() -> None:
    before = _children()
    with parallel.session(2) as pool:
        futures = [pool.submit(_pid) for _ in range(4)]
        pids = {future.result() for future in futures if future is not None}
        assert pids and os.getpid() not in pids
        assert _worker_pids(pool) <= _children()
    assert _children() == before


def test_the_cli_leaves_no_process_behind(tmp_path: Path) -> None:
    """A whole ``briefgen build -j 2`` in its own process group: once it has exited, no
    process of that group is left (a worker would be)."""
    briefs = []
    for name in ("one", "two", "three"):
        shutil.copy(SAMPLE, tmp_path / f"{name}.yaml")
        briefs.append(str(tmp_path / f"{name}.yaml"))
    shutil.copytree(SAMPLE.parent / "sources", tmp_path / "sources")
    options = ["-o", str(tmp_path / "out"), "-f", "pdf", "-j", "2"]
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", *briefs, *options],
        cwd=REPO,
        start_new_session=True,
        stdout=subprocess.PIPE,
    )
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    assert output.count(b".pdf") == 3
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


def test_a_killed_worker_breaks_only_its_own_jobs() -> None:
    with parallel.session(1) as pool:
        first = pool.submit(_pid)
        assert first is not None
        worker = first.result()
        os.kill(worker, signal.SIGKILL)
        time.sleep(0.5)  # the pool notices and marks itself broken
        again = pool.submit(_pid)
        if again is not None:  # submitted before the pool knew: it may fail, not hang
            try:
                again.result(timeout=60)
            except Exception:
                again = pool.submit(_pid)
        assert again is not None
        assert again.result(timeout=60) != worker


def test_workers_are_spawned_not_forked_while_other_threads_run() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        with parallel.session(1) as pool:
            future = pool.submit(_pid)
            assert future is not None and future.result(timeout=120) != os.getpid()
            executor = pool._executor
            assert executor is not None and executor._mp_context is not None
            assert executor._mp_context.get_start_method() == "spawn"
    finally:
        release.set()
        thread.join()
