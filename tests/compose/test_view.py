"""How values read in a brief: dates, countries, labels, tones and source notes."""

from __future__ import annotations

import datetime as dt

from briefgen.compose import view
from briefgen.models.brief import Source
from briefgen.validation import load_brief, load_brief_text


def test_country_names_read_naturally() -> None:
    assert view.country_name("JP") == "Japan"
    assert view.country_name("US") == "United States"
    assert "," not in view.country_name("KR")
    assert "Korea" in view.country_name("KR")


def test_risk_bands_cover_every_score() -> None:
    tones = {score: view.risk_tone(score) for score in range(1, 26)}
    assert tones[1] == tones[4] == "low"
    assert tones[5] == tones[9] == "moderate"
    assert tones[10] == tones[16] == "high"
    assert tones[20] == tones[25] == "critical"


def test_tlp_tone_and_marking_line() -> None:
    assert view.tlp_tone("TLP:AMBER+STRICT") == "tlp-amber-strict"
    assert view.tlp_tone(None) == ""
    assert view.marking_line("CUI", ["NOFORN", "PROPIN"]) == "CUI//NOFORN//PROPIN"


def test_chicago_note_with_grading_and_escaped_text() -> None:
    source = Source(
        id="s",
        title="Talks <b>held</b>",
        publisher="Pub & Co",
        authors=["A One", "B Two", "C Three"],
        published=dt.date(2024, 10, 16),
        url="https://example.org/a?b=1&c=2",
        reliability="B",
        credibility=2,
    )
    note = str(view.chicago_note(source))
    assert note.startswith("A One, B Two, and C Three, \u201cTalks &lt;b&gt;held&lt;/b&gt;,\u201d")
    assert "Pub &amp; Co, October 16, 2024, " in note
    assert '<a href="https://example.org/a?b=1&amp;c=2">' in note
    assert note.endswith("Grading: B2.")
    bare = str(view.chicago_note(Source(id="s", title="T")))
    assert bare == "\u201cT.\u201d"


def test_heat_grid_places_each_risk_by_impact_and_likelihood() -> None:
    brief = load_brief_text(
        "schema_version: 1\nmeta: {title: T, date: 2024-10-15}\nsummary: [{text: x}]\n"
        "risks:\n"
        "  - {id: a, title: A, likelihood: 4, impact: 5}\n"
        "  - {id: b, title: B, likelihood: 4, impact: 5}\n"
        "  - {id: c, title: C, likelihood: 1, impact: 1}\n",
        "brief.yaml",
    )
    grid = view.heat_grid(brief)
    assert grid[0][3] == {"tone": "critical", "labels": "R1|R2"}
    assert grid[4][0] == {"tone": "low", "labels": "R3"}
    assert sum(1 for row in grid for cell in row if cell["labels"]) == 2


def test_a_crowded_heat_map_square_counts_what_it_cannot_show() -> None:
    risks = "".join(f"  - {{id: r{n}, title: R, likelihood: 3, impact: 3}}\n" for n in range(40))
    brief = load_brief_text(
        "schema_version: 1\nmeta: {title: T, date: 2024-10-15}\nsummary: [{text: x}]\n"
        "risks:\n" + risks,
        "brief.yaml",
    )
    labels = view.heat_grid(brief)[2][2]["labels"].split("|")
    assert labels == ["R1", "R2", "R3", "R4", "R5", "+35"]


def test_cite_gives_markers_then_quotes_attributed_to_their_note() -> None:
    from briefgen.models.brief import SourceRef

    refs = [
        SourceRef(id="a"),
        SourceRef(id="b", quote="ironclad <b>"),
        SourceRef(id="a"),
        SourceRef(id="c"),
    ]
    assert str(view.cite(refs)) == (
        '<cite ref="a"/><cite ref="c"/> <i>\u201cironclad &lt;b&gt;\u201d</i><cite ref="b"/>'
    )


