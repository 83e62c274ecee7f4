"""The release workflow's build job, run as written on a copy of this repository's
tracked files, as a tag push would run it: the sdist and the wheel are built and pass
`twine check --strict`, the wheel builds the demo site in a fresh environment, and a tag
that does not name the package's version stops the release before anything is checked
or published."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from generator import __version__

from .actions import Actions, StepFailed
from .conftest import REPO


def checkout(folder: Path) -> Path:
    """The repository's tracked files, as actions/checkout gives them."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                            check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        if (REPO / name).is_file():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / name, folder / name)
    return folder


def release_build(tmp_path: Path, tag: str) -> Actions:
    workspace = checkout(tmp_path / "workspace")
    runner = tmp_path / "runner"
    runner.mkdir()
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("PYTHON", "VIRTUAL_ENV"))}
    env.update(CI="true", GITHUB_ACTIONS="true", GITHUB_REF=f"refs/tags/{tag}",
               GITHUB_REF_NAME=tag, GITHUB_REF_TYPE="tag", GITHUB_WORKSPACE=str(workspace),
               RUNNER_TEMP=str(runner), PIP_DISABLE_PIP_VERSION_CHECK="1")
    actions = Actions(workspace, runner, env, {"github.ref_name": tag})
    workflow = yaml.safe_load((workspace / ".github/workflows/release.yml").read_text())
    actions.run_job(workflow["jobs"]["build"])
    return actions


def test_a_tag_of_the_version_builds_checked_distributions_that_build_the_demo(tmp_path):
    actions = release_build(tmp_path, f"v{__version__}")
    assert actions.artifact == actions.workspace / "dist"
    assert sorted(path.name for path in actions.artifact.iterdir()) == [
        f"scholarfolio-{__version__}-py3-none-any.whl", f"scholarfolio-{__version__}.tar.gz"]
    demo = actions.runner / "demo" / "_site"  # built from a copy, with the wheel's themes
    assert (demo / "index.html").is_file() and (demo / "papers.bib").is_file()
    fresh = actions.runner / "fresh" / "bin" / "scholarfolio"
    assert subprocess.run([str(fresh), "--version"], capture_output=True, text=True,
                          check=True).stdout.strip() == f"scholarfolio {__version__}"


def test_a_tag_that_is_not_the_version_stops_the_release(tmp_path):
    with pytest.raises(StepFailed) as failed:
        release_build(tmp_path, "v9.9.9")
    assert failed.value.name == "Check that the tag names the package's version"
    assert "::error::the tag v9.9.9 does not name the version that was built" in (
        failed.value.output)
    assert "__version__ in generator/__init__.py" in failed.value.output
