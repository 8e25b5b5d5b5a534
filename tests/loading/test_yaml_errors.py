"""The common YAML mistakes explained in plain words with the fix, at the line to edit.

Each ``tests/fixtures/yaml_mistakes/<mistake>.yaml`` holds one mistake; ``expected.txt``
beside them holds what ``briefgen validate`` prints for each.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.cli.main import main
from tests.conftest import FIXTURES, check_reference

MISTAKES = FIXTURES / "yaml_mistakes"
CASES = sorted(MISTAKES.glob("*.yaml"))


def _validate(path: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["validate", str(path)]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return err.replace(str(MISTAKES) + "/", "")


def test_every_mistake_reads_as_expected(capsys: pytest.CaptureFixture[str]) -> None:
    report = "".join(_validate(path, capsys) for path in CASES)
    check_reference(MISTAKES / "expected.txt", report)


@pytest.mark.parametrize(
    ("mistake", "where", "words"),
    [
        ("unquoted_colon", ":3:10:", 'put the value in quotes: title: "Seoul: the trilateral'),
        ("tab_indent", ":4:1:", "replace it with spaces"),
        ("dash_without_space", ":8:3:", "write '- text: They agreed.'"),
        ("dash_without_space_alone", ":6:3:", "a list item needs a space after its dash"),
        ("unclosed_quote", ":3:10:", 'add the closing " at the end of the value'),
        ("bare_year_for_text", ":3:10:", 'quote it ("2025")'),
        ("bare_year_for_date", ":6:8:", "write the whole date, e.g. 2025-06-30"),
        ("number_for_due", ":15:10:", 'or words in quotes, e.g. "by the next summit"'),
        ("over_indented", ":5:4:", "line it up with the key above"),
    ],
)
def test_each_mistake_is_located_and_says_the_fix(
    mistake: str, where: str, words: str, capsys: pytest.CaptureFixture[str]
) -> None:
    err = _validate(MISTAKES / f"{mistake}.yaml", capsys)
    line = next(line for line in err.splitlines() if where in line)
    assert line.startswith(f"{mistake}.yaml{where} error: ")
    assert words in line
    assert "mapping values are not allowed" not in err
    assert "expected <block end>" not in err


def test_a_due_year_is_a_milestone_in_words() -> None:
    """A commitment's due may be a bare year: it is kept as the text "2025"."""
    from briefgen.validation import load_brief_text

    text = (MISTAKES / "number_for_due.yaml").read_text().replace("2025.5", "2025")
    assert load_brief_text(text, "due.yaml").commitments[0].due == "2025"
