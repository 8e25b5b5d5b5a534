"""Render a brief through a sandboxed Jinja2 template into a Document.

The template emits document markup (see :mod:`briefgen.document.markup`);
autoescaping makes every value from the brief plain text, and the view
helpers are the only way to produce markup from user text.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.compose import changes_words, dates, view
from briefgen.document.inline import smart_quotes
from briefgen.document.markup import parse_document
from briefgen.document.nodes import Document
from briefgen.errors import BriefgenError
from briefgen.models.brief import Brief
from briefgen.support.reading import read_regular_file
from briefgen.support.resources import templates_root

if TYPE_CHECKING:
    from jinja2 import Environment

    from briefgen.transforms.changes import BriefDiff

ENTRY_TEMPLATE = "document.xml.j2"
DEFAULT_TEMPLATE = "briefing_memo"
DOC_TYPE_LAYOUTS = {"action_memo": "action_memo", "policy_brief": "policy_brief"}
"""The layout each ``meta.doc_type`` gets when no ``--template`` is given; other
document types get :data:`DEFAULT_TEMPLATE`."""


def layout_for(doc_type: str, template: str | None) -> str:
    """The layout to compose with: the one asked for, else the document type's own."""
    return template or DOC_TYPE_LAYOUTS.get(doc_type, DEFAULT_TEMPLATE)


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
    date_locale: str | None = None
    """The theme's date locale (``en-GB``); None follows the brief's ``meta.lang``."""


def compose(brief: Brief, options: ComposeOptions | None = None) -> Document:
    """Build the format-neutral document for ``brief``."""
    options = options or ComposeOptions()
    environment = template_environment(options.template)
    created = options.created or dt.datetime.combine(brief.meta.date, dt.time(), tzinfo=dt.UTC)
    with dates.using(dates.style_for(brief, options.date_locale)):
        markup = render_markup(environment, brief, created, options.changes)
    return parse_document(markup)


MAX_TEMPLATE_SECONDS = 30.0
"""Rendering the sample takes about 40 ms and a brief at the 1 MiB size limit a few
seconds; a template still running after this long is looping (``range`` in ``range``)."""
MAX_TEMPLATE_MEMORY = 1024**3
"""Address space a template may add while it renders (Linux and other systems with
``RLIMIT_AS``): a template that pads, repeats or doubles strings stops with a plain
error instead of filling the machine's memory."""
MAX_MARKUP_CHARS = 20_000_000
"""Markup is about 1.3 characters per byte of YAML, so a brief at the 1 MiB limit makes
a few million; more than this is a template writing text in a loop."""
MAX_TEMPLATE_VALUE = 10_000_000
"""The longest string or list a template may make with ``*`` (checked before it is made)."""
MAX_POWER_BITS = 100_000
"""The largest number (in bits, about 30,000 digits) a template may make with ``**``."""


def render_markup(
    environment: Environment,
    brief: Brief,
    created: dt.datetime,
    changes: BriefDiff | None = None,
) -> str:
    """Render the entry template to document markup text.

    A template may come from someone else, so whatever it does wrong ends as a
    TemplateError naming its file and line: Jinja errors, Python errors its
    expressions raise (``1/0``), a template that includes itself, and one that
    exceeds the time, memory or output limits above.
    """
    from jinja2 import TemplateError as JinjaTemplateError

    try:
        with _template_limits():
            template = environment.get_template(ENTRY_TEMPLATE)
            return _render_bounded(
                template, brief=brief, meta=brief.meta, created=created.isoformat(), changes=changes
            )
    except BriefgenError:
        raise
    except JinjaTemplateError as error:
        raise TemplateError(f"template error{_template_location(error)}: {error.message}") from None
    except RecursionError as error:
        reason = "it includes, extends or calls itself without end"
        raise TemplateError(f"template error{_template_location(error)}: {reason}") from None
    except MemoryError as error:
        reason = f"it needs more than {MAX_TEMPLATE_MEMORY // 1024**2:,} MiB of memory"
        raise TemplateError(f"template error{_template_location(error)}: {reason}") from None
    except _TemplateTimeoutError as error:
        reason = f"it ran for more than {MAX_TEMPLATE_SECONDS:g} seconds (a loop without end?)"
        raise TemplateError(f"template error{_template_location(error)}: {reason}") from None
    except Exception as error:  # the template's own expressions: 1/0, 1 + "a", ...
        where = _template_location(error)
        raise TemplateError(f"template error{where}: {_reason(error)}") from None


