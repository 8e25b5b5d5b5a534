"""Carry the fonts a DOCX uses inside it, so it looks the same on the reader's machine.

Word and LibreOffice draw a family the document names only if the reader has
it installed; otherwise Korean and Japanese names turn into empty boxes and
Noto Serif into whatever the reader has. ECMA-376 Part 1, 17.8.1 lets the
package carry the fonts: each face is an *obfuscated* part
(``word/fonts/fontN.odttf``: the first 32 bytes XORed with the reversed bytes
of the GUID in ``w:fontKey``), referenced from ``w:font/w:embedRegular`` (and
Bold, Italic, BoldItalic) in ``fontTable.xml``, with ``w:embedTrueTypeFonts``
and ``w:saveSubsetFonts`` in ``settings.xml``.

This works on the finished package parts rather than inside the writer: which
characters each face draws is read back from the runs and styles as Word
resolves them, so whatever the writer puts in the package is covered, and the
writer itself needs to know nothing about embedding. Only the characters the
document draws (plus the digits a page-number field may show and the hyphen automatic
hyphenation adds) go into each subset (fontTools), so the sample carries about 9 faces
in well under 400 KB.

The parts are deterministic: the GUID is derived from the subset's bytes and
fontTools keeps the font's own timestamps, so a rebuild is byte-identical.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import logging
import re
import threading
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from lxml import etree

from briefgen.presentation.scripts import COMPLEX
from briefgen.presentation.theme import FontFamily, Theme
from briefgen.support.cache import cached_bytes

__all__ = ["EmbeddingRefusal", "embed_fonts", "embedding_refusals"]

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PR = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"
_FONT_RELATIONSHIP = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/font"
_OBFUSCATED_FONT = "application/vnd.openxmlformats-officedocument.obfuscatedFont"
_FONT_TABLE = "word/fontTable.xml"
_FONT_TABLE_RELS = "word/_rels/fontTable.xml.rels"
_SETTINGS = "word/settings.xml"

_FIELD_DIGITS = "0123456789"
"""A PAGE or NUMPAGES field shows "1" until Word or LibreOffice lays the pages out."""
_LAYOUT_CHARACTERS = _FIELD_DIGITS + "-"
"""What every carried face must draw besides the document's own characters: the digits
of page fields, and the hyphen Word or LibreOffice adds where automatic hyphenation
breaks a word (otherwise drawn in a fallback font: a foreign hyphen on the page)."""

Slot = Literal["Regular", "Bold", "Italic", "BoldItalic"]
_SLOTS: tuple[Slot, ...] = ("Regular", "Bold", "Italic", "BoldItalic")

# OS/2 fsType bits (OpenType spec): 0x0002 restricted licence (no embedding at all),
# 0x0100 no subsetting, 0x0200 bitmap embedding only.
_RESTRICTED = 0x0002
_NO_SUBSETTING = 0x0100
_BITMAP_ONLY = 0x0200

# Children of w:settings that may come before w:embedTrueTypeFonts and w:saveSubsetFonts
# (ECMA-376 Part 1, 17.15.1.78): the flags go after the last of these present.
_SETTINGS_BEFORE = (
    "writeProtection", "view", "zoom", "removePersonalInformation", "removeDateAndTime",
    "doNotDisplayPageBoundaries", "displayBackgroundShape", "printPostScriptOverText",
    "printFractionalCharacterWidth", "printFormsData",
)  # fmt: skip


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


# --- which characters each face draws ---------------------------------------------------


@dataclass(slots=True)
class _Look:
    """The run properties that choose a face: fonts per slot, bold and italic."""

    ascii: str | None = None
    east_asia: str | None = None
    complex_script: str | None = None
    bold: bool | None = None
    italic: bool | None = None

    def over(self, base: _Look) -> _Look:
        """This look's set properties over ``base``'s."""
        return _Look(
            ascii=self.ascii if self.ascii is not None else base.ascii,
            east_asia=self.east_asia if self.east_asia is not None else base.east_asia,
            complex_script=(
                self.complex_script if self.complex_script is not None else base.complex_script
            ),
            bold=self.bold if self.bold is not None else base.bold,
            italic=self.italic if self.italic is not None else base.italic,
        )


def _look_of(rpr: etree._Element | None) -> _Look:
    if rpr is None:
        return _Look()
    fonts = rpr.find(_w("rFonts"))
    return _Look(
        ascii=fonts.get(_w("ascii")) if fonts is not None else None,
        east_asia=fonts.get(_w("eastAsia")) if fonts is not None else None,
        complex_script=fonts.get(_w("cs")) if fonts is not None else None,
        bold=_on_off(rpr.find(_w("b"))),
        italic=_on_off(rpr.find(_w("i"))),
    )


def _on_off(element: etree._Element | None) -> bool | None:
    if element is None:
        return None
    return element.get(_w("val"), "true") not in ("0", "false", "off")


class _Styles:
    """Resolves a style's run look through its ``w:basedOn`` chain, once per style."""

    def __init__(self, styles_xml: bytes) -> None:
        root = etree.fromstring(styles_xml)
        defaults = root.find(f"{_w('docDefaults')}/{_w('rPrDefault')}/{_w('rPr')}")
        self.default = _look_of(defaults)
        self._elements = {s.get(_w("styleId")): s for s in root.iter(_w("style"))}
        self._defaults = {
            s.get(_w("type")): s.get(_w("styleId"))
            for s in self._elements.values()
            if s.get(_w("default")) in ("1", "true")
        }
        self._resolved: dict[str, _Look] = {}

    def look(self, style_id: str | None, kind: str) -> _Look:
        """The look a style gives (empty for none); the kind's default when unnamed."""
        chosen = style_id if style_id is not None else self._defaults.get(kind)
        return self._resolve(chosen, depth=0) if chosen else _Look()

    def _resolve(self, style_id: str, depth: int) -> _Look:
        if style_id in self._resolved:
            return self._resolved[style_id]
        element = self._elements.get(style_id)
        if element is None or depth > 20:
            return _Look()
        own = _look_of(element.find(_w("rPr")))
        based = element.find(_w("basedOn"))
        base = self._resolve(based.get(_w("val"), ""), depth + 1) if based is not None else None
        look = own.over(base) if base is not None else own
        self._resolved[style_id] = look
        return look


