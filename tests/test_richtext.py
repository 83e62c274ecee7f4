"""Titles as their authors wrote them (generator/richtext.py, generator/mathml.py): CSL's
rich text and LaTeX math parsed into runs; pages show `<i>`, `<sub>`... and MathML through
allow-lists, plain-text formats and URLs show no tag, BibTeX keeps the math as written.
The titles are real ones (tests/fixtures/bib/furrow-drosophila.bib, bib-scrape-math.bib)."""

from __future__ import annotations

import json
import re
import shutil
import time
from html.parser import HTMLParser
from pathlib import Path

import bibtexparser
import pytest
from markupsafe import escape

from generator.build import BuildResult, build
from generator.mathml import ELEMENTS, mathml, problem
from generator.richtext import Run, bibtex, csl, html, math_spans, parse, plain
from generator.sources.bibtex import read_bibtex

FIXTURES = Path(__file__).parent / "fixtures" / "bib"
SOURCES = ("furrow-drosophila.bib", "bib-scrape-math.bib")
BASE_URL = "https://example.org/"
#: A CSL-JSON file as Zotero writes titles (`<i>`), with one paper of the .bib again and
#: hostile titles beside.
CSL_ITEMS = [
    {"id": "costa", "type": "chapter", "title": "Gastrulation in <i>Drosophila</i>: "
     "cellular mechanisms of morphogenetic movements", "container-title": "The development "
     "of <i>Drosophila melanogaster</i>", "author": [{"family": "Costa", "given": "Michael"}],
     "issued": {"date-parts": [[1993]]}},
    {"id": "hostile", "type": "article-journal", "title": '<script>alert(1)</script> <img '
     'src=x onerror=alert(2)> <i onclick="alert(3)">click</i> <b>bold</b>',
     "author": [{"family": "Mallory", "given": "Eve"}], "issued": {"date-parts": [[2024]]}},
    {"id": "formula", "type": "article-journal", "title": r"Links $\href{javascript:alert(4)}"
     r"{x}$ and $\text{<img src=x onerror=alert(5)>}$ in math",
     "author": [{"family": "Mallory", "given": "Eve"}], "issued": {"date-parts": [[2024]]}},
]


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> BuildResult:
    root = tmp_path_factory.mktemp("richtext") / "site"
    (root / "content").mkdir(parents=True)
    for name in SOURCES:
        shutil.copyfile(FIXTURES / name, root / "content" / name)
    (root / "content" / "zotero.json").write_text(json.dumps(CSL_ITEMS, indent=2),
                                                  encoding="utf-8")
    (root / "site.yaml").write_text(f"name: Ada Lovelace\nas_of: 2026-01-01\n"
                                    f"base_url: {BASE_URL}\n", encoding="utf-8")
    return build(root)


def by_title(site: BuildResult, start: str):
    return next(p for p in site.profile.papers if plain(p.title).startswith(start))


def page(site: BuildResult, start: str) -> str:
    return site.files[f"papers/{by_title(site, start).slug}/index.html"].decode()


def meta(html_text: str, name: str) -> str:
    match = re.search(rf'<meta (?:name|property)="{re.escape(name)}" content="([^"]*)"',
                      html_text)
    assert match, name
    return match.group(1)


# -- the markup ---------------------------------------------------------------------------


def test_real_titles_parse_into_runs_of_their_styles():
    assert parse("Regular tree languages definable in FO and in FO<sub><i>mod</i></sub>") == (
        Run("Regular tree languages definable in FO and in FO"), Run("mod", ("sub", "i")))
    assert parse("Simple Bisimilarity Minimization in $O$(m log n) Time") == (
        Run("Simple Bisimilarity Minimization in "), Run("O", (), "$"),
        Run("(m log n) Time"))
    # Zotero's <em> and <strong> are <i> and <b>; nocase keeps its text.
    assert html("<em>In toto</em> <strong>light</strong> <span class=\"nocase\">iPhone</span>"
                ) == "<i>In toto</i> <b>light</b> iPhone"


@pytest.mark.parametrize("title", [
    "<script>alert(1)</script>", "<img src=x onerror=alert(2)>", '<i onclick="x">a</i>',
    "<i>never closed", "<i>a<b>crossed</i></b>", "<span>no nocase</span>",
    '<i class="nocase">a</i>', "a < b > c", "<I >upper</I>" + "<i>" * 20,
])
def test_a_tag_that_is_not_exactly_allowed_and_closed_in_order_is_text(title):
    if title.startswith("<I >"):  # case-insensitive names, then nesting too deep: text
        assert html(title).startswith("<i>upper</i>&lt;i&gt;")
        return
    assert html(title) == escape(title)
    assert plain(title) == title


