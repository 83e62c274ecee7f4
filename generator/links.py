"""The one check of a link a site's files give (a paper's `pdf:`, `slides:`...): an
http(s) URL as it is, or a path in the site, made a URL under its base path."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .errors import SiteError

#: What a link must be, as messages say it.
EXPECTED = "must be an http(s) URL or a path in the site"


def is_link(text: str) -> bool:
    """Whether `text` is an http(s) URL with a host, or a path in the site (no scheme,
    not `//host/...`, not empty)."""
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return True
    return bool(text) and not parts.scheme and not text.startswith("//")


def site_link(slug: str, key: str, value: Any, url: Callable[[str], str]) -> str | None:
    """A paper's link extra (`pdf`, `slides`, ...) as a URL: http(s) as it is, a path
    under the site's base."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if not is_link(text):
        raise SiteError(f"paper '{slug}': '{key}' {EXPECTED}, found {value!r}")
    if urlsplit(text).scheme:  # http(s): is_link allows no other scheme
        return text
    return url(text.lstrip("/"))


def bare_doi(text: str) -> str:
    """A DOI without the forms it is often written in: `https://doi.org/`, `doi:`."""
    return re.sub(r"^(https?://(dx\.)?doi\.org/|doi:)", "", text.strip(), flags=re.I)
