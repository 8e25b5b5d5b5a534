"""`briefgen build` end to end: outputs written atomically, reproducibly, never over the input."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.build import pipeline as build_module
from briefgen.cli.main import main
from briefgen.document.nodes import Document
from briefgen.errors import BriefgenError
from briefgen.presentation.theme import Theme
from tests.conftest import FIXTURES, SAMPLE, user_layout


def test_build_writes_both_formats_and_reports_size_and_time(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    for suffix in ("pdf", "docx"):
        path = tmp_path / f"{SAMPLE.stem}.{suffix}"
        assert path.stat().st_size > 10_000
        assert f"wrote {path} (" in out and " KiB, " in out and " ms)" in out


def test_format_option_writes_only_that_format(tmp_path: Path) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "-f", "docx"]) == 0
    assert [path.name for path in tmp_path.iterdir()] == [f"{SAMPLE.stem}.docx"]


def test_a_layout_variant_never_replaces_the_default_build(tmp_path: Path) -> None:
    """The read-ahead built into the folder of the full memo gets a name of its own."""
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "-f", "pdf"]) == 0
    full = (tmp_path / f"{SAMPLE.stem}.pdf").read_bytes()
    command = ["build", str(SAMPLE), "-o", str(tmp_path), "-f", "pdf", "--template", "read_ahead"]
    assert main(command) == 0
    assert (tmp_path / f"{SAMPLE.stem}.pdf").read_bytes() == full
    assert (tmp_path / f"{SAMPLE.stem}-read_ahead.pdf").read_bytes() != full


@pytest.mark.parametrize(
    ("template", "audience", "suffix"),
    [
        (None, None, ""),
        ("read_ahead", None, "-read_ahead"),
        (None, "press", "-press"),
        ("read_ahead", "press", "-read_ahead-press"),
        ("layouts/my-memo/", None, "-my-memo"),
    ],
)
def test_variant_names(template: str | None, audience: str | None, suffix: str) -> None:
    assert build_module.variant_suffix(template, audience) == suffix


def test_same_input_gives_identical_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["build", str(SAMPLE), "-o", str(first)]) == 0
    assert main(["build", str(SAMPLE), "-o", str(second)]) == 0
    for suffix in ("pdf", "docx"):
        name = f"{SAMPLE.stem}.{suffix}"
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_source_date_epoch_changes_the_stamp_reproducibly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729036800")
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "a"), "-f", "pdf"]) == 0
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "b"), "-f", "pdf"]) == 0
    name = f"{SAMPLE.stem}.pdf"
    assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "yesterday")
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "c")]) == 1


def test_invalid_brief_builds_nothing_and_keeps_last_good_outputs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.yaml"
    shutil.copy(SAMPLE, brief)
    out = tmp_path / "out"
    assert main(["build", str(brief), "-o", str(out)]) == 0
    good = {path.name: path.read_bytes() for path in out.iterdir()}
    shutil.copy(FIXTURES / "wrong_input.yaml", brief)
    assert main(["build", str(brief), "-o", str(out)]) == 1
    assert {path.name: path.read_bytes() for path in out.iterdir()} == good
    assert "brief.yaml:2:1: error:" in capsys.readouterr().err


def test_a_failing_writer_leaves_previous_outputs_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 0
    good = {path.name: path.read_bytes() for path in tmp_path.iterdir()}
    real = build_module.render_format

    def docx_fails(fmt: str, document: Document, theme: Theme) -> bytes:
        if fmt == "docx":
            raise BriefgenError("simulated writer failure")
        return real(fmt, document, theme)

    monkeypatch.setattr(build_module, "render_format", docx_fails)
    assert main(["build", str(SAMPLE), "-o", str(tmp_path)]) == 1
    assert {path.name: path.read_bytes() for path in tmp_path.iterdir()} == good
    assert "simulated writer failure" in capsys.readouterr().err


def test_never_writes_over_the_input_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    disguised = tmp_path / "brief.pdf"
    shutil.copy(SAMPLE, disguised)
    before = disguised.read_bytes()
    assert main(["build", str(disguised), "-o", str(tmp_path), "-f", "pdf"]) == 1
    assert disguised.read_bytes() == before
    assert "refusing to overwrite the input file" in capsys.readouterr().err


def test_unwritable_output_folder_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["build", str(SAMPLE), "-o", str(blocker / "out")]) == 1
    assert "a part of the path is a file, not a folder" in capsys.readouterr().err


def test_several_files_in_parallel(tmp_path: Path) -> None:
    copies = []
    for name in ("one", "two", "three"):
        copy = tmp_path / f"{name}.yaml"
        shutil.copy(SAMPLE, copy)
        copies.append(str(copy))
    assert main(["build", *copies, "-o", str(tmp_path / "out"), "-f", "pdf", "-j", "2"]) == 0
    assert sorted(path.name for path in (tmp_path / "out").iterdir()) == [
        "one.pdf",
        "three.pdf",
        "two.pdf",
    ]


def test_unknown_template_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "--template", "nope"]) == 1
    assert "no template 'nope'" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_user_template_folder_extends_the_built_in_one(tmp_path: Path) -> None:
    folder = user_layout(tmp_path / "mine", "agenda", "<p>Agenda withheld</p>")
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "--template", str(folder)]) == 0


def test_template_bug_is_reported_with_its_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "broken"
    folder.mkdir()
    (folder / "document.xml.j2").write_text(
        '<document title="t">\n<p>{{ brief.no_such_field }}</p>\n</document>', encoding="utf-8"
    )
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--template", str(folder)]) == 1
    err = capsys.readouterr().err
    assert "template error" in err and "document.xml.j2:2" in err
    assert "Traceback" not in err
