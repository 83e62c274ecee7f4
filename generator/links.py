"""The one check of a link a site's files give (a paper's `pdf:`, `slides:`...): an
http(s) URL as it is, or a path in the site made a URL under its base path."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from .errors import SiteError


def site_link(slug: str, key: str, value: Any, url: Callable[[str], str]) -> str | None:
    """A paper's link extra (`pdf`, `slides`, ...) as a URL: http(s) as it is, a path
    under the site's base."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    parts = urlsplit(text)
    if parts.scheme in ("http", "https") and parts.netloc:
        return text
    if not text or parts.scheme or text.startswith("//"):
        raise SiteError(
            f"paper '{slug}': '{key}' must be an http(s) URL or a path in the site, "
            f"found {value!r}"
        )
    return url(text.lstrip("/"))
