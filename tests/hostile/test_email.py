"""Email headers from hostile briefs and addresses: exactly the intended headers, always.

A title or a display name can carry line breaks of any kind (CR, LF, NEL, U+2028,
U+2029) or RFC 2047 encoded words that decode to them; neither may add a header,
end the headers early, or add a recipient.  The message is checked as the stdlib
parser reads it and as a real SMTP server (aiosmtpd on loopback) receives it.  A
server that answers one byte at a time cannot keep ``--send`` past its deadline.
"""

from __future__ import annotations

import email
import functools
import socket
import threading
import time
from collections.abc import Iterator
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import default
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.build.pipeline import RenderedFile
from briefgen.cli.main import main
from briefgen.delivery import mailer
from briefgen.delivery.mailer import (
    Envelope,
    MailError,
    build_message,
    header_text,
    parse_addresses,
)
from briefgen.models.brief import Brief
from briefgen.validation import load_brief
from tests.conftest import SAMPLE, SmtpInbox

_INTENDED = ["Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To"]
_BREAKS = ["\r", "\n", "\r\n", "\x85", "\u2028", "\u2029", "\x0b", "\x0c", "\x1c", "\x1e"]


@functools.cache
def _sample() -> Brief:
    return load_brief(SAMPLE)


@pytest.fixture(scope="module")
def brief() -> Brief:
    return _sample()


def _titled(brief: Brief, title: str) -> Brief:
    """The sample with another title, set past validation as a hostile value could be."""
    return brief.model_copy(update={"meta": brief.meta.model_copy(update={"title": title})})


_PDF = [RenderedFile("pdf", Path("x.pdf"), b"%PDF-1.7\n%%EOF\n", 0.0)]
_TO = Envelope(to=(Address("Desk", "desk", "example.org"),))


def _headers(data: bytes) -> tuple[list[str], EmailMessage]:
    parsed = email.message_from_bytes(data, policy=default)
    assert isinstance(parsed, EmailMessage)
    return sorted(parsed.keys()), parsed


_HOSTILE_TITLES = [
    "Weekly brief =?utf-8?q?=0D=0AReply-To:_attacker@evil.example?=",
    "Weekly =?utf-8?q?=0D=0A=0D=0A?=Body starts here",
    "=?utf-8?b?DQpCY2M6IGV2aWxAeC5leGFtcGxl?=",
    "=?iso-8859-1?q?=0ABcc:_e@x.example?= tail",
    "=?utf-8?Q?=0d=0aX-Evil:_1?=",
    "Split =?utf-8?q?=0D?= =?utf-8?q?=0AReply-To:_a@b.example?=",
    "a\u2028Reply-To: x@evil.example",
    "a\u2029Bcc: x@evil.example",
    "a\x85Bcc: x@evil.example",
    "a\r\nBcc: x@evil.example",
    "a\nContent-Type: text/html",
    "=?" * 200,
    "?= =? ?q? =?utf-8?",
    "x" * 5000,
]


@pytest.mark.parametrize("title", _HOSTILE_TITLES)
def test_a_hostile_title_adds_no_header(brief: Brief, title: str) -> None:
    message = build_message(_titled(brief, title), _PDF, _TO)
    names, parsed = _headers(message.as_bytes())
    assert names == _INTENDED
    subject = str(parsed["Subject"])
    assert subject == mailer.subject(_titled(brief, title))
    assert not any(mark in subject for mark in _BREAKS)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["desk@example.org"]


@pytest.mark.parametrize("mark", _BREAKS)
def test_every_kind_of_line_break_leaves_header_text(mark: str) -> None:
    cleaned = header_text(f"one{mark}Bcc: two")
    assert cleaned == "one Bcc: two"


@pytest.mark.parametrize(
    "value",
    [
        "Desk Bcc: evil@x <desk@example.org>",
        "Desk Bcc: evil@attacker.example <desk@example.org>",
        "a@example.org, b@example.org",
        "a@example.org b@example.org",
        "Desk <desk@example.org>, Spy <spy@evil.example>",
        "Desk\u2028Bcc: spy@evil.example <desk@example.org>",
        "Desk\x85 <desk@example.org>",
        "desk@example.org\r\nBcc: spy@evil.example",
        "group: a@example.org, b@example.org;",
        "=?utf-8?q?=0D=0ABcc:_spy@evil.example?= <desk@example.org>",
        "Desk \udcff <desk@example.org>",
    ],
)
def test_each_address_option_is_exactly_one_address(value: str) -> None:
    with pytest.raises(MailError):
        parse_addresses([value], "--to")


