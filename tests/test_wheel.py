"""The package as a user installs it: build the wheel, install it into a fresh virtual
environment outside the repository, and build a site with it."""

from __future__ import annotations

import subprocess
import sys
import venv
import zipfile

from .conftest import REPO, make_site


def test_wheel_installs_into_a_fresh_environment_and_builds_a_site(tmp_path):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(REPO)],
                   check=True, capture_output=True, timeout=600)
    (wheel,) = dist.glob("scholarfolio-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for theme_file in ("theme.yaml", "templates/base.html", "templates/home.html",
                       "static/style.css"):
        assert f"generator/themes/scholar/{theme_file}" in names
    assert "generator/themes/minimal/theme.yaml" in names
    for skeleton_file in ("site.yaml", "pages.yml", "dependabot.yml", "gitignore",
                          "content/profile.txt",
                          "content/pages/about.md", "templates/README.md"):
        assert f"generator/skeleton/{skeleton_file}" in names

    env = tmp_path / "env"
    venv.EnvBuilder(with_pip=True).create(env)
    python, script = env / "bin" / "python", env / "bin" / "scholarfolio"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check",
                    str(wheel)], check=True, capture_output=True, timeout=600)

    site = make_site(tmp_path / "site", REPO / "content" / "profile.txt",
                     (REPO / "site.yaml").read_text(encoding="utf-8"))
    result = subprocess.run([str(script), "build"], cwd=site, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Built 44 pages")
    assert (site / "_site" / "assets" / "style.css").is_file()
    where = subprocess.run([str(python), "-c", "import generator; print(generator.__file__)"],
                           cwd=tmp_path, capture_output=True, text=True, check=True)
    assert where.stdout.startswith(str(env))  # the installed copy, not the repository's
    module = subprocess.run([str(python), "-m", "generator", "--version"], cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    assert module.stdout.startswith("scholarfolio ")

    # init from a wheel installed from a file: no CI can reach that file, so init says
    # so and writes nothing; told what to install, it makes a site that builds.
    new = tmp_path / "new"
    refused = subprocess.run([str(script), "init", str(new)], capture_output=True, text=True,
                             timeout=120)
    assert refused.returncode == 1 and "Traceback" not in refused.stderr
    assert f"from the file {wheel}, which GitHub Actions cannot install" in refused.stderr
    assert not new.exists()
    subprocess.run([str(script), "init", str(new), "--install", "scholarfolio==0.1.0"],
                   capture_output=True, text=True, check=True, timeout=120)
    built = subprocess.run([str(script), "build"], cwd=new, capture_output=True, text=True,
                           timeout=120)
    assert built.returncode == 0, built.stderr
    assert (new / ".github" / "workflows" / "pages.yml").is_file()
    assert (new / "requirements.txt").read_text().endswith("\nscholarfolio==0.1.0\n")
