"""The GitHub Pages workflow, parsed: GitHub's official Pages flow (triggers, permissions,
concurrency, environment, configure-pages -> build with its base_url -> upload ->
deploy), the tool installed with pip and nothing else; the same workflow in `init`'s
sites and in this repository, which publishes the demo site. And what the upload needs
of the output: no symlinks, and no dotfile but the build's own marker."""

from __future__ import annotations

import os
import re

import pytest
import yaml

from generator import __version__
from generator.output import MARKER
from generator.scaffold import INSTALL, workflow_text

from .conftest import REPO

REPO_WORKFLOW = REPO / ".github" / "workflows" / "pages.yml"
REPO_INSTALL = "python -m pip install ."


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
    concurrency = data["concurrency"]
    assert (concurrency if isinstance(concurrency, str) else concurrency["group"]) == "pages"
    build, deploy = data["jobs"]["build"], data["jobs"]["deploy"]
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


def test_sites_install_this_version_and_the_repository_installs_itself():
    assert f'python -m pip install "scholarfolio=={__version__}"' == INSTALL
    assert f"run: {INSTALL}\n" in workflow_text()
    # The repository's copy is the same workflow, publishing the demo site from source.
    assert REPO_WORKFLOW.read_text(encoding="utf-8") == workflow_text(REPO_INSTALL)


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
