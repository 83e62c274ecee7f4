"""Machine-readable exports of the parsed records (`scholarfolio export`).

`json`: the records. The JSON shape's key names are fixed: people script against them.
Strings hold the profile's text exactly; invisible characters (`profile.INVISIBLE`:
control and bidi characters, noncharacters) are written as `\\uXXXX` escapes, which
decode to the same text but cannot reorder or hide what a terminal or editor shows
around them.

`bibtex`, `ris`, `csljson`: the citations, exactly as the site's `papers.bib` and
`papers.json` hold them (see model/citations.py), newest first; with the settings of the
profile's site, the page URLs are in them too.
"""

from __future__ import annotations

import json
import re
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .config import SiteConfig
from .model import citations
from .records import Paper, Profile
from .text import INVISIBLE

FORMATS = ("json", *citations.FORMATS)


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
    """The profile in the given format, as text ending in a newline. Citation formats use
    `config`, the settings of the profile's site, for the page URLs (none without it)."""
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
