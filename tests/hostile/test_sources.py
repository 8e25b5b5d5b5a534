"""`check` reads a source's text only inside the brief's folder or ``--sources-root``.

A brief from someone else names ``path:`` values; anything that resolves (symbolic links
followed) outside those folders is a located error at the ``path:`` line, and nothing
of the file is read, echoed as a "nearest passage", or confirmed by a matching quote.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from briefgen.cli.main import main

SECRET = "hunter2-the-secret-words-nobody-may-see"


def _brief(folder: Path, path: str, quote: str = SECRET) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    brief = folder / "brief.yaml"
    brief.write_text(
        "schema_version: 1\n"
        "meta: {title: T, date: 2024-10-17}\n"
        "summary:\n"
        f'  - text: A point.\n    sources: [{{id: s, quote: "{quote}"}}]\n'
        "sources:\n"
        "  - id: s\n"
        "    title: S\n"
        f'    path: "{path}"\n',
        encoding="utf-8",
    )
    return brief


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    """A readable file outside the brief's folder, holding words a quote could guess."""
    path = tmp_path / "private" / "secret.txt"
    path.parent.mkdir()
    path.write_text(f"Line one.\n{SECRET} and more.\n", encoding="utf-8")
    return path


def _check(brief: Path, *extra: str) -> tuple[int, float]:
    """``briefgen check``'s exit code, and how long it took."""
    started = time.perf_counter()
    code = main(["check", str(brief), *extra])
    return code, time.perf_counter() - started


def _ways_out(secret: Path, folder: Path) -> list[str]:
    (folder / "link.txt").symlink_to(secret)
    (folder / "linkdir").symlink_to(secret.parent)
    relative = os.path.relpath(secret, folder)
    return [
        relative,
        str(secret),
        "link.txt",
        "linkdir/secret.txt",
        f"./sub/../{relative}",
        "../private/secret.txt",
        "/etc/passwd",
        "../../../../../../../../etc/passwd",
        "/proc/self/environ",
        "/dev/zero",
    ]


def test_no_way_out_of_the_brief_folder_reads_the_file(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    (folder / "sub").mkdir()
    for path in _ways_out(secret, folder):
        brief = _brief(folder, path)
        code, seconds = _check(brief)
        out, err = capsys.readouterr()
        assert code == 1, path
        assert seconds < 2, path
        assert f"{brief}:9:11: error: sources[0].path: cannot read the source text" in err, path
        assert "it lies outside" in err, path
        assert SECRET not in out + err and "Line one" not in out + err, path
        assert "nearest passage" not in err, path


def test_sources_root_admits_a_folder_the_user_names(
    tmp_path: Path, secret: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "brief"
    brief = _brief(folder, os.path.relpath(secret, folder))
    assert main(["check", str(brief), "--sources-root", str(secret.parent)]) == 0
    assert f"{brief}: ok" in capsys.readouterr().out


def test_a_link_inside_the_folder_to_a_file_inside_it_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    (folder / "text.txt").write_text(f"{SECRET}\n", encoding="utf-8")
    (folder / "alias.txt").symlink_to(folder / "text.txt")
    assert main(["check", str(_brief(folder, "alias.txt"))]) == 0


@pytest.mark.parametrize("kind", ["fifo", "folder", "socket-like device"])
def test_special_files_inside_the_folder_are_refused_at_once(
    tmp_path: Path, kind: str, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "brief"
    folder.mkdir()
    target = folder / "source.txt"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to("/dev/null")
        brief = _brief(folder, "source.txt")
        code, seconds = _check(brief, "--sources-root", "/dev")
        assert code == 1 and seconds < 1
        assert "it is a device, not a file" in capsys.readouterr().err
        return
    brief = _brief(folder, "source.txt")
    code, seconds = _check(brief)
    assert code == 1 and seconds < 1
    err = capsys.readouterr().err
    assert f"{brief}:9:11:" in err
    assert ("a pipe (FIFO)" if kind == "fifo" else "a folder") in err
