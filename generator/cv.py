"""The CV: `content/cv.yaml` in RenderCV's schema (the format al-folio adopted) read into
records. Every problem names `file:line:col`, all at once; what the page cannot show
(a key of another tool, a photo) is a warning, never dropped in silence.

The schema, as RenderCV defines it: `cv:` holds the header (name, location, email,
phone, website, social_networks) and `sections:`, a mapping of title to a list of
entries; each entry's kind follows from its keys (`company` and `position`: experience;
`institution` and `area`: education; ...). The section `publications` is the site's own
papers (docs/cv.md).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

from .config import shown_value as _shown
from .errors import Problem, SiteError, did_you_mean
from .links import is_email, is_web_url
from .yamlfile import Positions, read_mapping, read_text


class EntryKind(NamedTuple):
    """A kind of CV entry: the keys that tell it, those it requires, those it may have."""

    telling: tuple[str, ...]
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()

    @property
    def keys(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


_SHARED = ("date", "start_date", "end_date", "location", "summary", "highlights", "url")
#: Each kind of entry by name, in RenderCV's order of detection: an entry is the first
#: kind one of whose telling keys it has.
ENTRY_KINDS: dict[str, EntryKind] = {
    "one_line": EntryKind(("label", "details"), ("label", "details")),
    "normal": EntryKind(("name",), ("name",), _SHARED),
    "experience": EntryKind(("company", "position"), ("company", "position"), _SHARED),
    "education": EntryKind(("institution", "area", "degree", "grade"), ("institution", "area"),
                           ("degree", "grade", *_SHARED)),
    "publication": EntryKind(("title", "authors", "doi", "journal"), ("title", "authors"),
                             ("doi", "url", "journal", "date")),
    "bullet": EntryKind(("bullet",), ("bullet",)),
    "numbered": EntryKind(("number",), ("number",)),
    "reversed_numbered": EntryKind(("reversed_number",), ("reversed_number",)),
}
#: How an entry's fields are read: these are dates (read after the others, see
#: `_Reader.entry_dates`), these lists of text, and every other field text.
_DATE_FIELDS = ("start_date", "end_date", "date")
_LIST_FIELDS = ("highlights", "authors")

#: RenderCV's social networks: the address each username becomes.
NETWORKS: dict[str, Callable[[str], str]] = {
    "LinkedIn": lambda u: f"https://linkedin.com/in/{u}",
    "GitHub": lambda u: f"https://github.com/{u}",
    "GitLab": lambda u: f"https://gitlab.com/{u}",
    "Instagram": lambda u: f"https://instagram.com/{u}",
    "ORCID": lambda u: f"https://orcid.org/{u}",
    "Mastodon": lambda u: "https://{1}/@{0}".format(*u.lstrip("@").split("@", 1)),
    "StackOverflow": lambda u: f"https://stackoverflow.com/users/{u}",
    "ResearchGate": lambda u: f"https://researchgate.net/profile/{u}",
    "YouTube": lambda u: f"https://youtube.com/@{u}",
    "Google Scholar": lambda u: f"https://scholar.google.com/citations?user={u}",
    "Telegram": lambda u: f"https://t.me/{u}",
    "X": lambda u: f"https://x.com/{u}",
    "Bluesky": lambda u: f"https://bsky.app/profile/{u}",
}

HEADER_KEYS = ("name", "label", "location", "email", "phone", "website", "social_networks",
               "sections")
#: Top-level keys of RenderCV's file that style its PDF; a web page has its theme.
_OTHER_TOOLS = ("design", "locale", "locale_catalog", "rendercv_settings")
#: The section whose place lists the site's own papers.
PUBLICATIONS = "publications"


class CvDate(NamedTuple):
    """A date as written in the CV: a year, a month or a day; `text` for free text."""

    year: int | None = None
    month: int | None = None
    day: int | None = None
    text: str | None = None  # "Fall 2023", or "present" as an end

    @property
    def iso(self) -> str | None:
        if self.year is None:
            return None
        return "-".join(f"{part:02d}" for part in (self.year, self.month, self.day) if part)


class CvEntry(NamedTuple):
    """One entry of a section; `kind` is a key of ENTRY_KINDS, or "text"."""

    kind: str
    fields: tuple[tuple[str, Any], ...]  # the entry's keys as written (text, lists)
    start: CvDate | None = None
    end: CvDate | None = None
    date: CvDate | None = None

    def get(self, key: str, default: Any = None) -> Any:
        return dict(self.fields).get(key, default)


class CvSection(NamedTuple):
    key: str  # as written in cv.yaml
    title: str  # RenderCV's title of the key: education_and_skills -> Education and Skills
    entries: tuple[CvEntry, ...]
    publications: bool = False  # the site's own papers go here
    line: int = 1  # where its key is written in cv.yaml, for messages about it
    col: int = 1


class Social(NamedTuple):
    network: str
    username: str
    url: str


class Cv(NamedTuple):
    name: str | None
    label: str | None
    location: str | None
    email: str | None
    phone: str | None
    website: str | None
    social: tuple[Social, ...]
    sections: tuple[CvSection, ...]


def read_cv(path: Path, display: Callable[[Path], str] = str) -> tuple[Cv, list[Problem]]:
    """`content/cv.yaml` (at `path`) as a Cv and its warnings. Every error is raised at once
    as a SiteError."""
    name = display(path)
    problems: list[Problem] = []
    text = read_text(path, name, problems)
    read = None if text is None else read_mapping(
        text, name, problems, expected="expected RenderCV's layout: a first line 'cv:', "
        "then the CV's fields indented under it")
    if read is None:
        raise SiteError(problems)
    data, positions = read
    reader = _Reader(name, positions, problems)
    cv = reader.cv(data)
    errors = [p for p in problems if not p.warning]
    if errors:
        raise SiteError(errors)
    return cv, [p for p in problems if p.warning]


def section_title(key: str) -> str:
    """RenderCV's title of a section key: words split on `_` and spaces; a lower-case word
    capitalised unless it is a small word, a word with a capital kept as written."""
    words = key.replace("_", " ").split()
    return " ".join(word if any(c.isupper() for c in word) or
                    (word in _SMALL_WORDS and index) else word.capitalize()
                    for index, word in enumerate(words))


def _entry_name(kind: str) -> str:
    """`an education entry`, `a one line entry`."""
    words = kind.replace("_", " ")
    return f"{'an' if words[0] in 'aeiou' else 'a'} {words} entry"


_SMALL_WORDS = frozenset((
    "a", "and", "as", "at", "but", "by", "for", "from", "if", "in", "into", "like",
    "near", "nor", "of", "off", "on", "onto", "or", "over", "so", "than", "that", "the",
    "to", "upon", "when", "with", "yet",
))
_DATE = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class _Reader:
    """Checks cv.yaml's values at their positions (`cv.sections.talks.0.date=`)."""

    def __init__(self, name: str, positions: Positions, problems: list[Problem]) -> None:
        self.name, self.positions, self.problems = name, positions, problems

    def problem(self, at: str, message: str, warning: bool = False) -> None:
        found = self.positions.get(at) or self.positions.get(at.rstrip("=")) or (1, 1, None)
        line, col, source = found
        self.problems.append(Problem(self.name, line, col, message, source, warning))

    def unknown(self, at: str, key: str, known: tuple[str, ...], what: str) -> None:
        self.problem(at, f"'{key}' is not shown: {what} has no such field"
                     f"{did_you_mean(key, known)} "
                     f"(known: {', '.join(known)})", warning=True)

    def cv(self, data: dict[str, Any]) -> Cv | None:
        for key in data:
            if key in _OTHER_TOOLS:
                continue  # RenderCV's PDF design: the site's theme lays the page out
            if key != "cv":
                self.unknown(key, key, ("cv", *_OTHER_TOOLS), "the file")
        cv = data.get("cv")
        if not isinstance(cv, dict):
            self.problem("cv=" if "cv" in data else "", "expected 'cv:' with the CV's fields "
                         f"indented under it, found {_shown(cv)}" if "cv" in data else
                         "expected a key 'cv:' (RenderCV's layout) with the CV under it")
            return None
        for key in cv:
            if key not in HEADER_KEYS:
                self.unknown(f"cv.{key}", str(key), HEADER_KEYS, "a CV's header")
        header = {key: self.text(f"cv.{key}", cv.get(key))
                  for key in ("name", "label", "location", "email", "phone", "website")}
        if header["email"] and not is_email(header["email"]):
            self.problem("cv.email=", "'email' must be an address such as ann@example.org, "
                         f"found {_shown(header['email'])}")
        if header["website"] and not is_web_url(header["website"]):
            self.problem("cv.website=", "'website' must be an http(s) address, found "
                         f"{_shown(header['website'])}")
        return Cv(**header, social=self.social(cv.get("social_networks")),
                  sections=self.sections(cv.get("sections")))

    def text(self, at: str, value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int, float)):
            self.problem(f"{at}=", f"expected text, found {_shown(value)}")
            return None
        return str(value).strip() or None

    def social(self, value: Any) -> tuple[Social, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem("cv.social_networks=", "'social_networks' must be a list of "
                         "'- network: GitHub' / '  username: ...' items")
            return ()
        found = []
        for index, item in enumerate(value):
            at = f"cv.social_networks.{index}"
            if not isinstance(item, dict) or not {"network", "username"} <= set(item):
                self.problem(f"{at}=", "expected 'network:' and 'username:', found "
                             f"{_shown(item)}")
                continue
            network, username = str(item["network"]), str(item["username"]).strip()
            if network not in NETWORKS:
                self.problem(f"{at}.network=", f"unknown network '{network}'"
                             f"{did_you_mean(network, NETWORKS)} "
                             f"(known: {', '.join(NETWORKS)})")
                continue
            if network == "Mastodon" and not re.fullmatch(r"@?[^@\s]+@[^@\s]+\.[^@\s]+",
                                                           username):
                self.problem(f"{at}.username=", "a Mastodon username is '@user@server', "
                             f"found {_shown(username)}")
                continue
            found.append(Social(network, username, NETWORKS[network](username)))
        return tuple(found)

    def sections(self, value: Any) -> tuple[CvSection, ...]:
        if value is None:
            return ()
        if not isinstance(value, dict):
            self.problem("cv.sections=", "'sections' must be a mapping of section titles to "
                         f"lists of entries, found {_shown(value)}")
            return ()
        found = []
        for key, entries in value.items():
            at = f"cv.sections.{key}"
            mine = str(key).lower() == PUBLICATIONS
            if entries is None and mine:
                entries = []  # `publications:` alone: where the site's papers go
            if not isinstance(entries, list):
                self.problem(f"{at}=", f"the section '{key}' must be a list of entries "
                             "('- ...' lines)" + (", or nothing to list the site's papers "
                                                  "there" if mine else ""))
                continue
            items = tuple(entry for index, item in enumerate(entries)
                          if (entry := self.entry(f"{at}.{index}", item)) is not None)
            line, col, _ = self.positions.get(at) or (1, 1, None)
            found.append(CvSection(str(key), section_title(str(key)), items, mine, line, col))
        return tuple(found)

    def entry(self, at: str, item: Any) -> CvEntry | None:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            return CvEntry("text", (("text", str(item)),))
        kind = self.entry_kind(at, item)
        if kind is None:
            return None
        before = len(self.problems)
        fields = self.entry_fields(at, item, kind)
        if any(not p.warning for p in self.problems[before:]):
            return None
        url = dict(fields).get("url")
        if url and not is_web_url(url):
            self.problem(f"{at}.url=", f"'url' must be an http(s) address, found {_shown(url)}")
        date, start, end = self.entry_dates(at, item)
        return CvEntry(kind, tuple(fields), start, end, date)

    def entry_kind(self, at: str, item: Any) -> str | None:
        """The kind of entry `item` is (a key of ENTRY_KINDS), or None with a problem."""
        if not isinstance(item, dict):
            self.problem(f"{at}=", f"expected an entry (text, or 'key: value' lines), found "
                         f"{_shown(item)}")
            return None
        keys = set(map(str, item))
        kind = next((kind for kind, table in ENTRY_KINDS.items()
                     if keys & set(table.telling)), None)
        if kind is None:
            self.problem(f"{at}=", "cannot tell what kind of entry this is: expected one of "
                         "the keys name, company and position, institution and area, title "
                         "and authors, label and details, bullet, number or reversed_number")
        return kind

    def entry_fields(self, at: str, item: dict[Any, Any], kind: str) -> list[tuple[str, Any]]:
        """The entry's fields but its dates, each read as its kind of entry has it: a
        required one missing is a problem, one the kind has not is a warning."""
        table = ENTRY_KINDS[kind]
        for key in table.required:
            if item.get(key) in (None, "", []):
                self.problem(f"{at}=", f"{_entry_name(kind)} needs '{key}' (it has "
                             f"{', '.join(sorted(map(str, item)))})")
        fields = []
        for key, value in item.items():
            key = str(key)
            if key not in table.keys:
                self.unknown(f"{at}.{key}", key, table.keys, _entry_name(kind))
            elif key in _LIST_FIELDS:
                if not isinstance(value, list):
                    self.problem(f"{at}.{key}=", f"'{key}' must be a list ('- ...' lines), "
                                 f"found {_shown(value)}")
                    continue
                texts = [self.text(f"{at}.{key}.{i}", v) for i, v in enumerate(value)]
                fields.append((key, tuple(t for t in texts if t)))
            elif key not in _DATE_FIELDS and (text := self.text(f"{at}.{key}", value)) is not None:
                fields.append((key, text))
        return fields

    def entry_dates(self, at: str, item: dict[Any, Any]
              ) -> tuple[CvDate | None, CvDate | None, CvDate | None]:
        """The entry's date, or its start and end (RenderCV's reading: an end alone is
        the date; a start alone runs to the present)."""
        date = self.date(f"{at}.date", item.get("date"), free=True)
        start = self.date(f"{at}.start_date", item.get("start_date"))
        end = self.date(f"{at}.end_date", item.get("end_date"), end=True)
        if date is None and start is None and end is not None:
            date, end = end, None  # only an end: RenderCV reads it as the date
        if start is not None and end is None and date is None:
            end = CvDate(text="present")
        if (start and end and start.iso and end.iso
                and start.iso[:len(end.iso)] > end.iso[:len(start.iso)]):
            self.problem(f"{at}.end_date=", f"the end ({end.iso}) is before the start "
                         f"({start.iso})")
        return date, None if date else start, None if date else end

    def date(self, at: str, value: Any, free: bool = False, end: bool = False
             ) -> CvDate | None:
        if value is None:
            return None
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return CvDate(value.year, value.month, value.day)
        if isinstance(value, int) and not isinstance(value, bool) and 1000 <= value <= 9999:
            return CvDate(value)
        text = str(value).strip()
        if end and text.lower() == "present":
            return CvDate(text="present")
        match = _DATE.fullmatch(text)
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            try:
                dt.date(year, month or 1, day or 1)
            except ValueError as exc:
                self.problem(f"{at}=", f"impossible date '{text}' ({exc})")
                return None
            return CvDate(year, month, day)
        if free and text and not isinstance(value, bool):
            return CvDate(text=text)
        key = at.rsplit(".", 1)[-1]
        self.problem(f"{at}=", f"'{key}' must be YYYY, YYYY-MM or YYYY-MM-DD"
                     + (" or 'present'" if end else "") + f", found {_shown(value)}")
        return None
