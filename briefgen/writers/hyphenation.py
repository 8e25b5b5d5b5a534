"""Hyphenation: where long words may break, shared by the writers.

Narrow table columns (a commitments table's Due column) cannot hold long words
such as "counternarcotics"; without hyphenation ReportLab breaks them at any
letter and Word at the cell edge, with no hyphen. So both writers hyphenate at
syllables, by the dictionary of the document's (or the run's) language:

- the PDF writer marks every break a word allows with a soft hyphen (U+00AD)
  found by pyphen (the Hunspell patterns LibreOffice uses); ReportLab breaks at
  the best of them and draws a hyphen there, and draws nothing elsewhere.
  ReportLab's own ``hyphenationLang`` was tried: it splits at the longest head
  that fits and then cuts the too-long tail at any letter;
- the DOCX writer turns on Word's automatic hyphenation, which uses the same
  kind of dictionary for each run's ``w:lang``.
"""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import Any

SOFT_HYPHEN = "\u00ad"
LEFT_MIN = 2
"""Letters a line may end a word with before the hyphen ("re-", "in-")."""
RIGHT_MIN = 3
"""Letters carried to the next line: never a lone "-ly" or "-ed" (TeX's rule for English)."""
PROSE_MIN = 10
"""Shortest word (in letters) hyphenated in body text: carrying a shorter word over leaves
only a short gap, so hyphens stay rare in prose, as Word's hyphenation zone keeps them."""
CELL_MIN = 8
"""Shortest word hyphenated in table cells, which need every break they can get."""

_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


@cache
def _dictionary(language: str) -> Any:
    """pyphen's dictionary for a BCP-47 tag (``en-GB``), or None when it has none
    (Korean, Japanese and Chinese need none)."""
    import pyphen

    tag = language.replace("-", "_")
    # pyphen's bare "en" is British; briefgen's default language is American English.
    name = pyphen.language_fallback("en_US" if tag.lower() == "en" else tag)
    if name is None:
        return None
    path = pyphen.LANGUAGES[name]
    if path not in pyphen.hdcache:
        pyphen.hdcache[path] = _patterns(path)
    return pyphen.Pyphen(lang=name, left=LEFT_MIN, right=RIGHT_MIN)


def _patterns(path: Any) -> Any:
    """pyphen's parsed dictionary, kept in briefgen's cache folder as JSON.

    pyphen parses a Hunspell pattern file line by line in Python: about 60 ms for
    English, paid by every new process. The parsed patterns are plain strings and
    numbers, so they are cached as JSON (never pickle) and rebuilt into the
    ``HyphDict`` pyphen would have made. Dictionaries with non-standard
    hyphenation (``ff=f``) are parsed each time, as they carry more than numbers.
    """
    import pyphen

    from briefgen.support.cache import cached_bytes

    version = getattr(pyphen, "VERSION", "") or getattr(pyphen, "__version__", "")
    stat = path.stat()
    key = [str(path), str(stat.st_size), str(stat.st_mtime_ns), str(version), "1"]
    data = cached_bytes("hyphenation", key, lambda: _as_json(pyphen.HyphDict(path)))
    if not data:
        return pyphen.HyphDict(path)
    patterns = json.loads(data)
    parsed = object.__new__(pyphen.HyphDict)
    parsed.patterns = {key: (start, tuple(values)) for key, (start, values) in patterns.items()}
    parsed.cache = {}
    parsed.maxlen = max(len(key) for key in parsed.patterns)
    return parsed


def _as_json(dictionary: Any) -> bytes:
    """The patterns as JSON, or nothing when a value carries more than a number."""
    patterns = dictionary.patterns
    if any(type(value) is not int for _, values in patterns.values() for value in values):
        return b""
    return json.dumps(
        {key: [start, list(values)] for key, (start, values) in patterns.items()},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")


def can_hyphenate(language: str | None) -> bool:
    """True when there is a dictionary for ``language`` (None means English)."""
    return _dictionary(language or "en") is not None


def hyphenated(word: str, language: str | None = None, hyphen: str = "-") -> str:
    """``word`` with ``hyphen`` at each break its language's dictionary allows."""
    dictionary = _dictionary(language or "en")
    return word if dictionary is None else str(dictionary.inserted(word, hyphen=hyphen))


def soft_hyphens(text: str, language: str | None, shortest: int = PROSE_MIN) -> str:
    """``text`` with a soft hyphen at every break of each word of ``shortest`` letters or
    more; text that already has soft hyphens, or has no dictionary, is left as written."""
    if SOFT_HYPHEN in text or _dictionary(language or "en") is None:
        return text
    return _WORD.sub(lambda match: _soft(match[0], language or "en", shortest), text)


@lru_cache(maxsize=20_000)
def _soft(word: str, language: str, shortest: int) -> str:
    if len(word) < shortest:
        return word
    return hyphenated(word, language, SOFT_HYPHEN)
