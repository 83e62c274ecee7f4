"""What the last build of a site read and wrote, so that a build whose inputs did not
change can stop before reading the profile, and write nothing.

The cache is one JSON file per output folder in `.scholarfolio-cache/` beside
`site.yaml` (like Jekyll's `.jekyll-cache`): a digest of every input (settings, the
profile, content/, templates/, static/, the theme's folders, the photo, the
generator's own code, the versions of the packages it runs on, the as-of date in force
and the working folder that messages are relative to), the warnings the build gave, and
each output file's size and modification time as written. A build is skipped only when
the digest matches and every output file is still the regular file that build left
there; anything else (a missing or unreadable cache, an edited or deleted output file)
means a full build.
JSON, not pickle: a cache file in a cloned repository must never be able to run code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from pathlib import Path

from . import card, installation
from .config import SiteConfig
from .errors import Problem
from .themes import Theme

FOLDER = ".scholarfolio-cache"
FORMAT = 2
_CODE = Path(__file__).resolve().parent


def inputs_digest(config: SiteConfig, theme: Theme) -> str:
    """A digest of everything a build of `config` reads (see the module's description)."""
    digest = hashlib.blake2b(digest_size=20)
    as_of = config.as_of or dt.date.today()
    # The homepage comes from the installed package's metadata, which code files don't show.
    # So do whether Pillow is there to draw the preview card, and the card's font, and the
    # versions of the packages the generator runs on (another Pygments highlights otherwise).
    digest.update(f"{FORMAT}\0{config!r}\0{as_of}\0{Path.cwd()}\0"
                  f"{installation.homepage()}\0{card.available()}\0"
                  f"{card.font_files()}\0{installation.dependency_versions()}\0".encode())
    files = [config.config_path, config.profile, *([config.photo] if config.photo else [])]
    folders = [config.root / name for name in ("content", "templates", "static")]
    folders += [*theme.folders, _CODE]
    for path in [*files, *(p for folder in folders for p in _files(folder))]:
        try:
            data = path.read_bytes()
        except OSError:
            data = b"\0missing"
        digest.update(f"{path}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _files(folder: Path) -> list[Path]:
    """The files under `folder`, sorted, without Python's byte-code caches (whose folders
    are not walked: listing generator/ with them took ~3 ms of a small site's build)."""
    found: list[Path] = []

    def unlistable(exc: OSError) -> None:  # read as missing: the digest changes, and the
        if not isinstance(exc, FileNotFoundError):  # build says why (listing.py)
            found.append(Path(exc.filename or folder, ":unlistable:"))

    for parent, folders, names in os.walk(folder, onerror=unlistable):
        folders[:] = [name for name in folders if name != "__pycache__"]
        found += (path for name in names if (path := Path(parent, name)).is_file())
    return sorted(found)


def cache_path(config: SiteConfig) -> Path:
    key = hashlib.blake2b(str(config.output).encode(), digest_size=8).hexdigest()
    return config.root / FOLDER / f"build-{key}.json"


def unchanged_build(config: SiteConfig, digest: str
                    ) -> tuple[list[str], list[Problem], str, list[str]] | None:
    """The output paths, warnings, summary of sources and merges of the last build, when its
    inputs had `digest` and its output is untouched; otherwise None."""
    try:
        with open(cache_path(config), encoding="utf-8") as handle:
            saved = json.load(handle)
        if saved.get("format") != FORMAT or saved.get("inputs") != digest:
            return None
        files: dict[str, list[int]] = saved["files"]
        warnings = [Problem(**fields) for fields in saved["warnings"]]
        summary = str(saved["sources"])
        merges = [str(line) for line in saved["merges"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    output = str(config.output)
    for relative, (size, mtime) in files.items():
        try:
            info = os.lstat(os.path.join(output, relative))
        except OSError:
            return None
        if not stat.S_ISREG(info.st_mode) or info.st_size != size or info.st_mtime_ns != mtime:
            return None
    return sorted(files), warnings, summary, merges


def save_build(config: SiteConfig, digest: str, paths: Iterable[str],
               warnings: Iterable[Problem], written: Mapping[str, tuple[int, int]],
               summary: str = "", merges: Iterable[str] = ()) -> None:
    """Record a finished build (see the module's description); a cache that cannot be
    written only costs the next build its shortcut. `written`: the size and modification
    time of files this build wrote, as it wrote them (moving a file into the output keeps
    both); the others are looked up (10,000 papers: 40,024 lookups took 0.22 s)."""
    output = str(config.output)
    try:
        files = {}
        for relative in sorted(paths):
            known = written.get(relative)
            if known is None:
                info = os.lstat(os.path.join(output, relative))
                known = (info.st_size, info.st_mtime_ns)
            files[relative] = list(known)
        path = cache_path(config)
        path.parent.mkdir(exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        temporary.write_text(json.dumps({"format": FORMAT, "inputs": digest, "files": files,
                                         "warnings": [asdict(w) for w in warnings],
                                         "sources": summary, "merges": list(merges)}),
                             encoding="utf-8")
        os.replace(temporary, path)
    except OSError:
        pass
