"""briefgen email: a standards-compliant message, sent to a real SMTP server on loopback."""

from __future__ import annotations

import email
from email.message import EmailMessage
from email.policy import default
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from briefgen.build.pipeline import BuildRequest, render_brief
from briefgen.cli.main import main
from briefgen.delivery.mailer import attachment_name, parse_addresses, parse_server, subject
from briefgen.validation import load_brief
from tests.conftest import FIXTURES, SAMPLE, SmtpInbox, free_port


@pytest.fixture(autouse=True)
def _fixed_date(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1729123200")  # 2024-10-17: reproducible builds


def _parse(data: bytes) -> EmailMessage:
    message = email.message_from_bytes(data, policy=default)
    assert isinstance(message, EmailMessage)
    return message


def _command(tmp_path: Path, *extra: str) -> list[str]:
    return ["email", str(SAMPLE), "-o", str(tmp_path / "brief.eml"), *extra]


def _sending(tmp_path: Path, port: int, *extra: str) -> list[str]:
    command = ["--to", "a@example.org", "--from", "desk@example.org"]
    return _command(tmp_path, *command, "--send", "--smtp", f"127.0.0.1:{port}", *extra)


def test_a_sent_message_carries_the_built_pdf_and_encodes_names(
    tmp_path: Path, inbox: tuple[SmtpInbox, int]
) -> None:
    handler, port = inbox
    command = _command(
        tmp_path,
        "--to", "김홍균 <kim@example.kr>",
        "--cc", "Okano Masataka <okano@example.jp>",
        "--from", "Korea Desk <desk@example.org>",
        "--attach-docx", "--send", "--smtp", f"127.0.0.1:{port}",
    )  # fmt: skip
    assert main(command) == 0
    ((recipients, data),) = handler.received
    assert sorted(recipients) == ["kim@example.kr", "okano@example.jp"]
    message = _parse(data)
    title = load_brief(SAMPLE).meta.title
    assert message["Subject"] == f"[TLP:CLEAR] {title}"
    assert message["To"].addresses[0].display_name == "김홍균"
    assert message["From"].addresses[0].addr_spec == "desk@example.org"
    assert message["Message-ID"] and message["Date"].datetime.year == 2024
    built = render_brief(BuildRequest(SAMPLE, tmp_path, ("pdf", "docx")))
    expected = {item.fmt: item.data for item in built}
    attachments = {part.get_filename(): part for part in message.iter_attachments()}
    pdf_name = f"{title} 2024-10-17.pdf"
    assert set(attachments) == {pdf_name, pdf_name.replace(".pdf", ".docx")}
    assert attachments[pdf_name].get_content_type() == "application/pdf"
    assert attachments[pdf_name].get_content() == expected["pdf"]
    docx_part = attachments[pdf_name.replace(".pdf", ".docx")]
    assert docx_part.get_content_type().endswith("wordprocessingml.document")
    assert docx_part.get_content() == expected["docx"]
    assert (tmp_path / "brief.eml").read_bytes() == data  # what was sent is what was saved
    assert not message.defects
    assert all(not part.defects for part in message.walk())  # the parser found nothing amiss


def test_the_bodies_hold_the_marking_meeting_and_key_points(tmp_path: Path) -> None:
    assert main(_command(tmp_path, "--to", "ops@example.org")) == 0
    message = _parse((tmp_path / "brief.eml").read_bytes())
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    text, markup = plain.get_content(), html.get_content()
    for body in (text, markup):
        assert "UNCLASSIFIED TLP:CLEAR" in body
        assert "14th Trilateral Vice Foreign Ministerial Meeting" in body
        assert "Seoul, South Korea" in body
    assert "1. The three vice ministers met in person in Seoul" in text
    assert "**" not in text  # inline markup is plain text in the text body
    assert "<b>reaffirmed trilateral unity</b>" in markup


def test_html_body_escapes_brief_text(tmp_path: Path) -> None:
    hostile = tmp_path / "hostile.yaml"
    hostile.write_text(
        SAMPLE.read_text(encoding="utf-8").replace(
            "Readout and implications after the Seoul meeting",
            "<script>alert(1)</script> & [x](javascript:alert(1))",
        ),
        encoding="utf-8",
    )
    command = ["email", str(hostile), "--to", "a@example.org", "-o", str(tmp_path / "h.eml")]
    assert main(command) == 0
    html = _parse((tmp_path / "h.eml").read_bytes()).get_body(preferencelist=("html",))
    assert html is not None
    markup = html.get_content()
    assert "<script>" not in markup and "&lt;script&gt;" in markup
    assert "href" not in markup  # the javascript: link stayed text


def test_a_refused_login_is_a_clear_error_and_the_eml_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_: Any) -> AuthResult:
        return AuthResult(success=False, handled=False)

    controller = Controller(
        SmtpInbox(), hostname="127.0.0.1", port=free_port(),
        authenticator=refuse, auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "wrong")
    try:
        assert main(_sending(tmp_path, controller.port, "--user", "desk")) == 1
    finally:
        controller.stop()
    error = capsys.readouterr().err
    assert "refused the login for 'desk': 535" in error
    assert "the message is kept in" in error
    assert (tmp_path / "brief.eml").stat().st_size > 100_000


