"""Provenance checks for ``briefgen check``: every quote verified, every claim cited.

Quotes are compared with the source's local text (``sources[].path``, relative
to the YAML file) after normalising what typesetting changes: curly quotes,
dashes, whitespace and, on request, case. A quote that is not found is
reported with the nearest passage so the user can fix a slip quickly.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import Problem, Severity
from briefgen.loading.positions import DataPath, format_path
from briefgen.loading.yaml_source import LoadedYaml
from briefgen.models.brief import Brief, Source, SourceRef
from briefgen.models.references import CITING_SECTIONS

MAX_SOURCE_BYTES = 5 * 1024 * 1024
_TRANSLATION = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": "",
    }
)
_MUST_CITE = ("summary", "commitments", "risks")


@dataclass(frozen=True, slots=True)
class ProvenanceOptions:
    """How strictly quotes are compared."""

    ignore_case: bool = False


def normalise(text: str, *, ignore_case: bool = False) -> str:
    """Fold typographic variants so a quote matches however the source was typeset."""
    folded = unicodedata.normalize("NFKC", text).translate(_TRANSLATION)
    folded = re.sub(r"\s+", " ", folded).strip()
    return folded.casefold() if ignore_case else folded


def check_provenance(
    brief: Brief, loaded: LoadedYaml, base: Path, options: ProvenanceOptions | None = None
) -> list[Problem]:
    """Every provenance problem of ``brief``, located in the YAML it came from."""
    options = options or ProvenanceOptions()
    texts, problems = _source_texts(brief, loaded, base)
    problems += list(_quote_problems(brief, loaded, texts, options))
    problems += list(_uncited_claims(brief, loaded))
    problems += list(_unused_sources(brief, loaded))
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def _problem(
    loaded: LoadedYaml, path: DataPath, message: str, severity: Severity = "error"
) -> Problem:
    line, column = loaded.positions.of_value(path)
    return Problem(loaded.display_name, line, column, format_path(path), message, severity)


def _source_texts(
    brief: Brief, loaded: LoadedYaml, base: Path
) -> tuple[dict[str, str], list[Problem]]:
    """Read each source's local text once; unreadable files are problems, not crashes."""
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for index, source in enumerate(brief.sources):
        if source.path is None:
            continue
        try:
            texts[source.id] = _read_source(base / source.path)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            message = f"cannot read the source text {source.path}: {_reason(error)}"
            problems.append(_problem(loaded, ("sources", index, "path"), message))
    return texts, problems


def _read_source(path: Path) -> str:
    """The source's plain text, whatever its format (.txt, .html, .pdf, .docx, .eml).

    ``briefgen.sources`` caps what it reads and raises ``SourceError`` (a ValueError)
    with a plain reason for an unusable file; extraction is cached by content hash.
    """
    from briefgen.sources import source_text

    return source_text(path)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(error)


def _refs(brief: Brief) -> Iterator[tuple[DataPath, SourceRef]]:
    """Every ref in the brief with the data path it is written at."""
    for section_path in CITING_SECTIONS:
        node: Any = brief
        for name in section_path:
            node = getattr(node, name)
        for index, item in enumerate(node):
            for ref_index, ref in enumerate(item.sources):
                yield (*section_path, index, "sources", ref_index), ref


def _quoted_refs(brief: Brief) -> Iterator[tuple[DataPath, str, str]]:
    """(path of the quote, source id, quote) for every ref that carries a quote."""
    for path, ref in _refs(brief):
        if ref.quote is not None:
            yield (*path, "quote"), ref.id, ref.quote


def _quote_problems(
    brief: Brief, loaded: LoadedYaml, texts: dict[str, str], options: ProvenanceOptions
) -> Iterator[Problem]:
    sources = {source.id: source for source in brief.sources}
    for path, source_id, quote in _quoted_refs(brief):
        source = sources.get(source_id)
        if source is None:
            continue  # an unknown source is a validation error, reported there
        if source.path is None:
            message = f"cannot verify the quote: source {source_id!r} has no path to its text"
            yield _problem(loaded, path, message, "warning")
        elif source_id in texts and not quote_found(quote, texts[source_id], options):
            yield _problem(loaded, path, _not_found(quote, source, texts[source_id], options))


def quote_found(quote: str, text: str, options: ProvenanceOptions) -> bool:
    """True when the normalised quote occurs in the normalised source text."""
    case = options.ignore_case
    return normalise(quote, ignore_case=case) in normalise(text, ignore_case=case)


def _not_found(quote: str, source: Source, text: str, options: ProvenanceOptions) -> str:
    nearest = nearest_passage(quote, text, ignore_case=options.ignore_case)
    hint = f"; nearest passage: \u201c{nearest}\u201d" if nearest else ""
    return f"quote not found in {source.path}{hint}"


def nearest_passage(quote: str, text: str, *, ignore_case: bool = False) -> str:
    """The run of words in ``text`` most like ``quote`` (same word count), or empty."""
    words = normalise(text).split(" ")
    size = max(1, len(normalise(quote).split(" ")))
    target = normalise(quote, ignore_case=ignore_case)
    best, best_ratio = "", 0.0
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(target)
    for start in range(max(1, len(words) - size + 1)):
        candidate = " ".join(words[start : start + size])
        matcher.set_seq1(candidate.casefold() if ignore_case else candidate)
        if matcher.quick_ratio() <= best_ratio:
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best if best_ratio >= 0.5 else ""


def _uncited_claims(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    for section in _MUST_CITE:
        for index, item in enumerate(getattr(brief, section)):
            if not item.sources:
                noun = {"summary": "key point", "commitments": "commitment", "risks": "risk"}
                message = f"this {noun[section]} cites no source; add `sources: [id]`"
                yield _problem(loaded, (section, index), message)


def _unused_sources(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    cited = {ref.id for _, ref in _refs(brief)}
    for index, source in enumerate(brief.sources):
        if source.id not in cited:
            message = f"source {source.id!r} is never cited"
            yield _problem(loaded, ("sources", index, "id"), message, "warning")
