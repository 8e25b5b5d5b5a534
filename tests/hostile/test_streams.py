"""Every file briefgen reads is a regular file, read with a cap: never a stream.

A FIFO blocks a reader until someone writes, ``/dev/zero`` never ends, a folder or a
device is not text at all.  Brief, theme, template, source, logo, font and
``--changes-since`` files are each refused, located, in well under a second; and a
watch session whose brief is replaced by a FIFO reports it and keeps watching.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from briefgen.build.pipeline import BuildRequest
from briefgen.build.watch import watch_and_rebuild
from briefgen.cli.main import build_and_report, main
from briefgen.support.reading import NotReadableError, read_regular_file
from tests.conftest import REPO, SAMPLE, theme_copy

FONTS = REPO / "templates" / "fonts"
_SPECIAL: dict[str, Callable[[Path], str]] = {}


def _special(kind: str) -> Callable[[Callable[[Path], str]], Callable[[Path], str]]:
    def register(make: Callable[[Path], str]) -> Callable[[Path], str]:
        _SPECIAL[kind] = make
        return make

    return register


@_special("fifo")
def _fifo(path: Path) -> str:
    os.mkfifo(path)
    return "a pipe (FIFO), not a file"


@_special("folder")
def _folder(path: Path) -> str:
    path.mkdir()
    return "a folder"


@_special("/dev/zero")
def _zero(path: Path) -> str:
    path.symlink_to("/dev/zero")
    return "a device, not a file"


@_special("/dev/urandom")
def _urandom(path: Path) -> str:
    path.symlink_to("/dev/urandom")
    return "a device, not a file"


def _sample_copy(folder: Path) -> Path:
    brief = folder / "brief.yaml"
    shutil.copy(SAMPLE, brief)
    return brief


def _brief_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    target = tmp / "brief.yaml"
    return ["validate", str(make(target) and target)], str(target)


def _build_brief_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    target = tmp / "brief.yaml"
    make(target)
    return ["build", str(target), "-o", str(tmp / "out")], str(target)


def _diff_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    target = tmp / "old.yaml"
    make(target)
    return ["diff", str(target), str(SAMPLE)], str(target)


def _email_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    target = tmp / "brief.yaml"
    make(target)
    return ["email", str(target), "--to", "a@example.org", "-o", str(tmp / "m.eml")], str(target)


def _changes_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    target = tmp / "old.yaml"
    make(target)
    command = ["build", str(SAMPLE), "-o", str(tmp / "out"), "--changes-since", str(target)]
    return command, str(target)


def _theme_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    target = tmp / "theme.toml"
    make(target)
    return ["build", str(SAMPLE), "-o", str(tmp / "out"), "--theme", str(target)], str(target)


def _logo_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    make(tmp / "logo.png")
    theme = theme_copy(tmp / "theme.toml", letterhead='[letterhead]\nlogo = "logo.png"\n')
    return ["validate", str(theme)], str(theme)


def _font_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    make(tmp / "serif.ttf")
    theme = theme_copy(
        tmp / "theme.toml", families='[fonts.families."Noto Serif"]\nregular = "serif.ttf"\n'
    )
    return ["validate", str(theme)], str(theme)


def _template_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    folder = tmp / "layout"
    folder.mkdir()
    (folder / "document.xml.j2").write_text(
        '{% extends "briefing_memo/document.xml.j2" %}\n'
        '{% block agenda %}{% include "part.j2" %}{% endblock %}\n',
        encoding="utf-8",
    )
    make(folder / "part.j2")
    command = ["build", str(SAMPLE), "-o", str(tmp / "out"), "--template", str(folder)]
    return command, "document.xml.j2:2"


def _source_case(tmp: Path, make: Callable[[Path], str]) -> tuple[list[str], str]:
    brief = tmp / "brief.yaml"
    brief.write_text(
        "schema_version: 1\nmeta: {title: T, date: 2024-10-17}\n"
        "summary:\n  - text: A point.\n    sources: [{id: s, quote: words}]\n"
        "sources:\n  - {id: s, title: S, path: text.txt}\n",
        encoding="utf-8",
    )
    make(tmp / "text.txt")
    return ["check", str(brief), "--sources-root", "/dev"], f"{brief}:7:"


_READERS = {
    "brief (validate)": _brief_case,
    "brief (build)": _build_brief_case,
    "brief (diff)": _diff_case,
    "brief (email)": _email_case,
    "--changes-since": _changes_case,
    "theme": _theme_case,
    "logo": _logo_case,
    "font": _font_case,
    "template": _template_case,
    "source": _source_case,
}


@pytest.mark.parametrize("kind", list(_SPECIAL))
@pytest.mark.parametrize("reader", list(_READERS))
def test_a_stream_is_refused_located_and_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], reader: str, kind: str
) -> None:
    command, where = _READERS[reader](tmp_path, _SPECIAL[kind])
    started = time.perf_counter()
    code = main(command)
    seconds = time.perf_counter() - started
    err = capsys.readouterr().err
    argument = reader.startswith("brief") or reader in {"--changes-since", "theme"}
    assert code == (2 if kind == "folder" and argument else 1), err  # 2: a usage error
    assert seconds < 1.5, seconds
    assert where in err or (kind == "folder" and argument), err
    assert "Traceback" not in err
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_the_shared_reader_caps_a_growing_file(tmp_path: Path) -> None:
    path = tmp_path / "big"
    path.write_bytes(b"x" * 1001)
    with pytest.raises(NotReadableError, match="larger than"):
        read_regular_file(path, 1000)
    assert read_regular_file(path, 1001) == b"x" * 1001


@pytest.fixture
def watched(tmp_path: Path) -> Iterator[tuple[Path, queue.Queue[tuple[list[str], bool]]]]:
    brief = _sample_copy(tmp_path)
    shutil.copytree(SAMPLE.parent / "sources", tmp_path / "sources")
    reports: queue.Queue[tuple[list[str], bool]] = queue.Queue()
    stop = threading.Event()
    ready = threading.Event()
    request = BuildRequest(brief, tmp_path / "out", ("pdf",))
    thread = threading.Thread(
        target=watch_and_rebuild,
        args=([request], lambda r: reports.put(build_and_report(r))),
        kwargs={"stop": stop, "ready": lambda _: ready.set()},
        daemon=True,
    )
    thread.start()
    assert ready.wait(30) and reports.get(timeout=30)[1]
    time.sleep(0.3)
    yield brief, reports
    stop.set()
    thread.join(timeout=30)
    assert not thread.is_alive()


def test_watch_mode_survives_a_brief_replaced_by_a_fifo(
    watched: tuple[Path, queue.Queue[tuple[list[str], bool]]],
) -> None:
    brief, reports = watched
    text = brief.read_text(encoding="utf-8")
    brief.unlink()
    os.mkfifo(brief)
    lines, ok = reports.get(timeout=30)
    assert not ok and any("a pipe (FIFO), not a file" in line for line in lines), lines
    brief.unlink()
    brief.write_text(text.replace("title: U.S.", "title: Again U.S.", 1), encoding="utf-8")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:  # the unlink may be reported on its own first
        lines, ok = reports.get(timeout=30)
        if ok:
            break
    assert ok, lines
