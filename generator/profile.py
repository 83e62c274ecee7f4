"""Parse the plain-text researcher profile (docs/profile-format.md) into records.

The parser reads text and returns `Profile` records; it knows nothing of HTML,
themes or files other than the one it reads. Every problem is collected with
its line and column, so one run reports all of them.
"""

from __future__ import annotations

import datetime as dt
import gc
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple

from .errors import Problem, ProfileError
from .records import ExtraMetric, Metrics, Number, Paper, Profile, copy_paper, new_paper
from .reuse import Reuse
from .slugs import assign_slugs

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NUMBER = {name: index + 1 for index, name in enumerate(MONTHS)}
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
HEADER_EXAMPLE = "an entry header looks like 'CVOct 12, 2022' or '54.9AIMay 10Code'"

_SCORE = re.compile(r"\d+(?:\.\d+)?")
_CAPITALS = re.compile(r"[A-Z]+")
_SPACES = re.compile(r"[ \t]+")
_DAY = re.compile(r"\d{1,2}(?!\d)")
_YEAR = re.compile(r",[ \t]*(\d{4})(?!\d)")
# A valid entry header in one match, for speed; `_parse_header_strict` is the definition
# (and says what is wrong with an invalid one). The category is the capitals before the
# month: the months are a capital and two lower-case letters, so there is no choice.
_HEADER = re.compile(
    r"(?P<score>\d+(?:\.\d+)?)?(?P<category>[A-Z]{2,})"
    r"(?P<month>Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[ \t]+(?P<day>\d{1,2})(?!\d)"
    r"(?:,[ \t]*(?P<year>\d{4})(?!\d))?(?P<code>Code)?"
)
# How every valid header starts: a line that does not is none (most lines, checked cheaply).
_HEADER_START = re.compile(r"(?:\d+(?:\.\d+)?)?[A-Z]{2}")
_CATEGORY_LINE = re.compile(r"[A-Z]{2,}")
_COUNT_LINE = re.compile(r"(\d[\d,]*)[ \t]+Papers?", re.IGNORECASE)
_VALUE = r"(?P<value>\d[\d,]*(?:\.\d+)?)(?P<pct>%?)"
_LABEL_FIRST = re.compile(r"(?P<label>.*?[^\d\s,.])\s*" + _VALUE)
_VALUE_FIRST = re.compile(_VALUE + r"\s*(?P<label>[^\d\s,.].*)")
_KNOWN_METRICS = {
    "hindex": "h_index",
    "papers": "papers",
    "paper": "papers",
    "citations": "citations",
    "citation": "citations",
    "novelty": "novelty",
    "aiscore": "ai_score",
}
# Both searched for without a leading `\s*` or `\s+`: a regex that starts with a run of
# whitespace backtracks over every long run of spaces, quadratic on a long line.
_MIDDLE_DOT = re.compile(r"(?<=\s)·(?=\s)")  # the affiliations separator ` · `
_ET_AL = re.compile(r"\bet\s+al\.?$", re.IGNORECASE)
#: Largest number of digits in a number's whole part; more is a typing accident, and
#: Python refuses to convert integers of more than 4,300 digits.
MAX_DIGITS = 15
#: Characters the pages never show as they are (see `site.visible`): C0 and C1 control
#: characters except tab and newline, the bidirectional controls (embeddings, overrides,
#: isolates and the LRM, RLM and ALM marks), which reorder or hide the text around them,
#: and the Unicode noncharacters, which HTML forbids. Records and the JSON export keep them.
_INVISIBLE_CHARS = (
    r"\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef"
    + "".join(f"\\U{plane:04x}fffe\\U{plane:04x}ffff" for plane in range(17))
)
INVISIBLE = re.compile(f"[{_INVISIBLE_CHARS}]")
#: The ASCII characters that are not invisible (printable ones and the tab), as bytes.
_ASCII_VISIBLE = bytes(range(0x20, 0x7F)) + b"\t"
# A URL ends at whitespace, quotes, angle brackets and invisible characters.
_URL = re.compile(f"https?://[^\\s<>\"'`{_INVISIBLE_CHARS}]+", re.IGNORECASE)
_SCHEME = re.compile(r"https?://", re.IGNORECASE)
_CODE_URL = re.compile(r"\bCode:\s*(https?://)", re.IGNORECASE)
_HEADERISH = re.compile(
    r"^\d+(?:\.\d+)?[A-Za-z]|^[A-Z]{2,}[A-Z][a-z]|"
    r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d"
)
# A line that is nothing but [score] code month day [year] [Code], mistyped: taken for a
# bad entry header even where an author line or an abstract would otherwise be expected.
_MISTYPED_HEADER = re.compile(
    r"(?:\d+(?:\.\d+)?\s*)?[A-Za-z]{2,6}\s*"
    r"(?i:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s*\d{1,2}"
    r"[\s,.]*(?:\d{2,4})?\s*(?i:code)?"
)


class _Header(NamedTuple):  # a tuple: quicker to make than a dataclass
    score: Number | None
    category: str
    month: int
    day: int
    year: int | None
    has_code: bool
    day_col: int  # 0-based offset of the day in the stripped text


@dataclass(slots=True)
class _Entry:
    """An entry's lines, as indices into the parser's line lists (see `_Parser`)."""

    header: int | None
    parsed: _Header | None
    title: int | None
    fields: list[range] = field(default_factory=list)  # runs of lines
    discard: bool = False  # the header was bad: absorb its lines, build no paper


