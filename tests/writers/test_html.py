"""The HTML writer: structure, self-containment, escaping, and a real browser's verdict.

Chromium (Debian's package) renders every page; axe-core (npm, ``tests/browser``) checks
it; a printed copy shows the markings on every page; the fonts Chromium actually drew
each script with are read back over the DevTools protocol.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from lxml import html as lxml_html

from briefgen.cli.main import main
from briefgen.compose.render import ComposeOptions, compose, layout_for
from briefgen.document.nodes import (
    Document,
    DocumentInfo,
    Heading,
    NoteRef,
    PageDecor,
    Paragraph,
    Text,
    heat_map_description,
)
from briefgen.presentation import PresentationError
from briefgen.presentation.theme import Theme, default_theme
from briefgen.validation import load_brief
from briefgen.writers.html import write_html
from tests.browser.chromium import Browser
from tests.conftest import FIXTURES, SAMPLE, check_reference
from tests.writers.conftest import sample_document

CREATED = dt.datetime(2024, 10, 17, tzinfo=dt.UTC)
LINK_SCHEMES = ("http://", "https://", "mailto:")


def _page(data: bytes) -> Any:
    return lxml_html.document_fromstring(data)


def _brief_html(brief: Path = SAMPLE, template: str | None = None) -> bytes:
    loaded = load_brief(brief)
    options = ComposeOptions(template=layout_for(loaded.meta.doc_type, template), created=CREATED)
    return write_html(compose(loaded, options), default_theme())


def test_sample_reference() -> None:
    """The sample's page, pinned; refresh with BRIEFGEN_UPDATE_REFERENCES=1 and review."""
    check_reference(FIXTURES / "reference" / "sample.html", _brief_html().decode("utf-8"))


def test_same_document_same_bytes(theme: Theme) -> None:
    assert write_html(sample_document(), theme) == write_html(sample_document(), theme)


def test_semantic_structure(theme: Theme) -> None:
    document = sample_document()
    page = _page(write_html(document, theme))
    assert page.get("lang") == document.info.language
    body = page.find("body")
    assert [child.tag for child in body] == ["header", "main", "footer"]
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    for table in page.iter("table"):
        headers = table.findall(".//th")
        assert headers and all(th.get("scope") == "col" for th in headers)
        assert table.find("thead") is not None


def test_heat_map_is_svg_with_its_description(theme: Theme) -> None:
    document = sample_document()
    page = _page(write_html(document, theme))
    (svg,) = page.iter("{http://www.w3.org/2000/svg}svg", "svg")
    assert svg.get("role") == "img"
    title_id, desc_id = svg.get("aria-labelledby").split()
    heat_map = next(block for block in document.blocks if type(block).__name__ == "HeatMap")
    desc = page.get_element_by_id(desc_id)
    assert desc.text_content() == heat_map_description(heat_map)  # type: ignore[arg-type]
    assert page.get_element_by_id(title_id).text_content()


def test_citations_and_notes_link_both_ways(theme: Theme) -> None:
    page = _page(write_html(sample_document(), theme))
    refs = page.xpath('//a[@role="doc-noteref"]')
    backs = page.xpath('//a[@role="doc-backlink"]')
    assert refs and len(refs) == len(backs)
    for ref in refs:
        note = page.get_element_by_id(ref.get("href")[1:])
        assert note.tag == "li" and note.getparent().get("class") == "notes"
        assert any(back.get("href") == f"#{ref.get('id')}" for back in note.iter("a"))


def _references(page: Any) -> Iterator[tuple[str, str]]:
    for element in page.iter():
        for name, value in element.attrib.items():
            if name in {"href", "src", "xlink:href", "action", "formaction", "poster", "data"}:
                yield name, value


def _check_inert(data: bytes) -> Any:
    """No script, no handler, no reference outside the page but the brief's own links."""
    page = _page(data)
    assert not page.xpath("//script | //iframe | //object | //embed | //link | //base")
    for element in page.iter():
        assert not [name for name in element.attrib if name.lower().startswith("on")]
    for name, value in _references(page):
        if name == "href":
            assert value.startswith("#") or value.lower().startswith(LINK_SCHEMES), value
        else:
            assert value.startswith("data:image/"), value
    style = "".join(element.text_content() for element in page.iter("style"))
    assert "url(" not in style and "@import" not in style
    csp = page.xpath('//meta[@http-equiv="Content-Security-Policy"]/@content')
    assert csp and "default-src 'none'" in csp[0]
    return page


@pytest.mark.parametrize("template", ["briefing_memo", "read_ahead", "action_memo", "policy_brief"])
def test_every_layout_is_self_contained(template: str) -> None:
    _check_inert(_brief_html(template=template))


HOSTILE = "<script>alert(1)</script>\"onload=alert(2) x='</style><img src=x onerror=alert(3)>"


