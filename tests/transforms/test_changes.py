"""briefgen diff: items matched by id (renames detected), id-less items by text, every section."""

from __future__ import annotations

import io
import json
from pathlib import Path

import docx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.models.brief import Brief
from briefgen.transforms.changes import (
    BriefDiff,
    SectionDiff,
    diff_briefs,
    format_diff_text,
    version_label,
)
from briefgen.validation import load_brief
from tests.conftest import FIXTURES, check_reference

OLD = FIXTURES / "changes" / "v1.yaml"
NEW = FIXTURES / "changes" / "v2.yaml"


@pytest.fixture(scope="module")
def old() -> Brief:
    return load_brief(OLD)


@pytest.fixture(scope="module")
def new() -> Brief:
    return load_brief(NEW)


def _section(diff: BriefDiff, name: str) -> SectionDiff:
    return next(section for section in diff.sections if section.name == name)


def test_a_brief_compared_with_itself_has_no_changes(new: Brief) -> None:
    diff = diff_briefs(new, new)
    assert diff.is_empty
    assert format_diff_text(diff).endswith("No changes.\n")


def test_the_report_on_two_versions_matches_the_reviewed_reference(old: Brief, new: Brief) -> None:
    check_reference(FIXTURES / "changes" / "expected.txt", format_diff_text(diff_briefs(old, new)))


def test_every_kind_of_change_is_found(old: Brief, new: Brief) -> None:
    diff = diff_briefs(old, new)
    meta = diff.sections[0]
    assert {(f.field, f.old, f.new) for f in meta.changed[0].fields} == {
        ("date", "2024-10-16", "2024-10-17"),
        ("version", "0.9", "1.0"),
    }
    summary = _section(diff, "summary")
    assert [change.key for change in summary.changed] == ["summary[2]"]
    participants = _section(diff, "participants")
    assert participants.reordered
    assert [c.key for c in participants.changed] == ["kurt-campbell"]
    assert [i.key for i in _section(diff, "agenda").removed] == ["trade-talks"]
    assert [i.key for i in _section(diff, "commitments").added] == ["youth-programs"]
    (rename,) = _section(diff, "risks").renamed
    assert (rename.old_key, rename.new_key) == ("clash-at-border", "border-clash")
    assert {(f.field, f.old, f.new) for f in rename.fields} == {
        ("likelihood", "2", "3"),
        ("score", "10", "15"),
    }
    assert not _section(diff, "risks").added and not _section(diff, "risks").removed


def test_swapping_the_versions_swaps_added_and_removed(old: Brief, new: Brief) -> None:
    forward, backward = diff_briefs(old, new), diff_briefs(new, old)
    for ahead, behind in zip(forward.sections, backward.sections, strict=True):
        assert ahead.added == behind.removed
        assert ahead.removed == behind.added
        assert [(r.old_key, r.new_key) for r in ahead.renamed] == [
            (r.new_key, r.old_key) for r in behind.renamed
        ]


@settings(max_examples=30, deadline=None)
@given(order=st.permutations(range(5)))
def test_reordering_alone_is_reported_as_a_reorder_only(order: list[int]) -> None:
    brief = load_brief(NEW)
    shuffled = brief.model_copy(update={"risks": [brief.risks[i] for i in order]})
    section = _section(diff_briefs(brief, shuffled), "risks")
    assert not (section.added or section.removed or section.changed or section.renamed)
    assert section.reordered == (list(order) != sorted(order))


def test_a_changed_background_is_one_field_change(new: Brief) -> None:
    context = new.context.model_copy(update={"background": "Short now."})
    edited = new.model_copy(update={"context": context})
    section = _section(diff_briefs(new, edited), "context")
    (change,) = section.changed
    assert change.key == "background" and change.fields[0].new == "Short now."


def test_versions_are_named_by_version_and_date(new: Brief) -> None:
    assert version_label(new) == "1.0 (2024-10-17)"
    unversioned = new.model_copy(update={"meta": new.meta.model_copy(update={"version": None})})
    assert version_label(unversioned) == "2024-10-17"