class _HeaderMismatch(Exception):
    def __init__(self, offset: int, expected: str):
        super().__init__(expected)
        self.offset = offset
        self.expected = expected


def read_profile(path: Path | str, as_of: dt.date, display: str | None = None) -> Profile:
    """Read and parse a profile file; raises ProfileError for unreadable or invalid input."""
    profile, _ = read_profile_with_warnings(path, as_of, display)
    return profile


class ProfileCache:
    """What the dev server keeps of one parse of its profile for the next: the last good
    parse whole, which an edit inside paper entries patches (`_patched`: only the edited
    entries are read again), and the papers of each entry, which a full parse takes back
    for entries whose lines did not change (the very same records)."""

    def __init__(self) -> None:
        self.entries = Reuse()
        self.last: _LastParse | None = None


def read_profile_with_warnings(
    path: Path | str, as_of: dt.date, display: str | None = None,
    cache: ProfileCache | None = None,
) -> tuple[Profile, list[Problem]]:
    """Like `read_profile`, also returning the warnings (e.g. a count line that disagrees).
    With a `cache` (the dev server's), an edit is read as a patch of the last good parse
    where it can be, and the same records come back for the entries it did not touch."""
    path = Path(path)
    shown = display or str(path)
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise ProfileError(
            Problem(
                shown,
                1,
                1,
                "no such file: expected the researcher profile here (content/profile.txt)",
            )
        ) from None
    except IsADirectoryError:
        raise ProfileError(Problem(shown, 1, 1, "is a folder, expected a profile file")) from None
    except OSError as exc:
        raise ProfileError(Problem(shown, 1, 1, f"cannot read the file: {exc.strerror}")) from None
    if cache is None:
        return parse_profile(decode(data, shown), shown, as_of)
    last = cache.last
    if last is not None and last.path == shown and last.as_of == as_of:
        patched = _patched(last, data)
        if patched is not None:
            cache.last = patched
            return patched.profile, list(patched.warnings)
    with _collections_paused():
        parser = _Parser(decode(data, shown), shown, as_of, cache.entries)
        profile, warnings = parser.run()
    cache.last = _LastParse.of(parser, data, profile)
    return profile, warnings


def decode(data: bytes, path: str) -> str:
    """UTF-8 text without a byte-order mark; a clear positioned error otherwise."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        before = data[: exc.start]
        line = before.count(b"\n") + 1
        line_start = before.rfind(b"\n") + 1
        line_bytes = data[line_start:].split(b"\n", 1)[0]
        before_col = data[line_start : exc.start]
        if line_start == 0:  # a byte-order mark is not a column
            before_col = before_col.removeprefix(b"\xef\xbb\xbf")
        col = len(before_col.decode("utf-8", "replace")) + 1
        raise ProfileError(
            Problem(
                path,
                line,
                col,
                f"not UTF-8 text: byte 0x{data[exc.start]:02x} cannot be decoded; "
                "expected the profile saved as UTF-8",
                printable(
                    line_bytes.decode("utf-8", "replace").rstrip("\r").removeprefix("\ufeff")
                ),
            )
        ) from None
    return text.removeprefix("\ufeff")


def printable(line: str) -> str:
    """A source line safe to print under a message: each invisible character (see INVISIBLE)
    becomes U+FFFD, one for one, so the caret under the column still lines up."""
    return INVISIBLE.sub("\ufffd", line)


def parse_profile(text: str, path: str, as_of: dt.date) -> tuple[Profile, list[Problem]]:
    """Parse profile text into a Profile and a list of warnings.

    Raises ProfileError listing every error found (with the warnings too).
    """
    with _collections_paused():
        return _Parser(text, path, as_of).run()


@contextmanager
def _collections_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector (if it is on) for the block.

    A parse makes a few objects per line and many per paper, nearly all kept to the end
    of the parse, and no reference cycles: every collection it would trigger (about a
    hundred for 10,000 papers, one of them a full one over every object there is) would
    walk them all and free nothing.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _problem(path: str, index: int, raw: str, offset: int, message: str, warning: bool
             ) -> Problem:
    """A problem at `offset` in the stripped text of line `index` (`raw` as written)."""
    col = len(raw) - len(raw.lstrip()) + 1
    return Problem(path, index + 1, col + offset, message, printable(raw.rstrip()), warning)


def _count_warning(path: str, index: int, raw: str, declared: int, found: int) -> Problem:
    """The warning for a count line (line `index`) that disagrees with the entries found."""
    entries = "1 entry was" if found == 1 else f"{found} entries were"
    return _problem(path, index, raw, 0,
                    f"the count line says {declared} papers but {entries} found", True)


def _slug_keys(papers: list[Paper]) -> list[tuple[str, str, str]]:
    """What a paper's slug is made of (see slugs.assign_slugs), paper by paper."""
    return [(p.title, p.date.isoformat(), ", ".join(p.authors)) for p in papers]


def _give_slugs(papers: list[Paper], slugs: list[str]) -> None:
    """Set each paper's slug. A slug depends on all the papers, so each was made without
    one. Setting the field of a record no one else has seen yet is what a frozen
    dataclass's own __init__ does, and cheaper than a copy; a record from an earlier
    parse is shared: it gets a copy."""
    for index, (paper, slug) in enumerate(zip(papers, slugs, strict=True)):
        if paper.slug == slug:
            continue
        if paper.slug:
            papers[index] = copy_paper(paper, slug=slug)
        else:
            object.__setattr__(paper, "slug", slug)


