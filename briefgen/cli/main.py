"""The ``briefgen`` command line.

``main(argv) -> int`` lets tests call the CLI without a subprocess; ``run()``
is the console-script entry point. Heavy modules (ReportLab, python-docx) are
imported inside the commands that need them so ``--help`` and ``validate``
start fast. Problems go to stderr as ``FILE:LINE:COL: error: PATH: message``.
"""

from __future__ import annotations

import atexit
import gc
import os
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from briefgen import __version__
from briefgen.writers import registry

if TYPE_CHECKING:
    from briefgen.build.pipeline import BuildRequest
    from briefgen.errors import Problem

EXIT_OK, EXIT_INVALID, EXIT_USAGE = 0, 1, 2

_REPORT_FORMAT = click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="How to report problems.",
)
_FILES = click.argument(
    "files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", "-V", prog_name="briefgen")
def cli() -> None:
    """Turn structured YAML policy briefs into polished PDF and DOCX."""


@cli.command()
@_FILES
@_REPORT_FORMAT
def validate(files: tuple[Path, ...], output_format: str) -> int:
    """Check briefs (and *.toml themes) for problems.

    Every problem is reported at once, located at its line and column.
    """
    from briefgen.errors import InvalidInputError
    from briefgen.validation import load_brief

    problems: list[Problem] = []
    for file in files:
        try:
            if file.suffix.lower() == ".toml":
                from briefgen.presentation.theme import load_theme

                load_theme(file)
            else:
                load_brief(file)
        except InvalidInputError as error:
            problems.extend(error.problems)
        else:
            if output_format == "text":
                click.echo(f"{file}: ok")
    _report(problems, output_format)
    return EXIT_INVALID if problems else EXIT_OK


@cli.command()
@_FILES
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--ignore-case", is_flag=True, help="Match quotes regardless of letter case.")
@click.option(
    "--sources-root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    metavar="DIR",
    help="A folder source paths may point into, besides the brief's own folder.",
)
@_REPORT_FORMAT
def check(
    files: tuple[Path, ...],
    strict: bool,
    ignore_case: bool,
    sources_root: Path | None,
    output_format: str,
) -> int:
    """Validate, then check quotes against their sources.

    Every quote must be found in its source's local text, and every key point, commitment
    and risk must cite a source (a source nobody cites is a warning). Source paths must
    lie inside the brief's folder or --sources-root.
    """
    from briefgen.checks.provenance import ProvenanceOptions, check_provenance
    from briefgen.errors import InvalidInputError
    from briefgen.loading.yaml_source import load_yaml_file
    from briefgen.validation import validate_loaded

    problems: list[Problem] = []
    options = ProvenanceOptions(ignore_case=ignore_case, sources_root=sources_root)
    for file in files:
        try:
            loaded = load_yaml_file(file)
            brief = validate_loaded(loaded)
        except InvalidInputError as error:
            problems.extend(error.problems)
            continue
        found = check_provenance(brief, loaded, file.resolve().parent, options)
        problems.extend(found)
        if output_format == "text" and not found:
            click.echo(f"{file}: ok")
    _report(problems, output_format)
    failing = [p for p in problems if p.severity == "error" or strict]
    return EXIT_INVALID if failing else EXIT_OK


