"""The minimal theme names one paper's kind in the singular ("Conference paper"), as the
scholar theme's badge does; the plural names a group ("Conference papers")."""

from __future__ import annotations

import re

from generator.build import build

from .conftest import copy_demo


def test_the_minimal_theme_names_a_papers_kind_in_the_singular(tmp_path):
    site = copy_demo(tmp_path / "site")
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8").replace("theme: scholar", "theme: minimal")
                      + "categories: kind\n", encoding="utf-8")
    listing = build(site).files["publications/index.html"].decode()
    kinds = re.findall(r'<p class="paper-meta"><time [^>]+>[^<]+</time> · ([^<·]+?)(?: ·|</p>)',
                       listing)
    assert kinds and "Conference paper" in kinds
    assert not any(kind.endswith(("papers", "articles", "Preprints")) for kind in kinds)
