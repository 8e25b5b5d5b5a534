"""The drafting rules one by one: dates, people, commitments, sentences."""

from __future__ import annotations

import datetime as dt

from briefgen.draft.commitments import commitment_in
from briefgen.draft.dates import dates_in
from briefgen.draft.people import mentions_in, merge
from briefgen.draft.sentences import split_sentences

MONDAY = dt.date(2024, 10, 14)


def _dates(sentence: str, reference: dt.date | None = MONDAY, year: int | None = None) -> list[str]:
    return [found.date.isoformat() for found in dates_in(sentence, reference, year)]


def test_written_out_dates_with_lists_of_days_and_missing_years() -> None:
    assert _dates("Drones flew on October 3, 9, and 10.") == [
        "2024-10-03",
        "2024-10-09",
        "2024-10-10",
    ]
    assert _dates("They met on 18 August 2023 and on 2024-01-05.") == ["2023-08-18", "2024-01-05"]
    assert _dates("It began on December 30.", dt.date(2025, 1, 2)) == ["2024-12-30"]
    assert _dates("They meet on October 16.", None, 2024) == ["2024-10-16"]
    assert _dates("They meet on October 16.", None, None) == []


def test_relative_dates_resolve_against_the_publication_date() -> None:
    assert _dates("On Sunday, the ministry claimed it.") == ["2024-10-13"]
    assert _dates("The envoys will meet on Wednesday.") == ["2024-10-16"]
    assert _dates("Talks were held yesterday.") == ["2024-10-13"]
    last_month = dates_in("The deal was signed last month.", MONDAY, None)
    assert [(f.date.isoformat(), f.month_only) for f in last_month] == [("2024-09-01", True)]
    assert _dates("On Sunday, the ministry claimed it.", None, 2024) == []


def test_titled_people_with_country_and_merged_spellings() -> None:
    first = mentions_in(
        "Japanese Vice Foreign Minister Masataka Okano and U.S. Deputy Secretary of State "
        "Kurt Campbell met in Seoul."
    )
    second = mentions_in(
        "The Vice Ministers, Kim Hong Kyun of South Korea, Okano Masataka of Japan, and "
        "U.S. Deputy Secretary of State Kurt M. Campbell, met."
    )
    people = merge([("a", m) for m in first] + [("b", m) for m in second])
    found = {(p.name, p.title, p.country) for p in people}
    assert found == {
        ("Masataka Okano", "Vice Foreign Minister", "JP"),
        ("Kurt M. Campbell", "Deputy Secretary of State", "US"),
        ("Kim Hong Kyun", "Vice Minister", "KR"),
    }


def test_people_without_an_office_are_not_participants() -> None:
    assert mentions_in("Park Won Gon, a professor at Ewha University, suggested it.") == []


def test_commitment_language_kinds_and_due() -> None:
    found = commitment_in("The leaders reaffirmed their commitment to denuclearization.")
    assert found is not None and found.kind == "reaffirmed"
    found = commitment_in("They agreed to finalize a mechanism by the next Trilateral Summit.")
    assert found is not None and (found.kind, found.due) == ("new", "the next Trilateral Summit")


def test_expectations_quoted_threats_and_document_names_are_not_commitments() -> None:
    assert commitment_in("The U.S. is expected to reaffirm its commitment.") is None
    assert commitment_in("She threatened that \u201ca disaster will surely occur\u201d.") is None
    assert commitment_in("They issued the Commitment to Consult.") is None
    assert commitment_in("This will be the first meeting in five months.") is None


def test_sentences_keep_abbreviations_and_split_headings() -> None:
    sentences = split_sentences(
        "Talks in Seoul\nU.S. Deputy Secretary Kurt M. Campbell spoke. Then they left.\n"
        "A wrapped\nline continues here."
    )
    assert [(s.text, s.heading) for s in sentences] == [
        ("Talks in Seoul", True),
        ("U.S. Deputy Secretary Kurt M. Campbell spoke.", False),
        ("Then they left.", False),
        ("A wrapped line continues here.", False),
    ]


def test_organisation_where_the_text_names_it() -> None:
    found = mentions_in(
        "Vice Minister Park Yoon-joo of the Ministry of Foreign Affairs met Wang Yi, "
        "Director of the Office of the Central Foreign Affairs Commission, in Beijing."
    )
    assert [(m.name, m.organization) for m in found] == [
        ("Park Yoon-joo", "Ministry of Foreign Affairs"),
        ("Wang Yi", "Central Foreign Affairs Commission"),
    ]


def test_the_host_is_whoever_the_words_say_hosted() -> None:
    found = mentions_in(
        "On August 18, 2023, President Joseph R. Biden Jr. hosted President Yoon Suk Yeol "
        "of the Republic of Korea at Camp David."
    )
    assert [(m.name, m.host) for m in found] == [
        ("Joseph R. Biden Jr", True),
        ("Yoon Suk Yeol", False),
    ]
    hosted_by = mentions_in("Talks were hosted by Foreign Minister Anna Roe of Poland.")
    assert [(m.name, m.host) for m in hosted_by] == [("Anna Roe", True)]