@cli.command()
@click.argument("old", type=click.Path(dir_okay=False, path_type=Path))
@click.argument("new", type=click.Path(dir_okay=False, path_type=Path))
@_REPORT_FORMAT
def diff(old: Path, new: Path, output_format: str) -> int:
    """Show what changed between two versions.

    Items are matched by id (renames detected), key points and timeline entries by their
    text and named by their place counted from 0, as validate names them (summary[1]);
    every changed field is listed, changed text word by word: [-deleted-] {+inserted+}.
    """
    from briefgen.errors import InvalidInputError
    from briefgen.transforms.changes import diff_briefs, format_diff_text
    from briefgen.validation import load_brief

    problems: list[Problem] = []
    briefs = []
    for file in (old, new):
        try:
            briefs.append(load_brief(file))
        except InvalidInputError as error:
            problems.extend(error.problems)
    if problems:
        _report(problems, output_format)
        return EXIT_INVALID
    changes = diff_briefs(*briefs)
    if output_format == "json":
        import json  # only for --format json: --help need not load it

        click.echo(json.dumps(changes.as_json(), indent=2, ensure_ascii=False))
    else:
        click.echo(format_diff_text(changes), nl=False)
    return EXIT_OK


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--to", "to", multiple=True, required=True, help="Recipient (repeatable).")
@click.option("--cc", multiple=True, help="Copy recipient (repeatable).")
@click.option("--from", "sender", default=None, help="Sender address.")
@click.option(
    "-o",
    "--output",
    "eml",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the message (default: out/<name>.eml, out/<name>-<audience>.eml).",
)
@click.option("--attach-docx", is_flag=True, help="Attach the DOCX as well as the PDF.")
@click.option(
    "--template", default=None, help="Layout (default: the one for the brief's doc_type)."
)
@click.option("--theme", "theme_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--audience", default=None, metavar="NAME", help="Send this audience's variant.")
@click.option(
    "--max-size",
    type=click.FloatRange(min=0),
    default=10.0,
    show_default=True,
    help="Warn when the attachments pass this many megabytes.",
)
@click.option("--send", "do_send", is_flag=True, help="Send it through --smtp too.")
@click.option("--smtp", default=None, metavar="HOST:PORT", help="SMTP server for --send.")
@click.option("--starttls", is_flag=True, help="Upgrade the SMTP connection with STARTTLS.")
@click.option(
    "--user",
    default=None,
    help="SMTP login; the password comes from BRIEFGEN_SMTP_PASSWORD or a prompt.",
)
def email(
    file: Path,
    to: tuple[str, ...],
    cc: tuple[str, ...],
    sender: str | None,
    eml: Path | None,
    attach_docx: bool,
    template: str | None,
    theme_file: Path | None,
    audience: str | None,
    max_size: float,
    do_send: bool,
    smtp: str | None,
    starttls: bool,
    user: str | None,
) -> int:
    """Write (and send) an email with the PDF attached.

    The .eml is written first, so a failed send loses nothing.
    """
    from briefgen.build.output import check_not_input, write_atomically
    from briefgen.build.pipeline import (
        BuildRequest,
        render_brief,
        source_date_epoch,
        theme,
        variant_suffix,
    )
    from briefgen.delivery import mailer
    from briefgen.errors import BriefgenError, InvalidInputError

    if do_send and not smtp:
        raise click.UsageError("--send needs --smtp HOST:PORT")
    if do_send and not sender:
        raise click.UsageError("--send needs --from: mail servers refuse mail from nobody")
    unused = [
        name
        for name, value in (("--smtp", smtp), ("--user", user), ("--starttls", starttls))
        if value
    ]
    if unused and not do_send:
        raise click.UsageError(f"{', '.join(unused)} only apply with --send")
    try:
        envelope = mailer.Envelope(
            to=mailer.parse_addresses(to, "--to"),
            cc=mailer.parse_addresses(cc, "--cc") if cc else (),
            sender=mailer.parse_addresses([sender], "--from")[0] if sender else None,
        )
        server = mailer.parse_server(smtp) if smtp else None
    except mailer.MailError as error:
        raise click.UsageError(str(error)) from None
    formats = ("pdf", "docx") if attach_docx else ("pdf",)
    variant = variant_suffix(template, audience)
    target = eml or Path("out") / f"{file.stem}{variant}.eml"
    request = BuildRequest(file, target.parent, formats, template, theme_file, audience=audience)
    try:
        from briefgen.transforms.audience import for_audience
        from briefgen.validation import load_brief

        files = render_brief(request)
        brief = for_audience(load_brief(file), audience)
        locale = theme(theme_file).date_locale  # dates read as in the attached PDF
        message = mailer.build_message(brief, files, envelope, source_date_epoch(), locale)
        check_not_input(target, [file])
        write_atomically(target, message.as_bytes())
    except InvalidInputError as error:
        _report(error.problems, "text")
        return EXIT_INVALID
    except BriefgenError as error:
        click.echo(f"{file}: error: {error}", err=True)
        return EXIT_INVALID
    size = mailer.attachment_bytes(message)
    click.echo(f"wrote {target} ({_size(len(message.as_bytes()))}; to {', '.join(to)})")
    if size > max_size * 1_000_000:
        click.echo(
            f"warning: the attachments are {size / 1_000_000:.1f} MB encoded, more than "
            f"{max_size:g} MB; some mail servers refuse messages this large",
            err=True,
        )
    if not do_send or server is None:
        return EXIT_OK
    return _send(message, server, starttls, user, target)


