"""Themes: how a document looks (fonts, sizes, colours, margins), never what it says.

A theme is a TOML file validated by the models below. Writers receive a
:class:`Theme` beside the :class:`~briefgen.document.nodes.Document`; font
paths are resolved relative to the theme file so a theme folder is portable.
"""

from __future__ import annotations

import errno
import functools
import io
import re
import tomllib
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from briefgen.errors import InvalidInputError, Problem
from briefgen.support.reading import (
    NotReadableError,
    is_regular_file,
    read_regular_file,
    read_regular_head,
)
from briefgen.support.resources import templates_root

_HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageSetup(_Strict):
    """Paper size and margins."""

    size: Literal["A4", "Letter"] = Field("A4", description="Paper size: A4 or Letter.")
    margin_top_mm: float = Field(24, gt=5, lt=80, description="Top margin in millimetres.")
    margin_bottom_mm: float = Field(22, gt=5, lt=80, description="Bottom margin in mm.")
    margin_left_mm: float = Field(22, gt=5, lt=80, description="Left margin in mm.")
    margin_right_mm: float = Field(22, gt=5, lt=80, description="Right margin in mm.")

    @model_validator(mode="after")
    def _room_for_text(self) -> PageSetup:
        """Margins that each pass but together leave a sliver of page make the PDF layout
        fail deep inside ReportLab (a table given a negative width); refuse them here."""
        width, height = PAGE_SIZES_MM[self.size]
        text_width = width - self.margin_left_mm - self.margin_right_mm
        text_height = height - self.margin_top_mm - self.margin_bottom_mm
        if text_width < MIN_TEXT_WIDTH_MM or text_height < MIN_TEXT_HEIGHT_MM:
            raise ValueError(
                f"the margins leave {text_width:g} x {text_height:g} mm for text; a brief needs "
                f"at least {MIN_TEXT_WIDTH_MM} x {MIN_TEXT_HEIGHT_MM} mm"
            )
        return self


PAGE_SIZES_MM = {"A4": (210.0, 297.0), "Letter": (215.9, 279.4)}
MIN_TEXT_WIDTH_MM = 100
"""The narrowest text column the layouts' widest tables (seven columns) fit in."""
MIN_TEXT_HEIGHT_MM = 150


class FontFamily(_Strict):
    """One font family as TrueType files; missing styles fall back to ``regular``."""

    regular: Path = Field(description="TrueType file, relative to the theme file.")
    bold: Path | None = Field(None, description="Bold face; regular when absent.")
    italic: Path | None = Field(None, description="Italic face; regular when absent.")
    bold_italic: Path | None = Field(None, description="Bold italic face.")
    langs: tuple[str, ...] = Field(
        (), description="Primary language subtags (e.g. 'ko') this family is preferred for."
    )

    def face(self, bold: bool, italic: bool) -> Path:
        """Return the file for a style, falling back towards ``regular`` when absent."""
        if bold and italic and self.bold_italic:
            return self.bold_italic
        if bold and self.bold:
            return self.bold
        if italic and self.italic:
            return self.italic
        return self.regular


class Fonts(_Strict):
    """Which family each role uses, and the fallback chain for missing glyphs."""

    body: str = Field(description="Family of body text (a key of `families`).")
    heading: str = Field(description="Family of titles, headings and page decoration.")
    table: str = Field(description="Family of table text.")
    fallbacks: tuple[str, ...] = Field(
        (), description="Families tried in order for characters the run's own font lacks."
    )
    families: dict[str, FontFamily] = Field(
        default_factory=dict,
        description=(
            "The theme's own font families by name (TrueType files relative to the theme "
            "file); briefgen's built-in families (Noto Serif, Noto Sans, NanumGothic, "
            "IPAGothic, WenQuanYi Micro Hei, Noto Sans Arabic, Hebrew, Devanagari, Thai) "
            "need no entry and may be redefined here."
        ),
    )
    embed: bool = Field(
        True,
        description=(
            "Carry subsets of the fonts a DOCX uses inside it, so it looks the same on "
            "machines without them; false leaves them out (a smaller file)."
        ),
    )


class Sizes(_Strict):
    """Font sizes in points."""

    body: float = Field(10.5, gt=4, le=40, description="Body text.")
    small: float = Field(8.5, gt=4, le=40, description="Notes, captions, page decoration.")
    table: float = Field(9, gt=4, le=40, description="Table text.")
    title: float = Field(20, gt=4, le=72, description="Document title.")
    subtitle: float = Field(13, gt=4, le=72, description="Subtitle.")
    h1: float = Field(14, gt=4, le=72, description="Section headings.")
    h2: float = Field(11.5, gt=4, le=72, description="Subsection headings.")
    h3: float = Field(10.5, gt=4, le=72, description="Third-level headings.")
    leading: float = Field(1.35, ge=1.0, le=3.0, description="Line height / font size.")


