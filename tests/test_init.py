"""`scholarfolio init`: a new site in an empty folder that builds at once, with every
setting shown at its default, and no file ever overwritten without --force."""

from __future__ import annotations

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from generator import __version__
from generator.build import build
from generator.config import SETTINGS, SiteConfig, load_config
from generator.errors import SiteError
from generator.scaffold import REQUIREMENTS, SKELETON, WORKFLOW, scaffold
from generator.themes import load_theme

from .conftest import REPO
from .test_build import MINI_PROFILE

FILES = ["site.yaml", "content/profile.txt", "content/pages/about.md", "templates/README.md",
         ".gitignore", REQUIREMENTS, ".github/dependabot.yml", WORKFLOW]
#: What these tests' sites install: the tests run from a checkout, which no CI can reach.
SPEC = f"scholarfolio=={__version__}"


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_init_then_build_in_an_empty_folder(tmp_path):
    profile = tmp_path / "Downloads" / "profile.txt"
    profile.parent.mkdir()
    profile.write_bytes(MINI_PROFILE.encode("utf-8"))
    done = run("init", "--install", SPEC, "mysite", "--profile", str(profile), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "mysite"
    assert sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()) == sorted(
        FILES)
    assert done.stdout.startswith("Created a site for Ada Lovelace in mysite/:\n")
    assert "\n  cd mysite\n  scholarfolio serve " in done.stdout
    assert (site / "content" / "profile.txt").read_bytes() == profile.read_bytes()
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert built.stdout.startswith("Built 9 pages")  # with content/pages/about.md
    assert (site / "_site" / "papers" / "first-paper" / "index.html").is_file()
    # What the workflow runs, in the new site: every link under the project's path.
    public = run("build", "--base-url", "https://ada.github.io/mysite/", "--output", "_site",
                 cwd=site)
    assert public.returncode == 0, public.stderr
    html = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert 'href="/mysite/assets/style.css"' in html
    assert '<link rel="canonical" href="https://ada.github.io/mysite/">' in html


def test_init_without_a_profile_uses_the_example_which_builds(tmp_path):
    done = scaffold(tmp_path, install=SPEC)
    assert done.example_profile and done.profile_name == "Ada Example"
    assert list(done.files) == FILES
    result = build(tmp_path)
    assert len(result.profile.papers) == 3 and result.warnings == ()


def test_site_yaml_shows_every_setting_commented_at_its_default_but_as_of(tmp_path):
    scaffold(tmp_path, install=SPEC, today=dt.date(2026, 1, 2))
    text = (tmp_path / "site.yaml").read_text(encoding="utf-8")
    shown = re.findall(r"^(?:# )?([a-z_]+):", text, re.MULTILINE)
    assert shown == list(SETTINGS)
    assert '# title: "Ada Example"' in text and "\nas_of: 2026-01-02\n" in text
    # Only as_of is set: the scaffolded site has the defaults, and its dates a fixed day.
    assert load_config(tmp_path) == SiteConfig(root=tmp_path.resolve(),
                                                as_of=dt.date(2026, 1, 2),
                                                output=tmp_path.resolve() / "_site",
                                                profile=tmp_path.resolve() / "content"
                                                / "profile.txt",
                                                theme_settings=load_theme("scholar",
                                                                          tmp_path).settings)
    # Each setting, uncommented as shown, is valid (the photo needs its file).
    (tmp_path / "content" / "photo.jpg").write_bytes(b"\xff\xd8\xff")
    lines, in_setting = [], False
    for line in text.splitlines():
        in_setting = bool(re.match(r"# [a-z_]+:", line) or in_setting and line.startswith("#  "))
        lines.append(line.removeprefix("# ") if in_setting else line)
    (tmp_path / "site.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    config = load_config(tmp_path)
    assert config.title == "Ada Example" and config.robots == "index"
    assert [link.kind for link in config.links] == ["scholar", "orcid", "github", "email",
                                                    "website"]


def test_init_never_overwrites_without_force_and_writes_nothing_then(tmp_path):
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "profile.txt").write_text("mine\n", encoding="utf-8")
    done = run("init", "--install", SPEC, ".", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        ".: will not overwrite content/profile.txt; run init with --force to replace "
        "them, or choose an empty folder")
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["profile.txt"]
    assert (tmp_path / "content" / "profile.txt").read_text() == "mine\n"
    forced = run("init", "--install", SPEC, ".", "--force", "--profile",
                 str(REPO / "content" / "profile.txt"), cwd=tmp_path)
    assert forced.returncode == 0, forced.stderr
    assert (tmp_path / "content" / "profile.txt").read_bytes() == (
        REPO / "content" / "profile.txt").read_bytes()


def test_a_profile_with_errors_stops_init_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("Ann Lee\n\nCV\n\nCVFeb 30, 2021\nTitle\n\nAnn Lee\n\nA.\n", encoding="utf-8")
    done = run("init", "--install", SPEC, "site", "--profile", str(bad), cwd=tmp_path)
    assert done.returncode == 1
    assert "bad.txt:5:7: impossible date 'Feb 30, 2021'" in done.stderr
    assert not (tmp_path / "site").exists()
    with pytest.raises(SiteError, match="no such file"):
        scaffold(tmp_path / "other", tmp_path / "missing.txt", install=SPEC)


