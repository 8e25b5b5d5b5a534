"""Read a regular file with a byte cap: the one way briefgen reads what a user names.

Briefs, themes, templates, sources, logos, fonts and ``--changes-since`` files
all come through here.  A path may name something that is not a file at all:
``/dev/zero`` never ends, ``/dev/tty`` or a FIFO blocks until someone writes,
and a file may grow while it is read.  So the file is opened without blocking
(``O_NONBLOCK``: opening a FIFO with no writer returns at once), checked with
``fstat`` on the open descriptor (no race between a check and the open) to be a
regular file, and read only up to its cap plus one byte, to notice more.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path


class NotReadableError(OSError):
    """A path that cannot be read as a regular file within its cap; ``strerror`` says why
    in plain words, so callers report it as they report any other OSError."""


def read_regular_file(path: Path | str, limit: int) -> bytes:
    """The bytes of the regular file at ``path``, refusing anything else or anything larger.

    Raises :class:`NotReadableError` (an OSError) for a folder, device, FIFO or socket,
    and for a file larger than ``limit`` bytes (checked by its size first, and by the
    read itself, since a file can grow); other OSErrors (missing, no permission) pass
    through unchanged.
    """
    descriptor, status = _open_regular(path)
    try:
        if status.st_size > limit:
            raise NotReadableError(errno.EFBIG, _too_large(status.st_size, limit))
        data = _read_up_to(descriptor, limit + 1)
    finally:
        os.close(descriptor)
    if len(data) > limit:
        raise NotReadableError(errno.EFBIG, _too_large(None, limit))
    return data


def read_regular_head(path: Path | str, count: int) -> bytes:
    """The first ``count`` bytes of a regular file (a magic number), with the same checks."""
    descriptor, _status = _open_regular(path)
    try:
        return _read_up_to(descriptor, count)
    finally:
        os.close(descriptor)


def is_regular_file(path: Path | str) -> bool:
    """True when ``path`` (symbolic links followed) is a regular file; never blocks."""
    try:
        return stat.S_ISREG(Path(path).stat().st_mode)
    except (OSError, ValueError):
        return False


def _open_regular(path: Path | str) -> tuple[int, os.stat_result]:
    """Open ``path`` for reading without blocking (a FIFO would wait for a writer) and
    return the descriptor and its status, or raise :class:`NotReadableError` (closing
    the descriptor) when it is not a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise NotReadableError(errno.EINVAL, f"it is {_kind(status.st_mode)}, not a file")
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor, status


def _read_up_to(descriptor: int, count: int) -> bytes:
    chunks: list[bytes] = []
    remaining = count
    while remaining > 0:
        chunk = os.read(descriptor, min(remaining, 1024 * 1024))
        if not chunk:
            break
        chunks.append(chunk)
        remaining -= len(chunk)
    return b"".join(chunks)


def _kind(mode: int) -> str:
    """What a non-regular file is, in words a user recognises."""
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a special file"


def _too_large(size: int | None, limit: int) -> str:
    shown = f"{limit / (1024 * 1024):g} MiB" if limit >= 1024 * 1024 else f"{limit // 1024} KiB"
    if size is None:
        return f"it is larger than {shown} (the limit)"
    return f"it is {size:,} bytes, larger than {shown} (the limit)"
