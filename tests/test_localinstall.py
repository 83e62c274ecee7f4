"""`init` from a scholarfolio installed from this computer writes a requirements.txt that
publishes: a git clone with an https remote gives its commit on that remote (the wheel,
saying why, when the commit is not pushed or the tree has changes); anything else puts
the wheel into the site, named with its sha256, which pip checks as it installs it. Real
git clones and a real wheel of this checkout; pip reads the requirements.txt as the
workflow does."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator import __version__, installation, localinstall
from generator.errors import SiteError
from generator.scaffold import REQUIREMENTS, scaffold

from .conftest import REPO

REMOTE = "https://github.com/example/scholarfolio.git"
SPEC = f"scholarfolio=={__version__}"


def git(folder: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True, timeout=60).stdout.strip()


@pytest.fixture
def clone(tmp_path, monkeypatch) -> Path:
    """A clone whose origin is an https address, its commit on origin/main, as after
    `git clone https://...`: made from a local bare repository, then the URL set."""
    for name in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{name}_NAME", "Ana")
        monkeypatch.setenv(f"GIT_{name}_EMAIL", "ana@example.org")
    source = tmp_path / "source"
    (source / "tools").mkdir(parents=True)
    (source / "pyproject.toml").write_text("[project]\nname = 'scholarfolio'\n")
    (source / "tools" / "pyproject.toml").write_text("[project]\nname = 'scholarfolio'\n")
    git(source.parent, "init", "-q", "-b", "main", str(source))
    git(source, "add", ".")
    git(source, "commit", "-q", "-m", "first")
    git(tmp_path, "clone", "-q", "--bare", str(source), str(tmp_path / "origin.git"))
    git(tmp_path, "clone", "-q", str(tmp_path / "origin.git"), str(tmp_path / "clone"))
    git(tmp_path / "clone", "remote", "set-url", "origin", REMOTE)
    return tmp_path / "clone"


def test_a_clone_with_an_https_remote_is_installed_from_it_at_its_commit(clone):
    found = localinstall.pin(clone)
    commit = git(clone, "rev-parse", "HEAD")
    assert found == localinstall.Pinned(f"scholarfolio @ git+{REMOTE}@{commit}", {}, ())
    assert installation.pinned(found.line)
    # The package in a folder of the clone: pip is told that folder.
    inside = localinstall.pin(clone / "tools")
    assert inside.line == f"scholarfolio @ git+{REMOTE}@{commit}#subdirectory=tools"


def test_a_commit_not_pushed_or_uncommitted_changes_give_the_wheel_saying_why(
        clone, monkeypatch):
    # The remote's line would fail the first workflow run (the commit is not there) or
    # install other code than runs here (changes not committed): the wheel goes instead.
    wheel = (f"scholarfolio-{__version__}-py3-none-any.whl", b"a wheel")
    monkeypatch.setattr(localinstall, "built_wheel", lambda source: wheel)
    (clone / "pyproject.toml").write_text("[project]\nname = 'scholarfolio'\n# mine\n")
    git(clone, "commit", "-q", "-am", "mine")
    (clone / "pyproject.toml").write_text("[project]\nname = 'scholarfolio'\n# more\n")
    commit = git(clone, "rev-parse", "HEAD")
    found = localinstall.pin(clone)
    digest = hashlib.sha256(b"a wheel").hexdigest()
    assert found.line == (f"scholarfolio @ file://${{GITHUB_WORKSPACE}}/wheels/{wheel[0]}"
                          f"#sha256={digest}")
    assert found.files == {f"wheels/{wheel[0]}": b"a wheel"}
    assert found.notes[0] == (
        f"commit {commit[:12]} of {clone} is not on origin ({REMOTE}) as far as the clone "
        f"knows; {clone} has uncommitted changes, which commit {commit[:12]} lacks: so the "
        f"site gets a wheel of it instead of 'scholarfolio @ git+{REMOTE}@{commit}' (push "
        "and commit, then run init again to install from the remote)")
    # No wheel can be made here: the remote's line, saying what to do.
    def no_wheel(source):
        raise SiteError("init: pip could not make a wheel")
    monkeypatch.setattr(localinstall, "built_wheel", no_wheel)
    found = localinstall.pin(clone)
    assert found.line == f"scholarfolio @ git+{REMOTE}@{commit}" and found.files == {}
    assert found.notes[1] == (f"{clone} has uncommitted changes, which commit {commit[:12]} "
                              "lacks: push it and commit, or the site's workflow cannot "
                              "install it")
    # Pushed (the remote-tracking ref moved, as `git push` moves it) and clean: the remote.
    git(clone, "update-ref", "refs/remotes/origin/main", commit)
    git(clone, "checkout", "-q", "--", ".")
    found = localinstall.pin(clone)
    assert found == localinstall.Pinned(f"scholarfolio @ git+{REMOTE}@{commit}", {}, ())


def test_the_remotes_user_name_and_token_are_never_written(clone):
    git(clone, "remote", "set-url", "origin",
        "https://ana:ghp_s3cret@github.com/example/scholarfolio.git")
    assert localinstall.pin(clone).line.startswith(f"scholarfolio @ git+{REMOTE}@")


@pytest.mark.parametrize("remote", ["git@github.com:example/scholarfolio.git",
                                    "ssh://git@github.com/example/scholarfolio.git", None])
def test_a_clone_without_an_https_remote_gives_no_git_line(clone, remote):
    if remote is None:
        git(clone, "remote", "remove", "origin")
    else:
        git(clone, "remote", "set-url", "origin", remote)
    assert localinstall.git_pin(clone) is None
    assert localinstall.git_pin(clone.parent) is None  # not in a clone at all


def pip_reads(site: Path) -> subprocess.CompletedProcess:
    """The workflow's install step as written, offline, resolving the wheel only."""
    return subprocess.run([sys.executable, "-m", "pip", "install", "--dry-run", "--no-deps",
                           "--no-index", "--disable-pip-version-check", "-r", REQUIREMENTS],
                          cwd=site, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "GITHUB_WORKSPACE": str(site)})