_EAST_ASIAN = re.compile(
    "[\u1100-\u11ff\u2e80-\u2fdf\u2ff0-\u303f\u3040-\u30ff\u3100-\u31ff\u3200-\u9fff"
    "\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\U00020000-\U0003ffff]"
)
"""Characters Word and LibreOffice draw with a run's East Asian font (Hangul, kana,
ideographs, CJK punctuation and full-width forms)."""

_TEXT_TAGS = {_w("t"), _w("delText")}


@dataclass(slots=True)
class _Usage:
    """Characters per (family, bold, italic), gathered from the runs of every story."""

    chars: dict[tuple[str, bool, bool], set[str]] = field(default_factory=dict)

    def add(self, family: str | None, bold: bool, italic: bool, text: str) -> None:
        if family:
            self.chars.setdefault((family, bold, italic), set()).update(text)


def _gather(parts: Mapping[str, bytes]) -> _Usage:
    """Read every story (body, headers, footers, notes) and the list-number texts."""
    styles = _Styles(parts["word/styles.xml"])
    usage = _Usage()
    for name in sorted(parts):
        if _is_story(name):
            _gather_story(etree.fromstring(parts[name]), styles, usage)
    if "word/numbering.xml" in parts:
        _gather_numbering(etree.fromstring(parts["word/numbering.xml"]), styles, usage)
    return usage


def _is_story(name: str) -> bool:
    return name == "word/document.xml" or bool(
        re.fullmatch(r"word/(header|footer|footnotes|endnotes)\d*\.xml", name)
    )


