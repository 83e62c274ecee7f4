"""Machine-readable exports of a site's papers (`scholarfolio export`).

A site is exported through the build's own path (build.gather_site and assemble_site):
every source, merged, with the corrections of its per-paper files; a profile file outside
a site is exported alone (`export`).

`json`: the records. The JSON shape's key names are fixed: people script against them.
Strings hold the profile's text exactly; invisible characters (`profile.INVISIBLE`:
control and bidi characters, noncharacters) are written as `\\uXXXX` escapes, which
decode to the same text but cannot reorder or hide what a terminal or editor shows
around them.

`bibtex`, `ris`, `csljson`: the citations, byte for byte the site's `papers.bib`,
`papers.ris` and `papers.json` (see model/citations.py), newest first.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .errors import Problem
from .model import citations
from .records import Paper, Profile
from .text import INVISIBLE

FORMATS = ("json", *citations.FORMATS)
#: The site-wide file of each citation format, as model/layout.py names it.
SITE_FILES = {fmt: f"papers.{ext}" for fmt, ext in citations.FORMATS.items()}


def export_site(config: SiteConfig, fmt: str) -> tuple[bytes, list[Problem]]:
    """The site's papers in format `fmt` as UTF-8 bytes, and the warnings of reading them:
    for a citation format, the bytes of the site's file of it; for `json`, the records of
    every source as the site shows them (the title, authors, venue... its per-paper files
    correct), in the order read."""
    from .build import assemble_site, display_path, gather_site
    from .themes import load_theme

    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}")
    gathered = gather_site(config)
    warnings = list(gathered.warnings)
    profile = gathered.profile
    if fmt == "json":
        from .content import SiteMarkdown, load_content
        from .model.views import corrected
        from .paperfields import NO_FIELDS

        content = load_content(config.root, profile.papers, display_path,
                           SiteMarkdown(config.raw_html, config.base_path))
        warnings += content.warnings
        from .model import subjects

        papers = [corrected(p, content.papers.get(p.slug, NO_FIELDS)) for p in profile.papers]
        papers = subjects.categorised(papers, subjects.scheme(papers, config.categories))
        return (export(replace(profile, papers=tuple(papers)), fmt).encode("utf-8"),
                warnings)
    model, _ = assemble_site(config, profile, load_theme(config.theme, config.root),
                             warnings=warnings)
    (route,) = (route for route in model.routes if route.path == SITE_FILES[fmt])
    return "".join(route.make()).encode("utf-8"), warnings


def profile_to_dict(profile: Profile) -> dict[str, Any]:
    """The documented JSON shape of a profile."""
    m = profile.metrics
    return {
        "name": profile.name,
        "category": profile.category,
        "category_name": profile.category_name,
        "as_of": profile.as_of.isoformat(),
        "declared_count": profile.declared_count,
        "metrics": {
            "h_index": m.h_index,
            "papers": m.papers,
            "citations": m.citations,
            "novelty": m.novelty,
            "ai_score": m.ai_score,
            "extra": [
                {"label": e.label, "value": e.value, "text": e.text, "line": e.line}
                for e in m.extra
            ],
        },
        "papers": [paper_to_dict(p) for p in profile.papers],
    }


def paper_to_dict(paper: Paper) -> dict[str, Any]:
    return {
        "slug": paper.slug,
        "title": paper.title,
        "authors": [name.text for name in paper.authors],
        "author_names": [{part: value for part, value in asdict(name).items() if value}
                         for name in paper.authors],
        "authors_truncated": paper.authors_truncated,
        "affiliations": list(paper.affiliations),
        "category": paper.category,
        "category_name": paper.category_name,
        "date": paper.date.isoformat(),
        "year_inferred": paper.year_inferred,
        "score": paper.score,
        "has_code": paper.has_code,
        "code_url": paper.code_url,
        "links": list(paper.links),
        "abstract": paper.abstract,
        "line": paper.line,
    }


def export(profile: Profile, fmt: str, config: SiteConfig | None = None) -> str:
    """The profile alone (no other source, no per-paper file) in the given format, as
    text ending in a newline. Citation formats use `config`, the settings of the profile's
    site, for the page URLs (none without it)."""
    if fmt == "json":
        text = json.dumps(profile_to_dict(profile), ensure_ascii=False, indent=2)
        return INVISIBLE.sub(_json_escape, text) + "\n"
    if fmt in citations.FORMATS:
        from .model import build_model

        model = build_model(config or SiteConfig(root=Path.cwd()), profile)
        return citations.document(fmt, [view.citation for view in model.papers if view.citation])
    raise ValueError(f"unknown export format {fmt!r}")


def _json_escape(match: re.Match[str]) -> str:
    """A character as a JSON \\u escape (a surrogate pair above U+FFFF)."""
    code = ord(match.group())
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
