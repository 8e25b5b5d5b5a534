"""The commented starter brief written by ``briefgen new``."""

from __future__ import annotations

from briefgen.resources import templates_root


def starter_text() -> str:
    """Return the starter YAML shipped in ``templates/starter/brief.yaml``."""
    return (templates_root() / "starter" / "brief.yaml").read_text(encoding="utf-8")