def _gather_story(root: etree._Element, styles: _Styles, usage: _Usage) -> None:
    base = styles.default
    for paragraph in root.iter(_w("p")):
        style = paragraph.find(f"{_w('pPr')}/{_w('pStyle')}")
        paragraph_look = styles.look(
            style.get(_w("val")) if style is not None else None, "paragraph"
        ).over(base)
        for run in paragraph.iter(_w("r")):
            rpr = run.find(_w("rPr"))
            char_style = rpr.find(_w("rStyle")) if rpr is not None else None
            character = styles.look(
                char_style.get(_w("val")) if char_style is not None else None, "character"
            )
            look = _look_of(rpr).over(character.over(paragraph_look))
            text = "".join(t.text or "" for t in run if t.tag in _TEXT_TAGS)
            _add_text(usage, look, text, _is_complex_run(rpr))


def _is_complex_run(rpr: etree._Element | None) -> bool:
    """A run marked complex script or right to left: Word draws all of it with ``cs``."""
    return rpr is not None and any(_on_off(rpr.find(_w(tag))) for tag in ("cs", "rtl"))


def _gather_numbering(root: etree._Element, styles: _Styles, usage: _Usage) -> None:
    """List numbers and bullets are drawn with the level's run look over the paragraph's."""
    for level in root.iter(_w("lvl")):
        text = level.find(_w("lvlText"))
        if text is None:
            continue
        shown = re.sub(r"%\d", "", text.get(_w("val"), "")) + _FIELD_DIGITS
        look = _look_of(level.find(_w("rPr"))).over(styles.default)
        _add_text(usage, look, shown)


def _add_text(usage: _Usage, look: _Look, text: str, complex_run: bool = False) -> None:
    """Charge each character to the font slot Word draws it with: East Asian letters to
    ``eastAsia``, complex-script letters (and every character of a run marked ``w:cs``
    or ``w:rtl``) to ``cs``, the rest to ``ascii``."""
    bold, italic = bool(look.bold), bool(look.italic)
    east_asian = "".join(_EAST_ASIAN.findall(text))
    usage.add(look.east_asia, bold, italic, east_asian)
    rest = _EAST_ASIAN.sub("", text)
    complex_text = rest if complex_run else "".join(COMPLEX.findall(rest))
    usage.add(look.complex_script, bold, italic, complex_text)
    usage.add(look.ascii, bold, italic, "" if complex_run else COMPLEX.sub("", rest))


# --- subsets -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class EmbeddingRefusal:
    """A face the theme names that the DOCX does not carry, and why."""

    family: str
    path: Path
    reason: str

    def __str__(self) -> str:
        return f'font "{self.family}" ({self.path}) is not embedded in the DOCX: {self.reason}'


@dataclass(frozen=True, slots=True)
class _Face:
    family: str
    slot: Slot
    path: Path


def _faces(family_name: str, family: FontFamily, used: Iterable[tuple[bool, bool]]) -> list[_Face]:
    """The files a family's used styles draw with, one slot each (regular first).

    A family without a bold file draws bold with its regular file (Word and
    LibreOffice embolden it), so that file is the one to carry.
    """
    slots: dict[Path, Slot] = {}
    for bold, italic in sorted(used):
        path = family.face(bold, italic)
        slot = _slot_of(family, path)
        slots.setdefault(path, slot)
    return [_Face(family_name, slot, path) for path, slot in slots.items()]


def _slot_of(family: FontFamily, path: Path) -> Slot:
    if path == family.regular:
        return "Regular"
    if path == family.bold:
        return "Bold"
    if path == family.italic:
        return "Italic"
    return "BoldItalic"


_SUBSETS: dict[tuple[Path, frozenset[str], str], bytes] = {}
_SUBSETS_LOCK = threading.Lock()


def _subset(path: Path, chars: frozenset[str], family: str) -> bytes:
    """The TrueType subset of ``path`` drawing ``chars``, cached for watch-mode rebuilds."""
    key = (path, chars, family)
    with _SUBSETS_LOCK:
        cached = _SUBSETS.get(key)
    if cached is None:
        cached = cached_bytes(
            "font-subsets",
            (
                _FORMAT_VERSION,
                _fonttools_version(),
                _file_identity(path),
                family,
                "".join(sorted(chars)),
            ),
            lambda: _make_subset(path, chars, family),
        )
        with _SUBSETS_LOCK:
            if len(_SUBSETS) >= 64:
                _SUBSETS.clear()
            _SUBSETS[key] = cached
    return cached


