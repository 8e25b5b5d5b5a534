"""What a source file yields: its text and the metadata it states about itself."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field


class SourceError(ValueError):
    """A source that cannot be used (unreadable, encrypted, image-only, empty, too big).

    A ``ValueError`` so that callers that already treat a bad source text as a
    ``ValueError`` (``provenance.py``) report it with its message unchanged.
    """


@dataclass(frozen=True, slots=True)
class SourceDocument:
    """The plain text of one source and the metadata the file itself states.

    ``None`` and empty lists mean "the file does not say", never a guess.
    """

    text: str
    title: str | None = None
    publisher: str | None = None
    authors: tuple[str, ...] = field(default_factory=tuple)
    published: dt.date | None = None
    url: str | None = None

    def to_bytes(self) -> bytes:
        """Serialise for the on-disk extraction cache."""
        data = {
            "text": self.text,
            "title": self.title,
            "publisher": self.publisher,
            "authors": list(self.authors),
            "published": self.published.isoformat() if self.published else None,
            "url": self.url,
        }
        return json.dumps(data, ensure_ascii=False, sort_keys=True).encode("utf-8")

    @classmethod
    def from_bytes(cls, blob: bytes) -> SourceDocument:
        """The inverse of :meth:`to_bytes` (cache entries are checked by hash first)."""
        data = json.loads(blob.decode("utf-8"))
        published = data.get("published")
        return cls(
            text=str(data["text"]),
            title=data.get("title"),
            publisher=data.get("publisher"),
            authors=tuple(str(author) for author in data.get("authors", [])),
            published=dt.date.fromisoformat(published) if published else None,
            url=data.get("url"),
        )
