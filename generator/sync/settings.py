"""The `sync:` block of site.yaml: whose works and metrics `scholarfolio sync` fetches, and
from where. Checked here (each problem at its key's line and column, through
`config.checks.InvalidLinks`) so that config/table.py declares it as one more setting; no
network module is imported by reading it."""

from __future__ import annotations

import re
from typing import Any, NamedTuple

from ..config.checks import Invalid, InvalidLinks, shown_value
from ..identity import doi_key
from ..links import is_email

#: The services a sync reads works from, in the order they are merged.
SOURCES = ("openalex", "orcid", "crossref", "arxiv")
#: The services that only fill what the works lack (a DOI's metadata, a preprint's): on by
#: default, since they act only on works with a DOI or an arXiv id.
ENRICHERS = ("crossref", "arxiv")
_ORCID = re.compile(r"(?:https?://orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?", re.I)
_OPENALEX_AUTHOR = re.compile(r"(?:https?://(?:api\.)?openalex\.org/(?:authors/)?)?(A\d{4,12})",
                              re.I)
_OPENALEX_WORK = re.compile(r"(?:https?://(?:api\.)?openalex\.org/(?:works/)?)?(W\d{4,12})",
                            re.I)
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_KEYS = ("orcid", "openalex", "sources", "email", "api_key_env", "exclude")


class SyncSettings(NamedTuple):
    """The researcher's ids, the sources to read, the contact e-mail and the key's variable,
    and the works never brought in (DOIs lower case, OpenAlex ids as W...)."""

    orcid: str | None = None
    openalex: str | None = None
    sources: tuple[str, ...] = SOURCES
    email: str | None = None
    api_key_env: str = "OPENALEX_API_KEY"
    exclude: tuple[str, ...] = ()

    def excluded(self, doi: str | None, openalex: str | None) -> bool:
        """Whether a work of this DOI or OpenAlex id is on the exclusion list."""
        return bool((doi and doi_key(doi) in self.exclude)
                    or (openalex and openalex.upper() in self.exclude))


def orcid_checksum_ok(orcid: str) -> bool:
    """ISO 7064 MOD 11-2, the check digit ORCID iDs end with."""
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1].upper() == ("X" if check == 10 else str(check))


def check_sync(value: Any, _root: Any) -> SyncSettings:
    """site.yaml's `sync:` mapping as `SyncSettings`; every problem at its own key."""
    if not isinstance(value, dict):
        raise Invalid("must be 'key: value' lines, such as 'orcid: 0000-0002-1825-0097'")
    problems: list[tuple[str, str]] = []
    found: dict[str, Any] = {}
    for key, raw in value.items():
        key = str(key)
        if key not in _KEYS:
            problems.append((key, f"unknown sync setting '{key}' (known: {', '.join(_KEYS)})"))
            continue
        try:
            found[key] = _CHECKS[key](raw)
        except Invalid as exc:
            problems.append((key, f"sync '{key}' {exc}"))
    if problems:
        raise InvalidLinks(problems)
    if not found.get("orcid") and not found.get("openalex"):
        raise Invalid("needs 'orcid:' (an ORCID iD) or 'openalex:' (an author id such as "
                      "A5023888391), or both")
    if "orcid" in found.get("sources", ()) and not found.get("orcid"):
        raise InvalidLinks([("sources", "sync 'sources' names orcid, but no 'orcid:' iD is "
                             "given; add it, or leave orcid out of sources")])
    if found.get("sources") and set(found["sources"]) <= set(ENRICHERS):
        raise InvalidLinks([("sources", "sync 'sources' names only services that fill in "
                             "works (crossref, arxiv); add openalex or orcid, which list "
                             "them")])
    sources = found.get("sources") or tuple(
        s for s in SOURCES if found.get(s) or s in ENRICHERS
        or (s == "openalex" and found.get("orcid")))
    return SyncSettings(found.get("orcid"), found.get("openalex"), sources,
                        found.get("email"), found.get("api_key_env", "OPENALEX_API_KEY"),
                        found.get("exclude", ()))


def _orcid(raw: Any) -> str:
    match = _ORCID.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise Invalid(f"must be an ORCID iD such as 0000-0002-1825-0097, found "
                      f"{shown_value(raw)}")
    orcid = match.group(1).upper()
    if not orcid_checksum_ok(orcid):
        raise Invalid(f"is no ORCID iD: {shown_value(raw)} fails its check digit (a digit "
                      "mistyped?)")
    return orcid


def _openalex(raw: Any) -> str:
    match = _OPENALEX_AUTHOR.fullmatch(raw.strip()) if isinstance(raw, str) else None
    if match is None:
        raise Invalid(f"must be an OpenAlex author id such as A5023888391, found "
                      f"{shown_value(raw)}")
    return match.group(1).upper()


def _sources(raw: Any) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if (not isinstance(items, list) or not items
            or not all(isinstance(i, str) and i.strip().lower() in SOURCES for i in items)):
        raise Invalid(f"must be a list of {', '.join(SOURCES)}, found {shown_value(raw)}")
    wanted = {i.strip().lower() for i in items}
    return tuple(s for s in SOURCES if s in wanted)


def _email(raw: Any) -> str:
    if not isinstance(raw, str) or not is_email(raw.strip().removeprefix("mailto:")):
        raise Invalid(f"must be an e-mail address, found {shown_value(raw)}")
    return raw.strip().removeprefix("mailto:")


def _env_name(raw: Any) -> str:
    if not isinstance(raw, str) or not _ENV_NAME.fullmatch(raw.strip()):
        raise Invalid("must be the name of an environment variable, such as "
                      f"OPENALEX_API_KEY (never the key itself), found a value of "
                      f"{len(str(raw))} characters")
    return raw.strip()


def _exclude(raw: Any) -> tuple[str, ...]:
    items = [raw] if isinstance(raw, str) else raw
    if not isinstance(items, list):
        raise Invalid(f"must be a list of DOIs or OpenAlex work ids, found {shown_value(raw)}")
    kept: list[str] = []
    for item in items:
        text = str(item).strip() if isinstance(item, str) else ""
        work = _OPENALEX_WORK.fullmatch(text)
        if work:
            kept.append(work.group(1).upper())
        elif doi_key(text).startswith("10."):
            kept.append(doi_key(text))
        else:
            raise Invalid(f"must list DOIs (10.1234/abc) or OpenAlex work ids (W2741809807), "
                          f"found {shown_value(item)}")
    return tuple(kept)


_CHECKS = {"orcid": _orcid, "openalex": _openalex, "sources": _sources, "email": _email,
           "api_key_env": _env_name, "exclude": _exclude}
