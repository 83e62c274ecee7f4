"""A site path never starts a protocol-relative or backslash URL: the one link rule
(`links.is_link`, through `links.leaves_site`) refuses a paper's link and site.yaml's
base_url that a browser reads as another host. Browsers drop ASCII tab, newline and
carriage return from anywhere in a URL and Chromium takes `\\` for `/`, so `/\\host`,
`/<TAB>/host` and `\\/host` all load from `host`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from generator.config import load_config
from generator.content import load_content
from generator.errors import SiteError
from generator.links import is_link
from generator.records import Name, Paper

SLUG = "neural-processes"

#: Paths a browser resolves off the site, as YAML double-quoted strings.
OFF_SITE = [r"//evil.example/x.pdf", r"/\\evil.example/x.pdf", r"\\/evil.example/x.pdf",
            r"\\\\evil.example/x.pdf", r"/\t/evil.example/x.pdf", r"/\n/evil.example/x.pdf",
            r"/\r\\evil.example/x.pdf", r"\t//evil.example/x.pdf", r"\\evil.example/x.pdf"]


def from_yaml(quoted: str) -> str:
    """The text a YAML double-quoted string gives: `\\t` a tab, `\\\\` one backslash."""
    return quoted.encode().decode("unicode_escape")


@pytest.mark.parametrize("quoted", OFF_SITE)
def test_a_path_a_browser_reads_as_another_host_is_not_a_link(quoted):
    assert not is_link(from_yaml(quoted))


@pytest.mark.parametrize("text", ["/files/paper.pdf", "files/paper.pdf", "/", "papers/a\\b.pdf",
                                  "https://arxiv.org/pdf/1807.01622", "http://example.org/"])
def test_paths_in_the_site_and_web_addresses_are_links(text):
    assert is_link(text)


def paper() -> Paper:
    return Paper(slug=SLUG, title="Neural Processes",
                 authors=(Name("Marta Garnelo", "Marta", "Garnelo"),), authors_truncated=False,
                 affiliations=(), category="LG", date=dt.date(2018, 7, 4), year_inferred=False,
                 score=None, has_code=False, code_url=None, links=(), abstract="An abstract.",
                 line=1)


@pytest.mark.parametrize("quoted", OFF_SITE)
def test_a_per_paper_link_off_the_site_is_an_error_at_its_value(tmp_path, quoted):
    folder = tmp_path / "content" / "papers"
    folder.mkdir(parents=True)
    (folder / f"{SLUG}.md").write_text(f'---\npdf: "{quoted}"\n---\n', encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_content(tmp_path, [paper()], lambda p: p.relative_to(tmp_path).as_posix())
    [problem] = caught.value.problems
    assert problem.format().startswith(
        f"content/papers/{SLUG}.md:2:6: 'pdf' must be an http(s) URL or a path in the site")


def config_error(root: Path, text: str) -> str:
    (root / "site.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        load_config(root, {})
    return str(caught.value)


@pytest.mark.parametrize("quoted", [r"/\\evil.example/", r"/\t/evil.example/",
                                    r"//evil.example/", r"/\r\\evil.example/"])
def test_a_base_url_a_browser_reads_as_another_host_is_an_error_at_its_value(tmp_path, quoted):
    message = config_error(tmp_path, f'base_url: "{quoted}"\n')
    assert message.startswith(
        f"{tmp_path / 'site.yaml'}:1:11: 'base_url' must be a path such as /repo/, not one a "
        "browser reads as another host")


def test_a_base_url_path_in_the_site_is_kept(tmp_path):
    (tmp_path / "site.yaml").write_text("base_url: /repo/\n", encoding="utf-8")
    assert load_config(tmp_path, {}).base_path == "/repo/"
