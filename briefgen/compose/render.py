"""Render a brief through a sandboxed Jinja2 template into a Document.

The template emits document markup (see :mod:`briefgen.document.markup`);
autoescaping makes every value from the brief plain text, and the view
helpers are the only way to produce markup from user text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.compose import view
from briefgen.document.markup import parse_document
from briefgen.document.model import Document
from briefgen.errors import BriefgenError
from briefgen.models.brief import Brief
from briefgen.resources import templates_root

if TYPE_CHECKING:
    from jinja2 import Environment

    from briefgen.changes import BriefDiff

ENTRY_TEMPLATE = "document.xml.j2"
DEFAULT_TEMPLATE = "briefing_memo"


class TemplateError(BriefgenError):
    """A template could not be found or failed while rendering."""


@dataclass(frozen=True, slots=True)
class ComposeOptions:
    """How to compose: which template, and the timestamp stamped into outputs."""

    template: str = DEFAULT_TEMPLATE
    """A built-in template name, or a folder holding ``document.xml.j2``."""
    created: dt.datetime | None = None
    """None means midnight UTC of the brief's date, so outputs depend only on the input."""
    changes: BriefDiff | None = None
    """What changed since an earlier version, for the "Changes since version X" section."""


def compose(brief: Brief, options: ComposeOptions | None = None) -> Document:
    """Build the format-neutral document for ``brief``."""
    options = options or ComposeOptions()
    environment = template_environment(options.template)
    created = options.created or dt.datetime.combine(brief.meta.date, dt.time(), tzinfo=dt.UTC)
    markup = render_markup(environment, brief, created, options.changes)
    return parse_document(markup)


def render_markup(
    environment: Environment,
    brief: Brief,
    created: dt.datetime,
    changes: BriefDiff | None = None,
) -> str:
    """Render the entry template to document markup text."""
    from jinja2 import TemplateError as JinjaTemplateError

    try:
        template = environment.get_template(ENTRY_TEMPLATE)
        return template.render(
            brief=brief, meta=brief.meta, created=created.isoformat(), changes=changes
        )
    except JinjaTemplateError as error:
        raise TemplateError(f"template error{_template_location(error)}: {error.message}") from None


def _template_location(error: BaseException) -> str:
    """`` (file.j2:LINE)`` of the failing template line, found in Jinja's rewritten traceback."""
    from jinja2 import TemplateSyntaxError

    if isinstance(error, TemplateSyntaxError):
        return f" ({error.filename or error.name}:{error.lineno})"
    where = ""
    traceback = error.__traceback__
    while traceback is not None:
        filename = traceback.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            where = f" ({filename}:{traceback.tb_lineno})"
        traceback = traceback.tb_next
    return where


def template_search_path(template: str) -> list[Path]:
    """Folders searched for templates: the chosen one first, then the built-in root.

    Keeping the root on the path lets a user template ``{% extends %}`` a built-in one.
    """
    root = templates_root()
    candidate = Path(template)
    if candidate.is_dir():
        folder = candidate.resolve()
    elif (root / template / ENTRY_TEMPLATE).is_file() and "/" not in template:
        folder = root / template
    else:
        raise TemplateError(
            f"no template {template!r}: give a built-in name ({', '.join(builtin_templates())}) "
            f"or a folder containing {ENTRY_TEMPLATE}"
        )
    if not (folder / ENTRY_TEMPLATE).is_file():
        raise TemplateError(f"template folder {folder} has no {ENTRY_TEMPLATE}")
    return [folder, root]


def builtin_templates() -> list[str]:
    """Names of the templates shipped with briefgen."""
    root = templates_root()
    return sorted(path.parent.name for path in root.glob(f"*/{ENTRY_TEMPLATE}"))


def template_description(folder: Path) -> str:
    """The first line of the comment that opens a template's ``document.xml.j2``.

    Templates describe themselves there (``{#- One-page read-ahead: ... #}``), so
    ``briefgen templates`` can list them without a second file to keep in step.
    """
    try:
        head = (folder / ENTRY_TEMPLATE).read_text(encoding="utf-8")[:2000]
    except (OSError, UnicodeDecodeError):
        return ""
    if not head.startswith("{#"):
        return ""
    first = head[2:].lstrip("-").strip().splitlines()[0] if head[2:].strip() else ""
    return first.removesuffix("-#}").removesuffix("#}").strip()


_ENVIRONMENTS: dict[str, Environment] = {}


def template_environment(template: str) -> Environment:
    """A sandboxed environment for ``template``, cached so rebuilds reuse compiled templates."""
    search_path = template_search_path(template)
    key = "|".join(str(path) for path in search_path)
    if key not in _ENVIRONMENTS:
        _ENVIRONMENTS[key] = _new_environment(search_path)
    return _ENVIRONMENTS[key]


def _new_environment(search_path: list[Path]) -> Environment:
    from jinja2 import StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    environment = ImmutableSandboxedEnvironment(
        loader=_contained_loader(search_path),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    environment.filters.update(_FILTERS)
    environment.globals.update(_GLOBALS)
    return environment


def _contained_loader(search_path: list[Path]) -> Any:
    """A file loader that reads only files really inside the template folders.

    Jinja already refuses ``..`` in template names; this also refuses a file
    whose real path (symbolic links followed) lies outside every folder, so a
    template folder from someone else cannot ``{% include %}`` the user's files
    into a brief.
    """
    from jinja2 import FileSystemLoader, TemplateNotFound

    roots = [path.resolve() for path in search_path]

    class ContainedLoader(FileSystemLoader):
        def get_source(
            self, environment: Environment, template: str
        ) -> tuple[str, str, Callable[[], bool]]:
            source, filename, uptodate = super().get_source(environment, template)
            real = Path(filename).resolve()
            if not any(real.is_relative_to(root) for root in roots):
                raise TemplateNotFound(f"{template} (it lies outside the template folders)")
            return source, filename, uptodate

    return ContainedLoader([str(path) for path in search_path])


_FILTERS: dict[str, Any] = {
    "long_date": view.long_date,
    "country": view.country_name,
    "humanize": view.humanize,
    "prose": view.prose,
    "inline": view.inline,
    "cite": view.cite,
    "risk_tone": view.risk_tone,
    "tlp_tone": view.tlp_tone,
    "portion": view.portion,
    "chicago_note": view.chicago_note,
    "admiralty": view.admiralty_grade,
}

_GLOBALS: dict[str, Any] = {
    "date_range": view.date_range,
    "native": view.native,
    "marking_line": view.marking_line,
    "party_names": view.party_names,
    "heat_grid": view.heat_grid,
    "field_change": view.field_change,
    "risk_labels": view.risk_labels,
    "status_tones": view.STATUS_TONES,
}
