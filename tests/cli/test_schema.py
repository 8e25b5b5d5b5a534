"""schemas/*.schema.json are exactly what `briefgen schema` prints, and describe every field."""

from __future__ import annotations

import json
from typing import Any

import pytest

from briefgen.cli.schema import schema_text, theme_schema_text
from tests.conftest import REPO, check_reference


def test_committed_schema_is_current() -> None:
    check_reference(REPO / "schemas" / "brief.schema.json", schema_text())


def test_committed_theme_schema_is_current() -> None:
    check_reference(REPO / "schemas" / "theme.schema.json", theme_schema_text())


def _properties(node: Any) -> list[tuple[str, dict[str, Any]]]:
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        for name, value in node.get("properties", {}).items():
            found.append((name, value))
        for value in node.values():
            found.extend(_properties(value))
    elif isinstance(node, list):
        for value in node:
            found.extend(_properties(value))
    return found


@pytest.mark.parametrize("text", [schema_text(), theme_schema_text()], ids=["brief", "theme"])
def test_every_field_is_described_and_unknown_keys_are_forbidden(text: str) -> None:
    schema = json.loads(text)
    undescribed = [name for name, prop in _properties(schema) if "description" not in prop]
    assert undescribed == [], undescribed
    for name, definition in schema["$defs"].items():
        assert definition.get("additionalProperties") is False, name
