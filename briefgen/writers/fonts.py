"""Theme fonts for the PDF writer: registration, coverage and per-character fallback.

ReportLab draws every character of a run in one font and silently draws empty
boxes for characters that font lacks.  Briefs mix Latin, Hangul and kanji in
one sentence, so this module splits each run into segments, each drawn in the
first theme font whose cmap covers it, and raises :class:`MissingGlyphsError`
when no theme font can draw a character.

Only TrueType files from the theme are used, so every font is embedded (no
standard-14 or CID fonts, which are not embedded and differ between viewers).
Fonts are loaded lazily and cached at module level: parsing a CJK font costs
20-50 ms, so a fallback font is parsed only when some character actually
needs it (an English-only brief never loads the Korean or Chinese fonts), and
watch mode pays for each font once per process, not once per build.  A new
process reads ReportLab's parse of each font from the on-disk cache
(:mod:`briefgen.support.cache`) instead of parsing it again (see :func:`_ttfont`).
"""

from __future__ import annotations

import hashlib
import pickle
import re
import threading
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from fnmatch import fnmatch
from itertools import groupby
from pathlib import Path
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFError, TTFont, TTFontFace, unShapedFontGlob

from briefgen.errors import BriefgenError, UnrenderableTextError
from briefgen.presentation.fonts import family_chain, role_family, script_languages
from briefgen.presentation.scripts import COMPLEX, primary
from briefgen.presentation.styles import Role
from briefgen.presentation.theme import Theme
from briefgen.support.cache import cache_folder, cached_bytes
from briefgen.writers.shaping import is_shaping_code
from briefgen.writers.theme_cache import ThemeCache


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
    try:
        font = _ttfont(_font_name(path), path)
    except (TTFError, OSError) as error:  # theme loading checks the file; this is for the rest
        raise PdfWriteError(f"cannot use the font {path}: {error}") from None
    pdfmetrics.registerFont(font)
    return Face(name=font.fontName, path=path, cmap=font.face.charToGlyph)


_FACE_FORMAT = "ttf-face-1"
"""Bump when what :func:`_face_state` stores changes, so older entries are parsed again."""
_UNPICKLED = ("_ttf_data", "_pdfScale")
"""Face attributes not stored: the file's bytes (read anyway, and the key is their
hash) and a scaling lambda, which pickle cannot store and :func:`_restore` remakes."""


def _ttfont(name: str, path: Path) -> TTFont:
    """ReportLab's TTFont for ``path``: parsed, or its parse read from the on-disk cache.

    Parsing walks the font's tables in Python (56 ms for IPAGothic, 30 ms for
    NanumGothic); unpickling the result costs a few milliseconds.  The entry is
    keyed by the hash of the file's bytes and ReportLab's version, so an edited
    font or an upgraded ReportLab never reuses an old parse; the bytes themselves
    are read every time because ReportLab cuts the PDF's subsets from them.
    """
    if cache_folder() is None:
        return TTFont(name, str(path))
    data = path.read_bytes()
    key = (_FACE_FORMAT, reportlab.Version, hashlib.sha256(data).hexdigest())
    blob = cached_bytes("font-metrics", key, lambda: _face_state(path))
    try:
        face = _restore(blob, data)
    except Exception:  # an entry from another ReportLab build or damaged in a way the hash
        face = _restore(_face_state(path), data)  # cannot see: parse, as with no cache
    return _font_with_face(name, face)


def _face_state(path: Path) -> bytes:
    """The parsed face's attributes, pickled (our own entry in the user's cache folder)."""
    face = TTFontFace(str(path))
    state = {key: value for key, value in face.__dict__.items() if key not in _UNPICKLED}
    return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)


def _restore(blob: bytes, data: bytes) -> TTFontFace:
    """A TTFontFace from stored attributes, as ``TTFontFace(path)`` would have made it."""
    state = pickle.loads(blob)  # our own entry, checked against its stored hash
    if not isinstance(state, dict) or "charToGlyph" not in state:
        raise TypeError("not a stored font face")
    face: TTFontFace = TTFontFace.__new__(TTFontFace)
    face.__dict__.update(state)
    face._ttf_data = data
    face._pdfScale = _scale(int(state["unitsPerEm"]))
    return face


def _scale(units_per_em: int) -> Callable[[float], float]:
    """ReportLab's font-unit to PDF-unit scaling, made exactly as its parser makes it."""
    if units_per_em == 1000:
        return lambda x: x
    factor = 1000 / units_per_em
    return lambda x: x * factor


def _font_with_face(name: str, face: TTFontFace) -> TTFont:
    """``TTFont(name, path)`` for an already parsed face: the attributes its ``__init__``
    sets besides the face (a test compares the two)."""
    font: TTFont = TTFont.__new__(TTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, glob) for glob in unShapedFontGlob)
    return font