def _reason(error: Exception) -> str:
    """An exception's message in words: ``(34, 'Numerical result out of range')`` (how an
    OverflowError from C prints) becomes ``Numerical result out of range``."""
    if len(error.args) == 2 and isinstance(error.args[0], int) and isinstance(error.args[1], str):
        return error.args[1]
    return str(error) or type(error).__name__


def _render_bounded(template: Any, **context: Any) -> str:
    """``template.render`` that stops once the markup passes :data:`MAX_MARKUP_CHARS`."""
    pieces: list[str] = []
    size = 0
    for piece in template.generate(**context):
        size += len(piece)
        if size > MAX_MARKUP_CHARS:
            raise TemplateError(
                f"template error: the template wrote more than {MAX_MARKUP_CHARS:,} characters "
                "of markup (text in a loop?); a brief needs far fewer"
            )
        pieces.append(piece)
    return "".join(pieces)


class _TemplateTimeoutError(Exception):
    """Raised (from a SIGALRM handler) into a template that ran too long."""


_LIMITS_LOCK = threading.Lock()
"""Limits are per process, so renders that set them take turns."""


@contextlib.contextmanager
def _template_limits() -> Iterator[None]:
    """Bound the time and memory of one render, where the platform allows it.

    Jinja's sandbox keeps a template away from Python internals and files but not
    from CPU and memory: ``{{ "x"|center(10**10) }}`` asks for 10 GB.  The memory
    limit (``RLIMIT_AS``, raised back afterwards) turns that into a MemoryError;
    the timer (``SIGALRM``, main thread only) interrupts a loop that never ends.
    """
    with _LIMITS_LOCK, contextlib.ExitStack() as stack:
        _limit_memory(stack)
        _limit_time(stack)
        yield


def _limit_memory(stack: contextlib.ExitStack) -> None:
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_AS)
        pages = int(Path("/proc/self/statm").read_text(encoding="ascii").split()[0])
        limit = pages * os.sysconf("SC_PAGE_SIZE") + MAX_TEMPLATE_MEMORY
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        if soft != resource.RLIM_INFINITY and soft <= limit:
            return  # already as strict
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (ImportError, OSError, ValueError, AttributeError, IndexError):
        return  # no such limit on this platform: the sandbox still holds, unbounded
    stack.callback(resource.setrlimit, resource.RLIMIT_AS, (soft, hard))


def _expire(*_: object) -> None:
    raise _TemplateTimeoutError


def _limit_time(stack: contextlib.ExitStack) -> None:
    if (
        not hasattr(signal, "setitimer")
        or threading.current_thread() is not threading.main_thread()
        or signal.getitimer(signal.ITIMER_REAL)[0] > 0  # someone else's timer is running
    ):
        return

    previous = signal.signal(signal.SIGALRM, _expire)
    stack.callback(signal.signal, signal.SIGALRM, previous or signal.SIG_DFL)
    signal.setitimer(signal.ITIMER_REAL, MAX_TEMPLATE_SECONDS)
    stack.callback(signal.setitimer, signal.ITIMER_REAL, 0)


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


def _typographic(value: Any) -> Any:
    """Every plain brief value a template prints gets typographic quotes and apostrophes,
    as inline text does (:func:`~briefgen.document.inline.smart_quotes`); markup the view
    helpers built (``Markup``) has had them already, and is left alone."""
    if type(value) is str:
        return smart_quotes(value)
    return value


def _new_environment(search_path: list[Path]) -> Environment:
    from jinja2 import StrictUndefined

    environment = _bounded_sandbox_class()(
        loader=_contained_loader(search_path),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        finalize=_typographic,
        bytecode_cache=_bytecode_cache(),
    )
    environment.filters = {
        name: environment.filters[name] for name in JINJA_FILTERS_ALLOWED
    } | _FILTERS
    environment.globals = {
        name: environment.globals[name] for name in JINJA_GLOBALS_ALLOWED
    } | _GLOBALS
    return environment


def _environment_fingerprint() -> str:
    """A hash of this module's source. The environment's options (sandbox, autoescape,
    whitespace control, ``finalize``) shape the compiled code but are not part of Jinja's
    own cache key, and they are all set here: any edit to this file starts new entries,
    so no one has to remember to bump a version when an option changes."""
    import hashlib

    return hashlib.sha256(Path(__file__).read_bytes()).hexdigest()