class _Parser:
    """One parse of one text.

    A line is referred to by its 0-based index into `raws` (the lines as written, without
    line ends) and `texts` (the same lines stripped of surrounding whitespace), not by an
    object of its own: a 10,000-paper profile has 70,000 lines. A run of lines is a
    `range` of indices. Line numbers, columns and source lines are worked out only for
    the lines a problem is reported on.
    """

    def __init__(self, text: str, path: str, as_of: dt.date, cache: Reuse | None = None):
        self.path = path
        self.as_of = as_of
        self.cache = cache
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        text = text.removeprefix("\ufeff")
        if "\r" in text:  # the same lines as splitting at each \r\n, \r or \n
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        self.raws = text.split("\n")
        self.texts = [raw.strip() for raw in self.raws]

    # -- reporting -------------------------------------------------------------

    def _problem(self, index: int, offset: int, message: str, warning: bool) -> Problem:
        """A problem at `offset` in line `index`'s stripped text: the column counts the
        leading whitespace, the source line shown drops the trailing whitespace."""
        return _problem(self.path, index, self.raws[index], offset, message, warning)

    def error(self, index: int, offset: int, message: str) -> None:
        self.errors.append(self._problem(index, offset, message, False))

    def warn(self, index: int, offset: int, message: str) -> None:
        self.warnings.append(self._problem(index, offset, message, True))

    def _invisible_characters(self) -> None:
        """One warning for control, bidi and noncharacters: the first, and how many lines."""
        if not self._may_hold_invisible_characters():
            return
        raws = self.raws
        # isprintable() runs in C and is False for every invisible character (and for tabs
        # and no-break spaces, which the regular expression then clears). The trailing
        # whitespace is not part of the line as reported, invisible or not.
        found = [
            index
            for index, raw in enumerate(raws)
            if not raw.isprintable() and INVISIBLE.search(raw.rstrip())
        ]
        if not found:
            return
        line = raws[found[0]].rstrip()
        match = INVISIBLE.search(line)
        char = match.group()
        kind = "noncharacter" if unicodedata.category(char) == "Cn" else "control character"
        name = unicodedata.name(char, "")
        more = len(found) - 1
        self.warnings.append(
            Problem(
                self.path,
                found[0] + 1,
                match.start() + 1,
                f"invisible {kind} U+{ord(char):04X}{f' ({name})' if name else ''}: kept in "
                f"the JSON export, shown on the pages as [U+{ord(char):04X}] so it cannot reorder "
                "or hide the text around it"
                + (f"; {more} more line{'s' if more != 1 else ''} hold such characters"
                   if more else ""),
                printable(line),
                True,
            )
        )

    def _may_hold_invisible_characters(self) -> bool:
        """False if no line holds an invisible character, found much quicker than line by
        line: ASCII lines (most) can only hold ASCII control characters, which a
        bytes.translate deleting every other character finds; the other lines must all be
        printable (isprintable() is False for every invisible character)."""
        ascii_lines = [raw for raw in self.raws if raw.isascii()]
        # In batches: the memory of one batch is used again by the next. A copy of all
        # the lines at once takes tens of megabytes of new memory from the system, which
        # doubled the time of the check in a new process (the build's).
        for start in range(0, len(ascii_lines), 256):
            batch = "".join(ascii_lines[start : start + 256]).encode("ascii")
            if batch.translate(None, _ASCII_VISIBLE):
                return True
        return not "".join([raw for raw in self.raws if not raw.isascii()]).isprintable()

    # -- top level -------------------------------------------------------------

    def run(self) -> tuple[Profile, list[Problem]]:
        self._invisible_characters()
        groups = self._groups()
        if not groups:
            raise ProfileError(
                Problem(
                    self.path,
                    1,
                    1,
                    "the profile is empty: expected the researcher's name on the first line",
                )
            )
        name, category, metrics, count_line, body = self._header(groups)
        self.count_line = count_line
        before_entries = len(self.warnings)  # the invisible characters' warning, or none
        entries = self._entries(body)
        self.phases = (before_entries, len(self.warnings))
        self.headers = tuple(entry.header for entry in entries)
        if self.cache is not None:
            self.cache.start()
        papers = [p for p in (self._cached_paper(e) for e in entries) if p is not None]
        self.phases += (len(self.warnings),)
        declared = None
        if count_line is not None:
            declared = _number(_COUNT_LINE.fullmatch(self.texts[count_line]).group(1))
            if declared is None:
                self.error(
                    count_line,
                    0,
                    f"a count of more than {MAX_DIGITS} digits; expected the number of "
                    "papers, such as '33 Papers'",
                )
            elif declared != len(entries):
                self.warnings.append(_count_warning(self.path, count_line,
                                                    self.raws[count_line], declared,
                                                    len(entries)))
        self.declared = declared
        if self.errors:
            problems = sorted(self.errors + self.warnings, key=lambda p: (p.line, p.col))
            raise ProfileError(problems)
        named = _slug_keys(papers)
        slugs = (assign_slugs(named) if self.cache is None
                 else self.cache.get("slugs", lambda: (named, assign_slugs(named)),
                                     fits=lambda found: found[0] == named)[1])
        _give_slugs(papers, slugs)
        profile = Profile(
            name=name,
            category=category,
            metrics=metrics,
            papers=tuple(papers),
            declared_count=declared,
            as_of=self.as_of,
        )
        return profile, self.warnings

    def _groups(self, first: int = 0, stop: int | None = None) -> list[range]:
        """Runs of non-blank lines (of lines `first` to `stop`); a valid entry header
        always starts a new run."""
        groups: list[range] = []
        start = -1  # the current run's first line, -1 between runs
        stop = len(self.texts) if stop is None else stop
        for index, text in enumerate(self.texts[first:stop], first):
            if not text:
                if start >= 0:
                    groups.append(range(start, index))
                    start = -1
            elif start < 0:
                start = index
            elif _read_header(text) is not None:
                groups.append(range(start, index))
                start = index
        if start >= 0:
            groups.append(range(start, stop))
        return groups

    # -- header ----------------------------------------------------------------

    def _header(self, groups: list[range]):
        texts = self.texts
        first = groups[0].start
        if _read_header(texts[first]) is not None:
            self.error(
                first,
                0,
                "expected the researcher's name on the first line, found a paper entry header",
            )
            return "", "", Metrics(), None, groups
        name = texts[first]
        # The entries start at the first entry header, valid or mistyped (so a bad first
        # header is reported like any other, with what was expected).
        body_start = next(
            (
                i
                for i, group in enumerate(groups)
                if i > 0
                and (
                    _read_header(texts[group.start]) is not None
                    or _looks_mistyped(texts[group.start])
                )
            ),
            len(groups),
        )
        body = groups[body_start:]
        # Header lines after the name, each with the index of its blank-separated run.
        rest = [
            (gi, index) for gi, group in enumerate(groups[:body_start]) for index in group
        ][1:]
        category = ""
        metric_lines: list[int] = []
        metric_group: int | None = None
        count_line: int | None = None
        leftovers: list[int] = []
        for position, (group_index, index) in enumerate(rest):
            text = texts[index]
            if position == 0 and _CATEGORY_LINE.fullmatch(text):
                category = text
            elif count_line is None and _COUNT_LINE.fullmatch(text):
                count_line = index
            elif count_line is None and metric_group in (None, group_index):
                # Metrics are one run of lines; a later run is not a metric.
                metric_group = group_index
                metric_lines.append(index)
            else:
                leftovers.append(index)
        if not category:
            where = rest[0][1] if rest else first
            offset = 0 if rest else len(name)
            self.error(
                where,
                offset,
                "expected the primary category code on the line after "
                "the name (two or more capital letters, such as CV)",
            )
        if leftovers:
            # Text between the count line and the first entry: report what was expected.
            self._unexpected(leftovers[0])
        return name, category, self._metrics(metric_lines), count_line, body

    def _metrics(self, lines: list[int]) -> Metrics:
        known: dict[str, Number] = {}
        extra: list[ExtraMetric] = []
        for index in lines:
            line = self.texts[index]
            match = _LABEL_FIRST.fullmatch(line) or _VALUE_FIRST.fullmatch(line)
            if match is None:
                extra.append(ExtraMetric(line, None, "", index + 1))
                continue
            label = match.group("label").strip()
            value = _number(match.group("value"))
            if value is None:
                self.error(
                    index,
                    match.start("value"),
                    f"a number of more than {MAX_DIGITS} digits; expected a metric value "
                    "such as 13,433",
                )
                continue
            key = _KNOWN_METRICS.get(re.sub(r"[^a-z]", "", label.lower()))
            if key and key not in known:
                known[key] = value
            else:
                text = match.group("value") + match.group("pct")
                extra.append(ExtraMetric(label, value, text, index + 1))
        return Metrics(**known, extra=tuple(extra))

    # -- entries ---------------------------------------------------------------

    def _entries(self, groups: list[range]) -> list[_Entry]:
        entries: list[_Entry] = []
        current: _Entry | None = None
        texts = self.texts
        for group in groups:
            start = group.start
            text = texts[start]
            parsed = _read_header(text)
            if parsed is not None:
                current = _Entry(start, parsed, start + 1 if len(group) > 1 else None)
                entries.append(current)
                if len(group) > 2:
                    current.fields.append(group[2:])
                continue
            expecting = current is not None and (current.discard or len(current.fields) < 2)
            if expecting and not _looks_mistyped(text):
                current.fields.append(group)
                continue
            if _headerish(text):
                mismatch = _parse_header(text)  # not a valid header: where and what expected
                self.error(start, mismatch.offset, f"{mismatch.expected}; {HEADER_EXAMPLE}")
                # Counted as an entry (for the count line) but builds no paper.
                current = _Entry(None, None, None, discard=True)
                entries.append(current)
                continue
            if current is None:
                self._unexpected(start)
                current = _Entry(None, None, None, discard=True)
                continue
            self.warn(
                start,
                0,
                "a further paragraph after the abstract; kept as part of the "
                "abstract (expected an entry header or a blank line)",
            )
            current.fields.append(group)
        return entries

    def _unexpected(self, index: int) -> None:
        text = self.texts[index]
        parsed = _parse_header(text)
        offset, detail = 0, "unexpected text"
        if isinstance(parsed, _HeaderMismatch) and _headerish(text):
            # Looks like a mistyped header: say where and what was expected.
            offset, detail = parsed.offset, parsed.expected
        self.error(index, offset, f"{detail}; {HEADER_EXAMPLE}")

    def _cached_paper(self, entry: _Entry) -> Paper | None:
        """`_paper(entry)`, from the cache when the entry's lines, where it starts, the
        file's name and the as-of date are those of an entry parsed before (nothing else
        goes into a paper or its problems); its problems are reported again."""
        cache = self.cache
        if cache is None or entry.header is None or entry.parsed is None or entry.discard:
            return self._paper(entry)
        header = entry.header
        end = max([run.stop for run in entry.fields]
                  + [(entry.title if entry.title is not None else header) + 1])
        # Where the lines are relative to the header: an entry that only moved (a line
        # added above it) is found too, and moved to its new line.
        key = (self.path, self.as_of, None if entry.title is None else entry.title - header,
               tuple((run.start - header, run.stop - header) for run in entry.fields),
               tuple(self.raws[header:end]))
        found = cache.take(key)
        if found is None:
            warnings, errors = len(self.warnings), len(self.errors)
            paper = self._paper(entry)
            cache.keep(key, (paper, self.warnings[warnings:], self.errors[errors:], header))
            return paper
        paper, warnings, errors, was = found
        if was != header:
            shift = header - was
            paper = None if paper is None else copy_paper(paper, line=header + 1)
            warnings = [replace(p, line=p.line + shift) for p in warnings]
            errors = [replace(p, line=p.line + shift) for p in errors]
            cache.keep(key, (paper, warnings, errors, header))
        self.warnings += warnings
        self.errors += errors
        return paper

    def _paper(self, entry: _Entry) -> Paper | None:
        """The entry's paper, still without its slug (see `run`), or None if it builds none."""
        if entry.discard or entry.header is None or entry.parsed is None:
            return None
        header, parsed, texts = entry.header, entry.parsed, self.texts
        if entry.title is None:
            self.error(
                header,
                len(texts[header]),
                "entry has no title: expected the paper's title on the line after its header",
            )
            return None
        date = self._date(header, parsed)
        if date is None:
            return None
        date_value, inferred = date
        fields = [
            texts[run.start] if len(run) == 1 else " ".join(texts[run.start : run.stop])
            for run in entry.fields
        ]
        authors_text, abstract_parts = "", fields
        if fields and (len(fields) > 1 or _looks_like_authors(fields[0])):
            authors_text, abstract_parts = fields[0], fields[1:]
        if not authors_text:
            self.warn(header, 0, "entry has no author line")
        authors, truncated, affiliations = _authors(authors_text)
        abstract = "\n\n".join(abstract_parts)
        links, code_url = _urls(abstract)
        return new_paper(
            {
                "slug": "",
                "title": texts[entry.title],
                "authors": authors,
                "authors_truncated": truncated,
                "affiliations": affiliations,
                "category": parsed.category,
                "date": date_value,
                "year_inferred": inferred,
                "score": parsed.score,
                "has_code": parsed.has_code,
                "code_url": code_url,
                "links": links,
                "abstract": abstract,
                "line": header + 1,
            }
        )

    def _date(self, index: int, header: _Header) -> tuple[dt.date, bool] | None:
        if header.year is not None:
            if header.year == 0:
                self.error(
                    index,
                    header.day_col,
                    f"impossible date '{_month_day(header)}, 0000': there is no year 0",
                )
                return None
            try:
                return dt.date(header.year, header.month, header.day), False
            except ValueError:
                self.error(
                    index,
                    header.day_col,
                    f"impossible date '{_month_day(header)}, {header.year}': "
                    f"{_MONTH_NAMES[header.month - 1]} {header.year} has no day "
                    f"{header.day}",
                )
                return None
        for year in range(self.as_of.year, self.as_of.year - 9, -1):
            try:
                candidate = dt.date(year, header.month, header.day)
            except ValueError:
                continue
            if candidate <= self.as_of:
                return candidate, True
        self.error(
            index,
            header.day_col,
            f"impossible date '{_month_day(header)}': "
            f"{_MONTH_NAMES[header.month - 1]} has no day {header.day}",
        )
        return None


