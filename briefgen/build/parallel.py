"""The command's worker processes: one pool, opened by the command and closed before it returns.

Two things run in parallel, and both go through this one pool:

* ``build -j N`` with several briefs: each brief is built whole in a worker;
* one brief at a time (``-j 1``, ``--watch``, ``email``): the DOCX renders in a
  worker while this process renders the PDF (the writers are pure Python, so
  only a second process uses a second core).

The pool is a :class:`~concurrent.futures.ProcessPoolExecutor`.  On Linux its
workers are forked, so they start with everything this process has imported
and cached, and they live as long as the command: watch mode forks once and the
worker's caches stay warm between rebuilds.  :func:`session` opens the pool and
always shuts it down, waiting for its workers, so no process outlives the
command.  Library calls made outside a session (tests, the benchmark's
in-process builds, another program) render in sequence in their own process.

Forking is done only while this process has a single Python thread (a fork
taken while another thread holds a lock can deadlock the child); otherwise
``-j`` workers are spawned fresh, and formats render in sequence.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Any, TypeVar

__all__ = ["WorkerPool", "current", "session"]

T = TypeVar("T")


class WorkerPool:
    """Up to ``workers`` processes, started on first use and stopped by :meth:`close`."""

    def __init__(self, workers: int, *, spawn_ok: bool = False) -> None:
        self.workers = max(1, workers)
        self.spawn_ok = spawn_ok
        """Whether fresh (spawned) workers are worth having when forking is not safe:
        for whole briefs yes, for one format of a brief no (its imports cost more)."""
        self._owner = os.getpid()
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def owned_here(self) -> bool:
        """False in a forked worker, which inherits this object but must not use it."""
        return os.getpid() == self._owner

    def submit(self, function: Callable[..., T], /, *args: Any) -> Future[T] | None:
        """Run ``function(*args)`` in a worker; None when no worker can be had safely
        (the caller then runs it itself)."""
        with self._lock:
            executor = self._executor_or_none()
            if executor is None:
                return None
            try:
                return executor.submit(function, *args)
            except RuntimeError:  # a worker died and broke the pool: start afresh next time
                self._stop(executor)
                return None

    def restart(self) -> None:
        """Stop the workers; the next job forks new ones from this process as it is now
        (watch mode calls this when a theme file changes, so workers load it again)."""
        with self._lock:
            if self._executor is not None:
                self._stop(self._executor)

    def close(self) -> None:
        """Stop every worker and wait for it: nothing is left running afterwards."""
        self.restart()

    def _executor_or_none(self) -> ProcessPoolExecutor | None:
        if self._executor is not None and getattr(self._executor, "_broken", False):
            self._stop(self._executor)
        if self._executor is None:
            context = _start_method(self.spawn_ok)
            if context is None:
                return None
            self._executor = ProcessPoolExecutor(
                max_workers=self.workers, mp_context=context, initializer=_ignore_interrupts
            )
        return self._executor

    def _stop(self, executor: ProcessPoolExecutor) -> None:
        executor.shutdown(wait=True, cancel_futures=True)
        if self._executor is executor:
            self._executor = None


def _start_method(spawn_ok: bool) -> multiprocessing.context.BaseContext | None:
    """Fork (workers start warm) on Linux in a single-threaded process; else spawn, or
    None when spawned workers are not wanted."""
    if sys.platform.startswith("linux") and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn") if spawn_ok else None


def _ignore_interrupts() -> None:
    """Ctrl-C is the command's to handle: it stops the pool, which stops the workers."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)


_CURRENT: WorkerPool | None = None


def current() -> WorkerPool | None:
    """The pool of the command running in this process, or None (render in sequence)."""
    pool = _CURRENT
    return pool if pool is not None and pool.owned_here() else None


@contextmanager
def session(workers: int = 1, *, spawn_ok: bool = False) -> Iterator[WorkerPool]:
    """Open the command's pool for the block; on leaving it, stop and reap every worker."""
    global _CURRENT
    pool, previous = WorkerPool(workers, spawn_ok=spawn_ok), _CURRENT
    _CURRENT = pool
    try:
        yield pool
    finally:
        _CURRENT = previous
        pool.close()
