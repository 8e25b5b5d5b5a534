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


_SCRIPT_LANGUAGES = (
    (re.compile("[\u0590-\u05ff\ufb1d-\ufb4f]"), "he"),
    (re.compile("[\u0600-\u08ff\ufb50-\ufdff\ufe70-\ufefc]"), "ar"),
    (re.compile("[\u0900-\u097f\ua8e0-\ua8ff]"), "hi"),
    (re.compile("[\u0980-\u09ff]"), "bn"),
    (re.compile("[\u0e00-\u0e7f]"), "th"),
)
"""The language whose font draws a complex script when a run says nothing else."""


def scripts_of(text: str) -> list[str]:
    """The usual languages of the complex scripts :data:`_SCRIPT_LANGUAGES` knows in
    ``text`` (``ar``, ``he``, ``hi``, ``bn``, ``th``), in that table's order."""
    return [code for pattern, code in _SCRIPT_LANGUAGES if pattern.search(text)]


def complex_language(text: str, lang: str | None) -> str | None:
    """The language of a run's complex-script letters, for its font and ``w:lang w:bidi``:
    the run's own ``lang`` when it names one, else the script's usual one (Arabic
    letters: ``ar``); None for a run without such letters."""
    for pattern, code in _SCRIPT_LANGUAGES:
        if pattern.search(text):
            own = primary(lang)
            return lang if own and own not in CJK_LANGUAGES and own != "en" else code
    return "und" if COMPLEX.search(text) else None


def complex_pieces(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, complex) pieces: runs of complex-script letters with the
    spaces and joiners between them, and the rest; the DOCX gives each complex piece its
    own run, with the complex-script font, language and direction."""
    kinds = [bool(COMPLEX.match(char)) for char in text]
    for index, char in enumerate(text):
        if not kinds[index] and char in " \u200c\u200d\u00a0":
            before = next((kinds[i] for i in range(index - 1, -1, -1) if text[i] != " "), False)
            after = next(
                (kinds[i] for i in range(index + 1, len(text)) if text[i] not in " "), False
            )
            kinds[index] = before and after
    pieces: list[tuple[str, bool]] = []
    for char, kind in zip(text, kinds, strict=True):
        if pieces and pieces[-1][1] == kind:
            pieces[-1] = (pieces[-1][0] + char, kind)
        else:
            pieces.append((char, kind))
    return pieces
