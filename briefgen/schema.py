"""The JSON Schema of a brief, generated from the models (``briefgen schema``)."""

from __future__ import annotations

import json


def schema_text() -> str:
    """The schema as stable, pretty JSON text ending with a newline."""
    from briefgen.models.brief import Brief

    schema = Brief.model_json_schema(mode="validation")
    schema = {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
