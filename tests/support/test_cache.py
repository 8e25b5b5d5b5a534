"""The on-disk cache: reused across processes, never trusted when damaged, optional."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

import pytest

from briefgen.support.cache import cache_folder, cached_bytes, read_entry, write_entry


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    return tmp_path / "cache"


def test_a_result_is_made_once_and_then_read(folder: Path) -> None:
    calls: list[int] = []

    def make() -> bytes:
        calls.append(1)
        return b"subset bytes"

    assert cached_bytes("kind", ["a", b"b"], make) == b"subset bytes"
    assert cached_bytes("kind", ["a", b"b"], make) == b"subset bytes"
    assert len(calls) == 1
    assert cached_bytes("kind", ["a", b"c"], make) == b"subset bytes"
    assert len(calls) == 2
    assert len(list((folder / "kind").glob("*.bin"))) == 2


def test_a_damaged_entry_is_made_again(folder: Path) -> None:
    cached_bytes("kind", ["key"], lambda: b"good")
    (entry,) = (folder / "kind").glob("*.bin")
    entry.write_bytes(entry.read_bytes()[:-1] + b"X")
    assert cached_bytes("kind", ["key"], lambda: b"good") == b"good"
    entry.write_bytes(b"")
    assert cached_bytes("kind", ["key"], lambda: b"good") == b"good"
    assert entry.read_bytes().endswith(b"good")


def test_the_cache_can_be_turned_off(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_NO_CACHE", "1")
    assert cache_folder() is None
    assert cached_bytes("kind", ["key"], lambda: b"made") == b"made"
    assert not folder.exists()


def test_an_unwritable_cache_only_costs_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(blocker / "cache"))
    assert cached_bytes("kind", ["key"], lambda: b"made") == b"made"


def test_the_default_folder_is_the_users_cache_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    folder = cache_folder()
    assert folder is not None and folder.name == "briefgen"


def test_entries_can_be_read_and_written_apart(folder: Path) -> None:
    assert read_entry("kind", ["key"]) is None
    write_entry("kind", ["key"], b"code")
    assert read_entry("kind", ["key"]) == b"code"
    assert cached_bytes("kind", ["key"], lambda: b"other") == b"code"
    assert len(list((folder / "kind").glob("*.bin"))) == 1


def _write_many(folder: str, worker: int) -> None:
    os.environ["BRIEFGEN_CACHE_DIR"] = folder
    os.environ.pop("BRIEFGEN_NO_CACHE", None)
    for round_ in range(60):
        write_entry("kind", ["shared"], bytes([worker]) * (50_000 + round_))


def test_processes_writing_one_entry_at_once_leave_a_whole_entry(folder: Path) -> None:
    """Readers see either no entry or one writer's whole bytes, never a mixture."""
    context = multiprocessing.get_context("spawn")
    writers = [context.Process(target=_write_many, args=(str(folder), n)) for n in (1, 2, 3)]
    for process in writers:
        process.start()
    seen = []
    while any(process.is_alive() for process in writers):
        found = read_entry("kind", ["shared"])
        if found is not None:
            seen.append(found)
    for process in writers:
        process.join()
        assert process.exitcode == 0
    final = read_entry("kind", ["shared"])
    assert final is not None
    for data in [*seen, final]:
        assert len(set(data)) == 1 and len(data) >= 50_000
    assert not [p for p in (folder / "kind").iterdir() if p.name.startswith(".entry-")]
