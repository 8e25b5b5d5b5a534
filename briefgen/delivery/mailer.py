"""A brief as an email: the PDF (and optionally the DOCX) attached, the gist in the body.

The message is built with Python's ``email`` package (RFC 5322, MIME): a
plain-text and an HTML body (``multipart/alternative``) holding the marking, the
meeting details and the key points, then the attachments.  Following the TLP
convention for email, the subject starts with the brief's TLP label.  Sending
uses ``smtplib``; the ``.eml`` is always written first, so a failed send loses
nothing.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import smtplib
import socket
import ssl
import threading
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime, getaddresses, make_msgid

from briefgen.build.pipeline import RenderedFile
from briefgen.compose.view import date_range, long_date, marking_line
from briefgen.document.inline import inline_to_markup, inline_to_plain
from briefgen.errors import BriefgenError
from briefgen.models.brief import Brief

MIME_TYPES = {
    "pdf": ("application", "pdf"),
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
}
DEFAULT_MAX_MB = 10.0
"""Many mail servers refuse messages much larger than this (attachments grow by a third)."""
SMTP_TIMEOUT = 30.0
"""Longest wait for any one answer of the server."""
SEND_DEADLINE = 120.0
"""Longest a whole send may take, from connecting to the last reply: a server that
answers one byte at a time, each within :data:`SMTP_TIMEOUT`, is cut off here."""
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')


class MailError(BriefgenError):
    """An address, a server setting or a send that failed; the message says which."""


@dataclass(frozen=True, slots=True)
class Envelope:
    """Who the message is from and to."""

    to: tuple[Address, ...]
    cc: tuple[Address, ...] = ()
    sender: Address | None = None


@dataclass(frozen=True, slots=True)
class SmtpSettings:
    """Where and how to send."""

    host: str
    port: int
    starttls: bool = False
    user: str | None = None
    password: str | None = None


def parse_addresses(values: Sequence[str], option: str) -> tuple[Address, ...]:
    """Parse ``"Name <user@example.org>"`` or ``user@example.org`` values (comma lists too).

    Display names may use any script; the address itself must be plain ASCII
    (the domain may be internationalised, and is sent in its IDNA form).  Each
    error quotes the value as typed, since the parsed remains may say little.
    """
    addresses: list[Address] = []
    for value in values:
        addresses.extend(_addresses_in(value, option))
    if not addresses:
        raise MailError(f"{option}: no address given")
    return tuple(addresses)


_DOMAIN_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_LOCAL_PART = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+")


def _addresses_in(value: str, option: str) -> list[Address]:
    """The one address in ``value``: a value that parses as two (``Desk Bcc: evil@x
    <desk@example.org>``) is refused, so what the user typed as one recipient can never
    become two."""
    if any(_breaks_headers(char) for char in value):
        raise MailError(f"{option}: {value!r} contains a line break or control character")
    if any("\ud800" <= char <= "\udfff" for char in value):
        raise MailError(f"{option}: {value!r} is not valid text (bytes that are not UTF-8)")
    parsed = getaddresses([value])
    problem = _parse_problem(value, parsed)
    if problem:
        raise MailError(f"{option}: {value!r} is not an email address ({problem})")
    if len(parsed) != 1:
        raise MailError(
            f"{option}: {value!r} holds {len(parsed)} addresses; give one address per "
            f"{option}" + (" (repeat the option for more)" if option != "--from" else "")
        )
    return [_address(display, spec, option, value) for display, spec in parsed]


def _parse_problem(value: str, parsed: list[tuple[str, str]]) -> str | None:
    if ";" in value and '"' not in value:
        return "one address per option; repeat the option for more"
    if not parsed or any(not spec or spec.count("@") != 1 for _, spec in parsed):
        if "," in value and "<" in value and '"' not in value:
            return 'put a display name with a comma in quotes: "Müller, Jörg" <j@example.de>'
        return "expected name@domain, or Name <name@domain>"
    if any(spec not in value for _, spec in parsed):
        return "spaces inside the address"
    return None


def _address(display: str, spec: str, option: str, typed: str) -> Address:
    local, _, domain = spec.rpartition("@")
    if not local.isascii() or not _LOCAL_PART.fullmatch(local):
        raise MailError(f"{option}: {typed!r}: the part before @ must be plain ASCII")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError:
        ascii_domain = ""
    labels = ascii_domain.split(".")
    valid = len(labels) > 1 and all(_DOMAIN_LABEL.fullmatch(label) for label in labels)
    if valid and any(label.lower().startswith("xn--") for label in labels):
        try:
            ascii_domain.encode("ascii").decode("idna")
        except UnicodeError:
            valid = False
    if not valid:
        raise MailError(f"{option}: {typed!r}: {domain!r} is not a valid mail domain")
    return Address(display_name=header_text(display), username=local, domain=ascii_domain)


_HEADER_BREAKING = frozenset({"Cc", "Zl", "Zp"})
"""Control characters (CR, LF, NEL, ...), and the line and paragraph separators
U+2028 and U+2029, which some mail software treats as line breaks."""
ENCODED_WORD_GUARD = "\u2060"
"""WORD JOINER, written between ``=`` and ``?``: invisible, and it keeps any ``=?`` in
header text from being read as the start of an RFC 2047 encoded word."""


def _breaks_headers(char: str) -> bool:
    return unicodedata.category(char) in _HEADER_BREAKING


def header_text(value: str) -> str:
    """Text made safe to put in a header: one line, and no encoded words.

    Every character that is or may be read as a line break becomes a space.  Python's
    email package decodes RFC 2047 encoded words in the text it is given, so a title
    such as ``=?utf-8?q?=0D=0AReply-To:_x@evil.example?=`` would become a line break
    and a header of its own; a WORD JOINER between ``=`` and ``?`` keeps the text as
    written, and the email package encodes it as text.
    """
    spaced = "".join(" " if _breaks_headers(char) else char for char in value)
    return " ".join(spaced.split()).replace("=?", "=" + ENCODED_WORD_GUARD + "?")


def build_message(
    brief: Brief,
    files: Sequence[RenderedFile],
    envelope: Envelope,
    date: dt.datetime | None = None,
) -> EmailMessage:
    """The whole message: headers, text and HTML bodies, and the rendered files attached."""
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject(brief)
    message["From"] = envelope.sender or Address("briefgen", "briefgen", "localhost")
    message["To"] = envelope.to
    if envelope.cc:
        message["Cc"] = envelope.cc
    moment = date or dt.datetime.now(dt.UTC)
    message["Date"] = format_datetime(moment)
    message["Message-ID"] = _message_id(files, envelope, moment, reproducible=date is not None)
    names = [attachment_name(brief, item.fmt) for item in files]
    message.set_content(text_body(brief, names))
    message.add_alternative(html_body(brief, names), subtype="html")
    for item, name in zip(files, names, strict=True):
        maintype, subtype = MIME_TYPES[item.fmt]
        message.add_attachment(item.data, maintype=maintype, subtype=subtype, filename=name)
    check_headers(message.as_bytes(), envelope, subject(brief))
    return message


_OWN_HEADERS = ("Content-Type", "Date", "From", "MIME-Version", "Message-ID", "Subject", "To")


def _squeezed(text: str) -> str:
    """Text without its whitespace: Python's header folding can drop a space between two
    encoded words (``0𐀀 ¡`` comes back as ``0𐀀¡``), which changes no header."""
    return "".join(text.split())


def check_headers(data: bytes, envelope: Envelope, expected_subject: str) -> None:
    """Parse the message as a receiver will and refuse it unless it carries exactly the
    headers briefgen meant: these names once each, this subject, these recipients.

    The header values are already made safe where they are built; this is the proof,
    checked on every message, that nothing in a brief or an address added a header.
    """
    from email import message_from_bytes
    from email.policy import default

    parsed = message_from_bytes(data, policy=default)
    expected = sorted((*_OWN_HEADERS, "Cc") if envelope.cc else _OWN_HEADERS)
    recipients = sorted(
        address.addr_spec
        for name in ("To", "Cc")
        for address in getattr(parsed.get(name), "addresses", ())
    )
    wanted = sorted(address.addr_spec for address in (*envelope.to, *envelope.cc))
    if (
        sorted(parsed.keys()) != expected
        or _squeezed(str(parsed["Subject"])) != _squeezed(expected_subject)
        or recipients != wanted
    ):
        raise MailError(
            "the message would not carry exactly the intended headers "
            f"({', '.join(parsed.keys())}); nothing was written or sent"
        )


def subject(brief: Brief) -> str:
    """``[TLP:AMBER] Title``: the TLP convention puts the label first in the subject."""
    tlp = brief.meta.marking.tlp
    title = inline_to_plain(brief.meta.title)
    return header_text(f"[{tlp}] {title}" if tlp else title)


def attachment_name(brief: Brief, fmt: str) -> str:
    """A readable file name from the title and date, safe on every system.

    Path separators, control and reserved characters are dropped and the
    length is bounded; letters of any script stay (the email package encodes
    them per RFC 2231).
    """
    title = header_text(unicodedata.normalize("NFC", inline_to_plain(brief.meta.title)))
    title = " ".join(_UNSAFE_IN_NAMES.sub(" ", title).split()).strip(" .") or "brief"
    if len(title) > 80:
        title = title[:80].rsplit(" ", 1)[0].rstrip(" .,;-")
    return f"{title} {brief.meta.date.isoformat()}.{fmt}"


def text_body(brief: Brief, attachments: Sequence[str]) -> str:
    """The plain-text body: marking, title, meeting details, key points, what is attached."""
    lines = [_marking(brief), "", inline_to_plain(brief.meta.title)]
    if brief.meta.subtitle:
        lines.append(inline_to_plain(brief.meta.subtitle))
    lines += ["", *(f"{label}: {value}" for label, value in _details(brief)), "", "Key points:"]
    lines += [
        f"{number}. {inline_to_plain(point.text)}"
        for number, point in enumerate(brief.summary, start=1)
    ]
    lines += ["", "Attached: " + ", ".join(attachments), "", _marking(brief)]
    return "\n".join(lines) + "\n"


def html_body(brief: Brief, attachments: Sequence[str]) -> str:
    """The HTML body: the same content, every value escaped; links only http(s)/mailto."""
    from markupsafe import Markup, escape

    details = Markup("").join(
        Markup("<tr><th align='left'>{}</th><td>{}</td></tr>").format(label, value)
        for label, value in _details(brief)
    )
    points = Markup("").join(
        Markup("<li>{}</li>").format(Markup(inline_to_markup(point.text)))
        for point in brief.summary
    )
    marking = escape(_marking(brief))
    return str(
        Markup(
            "<!DOCTYPE html><html><body style='font-family:sans-serif'>"
            "<p><b>{marking}</b></p><h2>{title}</h2>{subtitle}<table>{details}</table>"
            "<h3>Key points</h3><ol>{points}</ol><p>Attached: {attached}</p>"
            "<p><b>{marking}</b></p></body></html>"
        ).format(
            marking=marking,
            title=Markup(inline_to_markup(brief.meta.title)),
            subtitle=Markup("<p>{}</p>").format(Markup(inline_to_markup(brief.meta.subtitle)))
            if brief.meta.subtitle
            else "",
            details=details,
            points=points,
            attached=", ".join(attachments),
        )
    )


def _marking(brief: Brief) -> str:
    marking = brief.meta.marking
    line = marking_line(marking.banner, marking.caveats)
    return f"{line} {marking.tlp}" if marking.tlp else line


def _details(brief: Brief) -> list[tuple[str, str]]:
    meta = brief.meta
    rows = [("Date", long_date(meta.date))]
    if meta.event:
        rows.append(("Meeting", meta.event.name))
        rows.append(("When", date_range(meta.event.start, meta.event.end)))
        if meta.event.location:
            from briefgen.compose.view import country_name

            location = meta.event.location
            rows.append(("Where", f"{location.city}, {country_name(location.country)}"))
    rows += [
        (label, value)
        for label, value in (
            ("Prepared for", meta.prepared_for),
            ("Prepared by", meta.prepared_by),
            ("Version", meta.version),
        )
        if value
    ]
    return rows


def _message_id(
    files: Sequence[RenderedFile], envelope: Envelope, moment: dt.datetime, *, reproducible: bool
) -> str:
    """A fresh Message-ID; when the date is fixed (reproducible builds), derived from the
    content and the recipients, so one brief sent to different people gets different ids
    (mail services drop messages whose id they have already seen)."""
    if not reproducible:
        return make_msgid(domain="briefgen.invalid")
    recipients = ",".join(str(address) for address in (*envelope.to, *envelope.cc))
    content = b"".join(item.data for item in files) + recipients.encode("utf-8")
    digest = hashlib.sha256(content).hexdigest()[:24]
    return f"<{digest}.{int(moment.timestamp())}@briefgen.invalid>"


def attachment_bytes(message: EmailMessage) -> int:
    """Total size of the attachments as they travel (base64 adds about a third)."""
    return sum(len(part.as_bytes()) for part in message.iter_attachments())


def parse_server(value: str) -> tuple[str, int]:
    """``HOST:PORT`` or ``[IPv6]:PORT`` into its parts."""
    found = re.fullmatch(r"\[([^\]]+)\]:(\d+)|([^:\s]+):(\d+)", value.strip())
    if not found:
        raise MailError(f"--smtp: {value!r} is not HOST:PORT (e.g. smtp.example.org:587)")
    host = found.group(1) or found.group(3)
    port = int(found.group(2) or found.group(4))
    if not 0 < port < 65536:
        raise MailError(f"--smtp: port {port} is not between 1 and 65535")
    return host, port


def send(message: EmailMessage, settings: SmtpSettings) -> None:
    """Send through an SMTP server; every failure becomes a one-line MailError."""
    where = f"{settings.host}:{settings.port}"
    deadline = _Deadline(SEND_DEADLINE)
    try:
        with deadline, _DeadlineSMTP(settings.host, settings.port, deadline) as server:
            if settings.starttls:
                server.starttls(context=ssl.create_default_context())
            if settings.user:
                server.login(settings.user, settings.password or "")
            refused = server.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        if deadline.expired:
            raise MailError(
                f"{where} did not finish the send within {SEND_DEADLINE:g} s; "
                "it may not have been delivered"
            ) from None
        raise _send_error(error, where, settings) from None
    if refused:
        raise MailError(
            f"{where} refused {', '.join(sorted(refused))}; the other recipients were sent it"
        )


class _Deadline:
    """A whole-send deadline: when it passes, the connection is shut down, which ends any
    read or write the send is blocked in (a timeout alone bounds each read, not the sum)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._started = time.monotonic()
        self._server: smtplib.SMTP | None = None
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def remaining(self) -> float:
        return max(0.01, self.seconds - (time.monotonic() - self._started))

    def watch(self, server: smtplib.SMTP) -> None:
        self._server = server

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._timer.cancel()

    def _expire(self) -> None:
        self.expired = True
        connection = getattr(self._server, "sock", None)
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class _DeadlineSMTP(smtplib.SMTP):
    """``smtplib.SMTP`` whose socket the deadline can shut down, and whose waits for a
    connection never run past the deadline."""

    def __init__(self, host: str, port: int, deadline: _Deadline) -> None:
        self._deadline = deadline
        deadline.watch(self)
        super().__init__(host, port, timeout=min(SMTP_TIMEOUT, deadline.remaining()))

    def _get_socket(self, host: str, port: int, timeout: float) -> socket.socket:
        if self._deadline.expired:
            raise TimeoutError("the send deadline passed")
        connection: socket.socket = super()._get_socket(  # type: ignore[misc]
            host, port, min(timeout, self._deadline.remaining())
        )
        return connection


