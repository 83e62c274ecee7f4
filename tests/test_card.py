"""The preview card of a site without a photo (generator/card.py, drawn with Pillow, a
dependency): a 1200 x 630 PNG of the site's title, description and address, on every
page's og:image, the same bytes on every build, and text the font cannot draw left off."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from generator import card
from generator.build import NO_PHOTO, build

from .conftest import copy_demo, portrait_png

BASE = "https://ana.github.io/site/"


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_a_site_without_a_photo_gets_a_card_on_every_pages_preview(tmp_path, own_cache):
    result = build(copy_demo(tmp_path / "site"), {"base_url": BASE, "as_of": "2026-11-23"})
    assert NO_PHOTO not in result.notes
    png = result.files["assets/card.png"]
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.size == (1200, 630)
    assert image.getpixel((5, 5)) == (0x1D, 0x4E, 0xD8)  # the theme's accent
    assert image.getpixel((600, 500)) == (0x1D, 0x4E, 0xD8)
    assert image.getpixel((5, 600)) == (0x0F, 0x17, 0x2A)  # the address's band
    pages = [p for p in result.files if p.endswith(".html") and p != "404.html"]
    for path in pages:
        html = result.files[path].decode()
        if 'http-equiv="refresh"' in html:
            continue  # a redirect has no preview
        assert f'<meta property="og:image" content="{BASE}assets/card.png">' in html, path
        assert '<meta name="twitter:card" content="summary_large_image">' in html, path


def test_the_card_is_the_same_bytes_on_every_build_and_follows_its_text(tmp_path, own_cache):
    site = copy_demo(tmp_path / "site")
    first = build(site, {"base_url": BASE, "as_of": "2026-11-23"}).files["assets/card.png"]
    drawn = card.make_card("S. M. Ali Eslami", "Some words.", "#1d4ed8", "x.org").read_bytes()
    for path in own_cache.rglob("*.png"):
        path.unlink()  # drawn again, not read back
    again = build(site, {"base_url": BASE, "as_of": "2026-11-23",
                         "output": str(tmp_path / "out2")}).files["assets/card.png"]
    assert again == first
    assert drawn != first  # another description: another card


def test_text_the_font_cannot_draw_is_left_off_not_drawn_as_boxes(own_cache):
    assert card.font_files(), "DejaVu Sans is missing: scripts/test installs fonts-dejavu-core"
    latin = card.make_card("", "Research on generative models.", "#1d4ed8", "x.org")
    cjk = card.make_card("山田 太郎", "Research on generative models.", "#1d4ed8", "x.org")
    assert cjk.read_bytes() == latin.read_bytes()
    accented = card.make_card("Tomáš Kočiský", "Research on generative models.", "#1d4ed8",
                              "x.org")
    assert accented.read_bytes() != latin.read_bytes()  # Latin letters with marks are drawn


def test_a_photo_is_the_preview_and_no_card_is_drawn(tmp_path, own_cache):
    site = copy_demo(tmp_path / "site")
    (site / "content" / "me.png").write_bytes(portrait_png(4))
    with (site / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("photo: content/me.png\n")
    result = build(site, {"base_url": BASE, "as_of": "2026-11-23"})
    assert "assets/card.png" not in result.files
    assert f'content="{BASE}assets/photo.png"' in result.files["index.html"].decode()


def test_a_default_install_draws_the_card_and_the_cards_extra_is_still_accepted():
    # Pillow is a dependency of scholarfolio itself, not of an extra: `pip install
    # scholarfolio` (and the workflow's requirements.txt) gives every page an og:image.
    # `scholarfolio[cards]`, as old install lines write it, still names a known extra.
    from importlib import metadata

    from packaging.requirements import Requirement

    required = [Requirement(line) for line in metadata.requires("scholarfolio")]
    (pillow,) = [req for req in required if req.name.lower() == "pillow"]
    assert pillow.marker is None, f"Pillow is installed only with an extra: {pillow}"
    assert "cards" in metadata.metadata("scholarfolio").get_all("Provides-Extra")
