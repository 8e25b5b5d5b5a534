"""Watch mode against the real file watcher: save, wait for the rebuild, read the output."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.build.pipeline import BuildRequest
from briefgen.build.watch import WatchSet, watch_and_rebuild
from briefgen.cli.main import build_and_report
from tests.conftest import REPO, SAMPLE, theme_copy

_WAIT = 20.0
"""Seconds to wait for a rebuild; generous because CI machines are shared and slow."""


@dataclass
class _Session:
    """A watch session running in a thread, its reports arriving on a queue."""

    brief: Path
    out: Path
    reports: queue.Queue[tuple[str, list[str], bool]] = field(default_factory=queue.Queue)
    stop: threading.Event = field(default_factory=threading.Event)

    def next_report(self) -> tuple[str, list[str], bool]:
        try:
            return self.reports.get(timeout=_WAIT)
        except queue.Empty:
            pytest.fail(f"no rebuild within {_WAIT} s")

    def assert_quiet(self, seconds: float = 1.0) -> None:
        with pytest.raises(queue.Empty):
            self.reports.get(timeout=seconds)

    @property
    def pdf(self) -> Path:
        return self.out / f"{self.brief.stem}.pdf"


def _copy_sample(folder: Path) -> Path:
    brief = folder / "brief.yaml"
    shutil.copy(SAMPLE, brief)
    shutil.copytree(SAMPLE.parent / "sources", folder / "sources")
    return brief


@pytest.fixture
def session_factory(tmp_path: Path) -> Iterator[_SessionFactory]:
    factory = _SessionFactory(tmp_path)
    yield factory
    factory.close()


class _SessionFactory:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.threads: list[tuple[threading.Thread, threading.Event]] = []

    def start(self, *, template: str = "briefing_memo", theme: Path | None = None) -> _Session:
        brief = _copy_sample(self.folder)
        session = _Session(brief=brief, out=self.folder / "out")
        request = BuildRequest(brief, session.out, ("pdf",), template, theme)
        ready = threading.Event()

        def rebuild(request: BuildRequest) -> None:
            lines, ok = build_and_report(request)
            session.reports.put((request.source.name, lines, ok))

        thread = threading.Thread(
            target=watch_and_rebuild,
            args=([request], rebuild),
            kwargs={"stop": session.stop, "ready": lambda _: ready.set()},
            daemon=True,
        )
        thread.start()
        self.threads.append((thread, session.stop))
        assert session.next_report()[2], "the first build failed"
        assert ready.wait(_WAIT)
        time.sleep(0.3)  # let the watcher register its folders before the first save
        return session

    def close(self) -> None:
        for thread, stop in self.threads:
            stop.set()
            thread.join(timeout=_WAIT)
            assert not thread.is_alive(), "the watcher did not stop"


def _pdf_text(path: Path) -> str:
    return " ".join(page.extract_text() for page in PdfReader(path).pages)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_save_rebuilds_and_the_output_shows_the_edit(session_factory: _SessionFactory) -> None:
    session = session_factory.start()
    _edit(session.brief, "title: U.S.", "title: Revised U.S.")
    name, lines, ok = session.next_report()
    assert ok and name == "brief.yaml"
    assert any(line.startswith("built") and line.endswith(" ms") for line in lines)
    assert "Revised U.S." in _pdf_text(session.pdf)
    session.assert_quiet()  # writing the outputs must not trigger another rebuild


def test_an_invalid_save_reports_located_errors_and_keeps_the_last_good_output(
    session_factory: _SessionFactory,
) -> None:
    session = session_factory.start()
    good = session.pdf.read_bytes()
    _edit(session.brief, "schema_version: 1", "schema_version: 1\nsummary_typo: x")
    _, lines, ok = session.next_report()
    assert not ok
    assert any("brief.yaml:" in line and "summary_typo" in line for line in lines)
    assert session.pdf.read_bytes() == good
    _edit(session.brief, "\nsummary_typo: x", "")
    assert session.next_report()[2]


def test_an_editor_that_saves_by_renaming_still_triggers_a_rebuild(
    session_factory: _SessionFactory,
) -> None:
    session = session_factory.start()
    temporary = session.brief.with_name(".brief.yaml.swp")
    text = session.brief.read_text(encoding="utf-8").replace("title: U.S.", "title: Renamed U.S.")
    temporary.write_text(text, encoding="utf-8")
    temporary.replace(session.brief)
    assert session.next_report()[2]
    assert "Renamed U.S." in _pdf_text(session.pdf)


def test_a_template_edit_triggers_a_rebuild(
    session_factory: _SessionFactory, tmp_path: Path
) -> None:
    folder = tmp_path / "mine"
    folder.mkdir()
    template = folder / "document.xml.j2"
    template.write_text('{% extends "briefing_memo/document.xml.j2" %}', encoding="utf-8")
    session = session_factory.start(template=str(folder))
    template.write_text(
        '{% extends "briefing_memo/document.xml.j2" %}'
        "{% block agenda %}<p>Agenda withheld for this reader</p>{% endblock %}",
        encoding="utf-8",
    )
    assert session.next_report()[2]
    assert "Agenda withheld for this reader" in _pdf_text(session.pdf)


def test_a_theme_edit_triggers_a_rebuild_with_the_new_theme(
    session_factory: _SessionFactory, tmp_path: Path
) -> None:
    theme = theme_copy(tmp_path / "themes" / "mine.toml")
    session = session_factory.start(theme=theme)
    assert round(float(PdfReader(session.pdf).pages[0].mediabox.width)) == 595  # A4
    _edit(theme, 'size = "A4"', 'size = "Letter"')
    assert session.next_report()[2]
    assert round(float(PdfReader(session.pdf).pages[0].mediabox.width)) == 612  # Letter


def test_the_watch_set_ignores_outputs_and_swap_files(tmp_path: Path) -> None:
    brief = _copy_sample(tmp_path)
    request = BuildRequest(brief, tmp_path / "out")
    watch_set = WatchSet.for_requests([request])
    assert watch_set.is_relevant(brief)
    assert not watch_set.is_relevant(tmp_path / "out" / "brief.pdf")
    assert not watch_set.is_relevant(tmp_path / ".brief.yaml.swp")
    assert watch_set.is_relevant(REPO / "templates" / "briefing_memo" / "document.xml.j2")
    other = BuildRequest(tmp_path / "other.yaml", tmp_path / "out")
    assert watch_set.affected([brief], [request, other]) == [request]


def test_ctrl_c_stops_cleanly(tmp_path: Path) -> None:
    brief = _copy_sample(tmp_path)
    command = ["build", str(brief), "-o", str(tmp_path / "out"), "--watch", "-f", "pdf"]
    process = subprocess.Popen(
        [sys.executable, "-m", "briefgen", *command],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    deadline = time.monotonic() + _WAIT
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        seen.append(line)
        if line.startswith("watching"):
            break
    else:
        process.kill()
        pytest.fail(f"watch mode never said it was watching: {seen}")
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=_WAIT)
    assert process.returncode == 0
    assert "Traceback" not in stderr
    assert "stopped watching" in stdout


def test_only_the_briefs_own_folder_is_watched_not_everything_below_it(tmp_path: Path) -> None:
    brief = _copy_sample(tmp_path)
    (tmp_path / "deep" / "deeper").mkdir(parents=True)
    folders = WatchSet.for_requests([BuildRequest(brief, tmp_path / "out")]).folders()
    assert tmp_path.resolve() in folders
    assert (tmp_path / "deep").resolve() not in folders
    assert (REPO / "templates" / "briefing_memo").resolve() in folders  # templates: every folder