class Colors(_Strict):
    """Colours as ``#RRGGBB``; ``tones`` and ``labels`` are keyed by document-model names."""

    text: str = Field("#1A1A1A", pattern=_HEX_COLOUR, description="Body text.")
    muted: str = Field("#5F6368", pattern=_HEX_COLOUR, description="Secondary text.")
    accent: str = Field("#1F3A5F", pattern=_HEX_COLOUR, description="Title, headings, links.")
    rule: str = Field("#B8C2CC", pattern=_HEX_COLOUR, description="Table rules.")
    table_header_bg: str = Field("#1F3A5F", pattern=_HEX_COLOUR, description="Header fill.")
    table_header_text: str = Field("#FFFFFF", pattern=_HEX_COLOUR, description="Header text.")
    table_stripe_bg: str = Field("#F3F5F8", pattern=_HEX_COLOUR, description="Striped rows.")
    callout_bg: str = Field("#EEF2F7", pattern=_HEX_COLOUR, description="Callout fill.")
    banner_text: str = Field("#1A1A1A", pattern=_HEX_COLOUR, description="Marking banner.")
    tones: dict[str, str] = Field(
        default_factory=dict, description="Fills by tone: low, moderate, high, critical, ..."
    )
    labels: dict[str, str] = Field(
        default_factory=dict, description="TLP label text colours, e.g. tlp-amber."
    )

    @field_validator("tones", "labels")
    @classmethod
    def _check_hex(cls, value: dict[str, str]) -> dict[str, str]:
        for key, colour in value.items():
            if not re.fullmatch(_HEX_COLOUR, colour):
                raise ValueError(f"{key}: {colour!r} is not a #RRGGBB colour")
        return value

    def tone(self, name: str | None) -> str | None:
        """Return the fill colour for a tone, or None for no fill."""
        return None if name is None else self.tones.get(name)


MAX_LOGO_BYTES = 2 * 1024 * 1024
"""A letterhead logo is a few kilobytes; anything this large is the wrong file."""
MAX_LOGO_PIXELS = 16_000_000
"""Enough for a 300 dpi logo many times over; a larger image would only cost memory."""
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG"}
_LETTERHEAD_TEXT = r"^[^\x00-\x1f\x7f]*$"


class Letterhead(_Strict):
    """An office's letterhead: a logo and a line of text at the top left of every page,
    and a line at the bottom left. The marking banner and label keep their places."""

    logo: Path | None = Field(
        None, description="PNG or JPEG file in the theme's folder, e.g. logo.png."
    )
    logo_height_mm: float = Field(9, gt=2, le=20, description="Printed height of the logo.")
    header_text: str = Field(
        "", max_length=80, pattern=_LETTERHEAD_TEXT, description="Line beside the logo."
    )
    footer_text: str = Field(
        "", max_length=80, pattern=_LETTERHEAD_TEXT, description="Line above the page footer."
    )


class Theme(_Strict):
    """A whole theme. Font and logo paths are absolute once loaded."""

    name: str = Field("default", description="Name of the theme.")
    page: PageSetup = Field(PageSetup(), description="Paper size and page margins.")
    fonts: Fonts = Field(description="Font families and the fallback chain.")
    sizes: Sizes = Field(Sizes(), description="Font sizes in points, by role.")
    colors: Colors = Field(Colors(), description="Colours as #RRGGBB.")
    letterhead: Letterhead = Field(Letterhead(), description="Logo and letterhead text.")
    date_locale: str | None = Field(
        None,
        description="How dates read in every output, as a locale: en-US gives "
        "'October 16, 2024', en-GB '16 October 2024'. None follows the brief's meta.lang.",
    )

    @field_validator("date_locale")
    @classmethod
    def _known_locale(cls, value: str | None) -> str | None:
        """A locale Babel cannot format is refused at its line, not at build time."""
        if value is not None:
            from babel import Locale, UnknownLocaleError

            try:
                Locale.parse(value.replace("-", "_"))
            except (UnknownLocaleError, ValueError, TypeError):
                raise ValueError(
                    f"{value!r} is not a locale Babel knows (e.g. en-US, en-GB)"
                ) from None
        return value

    def family(self, name: str) -> FontFamily:
        """Return a family by name; theme loading guarantees every named family exists."""
        return self.fonts.families[name]


