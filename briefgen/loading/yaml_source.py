"""Load YAML with ruamel.yaml's round-trip parser, keeping positions and refusing duplicates.

The result is plain Python data (dict, list, str, int, float, bool, None,
date, datetime) so later stages never see ruamel types, plus a
:class:`PositionIndex` for error messages.

Positions are only needed when something is wrong, and the round-trip
parser is pure Python (about 25 ms for the sample), so a file is first read
with ruamel's libyaml-based safe loader (about 3 ms).  That fast path is used
only when it can vouch for the same result: any tag, error, impossible date,
non-text key, deep nesting or alias expansion sends the file down the
round-trip path, which produces the located message.  Positions for a file
loaded fast are computed by the round-trip parser on first use.
"""

from __future__ import annotations

import datetime as dt
import errno
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import (
    CommentedMap,
    CommentedOrderedMap,
    CommentedSeq,
    CommentedSet,
    TaggedScalar,
)
from ruamel.yaml.constructor import ConstructorError, RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError, YAMLWarning

from briefgen.errors import InvalidInputError, Problem
from briefgen.loading.positions import DataPath, PositionIndex, format_path
from briefgen.support.reading import NotReadableError, read_regular_file

MAX_PARAGRAPH_CHARS = 10_000
"""The longest paragraph (text between blank lines) in any value.  Real paragraphs are a
few hundred words; laying out one that runs over many pages costs time that grows with
its square (each page re-breaks the rest of it: 180,000 words would take hours)."""
_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def _too_long_paragraph(text: str) -> int:
    """The length of the longest paragraph of ``text`` when it passes the limit, else 0."""
    if len(text) <= MAX_PARAGRAPH_CHARS:
        return 0
    longest = max(len(part) for part in _PARAGRAPH_BREAK.split(text))
    return longest if longest > MAX_PARAGRAPH_CHARS else 0


MAX_FILE_BYTES = 1024 * 1024
"""Briefs are tens of kilobytes (the benchmark's brief fifty times the sample, 261 pages,
is 0.7 MB); anything larger is a mistake, and parsing it would take seconds."""
MAX_DEPTH = 50
"""Briefs nest about six levels deep."""
MAX_VALUES = 200_000
"""A large brief holds a few thousand values; alias bombs hold billions."""


class LoadedYaml:
    """The data of one YAML file with the positions of its keys and values.

    ``display_name`` is how the file is named in messages (as the user gave it).
    Positions come from the round-trip parser, run on first use when the file
    was loaded by the fast path.
    """

    __slots__ = ("_positions", "_text", "data", "display_name")

    def __init__(
        self,
        data: Any,
        display_name: str,
        *,
        positions: PositionIndex | None = None,
        text: str | None = None,
    ) -> None:
        self.data = data
        self.display_name = display_name
        self._positions = positions
        self._text = text

    @property
    def positions(self) -> PositionIndex:
        """Line and column of every key and value, 1-based."""
        if self._positions is None:
            try:
                self._positions = _round_trip(self._text or "", self.display_name).positions
            except InvalidInputError:
                self._positions = PositionIndex()
        return self._positions


def load_yaml_file(path: Path) -> LoadedYaml:
    """Read and parse ``path``; every failure becomes an :class:`InvalidInputError`."""
    name = str(path)
    text = _read_text(path, name)
    return load_yaml_text(text, name)


def load_yaml_text(text: str, name: str) -> LoadedYaml:
    """Parse YAML text; ``name`` is used in messages.

    Text that did not come from a file (an editor, a test) meets the same size
    limit as a file: no more characters than a file may hold bytes.
    """
    if len(text) > MAX_FILE_BYTES:
        limit = MAX_FILE_BYTES // (1024 * 1024)
        message = f"text is {len(text):,} characters; briefs are limited to {limit} MiB"
        raise InvalidInputError([Problem(name, 0, 0, "", message)])
    text = text.removeprefix("\ufeff")
    _refuse_unprintable(text, name)
    _refuse_absurd_nesting(text, name)
    try:
        data = _fast_load(text)
    except _TooManyValuesError:
        raise InvalidInputError([_alias_bomb(text, name)]) from None
    except _TooDeepError as error:
        message = f"nested more than {MAX_DEPTH} levels deep (a brief needs about six)"
        line, column = _deep_place(text, error.path)
        problem = Problem(name, line, column, format_path(error.path), message)
        raise InvalidInputError([problem]) from None
    if data is not _SLOW:
        return LoadedYaml(data, name, text=text)
    return _round_trip(text, name)


_UNPRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""Characters YAML does not allow in a file (C0 and C1 controls, NUL, U+FFFE, U+FFFF,
lone surrogates); the parser refuses them with an offset, not a line."""


def _refuse_unprintable(text: str, name: str) -> None:
    """Refuse the first character YAML does not allow, at its line and column."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return
    offset = found.start()
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    message = (
        f"invalid YAML: character U+{ord(found.group()):04X} is not allowed "
        "(control characters, NUL and non-characters cannot be written, even in quotes)"
    )
    raise InvalidInputError([Problem(name, line, column, "", message)])


def _alias_bomb(text: str, name: str) -> Problem:
    """Report too many values at the first alias (an alias bomb), or at the start of the
    file: finding the exact value that crossed the limit, as the round-trip path
    would, takes seconds to minutes on such files."""
    found = _ALIAS.search(text)
    offset = found.start() + found.group().index("*") if found else 0
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    message = f"more than {MAX_VALUES:,} values (are aliases expanding?); a brief needs far fewer"
    return Problem(name, line, column, "", message)


FLOW_DEPTH_REFUSED = 200
"""Flow brackets nested this deep are refused without parsing: no brief comes near it,
even counting brackets inside quoted text, and parsers take seconds or crash on it."""


def _refuse_absurd_nesting(text: str, name: str) -> None:
    offset = _flow_depth_exceeds(text, FLOW_DEPTH_REFUSED)
    if offset is None:
        return
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    message = f"nested more than {MAX_DEPTH} levels deep (a brief needs about six)"
    raise InvalidInputError([Problem(name, line, column, "", message)])


class _Slow:
    """Marks a file the fast path cannot vouch for."""


_SLOW = _Slow()
_TAG_OR_DIRECTIVE = re.compile(r"(?:^|[\s\[{,])!|^%", re.MULTILINE)
"""An explicit tag (``!!str``, ``!foo``) or a directive; briefs need neither, and the
round-trip path refuses tags with their position.  Prose such as "a ! b" also
matches; it only costs the slower path."""


def _fast_load(text: str) -> Any:
    """Load with the libyaml-based safe loader, or return ``_SLOW`` when in any doubt."""
    if _TAG_OR_DIRECTIVE.search(text) or _flow_depth_exceeds(text, MAX_DEPTH) is not None:
        return _SLOW
    try:
        raw = YAML(typ="safe", pure=False).load(text)
        return _plain(raw, (), [0])
    except (_TooManyValuesError, _TooDeepError):
        raise  # definite refusals; the round-trip path would only be slower to say so
    except (YAMLError, ValueError, RecursionError, _RoundTripNeededError):
        return _SLOW


_BRACKETS = re.compile(r"[\[\]{}]")


def _flow_depth_exceeds(text: str, limit: int) -> int | None:
    """The offset of the first ``[`` or ``{`` nested deeper than ``limit``, or None.

    Quotes are not excluded, so this may overcount brackets inside quoted text;
    callers use it only where overcounting is harmless.  It exists because the
    compiled loader recurses in C on nested flow collections (a file nested a
    hundred thousand levels deep crashes the process) and the round-trip loader
    takes seconds to give up on such a file.
    """
    if text.count("[") + text.count("{") <= limit:
        return None
    depth = 0
    for bracket in _BRACKETS.finditer(text):
        depth += 1 if bracket.group() in "[{" else -1
        if depth > limit:
            return bracket.start()
    return None


class _RoundTripNeededError(Exception):
    """Raised inside the fast path when only the round-trip path can report properly."""


class _TooManyValuesError(_RoundTripNeededError):
    """More than MAX_VALUES values: with aliases in the file, an alias bomb."""


class _TooDeepError(_RoundTripNeededError):
    """Nesting deeper than MAX_DEPTH, at ``path``."""

    def __init__(self, path: DataPath) -> None:
        super().__init__(format_path(path))
        self.path = path


