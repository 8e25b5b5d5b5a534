"""Small source files in every format, made on the fly for tests and the benchmark."""

from __future__ import annotations

import html
import io
from email.message import EmailMessage
from pathlib import Path


def write_html(path: Path, text: str, title: str = "Diplomats meet in Seoul") -> None:
    """A news page: metadata, navigation, the article, a footer and a cookie banner."""
    paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in text.splitlines() if line)
    path.write_text(
        "<html><head>"
        f"<title>{html.escape(title)} | Example News</title>"
        '<meta name="author" content="Jane Roe">'
        '<meta property="og:site_name" content="Example News">'
        '<meta property="article:published_time" content="2024-10-14T09:00:00+09:00">'
        "</head><body><nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>{html.escape(title)}</h1>{paragraphs}</article>"
        "<footer>Copyright 2024 Example News. All rights reserved.</footer>"
        "<div id='cookie-banner'>We use cookies. Accept all cookies</div></body></html>",
        encoding="utf-8",
    )


def write_pdf(path: Path, text: str, title: str = "Readout") -> None:
    """A PDF with a real text layer and document info (title, author, creation date)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    buffer = io.BytesIO()
    document = SimpleDocTemplate(buffer, pagesize=A4, title=title, author="Jane Roe")
    style = getSampleStyleSheet()["BodyText"]
    document.build([Paragraph(html.escape(line), style) for line in text.splitlines() if line])
    path.write_bytes(buffer.getvalue())


def write_docx(path: Path, text: str, title: str = "Readout") -> None:
    """A Word document with one paragraph per line and core properties."""
    import datetime as dt

    import docx

    document = docx.Document()
    for line in text.splitlines():
        document.add_paragraph(line)
    document.core_properties.title = title
    document.core_properties.author = "Jane Roe"
    document.core_properties.created = dt.datetime(2024, 10, 16, 9, 0)
    document.save(str(path))


def write_eml(path: Path, text: str, title: str = "Readout of the meeting") -> None:
    """An email with a plain-text body, a subject, a sender and a date."""
    message = EmailMessage()
    message["Subject"] = title
    message["From"] = "Korea Desk <desk@example.org>"
    message["To"] = "analyst@example.org"
    message["Date"] = "Wed, 16 Oct 2024 18:00:00 +0900"
    message.set_content(text)
    path.write_bytes(bytes(message))
