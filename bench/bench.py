"""briefgen benchmark: cold and warm timings side by side with the import floor and peers.

Run it with ``make bench`` (or ``.venv/bin/python bench/bench.py``).  Everything
is measured in one run on one machine so the ratios mean something even on a
shared, noisy machine: each figure is the median of ``--repeat`` runs, and the
cold runs are interleaved (one of each, then again), so a busy spell on the
machine falls on every row alike rather than on one.

* cold: a whole ``briefgen`` process, as a user runs it, with briefgen's
  bytecode compiled (as ``pip install`` leaves it); wall time, CPU time (user
  plus system, of the process and the workers it reaped) and peak memory, that
  process's maximum resident set size (``os.wait4``).
* warm: in this process after one warm-up build, as ``build --watch`` rebuilds.
* floor: ``python -c "import reportlab.platypus, docx, pydantic, jinja2"``.
* peers, where installed: pandoc (Markdown to DOCX) and typst (to PDF) on the
  same content as the sample brief, generated from it, and RenderCV rendering
  its own sample CV (``--rendercv PATH``, or ``rendercv`` on the PATH; see
  bench/README.md for installing it beside, not into, briefgen's environment).
* scaling: briefs 10x and 50x the sample, built warm.
* parallel: eight briefs built cold on one core, with ``-j 1`` and ``-j 2``.
"""

from __future__ import annotations

import argparse
import compileall
import copy
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from importlib import metadata
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "inputs" / "seoul-trilateral-2024-10-16.yaml"
FLOOR = "import reportlab.platypus, docx, pydantic, jinja2"


@dataclass(frozen=True)
class Figure:
    """One measured row: median seconds over the runs and peak memory in MiB."""

    name: str
    seconds: float
    peak_mib: float | None = None
    note: str = ""
    cpu: float | None = None
    """Median CPU seconds (user + system, with reaped children), for whole processes."""


@dataclass(frozen=True)
class Case:
    """One whole process to time: its command, extra environment, and CPUs it may use."""

    name: str
    argv: Sequence[str]
    environment: dict[str, str] | None = None
    note: str = ""
    cpus: frozenset[int] | None = None
    cwd: Path | None = None


# --- measuring ------------------------------------------------------------------------------


def cold_interleaved(cases: Sequence[Case], repeat: int) -> list[Figure]:
    """Every case once, then every case again, ``repeat`` times; one figure per case."""
    runs: dict[str, list[tuple[float, float, float]]] = {case.name: [] for case in cases}
    for round_number in range(repeat):
        for case in cases:
            runs[case.name].append(_one_run(case))
        print(f"  cold round {round_number + 1} of {repeat}", file=sys.stderr)
    figures = []
    for case in cases:
        wall, cpu, peak = _medians(runs[case.name])
        figures.append(Figure(case.name, wall, peak, case.note, cpu))
    return figures


