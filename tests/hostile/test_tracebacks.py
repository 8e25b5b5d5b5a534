"""Inputs that used to end in a traceback now end in a located error and exit 1.

Themes (deeply nested arrays, a truncated logo, margins that leave no room for text,
letterhead text no font can draw), YAML the parser refuses with no line (NUL, U+FFFE,
control characters, lone surrogates, escapes past U+10FFFF, recursive aliases, deep
block nesting), and ``-j`` with a brief whose build crashes.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from PIL import Image

from briefgen.build import pipeline as build
from briefgen.cli.main import main
from tests.conftest import SAMPLE, theme_copy


def _run(command: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    started = time.perf_counter()
    code = main(command)
    assert time.perf_counter() - started < 5
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def _sample_in(folder: Path, name: str = "brief.yaml") -> Path:
    brief = folder / name
    shutil.copy(SAMPLE, brief)
    shutil.copytree(SAMPLE.parent / "sources", folder / "sources", dirs_exist_ok=True)
    return brief


@pytest.mark.parametrize(
    ("depth", "where"),
    [(21, ":2:"), (1000, ":2:"), (100_000, ":2:")],
)
def test_deeply_nested_theme_arrays_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], depth: int, where: str
) -> None:
    theme = tmp_path / "theme.toml"
    theme.write_text('name = "x"\nx = ' + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    code, err = _run(["validate", str(theme)], capsys)
    assert code == 1
    assert f"{theme}{where}" in err and "nested more than 20 deep" in err


@pytest.mark.parametrize("cut", [0.3, 0.6, 0.95])
def test_a_truncated_logo_is_refused_when_the_theme_loads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], cut: float
) -> None:
    whole = tmp_path / "whole.png"
    Image.new("RGB", (300, 120), "navy").save(whole)
    data = whole.read_bytes()
    (tmp_path / "logo.png").write_bytes(data[: int(len(data) * cut)])
    theme = theme_copy(tmp_path / "theme.toml", letterhead='[letterhead]\nlogo = "logo.png"\n')
    code, err = _run(["validate", str(theme)], capsys)
    assert code == 1
    assert f"{theme}:" in err and "letterhead.logo: logo.png is not a readable PNG" in err


@pytest.mark.parametrize(
    "margins",
    [
        {"left": 79, "right": 79},
        {"top": 79, "bottom": 79},
        {"left": 79.9, "right": 79.9, "top": 79.9, "bottom": 79.9},
        {"left": 60, "right": 60},
    ],
)
def test_margins_that_leave_no_room_for_text_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], margins: dict[str, float]
) -> None:
    theme = theme_copy(tmp_path / "theme.toml")
    text = theme.read_text(encoding="utf-8")
    for side, value in margins.items():
        text = text.replace(
            next(line for line in text.splitlines() if line.startswith(f"margin_{side}_mm")),
            f"margin_{side}_mm = {value}",
        )
    theme.write_text(text, encoding="utf-8")
    code, err = _run(["build", str(SAMPLE), "--theme", str(theme), "-o", str(tmp_path)], capsys)
    assert code == 1
    assert f"{theme}:5:1: error: page: the margins leave" in err
    assert not list(tmp_path.glob("*.pdf"))


def test_letterhead_text_no_font_draws_is_located_in_the_theme(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    theme = theme_copy(
        tmp_path / "theme.toml", letterhead='[letterhead]\nheader_text = "Office \U0001d518"\n'
    )
    code, err = _run(["build", str(SAMPLE), "--theme", str(theme), "-o", str(tmp_path)], capsys)
    assert code == 1
    line = theme.read_text(encoding="utf-8").splitlines().index('header_text = "Office \U0001d518"')
    assert f"{theme}:{line + 1}:23: error: no font in the theme can draw U+1D518" in err
    assert str(SAMPLE) not in err


_SAMPLE_LINES = SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True)


@pytest.mark.parametrize(
    ("insert", "where", "message"),
    [
        ("  version: a\x00b\n", ":20:13:", "character U+0000 is not allowed"),
        ("  version: a\ufffeb\n", ":20:13:", "character U+FFFE is not allowed"),
        ("  version: a\x1bb\n", ":20:13:", "character U+001B is not allowed"),
        ("  version: a\x85\x9fb\n", ":20:14:", "character U+009F is not allowed"),
        ('  version: "\\ud800"\n', ":20:12:", "half of a UTF-16 surrogate pair"),
        ('  version: "\\U00110000"\n', ":20:13:", "\\U00110000 is not a character"),
        ('  version: "\\U0011FFFF"\n', ":20:13:", "\\U0011FFFF is not a character"),
    ],
)
def test_characters_no_document_can_hold_are_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], insert: str, where: str, message: str
) -> None:
    lines = list(_SAMPLE_LINES)
    index = next(i for i, line in enumerate(lines) if line.startswith("  version:"))
    assert index == 19
    lines[index] = insert
    brief = tmp_path / "brief.yaml"
    brief.write_text("".join(lines), encoding="utf-8")
    code, err = _run(["validate", str(brief)], capsys)
    assert code == 1
    assert f"{brief}{where}" in err and message in err, err


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("a: &x [*x]\n", ":1:8:"),
        ("meta: &m\n  title: *m\n", ":2:10:"),
        ("schema_version: 1\nx: &a\n  b: *a\n", ":3:6:"),
        ("".join(" " * i + f"k{i}:\n" for i in range(80)) + " " * 80 + "v: 1\n", ":52:52:"),
        ("x:\n" + "".join(" " * i + "-\n" for i in range(1, 120)), ":51:52:"),
        ("x:\n" + "- " * 120 + "a\n", ":2:"),
    ],
    ids=[
        "self alias",
        "alias in its anchor",
        "nested alias",
        "deep mapping",
        "deep list",
        "dashes",
    ],
)
def test_endless_nesting_is_located(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, where: str
) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(text, encoding="utf-8")
    code, err = _run(["validate", str(brief)], capsys)
    assert code == 1
    assert f"{brief}{where}" in err and "nested more than 50 levels deep" in err, err


def test_one_crashing_brief_in_parallel_fails_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = _sample_in(tmp_path, "good.yaml")
    bad = _sample_in(tmp_path, "bad.yaml")
    real = build.build_brief

    def crashing(request: build.BuildRequest) -> list[build.BuiltFile]:
        if request.source.name == "bad.yaml":
            raise RuntimeError("a bug in a writer")
        return real(request)

    monkeypatch.setattr(build, "build_brief", crashing)  # the workers are forked from here
    out = tmp_path / "out"
    started = time.perf_counter()
    code = main(["build", str(good), str(bad), "-o", str(out), "-j", "2", "-f", "pdf"])
    assert time.perf_counter() - started < 30
    err = capsys.readouterr().err
    assert code == 1
    assert f"{bad}: internal error: RuntimeError('a bug in a writer')" in err
    assert "Traceback" not in err
    assert (out / "good.pdf").exists() and not (out / "bad.pdf").exists()