def _bytecode_cache() -> Any:
    """Jinja's compiled templates kept in briefgen's on-disk cache, or None when it is off.

    Compiling the built-in layouts costs about 25 ms in every new process; loading
    their code objects costs under 1 ms.  Jinja's bucket rejects an entry whose
    template source changed (its checksum) or that another Jinja or Python made
    (its magic header); the key adds Jinja's version, Python's bytecode magic and
    a hash of this module (where the environment's options are set), and
    :mod:`briefgen.support.cache` rejects damaged entries.
    """
    from briefgen.support.cache import cache_folder

    if cache_folder() is None:
        return None
    import importlib.util

    import jinja2
    from jinja2.bccache import Bucket, BytecodeCache

    from briefgen.support.cache import read_entry, write_entry

    version = (_environment_fingerprint(), jinja2.__version__, importlib.util.MAGIC_NUMBER)

    class DiskBytecodeCache(BytecodeCache):
        def load_bytecode(self, bucket: Bucket) -> None:
            data = read_entry("templates", (*version, bucket.key, bucket.checksum))
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket: Bucket) -> None:
            write_entry(
                "templates", (*version, bucket.key, bucket.checksum), bucket.bytecode_to_string()
            )

    return DiskBytecodeCache()


JINJA_FILTERS_ALLOWED = (
    *("abs", "attr", "batch", "capitalize", "center", "count", "d", "default", "dictsort"),
    *("e", "escape", "first", "float", "forceescape", "format", "groupby", "indent", "int"),
    *("items", "join", "last", "length", "list", "lower", "map", "max", "min", "reject"),
    *("rejectattr", "replace", "reverse", "round", "safe", "select", "selectattr", "slice"),
    *("sort", "string", "striptags", "sum", "title", "trim", "truncate", "unique", "upper"),
    *("wordcount", "wordwrap"),
)
"""Jinja's own filters a template may use: text and list operations.  Left out:
``random`` and ``lipsum`` (outputs must not change between runs), ``pprint`` and
``tojson`` (they print an object's insides), ``urlize``, ``urlencode``, ``xmlattr``
and ``filesizeformat`` (no use in a brief)."""
JINJA_GLOBALS_ALLOWED = ("range", "dict", "namespace", "cycler", "joiner")

_DATE_ATTRIBUTES = frozenset({"year", "month", "day", "isoformat"})


def safe_attribute(obj: Any, attr: str) -> bool | None:
    """Whether a template may read ``obj.attr``: True, False, or None for "Jinja decides".

    Templates see the brief as data.  On a brief model (Pydantic) only its fields and
    the properties the model declares (``risk.score``) are visible: never a method
    (``parse_raw`` unpickles, ``parse_file`` reads any file), never ``model_*``,
    ``copy``, ``json``, ``dict``, ``schema``.  Dataclasses (the changes since a version)
    show their fields and declared properties; dates their parts.  Plain values (text,
    numbers, lists, mappings) and Jinja's own objects (``loop``) are left to Jinja's
    immutable sandbox; any other object shows nothing.
    """
    import dataclasses

    from pydantic import BaseModel

    if isinstance(obj, BaseModel):
        return attr in type(obj).model_fields or _declared_property(type(obj), attr)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        names = {field.name for field in dataclasses.fields(obj)}
        return attr in names or _declared_property(type(obj), attr)
    if isinstance(obj, dt.date):
        return attr in _DATE_ATTRIBUTES
    if isinstance(obj, _PLAIN_TYPES) or type(obj).__module__.startswith("jinja2"):
        return None
    return False


_PLAIN_TYPES = (str, int, float, bool, list, tuple, dict, set, frozenset, type(None))


def _declared_property(cls: type, attr: str) -> bool:
    """True for a ``@property`` that briefgen's own classes declare (not Pydantic's)."""
    if attr.startswith(("_", "model_")):
        return False
    for klass in cls.__mro__:
        if klass.__module__.startswith("briefgen.") and isinstance(
            klass.__dict__.get(attr), property
        ):
            return True
    return False


def safe_callable(obj: Any) -> bool:
    """No method of a brief model or dataclass, and no class but Jinja's own helpers
    (``namespace``, ``cycler``, ``joiner``) and ``dict``, may be called by a template;
    the view helpers and Jinja's own functions may."""
    import dataclasses

    from pydantic import BaseModel

    if isinstance(obj, type):
        return obj is dict or obj.__module__.startswith("jinja2.")
    owner = getattr(obj, "__self__", None)
    if isinstance(owner, BaseModel | type):
        return False
    return not (owner is not None and dataclasses.is_dataclass(owner))


