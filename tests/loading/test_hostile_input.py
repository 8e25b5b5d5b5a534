"""Hostile YAML: every case is refused with a located, plain message, quickly and in bounded
memory. The time bound is generous (a hang detector, not a benchmark: machines are shared);
memory is measured with tracemalloc, which is deterministic."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import pytest

from briefgen.errors import InvalidInputError, Problem
from briefgen.loading.yaml_source import MAX_FILE_BYTES, load_yaml_file

SECONDS = 10.0
MEGABYTES = 100


def _billion_laughs() -> bytes:
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    return ("\n".join(lines) + "\n").encode()


CASES: dict[str, tuple[Callable[[], bytes], str]] = {
    "billion laughs": (_billion_laughs, "more than 200,000 values (are aliases expanding?)"),
    "deep flow nesting": (
        lambda: b"a: " + b"[" * 100_000 + b"]" * 100_000 + b"\n",
        "nested more than 50 levels deep",
    ),
    "deep block nesting": (
        lambda: (
            "".join("  " * i + f"k{i}:\n" for i in range(400)).encode() + b"  " * 400 + b"v: 1\n"
        ),
        "nested more than 50 levels deep",
    ),
    "recursive alias": (lambda: b"a: &x [*x]\n", "nested more than 50 levels deep"),
    "binary junk": (lambda: bytes(range(256)) * 64, "file is not UTF-8 text"),
    "UTF-16": (lambda: "title: 김홍균\n".encode("utf-16"), "file is not UTF-8 text"),
    "Latin-1": (lambda: "title: Müller\n".encode("latin-1"), "file is not UTF-8 text"),
    "Shift-JIS": (lambda: "title: 岡野正敬\n".encode("shift_jis"), "file is not UTF-8 text"),
    "tabs": (lambda: b"meta:\n\ttitle: x\n", "a tab where YAML needs spaces"),
    "duplicate keys": (lambda: b"a: 1\nb: 2\na: 3\n", 'duplicate key "a"'),
    "a YAML tag": (lambda: b"a: !!python/object:os.system x\n", "YAML tags such as"),
    "NUL bytes": (lambda: b"a: b\x00c\n", "invalid YAML"),
}


def load_refused(path: Path) -> tuple[Problem, float, float]:
    """Load ``path``, which must be refused: its first problem, the seconds it took and
    the peak traced memory in MB."""
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(InvalidInputError) as caught:
            load_yaml_file(path)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1e6
    finally:
        tracemalloc.stop()
    return caught.value.problems[0], seconds, peak


@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_yaml_is_refused_clearly_quickly_and_in_bounded_memory(
    tmp_path: Path, case: str
) -> None:
    content, message = CASES[case]
    path = tmp_path / "hostile.yaml"
    path.write_bytes(content())
    problem, seconds, peak = load_refused(path)
    assert message in problem.message, problem.format()
    assert problem.file == str(path)
    assert seconds < SECONDS and peak < MEGABYTES, (seconds, peak)


def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        block = b"key: " + b"x" * (1024 * 1024 - 6) + b"\n"
        for _ in range(50):
            stream.write(block)
    assert path.stat().st_size >= 50 * 1024 * 1024 > MAX_FILE_BYTES
    problem, _, peak = load_refused(path)
    assert "briefs are limited to 1 MiB" in problem.message
    assert peak < 1  # MB: the file is never read into memory


def test_byte_order_mark_and_windows_line_ends_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "windows.yaml"
    path.write_bytes(b"\xef\xbb\xbfmeta:\r\n  title: x\r\n")
    assert load_yaml_file(path).data == {"meta": {"title": "x"}}
