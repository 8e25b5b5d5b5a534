"""Whatever the sources say, the draft validates and every quote in it verifies."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefgen.checks.provenance import ProvenanceOptions, quote_found
from briefgen.draft.assemble import draft_brief
from briefgen.draft.writer import draft_yaml
from briefgen.models.brief import Brief
from briefgen.sources import SourceDocument
from briefgen.validation import load_brief_text

FRAGMENTS = (
    "South Korean Vice Foreign Minister Kim Hong Kyun",
    "U.S. Deputy Secretary of State Kurt M. Campbell",
    "Okano Masataka of Japan",
    "The Vice Ministers,",
    "met in Seoul on October 16, 2024",
    "on Sunday",
    "last month",
    "on 3, 9 and 10 March",
    "agreed to",
    "reaffirmed their commitment to",
    "will launch",
    "is expected to",
    "\u201cwill surely\u201d",
    "by the next Trilateral Summit",
    "North Korea\u2019s",
    "\u2014",
    ".",
    ". ",
    "\n",
    "\n\n",
    ": ",
    '"',
    "#",
    "- ",
    "\t",
)
WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCXYZ.,'\"#:-\u00e9\ud55c\u3042", max_size=30)
TEXTS = st.lists(st.one_of(st.sampled_from(FRAGMENTS), WORDS), min_size=1, max_size=40).map(
    " ".join
)


def _draft(texts: list[str]) -> tuple[Brief, dict[str, str]]:
    folder = Path("/nonexistent/briefs")
    inputs = [
        (folder / f"source-{index}.txt", SourceDocument(text=text))
        for index, text in enumerate(texts)
    ]
    draft = draft_brief(inputs, folder / "brief.yaml", None)
    brief = load_brief_text(draft_yaml(draft), "brief.yaml")
    by_id = {source.id: text for source, text in zip(draft.sources, texts, strict=True)}
    return brief, by_id


@settings(
    max_examples=150,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(TEXTS.filter(lambda text: any(c.isalnum() for c in text)), min_size=1, max_size=3))
def test_any_source_text_gives_a_valid_draft_whose_quotes_verify(texts: list[str]) -> None:
    brief, by_id = _draft(texts)
    sections = (brief.summary, brief.context.timeline, brief.participants, brief.commitments)
    for items in sections:
        for item in items:
            for ref in item.sources:
                assert ref.quote is not None
                assert quote_found(ref.quote, by_id[ref.id], ProvenanceOptions()), ref
