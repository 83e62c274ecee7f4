"""The package as a user installs it: build the wheel, install it into a fresh virtual
environment outside the repository, and build a site with it."""

from __future__ import annotations

import hashlib
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
    for catalogue in ("messages.pot", "de/LC_MESSAGES/messages.po",
                      "es/LC_MESSAGES/messages.po", "ar/LC_MESSAGES/messages.po"):
        assert f"generator/locale/{catalogue}" in names
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

    # init from a wheel installed from a file: that very wheel goes into the site, named
    # in requirements.txt with its sha256, and the site builds; with --install, that line.
    new = tmp_path / "new"
    done = subprocess.run([str(script), "init", str(new)], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    assert (new / "wheels" / wheel.name).read_bytes() == wheel.read_bytes()
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert (new / "requirements.txt").read_text().endswith(
        f"\nscholarfolio @ file://${{GITHUB_WORKSPACE}}/wheels/{wheel.name}#sha256={digest}\n")
    # A site without a photo, built for its address: the card is every page's og:image
    # with a default install (Pillow is a dependency).
    built = subprocess.run([str(script), "build", "--base-url", "https://ana.github.io/new/"],
                           cwd=new, capture_output=True, text=True, timeout=120)
    assert built.returncode == 0, built.stderr
    assert "Pillow" not in built.stderr
    assert ('<meta property="og:image" content="https://ana.github.io/new/assets/card.png">'
            in (new / "_site" / "index.html").read_text(encoding="utf-8"))
    assert (new / ".github" / "workflows" / "pages.yml").is_file()
    other = tmp_path / "other"
    subprocess.run([str(script), "init", str(other), "--install", "scholarfolio==0.1.0"],
                   capture_output=True, text=True, check=True, timeout=120)
    assert (other / "requirements.txt").read_text().endswith("\nscholarfolio==0.1.0\n")
    assert not (other / "wheels").exists()

    # the catalogues work from the installed copy (Babel installed as a dependency)
    with (site / "site.yaml").open("a", encoding="utf-8") as file:
        file.write("\nlanguage: ar\n")
    arabic = subprocess.run([str(script), "build"], cwd=site, capture_output=True, text=True,
                            timeout=120)
    assert arabic.returncode == 0 and "warning" not in arabic.stderr, arabic.stderr
    assert '<html lang="ar" dir="rtl">' in (site / "_site" / "index.html").read_text("utf-8")