# -- patching the last parse (the dev server's) ------------------------------------


@dataclass(frozen=True)
class _LastParse:
    """A good parse as the next one may patch it: the bytes read, the result, and where
    its entries and their warnings are (each warning's line tells its entry)."""

    data: bytes
    path: str
    as_of: dt.date
    profile: Profile
    warnings: tuple[Problem, ...]  # as returned
    lines: int  # how many lines the text has
    headers: tuple[int, ...]  # each entry's header line (0-based), in file order
    grouping: tuple[Problem, ...]  # warnings of reading the entries' paragraphs
    entries: tuple[Problem, ...]  # warnings of the entries' papers, in entry order
    count: tuple[int, str, int] | None  # the count line: index, text as written, count
    patchable: bool  # no line ends with \r, no invisible character anywhere

    @classmethod
    def of(cls, parser: _Parser, data: bytes, profile: Profile) -> _LastParse:
        before, grouped, papers = parser.phases
        warnings = parser.warnings
        count = None
        if parser.count_line is not None and parser.declared is not None:
            count = (parser.count_line, parser.raws[parser.count_line], parser.declared)
        return cls(data, parser.path, parser.as_of, profile, tuple(warnings),
                   len(parser.raws), parser.headers, tuple(warnings[before:grouped]),
                   tuple(warnings[grouped:papers]), count,
                   before == 0 and b"\r" not in data)


