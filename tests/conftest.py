"""Shared test helpers: paths, the sample brief, and reference-file refreshing.

Reference files (expected errors, document-model snapshots, DOCX XML parts)
are compared as they are; run with ``BRIEFGEN_UPDATE_REFERENCES=1`` to
rewrite them on purpose, then review the diff before committing.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import socket
import subprocess
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope as SmtpEnvelope
from aiosmtpd.smtp import Session

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
SAMPLE = REPO / "inputs" / "seoul-trilateral-2024-10-16.yaml"
STARTER = REPO / "templates" / "starter" / "brief.yaml"


def updating_references() -> bool:
    """True when the run was asked to rewrite reference files."""
    return os.environ.get("BRIEFGEN_UPDATE_REFERENCES") == "1"


def check_reference(path: Path, actual: str) -> None:
    """Compare ``actual`` with the reference file, or rewrite it when updating."""
    if updating_references() or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not updating_references():
            pytest.fail(f"reference {path} did not exist; written now, review and commit it")
    assert actual == path.read_text(encoding="utf-8"), (
        f"{path.name} differs; rerun with BRIEFGEN_UPDATE_REFERENCES=1 if the change is intended"
    )


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Tests keep their cache entries in a folder of their own, never the user's."""
    folder = tmp_path_factory.mktemp("cache")
    previous = os.environ.get("BRIEFGEN_CACHE_DIR")
    os.environ["BRIEFGEN_CACHE_DIR"] = str(folder)
    yield
    if previous is None:
        os.environ.pop("BRIEFGEN_CACHE_DIR", None)
    else:
        os.environ["BRIEFGEN_CACHE_DIR"] = previous


@pytest.fixture
def empty_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own, empty and switched on, for tests of what is cached."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(folder))
    monkeypatch.delenv("BRIEFGEN_NO_CACHE", raising=False)
    return folder


