"""Parse the plain-text researcher profile (docs/profile-format.md) into records.

The parser reads text and returns `Profile` records; it knows nothing of HTML,
themes or files other than the one it reads. Every problem is collected with
its line and column, so one run reports all of them.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from .errors import Problem, ProfileError
from .records import ExtraMetric, Metrics, Number, Paper, Profile
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
# A URL ends at whitespace, quotes, angle brackets and invisible characters.
_URL = re.compile(f"https?://[^\\s<>\"'`{_INVISIBLE_CHARS}]+", re.IGNORECASE)
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


class _Line(NamedTuple):  # a tuple: 70,000 of these are made for 10,000 papers
    number: int
    raw: str
    text: str  # stripped of surrounding whitespace
    col: int  # 1-based column of text[0] in raw


@dataclass(frozen=True)
class _Header:
    score: Number | None
    category: str
    month: int
    day: int
    year: int | None
    has_code: bool
    day_col: int  # 0-based offset of the day in the stripped text


@dataclass
class _Entry:
    header: _Line | None
    parsed: _Header | None
    title: _Line | None
    fields: list[list[_Line]] = field(default_factory=list)
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


def read_profile_with_warnings(
    path: Path | str, as_of: dt.date, display: str | None = None
) -> tuple[Profile, list[Problem]]:
    """Like `read_profile`, also returning the warnings (e.g. a count line that disagrees)."""
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
    return parse_profile(decode(data, shown), shown, as_of)


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
    return _Parser(text, path, as_of).run()


class _Parser:
    def __init__(self, text: str, path: str, as_of: dt.date):
        self.path = path
        self.as_of = as_of
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []
        self.lines = []
        for number, raw in enumerate(re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff")), 1):
            stripped = raw.strip()
            col = len(raw) - len(raw.lstrip()) + 1
            self.lines.append(_Line(number, raw.rstrip(), stripped, col))

    # -- reporting -------------------------------------------------------------

    def error(self, line: _Line, offset: int, message: str) -> None:
        self.errors.append(
            Problem(self.path, line.number, line.col + offset, message, printable(line.raw))
        )

    def warn(self, line: _Line, offset: int, message: str) -> None:
        self.warnings.append(
            Problem(
                self.path, line.number, line.col + offset, message, printable(line.raw), True
            )
        )

    def _invisible_characters(self) -> None:
        """One warning for control, bidi and noncharacters: the first, and how many lines."""
        # isprintable() runs in C and is False for every invisible character (and for tabs
        # and no-break spaces, which the regular expression then clears).
        found = [
            (line, match)
            for line in self.lines
            if not line.raw.isprintable() and (match := INVISIBLE.search(line.raw))
        ]
        if not found:
            return
        line, match = found[0]
        char = match.group()
        kind = "noncharacter" if unicodedata.category(char) == "Cn" else "control character"
        name = unicodedata.name(char, "")
        more = len(found) - 1
        self.warnings.append(
            Problem(
                self.path,
                line.number,
                match.start() + 1,
                f"invisible {kind} U+{ord(char):04X}{f' ({name})' if name else ''}: kept in "
                f"the JSON export, shown on the pages as [U+{ord(char):04X}] so it cannot reorder "
                "or hide the text around it"
                + (f"; {more} more line{'s' if more != 1 else ''} hold such characters"
                   if more else ""),
                printable(line.raw),
                True,
            )
        )

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
        entries = self._entries(body)
        papers = [p for p in (self._paper(e) for e in entries) if p is not None]
        declared = None
        if count_line is not None:
            declared = _number(_COUNT_LINE.fullmatch(count_line.text).group(1))
            if declared is None:
                self.error(
                    count_line,
                    0,
                    f"a count of more than {MAX_DIGITS} digits; expected the number of "
                    "papers, such as '33 Papers'",
                )
            elif declared != len(entries):
                found = "1 entry was" if len(entries) == 1 else f"{len(entries)} entries were"
                self.warn(count_line, 0, f"the count line says {declared} papers but {found} found")
        if self.errors:
            problems = sorted(self.errors + self.warnings, key=lambda p: (p.line, p.col))
            raise ProfileError(problems)
        slugs = assign_slugs([(p.title, p.date.isoformat(), ", ".join(p.authors)) for p in papers])
        papers = [_with_slug(p, s) for p, s in zip(papers, slugs, strict=True)]
        profile = Profile(
            name=name,
            category=category,
            metrics=metrics,
            papers=tuple(papers),
            declared_count=declared,
            as_of=self.as_of,
        )
        return profile, self.warnings

    def _groups(self) -> list[list[_Line]]:
        """Runs of non-blank lines; a valid entry header always starts a new run."""
        groups: list[list[_Line]] = []
        current: list[_Line] = []
        for line in self.lines:
            if not line.text:
                if current:
                    groups.append(current)
                current = []
                continue
            if current and _is_header(line.text):
                groups.append(current)
                current = []
            current.append(line)
        if current:
            groups.append(current)
        return groups

    # -- header ----------------------------------------------------------------

    def _header(self, groups: list[list[_Line]]):
        lines = [line for group in groups for line in group]
        first = lines[0]
        if _is_header(first.text):
            self.error(
                first,
                0,
                "expected the researcher's name on the first line, found a paper entry header",
            )
            return "", "", Metrics(), None, groups
        name = first.text
        # The entries start at the first entry header, valid or mistyped (so a bad first
        # header is reported like any other, with what was expected).
        body_start = next(
            (
                i
                for i, g in enumerate(groups)
                if i > 0 and (_is_header(g[0].text) or _looks_mistyped(g[0].text))
            ),
            len(groups),
        )
        body = groups[body_start:]
        # Header lines after the name, each with the index of its blank-separated run.
        rest = [(gi, line) for gi, g in enumerate(groups[:body_start]) for line in g][1:]
        category = ""
        metric_lines: list[_Line] = []
        metric_group: int | None = None
        count_line: _Line | None = None
        leftovers: list[_Line] = []
        for position, (group_index, line) in enumerate(rest):
            if position == 0 and _CATEGORY_LINE.fullmatch(line.text):
                category = line.text
            elif count_line is None and _COUNT_LINE.fullmatch(line.text):
                count_line = line
            elif count_line is None and metric_group in (None, group_index):
                # Metrics are one run of lines; a later run is not a metric.
                metric_group = group_index
                metric_lines.append(line)
            else:
                leftovers.append(line)
        rest = [line for _, line in rest]
        if not category:
            where = rest[0] if rest else first
            offset = 0 if rest else len(first.text)
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

    def _metrics(self, lines: list[_Line]) -> Metrics:
        known: dict[str, Number] = {}
        extra: list[ExtraMetric] = []
        for line in lines:
            match = _LABEL_FIRST.fullmatch(line.text) or _VALUE_FIRST.fullmatch(line.text)
            if match is None:
                extra.append(ExtraMetric(line.text, None, "", line.number))
                continue
            label = match.group("label").strip()
            value = _number(match.group("value"))
            if value is None:
                self.error(
                    line,
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
                extra.append(ExtraMetric(label, value, text, line.number))
        return Metrics(**known, extra=tuple(extra))

    # -- entries ---------------------------------------------------------------

    def _entries(self, groups: list[list[_Line]]) -> list[_Entry]:
        entries: list[_Entry] = []
        current: _Entry | None = None
        for group in groups:
            first = group[0]
            parsed = _parse_header(first.text)
            if isinstance(parsed, _Header):
                current = _Entry(first, parsed, group[1] if len(group) > 1 else None)
                entries.append(current)
                if len(group) > 2:
                    current.fields.append(group[2:])
                continue
            expecting = current is not None and (current.discard or len(current.fields) < 2)
            if expecting and not _looks_mistyped(first.text):
                current.fields.append(group)
                continue
            if _headerish(first.text):
                self.error(first, parsed.offset, f"{parsed.expected}; {HEADER_EXAMPLE}")
                # Counted as an entry (for the count line) but builds no paper.
                current = _Entry(None, None, None, discard=True)
                entries.append(current)
                continue
            if current is None:
                self._unexpected(first)
                current = _Entry(None, None, None, discard=True)
                continue
            self.warn(
                first,
                0,
                "a further paragraph after the abstract; kept as part of the "
                "abstract (expected an entry header or a blank line)",
            )
            current.fields.append(group)
        return entries

    def _unexpected(self, line: _Line) -> None:
        parsed = _parse_header(line.text)
        offset, detail = 0, "unexpected text"
        if isinstance(parsed, _HeaderMismatch) and _headerish(line.text):
            # Looks like a mistyped header: say where and what was expected.
            offset, detail = parsed.offset, parsed.expected
        self.error(line, offset, f"{detail}; {HEADER_EXAMPLE}")

    def _paper(self, entry: _Entry) -> Paper | None:
        if entry.discard or entry.header is None or entry.parsed is None:
            return None
        header, parsed = entry.header, entry.parsed
        if entry.title is None:
            self.error(
                header,
                len(header.text),
                "entry has no title: expected the paper's title on the line after its header",
            )
            return None
        date = self._date(header, parsed)
        if date is None:
            return None
        date_value, inferred = date
        fields = [" ".join(line.text for line in group) for group in entry.fields]
        authors_text, abstract_parts = "", fields
        if fields and (len(fields) > 1 or _looks_like_authors(fields[0])):
            authors_text, abstract_parts = fields[0], fields[1:]
        if not authors_text:
            self.warn(header, 0, "entry has no author line")
        authors, truncated, affiliations = _authors(authors_text)
        abstract = "\n\n".join(abstract_parts)
        links = _links(abstract)
        return Paper(
            slug="",
            title=entry.title.text,
            authors=authors,
            authors_truncated=truncated,
            affiliations=affiliations,
            category=parsed.category,
            date=date_value,
            year_inferred=inferred,
            score=parsed.score,
            has_code=parsed.has_code,
            code_url=_code_url(abstract),
            links=links,
            abstract=abstract,
            line=header.number,
        )

    def _date(self, line: _Line, header: _Header) -> tuple[dt.date, bool] | None:
        month_name = _MONTH_NAMES[header.month - 1]
        shown = f"{MONTHS[header.month - 1]} {header.day}"
        if header.year is not None:
            if header.year == 0:
                self.error(
                    line, header.day_col, f"impossible date '{shown}, 0000': there is no year 0"
                )
                return None
            try:
                return dt.date(header.year, header.month, header.day), False
            except ValueError:
                self.error(
                    line,
                    header.day_col,
                    f"impossible date '{shown}, {header.year}': "
                    f"{month_name} {header.year} has no day "
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
            line, header.day_col, f"impossible date '{shown}': {month_name} has no day {header.day}"
        )
        return None


# -- pure helpers ----------------------------------------------------------------


def _parse_header(text: str) -> _Header | _HeaderMismatch:
    """Parse `[score]CATEGORY Mon D[, YYYY][Code]`, or say where and what was expected."""
    try:
        return _parse_header_strict(text)
    except _HeaderMismatch as mismatch:
        return mismatch


def _is_header(text: str) -> bool:
    return isinstance(_parse_header(text), _Header)


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
    match = _MIDDLE_DOT.search(text)
    if match is None:
        return text, None
    return text[: match.start()].rstrip(), text[match.end() :].lstrip()


def _split_et_al(names: str) -> tuple[str, bool]:
    """The names without a trailing `et al.` (and the comma before it), and whether it was there."""
    match = _ET_AL.search(names)
    if match is None:
        return names, False
    return names[: match.start()].rstrip().removesuffix(","), True


def _authors(text: str) -> tuple[tuple[str, ...], bool, tuple[str, ...]]:
    names, after_dot = _split_affiliations(text)
    affiliations: tuple[str, ...] = ()
    if after_dot is not None:
        affiliations = tuple(a.strip() for a in after_dot.split(",") if a.strip())
    names, truncated = _split_et_al(names.strip())
    authors = tuple(a.strip() for a in names.split(",") if a.strip())
    return authors, truncated, affiliations


def _trim_url(url: str) -> str:
    """Drop trailing sentence punctuation and unbalanced closing brackets from a URL."""
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
    spans = []
    for match in _URL.finditer(text):
        url = _trim_url(match.group())
        if len(url) > len(match.group().split("://", 1)[0]) + 3:
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _links(text: str) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for start, end in url_spans(text):
        seen.setdefault(text[start:end], None)
    return tuple(seen)


def _code_url(text: str) -> str | None:
    match = _CODE_URL.search(text)
    if match is None:
        return None
    for start, end in url_spans(text):
        if start == match.start(1):
            return text[start:end]
    return None


def _with_slug(paper: Paper, slug: str) -> Paper:
    from dataclasses import replace

    return replace(paper, slug=slug)
