"""Reading a source file: capped, dispatched by suffix, cleaned, cached by content hash."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Callable
from functools import cache
from pathlib import Path

from briefgen.sources.document import SourceDocument, SourceError
from briefgen.sources.formats import READERS, Reader, read_txt
from briefgen.sources.metadata import with_text_metadata
from briefgen.support.reading import read_regular_file

EXTRACTOR_VERSION = "1"
"""Bump when a reader's output changes, so cached extractions are made again."""
MAX_TEXT_BYTES = 5 * 1024 * 1024
MAX_BINARY_BYTES = 25 * 1024 * 1024
"""PDF, DOCX and email files carry pictures and attachments beside their text."""
MAX_TEXT_CHARS = 5 * 1024 * 1024
SUFFIXES = tuple(sorted(READERS))
_BINARY = {".pdf", ".docx", ".eml"}
_LIBRARIES = {
    ".html": ("trafilatura", "lxml", "justext", "htmldate"),
    ".htm": ("trafilatura", "lxml", "justext", "htmldate"),
    ".eml": ("trafilatura", "lxml", "justext", "htmldate"),
    ".pdf": ("pypdfium2",),
    ".docx": ("python-docx", "lxml"),
}
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def source_text(path: Path) -> str:
    """The plain text of the source at ``path`` (what ``briefgen check`` searches)."""
    return read_source(path).text


def read_source(path: Path) -> SourceDocument:
    """The text and stated metadata of the source at ``path``.

    Raises :class:`SourceError` with a plain reason (the caller names the file) for a
    file that is missing, too big, encrypted, image-only, damaged or empty.
    """
    suffix = path.suffix.lower()
    data = _read_capped(path, MAX_BINARY_BYTES if suffix in _BINARY else MAX_TEXT_BYTES)
    if not data.strip():
        raise SourceError("the file is empty")
    reader = READERS.get(suffix, read_txt)
    if reader is read_txt:
        document = _finish(read_txt(data))
    else:
        key = (EXTRACTOR_VERSION, suffix, *_versions(suffix), hashlib.sha256(data).hexdigest())
        document = _cached(key, lambda: _finish(_extract(reader, data, suffix)))
    if not document.text.strip():
        raise SourceError("no text in the file")
    return document


def _extract(reader: Reader, data: bytes, suffix: str) -> SourceDocument:
    """Run a third-party parser on hostile bytes: whatever it raises becomes a SourceError.

    trafilatura, lxml, pypdfium2 and python-docx each raise their own exception types
    (and RecursionError on absurd nesting) for damaged input; the user needs the file
    name and a reason, never a traceback.
    """
    try:
        return reader(data)
    except SourceError:
        raise
    except Exception as error:
        raise SourceError(
            f"not a readable {suffix[1:].upper()} file ({type(error).__name__})"
        ) from None


def _read_capped(path: Path, limit: int) -> bytes:
    """The file's bytes through the one reader of user-named files (regular files only,
    never a FIFO or device, at most ``limit`` bytes)."""
    try:
        return read_regular_file(path, limit)
    except FileNotFoundError:
        raise SourceError("no such file") from None
    except OSError as error:
        raise SourceError(error.strerror or str(error)) from None


def _finish(document: SourceDocument) -> SourceDocument:
    """Clean the text (line ends, control characters), cap it, add text-stated metadata."""
    text = document.text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub(" ", text)
    if len(text) > MAX_TEXT_CHARS:
        raise SourceError(f"more than {MAX_TEXT_CHARS // (1024 * 1024)} M characters of text")
    return with_text_metadata(dataclasses.replace(document, text=text))


def _cached(key: tuple[str, ...], make: Callable[[], SourceDocument]) -> SourceDocument:
    """The extraction for ``key`` from the on-disk cache, or made now and stored.

    A :class:`SourceError` is never cached: the next run says so again.
    """
    from briefgen.support.cache import cached_bytes

    return SourceDocument.from_bytes(cached_bytes("sources", key, lambda: make().to_bytes()))


@cache
def _versions(suffix: str) -> tuple[str, ...]:
    """The versions of the libraries that read ``suffix``: part of every cache key."""
    from importlib import metadata  # ~40 ms: only when a cached format is read

    found = []
    for name in _LIBRARIES.get(suffix, ()):
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=?")
    return tuple(found)