_FORMAT_VERSION = "subset-1"
"""Bump when the way subsets are made changes, so cached ones are made again."""


@functools.cache
def _fonttools_version() -> str:
    """fontTools' version, read from its metadata: importing fontTools to ask it would
    cost 15 ms of a build whose subsets all come from the cache."""
    from importlib.metadata import version

    return version("fonttools")


def _file_identity(path: Path) -> str:
    """What identifies a font file's content without reading it: its resolved path,
    size, modification time and inode (as ``make`` and ccache decide a file changed).
    Hashing the bundled CJK fonts (15 MB) would cost more than the cache saves."""
    status = path.stat()
    return f"{path.resolve()}:{status.st_size}:{status.st_mtime_ns}:{status.st_ino}"


def _make_subset(path: Path, chars: frozenset[str], family: str) -> bytes:
    dropped = _KEPT_FOR_SHAPING if any(COMPLEX.match(char) for char in chars) else ()
    with _open_font(path) as font:
        for tag in _DROPPED_TABLES:  # before the subsetter, which would parse them first
            if tag in font and tag not in dropped:
                del font[tag]
        if not font["OS/2"].fsType & _NO_SUBSETTING:
            _subsetter(chars).subset(font)
        _rename(font, family)
        data = io.BytesIO()
        font.save(data)
        return data.getvalue()


def _subsetter(chars: frozenset[str]) -> Any:
    """A fontTools subsetter keeping ``chars``, every name record and the layout
    features Word and LibreOffice use; deterministic (no new timestamps)."""
    from fontTools import subset

    # Tables fontTools cannot subset are dropped, which it reports as a warning; with no
    # logging set up, that would print on the user's terminal for every odd theme font.
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    options = subset.Options()
    options.recalc_timestamp = False
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(char) for char in chars))
    return subsetter


_DROPPED_TABLES = ["TSI0", "TSI1", "TSI2", "TSI3", "TSI5", "FFTM", "GSUB", "GPOS", "GDEF", "kern"]
"""Visual TrueType's hinting sources (in IPAGothic) and FontForge's timestamps, which
nothing reads and fontTools cannot subset; and the kerning and ligature tables: the PDF
writer (ReportLab) applies neither, so without them Word and LibreOffice set each line as
the PDF does, and the subset is made in a tenth of the time (parsing Noto's GPOS took most
of a second)."""


_KEPT_FOR_SHAPING = ("GSUB", "GPOS", "GDEF")
"""Layout tables a subset keeps when it draws a complex script: Word and LibreOffice
join Arabic and form Devanagari conjuncts from them, as HarfBuzz does in the PDF (the
subsetter then also keeps the glyphs its substitutions reach)."""


def _open_font(path: Path) -> Any:
    """The first face of a .ttf or .ttc file (fontTools is untyped)."""
    from fontTools.ttLib import TTFont

    return TTFont(str(path), fontNumber=0, recalcTimestamp=False)


def _rename(font: Any, family: str) -> None:
    """Give the subset the theme's family name when the font calls itself otherwise.

    Word and LibreOffice match an embedded face to the document's fonts by the
    family name inside the file; a theme may call ``NotoSerif-Regular.ttf``
    "Body", and the DOCX names "Body".
    """
    name_table = font["name"]
    if name_table.getBestFamilyName() == family:
        return
    for record in list(name_table.names):
        if record.nameID in (1, 16):
            name_table.setName(family, record.nameID, record.platformID,
                               record.platEncID, record.langID)  # fmt: skip


def _refusal(path: Path) -> str | None:
    """Why a face may not be embedded (its licence bits, as its OS/2 table says), or None."""
    fs_type = _facts(path).fs_type
    if fs_type & 0x000F == _RESTRICTED:
        return "its licence forbids embedding (OS/2 fsType 0x0002, restricted)"
    if fs_type & _BITMAP_ONLY:
        return "its licence allows bitmaps only (OS/2 fsType 0x0200)"
    return None


