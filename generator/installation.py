"""This scholarfolio as it is installed: its homepage, the line of `requirements.txt`
that installs this very copy on a site's CI, and the versions of the packages it runs on,
read from the package metadata and its PEP 610 `direct_url.json` (how pip was told to
install it)."""

from __future__ import annotations

import functools
import json
import re
import shlex
from dataclasses import dataclass
from importlib import metadata
from urllib.parse import unquote

from . import __version__
from .errors import SiteError

NAME = "scholarfolio"
#: The extras whose packages change what a build writes (the drawn preview card).
OUTPUT_EXTRAS = ("cards",)


@dataclass(frozen=True)
class Source:
    """Where this scholarfolio came from: `line` installs it again (a requirement, as in
    requirements.txt), or is None when no CI could reach it; `origin` says it in words."""

    line: str | None
    origin: str


def _distribution() -> metadata.Distribution | None:
    """The installed distribution that is this running code, or None (run from a folder
    that was never installed, or beside another installed copy)."""
    try:
        dist = metadata.distribution(NAME)
    except metadata.PackageNotFoundError:
        return None
    return dist if dist.version == __version__ else None


def source(dist: metadata.Distribution | None = None) -> Source:
    """How `dist` (default: this scholarfolio) was installed, as a requirement to install it
    with again: a release from an index pinned to its version, a VCS install pinned to its
    commit, a URL of an archive with its hash; None for a local folder or file."""
    if dist is None:
        dist = _distribution()
    if dist is None:
        return Source(None, f"scholarfolio {__version__} run from a folder that pip did not "
                      "install")
    version = dist.version
    text = dist.read_text("direct_url.json")
    if text is None:  # installed by name, from a package index
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
                          f"{where}, at commit {vcs['commit_id'][:12]}")
        return Source(line, f"scholarfolio {version} from {url} at commit "
                      f"{vcs['commit_id'][:12]}")
    if "archive_info" in direct:
        if local:
            return Source(None, f"scholarfolio {version} from the file {_path(url)}")
        hashes = direct["archive_info"].get("hashes") or {}
        fragment = f"#sha256={hashes['sha256']}" if "sha256" in hashes else ""
        return Source(f"{NAME} @ {url}{fragment}", f"scholarfolio {version} from {url}")
    editable = " (editable)" if (direct.get("dir_info") or {}).get("editable") else ""
    return Source(None, f"scholarfolio {version} from the folder {_path(url)}{editable}")


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
            f"  {command} 'scholarfolio=={__version__}'   # once it is released on PyPI\n"
            f"  {command} 'scholarfolio @ git+https://github.com/OWNER/scholarfolio@COMMIT'"
            "   # a commit you have pushed")


@functools.lru_cache(maxsize=1)
def homepage() -> str | None:
    """The project's homepage from the package metadata (`[project.urls]`), or None when it
    names none: the footer and the feed link there, and nowhere else."""
    dist = _distribution()
    return None if dist is None else homepage_of(dist.metadata)


def homepage_of(meta) -> str | None:
    """The `Homepage` Project-URL of package metadata (labels compared as PEP 753
    normalises them), else its `Home-page`; only an http(s) URL."""
    for entry in meta.get_all("Project-URL") or ():
        label, _, url = entry.partition(",")
        if re.sub(r"[^a-z]", "", label.lower()) == "homepage" and _web(url.strip()):
            return url.strip()
    legacy = (meta.get("Home-page") or "").strip()
    return legacy if _web(legacy) else None


def _web(url: str) -> bool:
    return re.match(r"https?://[^/\s]+", url) is not None



def dependency_versions(dist: metadata.Distribution | None = None) -> str:
    """`name==version` of each package that `dist` (default: this scholarfolio) declares it
    runs on (and those of OUTPUT_EXTRAS), one a line, from their metadata without importing
    them; `name missing` for one not installed. Run from a folder that pip did not install,
    every installed package's. Another release of one may write other pages (buildcache)."""
    if dist is None:
        dist = _distribution()
    if dist is None:
        return "\n".join(sorted(_version_line(found) for found in metadata.distributions()))
    lines = []
    for line in dist.requires or ():
        extra = re.search(r"""extra\s*==\s*['"]([^'"]+)['"]""", line)
        if extra and extra.group(1) not in OUTPUT_EXTRAS:
            continue
        name = re.match(r"[A-Za-z0-9._-]+", line).group()
        # The first on the path, as an import finds it.
        found = next(iter(metadata.distributions(name=name)), None)
        lines.append(_version_line(found) if found else f"{name} missing")
    return "\n".join(sorted(lines))


def _version_line(dist: metadata.Distribution) -> str:
    """`Name==Version` from the metadata's header lines, without parsing the whole file as
    email headers as `dist.version` does (a few times slower)."""
    text = dist.read_text("METADATA") or dist.read_text("PKG-INFO") or ""
    fields = dict(re.findall(r"^(Name|Version):[ \t]*(\S+)", text, re.MULTILINE)[:2])
    return f"{fields.get('Name', '?')}=={fields.get('Version', '?')}"
