"""The commented starter brief written by ``briefgen new``."""

from __future__ import annotations

import os
from pathlib import Path

from briefgen.support.resources import templates_root

SCHEMA_HINT = "# yaml-language-server: $schema={}\n"
NO_SCHEMA_HINT = (
    "# For completion in your editor: `briefgen schema > brief.schema.json`, then put\n"
    "# `# yaml-language-server: $schema=brief.schema.json` on the first line.\n"
)


STARTERS = {"action_memo": "action_memo.yaml", "policy_brief": "policy_brief.yaml"}
"""Document types with a starter of their own; the others start from ``brief.yaml``."""


def starter_text(target: Path, doc_type: str = "briefing_memo") -> str:
    """The starter YAML for ``doc_type``, its first line pointing editors at the nearest
    schema file. Memos and briefs differ in what they carry (a decision and clearances,
    or a byline and recommendations), so those two have starters of their own."""
    folder = templates_root() / "starter"
    body = (folder / STARTERS.get(doc_type, "brief.yaml")).read_text(encoding="utf-8")
    if doc_type not in STARTERS:
        body = body.replace("doc_type: briefing_memo ", f"doc_type: {doc_type} ", 1)
    schema = _nearest_schema(target.resolve().parent)
    if schema is None:
        return NO_SCHEMA_HINT + body
    relative = os.path.relpath(schema, target.resolve().parent)
    return SCHEMA_HINT.format(Path(relative).as_posix()) + body


def _nearest_schema(folder: Path) -> Path | None:
    """``schemas/brief.schema.json`` in ``folder`` or the closest folder above it."""
    for candidate in (folder, *folder.parents):
        schema = candidate / "schemas" / "brief.schema.json"
        if schema.is_file():
            return schema
    return None
