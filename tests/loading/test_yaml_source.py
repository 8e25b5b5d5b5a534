"""Loading YAML: positions kept, duplicates refused, bad files turned into located problems."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefgen.errors import InvalidInputError, Problem
from briefgen.loading import yaml_source
from briefgen.loading.positions import PositionIndex, format_path
from briefgen.loading.yaml_source import MAX_FILE_BYTES, load_yaml_file, load_yaml_text


def _problem(text: str) -> Problem:
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_text(text, "brief.yaml")
    assert len(caught.value.problems) == 1
    return caught.value.problems[0]


def test_positions_of_keys_values_and_list_items_are_one_based() -> None:
    loaded = load_yaml_text("meta:\n  title: T\nlist:\n  - a\n  - {id: b}\n", "brief.yaml")
    assert loaded.positions.keys[("meta", "title")] == (2, 3)
    assert loaded.positions.values[("meta", "title")] == (2, 10)
    assert loaded.positions.values[("list", 1)] == (5, 5)
    assert loaded.positions.keys[("list", 1, "id")] == (5, 6)


def test_data_is_plain_python() -> None:
    loaded = load_yaml_text("a: |\n  text\nb: 1.5\nc: [1]\nd: 2024-10-16\n", "brief.yaml")
    assert loaded.data == {"a": "text\n", "b": 1.5, "c": [1], "d": dt.date(2024, 10, 16)}
    assert type(loaded.data["a"]) is str
    assert type(loaded.data["c"]) is list


def test_duplicate_keys_are_refused_at_the_second_key() -> None:
    problem = _problem("meta:\n  title: A\n  title: B\n")
    assert (problem.line, problem.column) == (3, 3)
    assert 'duplicate key "title"' in problem.message


def test_syntax_error_is_located() -> None:
    problem = _problem("summary: [a, b\nmeta: {}\n")
    assert problem.line == 2
    assert problem.message.startswith("invalid YAML")


def test_tab_indentation_is_a_located_syntax_error() -> None:
    problem = _problem("meta:\n\ttitle: T\n")
    assert problem.line == 2
    assert "tab" in problem.message.lower()


def test_impossible_date_is_kept_as_text_for_the_schema_to_report() -> None:
    assert load_yaml_text("d: 2024-02-30\n", "brief.yaml").data == {"d": "2024-02-30"}


def test_byte_order_mark_and_crlf_are_accepted() -> None:
    loaded = load_yaml_text("\ufeffa: 1\r\nb: x\r\n", "brief.yaml")
    assert loaded.data == {"a": 1, "b": "x"}


def test_non_utf8_file_is_refused_with_its_position(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("title: ok\nname: Caf\xe9\n".encode("latin-1"))
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(path)
    problem = caught.value.problems[0]
    assert (problem.line, problem.column) == (2, 10)
    assert "not UTF-8" in problem.message


def test_missing_file_is_a_problem_not_a_traceback(tmp_path: Path) -> None:
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(tmp_path / "absent.yaml")
    assert "cannot read file" in caught.value.problems[0].message


def test_oversized_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    path.write_bytes(b"#" * (MAX_FILE_BYTES + 1))
    with pytest.raises(InvalidInputError) as caught:
        load_yaml_file(path)
    assert "limited to" in caught.value.problems[0].message


def test_position_lookup_falls_back_to_the_nearest_ancestor() -> None:
    index = PositionIndex(keys={("a",): (1, 1)}, values={("a",): (1, 4)})
    assert index.of_value(("a", "b", 3)) == (1, 4)
    assert index.of_key(("a",)) == (1, 1)
    assert index.of_value(("zzz",)) == (1, 1)


def test_format_path() -> None:
    assert format_path(("participants", 0, "role")) == "participants[0].role"
    assert format_path(()) == ""


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: !!python/object:os.system x\n", "YAML tags such as !!python/object:os.system"),
        ("title: !custom x\n", "YAML tags such as !custom"),
        ("? [a, b]\n: 1\n", "keys must be plain words"),
        ("a: " + "[" * 3000 + "]" * 3000 + "\n", "nested more than 50 levels deep"),
        ("a: " + "[" * 60 + "]" * 60 + "\n", "nested more than 50 levels"),
    ],
)
def test_what_a_brief_never_needs_is_refused_clearly(text: str, message: str) -> None:
    assert message in _problem(text).message


def test_alias_bomb_is_refused_quickly() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for previous, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{previous}"] * 9) + "]")
    problem = _problem("\n".join(lines) + "\n")
    assert "more than 200,000 values" in problem.message


_REPO = Path(__file__).resolve().parents[2]
_BRIEFS = sorted(
    [*(_REPO / "inputs").glob("*.yaml"), *(_REPO / "tests" / "fixtures").rglob("*.yaml")]
)


@pytest.mark.parametrize("path", _BRIEFS, ids=lambda path: path.name)
def test_fast_path_gives_the_same_data_as_the_round_trip_path(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    fast = yaml_source._fast_load(text)
    try:
        slow = yaml_source._round_trip(text, path.name).data
    except InvalidInputError:
        assert fast is yaml_source._SLOW
        return
    assert fast is yaml_source._SLOW or fast == slow


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 1\n",
        "%YAML 1.1\n---\na: 1\n",
        "a: 1\na: 2\n",
        "d: 2024-02-30\n",
        "1: one\n",
        "a: !!set {x, y}\n",
    ],
)
def test_fast_path_defers_to_the_round_trip_path_when_in_doubt(text: str) -> None:
    assert yaml_source._fast_load(text) is yaml_source._SLOW


def test_positions_of_a_fast_loaded_file_are_computed_on_first_use() -> None:
    loaded = load_yaml_text("meta:\n  title: x\n", "b.yaml")
    assert loaded.data == {"meta": {"title": "x"}}
    assert loaded.positions.values[("meta", "title")] == (2, 10)
