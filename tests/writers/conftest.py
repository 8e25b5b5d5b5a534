"""A document exercising every block type, shared by the writer tests.

It is built by hand (not from a brief) because writers know nothing of briefs.
"""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.document.nodes import (
    BulletList,
    Callout,
    Cell,
    Column,
    DefinitionList,
    Document,
    DocumentInfo,
    Heading,
    HeatCell,
    HeatMap,
    Note,
    NoteRef,
    Notes,
    PageDecor,
    Paragraph,
    Table,
    Text,
)
from briefgen.presentation.theme import Theme, default_theme


def _heat_rows() -> tuple[tuple[HeatCell, ...], ...]:
    tones = ("low", "moderate", "high", "critical")
    rows = []
    for impact in range(5, 0, -1):
        row = []
        for likelihood in range(1, 6):
            score = impact * likelihood
            tone = tones[min(3, (score - 1) // 6)]
            labels = ("R1", "R2") if (impact, likelihood) == (5, 4) else ()
            row.append(HeatCell(tone=tone, labels=labels))  # type: ignore[arg-type]
        rows.append(tuple(row))
    return tuple(rows)


def _long_table_rows(count: int) -> tuple[tuple[Cell, ...], ...]:
    return tuple(
        (
            Cell(paragraphs=((Text(f"Row {n}"),),), bold=True),
            Cell(paragraphs=((Text("Kim Hong Kyun "), Text("김홍균", lang="ko")),)),
            Cell(paragraphs=((Text("Okano Masataka "), Text("岡野正敬", lang="ja")),), tone="high"),
        )
        for n in range(1, count + 1)
    )


def sample_document() -> Document:
    """Return a three-page-plus document with every block type and CJK text."""
    blocks = (
        Paragraph((Text("Trilateral Vice Foreign Ministerial"),), style="title"),
        Paragraph((Text("Seoul, 16 October 2024"),), style="subtitle"),
        DefinitionList(
            items=(
                ("Prepared for", (Text("Deputy Secretary"),)),
                ("Date", (Text("15 October 2024"),)),
            )
        ),
        Callout(
            title="Bottom line",
            body=(
                Paragraph((Text("Allies "), Text("reaffirm", bold=True), Text(" unity."))),
                BulletList(items=((Text("Stand with the ROK."),), (Text("Respond together."),))),
            ),
        ),
        Heading(level=1, content=(Text("Key points"),), anchor="key-points"),
        BulletList(
            items=(
                (Text("First point with "), Text("italic", italic=True), NoteRef(1, "note-1")),
                (
                    Text("A link to "),
                    Text("the readout", href="https://example.org/readout?a=1&b=2"),
                    NoteRef(2, "note-2"),
                ),
            )
        ),
        Heading(level=2, content=(Text("Context"),), anchor="context"),
        Paragraph(
            (
                Text('Markup stays text: <b>not bold</b> & <img src="/etc/passwd"/> '),
                Text("“curly” quotes — dashes"),
            )
        ),
        Paragraph((Text("A quoted passage."),), style="quote"),
        Paragraph((Text("Small print."),), style="small"),
        Heading(level=1, content=(Text("Participants"),), anchor="participants"),
        Table(
            columns=(Column(1), Column(2), Column(2, align="center")),
            header=(
                Cell(paragraphs=((Text("No."),),)),
                Cell(paragraphs=((Text("Name"),),)),
                Cell(paragraphs=((Text("Counterpart"),),)),
            ),
            rows=_long_table_rows(60),
            caption=(Text("Table 1. Participants"),),
        ),
        Heading(level=1, content=(Text("Risks"),), anchor="risks"),
        HeatMap(
            rows=_heat_rows(),
            row_labels=("5", "4", "3", "2", "1"),
            column_labels=("1", "2", "3", "4", "5"),
            x_title="Likelihood",
            y_title="Impact",
            caption=(Text("Figure 1. Likelihood x impact"),),
        ),
        Heading(level=1, content=(Text("Sources"),), anchor="sources"),
        Notes(
            items=(
                Note(1, "note-1", (Text("Korea JoongAng Daily, “Talks,” 14 October 2024."),)),
                Note(2, "note-2", (Text("Omai, “Vice ministers meet,” 16 October 2024."),)),
            )
        ),
    )
    return Document(
        info=DocumentInfo(
            title="Trilateral Vice Foreign Ministerial",
            author="Office of Korean Affairs",
            subject="Briefing memo",
            keywords=("Korea", "Japan", "trilateral"),
            language="en",
            created=dt.datetime(2024, 10, 15, 9, 0, tzinfo=dt.UTC),
        ),
        decor=PageDecor(
            banner="UNCLASSIFIED",
            label="TLP:AMBER",
            label_tone="tlp-amber",
            footer_left="Trilateral Vice Foreign Ministerial",
        ),
        blocks=blocks,
    )


@pytest.fixture
def document() -> Document:
    return sample_document()


@pytest.fixture(scope="session")
def theme() -> Theme:
    return default_theme()