@pytest.mark.parametrize(
    "display",
    [
        "=?utf-8?q?=0D=0ABcc=3A_spy=40evil.example?=",
        "Desk =?utf-8?b?DQpCY2M6IHNweUBldmlsLmV4YW1wbGU=?=",
        '"=?utf-8?q?=0A?=" Quoted',
    ],
)
def test_an_encoded_word_in_a_display_name_adds_no_recipient(brief: Brief, display: str) -> None:
    (address,) = parse_addresses([f"{display} <desk@example.org>"], "--to")
    message = build_message(brief, _PDF, Envelope(to=(address,)))
    names, parsed = _headers(message.as_bytes())
    assert names == _INTENDED
    assert [a.addr_spec for a in parsed["To"].addresses] == ["desk@example.org"]


_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]), max_size=120
) | st.sampled_from(_HOSTILE_TITLES)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(title=_TEXT, display=_TEXT)
def test_any_title_and_display_name_give_exactly_the_intended_headers(
    title: str, display: str
) -> None:
    """Hypothesis: whatever the text, the header builder makes the intended headers."""
    brief = _sample()
    sender = Address(display_name=header_text(display), username="desk", domain="example.org")
    envelope = Envelope(to=(sender,), cc=(sender,), sender=sender)
    message = build_message(_titled(brief, title), _PDF, envelope)
    names, parsed = _headers(message.as_bytes())
    assert names == sorted([*_INTENDED, "Cc"])
    subject = str(parsed["Subject"])
    expected = mailer.subject(_titled(brief, title))
    assert "".join(subject.split()) == "".join(expected.split())  # folding may drop a space
    assert not any(mark in subject for mark in _BREAKS)
    assert [a.addr_spec for a in parsed["To"].addresses] == ["desk@example.org"]


def test_a_hostile_brief_sent_to_a_real_server_arrives_with_the_intended_headers(
    tmp_path: Path, inbox: tuple[SmtpInbox, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    handler, port = inbox
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729123200")
    text = SAMPLE.read_text(encoding="utf-8")
    title = "  title: Weekly brief =?utf-8?q?=0D=0AReply-To:_attacker@evil.example?=\n"
    lines = text.splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("  title:"))
    lines[index] = title
    hostile = tmp_path / "brief.yaml"
    hostile.write_text("".join(lines), encoding="utf-8")
    (tmp_path / "sources").mkdir()
    command = ["email", str(hostile), "-o", str(tmp_path / "b.eml"), "--to", "desk@example.org"]
    command += ["--from", "Desk =?utf-8?q?=0ABcc=3A_spy=40evil.example?= <me@example.org>"]
    assert main([*command, "--send", "--smtp", f"127.0.0.1:{port}"]) == 0
    ((recipients, data),) = handler.received
    assert recipients == ["desk@example.org"]
    names, parsed = _headers(data)
    assert names == _INTENDED
    assert "Reply-To" not in parsed and "Bcc" not in parsed
    assert _headers((tmp_path / "b.eml").read_bytes())[0] == _INTENDED


def test_address_options_with_two_addresses_are_refused_by_the_cli(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    command = ["email", str(SAMPLE), "-o", str(tmp_path / "b.eml")]
    assert main([*command, "--to", "Desk Bcc: evil@x <desk@example.org>"]) == 2
    assert "holds 2 addresses" in capsys.readouterr().err
    assert not (tmp_path / "b.eml").exists()


@pytest.fixture
def dribbling_server() -> Iterator[int]:
    """A server that answers one byte every 0.3 s: each read is quick, the whole never ends."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(5)
        try:
            connection, _ = listener.accept()
        except OSError:
            return
        with connection:
            for byte in b"220 " + b"x" * 1000:
                if stop.wait(0.3):
                    return
                try:
                    connection.sendall(bytes([byte]))
                except OSError:
                    return

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield int(listener.getsockname()[1])
    stop.set()
    listener.close()
    thread.join(timeout=5)


def test_a_dribbling_server_cannot_keep_the_send_past_its_deadline(
    brief: Brief, dribbling_server: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(mailer, "SEND_DEADLINE", 1.5)
    message = build_message(brief, _PDF, _TO)
    settings = mailer.SmtpSettings("127.0.0.1", dribbling_server)
    started = time.perf_counter()
    with pytest.raises(MailError, match=r"did not finish the send within 1\.5 s"):
        mailer.send(message, settings)
    assert time.perf_counter() - started < 3
