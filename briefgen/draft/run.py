"""Reading the sources, drafting, checking the draft and writing it atomically."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from briefgen.sources import SourceDocument, SourceError, read_source


@dataclass(slots=True)
class DraftResult:
    """What happened: lines for stderr, whether the draft was written, and how many
    sources it drew on."""

    messages: list[str] = field(default_factory=list)
    written: bool = False
    used: int = 0


def write_draft(sources: list[Path], out: Path, title: str | None, force: bool) -> DraftResult:
    """Draft a brief from ``sources`` into ``out``; sources that cannot be read are skipped.

    Nothing is written when ``out`` exists (unless ``force``) or no source is usable.
    """
    result = DraftResult()
    title = " ".join(title.split()) if title else None
    problem = _title_problem(title)
    if problem:
        result.messages.append(f"error: --title: {problem}")
        return result
    if out.exists() and not force:
        result.messages.append(f"{out}: error: file exists; use --force to replace it")
        return result
    usable = _usable(sources, result)
    if not usable:
        result.messages.append(f"{out}: error: no usable source: nothing written")
        return result
    result.messages += _outside(usable, out)
    text = _drafted_text(usable, out, title)
    from briefgen.build.output import write_atomically

    write_atomically(out, text.encode("utf-8"))
    result.written, result.used = True, len(usable)
    return result


def _title_problem(title: str | None) -> str | None:
    """Why ``title`` cannot be a brief's title (control characters)."""
    from briefgen.models.types import reject_control_characters

    try:
        if title:
            reject_control_characters(title)
    except ValueError as error:
        return str(error)
    return None


def _outside(usable: list[tuple[Path, SourceDocument]], out: Path) -> list[str]:
    """Warnings for sources outside the brief's folder, which ``check`` will not read."""
    folder = out.resolve().parent
    return [
        f"{path}: warning: outside the folder of {out}; copy it there, as `briefgen check` "
        "reads only sources inside the brief's folder"
        for path, _ in usable
        if not path.resolve().is_relative_to(folder)
    ]


def _usable(sources: list[Path], result: DraftResult) -> list[tuple[Path, SourceDocument]]:
    usable: list[tuple[Path, SourceDocument]] = []
    seen: set[Path] = set()
    for path in sources:
        if path.resolve() in seen:
            continue
        seen.add(path.resolve())
        try:
            usable.append((path, read_source(path)))
        except SourceError as error:
            result.messages.append(f"{path}: error: cannot use this source: {error}")
    return usable


def _drafted_text(usable: list[tuple[Path, SourceDocument]], out: Path, title: str | None) -> str:
    """The YAML, validated before it is written: a draft that does not validate is a bug."""
    from briefgen.draft.assemble import draft_brief
    from briefgen.draft.writer import draft_yaml
    from briefgen.validation import load_brief_text

    text = draft_yaml(draft_brief(usable, out, title))
    load_brief_text(text, str(out))  # raises InvalidInputError, reported by the CLI
    return text