_ALIAS = re.compile(r"(?:^|[\s\[{,])\*[^\s\[\]{},*]+", re.MULTILINE)
"""A YAML alias (``*name``) where a value starts; ``**bold**`` in prose does not match."""


_SURROGATE = re.compile("[\ud800-\udfff]")
"""Half of a UTF-16 surrogate pair: not a character, and no PDF or DOCX can hold it.
UTF-8 text cannot contain one, but a YAML escape can (``"\\ud83d"``)."""


def _plain(node: Any, path: DataPath, count: list[int]) -> Any:
    """Check the limits the round-trip converter enforces, on already-plain data."""
    count[0] += 1
    if count[0] > MAX_VALUES:
        raise _TooManyValuesError
    if len(path) > MAX_DEPTH:
        raise _TooDeepError(path)
    if isinstance(node, dict):
        if not all(isinstance(key, str) for key in node):
            raise _RoundTripNeededError
        return {key: _plain(value, (*path, key), count) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(value, (*path, index), count) for index, value in enumerate(node)]
    if isinstance(node, str) and (_SURROGATE.search(node) or _too_long_paragraph(node)):
        raise _RoundTripNeededError  # the round-trip path refuses it at its line
    if node is None or isinstance(node, str | bool | int | float | dt.date):
        return node
    raise _RoundTripNeededError  # sets, ordered maps, binary: what the round-trip path refuses


def _round_trip(text: str, name: str) -> LoadedYaml:
    """Parse with ruamel's round-trip loader, recording positions and refusing what
    a brief never needs, each with its location."""
    yaml = YAML(typ="rt")
    yaml.Constructor = _LenientDateConstructor
    try:
        with warnings.catch_warnings():
            # A reused anchor name (``&a`` twice) is valid YAML, the later one wins; ruamel
            # prints a warning about it, which is no message for the user.
            warnings.simplefilter("ignore", YAMLWarning)
            raw = yaml.load(text)
    except MarkedYAMLError as error:
        raise InvalidInputError([_yaml_problem(error, name)]) from None
    except YAMLError as error:
        raise InvalidInputError([Problem(name, 0, 0, "", f"invalid YAML: {error}")]) from None
    except ValueError:  # the scanner's chr() of an escape past U+10FFFF
        raise InvalidInputError([_escape_problem(text, name)]) from None
    except RecursionError:
        message = f"nested more than {MAX_DEPTH} levels deep (a brief needs about six)"
        line, column = _first_deep_line(text)
        raise InvalidInputError([Problem(name, line, column, "", message)]) from None
    converter = _Converter(name)
    data = converter.convert(raw, ())
    return LoadedYaml(data, name, positions=converter.positions)


_BLOCK_INDENT = re.compile(r"[ -]*")
_BIG_ESCAPE = re.compile(r"\\U([0-9A-Fa-f]{8})")


def _escape_problem(text: str, name: str) -> Problem:
    """A ``\\U`` escape naming no character (past U+10FFFF), located where it is written."""
    for found in _BIG_ESCAPE.finditer(text):
        if int(found.group(1), 16) > sys.maxunicode:
            offset = found.start()
            line = text.count("\n", 0, offset) + 1
            column = offset - (text.rfind("\n", 0, offset) + 1) + 1
            message = f"invalid YAML: {found.group()} is not a character (the last is \\U0010FFFF)"
            return Problem(name, line, column, "", message)
    return Problem(name, 1, 1, "", "invalid YAML: an escape that names no character")


def _deep_place(text: str, path: DataPath) -> tuple[int, int]:
    """Where nesting passes :data:`MAX_DEPTH`: at the first alias in the top-level entry
    that nests too deep when there is one (an alias inside its own anchor nests without
    end), else where block nesting does."""
    top = re.search(rf"^{re.escape(str(path[0]))}\s*:", text, re.MULTILINE) if path else None
    found = _ALIAS.search(text, top.start() if top else 0)
    if found is None:
        return _first_deep_line(text)
    offset = found.start() + found.group().index("*")
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _first_deep_line(text: str) -> tuple[int, int]:
    """Where block nesting first passes :data:`MAX_DEPTH`, as near as the text shows it:
    each level of block nesting moves its content at least one column right (``-``
    counts as a column too), so the first line whose content starts past that column
    is at or before the place the parser gave up."""
    for number, line in enumerate(text.splitlines(), start=1):
        column = _BLOCK_INDENT.match(line).end()  # type: ignore[union-attr]
        if column > MAX_DEPTH and line.strip():
            return number, column + 1
    return 1, 1


