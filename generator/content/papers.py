"""Per-paper files (`content/papers/<slug>.md`): fields that add to or correct a paper
(the table in paperfields.py checks them) and notes, the body. A file whose name is no
paper's slug any more is taken for the paper it most likely is (identity.py), with a
warning, and its old address redirects there."""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from ..config import shown_value as _shown
from ..config.checks import PHOTO_SUFFIXES
from ..containment import Outside, inside
from ..errors import Invalid, Problem, did_you_mean
from ..identity import file_identifiers, owner
from ..paperfields import PAPER_FIELDS, PaperFields, paper_fields
from ..records import Paper
from ..text import name_key
from ..yamlfile import Positions
from .frontmatter import reporter, split, unknown
from .markdown import AT_ROOT, SiteMarkdown

#: A file a per-paper file names, copied beside the paper's page: (site path, source).
PaperFile = tuple[str, Path]


def owners(files: list[Path], records: dict[str, Paper], given: dict[str, dict[str, Any]],
           display: Callable[[Path], str],
           problems: list[Problem]) -> tuple[dict[Path, str], list[Problem]]:
    """The paper each per-paper file belongs to: the one whose slug is its name, else the
    one whose bibliography names its name as an old address (a synced work retitled
    upstream: `aliases` in `given`, its `given_fields`, from its former titles); for a file whose
    paper's title (so slug) has changed, the paper its `doi:` or `arxiv:` names, else the
    one slug close to its name (difflib, 0.8) that has no file of its own. Such a file is
    kept with a warning, and its old address redirects (see read_paper). A file that
    matches no paper is an error naming the paper it most likely meant."""
    found = {path: path.stem for path in files if path.stem in records}
    free = [slug for slug in records if slug not in found.values()]
    former = {alias: slug for slug in free for alias in given[slug].get("aliases", ())}
    for path in files:  # an old address the paper's source keeps: no guess, no warning
        if path not in found and (slug := former.get(f"papers/{path.stem}/")) in free:
            found[path] = slug
            free.remove(slug)
    warnings: list[Problem] = []
    for path in files:
        if path in found:
            continue
        name = display(path)
        slug = _retitled(path, records, free)
        if slug is None:
            close = difflib.get_close_matches(path.stem, list(records), n=1, cutoff=0.5)
            hint = (f"; did you mean '{close[0]}' ({records[close[0]].title})?" if close
                    else "")
            problems.append(Problem(name, 1, 1, f"no paper has the slug '{path.stem}'{hint} "
                                    "(a file here is named after its paper's address, "
                                    "papers/<slug>/)"))
            continue
        found[path] = slug
        free.remove(slug)
        warnings.append(Problem(name, 1, 1, f"no paper has the slug '{path.stem}' now: "
                                f"taken for '{records[slug].title}' (papers/{slug}/), the "
                                "paper it most likely is (its title corrected, or this "
                                f"file's name mistyped); papers/{path.stem}/ redirects "
                                f"there. Rename the file {slug}.md, with 'aliases: "
                                f"[papers/{path.stem}/]' if that address was published",
                                warning=True))
    return found, warnings


def _retitled(path: Path, records: dict[str, Paper], free: list[str]) -> str | None:
    """The free paper a file with no paper of its name most likely belongs to, or None:
    the one its DOI or arXiv identifier names (identity.py), else the one close name."""
    front = split(path, str(path), [])
    if front is not None:
        slug = owner(file_identifiers(front[0].get("doi"), front[0].get("arxiv")),
                     (records[slug] for slug in free))
        if slug is not None:
            return slug
    close = difflib.get_close_matches(path.stem, free, n=2, cutoff=0.8)
    if len(close) == 1 or (len(close) == 2 and difflib.SequenceMatcher(
            None, path.stem, close[0]).ratio() > difflib.SequenceMatcher(
            None, path.stem, close[1]).ratio()):
        return close[0]
    return None


def read_paper(path: Path, name: str, slug: str, slugs: list[str], problems: list[Problem],
               root: Path, given: tuple[tuple[str, Any], ...] = (),
               authors: tuple[str, ...] = (), warnings: list[Problem] | None = None,
               markdown: SiteMarkdown = AT_ROOT
               ) -> tuple[PaperFields, list[PaperFile]] | None:
    """The file's fields for the paper `slug` (its own name, or a retitled paper's) and
    the files they name, which must lie inside the site folder `root`; None when it has no
    front matter to read. `given` are the fields its bibliography gave
    (Paper.paper_fields): what the file says wins. A name in `equal:` or `corresponding:`
    that is none of the paper's `authors` (or of the file's own `authors:`) is a warning
    in `warnings`. Its notes are Markdown without raw HTML (`markdown.text`)."""
    found = split(path, name, problems)
    if found is None:
        return None
    data, positions, body = found
    problem = reporter(name, positions, problems)
    values: dict[str, Any] = {}
    files: list[PaperFile] = []
    for key, value in data.items():
        item = PAPER_FIELDS.get(key)
        if item is None:
            problem(key, unknown(key, PAPER_FIELDS), at_value=False)
            continue
        try:
            checked = item.check(value)
        except Invalid as exc:
            problem(key, f"'{key}' {exc}, found {_shown(value)}")
            continue
        if key == "aliases" and (taken := [a for a in checked if _is_paper(a, slugs)]):
            problem(key, f"'aliases' names the address of a paper there is: {taken[0]}")
            continue
        if item.link and _relative(checked):
            try:
                copied = local_file(path, f"papers/{slug}", checked, root)
                if key == "thumbnail":
                    picture(copied[1], checked)
            except Invalid as exc:
                problem(key, f"'{key}' {exc}")
                continue
            checked = copied[0]
            files.append(copied)
        values[key] = checked
    if warnings is not None:
        warnings += _unmarked(name, positions, values, values.get("authors") or authors)
    # The old addresses: the bibliography's, the file's, and a retitled paper's file's name.
    aliases = (*dict(given).get("aliases", ()), *values.get("aliases", ()),
               *((f"papers/{path.stem}/",) if slug != path.stem else ()))
    if aliases:
        values["aliases"] = tuple(dict.fromkeys(aliases))
    # Notes are text: HTML in them is shown as text (markdown.py).
    notes = markdown.text(body) if body.strip() else None
    return paper_fields({**dict(given), **values}, notes), files


