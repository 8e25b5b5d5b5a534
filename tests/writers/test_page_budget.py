"""Page budgets: a page-limited layout names the sections past its last page, in lines."""

from __future__ import annotations

import pytest

from briefgen.writers.page_budget import Frame, PageLimitError, Position, Section, check_page_limit

FRAME = Frame(top=800.0, bottom=100.0, line=14.0)


def test_heights_run_across_page_breaks() -> None:
    assert FRAME.between(Position(1, 700), Position(1, 300)) == 400
    assert FRAME.between(Position(1, 300), Position(2, 700)) == 200 + 100
    assert FRAME.between(Position(1, 300), Position(3, 800)) == 200 + 700
    assert FRAME.lines(14.0) == 1 and FRAME.lines(15.0) == 2 and FRAME.lines(0.0) == 0


def test_a_body_within_the_limit_passes() -> None:
    check_page_limit(1, [Section("Key points", Position(1, 780))], Position(1, 120), FRAME)
    check_page_limit(None, [], Position(9, 120), FRAME)


def test_the_sections_past_the_limit_are_named_with_their_lines() -> None:
    sections = [
        Section("Key points", Position(1, 780)),
        Section("Participants", Position(1, 400)),
        Section("Top risks", Position(2, 604)),
    ]
    with pytest.raises(PageLimitError) as caught:
        check_page_limit(1, sections, Position(2, 520), FRAME)
    detail = (
        "20 lines too many; past page 1: Participants (14 lines of 36), Top risks (6 lines) "
        "(sections: Key points 28, Participants 36, Top risks 6)"
    )
    assert str(caught.value) == (
        f"this layout must fit on 1 page but the document needs 2: {detail}. Shorten those sections"
    )
    advice = "Shorten those sections, or choose a longer layout with --template"
    assert caught.value.describe("the brief", advice) == (
        "this layout must fit on 1 page but the brief needs 2: 20 lines too many; "
        "past page 1: Participants (14 lines of 36), Top risks (6 lines) "
        "(sections: Key points 28, Participants 36, Top risks 6). "
        "Shorten those sections, or choose a longer layout with --template"
    )
