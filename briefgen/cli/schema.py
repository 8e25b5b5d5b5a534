"""JSON Schemas generated from the models: a brief's (``briefgen schema``) and a theme
file's (``briefgen schema --theme``); the committed copies in ``schemas/`` are kept
current by a test."""

from __future__ import annotations

import json
from typing import Any


def schema_text() -> str:
    """The brief schema as stable, pretty JSON text ending with a newline."""
    from briefgen.models.brief import Brief

    return _as_text(Brief.model_json_schema(mode="validation"))


def theme_schema_text() -> str:
    """The theme file schema, in the same form."""
    from briefgen.presentation.theme import Theme

    return _as_text(Theme.model_json_schema(mode="validation"))


def _as_text(schema: dict[str, Any]) -> str:
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
