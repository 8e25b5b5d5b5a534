"""Problems found in user input, and the one exception base class of briefgen.

Every user-facing failure is a :class:`Problem` with a location so the CLI can
print ``FILE:LINE:COL: error: PATH: message`` lines instead of tracebacks.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Problem:
    """One located problem in an input file.

    ``line`` and ``column`` are 1-based; 0 means the position is unknown (for
    example a file that could not be read at all). ``path`` is the dotted key
    path inside the brief (``participants[0].role``), empty for whole-file problems.
    """

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: Severity = "error"

    def format(self) -> str:
        """Render as the compiler-style line editors and CI logs understand."""
        where = f"{self.file}:{self.line}:{self.column}" if self.line else self.file
        subject = f"{self.path}: " if self.path else ""
        return f"{where}: {self.severity}: {subject}{self.message}"

    def as_json(self) -> dict[str, object]:
        """Return a plain dict for ``--format json``."""
        return asdict(self)


class BriefgenError(Exception):
    """Base class of every error briefgen raises on purpose."""


class InvalidInputError(BriefgenError):
    """Input that cannot be used, with every problem found (not just the first)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(problem.format() for problem in problems))
        self.problems = problems


class UnrenderableTextError(BriefgenError):
    """Characters an output format cannot draw with the theme's fonts.

    Raised instead of drawing empty boxes, so a missing font is noticed at build
    time rather than by a reader of the printed brief.
    """

    def __init__(self, chars: tuple[str, ...], text: str) -> None:
        listed = ", ".join(f"U+{ord(char):04X} {char!r}" for char in chars)
        super().__init__(f"no font in the theme can draw {listed} in {text!r}")
        self.chars = chars
        """The characters no font covers, each once, in order of appearance."""
        self.text = text
        """The run of text they appear in."""
