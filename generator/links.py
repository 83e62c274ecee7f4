"""The one rule of links: which targets from input may be a link's `href` (`is_href`:
http(s), mailto: or a path in the site, as a browser reads it), used by every place that
makes a link from input (Markdown, cv.yaml, site.yaml, per-paper files); and the check of
a paper's link fields (`pdf:`, `slides:`...): an http(s) URL as it is, or a path in the
site, made a URL under its base path."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import quote, urlsplit

from .errors import SiteError

#: What a link must be, as messages say it.
EXPECTED = "must be an http(s) URL or a path in the site"


def is_web_url(text: str) -> bool:
    """Whether `text` is an http(s) URL with a host that the link rule (`is_href`) allows:
    the one check of such an address, for a paper's links, site.yaml's (base_url, links,
    coauthors) and cv.yaml's (website, url) alike."""
    return is_href(text) and href_scheme(text) in ("http", "https")


def _has_host(text: str) -> bool:
    parts = urlsplit(text)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


#: What browsers drop from anywhere in a URL (ASCII tab, newline, carriage return), and
#: what they strip from its start (C0 controls and space), before reading it.
_DROPPED = str.maketrans("", "", "\t\n\r")
_LEADING = "".join(map(chr, range(0x21)))


def leaves_site(path: str) -> bool:
    """Whether a site path, as a browser reads it, names another host: it starts with two
    slashes or backslashes in any mix (`//host`, `/\\host`, `\\/host`, `\\\\host`: Chromium
    takes a backslash for a slash, and drops tabs and newlines, so `/<TAB>/host` is
    `//host`), or what follows its leading slashes does (`site_link` puts that after the
    base path `/`: `\\host` would be `/\\host`). The one rule for a site path, a paper's
    links and site.yaml's base_url alike."""
    text = path.translate(_DROPPED).lstrip(_LEADING)
    rest = path.lstrip("/").translate(_DROPPED)
    return text.startswith(("//", "/\\", "\\")) or rest.startswith(("/", "\\"))


#: A URL's scheme as browsers read it (RFC 3986: a letter, then letters, digits, + - .).
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
#: A `tel:` link the CV makes of a phone number: digits after an optional +.
_PHONE = re.compile(r"tel:\+?[0-9]+", re.I)


def href_scheme(target: str) -> str | None:
    """The scheme of `target` as a browser reads it, lower-cased (tabs and newlines
    dropped, leading and trailing controls and spaces stripped), or None: a path."""
    found = _SCHEME.match(target.translate(_DROPPED).strip(_LEADING))
    return found.group(1).lower() if found else None


def _allowed(target: str) -> bool:
    text = target.translate(_DROPPED).strip(_LEADING)
    scheme = href_scheme(text)
    if scheme is None:
        return bool(text) and not leaves_site(text)
    if scheme in ("http", "https"):
        return _has_host(text)
    return scheme == "mailto" or bool(_PHONE.fullmatch(text))


def is_href(target: str) -> bool:
    """THE rule of links: whether a target taken from input (Markdown, cv.yaml, site.yaml,
    a per-paper file) may be a link's `href` or an image's `src`. Only an http(s) URL with
    a host, a `mailto:` address (and the CV's `tel:` of a phone number, digits only), or a
    path in the site (relative, from the root, a `#fragment`; nothing a browser reads as
    `//host`, see `leaves_site`). Judged as the browser reads it, both as written and with
    HTML's character references decoded (Markdown's output leaves `&#106;` undecoded), so
    `javascript:`, `data:`, `vbscript:`, `java<TAB>script:`, `&#106;avascript:`, `//host`
    and `/\\host` are no links: they are shown as text."""
    return all(_allowed(form) for form in {target, html.unescape(target)})


def under_base(target: str, base_path: str) -> str:
    """A link target as the page must have it: a path from the site's root (`/about/`)
    under the site's base path (`/s/about/` on a project site), as every link the site
    makes is; a relative path, a `#fragment` or a URL as it is. The one rule for links
    written in Markdown and in front matter alike."""
    if base_path == "/" or href_scheme(target) is not None or not target.startswith("/"):
        return target
    return base_path + target.lstrip("/")


def is_email(text: str) -> bool:
    """Whether `text` is an e-mail address (something@host.tld, no spaces, quotes or
    angle brackets): site.yaml's `email` link and cv.yaml's `email`, made `mailto:` links."""
    return bool(re.fullmatch(r"[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+", text))


def is_link(text: str) -> bool:
    """Whether `text` is an http(s) URL with a host, or a path in the site (no scheme,
    nothing a browser reads as `//host/...`, not empty): a paper's link field, an `href`
    by `is_href` that is no mailto: or tel:."""
    return is_href(text) and href_scheme(text) in (None, "http", "https")