@cache
def _bounded_sandbox_class() -> type[Environment]:
    """Jinja's immutable sandbox, showing brief models only as data (see
    :func:`safe_attribute`) and refusing ``*`` and ``**`` results too large to make.

    The memory limit of :func:`_template_limits` would stop them too, but only after
    allocating up to a gigabyte; checking the sizes first fails at once, and says why.
    """
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    class BoundedSandbox(ImmutableSandboxedEnvironment):
        intercepted_binops = frozenset({"*", "**"})

        def is_safe_attribute(self, obj: Any, attr: str, value: Any) -> bool:
            allowed = safe_attribute(obj, attr)
            if allowed is None:
                return bool(super().is_safe_attribute(obj, attr, value))
            return allowed

        def is_safe_callable(self, obj: Any) -> bool:
            return safe_callable(obj) and bool(super().is_safe_callable(obj))

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            _check_operands(operator, left, right)
            return super().call_binop(context, operator, left, right)

    return BoundedSandbox


def _check_operands(operator: str, left: Any, right: Any) -> None:
    """Refuse ``"x" * 10**10`` or ``10 ** 10**9`` before Python starts making them."""
    from jinja2.exceptions import SecurityError

    if operator == "*":
        for sized, count in ((left, right), (right, left)):
            if (
                isinstance(sized, str | list | tuple)
                and isinstance(count, int)
                and len(sized) * count > MAX_TEMPLATE_VALUE
            ):
                raise SecurityError(
                    f"{len(sized):,} x {count:,} is longer than the "
                    f"{MAX_TEMPLATE_VALUE:,} items a template may make"
                )
    elif (
        operator == "**"
        and isinstance(left, int)
        and isinstance(right, int)
        and abs(left) > 1
        and right > 0
        and abs(left).bit_length() * right > MAX_POWER_BITS
    ):
        raise SecurityError(f"{left} ** {right} is too large a number for a template")


MAX_TEMPLATE_BYTES = 1024 * 1024
"""The largest built-in template is about 10 KB; a template file a hundred times that is not one."""


def _contained_loader(search_path: list[Path]) -> Any:
    """A file loader that reads only regular files really inside the template folders.

    Jinja already refuses ``..`` in template names; this also refuses a file
    whose real path (symbolic links followed) lies outside every folder, so a
    template folder from someone else cannot ``{% include %}`` the user's files
    into a brief, and reads through :func:`briefgen.support.reading.read_regular_file`,
    so a FIFO or device named like a template is refused instead of blocking.
    """
    from jinja2 import BaseLoader, TemplateNotFound
    from jinja2.loaders import split_template_path

    roots = [path.resolve() for path in search_path]

    class ContainedLoader(BaseLoader):
        def get_source(
            self,
            environment: Environment,  # noqa: ARG002 (Jinja's signature)
            template: str,
        ) -> tuple[str, str, Callable[[], bool]]:
            pieces = split_template_path(template)  # refuses ".." itself
            for root in roots:
                candidate = root.joinpath(*pieces)
                if not candidate.exists():
                    continue
                real = candidate.resolve()
                if not any(real.is_relative_to(allowed) for allowed in roots):
                    raise TemplateNotFound(f"{template} (it lies outside the template folders)")
                return _template_source(candidate, template)
            raise TemplateNotFound(template)

    return ContainedLoader()


def _template_source(path: Path, name: str) -> tuple[str, str, Callable[[], bool]]:
    """The text of one template file, and how Jinja tells whether it changed since."""
    from jinja2 import TemplateNotFound

    try:
        text = read_regular_file(path, MAX_TEMPLATE_BYTES).decode("utf-8")
        modified = path.stat().st_mtime
    except OSError as error:
        raise TemplateNotFound(f"{name} ({error.strerror})") from None
    except UnicodeDecodeError:
        raise TemplateNotFound(f"{name} (it is not UTF-8 text)") from None

    def uptodate() -> bool:
        try:
            return path.stat().st_mtime == modified
        except OSError:
            return False

    return text, str(path), uptodate


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
    "assessed": view.assessed,
    "paragraphs": view.paragraphs,
    "shorten": view.shorten,
    "cite_notes": view.cite_notes,
    "decision_options": view.decision_options,
}

_GLOBALS: dict[str, Any] = {
    "date_range": view.date_range,
    "native": view.native,
    "marking_line": view.marking_line,
    "banner_line": view.banner_line,
    "party_names": view.party_names,
    "heat_grid": view.heat_grid,
    "field_change": view.field_change,
    "changes_in_words": changes_words.changes_in_words,
    "changes_since": changes_words.since,
    "change_counts": changes_words.counts,
    "risk_labels": view.risk_labels,
    "status_tones": view.STATUS_TONES,
    "portion_mark": view.portion_mark,
    "marked_prose": view.marked_prose,
    "quote_notes": view.quote_notes,
    "require_public": view.require_public,
    "select": view.select,
    "cite_speakers": view.cite_speakers,
    "referred": view.referred,
}
