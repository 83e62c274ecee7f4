"""site.yaml: defaults, validation, and error messages (pinned word for word)."""

from __future__ import annotations

import datetime as dt

import pytest

from generator.config import base_path, load_config
from generator.errors import ConfigError


def write(tmp_path, text: str):
    (tmp_path / "site.yaml").write_text(text, encoding="utf-8")
    return tmp_path


def error_text(tmp_path, text: str) -> str:
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    return str(error.value)


def test_no_site_yaml_gives_the_defaults(tmp_path):
    config = load_config(tmp_path)
    assert config.theme == "scholar"
    assert config.base_url == "/" and config.base_path == "/"
    assert config.output == tmp_path.resolve() / "_site"
    assert config.profile == tmp_path.resolve() / "content" / "profile.txt"
    assert config.as_of is None and config.title is None and config.links == ()


def test_every_setting_is_read_and_typed(tmp_path):
    (tmp_path / "me.jpg").write_bytes(b"\xff\xd8")
    config = load_config(write(tmp_path, """\
title: My site
description: Papers.
base_url: https://user.github.io/repo
theme: scholar
as_of: 2026-11-23
output: public
profile: data/me.txt
language: pt-BR
bio: Hello.
photo: me.jpg
links:
  github: octocat
  orcid: 0000-0002-1825-0097
  email: someone@example.org
  scholar: https://scholar.google.com/citations?user=X
"""))
    assert config.title == "My site" and config.bio == "Hello." and config.language == "pt-BR"
    assert config.base_url == "https://user.github.io/repo/" and config.base_path == "/repo/"
    assert config.as_of == dt.date(2026, 11, 23)
    assert config.output == tmp_path.resolve() / "public"
    assert config.profile == tmp_path.resolve() / "data" / "me.txt"
    assert config.photo == tmp_path.resolve() / "me.jpg"
    assert [(link.kind, link.url) for link in config.links] == [
        ("github", "https://github.com/octocat"),
        ("orcid", "https://orcid.org/0000-0002-1825-0097"),
        ("email", "mailto:someone@example.org"),
        ("scholar", "https://scholar.google.com/citations?user=X"),
    ]


def test_command_line_overrides_win_over_site_yaml(tmp_path):
    write(tmp_path, "base_url: /a/\nas_of: 2020-01-01\n")
    config = load_config(tmp_path, {"base_url": "https://x.github.io/b/",
                                    "as_of": dt.date(2026, 1, 2), "output": None})
    assert config.base_path == "/b/" and config.as_of == dt.date(2026, 1, 2)


@pytest.mark.parametrize("url, path", [("/", "/"), ("", "/"), ("/repo", "/repo/"),
                                       ("https://u.github.io/repo/", "/repo/"),
                                       ("https://u.github.io", "/"), ("/a/b/", "/a/b/")])
def test_base_path_always_has_leading_and_trailing_slash(url, path):
    assert base_path(url) == path


def test_unknown_setting_is_an_error_with_did_you_mean(tmp_path):
    assert error_text(tmp_path, "title: X\ntheem: scholar\n") == (
        "site.yaml:2:1: unknown setting 'theem'; did you mean 'theme'? (known: title, "
        "name, aliases, coauthors, students, metrics, description, base_url, domain, theme, as_of, "
        "output, profile, public_fields, group_by, home_charts, menu, categories, language, "
        "position, affiliation, bio, photo, links, raw_html, robots, citation_counts, sync, "
        "theme_settings)\n"
        "    theem: scholar\n"
        "    ^"
    ).replace("site.yaml", str(tmp_path / "site.yaml"))


