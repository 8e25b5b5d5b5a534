"""The build pipeline: YAML file to validated brief to document to PDF/DOCX files.

Every requested format is rendered in memory before anything is written, so a
failing writer never leaves a mixture of new and old outputs behind.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.build.output import check_not_input, write_all_atomically
from briefgen.compose.render import ComposeOptions, compose, layout_for
from briefgen.document.nodes import Document
from briefgen.errors import BriefgenError, InvalidInputError, Problem, UnrenderableTextError
from briefgen.loading.yaml_source import MAX_FILE_BYTES
from briefgen.presentation.theme import Theme, default_theme, load_theme
from briefgen.support.reading import read_regular_file
from briefgen.transforms.audience import for_audience
from briefgen.validation import load_brief
from briefgen.writers import registry
from briefgen.writers.page_budget import PageLimitError

if TYPE_CHECKING:
    from briefgen.models.brief import Brief
    from briefgen.transforms.changes import BriefDiff

FORMATS = registry.default_names()
"""What a build writes unless told otherwise (``-f all``); every format is in the registry."""
Rendered = list[tuple[str, bytes, float]]
"""(format, bytes, seconds) for each format rendered."""


@dataclass(frozen=True, slots=True)
class BuildRequest:
    """One brief to build, and how."""

    source: Path
    out_dir: Path
    formats: tuple[str, ...] = FORMATS
    template: str | None = None
    """A layout name or folder; None lets ``meta.doc_type`` choose (see ``layout_for``)."""
    theme: Path | None = None
    """A theme file; None means the built-in default theme."""
    changes_since: Path | None = None
    """An earlier version of the brief: the outputs get a "Changes since version X" section."""
    audience: str | None = None
    """Keep only the items for this audience (see :mod:`briefgen.transforms.audience`); the
    outputs are then named ``<stem>-<audience>.pdf`` so variants do not overwrite each other
    (``<stem>-<layout>-<audience>.pdf`` with a ``template``)."""


@dataclass(frozen=True, slots=True)
class RenderedFile:
    """One output rendered in memory, not yet written: its target path and bytes."""

    fmt: str
    path: Path
    data: bytes
    seconds: float


@dataclass(frozen=True, slots=True)
class BuiltFile:
    """One written output with its size and the time its rendering took."""

    path: Path
    size: int
    seconds: float


def render_brief(request: BuildRequest) -> list[RenderedFile]:
    """Validate, compose and render every requested format in memory; write nothing.

    Used by ``build_brief`` and by commands (such as ``email``) that need the
    bytes without touching the output folder. Raises a BriefgenError on failure.
    """
    brief = for_audience(load_brief(request.source), request.audience)
    look = theme(request.theme)  # a broken theme file is reported here, before any rendering
    options = ComposeOptions(
        template=layout_for(brief.meta.doc_type, request.template),
        created=source_date_epoch(),
        changes=_changes_since(request, brief),
        date_locale=look.date_locale,
    )
    document = compose(brief, options)
    try:
        checker = registry.page_checker(request.formats)
        if document.max_pages is not None and checker is not None:
            render_format(checker, document, theme(request.theme))  # enforces the page limit
        rendered = _render_all(request, document)
    except UnrenderableTextError as error:
        raise InvalidInputError([locate_characters(request.source, error, request.theme)]) from None
    except PageLimitError as error:
        advice = "Shorten those sections, or choose a longer layout with --template"
        raise BriefgenError(error.describe("the brief", advice)) from None
    return [
        RenderedFile(fmt, output_path(request, fmt), data, seconds)
        for fmt, data, seconds in rendered
    ]


def variant_suffix(template: str | None, audience: str | None) -> str:
    """What sets a variant's outputs apart from the default build's: ``-read_ahead`` for a
    layout chosen with ``--template`` (a folder's name for a layout folder), then
    ``-press`` for an audience.

    A variant never takes the default build's name, so building the read-ahead or the
    press version into the same folder never replaces the full memo (or each other).
    The default build (no ``--template``, no ``--audience``) keeps ``<stem>.pdf``.
    """
    parts = [Path(template.rstrip("/\\")).name if template else "", audience or ""]
    return "".join(f"-{part}" for part in parts if part)


def output_path(request: BuildRequest, fmt: str) -> Path:
    """``OUT/<stem>.<suffix>``, or ``OUT/<stem>-<layout>-<audience>.<suffix>`` for a variant
    (see :func:`variant_suffix`; the suffix is the format's, from the registry)."""
    variant = variant_suffix(request.template, request.audience)
    name = f"{request.source.stem}{variant}.{registry.get(fmt).suffix}"
    if Path(name).name != name or name.startswith("."):
        raise BriefgenError(f"refusing the output name {name!r}: it would leave {request.out_dir}")
    return request.out_dir / name


def check_distinct_outputs(requests: list[BuildRequest]) -> None:
    """Refuse a command whose inputs would write the same output file (``a/brief.yaml``
    and ``b/brief.yaml`` into one folder): one would silently replace the other, or with
    ``-j`` their PDF and DOCX could even come from different briefs."""
    writers: dict[Path, Path] = {}
    for request in requests:
        for fmt in request.formats:
            target = output_path(request, fmt)
            key = target.parent.resolve() / target.name
            first = writers.setdefault(key, request.source)
            if first != request.source:
                raise BriefgenError(
                    f"{first} and {request.source} would both write {target}; "
                    "build them into different folders (-o DIR) or rename one"
                )


def build_brief(request: BuildRequest) -> list[BuiltFile]:
    """Build every requested format of one brief; raise a BriefgenError on any failure."""
    rendered = render_brief(request)
    for item in rendered:
        check_not_input(item.path, [request.source])
    write_all_atomically([(item.path, item.data) for item in rendered])
    return [
        BuiltFile(path=item.path, size=len(item.data), seconds=item.seconds) for item in rendered
    ]


def embedding_warnings(request: BuildRequest) -> list[str]:
    """The theme's fonts a DOCX build cannot carry (their licence bits forbid it), as
    warnings naming the theme and the font: readers without them see a substitute."""
    if "docx" not in request.formats:
        return []
    from briefgen.writers.docx_fonts import embedding_refusals

    where = str(request.theme) if request.theme else "the default theme"
    return [f"{where}: warning: {refusal}" for refusal in embedding_refusals(theme(request.theme))]


def _changes_since(request: BuildRequest, brief: Brief) -> BriefDiff | None:
    """The diff from the earlier version, read for the same audience when it has one."""
    if request.changes_since is None:
        return None
    from briefgen.transforms.audience import audiences
    from briefgen.transforms.changes import diff_briefs

    old = load_brief(request.changes_since)
    audience = request.audience if request.audience in audiences(old) else None
    return diff_briefs(for_audience(old, audience), brief)


def _render_all(request: BuildRequest, document: Document) -> Rendered:
    """Render every format, one after the other, in this process.

    Rendering the DOCX in a second process while this one renders the PDF was
    measured against this after the cold-start work of issue 21 and did not pay
    off (see bench/README.md): the second process's own imports and the copy
    of the document sent to it cost what the overlap saved, or more.
    """
    return [
        (fmt, *_timed(render_format, fmt, document, theme(request.theme)))
        for fmt in request.formats
    ]


def render_format(fmt: str, document: Document, theme: Theme) -> bytes:
    """Render ``document`` in one registered format; writers are imported only when needed."""
    return registry.render(fmt, document, theme)


@cache
def theme(path: Path | None = None) -> Theme:
    """The theme file at ``path`` (or the default), loaded once per process."""
    return default_theme() if path is None else load_theme(path.resolve(), shown=path)


def reload_themes() -> None:
    """Forget loaded themes (watch mode calls this when a theme file changes)."""
    theme.cache_clear()


def source_date_epoch() -> dt.datetime | None:
    """The reproducible-builds timestamp from SOURCE_DATE_EPOCH, or None when unset."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not value:
        return None
    try:
        return dt.datetime.fromtimestamp(int(value), tz=dt.UTC)
    except (ValueError, OverflowError, OSError):
        raise BriefgenError(
            f"SOURCE_DATE_EPOCH must be a whole number of seconds, not {value!r}"
        ) from None


def _timed(
    function: Callable[[str, Document, Theme], bytes], fmt: str, document: Document, theme: Theme
) -> tuple[bytes, float]:
    started = time.perf_counter()
    data = function(fmt, document, theme)
    return data, time.perf_counter() - started


def locate_characters(
    source: Path, error: UnrenderableTextError, theme_file: Path | None = None
) -> Problem:
    """Point at the first place where an undrawable character is written: in the brief's
    YAML, or else in the theme file (its letterhead text), so the user edits the right
    file; unlocated (line 0) only when neither holds it."""
    message = f"{error}; add a font that covers it to the theme, or remove it"
    for candidate in (source, theme_file):
        if candidate is None:
            continue
        try:
            text = read_regular_file(candidate, MAX_FILE_BYTES).decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        positions = [text.find(char) for char in error.chars if char in text]
        if positions:
            offset = min(positions)
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            return Problem(str(candidate), line, column, "", message)
    return Problem(str(source), 0, 0, "", message)
