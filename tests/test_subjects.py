"""Categories that read well (model/subjects.py, site.yaml's `categories`): one scheme for
the whole site. A bibliography site is by kind of work unless most of its papers have an
arXiv class; keywords only when chosen, each paper under the keyword most papers share;
"Research mostly in ..." only for research areas; one paper's badge in the singular
("Thesis"), the heading in the plural ("Theses")."""

from __future__ import annotations

import json
import re

import pytest

from generator.build import BuildResult, build
from generator.errors import SiteError

from .test_sources import bib_site, page_titled, text

BIB = """\
@phdthesis{lovelace2020thesis,
  title = {Notes on the Analytical Engine},
  author = {Lovelace, Ada},
  school = {University of London},
  year = {2020}
}

@inproceedings{lovelace2021engines,
  title = {Engines That Weave Algebraic Patterns},
  author = {Lovelace, Ada and Babbage, Charles},
  booktitle = {Proceedings of the Conference on Things},
  year = {2021},
  keywords = {Evaluation}
}

@article{lovelace2022robots,
  title = {Robots Everywhere},
  author = {Lovelace, Ada},
  journal = {Journal of Robots},
  year = {2022},
  keywords = {Automation, Robotics}
}

@article{lovelace2023robots,
  title = {Robots Somewhere},
  author = {Lovelace, Ada},
  journal = {Journal of Robots},
  year = {2023},
  keywords = {robotics}
}

@misc{lovelace2024classes,
  title = {Learning With Classes},
  author = {Lovelace, Ada},
  year = {2024},
  eprint = {2402.00001},
  archivePrefix = {arXiv},
  primaryClass = {cs.LG}
}
"""
SITE_YAML = "name: Ada Lovelace\nas_of: 2026-01-01\n"


def site(tmp_path, scheme: str | None = None, bib: str = BIB) -> BuildResult:
    extra = f"categories: {scheme}\n" if scheme else ""
    return build(bib_site(tmp_path / "site", {"papers.bib": bib}, SITE_YAML + extra))


def categories(result: BuildResult) -> list[str]:
    return sorted({path.split("/")[1] for path in result.files
                   if path.startswith("categories/") and path.count("/") == 2})


def ld_person(page: str) -> dict:
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page)
    return json.loads(script)["mainEntity"]


def test_a_bibliography_site_is_by_kind_of_work_and_names_no_research_area(tmp_path):
    result = site(tmp_path)
    assert categories(result) == ["conference", "journal", "preprint", "thesis"]
    home = text(result, "index.html")
    assert "Research mostly in" not in home
    assert '<meta name="description" content="Ada Lovelace: 5 papers.">' in home
    assert "knowsAbout" not in ld_person(home)


def test_one_papers_badge_is_singular_and_its_categorys_heading_plural(tmp_path):
    result = site(tmp_path)
    slug, page = page_titled(result, "Notes on the Analytical Engine")
    assert 'class="badge badge-category" href="/categories/thesis/">PhD thesis</a>' in page
    assert '<a href="/categories/thesis/">PhD theses</a></p>' in page  # the breadcrumbs
    home = text(result, "publications/index.html")
    assert re.search(r'href="/categories/thesis/" title="PhD theses"><span '
                     r'class="visually-hidden">Category: </span>PhD thesis</a>', home)
    assert "<title>PhD theses · Ada Lovelace</title>" in text(
        result, "categories/thesis/index.html")


def test_arxiv_classes_are_the_categories_when_most_papers_have_one(tmp_path):
    classed = BIB.replace("  year = {2022},\n", "  year = {2022},\n  primaryClass = {cs.RO},\n"
                          ).replace("  year = {2023},\n", "  year = {2023},\n"
                                    "  primaryClass = {cs.RO},\n")
    result = site(tmp_path, bib=classed)
    assert categories(result) == ["LG", "RO", "other"]
    home = text(result, "index.html")
    assert 'Research mostly in <a href="/categories/RO/">Robotics</a>' in home
    assert ld_person(home)["knowsAbout"] == "Robotics"
    assert "<title>Other subjects · Ada Lovelace</title>" in text(
        result, "categories/other/index.html")


def test_chosen_arxiv_categories_put_papers_without_a_class_under_other_subjects(tmp_path):
    result = site(tmp_path, "arxiv")
    assert categories(result) == ["LG", "other"]
    assert 'Research mostly in <a href="/categories/LG/">Machine Learning</a>' in text(
        result, "index.html")