def test_a_wheel_file_goes_into_the_site_named_with_its_hash_which_pip_checks(
        tmp_path, monkeypatch):
    # Installed from a wheel file (direct_url.json's archive_info with a file: URL).
    name, data = localinstall.built_wheel(str(REPO))
    wheel = tmp_path / "Downloads" / name
    wheel.parent.mkdir()
    wheel.write_bytes(data)
    monkeypatch.setattr(installation, "source", lambda: installation.Source(
        None, f"scholarfolio {__version__} from the file {wheel}", wheel))
    done = scaffold(tmp_path / "site")
    digest = hashlib.sha256(data).hexdigest()
    assert done.requirement == (
        f"scholarfolio @ file://${{GITHUB_WORKSPACE}}/wheels/{name}#sha256={digest}")
    assert "--hash" not in (tmp_path / "site" / REQUIREMENTS).read_text()
    assert (tmp_path / "site" / "wheels" / name).read_bytes() == data
    assert f"wheels/{name}" in done.files and installation.pinned(done.requirement)
    assert done.notes == (f"wheels/{name} is this scholarfolio, made from {wheel}: commit it "
                          "with the site (requirements.txt names it with its sha256)",)
    read = pip_reads(tmp_path / "site")
    assert read.returncode == 0, read.stderr
    assert f"Would install scholarfolio-{__version__}" in read.stdout
    # Another file under that name is refused: pip checks the hash.
    (tmp_path / "site" / "wheels" / name).write_bytes(data + b"\0")
    refused = pip_reads(tmp_path / "site")
    assert refused.returncode == 1 and "DO NOT MATCH THE HASHES" in refused.stderr


def test_a_folder_without_git_is_built_into_a_wheel_of_this_version(tmp_path):
    # A copied folder (no .git above it: the temporary folder) of this checkout's files.
    copy = tmp_path / "scholarfolio"
    for name in git(REPO, "ls-files").splitlines():
        if (REPO / name).is_file() and not name.startswith(("tests/", "bench/", "docs/")):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            (copy / name).write_bytes((REPO / name).read_bytes())
    for changed in ("generator", "themes"):  # this checkout's state, committed or not
        for path in (REPO / changed).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                target = copy / path.relative_to(REPO)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(path.read_bytes())
    found = localinstall.pin(copy)
    ((path, data),) = found.files.items()
    assert path == f"wheels/scholarfolio-{__version__}-py3-none-any.whl"
    assert found.line == (f"scholarfolio @ file://${{GITHUB_WORKSPACE}}/{path}#sha256="
                          f"{hashlib.sha256(data).hexdigest()}")
    assert len(found.notes) == 1  # commit the wheel; the version is the running one


def test_an_install_from_a_file_that_is_gone_stops_init_and_says_so(tmp_path, monkeypatch):
    gone = tmp_path / f"scholarfolio-{__version__}-py3-none-any.whl"
    monkeypatch.setattr(installation, "source", lambda: installation.Source(
        None, f"scholarfolio {__version__} from the file {gone}", gone))
    with pytest.raises(SiteError, match=f"installed from {gone}, which is gone"):
        scaffold(tmp_path / "site")
    assert not (tmp_path / "site").exists()
    assert scaffold(tmp_path / "site", install=SPEC).requirement == SPEC  # --install wins
