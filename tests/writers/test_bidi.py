"""The bidi rules both writers share: levels from python-bidi, display order per line."""

from __future__ import annotations

import pytest

from briefgen.presentation.scripts import complex_language, complex_pieces
from briefgen.writers.bidi import base_level, has_rtl, levels, visual_order

NAME = "فيصل بن فرحان"


def test_plain_text_has_no_levels_to_compute() -> None:
    assert not has_rtl("Seoul, 서울, 東京, सुब्रह्मण्यम")
    assert levels("Seoul") == (0, 0, 0, 0, 0)


def test_an_arabic_name_inside_english_is_one_right_to_left_run() -> None:
    text = f"Prince {NAME} met"
    found = levels(text)
    assert base_level(text) == 0
    start = text.index(NAME)
    assert set(found[start : start + len(NAME)]) == {1}
    assert set(found[:start]) == {0} and set(found[start + len(NAME) :]) == {0}


def test_numbers_inside_arabic_run_left_to_right() -> None:
    text = "في 29 يوليو 2024"
    found = levels(text)
    assert base_level(text) == 1
    assert found[text.index("29")] == 2 and found[text.index("2024")] == 2
    assert found[0] == 1


@pytest.mark.parametrize(
    ("line_levels", "order"),
    [
        ([0, 0, 0], [0, 1, 2]),
        ([0, 1, 1, 1, 0], [0, 3, 2, 1, 4]),
        ([1, 1, 2, 2, 1], [4, 2, 3, 1, 0]),
        ([1, 1, 1], [2, 1, 0]),
        ([], []),
    ],
)
def test_visual_order_reverses_runs_from_the_highest_level_down(
    line_levels: list[int], order: list[int]
) -> None:
    assert visual_order(line_levels) == order


def test_complex_pieces_keep_a_name_with_its_spaces_in_one_run() -> None:
    assert complex_pieces(f"Prince {NAME} on 29 July.") == [
        ("Prince ", False),
        (NAME, True),
        (" on 29 July.", False),
    ]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        (NAME, None, "ar"),
        (NAME, "ar-SA", "ar-SA"),
        (NAME, "en", "ar"),
        ("ישראל", None, "he"),
        ("जयशंकर", None, "hi"),
        ("มาริษ", "th", "th"),
        ("Seoul", None, None),
    ],
)
def test_complex_language_prefers_the_runs_own(
    text: str, lang: str | None, expected: str | None
) -> None:
    assert complex_language(text, lang) == expected
