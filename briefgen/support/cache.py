"""A small on-disk cache for results that are slow to make and fully determined by
their inputs (font subsets, ReportLab's parse of each font, compiled templates), so a
user rebuilding a brief while editing it does not pay for them again in every new
process.

Entries live in the user's cache folder (``platformdirs``: ``~/.cache/briefgen`` on
Linux), or in ``BRIEFGEN_CACHE_DIR``; ``BRIEFGEN_NO_CACHE=1`` turns the cache off.
Keys are hashes of everything that determines the result, including the versions
of the libraries that make it, so an upgrade never reuses an old entry. Each entry
carries the hash of its own bytes: a damaged or truncated file is ignored and made
again, never used. Entries are written to a temporary file and renamed, so two
processes writing the same entry at once both leave a whole file.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

__all__ = ["cache_folder", "cached_bytes", "read_entry", "write_entry"]

_DIGEST = 32


def cache_folder() -> Path | None:
    """Where entries go, or None when the cache is turned off."""
    if os.environ.get("BRIEFGEN_NO_CACHE", "").strip() not in ("", "0"):
        return None
    chosen = os.environ.get("BRIEFGEN_CACHE_DIR", "").strip()
    if chosen:
        return Path(chosen)
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefgen", appauthor=False))


def cached_bytes(kind: str, key_parts: Iterable[bytes | str], make: Callable[[], bytes]) -> bytes:
    """The cached result for ``key_parts``, or ``make()``'s result, stored for next time.

    A cache that cannot be read or written (a read-only home, a full disk) only
    costs time: the result is made and returned all the same.
    """
    folder = cache_folder()
    if folder is None:
        return make()
    path = _entry_path(folder, kind, key_parts)
    found = _read(path)
    if found is not None:
        return found
    data = make()
    _write(path, data)
    return data


def read_entry(kind: str, key_parts: Iterable[bytes | str]) -> bytes | None:
    """The stored bytes for ``key_parts``, or None (no entry, a damaged one, cache off).

    For callers whose library asks to load and to store separately (Jinja's
    bytecode cache); others use :func:`cached_bytes`.
    """
    folder = cache_folder()
    return None if folder is None else _read(_entry_path(folder, kind, key_parts))


def write_entry(kind: str, key_parts: Iterable[bytes | str], data: bytes) -> None:
    """Store ``data`` for ``key_parts`` (nothing when the cache is off or unwritable)."""
    folder = cache_folder()
    if folder is not None:
        _write(_entry_path(folder, kind, key_parts), data)


def _entry_path(folder: Path, kind: str, key_parts: Iterable[bytes | str]) -> Path:
    key = hashlib.sha256()
    for part in key_parts:
        key.update(part.encode("utf-8") if isinstance(part, str) else part)
        key.update(b"\0")
    return folder / kind / f"{key.hexdigest()}.bin"


def _read(path: Path) -> bytes | None:
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, data = blob[:_DIGEST], blob[_DIGEST:]
    return data if len(blob) > _DIGEST and hashlib.sha256(data).digest() == digest else None


def _write(path: Path, data: bytes) -> None:
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(dir=path.parent, prefix=".entry-")
        temporary = Path(name)
        try:
            with os.fdopen(handle, "wb") as stream:
                stream.write(hashlib.sha256(data).digest() + data)
            temporary.replace(path)
        finally:
            temporary.unlink(missing_ok=True)
