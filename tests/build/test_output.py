"""Writing outputs: all or nothing, last good outputs kept, plain reasons for failures."""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import pytest

from briefgen.build import output
from briefgen.build.output import OutputError, write_all_atomically
from briefgen.cli.main import main
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
    brief = _sample_copy(tmp_path / "brief.yaml")
    out = tmp_path / "out"
    out.mkdir()
    (out / "brief.pdf").symlink_to(brief)  # writing the PDF would overwrite the brief
    assert main(["build", str(brief), "-o", str(out)]) == 1
    assert "refusing to overwrite the input file" in capsys.readouterr().err
    assert brief.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def test_output_names_cannot_leave_the_output_folder(tmp_path: Path) -> None:
    from briefgen.build.pipeline import BuildRequest, output_path
    from briefgen.errors import BriefgenError

    assert output_path(BuildRequest(SAMPLE, tmp_path), "pdf") == tmp_path / f"{SAMPLE.stem}.pdf"
    for audience in ("../../etc/x", "a/b"):
        with pytest.raises(BriefgenError, match="would leave"):
            output_path(BuildRequest(SAMPLE, tmp_path, audience=audience), "pdf")


def _outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


@pytest.fixture
def built(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An output folder holding the last good outputs of the sample, marked so that they
    differ from what a new build would write (builds are byte-identical otherwise)."""
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out)]) == 0
    capsys.readouterr()
    for path in out.iterdir():
        path.write_bytes(path.read_bytes() + b"\n% last good")
    return out


def test_a_read_only_folder_is_a_plain_error_and_keeps_the_last_good_outputs(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The folder's mode really forbids writing; as root (CI containers), where modes do
    not stop writing, the refusal the kernel would give is simulated as well."""
    good = _outputs(built)
    if os.geteuid() == 0:

        def refuse(*_: Any, **__: Any) -> Any:
            raise PermissionError(errno.EACCES, "Permission denied")

        monkeypatch.setattr("tempfile.mkstemp", refuse)
    built.chmod(0o500)
    try:
        assert main(["build", str(SAMPLE), "-o", str(built)]) == 1
    finally:
        built.chmod(0o755)
    error = capsys.readouterr().err
    assert f"cannot write {built / SAMPLE.stem}.pdf, {built / SAMPLE.stem}.docx" in error
    assert "permission denied; the previous outputs are unchanged" in error
    assert "Traceback" not in error
    assert _outputs(built) == good


def test_a_disk_that_fills_up_while_writing_leaves_no_temporary_file(
    built: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Here the write itself fails half-way (the other test fails the flush)."""
    good = _outputs(built)
    real = os.fdopen

    class FullDisk:
        def __init__(self, stream: Any) -> None:
            self.stream = stream

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *_: object) -> None:
            self.stream.close()

        def write(self, data: bytes) -> int:
            self.stream.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("os.fdopen", lambda *args, **kwargs: FullDisk(real(*args, **kwargs)))
    assert main(["build", str(SAMPLE), "-o", str(built)]) == 1
    error = capsys.readouterr().err
    assert "the disk is full; the previous outputs are unchanged" in error
    assert _outputs(built) == good
    assert sorted(path.name for path in built.iterdir()) == sorted(good)


def test_a_folder_in_the_way_of_one_output_replaces_none(
    built: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Checked before writing: renaming the PDF and then failing on the DOCX would leave
    a new PDF beside an old DOCX."""
    docx = built / f"{SAMPLE.stem}.docx"
    docx.unlink()
    docx.mkdir()
    good = _outputs(built)
    assert main(["build", str(SAMPLE), "-o", str(built)]) == 1
    error = capsys.readouterr().err
    assert f"cannot write {docx}: a folder is in the way; nothing was replaced" in error
    assert _outputs(built) == good
    assert sorted(path.name for path in built.iterdir()) == sorted([*good, docx.name])


def test_a_rename_that_fails_half_way_says_what_was_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "brief.pdf", tmp_path / "brief.docx"
    real = Path.replace
    calls: list[Path] = []

    def replace(self: Path, target: Any) -> Path:
        calls.append(self)
        if len(calls) == 2:
            raise OSError(errno.EIO, "Input/output error")
        return real(self, target)

    monkeypatch.setattr(Path, "replace", replace)
    with pytest.raises(OutputError) as caught:
        write_all_atomically([(first, b"new pdf"), (second, b"new docx")])
    assert str(caught.value) == (
        f"cannot write {first}, {second}: Input/output error; only {first} was replaced"
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["brief.pdf"]


def test_a_file_where_the_output_folder_should_be_is_a_plain_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "out"
    blocker.write_bytes(b"not a folder")
    assert main(["build", str(SAMPLE), "-o", str(blocker / "briefs")]) == 1
    error = capsys.readouterr().err
    assert "a part of the path is a file, not a folder; the previous outputs are unchanged" in (
        error
    )
    assert blocker.read_bytes() == b"not a folder"
    with pytest.raises(OutputError, match="a file is in the way of the output folder"):
        output.write_atomically(blocker / "brief.pdf", b"data")
    assert blocker.read_bytes() == b"not a folder"


def test_an_output_that_links_elsewhere_is_replaced_not_written_through(
    built: Path, tmp_path: Path
) -> None:
    """Outputs never land outside the chosen folder, even when an old output is a link out."""
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_bytes(b"someone else's file")
    pdf = built / f"{SAMPLE.stem}.pdf"
    pdf.unlink()
    pdf.symlink_to(elsewhere)
    assert main(["build", str(SAMPLE), "-o", str(built), "-f", "pdf"]) == 0
    assert not pdf.is_symlink() and pdf.read_bytes().startswith(b"%PDF-")
    assert elsewhere.read_bytes() == b"someone else's file"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["elsewhere.txt", "out"]


def test_an_output_hard_linked_to_the_input_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _sample_copy(tmp_path / "brief.yaml")
    out = tmp_path / "out"
    out.mkdir()
    os.link(brief, out / "brief.docx")
    assert main(["build", str(brief), "-o", str(out)]) == 1
    assert "refusing to overwrite the input file" in capsys.readouterr().err
    assert brief.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")
    assert not (out / "brief.pdf").exists()  # all or nothing


def test_an_input_named_like_its_output_is_never_overwritten(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """``briefgen build brief.pdf -f pdf -o .`` would write the PDF over the brief."""
    brief = _sample_copy(tmp_path / "brief.pdf")
    assert main(["build", str(brief), "-o", str(tmp_path), "-f", "pdf"]) == 1
    assert f"refusing to overwrite the input file {brief}" in capsys.readouterr().err
    assert brief.read_text(encoding="utf-8") == SAMPLE.read_text(encoding="utf-8")


def _sample_copy(brief: Path) -> Path:
    """The sample brief copied to ``brief``, with its sources beside it."""
    brief.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (brief.parent / "sources").symlink_to(SAMPLE.parent / "sources")
    return brief
