"""Stage 2: turn loaded YAML into a validated :class:`~briefgen.models.brief.Brief`.

All problems are collected (schema errors, then cross-references) and raised
together as one :class:`~briefgen.errors.InvalidInputError`, each located at the
YAML line and column it concerns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefgen.errors import InvalidInputError, Problem
from briefgen.loading.positions import DataPath, format_path
from briefgen.loading.yaml_source import LoadedYaml, load_yaml_file, load_yaml_text
from briefgen.models.brief import Brief
from briefgen.validation.messages import plain_message
from briefgen.validation.references import find_reference_problems


def load_brief(path: Path) -> Brief:
    """Load and validate the brief at ``path``; raise InvalidInputError with every problem."""
    return validate_loaded(load_yaml_file(path))


def load_brief_text(text: str, name: str) -> Brief:
    """Validate brief YAML given as text (``name`` appears in messages)."""
    return validate_loaded(load_yaml_text(text, name))


def validate_loaded(loaded: LoadedYaml) -> Brief:
    """Validate already-parsed YAML, locating each problem in the source."""
    if not isinstance(loaded.data, dict):
        message = "a brief is a mapping of keys (schema_version, meta, summary, ...)"
        raise InvalidInputError([Problem(loaded.display_name, 1, 1, "", message)])
    problems = [
        _locate(loaded, path, message, on_key=False)
        for path, message in find_reference_problems(loaded.data)
    ]
    try:
        brief = Brief.model_validate(loaded.data)
    except ValidationError as error:
        problems.extend(_schema_problems(error, loaded))
    if problems:
        raise InvalidInputError(
            sorted(problems, key=lambda problem: (problem.line, problem.column))
        )
    return brief


def _schema_problems(error: ValidationError, loaded: LoadedYaml) -> list[Problem]:
    problems: list[Problem] = []
    seen: set[tuple[DataPath, str]] = set()
    for record in error.errors(include_url=False):
        path = data_path(record["loc"], loaded.data)
        message = plain_message(record, Brief, path)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        on_key = record["type"] == "extra_forbidden"
        problem = _locate(loaded, path, message, on_key=on_key)
        if record["type"] == "missing":
            problem = _locate(loaded, path[:-1], message, on_key=True, shown=path)
        problems.append(problem)
    return problems


def _locate(
    loaded: LoadedYaml,
    path: DataPath,
    message: str,
    *,
    on_key: bool,
    shown: DataPath | None = None,
) -> Problem:
    positions = loaded.positions
    line, column = positions.of_key(path) if on_key else positions.of_value(path)
    return Problem(loaded.display_name, line, column, format_path(shown or path), message)


def data_path(loc: tuple[int | str, ...], data: Any) -> DataPath:
    """Keep only the parts of a Pydantic ``loc`` that exist in the data.

    Pydantic inserts validator and union branch names (``function-after[...]``)
    into locations; walking the data tells real keys from those tags. A final
    key that is absent (a missing or unknown key) is kept.
    """
    path: list[int | str] = []
    node = data
    for index, part in enumerate(loc):
        if _has_child(node, part):
            node = node[part]
        elif not (index == len(loc) - 1 and isinstance(part, str) and isinstance(node, dict)):
            continue
        path.append(part)
    return tuple(path)


def _has_child(node: Any, part: int | str) -> bool:
    if isinstance(node, dict):
        return part in node
    return isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
