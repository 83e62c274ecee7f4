"""The Atom feeds and the sitemap, validated against schemas: RFC 4287's structure as a
RELAX NG grammar plus the rules it states in prose (an author for every entry, unique
ids, RFC 3339 dates), and the sitemaps.org 0.9 XML Schema. Dates come from the papers,
never from the clock; every URL is absolute and under the base; robots.txt for sites at
a host's root."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from lxml import etree

from generator.build import build

from .conftest import REPO, make_site
from .test_build import MINI_PROFILE
from .tricky import BASE_URL, PROFILE, TITLE_BIDI, TITLE_QUOTES, TITLE_TEX, shown

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
RFC3339 = r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})"

# RFC 4287 (sections 3 and 4) as RELAX NG: the feed and entry elements, their children
# in any order with the counts the RFC gives, text, person, date and link constructs.
# Extension elements, xhtml text and atom:source are left out: the feeds use none.
ATOM_RNG = f"""\
<grammar xmlns="http://relaxng.org/ns/structure/1.0" ns="http://www.w3.org/2005/Atom"
         datatypeLibrary="http://www.w3.org/2001/XMLSchema-datatypes">
  <start><ref name="feed"/></start>
  <define name="common">
    <optional><attribute><name ns="http://www.w3.org/XML/1998/namespace">base</name>
      <data type="anyURI"/></attribute></optional>
    <optional><attribute><name ns="http://www.w3.org/XML/1998/namespace">lang</name>
      <data type="language"/></attribute></optional>
  </define>
  <define name="text">
    <ref name="common"/>
    <optional><attribute name="type"><choice><value>text</value><value>html</value>
      </choice></attribute></optional>
    <text/>
  </define>
  <define name="person">
    <ref name="common"/>
    <interleave>
      <element name="name"><text/></element>
      <optional><element name="uri"><data type="anyURI"/></element></optional>
      <optional><element name="email"><data type="string"/></element></optional>
    </interleave>
  </define>
  <define name="date">
    <ref name="common"/>
    <data type="string"><param name="pattern">{RFC3339}</param></data>
  </define>
  <define name="uri"><ref name="common"/><data type="anyURI"/></define>
  <define name="link">
    <element name="link">
      <ref name="common"/>
      <attribute name="href"><data type="anyURI"/></attribute>
      <optional><attribute name="rel"><data type="string"/></attribute></optional>
      <optional><attribute name="type"><data type="string"/></attribute></optional>
      <optional><attribute name="hreflang"><data type="language"/></attribute></optional>
      <optional><attribute name="title"/></optional>
      <optional><attribute name="length"><data type="nonNegativeInteger"/></attribute>
      </optional>
      <empty/>
    </element>
  </define>
  <define name="category">
    <element name="category">
      <ref name="common"/>
      <attribute name="term"/>
      <optional><attribute name="scheme"><data type="anyURI"/></attribute></optional>
      <optional><attribute name="label"/></optional>
      <empty/>
    </element>
  </define>
  <define name="feed">
    <element name="feed">
      <ref name="common"/>
      <interleave>
        <zeroOrMore><element name="author"><ref name="person"/></element></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <zeroOrMore><element name="contributor"><ref name="person"/></element></zeroOrMore>
        <optional><element name="generator"><ref name="common"/>
          <optional><attribute name="uri"><data type="anyURI"/></attribute></optional>
          <optional><attribute name="version"/></optional><text/></element></optional>
        <optional><element name="icon"><ref name="uri"/></element></optional>
        <element name="id"><ref name="uri"/></element>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><element name="logo"><ref name="uri"/></element></optional>
        <optional><element name="rights"><ref name="text"/></element></optional>
        <optional><element name="subtitle"><ref name="text"/></element></optional>
        <element name="title"><ref name="text"/></element>
        <element name="updated"><ref name="date"/></element>
      </interleave>
      <zeroOrMore><ref name="entry"/></zeroOrMore>
    </element>
  </define>
  <define name="entry">
    <element name="entry">
      <ref name="common"/>
      <interleave>
        <zeroOrMore><element name="author"><ref name="person"/></element></zeroOrMore>
        <zeroOrMore><ref name="category"/></zeroOrMore>
        <optional><element name="content"><ref name="text"/></element></optional>
        <zeroOrMore><element name="contributor"><ref name="person"/></element></zeroOrMore>
        <element name="id"><ref name="uri"/></element>
        <zeroOrMore><ref name="link"/></zeroOrMore>
        <optional><element name="published"><ref name="date"/></element></optional>
        <optional><element name="rights"><ref name="text"/></element></optional>
        <optional><element name="summary"><ref name="text"/></element></optional>
        <element name="title"><ref name="text"/></element>
        <element name="updated"><ref name="date"/></element>
      </interleave>
    </element>
  </define>