def _medians(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    return (
        statistics.median(run[0] for run in runs),
        statistics.median(run[1] for run in runs),
        max(run[2] for run in runs),
    )


def _one_run(case: Case) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds and peak RSS (MiB) of one run of ``case``."""
    env = {**os.environ, **(case.environment or {})}
    cpus = case.cpus
    started = time.perf_counter()
    process = subprocess.Popen(
        case.argv,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=case.cwd,
        preexec_fn=(lambda: os.sched_setaffinity(0, cpus)) if cpus else None,
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    assert process.stderr is not None
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if process.returncode != 0:
        raise SystemExit(f"bench: {' '.join(case.argv)} failed ({process.returncode}):\n{error}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def warm(function: Callable[[], object], repeat: int) -> float:
    """Median time of ``function`` after one warm-up call, in this process."""
    function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


# --- equivalent content for the peers ------------------------------------------------------


def brief_as_markdown(brief: Any) -> str:
    """The sample's content as Markdown (what a user of pandoc would write by hand)."""
    lines = [f"# {brief.meta.title}", "", f"*{brief.meta.subtitle or ''}*", "", "## Key points"]
    lines += [f"- {point.text}" for point in brief.summary]
    lines += ["", "## Context", "", brief.context.background, "", "### Timeline", ""]
    lines += [f"- **{entry.date}** {entry.event}" for entry in brief.context.timeline]
    lines += ["", "## Participants", "", "| Name | Title | Country |", "|---|---|---|"]
    lines += [
        f"| {p.name} {p.native_name or ''} | {p.title} | {p.country} |" for p in brief.participants
    ]
    lines += ["", "## Agenda"]
    for item in brief.agenda:
        lines += ["", f"### {item.title}", "", item.objective or "", "", item.discussion or ""]
        lines += [f"- {point}" for point in [*item.points, *item.talking_points]]
    lines += ["", "## Commitments", "", "| Commitment | Kind | Status |", "|---|---|---|"]
    lines += [f"| {c.text} | {c.kind} | {c.status} |" for c in brief.commitments]
    lines += ["", "## Risks", "", "| Risk | L | I | Score |", "|---|---|---|---|"]
    lines += [f"| {r.title} | {r.likelihood} | {r.impact} | {r.score} |" for r in brief.risks]
    lines += ["", "## Sources", ""]
    lines += [f"{n}. {s.title}, {s.publisher or ''}." for n, s in enumerate(brief.sources, 1)]
    return "\n".join(lines) + "\n"


def brief_as_typst(brief: Any) -> str:
    """The sample's content as Typst markup, with the bundled fonts for Korean and Japanese."""

    def esc(text: str) -> str:
        return "".join("\\" + c if c in "\\#*_`$<>@[]=-+/~" else c for c in text)

    def row(*cells: object) -> str:
        return ", ".join(f"[{esc(str(cell))}]" for cell in cells) + ","

    lines = [
        '#set text(font: ("Noto Serif", "NanumGothic", "IPAGothic"), size: 10.5pt)',
        '#set page(paper: "a4", footer: context [#counter(page).display("1 of 1", both: true)])',
        f"= {esc(brief.meta.title)}",
        "== Key points",
    ]
    lines += [f"- {esc(point.text)}" for point in brief.summary]
    lines += ["== Context", esc(brief.context.background), "=== Timeline"]
    lines += [f"- *{entry.date}* {esc(entry.event)}" for entry in brief.context.timeline]
    lines += ["== Participants", "#table(columns: 3,"]
    people = brief.participants
    lines += [row(f"{p.name} {p.native_name or ''}", p.title, p.country) for p in people]
    lines += [")", "== Agenda"]
    for item in brief.agenda:
        lines += [f"=== {esc(item.title)}", esc(item.objective or ""), esc(item.discussion or "")]
        lines += [f"- {esc(point)}" for point in [*item.points, *item.talking_points]]
    lines += ["== Commitments", "#table(columns: 3,"]
    lines += [row(c.text, c.kind, c.status) for c in brief.commitments]
    lines += [")", "== Risks", "#table(columns: 4,"]
    lines += [row(r.title, r.likelihood, r.impact, r.score) for r in brief.risks]
    lines += [")", "== Sources"]
    lines += [f"+ {esc(s.title)}, {esc(s.publisher or '')}." for s in brief.sources]
    return "\n\n".join(lines) + "\n"


# --- scaled briefs --------------------------------------------------------------------------

_SCALED_SECTIONS = ("participants", "agenda", "commitments", "risks", "sources")


def scaled_brief(data: dict[str, Any], factor: int) -> dict[str, Any]:
    """The sample ``factor`` times over: every list section and the background repeated,
    ids (and the refs and parties that point at them) suffixed so they stay unique."""
    scaled = copy.deepcopy(data)
    for section in _SCALED_SECTIONS:
        scaled[section] = [
            _renamed(item, copy_number, data)
            for copy_number in range(factor)
            for item in data.get(section, [])
        ]
    context = scaled.setdefault("context", {})
    context["background"] = "\n\n".join([data["context"]["background"]] * factor)
    context["timeline"] = data["context"].get("timeline", []) * factor
    return scaled


def _renamed(item: dict[str, Any], copy_number: int, data: dict[str, Any]) -> dict[str, Any]:
    if copy_number == 0:
        return copy.deepcopy(item)
    ids = {entry["id"] for section in _SCALED_SECTIONS for entry in data.get(section, [])}
    suffix = f"-copy{copy_number}"
    item = copy.deepcopy(item)
    item["id"] += suffix
    item["parties"] = [p + suffix if p in ids else p for p in item.get("parties", [])] or None
    item["sources"] = [_renamed_ref(ref, suffix) for ref in item.get("sources", [])] or None
    return {key: value for key, value in item.items() if value is not None}


def _renamed_ref(ref: Any, suffix: str) -> Any:
    if isinstance(ref, str):
        return ref + suffix
    return {**ref, "id": ref["id"] + suffix}


def write_scaled(folder: Path, factor: int) -> Path:
    """Write the sample scaled by ``factor`` and check that it validates."""
    from ruamel.yaml import YAML

    from briefgen.loading.yaml_source import load_yaml_file
    from briefgen.validation import load_brief

    data = load_yaml_file(SAMPLE).data
    for source in data.get("sources", []):
        if "path" in source:
            source["path"] = str((SAMPLE.parent / source["path"]).resolve())
    path = folder / f"sample-x{factor}.yaml"
    with path.open("w", encoding="utf-8") as stream:
        YAML(typ="safe", pure=True).dump(scaled_brief(data, factor), stream)
    load_brief(path)
    return path


# --- the run --------------------------------------------------------------------------------


def machine() -> list[str]:
    """A description of this machine and the versions that matter."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        models = [
            line.split(":", 1)[1].strip()
            for line in cpuinfo.read_text().splitlines()
            if line.startswith("model name")
        ]
        cpu = models[0] if models else cpu
    versions = ", ".join(
        f"{name} {metadata.version(name)}"
        for name in ("reportlab", "python-docx", "pydantic", "jinja2", "ruamel.yaml")
    )
    return [
        f"machine: {platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores",
        f"python:  {platform.python_version()} ({sys.executable})",
        f"libs:    {versions}",
    ]


def run(repeat: int, out: Path, rendercv: Path | None) -> list[Figure]:
    """Measure everything; return the figures in report order."""
    python = sys.executable
    briefgen = [python, "-m", "briefgen"]
    sample = str(SAMPLE)
    build = [*briefgen, "build", sample, "-o", str(out)]
    one_core = frozenset({min(os.sched_getaffinity(0))})
    cases = [
        Case("python startup", [python, "-c", "pass"]),
        Case("import floor", [python, "-c", FLOOR]),
        Case("cold briefgen --help", [*briefgen, "--help"]),
        Case("cold validate", [*briefgen, "validate", sample]),
        Case("cold build pdf", [*build, "-f", "pdf"]),
        Case("cold build docx", [*build, "-f", "docx"]),
        Case("cold build both", build),
        Case("cold build both, one core", build, cpus=one_core),
        # Font parses, subsets and compiled templates are cached on disk; a first
        # build (or one with the cache off) pays for making them.
        Case("cold build both, no cache", build, {"BRIEFGEN_NO_CACHE": "1"}),
        *peer_cases(out, rendercv),
    ]
    figures = cold_interleaved(cases, repeat)
    # Cold runs first: Linux keeps a forked child's peak RSS from before exec, so
    # children of a bench process grown by the warm builds would report its size.
    figures += parallel_figures(out, max(1, repeat // 3))
    figures += warm_figures(repeat, out)
    return figures


def peer_cases(out: Path, rendercv: Path | None) -> list[Case]:
    """pandoc and typst on the same content, and RenderCV on its own sample, when installed."""
    # Their inputs are written by a child process: loading the brief here would grow this
    # process, and Linux reports a child's peak RSS from before it replaced itself.
    subprocess.run([sys.executable, __file__, "--peer-inputs", str(out)], check=True)
    cases = []
    markdown = out / "sample.md"
    if shutil.which("pandoc"):
        argv = ["pandoc", str(markdown), "-o", str(out / "pandoc.docx")]
        cases.append(Case("pandoc md->docx", argv, note="peer"))
    typst_source = out / "sample.typ"
    fonts = str(REPO / "templates" / "fonts")
    if shutil.which("typst"):
        argv = ["typst", "compile", "--font-path", fonts, str(typst_source), str(out / "t.pdf")]
        cases.append(Case("typst compile", argv, note="peer (CLI)"))
    elif _importable("typst"):
        script = (
            f"import typst; typst.compile({str(typst_source)!r}, "
            f"output={str(out / 't.pdf')!r}, font_paths=[{fonts!r}])"
        )
        argv = [sys.executable, "-c", script]
        cases.append(Case("typst compile", argv, note="peer (typst-py, incl. Python)"))
    rendercv = rendercv or _which("rendercv") or install_rendercv()
    if rendercv is not None:
        try:
            cases.append(rendercv_case(rendercv, out / "rendercv"))
        except (subprocess.CalledProcessError, ValueError, StopIteration) as error:
            print(
                f"  rendercv left out: it cannot render its sample here ({error})", file=sys.stderr
            )
    return cases


PEERS = Path(tempfile.gettempdir()) / "briefgen-bench-peers"
"""Where the bench installs peers that are Python packages: their own virtual
environments, never briefgen's (their dependencies would change what it measures)."""


def install_rendercv() -> Path | None:
    """RenderCV in a virtual environment of its own, installed from the package registry
    on first use; None (and the row left out) when it cannot be installed."""
    folder = PEERS / "rendercv"
    program = folder / "bin" / "rendercv"
    if not program.exists():
        print(f"  installing RenderCV into {folder} (once)", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "venv", str(folder)], check=True)
            pip = [str(folder / "bin" / "python"), "-m", "pip", "install", "--quiet"]
            # rendercv[full] 2.3 imports click without requiring it.
            subprocess.run([*pip, "rendercv[full]", "click"], check=True, capture_output=True)
        except (subprocess.CalledProcessError, OSError) as error:
            print(f"  rendercv left out: it could not be installed ({error})", file=sys.stderr)
            return None
    return program