def _patched(last: _LastParse, data: bytes) -> _LastParse | None:
    """The parse of `data` made from `last` by reading again only the entries an edit
    touched, when the edit leaves the line count as it was and lies inside paper
    entries, and they read without errors; None when a full parse is needed (it
    reports the errors). The result equals a full parse's (tests/test_profile_patch.py)."""
    old = last.data
    if old == data:
        return last
    if not last.patchable or not last.headers:
        return None
    start = _common_prefix(old, data)
    tail = _common_suffix(old, data, min(len(old), len(data)) - start)
    old_end, new_end = len(old) - tail, len(data) - tail
    newlines = old.count(b"\n", start, old_end)
    if newlines != data.count(b"\n", start, new_end) or b"\r" in data[start:new_end]:
        return None  # lines added or removed: every later line number moves
    first = old.count(b"\n", 0, start)  # the first and last lines the edit touched
    headers = last.headers
    k = bisect_right(headers, first) - 1
    m = bisect_right(headers, first + newlines) - 1
    if k < 0:
        return None  # the edit is in the researcher's header: read it all again
    span_start = headers[k]
    span_stop = headers[m + 1] if m + 1 < len(headers) else last.lines
    # The span's bytes: walk back from the edit to its first entry's header line, and
    # forward to the line after its last entry.
    offset = data.rfind(b"\n", 0, start) + 1
    for _ in range(first - span_start):
        offset = data.rfind(b"\n", 0, offset - 1) + 1
    end = offset
    for _ in range(span_stop - span_start):
        end = data.find(b"\n", end) + 1
        if end == 0:
            end = len(data) + 1
            break
    try:
        text = data[offset : end - 1].decode("utf-8")
    except UnicodeDecodeError:
        return None
    raws = text.split("\n")
    if len(raws) != span_stop - span_start or not all(
        raw.isprintable() or not INVISIBLE.search(raw) for raw in raws
    ):
        return None
    # A parser over the span's lines, at their line numbers (lines before are blank).
    parser = _Parser("", last.path, last.as_of)
    parser.raws = [""] * span_start + raws
    parser.texts = [""] * span_start + [raw.strip() for raw in raws]
    if _read_header(parser.texts[span_start]) is None:
        return None  # the entry's header is gone or mistyped: the entries regroup
    entries = parser._entries(parser._groups(span_start, span_stop))
    grouping = len(parser.warnings)
    made = [parser._paper(entry) for entry in entries]
    if parser.errors or None in made:
        return None
    papers = [*last.profile.papers[:k], *made, *last.profile.papers[m + 1:]]
    # Slugs: those of the papers before, unless what they are made of changed.
    replaced = last.profile.papers[k : m + 1]
    if len(made) == len(replaced) and _slug_keys(made) == _slug_keys(list(replaced)):
        for paper, before in zip(made, replaced, strict=True):
            object.__setattr__(paper, "slug", before.slug)
    else:
        _give_slugs(papers, assign_slugs(_slug_keys(papers)))

    def around(found: tuple[Problem, ...], new: list[Problem]) -> tuple[Problem, ...]:
        # Warnings keep file order: those of lines before the span, the span's, the rest.
        return (*(w for w in found if w.line <= span_start), *new,
                *(w for w in found if w.line > span_stop))

    group_warnings = around(last.grouping, parser.warnings[:grouping])
    entry_warnings = around(last.entries, parser.warnings[grouping:])
    warnings = [*group_warnings, *entry_warnings]
    if last.count is not None and last.count[2] != len(papers):
        warnings.append(_count_warning(last.path, *last.count, len(papers)))
    before = last.profile
    profile = Profile(before.name, before.category, before.metrics, tuple(papers),
                      before.declared_count, before.as_of)
    return _LastParse(data, last.path, last.as_of, profile, tuple(warnings), last.lines,
                      (*headers[:k], *(entry.header for entry in entries), *headers[m + 1:]),
                      group_warnings, entry_warnings, last.count, True)


