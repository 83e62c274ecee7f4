"""The README's list of settings and the commented `site.yaml` that `init` writes, both made
from the one settings table (`SiteConfig` in config/table.py, read as `config.SETTINGS`);
and the README's list of per-paper fields, from theirs (`PaperFields` in paperfields.py).

    python -m generator.settings           rewrite README.md's lists and skeleton/site.yaml
    python -m generator.settings --check   exit 1 when either differs from the tables

tests/test_settings.py and tests/test_paper_fields.py fail when either is out of date.
"""

from __future__ import annotations

import argparse
import sys
import textwrap
from pathlib import Path

from . import paperfields
from .config import SETTINGS, Setting

SKELETON_SITE_YAML = Path(__file__).resolve().parent / "skeleton" / "site.yaml"
README = Path(__file__).resolve().parent.parent / "README.md"  # in a source checkout

#: The README's list sits between these two lines.
README_START = ("<!-- Made from the settings table (SiteConfig in generator/config/table.py) by "
                "`python -m generator.settings`. -->")
README_END = "<!-- End of the list of settings. -->"

SITE_YAML_HEAD = """\
# The settings of this scholarfolio site. Every setting is optional: each commented
# line below shows a setting with its default, or an example where it has none.
# Remove the "# " to change one.
#
#   scholarfolio serve     preview at http://127.0.0.1:8000/, reloading on every save
#   scholarfolio build     build the site into _site/
#
# Every setting is described in scholarfolio's README, section "site.yaml".
"""
WIDTH = 86


def _sentence(item: Setting) -> str:
    text = item.doc[0].upper() + item.doc[1:] + "."
    return f"{text} {item.notes}" if item.notes else text


def _value(item: Setting) -> str:
    """The YAML after `name:` that site.yaml shows: the example, else the default."""
    if item.example is not None:
        return item.example if item.example.startswith("\n") else f" {item.example}"
    return f" {item.default}"


def site_yaml_template() -> str:
    """`skeleton/site.yaml`: every setting commented out, with `@TITLE@` and `@TODAY@` for
    `init` to fill in (scaffold.py)."""
    blocks = [SITE_YAML_HEAD]
    for item in SETTINGS.values():
        comment = textwrap.wrap(_sentence(item), WIDTH, initial_indent="# ",
                                subsequent_indent="# ", break_long_words=False,
                                break_on_hyphens=False)
        comment.append(f"# Default: {item.default_doc}")
        shown = [f"# {line}" for line in f"{item.name}:{_value(item)}".splitlines()]
        blocks.append("\n".join(comment + shown) + "\n")
    return "\n".join(blocks)


def readme_list() -> str:
    """The README's list of settings, between `README_START` and `README_END`."""
    items = []
    for item in SETTINGS.values():
        literal = item.default_doc == str(item.default) or "<" in item.default_doc
        default = f"`{item.default_doc}`" if literal else item.default_doc  # <x> is no tag
        end = "" if item.default_doc.rstrip('"').endswith(".") else "."
        items.append(textwrap.fill(f"`{item.name}`: {_sentence(item)} Default: {default}{end}",
                                   WIDTH, initial_indent="- ", subsequent_indent="  ",
                                   break_long_words=False, break_on_hyphens=False))
    return "\n".join([README_START, "", *items, "", README_END])


def readme_with_list(text: str) -> str:
    """README.md's text with its list of settings made anew; ValueError without the marks."""
    start, end = text.find(README_START), text.find(README_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no '{README_START}' ... '{README_END}' lines")
    return text[:start] + readme_list() + text[end + len(README_END):]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m generator.settings",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 when a file differs from the table")
    args = parser.parse_args(argv)
    readme = paperfields.readme_with_list(README.read_text(encoding="utf-8"))
    wanted = {README: readme_with_list(readme),
              SKELETON_SITE_YAML: site_yaml_template()}
    stale = [path for path, text in wanted.items()
             if not path.is_file() or path.read_text(encoding="utf-8") != text]
    if args.check:
        for path in stale:
            print(f"{path}: differs from the settings table; run python -m generator.settings",
                  file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
