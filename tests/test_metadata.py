"""Each page's head, parsed: Google Scholar's citation_* tags, schema.org JSON-LD that
json.loads reads whatever the titles hold, Open Graph and Twitter cards with absolute
URLs, the canonical link, robots, and the feeds; with a path-only base_url no absolute
URL at all; and the per-paper `pdf` hook."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from generator.build import NO_SITE_URL, build, load_site, render_site
from generator.errors import SiteError
from generator.model.metadata import script_json

from .conftest import make_site, portrait_png
from .test_build import MINI_PROFILE
from .tricky import BASE_URL, NAME, PROFILE, TITLE_QUOTES, Head, shown

AS_OF = dt.date(2026, 11, 23)
SITE_YAML = f"""as_of: {AS_OF}
base_url: {BASE_URL}
bio: Works on "robust" things & more </script>.
photo: content/photo.png
links:
  github: octocat
  email: zoe@example.org
"""
PHOTO = portrait_png(4)


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("tricky") / "site", PROFILE, SITE_YAML)
    (site / "content" / "photo.png").write_bytes(PHOTO)
    return build(site)


def head(result, path: str) -> Head:
    return Head(result.files[path].decode("utf-8"))


def test_every_tag_is_inside_the_head(tricky):
    for path, data in tricky.files.items():
        if path.endswith(".html"):
            parsed = Head(data.decode("utf-8"))
            assert parsed.outside_head == [], path


def test_paper_pages_carry_google_scholar_tags(tricky):
    for view in tricky.model.papers:
        page = head(tricky, f"papers/{view.paper.slug}/index.html")
        url = f"{BASE_URL}papers/{view.paper.slug}/"
        assert page.one("citation_title") == view.paper.title
        # Family name first, as Google Scholar reads it unambiguously.
        assert page.named("citation_author") == [name.inverted for name in view.paper.authors]
        date = view.paper.date
        assert page.one("citation_publication_date") == (
            f"{date.year:04d}/{date.month:02d}/{date.day:02d}")
        assert re.fullmatch(r"\d{4}/\d{2}/\d{2}", page.one("citation_publication_date"))
        assert page.one("citation_abstract_html_url") == url
        assert page.named("citation_pdf_url") == []  # no PDF given
    record = next(p for p in tricky.profile.papers if p.title == TITLE_QUOTES)
    page = head(tricky, f"papers/{record.slug}/index.html")
    assert page.one("citation_title") == TITLE_QUOTES  # quotes, & and </script> as text
    assert page.named("citation_author") == ["O'Brien-Łukasiewicz, Zoë", "Kočiský, Tomáš",
                                             "Ada & Lovelace"]


def test_paper_pages_carry_scholarly_article_json_ld(tricky):
    for record in tricky.profile.papers:
        html = tricky.files[f"papers/{record.slug}/index.html"].decode("utf-8")
        (data,) = Head(html).json_ld
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "ScholarlyArticle"
        assert data["headline"] == data["name"] == shown(record.title)
        assert [a["name"] for a in data["author"]] == [shown(a.text) for a in record.authors]
        for author, name in zip(data["author"], record.authors, strict=True):
            if name.literal:  # "Tom and Jerry"
                assert author == {"@type": "Organization", "name": shown(name.text)}
            else:
                assert (author["@type"], author["familyName"]) == ("Person", name.family_full)
        assert data["datePublished"] == record.date.isoformat()
        assert data["url"] == data["mainEntityOfPage"] == f"{BASE_URL}papers/{record.slug}/"
        block = html.split('<script type="application/ld+json">', 1)[1].split("</script>")[0]
        assert "<" not in block and ">" not in block and "&" not in block
    record = next(p for p in tricky.profile.papers if p.code_url)
    (data,) = head(tricky, f"papers/{record.slug}/index.html").json_ld
    assert data["abstract"] == record.abstract and data["isBasedOn"] == record.code_url


def test_home_page_carries_a_profile_page_with_the_person(tricky):
    page = head(tricky, "index.html")
    (data,) = page.json_ld
    assert data["@type"] == "ProfilePage" and data["url"] == BASE_URL
    person = data["mainEntity"]
    assert person["@type"] == "Person" and person["name"] == NAME
    assert person["description"] == 'Works on "robust" things & more </script>.'
    assert person["image"] == f"{BASE_URL}assets/photo.png"
    assert person["sameAs"] == ["https://github.com/octocat"]
    assert person["email"] == "zoe@example.org"
    assert page.one("og:type") == "website" and page.one("og:url") == BASE_URL
    assert page.one("og:image") == f"{BASE_URL}assets/photo.png"


def test_every_indexed_page_has_a_picture_for_its_preview_and_a_thumbnail_wins(tmp_path):
    site = make_site(tmp_path / "site", PROFILE, SITE_YAML)
    (site / "content" / "photo.png").write_bytes(PHOTO)
    first = build(site).model.papers[0].paper.slug
    (site / "content" / "papers").mkdir()
    (site / "content" / "papers" / f"{first}.md").write_text(
        "---\nthumbnail: /assets/t.png\n---\n", encoding="utf-8")
    result = build(site)
    assert result.notes == ()  # a photo: nothing to say
    pages = [path for path in result.files if path.endswith(".html") and path != "404.html"]
    assert len(pages) > 5
    for path in pages:
        page = head(result, path)
        expected = (f"{BASE_URL}assets/t.png" if path == f"papers/{first}/index.html"
                    else f"{BASE_URL}assets/photo.png")
        assert page.one("og:image") == expected == page.one("twitter:image"), path
        assert page.one("og:image:alt")
        if path.startswith("papers/"):
            assert page.json_ld[0]["image"] == expected


def test_open_graph_twitter_and_canonical_use_absolute_urls(tricky):
    for path in tricky.files:
        if not path.endswith(".html") or path == "404.html":
            continue
        page = head(tricky, path)
        url = BASE_URL + path.removesuffix("index.html")
        assert [link["href"] for link in page.link("canonical")] == [url], path
        assert page.one("og:url") == url
        assert page.one("og:site_name") == NAME and page.one("og:title")
        assert page.one("twitter:card") == "summary" and page.one("twitter:title")
        for meta in page.meta:
            key = meta.get("property") or meta.get("name") or ""
            if key.endswith(("url", ":image")):
                assert meta["content"].startswith(BASE_URL), (path, meta)
        feeds = page.link("alternate")
        assert feeds[0]["href"] == f"{BASE_URL}feed.xml"
        assert all(f["type"] == "application/atom+xml" for f in feeds)
        assert page.named("robots") == []
    record = next(p for p in tricky.profile.papers if p.title == TITLE_QUOTES)
    page = head(tricky, f"papers/{record.slug}/index.html")
    assert page.one("og:type") == "article" and page.one("og:title") == TITLE_QUOTES
    assert page.one("article:published_time") == "2022-10-12"
    assert page.one("og:description").startswith("An abstract with <b>tags</b> & ampersands")
    category = head(tricky, "categories/CV/index.html")
    assert [f["href"] for f in category.link("alternate")] == [
        f"{BASE_URL}feed.xml", f"{BASE_URL}categories/CV/feed.xml"]


def test_the_404_page_is_not_indexed_and_claims_no_url(tricky):
    page = head(tricky, "404.html")
    assert page.named("robots") == ["noindex"]
    assert page.link("canonical") == [] and page.named("og:url") == []


def test_robots_noindex_reaches_every_page_and_drops_the_sitemap(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE,
                     f"as_of: {AS_OF}\nbase_url: https://example.org/\nrobots: noindex\n")
    result = build(site)
    for path in result.files:
        if path.endswith(".html"):
            assert head(result, path).named("robots") == ["noindex"], path
    assert "sitemap.xml" not in result.files
    assert result.files["robots.txt"] == b"User-agent: *\nAllow: /\n"


@pytest.mark.parametrize("base_url, env, noted", [
    ("/", {}, False),  # a local preview: nothing to say
    ("/", {"CI": "true"}, True),  # about to be published by CI without its address
    ("/", {"GITHUB_ACTIONS": "true"}, True),
    ("/", {"CI": "false"}, False),
    ("https://ana.github.io/site/", {"CI": "true"}, False),  # the address: nothing to say
])
def test_the_base_url_note_is_given_only_for_a_site_about_to_be_published(
        tmp_path, monkeypatch, base_url, env, noted):
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    site = make_site(tmp_path / "site", PROFILE, f"as_of: {AS_OF}\nphoto: content/photo.png\n")
    (site / "content" / "photo.png").write_bytes(PHOTO)
    result = build(site, {"base_url": base_url})
    assert result.notes == ((NO_SITE_URL.format(base="/"),) if noted else ())
    assert all(len(line) <= 100 for note in result.notes for line in note.splitlines())


def test_a_path_base_url_gives_no_absolute_url_and_says_so(tmp_path):
    site = make_site(tmp_path / "site", PROFILE, f"as_of: {AS_OF}\nbase_url: /repo/\n")
    result = build(site)
    assert result.notes == (NO_SITE_URL.format(base="/repo/"),)
    for path in result.files:
        if path.endswith(".html"):
            page = head(result, path)
            assert page.link("canonical") == [] and page.link("alternate") == [], path
            assert page.named("og:url") == [] and page.named("citation_abstract_html_url") == []
            for meta in page.meta:
                key = meta.get("property") or meta.get("name") or ""
                assert not key.endswith(("url", ":image")), (path, meta)
    assert not {"sitemap.xml", "feed.xml", "robots.txt"} & set(result.files)
    slug = result.profile.papers[0].slug
    page = head(result, f"papers/{slug}/index.html")
    assert page.one("citation_title") == TITLE_QUOTES  # what needs no URL is still there
    (data,) = page.json_ld
    assert "url" not in data
    # With a full URL there is nothing to say.
    assert build(site, {"base_url": "https://example.org/repo/"}).notes == ()  # a drawn card


@pytest.mark.parametrize("pdf, expected", [
    ("https://arxiv.org/pdf/2201.12204", "https://arxiv.org/pdf/2201.12204"),
    ("assets/papers/first.pdf", f"{BASE_URL}assets/papers/first.pdf"),
])
def test_a_pdf_in_the_papers_extras_gives_citation_pdf_url(tmp_path, pdf, expected):
    site = make_site(tmp_path / "site", MINI_PROFILE,
                     f"as_of: {AS_OF}\nbase_url: {BASE_URL}\n")
    config, profile, _ = load_site(site)
    model, files = render_site(config, profile, {"first-paper": {"pdf": pdf}})
    page = Head(files["papers/first-paper/index.html"].decode("utf-8"))
    assert page.one("citation_pdf_url") == expected
    (data,) = page.json_ld
    assert data["encoding"]["contentUrl"] == expected
    html = files["papers/first-paper/index.html"].decode("utf-8")
    shown_url = expected if "://" in pdf else f"/tricky/{pdf}"
    assert f'<a class="button" href="{shown_url}">' in html
    assert f"L1  - {expected}\r\n" in files["papers/first-paper/citation.ris"].decode()
    other = Head(files["papers/second-paper/index.html"].decode("utf-8"))
    assert other.named("citation_pdf_url") == []


def test_a_pdf_that_is_no_url_is_an_error(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, f"as_of: {AS_OF}\n")
    config, profile, _ = load_site(site)
    with pytest.raises(SiteError, match="paper 'first-paper': 'pdf' must be an http"):
        render_site(config, profile, {"first-paper": {"pdf": "javascript:alert(1)"}})


def test_script_json_cannot_end_its_script_block():
    data = {"t": "</script><!-- & \u2028 -->", "n": [1, "é"]}
    text = script_json(data)
    assert not set("<>&") & set(text) and "\u2028" not in text
    assert json.loads(text) == data


_PLAIN_ESCAPES = str.maketrans(
    {"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"}
)
_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(st.characters(), max_size=20)
    | st.sampled_from(["</script>", "<!--", "&amp;", "\u2028\u2029", "\ud800", "😀", "\x00"]),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(st.characters(), max_size=8), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(_JSON_VALUES)
def test_script_json_is_json_dumps_with_the_script_breakers_escaped(data):
    """script_json replaces one character at a time where str.translate did all at once."""
    plain = json.dumps(data, ensure_ascii=False).translate(_PLAIN_ESCAPES)
    assert str(script_json(data)) == plain


@settings(deadline=None)  # Hypothesis's default fails an example that takes over 200 ms
@given(st.sampled_from(["https://user.github.io/repo/", "https://example.org/", "http://h:8/a/b/"]),
       st.text(alphabet="/.ab%?#:;=é_-~", max_size=12))
def test_absolute_urls_are_what_urljoin_gives(site_url, path):
    from urllib.parse import urljoin

    from generator.model.views import absolute_url

    url = "/" + path
    assume("://" not in url)  # a full URL is taken as it is
    assert absolute_url(site_url, url) == urljoin(site_url, url)


def test_every_indexed_page_has_a_description_and_its_open_graph_twin(tricky):
    for path in tricky.files:
        if not path.endswith(".html") or path == "404.html":
            continue
        page = head(tricky, path)
        description = page.one("description")
        assert description.strip(), path
        assert page.one("og:description") == description, path


def test_the_sitemap_dates_each_page_by_its_contents_own_date(tricky):
    sitemap = tricky.files["sitemap.xml"].decode("utf-8")
    entries = dict(re.findall(r"<loc>([^<]+)</loc>(?:<lastmod>([^<]+)</lastmod>)?", sitemap))
    newest = max(p.date for p in tricky.profile.papers).isoformat()
    assert entries[BASE_URL] == newest
    for view in tricky.model.papers:
        assert entries[f"{BASE_URL}papers/{view.paper.slug}/"] == view.paper.date.isoformat()
