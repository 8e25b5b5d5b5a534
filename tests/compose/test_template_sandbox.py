"""User templates run sandboxed: no way to Python internals, no files outside their folder,
no links other than web and mail."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader

from briefgen.cli.main import main
from tests.conftest import SAMPLE

SECRET = "TOP-SECRET-MARKER-4711"


def _template(folder: Path, body: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "document.xml.j2").write_text(
        '{% extends "briefing_memo/document.xml.j2" %}{% block agenda %}' + body + "{% endblock %}",
        encoding="utf-8",
    )
    return folder


def _build(tmp_path: Path, folder: Path) -> int:
    return main(["build", str(SAMPLE), "-o", str(tmp_path / "out"), "--template", str(folder)])


@pytest.mark.parametrize(
    "expression",
    [
        "{{ ''.__class__.__mro__ }}",
        "{{ cycler.__init__.__globals__ }}",
        "{{ brief.__class__.__init__.__globals__ }}",
        "{{ self._TemplateReference__context }}",
        "{{ lipsum.__globals__['os'] }}",
        "{{ range.__self__ }}",
        "{% set x = brief.summary.append(1) %}",
    ],
)
def test_python_internals_are_out_of_reach(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], expression: str
) -> None:
    folder = _template(tmp_path / "evil", f"<p>{expression}</p>")
    assert _build(tmp_path, folder) == 1
    error = capsys.readouterr().err
    assert "template error" in error and "Traceback" not in error
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "name",
    ["/etc/hostname", "../../../../etc/hostname", "../secret.txt", "secret-link.txt"],
)
def test_files_outside_the_template_folders_cannot_be_included(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    folder = _template(tmp_path / "evil", f'<p>{{% include "{name}" %}}</p>')
    (folder / "secret-link.txt").symlink_to(secret)
    assert _build(tmp_path, folder) == 1
    error = capsys.readouterr().err
    assert "template error" in error
    assert SECRET not in error


def test_a_template_folder_reached_through_a_link_still_works(tmp_path: Path) -> None:
    real = _template(tmp_path / "real", '<p>{% include "extra.txt" %}</p>')
    (real / "extra.txt").write_text("Included from inside the folder", encoding="utf-8")
    linked = tmp_path / "linked"
    linked.symlink_to(real)
    assert _build(tmp_path, linked) == 0
    pdf = tmp_path / "out" / f"{SAMPLE.stem}.pdf"
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "Included from inside the folder" in text


@pytest.mark.parametrize(
    "href",
    ["javascript:alert(1)", "file:///etc/passwd", "data:text/html,x", "vbscript:x", "#x"],
)
def test_only_web_and_mail_links_reach_the_outputs(tmp_path: Path, href: str) -> None:
    folder = _template(
        tmp_path / "links",
        f'<p><a href="{href}">click</a> <a href="https://example.org/ok">fine</a></p>',
    )
    assert _build(tmp_path, folder) == 0
    out = tmp_path / "out"
    with zipfile.ZipFile(out / f"{SAMPLE.stem}.docx") as package:
        relationships = package.read("word/_rels/document.xml.rels").decode()
    assert href not in relationships
    assert "https://example.org/ok" in relationships
    reader = PdfReader(io.BytesIO((out / f"{SAMPLE.stem}.pdf").read_bytes()))
    uris = [
        str(annotation.get_object().get("/A", {}).get("/URI", ""))
        for page in reader.pages
        for annotation in page.get("/Annots", []) or []
    ]
    assert "https://example.org/ok" in uris
    assert href not in uris