def _send(
    message: Any, server: tuple[str, int], starttls: bool, user: str | None, saved: Path
) -> int:
    """Send the written message; on failure say so, and that the .eml is kept."""
    from briefgen.delivery import mailer

    password = None
    if user:
        password = os.environ.get("BRIEFGEN_SMTP_PASSWORD")
        if password is None:
            try:
                password = click.prompt(f"SMTP password for {user}", hide_input=True, err=True)
            except click.exceptions.Abort:
                click.echo(f"error: no password given; the message is kept in {saved}", err=True)
                return EXIT_INVALID
    settings = mailer.SmtpSettings(server[0], server[1], starttls, user, password)
    try:
        mailer.send(message, settings)
    except mailer.MailError as error:
        click.echo(f"error: {error}; the message is kept in {saved}", err=True)
        return EXIT_INVALID
    click.echo(f"sent through {server[0]}:{server[1]}")
    return EXIT_OK


def _report(problems: list[Problem], output_format: str) -> None:
    """Problems as JSON on stdout, or as located lines on stderr."""
    if output_format == "json":
        import json  # only for --format json: --help need not load it

        click.echo(json.dumps([problem.as_json() for problem in problems], indent=2))
        return
    for problem in problems:
        click.echo(problem.format(), err=True)


@cli.command()
@click.option("--theme", "of_theme", is_flag=True, help="The schema of a theme file instead.")
def schema(of_theme: bool) -> int:
    """Print the JSON Schema of a brief or a theme.

    The output is schemas/brief.schema.json, or with --theme schemas/theme.schema.json.
    """
    from briefgen.cli.schema import schema_text, theme_schema_text

    click.echo(theme_schema_text() if of_theme else schema_text(), nl=False)
    return EXIT_OK


@cli.command()
def templates() -> int:
    """List the layouts and themes you can choose."""
    from briefgen.compose.render import (
        DEFAULT_TEMPLATE,
        DOC_TYPE_LAYOUTS,
        builtin_templates,
        template_description,
    )
    from briefgen.support.resources import templates_root

    root = templates_root()
    click.echo("Layouts (build --template NAME):")
    for name in builtin_templates():
        default = " (default)" if name == DEFAULT_TEMPLATE else ""
        if name in DOC_TYPE_LAYOUTS.values():
            default = f" (default for doc_type: {name})"
        click.echo(f"  {name:<16} {template_description(root / name)}{default}")
    click.echo("  DIR              a folder with your own document.xml.j2, which may extend a")
    click.echo("                   layout block by block (see the README, 'Your own layout')")
    click.echo("Themes (build --theme FILE; copy one to start your own):")
    for theme_file in sorted((root / "themes").glob("*.toml")):
        click.echo(f"  {theme_file}")
    return EXIT_OK


@cli.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overwrite FILE if it exists.")
@click.option(
    "--doc-type",
    type=click.Choice(["briefing_memo", "info_memo", "action_memo", "policy_brief"]),
    default="briefing_memo",
    show_default=True,
    help="Start an action memo (decision, clearances) or a public policy brief (byline).",
)
def new(file: Path, force: bool, doc_type: str) -> int:
    """Write a commented starter brief to FILE."""
    from briefgen.build.output import write_atomically
    from briefgen.cli.starter import starter_text
    from briefgen.errors import BriefgenError

    if file.exists() and not force:
        click.echo(f"{file}: error: file exists; use --force to replace it", err=True)
        return EXIT_INVALID
    try:
        write_atomically(file, starter_text(file, doc_type).encode("utf-8"))
    except BriefgenError as error:
        click.echo(f"{file}: error: {error}", err=True)
        return EXIT_INVALID
    click.echo(f"wrote {file}; edit it, then run: briefgen build {file}")
    return EXIT_OK


