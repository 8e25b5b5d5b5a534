"""The format helper process: same bytes as rendering in sequence, and failures fall back."""

from __future__ import annotations

import io
import os
import signal
import threading
from pathlib import Path

import docx

from briefgen.build import parallel as format_worker
from briefgen.build import pipeline as build
from briefgen.build.pipeline import BuildRequest, render_brief
from briefgen.compose.render import ComposeOptions, compose
from briefgen.validation import load_brief
from tests.conftest import SAMPLE, theme_copy


def _render(request: BuildRequest) -> dict[str, bytes]:
    return {item.fmt: item.data for item in render_brief(request)}


def test_parallel_and_sequential_rendering_give_the_same_bytes(tmp_path: Path) -> None:
    parallel = _render(BuildRequest(SAMPLE, tmp_path))
    assert format_worker._WORKER is not None, "the helper was not used"
    sequential = _render(BuildRequest(SAMPLE, tmp_path, parallel=False))
    assert parallel == sequential


def test_a_dead_helper_is_replaced_and_the_build_still_succeeds(tmp_path: Path) -> None:
    first = _render(BuildRequest(SAMPLE, tmp_path))
    worker = format_worker._WORKER
    assert worker is not None
    os.kill(worker.pid, signal.SIGKILL)
    os.waitpid(worker.pid, 0)
    assert _render(BuildRequest(SAMPLE, tmp_path)) == first
    assert format_worker._WORKER is not worker
    assert _render(BuildRequest(SAMPLE, tmp_path)) == first


def test_a_failing_helper_answers_none_so_the_caller_renders_itself() -> None:
    def broken(*_: object) -> bytes:
        raise RuntimeError("boom")

    worker = format_worker.shared_worker(broken)
    assert worker is not None
    document = compose(load_brief(SAMPLE), ComposeOptions())
    assert worker.submit(("docx",), document, None, 0)() is None


def test_no_helper_is_forked_while_other_threads_run() -> None:
    release = threading.Event()
    thread = threading.Thread(target=release.wait)
    thread.start()
    try:
        assert not format_worker.can_fork()
        assert format_worker.shared_worker(build._render_with_theme_file) is None
    finally:
        release.set()
        thread.join()


def test_the_helper_follows_a_theme_reload(tmp_path: Path) -> None:
    theme_file = theme_copy(tmp_path / "theme.toml")
    request = BuildRequest(SAMPLE, tmp_path, theme=theme_file)
    before = _render(request)["docx"]
    theme_file.write_text(
        theme_file.read_text(encoding="utf-8").replace('size = "A4"', 'size = "Letter"'),
        encoding="utf-8",
    )
    build.reload_themes()
    after = _render(request)["docx"]
    widths = [docx.Document(io.BytesIO(data)).sections[0].page_width for data in (before, after)]
    assert [round(width.mm) for width in widths if width is not None] == [210, 216]
