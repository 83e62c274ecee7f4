"""The grammar of the profile format (docs/profile-format.md): the entry header
`[score]CATEGORY Mon D[, YYYY][Code]`, the header lines' patterns and numbers. Pure
functions of one line; the parser (parser.py) puts lines together."""

from __future__ import annotations

import re
from typing import NamedTuple

from ..dates import MONTH_NUMBER, MONTHS
from ..records import Number

HEADER_EXAMPLE = "an entry header looks like 'CVOct 12, 2022' or '54.9AIMay 10Code'"

_SCORE = re.compile(r"\d+(?:\.\d+)?")
_CAPITALS = re.compile(r"[A-Z]+")
_SPACES = re.compile(r"[ \t]+")
_DAY = re.compile(r"\d{1,2}(?!\d)")
_YEAR = re.compile(r",[ \t]*(\d{4})(?!\d)")
_MONTHS = "|".join(MONTHS)  # the months as a regex alternation: Jan|Feb|...|Dec
# A valid entry header in one match, for speed; `_parse_header_strict` is the definition
# (and says what is wrong with an invalid one). The category is the capitals before the
# month: the months are a capital and two lower-case letters, so there is no choice.
_HEADER = re.compile(
    r"(?P<score>\d+(?:\.\d+)?)?(?P<category>[A-Z]{2,})"
    rf"(?P<month>{_MONTHS})[ \t]+(?P<day>\d{{1,2}})(?!\d)"
    r"(?:,[ \t]*(?P<year>\d{4})(?!\d))?(?P<code>Code)?"
)
# How every valid header starts: a line that does not is none (most lines, checked cheaply).
_HEADER_START = re.compile(r"(?:\d+(?:\.\d+)?)?[A-Z]{2}")
CATEGORY_LINE = re.compile(r"[A-Z]{2,}")
COUNT_LINE = re.compile(r"(\d[\d,]*)[ \t]+Papers?", re.IGNORECASE)
_VALUE = r"(?P<value>\d[\d,]*(?:\.\d+)?)(?P<pct>%?)"
LABEL_FIRST = re.compile(r"(?P<label>.*?[^\d\s,.])\s*" + _VALUE)
VALUE_FIRST = re.compile(_VALUE + r"\s*(?P<label>[^\d\s,.].*)")
KNOWN_METRICS = {
    "hindex": "h_index",
    "papers": "papers",
    "paper": "papers",
    "citations": "citations",
    "citation": "citations",
    "novelty": "novelty",
    "aiscore": "ai_score",
}
#: Largest number of digits in a number's whole part; more is a typing accident, and
#: Python refuses to convert integers of more than 4,300 digits.
MAX_DIGITS = 15
_HEADERISH = re.compile(
    r"^\d+(?:\.\d+)?[A-Za-z]|^[A-Z]{2,}[A-Z][a-z]|"
    rf"(?:{_MONTHS})[a-z]*\.?\s*\d"
)
# A date written with numbers only, after the category code: 2024-03-08, 2024/3/8.
_NUMERIC_DATE = re.compile(r"[ \t]*((?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2}))")
# A line that is nothing but [score] code month day [year] [Code], mistyped: taken for a
# bad entry header even where an author line or an abstract would otherwise be expected.
_MISTYPED_HEADER = re.compile(
    r"(?:\d+(?:\.\d+)?\s*)?[A-Za-z]{2,6}\s*"
    rf"(?:(?i:{_MONTHS})[a-z]*\.?\s*\d{{1,2}}"
    r"[\s,.]*(?:\d{2,4})?"
    r"|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})"  # numeric dates
    r"\s*(?i:code)?"
)


class Header(NamedTuple):  # a tuple: quicker to make than a dataclass
    score: Number | None
    category: str
    month: int
    day: int
    year: int | None
    has_code: bool
    day_col: int  # 0-based offset of the day in the stripped text


class HeaderMismatch(Exception):
    def __init__(self, offset: int, expected: str):
        super().__init__(expected)
        self.offset = offset
        self.expected = expected



def month_day(header: Header) -> str:
    """The header's date without its year, as in messages: 'Feb 30'."""
    return f"{MONTHS[header.month - 1]} {header.day}"