def site_link(slug: str, key: str, value: Any, url: Callable[[str], str]) -> str | None:
    """A paper's link extra (`pdf`, `slides`, ...) as a URL: http(s) as it is, a path
    under the site's base."""
    if value is None:
        return None
    text = value.strip() if isinstance(value, str) else ""
    if not is_link(text):
        raise SiteError(f"paper '{slug}': '{key}' {EXPECTED}, found {value!r}")
    if urlsplit(text).scheme:  # http(s): is_link allows no other scheme
        return escaped(text)
    return escaped(url(text.lstrip("/")))


#: What no URL may hold as it is (RFC 3986, WHATWG URL): spaces and controls, the
#: characters outside its syntax, and a `%` that starts no escape. Sources do write them
#: (`url = {http://host/ name/x.pdf}`, a `~` a reference manager lost; a file name with
#: spaces; a SICI DOI's `<` and `[`). `[` and `]` only after the host, which may be an
#: IPv6 literal (`http://[::1]/`); a second `#` only in the fragment.
_NOT_IN_URLS = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}]|%(?![0-9A-Fa-f]{2})')
_NOT_AFTER_HOST = re.compile(r'[\x00-\x20\x7f"<>\\^`{|}\[\]]|%(?![0-9A-Fa-f]{2})')
#: An address's scheme and host (`https://host:80`), which keep their brackets.
_AUTHORITY = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#]*")


def _encoded(match: re.Match[str]) -> str:
    return "".join(f"%{b:02X}" for b in match.group().encode())


def escaped(address: str) -> str:
    """An address (an http(s) URL or a site path) as a link's href: what no URL may hold
    percent-encoded, as a browser sends it (`x y.pdf` -> `x%20y.pdf`, `37[808` ->
    `37%5B808`), so the Nu checker finds every href valid; all else, an escape such as
    `%20` included, as written."""
    found = _AUTHORITY.match(address)
    head = found.group() if found else ""
    rest, hash_, fragment = address[len(head):].partition("#")
    return (_NOT_IN_URLS.sub(_encoded, head) + _NOT_AFTER_HOST.sub(_encoded, rest) + hash_
            + _NOT_AFTER_HOST.sub(_encoded, fragment).replace("#", "%23"))


#: What a DOI keeps as it is in a `https://doi.org/` link: what a URL's path may hold. All
#: else (`<`, `>`, `[`, `]`, `#`, `?`, `%`, spaces, other scripts) is percent-encoded, as
#: the DOI Handbook asks of a DOI in a URL.
_DOI_SAFE = "/:;()!$&'*+,=@~"


def doi_url(doi: str) -> str:
    """The `https://doi.org/` address of a bare DOI, percent-encoded so that it is one
    valid URL whatever the DOI holds (`10.1603/0046-225X(2008)37[808:ROHBHA]2.0.CO;2`):
    the one place a DOI becomes a link, for pages, the CV and the page's data."""
    return "https://doi.org/" + quote(doi, safe=_DOI_SAFE)


#: What is written before a DOI: `https://doi.org/`, `http://dx.doi.org/`, `doi.org/`,
#: `doi:`, `DOI: `, `DOI ` (IEEE's export), in any case and any mix.
_DOI_PREFIX = re.compile(r"^(?:(?:https?://)?(?:www\.|dx\.)?doi\.org/|doi\s*:?\s*(?=10\.)|doi:\s*)",
                         re.I)


def bare_doi(text: str) -> str:
    """A DOI without the forms it is often written in: `https://doi.org/...`,
    `http://dx.doi.org/...`, `doi:10...`, `DOI: 10...`, `DOI 10...`, and URL-encoded
    (`10.1000%2Fxyz`, as a link copied from a browser has it). The one rule for every
    reader and page."""
    bare = text.strip()
    while True:  # `doi:https://doi.org/10...` has been seen
        stripped = _DOI_PREFIX.sub("", bare, count=1).strip()
        if stripped == bare:
            break
        bare = stripped
    if "%" in bare and re.search(r"%[0-9A-Fa-f]{2}", bare):
        from urllib.parse import unquote

        bare = unquote(bare)
    return bare


#: An arXiv identifier where text names one: `arXiv:2201.12204`, `arxiv.org/abs/...`,
#: `10.48550/arXiv.2201.12204`, or an old-style `cs/0112017`.
_ARXIV_ID = re.compile(r"(?:arxiv\.org/(?:abs|pdf)/|arxiv[:.]\s*)"
                       r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?", re.I)
_DOI_IN_TEXT = re.compile(r"(?:doi\.org/|doi:\s*)(10\.\d{4,9}/[^\s\"<>]+)", re.I)


def arxiv_id(text: str) -> str | None:
    """The arXiv identifier `text` names (without its version), or None."""
    found = _ARXIV_ID.search(text)
    return found.group(1) if found else None


def doi_in(text: str) -> str | None:
    """The DOI a `doi.org/` link or a `doi:` in `text` names, or None."""
    found = _DOI_IN_TEXT.search(text)
    return found.group(1).rstrip(".,;)") if found else None
