"""Watch mode: rebuild briefs whenever their YAML, template or theme is saved.

The point of watch mode is the edit-look-edit loop, so everything expensive
stays warm in this one process: imports, the validated theme, the compiled
Jinja templates (they reload themselves when their files change) and the
parsed fonts.  A rebuild then costs only validation, composition and the
writers.  A save that does not validate prints its located errors and writes
nothing, so the last good outputs stay on disk.

Folders, not files, are watched: editors often save by writing a new file
and renaming it over the old one, which would end a watch on the file itself.
Events are then filtered down to the paths that matter, so writing the
outputs (or an editor's swap files) never triggers a rebuild.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from briefgen.build.pipeline import BuildRequest, reload_themes
from briefgen.compose.render import DEFAULT_TEMPLATE, template_search_path

Rebuild = Callable[[BuildRequest], None]
"""Builds one brief and reports the outcome (the CLI prints paths, sizes, times, errors)."""

TEMPLATE_SUFFIXES = (".j2", ".jinja", ".xml")


@dataclass(frozen=True, slots=True)
class WatchSet:
    """What to watch for a set of build requests, and which requests each change affects."""

    sources: frozenset[Path]
    themes: frozenset[Path]
    template_dirs: tuple[Path, ...]

    @classmethod
    def for_requests(cls, requests: Iterable[BuildRequest]) -> WatchSet:
        """Collect the YAML files, theme files and template folders of ``requests``."""
        requests = list(requests)
        template_dirs = {
            folder.resolve()
            for request in requests
            for folder in template_search_path(request.template or DEFAULT_TEMPLATE)
        }
        return cls(
            sources=frozenset(request.source.resolve() for request in requests),
            themes=frozenset(r.theme.resolve() for r in requests if r.theme is not None),
            template_dirs=tuple(sorted(template_dirs)),
        )

    def folders(self) -> list[Path]:
        """The folders to watch, each on its own (not recursively): the folders of the
        briefs and theme files, and every folder of the templates.

        Watching a brief's folder recursively could mean watching a whole home
        directory; templates are the only files looked for below a folder.
        """
        folders = {path.parent for path in self.sources | self.themes}
        for root in self.template_dirs:
            folders.add(root)
            folders.update(path for path in root.rglob("*") if path.is_dir())
        return sorted(folders)

    def is_relevant(self, path: Path) -> bool:
        """True for a brief, a theme file, or a template file inside a template folder."""
        path = path.resolve()
        return path in self.sources or path in self.themes or self._is_template(path)

    def affected(self, changed: Iterable[Path], requests: list[BuildRequest]) -> list[BuildRequest]:
        """The requests to rebuild: every one when a template or theme changed, else those
        whose own YAML changed, in the order they were given."""
        changed = {path.resolve() for path in changed}
        if any(path in self.themes or self._is_template(path) for path in changed):
            return requests
        return [request for request in requests if request.source.resolve() in changed]

    def _is_template(self, path: Path) -> bool:
        return path.suffix in TEMPLATE_SUFFIXES and any(
            path.is_relative_to(folder) for folder in self.template_dirs
        )


def watch_and_rebuild(
    requests: list[BuildRequest],
    rebuild: Rebuild,
    *,
    stop: threading.Event | None = None,
    ready: Callable[[WatchSet], None] | None = None,
) -> None:
    """Build every request once, then rebuild on each relevant save until stopped.

    Returns when ``stop`` is set or on Ctrl-C (watchfiles turns SIGINT into a
    clean stop when ``raise_interrupt`` is off). ``ready`` is called once the
    first builds are done and the watcher is about to start.
    """
    from watchfiles import watch

    # watchfiles logs "KeyboardInterrupt caught, stopping watch" as a warning;
    # the CLI says "stopped watching" itself.
    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    watch_set = WatchSet.for_requests(requests)
    for request in requests:
        rebuild(request)
    if ready is not None:
        ready(watch_set)
    for changes in watch(
        *watch_set.folders(),
        watch_filter=lambda _change, path: watch_set.is_relevant(Path(path)),
        stop_event=stop,
        raise_interrupt=False,
        recursive=False,
        debounce=150,
        step=40,
    ):
        changed = [Path(path) for _, path in changes]
        if any(path.resolve() in watch_set.themes for path in changed):
            reload_themes()
        for request in watch_set.affected(changed, requests):
            rebuild(request)
