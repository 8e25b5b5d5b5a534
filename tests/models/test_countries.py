"""The country table briefgen ships is pycountry's ISO 3166-1, as the reader sees names."""

from __future__ import annotations

import subprocess
import sys

from briefgen.models import countries
from tests.conftest import REPO

TABLE = REPO / "briefgen" / "models" / "countries.py"


def display_name(country: object) -> str:
    """``Korea, Republic of`` -> ``Republic of Korea``: pycountry's common name, else its
    official short name, with an inverted name put the right way round."""
    name = str(getattr(country, "common_name", None) or getattr(country, "name"))  # noqa: B009
    if ", " in name:
        head, tail = name.split(", ", 1)
        name = f"{tail} {head}"
    return name


def table_source() -> str:
    """The text of ``briefgen/models/countries.py``, made from the installed pycountry."""
    import pycountry

    rows = sorted((country.alpha_2, display_name(country)) for country in pycountry.countries)
    assert not any('"' in name or "\\" in name for _, name in rows)
    lines = [f'    "{code}": "{name}",' for code, name in rows]
    head, _, _ = TABLE.read_text(encoding="utf-8").partition("NAMES: dict[str, str] = {\n")
    return head + "NAMES: dict[str, str] = {\n" + "\n".join(lines) + "\n}\n"


def test_the_table_is_current_with_pycountry() -> None:
    """Rewrite it with ``make countries`` after a pycountry upgrade changes a name."""
    assert TABLE.read_text(encoding="utf-8") == table_source()


def test_validating_does_not_import_pycountry() -> None:
    code = (
        "import sys; from pathlib import Path; from briefgen.validation import load_brief\n"
        f"load_brief(Path({str(REPO / 'inputs' / 'seoul-trilateral-2024-10-16.yaml')!r}))\n"
        "print('pycountry' in sys.modules)"
    )
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert output.stdout.strip() == "False", output.stderr


def test_codes_and_names() -> None:
    assert countries.NAMES["KR"] == "South Korea"
    assert countries.NAMES["US"] == "United States"
    assert "XX" not in countries.NAMES and "kr" not in countries.NAMES


if __name__ == "__main__":
    TABLE.write_text(table_source(), encoding="utf-8")
