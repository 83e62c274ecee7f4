"""Converted Markdown is kept in the user's cache folder between runs (content/markdown.py), as
compiled templates are (render/environment.py): the same HTML as converting it, whatever state the
cache is in."""

from __future__ import annotations

import json

import pytest

from generator.content import markdown as content

TEXT = """## A heading

A table:

| a | b |
|---|--:|
| 1 | 2 |

```python
def greet(name: str) -> str:
    return f"Hello, {name}"
```

Text with a note.[^n]

[^n]: The note.
"""


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    content._markdown_cache.cache_clear()
    yield tmp_path / "cache"
    content._markdown_cache.cache_clear()


def entries(cache_home):
    return sorted(cache_home.glob("scholarfolio/markdown-*/*.json"))


def test_converted_markdown_is_kept_and_read_back_the_same(cache_home):
    fresh = content._convert(TEXT)
    assert "codehilite" in fresh[0] and "footnote" in fresh[0] and 'href="#a-heading"' in fresh[1]
    assert content.render_markdown(TEXT) == fresh
    [entry] = entries(cache_home)
    assert json.loads(entry.read_text(encoding="utf-8")) == {"html": fresh[0], "toc": fresh[1]}
    entry.write_text(json.dumps({"html": "<p>kept</p>", "toc": ""}), encoding="utf-8")
    assert content.render_markdown(TEXT)[0] == "<p>kept</p>"  # read from the cache


@pytest.mark.parametrize("damage", ["{not json", '{"html": 1}', '["html"]', ""])
def test_a_damaged_cache_entry_is_converted_again(cache_home, damage):
    fresh = content.render_markdown(TEXT)
    [entry] = entries(cache_home)
    entry.write_text(damage, encoding="utf-8")
    assert content.render_markdown(TEXT) == fresh
    assert json.loads(entry.read_text(encoding="utf-8"))["html"] == fresh[0]  # mended


def test_without_a_usable_cache_folder_markdown_is_still_converted(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    content._markdown_cache.cache_clear()
    try:
        assert content._markdown_cache() is None
        assert content.render_markdown(TEXT) == content._convert(TEXT)
    finally:
        content._markdown_cache.cache_clear()


def test_each_text_has_its_own_entry_and_converting_twice_gives_the_same(cache_home):
    first = content.render_markdown("# One")
    second = content.render_markdown("# Two")
    assert first != second and len(entries(cache_home)) == 2
    assert content.render_markdown("# One") == first == content._convert("# One")


def test_text_with_and_without_raw_html_has_an_entry_each(cache_home):
    raw = content.render_markdown("<b>x</b>")
    text = content.render_markdown("<b>x</b>", raw_html=False)
    assert raw[0] == "<p><b>x</b></p>" and text[0] == "<p>&lt;b&gt;x&lt;/b&gt;</p>"
    assert len(entries(cache_home)) == 2
    assert content.render_markdown("<b>x</b>", raw_html=False) == text  # read back, not raw


def test_a_new_link_rule_is_a_new_cache_folder(cache_home, monkeypatch):
    first = content._markdown_cache()
    real = content.usercache.file_bytes

    def changed(path):
        return real(path) + (b"# a new rule" if path.endswith("links.py") else b"")

    monkeypatch.setattr(content.usercache, "file_bytes", changed)
    content._markdown_cache.cache_clear()
    assert content._markdown_cache() != first
