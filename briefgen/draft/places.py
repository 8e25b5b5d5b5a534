"""Countries as sources name them: "South Korean", "Japan's", "the United States", "ROK".

A short table of the names diplomatic texts use, tried before pycountry's official
names; the longest name wins so "South Korean" is never read as "Korean".
"""

from __future__ import annotations

import re
from functools import cache

_NAMES: dict[str, tuple[str, ...]] = {
    "KR": ("South Korea", "South Korean", "Republic of Korea", "ROK", "Korea", "Korean"),
    "KP": ("North Korea", "North Korean", "DPRK", "Pyongyang"),
    "JP": ("Japan", "Japanese"),
    "US": ("United States", "U.S.", "US", "American", "America"),
    "CN": ("China", "Chinese", "People's Republic of China", "PRC"),
    "RU": ("Russia", "Russian"),
    "UA": ("Ukraine", "Ukrainian"),
    "GB": ("United Kingdom", "U.K.", "UK", "British", "Britain"),
    "FR": ("France", "French"),
    "DE": ("Germany", "German"),
    "IT": ("Italy", "Italian"),
    "CA": ("Canada", "Canadian"),
    "AU": ("Australia", "Australian"),
    "IN": ("India", "Indian"),
    "PH": ("Philippines", "Philippine", "Filipino"),
    "VN": ("Vietnam", "Viet Nam", "Vietnamese"),
    "ID": ("Indonesia", "Indonesian"),
    "TW": ("Taiwan", "Taiwanese"),
    "MN": ("Mongolia", "Mongolian"),
    "SG": ("Singapore", "Singaporean"),
    "NZ": ("New Zealand",),
    "IL": ("Israel", "Israeli"),
    "TR": ("Turkey", "Türkiye", "Turkish"),
    "PL": ("Poland", "Polish"),
    "MX": ("Mexico", "Mexican"),
    "BR": ("Brazil", "Brazilian"),
}
_BY_NAME = {name.lower(): code for code, names in _NAMES.items() for name in names}
_ALTERNATION = "|".join(
    re.escape(name) for name in sorted({n for ns in _NAMES.values() for n in ns}, key=len)[::-1]
)
COUNTRY_WORD = rf"(?:the\s+)?(?:{_ALTERNATION})(?:['\u2019]s)?"
"""A regular expression for any country name or adjective in the table."""
_ANY = re.compile(rf"(?<![\w.])(?:{_ALTERNATION})(?![\w])")


def country_code(name: str) -> str | None:
    """The ISO 3166-1 alpha-2 code of a country name, adjective or common short form."""
    cleaned = re.sub(r"^the\s+|['\u2019]s$", "", name.strip(), flags=re.IGNORECASE)
    code = _BY_NAME.get(cleaned.lower())
    return code or _official(cleaned)


@cache
def _official(name: str) -> str | None:
    import pycountry

    try:
        found = pycountry.countries.lookup(name)
    except LookupError:
        return None
    return str(found.alpha_2)


def countries_named(text: str) -> list[str]:
    """Codes of the countries ``text`` names, in order of first mention."""
    codes: list[str] = []
    for match in _ANY.finditer(text):
        code = _BY_NAME.get(match.group(0).lower())
        if code and code not in codes:
            codes.append(code)
    return codes
