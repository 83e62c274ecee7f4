"""The profile parser under random and mutated input (hypothesis).

Whatever bytes it is given, the parser either returns records or raises the project's
own `ProfileError`, every problem with a line number inside the file; never any other
exception, and never slowly: the work of a parse grows linearly with the input (counted
in function calls, not timed: timings live in bench/), and 10 MB lines parse whole, with
a generous alarm (`time_limit`) only so that a parser gone quadratic fails instead of
hanging.

Inputs: the reference profile (content/profile.txt) with lines dropped, duplicated,
swapped and truncated, bytes flipped, random Unicode, control and bidi characters
inserted; random bytes; random lines that look like entry headers; and, as explicit
tests, 10 MB lines and inputs of 1,000 and 2,000 papers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator import text as chars
from generator.config import load_config
from generator.errors import ProfileError
from generator.export import profile_to_dict
from generator.profile import MAX_LINE, decode, fields, grammar, parse_profile
from generator.records import Profile
from generator.slugs import MAX_LENGTH

from .conftest import REPO

REFERENCE = (REPO / "content" / "profile.txt").read_bytes()
AS_OF = dt.date(2026, 11, 23)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
#: Bidi controls, C0/C1 controls, noncharacters and friends: what hostile or broken
#: exports insert.
NASTY = (
    "\x00\x01\x07\x08\x0b\x0c\x1b\x1c\x1f\x7f\x80\x85\x9f"
    "\u061c\u200b\u200c\u200d\u200e\u200f\u2028\u2029"
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\ufffe\uffff\U0010ffff"
)
HEADERISH = (
    r"(\d{1,3}(\.\d{1,2})?)?[A-Z]{1,4}(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|Foo)"
    r" ?\d{0,3}(, ?\d{0,5})?(Code)?"
)

FUZZ = settings(
    max_examples=400,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def time_limit(seconds: float, what: str) -> Iterator[None]:
    """Fail (rather than hang) when the block runs longer than `seconds`."""

    def expire(signum, frame):
        raise TimeoutError(f"{what} took longer than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def line_count(data: bytes) -> int:
    return len(re.split(rb"\r\n|\r|\n", data))


def parse_bytes(data: bytes, limit: float = 10.0) -> Profile | ProfileError:
    """Parse like `read_profile` does; the profile, or the ProfileError raised."""
    with time_limit(limit, f"parsing {len(data):,} bytes"):
        try:
            return parse_profile(decode(data, "fuzz.txt"), "fuzz.txt", AS_OF)[0]
        except ProfileError as error:
            return error


def assert_parsed_or_positioned_error(data: bytes) -> None:
    """The property: records with sane fields, or a ProfileError whose every problem
    names the file and a line (and column) that exist."""
    result = parse_bytes(data)
    lines = line_count(data)
    if isinstance(result, ProfileError):
        assert result.problems, "a ProfileError with no problem"
        for problem in result.problems:
            assert problem.path == "fuzz.txt"
            assert 1 <= problem.line <= lines, problem
            assert problem.col >= 1, problem
            if problem.source_line is not None:
                assert problem.col <= len(problem.source_line) + 1, problem
        assert str(result).startswith("fuzz.txt:")
        return
    slugs = [paper.slug for paper in result.papers]
    assert len(set(slugs)) == len(slugs)
    for paper in result.papers:
        assert SLUG.fullmatch(paper.slug) and len(paper.slug) <= MAX_LENGTH, paper.slug
        assert 1 <= paper.line <= lines
        assert paper.title and paper.category
    # Every record exports as strict JSON (no NaN or Infinity from absurd numbers).
    json.dumps(profile_to_dict(result), allow_nan=False)


# -- strategies --------------------------------------------------------------------------------

_index = st.integers(min_value=0, max_value=10_000)
_mutation = st.one_of(
    st.tuples(st.just("drop"), _index),
    st.tuples(st.just("duplicate"), _index, _index),
    st.tuples(st.just("swap"), _index, _index),
    st.tuples(st.just("truncate"), _index, st.integers(min_value=0, max_value=200)),
    st.tuples(st.just("flip"), _index, st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("insert"), _index, _index, st.text(max_size=30)),
    st.tuples(st.just("nasty"), _index, _index, st.text(alphabet=NASTY, min_size=1, max_size=4)),
    st.tuples(st.just("line"), _index, st.from_regex(HEADERISH, fullmatch=True)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    """Apply mutations to the lines (or bytes) of a profile; indices wrap around."""
    lines = data.split(b"\n")
    for kind, *args in mutations:
        if not lines:
            lines = [b""]
        i = args[0] % len(lines)
        if kind == "drop":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(args[1] % (len(lines) + 1), lines[i])
        elif kind == "swap":
            j = args[1] % len(lines)
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "truncate":  # on bytes: may cut a character in half
            lines[i] = lines[i][: args[1]]
        elif kind == "flip":
            joined = bytearray(b"\n".join(lines))
            if joined:
                joined[args[0] % len(joined)] ^= args[1]
            lines = bytes(joined).split(b"\n")
        elif kind in ("insert", "nasty"):
            text = lines[i].decode("utf-8", "surrogateescape")
            at = args[1] % (len(text) + 1)
            text = text[:at] + args[2] + text[at:]
            lines[i] = text.encode("utf-8", "surrogateescape")
        elif kind == "line":
            lines.insert(i, args[1].encode())
    return b"\n".join(lines)


# -- properties --------------------------------------------------------------------------------


@FUZZ
@given(st.lists(_mutation, min_size=1, max_size=8))
def test_mutated_reference_profile_parses_or_raises_a_positioned_profile_error(mutations):
    assert_parsed_or_positioned_error(mutate(REFERENCE, mutations))


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_parse_or_raise_a_positioned_profile_error(data):
    assert_parsed_or_positioned_error(data)


@FUZZ
@given(
    st.lists(
        st.one_of(
            st.from_regex(HEADERISH, fullmatch=True),
            st.text(max_size=60),
            st.text(alphabet=NASTY + "ab ,·.:/()%0123456789", max_size=40),
            st.sampled_from(["", "", "CV", "h-index12", "3 Papers", "Ann Lee, Bo Chen et al.",
                             "A · b, c", "Code: https://x.org/a).", "https://", "et al."]),
        ),
        max_size=40,
    )
)
def test_random_profile_shaped_lines_parse_or_raise_a_positioned_profile_error(lines):
    text = "\n".join(lines)
    assert_parsed_or_positioned_error(text.encode("utf-8", "surrogatepass"))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(_mutation, min_size=1, max_size=6))
def test_whatever_the_parser_accepts_renders_a_site_with_safe_paths(mutations):
    from generator.build import render_site

    result = parse_bytes(mutate(REFERENCE, mutations))
    if isinstance(result, ProfileError):
        return
    # The demo's settings, rooted where there is no content/: its per-paper files name
    # slugs that a mutated profile may have lost.
    config = dataclasses.replace(load_config(REPO), root=REPO / "tests")
    _, files = render_site(config, result)
    for path in files:
        parts = path.split("/")
        assert all(part not in ("", ".", "..") for part in parts), path
        assert path.isascii() and "\\" not in path, path
    pages = [path for path in files if path.startswith("papers/") and path.endswith("/index.html")]
    assert len(pages) == len(result.papers)


# -- what fuzzing found: numbers too long to be numbers, year 0 ---------------------------------

PLAIN_HEAD = "Jane Doe\n\nCV\nh-index5\n\n"
PLAIN_ENTRY = "CVJan 1, 2020\nT\n\nAnn Lee\n\nAbstract.\n"


def parse_error(text: str) -> str:
    with pytest.raises(ProfileError) as info:
        parse_profile(text, "inline.txt", AS_OF)
    return str(info.value)


def test_a_metric_of_more_than_15_digits_is_an_error_at_the_number():
    # Python refuses int() of more than 4,300 digits; 15 digits is the limit the parser sets.
    assert parse_error(PLAIN_HEAD.replace("h-index5", "h-index" + "9" * 5000))[:87] == (
        "inline.txt:4:8: a number of more than 15 digits; expected a metric value such as "
        "13,433")
    profile, _ = parse_profile(PLAIN_HEAD.replace("5", "9" * 15), "inline.txt", AS_OF)
    assert profile.metrics.h_index == 999_999_999_999_999


def test_a_score_of_more_than_15_digits_is_an_error_at_the_header():
    assert parse_error(PLAIN_HEAD + "9" * 16 + PLAIN_ENTRY) == (
        "inline.txt:6:1: expected a score of at most 15 digits; an entry header looks like "
        "'CVOct 12, 2022' or '54.9AIMay 10Code'\n"
        "    9999999999999999CVJan 1, 2020\n"
        "    ^")


def test_a_count_line_of_more_than_15_digits_is_an_error():
    text = PLAIN_HEAD + "1" * 16 + " Papers\n\n" + PLAIN_ENTRY
    assert parse_error(text) == (
        "inline.txt:6:1: a count of more than 15 digits; expected the number of papers, such "
        "as '33 Papers'\n"
        "    1111111111111111 Papers\n"
        "    ^")


def test_year_zero_is_an_impossible_date():
    assert parse_error(PLAIN_HEAD + PLAIN_ENTRY.replace("2020", "0000")) == (
        "inline.txt:6:7: impossible date 'Jan 1, 0000': there is no year 0\n"
        "    CVJan 1, 0000\n"
        "          ^")


# -- 10 MB lines -------------------------------------------------------------------------------

TEN_MB = 10 * 1024 * 1024


def _replace_line(number: int, text: str) -> bytes:
    """The reference profile with line `number` (1-based) replaced by `text`."""
    lines = REFERENCE.split(b"\n")
    lines[number - 1] = text.encode("utf-8")
    return b"\n".join(lines)


def _ten_mb_mixed() -> str:
    """10 MB in 2 MB runs of what a backtracking regex chokes on: spaces, `et al` and
    commas, middle dots, closing brackets after a URL, bidi and control characters."""
    run = TEN_MB // 5
    return "".join([
        "A" + " " * run + "B",
        ("Ann Lee,  , et  al " * (run // 19 + 1))[:run],
        ("a ·· b  ·c, " * (run // 12 + 1))[:run],
        "https://x.org/" + ")" * run + ".",
        ("x\u202e\u2066\x00\x1b y" * (run // 14 + 1))[: run // 2],
    ])


#: A hang guard, not a speed limit: a 10 MB line parses in about a second; a parser that
#: backtracks quadratically over it would take hours. bench/ measures the speed.
HANG = 60


def test_ten_megabyte_lines_anywhere_parse_whole():
    """A 10 MB line as the name, a metric, a title, an author line and an abstract, of
    spaces, commas, brackets, bidi controls, or digits: each parses (or is an error at
    that line), the other papers are all there, and the record holds the line whole."""
    lines = REFERENCE.decode("utf-8").split("\n")
    functa = lines.index("LGJan 28, 2022Code")  # 0-based: its title is lines[functa + 1]
    papers = len(parse_bytes(REFERENCE).papers)
    places = {"name": 1, "metric": 4, "title": functa + 2, "authors": functa + 4,
              "abstract": functa + 6}
    contents = {"mixed runs": _ten_mb_mixed(), "digits": "h-index" + "9" * (TEN_MB - 7)}
    for place, number in places.items():
        for name, text in contents.items():
            assert len(text.encode("utf-8")) >= TEN_MB
            data = _replace_line(number, text)
            result = parse_bytes(data, limit=HANG)
            what = f"a 10 MB line of {name} as the {place}"
            if isinstance(result, ProfileError):
                assert all(1 <= p.line <= line_count(data) for p in result.problems)
                assert number in [p.line for p in result.problems], what
                continue
            json.dumps(profile_to_dict(result), allow_nan=False)
            assert len(result.papers) == papers, what
            [paper] = [p for p in result.papers if p.line == functa + 1]
            if place == "authors":  # split at its commas: the parts hold its start and end
                joined = ", ".join(map(str, paper.authors))
                assert text[:1000] in joined and text[-1000:] in joined, what
                continue
            held = {
                "name": [result.name],
                "metric": [m.label for m in result.metrics.extra if m.line == number],
                "title": [paper.title],
                "abstract": [paper.abstract],
            }[place]
            assert held == [text], what


# -- linear time -------------------------------------------------------------------------------


def _entries() -> list[str]:
    """The reference profile's entries (header to abstract), as text."""
    text = REFERENCE.decode("utf-8")
    head, _, body = text.partition("33 Papers\n\n")
    starts = [m.start() for m in re.finditer(r"^(?:\d+\.\d)?[A-Z]{2}[A-Z][a-z]{2} \d", body, re.M)]
    return [body[a:b].strip("\n") for a, b in zip(starts, [*starts[1:], len(body)], strict=True)]