@pytest.mark.parametrize("text, formulas", [
    ("An $O(n^2)$ algorithm", ["$O(n^2)$"]),
    ("costs $5 and $10 today", []),  # a space before the second $: no formula
    ("from $5 to $10$", ["$10$"]),
    ("$x$5 apples", []),  # a digit right after the closing $: no formula
    (r"a \$ dollar and \$ more", []),
    ("a lone $ sign", []),
    (r"$$\sum_i x_i$$ and \(y^2\)", [r"$$\sum_i x_i$$", r"\(y^2\)"]),
    ("$ x$ and $x $", []),
])
def test_a_dollar_opens_a_formula_only_by_pandocs_rule(text, formulas):
    assert [text[start:end] for start, end, _ in math_spans(text)] == formulas


def test_plain_csl_and_bibtex_write_each_run_their_own_way():
    title = "Discovering <i>E. coli</i> CO<sub>2</sub> in $O(n^2)$ & 50% of <b>cases</b>"
    assert plain(title) == "Discovering E. coli CO2 in $O(n^2)$ & 50% of cases"
    assert csl(title) == title
    assert bibtex(title, lambda text: text.replace("&", r"\&").replace("%", r"\%")) == (
        r"Discovering \textit{E. coli} CO\textsubscript{2} in $O(n^2)$ \& 50\% of "
        r"\textbf{cases}")


# -- MathML -------------------------------------------------------------------------------


def elements(markup: str) -> set[str]:
    return set(re.findall(r"<([a-z]+)[\s>]", markup))


def test_mathml_holds_only_allow_listed_elements_and_safe_attributes():
    for source in (r"\href{javascript:alert(1)}{x}", r"\color{red}{x} \style{color:red}{y}",
                   r"{\bf {{\cal G}(n, {k \over n})}}", r"\frac{a}{b}^{\sqrt[3]{x}}",
                   r"\begin{matrix} a & b \\ c & d \end{matrix}"):
        made = mathml(source)
        assert made is not None, source
        assert elements(made) <= ELEMENTS, source
        assert "javascript" not in made and "href" not in made and "style=" not in made
        assert "mathcolor" not in made


def test_a_formula_latex2mathml_writes_a_tag_into_is_shown_as_its_source():
    # latex2mathml copies \text{} unescaped: the result is no MathML, so none is shown.
    source = r"\text{<img src=x onerror=alert(1)>}"
    assert mathml(source) is None and "well-formed" in problem(source)
    assert html(f"see ${source}$") == escape(f"see ${source}$")


def test_a_pathological_formula_is_refused_or_made_quickly():
    started = time.perf_counter()
    assert "longer than 1,000" in problem("x+" * 600)
    assert "nest more than 20" in problem("{" * 30 + "x" + "}" * 30)
    assert mathml(r"\sqrt" * 190 + "x") is not None  # 190 levels deep, still bounded
    assert problem("x^" * 400) is not None  # latex2mathml's own error, caught
    assert time.perf_counter() - started < 5


# -- a site of real titles ------------------------------------------------------------------


def test_italics_from_bibtex_and_csl_json_are_elements_on_the_pages(site):
    h1 = re.search(r'<h1 id="paper-title">(.*?)</h1>', page(site, "Forces directing")).group(1)
    assert h1 == "Forces directing germ-band extension in <i>Drosophila</i> embryos"
    assert "<i>In toto</i> light sheet" in page(site, "In toto")
    assert "FO<sub><i>mod</i></sub>" in page(site, "Regular tree")
    home = site.files["publications/index.html"].decode()
    assert "<i>Drosophila melanogaster</i></a>" in home
    for path, data in site.files.items():
        if path.endswith(".html"):
            assert "&lt;i&gt;Drosophila" not in data.decode(), path


def test_urls_and_plain_text_formats_carry_no_markup(site):
    slugs = [p.slug for p in site.profile.papers if p.authors[0].family != "Mallory"]
    assert "forces-directing-germ-band-extension-in-drosophila-embryos" in slugs
    assert not [s for s in slugs if re.search(r"(^|-)(i|sub|sup|b)(-|$)", s)], slugs
    shown = page(site, "Forces directing")
    plain_title = "Forces directing germ-band extension in Drosophila embryos"
    assert meta(shown, "citation_title") == meta(shown, "og:title") == plain_title
    assert f"<title>{plain_title} · " in shown
    schema = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>',
                                  shown, re.S).group(1))
    assert schema["name"] == schema["headline"] == plain_title
    ris = site.files["papers.ris"].decode()
    assert f"TI  - {plain_title}\r\n" in ris and "<i>" not in ris
    feed = site.files["feed.xml"].decode()
    assert f"<title>{plain_title}</title>" in feed and "&lt;i&gt;" not in feed


