"""Reusable constrained field types of the brief schema.

Each type carries its own plain-words error so the CLI never shows Pydantic's
internal wording; the JSON Schema keeps a pattern or format editors can use.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
COUNTRY_PATTERN = r"^[A-Z]{2}$"
LANG_PATTERN = r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$"

_ALLOWED_CONTROLS = {"\t", "\n"}


def reject_control_characters(value: str) -> str:
    """Refuse control characters (other than tab and newline) that break DOCX and PDF."""
    for index, char in enumerate(value):
        if char in _ALLOWED_CONTROLS:
            continue
        if unicodedata.category(char) == "Cc" or char in "\ufffe\uffff":
            raise ValueError(
                f"contains control character U+{ord(char):04X} at character {index + 1}; remove it"
            )
    return value


def _require_text(value: Any) -> Any:
    """Refuse numbers and booleans where text is expected, with a fix the user can apply:
    YAML reads ``1.0``, ``2025``, ``yes`` and ``2024-10-15`` as numbers, truths and dates."""
    if isinstance(value, bool):
        shown = "true" if value else "false"
        raise ValueError(
            f"expected text but YAML read {shown} as a yes/no value; "
            f'put it in quotes ("{shown}") to keep it as text'
        )
    if isinstance(value, int | float):
        raise ValueError(
            f"expected text but got the number {value!r}; quote it "
            f'("{value!r}") so YAML keeps it as text'
        )
    if isinstance(value, dt.date):
        raise ValueError(
            f"expected text but got the date {value.isoformat()}; quote it "
            f'("{value.isoformat()}") so YAML keeps it as text'
        )
    return value


def _not_a_date(value: Any, *, words: bool = False) -> str:
    """Why ``value`` is no date, and how to write one; ``words`` when a milestone in words
    is allowed too (a commitment's due)."""
    wanted = "a date (YYYY-MM-DD)" + (" or a milestone in words" if words else "")
    fix = 'write a date, or words in quotes, e.g. "by the next summit"' if words else ""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        fix = f"write the whole date, e.g. {value}-06-30" + (
            f', or quote the year ("{value}"); words are allowed too' if words else ""
        )
        return f"expected {wanted} but got the bare year {value}: {fix}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"expected {wanted} but got the number {value!r}" + (f": {fix}" if fix else "")
    return f"expected {wanted} but got {value!r}" + (f": {fix}" if fix else "")


Text = Annotated[
    str,
    BeforeValidator(_require_text),
    AfterValidator(reject_control_characters),
]
"""Any plain text (tabs and newlines allowed)."""

Line = Annotated[Text, Field(min_length=1)]
"""Non-empty text."""


def _check_slug(value: str) -> str:
    if not re.fullmatch(SLUG_PATTERN, value):
        raise ValueError(
            f"{value!r} is not a valid id: use lowercase letters, digits and single hyphens, "
            "e.g. 'kim-hong-kyun'"
        )
    return value


Slug = Annotated[
    str,
    BeforeValidator(_require_text),
    AfterValidator(_check_slug),
    WithJsonSchema({"type": "string", "pattern": SLUG_PATTERN}),
]
"""An id: lowercase slug, unique across the brief."""


def is_country_code(code: str) -> bool:
    """True for an assigned ISO 3166-1 alpha-2 code such as ``KR``."""
    from briefgen.models.countries import NAMES

    return code in NAMES


def _check_country(value: str) -> str:
    if not is_country_code(value):
        raise ValueError(f"{value!r} is not an ISO 3166-1 alpha-2 country code (e.g. KR, US, JP)")
    return value


CountryCode = Annotated[
    str,
    BeforeValidator(_require_text),
    AfterValidator(_check_country),
    WithJsonSchema({"type": "string", "pattern": COUNTRY_PATTERN}),
]


def _check_lang(value: str) -> str:
    if not re.fullmatch(LANG_PATTERN, value):
        raise ValueError(f"{value!r} is not a BCP-47 language tag (e.g. ko, ja, zh-Hant)")
    return value


LanguageTag = Annotated[
    str,
    BeforeValidator(_require_text),
    AfterValidator(_check_lang),
    WithJsonSchema({"type": "string", "pattern": LANG_PATTERN}),
]


def _parse_date(value: Any) -> Any:
    """Accept a YAML date or an ISO ``YYYY-MM-DD`` string; refuse numbers and other shapes."""
    if isinstance(value, dt.datetime):
        raise ValueError("expected a date (YYYY-MM-DD) without a time")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(f"{value!r} is not a date in the form YYYY-MM-DD")
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a real date") from None
    raise ValueError(_not_a_date(value))


Date = Annotated[
    dt.date,
    BeforeValidator(_parse_date),
    WithJsonSchema({"type": "string", "format": "date"}),
]


def _check_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{value!r} is not an http or https URL")
    if any(char.isspace() for char in value):
        raise ValueError("URLs cannot contain spaces")
    return value


WebUrl = Annotated[
    str,
    BeforeValidator(_require_text),
    AfterValidator(_check_url),
    WithJsonSchema({"type": "string", "format": "uri", "pattern": "^https?://"}),
]


_PARTIAL_DATE = re.compile(r"\d{4}(?:-(0[1-9]|1[0-2]))?")


def _parse_partial_date(value: Any) -> Any:
    """A day, or a month (``2024-04``) or year (``2024``) when only that is known.

    A bare year arrives from YAML as a number; it is kept as text so templates and
    checks see one shape (``"2024"``) for every partial date.
    """
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, str) and _PARTIAL_DATE.fullmatch(value.strip()):
        return value.strip()
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
        raise ValueError(f"{value!r} is not a real month (YYYY-MM)")
    if isinstance(value, dt.date) or (
        isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip())
    ):
        return _parse_date(value)
    raise ValueError(
        f"expected a date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY) but got {value!r}"
    )


PartialDate = Annotated[
    dt.date | str,
    BeforeValidator(_parse_partial_date),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string", "pattern": r"^\d{4}(-(0[1-9]|1[0-2]))?$"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    ),
]
"""A date known to the day, the month (``2024-04``) or the year (``2024``)."""


def partial_date_bounds(value: dt.date | str) -> tuple[dt.date, dt.date]:
    """The first and last day a (partial) date can mean, for comparisons in checks."""
    if isinstance(value, dt.date):
        return value, value
    year, _, month = value.partition("-")
    if not month:
        return dt.date(int(year), 1, 1), dt.date(int(year), 12, 31)
    first = dt.date(int(year), int(month), 1)
    following = dt.date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return first, following - dt.timedelta(days=1)


def _parse_due(value: Any) -> Any:
    """A due date or a milestone: ISO dates become dates, a bare year and other text stay text."""
    if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
        return str(value)
    if isinstance(value, bool | int | float):
        raise ValueError(_not_a_date(value, words=True))
    if isinstance(value, str) and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        if not value.strip():
            raise ValueError("expected a date (YYYY-MM-DD) or a milestone, not empty text")
        return reject_control_characters(value)
    return _parse_date(value)


Due = Annotated[
    dt.date | str,
    BeforeValidator(_parse_due),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "string", "format": "date"},
                {"type": "string"},
                {"type": "integer", "minimum": 1000, "maximum": 9999},
            ]
        }
    ),
]
"""A date, a year, or a milestone in words such as "next trilateral summit"."""
