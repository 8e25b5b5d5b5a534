"""One reader per source format: bytes in, :class:`SourceDocument` out.

Each reader imports its library inside the function, so ``briefgen validate`` and
``--help`` never pay for trafilatura, pypdfium2 or python-docx. Readers report a file
they cannot use with :class:`SourceError` and a reason in plain words; the caller adds
the file name.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Callable
from email.utils import getaddresses, parsedate_to_datetime

from briefgen.sources.document import SourceDocument, SourceError

MAX_PDF_PAGES = 2000
MAX_DOCX_UNPACKED = 64 * 1024 * 1024
MAX_DOCX_MEMBERS = 2000
MAX_DOCX_RATIO = 200
_PDFIUM_HYPHEN = re.compile("\x02\n?")
"""pdfium's mark for a hyphen it found at a line end: the word is joined again."""
_PDF_DATE = re.compile(r"D?:?(\d{4})(\d{2})?(\d{2})?")

Reader = Callable[[bytes], SourceDocument]


def read_txt(data: bytes) -> SourceDocument:
    """UTF-8 text (a byte-order mark is dropped); anything else is refused, not guessed."""
    try:
        return SourceDocument(text=data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise SourceError(f"not UTF-8 text (byte {error.start})") from None


def read_html(data: bytes) -> SourceDocument:
    """The main text of a web page (no navigation, footers or cookie banners) and its metadata."""
    import trafilatura

    found = trafilatura.bare_extraction(
        data,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        deduplicate=False,
    )
    text = getattr(found, "text", None) or ""
    if not text.strip():
        raise SourceError("no main text found in the HTML")
    author = getattr(found, "author", None) or ""
    return SourceDocument(
        text=text,
        title=getattr(found, "title", None) or None,
        publisher=getattr(found, "sitename", None) or None,
        authors=tuple(name.strip() for name in author.split(";") if name.strip()),
        published=_iso_date(getattr(found, "date", None)),
        url=getattr(found, "url", None) or None,
    )


def read_pdf(data: bytes) -> SourceDocument:
    """The text layer of a PDF, page by page in reading order, and its document info."""
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        raise SourceError(_pdf_open_reason(str(error))) from None
    try:
        if len(pdf) > MAX_PDF_PAGES:
            raise SourceError(f"more than {MAX_PDF_PAGES} pages")
        pages, has_objects = _pdf_pages(pdf)
        info = pdf.get_metadata_dict(skip_empty=True)
    finally:
        pdf.close()
    text = "\n\n".join(pages)
    if not text.strip():
        if has_objects:
            raise SourceError("no text layer: a scanned (image-only) PDF? Run OCR on it first")
        raise SourceError("the PDF has no text")
    author = info.get("Author", "")
    return SourceDocument(
        text=text,
        title=info.get("Title") or None,
        authors=tuple(part.strip() for part in re.split(r";|\band\b", author) if part.strip()),
        published=_pdf_date(info.get("CreationDate", "")),
    )


def _pdf_open_reason(message: str) -> str:
    if "password" in message.lower():
        return "encrypted PDF (it needs a password): save an unprotected copy"
    return f"not a readable PDF ({message})"


def _pdf_pages(pdf: object) -> tuple[list[str], bool]:
    """Each page's text (``\\r\\n`` made ``\\n``, words broken at line ends joined), and
    whether any page draws anything."""
    pages: list[str] = []
    has_objects = False
    for page in pdf:  # type: ignore[attr-defined]
        try:
            textpage = page.get_textpage()
            text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
            pages.append(_PDFIUM_HYPHEN.sub("", text))
            textpage.close()
            has_objects = has_objects or next(iter(page.get_objects()), None) is not None
        finally:
            page.close()
    return pages, has_objects


def _pdf_date(value: str) -> dt.date | None:
    match = _PDF_DATE.match(value.strip())
    if not match or not match.group(2) or not match.group(3):
        return None
    try:
        return dt.date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


def read_docx(data: bytes) -> SourceDocument:
    """The paragraphs and table cells of a Word document, and its core properties."""
    _refuse_zip_bomb(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as error:  # python-docx raises many types for a damaged package
        raise SourceError(f"not a readable DOCX ({type(error).__name__})") from None
    lines = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.extend(cell.text for cell in row.cells)
    properties = document.core_properties
    created = properties.created
    return SourceDocument(
        text="\n".join(lines),
        title=properties.title or None,
        authors=(properties.author,) if properties.author else (),
        published=created.date() if isinstance(created, dt.datetime) else None,
    )


def _refuse_zip_bomb(data: bytes) -> None:
    """Refuse a DOCX whose parts would unpack to far more than it weighs."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise SourceError("not a readable DOCX (not a zip package)") from None
    unpacked = sum(member.file_size for member in members)
    if len(members) > MAX_DOCX_MEMBERS or unpacked > MAX_DOCX_UNPACKED:
        raise SourceError("the DOCX unpacks to too much data (a zip bomb?)")
    if unpacked > MAX_DOCX_RATIO * max(len(data), 1) and unpacked > 1024 * 1024:
        raise SourceError("the DOCX is compressed beyond any real document (a zip bomb?)")


def read_eml(data: bytes) -> SourceDocument:
    """An email's body (plain text, else the main text of its HTML) and its headers."""
    import email
    from email import policy

    message = email.message_from_bytes(data, policy=policy.default)
    body = message.get_body(preferencelist=("plain", "html"))
    if body is None:
        raise SourceError("the email has no text body")
    try:
        content = body.get_content()
    except (LookupError, ValueError, AssertionError) as error:
        raise SourceError(f"cannot decode the email body ({error})") from None
    if body.get_content_subtype() == "html":
        text = read_html(content.encode("utf-8")).text
    else:
        text = str(content)
    return SourceDocument(
        text=text,
        title=_header(message, "subject"),
        authors=_senders(message),
        published=_mail_date(_header(message, "date")),
    )


def _header(message: object, name: str) -> str | None:
    try:
        value = message.get(name)  # type: ignore[attr-defined]
    except (ValueError, IndexError, TypeError):  # malformed header
        return None
    text = " ".join(str(value).split()) if value is not None else ""
    return text or None


def _senders(message: object) -> tuple[str, ...]:
    sender = _header(message, "from")
    if sender is None:
        return ()
    return tuple(name or address for name, address in getaddresses([sender]) if name or address)


def _mail_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def _iso_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


READERS: dict[str, Reader] = {
    ".txt": read_txt,
    ".text": read_txt,
    ".md": read_txt,
    ".html": read_html,
    ".htm": read_html,
    ".pdf": read_pdf,
    ".docx": read_docx,
    ".eml": read_eml,
}
"""Readers by lower-case suffix; any other suffix is read as UTF-8 text, as before."""
