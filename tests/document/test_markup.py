"""Document markup parsing: blocks, inline runs, note numbering and refused markup."""

from __future__ import annotations

import pytest

from briefgen.document.markup import MarkupError, parse_document
from briefgen.document.nodes import (
    BulletList,
    Callout,
    DefinitionList,
    Heading,
    HeatMap,
    NoteRef,
    Notes,
    Paragraph,
    Table,
    Text,
    plain_text,
)


def _doc(body: str) -> str:
    return f'<document title="T" created="2024-10-15T00:00:00+00:00">{body}</document>'


def test_inline_runs_nest_and_whitespace_collapses() -> None:
    document = parse_document(
        _doc(
            '<p>  a  <b>bold <i>both</i></b>\n <a href="https://x.org">link</a> '
            '<span lang="ko">김</span> </p>'
        )
    )
    paragraph = document.blocks[0]
    assert isinstance(paragraph, Paragraph)
    assert paragraph.content == (
        Text("a "),
        Text("bold ", bold=True),
        Text("both", bold=True, italic=True),
        Text(" "),
        Text("link", href="https://x.org"),
        Text(" "),
        Text("김", lang="ko"),
    )


def test_notes_are_numbered_by_first_citation_and_uncited_notes_follow() -> None:
    document = parse_document(
        _doc(
            '<p>x<cite ref="b"/><cite ref="a"/></p><p>y<cite ref="b"/></p>'
            '<notes><note id="a">A</note><note id="c">C</note><note id="b">B</note></notes>'
        )
    )
    first, second, notes = document.blocks
    assert isinstance(first, Paragraph) and isinstance(second, Paragraph)
    assert first.content[1:] == (NoteRef(1, "note-b"), NoteRef(2, "note-a"))
    assert second.content[1] == NoteRef(1, "note-b")
    assert isinstance(notes, Notes)
    assert [(note.number, plain_text(note.content)) for note in notes.items] == [
        (1, "B"),
        (2, "A"),
        (3, "C"),
    ]


def test_every_block_type_parses() -> None:
    document = parse_document(
        _doc(
            '<decor banner="UNCLASSIFIED" label="TLP:AMBER" label-tone="tlp-amber" '
            'footer-left="F"/>'
            '<h level="2" id="h">Head</h><ul><li>one</li></ul><ol><li>two</li></ol>'
            '<table><caption>Cap</caption><col weight="2" align="right"/><col/>'
            '<thead><td>A</td><td>B</td></thead><tr><td tone="high" bold="true">1</td>'
            "<td><p>p1</p><p>p2</p></td></tr></table>"
            '<dl><item label="L">V</item><item label="Empty"></item></dl>'
            '<callout title="C" tone="accent"><p>in</p></callout>'
            '<heatmap x-title="X" y-title="Y" row-labels="2|1" column-labels="1|2">'
            '<row><cell tone="high">R1|R2</cell><cell tone="low"></cell></row></heatmap>'
        )
    )
    assert document.decor.label == "TLP:AMBER"
    kinds = [type(block) for block in document.blocks]
    assert kinds == [Heading, BulletList, BulletList, Table, DefinitionList, Callout, HeatMap]
    table = document.blocks[3]
    assert isinstance(table, Table)
    assert table.columns[0].weight == 2 and table.columns[0].align == "right"
    assert table.rows[0][0].tone == "high" and table.rows[0][0].bold
    assert len(table.rows[0][1].paragraphs) == 2
    definitions = document.blocks[4]
    assert isinstance(definitions, DefinitionList)
    assert [label for label, _ in definitions.items] == ["L"]
    heatmap = document.blocks[6]
    assert isinstance(heatmap, HeatMap)
    assert heatmap.rows[0][0].labels == ("R1", "R2")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ("<p>unclosed", "invalid document markup"),
        ("<video/>", "unknown block <video>"),
        ('<h level="4" id="x">H</h>', "level must be 1, 2 or 3"),
        ('<h level="1" id="x">A</h><h level="1" id="x">B</h>', "unique"),
        ('<p>x<cite ref="missing"/></p>', "notes that do not exist"),
        ("<p><img/></p>", "unknown inline element <img>"),
        ('<p style="shout">x</p>', "not one of"),
        ("<table><col/><tr><td>a</td><td>b</td></tr></table>", "2 cells for 1 columns"),
        ("<ul><p>x</p></ul>", "cannot contain <p>"),
    ],
)
def test_invalid_markup_is_refused_with_a_reason(body: str, message: str) -> None:
    with pytest.raises(MarkupError, match=message):
        parse_document(_doc(body))


def test_entity_expansion_is_refused() -> None:
    bomb = '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><document title="&a;"/>'
    with pytest.raises(MarkupError):
        parse_document(bomb)