def embedding_refusals(theme: Theme) -> list[EmbeddingRefusal]:
    """Every face of the theme whose licence bits forbid carrying it in a DOCX."""
    if not theme.fonts.embed:
        return []
    refusals = []
    for name, family in theme.fonts.families.items():
        for path in dict.fromkeys(family.face(b, i) for b in (False, True) for i in (False, True)):
            reason = _refusal(path)
            if reason:
                refusals.append(EmbeddingRefusal(name, path, reason))
    return refusals


@dataclass(frozen=True, slots=True)
class _Facts:
    """What the DOCX needs to know of a font file besides its subsets: its licence bits
    and the substitution hints Word writes for it."""

    fs_type: int
    hints: _Hints


_FACTS: dict[Path, _Facts] = {}
_FACTS_FORMAT = "facts-1"
"""Bump when :class:`_Facts` changes, so stored ones are read from the fonts again."""


def _facts(path: Path) -> _Facts:
    """The font's facts: kept for the process, and on disk (:mod:`briefgen.support.cache`)
    keyed like the subsets, so a build whose subsets are cached never opens a font with
    fontTools (whose import and ``post`` table parse cost about 60 ms)."""
    found = _FACTS.get(path)
    if found is None:
        key = (_FACTS_FORMAT, _fonttools_version(), _file_identity(path))
        stored = cached_bytes("font-facts", key, lambda: _facts_json(_read_facts(path)))
        try:
            found = _facts_from_json(stored)
        except (ValueError, KeyError, TypeError):  # an entry of another shape: read again
            found = _read_facts(path)
        _FACTS[path] = found
    return found


def _read_facts(path: Path) -> _Facts:
    from fontTools.ttLib import TTFont

    with TTFont(str(path), fontNumber=0, lazy=True) as font:
        fs_type = int(font["OS/2"].fsType) if "OS/2" in font else 0
        return _Facts(fs_type=fs_type, hints=_hints_of(font))


def _facts_json(facts: _Facts) -> bytes:
    hints = facts.hints
    fields = [hints.panose, hints.charset, hints.family, hints.pitch, list(hints.signature)]
    return json.dumps({"fs_type": facts.fs_type, "hints": fields}).encode("utf-8")


def _facts_from_json(data: bytes) -> _Facts:
    stored = json.loads(data)
    panose, charset, family, pitch, signature = stored["hints"]
    hints = _Hints(
        panose=str(panose),
        charset=str(charset),
        family=str(family),
        pitch=str(pitch),
        signature=tuple((str(name), str(value)) for name, value in signature),
    )
    return _Facts(fs_type=int(stored["fs_type"]), hints=hints)


# --- the package parts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Embedded:
    slot: Slot
    relationship_id: str
    font_key: str


def embed_fonts(parts: dict[str, bytes], theme: Theme) -> None:
    """Add subsets of every used face to ``parts`` and describe every used family.

    The font table lists exactly the families the document's runs use (the
    template's Calibri, Cambria and MS Mincho entries go), each with the
    charset, family, pitch and signature hints Word writes, so Word can pick a
    substitute for a face that is not carried. With ``fonts.embed = false`` in
    the theme nothing is carried but the table is still accurate.
    """
    usage = _gather(parts)
    families = theme.fonts.families
    used_styles: dict[str, set[tuple[bool, bool]]] = {}
    for family, bold, italic in usage.chars:
        used_styles.setdefault(family, set()).add((bold, italic))
    relationships: list[tuple[str, str]] = []
    table = etree.Element(_w("fonts"), nsmap={"w": _W, "r": _R})
    for family in sorted(used_styles):
        spec = families.get(family)
        embedded: list[_Embedded] = []
        if spec is not None and theme.fonts.embed:
            for face in _faces(family, spec, used_styles[family]):
                if _refusal(face.path):
                    continue
                chars = _chars_for(usage, family, spec, face.path)
                number = len(relationships) + 1
                data = _subset(face.path, chars, family)
                font_key = _font_key(data)
                parts[f"word/fonts/font{number}.odttf"] = obfuscate(data, font_key)
                relationships.append((f"rId{number}", f"fonts/font{number}.odttf"))
                embedded.append(_Embedded(face.slot, f"rId{number}", font_key))
        table.append(_font_entry(family, spec, embedded))
    parts[_FONT_TABLE] = _xml(table)
    if relationships:
        parts[_FONT_TABLE_RELS] = _relationships(relationships)
        parts["[Content_Types].xml"] = _with_font_type(parts["[Content_Types].xml"])
        parts[_SETTINGS] = _with_embedding_flags(parts[_SETTINGS])
    else:
        parts.pop(_FONT_TABLE_RELS, None)