def test_a_symlink_in_the_way_is_replaced_not_followed(tmp_path):
    outside = tmp_path / "outside.txt"
    outside.write_text("keep\n", encoding="utf-8")
    site = tmp_path / "site"
    site.mkdir()
    (site / "site.yaml").symlink_to(outside)
    scaffold(site, force=True, install=SPEC)
    assert outside.read_text() == "keep\n"
    assert not (site / "site.yaml").is_symlink()


def test_gitignore_keeps_the_output_out_of_the_repository(tmp_path):
    scaffold(tmp_path, install=SPEC)
    ignored = (tmp_path / ".gitignore").read_text().splitlines()
    assert "/_site/" in ignored
    assert (SKELETON / "gitignore").read_text() == (tmp_path / ".gitignore").read_text()


def test_init_from_a_checkout_writes_a_line_that_installs_it_never_a_placeholder(tmp_path):
    # The tests run from an editable install of this checkout: its https remote's commit
    # (a CI checkout), else a wheel of it put into the site (test_localinstall.py).
    done = run("init", "mysite", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    line = (tmp_path / "mysite" / REQUIREMENTS).read_text(encoding="utf-8").splitlines()[-1]
    assert re.fullmatch(r"scholarfolio @ (git\+https://\S+@[0-9a-f]{40}|file://\$\{GITHUB_"
                        r"WORKSPACE\}/wheels/scholarfolio-" + re.escape(__version__)
                        + r"-py3-none-any\.whl#sha256=[0-9a-f]{64})", line), line
    assert "OWNER" not in done.stdout + done.stderr
    if "GITHUB_WORKSPACE" in line:
        shown = line.split("#")[0].split("}/")[1]
        assert f"The site's workflow installs {shown} (requirements.txt)." in done.stdout
        assert f"note: {shown} is this scholarfolio, made from {REPO}: commit it" in done.stderr
        assert (tmp_path / "mysite" / shown).is_file()


def test_init_writes_the_install_spec_to_requirements_and_the_workflow_installs_it(tmp_path):
    spec = "scholarfolio @ git+https://github.com/ana/scholarfolio@" + "a" * 40
    done = run("init", "site", "--install", spec, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert f"The site's workflow installs {spec} (requirements.txt)." in done.stdout
    lines = (tmp_path / "site" / REQUIREMENTS).read_text(encoding="utf-8").splitlines()
    assert [line for line in lines if not line.startswith("#")] == [spec]
    workflow = (tmp_path / "site" / WORKFLOW).read_text(encoding="utf-8")
    assert f"run: python -m pip install -r {REQUIREMENTS}\n" in workflow


def test_an_install_spec_no_ci_can_reach_stops_init(tmp_path):
    done = run("init", "site", "--install", "scholarfolio @ file:///home/ana/sf", cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        "--install: file:///home/ana/sf is not a URL that GitHub Actions can fetch (a runner "
        "has no SSH key and no files of this computer); expected a requirement such as "
        "'scholarfolio==0.2.0' or "
        "'scholarfolio @ git+https://github.com/OWNER/scholarfolio@COMMIT'")
    assert not (tmp_path / "site").exists()


def test_dependabot_keeps_the_pin_and_the_actions_current(tmp_path):
    import yaml

    scaffold(tmp_path, install=SPEC)
    config = yaml.safe_load((tmp_path / ".github" / "dependabot.yml").read_text())
    assert config["version"] == 2
    assert {(u["package-ecosystem"], u["directory"], u["schedule"]["interval"])
            for u in config["updates"]} == {("pip", "/", "weekly"),
                                            ("github-actions", "/", "weekly")}


def test_as_of_is_the_day_the_profile_was_saved(tmp_path):
    # A date without a year is read against that day for good, not against each build's
    # day: "Nov 20" exported on 2025-12-01 stays 2025 when the site is built in 2026.
    import os

    profile = tmp_path / "profile.txt"
    profile.write_text(MINI_PROFILE.replace("CVOct 12, 2022", "CVNov 20"), encoding="utf-8")
    saved = dt.datetime(2025, 12, 1, 12, 0).timestamp()
    os.utime(profile, (saved, saved))
    scaffold(tmp_path / "site", profile, install=SPEC, today=dt.date(2026, 6, 1))
    assert "\nas_of: 2025-12-01\n" in (tmp_path / "site" / "site.yaml").read_text()
    result = build(tmp_path / "site")
    assert [p.date for p in result.profile.papers][0] == dt.date(2025, 11, 20)


def test_an_unpinned_install_spec_is_written_with_a_note(tmp_path):
    done = run("init", "site", "--install", "scholarfolio>=0.1", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "note: scholarfolio>=0.1 names no one build" in done.stderr
    pinned = run("init", "other", "--install", SPEC, cwd=tmp_path)
    assert "note:" not in pinned.stderr


def test_init_from_a_bibliography_copies_it_and_names_its_most_frequent_author(tmp_path):
    source = REPO / "tests" / "fixtures" / "bib" / "dblp.bib"
    done = run("init", "--install", SPEC, "mysite", "--profile", str(source), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    site = tmp_path / "mysite"
    assert not (site / "content" / "profile.txt").exists()
    assert (site / "content" / "dblp.bib").read_bytes() == source.read_bytes()
    assert done.stdout.startswith("Created a site for Karthik Vaidhyanathan in mysite/:\n")
    assert ("Chose 'Karthik Vaidhyanathan' as the researcher (author of 25 of 25 entries); "
            "pass --name to choose another") in done.stdout
    assert '\nname: "Karthik Vaidhyanathan"\n' in (site / "site.yaml").read_text("utf-8")
    built = run("build", cwd=site)
    assert built.returncode == 0, built.stderr
    assert "17 papers of 25 read (25 from content/dblp.bib; 8 merged" in built.stdout
    home = (site / "_site" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Karthik Vaidhyanathan</h1>" in home or ">Karthik Vaidhyanathan<" in home


def test_init_from_a_csl_json_file_takes_the_name_given(tmp_path):
    source = REPO / "tests" / "fixtures" / "csl" / "zotero.json"
    done = run("init", "--install", SPEC, "s", "--papers", str(source), "--name",
               "Dan Justice", cwd=tmp_path)  # --papers, or --profile: one option
    assert done.returncode == 0, done.stderr
    assert "Chose" not in done.stdout
    assert '\nname: "Dan Justice"\n' in (tmp_path / "s" / "site.yaml").read_text("utf-8")
    assert run("build", cwd=tmp_path / "s").returncode == 0


def test_init_from_a_bibliography_with_no_clear_owner_asks_for_the_name(tmp_path):
    # A Zotero thesis bibliography of others' papers: its most frequent author (3 of 38
    # entries) is no owner.
    source = REPO / "tests" / "fixtures" / "csl" / "zotero.json"
    done = run("init", "--install", SPEC, "s", "--profile", str(source), cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.startswith(
        f"{source}: no author wrote most of its 38 entries (the most frequent: "
        "'J. Forlizzi' (3), ")
    assert done.stderr.endswith("give the researcher's name with --name\n")
    assert not (tmp_path / "s").exists()


def test_init_names_the_chosen_researchers_other_spellings_as_aliases(tmp_path):
    # al-folio's example writes "A. Einstein" in six entries and "Albert Einstein" in one.
    source = REPO / "tests" / "fixtures" / "bib" / "al-folio.bib"
    done = run("init", "--install", SPEC, "s", "--profile", str(source), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert ("Chose 'A. Einstein' as the researcher (author of 7 of 7 entries); pass --name "
            "to choose another, or set name: in site.yaml.\n") in done.stdout
    assert ("The bibliography also writes the name 'Albert Einstein': list them under "
            "aliases: in site.yaml") in done.stdout


@pytest.mark.parametrize("name", ["Eve\u2028photo: /proc/self/environ\u2028#",
                                  "Eve\u2029base_url: /\\\\evil.example/\u2029#"])
def test_a_name_with_yaml_line_breaks_sets_no_setting_in_site_yaml(tmp_path, name):
    profile = tmp_path / "profile.txt"
    profile.write_text(MINI_PROFILE.replace("Ada Lovelace", name, 1), encoding="utf-8")
    done = run("init", "--install", SPEC, "s", "--profile", str(profile), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = (tmp_path / "s" / "site.yaml").read_text(encoding="utf-8")
    assert "\u2028" not in text and "\u2029" not in text  # written as escapes
    assert set(yaml.safe_load(text)) == {"as_of"}  # the only setting init sets
    (title,) = [line for line in text.splitlines() if line.startswith("# title:")]
    assert yaml.safe_load(title[2:]) == {"title": name}  # uncommented, the name itself
    assert run("build", cwd=tmp_path / "s").returncode == 0


def test_a_bibliography_that_is_no_bibtex_stops_init_before_anything_is_written(tmp_path):
    source = tmp_path / "broken.bib"
    source.write_text("@article{a, title = {Broken\n", encoding="utf-8")
    done = run("init", "--install", SPEC, "s", "--profile", str(source), cwd=tmp_path)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"{source}:1:1: not a BibTeX entry" in done.stderr
    assert not (tmp_path / "s").exists()


def test_the_readmes_first_steps_make_a_site_from_a_bib_with_no_placeholder():
    # A researcher's path first: the .bib goes to --papers (the same option as --profile),
    # and no address stands in for one the reader cannot know.
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    first = readme.split("\n## ")[1]
    assert first.startswith("Your site in four commands")
    assert 'scholarfolio init mysite --papers ~/Downloads/papers.bib --name "' in first
    assert "github.com/..." not in readme and "--profile" not in first