def test_portion_marks_banner_lines_and_assessments() -> None:
    from briefgen.models.brief import CuiDesignation, KeyPoint, Marking

    plain = Marking(banner="CUI")
    marked = Marking(banner="CUI", portion_marks=True)
    point = KeyPoint(text="A.", classification="U")
    assert view.portion_mark(plain, point) == ""
    assert view.portion_mark(marked, point) == "(U) "
    assert view.portion_mark(marked, KeyPoint(text="B.")) == "(CUI) "
    assert str(view.marked_prose("One.\n\nTwo.", marked)) == "<p>(CUI) One.</p><p>(CUI) Two.</p>"
    cui = CuiDesignation(
        controlled_by=["Department of State"],
        categories=["PRVCY"],
        dissemination=["NOFORN"],
        poc="A",
    )
    assert view.banner_line(Marking(banner="CUI", cui=cui, caveats=["X"])) == "CUI//NOFORN//X"
    assert view.assessed(KeyPoint(text="A.", assessment=True)) == "<b><i>Assessment:</i></b> "
    assert view.assessed(point) == ""
    assert view.long_date("2024-04") == "April 2024" and view.long_date("2024") == "2024"
    assert view.decision_options(["Approve", "Disapprove"]) == [
        "Approve ____________",
        "Disapprove ____________",
    ]


def test_select_drops_by_priority_then_from_the_end_and_keeps_priority_one() -> None:
    from briefgen.models.brief import Commitment, Risk

    def commitment(name: str, priority: int | None = None) -> Commitment:
        return Commitment(id=name, text=name, parties=["US"], priority=priority)

    items = [commitment("a"), commitment("b", 9), commitment("c"), commitment("d", 1)]
    selection = view.select(items, 2)
    assert [item.id for item in selection.shown] == ["a", "d"]
    assert [item.id for item in selection.left_out] == ["b", "c"]
    assert [item.id for item in view.select(items, 0).shown] == ["d"]  # priority 1 stays
    risks = [
        Risk(id="low", title="L", likelihood=1, impact=1),
        Risk(id="high", title="H", likelihood=5, impact=5),
        Risk(id="kept", title="K", likelihood=1, impact=2, priority=2),
    ]
    chosen = view.select(risks, 2, by_score=True)
    assert [risk.id for risk in chosen.shown] == ["high", "kept"]
    assert [risk.id for risk in chosen.left_out] == ["low"]
    assert view.shorten("Set up a **joint** working group now.") == "Set up a joint\u2026"


def test_items_a_recommendation_is_about_are_never_dropped() -> None:
    from tests.conftest import FIXTURES

    brief = load_brief(FIXTURES / "memos" / "quad-action-memo.yaml")
    assert view.referred(brief) == []  # no recommendation repeats a commitment's words
    text = (FIXTURES / "memos" / "quad-action-memo.yaml").read_text(encoding="utf-8")
    text = text.replace(
        "text: Launch the MAITRI maritime training initiative in India.",
        "text: Host the 2025 Quad Foreign Ministers' Meeting in Washington.",
    )
    brief = load_brief_text(text, "memo.yaml")
    assert view.referred(brief) == ["maitri"]
    assert [c.id for c in view.select(brief.commitments, 0, keep=["maitri"]).shown] == ["maitri"]


def test_inline_quotes_name_their_speaker_and_are_unchanged_without_one() -> None:
    from briefgen.models.brief import SourceRef
    from tests.conftest import SAMPLE

    brief = load_brief(SAMPLE)
    refs = [SourceRef(id="a"), SourceRef(id="b", quote="Words.")]
    assert view.cite_speakers(refs, brief) == view.cite(refs)
    person = brief.participants[0]
    said = [SourceRef(id="a"), SourceRef(id="b", quote="Words.", speaker=person.id)]
    assert str(view.cite_speakers(said, brief)) == (
        f'<cite ref="a"/> {person.name}: <i>\u201cWords.\u201d</i><cite ref="b"/>'
    )
