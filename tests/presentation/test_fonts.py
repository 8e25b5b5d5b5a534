"""Font families per language and script: one chain for the PDF, the DOCX and the HTML."""

from __future__ import annotations

from briefgen.presentation.fonts import (
    FontStack,
    east_asian_family,
    family_chain,
    family_for_language,
)
from briefgen.presentation.theme import Theme


def test_a_language_puts_its_family_first(theme: Theme) -> None:
    assert family_chain(theme, "body", "ko-KR")[0] == "NanumGothic"
    assert family_for_language(theme, "ja") == "IPAGothic"
    assert family_for_language(theme, "en") is None


def test_untagged_ideographs_try_chinese_then_japanese_then_korean(theme: Theme) -> None:
    stack = FontStack.of(theme, "heading", None)
    assert stack.families[0] == "Noto Sans"
    cjk = [
        name
        for name in stack.families
        if name in {"WenQuanYi Micro Hei", "IPAGothic", "NanumGothic"}
    ]
    assert cjk == ["WenQuanYi Micro Hei", "IPAGothic", "NanumGothic"]


def test_east_asian_family_follows_the_script(theme: Theme) -> None:
    assert east_asian_family(theme, "김홍균", None) == ("NanumGothic", "ko")
    assert east_asian_family(theme, "おかの", None) == ("IPAGothic", "ja")
    assert east_asian_family(theme, "岡野", None) == ("WenQuanYi Micro Hei", None)
    assert east_asian_family(theme, "Okano", None) == (None, None)
