"""Writing output files safely: all or nothing, never over the input, never half-written.

A build renders every format in memory first.  Then every file is written to a
temporary file in its folder and flushed to disk; only when all of them are
safely written are they renamed over the old outputs.  A failure at any point
(a full disk, a folder that is not writable) removes the temporary files and
leaves the last good outputs untouched.
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from briefgen.errors import BriefgenError

_PLAIN_REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EACCES: "permission denied",
    errno.EPERM: "permission denied",
    errno.EROFS: "the file system is read-only",
    errno.ENOENT: "the folder does not exist",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EISDIR: "a folder is in the way",
    errno.EEXIST: "a file is in the way of the output folder",
    errno.ENAMETOOLONG: "the file name is too long",
}


class OutputError(BriefgenError):
    """An output file could not be written; nothing was replaced."""


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary file and an atomic rename."""
    write_all_atomically([(target, data)])


def write_all_atomically(files: Sequence[tuple[Path, bytes]]) -> None:
    """Write several files so that either all are replaced or none is.

    Every file goes to a flushed temporary file first; the renames, which are
    atomic and do not need space, happen only after all writes succeeded.  What
    could still make a rename fail (a folder where a file should go) is checked
    before anything is written, so a build never replaces only some outputs.
    """
    targets = [target for target, _ in files]
    for target in targets:
        if target.is_dir() and not target.is_symlink():
            raise OutputError(_message(OSError(errno.EISDIR, "Is a directory"), [target], 0))
    staged: list[tuple[Path, Path]] = []
    renamed = 0
    try:
        with _output_locks(targets):
            for target, data in files:
                staged.append((_staged_copy(target, data), target))
            for temporary, target in staged:
                temporary.replace(target)
                renamed += 1
    except OSError as error:
        raise OutputError(_message(error, targets, renamed)) from None
    finally:
        for temporary, _ in staged[renamed:]:
            with contextlib.suppress(OSError):
                temporary.unlink()
    for folder in {target.parent for target in targets}:
        _sync_folder(folder)


@contextlib.contextmanager
def _output_locks(targets: Sequence[Path]) -> Iterator[None]:
    """Hold ``.<stem>.lock`` in the output folder for every output stem while staging and
    renaming, so two builds writing the same outputs at once (two terminals, a watch
    and a build) take turns, and the PDF and DOCX always come from the same brief.
    Locks are taken in name order, so two builds never wait for each other in a circle."""
    locks = sorted({target.parent / f".{target.stem}.lock" for target in targets})
    with contextlib.ExitStack() as stack:
        for lock in locks:
            stack.enter_context(_exclusive(lock))
        yield


@contextlib.contextmanager
def _exclusive(lock: Path) -> Iterator[None]:
    """An exclusive ``flock`` on ``lock``, removed again on release so no lock file is
    left beside the outputs.  A waiter that wakes on a lock file already removed (its
    holder finished) sees that the name no longer leads to its file and locks anew."""
    try:
        import fcntl
    except ImportError:  # no flock (Windows): builds of the same outputs are not serialised
        yield
        return
    lock.parent.mkdir(parents=True, exist_ok=True)
    while True:
        descriptor = os.open(lock, os.O_CREAT | os.O_RDWR, 0o600)
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        try:
            if os.fstat(descriptor).st_ino == lock.stat().st_ino:
                break
        except FileNotFoundError:
            pass
        os.close(descriptor)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            lock.unlink()
        os.close(descriptor)


def _sync_folder(folder: Path) -> None:
    """Flush the renames themselves to disk, so a power cut after a build cannot bring
    back the old outputs; best effort (not every system can open a folder)."""
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _staged_copy(target: Path, data: bytes) -> Path:
    """Write ``data`` beside ``target`` under a temporary name and flush it to disk."""
    folder = target.parent
    folder.mkdir(parents=True, exist_ok=True)
    handle, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        temporary.chmod(0o644)
    except OSError:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
    return temporary


def _message(error: OSError, targets: list[Path], renamed: int) -> str:
    """Which file could not be written and why, in plain words, and what was replaced."""
    reason = _PLAIN_REASONS.get(error.errno or 0, error.strerror or str(error))
    where = ", ".join(str(target) for target in targets)
    if renamed:
        done = ", ".join(str(target) for target in targets[:renamed])
        replaced = f"only {done} {'was' if renamed == 1 else 'were'} replaced"
    elif len(targets) > 1:
        replaced = "the previous outputs are unchanged"
    else:
        replaced = "nothing was replaced"
    return f"cannot write {where}: {reason}; {replaced}"


def check_not_input(target: Path, inputs: list[Path]) -> None:
    """Refuse to write an output over one of the input files."""
    for source in inputs:
        if source.exists() and target.exists() and target.samefile(source):
            raise OutputError(f"refusing to overwrite the input file {source} with {target.name}")
