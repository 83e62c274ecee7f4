"""The one settings table (`SiteConfig`, read as `config.SETTINGS`) and what is made from
it: the README's list and the commented site.yaml of `init` (run `python -m
generator.settings` when these tests say they are out of date). And the one YAML reader
(yamlfile.py) that site.yaml and front matter share."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
import yaml

from generator import settings
from generator.config import SETTINGS, SiteConfig, load_config
from generator.content import load_content
from generator.errors import ConfigError, SiteError
from generator.scaffold import scaffold
from generator.themes import load_theme
from generator.yamlfile import read_mapping

STALE = "out of date: run python -m generator.settings"


def test_every_field_after_root_is_a_setting_in_order():
    names = [f.name for f in dataclasses.fields(SiteConfig)]
    assert names[0] == "root" and names[1:] == list(SETTINGS)
    assert all(item.doc and item.doc[0].islower() and not item.doc.endswith(".")
               for item in SETTINGS.values())  # one clause, made a sentence where shown


def test_readme_lists_the_settings_of_the_table():
    text = settings.README.read_text(encoding="utf-8")
    assert settings.readme_with_list(text) == text, STALE
    listed = re.findall(r"^- `([a-z_]+)`:", text.split(settings.README_START)[1]
                        .split(settings.README_END)[0], re.M)
    assert listed == list(SETTINGS)


def test_skeleton_site_yaml_is_made_from_the_table():
    assert settings.SKELETON_SITE_YAML.read_text(encoding="utf-8") == (
        settings.site_yaml_template()), STALE


def test_the_written_site_yaml_shows_each_setting_with_its_doc_and_default(tmp_path):
    scaffold(tmp_path, install="scholarfolio==0.1.0", today=dt.date(2026, 1, 2))
    text = (tmp_path / "site.yaml").read_text(encoding="utf-8")
    blocks = text.split("\n\n")[1:]
    assert [re.search(r"^(?:# )?([a-z_]+):", b, re.M)[1] for b in blocks] == list(SETTINGS)
    assert "\nas_of: 2026-01-02\n" in text  # the one setting init sets
    defaults = load_config(tmp_path)
    for block, item in zip(blocks, SETTINGS.values(), strict=True):
        prose = " ".join(line.removeprefix("# ") for line in block.splitlines()
                         if not re.match(r"(# )?([a-z_]+:|  )", line))
        assert prose.startswith(item.doc[0].upper() + item.doc[1:] + ".")
        assert prose.endswith(f"Default: {item.default_doc}")
        if item.example is None:  # shown at its default: uncommented, it changes nothing
            line = re.search(rf"^# ({item.name}: .*)$", block, re.M)[1]
            (tmp_path / "site.yaml").write_text(line + "\nas_of: 2026-01-02\n",
                                                encoding="utf-8")
            assert load_config(tmp_path) == defaults, item.name
            (tmp_path / "site.yaml").write_text(text, encoding="utf-8")


def test_theme_settings_example_is_the_scholar_themes_defaults(tmp_path):
    example = yaml.safe_load("theme_settings:" + SETTINGS["theme_settings"].example)
    assert example["theme_settings"] == dict(load_theme("scholar", tmp_path).settings)


def test_check_reports_a_stale_file(tmp_path, monkeypatch, capsys):
    stale = tmp_path / "site.yaml"
    stale.write_text("# old\n", encoding="utf-8")
    monkeypatch.setattr(settings, "SKELETON_SITE_YAML", stale)
    assert settings.main(["--check"]) == 1
    assert f"{stale}: differs from the settings table" in capsys.readouterr().err
    assert stale.read_text(encoding="utf-8") == "# old\n"


# -- the YAML reader ----------------------------------------------------------------------------


def read(text: str, first_line: int = 1):
    problems = []
    found = read_mapping(text, "f.yaml", problems, first_line=first_line)
    return found, [p.format().splitlines()[0] for p in problems]


def test_positions_of_keys_and_values_count_from_the_first_line():
    (values, positions), problems = read("a: 1\nb:\n  c: x\n", first_line=2)
    assert values == {"a": 1, "b": {"c": "x"}} and problems == []
    assert positions["a"] == (2, 1, "a: 1") and positions["a="] == (2, 4, "a: 1")
    assert positions["b.c"] == (4, 3, "  c: x") and positions["b.c="] == (4, 6, "  c: x")


def test_keys_given_twice_at_any_depth_are_problems_and_merges_are_not():
    found, problems = read("a: 1\nb:\n  c: 2\n  c: 3\na: 4\n")
    assert found[0] == {"a": 4, "b": {"c": 3}}  # the later value, as YAML keeps it
    assert problems == ["f.yaml:4:3: duplicate key 'c' (first at line 3)",
                        "f.yaml:5:1: duplicate key 'a' (first at line 1)"]
    found, problems = read("base: &b {x: 1}\nother:\n  <<: *b\n  x: 2\n")
    assert problems == [] and found[0]["other"] == {"x": 2}


@pytest.mark.parametrize("text, problem", [
    ("a: [1\n", "f.yaml:1:6: not valid YAML: expected ',' or ']', but got '<stream end>'"),
    ("a: 'x\n", "f.yaml:1:6: not valid YAML: found unexpected end of stream"),
    ("a: 1\r\nb: [\r\n", "f.yaml:2:5: not valid YAML: expected the node content, but found "
                         "'<stream end>'"),
    ("a: 1\n\nb: \x07\n", "f.yaml:3:4: not valid YAML: unacceptable character #x0007: "
                          "special characters are not allowed"),
    ("# a list\n- a\n", "f.yaml:2:1: expected 'key: value' lines"),
    ("~\n", "f.yaml:1:1: expected 'key: value' lines"),
])
def test_what_cannot_be_read_is_a_problem_at_its_place(text, problem):
    assert read(text) == (None, [problem])


def test_nothing_is_an_empty_mapping():
    assert read("") == (({}, {}), []) and read("# only a comment\n") == (({}, {}), [])


def test_front_matter_keys_given_twice_are_errors_at_their_lines(tmp_path):
    pages = tmp_path / "content" / "pages"
    pages.mkdir(parents=True)
    (pages / "about.md").write_text("---\ntitle: About\nmenu: 1\ntitle: Me\n---\nHi.\n",
                                    encoding="utf-8")
    with pytest.raises(SiteError) as error:
        load_content(tmp_path, [])
    assert str(error.value).splitlines()[0] == (
        f"{pages / 'about.md'}:4:1: duplicate key 'title' (first at line 2)")


def test_a_site_yaml_that_is_not_utf8_is_one_problem(tmp_path):
    (tmp_path / "site.yaml").write_bytes(b"title: caf\xe9\n")
    with pytest.raises(ConfigError) as error:
        load_config(tmp_path)
    assert str(error.value) == (f"{tmp_path / 'site.yaml'}:1:1: not UTF-8 text (byte 10); "
                                "expected the file saved as UTF-8")
