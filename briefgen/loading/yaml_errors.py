"""YAML syntax errors in plain words, with the fix, for the mistakes people make.

The parser's own words ("mapping values are not allowed here", "expected <block
end>, but found '?'") describe its state, not the writer's mistake. Each rule
here looks at the line the parser stopped on and, when it recognises the
mistake, says what it is and how to write it instead, at the place to edit.
Anything unrecognised keeps the parser's message.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

PREFIX = "invalid YAML: "


@dataclass(frozen=True, slots=True)
class Explained:
    """Where to edit (1-based line and column) and what to write there."""

    line: int
    column: int
    message: str


@dataclass(frozen=True, slots=True)
class _Error:
    """The parts of a ruamel error the rules read, with the file's lines."""

    problem: str
    context: str
    line: int
    """0-based line of the problem mark (of the context mark when there is none)."""
    column: int
    context_line: int | None
    context_column: int | None
    lines: list[str]

    def text(self, line: int) -> str:
        return self.lines[line] if 0 <= line < len(self.lines) else ""


def explain(error: Any, text: str) -> Explained:
    """The located, plain-words problem for a ruamel ``MarkedYAMLError``."""
    found = _parts(error, text)
    for rule in _RULES:
        explained = rule(found)
        if explained is not None:
            return explained
    message = PREFIX + found.problem + (f" ({found.context})" if found.context else "")
    return Explained(found.line + 1, found.column + 1, message)


def _parts(error: Any, text: str) -> _Error:
    mark = error.problem_mark or error.context_mark
    context = error.context_mark
    return _Error(
        problem=(error.problem or "").strip(),
        context=(error.context or "").strip(),
        line=mark.line if mark else -1,
        column=mark.column if mark else -1,
        context_line=context.line if context else None,
        context_column=context.column if context else None,
        lines=text.splitlines(),
    )


def _tab(found: _Error) -> Explained | None:
    """A tab in the indentation (YAML forbids it; editors often insert one)."""
    if "'\\t'" not in found.problem:
        return None
    return Explained(
        found.line + 1,
        found.column + 1,
        PREFIX + "a tab where YAML needs spaces: replace it with spaces (YAML indents "
        "with spaces only, two per level, lined up with the lines above)",
    )


_DASH_WITHOUT_SPACE = re.compile(r"^(\s*)-([^\s\-])")


def _dash_without_space(found: _Error) -> Explained | None:
    """``-text: x`` or ``-item``: a list item needs a space after its dash."""
    candidates = [found.line, found.line - 1, found.context_line]
    for line in (number for number in candidates if number is not None):
        match = _DASH_WITHOUT_SPACE.match(found.text(line))
        if match and not found.text(line).lstrip().startswith("---"):
            rest = found.text(line).strip()[1:]
            return Explained(
                line + 1,
                len(match[1]) + 1,
                PREFIX + "a list item needs a space after its dash: "
                f"write '- {_shorten(rest)}' rather than '-{_shorten(rest)}'",
            )
    return None


def _unclosed_quote(found: _Error) -> Explained | None:
    """A value that opens a quote and never closes it; located where the quote opens."""
    if "quoted scalar" not in found.context or found.context_line is None:
        return None
    column = found.context_column or 0
    quote = found.text(found.context_line)[column : column + 1] or '"'
    return Explained(
        found.context_line + 1,
        column + 1,
        PREFIX + f"the quote {quote} that opens this value is never closed: "
        f"add the closing {quote} at the end of the value"
        + (' (write a " inside it as \\")' if quote == '"' else " (write a ' inside it as '')"),
    )


_KEY = re.compile(r"^(\s*(?:-\s+)?)([^\s:#][^:#]*?):\s+(.*)$")


def _unquoted_colon(found: _Error) -> Explained | None:
    """``title: Seoul: the meeting``: a colon and a space inside a value start a new key."""
    if "mapping values are not allowed" not in found.problem:
        return None
    line = found.text(found.line)
    match = _KEY.match(line)
    if match is None or found.column <= len(match[1]) + len(match[2]):
        return _over_indented(found)
    key, value = match[2], match[3].rstrip()
    quoted = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return Explained(
        found.line + 1,
        line.index(value, len(match[1]) + len(key)) + 1,
        PREFIX + "a colon followed by a space starts a new key, so this value cannot hold "
        f"one as written: put the value in quotes: {key}: {_shorten(quoted)}",
    )


def _over_indented(found: _Error) -> Explained:
    """``date:`` indented deeper than the key above it reads as part of that key's value."""
    line = found.text(found.line)
    key = line.strip().split(":", 1)[0]
    indent = len(line) - len(line.lstrip())
    return Explained(
        found.line + 1,
        indent + 1,
        PREFIX + f"'{key}:' is indented more than the key above it, so YAML reads it as "
        "part of that key's value: line it up with the key above (or, if the colon belongs "
        "to the text above, put that text in quotes)",
    )


def _text_after_quote(found: _Error) -> Explained | None:
    """``text: "a" more``: words after the closing quote."""
    if "found '<scalar>'" not in found.problem:
        return None
    line = found.text(found.line)
    before = line[: found.column].rstrip()
    if not before.endswith(('"', "'")):
        return None
    return Explained(
        found.line + 1,
        found.column + 1,
        PREFIX + "text follows the closing quote: put the whole value inside the quotes "
        "(or remove the quotes)",
    )


def _shorten(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "\u2026"


_RULES: tuple[Callable[[_Error], Explained | None], ...] = (
    _tab,
    _unclosed_quote,
    _dash_without_space,
    _unquoted_colon,
    _text_after_quote,
)
