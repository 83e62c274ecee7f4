"""Bounded readers: no input file can make a reader blow up. An alias bomb, values nested
past a reader's limit or LaTeX nested too deep is a `path:line:col` error found at once,
never a RecursionError, a MemoryError or minutes of work; a file that cannot be read is
`path: cannot read (...)`; a long title costs time in proportion to its length."""

from __future__ import annotations

import datetime as dt
import re
import time
from pathlib import Path

import pytest

from generator.config.loading import load_config
from generator.cv import read_cv
from generator.errors import SiteError
from generator.sources import Gathered, gather

#: Each bounded case must be refused well within this (the issue's bound for any input).
SECONDS = 10.0
AS_OF = dt.date(2026, 1, 1)


def alias_bomb(key: str = "bomb") -> str:
    """'Billion laughs': nine levels of nine aliases each, 9**9 strings once expanded."""
    lines = [f'{key}0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"{key}{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]
    return "\n".join(lines) + "\n"


def refused(read) -> tuple[str, float]:
    """The first line of the SiteError `read()` raises, and the seconds it took."""
    start = time.perf_counter()
    with pytest.raises(SiteError) as raised:
        read()
    return str(raised.value).splitlines()[0], time.perf_counter() - start


def positioned(message: str, name: str) -> bool:
    return re.match(rf".*{re.escape(name)}:\d+:\d+: ", message) is not None


DEEP_YAML = "deep: " + "[" * 100_000 + "]" * 100_000 + "\n"
DEEP_BLOCK = "".join("  " * depth + f"level{depth}:\n" for depth in range(120)) + "  " * 120 + "x\n"


@pytest.mark.parametrize("text, expected", [
    (alias_bomb(), "aliases repeat more than 100,000 characters of values"),
    ("text: &t " + "x" * 20_000 + "\nlist: [" + ", ".join(["*t"] * 6) + "]\n",
     "aliases repeat more than 100,000 characters"),  # one long text, repeated
    ("loop: &a [1, *a]\n", "the alias *a is inside the node it names"),
    (DEEP_YAML, "values nested more than 50 levels deep"),
    (DEEP_BLOCK, "values nested more than 50 levels deep"),
])
def test_a_yaml_bomb_or_deep_nesting_in_site_yaml_is_an_error_at_its_place(
        tmp_path, text, expected):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    message, seconds = refused(lambda: load_config(tmp_path))
    assert positioned(message, "site.yaml") and expected in message
    assert seconds < SECONDS


def test_an_alias_bomb_in_cv_yaml_is_an_error_at_its_line(tmp_path):
    path = tmp_path / "cv.yaml"
    path.write_text("cv:\n  name: Ada\n" + alias_bomb(), encoding="utf-8")
    message, seconds = refused(lambda: read_cv(path))
    assert message.startswith(f"{path}:7:") and "aliases repeat" in message
    assert seconds < SECONDS


def test_an_alias_bomb_in_front_matter_is_an_error_at_its_line(tmp_path):
    news = tmp_path / "content" / "news"
    news.mkdir(parents=True)
    (news / "bomb.md").write_text("---\ndate: 2024-01-01\n" + alias_bomb() + "---\nHi\n",
                                  encoding="utf-8")
    from generator.content import load_content

    message, seconds = refused(lambda: load_content(tmp_path, []))
    assert positioned(message, "bomb.md") and "aliases repeat" in message
    assert seconds < SECONDS


def test_yaml_aliases_within_the_limit_still_merge(tmp_path):
    (tmp_path / "site.yaml").write_text("name: &n Ada Lovelace\ntitle: *n\n", encoding="utf-8")
    assert load_config(tmp_path).title == "Ada Lovelace"


def read_sources(tmp_path: Path, name: str, text: str) -> Gathered:
    content = tmp_path / "content"
    content.mkdir(exist_ok=True)
    (content / name).write_text(text, encoding="utf-8")
    return gather(content / "profile.txt", content, AS_OF, lambda p: p.name, name="Ada")


@pytest.mark.parametrize("text", [
    "[" * 200_000 + "]" * 200_000,
    '[{"title": "T", "author": ' + '[{"a": ' * 5_000,
])
def test_csl_json_nested_too_deep_is_an_error_at_its_place(tmp_path, text):
    message, seconds = refused(lambda: read_sources(tmp_path, "refs.json", text))
    assert positioned(message, "refs.json") and "nested more than 50 levels" in message
    assert seconds < SECONDS


@pytest.mark.parametrize("title, expected", [
    ("{" * 20_000 + "x" + "}" * 20_000, "nested more than 32 levels"),
    ("\\textbf{" * 5_000 + "x" + "}" * 5_000, "nested more than 32 levels"),
    ("$" + "{" * 5_000 + "x" + "}" * 5_000 + "$", "nested more than 32 levels"),
    ("\\cite[" * 40, "6 optional arguments"),  # pylatexenc's time doubles with each one
    ("\\href{x}", "cannot be turned into text (AttributeError)"),  # its text left out
    ("$" + "x + " * 30_000 + "$", "120,002 characters of LaTeX to convert in one field; "
     "expected at most 100,000"),  # pylatexenc is super-linear in one formula
    ("word " * 400_001, "a field of 2,000,005 characters; expected at most 2,000,000"),
])
def test_latex_nested_too_deep_or_unreadable_is_an_error_at_its_entry(tmp_path, title, expected):
    bib = f"@article{{deep,\n  title = {{{title}}},\n  year = {{2020}}\n}}\n"
    message, seconds = refused(lambda: read_sources(tmp_path, "refs.bib", bib))
    assert message.startswith("refs.bib:1:1: @article{deep}: ") and expected in message
    assert seconds < SECONDS


def test_latex_macros_defined_in_a_field_are_not_expanded(tmp_path):
    bib = ("@article{a, title = {\\def\\a{\\a\\a}\\a Title}, year = {2020}}\n"
           "@article{b, title = {\\newcommand{\\b}{\\b\\b}\\b Other}, year = {2020}}\n")
    start = time.perf_counter()
    read_sources(tmp_path, "refs.bib", bib)
    assert time.perf_counter() - start < SECONDS


def test_a_long_bibtex_title_reaches_pylatexenc_in_pieces_of_bounded_length(monkeypatch):
    # pylatexenc is quadratic in a piece's length; cut into pieces of about CHUNK
    # characters, a title's conversion is linear in its length (times: bench/, not here).
    from generator.sources import latex

    converter, given = latex._converter(False), []
    real = converter.latex_to_text
    monkeypatch.setattr(converter, "latex_to_text",
                        lambda text, **kw: given.append(len(text)) or real(text, **kw))
    text = "Learning {\\\"u}ber " * 5_000 + "x"  # a new text: not cached
    assert latex._text(text).startswith("Learning über")
    assert len(given) > 1 and sum(given) <= len(text) and max(given) <= 2 * latex.CHUNK


# -- files that cannot be read ------------------------------------------------------------------


def unreadable(path: Path) -> None:
    """`path` made impossible to read as a file: a folder in its place (a permission would
    not stop root, as the tests run on CI)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.mkdir()


def test_a_folder_in_place_of_site_yaml_is_an_error_not_the_defaults(tmp_path):
    unreadable(tmp_path / "site.yaml")
    message, _ = refused(lambda: load_config(tmp_path))
    assert message.endswith("site.yaml:1:1: cannot read (a folder, expected a file)")


def test_a_folder_in_place_of_cv_yaml_or_a_news_file_is_an_error(tmp_path):
    from generator.content import load_content

    unreadable(tmp_path / "content" / "cv.yaml")
    unreadable(tmp_path / "content" / "news" / "2024-launch.md")
    with pytest.raises(SiteError) as raised:
        load_content(tmp_path, [], lambda p: p.relative_to(tmp_path).as_posix())
    assert [p.format() for p in raised.value.problems] == [
        "content/cv.yaml:1:1: cannot read (a folder, expected a file)",
        "content/news/2024-launch.md:1:1: cannot read (a folder, expected a file)"]


@pytest.mark.parametrize("name", ["refs.bib", "refs.json"])
def test_a_folder_in_place_of_a_bibliography_is_an_error_not_skipped(tmp_path, name):
    unreadable(tmp_path / "content" / name)
    content = tmp_path / "content"
    message, _ = refused(lambda: gather(content / "profile.txt", content, AS_OF,
                                        lambda p: p.name, name="Ada"))
    assert message == f"{name}:1:1: cannot read (a folder, expected a file)"


def test_a_file_without_permission_to_read_is_an_error(tmp_path):
    import os

    path = tmp_path / "site.yaml"
    path.write_text("name: Ada\n", encoding="utf-8")
    path.chmod(0)
    if os.access(path, os.R_OK):
        pytest.skip("running as root: a file's permissions do not stop root reading it")
    message, _ = refused(lambda: load_config(tmp_path))
    assert message.endswith("site.yaml:1:1: cannot read (Permission denied)")


def test_reading_a_200_kb_bibtex_title_does_about_twice_the_work_of_100_kb(tmp_path):
    # Work counted in function calls (tests/test_fuzz.py's `growth`), not timed: the same
    # on a busy machine; timings are bench/'s.
    from .test_fuzz import LINEAR, growth

    def reading(size: int):
        words = "Robust learning of visual representations "
        title = (words * (size // len(words) + 1))[:size].rsplit(" ", 1)[0]
        bib = f"@article{{long, title = {{{title}}}, author = {{Ada Lovelace}}, year = {{2020}}}}\n"
        return lambda: read_sources(tmp_path, "refs.bib", bib)

    assert growth(reading(100_000), reading(200_000)) <= LINEAR


def test_markdown_nested_deeper_than_python_markdown_recurses_is_kept_as_written():
    from generator.content.markdown import render_markdown

    text = "*" * 20_000 + "<b>x</b>" + "*" * 20_000
    start = time.perf_counter()
    html, toc = render_markdown(text)
    assert html == f"<p>{'*' * 20_000}&lt;b&gt;x&lt;/b&gt;{'*' * 20_000}</p>" and toc == ""
    assert time.perf_counter() - start < SECONDS


def test_a_bibtex_href_with_its_url_and_text_is_read_as_text(tmp_path):
    bib = ("@article{h, title = {Code at \\href{https://x.org/c}{our site}}, "
           "author = {Doe, J}, year = {2020}}\n")
    paper = read_sources(tmp_path, "refs.bib", bib).profile.papers[0]
    assert paper.title == "Code at our site <https://x.org/c>"  # was an IndexError


def test_a_title_of_many_formulas_is_read_in_linear_time():
    from generator.richtext import math_spans, parse

    title = "$x$ " * 200_000  # each formula looked for `\\(` to the end: 20 s at 320 kB
    start = time.perf_counter()
    assert len(math_spans(title)) == 200_000 and len(parse(title)) == 400_000
    assert time.perf_counter() - start < SECONDS


def test_thirty_thousand_authors_are_read_in_seconds(tmp_path):
    authors = " and ".join(f"Author{i}, Ann" for i in range(30_000))
    bib = f"@article{{many, title = {{T}}, author = {{{authors}}}, year = {{2020}}}}\n"
    start = time.perf_counter()
    paper = read_sources(tmp_path, "refs.bib", bib).profile.papers[0]
    assert len(paper.authors) == 30_000
    assert time.perf_counter() - start < SECONDS  # 0.7 ms each when each made a converter


def test_markdown_lists_or_quotes_nested_past_32_levels_are_kept_as_written():
    from generator.content.markdown import render_markdown

    for text in ("".join("  " * i + "- a\n" for i in range(400)), ">" * 50_000 + " x"):
        start = time.perf_counter()
        html, toc = render_markdown(text)
        assert html.startswith("<p>") and "<ul>" not in html and "<blockquote>" not in html
        assert time.perf_counter() - start < SECONDS  # a list 1,600 deep took 29 s
    assert "<ul>" in render_markdown("".join("  " * i + "- a\n" for i in range(30)))[0]


def test_a_page_longer_than_256_kb_is_an_error_at_its_text(tmp_path):
    from generator.content.pages import read_page

    page = tmp_path / "long.md"
    page.write_text("---\ntitle: Long\n---\n" + "- item *x*\n" * 30_000, encoding="utf-8")
    problems: list = []
    assert read_page(page, "content/pages/long.md", problems) is None
    assert problems[0].format().startswith(
        "content/pages/long.md:4:1: the text is 329,999 characters long; expected at most "
        "262,144")


def test_a_cv_field_longer_than_256_kb_is_shown_as_written_at_once():
    from generator.content.markdown import inline_markdown

    text = "*a* " * 100_000  # Python-Markdown: ~100 kB a second
    start = time.perf_counter()
    assert inline_markdown(text) == text.strip()  # (its <p> taken off, as any field's)
    assert time.perf_counter() - start < SECONDS


def test_a_profile_line_over_two_million_characters_is_an_error_at_its_line():
    from generator.profile import ProfileError, decode

    with pytest.raises(ProfileError) as raised:
        decode(("Name\nTitle\n" + "x" * 2_000_001 + "\n").encode(), "profile.txt")
    assert str(raised.value).startswith("profile.txt:3:1: a line of 2,000,001 characters; "
                                        "expected at most 2,000,000")
    assert decode(b"Name\n" + b"x" * 2_000_000, "profile.txt").endswith("x")  # the limit holds


def test_yaml_over_a_million_characters_is_an_error_at_its_first_line():
    from generator.yamlfile import read_mapping

    problems: list = []
    assert read_mapping("title: " + "w " * 500_000, "cv.yaml", problems, first_line=2) is None
    assert problems[0].format().startswith(
        "cv.yaml:2:1: 1,000,007 characters of YAML; expected at most 1,000,000")


def test_a_csl_json_item_with_a_text_over_two_million_characters_is_left_out(tmp_path):
    import json

    items = [{"id": "big", "type": "article-journal", "title": "w " * 1_000_001,
              "issued": {"date-parts": [[2020]]}},
             {"id": "small", "type": "article-journal", "title": "Kept",
              "issued": {"date-parts": [[2021]]}}]
    gathered = read_sources(tmp_path, "refs.json", json.dumps(items))
    assert [paper.title for paper in gathered.profile.papers] == ["Kept"]
    assert 'item big is left out: "title" has 2,000,002 characters; expected at most ' \
           '2,000,000' in "\n".join(w.format() for w in gathered.warnings)