def _chars_for(usage: _Usage, family: str, spec: FontFamily, path: Path) -> frozenset[str]:
    """Every character drawn with ``path``: all styles of the family that resolve to it."""
    chars: set[str] = set(_LAYOUT_CHARACTERS)
    for (name, bold, italic), drawn in usage.chars.items():
        if name == family and spec.face(bold, italic) == path:
            chars.update(drawn)
    return frozenset(char for char in chars if not char.isspace() or char == " ")


def _font_key(data: bytes) -> str:
    """A GUID derived from the subset, so the same font data always gets the same key."""
    digest = hashlib.sha256(data).hexdigest()[:32].upper()
    return f"{{{digest[:8]}-{digest[8:12]}-{digest[12:16]}-{digest[16:20]}-{digest[20:]}}}"


def obfuscate(data: bytes, font_key: str) -> bytes:
    """XOR the first 32 bytes with the key's bytes in reverse order (ECMA-376 Part 1, 17.8.1).

    The same operation undoes it, which is how Word and LibreOffice read the part.
    """
    key = bytes.fromhex(font_key.strip("{}").replace("-", ""))[::-1]
    head = bytes(byte ^ key[index % 16] for index, byte in enumerate(data[:32]))
    return head + data[32:]


def _font_entry(family: str, spec: FontFamily | None, embedded: list[_Embedded]) -> etree._Element:
    entry = etree.Element(_w("font"))
    entry.set(_w("name"), family)
    hints = _hints(spec.regular) if spec is not None else None
    if hints is not None:
        for tag, value in (
            ("panose1", hints.panose),
            ("charset", hints.charset),
            ("family", hints.family),
            ("pitch", hints.pitch),
        ):
            etree.SubElement(entry, _w(tag)).set(_w("val"), value)
        signature = etree.SubElement(entry, _w("sig"))
        for name, value in hints.signature:
            signature.set(_w(name), value)
    for item in sorted(embedded, key=lambda e: _SLOTS.index(e.slot)):
        rel = etree.SubElement(entry, _w(f"embed{item.slot}"))
        rel.set(f"{{{_R}}}id", item.relationship_id)
        rel.set(_w("fontKey"), item.font_key)
        rel.set(_w("subsetted"), "1")
    return entry


@dataclass(frozen=True, slots=True)
class _Hints:
    """What Word writes about a font so it can substitute one the reader lacks."""

    panose: str
    charset: str
    family: str
    pitch: str
    signature: tuple[tuple[str, str], ...]


# ulCodePageRange1 bits -> Windows charset of the font's main East Asian code page.
_CHARSETS = ((17, "80"), (19, "81"), (18, "86"), (20, "88"))
_SANS_SERIF_STYLES = range(11, 14)
"""PANOSE bSerifStyle 11-13: normal, obtuse and perpendicular sans serif."""


def _hints(path: Path) -> _Hints:
    return _facts(path).hints


