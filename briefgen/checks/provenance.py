"""Provenance checks for ``briefgen check``: every quote verified, every claim cited.

Quotes are compared with the source's local text (``sources[].path``, relative
to the YAML file) after normalising what typesetting changes: curly quotes,
dashes, whitespace and, on request, case. A quote that is not found is
reported with the nearest passage so the user can fix a slip quickly.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from briefgen.checks.consistency import check_consistency, section_items
from briefgen.errors import Problem, Severity
from briefgen.loading.positions import DataPath, format_path
from briefgen.loading.yaml_source import LoadedYaml
from briefgen.models.brief import Brief, Source, SourceRef
from briefgen.validation.references import CITING_SECTIONS

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
_MUST_CITE: dict[tuple[str, ...], str] = {
    ("summary",): "key point",
    ("commitments",): "commitment",
    ("risks",): "risk",
    ("recommendations",): "recommendation",
    ("decision", "recommendations"): "recommendation",
}
"""Claims that must cite a source or say ``assessment: true``, and what to call them."""


@dataclass(frozen=True, slots=True)
class ProvenanceOptions:
    """How strictly quotes are compared."""

    ignore_case: bool = False
    sources_root: Path | None = None
    """A folder (``--sources-root``) whose files sources may name besides the brief's own folder."""


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
    texts, problems = _source_texts(brief, loaded, base, options)
    problems += list(_quote_problems(brief, loaded, texts, options))
    problems += list(_uncited_claims(brief, loaded))
    problems += list(_unused_sources(brief, loaded))
    problems += check_consistency(brief, loaded)
    return sorted(problems, key=lambda problem: (problem.line, problem.column))


def _problem(
    loaded: LoadedYaml, path: DataPath, message: str, severity: Severity = "error"
) -> Problem:
    line, column = loaded.positions.of_value(path)
    return Problem(loaded.display_name, line, column, format_path(path), message, severity)


def _source_texts(
    brief: Brief, loaded: LoadedYaml, base: Path, options: ProvenanceOptions | None = None
) -> tuple[dict[str, str], list[Problem]]:
    """Read each source's local text once; unreadable files are problems, not crashes.

    A brief may come from someone else, so its ``path`` values are confined: the real
    path (symbolic links followed) must lie inside the brief's folder or the
    ``--sources-root`` folder, and be a regular file.  Anything else is reported at
    the ``path:`` line without opening the file, so a brief cannot read, echo or
    confirm a guess about any other file the user can read.
    """
    roots = _source_roots(base, options)
    texts: dict[str, str] = {}
    problems: list[Problem] = []
    for index, source in enumerate(brief.sources):
        if source.path is None:
            continue
        try:
            texts[source.id] = _read_source(base / source.path, roots)
        except (OSError, UnicodeDecodeError, ValueError) as error:
            message = f"cannot read the source text {source.path}: {_reason(error)}"
            problems.append(_problem(loaded, ("sources", index, "path"), message))
    return texts, problems


def _source_roots(base: Path, options: ProvenanceOptions | None) -> tuple[Path, ...]:
    """The folders source texts may lie in, symbolic links resolved."""
    roots = [base.resolve()]
    if options is not None and options.sources_root is not None:
        roots.append(options.sources_root.resolve())
    return tuple(roots)


def _read_source(path: Path, roots: tuple[Path, ...]) -> str:
    """The source's plain text, whatever its format (.txt, .html, .pdf, .docx, .eml), once
    its real path (symbolic links resolved) is known to lie inside one of ``roots``.

    ``briefgen.sources`` reads only regular files, caps what it reads and raises
    ``SourceError`` (a ValueError) with a plain reason for an unusable file; extraction
    is cached by content hash.
    """
    real = path.resolve()
    if not any(real.is_relative_to(root) for root in roots):
        allowed = " or ".join(str(root) for root in roots)
        raise ValueError(
            f"it lies outside {allowed}; keep sources beside the brief or name their "
            "folder with --sources-root"
        )
    from briefgen.sources import source_text

    return source_text(real)


def _reason(error: Exception) -> str:
    if isinstance(error, OSError):
        return error.strerror or str(error)
    if isinstance(error, UnicodeDecodeError):
        return "not UTF-8 text"
    return str(error)


def _refs(brief: Brief) -> Iterator[tuple[DataPath, SourceRef]]:
    """Every ref in the brief with the data path it is written at."""
    for section_path in CITING_SECTIONS:
        for index, item in enumerate(section_items(brief, section_path)):
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
    return normalise(quote, ignore_case=case) in _normalised(text, ignore_case=case)


@lru_cache(maxsize=8)
def _normalised(text: str, *, ignore_case: bool) -> str:
    """:func:`normalise` of a whole source, kept: a brief quotes the same 5 MB source
    dozens of times, and folding it again for each quote would dominate ``check``."""
    return normalise(text, ignore_case=ignore_case)


def _not_found(quote: str, source: Source, text: str, options: ProvenanceOptions) -> str:
    nearest = nearest_passage(quote, text, ignore_case=options.ignore_case)
    hint = f"; nearest passage: \u201c{nearest}\u201d" if nearest else ""
    return f"quote not found in {source.path}{hint}"


NEAREST_QUOTE_CHARS = 2000
"""Only the start of a longer quote is used to find the nearest passage (a hint), which
keeps the search at a fraction of a second for a source at the 5 MiB limit."""


def nearest_passage(quote: str, text: str, *, ignore_case: bool = False) -> str:
    """The run of words in ``text`` most like ``quote``, or empty when none is close.

    RapidFuzz finds the best-aligned stretch of the source in one pass (bit-parallel,
    linear in the source's length), where comparing the quote with every window of
    words took minutes for a large source; the stretch is then widened to whole words.
    """
    from rapidfuzz import fuzz

    words = _normalised(text, ignore_case=False).split(" ")
    searched = _normalised(text, ignore_case=ignore_case)
    target = normalise(quote, ignore_case=ignore_case)[:NEAREST_QUOTE_CHARS]
    if not target or not searched:
        return ""
    found = fuzz.partial_ratio_alignment(target, searched)
    if found is None:
        return ""
    first = searched.count(" ", 0, found.dest_start)
    last = searched.count(" ", 0, max(found.dest_start, found.dest_end - 1))
    candidate = " ".join(words[first : last + 1])
    compared = candidate.casefold() if ignore_case else candidate
    return candidate if fuzz.ratio(compared, target) >= 50 else ""


def _uncited_claims(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    """Claims need a source unless the analyst marks them as their own judgement."""
    for section_path, noun in _MUST_CITE.items():
        for index, item in enumerate(section_items(brief, section_path)):
            if not item.sources and not item.assessment:
                message = (
                    f"this {noun} cites no source; add `sources: [id]`, or `assessment: true` "
                    "when it is your own judgement"
                )
                yield _problem(loaded, (*section_path, index), message)


def _unused_sources(brief: Brief, loaded: LoadedYaml) -> Iterator[Problem]:
    cited = {ref.id for _, ref in _refs(brief)}
    for index, source in enumerate(brief.sources):
        if source.id not in cited:
            message = f"source {source.id!r} is never cited"
            yield _problem(loaded, ("sources", index, "id"), message, "warning")