def test_keyword_categories_only_when_chosen_each_paper_under_its_most_shared_keyword(
        tmp_path):
    assert "robotics" not in categories(site(tmp_path / "default"))
    result = site(tmp_path / "chosen", "keywords")
    # Robots Everywhere is under Robotics (two papers say it), not Automation (one).
    assert categories(result) == ["evaluation", "other", "robotics"]
    slug, _ = page_titled(result, "Robots Everywhere")
    assert f'href="/papers/{slug}/"' in text(result, "categories/robotics/index.html")
    assert "Research mostly in" not in text(result, "index.html")


def test_biblatexs_eprintclass_is_an_arxiv_class_as_primaryclass_is(tmp_path):
    # Better BibLaTeX writes eprinttype = {arxiv}, eprintclass = {cs.RO}.
    result = site(tmp_path, "arxiv", BIB.replace("  keywords = {robotics}\n",
                                                 "  eprintclass = {cs.RO}\n"))
    assert categories(result) == ["LG", "RO", "other"]


def test_kinds_chosen_for_the_demo_profile_name_no_research_area(tmp_path):
    result = build(bib_site(tmp_path / "site", {}, "as_of: 2026-11-23\ncategories: kind\n",
                            profile=True))
    assert categories(result) == ["preprint"]  # the profile lists arXiv papers
    assert "Research mostly in" not in text(result, "index.html")


def test_an_unknown_scheme_is_an_error_at_its_line(tmp_path):
    with pytest.raises(SiteError) as caught:
        site(tmp_path, "keyword")
    assert str(caught.value).splitlines()[0].endswith(
        "site.yaml:3:13: 'categories' must be one of auto, kind, arxiv, keywords, found "
        "'keyword'; did you mean 'keywords'?")


def test_the_json_export_gives_each_paper_the_category_its_page_shows(tmp_path):
    from generator.config import load_config
    from generator.export import export_site

    folder = bib_site(tmp_path / "site", {"papers.bib": BIB}, SITE_YAML)
    data, _ = export_site(load_config(folder), "json")
    shown = {paper["title"]: (paper["category"], paper["category_name"])
             for paper in json.loads(data)["papers"]}
    assert shown["Notes on the Analytical Engine"] == ("thesis", "PhD theses")
    assert shown["Learning With Classes"] == ("preprint", "Preprints")


def test_ris_names_a_keyword_or_area_as_kw_never_a_kind_of_work(tmp_path):
    by_kind = text(site(tmp_path / "kind"), "papers.ris")
    assert "TY  - THES" in by_kind and "KW  - " not in by_kind  # not "KW  - PhD theses"
    by_keyword = text(site(tmp_path / "keywords", "keywords"), "papers.ris")
    assert "KW  - Robotics" in by_keyword and "KW  - Other subjects" not in by_keyword


def test_a_translated_site_names_kinds_of_work_in_its_language_at_the_same_addresses(
        tmp_path):
    from generator.i18n import translations

    de = translations("de").gettext
    english = site(tmp_path / "en")
    german = build(bib_site(tmp_path / "de" / "site", {"papers.bib": BIB},
                            SITE_YAML + "language: de\n"))
    assert categories(german) == categories(english)  # ?cat= and categories/x/ kept
    assert de("PhD theses") != "PhD theses"
    heading = text(german, "categories/thesis/index.html")
    assert f"<title>{de('PhD theses')} · Ada Lovelace</title>" in heading
    assert "PhD theses" not in heading
    _, page = page_titled(german, "Notes on the Analytical Engine")
    assert (f'class="badge badge-category" href="/categories/thesis/">{de("PhD thesis")}</a>'
            in page)
    chips = text(german, "publications/index.html")
    assert f'data-cat="journal">{de("Journal articles")} <span' in chips
    assert ">Journal articles<" not in chips


def test_a_translated_site_keeps_keywords_as_written_and_translates_other(tmp_path):
    from generator.i18n import translations

    de = translations("de").gettext
    result = build(bib_site(tmp_path / "site", {"papers.bib": BIB},
                            SITE_YAML + "categories: keywords\nlanguage: de\n"))
    assert "<title>Robotics · Ada Lovelace</title>" in text(
        result, "categories/robotics/index.html")
    other = text(result, "categories/other/index.html")
    assert f"<title>{de('Other subjects')} · Ada Lovelace</title>" in other
    assert de("Other subjects") != "Other subjects"
