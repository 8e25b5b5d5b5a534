"""Source files in the formats analysts receive, read as plain text plus what they say
about themselves (title, publisher, authors, publication date).

``read_source(path)`` is the one entry point: ``briefgen check`` verifies quotes against
its ``text`` and ``briefgen draft`` draws a brief from it. Each format has one small
reader in :mod:`briefgen.sources.formats`; every reader caps what it reads, because a
source is a file someone sent, not a file anyone checked.
"""

from __future__ import annotations

from briefgen.sources.document import SourceDocument, SourceError
from briefgen.sources.reading import SUFFIXES, read_source, source_text

__all__ = ["SUFFIXES", "SourceDocument", "SourceError", "read_source", "source_text"]
