"""The one network client of `sync`: requests with urllib3's Retry (backoff on 429 and 5xx,
`Retry-After` honoured up to a cap), timeouts, a User-Agent naming the project and the
contact e-mail, and a cache of raw response bodies in the site's `.scholarfolio-cache/sync/`,
so that `--offline` runs from it. The cache key is the service, path and query
(`cache_key`): neither the base URL (a mirror set by `SCHOLARFOLIO_*_URL` serves the same
cache) nor the key or the e-mail; files of the older key (the full URL) are never read
again, and harm nothing. Each service's base URL can be set by an environment variable (`BASES`).

A server that stalls is given `TIMEOUT` (10 s to connect, 60 s to answer: the read timeout
can be set by `SCHOLARFOLIO_SYNC_TIMEOUT` or the Client's `timeout`) and asked once more
(`READ_RETRIES`), a progress line saying so: a weekly job then waits two minutes, not four,
for a service that is down. OpenAlex's redirects are not followed by requests, which would
drop the key and the mailto: a merged author's 301 is read by openalex.author, which asks
for the new id through this client (`Moved`).

An online run fetches every page again, unconditionally: none of the services sends a
validator to revalidate a cached body with. Their recorded responses carry no `ETag` and
no `Last-Modified`: ORCID's (rOpenSci rorcid's cassettes, 2019) say `Cache-Control:
no-cache, no-store, max-age=0, must-revalidate` and `Expires: 0`; OpenAlex's (openalexPro's,
November 2025) say nothing of caching (`cf-cache-status: DYNAMIC`); Crossref's (rcrossref,
habanero) and arXiv's (arxiv.py) recordings have neither. So no request is sent with
`If-None-Match` or `If-Modified-Since`, and a weekly run costs what the works take:
OpenAlex's author, one page per 200 works (no empty page after the last: openalex.works
stops at `meta.count`), and ORCID's list. Should a service start sending validators, they
would be kept beside the cached body and sent back, a 304 serving the body.

The OpenAlex key is sent as the `api_key` parameter and nowhere else: it is not part of a
cache key or a cached file, and every message is made from the URL without it or the
contact e-mail (which CI takes from a repository secret; GitHub masks only its literal value,
not `%40` or `+`), and scrubbed of both in every form besides. Every failure is one
`SyncError` naming the service and what to do.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from ..errors import SiteError

#: Each service: (its name in messages, the variable that replaces its base, the default).
BASES = {
    "openalex": ("OpenAlex", "SCHOLARFOLIO_OPENALEX_URL", "https://api.openalex.org"),
    "orcid": ("ORCID", "SCHOLARFOLIO_ORCID_URL", "https://pub.orcid.org"),
    "crossref": ("Crossref", "SCHOLARFOLIO_CROSSREF_URL", "https://api.crossref.org"),
    "arxiv": ("arXiv", "SCHOLARFOLIO_ARXIV_URL", "https://export.arxiv.org"),
}
TIMEOUT = (10, 60)  # connect, read: seconds
#: The variable that sets the read timeout in seconds (a slow mirror; the tests' stalls).
TIMEOUT_ENV = "SCHOLARFOLIO_SYNC_TIMEOUT"
RETRIES = 3
READ_RETRIES = 1  # a server that took the request and said nothing is asked once more
BACKOFF = 0.5  # seconds, doubled each retry
RETRY_AFTER_CAP = 60.0  # the longest Retry-After waited for, in seconds
CACHE = Path(".scholarfolio-cache") / "sync"


class SyncError(SiteError):
    """A service that failed: one line naming it and what to do. Nothing was written."""


class Moved(SyncError):
    """An OpenAlex redirect, not followed: `location` is where it points (scrubbed)."""

    def __init__(self, message: str, location: str):
        super().__init__(message)
        self.location = location


def base_url(service: str) -> str:
    """The service's base URL: its environment variable's, else the public one."""
    _, variable, default = BASES[service]
    return (os.environ.get(variable) or default).rstrip("/")


class Client:
    """GETs JSON from the services, through the cache; `offline` reads the cache only."""

    def __init__(self, root: Path, *, email: str | None, api_key: str | None,
                 offline: bool = False, store: bool = True,
                 progress: Callable[[str], None] | None = None,
                 key_env: str = "OPENALEX_API_KEY", timeout: float | None = None):
        self.cache = root / CACHE
        self.email = email
        self.api_key = api_key or None
        self.key_env = key_env  # named in messages: the variable (on CI, the secret)
        self.key_empty = api_key == ""  # set, but to nothing
        self.timeout = (TIMEOUT[0], timeout or _env_timeout() or TIMEOUT[1])
        self.offline = offline
        self.store = store  # keep what is fetched in the cache (not on a dry run)
        self.progress = progress or (lambda line: print(line, file=sys.stderr, flush=True))
        self._session: Any = None

    def get_json(self, service: str, path: str, params: dict[str, str] | None = None,
                 accept: str = "application/json",
                 parse: Callable[[bytes], Any] | None = None) -> Any:
        """The decoded JSON at `path` of the service, with `params` (and the mailto);
        raises SyncError for any failure. `parse` reads a body that is not JSON (arXiv's
        Atom), raising ValueError for one it cannot read."""
        params = dict(params or {})
        # `url` is what messages show: neither the key nor the e-mail is in it.
        url = base_url(service) + path + ("?" + urlencode(params) if params else "")
        name = BASES[service][0]
        cached = self.cache / (cache_key(service, path, params) + ".json")
        if self.offline:
            try:
                body = cached.read_bytes()
            except OSError:
                raise SyncError(self._scrub(
                    f"sync: {name}: --offline, but no response to {url} is in {CACHE}/; run "
                    "sync once without --offline")) from None
        else:
            body = self._fetch(service, url, params, accept)
        try:
            data = (parse or json.loads)(body)
        except ValueError as exc:
            kind = "JSON" if parse is None else "what was expected"
            raise SyncError(self._scrub(
                f"sync: {name}: the response to {url} is not {kind} ({exc}); try again "
                "later, and if it stays so, report it: the service may have changed")) from None
        if self.store and not self.offline:
            self.cache.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(".tmp")
            tmp.write_bytes(body)
            tmp.replace(cached)
        return data

    def _fetch(self, service: str, url: str, params: dict[str, str], accept: str) -> bytes:
        import requests  # only a sync needs it

        name = BASES[service][0]
        sent = dict(params)
        if service in ("openalex", "crossref") and self.email:
            sent["mailto"] = self.email
        if service == "openalex" and self.api_key:
            sent["api_key"] = self.api_key
        try:
            response = self._http().get(url.split("?")[0], params=sent, timeout=self.timeout,
                                        headers={"Accept": accept},
                                        allow_redirects=service != "openalex")
        except requests.exceptions.RequestException as exc:
            raise SyncError(self._scrub(self._failure(exc, name, url, service))) from None
        status = response.status_code
        if service == "openalex" and status in (301, 302, 303, 307, 308):
            location = self._scrub(_without_secrets(response.headers.get("Location", "")))
            raise Moved(f"sync: {name}: {url} moved ({status}) to {location or 'nowhere'}; "
                        "report it: the service may have changed", location)
        message = self._refused(status, name, url, service)
        if message:
            raise SyncError(self._scrub(message))
        return response.content

    def _failure(self, exc: Exception, name: str, url: str, service: str) -> str:
        """The message for a request that got no answer: retried to the end, stalled, or
        never connected."""
        import requests
        from urllib3.exceptions import ReadTimeoutError

        reason = getattr(exc.args[0], "reason", None) if exc.args else None
        if isinstance(exc, requests.exceptions.ReadTimeout) or isinstance(
                reason, ReadTimeoutError):
            return (f"sync: {name}: {url} did not answer within {self.timeout[1]:g} s "
                    f"({READ_RETRIES + 1} tries); try again later, or check "
                    f"{BASES[service][1]} if it is set")
        if isinstance(exc, requests.exceptions.RetryError):
            return f"sync: {name}: {url} kept failing after {RETRIES} retries; try again later"
        return (f"sync: {name}: cannot reach {url} ({type(exc).__name__}); check the "
                f"connection, or {BASES[service][1]} if it is set")

    def _refused(self, status: int, name: str, url: str, service: str) -> str | None:
        """The message for an answer that is a failure, or None for a success."""
        if status == 429:
            return (f"sync: {name}: too many requests (429) for {url}, even after waiting; "
                    "try again later" + (f"; {self.key_advice()}" if service == "openalex"
                                         and not self.api_key else ""))
        if status >= 500:
            return (f"sync: {name}: the service failed ({status}) for {url} after {RETRIES} "
                    "retries; try again later")
        if status in (401, 403):
            return (f"sync: {name}: access refused ({status}) for {url}; "
                    + (self.key_advice() if service == "openalex" else "check the iD"))
        if status == 404:
            return f"sync: {name}: not found (404): {url}; check the id in site.yaml's sync:"
        if status >= 400:
            return (f"sync: {name}: the request was refused ({status}) for {url}; check "
                    "site.yaml's sync:")
        return None

    def key_advice(self) -> str:
        """What to do about the OpenAlex key, naming its variable (on CI, the secret)."""
        var = self.key_env
        if self.api_key:
            return (f"the key in {var} was refused: check it (on GitHub: the repository "
                    f"secret {var})")
        state = "is empty" if self.key_empty else "is not set"
        return (f"{var} {state}: get OpenAlex's free API key at "
                f"https://openalex.org/settings/api and set {var} to it (on GitHub: the "
                f"repository secret {var})")

    def _scrub(self, text: str) -> str:
        """`text` without the key or the contact e-mail, as written, percent-encoded or
        plus-encoded (whatever a URL or a library made of them)."""
        from urllib.parse import quote, quote_plus

        for secret in filter(None, (self.api_key, self.email)):
            for form in sorted({secret, quote(secret, safe=""), quote(secret),
                                quote_plus(secret)}, key=len, reverse=True):
                text = re.sub(re.escape(form), "***", text, flags=re.IGNORECASE)
        return text

    def _http(self) -> Any:
        if self._session is None:
            import requests
            from requests.adapters import HTTPAdapter

            session = requests.Session()
            adapter = HTTPAdapter(max_retries=_retry(self.progress, self.timeout[1]))
            session.mount("http://", adapter)
            session.mount("https://", adapter)
            session.headers["User-Agent"] = user_agent(self.email)
            self._session = session
        return self._session


def user_agent(email: str | None) -> str:
    """`scholarfolio/0.3.0 (+homepage; mailto:address)`: who asks, and how to reach them."""
    from .. import __version__
    from ..installation import homepage

    about = "; ".join(filter(None, (f"+{homepage()}" if homepage() else None,
                                    f"mailto:{email}" if email else None)))
    return f"scholarfolio/{__version__}" + (f" ({about})" if about else "")


def cache_key(service: str, path: str, params: dict[str, str]) -> str:
    """The name of a cached body: the service, path and query (the key and the e-mail are
    never in `params`), not the base URL, so that a mirror serves the public API's cache."""
    query = urlencode(sorted(params.items()))
    return hashlib.sha256(f"{service} {path}?{query}".encode()).hexdigest()


