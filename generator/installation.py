"""This scholarfolio as it is installed: its homepage, the line of `requirements.txt`
that installs this very copy on a site's CI, and the versions of the packages it runs on,
read from the package metadata and its PEP 610 `direct_url.json` (how pip was told to
install it).

The metadata is read straight from the `*.dist-info` (or `*.egg-info`) folders on
`sys.path`, the first of a name winning as for `importlib.metadata`, which a build would
otherwise import with the email parser for a homepage and a few version lines (~20 ms).
"""

from __future__ import annotations

import functools
import json
import os
import re
import shlex
import sys
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote

from . import __version__
from .errors import SiteError

NAME = "scholarfolio"


class Source(NamedTuple):
    """Where this scholarfolio came from: `line` installs it again (a requirement, as in
    requirements.txt), or is None when no CI could reach it; `origin` says it in words;
    `local`, the folder or file of this computer it came from (`commit`: the one pip
    recorded of a local git repository), for localinstall to make a line of."""

    line: str | None
    origin: str
    local: Path | None = None
    commit: str | None = None


def _distribution(folders: dict[str, list[Path]] | None = None) -> Path | None:
    """The metadata folder of the installed distribution that is this running code, or
    None (run from a folder that was never installed, or beside another installed copy).
    `folders`: _metadata_folders(), when the caller has them."""
    found = (_metadata_folders() if folders is None else folders).get(NAME)
    if not found:
        return None
    version = _headers(_read_metadata(found[0])).get("version")
    return found[0] if version == [__version__] else None