def _hints_of(font: Any) -> _Hints:
    os2 = font["OS/2"]
    panose = os2.panose
    panose_bytes = bytes(
        getattr(panose, name)
        for name in (
            "bFamilyType", "bSerifStyle", "bWeight", "bProportion", "bContrast",
            "bStrokeVariation", "bArmStyle", "bLetterForm", "bMidline", "bXHeight",
        )
    )  # fmt: skip
    code_pages = int(getattr(os2, "ulCodePageRange1", 0))
    charset = next((value for bit, value in _CHARSETS if code_pages >> bit & 1), "00")
    fixed = panose.bProportion == 9 or bool(font["post"].isFixedPitch)
    return _Hints(
        panose=panose_bytes.hex().upper(),
        charset=charset,
        family=_family_class(int(os2.sFamilyClass) >> 8, panose.bSerifStyle, panose.bFamilyType),
        pitch="fixed" if fixed else "variable",
        signature=(
            ("usb0", f"{os2.ulUnicodeRange1:08X}"),
            ("usb1", f"{os2.ulUnicodeRange2:08X}"),
            ("usb2", f"{os2.ulUnicodeRange3:08X}"),
            ("usb3", f"{os2.ulUnicodeRange4:08X}"),
            ("csb0", f"{code_pages:08X}"),
            ("csb1", f"{int(getattr(os2, 'ulCodePageRange2', 0)):08X}"),
        ),
    )


def _family_class(ibm_class: int, serif_style: int, family_type: int) -> str:
    """Word's generic family (roman, swiss, modern, script, decorative) from OS/2 and PANOSE."""
    if family_type == 3:
        return "script"
    if family_type in (4, 5) or ibm_class in (9, 12):
        return "decorative"
    if 1 <= ibm_class <= 7 or (ibm_class == 0 and serif_style and serif_style < 11):
        return "roman"
    if ibm_class == 8 or serif_style in _SANS_SERIF_STYLES:
        return "swiss"
    return "auto"


def _relationships(items: list[tuple[str, str]]) -> bytes:
    root = etree.Element(f"{{{_PR}}}Relationships", nsmap={None: _PR})
    for relationship_id, target in items:
        rel = etree.SubElement(root, f"{{{_PR}}}Relationship")
        rel.set("Id", relationship_id)
        rel.set("Type", _FONT_RELATIONSHIP)
        rel.set("Target", target)
    return _xml(root)


def _with_font_type(content_types: bytes) -> bytes:
    root = etree.fromstring(content_types)
    if not any(d.get("Extension") == "odttf" for d in root.iter(f"{{{_CT}}}Default")):
        default = etree.Element(f"{{{_CT}}}Default")
        default.set("Extension", "odttf")
        default.set("ContentType", _OBFUSCATED_FONT)
        root.insert(0, default)
    return _xml(root)


def _with_embedding_flags(settings: bytes) -> bytes:
    """``w:embedTrueTypeFonts`` and ``w:saveSubsetFonts``, in schema order."""
    root = etree.fromstring(settings)
    for name in ("embedTrueTypeFonts", "saveSubsetFonts"):
        for old in root.findall(_w(name)):
            root.remove(old)
    before = {_w(name) for name in _SETTINGS_BEFORE}
    position = max((i + 1 for i, child in enumerate(root) if child.tag in before), default=0)
    for offset, name in enumerate(("embedTrueTypeFonts", "saveSubsetFonts")):
        root.insert(position + offset, etree.Element(_w(name)))
    return _xml(root)


def _xml(root: etree._Element) -> bytes:
    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def iter_embedded(parts: Mapping[str, bytes]) -> Iterator[tuple[str, Slot, bytes]]:
    """Yield (family, slot, de-obfuscated TrueType bytes) for every carried face.

    For tests and tools that want to look inside a DOCX the way Word does.
    """
    table = etree.fromstring(parts[_FONT_TABLE])
    rels_xml = parts.get(_FONT_TABLE_RELS)
    targets = {r.get("Id"): r.get("Target") for r in etree.fromstring(rels_xml)} if rels_xml else {}
    for font in table.iter(_w("font")):
        for slot in _SLOTS:
            rel = font.find(_w(f"embed{slot}"))
            if rel is None:
                continue
            target = targets[rel.get(f"{{{_R}}}id")]
            data = parts[f"word/{target}"]
            yield font.get(_w("name"), ""), slot, obfuscate(data, rel.get(_w("fontKey"), ""))
