"""Compiled templates kept in the on-disk cache: reused by new environments, never stale."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from briefgen.compose import render


def _render(folder: Path, context: dict[str, str]) -> str:
    """Render the folder's entry template in a new environment (as a new process would)."""
    environment = render._new_environment([folder])
    return str(environment.get_template(render.ENTRY_TEMPLATE).render(**context))


def test_a_new_environment_loads_compiled_code_instead_of_compiling(
    empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / render.ENTRY_TEMPLATE).write_text("<p>{{ name }}</p>", encoding="utf-8")
    assert _render(folder, {"name": "a & b"}) == "<p>a &amp; b</p>"
    assert len(list((empty_cache / "templates").glob("*.bin"))) == 1

    compiled: list[str] = []
    environment_class = render._bounded_sandbox_class()
    original = environment_class.compile

    def counting(self: Any, source: str, *args: Any, **kwargs: Any) -> Any:
        compiled.append(source)
        return original(self, source, *args, **kwargs)

    monkeypatch.setattr(environment_class, "compile", counting)
    assert _render(folder, {"name": "a & b"}) == "<p>a &amp; b</p>"
    assert compiled == []

    (folder / render.ENTRY_TEMPLATE).write_text("<b>{{ name }}</b>", encoding="utf-8")
    assert _render(folder, {"name": "x"}) == "<b>x</b>", "an edited template must not be stale"
    assert compiled == ["<b>{{ name }}</b>"]


def test_no_bytecode_cache_when_the_cache_is_off(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_NO_CACHE", "1")
    assert render._bytecode_cache() is None


def test_code_compiled_under_other_environment_options_is_not_reused(
    empty_cache: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An edit to the module that sets the environment's options (say, a new ``finalize``)
    changes the fingerprint, so code compiled before it is compiled again."""
    folder = tmp_path / "layout"
    folder.mkdir()
    (folder / render.ENTRY_TEMPLATE).write_text("<p>{{ name }}</p>", encoding="utf-8")
    _render(folder, {"name": "x"})
    monkeypatch.setattr(render, "_environment_fingerprint", lambda: "options changed")
    _render(folder, {"name": "x"})
    assert len(list((empty_cache / "templates").glob("*.bin"))) == 2


def test_the_fingerprint_is_the_hash_of_the_module_that_sets_the_options() -> None:
    import hashlib

    source = Path(render.__file__).read_bytes()
    assert render._environment_fingerprint() == hashlib.sha256(source).hexdigest()
