"""Font families per language and script: the one rule every writer follows.

A run's own language's families come first (``langs`` in the theme), then the
role's family (body, heading, table), then the families of the languages its
script suggests (kana: Japanese, Hangul: Korean, ideographs alone: Chinese, then
Japanese, then Korean; see :mod:`briefgen.presentation.scripts`), then the theme's
fallbacks. The PDF writer walks this chain character by character, the DOCX writer
takes its East Asian font from it, and the HTML writer writes it as a CSS stack.
"""

from __future__ import annotations

from dataclasses import dataclass

from briefgen.presentation.scripts import (
    COMPLEX,
    east_asian_tag,
    preferred_languages,
    primary,
    scripts_of,
)
from briefgen.presentation.styles import Role
from briefgen.presentation.theme import Theme


def role_family(theme: Theme, role: Role) -> str:
    """The theme family a role's text starts in."""
    fonts = theme.fonts
    return {"body": fonts.body, "heading": fonts.heading, "table": fonts.table}[role]


def families_for_language(theme: Theme, lang: str | None) -> list[str]:
    """Families that declare ``lang``'s primary subtag among their ``langs``, the
    theme's fallbacks first, in their order."""
    subtag = primary(lang)
    if not subtag:
        return []
    fonts = theme.fonts
    names = dict.fromkeys([*fonts.fallbacks, *fonts.families])
    return [
        name for name in names if name in fonts.families and subtag in fonts.families[name].langs
    ]


def family_for_language(theme: Theme, lang: str | None) -> str | None:
    """The first family preferred for ``lang``, or None."""
    return next(iter(families_for_language(theme, lang)), None)


def family_chain(
    theme: Theme, role: Role, lang: str | None, scripts: tuple[str, ...] = ()
) -> list[str]:
    """The families to try, in order, for text of ``role`` in ``lang`` whose characters
    suggest the languages ``scripts`` (see :func:`script_languages`)."""
    return list(
        dict.fromkeys(
            [
                *families_for_language(theme, lang),
                role_family(theme, role),
                *(name for code in scripts for name in families_for_language(theme, code)),
                *theme.fonts.fallbacks,
            ]
        )
    )


def script_languages(text: str, lang: str | None) -> tuple[str, ...]:
    """The languages whose fonts the characters of ``text`` suggest, in order: the East
    Asian ones, then the usual language of each complex script in it (Arabic letters:
    ``ar``), so a theme reaches the family preferred for that script even when its
    fallbacks do not name it (the DOCX finds it through ``complex_language``)."""
    languages = preferred_languages(text, lang)
    scripts = scripts_of(text) if COMPLEX.search(text) else []
    return (*languages, *(code for code in scripts if code not in languages))


def east_asian_family(theme: Theme, text: str, lang: str | None) -> tuple[str | None, str | None]:
    """Return ``(family, language tag)`` for a run's East Asian characters.

    Word draws Hangul, kana and ideographs with the run's ``eastAsia`` font, so a
    Korean name needs NanumGothic there even inside an English run. The language comes
    from ``lang`` when it is Korean, Japanese or Chinese, else from the script (Hangul
    is Korean, kana Japanese); ideographs alone are ambiguous, so they get a font that
    can draw them but no language tag. ``(None, None)`` means nothing East Asian.
    """
    tag = east_asian_tag(text, lang)
    candidates = preferred_languages(text, lang)
    family = next((f for f in (family_for_language(theme, c) for c in candidates) if f), None)
    return family, tag


@dataclass(frozen=True, slots=True)
class FontStack:
    """The families of a role for one language, for writers that name fonts rather than
    embed them (a CSS ``font-family``): the chain of :func:`family_chain`, with the
    ideograph order for untagged text."""

    role: Role
    lang: str
    """Primary subtag, or "" for text without a language."""
    families: tuple[str, ...]

    @classmethod
    def of(cls, theme: Theme, role: Role, lang: str | None) -> FontStack:
        """The stack for ``role`` text in ``lang`` (None: untagged text of any script)."""
        subtag = primary(lang)
        scripts = (subtag,) if subtag else ("zh", "ja", "ko")
        return cls(role, subtag, tuple(family_chain(theme, role, subtag or None, scripts)))