def _normalized(name: str) -> str:
    """A project name as PEP 503 compares it (`Foo.Bar`, `foo_bar` -> `foo-bar`)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def _metadata_folders() -> dict[str, list[Path]]:
    """Every `*.dist-info` and `*.egg-info` folder in the folders of `sys.path`, by the
    normalised name of its project, in path order: the first is the one imported."""
    found: dict[str, list[Path]] = {}
    for entry in sys.path:
        try:
            children = sorted(os.listdir(entry or "."))
        except OSError:  # not a folder (a zip file, or gone)
            continue
        for child in children:
            if child.lower().endswith((".dist-info", ".egg-info")):
                name = _normalized(child.rpartition(".")[0].partition("-")[0])
                found.setdefault(name, []).append(Path(entry or ".", child))
    return found


def _read_metadata(folder: Path) -> str:
    """The core metadata file of a metadata folder (METADATA, or PKG-INFO of an egg-info),
    or "" when it has none."""
    for name in ("METADATA", "PKG-INFO"):
        try:
            return (folder / name).read_text(encoding="utf-8")
        except OSError:
            continue
    return ""


def _headers(text: str) -> dict[str, list[str]]:
    """The header fields of core metadata (email-style `Name: value` lines up to the first
    empty line; an indented line continues the one above), by lower-case name."""
    fields: dict[str, list[str]] = {}
    last: list[str] = []
    for line in text.partition("\n\n")[0].splitlines():  # not the long description
        if not line.strip():
            break
        if line[0] in " \t" and last:
            last[-1] += " " + line.strip()
            continue
        name, colon, value = line.partition(":")
        if not colon:
            break
        last = fields.setdefault(name.strip().lower(), [])
        last.append(value.strip())
    return fields


def source(dist: Path | None = None) -> Source:
    """How the distribution of metadata folder `dist` (default: this scholarfolio's) was
    installed, as a requirement to install it with again: a release from an index pinned to
    its version, a VCS install pinned to its commit, a URL of an archive with its hash; None
    for a local folder or file."""
    if dist is None:
        dist = _distribution()
    if dist is None:
        folder = Path(__file__).resolve().parent.parent  # the source folder, if it is one
        return Source(None, f"scholarfolio {__version__} run from a folder that pip did not "
                      "install", folder if (folder / "pyproject.toml").is_file() else None)
    version = _headers(_read_metadata(dist)).get("version", ["?"])[0]
    try:
        text = (dist / "direct_url.json").read_text(encoding="utf-8")
    except OSError:  # installed by name, from a package index
        return Source(f"{NAME}=={version}", f"scholarfolio {version} from a package index")
    try:
        direct = json.loads(text)
        url = direct["url"]
    except (ValueError, KeyError, TypeError):
        return Source(None, f"scholarfolio {version}, installed from a place its "
                      "direct_url.json does not say")
    local = url.startswith("file:")
    if "vcs_info" in direct:
        vcs = direct["vcs_info"]
        line = f"{NAME} @ {vcs['vcs']}+{url}@{vcs['commit_id']}"
        if direct.get("subdirectory"):
            line += f"#subdirectory={direct['subdirectory']}"
        if not _public(line.split(" @ ", 1)[1]):
            where = f"{_path(url)} on this computer" if local else f"{url} (over SSH)"
            return Source(None, f"scholarfolio {version} from the {vcs['vcs']} repository "
                          f"{where}, at commit {vcs['commit_id'][:12]}",
                          Path(_path(url)) if local and vcs["vcs"] == "git" else None,
                          vcs["commit_id"])
        return Source(line, f"scholarfolio {version} from {url} at commit "
                      f"{vcs['commit_id'][:12]}")
    if "archive_info" in direct:
        if local:
            return Source(None, f"scholarfolio {version} from the file {_path(url)}",
                          Path(_path(url)))
        hashes = direct["archive_info"].get("hashes") or {}
        fragment = f"#sha256={hashes['sha256']}" if "sha256" in hashes else ""
        return Source(f"{NAME} @ {url}{fragment}", f"scholarfolio {version} from {url}")
    editable = " (editable)" if (direct.get("dir_info") or {}).get("editable") else ""
    return Source(None, f"scholarfolio {version} from the folder {_path(url)}{editable}",
                  Path(_path(url)) if local else None)


def _path(url: str) -> str:
    return unquote(url.removeprefix("file://")) or url


def _public(url: str) -> bool:
    """Whether a CI runner can fetch `url`: over http(s), with no key of this computer."""
    return re.match(r"((git|hg|svn|bzr)\+)?https?://", url) is not None


def requirement(spec: str) -> str:
    """`init --install SPEC` checked: a requirement naming scholarfolio, by version or by a
    URL that a CI runner can fetch. Raises SiteError saying what was expected."""
    from packaging.requirements import InvalidRequirement, Requirement
    from packaging.utils import canonicalize_name

    expected = ("expected a requirement such as 'scholarfolio==0.2.0' or "
                "'scholarfolio @ git+https://github.com/OWNER/scholarfolio@COMMIT'")
    try:
        parsed = Requirement(spec.strip())
    except InvalidRequirement as exc:
        reason = str(exc).splitlines()[0]
        raise SiteError(f"--install: {expected}, found '{spec}' ({reason})") from None
    if canonicalize_name(parsed.name) != NAME:
        raise SiteError(f"--install: names '{parsed.name}', not scholarfolio; {expected}")
    if parsed.marker is not None:  # pip would skip the line on a runner it does not match
        raise SiteError(f"--install: '{spec}' has an environment marker "
                        f"(; {parsed.marker}); {expected}")
    if parsed.url and not _public(parsed.url):
        raise SiteError(f"--install: {parsed.url} is not a URL that GitHub Actions can fetch "
                        f"(a runner has no SSH key and no files of this computer); {expected}")
    return spec.strip()  # as written: the user's line, which pip reads as checked here


def pinned(line: str) -> bool:
    """Whether a requirement names one build: `==` a version, or a URL at a commit (40 hex
    digits) or with a hash; `>=`, a branch or a bare URL may install another later."""
    from packaging.requirements import Requirement

    parsed = Requirement(line)
    if parsed.url:
        return bool(re.search(r"@[0-9a-f]{40}(#|$)|#sha256=", parsed.url))
    specs = list(parsed.specifier)
    return len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version


def unreachable(origin: str, folder: str = "DIR") -> str:
    """What `init` says when the running scholarfolio cannot be installed on CI."""
    command = f"scholarfolio init {shlex.quote(folder)} --install"
    return (f"init: this is {origin}, which GitHub Actions cannot install.\n"
            "Say where the site's workflow should install scholarfolio from; init writes "
            "it to requirements.txt:\n"
            f"  {command} 'scholarfolio=={__version__}'   # a release on PyPI\n"
            "or the https address of a git repository GitHub can read, at a commit pushed to "
            "it: 'scholarfolio @ git+https://...@COMMIT'")


@functools.lru_cache(maxsize=1)
def homepage() -> str | None:
    """The project's homepage from the package metadata (`[project.urls]`), or None when it
    names none: the footer and the feed link there, and nowhere else."""
    dist = _distribution()
    return None if dist is None else homepage_of(_read_metadata(dist))


def homepage_of(text: str) -> str | None:
    """The `Homepage` Project-URL of core metadata `text` (labels compared as PEP 753
    normalises them), else its `Home-page`; only an http(s) URL."""
    fields = _headers(text)
    for entry in fields.get("project-url", ()):
        label, _, url = entry.partition(",")
        if re.sub(r"[^a-z]", "", label.lower()) == "homepage" and _web(url.strip()):
            return url.strip()
    legacy = fields.get("home-page", [""])[0]
    return legacy if _web(legacy) else None


def _web(url: str) -> bool:
    return re.match(r"https?://[^/\s]+", url) is not None


def dependency_versions(dist: Path | None = None) -> str:
    """`name==version` of each package that the distribution of metadata folder `dist`
    (default: this scholarfolio's) declares it runs on (not an extra's: the test tools), one a
    line, without importing them; `name missing` for one not installed. Run from a folder
    that pip did not install, every installed package's. Another release of one may write
    other pages (buildcache)."""
    folders = _metadata_folders()
    if dist is None:
        dist = _distribution(folders)
    if dist is None:
        return "\n".join(sorted(_version_line(found) for each in folders.values()
                                for found in each))
    lines = []
    for line in _headers(_read_metadata(dist)).get("requires-dist", ()):
        if re.search(r"""extra\s*==""", line):
            continue
        name = re.match(r"[A-Za-z0-9._-]+", line).group()
        found = folders.get(_normalized(name))  # the first on the path, as an import finds
        lines.append(_version_line(found[0]) if found else f"{name} missing")
    return "\n".join(sorted(lines))


def _version_line(folder: Path) -> str:
    fields = _headers(_read_metadata(folder))
    return f"{fields.get('name', ['?'])[0]}=={fields.get('version', ['?'])[0]}"
