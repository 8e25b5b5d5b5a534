"""The command line: exit codes, messages on stderr, starter and schema, lazy imports."""

from __future__ import annotations

import gc
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import __version__
from briefgen.cli.main import main
from tests.conftest import FIXTURES, REPO, SAMPLE, theme_copy


def test_validate_ok_and_invalid(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(SAMPLE)]) == 0
    assert main(["validate", str(SAMPLE), str(FIXTURES / "wrong_input.yaml")]) == 1
    captured = capsys.readouterr()
    assert f"{SAMPLE}: ok" in captured.out
    first = captured.err.splitlines()[0]
    assert first.startswith(f"{FIXTURES / 'wrong_input.yaml'}:2:1: error: meta.title: ")
    assert "Traceback" not in captured.err


def test_validate_json_format(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "--format", "json", str(FIXTURES / "wrong_input.yaml")]) == 1
    problems = json.loads(capsys.readouterr().out)
    assert problems[0] == {
        "file": str(FIXTURES / "wrong_input.yaml"),
        "line": 2,
        "column": 1,
        "path": "meta.title",
        "message": "required key 'title' is missing",
        "severity": "error",
    }


def test_validate_missing_and_binary_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.yaml"
    junk.write_bytes(bytes(range(256)))
    assert main(["validate", str(tmp_path / "absent.yaml"), str(junk)]) == 1
    err = capsys.readouterr().err
    assert "absent.yaml: error: cannot read file" in err
    assert "junk.yaml" in err and "Traceback" not in err


def test_schema_command_prints_the_committed_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    assert capsys.readouterr().out == (REPO / "schemas" / "brief.schema.json").read_text()


def test_new_writes_a_starter_that_validates_and_never_overwrites(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "brief.yaml"
    assert main(["new", str(target)]) == 0
    assert main(["validate", str(target)]) == 0
    target.write_text("my work", encoding="utf-8")
    assert main(["new", str(target)]) == 1
    assert target.read_text(encoding="utf-8") == "my work"
    assert "file exists" in capsys.readouterr().err
    assert main(["new", "--force", str(target)]) == 0
    assert target.read_text(encoding="utf-8").startswith("# For completion")


@pytest.mark.parametrize("doc_type", ["briefing_memo", "info_memo", "action_memo", "policy_brief"])
def test_new_starts_each_document_type_with_a_brief_that_passes_check(
    tmp_path: Path, doc_type: str
) -> None:
    from briefgen.validation import load_brief

    target = tmp_path / f"{doc_type}.yaml"
    assert main(["new", "--doc-type", doc_type, str(target)]) == 0
    assert main(["check", "--strict", str(target)]) == 0
    brief = load_brief(target)
    assert brief.meta.doc_type == doc_type
    assert (brief.decision is not None) == (doc_type == "action_memo")
    assert bool(brief.meta.authors) == bool(brief.recommendations) == (doc_type == "policy_brief")


def test_help_and_version_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    for command in ([], ["validate"], ["build"], ["new"], ["schema"]):
        assert main([*command, "--help"]) == 0
    assert main(["--version"]) == 0
    assert __version__ in capsys.readouterr().out


@pytest.mark.parametrize(
    "argv",
    [
        ["frobnicate"],
        ["validate"],
        ["build", "--format", "odt", "x.yaml"],
        ["build", "-j", "0", "x.yaml"],
        ["validate", "--bogus", "x.yaml"],
    ],
)
def test_usage_errors_exit_2(argv: list[str]) -> None:
    assert main(argv) == 2


def test_help_and_validate_do_not_import_the_writers() -> None:
    code = (
        "import sys; from briefgen.cli.main import main; "
        f"main(['validate', {str(SAMPLE)!r}]); "
        "heavy = [m for m in ('reportlab', 'docx', 'jinja2') if m in sys.modules]; "
        "print('HEAVY=' + ','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert "HEAVY=\n" in result.stdout, result.stdout


def test_console_script_runs() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "briefgen", "--version"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0
    assert __version__ in result.stdout


def test_validate_checks_theme_files_with_located_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = theme_copy(tmp_path / "good.toml")
    bad = theme_copy(tmp_path / "bad.toml", replace=('size = "A4"', 'size = "A5"'))
    assert main(["validate", str(good)]) == 0
    assert f"{good}: ok" in capsys.readouterr().out
    assert main(["validate", str(bad)]) == 1
    error = capsys.readouterr().err
    line = next(
        number
        for number, text in enumerate(bad.read_text(encoding="utf-8").splitlines(), 1)
        if text.startswith("size =")
    )
    assert f"{bad}:{line}:1: error: page.size: Input should be 'A4' or 'Letter'" in error


def test_schema_prints_the_theme_schema_too(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--theme"]) == 0
    assert '"title": "Theme"' in capsys.readouterr().out


# --- the one-shot process: no garbage collector, no interpreter teardown ---------------------


_CALL_MAIN = "import sys; from briefgen.cli.main import main; sys.exit(main(sys.argv[1:]))"


_CALL_MAIN = "import sys; from briefgen.cli.main import main; sys.exit(main(sys.argv[1:]))"


def test_the_console_entry_point_keeps_exit_codes_and_every_line(tmp_path: Path) -> None:
    """``run`` leaves with ``os._exit``: what was printed must all arrive, through a pipe
    too, and the exit code must be the command's."""
    briefs = []
    for index in range(40):
        brief = tmp_path / f"wrong-{index}.yaml"
        shutil.copy(FIXTURES / "wrong_input.yaml", brief)
        briefs.append(str(brief))
    command = [sys.executable, "-m", "briefgen", "validate", *briefs]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 1
    in_process = subprocess.run(
        [sys.executable, "-c", _CALL_MAIN, "validate", *briefs],
        capture_output=True,
        text=True,
        cwd=REPO,
    )
    assert result.stderr == in_process.stderr and result.stderr.count("\n") > 40
    ok = subprocess.run(
        [sys.executable, "-m", "briefgen", "validate", str(SAMPLE)], capture_output=True, cwd=REPO
    )
    assert (ok.returncode, ok.stdout.strip()) == (0, f"{SAMPLE}: ok".encode())


def test_calling_main_in_process_leaves_the_garbage_collector_alone(tmp_path: Path) -> None:
    """Only the console entry point turns the collector off; a program (or this test
    run) calling ``main`` keeps its own."""
    assert gc.isenabled()
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "-f", "pdf"]) == 0
    assert gc.isenabled()
