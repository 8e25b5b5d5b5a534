"""The action memo and the public policy brief, built from realistic briefs: what a
principal's desk and an outside reader see, and what each layout refuses to print."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.compose.render import ComposeOptions, compose
from briefgen.document.nodes import (
    BulletList,
    Callout,
    Cell,
    DefinitionList,
    Document,
    Heading,
    Notes,
    Paragraph,
    Table,
    plain_text,
)
from briefgen.validation import load_brief, load_brief_text
from tests.conftest import FIXTURES, SAMPLE, user_layout

MEMOS = FIXTURES / "memos"
ACTION_MEMO = MEMOS / "quad-action-memo.yaml"
POLICY_BRIEF = MEMOS / "asean-policy-brief.yaml"


def _pdf_text(path: Path) -> str:
    """The PDF's text with whitespace squashed, so line wrapping cannot hide a match."""
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(path).pages))


def _build(brief: Path, out: Path, *extra: str) -> int:
    return main(["build", str(brief), "-o", str(out), *extra])


def test_an_action_memo_gets_its_own_layout_by_default(tmp_path: Path) -> None:
    assert _build(ACTION_MEMO, tmp_path) == 0
    pdf = tmp_path / "quad-action-memo.pdf"
    assert (tmp_path / "quad-action-memo.docx").stat().st_size > 10_000
    text = _pdf_text(pdf)
    assert len(PdfReader(pdf).pages) == 2
    for expected in (
        "ACTION MEMO FOR THE SECRETARY",
        "THROUGH P - Under Secretary for Political Affairs",
        "FROM EAP - Daniel J. Kritenbrink",
        "SUBJECT (SBU) Hosting the 2025 Quad Foreign Ministers\u2019 Meeting in Washington",
        "Bottom line",
        "(U) That you approve hosting the 2025 Quad Foreign Ministers\u2019 Meeting in Washington.",
        "Approve ____________ Disapprove ____________",
        "Discuss ____________",
        "Decision needed by August 7, 2024.",
        "Concur (SBU) SCA",
        "Do not concur (SBU) F (ESF reprogramming requires Congressional notification first.)",
        "(SBU) Assessment: The MAITRI maritime training initiative is unfunded",
        "(U) April 2024. Assessment: Senior officials agreed the Tokyo agenda.",
        "(Quad; due December 2024; announced)",
        "Tab 1 (SBU) Joint Statement",
        "Drafting and clearance",
        "(SBU) EAP/J Jane Analyst, 202-647-0000 Drafted July 31, 2024",
        "Dissent",
        "(SBU) Distribution: S, D, P, EAP, SCA, F",
    ):
        assert expected in text, expected
    assert text.index("Recommendation") < text.index("Background") < text.index("Drafting")


def test_quotes_go_to_the_notes_with_their_speaker_and_never_follow_a_marker() -> None:
    document = compose(load_brief(ACTION_MEMO), ComposeOptions(template="action_memo"))
    (notes,) = [block for block in document.blocks if isinstance(block, Notes)]
    texts = [plain_text(note.content) for note in notes.items]
    quote = "The Quad is an exclusive small circle that artificially creates tension"
    assert any(t.startswith(f"(SBU) Mao Ning: \u201c{quote}") and "Source:" in t for t in texts)
    body = " ".join(
        plain_text(block.content) for block in document.blocks if isinstance(block, Paragraph)
    )
    assert quote not in body and "\u201c" not in body
    # every source is still listed: the statement is also cited without a quote
    assert sum("Joint Statement from the Quad Foreign Ministers" in t for t in texts) == 2


def test_the_decision_block_has_one_line_of_options_per_recommendation() -> None:
    document = compose(load_brief(ACTION_MEMO), ComposeOptions(template="action_memo"))
    rule = "_" * 12
    option_lines = [
        plain_text(block.content)
        for block in document.blocks
        if isinstance(block, Paragraph) and rule in plain_text(block.content)
    ]
    assert option_lines == [
        f"Approve {rule} Disapprove {rule}",
        f"Approve {rule} Disapprove {rule} Discuss {rule}",
    ]
    assert document.max_pages == 2


