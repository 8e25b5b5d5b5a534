"""Writing output files safely: all or nothing, never over the input, never half-written.

A build renders every format in memory first; only then are files written,
each to a temporary file in the same folder and renamed over the old one, so
a failure at any point leaves the last good outputs untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefgen.errors import BriefgenError


class OutputError(BriefgenError):
    """An output file could not be written; nothing was replaced."""


def write_atomically(target: Path, data: bytes) -> None:
    """Write ``data`` to ``target`` via a temporary file and an atomic rename."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise OutputError(f"cannot write to {folder}: {error.strerror}") from None
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        Path(temporary).chmod(0o644)
        Path(temporary).replace(target)
    except OSError as error:
        with contextlib.suppress(OSError):
            Path(temporary).unlink()
        raise OutputError(f"cannot write {target}: {error.strerror}") from None


def check_not_input(target: Path, inputs: list[Path]) -> None:
    """Refuse to write an output over one of the input files."""
    for source in inputs:
        if source.exists() and target.exists() and target.samefile(source):
            raise OutputError(f"refusing to overwrite the input file {source} with {target.name}")