@cli.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    "out",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="The brief to write (YAML).",
)
@click.option("--title", default=None, help="Title of the brief (else drawn from the sources).")
@click.option("--force", is_flag=True, help="Overwrite the output if it exists.")
def draft(sources: tuple[Path, ...], out: Path, title: str | None, force: bool) -> int:
    """Draft a brief from source files (.txt, .html, .pdf, .docx, .eml) for you to review.

    Sources that cannot be read are reported and skipped; the exit code is 1 only
    when none could be used (or the output exists without --force).
    """
    from briefgen.draft import write_draft
    from briefgen.errors import BriefgenError, InvalidInputError

    try:
        result = write_draft(list(sources), out, title, force)
    except InvalidInputError as error:  # the draft failed its own validation: a bug
        for problem in error.problems:
            click.echo(f"internal error in the draft: {problem.format()}", err=True)
        return EXIT_INVALID
    except BriefgenError as error:
        click.echo(f"{out}: error: {error}", err=True)
        return EXIT_INVALID
    for message in result.messages:
        click.echo(message, err=True)
    if not result.written:
        return EXIT_INVALID
    click.echo(f"wrote {out} from {result.used} source(s); review it, then: briefgen check {out}")
    return EXIT_OK


@cli.command()
@_FILES
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(registry.choices()),
    default=registry.ALL,
    show_default=True,
    help="Which outputs to write: "
    + ", ".join(f"{fmt.name} ({fmt.description})" for fmt in registry.FORMATS)
    + "; all: "
    + " and ".join(registry.default_names())
    + ".",
)
@click.option(
    "-o",
    "--output",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("out"),
    show_default=True,
    help="Folder for the outputs.",
)
@click.option(
    "--template",
    default=None,
    help="A built-in template name or a folder with document.xml.j2 (default: "
    "action_memo for an action memo, policy_brief for a policy brief, else briefing_memo); "
    "writes OUT/<name>-NAME.pdf, so it never replaces the default build.",
)
@click.option(
    "--theme",
    "theme_file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A theme file (TOML): fonts, sizes, colours, margins.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=1,
    show_default=True,
    help="Build this many briefs in parallel processes.",
)
@click.option(
    "--changes-since",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    metavar="OLD.yaml",
    help='Add a "Changes since version X" section listing what changed since OLD.yaml.',
)
@click.option(
    "--audience",
    default=None,
    metavar="NAME",
    help="Keep only the items for readers NAME (and untagged ones); writes OUT/<name>-NAME.pdf.",
)
@click.option(
    "--watch",
    is_flag=True,
    help="Keep running and rebuild whenever a brief, its template or its theme is saved.",
)
def build(
    files: tuple[Path, ...],
    output_format: str,
    out_dir: Path,
    template: str | None,
    theme_file: Path | None,
    jobs: int,
    changes_since: Path | None,
    audience: str | None,
    watch: bool,
) -> int:
    """Build the PDF and DOCX (or the format chosen with -f) of each brief.

    Writes OUT/<name>.pdf and OUT/<name>.docx (OUT/<name>.html with -f html), all or
    nothing, and prints each path, size and time. A --template or --audience variant is
    named apart, never over the default build: OUT/<name>-<layout>.pdf, OUT/<name>-<audience>.pdf.
    """
    from briefgen.build.pipeline import BuildRequest, check_distinct_outputs
    from briefgen.errors import BriefgenError

    formats = registry.expand(output_format)
    requests = [
        BuildRequest(
            file,
            out_dir,
            formats,
            template,
            theme_file,
            changes_since=changes_since,
            audience=audience,
        )
        for file in files
    ]
    try:
        check_distinct_outputs(requests)
    except BriefgenError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_INVALID
    if watch:
        if not gc.isenabled():  # run() turned it off; a long session needs it back,
            gc.freeze()  # but it need never scan what start-up made
            gc.enable()
        return _watch(requests)
    results = _run_builds(requests, jobs)
    for lines, ok in results:
        for line in lines:
            click.echo(line, err=not ok)
    return EXIT_OK if all(ok for _, ok in results) else EXIT_INVALID


def _watch(requests: list[BuildRequest]) -> int:
    """Rebuild on every save until Ctrl-C; the process stays warm between builds."""
    from briefgen.build.watch import WatchSet, watch_and_rebuild
    from briefgen.errors import BriefgenError

    for request in requests:
        if not request.source.is_file():
            click.echo(f"{request.source}: error: no such file", err=True)
            return EXIT_INVALID

    def rebuild(request: BuildRequest) -> None:
        stamp = time.strftime("%H:%M:%S")
        try:
            lines, ok = build_and_report(request)
        except Exception as error:  # a bug must not end the session the user is editing in
            lines, ok = [f"{request.source}: internal error: {error!r}"], False
        for line in lines:
            click.echo(f"[{stamp}] {line}", err=not ok)

    def ready(watch_set: WatchSet) -> None:
        count = len(watch_set.sources) + len(watch_set.themes)
        click.echo(
            f"watching {count} file(s) and {len(watch_set.template_dirs)} template folder(s); "
            "press Ctrl-C to stop"
        )

    try:
        watch_and_rebuild(requests, rebuild, ready=ready)
    except KeyboardInterrupt:  # Ctrl-C during a build, before the watcher handles it itself
        pass
    except BriefgenError as error:
        click.echo(f"error: {error}", err=True)
        return EXIT_INVALID
    click.echo("stopped watching")
    return EXIT_OK


