"""Every reader other than the profile's under random and mutated input (hypothesis).

The property is the one tests/test_fuzz.py pins for the profile: whatever a file holds,
its reader gives a result or the project's own positioned error (`errors.Problem`s naming
the file and a line inside it, or a raised `SiteError` made of such problems), never any
other exception and never a hang (the same alarm, `time_limit`, turns one into a failure).
Runs are derandomized with a fixed number of examples, so the suite is the same every
time and a failure reproduces.

Readers: BibTeX (sources/bibtex.py, from the real exports in tests/fixtures/bib/),
CSL-JSON (sources/csljson.py, from tests/fixtures/csl/zotero.json), YAML with positions
(yamlfile.py), front matter of pages, news and per-paper files (content/), cv.yaml
(cv.py, from the demo's content/cv.yaml) and site.yaml's settings (config/).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import SETTINGS, load_config
from generator.content.news import read_news
from generator.content.pages import read_page
from generator.content.papers import read_paper
from generator.cv import read_cv
from generator.errors import Problem, SiteError
from generator.paperfields import PAPER_FIELDS
from generator.sources.bibtex import read_bibtex
from generator.sources.csljson import read_csljson
from generator.yamlfile import read_mapping

from .conftest import REPO
from .test_fuzz import NASTY, mutate, time_limit

FIXTURES = REPO / "tests" / "fixtures"
BIBS = {path.name: path.read_bytes() for path in sorted((FIXTURES / "bib").glob("*.bib"))}
ZOTERO = (FIXTURES / "csl" / "zotero.json").read_bytes()
CV = (REPO / "content" / "cv.yaml").read_bytes()
PAPER = (REPO / "content" / "papers" / "neural-processes.md").read_bytes()
PAGE = (REPO / "content" / "pages" / "about.md").read_bytes()
SECONDS = 10.0


def fuzz(examples: int) -> settings:
    """Derandomized, `examples` of them, no deadline (the alarm guards against hangs)."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                           HealthCheck.function_scoped_fixture])


# -- the property ------------------------------------------------------------------------------


