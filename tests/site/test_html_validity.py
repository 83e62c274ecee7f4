"""Every page of every site is valid HTML by the Nu HTML Checker (vnu.jar), 404 included."""

from __future__ import annotations

from sitekit import format_vnu, run_vnu


def test_every_page_is_valid_html(site, vnu):
    check_site(site)


def test_every_page_of_a_right_to_left_site_is_valid_html(rtl_site, vnu):
    check_site(rtl_site)
    home = (rtl_site.built.output / "index.html").read_text(encoding="utf-8")
    assert '<html lang="ar" dir="rtl">' in home


def check_site(site) -> None:
    files = site.built.html_files()
    assert site.built.output / "404.html" in files, f"{site.name}: the build has no 404.html"
    messages = run_vnu(files)
    problems = [format_vnu(m, site.built.shown) for m in messages]
    assert not problems, (
        f"{len(problems)} Nu HTML Checker error(s) in {len(files)} pages of {site.name}:\n"
        + "\n".join(problems)
    )


def test_nu_checker_reports_errors_of_an_invalid_page(tmp_path, vnu):
    """The checker run itself works: an invalid page is reported, by file and line."""
    page = tmp_path / "bad.html"
    page.write_text(
        '<!DOCTYPE html>\n<html lang="en">\n<head><title>x</title></head>\n'
        "<body><p><div>block in p</div></p><img src=x.png></body></html>\n",
        encoding="utf-8",
    )
    problems = [format_vnu(m, lambda p: p.name) for m in run_vnu([page])]
    assert any(p.startswith("bad.html:4:") for p in problems), problems
    assert any("alt" in p for p in problems), problems
