"""The stages keep to their layers: import-linter checks the contracts in pyproject.toml."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def test_import_contracts_are_kept() -> None:
    """Every contract (layers, writers free of briefs, no cycles) holds for the package."""
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(
        [str(lint_imports), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout, result.stdout


def test_every_package_is_named_in_the_layers() -> None:
    """A new stage must be placed in the layers, or the layers contract says nothing about it."""
    import tomllib

    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    layers = config["tool"]["importlinter"]["contracts"][0]["layers"]
    named = {part.strip() for layer in layers for part in layer.split("|")}
    packages = {
        f"briefgen.{path.parent.name}" for path in (REPO / "briefgen").glob("*/__init__.py")
    }
    modules = {f"briefgen.{path.stem}" for path in (REPO / "briefgen").glob("*.py")}
    modules -= {"briefgen.__init__", "briefgen.__main__"}
    assert packages | modules == named


def test_every_test_file_is_collected() -> None:
    """A folder pytest skips by name (as it once skipped tests/build) would hide its tests."""
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    collected = {line.split("::")[0] for line in result.stdout.splitlines() if "::" in line}
    on_disk = {str(path.relative_to(REPO)) for path in (REPO / "tests").rglob("test_*.py")} - {
        str(path.relative_to(REPO)) for path in (REPO / "tests" / "fixtures").rglob("*.py")
    }
    assert on_disk <= collected, sorted(on_disk - collected)