def write_peer_inputs(out: Path) -> None:
    """The sample's content as Markdown (for pandoc) and Typst markup (for typst)."""
    from briefgen.validation import load_brief

    brief = load_brief(SAMPLE)
    (out / "sample.md").write_text(brief_as_markdown(brief), encoding="utf-8")
    (out / "sample.typ").write_text(brief_as_typst(brief), encoding="utf-8")


def _which(program: str) -> Path | None:
    found = shutil.which(program)
    return Path(found) if found else None


def rendercv_case(rendercv: Path, folder: Path) -> Case:
    """RenderCV rendering the sample CV it writes itself (``rendercv new``) to PDF only:
    the nearest peer, a Python tool from validated YAML through templates to a PDF."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([str(rendercv), "new", "Jane Doe"], cwd=folder, check=True, capture_output=True)
    (source,) = folder.glob("*_CV.yaml")
    skip = ["--dont-generate-markdown", "--dont-generate-html", "--dont-generate-png"]
    argv = [str(rendercv), "render", str(source), *skip]
    subprocess.run(argv, cwd=folder, check=True, capture_output=True)  # its own caches warm
    pages = _pdf_pages(next((folder / "rendercv_output").glob("*.pdf")))
    note = f"peer, {pages} pages PDF"
    return Case("rendercv render (its sample)", argv, note=note, cwd=folder)


def _importable(module: str) -> bool:
    from importlib.util import find_spec

    return find_spec(module) is not None


def warm_figures(repeat: int, out: Path) -> list[Figure]:
    """In-process timings with every cache warm, as watch mode rebuilds."""
    from briefgen.build.pipeline import BuildRequest, build_brief
    from briefgen.validation import load_brief

    figures = [Figure("warm validate", warm(lambda: load_brief(SAMPLE), repeat))]
    for label, formats in (("pdf", ("pdf",)), ("docx", ("docx",)), ("both", ("pdf", "docx"))):
        request = BuildRequest(SAMPLE, out / "warm", formats)
        seconds = warm(partial(build_brief, request), repeat)
        figures.append(Figure(f"warm build {label}", seconds))
    for factor in (10, 50):
        path = write_scaled(out, factor)
        request = BuildRequest(path, out / "warm", ("pdf", "docx"))
        seconds = warm(partial(build_brief, request), max(3, repeat // 2))
        pages = _pdf_pages(out / "warm" / f"{path.stem}.pdf")
        figures.append(Figure(f"warm build both x{factor}", seconds, note=f"{pages} pages"))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    figures.append(Figure("bench process peak (after x50)", 0.0, peak))
    return figures


def _pdf_pages(path: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(path).pages)


def parallel_figures(out: Path, repeat: int) -> list[Figure]:
    """Eight copies of the sample built cold in one command: on one core, then with
    ``-j 1`` (one after the other) and ``-j 2`` (two worker processes)."""
    folder = out / "many"
    folder.mkdir(exist_ok=True)
    copies = []
    for index in range(8):
        target = folder / f"brief-{index}.yaml"
        shutil.copy(SAMPLE, target)
        copies.append(str(target))
    shutil.copytree(SAMPLE.parent / "sources", folder / "sources", dirs_exist_ok=True)
    argv = [sys.executable, "-m", "briefgen", "build", *copies, "-o", str(folder / "out")]
    one_core = frozenset({min(os.sched_getaffinity(0))})
    cases = [
        Case("cold build 8 briefs, one core", [*argv, "-j", "1"], cpus=one_core),
        Case("cold build 8 briefs -j 1", [*argv, "-j", "1"]),
        Case("cold build 8 briefs -j 2", [*argv, "-j", "2"]),
    ]
    return cold_interleaved(cases, repeat)


def report(figures: list[Figure]) -> list[str]:
    """The table of figures with ratios to the import floor (wall and CPU), then the targets."""
    by_name = {figure.name: figure for figure in figures}
    floor = by_name["import floor"]
    head = f"{'what':<34} {'wall':>10} {'x floor':>7} {'CPU':>10} {'x floor':>7} {'MiB':>5}  note"
    lines = [head, "-" * 88]
    for figure in figures:
        wall, wall_ratio = _time_and_ratio(figure.seconds or None, floor.seconds)
        cpu, cpu_ratio = _time_and_ratio(figure.cpu, floor.cpu)
        peak = f"{figure.peak_mib:5.0f}" if figure.peak_mib is not None else f"{'':>5}"
        lines.append(
            f"{figure.name:<34} {wall} {wall_ratio} {cpu} {cpu_ratio} {peak}  {figure.note}"
        )
    lines += ["", "targets (issue 21):", *targets(by_name)]
    return lines


def _time_and_ratio(seconds: float | None, floor: float | None) -> tuple[str, str]:
    if not seconds:
        return f"{'':>10}", f"{'':>7}"
    ratio = f"{seconds / floor:7.2f}" if floor else f"{'':>7}"
    return f"{seconds * 1000:7.1f} ms", ratio


def targets(by_name: dict[str, Figure]) -> list[str]:
    """Each target of issue 21 with the measured value (wall and CPU) and whether it is met."""
    floor = by_name["import floor"]
    lines = []
    for name, limit in (
        ("cold build both", 1.6),
        ("cold validate", 0.5),
        ("cold briefgen --help", 0.2),
    ):
        figure = by_name[name]
        wall = figure.seconds / floor.seconds
        cpu = figure.cpu / floor.cpu if figure.cpu and floor.cpu else float("nan")
        verdict = "met " if wall <= limit else "MISS"
        lines.append(
            f"  {verdict}  {name + f' <= {limit}x floor':<38} wall {wall:.2f}x, CPU {cpu:.2f}x"
        )
    x10 = by_name["warm build both x10"].seconds
    x50 = by_name["warm build both x50"].seconds
    linear = x50 / x10
    verdict = "met " if linear <= 5.5 else "MISS"
    lines.append(f"  {verdict}  {'x50 within 5.5x of x10 (linear)':<38} measured {linear:.2f}x")
    one_core = by_name["cold build 8 briefs, one core"].seconds
    j2 = by_name["cold build 8 briefs -j 2"].seconds
    verdict = "met " if j2 / one_core <= 0.8 else "MISS"
    lines.append(
        f"  {verdict}  {'-j 2 faster than one core (8 briefs)':<38} "
        f"measured {j2 / one_core:.2f}x of one core"
    )
    warm_both = by_name["warm build both"].seconds
    lines.append(
        f"  info  {'warm build both':<38} {warm_both * 1000:.1f} ms "
        "(compare with the figure before in bench/README.md)"
    )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    parser.add_argument(
        "--rendercv", type=Path, default=None, help="the rendercv program, for the peer row"
    )
    parser.add_argument("--peer-inputs", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    if args.peer_inputs is not None:
        write_peer_inputs(args.peer_inputs)
        return 0
    compileall.compile_dir(REPO / "briefgen", quiet=1)  # as an installed package has it
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as folder:
        figures = run(args.repeat, Path(folder), args.rendercv)
    print("\n".join([*machine(), f"runs:    median of {args.repeat}", "", *report(figures)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
