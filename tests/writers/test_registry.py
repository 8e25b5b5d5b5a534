"""The writer registry: the formats build and the CLI offer, read from one table."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from briefgen.cli.main import cli
from briefgen.errors import BriefgenError
from briefgen.writers import registry


def test_all_stays_pdf_and_docx() -> None:
    assert registry.expand("all") == ("pdf", "docx")
    assert registry.expand("html") == ("html",)
    assert registry.choices() == ("pdf", "docx", "html", "all")


def test_an_unknown_format_names_the_choices() -> None:
    with pytest.raises(BriefgenError, match="pdf, docx, html"):
        registry.get("odt")


def test_a_page_limit_is_checked_by_laying_out_the_pdf_when_no_format_paginates() -> None:
    assert registry.page_checker(("html",)) == "pdf"
    assert registry.page_checker(("docx", "html")) == "pdf"
    assert registry.page_checker(("pdf", "html")) is None


def test_every_writer_is_importable_and_named_by_its_suffix() -> None:
    for fmt in registry.FORMATS:
        assert callable(fmt.load())
        assert fmt.suffix == fmt.name


def test_the_cli_offers_every_registered_format() -> None:
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0
    for name in registry.choices():
        assert name in result.output