def test_every_problem_is_reported_not_only_the_first(tmp_path):
    text = error_text(tmp_path, "as_of: yesterday\ntheme: scholr\nbase_url: ftp://x/\n"
                                "title: 3\nlinks:\n  gitlab: x\n  email: nobody\n")
    path = tmp_path / "site.yaml"
    assert [line for line in text.splitlines() if line.startswith(str(path))] == [
        f"{path}:1:8: 'as_of' must be a date YYYY-MM-DD, found 'yesterday'",
        f"{path}:2:8: 'theme' names no theme: 'scholr'; did you mean 'scholar'? "
        "(available: minimal, scholar)",
        f"{path}:3:11: 'base_url' must be an http(s) URL such as https://user.github.io/repo/ "
        "or a path such as /repo/, found 'ftp://x/'",
        f"{path}:4:8: 'title' must be text, found int 3",
        f"{path}:6:3: unknown link 'gitlab'; did you mean 'github'? (known: scholar, orcid, "
        "github, email, website, linkedin, twitter, bluesky, mastodon)",
        f"{path}:7:10: link 'email' must be an http(s) URL or an address, found 'nobody'",
    ]


def test_invalid_yaml_names_the_line_and_column(tmp_path):
    assert error_text(tmp_path, "title: ok\nbio: [unclosed\n") == (
        f"{tmp_path / 'site.yaml'}:2:15: not valid YAML: expected ',' or ']', but got "
        "'<stream end>'\n"
        "    bio: [unclosed\n"
        "                  ^"
    )


def test_settings_must_be_a_mapping(tmp_path):
    assert error_text(tmp_path, "- a\n- b\n") == (
        f"{tmp_path / 'site.yaml'}:1:1: expected settings as 'key: value' lines\n"
        "    - a\n"
        "    ^"
    )


def test_a_missing_photo_is_an_error(tmp_path):
    text = error_text(tmp_path, "photo: me.jpg\n")
    assert text.splitlines()[0] == (f"{tmp_path / 'site.yaml'}:1:8: 'photo' names no file: "
                                    f"'me.jpg' (looked for {tmp_path.resolve() / 'me.jpg'})")


def test_an_empty_site_yaml_gives_the_defaults(tmp_path):
    assert load_config(write(tmp_path, "# nothing yet\n")).theme == "scholar"


def test_a_setting_given_twice_is_an_error_naming_both_lines(tmp_path):
    text = error_text(tmp_path, "title: A\nbio: Hi.\ntitle: B\nlinks:\n  github: a\n"
                                "  github: b\n")
    path = tmp_path / "site.yaml"
    assert [line for line in text.splitlines() if line.startswith(str(path))] == [
        f"{path}:3:1: duplicate key 'title' (first at line 1)",
        f"{path}:6:3: duplicate key 'github' (first at line 5)",
    ]


def test_a_character_yaml_does_not_allow_names_its_line_and_column(tmp_path):
    assert error_text(tmp_path, "title: ok\nbio: a\x07b\n").splitlines()[0] == (
        f"{tmp_path / 'site.yaml'}:2:7: not valid YAML: unacceptable character #x0007: "
        "special characters are not allowed")


@pytest.mark.parametrize("value, reason", [("2026-13-01", "month must be in 1..12"),
                                           ("2025-02-29", "day is out of range for month")])
def test_an_impossible_date_is_an_error_at_its_place_not_a_traceback(tmp_path, value, reason,
                                                                    monkeypatch):
    monkeypatch.chdir(tmp_path)  # messages name site.yaml as seen from here
    assert error_text(tmp_path, f"title: X\nas_of: {value}\n") == (
        f"site.yaml:2:8: impossible date '{value}' ({reason}); expected a date YYYY-MM-DD\n"
        f"    as_of: {value}\n"
        "           ^")


def test_an_impossible_date_in_front_matter_is_an_error_at_its_place(tmp_path):
    import subprocess
    import sys

    from .conftest import copy_demo

    site = copy_demo(tmp_path / "site")
    (site / "content" / "papers" / "neural-processes.md").write_text(
        "---\nvenue: ICML\nfeatured: 2026-13-01\n---\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "generator", "build", "-C", str(site)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert ("content/papers/neural-processes.md:3:11: impossible date '2026-13-01' (month "
            "must be in 1..12)") in done.stderr