def test_csl_json_titles_are_csl_rich_text(site):
    items = {item["title"] for item in json.loads(site.files["papers.json"])}
    assert "Forces directing germ-band extension in <i>Drosophila</i> embryos" in items
    assert "Regular tree languages definable in FO and in FO<sub><i>mod</i></sub>" in items
    assert "Simple Bisimilarity Minimization in $O$(m log n) Time" in items


def test_bibtex_keeps_the_authors_math_and_writes_italics_as_latex(site):
    text = site.files["papers.bib"].decode()
    titles = {e.key: e.fields_dict["title"].value for e in bibtexparser.parse_string(text).entries}
    assert "Simple Bisimilarity Minimization in $O$(m log n) Time" in titles.values()
    assert ("Positive Effects of Combined Antiretroviral Therapy on {CD4}$^+$ T Cell "
            "Homeostasis and Function in Advanced {HIV} Disease") in titles.values()
    assert r"Forces directing germ-band extension in \textit{Drosophila} embryos" in (
        titles.values())
    assert "textasciicircum" not in text and r"\$O" not in text


def test_the_bibtex_download_reads_back_as_the_same_titles(site, tmp_path):
    written = tmp_path / "papers.bib"
    written.write_bytes(site.files["papers.bib"])
    entries, problems = read_bibtex(written, "papers.bib")
    assert not [p for p in problems if not p.warning]
    assert sorted(e.title for e in entries) == sorted(p.title for p in site.profile.papers)


def test_formulas_in_titles_and_abstracts_are_mathml(site):
    shown = page(site, "Positive Effects")
    h1 = re.search(r'<h1 id="paper-title">(.*?)</h1>', shown).group(1)
    assert "CD4<math" in h1 and "<mo>+</mo>" in h1 and "$" not in h1
    abstract = re.findall(r'<p class="abstract">(.*?)</p>', shown, re.S)
    assert sum(p.count("<math") for p in abstract) == 6
    assert meta(shown, "citation_title").count("CD4$^+$") == 1


def test_one_work_with_markup_from_two_sources_is_one_paper(site):
    gastrulation = [p for p in site.profile.papers if "Gastrulation" in p.title]
    assert len(gastrulation) == 1


class _Elements(HTMLParser):
    """Every element and attribute a page holds."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


def test_hostile_titles_stay_text_and_add_no_element_or_attribute(site):
    for start in ("<script>", "Links"):
        parser = _Elements()
        shown = page(site, start)
        parser.feed(shown)
        for tag, attrs in parser.found:
            assert tag not in ("img", "iframe"), start
            assert not [name for name, _ in attrs if name.startswith("on")], (tag, attrs)
            assert not [v for _, v in attrs if v and v.lower().startswith("javascript")]
        scripts = re.findall(r"<script([^>]*)>(.*?)</script>", shown, re.S)
        assert not [s for kind, s in scripts if "alert" in s and "ld+json" not in kind]
    hostile = page(site, "<script>")
    assert ("&lt;script&gt;alert(1)&lt;/script&gt; &lt;img src=x onerror=alert(2)&gt; "
            "&lt;i onclick=&#34;alert(3)&#34;&gt;click&lt;/i&gt; <b>bold</b>") in hostile


def test_a_formula_shown_as_its_source_is_a_warning_at_its_line(site):
    warnings = [w for w in site.warnings if "formula" in w.message]
    assert len(warnings) == 1, warnings
    line = json.dumps(CSL_ITEMS, indent=2).split("\n").index('    "id": "formula",')
    assert Path(warnings[0].path).name == "zotero.json" and warnings[0].line == line
    assert warnings[0].message == (r"the title: the formula '$\text{<img src=x onerror="
                                   r"alert(5)>}$' is shown as its source: latex2mathml gave "
                                   "no well-formed MathML")


def test_an_escaped_dollar_in_a_bibtex_title_is_a_dollar_and_opens_no_formula(tmp_path):
    source = tmp_path / "prices.bib"
    source.write_text("@article{k, title = {From \\$5 to \\$10\\$ and $x$}, year = {2020}}\n",
                      encoding="utf-8")
    (entry,), _ = read_bibtex(source, "prices.bib")
    assert plain(entry.title) == "From $5 to $10$ and $x$"
    assert [run.math for run in parse(entry.title)] == ["", "$"]
    from generator.model.citations import bibtex_title

    assert bibtex_title(entry.title) == r"From \$5 to \$10\$ and $x$"  # as written
