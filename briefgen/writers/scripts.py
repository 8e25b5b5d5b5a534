"""Which East Asian language a run of text is in, for choosing its font, in both writers.

Both writers must agree: a Japanese name should not get Korean glyph shapes in the
PDF and Japanese ones in the DOCX. An explicit ``lang`` wins; otherwise the script
decides (Hangul is Korean, kana Japanese); ideographs alone are ambiguous, so the
fonts are tried in :data:`HAN_LANGUAGE_ORDER` (Chinese fonts cover most of them).
"""

from __future__ import annotations

import re

HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7ff]")
KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
COMPLEX = re.compile(
    "[\u0590-\u08ff\u0900-\u0dff\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff"
    "\ua8e0-\ua8ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
"""Scripts whose letters a shaping engine must join, reorder or stack: Hebrew, Arabic and
the other right-to-left scripts, the Indic scripts (Devanagari to Sinhala), Thai, Lao,
Tibetan, Myanmar and Khmer."""
CJK_LANGUAGES = ("ko", "ja", "zh")
HAN_LANGUAGE_ORDER = ("zh", "ja", "ko")
"""Whose fonts to try for ideographs: Chinese fonts cover most, Korean ones fewest."""


def primary(lang: str | None) -> str:
    """The primary subtag of a BCP-47 tag, lower-cased (``ko-KR`` -> ``ko``)."""
    return (lang or "").replace("_", "-").split("-", 1)[0].lower()


def script_language(text: str) -> str | None:
    """``ja`` for text with kana, ``ko`` for text with Hangul, else None."""
    if KANA.search(text):
        return "ja"
    if HANGUL.search(text):
        return "ko"
    return None


def east_asian_tag(text: str, lang: str | None) -> str | None:
    """The run's East Asian language: its own ``lang`` when CJK, else from the script."""
    return lang if lang and primary(lang) in CJK_LANGUAGES else script_language(text)


def preferred_languages(text: str, lang: str | None) -> list[str]:
    """Languages whose fonts to try first for the run's East Asian characters, in order."""
    tag = east_asian_tag(text, lang)
    languages = [primary(tag)] if tag else []
    if HAN.search(text):
        languages += [code for code in HAN_LANGUAGE_ORDER if code not in languages]
    return languages