</grammar>
"""

# The sitemaps.org protocol 0.9 as an XML Schema: a urlset of url elements, each with an
# absolute loc and optional lastmod, changefreq and priority.
SITEMAP_XSD = """\
<xsd:schema xmlns:xsd="http://www.w3.org/2001/XMLSchema"
            targetNamespace="http://www.sitemaps.org/schemas/sitemap/0.9"
            xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
            elementFormDefault="qualified">
  <xsd:element name="urlset">
    <xsd:complexType>
      <xsd:sequence>
        <xsd:element name="url" type="tUrl" maxOccurs="unbounded"/>
      </xsd:sequence>
    </xsd:complexType>
  </xsd:element>
  <xsd:complexType name="tUrl">
    <xsd:sequence>
      <xsd:element name="loc" type="tLoc"/>
      <xsd:element name="lastmod" type="tLastmod" minOccurs="0"/>
      <xsd:element name="changefreq" type="tChangeFreq" minOccurs="0"/>
      <xsd:element name="priority" type="tPriority" minOccurs="0"/>
    </xsd:sequence>
  </xsd:complexType>
  <xsd:simpleType name="tLoc">
    <xsd:restriction base="xsd:anyURI">
      <xsd:minLength value="12"/>
      <xsd:maxLength value="2048"/>
      <xsd:pattern value="https?://.+"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="tLastmod">
    <xsd:union memberTypes="xsd:date xsd:dateTime"/>
  </xsd:simpleType>
  <xsd:simpleType name="tChangeFreq">
    <xsd:restriction base="xsd:string">
      <xsd:enumeration value="always"/><xsd:enumeration value="hourly"/>
      <xsd:enumeration value="daily"/><xsd:enumeration value="weekly"/>
      <xsd:enumeration value="monthly"/><xsd:enumeration value="yearly"/>
      <xsd:enumeration value="never"/>
    </xsd:restriction>
  </xsd:simpleType>
  <xsd:simpleType name="tPriority">
    <xsd:restriction base="xsd:decimal">
      <xsd:minInclusive value="0.0"/>
      <xsd:maxInclusive value="1.0"/>
    </xsd:restriction>
  </xsd:simpleType>