def test_an_action_memo_over_two_pages_is_refused_and_notes_do_not_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ACTION_MEMO.read_text(encoding="utf-8")
    paragraph = "    " + "The ministers discussed the region at length. " * 12 + "\n\n"
    long = text.replace("  background: |\n", "  background: |\n" + paragraph * 10, 1)
    brief = tmp_path / "long.yaml"
    brief.write_text(long, encoding="utf-8")
    (tmp_path / "sources").symlink_to(MEMOS / "sources")
    assert _build(brief, tmp_path / "out") == 1
    error = capsys.readouterr().err
    assert "this layout must fit on 2 pages but the brief needs 3: " in error
    assert re.search(r"past page 2: .*Drafting and clearance \(\d+ lines\)", error), error
    assert "Background" in error and "Notes" not in error
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    # Many notes after a short memo are reference, not reading: the memo still builds.
    sources = "".join(
        f"  - {{id: extra-{n}, title: Background paper {n} on maritime security cooperation "
        f"in the Indo-Pacific region, publisher: Example Institute}}\n"
        for n in range(40)
    )
    noted = tmp_path / "noted.yaml"
    noted.write_text(text.replace("\nsources:\n", "\nsources:\n" + sources, 1), encoding="utf-8")
    assert _build(noted, tmp_path / "noted") == 0
    assert len(PdfReader(tmp_path / "noted" / "noted.pdf").pages) > 2


def test_the_public_brief_refuses_restricted_items_naming_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _build(POLICY_BRIEF, tmp_path) == 1
    error = capsys.readouterr().err
    assert "this layout is public and prints only TLP:CLEAR, UNCLASSIFIED material" in error
    assert (
        "key point 4 (\u201cOur embassy expects the 2025 chair\u2026\u201d) is marked TLP:AMBER"
        in error
    )
    assert "recommendation 3 (\u201cRaise the embassy's concerns on Myanmar\u2026\u201d)" in error
    assert "--audience" in error
    assert not list(tmp_path.iterdir())


def test_the_public_brief_builds_for_the_public_audience(tmp_path: Path) -> None:
    assert _build(POLICY_BRIEF, tmp_path, "--audience", "public") == 0
    text = _pdf_text(tmp_path / "asean-policy-brief-public.pdf")
    for expected in (
        "Mira Santos, Institute for Regional Policy (m.santos@example.org)",
        "Tran Van Long, Southeast Asia Programme, University of Example",
        "Abstract The Vientiane summits reaffirmed ASEAN centrality",
        "Recommendations",
        "Assessment: Fund the ASEAN Secretariat\u2019s Myanmar monitoring capacity",
        "Support concluding the Digital Economy Framework Agreement",
        "(new; ASEAN; due 2025; in progress)",
        "April 2021. Assessment: ASEAN leaders agree the Five-Point Consensus",
    ):
        assert expected in text, expected
    for absent in ("TLP:AMBER", "embassy", "Prepared for", "Drafted", "Objective"):
        assert absent not in text, absent


def test_a_public_brief_with_a_restricted_banner_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = POLICY_BRIEF.read_text(encoding="utf-8").replace(
        "banner: UNCLASSIFIED", "banner: SENSITIVE BUT UNCLASSIFIED"
    )
    brief = tmp_path / "sbu.yaml"
    brief.write_text(text, encoding="utf-8")
    assert _build(brief, tmp_path / "out", "--audience", "public") == 1
    assert "the brief's banner is SENSITIVE BUT UNCLASSIFIED" in capsys.readouterr().err
    caveat = POLICY_BRIEF.read_text(encoding="utf-8").replace(
        "tlp: TLP:CLEAR", "tlp: TLP:CLEAR\n    caveats: [FOUO]"
    )
    brief.write_text(caveat, encoding="utf-8")
    assert _build(brief, tmp_path / "out", "--audience", "public") == 1
    assert "the brief carries the caveats FOUO" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("doc_type", "heading"),
    [("info_memo", "Key points"), ("briefing_memo", "Key points"), ("action_memo", "Bottom line")],
)
def test_the_document_type_chooses_the_layout(doc_type: str, heading: str) -> None:
    from briefgen.compose.render import layout_for

    text = SAMPLE.read_text(encoding="utf-8").replace(
        "doc_type: briefing_memo", f"doc_type: {doc_type}", 1
    )
    brief = load_brief_text(text, "t.yaml")
    layout = layout_for(brief.meta.doc_type, None)
    document = compose(brief, ComposeOptions(template=layout))
    headings = [
        plain_text(block.content) for block in document.blocks if isinstance(block, Heading)
    ]
    assert headings[0] == heading
    assert layout_for(doc_type, "read_ahead") == "read_ahead"