def test_diff_command_prints_text_or_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(OLD), str(NEW)]) == 0
    assert "> clash-at-border -> border-clash" in capsys.readouterr().out
    assert main(["diff", str(OLD), str(NEW), "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["changed"] is True
    assert [section["name"] for section in report["sections"]] == [
        "meta", "summary", "context", "participants", "agenda", "commitments", "risks", "sources",
    ]  # fmt: skip


def test_diff_of_an_invalid_brief_is_located_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text(
        NEW.read_text(encoding="utf-8").replace("schema_version: 1", "schema_version: 2")
    )
    assert main(["diff", str(OLD), str(broken)]) == 1
    assert f"{broken}:" in capsys.readouterr().err


def _texts(out: Path, stem: str) -> tuple[str, str]:
    pdf = " ".join(page.extract_text() for page in PdfReader(out / f"{stem}.pdf").pages)
    word = docx.Document(io.BytesIO((out / f"{stem}.docx").read_bytes()))
    return " ".join(pdf.split()), " ".join(" ".join(p.text for p in word.paragraphs).split())


def test_build_changes_since_adds_the_section_to_both_formats(tmp_path: Path) -> None:
    command = ["build", str(NEW), "-o", str(tmp_path), "--changes-since", str(OLD)]
    assert main(command) == 0
    for text in _texts(tmp_path, NEW.stem):
        assert "Changes since version 0.9 (2024-10-16)" in text
        assert "Removed: Trade and supply chains" in text
        assert "New: Continue the Trilateral Global Leadership Youth Summit" in text
        assert "(id clash-at-border is now border-clash)" in text
        assert "title “Deputy Secretary” → “Deputy Secretary of State”" in text
        assert "date “2024-10-16” → “2024-10-17”" in text


def test_changes_since_an_identical_version_says_so(tmp_path: Path) -> None:
    assert main(["build", str(NEW), "-o", str(tmp_path), "--changes-since", str(NEW)]) == 0
    for text in _texts(tmp_path, NEW.stem):
        assert "Nothing has changed since that version." in text


def test_the_read_ahead_summarises_the_changes_in_one_line_and_keeps_one_page(
    tmp_path: Path,
) -> None:
    command = ["build", str(NEW), "-o", str(tmp_path), "--changes-since", str(OLD)]
    assert main([*command, "--template", "read_ahead"]) == 0
    pdf_text, docx_text = _texts(tmp_path, NEW.stem)
    for text in (pdf_text, docx_text):
        assert "Changes since version 0.9 (2024-10-16): brief details (1 changed)" in text
        assert "risks (1 renamed)" in text
    assert len(PdfReader(tmp_path / f"{NEW.stem}.pdf").pages) == 1


def _greedy_by_sorting(olds: list[str], news: list[str], threshold: float) -> list[tuple[str, str]]:
    """The pairing rule written plainly: every pair scored, best first, both items free."""
    from rapidfuzz import fuzz

    scored = sorted(
        (-fuzz.ratio(old, new), i, j)
        for i, old in enumerate(olds)
        for j, new in enumerate(news)
        if fuzz.ratio(old, new) >= threshold * 100
    )
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, i, j in scored:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((olds[i], news[j]))
    return pairs


_WORDS = st.lists(st.sampled_from(["ab", "abc", "abd", "xy", "abcd", "b"]), min_size=1, max_size=3)
_ITEMS = st.lists(_WORDS.map(" ".join), max_size=12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(olds=_ITEMS, news=_ITEMS, threshold=st.sampled_from([0.3, 0.5, 0.6, 0.8]))
def test_the_fast_pairing_is_the_greedy_pairing(
    olds: list[str], news: list[str], threshold: float
) -> None:
    """Heap-merged best candidates (few fetched at a time, ties included) pair exactly as
    sorting every scored pair would."""
    from briefgen.transforms import changes

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(changes._Candidates, "FEW", 2)  # run out often: exercise the refetch
        fast = changes._best_pairs(olds, news, lambda item: item, threshold)
    assert sorted(fast) == sorted(_greedy_by_sorting(olds, news, threshold))


def test_timeline_entries_dated_by_month_or_year_are_compared(tmp_path: Path) -> None:
    memo = FIXTURES / "memos" / "quad-action-memo.yaml"
    edited = tmp_path / "memo.yaml"
    text = memo.read_text(encoding="utf-8").replace("{date: 2024-04, event:", "{date: 2024, event:")
    edited.write_text(text, encoding="utf-8")
    changes = diff_briefs(load_brief(memo), load_brief(edited))
    (context,) = [section for section in changes.sections if section.name == "context"]
    (change,) = context.changed
    assert change.label.startswith("2024 Senior officials agreed")
    assert [(field.old, field.new) for field in change.fields] == [("2024-04", "2024")]
