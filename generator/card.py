"""The link-preview card of a site without a photo: a 1200 x 630 PNG of its title and
description on the theme's accent colour, so every page's og:image shows something.

Drawn with Pillow (a dependency, imported only to draw a card), and kept in the
user's cache folder by its inputs (usercache.py): a build draws it once. The font is DejaVu
Sans where the system has it (Linux distributions and GitHub's runners do: Latin with its
accents, Greek, Cyrillic), else Pillow's own (ASCII letters only); a text the font cannot
draw is left off the card rather than drawn as boxes. The same inputs, Pillow and font
give the same bytes.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import re
import tempfile
from functools import lru_cache
from pathlib import Path

from . import usercache

#: DejaVu Sans and its bold, where Debian, Ubuntu and Fedora put them.
FONTS = [(Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
          Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")),
         (Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"),
          Path("/usr/share/fonts/dejavu-sans-fonts/DejaVuSans-Bold.ttf"))]
SIZE = (1200, 630)
MARGIN = 80
NAME = "card.png"


def available() -> bool:
    """Whether Pillow is installed, without importing it."""
    return importlib.util.find_spec("PIL") is not None


def make_card(title: str, description: str, accent: str | None, address: str = "") -> Path:
    """The card's file, in the user's cache (else a new temporary folder); `address` (the
    site's, without its scheme) is written at its foot. Pillow must be installed
    (`available()`)."""
    spec = importlib.util.find_spec("PIL")
    assert spec is not None and spec.origin is not None, "make_card without Pillow"
    try:
        made_by = [usercache.file_bytes(__file__),
                   usercache.file_bytes(os.path.join(os.path.dirname(spec.origin),
                                                     "_version.py")),
                   *(usercache.file_bytes(str(path)) for path in font_files())]
        folder = usercache.folder("cards", made_by)
    except OSError:
        folder = None
    if folder is None:
        folder = tempfile.mkdtemp(prefix="scholarfolio-card-")
    colour = accent if accent and re.fullmatch(r"#[0-9a-fA-F]{6}", accent) else "#1d4ed8"
    key = hashlib.blake2b(f"{title}\0{description}\0{colour}\0{address}".encode(),
                          digest_size=16)
    path = Path(folder) / f"{key.hexdigest()}.png"
    if not path.is_file():
        temporary = path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_bytes(_draw(title, description, colour, address))
        os.replace(temporary, path)
    return path


def _draw(title: str, description: str, colour: str, address: str) -> bytes:
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", SIZE, colour)
    draw = ImageDraw.Draw(image)
    width = SIZE[0] - 2 * MARGIN
    y = MARGIN
    for text, size, lines, fill, bold in ((title, 72, 3, "#ffffff", True),
                                          (description, 36, 4, "#e5e7eb", False)):
        font = _font(size, bold)
        if not text or not _drawable(text, size, bold):
            continue
        wrapped = _wrap(draw, text, font, width)
        if len(wrapped) > lines:
            wrapped = [*wrapped[:lines - 1], wrapped[lines - 1] + " …"]
        for line in wrapped:
            draw.text((MARGIN, y), line, font=font, fill=fill)
            y += int(size * 1.25)
        y += size // 2
    if address and _drawable(address, 32):
        draw.rectangle((0, SIZE[1] - 110, SIZE[0], SIZE[1]), fill="#0f172a")
        draw.text((MARGIN, SIZE[1] - 74), address, font=_font(32), fill="#ffffff")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def font_files() -> tuple[Path, Path] | tuple[()]:
    return next((pair for pair in FONTS if all(path.is_file() for path in pair)), ())


@lru_cache(maxsize=8)
def _font(size: int, bold: bool = False):
    from PIL import ImageFont

    files = font_files()
    if files:
        return ImageFont.truetype(str(files[1] if bold else files[0]), size)
    return ImageFont.load_default(size=size)


def _drawable(text: str, size: int, bold: bool = False) -> bool:
    """Every letter of `text` has a glyph in the font (a missing one draws as the same
    box as a private-use character)."""
    font = _font(size, bold)
    missing = bytes(font.getmask("\ue000"))
    return all(ch.isspace() or bytes(font.getmask(ch)) != missing for ch in set(text))


def _wrap(draw, text: str, font, width: int) -> list[str]:
    lines: list[str] = []
    for word in text.split():
        if lines and draw.textlength(f"{lines[-1]} {word}", font=font) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return lines