def _run_builds(requests: list[BuildRequest], jobs: int) -> list[tuple[list[str], bool]]:
    """Build every request; with ``-j`` in worker processes.  One brief that crashes its
    worker (a bug, or the process killed for memory) is reported as that brief's failure:
    the others still build and report, and no traceback reaches the user."""
    if jobs == 1 or len(requests) == 1:
        return [_build_guarded(request) for request in requests]
    from briefgen.build import parallel

    with parallel.session(min(jobs, len(requests))) as pool:
        futures = [pool.submit(_build_guarded, request) for request in requests]
        return [
            _build_guarded(request) if future is None else _outcome(future, request)
            for future, request in zip(futures, requests, strict=True)
        ]


def _build_guarded(request: BuildRequest) -> tuple[list[str], bool]:
    """:func:`build_and_report`, with any unexpected exception turned into a failure line."""
    try:
        return build_and_report(request)
    except Exception as error:  # a bug must fail this brief only, and say so plainly
        return [f"{request.source}: internal error: {error!r}"], False


def _outcome(future: Any, request: BuildRequest) -> tuple[list[str], bool]:
    """A worker's result, or a failure line when the worker process itself died."""
    try:
        result: tuple[list[str], bool] = future.result()
    except Exception as error:  # BrokenProcessPool: the worker was killed mid-build
        reason = str(error) or type(error).__name__
        return [f"{request.source}: internal error: the build process stopped ({reason})"], False
    return result


def build_and_report(request: BuildRequest) -> tuple[list[str], bool]:
    """Build one brief and return the lines to print and whether it succeeded.

    Runs in worker processes with ``-j``, so it returns text instead of printing.
    """
    from briefgen.build.pipeline import build_brief, embedding_warnings
    from briefgen.errors import BriefgenError, InvalidInputError

    started = time.perf_counter()
    try:
        built = build_brief(request)
    except InvalidInputError as error:
        return [problem.format() for problem in error.problems], False
    except BriefgenError as error:
        return [f"{request.source}: error: {error}"], False
    lines = embedding_warnings(request) + [
        f"wrote {item.path} ({_size(item.size)}, {item.seconds * 1000:.0f} ms)" for item in built
    ]
    lines.append(f"built {request.source} in {(time.perf_counter() - started) * 1000:.0f} ms")
    return lines, True


def _size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MiB"


def main(argv: list[str] | None = None) -> int:
    """Run the CLI and return its exit code instead of exiting."""
    try:
        result = cli.main(args=argv, prog_name="briefgen", standalone_mode=False)
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return EXIT_INVALID
    return result if isinstance(result, int) else EXIT_OK


def run() -> None:
    """Console-script entry point: a one-shot process, so it skips work only a long-lived
    one needs.

    The cyclic garbage collector is off: a build allocates hundreds of thousands of
    objects (parsed fonts, the document, layout), so the collector ran hundreds of
    times and took a quarter of a cold build's CPU, to free almost nothing before the
    process ends anyway (``--watch`` turns it back on). And once everything is written
    (every output closed and synced, the command's worker processes stopped by
    :mod:`briefgen.build.parallel`) the process leaves without the interpreter's
    teardown, which freed every module one object at a time (about 150 ms). Pydantic
    is told not to look for plugins, a scan of every installed package's entry points
    (about 7 ms) for plugins briefgen never uses; a value the user set is kept.
    """
    gc.disable()
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    leave(main())


def leave(code: int) -> NoReturn:
    """Exit with ``code`` after the exit handlers and flushing stdout and stderr, without
    the interpreter's teardown; if the streams cannot be flushed (a closed pipe), exit the
    usual way so Python reports it as it always does."""
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        sys.exit(code)
    os._exit(code)
