"""A helper process that renders some formats while this process renders the first.

The PDF and DOCX writers are pure Python, so on one core they run one after
the other; on two cores they can overlap.  A helper is forked (not spawned)
so it starts with everything this process has already imported and cached,
and it stays alive between builds, so watch mode pays for the fork once and
the helper's own caches (python-docx styles, fonts) stay warm too.

Forking is only safe in a single-threaded process, and only done on Linux:
elsewhere, or once other threads exist (the file watcher's, a test's), the
helper is simply not started and builds render their formats in sequence.
A helper that fails in any way is discarded; the caller then renders the
formats itself, so errors surface with their usual messages.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from multiprocessing.connection import Connection, Pipe
from pathlib import Path

from briefgen.document.nodes import Document

Rendered = list[tuple[str, bytes, float]]
"""(format, bytes, seconds) for each format a helper rendered."""
Render = Callable[[str, Document, Path | None], bytes]
"""Renders one format of a document with the theme file at a path (None: default)."""


class FormatWorker:
    """The parent's handle on one forked helper process."""

    def __init__(self, pid: int, connection: Connection) -> None:
        self.pid = pid
        self._connection = connection

    def submit(
        self, formats: tuple[str, ...], document: Document, theme: Path | None, generation: int
    ) -> Callable[[], Rendered | None]:
        """Send a job; the returned function waits for its result (None if the helper failed)."""
        try:
            self._connection.send((formats, document, theme, generation))
        except (OSError, ValueError):
            _discard(self)
            return lambda: None
        return self._result

    def _result(self) -> Rendered | None:
        try:
            status, value = self._connection.recv()
        except (OSError, EOFError, ValueError):
            _discard(self)
            return None
        if status != "ok":
            return None
        rendered: Rendered = value
        return rendered

    def close(self) -> None:
        """Stop the helper and reap it."""
        with contextlib.suppress(OSError):
            self._connection.close()
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(self.pid, 0)


_WORKER: FormatWorker | None = None
_LOCK = threading.Lock()


def shared_worker(render: Render) -> FormatWorker | None:
    """This process's helper, forked on first use; None when forking is not safe here."""
    global _WORKER
    with _LOCK:
        if _WORKER is None and can_fork():
            _WORKER = _fork(render)
        return _WORKER


def shutdown() -> None:
    """Stop this process's helper, if any (tests use this to start from scratch)."""
    global _WORKER
    with _LOCK:
        worker, _WORKER = _WORKER, None
    if worker is not None:
        worker.close()


def can_fork() -> bool:
    """True on Linux when this process has exactly one thread."""
    if not sys.platform.startswith("linux") or threading.active_count() != 1:
        return False
    try:
        status = Path("/proc/self/status").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    threads = [line.split()[1] for line in status.splitlines() if line.startswith("Threads:")]
    return threads == ["1"]


def _discard(worker: FormatWorker) -> None:
    global _WORKER
    with _LOCK:
        if _WORKER is worker:
            _WORKER = None
    worker.close()


def _fork(render: Render) -> FormatWorker | None:
    parent_end, child_end = Pipe()
    try:
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the helper
        parent_end.close()
        _serve(child_end, render)
        os._exit(0)
    child_end.close()
    return FormatWorker(pid, parent_end)


def _serve(connection: Connection, render: Render) -> None:
    """Render jobs until the parent goes away (its end of the pipe closes)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    while True:
        try:
            formats, document, theme, generation = connection.recv()
        except (EOFError, OSError):
            return
        try:
            _reset_theme_if_changed(generation)
            rendered = [(fmt, *_timed(render, fmt, document, theme)) for fmt in formats]
            connection.send(("ok", rendered))
        except Exception as error:  # reported to the parent, which renders the format itself
            with contextlib.suppress(Exception):
                connection.send(("error", repr(error)))


_generation = 0


def _reset_theme_if_changed(generation: int) -> None:
    """Drop cached themes when the parent has (watch mode saw a theme file change)."""
    global _generation
    if generation != _generation:
        from briefgen.build.pipeline import theme

        theme.cache_clear()
        _generation = generation


def _timed(render: Render, fmt: str, document: Document, theme: Path | None) -> tuple[bytes, float]:
    started = time.perf_counter()
    data = render(fmt, document, theme)
    return data, time.perf_counter() - started
