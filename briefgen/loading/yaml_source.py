"""Load YAML with ruamel.yaml's round-trip parser, keeping positions and refusing duplicates.

The result is plain Python data (dict, list, str, int, float, bool, None,
date, datetime) so later stages never see ruamel types, plus a
:class:`PositionIndex` for error messages.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq, TaggedScalar
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from briefgen.errors import InvalidInputError, Problem
from briefgen.loading.positions import DataPath, PositionIndex, format_path

MAX_FILE_BYTES = 5 * 1024 * 1024
"""Briefs are a few kilobytes; anything this large is a mistake, not a brief."""
MAX_DEPTH = 50
"""Briefs nest about six levels deep."""
MAX_VALUES = 200_000
"""A large brief holds a few thousand values; alias bombs hold billions."""


@dataclass(frozen=True, slots=True)
class LoadedYaml:
    """The data of one YAML file with the positions of its keys and values."""

    data: Any
    positions: PositionIndex
    display_name: str
    """How the file is named in messages (as the user gave it)."""


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read and parse ``path``; every failure becomes an :class:`InvalidInputError`."""
    name = str(path)
    text = _read_text(path, name)
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> LoadedYaml:
    """Parse YAML text; ``name`` is used in messages."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _LenientDateConstructor
    try:
        raw = yaml.load(text.removeprefix("\ufeff"))
    except MarkedYAMLError as error:
        raise InvalidInputError([_yaml_problem(error, name)]) from None
    except YAMLError as error:
        raise InvalidInputError([Problem(name, 0, 0, "", f"invalid YAML: {error}")]) from None
    except RecursionError:
        message = f"invalid YAML: nested too deeply (a brief needs fewer than {MAX_DEPTH} levels)"
        raise InvalidInputError([Problem(name, 0, 0, "", message)]) from None
    converter = _Converter(name)
    data = converter.convert(raw, ())
    return LoadedYaml(data=data, positions=converter.positions, display_name=name)


def _read_text(path: Path, name: str) -> str:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            limit = MAX_FILE_BYTES // (1024 * 1024)
            message = f"file is {size:,} bytes; briefs are limited to {limit} MiB"
            raise InvalidInputError([Problem(name, 0, 0, "", message)])
        blob = path.read_bytes()
    except OSError as error:
        raise InvalidInputError(
            [Problem(name, 0, 0, "", f"cannot read file: {error.strerror}")]
        ) from None
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError as error:
        line = blob[: error.start].count(b"\n") + 1
        column = error.start - (blob.rfind(b"\n", 0, error.start) + 1) + 1
        message = (
            f"file is not UTF-8 text (byte 0x{blob[error.start]:02x} at offset {error.start}); "
            "save it as UTF-8"
        )
        raise InvalidInputError([Problem(name, line, column, "", message)]) from None


def _yaml_problem(error: Any, name: str) -> Problem:
    """Turn a ruamel error into one located problem in plain words."""
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    problem = (error.problem or "").strip()
    context = (error.context or "").strip()
    if "'\\t'" in problem:
        message = "invalid YAML: a tab where YAML needs spaces; indent with spaces only"
    elif "duplicate key" in problem:
        message = problem.split(" with value")[0].replace("found ", "") + " (each key once)"
    else:
        message = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    return Problem(name, line, column, "", message)


class _Converter:
    """Converts ruamel round-trip nodes to plain data, recording 1-based positions.

    It also enforces what a brief never needs: YAML tags (``!!python/object``),
    non-text keys, nesting deeper than :data:`MAX_DEPTH`, and more than
    :data:`MAX_VALUES` values (aliases can expand a small file into billions).
    """

    def __init__(self, name: str) -> None:
        self.name = name
        self.positions = PositionIndex()
        self.values = 0

    def refuse(self, path: DataPath, message: str) -> InvalidInputError:
        line, column = self.positions.of_value(path)
        return InvalidInputError([Problem(self.name, line, column, format_path(path), message)])

    def convert(self, node: Any, path: DataPath) -> Any:
        self.values += 1
        if self.values > MAX_VALUES:
            message = (
                f"more than {MAX_VALUES:,} values (are aliases expanding?); a brief needs far fewer"
            )
            raise self.refuse(path, message)
        if len(path) > MAX_DEPTH:
            raise self.refuse(path, f"nested more than {MAX_DEPTH} levels deep")
        self._check_tag(node, path)
        if isinstance(node, CommentedMap):
            return self._mapping(node, path)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, path)
        return _plain_scalar(node)

    def _check_tag(self, node: Any, path: DataPath) -> None:
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, TaggedScalar) or (tag and not str(tag).startswith("tag:yaml.org")):
            shown = str(tag).replace("tag:yaml.org,2002:", "!!")
            raise self.refuse(path, f"YAML tags such as {shown} are not allowed in a brief")

    def _mapping(self, node: CommentedMap, path: DataPath) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for key, value in node.items():
            key_line, key_col = node.lc.key(key)
            if not isinstance(key, str | int | float | bool) or key is None:
                message = "keys must be plain words, not lists or mappings"
                raise InvalidInputError(
                    [Problem(self.name, key_line + 1, key_col + 1, format_path(path), message)]
                )
            child = (*path, str(key))
            value_line, value_col = node.lc.value(key)
            self.positions.keys[child] = (key_line + 1, key_col + 1)
            self.positions.values[child] = (value_line + 1, value_col + 1)
            result[str(key)] = self.convert(value, child)
        return result

    def _sequence(self, node: CommentedSeq, path: DataPath) -> list[Any]:
        items = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            self.positions.values[(*path, index)] = (line + 1, col + 1)
            items.append(self.convert(value, (*path, index)))
        return items


def _plain_scalar(node: Any) -> Any:
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, str):
        return str(node)
    if isinstance(node, int):
        return int(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, dt.datetime):
        return dt.datetime.fromisoformat(node.isoformat())
    return node


class _LenientDateConstructor(RoundTripConstructor):
    """A constructor that keeps impossible dates (2024-02-30) as text.

    ruamel raises a bare ValueError without a position for them; as text they
    reach the schema, which reports "not a real date" at the right line.
    """

    def construct_yaml_timestamp(self, node: Any, values: Any = None) -> Any:
        try:
            return super().construct_yaml_timestamp(node, values)
        except ValueError:
            return str(node.value)


_LenientDateConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _LenientDateConstructor.construct_yaml_timestamp
)
