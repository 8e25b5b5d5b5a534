"""Theme fonts for the PDF writer: registration, coverage and per-character fallback.

ReportLab draws every character of a run in one font and silently draws empty
boxes for characters that font lacks.  Briefs mix Latin, Hangul and kanji in
one sentence, so this module splits each run into segments, each drawn in the
first theme font whose cmap covers it, and raises :class:`MissingGlyphsError`
when no theme font can draw a character.

Only TrueType files from the theme are used, so every font is embedded (no
standard-14 or CID fonts, which are not embedded and differ between viewers).
Parsed fonts are cached at module level: parsing the CJK fonts costs tens of
milliseconds, which watch mode should pay once per process, not per build.
"""

from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import groupby
from pathlib import Path
from typing import Literal

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from briefgen.errors import BriefgenError, UnrenderableTextError
from briefgen.theme import Theme

Role = Literal["body", "heading", "table"]
"""Which theme family a piece of text uses before any fallback."""


class PdfWriteError(BriefgenError):
    """A document the PDF writer cannot render faithfully."""


class MissingGlyphsError(PdfWriteError, UnrenderableTextError):
    """Characters that no font of the theme can draw (see UnrenderableTextError)."""


@dataclass(frozen=True, slots=True)
class Face:
    """One registered TrueType file: its ReportLab font name and its character map."""

    name: str
    """Name registered with ReportLab (not written to the PDF, which uses the font's own)."""
    path: Path
    cmap: Mapping[int, int]
    """Code point to glyph id, straight from the font's cmap table."""

    def covers(self, char: str) -> bool:
        """Return True when the font has a glyph for ``char``."""
        return ord(char) in self.cmap


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of text drawn in one face; ``text`` may contain ``\\n`` line breaks."""

    font: str
    text: str


_FACES: dict[Path, Face] = {}
_LOCK = threading.Lock()


def load_face(path: Path) -> Face:
    """Register ``path`` with ReportLab once per process and return its face."""
    with _LOCK:
        face = _FACES.get(path)
        if face is None:
            face = _register(path)
            _FACES[path] = face
        return face


def _register(path: Path) -> Face:
    font = TTFont(_font_name(path), str(path))
    pdfmetrics.registerFont(font)
    return Face(name=font.fontName, path=path, cmap=font.face.charToGlyph)


def _font_name(path: Path) -> str:
    """Name fonts by file stem plus a path hash so two themes' "Regular.ttf" never clash."""
    stem = re.sub(r"[^A-Za-z0-9-]", "", path.stem) or "font"
    digest = hashlib.sha1(str(path).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"bg-{stem}-{digest}"


_ChainKey = tuple[Role, bool, bool, str]


class FontBook:
    """The fonts of one theme, with the fallback chain for each role, style and language."""

    def __init__(self, theme: Theme) -> None:
        self._theme = theme
        self._chains: dict[_ChainKey, tuple[Face, ...]] = {}

    def face(self, role: Role, bold: bool = False, italic: bool = False) -> Face:
        """Return the role's own face for a style (what ReportLab styles default to)."""
        family = self._theme.family(self._role_family(role))
        return load_face(family.face(bold, italic))

    def face_for(self, char: str, role: Role, bold: bool = False) -> Face:
        """Return the first face that can draw ``char`` (for bullets and markers)."""
        for face in self._chain(role, bold, False, ""):
            if face.covers(char):
                return face
        raise MissingGlyphsError((char,), char)

    def segments(
        self, text: str, role: Role, *, bold: bool = False, italic: bool = False, lang: str | None
    ) -> list[Segment]:
        """Split ``text`` into runs of the first face in the chain that covers each character."""
        chain = self._chain(role, bold, italic, _primary(lang))
        pieces: list[tuple[Face, str]] = []
        missing: list[str] = []
        for char in _clean(text):
            face = _pick(chain, char, pieces[-1][0] if pieces else None)
            if face is None:
                char = " " if char.isspace() else char
                face = _pick(chain, char, None) if char == " " else None
            if face is None:
                if unicodedata.category(char) != "Cf":
                    missing.append(char)
                continue
            pieces.append((face, char))
        if missing:
            raise MissingGlyphsError(tuple(dict.fromkeys(missing)), text)
        return _merge(pieces)

    def width(self, segments: list[Segment], size: float) -> float:
        """Return the advance width of ``segments`` at ``size`` points."""
        return sum(float(pdfmetrics.stringWidth(seg.text, seg.font, size)) for seg in segments)

    def _chain(self, role: Role, bold: bool, italic: bool, lang: str) -> tuple[Face, ...]:
        key = (role, bold, italic, lang)
        chain = self._chains.get(key)
        if chain is None:
            chain = self._make_chain(role, bold, italic, lang)
            self._chains[key] = chain
        return chain

    def _make_chain(self, role: Role, bold: bool, italic: bool, lang: str) -> tuple[Face, ...]:
        """Language families first, then the role's family, then the theme's fallbacks."""
        fonts = self._theme.fonts
        for_lang = [name for name, fam in fonts.families.items() if lang and lang in fam.langs]
        names = dict.fromkeys([*for_lang, self._role_family(role), *fonts.fallbacks])
        paths = dict.fromkeys(self._theme.family(name).face(bold, italic) for name in names)
        return tuple(load_face(path) for path in paths)

    def _role_family(self, role: Role) -> str:
        fonts = self._theme.fonts
        return {"body": fonts.body, "heading": fonts.heading, "table": fonts.table}[role]


def _pick(chain: tuple[Face, ...], char: str, previous: Face | None) -> Face | None:
    """Return the face for ``char``; combining marks stay with their base character."""
    if char == "\n":
        return previous or chain[0]
    if previous is not None and unicodedata.combining(char) and previous.covers(char):
        return previous
    return next((face for face in chain if face.covers(char)), None)


_LINE_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c]")
_SPACES = re.compile(r"\t")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """Normalise line breaks to ``\\n``, tabs to spaces, and drop other control characters."""
    text = _LINE_BREAKS.sub("\n", text)
    return _CONTROLS.sub("", _SPACES.sub(" ", text))


def _merge(pieces: list[tuple[Face, str]]) -> list[Segment]:
    """Join consecutive characters drawn in the same face into one segment."""
    runs = groupby(pieces, key=lambda piece: piece[0].name)
    return [Segment(name, "".join(char for _, char in run)) for name, run in runs]


def _primary(lang: str | None) -> str:
    """Return the primary subtag of a BCP-47 tag, lower-cased (``ko-KR`` -> ``ko``)."""
    return (lang or "").replace("_", "-").split("-", 1)[0].lower()
