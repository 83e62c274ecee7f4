"""The user's cache folder (`$XDG_CACHE_HOME/scholarfolio/`, else `~/.cache/scholarfolio/`):
what one run makes that the next may use whatever the site (compiled templates, converted
Markdown). Safe to delete; a folder that cannot be made is simply not used."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable


def folder(kind: str, made_by: Iterable[bytes]) -> str | None:
    """The folder of one kind of entry (`jinja`, `markdown`), one per version of the code
    that makes its entries: `made_by` are that code's bytes (source files, versions), so
    an upgrade starts a new folder rather than reading entries it would misread."""
    code = hashlib.blake2b(digest_size=6)
    for part in made_by:
        code.update(part)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    path = os.path.join(base, "scholarfolio", f"{kind}-{code.hexdigest()}")
    try:
        os.makedirs(path, mode=0o700, exist_ok=True)
    except OSError:
        return None
    return path


def file_bytes(path: str) -> bytes:
    """A source file's bytes, for `made_by`; raises OSError as open does."""
    with open(path, "rb") as handle:
        return handle.read()