_BLOCK = 1 << 16  # bytes compared at a time (a slice copies them)


def _common_prefix(a: bytes, b: bytes) -> int:
    """How many leading bytes `a` and `b` share."""
    n = min(len(a), len(b))
    low = 0
    while low < n and a[low : low + _BLOCK] == b[low : low + _BLOCK]:
        low += _BLOCK
    if low >= n:
        return n
    high = min(low + _BLOCK, n)  # the first difference is in [low, high)
    while high - low > 16:
        middle = (low + high) // 2
        if a[low:middle] == b[low:middle]:
            low = middle
        else:
            high = middle
    while low < high and a[low] == b[low]:
        low += 1
    return low


def _common_suffix(a: bytes, b: bytes, limit: int) -> int:
    """How many trailing bytes `a` and `b` share, at most `limit`."""
    n = 0
    while n < limit:
        step = min(_BLOCK, limit - n)
        if a[len(a) - n - step : len(a) - n] != b[len(b) - n - step : len(b) - n]:
            break
        n += step
    else:
        return n
    low, high = n, n + step  # the shared tail is at least low, less than high
    while high - low > 16:
        middle = (low + high) // 2
        if a[len(a) - middle : len(a) - low] == b[len(b) - middle : len(b) - low]:
            low = middle
        else:
            high = middle
    while low < high and a[len(a) - low - 1] == b[len(b) - low - 1]:
        low += 1
    return low