def unmatched(names: tuple[str, ...], authors: Iterable[str]) -> list[tuple[int, str, str]]:
    """Each of `names` (a per-paper `equal:` or `corresponding:`, site.yaml's `students:`)
    that is none of `authors`, compared as author lists compare names (`name_key`): its
    mark (model/marks.py) would be shown for no one. As (index, name, "; did you mean
    'X'?" or "")."""
    authors = list(dict.fromkeys(authors))
    keys = {name_key(author) for author in authors}
    return [(index, name, did_you_mean(name, authors)) for index, name in enumerate(names)
            if name_key(name) not in keys]


def name_warnings(shown: str, positions: Positions, key: str, names: tuple[str, ...],
                  authors: list[str] | tuple[str, ...], whom: str,
                  expected: str) -> list[Problem]:
    """A warning at each of `names` (the list `key` of a file: a paper's `equal:`, site.yaml's
    `students:`) that is none of `authors`, at its own item's place: its mark would be shown
    for no one (`whom`: "of this paper, so no one is marked"...)."""
    found = []
    for index, who, hint in unmatched(names, authors):
        line, col, source = (positions.get(f"{key}.{index}=") or positions.get(f"{key}=")
                             or (1, 1, None))
        found.append(Problem(shown, line, col, f"'{key}' names '{who}', who is no author "
                             f"{whom}{hint} ({expected})", source, warning=True))
    return found


def _unmarked(name: str, positions: Positions, values: dict[str, Any],
              authors: tuple[str, ...]) -> list[Problem]:
    """A warning at each name of `equal:` and `corresponding:` that is no author of the
    paper: its mark would be shown for no one."""
    listed = ", ".join(authors[:8]) + (", ..." if len(authors) > 8 else "")
    expected = f"expected a name of its author list: {listed or 'it has none'}"
    return [problem for key in ("equal", "corresponding")
            for problem in name_warnings(name, positions, key, values.get(key, ()), authors,
                                         "of this paper, so no one is marked", expected)]


def given_fields(records: dict[str, Paper]) -> dict[str, dict[str, Any]]:
    """The per-paper fields each paper's bibliography gives (al-folio's pdf, code,
    selected..., a synced work's old addresses), by slug. An old address that is a
    paper's own now (a work given back its old title) or that two papers give is left
    out: the page there stays, and no address is two pages."""
    given = {slug: dict(paper.paper_fields) for slug, paper in records.items()}
    claimed = Counter(a for values in given.values() for a in values.get("aliases", ()))
    for values in given.values():
        if "aliases" in values:
            kept = tuple(a for a in values.pop("aliases")
                         if claimed[a] == 1 and not _is_paper(a, records))
            if kept:
                values["aliases"] = kept
    return given


def bibliography_fields(given: dict[str, Any]) -> PaperFields | None:
    """A paper's `given_fields` as its PaperFields, for a paper with no file of its own;
    None when it has none."""
    return paper_fields(dict(given)) if given else None


def _is_paper(alias: str, slugs: Collection[str]) -> bool:
    """Whether an old address `papers/<slug>/` is a paper's address."""
    return alias.startswith("papers/") and alias.removeprefix("papers/").rstrip("/") in slugs


def _relative(link: str) -> bool:
    """A path relative to the per-paper file: no scheme, not from the site's root."""
    return "://" not in link and not link.startswith("/")


def picture(source: Path, link: str) -> None:
    """Raises Invalid unless the copied file `source` is a picture a browser only shows,
    as the photo must be (config/checks.py): an SVG can carry script, and the copy is
    published as a file of its own at the site's address, where opening it runs that."""
    if source.suffix.lower() not in PHOTO_SUFFIXES:
        raise Invalid(f"must be a PNG, JPEG or WebP picture (also GIF, AVIF), found {link}"
                      + (": an SVG can carry script, and the picture is published as a file "
                         "of its own that runs it when opened; save it as PNG"
                         if source.suffix.lower() in (".svg", ".svgz") else ""))


def local_file(extras: Path, under: str, link: str, root: Path) -> PaperFile:
    """The file a relative link of the content file `extras` names, and the site path it
    is copied to: `<under>/<its path below the file's folder>` (`papers/<slug>/...`,
    `talks/...`). A file outside the site folder `root` (by `..`, `%2e%2e` or a symlink)
    is refused."""
    folder = extras.parent
    try:
        source = inside(folder / unquote(link.split("#")[0]), root)
    except Outside as exc:
        raise Invalid(f"{exc}: {link} (a file must lie inside the site folder; a path "
                      "in the site starts with /)") from None
    if not source.is_file():
        raise Invalid(f"names no file: {link} (looked for {source}; a path is relative to "
                      "this file, and a path in the site starts with /)")
    try:
        below = source.relative_to(folder.resolve()).as_posix()
    except ValueError:  # ../files/x.pdf: outside this folder, copied by its name
        below = source.name
    return f"{under}/{below}", source
