"""``briefgen draft`` end to end: the draft validates, its quotes verify, bad sources
are named and skipped, and nothing the user had is overwritten."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen.cli.main import main
from briefgen.validation import load_brief
from tests.conftest import REPO
from tests.sources.make import write_docx, write_eml, write_html, write_pdf

SEOUL = REPO / "bench" / "draft" / "seoul"


@pytest.fixture
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The two sample articles copied into a fresh folder (outside the DOCX audit)."""
    made = tmp_path_factory.mktemp("draft")
    for source in SEOUL.glob("*.txt"):
        shutil.copy(source, made / source.name)
    return made


def _draft(folder: Path, *names: str, extra: tuple[str, ...] = ()) -> int:
    sources = [str(folder / name) for name in names]
    return main(["draft", *sources, "-o", str(folder / "brief.yaml"), *extra])


def test_draft_validates_and_its_quotes_verify(folder: Path) -> None:
    assert _draft(folder, "drone-tensions.txt", "omai-readout.txt") == 0
    assert main(["check", str(folder / "brief.yaml")]) == 0
    brief = load_brief(folder / "brief.yaml")
    names = {person.name for person in brief.participants}
    assert names == {"Kim Hong Kyun", "Kurt M. Campbell", "Masataka Okano"}
    assert {p.country for p in brief.participants} == {"KR", "US", "JP"}
    dates = {str(event.date) for event in brief.context.timeline}
    assert {"2024-10-03", "2024-10-13", "2024-10-16"} <= dates
    kinds = {c.text.split()[1]: c.kind for c in brief.commitments if c.text.startswith("The U.S.")}
    assert kinds == {"U.S.": "reaffirmed"}
    assert all(ref.quote for point in brief.summary for ref in point.sources)


def test_draft_marks_items_for_review_and_prompts_for_judgement(folder: Path) -> None:
    assert _draft(folder, "omai-readout.txt", extra=("--title", "Seoul readout")) == 0
    text = (folder / "brief.yaml").read_text(encoding="utf-8")
    assert 'title: "Seoul readout"' in text
    assert text.count("# review") >= 10
    assert "# risks:" in text and "# agenda:" in text and "talking_points" in text


def test_draft_is_deterministic(folder: Path) -> None:
    assert _draft(folder, "drone-tensions.txt", "omai-readout.txt") == 0
    first = (folder / "brief.yaml").read_bytes()
    assert _draft(folder, "drone-tensions.txt", "omai-readout.txt", extra=("--force",)) == 0
    assert (folder / "brief.yaml").read_bytes() == first


def test_existing_output_is_kept_without_force(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "brief.yaml").write_text("mine\n", encoding="utf-8")
    assert _draft(folder, "omai-readout.txt") == 1
    assert "use --force" in capsys.readouterr().err
    assert (folder / "brief.yaml").read_text(encoding="utf-8") == "mine\n"


