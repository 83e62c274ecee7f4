"""A new user's first push, end to end: the wheel of this checkout is served by a real
package index (pypiserver on 127.0.0.1) and nothing else; a user installs scholarfolio
from it and runs `init`; then the scaffolded workflow's build job runs as GitHub Actions
would run it, its `run:` steps read from the YAML and run as written by bash, in a fresh
virtual environment whose pip sees only that index, with the environment and the
`configure-pages` outputs GitHub gives a project repository, a user repository and a
custom domain. The built site must be for the right address, every internal link
resolving under its base path, and built by the scholarfolio from the index."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from sitekit import REPO, BuiltSite, check_links

from generator import __version__
from tests.actions import Actions, fresh_python
from tests.test_release import checkout

WORKFLOW = Path(".github/workflows/pages.yml")


@dataclass(frozen=True)
class Index:
    url: str  # the simple index, http://127.0.0.1:PORT/simple/
    log: Path  # the server's request log
    wheel: Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def pip_env(index: Index, home: Path) -> dict[str, str]:
    """A pip that looks only at `index`: no config file, no cache, no other index."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PIP_", "PYTHON", "VIRTUAL_ENV"))}
    home.mkdir(parents=True, exist_ok=True)
    env.update(HOME=str(home), PIP_CONFIG_FILE=os.devnull, PIP_INDEX_URL=index.url,
               PIP_NO_CACHE_DIR="1", PIP_DISABLE_PIP_VERSION_CHECK="1")
    return env


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """The wheel and what it needs, served by pypiserver with no fallback to PyPI."""
    root = tmp_path_factory.mktemp("index")
    packages = root / "packages"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(root / "dist"),
                    str(REPO)], check=True, capture_output=True, timeout=600)
    (wheel,) = (root / "dist").glob("scholarfolio-*.whl")
    # Its dependencies, fetched once from the registry this machine reaches.
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--dest", str(packages),
                    str(wheel)], check=True, capture_output=True, timeout=600)
    assert (packages / wheel.name).is_file()
    # And the build backend, for the installs from a clone or a folder, which pip builds.
    subprocess.run([sys.executable, "-m", "pip", "download", "-q", "--dest", str(packages),
                    "hatchling>=1.21"], check=True, capture_output=True, timeout=600)
    port, log = free_port(), root / "requests.log"
    server = subprocess.Popen(
        [sys.executable, "-m", "pypiserver", "run", "-v", "-p", str(port), "-i", "127.0.0.1",
         "-a", ".", "-P", ".", "--disable-fallback", str(packages)],
        stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/simple/"
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(url + "scholarfolio/", timeout=2) as answer:
                assert wheel.name in answer.read().decode()
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                raise
            time.sleep(0.2)
    try:
        yield Index(url, log, wheel)
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture(scope="module")
def scaffolded(index, tmp_path_factory) -> Path:
    """`pip install scholarfolio` from the index, then `scholarfolio init`, as a user."""
    root = tmp_path_factory.mktemp("user")
    bin_dir = fresh_python(root / "env")
    env = pip_env(index, root / "home")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "scholarfolio"],
                   env=env, check=True, capture_output=True, timeout=600)
    done = subprocess.run([str(bin_dir / "scholarfolio"), "init", "mysite", "--profile",
                           str(REPO / "content" / "profile.txt")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert f"The site's workflow installs scholarfolio=={__version__}" in done.stdout
    return root / "mysite"


REPOSITORIES = {
    # configure-pages' outputs for each: the project site, the user site, a custom domain.
    "project": ("ana/mysite", None, {"base_url": "https://ana.github.io/mysite",
                                     "origin": "https://ana.github.io",
                                     "host": "ana.github.io", "base_path": "/mysite"}),
    "user": ("ana/ana.github.io", None, {"base_url": "https://ana.github.io",
                                         "origin": "https://ana.github.io",
                                         "host": "ana.github.io", "base_path": ""}),
    "domain": ("ana/mysite", "www.ana.org", {"base_url": "https://www.ana.org",
                                             "origin": "https://www.ana.org",
                                             "host": "www.ana.org", "base_path": ""}),
}


@pytest.mark.parametrize("kind", list(REPOSITORIES))
def test_the_scaffolded_workflow_publishes_the_site_from_the_index(
        kind, index, scaffolded, tmp_path):
    repository, domain, outputs = REPOSITORIES[kind]
    workspace = tmp_path / "workspace"
    shutil.copytree(scaffolded, workspace)
    if domain:
        with (workspace / "site.yaml").open("a", encoding="utf-8") as file:
            file.write(f"domain: {domain}\n")
    runner = tmp_path / "runner"
    runner.mkdir()
    env = pip_env(index, tmp_path / "home")
    env.update(CI="true", GITHUB_ACTIONS="true", GITHUB_REPOSITORY=repository,
               GITHUB_REPOSITORY_OWNER="ana", GITHUB_REF="refs/heads/main",
               GITHUB_REF_NAME="main", GITHUB_WORKSPACE=str(workspace),
               RUNNER_TEMP=str(runner), GITHUB_OUTPUT=str(runner / "output"),
               GITHUB_ENV=str(runner / "env"), GITHUB_PATH=str(runner / "path"))
    contexts = {"github.ref_name": "main", "github.event.repository.default_branch": "main",
                "github.repository": repository}
    actions = Actions(workspace, runner, env, contexts, outputs)
    workflow = yaml.safe_load((workspace / WORKFLOW).read_text(encoding="utf-8"))
    actions.run_job(workflow["jobs"]["build"])
    assert actions.ran[:2] == ["actions/checkout", "actions/setup-python"]
    assert "actions/upload-pages-artifact" in actions.ran and actions.artifact is not None

    # The scholarfolio that built it is the one init pinned, from the index.
    python = str(actions.python)
    probe = ("import importlib.metadata as m, generator; d = m.distribution('scholarfolio'); "
             "print(d.version, d.read_text('direct_url.json'), generator.__file__)")
    version, direct_url, where = subprocess.run(
        [python, "-c", probe], capture_output=True, text=True, check=True,
        cwd=tmp_path).stdout.split()
    assert (version, direct_url) == (__version__, "None")  # by name, from an index
    assert where.startswith(str(runner / "python"))
    assert f"GET /packages/{index.wheel.name}" in index.log.read_text(encoding="utf-8")

    # The site is built for its address, and every internal link resolves under it.
    base_url = outputs["base_url"] + "/"
    site = BuiltSite(kind, actions.artifact, base_url, outputs["base_path"] + "/")
    problems, internal = check_links(site)
    assert internal and not problems, "\n".join(problems)
    home = (actions.artifact / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{base_url}">' in home
    assert f'href="{site.base_path}assets/style.css"' in home
    assert f"<loc>{base_url}papers/" in (actions.artifact / "sitemap.xml").read_text()
    cname = actions.artifact / "CNAME"
    assert (cname.read_text() if cname.exists() else None) == (f"{domain}\n" if domain
                                                               else None)


REMOTE = "https://github.com/example/scholarfolio.git"


def git(folder: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "Ana", "GIT_AUTHOR_EMAIL": "ana@example.org",
           "GIT_COMMITTER_NAME": "Ana", "GIT_COMMITTER_EMAIL": "ana@example.org"}
    return subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True,
                          check=True, timeout=120, env=env).stdout.strip()


@pytest.mark.parametrize("install", ["clone", "copy"])
def test_init_after_pip_install_dot_publishes_the_same_scholarfolio(install, index, tmp_path):
    # The README's way: get the source (a clone of an https remote, or a copied folder with
    # no .git), `pip install .` in a fresh environment, `scholarfolio init`; then the
    # scaffolded workflow's build job runs as written against the local index. For the
    # clone, git on the "runner" fetches the https remote from a local copy of it
    # (url.insteadOf), as GitHub would fetch it from github.com.
    source = checkout(tmp_path / "source")
    env = pip_env(index, tmp_path / "home")
    origin = tmp_path / "origin.git"
    if install == "clone":
        git(tmp_path, "init", "-q", "-b", "main", str(source))
        git(source, "add", ".")
        git(source, "commit", "-q", "-m", "scholarfolio")
        git(tmp_path, "clone", "-q", "--bare", str(source), str(origin))
        shutil.rmtree(source)
        git(tmp_path, "clone", "-q", str(origin), str(source))
        git(source, "remote", "set-url", "origin", REMOTE)
    user = fresh_python(tmp_path / "user")
    subprocess.run([str(user / "python"), "-m", "pip", "install", "-q", "."], cwd=source,
                   env=env, check=True, capture_output=True, timeout=600)
    done = subprocess.run([str(user / "scholarfolio"), "init", "mysite"], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    line = (tmp_path / "mysite" / "requirements.txt").read_text().splitlines()[-1]
    if install == "clone":
        commit = git(source, "rev-parse", "HEAD")
        assert line == f"scholarfolio @ git+{REMOTE}@{commit}"
        assert "note:" not in done.stderr  # pushed, and nothing changed
        env.update(GIT_CONFIG_COUNT="1", GIT_CONFIG_KEY_0=f"url.{origin.as_uri()}.insteadOf",
                   GIT_CONFIG_VALUE_0=REMOTE)
    else:
        assert re.fullmatch(r"scholarfolio @ file://\$\{GITHUB_WORKSPACE\}/wheels/scholarfolio-"
                            + re.escape(__version__) + r"-py3-none-any\.whl#sha256=[0-9a-f]{64}",
                            line), line

    workspace = tmp_path / "mysite"
    runner = tmp_path / "runner"
    runner.mkdir()
    env.update(CI="true", GITHUB_ACTIONS="true", GITHUB_REPOSITORY="ana/mysite",
               GITHUB_REF_NAME="main", GITHUB_WORKSPACE=str(workspace),
               RUNNER_TEMP=str(runner))
    repository, _, outputs = REPOSITORIES["project"]
    actions = Actions(workspace, runner, env, {
        "github.ref_name": "main", "github.event.repository.default_branch": "main",
        "github.repository": repository}, outputs)
    actions.run_job(yaml.safe_load((workspace / WORKFLOW).read_text(encoding="utf-8"))
                    ["jobs"]["build"])
    probe = ("import importlib.metadata as m, generator, json; "
             "print(json.dumps([m.version('scholarfolio'), "
             "json.loads(m.distribution('scholarfolio').read_text('direct_url.json'))]))")
    version, direct = json.loads(subprocess.run(
        [str(actions.python), "-c", probe], capture_output=True, text=True, check=True,
        cwd=tmp_path).stdout)
    assert version == __version__
    if install == "clone":  # the commit init named, from the remote it named
        assert direct["url"] == REMOTE and direct["vcs_info"]["commit_id"] == commit
    else:  # the wheel in the site, checked against the hash init wrote
        assert direct["url"] == (workspace / "wheels" / f"scholarfolio-{__version__}-py3-none-"
                                 "any.whl").as_uri()
        assert direct["archive_info"]["hashes"]["sha256"] == line.split("#sha256=")[1]
    home = (actions.artifact / "index.html").read_text(encoding="utf-8")
    assert f'<link rel="canonical" href="{outputs["base_url"]}/">' in home
    assert 'property="og:image"' in home  # the drawn card: the site has no photo