class ThemeError(InvalidInputError):
    """A theme file that cannot be read or does not describe a usable theme.

    Like a brief's problems, each is located at the line and column of its key
    (``theme.toml:12:1: error: page.size: ...``), and all are reported at once.
    """


class _ThemeKeyError(ValueError):
    """A problem found after schema validation, with the key path it belongs to."""

    def __init__(self, loc: tuple[str, ...], message: str) -> None:
        super().__init__(message)
        self.loc = loc


def load_theme(path: Path, shown: Path | None = None) -> Theme:
    """Load and validate a theme file, resolving font and logo paths against its folder.

    Every way a theme can be wrong (unreadable, bad TOML, unknown keys, a font
    or logo file that is missing or unsafe) becomes a ThemeError whose problems
    are located in the file, named ``shown`` (the path as the user gave it) when given.
    """
    name = str(shown or path)
    text = _read_theme_text(path, name)
    _refuse_deep_nesting(text, name)
    try:
        data = tomllib.loads(text)
        theme, file_problems = _resolve_files(Theme.model_validate(data), path)
    except tomllib.TOMLDecodeError as error:
        raise ThemeError([_toml_problem(name, error)]) from None
    except ValidationError as error:
        schema_problems = [
            _located(
                name,
                text,
                tuple(str(part) for part in item["loc"]),
                item["msg"].removeprefix("Value error, "),
            )
            for item in error.errors(include_url=False)
        ]
        raise ThemeError(schema_problems) from None
    if file_problems:
        located = [_located(name, text, problem.loc, str(problem)) for problem in file_problems]
        raise ThemeError(located)
    return theme


def _resolve_files(theme: Theme, path: Path) -> tuple[Theme, list[_ThemeKeyError]]:
    """The theme with absolute font and logo paths, and every problem with the files it
    names or the families it uses (all at once, so one run lists every fix to make)."""
    problems: list[_ThemeKeyError] = []
    theme = _resolve_fonts(theme, path.parent, problems)
    problems += _check_font_files(theme, path.parent)
    try:
        theme = _resolve_logo(theme, path)
    except _ThemeKeyError as error:
        problems.append(error)
    return theme, problems


MAX_THEME_NESTING = 20
"""A theme nests tables and arrays two or three deep; Python's TOML parser recurses once
per bracket and ends in a RecursionError past about a thousand."""


def _refuse_deep_nesting(text: str, name: str) -> None:
    """Refuse brackets nested past :data:`MAX_THEME_NESTING`, located at the first one too
    deep, before the parser sees them (brackets inside strings count too: a theme has
    no reason to nest even those so deep)."""
    depth = 0
    for line_number, line in enumerate(text.splitlines(), start=1):
        for column, char in enumerate(line, start=1):
            if char in "[{":
                depth += 1
                if depth > MAX_THEME_NESTING:
                    message = f"arrays or tables nested more than {MAX_THEME_NESTING} deep"
                    raise ThemeError([Problem(name, line_number, column, "", message)])
            elif char in "]}":
                depth = max(0, depth - 1)


MAX_THEME_BYTES = 256 * 1024
"""The default theme is about 2 KB; a theme file a hundred times larger is a mistake."""


def _read_theme_text(path: Path, name: str) -> str:
    """Read at most :data:`MAX_THEME_BYTES` (so ``--theme /dev/zero`` ends) as UTF-8."""
    try:
        blob = read_regular_file(path, MAX_THEME_BYTES)
    except NotReadableError as error:
        if error.errno == errno.EFBIG:
            reason = f"theme file is larger than {MAX_THEME_BYTES // 1024} KiB; not a theme"
        else:
            reason = f"cannot read theme file: {error.strerror}"
        raise ThemeError([Problem(name, 0, 0, "", reason)]) from None
    except OSError as error:
        reason = f"cannot read theme file: {error.strerror}"
        raise ThemeError([Problem(name, 0, 0, "", reason)]) from None
    try:
        return blob.decode("utf-8")
    except UnicodeDecodeError:
        reason = "cannot read theme file: it is not UTF-8 text"
        raise ThemeError([Problem(name, 0, 0, "", reason)]) from None


def _toml_problem(name: str, error: tomllib.TOMLDecodeError) -> Problem:
    """tomllib puts the position in its message: "... (at line 3, column 7)"."""
    message = str(error)
    found = re.search(r"\(at line (\d+), column (\d+)\)", message)
    line, column = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
    reason = re.sub(r"\s*\(at line \d+, column \d+\)", "", message) or message
    return Problem(name, line, column, "", f"not valid TOML: {reason}")


