"""What `init` puts in requirements.txt, decided from how scholarfolio was installed: the
package metadata and PEP 610's direct_url.json as pip writes them, read from real
dist-info folders; the homepage the footer links to; and the versions the build record
holds, which are those importlib.metadata finds."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from generator import __version__, installation
from generator.errors import SiteError

from .conftest import REPO

COMMIT = "4f9c2a1d8e7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c"
SHA256 = "9d0ab3c1" * 8


def dist_info(tmp_path, direct_url: dict | None, urls: tuple[str, ...] = ()):
    """A dist-info folder as pip leaves it."""
    folder = tmp_path / f"scholarfolio-{__version__}.dist-info"
    folder.mkdir()
    lines = ["Metadata-Version: 2.4", "Name: scholarfolio", f"Version: {__version__}",
             *(f"Project-URL: {url}" for url in urls)]
    (folder / "METADATA").write_text("\n".join(lines) + "\n", encoding="utf-8")
    if direct_url is not None:
        (folder / "direct_url.json").write_text(json.dumps(direct_url), encoding="utf-8")
    return folder


def test_a_release_from_an_index_is_pinned_to_its_version(tmp_path):
    found = installation.source(dist_info(tmp_path, None))
    assert found.line == f"scholarfolio=={__version__}"
    assert found.origin == f"scholarfolio {__version__} from a package index"


def test_a_vcs_install_is_pinned_to_its_commit(tmp_path):
    found = installation.source(dist_info(tmp_path, {
        "url": "https://github.com/ana/scholarfolio.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "main"}}))
    assert found.line == f"scholarfolio @ git+https://github.com/ana/scholarfolio.git@{COMMIT}"
    assert COMMIT[:12] in found.origin


def test_a_vcs_install_from_a_subdirectory_keeps_it(tmp_path):
    found = installation.source(dist_info(tmp_path, {
        "url": "https://github.com/ana/tools", "subdirectory": "scholarfolio",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT}}))
    assert found.line == (f"scholarfolio @ git+https://github.com/ana/tools@{COMMIT}"
                          "#subdirectory=scholarfolio")


def test_an_archive_from_a_url_keeps_its_hash(tmp_path):
    url = f"https://example.org/dist/scholarfolio-{__version__}-py3-none-any.whl"
    found = installation.source(dist_info(tmp_path, {
        "url": url, "archive_info": {"hashes": {"sha256": SHA256}}}))
    assert found.line == f"scholarfolio @ {url}#sha256={SHA256}"


@pytest.mark.parametrize("direct_url, origin, local", [
    ({"url": "file:///home/ana/scholarfolio", "dir_info": {"editable": True}},
     "from the folder /home/ana/scholarfolio (editable)", "/home/ana/scholarfolio"),
    ({"url": "file:///home/ana/scholarfolio", "dir_info": {}},
     "from the folder /home/ana/scholarfolio", "/home/ana/scholarfolio"),
    ({"url": "file:///tmp/scholarfolio-0.1.0-py3-none-any.whl", "archive_info": {}},
     "from the file /tmp/scholarfolio-0.1.0-py3-none-any.whl",
     "/tmp/scholarfolio-0.1.0-py3-none-any.whl"),
    ({"url": "file:///home/ana/my%20scholarfolio",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     f"from the git repository /home/ana/my scholarfolio on this computer, at commit "
     f"{COMMIT[:12]}", "/home/ana/my scholarfolio"),
    ({"url": "ssh://git@github.com/ana/scholarfolio.git",
      "vcs_info": {"vcs": "git", "commit_id": COMMIT}},
     f"from the git repository ssh://git@github.com/ana/scholarfolio.git (over SSH), at "
     f"commit {COMMIT[:12]}", None),
])
def test_a_local_install_has_no_line_and_says_where_it_came_from(tmp_path, direct_url, origin,
                                                                 local):
    # localinstall makes the line of what came from this computer; over SSH, nothing can.
    found = installation.source(dist_info(tmp_path, direct_url))
    assert found.line is None
    assert found.origin.endswith(origin)
    assert found.local == (Path(local) if local else None)
    message = installation.unreachable(found.origin)
    assert "GitHub Actions cannot install" in message and "OWNER" not in message
    assert f"--install 'scholarfolio=={__version__}'" in message


def test_this_checkout_is_the_local_source_of_the_running_scholarfolio():
    # The test suite runs from this folder (scripts/test installs it editable).
    found = installation.source()
    assert found.line is None and found.local == REPO
    assert found.origin.startswith((f"scholarfolio {__version__} from the folder ",
                                    f"scholarfolio {__version__} run from a folder"))


@pytest.mark.parametrize("spec, expected", [
    ("scholarfolio==0.2.0", "scholarfolio==0.2.0"),
    ("  Scholarfolio >= 0.2 ", "Scholarfolio >= 0.2"),
    (f"scholarfolio @ git+https://github.com/ana/scholarfolio@{COMMIT}",
     f"scholarfolio @ git+https://github.com/ana/scholarfolio@{COMMIT}"),
])
def test_install_specs_that_ci_can_install_are_kept(spec, expected):
    assert installation.requirement(spec) == expected


@pytest.mark.parametrize("spec, message", [
    ("./scholarfolio", "expected a requirement such as 'scholarfolio==0.2.0'"),
    ("scholarfolio @ file:///home/ana/scholarfolio", "is not a URL that GitHub Actions can"),
    ("scholarfolio @ git+ssh://git@github.com/ana/sf@main", "a runner has no SSH key"),
    ('scholarfolio==0.2.0 ; sys_platform == "win32"', "has an environment marker"),
    ("jekyll==4.0", "names 'jekyll', not scholarfolio"),
    ("-e .", "found '-e .' (Expected package name at the start"),
])
def test_install_specs_that_ci_cannot_install_are_refused(spec, message):
    with pytest.raises(SiteError, match=message.replace("(", r"\(").replace(".", r"\.")):
        installation.requirement(spec)


@pytest.mark.parametrize("urls, homepage", [
    ((), None),
    (("Homepage, https://scholarfolio.example.org/",), "https://scholarfolio.example.org/"),
    (("Source, https://github.com/ana/scholarfolio", "home-page, https://sf.example.org"),
     "https://sf.example.org"),
    (("Documentation, https://docs.example.org",), None),
    (("Homepage, ftp://example.org/",), None),
])
def test_the_homepage_is_the_metadatas_homepage_url_or_none(tmp_path, urls, homepage):
    text = (dist_info(tmp_path, None, urls) / "METADATA").read_text(encoding="utf-8")
    assert installation.homepage_of(text) == homepage


def test_the_legacy_home_page_field_counts_too():
    text = "Name: scholarfolio\nHome-page: https://sf.example.org\n"
    assert installation.homepage_of(text) == "https://sf.example.org"


def test_only_the_metadatas_header_names_a_homepage_not_its_description():
    text = ("Name: scholarfolio\nProject-URL: Source,\n https://github.com/ana/sf\n\n"
            "Project-URL: Homepage, https://readme.example.org\n")
    assert installation.homepage_of(text) is None


def test_this_project_names_no_homepage_so_pages_link_nowhere():
    # pyproject.toml has no [project.urls] yet: the footer names scholarfolio, unlinked.
    assert installation.homepage() is None


def test_the_footer_and_feed_link_the_homepage_only_when_the_metadata_names_one(tmp_path):
    # A dist-info first on the path stands for an installed scholarfolio whose pyproject
    # has [project.urls]: the build reads it through importlib.metadata, as installed.
    from .conftest import REPO, copy_demo

    site = copy_demo(tmp_path / "site")
    (site / "site.yaml").write_text("base_url: https://ana.github.io/mysite/\n")
    dist_info(tmp_path, None, ("Homepage, https://scholarfolio.example.org/",))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    for linked in (True, False):
        subprocess.run([sys.executable, "-m", "generator", "build", "-q", "-C", str(site)],
                       env=env if linked else None, check=True, timeout=120)
        home = (site / "_site" / "index.html").read_text(encoding="utf-8")
        feed = (site / "_site" / "feed.xml").read_text(encoding="utf-8")
        if linked:
            assert (f'Built with <a href="https://scholarfolio.example.org/">scholarfolio '
                    f'{__version__}</a>') in home
            assert (f'<generator uri="https://scholarfolio.example.org/" version="{__version__}"'
                    '>scholarfolio</generator>') in feed
        else:
            assert f"Built with scholarfolio {__version__}</p>" in home
            assert f'<generator version="{__version__}">scholarfolio</generator>' in feed
        assert "pypi.org" not in home + feed


@pytest.mark.parametrize("line, one", [
    ("scholarfolio==0.2.0", True), (f"scholarfolio @ git+https://github.com/a/b@{COMMIT}", True),
    (f"scholarfolio @ https://example.org/s.whl#sha256={SHA256}", True),
    ("scholarfolio>=0.2", False), ("scholarfolio", False), ("scholarfolio==0.*", False),
    ("scholarfolio @ git+https://github.com/a/b@main", False),
])
def test_a_line_is_pinned_when_it_names_one_build(line, one):
    assert installation.pinned(line) is one


def test_the_dependency_versions_are_those_installed_of_the_runtime_packages(tmp_path):
    folder = tmp_path / f"scholarfolio-{__version__}.dist-info"
    folder.mkdir()
    requires = ["pygments>=2.12", "no-such-package-here>=1", "pillow>=10.1",
                "pytest>=7.4; extra == 'test'"]
    (folder / "METADATA").write_text("\n".join(
        ["Metadata-Version: 2.4", "Name: scholarfolio", f"Version: {__version__}",
         *(f"Requires-Dist: {line}" for line in requires)]) + "\n", encoding="utf-8")
    found = installation.dependency_versions(folder)
    # Pillow counts (it draws the card, a file of the site); the test tools do not.
    installed = [f"{metadata.metadata(name)['Name']}=={metadata.version(name)}"
                 for name in ("pillow", "pygments")]
    assert found.splitlines() == sorted(["no-such-package-here missing", *installed])


@pytest.mark.parametrize("shadowed", [False, True])
def test_the_dependency_versions_are_the_first_on_the_path_as_importlib_finds_them(
        tmp_path, monkeypatch, shadowed):
    # Another Jinja2, spelt as old tools name the folder, first on the path: found by its
    # normalised name, as importlib.metadata (which an import of jinja2 agrees with) finds it.
    if shadowed:
        folder = tmp_path / "Jinja2-0.1.dist-info"
        folder.mkdir()
        (folder / "METADATA").write_text("Metadata-Version: 2.1\nName: Jinja2\nVersion: 0.1\n",
                                         encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))

    expected = []
    for line in metadata.requires("scholarfolio"):  # the runtime's, Pillow among them
        wanted = Requirement(line)
        if wanted.marker is None:
            found = next(iter(metadata.distributions(name=wanted.name)), None)
            expected.append(f"{found.metadata['Name']}=={found.version}" if found
                            else f"{wanted.name} missing")
    found = installation.dependency_versions()
    assert found.splitlines() == sorted(expected)
    assert ("Jinja2==0.1" in found.splitlines()) is shadowed