def test_memo_heading_in_an_info_memo_and_the_cui_designation_block() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    text = text.replace("doc_type: briefing_memo", "doc_type: info_memo", 1)
    text = text.replace(
        "  marking:\n",
        "  memo: {to: The Deputy Secretary, through: [P], from: EAP - Acting Assistant Secretary}\n"
        "  marking:\n",
        1,
    )
    document = compose(load_brief_text(text, "info.yaml"), ComposeOptions())
    heading = " ".join(
        f"{label}: {plain_text(value)}"
        for block in document.blocks[:4]
        if isinstance(block, DefinitionList)
        for label, value in block.items
    )
    assert "To: The Deputy Secretary Through: P From: EAP - Acting Assistant Secretary" in heading
    cui = text.replace("banner: UNCLASSIFIED", "banner: CUI", 1).replace(
        "tlp: TLP:CLEAR",
        "tlp: TLP:CLEAR\n    cui: {controlled_by: [Department "
        "of State, EAP/K], categories: [PRVCY], poc: 'Jane Analyst, 202-647-0000'}",
        1,
    )
    blocks = compose(load_brief_text(cui, "cui.yaml"), ComposeOptions()).blocks
    callouts = [
        block
        for block in blocks
        if isinstance(block, Callout) and block.title == "CUI designation indicator"
    ]
    (callout,) = callouts
    lines = [plain_text(part.content) for part in callout.body if isinstance(part, Paragraph)]
    assert lines == [
        "Controlled by: Department of State; EAP/K",
        "CUI category: PRVCY",
        "POC: Jane Analyst, 202-647-0000",
    ]


PORTION = re.compile(r"^\((U|SBU|CUI)\) ")


def _portions(document: Document) -> Iterator[str]:
    """The text of every portion a reader sees: body paragraphs, list items, table rows
    (first cell) and notes. The title block (all before the first heading), headings,
    the decision's option lines, table headers and the CUI designation indicator are
    not portions."""
    headings = [index for index, block in enumerate(document.blocks) if isinstance(block, Heading)]
    for block in document.blocks[headings[0] :]:
        match block:
            case Paragraph(style=style) if style not in ("title", "subtitle"):
                if "_" * 12 not in plain_text(block.content):  # the decision's option lines
                    yield plain_text(block.content)
            case BulletList():
                yield from (plain_text(item) for item in block.items)
            case Table() if block.header:
                yield from (_row_text(row) for row in block.rows)
            case Notes():
                yield from (plain_text(note.content) for note in block.items)
            case Callout() if block.title != "CUI designation indicator":
                for part in block.body:
                    if isinstance(part, BulletList):
                        yield from (plain_text(item) for item in part.items)
                    else:
                        yield plain_text(part.content)


def _row_text(row: tuple[Cell, ...]) -> str:
    """A row's text from its first cell, or from its second when the first is only a
    short label such as the risk number R1 (the mark goes beside the risk's title)."""
    first = plain_text(row[0].paragraphs[0])
    if re.fullmatch(r"R\d+", first):
        return plain_text(row[1].paragraphs[0])
    return first


@pytest.mark.parametrize("template", ["action_memo", "briefing_memo", "read_ahead"])
def test_with_portion_marks_every_portion_starts_with_its_mark(template: str) -> None:
    brief = load_brief(ACTION_MEMO)
    document = compose(brief, ComposeOptions(template=template))
    portions = list(_portions(document))
    assert len(portions) > 8
    unmarked = [text for text in portions if not PORTION.match(text)]
    assert unmarked == []
    # an item's own mark wins; unmarked portions take the banner's (SBU here)
    assert any(text.startswith("(SBU) Assessment: The MAITRI") for text in portions)
    assert any(text.startswith("(U) Quad partners welcomed") for text in portions)


def test_without_portion_marks_nothing_is_marked() -> None:
    text = ACTION_MEMO.read_text(encoding="utf-8").replace(
        "portion_marks: true", "portion_marks: false"
    )
    document = compose(load_brief_text(text, "memo.yaml"), ComposeOptions(template="action_memo"))
    assert not any(PORTION.match(portion) for portion in _portions(document))


def test_the_read_ahead_keeps_a_priority_one_commitment_and_names_what_it_left_out() -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    brief = load_brief_text(text, "sample.yaml")
    last = brief.commitments[-1]
    assert len(brief.commitments) > 4
    marked = text.replace(f"  - id: {last.id}\n", f"  - id: {last.id}\n    priority: 1\n", 1)
    document = compose(load_brief_text(marked, "p.yaml"), ComposeOptions(template="read_ahead"))
    tables = [block for block in document.blocks if isinstance(block, Table)]
    shown = [plain_text(row[0].paragraphs[0]) for row in tables[1].rows]
    assert len(shown) == 4 and shown[-1] == last.text
    left = [
        plain_text(block.content)
        for block in document.blocks
        if isinstance(block, Paragraph) and plain_text(block.content).startswith("Left out")
    ]
    assert len(left) == 1 and "risks R4, R5." in left[0]
    assert left[0].count("\u201c") == len(brief.commitments) - 4


def test_a_layout_built_on_the_public_brief_stays_public(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = user_layout(
        tmp_path / "mine",
        "title_block",
        '<p style="title">{{ meta.title }}</p>',
        extends="policy_brief",
    )
    assert _build(POLICY_BRIEF, tmp_path / "out", "--template", str(folder)) == 1
    assert "this layout is public" in capsys.readouterr().err