def line_count(data: bytes) -> int:
    """The file's lines as the most generous reader counts them (str.splitlines: every
    break Python and YAML know); 1 for an empty or undecodable file."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return 1
    return max(len(text.splitlines()), 1)


def assert_positioned(problems: list[Problem] | tuple[Problem, ...], shown: str,
                      data: bytes) -> None:
    """Every problem names the file, a line that exists and a column from 1."""
    lines = line_count(data)
    for problem in problems:
        assert isinstance(problem, Problem), problem
        assert problem.path == shown, problem
        assert 1 <= problem.line <= lines, (problem, lines)
        assert problem.col >= 1, problem
        problem.format()  # shows without failing


def read(reader, path: Path, data: bytes, shown: str) -> Any:
    """Write `data` to `path`, run `reader()` under the alarm; a SiteError raised is
    checked for positions and returned, any other exception fails the test."""
    path.write_bytes(data)
    with time_limit(SECONDS, f"reading {len(data):,} bytes as {path.name}"):
        try:
            return reader()
        except SiteError as error:
            assert error.problems, f"a SiteError with no problem: {error}"
            assert_positioned(error.problems, shown, data)
            assert str(error).startswith(f"{shown}:")
            return error


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz-readers")


# -- strategies --------------------------------------------------------------------------------

_index = st.integers(min_value=0, max_value=10_000)
#: What breaks the syntax of BibTeX, JSON and YAML, a few characters at a time.
SYNTAX = '{}[]"\'@#%,=\\:-&*!|>?~$ \t\n'
_mutation = st.one_of(
    st.tuples(st.just("drop"), _index),
    st.tuples(st.just("duplicate"), _index, _index),
    st.tuples(st.just("swap"), _index, _index),
    st.tuples(st.just("truncate"), _index, st.integers(min_value=0, max_value=200)),
    st.tuples(st.just("flip"), _index, st.integers(min_value=1, max_value=255)),
    st.tuples(st.just("insert"), _index, _index, st.text(max_size=20)),
    st.tuples(st.just("insert"), _index, _index, st.text(alphabet=SYNTAX, min_size=1, max_size=6)),
    st.tuples(st.just("nasty"), _index, _index, st.text(alphabet=NASTY, min_size=1, max_size=4)),
)
mutations = st.lists(_mutation, min_size=1, max_size=8)

#: Any JSON (and YAML) value, of any type, a few levels deep.
_scalar = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), st.text(alphabet=NASTY + "ab{}<>:", max_size=6))
values = st.recursive(_scalar, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)
#: Any YAML value: JSON's, and the dates and times YAML reads unquoted.
yaml_values = st.recursive(
    st.one_of(_scalar, st.dates(), st.datetimes()), lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def replaced(document: Any, path: list[int], value: Any) -> Any:
    """`document` with the value reached by the indices `path` (each taken modulo the
    keys or items there; a scalar ends the walk) replaced by `value`."""
    if not path or not isinstance(document, (dict, list)) or not document:
        return value
    if isinstance(document, dict):
        key = list(document)[path[0] % len(document)]
        return {**document, key: replaced(document[key], path[1:], value)}
    index = path[0] % len(document)
    return [*document[:index], replaced(document[index], path[1:], value), *document[index + 1:]]


wrong_types = st.lists(st.tuples(st.lists(_index, max_size=6), values), min_size=1, max_size=4)
yaml_wrong_types = st.lists(st.tuples(st.lists(_index, max_size=6), yaml_values), min_size=1,
                            max_size=4)

#: Pieces of YAML as it is written, and as it is abused (anchors, aliases, merges, tags).
YAML_PIECES = [
    "key: value", "title: Deep nets", "date: 2024-05-01", "date: 2026-13-01", "menu: 3",
    "- item", "- ", "  ", "    ", "\n", "\n", "\n", ": ", "? ", "a: &a [x, y]", "b: *a",
    "c: &c {k: v}", "d: {<<: *c}", "<<: *c", "*a", "&a", "*zz", "!!python/object:os.system",
    "!!python/name:os.system", "!!binary aGk=", "!!set {a, b}", "!!omap [a: 1]", "!custom x",
    "!!str", "!!int x", "!!float .nan", "!!timestamp 2001-12-14", "%YAML 1.1", "--- ",
    "...", "|", ">-", "'quoted ''x'''", '"esc \\x41 \\u2028"', "[", "]", "{", "}", ",",
    "#", "# comment", "~", "null", "true", "no", "0x1F", "1e400", "-.inf", "=",
    "cv:", "  name: Ann", "  sections:", "    talks:", "      - name: A", "        date: 2020",
    "\t", "\ufeff", "\u2028", "\x85",
]
yaml_text = st.lists(st.one_of(st.sampled_from(YAML_PIECES), st.text(max_size=10),
                               st.text(alphabet=NASTY, max_size=2)), max_size=40).map("".join)
deep = st.tuples(st.integers(min_value=1, max_value=1000),
                 st.sampled_from(["[", "{a: ", "- ", "{", '{"a": ']))


def nested(depth: int, opener: str) -> str:
    """`opener` nested `depth` times, as flow or block YAML (and, for '[', JSON)."""
    if opener == "- ":
        return "".join("  " * i + "-\n" for i in range(depth)) + "  " * depth + "x\n"
    closer = {"[": "]", "{a: ": "}", "{": "}", '{"a": ': "}"}[opener]
    return "x: " + opener * depth + "1" + closer * depth + "\n"


# -- BibTeX ------------------------------------------------------------------------------------


def read_bib(folder: Path, data: bytes) -> Any:
    path = folder / "refs.bib"
    result = read(lambda: read_bibtex(path, "content/refs.bib"), path, data, "content/refs.bib")
    if not isinstance(result, SiteError):
        entries, problems = result
        assert_positioned(problems, "content/refs.bib", data)
        for entry in entries:
            assert 1 <= entry.line <= line_count(data)
            assert entry.title
    return result


@fuzz(150)
@given(st.sampled_from(sorted(BIBS)), mutations)
def test_mutated_bibtex_exports_read_or_give_positioned_problems(folder, name, changes):
    read_bib(folder, mutate(BIBS[name], changes))


@fuzz(60)
@given(st.binary(max_size=2000))
def test_random_bytes_as_bibtex_read_or_give_positioned_problems(folder, data):
    read_bib(folder, data)


BIB_PIECES = ["@article{k,", "@misc{", "@string{x = ", "@preamble{", "@comment{", "title = ",
              "author = ", "year = {2020}", "{", "}", "}}", "{{", '"', "#", "x # y", "%", ",",
              "=", "\\", "\\'", '\\"{U}', "\\def\\a{\\a\\a}", "\\begin{x}", "\\end{x}", "$",
              "$x^{", "\\cite[", "]", "\\href[", "and", " and others", "\n", " ", "@"]


@fuzz(100)
@given(st.lists(st.one_of(st.sampled_from(BIB_PIECES), st.text(max_size=8),
                          st.text(alphabet=NASTY, max_size=2)), max_size=60).map("".join))
def test_random_bibtex_shaped_text_reads_or_gives_positioned_problems(folder, text):
    read_bib(folder, text.encode("utf-8", "surrogatepass"))


# -- CSL-JSON ----------------------------------------------------------------------------------


def read_csl(folder: Path, data: bytes) -> Any:
    path = folder / "refs.json"
    result = read(lambda: read_csljson(path, "content/refs.json"), path, data,
                  "content/refs.json")
    if not isinstance(result, SiteError):
        entries, problems = result
        assert_positioned(problems, "content/refs.json", data)
        for entry in entries:
            assert 1 <= entry.line <= line_count(data)
    return result


@fuzz(120)
@given(mutations)
def test_mutated_zotero_csl_json_reads_or_gives_positioned_problems(folder, changes):
    read_csl(folder, mutate(ZOTERO, changes))


@fuzz(150)
@given(wrong_types)
def test_csl_json_items_with_values_of_any_type_read_or_give_positioned_problems(
        folder, changes):
    document = json.loads(ZOTERO)
    for path, value in changes:
        document = replaced(document, path, value)
    read_csl(folder, json.dumps(document, indent=1, ensure_ascii=False).encode(
        "utf-8", "surrogatepass"))


@fuzz(60)
@given(st.one_of(values.map(lambda v: json.dumps(v, ensure_ascii=False)),
                 deep.map(lambda d: nested(*d).removeprefix("x: ")), st.text(max_size=200)))
def test_random_json_reads_or_gives_positioned_problems(folder, text):
    read_csl(folder, text.encode("utf-8", "surrogatepass"))


# -- YAML with positions -----------------------------------------------------------------------


def read_yaml(data: str) -> None:
    problems: list[Problem] = []
    raw = data.encode("utf-8", "surrogatepass")
    with time_limit(SECONDS, f"reading {len(data):,} characters of YAML"):
        result = read_mapping(data, "site.yaml", problems)
    assert_positioned(problems, "site.yaml", raw)
    if result is not None:
        mapping, positions = result
        assert all(isinstance(key, str) for key in mapping)
        for line, col, _ in positions.values():
            assert 1 <= line <= line_count(raw) and col >= 1


@fuzz(250)
@given(yaml_text)
def test_random_yaml_reads_or_gives_positioned_problems(text):
    read_yaml(text)


@fuzz(40)
@given(deep)
def test_deeply_nested_yaml_reads_or_gives_positioned_problems(shape):
    read_yaml(nested(*shape))


# -- front matter: pages, news, per-paper files ------------------------------------------------


def front(body: str) -> bytes:
    return f"---\n{body}\n---\nSome *text*.\n".encode("utf-8", "surrogatepass")


def read_front_matter(folder: Path, data: bytes) -> None:
    """The file as a page, a piece of news and a per-paper file: each reads it or gives
    positioned problems."""
    (folder / "content" / "papers").mkdir(parents=True, exist_ok=True)
    readers = {
        "content/pages/about.md": lambda path, problems: read_page(path, "content/pages/about.md",
                                                                   problems),
        "content/news/2024-01-01.md": lambda path, problems: read_news(
            path, "content/news/2024-01-01.md", problems),
        "content/papers/neural-processes.md": lambda path, problems: read_paper(
            path, "content/papers/neural-processes.md", "neural-processes",
            ["neural-processes"], problems, folder),
    }
    path = folder / "content" / "papers" / "neural-processes.md"
    for shown, reader in readers.items():
        problems: list[Problem] = []
        result = read(lambda reader=reader, problems=problems: reader(path, problems),
                      path, data, shown)
        if not isinstance(result, SiteError):
            assert_positioned(problems, shown, data)


@fuzz(100)
@given(st.sampled_from([PAPER, PAGE]), mutations)
def test_mutated_front_matter_reads_or_gives_positioned_problems(folder, original, changes):
    read_front_matter(folder, mutate(original, changes))


@fuzz(120)
@given(yaml_text)
def test_random_front_matter_reads_or_gives_positioned_problems(folder, text):
    read_front_matter(folder, front(text))


FIELDS = sorted({*PAPER_FIELDS, "title", "date", "menu", "template", "toc"})


@fuzz(150)
@given(st.dictionaries(st.sampled_from(FIELDS), yaml_values, min_size=1, max_size=4))
def test_front_matter_fields_of_any_type_read_or_give_positioned_problems(folder, fields):
    read_front_matter(folder, front(yaml.safe_dump(fields, allow_unicode=True)))


# -- cv.yaml -----------------------------------------------------------------------------------


def read_cv_bytes(folder: Path, data: bytes) -> None:
    path = folder / "cv.yaml"
    result = read(lambda: read_cv(path, lambda _: "content/cv.yaml"), path, data,
                  "content/cv.yaml")
    if not isinstance(result, SiteError):
        _, warnings = result
        assert_positioned(warnings, "content/cv.yaml", data)
        assert all(problem.warning for problem in warnings)


@fuzz(100)
@given(mutations)
def test_mutated_cv_yaml_reads_or_raises_a_positioned_error(folder, changes):
    read_cv_bytes(folder, mutate(CV, changes))


@fuzz(200)
@given(yaml_wrong_types)
def test_cv_yaml_with_values_of_any_type_reads_or_raises_a_positioned_error(folder, changes):
    document = yaml.safe_load(CV)
    for path, value in changes:
        document = replaced(document, path, value)
    read_cv_bytes(folder, yaml.safe_dump(document, allow_unicode=True).encode(
        "utf-8", "surrogatepass"))


@fuzz(80)
@given(yaml_text)
def test_random_cv_yaml_reads_or_raises_a_positioned_error(folder, text):
    read_cv_bytes(folder, ("cv:\n" + text).encode("utf-8", "surrogatepass"))


def test_line_count_counts_every_break_yaml_knows():
    assert line_count("a\u2028b\x85c\r\nd".encode()) == 4
    assert line_count(b"\xff") == 1 and line_count(b"") == 1


# -- what fuzzing found ------------------------------------------------------------------------


def test_json_cut_short_after_its_last_line_break_is_an_error_on_its_last_line(tmp_path):
    path = tmp_path / "refs.json"
    path.write_text('[\n  {"id": "a"}\n', encoding="utf-8")
    [problem] = read_csljson(path, "refs.json")[1]
    assert (problem.line, problem.col, problem.source_line) == (2, 14, '  {"id": "a"}')


@pytest.mark.parametrize("text", ["n: !!int x", "n: !!float x", "n: !!int " + "9" * 5000])
def test_a_value_its_tag_cannot_read_is_an_error_at_the_value(text):
    problems: list[Problem] = []
    assert read_mapping(text, "site.yaml", problems) is None
    [problem] = problems
    assert (problem.line, problem.col) == (1, 4) and problem.message.startswith("a value that is")


@fuzz(300)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_plain_text_taken_as_it_is_converts_as_pylatexenc_converts_it(text):
    from pylatexenc.latex2text import LatexNodes2Text

    from generator.sources import latex as bibtex

    if bibtex._PLAIN.fullmatch(text):
        converted = LatexNodes2Text(math_mode="verbatim").latex_to_text(text)
        assert bibtex._text(text) == " ".join(converted.split())


def test_a_bibtex_title_of_a_megabyte_of_plain_words_never_reaches_pylatexenc(tmp_path,
                                                                            monkeypatch):
    # pylatexenc reads plain text at ~20 us a character: plain words are taken as they are.
    from generator.sources import latex

    converter, given = latex._converter(True), []
    real = converter.latex_to_text
    monkeypatch.setattr(converter, "latex_to_text",
                        lambda text, **kw: given.append(len(text)) or real(text, **kw))
    path = tmp_path / "refs.bib"
    path.write_text("@article{k, title = {" + "word " * 200_000 + "}, year = {2020}}\n",
                    encoding="utf-8")
    with time_limit(60.0, "a 1 MB title"):  # only so that a regression fails, not hangs
        [entry], _ = read_bibtex(path, "refs.bib")
    assert entry.title == " ".join(["word"] * 200_000)
    assert given == []


# -- site.yaml ---------------------------------------------------------------------------------


@fuzz(80)
@given(st.dictionaries(st.sampled_from(sorted(SETTINGS)), yaml_values, min_size=1, max_size=3))
def test_site_yaml_settings_of_any_type_load_or_raise_a_positioned_error(folder, data):
    path = folder / "site.yaml"
    read(lambda: load_config(folder), path,
         yaml.safe_dump(data, allow_unicode=True).encode("utf-8", "surrogatepass"), str(path))
