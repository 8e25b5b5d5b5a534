"""Where shipped resources (templates, themes, fonts) live, installed or in a checkout."""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def templates_root() -> Path:
    """Return the ``templates`` folder.

    A wheel carries it inside the package (``briefgen/templates``); an editable
    install or a checkout keeps it at the repository's top level.
    """
    package = Path(__file__).resolve().parent.parent
    inside = package / "templates"
    if inside.is_dir():
        return inside
    return package.parent / "templates"
