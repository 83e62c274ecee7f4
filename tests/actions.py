"""Stands in for GitHub Actions running one job of a workflow, for the tests that run the
workflows as written: the `run:` steps by bash, the few `uses:` steps done as the action
would do them here."""

from __future__ import annotations

import os
import re
import subprocess
import venv
from pathlib import Path


def fresh_python(folder: Path) -> Path:
    """A new virtual environment of this machine's Python, with pip; its bin folder."""
    venv.EnvBuilder(with_pip=True).create(folder)
    return folder / "bin"


class StepFailed(AssertionError):
    """A `run:` step exited with an error, as it would fail the job on GitHub."""

    def __init__(self, name: str, output: str):
        super().__init__(f"step {name!r} failed:\n{output}")
        self.name, self.output = name, output


class Actions:
    """Stands in for GitHub Actions running one job: a `uses:` step this knows is done as
    the action would do it, every `run:` step is run by bash as written, with `${{ }}`
    expressions replaced from the contexts GitHub would give."""

    def __init__(self, workspace: Path, runner: Path, env: dict[str, str],
                 contexts: dict[str, str], pages_outputs: dict[str, str] | None = None):
        self.workspace, self.runner, self.env = workspace, runner, env
        self.contexts, self.pages_outputs = dict(contexts), pages_outputs or {}
        self.artifact: Path | None = None  # what upload-pages-artifact or upload-artifact took
        self.python: Path | None = None
        self.ran: list[str] = []

    def expression(self, text: str) -> str:
        def value(match: re.Match) -> str:
            name = match.group(1).strip()
            assert name in self.contexts, f"the workflow uses ${{{{ {name} }}}}, unknown here"
            return self.contexts[name]
        return re.sub(r"\$\{\{(.*?)\}\}", value, text)

    def condition(self, text: str) -> bool:
        left, equal, right = text.partition("==")
        assert equal, f"cannot evaluate the condition {text!r}"
        return self.expression("${{" + left + "}}") == self.expression("${{" + right + "}}")

    #: The keys of a step this stands in for; any other (`if:`, `env:`, `shell:`...) would
    #: change what the step does, so a test that meets one fails rather than ignore it.
    STEP_KEYS = frozenset({"name", "id", "uses", "with", "run"})

    def run_job(self, job: dict) -> None:
        if "if" in job:
            assert self.condition(job["if"]), f"the job would not run: if {job['if']}"
        for step in job["steps"]:
            assert set(step) <= self.STEP_KEYS, f"step keys this cannot stand in for: {step}"
            if "uses" in step:
                self.use(step)
            else:
                self.run(step)

    def use(self, step: dict) -> None:
        action = step["uses"].split("@")[0]
        self.ran.append(action)
        if action == "actions/checkout":
            return  # the workspace is the repository's files already
        if action == "actions/setup-python":
            assert re.fullmatch(r"3\.\d+", str(step["with"]["python-version"]))
            bin_dir = fresh_python(self.runner / "python")  # this machine's Python
            self.python = bin_dir / "python"
            self.env["PATH"] = f"{bin_dir}{os.pathsep}{self.env['PATH']}"
        elif action == "actions/configure-pages":
            for name, value in self.pages_outputs.items():
                self.contexts[f"steps.{step['id']}.outputs.{name}"] = value
        elif action in ("actions/upload-pages-artifact", "actions/upload-artifact"):
            self.artifact = self.workspace / step["with"]["path"]
            assert self.artifact.is_dir(), f"nothing to upload at {self.artifact}"
        else:
            raise AssertionError(f"the build job uses {step['uses']}, which this test does "
                                 "not stand in for")

    def run(self, step: dict) -> None:
        script = self.runner / f"step-{len(self.ran)}.sh"
        script.write_text(self.expression(step["run"]) + "\n", encoding="utf-8")
        self.ran.append(step["run"])
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail",
                               str(script)], cwd=self.workspace, env=self.env,
                              capture_output=True, text=True, timeout=600)
        if done.returncode != 0:
            raise StepFailed(step.get("name", step["run"]), done.stdout + done.stderr)
