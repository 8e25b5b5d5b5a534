"""The output formats briefgen can write, read by both the build and the CLI.

Adding a format is one entry here plus its writer module: ``build`` renders any
registered format by name, and ``briefgen build -f`` offers every registered name
(and ``all``, the formats marked ``in_all``). Writers are imported only when a
format is rendered, so ``--help`` and ``validate`` never load ReportLab or
python-docx through this module.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from briefgen.errors import BriefgenError

if TYPE_CHECKING:
    from briefgen.document.nodes import Document
    from briefgen.presentation.theme import Theme

WriteFunction = Callable[["Document", "Theme"], bytes]


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One output format: its name on the command line, its file suffix and its writer."""

    name: str
    """The ``-f`` value, e.g. ``pdf``."""
    suffix: str
    """The output file's extension without the dot: ``OUT/<stem>.<suffix>``."""
    writer: str
    """``module:function`` of the writer, imported on first use."""
    description: str
    """One line for ``--help``."""
    in_all: bool = True
    """Whether ``-f all`` (the default) writes this format."""
    paginates: bool = False
    """Whether the writer lays out pages and so enforces a layout's page limit; builds of
    page-limited layouts that request no such format lay out the first one to check."""

    def load(self) -> WriteFunction:
        """The writer function, importing its module now."""
        module_name, function = self.writer.split(":")
        return cast(WriteFunction, getattr(importlib.import_module(module_name), function))


FORMATS: tuple[OutputFormat, ...] = (
    OutputFormat(
        "pdf",
        "pdf",
        "briefgen.writers.pdf:write_pdf",
        "tagged PDF/UA and PDF/A",
        paginates=True,
    ),
    OutputFormat("docx", "docx", "briefgen.writers.docx:write_docx", "Word document"),
    OutputFormat(
        "html",
        "html",
        "briefgen.writers.html:write_html",
        "self-contained, accessible HTML page",
        in_all=False,
    ),
)
"""Every format, in the order a build writes them (the PDF first: it checks page limits)."""

ALL = "all"
"""The ``-f`` value for every format marked ``in_all``."""


def names() -> tuple[str, ...]:
    """Every format's ``-f`` name, in build order."""
    return tuple(fmt.name for fmt in FORMATS)


def default_names() -> tuple[str, ...]:
    """The formats ``-f all`` (the default) writes: the PDF and the DOCX."""
    return tuple(fmt.name for fmt in FORMATS if fmt.in_all)


def choices() -> tuple[str, ...]:
    """What ``-f`` accepts: each format's name, then ``all``."""
    return (*names(), ALL)


def expand(choice: str) -> tuple[str, ...]:
    """The format names one ``-f`` value stands for."""
    return default_names() if choice == ALL else (get(choice).name,)


def get(name: str) -> OutputFormat:
    """The format called ``name``; a BriefgenError naming the choices otherwise."""
    for fmt in FORMATS:
        if fmt.name == name:
            return fmt
    raise BriefgenError(f"unknown output format {name!r}; choose from {', '.join(names())}")


def page_checker(requested: tuple[str, ...]) -> str | None:
    """The format to lay out only to check a page limit: None when a requested format
    paginates already, else the first paginating format."""
    if any(get(name).paginates for name in requested):
        return None
    return next((fmt.name for fmt in FORMATS if fmt.paginates), None)


def render(name: str, document: Document, theme: Theme) -> bytes:
    """Render ``document`` in the format ``name`` with ``theme``."""
    return get(name).load()(document, theme)