def papers_profile(count: int) -> str:
    """A profile of `count` papers: the reference entries over and over, titles numbered."""
    entries = _entries()
    out = ["S. M. Ali Eslami\n\nCV\nh-index117\n\n", f"{count} Papers\n\n"]
    for index in range(count):
        header, title, rest = entries[index % len(entries)].split("\n", 2)
        out.append(f"{header}\n{title} ({index})\n{rest}\n\n")
    return "".join(out)


def calls(function: Callable[[], object]) -> int:
    """How many functions (Python and built-in) one call of `function` calls: a measure
    of its work that, unlike a timing, is the same on a busy machine. Counted on a second
    call, once caches (compiled patterns, lazy imports) are warm."""
    function()
    count = 0

    def counter(frame, event, arg):
        nonlocal count
        if event == "call" or event == "c_call":
            count += 1

    previous = sys.getprofile()
    sys.setprofile(counter)
    try:
        function()
    finally:
        sys.setprofile(previous)
    return count


def growth(small: Callable[[], object], large: Callable[[], object]) -> float:
    """How much more work `large` (twice the input) does than `small`: linear is about 2,
    quadratic 4."""
    return calls(large) / calls(small)


LINEAR = 2.5  # "doubling the input at most doubles the work", with room for fixed costs


HEAD = "Jane Doe\n\nCV\nh-index5\n\n"


