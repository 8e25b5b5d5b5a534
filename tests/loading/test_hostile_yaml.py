"""Hostile YAML that gets past a size check or a parser: each case is refused with a located,
plain message through the CLI (exit 1, no traceback), quickly and in bounded memory.

``test_hostile_input.py`` covers the classic cases (billion laughs, deep nesting, a 50 MB
file, binary junk, other encodings, tabs, duplicate keys, tags, BOM and CRLF); this file
covers what those checks alone would let through: files whose size on disk says nothing
(``/dev/zero``, a pipe), numbers Python refuses to convert, and escapes that make text no
document can hold.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefgen.cli.main import main
from briefgen.errors import InvalidInputError, Problem
from briefgen.loading.yaml_source import MAX_FILE_BYTES, load_yaml_text
from tests.loading.test_hostile_input import load_refused

SECONDS = 5.0
"""Generous: a hang detector, not a benchmark (CI machines are shared)."""
MEGABYTES = 100


def _refused(path: Path) -> Problem:
    """Load ``path`` and return its problem, checking time and peak memory."""
    problem, seconds, peak = load_refused(path)
    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)
    return problem


def test_an_endless_device_is_refused_without_being_read() -> None:
    """/dev/zero reports a size of 0 and never ends: it is refused as a device at once."""
    problem = _refused(Path("/dev/zero"))
    assert problem.message == "cannot read file: it is a device, not a file"


@pytest.fixture
def pipe(tmp_path: Path) -> Iterator[Path]:
    """A named pipe fed valid YAML by a thread: its size on disk is 0."""
    path = tmp_path / "brief.yaml"
    os.mkfifo(path)

    def feed() -> None:
        try:
            with path.open("wb") as stream:
                stream.write(b"schema_version: 1\n")
        except BrokenPipeError:
            pass  # the loader never read, as it should

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    yield path
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)  # let the writer finish
    writer.join(timeout=5)
    os.close(descriptor)


def test_a_pipe_is_refused_without_waiting_for_its_writer(pipe: Path) -> None:
    assert _refused(pipe).message == "cannot read file: it is a pipe (FIFO), not a file"


def test_text_handed_over_directly_meets_the_same_limit() -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_text("#" * (MAX_FILE_BYTES + 1), "editor buffer")
    assert "briefs are limited to 1 MiB" in caught.value.problems[0].message


@pytest.mark.parametrize(
    ("content", "where", "message"),
    [
        (
            "meta:\n  version: " + "9" * 5000 + "\n",
            (2, 12),
            "invalid YAML: a number of more than 4,300 digits (quote it if it is text)",
        ),
        (
            'meta:\n  title: "Kim \\ud83d\\ude00"\n',
            (2, 10),
            "U+D83D (from a \\u escape) is half of a UTF-16 surrogate pair, not a character",
        ),
        (
            'meta:\n  "\\udc00": x\n',
            (2, 3),
            "U+DC00 (from a \\u escape) is half of a UTF-16 surrogate pair",
        ),
        (
            'summary:\n  - text: ["\\ud800"]\n',
            (2, 12),
            "U+D800 (from a \\u escape) is half of a UTF-16 surrogate pair",
        ),
    ],
    ids=["a 5,000-digit number", "a surrogate escape", "in a key", "in a flow list"],
)
def test_values_python_or_documents_cannot_hold_are_located(
    tmp_path: Path, content: str, where: tuple[int, int], message: str
) -> None:
    path = tmp_path / "brief.yaml"
    path.write_text(content, encoding="utf-8")
    problem = _refused(path)
    assert message in problem.message, problem.format()
    assert (problem.line, problem.column) == where, problem.format()


@pytest.mark.parametrize(
    "content",
    [
        b"\x00" * 1000,
        b"\xff\xfe" + "title: x\n".encode("utf-16-le"),
        b"a: " + b"9" * 10_000 + b"\n",
        b'a: "\\ud800"\n',
        b"a: &a [*a, *a]\n",
        b"- " * 5000 + b"x\n",
        b"a: !!python/object/apply:os.system ['echo pwned']\n",
        b"a: !!python/object/new:os.system {x: 1}\n",
        b"a: !!python/name:os.system\n",
        b"meta: !!set {title, date}\n",
        b"meta: {title: !!binary aGVsbG8=}\n",
        b"summary: !!omap [text: x]\n",
        b"a: 1\r\nb: [1, 2\r\n",
        b"\xef\xbb\xbf\xef\xbb\xbfa: 1\n",
    ],
    ids=[
        "NULs",
        "UTF-16 with BOM",
        "a huge number",
        "a surrogate",
        "a self-referencing alias",
        "5,000 nested lists",
        "a Python tag",
        "a Python tag on a mapping",
        "a Python name",
        "a set",
        "binary",
        "an ordered map",
        "an unclosed list with CRLF",
        "two byte order marks",
    ],
)
def test_the_cli_reports_hostile_yaml_without_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes
) -> None:
    path = tmp_path / "brief.yaml"
    path.write_bytes(content)
    started = time.perf_counter()
    assert main(["validate", str(path)]) == 1
    assert time.perf_counter() - started < SECONDS
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert captured.err.startswith(f"{path}:"), captured.err
    assert ": error: " in captured.err
    assert "pwned" not in captured.out
