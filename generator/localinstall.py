"""The requirements.txt line of a scholarfolio installed from this computer (a clone, a
copied folder, a wheel file), so that a site's first push publishes whatever the install.

From a git clone whose remote is https, the line installs the clone's commit from that
remote (`scholarfolio @ git+https://...@COMMIT`). When that commit is not on the remote as
far as the clone knows, or the tree has uncommitted changes, that line would fail the
first workflow run or install other code than runs here: the site gets the wheel instead,
with a note saying why. From anything else, the line names a wheel of this scholarfolio
that init puts into the site,
`scholarfolio @ file://${GITHUB_WORKSPACE}/wheels/NAME.whl#sha256=HASH`: the wheel
installed from, or one `pip wheel` makes of the folder. pip replaces `${GITHUB_WORKSPACE}`
(the site's folder on the runner) from the environment, as its requirements files allow,
and checks the hash of that one file; a `--hash` option would put every line into
hash-checking mode. git is asked nothing that needs the network.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import subprocess
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from . import __version__
from .errors import SiteError

NAME = "scholarfolio"
#: The site's folder of the wheel its workflow installs, and how requirements.txt names it.
WHEELS = "wheels"
IN_SITE = f"{NAME} @ file://${{GITHUB_WORKSPACE}}/"


class Pinned(NamedTuple):
    """A line of requirements.txt, the files it needs in the site, and what to tell."""

    line: str
    files: dict[str, bytes]
    notes: tuple[str, ...]


def pin(local: Path, commit: str | None = None) -> Pinned:
    """How a site's workflow installs the scholarfolio that came from `local` (a folder, or
    a wheel or sdist file); `commit`: the one pip recorded, for an install from a local git
    repository. Raises SiteError when `local` is gone or no wheel can be made of it."""
    found = git_pin(local, commit) if local.is_dir() else None
    if found is None or not found.notes:
        return found or wheel_pin(local)
    # Not pushed, or changed: the remote's line would fail, or install other code.
    try:
        wheel = wheel_pin(local)
    except SiteError:  # no wheel can be made here: the remote's line, with its notes
        return found._replace(notes=tuple(f"{note}: push it and commit, or the site's "
                                          "workflow cannot install it" for note in found.notes))
    why = "; ".join(found.notes)
    return wheel._replace(notes=(f"{why}: so the site gets a wheel of it instead of "
                                 f"'{found.line}' (push and commit, then run init again to "
                                 "install from the remote)", *wheel.notes))


def _git(folder: Path, *args: str) -> str | None:
    """git's output in `folder`, stripped, or None when git fails (or is not installed)."""
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True,
                              text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_pin(folder: Path, commit: str | None = None) -> Pinned | None:
    """The clone's https remote at its commit (`HEAD`, or `commit`), with a note for each
    reason that line cannot publish what runs here (the commit not pushed, changes not
    committed), or None when `folder` is in no git clone, has no commit, or its remote is
    not https (SSH: no runner has the key)."""
    top = _git(folder, "rev-parse", "--show-toplevel")
    commit = commit or _git(folder, "rev-parse", "--verify", "HEAD")
    if not top or not commit:
        return None
    upstream = _git(folder, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{upstream}")
    remote = upstream.split("/")[0] if upstream else "origin"
    url = _git(folder, "remote", "get-url", remote) or ""
    if not re.match(r"https?://[^/\s]+/\S+$", url):
        return None
    url = re.sub(r"^(https?://)[^/@]*@", r"\1", url)  # never a user name or token
    line = f"{NAME} @ git+{url}@{commit}"
    inside = folder.resolve().relative_to(Path(top).resolve()).as_posix()
    if inside != ".":
        line += f"#subdirectory={inside}"
    notes = []
    if not _git(folder, "branch", "--remotes", "--contains", commit, "--list", f"{remote}/*"):
        notes.append(f"commit {commit[:12]} of {folder} is not on {remote} ({url}) as far as "
                     "the clone knows")
    if _git(folder, "status", "--porcelain", "--untracked-files=no", "--", "."):
        notes.append(f"{folder} has uncommitted changes, which commit {commit[:12]} lacks")
    return Pinned(line, {}, tuple(notes))


def wheel_pin(local: Path) -> Pinned:
    """The wheel of `local` in the site's wheels/ folder, named with its sha256: `local`
    itself when it is a wheel, else the one pip makes of it (a folder or an sdist)."""
    if not local.exists():
        raise SiteError(f"init: this scholarfolio was installed from {local}, which is gone, "
                        "so no copy of it can go into the site; run init with --install")
    if local.is_file() and local.suffix == ".whl":
        name, data = local.name, local.read_bytes()
    else:
        name, data = built_wheel(str(local.resolve()))
    digest = hashlib.sha256(data).hexdigest()
    path = f"{WHEELS}/{name}"
    notes = [f"{path} is this scholarfolio, made from {local}: commit it with the site "
             "(requirements.txt names it with its sha256)"]
    version = name.split("-")[1] if name.count("-") >= 2 else "?"
    if version != __version__:
        notes.append(f"{path} is scholarfolio {version}, not the {__version__} running: "
                     f"{local} changed since it was installed")
    return Pinned(f"{IN_SITE}{path}#sha256={digest}", {path: data}, tuple(notes))


def site_wheel(line: str) -> str | None:
    """The path in the site of the wheel a requirements.txt line names, else None."""
    return line.removeprefix(IN_SITE).split("#")[0] if line.startswith(IN_SITE) else None


@lru_cache(maxsize=4)
def built_wheel(source: str) -> tuple[str, bytes]:
    """(file name, bytes) of the wheel `pip wheel --no-deps` makes of `source`, with the
    running Python; without build isolation when the build backend (hatchling) is here, so
    that no index is needed."""
    with tempfile.TemporaryDirectory(prefix="scholarfolio-wheel-") as out:
        command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet",
                   "--disable-pip-version-check", "--wheel-dir", out, source]
        if importlib.util.find_spec("hatchling") is not None:
            command.insert(4, "--no-build-isolation")
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=600)
            failure = done.stderr.strip().splitlines()[-1:] if done.returncode else []
        except (OSError, subprocess.SubprocessError) as exc:
            failure = [str(exc)]
        made = sorted(Path(out).glob(f"{NAME}-*.whl"))
        if failure or len(made) != 1:
            raise SiteError(f"init: pip could not make a wheel of {source} "
                            f"({' '.join(failure) or 'no wheel'}), which the site's workflow "
                            "would install; run init with --install")
        return made[0].name, made[0].read_bytes()
