"""Themes: how a document looks (fonts, sizes, colours, margins), never what it says.

A theme is a TOML file validated by the models below. Writers receive a
:class:`Theme` beside the :class:`~briefgen.document.model.Document`; font
paths are resolved relative to the theme file so a theme folder is portable.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from briefgen.errors import BriefgenError
from briefgen.resources import templates_root

_HEX_COLOUR = r"^#[0-9A-Fa-f]{6}$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PageSetup(_Strict):
    """Paper size and margins."""

    size: Literal["A4", "Letter"] = "A4"
    margin_top_mm: float = Field(24, gt=5, lt=80)
    margin_bottom_mm: float = Field(22, gt=5, lt=80)
    margin_left_mm: float = Field(22, gt=5, lt=80)
    margin_right_mm: float = Field(22, gt=5, lt=80)


class FontFamily(_Strict):
    """One font family as TrueType files; missing styles fall back to ``regular``."""

    regular: Path
    bold: Path | None = None
    italic: Path | None = None
    bold_italic: Path | None = None
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

    body: str
    heading: str
    table: str
    fallbacks: tuple[str, ...] = ()
    families: dict[str, FontFamily]


class Sizes(_Strict):
    """Font sizes in points."""

    body: float = 10.5
    small: float = 8.5
    table: float = 9
    title: float = 20
    subtitle: float = 13
    h1: float = 14
    h2: float = 11.5
    h3: float = 10.5
    leading: float = Field(1.35, ge=1.0, le=3.0)


class Colors(_Strict):
    """Colours as ``#RRGGBB``; ``tones`` and ``labels`` are keyed by document-model names."""

    text: str = Field("#1A1A1A", pattern=_HEX_COLOUR)
    muted: str = Field("#5F6368", pattern=_HEX_COLOUR)
    accent: str = Field("#1F3A5F", pattern=_HEX_COLOUR)
    rule: str = Field("#B8C2CC", pattern=_HEX_COLOUR)
    table_header_bg: str = Field("#1F3A5F", pattern=_HEX_COLOUR)
    table_header_text: str = Field("#FFFFFF", pattern=_HEX_COLOUR)
    table_stripe_bg: str = Field("#F3F5F8", pattern=_HEX_COLOUR)
    callout_bg: str = Field("#EEF2F7", pattern=_HEX_COLOUR)
    banner_text: str = Field("#1A1A1A", pattern=_HEX_COLOUR)
    tones: dict[str, str] = {}
    labels: dict[str, str] = {}

    @field_validator("tones", "labels")
    @classmethod
    def _check_hex(cls, value: dict[str, str]) -> dict[str, str]:
        import re

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
    header_text: str = Field("", max_length=80, pattern=_LETTERHEAD_TEXT)
    footer_text: str = Field("", max_length=80, pattern=_LETTERHEAD_TEXT)


class Theme(_Strict):
    """A whole theme. Font and logo paths are absolute once loaded."""

    name: str = "default"
    page: PageSetup = PageSetup()
    fonts: Fonts
    sizes: Sizes = Sizes()
    colors: Colors = Colors()
    letterhead: Letterhead = Letterhead()

    def family(self, name: str) -> FontFamily:
        """Return a family by name; theme loading guarantees every named family exists."""
        return self.fonts.families[name]


class ThemeError(BriefgenError):
    """A theme file that cannot be read or does not describe a usable theme."""


def load_theme(path: Path) -> Theme:
    """Load and validate a theme file, resolving font paths against its folder.

    Every way a theme can be wrong (unreadable, bad TOML, unknown keys, a font
    file that is missing) becomes one ThemeError naming the file.
    """
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        theme = _resolve_logo(_resolve_fonts(Theme.model_validate(data), path.parent), path)
    except OSError as error:
        raise ThemeError(f"theme {path}: cannot read it: {error.strerror}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise ThemeError(f"theme {path}: not valid TOML: {error}") from None
    except ValidationError as error:
        raise ThemeError(f"theme {path}: {_theme_messages(error)}") from None
    except ValueError as error:
        raise ThemeError(f"theme {path}: {error}") from None
    _check_font_files(theme, path)
    return theme


def _resolve_logo(theme: Theme, path: Path) -> Theme:
    """Make the logo path absolute and check that it is a real, small PNG or JPEG file
    inside the theme's folder, so a theme cannot have any other local file embedded."""
    logo = theme.letterhead.logo
    if logo is None:
        return theme
    folder = path.parent.resolve()
    resolved = (folder / logo).resolve()
    if not resolved.is_relative_to(folder):
        raise ValueError(f"letterhead.logo: {logo} is outside the theme's folder {folder}")
    _check_image(resolved, logo)
    letterhead = theme.letterhead.model_copy(update={"logo": resolved})
    return theme.model_copy(update={"letterhead": letterhead})


def _check_image(path: Path, shown: Path) -> None:
    if not path.is_file():
        raise ValueError(f"letterhead.logo: no image file {shown}")
    if path.stat().st_size > MAX_LOGO_BYTES:
        raise ValueError(f"letterhead.logo: {shown} is larger than {MAX_LOGO_BYTES // 1024} KiB")
    with path.open("rb") as stream:
        head = stream.read(8)
    kind = next((name for magic, name in _IMAGE_MAGIC.items() if head.startswith(magic)), None)
    if kind is None:
        raise ValueError(f"letterhead.logo: {shown} is not a PNG or JPEG image")
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise ValueError(f"letterhead.logo: {shown} is not a readable {kind}: {error}") from None
    if width * height > MAX_LOGO_PIXELS:
        raise ValueError(
            f"letterhead.logo: {shown} is {width}x{height} pixels; use a smaller image"
        )


def _theme_messages(error: ValidationError) -> str:
    return "; ".join(
        f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}"
        for item in error.errors(include_url=False)
    )


def _check_font_files(theme: Theme, path: Path) -> None:
    for name, family in theme.fonts.families.items():
        for face in (family.regular, family.bold, family.italic, family.bold_italic):
            if face is not None and not face.is_file():
                raise ThemeError(f"theme {path}: font family {name!r}: no font file {face}")


def default_theme() -> Theme:
    """Return the built-in theme shipped in ``templates/themes/default.toml``."""
    return load_theme(templates_root() / "themes" / "default.toml")


def _resolve_fonts(theme: Theme, base: Path) -> Theme:
    def absolute(path: Path | None) -> Path | None:
        return None if path is None else (base / path).resolve()

    families = {
        name: family.model_copy(
            update={
                "regular": absolute(family.regular),
                "bold": absolute(family.bold),
                "italic": absolute(family.italic),
                "bold_italic": absolute(family.bold_italic),
            }
        )
        for name, family in theme.fonts.families.items()
    }
    _check_family_names(theme.fonts, families)
    fonts = theme.fonts.model_copy(update={"families": families})
    return theme.model_copy(update={"fonts": fonts})


def _check_family_names(fonts: Fonts, families: dict[str, FontFamily]) -> None:
    named = [fonts.body, fonts.heading, fonts.table, *fonts.fallbacks]
    missing = [name for name in named if name not in families]
    if missing:
        raise ValueError(f"theme names font families it does not define: {', '.join(missing)}")
