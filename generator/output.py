"""Write the built site: into a staging folder beside the output, then swap it in whole.

Only this module writes files, and only inside the output folder. A failed
build leaves the previous site untouched; files whose bytes did not change
keep their modification time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import OutputError

MARKER = ".scholarfolio"
MARKER_TEXT = b"This folder is written by scholarfolio build; it is replaced on every build.\n"


def check_output_folder(output: Path, site_root: Path, protected: list[Path]) -> None:
    """Refuse output folders whose replacement would lose someone's files."""
    output = output.resolve()
    site_root = site_root.resolve()
    home = Path.home().resolve()
    why = None
    if output == Path(output.anchor):
        why = "it is the file system root"
    elif output == home:
        why = "it is your home folder"
    elif site_root.is_relative_to(output):
        why = "it is the site folder" if output == site_root else "it holds the site folder"
    else:
        for path in protected:
            path = path.resolve()
            if output == path or output.is_relative_to(path) or path.is_relative_to(output):
                why = f"it overlaps {path}, which the build reads"
                break
    if why:
        raise OutputError(
            f"will not write the site into {output}: {why}; set 'output:' in "
            "site.yaml (or --output) to a folder of its own, such as _site"
        )
    if output.exists() and not output.is_dir():
        raise OutputError(f"will not write the site into {output}: it is a file, not a folder")
    if output.is_dir() and not (output / MARKER).is_file() and any(output.iterdir()):
        raise OutputError(
            f"will not replace {output}: it holds files that scholarfolio did not "
            f"write (there is no {MARKER} marker from an earlier build); empty or "
            "remove it, or choose another output folder"
        )


def write_site(files: dict[str, bytes], output: Path) -> int:
    """Write `files` (relative path -> bytes) as the new contents of `output`.

    Returns how many files differ from the previous build (new or changed).
    """
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}.staging-", dir=output.parent))
    changed = 0
    try:
        for relative, data in sorted(files.items()):
            target = (staging / relative).resolve()
            if not target.is_relative_to(staging.resolve()) or target == staging.resolve():
                raise OutputError(f"refusing to write outside the output folder: {relative!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            previous = output / relative
            if _same_bytes(previous, data):
                stat = previous.stat()
                os.utime(target, ns=(stat.st_atime_ns, stat.st_mtime_ns))
            else:
                changed += 1
        (staging / MARKER).write_bytes(MARKER_TEXT)
        _swap(staging, output)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return changed


def _same_bytes(path: Path, data: bytes) -> bool:
    try:
        if path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False


def _swap(staging: Path, output: Path) -> None:
    if not output.exists():
        staging.rename(output)
        return
    trash = Path(tempfile.mkdtemp(prefix=f".{output.name}.old-", dir=output.parent))
    old = trash / "site"
    output.rename(old)
    try:
        staging.rename(output)
    except BaseException:
        old.rename(output)
        raise
    finally:
        shutil.rmtree(trash, ignore_errors=True)
