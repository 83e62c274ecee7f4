"""Citations: BibTeX that a BibTeX parser reads back to the records' titles and authors,
stable unique keys, RIS and CSL-JSON, the files of each paper page and of the whole
profile (`scholarfolio export` printing the same: tests/test_export.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
import textwrap
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pybtex.database import parse_string

from generator import richtext
from generator.build import build
from generator.model import citations, citekeys
from generator.names import parse_name
from generator.records import Paper

from .conftest import make_site
from .test_build import Page
from .tricky import BASE_URL, PROFILE, latex_to_text, shown

AS_OF = dt.date(2026, 11, 23)


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("tricky") / "site", PROFILE,
                     f"as_of: {AS_OF}\nbase_url: {BASE_URL}\n")
    return build(site)


def paper(title="A title", authors=("Ada Lovelace",), date=dt.date(2020, 1, 2), slug=None,
          truncated=False) -> Paper:
    return Paper(slug or re.sub(r"\W+", "-", title.lower()).strip("-"), title,
                 tuple(map(parse_name, authors)), truncated, (), "LG", date, False, None, False,
                 None, (), "An abstract.", 1)


def person_name(person) -> str:
    return " ".join(person.first_names + person.middle_names + person.prelast_names
                    + person.last_names + person.lineage_names)


# -- keys ---------------------------------------------------------------------------------


def test_keys_are_surname_year_and_first_significant_title_word(demo_build):
    keys = {view.paper.title: view.citation.key for view in demo_build.model.papers}
    assert keys["From data to functa: Your data point is a function and you can treat it "
                "like one"] == "dupont2022data"
    assert keys["Neural Processes"] == "garnelo2018neural"
    assert len(set(keys.values())) == len(keys)
    assert all(re.fullmatch(r"[a-z0-9]+", key) for key in keys.values())


def test_keys_fold_accents_and_skip_suffixes_and_stopwords():
    assert citations.base_key(paper("The Ørsted effect", ["Tomáš Kočiský"])) == (
        "kocisky2020orsted")
    assert citations.base_key(paper("On a 3D thing", ["Martin Luther King Jr."])) == (
        "king20203d")
    assert citations.base_key(paper("深度学习", ["张伟"])) == "anon2020"


def test_colliding_keys_get_letters_by_date_then_slug_and_adding_papers_changes_none():
    first = paper("Neural things", date=dt.date(2020, 3, 1))
    second = paper("Neural stuff", date=dt.date(2020, 5, 1))
    keys = citations.assign_keys([second, first])
    assert keys == {first.slug: "lovelace2020neural", second.slug: "lovelace2020neurala"}
    third = paper("Neural more", date=dt.date(2020, 9, 1))
    other = paper("Unrelated", date=dt.date(2020, 1, 1))
    more = citations.assign_keys([third, other, first, second])
    assert more[first.slug] == keys[first.slug] and more[second.slug] == keys[second.slug]
    assert more[third.slug] == "lovelace2020neuralb"
    # A letter never makes a key another paper has by itself.
    data = paper("Dat one", slug="dat-one")
    data2 = paper("Dat two", slug="dat-two", date=dt.date(2020, 2, 1))
    bare = paper("Data", slug="data")
    assert citations.assign_keys([data, data2, bare]) == {
        "dat-one": "lovelace2020dat", "dat-two": "lovelace2020datb", "data": "lovelace2020data"}


# -- BibTeX -------------------------------------------------------------------------------


def test_papers_bib_round_trips_through_a_bibtex_parser_to_the_records(demo_build):
    data = parse_string(demo_build.files["papers.bib"].decode("utf-8"), "bibtex")
    views = demo_build.model.papers
    assert list(data.entries) == [view.citation.key for view in views]
    for view in views:
        entry = data.entries[view.citation.key]
        assert entry.type == view.work_type.bibtex
        assert latex_to_text(entry.fields["title"]) == view.paper.title
        names = [latex_to_text(person_name(p)) for p in entry.persons["author"]]
        expected = [*map(str, view.paper.authors)] + (["others"] if view.paper.authors_truncated
                                                      else [])
        assert names == expected
        assert entry.fields["year"] == str(view.paper.date.year)


def test_special_characters_and_names_survive_the_round_trip(tricky):
    text = tricky.files["papers.bib"].decode("utf-8")
    data = parse_string(text, "bibtex")
    by_slug = {view.paper.slug: view for view in tricky.model.papers}
    assert len(data.entries) == len(by_slug) == 4
    for record in tricky.profile.papers:
        view = by_slug[record.slug]
        entry = data.entries[view.citation.key]
        assert latex_to_text(entry.fields["title"]) == shown(record.title)
        names = [latex_to_text(person_name(p)) for p in entry.persons["author"]]
        assert names == [*map(str, record.authors)] + (["others"] if record.authors_truncated
                                                       else [])
        assert entry.fields["url"] == f"{BASE_URL}papers/{record.slug}/"
    # The escapes themselves: TeX's specials, accents as commands, inner capitals braced.
    assert (r'title = {"Quoted" \& \textless{}b onclick=alert(1)\textgreater{}bold'
            r"\textless{}/b" in text)
    assert r"50\% of\_cases with \textbraceleft{}braces\textbraceright{}" in text
    assert r"\textbackslash{}backslash \textasciitilde{}tilde \textasciicircum{}caret" in text
    assert r"\$dollar \#hash \textbraceright{} \textbraceleft{}" in text
    assert r"{\O}rsted's {3D} {U-Net}" in text
    assert r"Zo{\"{e}} {O'Brien-{\L}ukasiewicz}" not in text  # names are never case-braced
    assert (r"O'Brien-{\L}ukasiewicz, Zo{\"{e}} and Ko{\v{c}}isk{\'{y}}, Tom{\'{a}}{\v{s}}"
            in text)
    assert "{Tom and Jerry}" in text
    assert "[U+202E]exe.txt[U+202C]" in text and "\u202e" not in text


def test_every_field_has_balanced_braces(tricky, demo_build):
    for result in (tricky, demo_build):
        for entry in result.files["papers.bib"].decode("utf-8").split("\n@"):
            depth = 0
            for char in entry:
                depth += {"{": 1, "}": -1}.get(char, 0)
                assert depth >= 0, entry
            assert depth == 0, entry


def test_bibtex_entry_shape():
    record = paper("Deep nets", ["Ada Lovelace", "Charles Babbage"], dt.date(2021, 3, 9),
                   truncated=True)
    assert citations.bibtex_entry(record, "lovelace2021deep", "https://x.org/p/") == (
        "@misc{lovelace2021deep,\n"
        "  title = {Deep nets},\n"
        "  author = {Lovelace, Ada and Babbage, Charles and others},\n"
        "  year = {2021},\n"
        "  month = mar,\n"
        "  url = {https://x.org/p/}\n"
        "}\n")


def test_a_papers_doi_arxiv_identifier_and_venue_are_in_its_citations(tmp_path):
    from generator.build import build

    from .conftest import copy_demo

    site = copy_demo(tmp_path / "site")
    (site / "content" / "papers" / "conditional-neural-processes.md").write_text(
        '---\nfeatured: true\narxiv: "1807.01613"\nvenue: ICML 2018\n'
        "doi: https://doi.org/10.48550/arXiv.1807.01613\n---\n", encoding="utf-8")
    files = build(site).files
    page = "papers/conditional-neural-processes/"
    bib = files[page + "citation.bib"].decode("utf-8")
    # ICML is a conference: the paper is one in every format.
    assert bib.startswith("@inproceedings{garnelo2018conditional,\n")
    assert "  booktitle = {ICML 2018},\n" in bib
    assert "  doi = {10.48550/arXiv.1807.01613},\n" in bib  # the bare DOI, not its URL
    assert "  eprint = {1807.01613},\n  archivePrefix = {arXiv}" in bib
    assert bib in files["papers.bib"].decode("utf-8")
    ris = files[page + "citation.ris"].decode("utf-8").split("\r\n")
    assert "T2  - ICML 2018" in ris and "DO  - 10.48550/arXiv.1807.01613" in ris
    assert ris[0] == "TY  - CONF"
    [item] = json.loads(files[page + "citation.json"])
    assert item["DOI"] == "10.48550/arXiv.1807.01613"
    assert item["type"] == "paper-conference"
    assert item["container-title"] == "ICML 2018"
    html = files[page + "index.html"].decode("utf-8")
    assert '<meta name="citation_doi" content="10.48550/arXiv.1807.01613">' in html
    assert '<meta name="citation_arxiv_id" content="1807.01613">' in html
    assert '<meta name="citation_conference_title" content="ICML 2018">' in html
    assert '"propertyID":"DOI"' in html.replace(" ", "")
    # A paper without extras has none of these fields, and is a preprint: the profile
    # lists arXiv papers.
    plain = files["papers/gemini-1-5-unlocking-multimodal-understanding-across/citation.bib"
                  ].decode("utf-8")
    assert plain.startswith("@misc{")
    assert not any(field in plain for field in ("howpublished", "doi =", "eprint"))
    plain_ris = files["papers/gemini-1-5-unlocking-multimodal-understanding-across/"
                      "citation.ris"].decode("utf-8")
    assert plain_ris.startswith("TY  - UNPB\r\n")


# -- RIS and CSL-JSON ---------------------------------------------------------------------


def test_ris_records_have_one_tag_a_line_and_every_author(tricky):
    text = tricky.files["papers/plain-title/citation.ris"].decode("utf-8")
    lines = text.split("\r\n")
    assert lines[0] == "TY  - UNPB" and lines[-2] == "ER  - " and lines[-1] == ""
    assert all(re.fullmatch(r"[A-Z][A-Z0-9]  - .*", line) for line in lines[:-1])
    assert "AU  - O'Brien-Łukasiewicz, Zoë" in lines
    assert "DA  - 2020/02/01/" in lines and "PY  - 2020" in lines
    assert f"UR  - {BASE_URL}papers/plain-title/" in lines
    everything = tricky.files["papers.bib"]  # the whole profile: one record per paper
    assert everything.count(b"@misc{") == 4
    for view in tricky.model.papers:
        ris = view.citation.ris
        assert ris.count("\r\nAU  - ") == len(view.paper.authors)
        assert "\n" not in ris.replace("\r\n", "")  # no line breaks inside a field


def test_csl_json_is_an_array_of_items_with_names_and_dates(tricky):
    items = json.loads(tricky.files["papers.json"])
    views = tricky.model.papers
    assert [item["id"] for item in items] == [view.citation.key for view in views]
    for item, view in zip(items, views, strict=True):
        assert item["type"] == "article" and item["title"] == view.paper.title
        date = view.paper.date
        assert item["issued"] == {"date-parts": [[date.year, date.month, date.day]]}
        assert item["URL"] == f"{BASE_URL}papers/{view.paper.slug}/"
        assert len(item["author"]) == len(view.paper.authors)
    first = items[0]
    assert first["title"] == shown(views[0].paper.title)
    assert {"family": "O'Brien-Łukasiewicz", "given": "Zoë"} in first["author"]
    one = json.loads(tricky.files[f"papers/{views[0].paper.slug}/citation.json"])
    assert one == [first]


# -- the site's files and the paper page ---------------------------------------------------


def test_each_paper_page_shows_its_bibtex_with_a_copy_button_and_downloads(tricky):
    for view in tricky.model.papers:
        slug, key = view.paper.slug, view.citation.key
        assert tricky.files[f"papers/{slug}/citation.bib"].decode() == view.citation.bibtex
        html = tricky.files[f"papers/{slug}/index.html"].decode("utf-8")
        page = Page(html)
        pre = re.search(r'<pre class="bibtex" id="bibtex" dir="ltr">(.*?)</pre>', html, re.S)
        assert pre is not None
        assert Page(pre.group(1)).text_parts == [view.citation.bibtex]  # escaped, whole
        (button,) = [b for b in page.all("button") if b.get("data-copy")]  # (and the
        # colour scheme's)
        assert button["data-copy"] == "bibtex" and "hidden" in button
        downloads = {a["download"]: a["href"] for a in page.all("a") if "download" in a}
        assert downloads == {f"{key}.bib": f"/tricky/papers/{slug}/citation.bib",
                             f"{key}.ris": f"/tricky/papers/{slug}/citation.ris",
                             f"{key}.json": f"/tricky/papers/{slug}/citation.json"}
        assert '<script src="/tricky/assets/cite.js" defer></script>' in html
    assert {"assets/cite.js", "assets/cite.css"} <= set(tricky.files)


def test_every_page_links_the_whole_profile_citations(tricky):
    for path, data in tricky.files.items():
        if path.endswith(".html"):
            hrefs = [a["href"] for a in Page(data.decode("utf-8")).all("a")]
            assert {"/tricky/papers.bib", "/tricky/papers.ris", "/tricky/papers.json"} <= set(
                hrefs), path


# -- the fast forms against the plain ones they replace ----------------------------------
#
# model/citations.py builds its text with fast paths (pure-ASCII shortcuts, a regex for words
# with inner capitals, CSL-JSON laid out by hand, textwrap.indent done by split and
# join). The plain forms below are the ones they replaced, kept here as the reference:
# on any text the two give the same characters.


def _plain_bibtex_text(text):
    return citations._NEEDS_ESCAPE.sub(lambda m: citations._bibtex_char(m.group()),
                                       unicodedata.normalize("NFC", text))


def _plain_bibtex_title(title):
    parts = re.split(r"(\s+)", " ".join(title.split()))
    return "".join(f"{{{_plain_bibtex_text(part)}}}" if _plain_inner_capital(part)
                   else _plain_bibtex_text(part) for part in parts)


def _plain_inner_capital(word):
    start = next((i for i, c in enumerate(word) if c.isalnum()), len(word))
    return any(c.isupper() for c in word[start + 1 :])


def _plain_bibtex_name(name):
    def braced(text, always=False):
        escaped = _plain_bibtex_text(text)
        return f"{{{escaped}}}" if always or re.search(r"\band\b", text, re.I) else escaped
    if name.literal:
        return braced(" ".join(name.text.split()), True)
    family = braced(name.family, " " in name.family)
    marks = {"*": "*", "\u2020": "\\dagger", "\u2021": "\\ddagger", "#": "\\#"}
    family += f"$^{{{''.join(marks[m] for m in name.marks)}}}$" if name.marks else ""
    parts = [f"{_plain_bibtex_text(name.particle)} {family}" if name.particle else family]
    parts += [_plain_bibtex_text(name.suffix)] if name.suffix else []
    return ", ".join([*parts, braced(name.given)])


def _plain_ascii(text):
    folded = unicodedata.normalize("NFKD", text.translate(citekeys._KEY_FOLDS))
    return re.sub(r"[^a-z0-9]", "", folded.encode("ascii", "ignore").decode().lower())


def _plain_base_key(paper):
    surname = ""
    if paper.authors:
        first = paper.authors[0]
        words = [w for w in (_plain_ascii(word) for word in
                             (first.family or first.text).split()) if w]
        surname = words[-1] if words else ""
    title_words = (_plain_ascii(word) for word in re.split(r"[\s\-‐–—:;,./]+",
                                                              richtext.plain(paper.title)))
    word = next((w for w in title_words if w and w not in citekeys._STOPWORDS), "")
    return f"{surname or 'anon'}{paper.date.year}{word}"


def _plain_ris_entry(paper, key, url, pdf_url, doi=None, venue=None):
    date = paper.date
    fields = [("TY", citations.OTHER.ris), ("ID", key), ("TI", richtext.plain(paper.title))]
    fields += [("AU", name.inverted) for name in paper.authors]
    fields += [("N1", citations.TRUNCATED_NOTE)] if paper.authors_truncated else []
    fields += [("T2", venue)] if venue else []
    fields += [("PY", str(date.year)), ("DA", f"{date.year:04d}/{date.month:02d}/{date.day:02d}/")]
    fields.append(("KW", paper.category_name))
    fields += [("DO", doi)] if doi else []
    fields += [("UR", url)] if url else []
    fields += [("L1", pdf_url)] if pdf_url else []
    fields += [("AB", paper.abstract)] if paper.abstract else []
    lines = [f"{tag}  - {' '.join(value.split())}" for tag, value in fields]
    return "\r\n".join([*lines, "ER  - ", ""])


def _plain_csl_item(paper, key, url, doi=None, venue=None):
    def name(n):
        if n.literal:
            return {"literal": " ".join(n.text.split())}
        parts = {"family": n.family, "given": n.given, "non-dropping-particle": n.particle,
                 "suffix": n.suffix}
        return {key: value for key, value in parts.items() if value}

    item = {"id": key, "citation-key": key, "type": citations.OTHER.csl,
            "title": richtext.csl(paper.title)}
    if venue:
        item["container-title"] = venue
    item["author"] = [name(n) for n in paper.authors]
    item["issued"] = {"date-parts": [[paper.date.year, paper.date.month, paper.date.day]]}
    if doi:
        item["DOI"] = doi
    if url:
        item["URL"] = url
    if paper.abstract:
        item["abstract"] = paper.abstract
    if paper.authors_truncated:
        item["note"] = citations.TRUNCATED_NOTE
    return json.dumps(item, ensure_ascii=False, indent=2)


# Text that reaches every branch: ASCII words, TeX specials, capitals, accented letters
# precomposed and not, combining marks alone, Greek and CJK, letters beyond the BMP,
# lone surrogates, control characters, every kind of whitespace and line break, quotes.
_PIECES = st.sampled_from([
    "a", "net", "U-Net", "3D", "GQN", '"GANs"', "and", "AND", "Sand", "_", "x_y", "{", "}",
    "\\", "~", "^", "<", ">", "&", "%", "$", "#", '"', "'", "-", "—", ":", ";", ",", ".",
    "é", "e\u0301", "\u0301", "\u0327", "Ø", "ø", "ß", "ı", "Ǆ", "ǅ", "Σ", "σ", "ℌ", "Ⅻ",
    "東京", "𝐀", "𝔞", "😀", "\U00010400", "\ud800", "\udfff", "\x00", "\x07", "\x1f",
    "\x7f", "\x85", "\u200e", "\u202e", " ", "  ", "\t", "\n", "\r\n", "\r", "\x0b", "\x0c",
    "\x1c", "\x1e", "\xa0", "\u2028", "\u2029", "\u3000", "Jr.", "van", "de",
])
_TEXT = st.one_of(st.lists(_PIECES, max_size=12).map("".join),
                  st.text(max_size=30), st.text(alphabet=st.characters(), max_size=30))


@settings(max_examples=400, deadline=None)
@given(_TEXT)
def test_fast_bibtex_escapes_equal_the_plain_ones(text):
    assert citations.bibtex_text(text) == _plain_bibtex_text(text)
    # A title's words (its text between markup: richtext.bibtex; tests/test_richtext.py).
    assert citations._bibtex_words(text) == _plain_bibtex_title(text)
    assert citations.bibtex_name(parse_name(text)) == _plain_bibtex_name(parse_name(text))
    assert citekeys._ascii(text) == _plain_ascii(text)
    assert citations._bibtex_url(text) == "".join(
        f"%{ord(c):02X}" if c in '{}\\"% ' else c for c in text)


@settings(max_examples=300, deadline=None)
@given(title=_TEXT, authors=st.lists(_TEXT, max_size=4), abstract=_TEXT, key=_TEXT,
       url=st.one_of(st.none(), _TEXT), pdf_url=st.one_of(st.none(), _TEXT),
       doi=st.one_of(st.none(), _TEXT), venue=st.one_of(st.none(), _TEXT),
       truncated=st.booleans(), date=st.dates(dt.date(1, 1, 1), dt.date(9999, 12, 31)))
def test_fast_citations_equal_the_plain_ones(title, authors, abstract, key, url, pdf_url,
                                             doi, venue, truncated, date):
    record = dataclasses.replace(paper(title, authors, date, "s", truncated), abstract=abstract)
    cited = citations.Citation(record, key, url, pdf_url, doi, None, venue,
                               keyword=record.category_name)
    assert cited.ris == _plain_ris_entry(record, key, url, pdf_url, doi, venue)
    assert cited.csl == _plain_csl_item(record, key, url, doi, venue)
    assert cited.text("csljson") == "[\n" + textwrap.indent(cited.csl, "  ") + "\n]\n"
    assert citations.base_key(record) == _plain_base_key(record)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TEXT, max_size=4))
def test_fast_csl_documents_indent_any_text_as_textwrap_does(items):
    entries = [citations.indented(item) for item in items]
    expected = ("[\n" + ",\n".join(textwrap.indent(item, "  ") for item in items) + "\n]\n"
                if items else "[]\n")
    assert "".join(citations.entries_parts("csljson", entries)) == expected