def _font_name(path: Path) -> str:
    """Name fonts by file stem plus a path hash so two themes' "Regular.ttf" never clash."""
    stem = re.sub(r"[^A-Za-z0-9-]", "", path.stem) or "font"
    digest = hashlib.sha1(str(path).encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"bg-{stem}-{digest}"


_ChainKey = tuple[Role, bool, bool, str, tuple[str, ...]]
"""Role, bold, italic, the run's own language, and the languages its script suggests."""
_SegmentKey = tuple[str, Role, bool, bool, str]


class _Chain:
    """An ordered list of font files, each parsed only when a character reaches it.

    ``best`` remembers the answer for every character it has seen, because the
    same few hundred characters are looked up tens of thousands of times.
    """

    def __init__(self, paths: tuple[Path, ...]) -> None:
        self._paths = paths
        self._faces: list[Face] = []
        self._best: dict[str, Face | None] = {}

    def first(self) -> Face:
        """The chain's first face, the one a run starts in."""
        return self._face(0)

    def best(self, char: str) -> Face | None:
        """Return the first face that covers ``char``, loading faces only as needed."""
        try:
            return self._best[char]
        except KeyError:
            pass
        code = ord(char)
        if is_shaping_code(code):  # the PDF writer's own codes for shaped glyphs
            self._best[char] = None
            return None
        found = next(
            (face for face in map(self._face, range(len(self._paths))) if code in face.cmap),
            None,
        )
        self._best[char] = found
        return found

    def _face(self, index: int) -> Face:
        while len(self._faces) <= index:
            self._faces.append(load_face(self._paths[len(self._faces)]))
        return self._faces[index]


_BOOKS: ThemeCache[FontBook] = ThemeCache()


def font_book(theme: Theme) -> FontBook:
    """The FontBook for ``theme``, kept for the process so rebuilds reuse its caches
    (see :mod:`briefgen.writers.theme_cache`)."""
    return _BOOKS.get(theme, lambda: FontBook(theme))


class FontBook:
    """The fonts of one theme, with the fallback chain for each role, style and language."""

    def __init__(self, theme: Theme) -> None:
        self._theme = theme
        self._chains: dict[_ChainKey, _Chain] = {}
        self._segments: dict[_SegmentKey, tuple[Segment, ...]] = {}

    def face(self, role: Role, bold: bool = False, italic: bool = False) -> Face:
        """Return the role's own face for a style (what ReportLab styles default to)."""
        family = self._theme.family(role_family(self._theme, role))
        return load_face(family.face(bold, italic))

    def face_for(self, char: str, role: Role, bold: bool = False) -> Face:
        """Return the first face that can draw ``char`` (for bullets and markers)."""
        face = self._chain(role, bold, False, "", ()).best(char)
        if face is None:
            raise MissingGlyphsError((char,), char)
        return face

    def segments(
        self, text: str, role: Role, *, bold: bool = False, italic: bool = False, lang: str | None
    ) -> list[Segment]:
        """Split ``text`` into runs of the first face in the chain that covers each character.

        Results are memoised: headings, labels and table cells repeat, and the
        PDF writer asks for the same strings again on every rebuild.
        """
        key = (text, role, bold, italic, primary(lang))
        cached = self._segments.get(key)
        if cached is None:
            suggested = script_languages(text, lang)
            chain = self._chain(role, bold, italic, primary(lang), suggested)
            cached = tuple(self._split(text, chain))
            if len(self._segments) > 20_000:
                self._segments.clear()
            self._segments[key] = cached
        return list(cached)

    def _split(self, text: str, chain: _Chain) -> list[Segment]:
        """Split uncached text; raise MissingGlyphsError naming every undrawable character."""
        pieces: list[tuple[Face, str]] = []
        missing: list[str] = []
        cleaned = _clean(text)
        for index, char in enumerate(cleaned):
            previous = pieces[-1] if pieces else None
            if previous and _joins(previous[1], char, cleaned[index + 1 : index + 2]):
                face = previous[0] if previous[0].covers(char) else _pick(chain, char, None)
            else:
                face = _pick(chain, char, previous[0] if previous else None)
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

    def _chain(
        self, role: Role, bold: bool, italic: bool, lang: str, suggested: tuple[str, ...]
    ) -> _Chain:
        key = (role, bold, italic, lang, suggested)
        chain = self._chains.get(key)
        if chain is None:
            chain = self._make_chain(*key)
            self._chains[key] = chain
        return chain

    def _make_chain(
        self, role: Role, bold: bool, italic: bool, lang: str, suggested: tuple[str, ...]
    ) -> _Chain:
        """The faces of the presentation layer's family chain (the run's language, the
        role, the languages its script suggests, the fallbacks) in this style."""
        names = family_chain(self._theme, role, lang or None, suggested)
        paths = dict.fromkeys(self._theme.family(name).face(bold, italic) for name in names)
        return _Chain(tuple(paths))


def _pick(chain: _Chain, char: str, previous: Face | None) -> Face | None:
    """Return the face for ``char``; combining marks stay with their base character."""
    if char == "\n":
        return previous or chain.first()
    if previous is not None and unicodedata.combining(char) and previous.covers(char):
        return previous
    return chain.best(char)


_JOINERS = frozenset("\u200c\u200d\u034f")
"""Zero width non-joiner and joiner, combining grapheme joiner: they steer shaping, so
they belong to the run of the letters around them."""


def _joins(before: str, char: str, after: str) -> bool:
    """True when ``char`` belongs with the complex-script letter ``before``: a joiner, or a
    space between two such letters (so a right-to-left name is one run of one font,
    which text extraction reads back as one run)."""
    if not COMPLEX.match(before):
        return False
    return char in _JOINERS or (char == " " and bool(COMPLEX.match(after)))


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