def parse_header(text: str) -> Header | HeaderMismatch:
    """Parse `[score]CATEGORY Mon D[, YYYY][Code]`, or say where and what was expected."""
    header = _match_header(text)
    if header is not None:
        return header
    try:
        return _parse_header_strict(text)
    except HeaderMismatch as mismatch:
        # Without its traceback: that holds the frames of the callers (the parser's, and
        # with them every line) in a reference cycle only a garbage collection frees.
        return mismatch.with_traceback(None)


def _match_header(text: str) -> Header | None:
    """A valid header parsed in one regex match (the quick way); None for anything else,
    including a score of too many digits, which `_parse_header_strict` reports."""
    match = _HEADER.fullmatch(text)
    if match is None:
        return None
    score, category, month, day, year, code = match.groups()
    if score is not None and (score := number(score)) is None:
        return None
    return Header(
        score,
        category,
        MONTH_NUMBER[month],
        int(day),
        None if year is None else int(year),
        code is not None,
        match.start("day"),
    )


def read_header(text: str) -> Header | None:
    """The entry header `text` is, or None: cheaply for the many lines that are not one."""
    if _HEADER_START.match(text) is None:  # most lines
        return None
    header = _match_header(text)
    if header is None:  # seldom: then the step by step parse decides
        parsed = parse_header(text)
        header = parsed if isinstance(parsed, Header) else None
    return header


def _parse_header_strict(text: str) -> Header:
    pos = 0
    score: Number | None = None
    match = _SCORE.match(text)
    if match:
        score = number(match.group())
        if score is None:
            raise HeaderMismatch(0, f"expected a score of at most {MAX_DIGITS} digits")
        pos = match.end()
    run = _CAPITALS.match(text, pos)
    if run is None or len(run.group()) < 2:
        what = "after the score " if score is not None else ""
        raise HeaderMismatch(
            pos, f"expected a category code {what}(two or more capital letters, such as CV)"
        )
    category = None
    for length in range(len(run.group()), 1, -1):
        if text.startswith(MONTHS, pos + length):
            category = text[pos : pos + length]
            break
    if category is None and (numeric := _NUMERIC_DATE.match(text, run.end())):
        year, month_no, day = numeric.group("y", "m", "d")
        named = (f"{MONTHS[int(month_no) - 1]} {int(day)}, {year}"
                 if 1 <= int(month_no) <= 12 else "Mar 8, 2024")
        raise HeaderMismatch(numeric.start(1), f"found the date {numeric.group(1)} in "
                             f"numbers; write it with the month's name: '{named}'")
    if category is None:
        # Point at where the month should start: a capitalised or all-capitals word glued
        # to the code ('CVXyz', 'CVOCT') begins at its first capital, not after the run.
        month_at = run.end()
        if len(run.group()) > 2 and text[run.end() : run.end() + 1].islower():
            month_at -= 1
        for length in range(2, len(run.group())):
            if text[pos + length : pos + length + 3].title() in MONTH_NUMBER:
                month_at = pos + length
                break
        raise HeaderMismatch(
            month_at, "expected a month (Jan, Feb, … Dec) after the category code"
        )
    pos += len(category)
    month = MONTH_NUMBER[text[pos : pos + 3]]
    pos += 3
    spaces = _SPACES.match(text, pos)
    if spaces is None:
        raise HeaderMismatch(pos, "expected a space after the month")
    pos = spaces.end()
    day_match = _DAY.match(text, pos)
    if day_match is None:
        raise HeaderMismatch(pos, "expected the day of the month (1 to 31)")
    day_col = pos
    day = int(day_match.group())
    pos = day_match.end()
    year = None
    year_match = _YEAR.match(text, pos)
    if year_match:
        year = int(year_match.group(1))
        pos = year_match.end()
    elif text.startswith(",", pos):
        raise HeaderMismatch(pos + 1, "expected a four-digit year after the comma")
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
        raise HeaderMismatch(pos, f"{expected}, found '{found}'")
    return Header(score, category, month, day, year, has_code, day_col)


def looks_mistyped(text: str) -> bool:
    return len(text) <= 40 and _MISTYPED_HEADER.fullmatch(text) is not None


def headerish(text: str) -> bool:
    """A short line that looks meant as an entry header (valid or not)."""
    return len(text) <= 40 and (_HEADERISH.search(text) is not None or looks_mistyped(text))


def number(text: str) -> Number | None:
    """The number written (thousands separators allowed); None if its whole part has more
    than MAX_DIGITS digits."""
    text = text.replace(",", "")
    if len(text.partition(".")[0]) > MAX_DIGITS:
        return None
    return float(text) if "." in text else int(text)