def entry(authors: str, abstract: str = "x") -> str:
    return f"{HEAD}CVJan 1, 2020\nT\n\n{authors}\n\n{abstract}\n"


ADVERSARIAL: dict[str, Callable[[int], str]] = {
    # A long line is parsed once per regex; a regex that backtracks over it is quadratic.
    "spaces inside an author line": lambda n: entry(f"A{' ' * n}B, C"),
    "spaces before a middle dot": lambda n: entry(f"A, B{' ' * n}·"),
    "closing brackets after a URL": lambda n: entry("A", f"https://x.org/{')' * n}"),
    "et al. over and over": lambda n: entry("et  " * (n // 4)),
    "commas in a metric": lambda n: f"Jane Doe\n\nCV\nh-index1{',1' * (n // 2)}x\n",
    "spaces in a metric": lambda n: f"Jane Doe\n\nCV\na{' 1' * (n // 2)}\n",
}


@pytest.mark.parametrize("count", [1000])
def test_parse_work_of_papers_grows_linearly(count):
    small, large = papers_profile(count), papers_profile(2 * count)
    parsed = parse_profile(large, "big.txt", AS_OF)[0]
    assert len(parsed.papers) == 2 * count
    assert [p.title for p in parsed.papers][-1].endswith(f"({2 * count - 1})")
    ratio = growth(lambda: parse_profile(small, "big.txt", AS_OF),
                   lambda: parse_profile(large, "big.txt", AS_OF))
    assert ratio <= LINEAR, f"{count} -> {2 * count} papers: function calls x{ratio:.2f}"


def _exported(result: Profile | ProfileError) -> str:
    """A parse result as text: the records as JSON, or the error."""
    if isinstance(result, ProfileError):
        return str(result)
    return json.dumps(profile_to_dict(result), ensure_ascii=False, allow_nan=False)


def _collapsed(text: str) -> str:
    """`text` with every run of a short piece repeated 4 times or more cut to 3 repeats:
    the same for the records of a short and a long line of one shape."""
    return re.sub(r"(.{1,4}?)\1{3,}", r"\1\1\1", text, flags=re.S)


@pytest.mark.parametrize("shape", list(ADVERSARIAL))
def test_parse_work_of_adversarial_lines_grows_linearly(shape):
    make = ADVERSARIAL[shape]

    def parse(text: str):
        return lambda: parse_bytes(text.encode("utf-8"), limit=HANG)

    ratio = growth(parse(make(200_000)), parse(make(400_000)))
    assert ratio <= LINEAR, f"{shape}: 200k -> 400k characters: function calls x{ratio:.2f}"


@pytest.mark.parametrize("shape", list(ADVERSARIAL))
def test_an_adversarial_line_of_two_million_characters_parses_as_a_short_one(shape):
    """What the regular expressions do is not counted above; a pattern that backtracks
    over a 2M-character line (the longest a profile may have, profile.MAX_LINE) would run
    for hours, which the alarm turns into a failure.
    And the long line gives the same records as a short line of the same shape (no
    shortcut that only works on short lines)."""
    make = ADVERSARIAL[shape]
    short = parse_bytes(make(64).encode("utf-8"))
    size = MAX_LINE - 100
    long = parse_bytes(make(size).encode("utf-8"), limit=HANG)
    assert type(long) is type(short)
    short_text, long_text = _exported(short), _exported(long)
    assert len(long_text) - len(short_text) >= size - 64  # the line kept whole
    assert _collapsed(long_text) == _collapsed(short_text)


# -- the quick ways agree with the plain definitions ---------------------------------------------
# The parser avoids running regular expressions along whole lines where it can (see
# generator/text.py, generator/profile/); each shortcut is checked here against the plain
# use of the pattern it stands for, on text made of the pieces that matter to it.

_URL_PIECES = st.lists(
    st.tuples(
        st.sampled_from(["", "", "Code:", "code: ", "CODE:\t", "Code", "xCode: ", ":"]),
        st.sampled_from(["", " ", "  ", "\n", "\u3000" * 70]),
        st.sampled_from(["http://", "https://", "HTTPS://", "httpſ://", "htp://", "https:/", ""]),
        st.sampled_from(["x.org/a", "a(b)", "a)", "[a]]", "a/", "é", "", "https://b"]),
        st.sampled_from(["", "", ".", ",", ")", ").", "]", "'", '"', "<", "\u202e", "\x00", " a"]),
    ).map("".join),
    max_size=5,
).map("".join)


def _plain_trim_url(url: str) -> str:
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


def _plain_url_spans(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in chars._URL.finditer(text):
        url = _plain_trim_url(match.group())
        if len(url) > len(match.group().split("://", 1)[0]) + 3:
            spans.append((match.start(), match.start() + len(url)))
    return spans


def _plain_code_url(text: str) -> str | None:
    match = chars._CODE_URL.search(text)
    if match is None:
        return None
    return next((text[a:b] for a, b in _plain_url_spans(text) if a == match.start(1)), None)


@FUZZ
@given(_URL_PIECES)
def test_urls_are_the_matches_of_the_url_and_code_patterns(text):
    spans = _plain_url_spans(text)
    assert chars.url_spans(text) == spans
    links = tuple(dict.fromkeys(text[a:b] for a, b in spans))
    assert chars.abstract_links(text) == (links, _plain_code_url(text))


_AUTHOR_PIECES = st.lists(
    st.sampled_from([
        "Ann Lee", "Bo", ",", ", ", " ", "  ", "\t", "\n", "·", " · ", "et", "ET", "al", "Al",
        "al.", ".", "et al.", " et al.", "et  al", "xet al", "_", "é", "\u3000", "mila",
    ]),
    max_size=14,
).map("".join)


@FUZZ
@given(_AUTHOR_PIECES)
def test_author_lines_split_as_the_plain_patterns_do(text):
    match = fields._MIDDLE_DOT.search(text)
    expected = (text, None) if match is None else (
        text[: match.start()].rstrip(), text[match.end() :].lstrip())
    assert fields._split_affiliations(text) == expected
    match = fields._ET_AL.search(text)
    expected = (text, False) if match is None else (
        text[: match.start()].rstrip().removesuffix(","), True)
    assert fields._split_et_al(text) == expected


def _strict_header(text: str):
    try:
        return grammar._parse_header_strict(text)
    except grammar.HeaderMismatch:
        return None


@FUZZ
@given(st.one_of(
    st.from_regex(HEADERISH, fullmatch=True),
    st.from_regex(r"[0-9٣]{0,17}(\.[0-9]{0,2})?[A-Za-z]{0,5}(Jan|May|Dec|JAN|jan|Ma)[ \t]{0,2}"
                  r"[0-9٣]{0,3}(,[ \t]{0,2}[0-9]{0,5})?(Code|code|Cod)?[ a-z,]{0,2}",
                  fullmatch=True),
))
def test_the_header_pattern_reads_exactly_the_valid_headers(text):
    strict = _strict_header(text)
    quick = grammar._match_header(text)
    assert quick is None or quick == strict
    assert grammar.read_header(text) == strict
    assert (grammar._HEADER_START.match(text) is not None) or strict is None


@FUZZ
@given(st.lists(st.text(alphabet=NASTY + "ab \t\xa0é", max_size=12), max_size=8))
def test_the_invisible_character_warning_is_at_the_first_line_that_holds_one(lines):
    text = "Jane Doe\n\nCV\n\n" + "\n".join(lines) + "\n"
    try:
        problems = parse_profile(text, "fuzz.txt", AS_OF)[1]
    except ProfileError as error:
        problems = list(error.problems)
    found = [
        (number, match.start() + 1)
        for number, raw in enumerate(re.split(r"\r\n|\r|\n", text), 1)
        if (match := chars.INVISIBLE.search(raw.rstrip()))
    ]
    invisible = [(p.line, p.col) for p in problems if p.message.startswith("invisible ")]
    assert invisible == found[:1]