def test_bad_sources_are_named_and_the_draft_is_written_from_the_others(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from PIL import Image

    (folder / "empty.txt").write_bytes(b"")
    Image.new("RGB", (50, 50), "white").save(folder / "scan.pdf", "PDF")
    assert _draft(folder, "empty.txt", "scan.pdf", "omai-readout.txt") == 0
    err = capsys.readouterr().err
    assert f"{folder / 'empty.txt'}: error: cannot use this source: the file is empty" in err
    assert f"{folder / 'scan.pdf'}: error: cannot use this source: no text layer" in err
    assert [s.path for s in load_brief(folder / "brief.yaml").sources] == ["omai-readout.txt"]


def test_no_usable_source_writes_nothing_and_fails(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (folder / "empty.txt").write_bytes(b"")
    assert _draft(folder, "empty.txt", "missing.txt") == 1
    err = capsys.readouterr().err
    assert "missing.txt: error: cannot use this source: no such file" in err
    assert "no usable source: nothing written" in err
    assert not (folder / "brief.yaml").exists()


def test_check_verifies_quotes_in_html_pdf_and_eml_sources(folder: Path) -> None:
    text = (folder / "omai-readout.txt").read_text(encoding="utf-8")
    write_html(folder / "page.html", text)
    write_pdf(folder / "readout.pdf", text)
    write_eml(folder / "message.eml", text)
    write_docx(folder / "readout.docx", text)
    names = ("page.html", "readout.pdf", "message.eml", "readout.docx")
    assert _draft(folder, *names) == 0
    assert main(["check", str(folder / "brief.yaml")]) == 0
    brief = load_brief(folder / "brief.yaml")
    assert {s.path for s in brief.sources} == set(names)
    assert len(brief.commitments) >= 5


def test_help_and_validate_do_not_import_the_extractors() -> None:
    code = (
        "import sys; from briefgen.cli.main import main; main(['--help']); "
        f"main(['validate', {str(REPO / 'inputs/seoul-trilateral-2024-10-16.yaml')!r}]); "
        "heavy = [m for m in ('trafilatura', 'pypdfium2', 'docx', 'lxml', 'briefgen.draft') "
        "if m in sys.modules]; print('HEAVY=' + ','.join(heavy))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert "HEAVY=\n" in result.stdout, result.stdout


def test_a_title_the_brief_cannot_hold_is_refused(
    folder: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _draft(folder, "omai-readout.txt", extra=("--title", "bad\x07title")) == 1
    assert "error: --title:" in capsys.readouterr().err
    assert not (folder / "brief.yaml").exists()


def test_source_text_cannot_break_the_yaml(folder: Path) -> None:
    (folder / "hostile.txt").write_text(
        'Minister said: "we agreed" \\ # not a comment: {x: [y]} & *alias ---\n'
        "Foreign Minister Anna Roe of Poland agreed to launch talks on 3 March 2025. "
        "'Single quotes' and a tab\there will stay.\n",
        encoding="utf-8",
    )
    assert _draft(folder, "hostile.txt") == 0
    assert main(["check", str(folder / "brief.yaml")]) == 0
    brief = load_brief(folder / "brief.yaml")
    assert brief.summary[0].text.startswith('Minister said: "we agreed" \\ # not a comment')
    assert [(p.name, p.country) for p in brief.participants] == [("Anna Roe", "PL")]
    assert [str(e.date) for e in brief.context.timeline] == ["2025-03-03"]


def test_sources_outside_the_brief_folder_are_warned_about(
    folder: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    elsewhere = tmp_path_factory.mktemp("elsewhere") / "brief.yaml"
    source = folder / "omai-readout.txt"
    assert main(["draft", str(source), "-o", str(elsewhere)]) == 0
    assert f"{source}: warning: outside the folder of {elsewhere}" in capsys.readouterr().err
    assert load_brief(elsewhere).sources[0].path == f"../{folder.name}/omai-readout.txt"


def test_undated_sources_take_the_date_from_source_date_epoch(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    (folder / "undated.txt").write_text(
        "The two foreign ministers agreed to meet again soon in the capital city.\n",
        encoding="utf-8",
    )
    assert _draft(folder, "undated.txt") == 0
    brief = load_brief(folder / "brief.yaml")
    assert brief.meta.date.isoformat() == "2023-11-14"
    assert brief.context.timeline == []
    text = (folder / "brief.yaml").read_text("utf-8")
    assert "date: 2023-11-14  # review: today" in text
    assert "  # - id: two-foreign-ministers-agreed-meet  # review: no party named" in text
    assert brief.commitments == []


def test_run_on_text_is_quoted_from_its_beginning(folder: Path) -> None:
    (folder / "runon.txt").write_text("words " * 400, encoding="utf-8")
    assert _draft(folder, "runon.txt") == 0
    assert main(["check", str(folder / "brief.yaml")]) == 0
    assert len(load_brief(folder / "brief.yaml").summary[0].text) <= 600


def test_a_right_to_left_source_is_quoted_as_written(folder: Path) -> None:
    """Arabic and Hebrew are no longer refused: their sentences are quoted like any other."""
    (folder / "arabic.txt").write_text("\u0645\u0631\u062d\u0628\u0627\n", encoding="utf-8")
    assert _draft(folder, "arabic.txt") == 0
    assert main(["check", str(folder / "brief.yaml")]) == 0
    assert load_brief(folder / "brief.yaml").summary[0].text == "\u0645\u0631\u062d\u0628\u0627"
