"""Shared fixtures: the repository (which is itself the demo site) and its builds."""

from __future__ import annotations

import shutil
import struct
import zlib
from pathlib import Path

import pytest

from generator.build import BuildResult, build

from .browser import CHROMIUM, CHROMIUM_ARGS, SETUP_HINT

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """The demo site (the repo's site.yaml and content/) built into a temporary folder."""
    output = tmp_path_factory.mktemp("demo") / "_site"
    return build(REPO, {"output": str(output)})


def portrait_png(size: int = 128) -> bytes:
    """A stand-in portrait as PNG bytes (a light head and shoulders on grey), the same
    every time: the photo of test sites (an SVG photo is refused)."""
    rows = []
    for y in range(size):
        row = bytearray(b"\x00")  # each row: filter type 0, then RGB pixels
        for x in range(size):
            head = (x - size / 2) ** 2 + (y - size * 0.375) ** 2 <= (size * 0.19) ** 2
            body = y >= size * 0.66 and abs(x - size / 2) <= y - size * 0.49
            row += b"\xf8\xfa\xfc" if head or body else b"\x94\xa3\xb8"
        rows.append(bytes(row))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data)))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"".join(rows), 9)) + chunk(b"IEND", b""))


def copy_demo(folder: Path) -> Path:
    """A copy of the repository's demo site (content/ and site.yaml) in `folder`."""
    shutil.copytree(REPO / "content", folder / "content")
    shutil.copyfile(REPO / "site.yaml", folder / "site.yaml")
    return folder


def make_site(folder: Path, profile: str | Path, site_yaml: str | None = None) -> Path:
    """A site folder holding content/profile.txt (copied or written) and optional site.yaml."""
    (folder / "content").mkdir(parents=True, exist_ok=True)
    target = folder / "content" / "profile.txt"
    if isinstance(profile, Path):
        shutil.copyfile(profile, target)
    else:
        target.write_text(profile, encoding="utf-8")
    if site_yaml is not None:
        (folder / "site.yaml").write_text(site_yaml, encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: Playwright's sync API allows one at a time."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail(f"Playwright for Python is not installed; {SETUP_HINT}", pytrace=False)
    if not CHROMIUM.is_file():
        pytest.fail(f"{CHROMIUM} is missing; {SETUP_HINT}", pytrace=False)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
