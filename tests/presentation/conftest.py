"""The default theme, shared by the presentation tests."""

from __future__ import annotations

import pytest

from briefgen.presentation.theme import Theme, default_theme


@pytest.fixture(scope="session")
def theme() -> Theme:
    return default_theme()