# -- pure helpers ----------------------------------------------------------------


def _month_day(header: _Header) -> str:
    """The header's date without its year, as in messages: 'Feb 30'."""
    return f"{MONTHS[header.month - 1]} {header.day}"


def _parse_header(text: str) -> _Header | _HeaderMismatch:
    """Parse `[score]CATEGORY Mon D[, YYYY][Code]`, or say where and what was expected."""
    header = _match_header(text)
    if header is not None:
        return header
    try:
        return _parse_header_strict(text)
    except _HeaderMismatch as mismatch:
        # Without its traceback: that holds the frames of the callers (the parser's, and
        # with them every line) in a reference cycle only a garbage collection frees.
        return mismatch.with_traceback(None)


def _match_header(text: str) -> _Header | None:
    """A valid header parsed in one regex match (the quick way); None for anything else,
    including a score of too many digits, which `_parse_header_strict` reports."""
    match = _HEADER.fullmatch(text)
    if match is None:
        return None
    score, category, month, day, year, code = match.groups()
    if score is not None and (score := _number(score)) is None:
        return None
    return _Header(
        score,
        category,
        _MONTH_NUMBER[month],
        int(day),
        None if year is None else int(year),
        code is not None,
        match.start("day"),
    )


def _read_header(text: str) -> _Header | None:
    """The entry header `text` is, or None: cheaply for the many lines that are not one."""
    if _HEADER_START.match(text) is None:  # most lines
        return None
    header = _match_header(text)
    if header is None:  # seldom: then the step by step parse decides
        parsed = _parse_header(text)
        header = parsed if isinstance(parsed, _Header) else None
    return header


def _parse_header_strict(text: str) -> _Header:
    pos = 0
    score: Number | None = None
    match = _SCORE.match(text)
    if match:
        score = _number(match.group())
        if score is None:
            raise _HeaderMismatch(0, f"expected a score of at most {MAX_DIGITS} digits")
        pos = match.end()
    run = _CAPITALS.match(text, pos)
    if run is None or len(run.group()) < 2:
        what = "after the score " if score is not None else ""
        raise _HeaderMismatch(
            pos, f"expected a category code {what}(two or more capital letters, such as CV)"
        )
    category = None
    for length in range(len(run.group()), 1, -1):
        if text.startswith(MONTHS, pos + length):
            category = text[pos : pos + length]
            break
    if category is None:
        # Point at where the month should start: a capitalised or all-capitals word glued
        # to the code ('CVXyz', 'CVOCT') begins at its first capital, not after the run.
        month_at = run.end()
        if len(run.group()) > 2 and text[run.end() : run.end() + 1].islower():
            month_at -= 1
        for length in range(2, len(run.group())):
            if text[pos + length : pos + length + 3].title() in _MONTH_NUMBER:
                month_at = pos + length
                break
        raise _HeaderMismatch(
            month_at, "expected a month (Jan, Feb, … Dec) after the category code"
        )
    pos += len(category)
    month = _MONTH_NUMBER[text[pos : pos + 3]]
    pos += 3
    spaces = _SPACES.match(text, pos)
    if spaces is None:
        raise _HeaderMismatch(pos, "expected a space after the month")
    pos = spaces.end()
    day_match = _DAY.match(text, pos)
    if day_match is None:
        raise _HeaderMismatch(pos, "expected the day of the month (1 to 31)")
    day_col = pos
    day = int(day_match.group())
    pos = day_match.end()
    year = None
    year_match = _YEAR.match(text, pos)
    if year_match:
        year = int(year_match.group(1))
        pos = year_match.end()
    elif text.startswith(",", pos):
        raise _HeaderMismatch(pos + 1, "expected a four-digit year after the comma")
    has_code = text.startswith("Code", pos)
    if has_code:
        pos += 4
    if pos != len(text):
        found = text[pos : pos + 20]
        if year is None and not has_code:
            expected = "expected ', YYYY', 'Code' or the end of the line"
        elif not has_code:
            expected = "expected 'Code' or the end of the line"
        else:
            expected = "expected the end of the line"
        raise _HeaderMismatch(pos, f"{expected}, found '{found}'")
    return _Header(score, category, month, day, year, has_code, day_col)


def _looks_mistyped(text: str) -> bool:
    return len(text) <= 40 and _MISTYPED_HEADER.fullmatch(text) is not None


def _headerish(text: str) -> bool:
    """A short line that looks meant as an entry header (valid or not)."""
    return len(text) <= 40 and (_HEADERISH.search(text) is not None or _looks_mistyped(text))


def _number(text: str) -> Number | None:
    """The number written (thousands separators allowed); None if its whole part has more
    than MAX_DIGITS digits."""
    text = text.replace(",", "")
    if len(text.partition(".")[0]) > MAX_DIGITS:
        return None
    return float(text) if "." in text else int(text)


def _looks_like_authors(text: str) -> bool:
    """Tell a lone author line from a lone abstract: names are short comma-separated items."""
    if len(text) > 2000:
        return False
    names, _ = _split_affiliations(text)
    names, _ = _split_et_al(names)
    items = [item for item in names.split(",") if item.strip()]
    return bool(items) and all(len(i.split()) <= 6 for i in items)


