"""One date style per document, by its language or its theme, formatted by Babel."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.compose import dates, view


@pytest.mark.parametrize(
    ("lang", "day", "days", "months", "years"),
    [
        (
            "en-US",
            "October 16, 2024",
            "October 16\u201317, 2024",
            "October 31 \u2013 November 1, 2024",
            "December 31, 2024 \u2013 January 2, 2025",
        ),
        (
            "en-GB",
            "16 October 2024",
            "16\u201317 October 2024",
            "31 October \u2013 1 November 2024",
            "31 December 2024 \u2013 2 January 2025",
        ),
        (
            "ko",  # the labels around the dates are English: world English, day first
            "16 October 2024",
            "16\u201317 October 2024",
            "31 October \u2013 1 November 2024",
            "31 December 2024 \u2013 2 January 2025",
        ),
    ],
)
def test_one_date_style_by_language(
    lang: str, day: str, days: str, months: str, years: str
) -> None:
    with dates.using(dates.date_style(lang)):
        assert view.long_date(dt.date(2024, 10, 16)) == day
        assert view.chicago_date(dt.date(2024, 10, 16)) == day  # source notes too
        assert view.long_date("2024-04") == "April 2024"
        assert view.long_date("next trilateral summit") == "next trilateral summit"
        assert view.date_range(dt.date(2024, 10, 16), dt.date(2024, 10, 17)) == days
        assert view.date_range(dt.date(2024, 10, 31), dt.date(2024, 11, 1)) == months
        assert view.date_range(dt.date(2024, 12, 31), dt.date(2025, 1, 2)) == years


def test_the_theme_can_choose_the_date_style() -> None:
    assert dates.date_style("en-US", "en-GB").day(dt.date(2024, 7, 27)) == "27 July 2024"
    assert dates.date_style("en", None).day(dt.date(2024, 7, 27)) == "July 27, 2024"
    with pytest.raises(dates.UnknownDateLocaleError):
        dates.date_style("en", "xx-nowhere")
