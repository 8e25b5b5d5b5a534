"""The wheel carries the templates, themes and fonts, and works outside the checkout."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO, SAMPLE


def test_wheel_ships_templates_and_runs_from_an_install(tmp_path: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "--wheel-dir",
            str(tmp_path / "dist"),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("briefgen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for needed in (
        "briefgen/templates/briefing_memo/document.xml.j2",
        "briefgen/templates/themes/default.toml",
        "briefgen/templates/starter/brief.yaml",
        "briefgen/templates/fonts/NanumGothic.ttf",
        "briefgen/templates/fonts/licenses/Noto-OFL.txt",
        "briefgen/py.typed",
    ):
        assert needed in names
    target = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(target)
    script = (
        "import sys; from briefgen.cli.main import main;"
        "from briefgen.support.resources import templates_root;"
        f"assert str(templates_root()).startswith({str(target)!r}), templates_root();"
        f"sys.exit(main(['build', {str(SAMPLE)!r}, '-o', {str(tmp_path / 'out')!r}, '-f', 'pdf']))"
    )
    environment = {**os.environ, "PYTHONPATH": str(target)}
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / f"{SAMPLE.stem}.pdf").stat().st_size > 10_000