def _split_affiliations(text: str) -> tuple[str, str | None]:
    """`names · affiliations` at the first middle dot with whitespace on both sides."""
    dot = text.find("·")  # (the regex is tried at every position: start it at the first dot)
    match = None if dot == -1 else _MIDDLE_DOT.search(text, dot)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), text[match.end() :].lstrip()


def _split_et_al(names: str) -> tuple[str, bool]:
    """The names without a trailing `et al.` (and the comma before it), and whether it was there."""
    if names.endswith(" et al."):  # the usual case: that is where the match starts
        return names[: len(names) - 6].rstrip().removesuffix(","), True
    # A match ends the text (or its last line) with 'al' or 'al.', after whitespace and
    # 'et': search from there, not from the start (the pattern is tried at every position).
    al = len(names.rstrip("\n.")) - 2
    if al < 0 or names[al : al + 2].lower() != "al":
        return names, False
    match = _ET_AL.search(names, max(0, len(names[:al].rstrip()) - 2))
    if match is None:
        return names, False
    return names[: match.start()].rstrip().removesuffix(","), True


def _comma_list(text: str) -> tuple[str, ...]:
    """The non-empty items of a comma-separated list, stripped."""
    return tuple(filter(None, map(str.strip, text.split(","))))


def _authors(text: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    names, after_dot = _split_affiliations(text)
    affiliations: tuple[str, ...] = ()
    if after_dot is not None:
        affiliations = _comma_list(after_dot)
    names, truncated = _split_et_al(names.strip())
    return _comma_list(names), truncated, affiliations


_TRAILING = ".,;:!?'\")]"  # what `_trim_url` may drop from the end of a URL


def _trim_url(url: str) -> str:
    """Drop trailing sentence punctuation and unbalanced closing brackets from a URL."""
    if url and url[-1] not in _TRAILING:  # most URLs: nothing to drop
        return url
    opened = {")": url.count("("), "]": url.count("[")}
    closed = {")": url.count(")"), "]": url.count("]")}
    end = len(url)
    while end:
        last = url[end - 1]
        if last in closed and closed[last] > opened[last]:
            closed[last] -= 1
        elif last not in ".,;:!?'\"":
            break
        end -= 1
    return url[:end]


def url_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each http(s) URL in text, trailing punctuation excluded."""
    return _scan_urls(text)[0]


def _urls(text: str) -> tuple[tuple[str, ...], str | None]:
    """An abstract's links (its URLs, each once, in order) and its code URL (the URL of
    its first `Code: URL`, if that is one of its URLs)."""
    spans, code = _scan_urls(text)
    if not spans:  # most abstracts
        return (), None
    links = tuple(dict.fromkeys([text[start:end] for start, end in spans]))
    for start, end in spans:
        if start == code:
            return links, text[start:end]
    return links, None


def _scan_urls(text: str) -> tuple[list[tuple[int, int]], int | None]:
    """Where text's URLs are, and where the URL of its first `Code: URL` starts.

    The URLs are the matches of `_URL.finditer(text)`, trimmed (`_trim_url`) and dropped
    if nothing is left after the scheme; the `Code: URL` is `_CODE_URL.search(text)`, and
    its URL starts at the start of its group 1 (None when there is no match). Both
    patterns are case-insensitive, which makes re try them at every position of a long
    abstract; but every match holds a scheme ('http://' or 'https://'), so this goes from
    '://' to '://' with str.find and looks only around each: the same, many times faster.
    """
    spans: list[tuple[int, int]] = []
    code: int | None = None
    resume = 0  # the end of the previous URL: a scheme before it is inside it
    # (Looking for a colon first: memchr runs many times faster than a search for '://',
    # and most abstracts have no colon, or only one just before their URL.)
    colon = text.find(":")
    if colon != -1:
        colon = text.find("://", colon)
    while colon != -1:
        # 'https' ends right before the '://', or 'http' does (both cannot).
        if colon >= 5 and _SCHEME.match(text, colon - 5):
            start = colon - 5
        elif colon >= 4 and _SCHEME.match(text, colon - 4):
            start = colon - 4
        else:
            start = -1
        if start >= 0:
            if code is None and _after_code_label(text, start):
                code = start
            # The next URL is at the first scheme after the previous one that a URL
            # character follows.
            match = _URL.match(text, start) if start >= resume else None
            if match is not None:
                resume = match.end()
                url = _trim_url(match.group())
                if len(url) > colon - start + 3:
                    spans.append((start, start + len(url)))
        colon = text.find("://", colon + 3)
    return spans, code


def _after_code_label(text: str, scheme: int) -> bool:
    """Whether `Code:` and whitespace come right before the scheme starting at `scheme`:
    a match of _CODE_URL whose group 1 starts there."""
    if scheme == 0 or not (text[scheme - 1] == ":" or text[scheme - 1].isspace()):
        return False  # nor whitespace nor a colon right before: '(https://', '=https://'
    # Where the run of whitespace before the scheme starts: looked for in a window that
    # doubles while it holds only whitespace (linear, however long the run).
    size = 64
    while True:
        window = max(0, scheme - size)
        label_end = window + len(text[window:scheme].rstrip())
        if label_end > window or window == 0:
            break
        size *= 2
    return (
        label_end >= 5
        and text[label_end - 1] == ":"
        and _CODE_URL.match(text, label_end - 5) is not None
    )