def _env_timeout() -> float | None:
    """The read timeout `SCHOLARFOLIO_SYNC_TIMEOUT` sets (seconds), None when unset or not
    a positive number."""
    try:
        value = float(os.environ.get(TIMEOUT_ENV, ""))
    except ValueError:
        return None
    return value if value > 0 else None


def _without_secrets(url: str) -> str:
    """`url` without its `api_key` and `mailto` parameters (a Location may repeat them)."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)
             if k not in ("api_key", "mailto")]
    return urlunsplit(parts._replace(query=urlencode(query)))


def _retry(progress: Callable[[str], None] = lambda _: None, wait: float = TIMEOUT[1]) -> Any:
    """urllib3's Retry on 429 and 5xx for GETs, its Retry-After wait capped; a read that
    timed out is tried `READ_RETRIES` times more, saying so on the progress line."""
    from urllib3.exceptions import ReadTimeoutError
    from urllib3.util.retry import Retry

    class _CappedRetry(Retry):
        def get_retry_after(self, response):  # type: ignore[no-untyped-def]
            wait = super().get_retry_after(response)
            return None if wait is None else min(wait, RETRY_AFTER_CAP)

        def increment(self, *args, **kwargs):  # type: ignore[no-untyped-def]
            error = kwargs.get("error")
            pool = kwargs.get("_pool")
            if isinstance(error, ReadTimeoutError) and self.read:
                where = f"{pool.host}:{pool.port}" if pool is not None else "the service"
                progress(f"sync: no answer from {where} within {wait:g} s; asking once more")
            return super().increment(*args, **kwargs)

    return _CappedRetry(total=RETRIES, connect=RETRIES, read=READ_RETRIES, status=RETRIES,
                        backoff_factor=BACKOFF, status_forcelist=(429, 500, 502, 503, 504),
                        allowed_methods=frozenset({"GET"}), respect_retry_after_header=True,
                        raise_on_status=False)