def _located(name: str, text: str, loc: tuple[str, ...], message: str) -> Problem:
    line, column = locate_key(text, loc)
    return Problem(name, line, column, ".".join(loc), message)


def locate_key(text: str, loc: tuple[str, ...]) -> tuple[int, int]:
    """Best-effort 1-based line and column of the TOML key at ``loc``.

    Looks for the last part as a key in the ``[table]`` of the parts before it,
    then as a table header of its own; failing both, tries one level up.
    (0, 0) when nothing matches, as for a problem with the whole file.
    """
    lines = text.splitlines()
    for size in range(len(loc), 0, -1):
        start = _table_start(lines, loc[: size - 1])
        if start is None:
            continue
        found = _key_line(lines, start, loc[size - 1])
        if found:
            return found
        header = _table_start(lines, loc[:size])
        if header:
            return header, 1
    return 0, 0


def _table_start(lines: list[str], table: tuple[str, ...]) -> int | None:
    """The 1-based line of the ``[a.b]`` header (0 for the top level), or None."""
    if not table:
        return 0
    for number, line in enumerate(lines, start=1):
        header = re.fullmatch(r"\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?", line)
        if header and _table_parts(header.group(1)) == table:
            return number
    return None


def _table_parts(header: str) -> tuple[str, ...]:
    """``fonts.families."Noto Serif"`` -> ("fonts", "families", "Noto Serif")."""
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([^.\s]+)', header)
    return tuple(next(part for part in groups if part) for groups in parts)


def _key_line(lines: list[str], start: int, key: str) -> tuple[int, int] | None:
    """The key's line and column within the table whose header is line ``start``."""
    pattern = re.compile(rf"""\s*["']?{re.escape(key)}["']?\s*=""")
    for number in range(start + 1, len(lines) + 1):
        line = lines[number - 1]
        if line.lstrip().startswith("[") and number > start:
            return None
        if pattern.match(line):
            return number, len(line) - len(line.lstrip()) + 1
    return None


def _resolve_logo(theme: Theme, path: Path) -> Theme:
    """Make the logo path absolute and check that it is a real, small PNG or JPEG file
    inside the theme's folder, so a theme cannot have any other local file embedded."""
    logo = theme.letterhead.logo
    if logo is None:
        return theme
    folder = path.parent.resolve()
    resolved = (folder / logo).resolve()
    if not resolved.is_relative_to(folder):
        raise _ThemeKeyError(_LOGO, f"{logo} is outside the theme's folder {folder}")
    _check_image(resolved, logo)
    letterhead = theme.letterhead.model_copy(update={"logo": resolved})
    return theme.model_copy(update={"letterhead": letterhead})