@pytest.fixture(autouse=True)
def _no_source_date_epoch(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests decide SOURCE_DATE_EPOCH themselves; the caller's environment must not leak in."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)


DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
"""The only fonts LibreOffice may see in tests (Debian's fonts-dejavu-core, installed by
.ci/run and ``make test``): a DOCX must bring every other font it needs itself."""


@pytest.fixture(scope="session")
def only_dejavu(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fontconfig file under which LibreOffice sees DejaVu and nothing else, however
    many fonts this machine has installed."""
    assert DEJAVU.is_dir(), f"{DEJAVU} is missing: apt-get install fonts-dejavu-core"
    folder = tmp_path_factory.mktemp("fontconfig")
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
        f"  <dir>{DEJAVU}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n",
        encoding="utf-8",
    )
    return config


def libreoffice_pdf(document: Path, out_dir: Path, fontconfig: Path) -> Path:
    """Convert a DOCX to PDF with LibreOffice headless (a real client) under the
    ``fontconfig`` file, failing loudly when LibreOffice is missing or writes nothing."""
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice (soffice) is required: apt-get install libreoffice-writer-nogui"
    profile = out_dir / "lo-profile"
    command = ["--headless", "--convert-to", "pdf", "--outdir", str(out_dir), str(document)]
    result = subprocess.run(
        [soffice, f"-env:UserInstallation=file://{profile}", *command],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
        env={**os.environ, "FONTCONFIG_FILE": str(fontconfig)},
    )
    converted = out_dir / f"{document.stem}.pdf"
    assert converted.exists(), f"soffice wrote nothing: {result.stdout}{result.stderr}"
    return converted


def pdf_font_families(pdf: Path) -> set[str]:
    """The font names poppler's ``pdffonts`` lists (subset prefix dropped): which fonts
    a PDF really drew with, unlike its extracted text."""
    pdffonts = shutil.which("pdffonts")
    assert pdffonts, "pdffonts is required: apt-get install poppler-utils"
    listing = subprocess.run(
        [pdffonts, str(pdf)], capture_output=True, text=True, timeout=60, check=True
    ).stdout
    names = [line.split()[0] for line in listing.splitlines()[2:] if line.strip()]
    return {name.split("+", 1)[-1] for name in names}


_AUDITED: dict[str, list[str]] = {}
"""openxml-audit's errors per DOCX content hash, so each distinct file is checked once."""
_BUILT_DOCX: list[bytes] = []


def audit_docx(data: bytes) -> list[str]:
    """Errors the Open XML SDK's rules (openxml-audit, microsoft365 profile) find."""
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _AUDITED:
        import tempfile

        from openxml_audit import FileFormat, OpenXmlValidator

        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "audited.docx"
            path.write_bytes(data)
            result = OpenXmlValidator(file_format=FileFormat.MICROSOFT_365).validate(path)
        _AUDITED[digest] = [str(error) for error in result.errors]
    return _AUDITED[digest]


@pytest.fixture(autouse=True)
def _audit_every_docx(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    """Every DOCX a test builds (in memory, or into its tmp_path through the CLI) must
    pass openxml-audit with no errors."""
    from briefgen.writers import docx as docx_writer

    original = docx_writer._reproducible_zip

    def recording(*args: Any) -> bytes:
        data = original(*args)
        _BUILT_DOCX.append(data)
        return data

    monkeypatch.setattr(docx_writer, "_reproducible_zip", recording)
    yield
    built, _BUILT_DOCX[:] = list(_BUILT_DOCX), []
    tmp_path = request.node.funcargs.get("tmp_path") if hasattr(request.node, "funcargs") else None
    if isinstance(tmp_path, Path):
        built += [data for data in map(_docx_bytes, tmp_path.rglob("*.docx")) if data]
    failures = {index: errors for index, data in enumerate(built) if (errors := audit_docx(data))}
    assert not failures, f"openxml-audit found errors in a DOCX this test built: {failures}"


def _docx_bytes(path: Path) -> bytes | None:
    """A file's bytes when it is a real DOCX (a zip with a main document part), else None:
    tests also plant junk named .docx to see that it is never overwritten."""
    if not path.is_file() or path.is_symlink():
        return None
    data = path.read_bytes()
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return data if "word/document.xml" in archive.namelist() else None
    except zipfile.BadZipFile:
        return None


def theme_copy(
    path: Path,
    *,
    replace: tuple[str, str] = ("", ""),
    letterhead: str = "",
    families: str = "",
) -> Path:
    """Write a copy of the default theme to ``path`` (it names briefgen's fonts by family,
    so it works from any folder), one text replaced, its ``[letterhead]`` table replaced
    by ``letterhead`` when given, and ``families`` (TOML tables) added at the end."""
    text = (REPO / "templates" / "themes" / "default.toml").read_text(encoding="utf-8")
    if replace[0]:
        assert replace[0] in text, replace[0]
        text = text.replace(*replace)
    if letterhead:
        text = text[: text.index("[letterhead]")] + letterhead.lstrip()
    if families:
        text += "\n" + families.lstrip()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


EXAMPLES: Counter[str] = Counter()
"""Property-based examples run, by test: printed at the end so CI logs show the count."""


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Report how many generated examples the property tests ran."""
    if EXAMPLES:
        listed = ", ".join(f"{name}: {count}" for name, count in sorted(EXAMPLES.items()))
        total = sum(EXAMPLES.values())
        terminalreporter.write_sep("-", f"property-based examples run: {total}")
        terminalreporter.write_line(listed)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """A skipped test fails the run: a check that did not run must not pass silently
    (a missing LibreOffice, poppler or qpdf is a failure, not a skip)."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is None:
        return
    skipped = reporter.stats.get("skipped", [])
    if skipped and exitstatus == pytest.ExitCode.OK:
        reporter.write_line(f"error: {len(skipped)} test(s) skipped; every test must run")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


# --- a loopback SMTP server (aiosmtpd) ------------------------------------------------------


class SmtpInbox:
    """An aiosmtpd handler that keeps every message it receives."""

    def __init__(self) -> None:
        self.received: list[tuple[list[str], bytes]] = []

    async def handle_DATA(  # noqa: N802 (the name aiosmtpd calls)
        self, _server: Any, _session: Session, envelope: SmtpEnvelope
    ) -> str:
        content = envelope.original_content or b""
        self.received.append((list(envelope.rcpt_tos), content))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[SmtpInbox, int]]:
    handler = SmtpInbox()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        yield handler, controller.port
    finally:
        controller.stop()


def user_layout(folder: Path, block: str, body: str, extends: str = "briefing_memo") -> Path:
    """A user layout folder (for ``--template``) whose document template extends a
    built-in layout and replaces one of its blocks with ``body``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "document.xml.j2").write_text(
        f'{{% extends "{extends}/document.xml.j2" %}}\n'
        f"{{% block {block} %}}\n{body}\n{{% endblock %}}\n",
        encoding="utf-8",
    )
    return folder
