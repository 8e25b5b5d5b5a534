"""A template from someone else can fail, but only as a located TemplateError: never a
traceback, never the machine's memory or an endless build, never a link to anything but
the web or mail.

``test_template_sandbox.py`` shows the sandbox keeps templates from Python internals and
from files outside their folders; this file shows the limits on what a template may do
with what it can reach, and that those limits are lifted again afterwards.
"""

from __future__ import annotations

import io
import signal
import time
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.cli.main import main
from briefgen.compose import render
from briefgen.compose.render import ComposeOptions, TemplateError, compose
from briefgen.models.brief import Brief
from briefgen.validation import load_brief
from tests.conftest import SAMPLE, user_layout


@pytest.fixture(scope="module")
def brief() -> Brief:
    return load_brief(SAMPLE)


def _template(folder: Path, body: str) -> str:
    """A user template that replaces the agenda of the built-in memo with ``body``."""
    return str(user_layout(folder, "agenda", body))


def _refusal(brief: Brief, folder: Path, body: str) -> tuple[str, float]:
    """The message composing with this template fails with, and how long it took."""
    template = _template(folder, body)
    started = time.perf_counter()
    with pytest.raises(TemplateError) as caught:
        compose(brief, ComposeOptions(template=template))
    return str(caught.value), time.perf_counter() - started


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("<p>{{ 1 / 0 }}</p>", "division by zero"),
        ('<p>{{ 1 + "a" }}</p>', "unsupported operand type(s) for +: 'int' and 'str'"),
        ('<p>{{ "%d" | format("x") }}</p>', "%d format: a real number is required, not str"),
        ("<p>{{ brief.summary[0:3:0] }}</p>", "slice step cannot be zero"),
        ("<p>{{ (2.5 ** 5000) | string }}</p>", "Numerical result out of range"),
    ],
    ids=["division by zero", "mixed types", "format", "zero step", "float overflow"],
)
def test_errors_in_template_expressions_are_located_template_errors(
    brief: Brief, tmp_path: Path, body: str, reason: str
) -> None:
    message, _ = _refusal(brief, tmp_path / "t", body)
    folder = tmp_path / "t"
    assert message == f"template error ({folder / 'document.xml.j2'}:3): {reason}"


def test_a_template_that_includes_itself_is_stopped(brief: Brief, tmp_path: Path) -> None:
    message, seconds = _refusal(brief, tmp_path / "t", '{% include "document.xml.j2" %}')
    assert message.endswith("it includes, extends or calls itself without end")
    assert seconds < 10


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ('{{ "x" * 10**10 }}', "1 x 10,000,000,000 is longer than the 10,000,000 items"),
        ("{{ [brief] * 10**8 }}", "1 x 100,000,000 is longer than the 10,000,000 items"),
        ("{{ 10 ** (10 ** 9) }}", "10 ** 1000000000 is too large a number for a template"),
    ],
)
def test_huge_values_are_refused_before_they_are_made(
    brief: Brief, tmp_path: Path, body: str, reason: str
) -> None:
    message, seconds = _refusal(brief, tmp_path / "t", body)
    assert reason in message
    assert seconds < 5


@pytest.mark.parametrize(
    "body",
    [
        '{{ "x" | center(10**10) }}',
        "{{ 'x'.ljust(10**10) }}",
        '{% set ns = namespace(s="xx") %}'
        "{% for i in range(64) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}",
    ],
    ids=["a filter", "a string method", "doubling in a loop"],
)
def test_a_template_cannot_fill_the_memory(brief: Brief, tmp_path: Path, body: str) -> None:
    """Each would need gigabytes (the last 2**65 characters); the render stops at 1 GiB."""
    message, seconds = _refusal(brief, tmp_path / "t", body)
    assert message.endswith("it needs more than 1,024 MiB of memory")
    assert seconds < 10


def test_a_template_cannot_write_endless_markup(brief: Brief, tmp_path: Path) -> None:
    body = '{% for i in range(100000) %}<p>{{ "x" * 400 }}</p>{% endfor %}'
    message, seconds = _refusal(brief, tmp_path / "t", body)
    assert "wrote more than 20,000,000 characters of markup" in message
    assert seconds < 10


def test_a_template_that_loops_for_ever_is_stopped(
    brief: Brief, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "MAX_TEMPLATE_SECONDS", 0.5)
    body = "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
    message, seconds = _refusal(brief, tmp_path / "t", body)
    assert message.endswith("it ran for more than 0.5 seconds (a loop without end?)")
    assert seconds < 5


def test_the_limits_are_lifted_after_a_render(brief: Brief, tmp_path: Path) -> None:
    import resource

    before = (
        resource.getrlimit(resource.RLIMIT_AS),
        signal.getsignal(signal.SIGALRM),
        signal.getitimer(signal.ITIMER_REAL),
    )
    _refusal(brief, tmp_path / "bad", '{{ "x" | center(10**10) }}')
    compose(brief, ComposeOptions())
    after = (
        resource.getrlimit(resource.RLIMIT_AS),
        signal.getsignal(signal.SIGALRM),
        signal.getitimer(signal.ITIMER_REAL),
    )
    assert after == before


def test_the_cli_reports_a_failing_template_and_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template = _template(tmp_path / "t", "<p>{{ 1 / 0 }}</p>")
    out = tmp_path / "out"
    assert main(["build", str(SAMPLE), "-o", str(out), "--template", template]) == 1
    error = capsys.readouterr().err
    assert error == f"{SAMPLE}: error: template error ({template}/document.xml.j2:3): " + (
        "division by zero\n"
    )
    assert not out.exists()


def test_links_in_brief_text_reach_the_outputs_only_for_web_and_mail(tmp_path: Path) -> None:
    """Brief text is the other way a link gets in (templates are covered by
    ``test_template_sandbox.py``): only http, https and mailto keep their target."""
    bad = ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi", "vbscript:x"]
    good = ["https://example.org/ok", "mailto:desk@example.org"]
    links = " ".join(f"[link {index}]({href})" for index, href in enumerate(bad + good))
    path = tmp_path / "brief.yaml"
    path.write_text(
        "schema_version: 1\n"
        "meta: {title: Links, date: 2024-10-16}\n"
        f"summary:\n  - text: '{links}'\n",
        encoding="utf-8",
    )
    assert main(["build", str(path), "-o", str(tmp_path / "out")]) == 0
    with zipfile.ZipFile(tmp_path / "out" / "brief.docx") as package:
        relationships = package.read("word/_rels/document.xml.rels").decode()
        body = package.read("word/document.xml").decode()
    reader = PdfReader(io.BytesIO((tmp_path / "out" / "brief.pdf").read_bytes()))
    uris = {
        str(annotation.get_object()["/A"]["/URI"])
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
        if "/URI" in annotation.get_object().get("/A", {})
    }
    assert uris == set(good)
    for href in bad:
        assert href not in relationships
        assert f'"{href}"' not in body  # printed as written, never an attribute
    for href in good:
        assert href in relationships
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    for index in range(len(bad + good)):
        assert f"link {index}" in text  # the words stay, only the target goes