def _send_error(error: Exception, where: str, settings: SmtpSettings) -> MailError:
    """Every way a send fails, as one MailError in words; anything else is a bug, re-raised."""
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return MailError(f"{where} refused the login for {settings.user!r}: {_reply(error)}")
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return MailError(f"{where} does not support that: {error}")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return MailError(f"{where} refused every recipient: {', '.join(sorted(error.recipients))}")
    if isinstance(error, smtplib.SMTPResponseException):
        return MailError(f"{where} refused the message: {_reply(error)}")
    if isinstance(error, ssl.SSLError | ssl.CertificateError):
        return MailError(f"{where}: TLS failed: {error}")
    if isinstance(error, TimeoutError) or (
        isinstance(error, smtplib.SMTPServerDisconnected) and "timed out" in str(error)
    ):
        return MailError(f"{where} did not answer within {SMTP_TIMEOUT:.0f} s")
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return MailError(f"{where} closed the connection: {error}")
    if isinstance(error, OSError | smtplib.SMTPException):
        reason = error.strerror if isinstance(error, OSError) and error.strerror else str(error)
        return MailError(f"cannot send through {where}: {reason}")
    raise error


def _reply(error: smtplib.SMTPResponseException) -> str:
    text = (
        error.smtp_error.decode("utf-8", "replace")
        if isinstance(error.smtp_error, bytes)
        else str(error.smtp_error)
    )
    return f"{error.smtp_code} {text}".strip()
