"""Writing outputs: all or nothing, last good outputs kept, plain reasons for failures."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from briefgen import output
from briefgen.cli import main
from briefgen.output import OutputError, write_all_atomically
from tests.conftest import SAMPLE


def _fail_fsync_on(call: int, code: int) -> Any:
    """An os.fsync that fails on its ``call``-th use, as a full disk would."""
    calls = {"count": 0}
    real = os.fsync

    def fsync(descriptor: int) -> None:
        calls["count"] += 1
        if calls["count"] == call:
            raise OSError(code, os.strerror(code))
        real(descriptor)

    return fsync


def test_a_full_disk_replaces_nothing_and_leaves_no_temporary_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "brief.pdf", tmp_path / "brief.docx"
    first.write_bytes(b"old pdf")
    second.write_bytes(b"old docx")
    monkeypatch.setattr("os.fsync", _fail_fsync_on(2, errno.ENOSPC))
    with pytest.raises(OutputError, match="the disk is full; the previous outputs are unchanged"):
        write_all_atomically([(first, b"new pdf"), (second, b"new docx")])
    assert first.read_bytes() == b"old pdf"  # the first file was written, but not renamed
    assert second.read_bytes() == b"old docx"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["brief.docx", "brief.pdf"]


def test_build_on_a_full_disk_is_a_clear_error_and_keeps_the_last_good_outputs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
    good = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    capsys.readouterr()
    monkeypatch.setattr("os.fsync", _fail_fsync_on(1, errno.ENOSPC))
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 1
    error = capsys.readouterr().err
    assert "the disk is full" in error and "Traceback" not in error
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == good


def test_a_folder_that_refuses_writing_is_a_plain_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: tests run as root in CI, where file modes do not stop writing."""

    def refuse(*_: Any, **__: Any) -> Any:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    target = tmp_path / "brief.pdf"
    with pytest.raises(OutputError, match="permission denied; nothing was replaced"):
        output.write_atomically(target, b"data")
    assert not target.exists()


def test_outputs_replace_old_files_whole(tmp_path: Path) -> None:
    target = tmp_path / "brief.pdf"
    target.write_bytes(b"x" * 1000)
    output.write_atomically(target, b"short")
    assert target.read_bytes() == b"short"
    assert oct(target.stat().st_mode & 0o777) == "0o644"


def test_an_output_that_is_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "sources").symlink_to(SAMPLE.parent / "sources")
    out = tmp_path / "out"
    out.mkdir()
    (out / "brief.pdf").symlink_to(brief)  # writing the PDF would overwrite the brief
    assert main(["build", str(brief), "-o", str(out)]) == 1
    assert "refusing to overwrite the input file" in capsys.readouterr().err
    assert brief.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_output_names_cannot_leave_the_output_folder(tmp_path: Path) -> None:
    from briefgen.build import BuildRequest, output_path
    from briefgen.errors import BriefgenError

    assert output_path(BuildRequest(SAMPLE, tmp_path), "pdf") == tmp_path / f"{SAMPLE.stem}.pdf"
    for audience in ("../../etc/x", "a/b"):
        with pytest.raises(BriefgenError, match="would leave"):
            output_path(BuildRequest(SAMPLE, tmp_path, audience=audience), "pdf")
