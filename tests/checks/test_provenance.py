"""`briefgen check`: quotes verified against local source texts, claims cited, sources used."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefgen.checks.provenance import ProvenanceOptions, nearest_passage, normalise, quote_found
from briefgen.cli.main import main
from tests.conftest import SAMPLE

SOURCE_TEXT = (
    "The ministers met in Seoul on Wednesday.\n"
    "They reaffirmed their \u201cironclad\u201d commitment \u2014 and pledged\n"
    "to FINALIZE a coordinating mechanism by the next summit.\n"
)


def _brief(tmp_path: Path, quote: str, *, path: str = "notes/source.txt", extra: str = "") -> Path:
    (tmp_path / "notes").mkdir(exist_ok=True)
    (tmp_path / "notes" / "source.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        "schema_version: 1\n"
        "meta: {title: T, date: 2024-10-17}\n"
        "summary:\n"
        f"  - text: A point.\n    sources: [{{id: readout, quote: {json.dumps(quote)}}}]\n"
        "sources:\n"
        f"  - {{id: readout, title: Readout, path: {path}}}\n" + extra,
        encoding="utf-8",
    )
    return brief


def test_normalise_folds_quotes_dashes_and_whitespace() -> None:
    assert normalise("\u201cironclad\u201d \u2014  it\u2019s\n ok") == '"ironclad" - it\'s ok'
    assert normalise("ABC", ignore_case=True) == "abc"


@pytest.mark.parametrize(
    "quote",
    [
        '"ironclad" commitment - and pledged to',  # straight quotes, hyphen, line break
        "\u201cironclad\u201d commitment \u2014 and",
        "met in Seoul",
    ],
)
def test_quotes_match_after_normalisation(tmp_path: Path, quote: str) -> None:
    assert main(["check", "--strict", str(_brief(tmp_path, quote))]) == 0


def test_case_is_folded_only_when_asked(tmp_path: Path) -> None:
    brief = _brief(tmp_path, "finalize a coordinating mechanism")
    assert main(["check", str(brief)]) == 1
    assert main(["check", "--ignore-case", str(brief)]) == 0
    assert quote_found("Met In Seoul", SOURCE_TEXT, ProvenanceOptions(ignore_case=True))


def test_missing_quote_is_located_with_the_nearest_passage(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _brief(tmp_path, "the ministers met in Busan on Wednesday")
    assert main(["check", str(brief)]) == 1
    err = capsys.readouterr().err
    assert f"{brief}:5:" in err and "summary[0].sources[0].quote: quote not found" in err
    assert "nearest passage: \u201cThe ministers met in Seoul on Wednesday." in err


def test_nearest_passage_is_empty_when_nothing_is_close() -> None:
    assert nearest_passage("zebra quantum xylophone", SOURCE_TEXT) == ""


def test_missing_source_file_is_a_located_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = _brief(tmp_path, "met in Seoul", path="notes/absent.txt")
    assert main(["check", str(brief)]) == 1
    err = capsys.readouterr().err
    assert "sources[0].path: cannot read the source text notes/absent.txt" in err


def test_uncited_claims_are_errors_and_unused_sources_warnings(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    extra = (
        "  - {id: unused, title: Never cited}\n"
        "commitments: [{id: c, text: Do it, parties: [US]}]\n"
        "risks: [{id: r, title: Risk, likelihood: 2, impact: 2}]\n"
    )
    brief = _brief(tmp_path, "met in Seoul", extra=extra)
    assert main(["check", "--format", "json", str(brief)]) == 1
    problems = {
        (p["path"], p["severity"]): p["message"] for p in json.loads(capsys.readouterr().out)
    }
    assert (
        problems[("commitments[0]", "error")]
        == "this commitment cites no source; add `sources: [id]`, or `assessment: true` "
        "when it is your own judgement"
    )
    assert problems[("risks[0]", "error")].startswith("this risk cites no source")
    assert problems[("sources[1].id", "warning")] == "source 'unused' is never cited"


def test_warnings_fail_only_with_strict(tmp_path: Path) -> None:
    brief = _brief(tmp_path, "met in Seoul", extra="  - {id: unused, title: Never cited}\n")
    assert main(["check", str(brief)]) == 0
    assert main(["check", "--strict", str(brief)]) == 1


def test_quote_without_local_text_is_a_warning(tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text(
        "schema_version: 1\nmeta: {title: T, date: 2024-10-17}\n"
        "summary: [{text: x, sources: [{id: s, quote: words}]}]\n"
        "sources: [{id: s, title: S}]\n",
        encoding="utf-8",
    )
    assert main(["check", str(brief)]) == 0
    assert main(["check", "--strict", str(brief)]) == 1


def test_invalid_brief_fails_check_with_validation_messages(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text("schema_version: 1\nmeta: {date: 2024-10-17}\nsummary: [{text: x}]\n")
    assert main(["check", str(brief)]) == 1
    assert "required key 'title' is missing" in capsys.readouterr().err


def test_sample_passes_strict_check() -> None:
    assert main(["check", "--strict", str(SAMPLE)]) == 0
