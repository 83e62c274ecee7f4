"""`static/CNAME`: GitHub Pages' own way to name a site's custom domain, read as the
`domain` setting is when site.yaml gives none (config/loading.py)."""

from __future__ import annotations

from pathlib import Path

from ..containment import outside
from ..errors import Problem
from ..yamlfile import read_text
from .checks import Invalid, check_domain

CNAME = "CNAME"  # the file that names a GitHub Pages site's custom domain


def cname_domain(root: Path, problems: list[Problem]) -> str | None:
    """The domain a `static/CNAME` file names (GitHub Pages' own way to set it), if any."""
    path = root / "static" / CNAME
    if not path.exists():  # a folder in its place is read, and said to be no file
        return None
    shown = f"static/{CNAME}"
    leaks = outside([path], root, lambda _: shown)  # its host name would be published
    if leaks:
        problems += leaks
        return None
    text = read_text(path, shown, problems)
    if text is None:
        return None
    lines = [(number, line.strip()) for number, line in enumerate(text.splitlines(), 1)
             if line.strip()]
    try:
        if len(lines) != 1:
            raise Invalid(f"must hold one host name such as www.example.org, found "
                           f"{len(lines)} lines")
        return check_domain(lines[0][1], root)
    except Invalid as exc:
        at = lines[1][0] if len(lines) > 1 else lines[0][0] if lines else 1
        problems.append(Problem(shown, at, 1, f"{CNAME} {exc}"))
        return None