def test_an_unreachable_server_is_a_clear_error_and_the_eml_is_kept(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()  # nothing listens there
    assert main(_sending(tmp_path, port)) == 1
    error = capsys.readouterr().err
    assert f"cannot send through 127.0.0.1:{port}: Connection refused" in error
    assert (tmp_path / "brief.eml").exists()


def test_starttls_against_a_server_without_it_is_a_clear_error(
    tmp_path: Path, inbox: tuple[SmtpInbox, int], capsys: pytest.CaptureFixture[str]
) -> None:
    _, port = inbox
    assert main(_sending(tmp_path, port, "--starttls")) == 1
    assert "does not support that" in capsys.readouterr().err


def test_large_attachments_are_warned_about(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_command(tmp_path, "--to", "a@example.org", "--max-size", "0.05")) == 0
    assert "more than 0.05 MB" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--to", "not-an-address"], "is not an email address"),
        (["--to", "a@example.org", "--send"], "--send needs --smtp"),
        (["--to", "a@example.org", "--send", "--smtp", "h:25"], "--send needs --from"),
        (["--to", "a@example.org", "--smtp", "h:25"], "--smtp only apply with --send"),
        (
            ["--to", "a@example.org", "--from", "d@x.org", "--send", "--smtp", "no-port"],
            "HOST:PORT",
        ),
        (["--to", "jörg@example.de"], "must be plain ASCII"),
        (["--to", "a@b@c.org"], "'a@b@c.org' is not an email address"),
        (["--to", "a@"], "'a@' is not an email address"),
        (["--to", "a@x.org;b@x.org"], "one address per option"),
        (["--to", "a@x.org, b@x.org"], "holds 2 addresses"),
        (["--to", "a@exa mple.org"], "spaces inside the address"),
        (["--to", "Müller, Jörg <j@example.de>"], "put a display name with a comma in quotes"),
        (["--to", "a@x.org\nBcc: spy@x.org"], "line break"),
        (["--to", "a@-bad-.com"], "is not a valid mail domain"),
        (["--to", "a@xn--.org"], "is not a valid mail domain"),
        (["--to", "a@ex_ample.org"], "is not a valid mail domain"),
    ],
)
def test_bad_options_are_usage_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], arguments: list[str], message: str
) -> None:
    assert main(_command(tmp_path, *arguments)) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "brief.eml").exists()


def test_an_invalid_brief_writes_no_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = FIXTURES / "wrong_input.yaml"
    command = ["email", str(bad), "--to", "a@example.org", "-o", str(tmp_path / "x.eml")]
    assert main(command) == 1
    assert "wrong_input.yaml:" in capsys.readouterr().err
    assert not (tmp_path / "x.eml").exists()


_HOSTILE_TITLE = 'A/B: "x"\\y*?|<z>\x01 ' + "w" * 100


def test_subject_and_file_names() -> None:
    brief = load_brief(SAMPLE)
    assert subject(brief).startswith("[TLP:CLEAR] ")
    amber = brief.model_copy(
        update={"meta": brief.meta.model_copy(update={"title": _HOSTILE_TITLE})}
    )
    name = attachment_name(amber, "pdf")
    assert name.endswith(".pdf") and not set('/\\:*?"<>|\x01') & set(name)
    assert len(name) <= 100
    assert parse_server("[::1]:2525") == ("::1", 2525)
    (address,) = parse_addresses(["Ops <ops@bücher.example>"], "--to")
    assert address.domain == "xn--bcher-kva.example"


def test_an_audience_variant_gets_its_own_message_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    brief = FIXTURES / "audiences.yaml"
    assert main(["email", str(brief), "--to", "a@example.org", "--audience", "press"]) == 0
    assert (tmp_path / "out" / "audiences-press.eml").exists()


def test_the_same_brief_to_different_people_gets_different_message_ids(tmp_path: Path) -> None:
    ids = []
    for person in ("a@example.org", "b@example.org"):
        assert main(_command(tmp_path, "--to", person)) == 0
        ids.append(_parse((tmp_path / "brief.eml").read_bytes())["Message-ID"])
    assert ids[0] != ids[1]


@pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")  # aiosmtpd's own warning
def test_a_successful_login_sends_with_the_password_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[str, str]] = []

    def accept(
        _server: Any, _session: Any, _envelope: Any, _mechanism: str, data: Any
    ) -> AuthResult:
        assert isinstance(data, LoginPassword)
        seen.append((data.login.decode(), data.password.decode()))
        return AuthResult(success=True)

    handler = SmtpInbox()
    controller = Controller(
        handler, hostname="127.0.0.1", port=free_port(),
        authenticator=accept, auth_require_tls=False,
    )  # fmt: skip
    controller.start()
    monkeypatch.setenv("BRIEFGEN_SMTP_PASSWORD", "s3cret")
    try:
        assert main(_sending(tmp_path, controller.port, "--user", "desk")) == 0
    finally:
        controller.stop()
    assert seen == [("desk", "s3cret")]
    assert len(handler.received) == 1