def _check_image(path: Path, shown: Path) -> None:
    if not path.exists():
        raise _ThemeKeyError(_LOGO, f"no image file {shown}")
    try:
        data = read_regular_file(path, MAX_LOGO_BYTES)
    except OSError as error:
        raise _ThemeKeyError(_LOGO, f"cannot read {shown}: {error.strerror}") from None
    head = data[:8]
    kind = next((name for magic, name in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        raise _ThemeKeyError(_LOGO, f"{shown} is not a PNG or JPEG image")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            image.verify()
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # verify() reads no pixels: a truncated image fails only here
    except (
        UnidentifiedImageError,
        Image.DecompressionBombError,
        OSError,
        SyntaxError,
        ValueError,
    ) as error:
        raise _ThemeKeyError(_LOGO, f"{shown} is not a readable {kind}: {error}") from None
    if width * height > MAX_LOGO_PIXELS:
        raise _ThemeKeyError(_LOGO, f"{shown} is {width}x{height} pixels; use a smaller image")


_LOGO = ("letterhead", "logo")


MAX_FONT_BYTES = 64 * 1024 * 1024
"""The largest CJK fonts are about 20 MB; a file this large is not a font."""
_TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"true", b"ttcf")


def _check_font_files(theme: Theme, folder: Path) -> list[_ThemeKeyError]:
    """Every named face must be a TrueType file inside the theme's folder or among
    briefgen's own fonts (symbolic links followed): only subsets of fonts are embedded,
    so a theme cannot have any other local file read into the PDF, and it cannot reach
    out for the user's other files (a private font, a file in their home folder).

    Returns a problem for every face that fails, not only the first.  The built-in
    families are known good and not checked again.
    """
    folders = (folder.resolve(), (templates_root() / "fonts").resolve())
    builtin = builtin_families()
    problems = []
    for name, family in theme.fonts.families.items():
        if builtin.get(name) is family:
            continue
        for style in ("regular", "bold", "italic", "bold_italic"):
            face = getattr(family, style)
            if face is not None:
                problem = _font_file_problem(face, folders)
                if problem:
                    problems.append(_ThemeKeyError(("fonts", "families", name, style), problem))
    return problems


def _font_file_problem(path: Path, folders: tuple[Path, Path]) -> str | None:
    if not path.exists():
        return f"no font file {path}"
    if not any(path.is_relative_to(allowed) for allowed in folders):
        return (
            f"{path} is outside the theme's folder {folders[0]}; "
            "copy the font next to the theme file"
        )
    try:
        if not is_regular_file(path):
            read_regular_head(path, 0)  # says what it is instead (a folder, a FIFO, ...)
        if path.stat().st_size > MAX_FONT_BYTES:
            return f"{path} is larger than {MAX_FONT_BYTES // (1024 * 1024)} MiB; not a font"
        magic = read_regular_head(path, 4)
    except OSError as error:
        return f"cannot read {path}: {error.strerror}"
    if magic == b"OTTO":
        return f"{path} is an OpenType font with CFF outlines; use a TrueType (.ttf) font"
    if magic not in _TRUETYPE_MAGIC:
        return f"{path} is not a TrueType font file"
    if path.is_relative_to(folders[1]):
        return None  # briefgen's own fonts are known good, and parsing them costs time
    return _unusable_font(path)


def _unusable_font(path: Path) -> str | None:
    """Parse the font and make a small subset, as the PDF writer will.

    A damaged or crafted file can pass the magic-number check and then make
    ReportLab fail with any exception (KeyError, struct.error, ...) in the middle
    of a build; here it is a located theme problem instead.  It takes a few
    milliseconds for a Latin font.
    """
    from reportlab.pdfbase.ttfonts import TTFontFile

    try:
        font = TTFontFile(str(path))
        font.makeSubset(sorted(font.charToGlyph)[:64])
    except Exception as error:  # any failure of the parser means "not usable"
        return f"{path} is not a usable TrueType font ({error or type(error).__name__})"
    return None


def default_theme() -> Theme:
    """Return the built-in theme shipped in ``templates/themes/default.toml``."""
    return load_theme(templates_root() / "themes" / "default.toml")


def _resolve_fonts(theme: Theme, base: Path, problems: list[_ThemeKeyError]) -> Theme:
    """The theme's own families with absolute paths, over briefgen's built-in ones;
    a role or fallback naming a family that is neither goes to ``problems``."""
    own = {name: _absolute_family(family, base) for name, family in theme.fonts.families.items()}
    families = {**builtin_families(), **own}
    problems += _family_name_problems(theme.fonts, families)
    fonts = theme.fonts.model_copy(update={"families": families})
    return theme.model_copy(update={"fonts": fonts})


def _absolute_family(family: FontFamily, base: Path) -> FontFamily:
    def absolute(path: Path | None) -> Path | None:
        return None if path is None else (base / path).resolve()

    return family.model_copy(
        update={
            "regular": absolute(family.regular),
            "bold": absolute(family.bold),
            "italic": absolute(family.italic),
            "bold_italic": absolute(family.bold_italic),
        }
    )


@functools.cache
def builtin_families() -> dict[str, FontFamily]:
    """briefgen's own font families (``templates/fonts/families.toml``), absolute paths."""
    folder = templates_root() / "fonts"
    data = tomllib.loads((folder / "families.toml").read_text(encoding="utf-8"))
    return {
        name: _absolute_family(FontFamily.model_validate(family), folder)
        for name, family in data["families"].items()
    }


def _family_name_problems(fonts: Fonts, families: dict[str, FontFamily]) -> list[_ThemeKeyError]:
    known = ", ".join(sorted(families))
    problems = [
        _ThemeKeyError(
            ("fonts", role), f"no font family {name!r} is defined or built in (known: {known})"
        )
        for role, name in (("body", fonts.body), ("heading", fonts.heading), ("table", fonts.table))
        if name not in families
    ]
    missing = [name for name in fonts.fallbacks if name not in families]
    if missing:
        message = f"names font families it does not define: {', '.join(missing)} (known: {known})"
        problems.append(_ThemeKeyError(("fonts", "fallbacks"), message))
    return problems
