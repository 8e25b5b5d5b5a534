"""briefgen benchmark: cold and warm timings side by side with the import floor and peers.

Run it with ``make bench`` (or ``.venv/bin/python bench/bench.py``).  Everything
is measured in one run on one machine so the ratios mean something even on a
shared, noisy machine: each figure is the median of ``--repeat`` runs.

* cold: a whole ``briefgen`` process, as a user runs it; peak memory is that
  process's maximum resident set size (``os.wait4``).
* warm: in this process after one warm-up build, as ``build --watch`` rebuilds.
* floor: ``python -c "import reportlab.platypus, docx, pydantic, jinja2"``.
* peers, where installed: pandoc (Markdown to DOCX) and typst (to PDF) on the
  same content as the sample brief, generated from it.
* scaling: briefs 10x and 50x the sample, built warm.
* parallel: eight briefs built cold with ``-j 1`` and ``-j 2``.
"""

from __future__ import annotations

import argparse
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


# --- measuring ------------------------------------------------------------------------------


def cold(
    argv: Sequence[str], repeat: int, environment: dict[str, str] | None = None
) -> tuple[float, float]:
    """Median wall time and the largest peak RSS of ``repeat`` runs of a whole process."""
    times, peaks = [], []
    env = {**os.environ, **(environment or {})}
    for _ in range(repeat):
        started = time.perf_counter()
        process = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(process.pid, 0)
        times.append(time.perf_counter() - started)
        process.returncode = os.waitstatus_to_exitcode(status)
        assert process.stderr is not None
        error = process.stderr.read().decode(errors="replace")
        process.stderr.close()
        if process.returncode != 0:
            raise SystemExit(f"bench: {' '.join(argv)} failed ({process.returncode}):\n{error}")
        peaks.append(usage.ru_maxrss / 1024)
    return statistics.median(times), max(peaks)


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


def run(repeat: int, out: Path) -> list[Figure]:
    """Measure everything; return the figures in report order."""
    python = sys.executable
    briefgen = [python, "-m", "briefgen"]
    sample = str(SAMPLE)
    figures: list[Figure] = []

    def add_cold(name: str, argv: Sequence[str], note: str = "") -> Figure:
        seconds, peak = cold(argv, repeat)
        figure = Figure(name, seconds, peak, note)
        figures.append(figure)
        print(f"  measured {name}: {seconds * 1000:.0f} ms", file=sys.stderr)
        return figure

    add_cold("python startup", [python, "-c", "pass"])
    add_cold("import floor", [python, "-c", FLOOR])
    add_cold("cold briefgen --help", [*briefgen, "--help"])
    add_cold("cold validate", [*briefgen, "validate", sample])
    for label, fmt in (("pdf", "pdf"), ("docx", "docx"), ("both", "all")):
        add_cold(f"cold build {label}", [*briefgen, "build", sample, "-f", fmt, "-o", str(out)])
    # The DOCX carries font subsets; they are cached on disk, so a first build (or one
    # with the cache off) pays for making them and later builds do not.
    seconds, peak = cold(
        [*briefgen, "build", sample, "-f", "docx", "-o", str(out)],
        repeat,
        {"BRIEFGEN_NO_CACHE": "1"},
    )
    size = (out / f"{SAMPLE.stem}.docx").stat().st_size
    figures.append(
        Figure("cold build docx, no cache", seconds, peak, f"DOCX {size / 1024:.0f} KiB")
    )
    figures += peers(repeat, out)
    # Cold runs first: Linux keeps a forked child's peak RSS from before exec, so
    # children of a bench process grown by the warm builds would report its size.
    figures += parallel_figures(out)
    figures += warm_figures(repeat, out)
    return figures