</xsd:schema>
"""

ATOM_SCHEMA = etree.RelaxNG(etree.fromstring(ATOM_RNG.encode()))
SITEMAP_SCHEMA = etree.XMLSchema(etree.fromstring(SITEMAP_XSD.encode()))


@pytest.fixture(scope="module")
def tricky(tmp_path_factory):
    site = make_site(tmp_path_factory.mktemp("tricky") / "site", PROFILE,
                     f"as_of: 2026-11-23\nbase_url: {BASE_URL}\n")
    return build(site)


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """The demo site built for a project repository, as the Pages workflow builds it."""
    out = tmp_path_factory.mktemp("project") / "_site"
    return build(REPO, {"output": str(out), "base_url": "https://octocat.github.io/demo"})


def valid_atom(data: bytes) -> etree._Element:
    """The feed's root after checking it against RFC 4287: the grammar, then the rules
    the RFC states in prose (4.1.1, 4.1.2, 4.2.7.2) that a grammar cannot."""
    root = etree.fromstring(data)
    assert ATOM_SCHEMA.validate(root), ATOM_SCHEMA.error_log
    entries = root.findall(f"{ATOM}entry")
    feed_has_author = root.find(f"{ATOM}author") is not None
    ids = [root.findtext(f"{ATOM}id")] + [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids), "ids must be unique"
    for element in [root, *entries]:
        assert re.fullmatch(RFC3339, element.findtext(f"{ATOM}updated"))
        assert element.findtext(f"{ATOM}title"), "every title has text"
        links = [(link.get("rel", "alternate"), link.get("type"), link.get("hreflang"))
                 for link in element.findall(f"{ATOM}link")]
        alternates = [link for link in links if link[0] == "alternate"]
        assert len(alternates) == len(set(alternates)), "one alternate link per type"
    for entry in entries:
        assert feed_has_author or entry.find(f"{ATOM}author") is not None
        rels = [link.get("rel", "alternate") for link in entry.findall(f"{ATOM}link")]
        assert rels == ["alternate"], "an entry without content links to its page"
    for element in root.iter():
        for name in ("href", "scheme", "uri"):
            if element.get(name):
                assert element.get(name).startswith("https://"), (element.tag, name)
    return root


def test_the_feeds_are_valid_atom_newest_first_with_dates_from_the_papers(project):
    root = valid_atom(project.files["feed.xml"])
    base = "https://octocat.github.io/demo/"
    assert root.findtext(f"{ATOM}id") == f"{base}feed.xml"
    self_link = root.find(f"{ATOM}link[@rel='self']")
    assert self_link.get("href") == f"{base}feed.xml"
    entries = root.findall(f"{ATOM}entry")
    views = project.model.papers
    assert [e.findtext(f"{ATOM}id") for e in entries] == [f"{base}papers/{v.paper.slug}/"
                                                         for v in views]
    dates = [e.findtext(f"{ATOM}updated") for e in entries]
    assert dates == sorted(dates, reverse=True)
    newest = max(v.paper.date for v in views)
    assert root.findtext(f"{ATOM}updated") == f"{newest.isoformat()}T00:00:00Z"
    first = entries[0]
    assert [a.findtext(f"{ATOM}name") for a in first.findall(f"{ATOM}author")] == list(
        map(str, views[0].paper.authors))
    assert first.find(f"{ATOM}category").get("term") == views[0].category.code


def test_one_feed_per_category_holds_only_its_papers(project):
    for category in project.model.categories:
        code = category.ref.code
        root = valid_atom(project.files[f"categories/{code}/feed.xml"])
        terms = {c.get("term") for c in root.iter(f"{ATOM}category")}
        assert terms == {code}
        assert len(root.findall(f"{ATOM}entry")) == category.count
        assert root.findtext(f"{ATOM}id").endswith(f"/categories/{code}/feed.xml")


def test_feed_text_is_the_titles_as_written(tricky):
    root = valid_atom(tricky.files["feed.xml"])
    titles = [e.findtext(f"{ATOM}title") for e in root.findall(f"{ATOM}entry")]
    assert set(titles) == {TITLE_QUOTES, TITLE_TEX, shown(TITLE_BIDI), "Plain title"}
    summary = root.find(f"{ATOM}entry").findtext(f"{ATOM}summary")
    assert summary.startswith('An abstract with <b>tags</b> & ampersands, "quotes", </script>')


def test_a_site_without_papers_has_a_feed_dated_as_of(tmp_path):
    site = make_site(tmp_path / "site", "Ann Lee\n\nCV\n",
                     "as_of: 2026-03-04\nbase_url: https://example.org/\n")
    root = valid_atom(build(site).files["feed.xml"])
    assert root.findtext(f"{ATOM}updated") == "2026-03-04T00:00:00Z"
    assert root.findall(f"{ATOM}entry") == []


def test_feeds_and_sitemap_do_not_depend_on_the_day_of_the_build(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "base_url: https://example.org/\n")
    files = [build(site, {"as_of": dt.date(2026, 11, 23 + day)}).files for day in (0, 5)]
    for name in ("feed.xml", "sitemap.xml", "papers.bib", "papers.json", "publications/index.html"):
        assert files[0][name] == files[1][name], name


def test_the_sitemap_is_valid_and_lists_every_page_under_the_base(project):
    root = etree.fromstring(project.files["sitemap.xml"])
    assert SITEMAP_SCHEMA.validate(root), SITEMAP_SCHEMA.error_log
    locs = [url.findtext(f"{SITEMAP}loc") for url in root.iter(f"{SITEMAP}url")]
    base = "https://octocat.github.io/demo/"
    pages = sorted(base + path.removesuffix("index.html") for path in project.files
                   if path.endswith(".html") and path != "404.html")
    assert sorted(locs) == pages and len(locs) == len(set(locs))
    assert locs[0] == base
    assert "robots.txt" not in project.files  # a project site cannot have one


def test_a_root_site_has_robots_txt_pointing_at_its_sitemap(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE,
                     "as_of: 2026-11-23\nbase_url: https://octocat.github.io\n")
    result = build(site)
    assert result.files["robots.txt"] == (
        b"User-agent: *\nAllow: /\n\nSitemap: https://octocat.github.io/sitemap.xml\n")
    root = etree.fromstring(result.files["sitemap.xml"])
    assert SITEMAP_SCHEMA.validate(root), SITEMAP_SCHEMA.error_log


def test_the_schemas_reject_what_they_should():
    """The checks themselves: a feed without updated, a date without a zone, an entry
    without an author, and a relative sitemap loc all fail."""
    good = (b'<feed xmlns="http://www.w3.org/2005/Atom"><id>https://x.org/f</id>'
            b"<title>t</title><updated>2020-01-01T00:00:00Z</updated>"
            b"<entry><id>https://x.org/e</id><title>e</title>"
            b'<link href="https://x.org/e"/><author><name>a</name></author>'
            b"<updated>2020-01-01T00:00:00Z</updated></entry></feed>")
    valid_atom(good)
    for bad in (good.replace(b"<updated>2020-01-01T00:00:00Z</updated><entry>", b"<entry>"),
                good.replace(b"00:00:00Z</updated></entry>", b"00:00:00</updated></entry>")):
        assert not ATOM_SCHEMA.validate(etree.fromstring(bad))
    with pytest.raises(AssertionError):
        valid_atom(good.replace(b"<author><name>a</name></author>", b""))
    sitemap = (b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>/relative/page/</loc></url></urlset>")
    assert not SITEMAP_SCHEMA.validate(etree.fromstring(sitemap))


def test_a_truncated_author_list_stays_truncated_in_the_feed_and_json_ld(tmp_path):
    # Atom and schema.org have no "et al.": a contributor and the credit line say it.
    from generator.build import build

    from .conftest import copy_demo

    site = copy_demo(tmp_path / "site")  # every paper of the demo ends in "et al."
    (site / "content" / "whole.bib").write_text(
        "@article{w, title = {A Complete List}, author = {Doe, Jane and Roe, Rick}, "
        "journal = {Nature}, year = {2020}}\n", encoding="utf-8")
    result = build(site, {"base_url": "https://ana.github.io/", "as_of": "2026-11-23"})
    feed = result.files["feed.xml"].decode()
    entry = feed.split("<id>https://ana.github.io/papers/self-supervised-video-pretraining")[1]
    entry = entry.split("</entry>")[0]
    assert "<author><name>João Carreira</name></author>" in entry
    assert "<contributor><name>et al.</name></contributor>" in entry
    truncated = sum(paper.authors_truncated for paper in result.profile.papers)
    assert 0 < truncated < len(result.profile.papers)
    assert feed.count("<contributor>") == truncated  # a complete list has none
    page = result.files["papers/self-supervised-video-pretraining-yields-robust-and-more/"
                        "index.html"].decode()
    assert '"creditText": "Nikhil Parthasarathy, S. M. Ali Eslami, João Carreira et al."' in page