def _read_text(path: Path, name: str) -> str:
    """Read at most ``MAX_FILE_BYTES`` (plus one, to notice more) and decode it as UTF-8.

    Through :func:`briefgen.support.reading.read_regular_file`: a huge file is refused by its
    size before it is read, and ``/dev/zero``, a FIFO or a device at once, since
    reading them would never end, block, or fill the memory.
    """
    limit = MAX_FILE_BYTES // (1024 * 1024)
    try:
        blob = read_regular_file(path, MAX_FILE_BYTES)
    except NotReadableError as error:
        if error.errno == errno.EFBIG:
            message = f"file is too large: {error.strerror}; briefs are limited to {limit} MiB"
        else:
            message = f"cannot read file: {error.strerror}"
        raise InvalidInputError([Problem(name, 0, 0, "", message)]) from None
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
        if isinstance(node, CommentedOrderedMap | CommentedSet) or not isinstance(
            node, CommentedMap | CommentedSeq | str | int | float | dt.date | None
        ):
            message = "YAML types such as !!set, !!omap, !!pairs and !!binary are not allowed"
            raise self.refuse(path, message)
        if isinstance(node, CommentedMap):
            return self._mapping(node, path)
        if isinstance(node, CommentedSeq):
            return self._sequence(node, path)
        if isinstance(node, str):
            self._check_characters(node, path)
        return _plain_scalar(node)

    def _check_characters(self, text: str, path: DataPath) -> None:
        if _SURROGATE.search(text):
            raise self.refuse(path, _surrogate_message(text))
        longest = _too_long_paragraph(text)
        if longest:
            message = (
                f"a paragraph of {longest:,} characters; paragraphs are limited to "
                f"{MAX_PARAGRAPH_CHARS:,} (about 1,500 words): start a new one after a blank line"
            )
            raise self.refuse(path, message)

    def _check_tag(self, node: Any, path: DataPath) -> None:
        # Untagged collections and the standard !!seq and !!map have no tag value here;
        # !!python/object/apply:os.system [...] has "tag:yaml.org,2002:python/...".
        tag = getattr(getattr(node, "tag", None), "value", None)
        if isinstance(node, TaggedScalar) or tag:
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
            if isinstance(key, str) and _SURROGATE.search(key):
                message = _surrogate_message(key)
                problem = Problem(self.name, key_line + 1, key_col + 1, format_path(path), message)
                raise InvalidInputError([problem])
            result[str(key)] = self.convert(value, child)
        return result

    def _sequence(self, node: CommentedSeq, path: DataPath) -> list[Any]:
        items = []
        for index, value in enumerate(node):
            line, col = node.lc.item(index)
            self.positions.values[(*path, index)] = (line + 1, col + 1)
            items.append(self.convert(value, (*path, index)))
        return items


def _surrogate_message(text: str) -> str:
    found = _SURROGATE.search(text)
    code = ord(found.group()) if found else 0
    return (
        f"U+{code:04X} (from a \\u escape) is half of a UTF-16 surrogate pair, not a "
        "character; write the character itself or one \\U00XXXXXX escape"
    )


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

    def construct_yaml_int(self, node: Any) -> Any:
        """Refuse, at its position, a number too long for Python to convert.

        Python refuses to parse integers of more than ``sys.get_int_max_str_digits()``
        digits (4,300 by default) with a bare ValueError; no brief needs one.
        """
        try:
            return super().construct_yaml_int(node)
        except ValueError:
            limit = sys.get_int_max_str_digits()
            problem = f"a number of more than {limit:,} digits (quote it if it is text)"
            raise ConstructorError(None, None, problem, node.start_mark) from None


_LenientDateConstructor.add_constructor(
    "tag:yaml.org,2002:timestamp", _LenientDateConstructor.construct_yaml_timestamp
)
_LenientDateConstructor.add_constructor(
    "tag:yaml.org,2002:int", _LenientDateConstructor.construct_yaml_int
)