def peers(repeat: int, out: Path) -> list[Figure]:
    """pandoc and typst on the same content, when installed."""
    from briefgen.validation import load_brief

    brief = load_brief(SAMPLE)
    figures = []
    markdown = out / "sample.md"
    markdown.write_text(brief_as_markdown(brief), encoding="utf-8")
    if shutil.which("pandoc"):
        argv = ["pandoc", str(markdown), "-o", str(out / "pandoc.docx")]
        seconds, peak = cold(argv, repeat)
        figures.append(Figure("pandoc md->docx", seconds, peak, "peer"))
    typst_source = out / "sample.typ"
    typst_source.write_text(brief_as_typst(brief), encoding="utf-8")
    fonts = str(REPO / "templates" / "fonts")
    if shutil.which("typst"):
        argv = ["typst", "compile", "--font-path", fonts, str(typst_source), str(out / "t.pdf")]
        seconds, peak = cold(argv, repeat)
        figures.append(Figure("typst compile", seconds, peak, "peer (CLI)"))
    elif _importable("typst"):
        script = (
            f"import typst; typst.compile({str(typst_source)!r}, "
            f"output={str(out / 't.pdf')!r}, font_paths=[{fonts!r}])"
        )
        seconds, peak = cold([sys.executable, "-c", script], repeat)
        figures.append(Figure("typst compile", seconds, peak, "peer (typst-py, incl. Python)"))
    return figures


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


def parallel_figures(out: Path) -> list[Figure]:
    """Eight copies of the sample built cold in one command, one and two processes."""
    folder = out / "many"
    folder.mkdir(exist_ok=True)
    copies = []
    for index in range(8):
        target = folder / f"brief-{index}.yaml"
        shutil.copy(SAMPLE, target)
        copies.append(str(target))
    shutil.copytree(SAMPLE.parent / "sources", folder / "sources", dirs_exist_ok=True)
    figures = []
    argv = [sys.executable, "-m", "briefgen", "build", *copies, "-o", str(folder / "out")]
    runs: tuple[tuple[str, list[str], dict[str, str]], ...] = (
        ("cold build 8 briefs, one core", ["-j", "1"], {"BRIEFGEN_NO_HELPER": "1"}),
        ("cold build 8 briefs -j 1", ["-j", "1"], {}),
        ("cold build 8 briefs -j 2", ["-j", "2"], {}),
    )
    for name, options, environment in runs:
        seconds, peak = cold([*argv, *options], 1, environment)
        figures.append(Figure(name, seconds, peak))
    return figures


def report(figures: list[Figure]) -> list[str]:
    """The table of figures with ratios to the import floor, then the targets."""
    by_name = {figure.name: figure for figure in figures}
    floor = by_name["import floor"].seconds
    lines = [f"{'what':<34} {'median':>10} {'x floor':>8} {'peak MiB':>9}  note", "-" * 78]
    for figure in figures:
        if figure.seconds:
            time_text = f"{figure.seconds * 1000:8.1f} ms"
            ratio = f"{figure.seconds / floor:8.2f}"
        else:
            time_text, ratio = f"{'':>11}", f"{'':>8}"
        peak = f"{figure.peak_mib:9.0f}" if figure.peak_mib is not None else f"{'':>9}"
        lines.append(f"{figure.name:<34} {time_text} {ratio} {peak}  {figure.note}")
    lines += ["", "targets:", *targets(by_name, floor)]
    return lines


def targets(by_name: dict[str, Figure], floor: float) -> list[str]:
    """Each target of issue 8 with the measured value and whether it is met."""
    warm_both = by_name["warm build both"].seconds
    x50 = by_name["warm build both x50"].seconds
    one_core = by_name["cold build 8 briefs, one core"].seconds
    j2 = by_name["cold build 8 briefs -j 2"].seconds
    checks = [
        ("cold build both <= 1.3x floor", by_name["cold build both"].seconds / floor, 1.3, "x"),
        ("cold validate <= 0.5x floor", by_name["cold validate"].seconds / floor, 0.5, "x"),
        ("warm build both < 60 ms", warm_both * 1000, 60.0, " ms"),
        ("x50 content <= 50x warm time", x50 / warm_both, 50.0, "x"),
        ("-j 2 faster than one core (8 briefs)", j2 / one_core, 0.8, "x of one core"),
    ]
    return [
        f"  {'met ' if value <= limit else 'MISS'}  {name:<36} measured {value:.2f}{unit}"
        for name, value, limit, unit in checks
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--repeat", type=int, default=7, help="runs per figure (median)")
    args = parser.parse_args()
    sys.path.insert(0, str(REPO))
    with tempfile.TemporaryDirectory(prefix="briefgen-bench-") as folder:
        figures = run(args.repeat, Path(folder))
    print("\n".join([*machine(), f"runs:    median of {args.repeat}", "", *report(figures)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
