"""The command's worker processes: one pool, opened by the command and closed before it returns.

``briefgen build -j N`` with several briefs builds each brief whole in a worker
of this pool; :func:`session` is the one switch, and nothing else in briefgen
starts a process.  The pool is a :class:`~concurrent.futures.ProcessPoolExecutor`
whose workers are forked on Linux (they start with everything this process has
imported) while this process has a single Python thread, and spawned otherwise
(a fork taken while another thread holds a lock can deadlock the child).
:func:`session` always shuts the pool down and waits for its workers, so no
process outlives the command, and a worker that dies only breaks the pool for
the briefs it had: the next job gets a fresh pool.

Rendering one brief's DOCX in a worker while this process renders its PDF was
tried and measured after the cold-start work of issue 21 (bench/README.md): it
did not pay off, so every brief renders its formats in sequence, in one process.
"""

from __future__ import annotations

import multiprocessing
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["WorkerPool", "session"]

T = TypeVar("T")


class WorkerPool:
    """Up to ``workers`` processes, started on first use and stopped by :meth:`close`."""

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, function: Callable[..., T], /, *args: Any) -> Future[T] | None:
        """Run ``function(*args)`` in a worker; None when the pool cannot take it (the
        caller then runs it itself)."""
        with self._lock:
            if self._executor is not None and getattr(self._executor, "_broken", False):
                self._stop(self._executor)  # a worker died: start afresh
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=_start_method(),
                    initializer=_ignore_interrupts,
                )
            try:
                return self._executor.submit(function, *args)
            except RuntimeError:  # broken or shut down meanwhile
                self._stop(self._executor)
                return None

    def close(self) -> None:
        """Stop every worker and wait for it: nothing is left running afterwards."""
        with self._lock:
            if self._executor is not None:
                self._stop(self._executor)

    def _stop(self, executor: ProcessPoolExecutor) -> None:
        executor.shutdown(wait=True, cancel_futures=True)
        if self._executor is executor:
            self._executor = None


def _start_method() -> multiprocessing.context.BaseContext:
    """Fork (workers start warm) on Linux in a single-threaded process; else spawn."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _ignore_interrupts() -> None:
    """Ctrl-C is the command's to handle: it stops the pool, which stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def session(workers: int) -> Iterator[WorkerPool]:
    """Open the command's pool for the block; on leaving it, stop and reap every worker."""
    pool = WorkerPool(workers)
    try:
        yield pool
    finally:
        pool.close()