def test_hostile_strings_come_out_inert(theme: Theme) -> None:
    document = Document(
        info=DocumentInfo(title=HOSTILE, author=HOSTILE, subject=HOSTILE, keywords=(HOSTILE,)),
        decor=PageDecor(banner=HOSTILE, label=HOSTILE, label_tone=HOSTILE, footer_left=HOSTILE),
        blocks=(
            Paragraph((Text(HOSTILE),), style="title"),
            Heading(1, (Text(HOSTILE, lang=HOSTILE),), anchor=HOSTILE),
            Paragraph(
                (
                    Text("bad link", href="javascript:alert(4)"),
                    Text(HOSTILE, href='https://e.org/"onmouseover=alert(5)'),
                )
            ),
        ),
    )
    data = write_html(document, theme)
    page = _check_inert(data)
    assert page.find(".//title").text == HOSTILE
    assert page.find(".//h1").text_content() == HOSTILE
    assert HOSTILE in page.find(".//footer").text_content()
    assert page.xpath('//a[text()="bad link"]') == []  # the javascript: link stays text
    (link,) = page.xpath("//main//a")
    assert link.get("href") == 'https://e.org/"onmouseover=alert(5)'


def test_a_bad_page_format_or_missing_note_is_refused(theme: Theme) -> None:
    bad_format = Document(info=DocumentInfo(title="t"), decor=PageDecor(page_format="{0}"))
    with pytest.raises(PresentationError, match="page format"):
        write_html(bad_format, theme)
    dangling = Document(info=DocumentInfo(title="t"), blocks=(Paragraph((NoteRef(3, "nowhere"),)),))
    with pytest.raises(PresentationError, match="nowhere"):
        write_html(dangling, theme)


def test_build_f_html_writes_only_the_page(tmp_path: Path) -> None:
    assert main(["build", str(SAMPLE), "-o", str(tmp_path), "-f", "html"]) == 0
    assert sorted(path.name for path in tmp_path.iterdir()) == [f"{SAMPLE.stem}.html"]
    assert main(["build", str(SAMPLE), "-o", str(tmp_path / "all")]) == 0
    assert sorted(path.suffix for path in (tmp_path / "all").iterdir()) == [".docx", ".pdf"]


# --- in a real browser ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    chromium = Browser(tmp_path_factory.mktemp("chromium"))
    try:
        yield chromium
    finally:
        chromium.close()


PAGES = {
    "sample-briefing_memo": (SAMPLE, "briefing_memo"),
    "sample-read_ahead": (SAMPLE, "read_ahead"),
    "sample-action_memo": (SAMPLE, "action_memo"),
    "sample-policy_brief": (SAMPLE, "policy_brief"),
    "international": (FIXTURES / "international.yaml", None),
    "quad-action-memo": (FIXTURES / "memos" / "quad-action-memo.yaml", None),
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_axe_finds_no_serious_problem(browser: Browser, tmp_path: Path, name: str) -> None:
    brief, template = PAGES[name]
    page = tmp_path / f"{name}.html"
    page.write_bytes(_brief_html(brief, template))
    browser.open(page)
    violations = browser.axe()
    serious = [v for v in violations if v["impact"] in {"serious", "critical"}]
    assert serious == [], serious
    assert violations == [], violations  # moderate and minor ones too, while there are none


def test_chromium_draws_each_script_in_its_font(browser: Browser, tmp_path: Path) -> None:
    page = tmp_path / "sample.html"
    page.write_bytes(_brief_html())
    browser.open(page)
    assert set(browser.fonts_of('span[lang="ko"]')) == {"NanumGothic"}
    assert set(browser.fonts_of('span[lang="ja"]')) == {"IPAGothic"}
    assert set(browser.fonts_of("h1")) == {"Noto Sans"}
    assert set(browser.fonts_of("section > p:not([class])")) == {"Noto Serif"}
    # Untagged text whose script suggests a language starts in the role's own family, as
    # in the PDF: the Latin letters of a Japanese source title stay in Noto Serif.
    page = tmp_path / "international.html"
    page.write_bytes(_brief_html(FIXTURES / "international.yaml"))
    browser.open(page)
    assert {"Noto Serif", "IPAGothic"} <= set(browser.fonts_of("ol.notes span.script-ja"))
    shot = browser.screenshot()
    assert shot.startswith(b"\x89PNG")
    (tmp_path / "sample.png").write_bytes(shot)


def test_printed_pages_carry_the_markings(browser: Browser, tmp_path: Path) -> None:
    """Every printed page shows the banner at top and bottom, the TLP label and its
    "Page X of Y"; the page size is the theme's."""
    page = tmp_path / "sample.html"
    page.write_bytes(_brief_html())
    browser.open(page)
    printed = tmp_path / "sample.pdf"
    printed.write_bytes(browser.print_pdf())
    text = subprocess.run(
        ["pdftotext", "-layout", str(printed), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = text.split("\f")[:-1]
    assert len(pages) > 3
    for number, content in enumerate(pages, start=1):
        assert content.count("UNCLASSIFIED") >= 2, number
        assert content.count("TLP:CLEAR") >= 2, number
        assert f"Page {number} of {len(pages)}" in content
    info = subprocess.run(["pdfinfo", str(printed)], capture_output=True, text=True, check=True)
    assert re.search(r"Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)", info.stdout), info.stdout
