"""The command line, run as a user runs it: a real process, its output and exit code."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from .conftest import REPO, make_site
from .test_build import MINI_PROFILE


def run(*args: str, cwd=REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "generator", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120)


def test_version_and_help_exit_zero():
    version = run("--version")
    assert version.returncode == 0 and version.stdout.startswith("scholarfolio ")
    helped = run("--help")
    assert helped.returncode == 0 and "build" in helped.stdout and "export" in helped.stdout


def test_build_in_a_site_folder_prints_one_summary_line(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    result = run("build", "-C", str(site))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("Built 8 pages (29 files, 29 changed) in ")  # 3 badges
    assert lines[0].endswith(f"ms → {site / '_site'}/")
    assert (site / "_site" / "papers" / "first-paper" / "index.html").is_file()


def test_build_with_output_and_base_url_options(tmp_path):
    site = make_site(tmp_path / "site", MINI_PROFILE, "as_of: 2026-11-23\n")
    result = run("build", "-C", str(site), "-o", str(tmp_path / "public"),
                 "--base-url", "https://u.github.io/repo/")
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "public" / "index.html").read_text(encoding="utf-8")
    assert 'href="/repo/assets/style.css"' in html


def test_build_of_a_bad_profile_exits_1_with_positions_and_no_traceback(tmp_path):
    bad = MINI_PROFILE.replace("CVOct 12, 2022", "CVFeb 30, 2022").replace(
        "LGJan 3, 2021Code\nSecond paper\n", "LGJan 3, 2021Code\n")
    site = make_site(tmp_path / "site", bad, "as_of: 2026-11-23\n")
    result = run("build", "-C", str(site))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = [line for line in result.stderr.splitlines() if line.startswith("content/")
             or line.startswith(str(site))]
    assert len(lines) == 2, result.stderr
    assert ":12:7: impossible date 'Feb 30, 2022': February 2022 has no day 30" in lines[0]
    assert not (site / "_site").exists()


@pytest.mark.parametrize("command", [("build",), ("export", "--format", "bibtex")])
def test_a_missing_folder_says_what_was_expected(tmp_path, command):
    result = run(*command, "-C", str(tmp_path / "nowhere"))
    assert result.returncode == 1
    assert result.stderr == (f"{tmp_path / 'nowhere'}: no such folder; expected a site folder "
                             "holding site.yaml and content/profile.txt\n")


def test_build_of_a_folder_without_profile_names_the_file(tmp_path):
    result = run("build", "-C", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr.startswith(f"{tmp_path / 'content' / 'profile.txt'}:1:1: no such file")


def test_export_json_of_the_reference_profile(tmp_path):
    result = run("export", "--format", "json", "content/profile.txt")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["metrics"]["citations"] == 13433
    assert data["as_of"] == "2026-11-23"  # taken from the site.yaml beside content/
    scored = [p for p in data["papers"] if p["score"] is not None]
    assert [(p["score"], p["date"], p["year_inferred"]) for p in scored] == [
        (54.9, "2026-05-10", True)]


def test_export_as_of_option_changes_inferred_years(tmp_path):
    result = run("export", "content/profile.txt", "--as-of", "2026-05-09")
    data = json.loads(result.stdout)
    assert [p["date"] for p in data["papers"] if p["year_inferred"]] == ["2025-05-10"]
    bad = run("export", "content/profile.txt", "--as-of", "soon")
    assert bad.returncode == 1
    assert bad.stderr == "--as-of: expected a date YYYY-MM-DD, found 'soon'\n"


def test_console_script_and_module_are_the_same_command():
    from importlib.metadata import entry_points

    scripts = {ep.name: ep.value for ep in entry_points(group="console_scripts")}
    assert scripts["scholarfolio"] == "generator.cli:main"
