"""The sync's one network client against a real server on 127.0.0.1 (tests/sync_server.py;
nothing patches requests): the contact e-mail kept out of every message in every form, a
stalled server said to be one, the OpenAlex key's variable named, a merged author asked
for again with the key and the mailto, a cache that a mirror's address does not miss, and
a User-Agent naming the project."""

from __future__ import annotations

import time
from urllib.parse import quote, quote_plus

import pytest

from .sync_server import fixture, nothing_found, point_at, serving
from .test_sync import AUTHOR, KEY, routes, run, site

EMAIL = "secret.person+lab@uni.example"  # as a repository secret gives it
#: Every form a URL or a library may print the e-mail in.
EMAIL_FORMS = {EMAIL, quote(EMAIL, safe=""), quote(EMAIL), quote_plus(EMAIL),
               quote(EMAIL, safe="").lower()}
CLOSED = "http://127.0.0.1:9"  # nothing listens there


@pytest.fixture
def server(monkeypatch):
    with serving() as server:
        point_at(server, monkeypatch)
        monkeypatch.setenv("OPENALEX_API_KEY", KEY)
        monkeypatch.setenv("SCHOLARFOLIO_CONTACT_EMAIL", EMAIL)
        nothing_found(server)
        yield server


def requests_for(server, path: str) -> list[dict[str, str]]:
    return [query for asked, query, _ in server.requests if asked == path]


@pytest.mark.parametrize("failure", ["closed port", "not found", "malformed"])
def test_the_contact_email_is_in_no_message_in_any_form(server, capsys, tmp_path,
                                                        monkeypatch, failure):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")  # the e-mail from the environment
    routes(server)
    if failure == "closed port":
        monkeypatch.setenv("SCHOLARFOLIO_OPENALEX_URL", CLOSED)
    elif failure == "not found":
        server.route(f"/authors/{AUTHOR}", (404, {}, b'{"error":"not found"}'))
    else:
        server.route(f"/authors/{AUTHOR}", fixture("openalex-author-A5023888391.json")[:5000])
    code, out, err = run(capsys, root)
    assert code == 1 and err.strip().splitlines()[-1].startswith("sync: OpenAlex: ")
    for form in EMAIL_FORMS:
        assert form not in out + err, form
    assert KEY not in out + err
    if failure != "closed port":  # the service was still given it, for its polite pool
        assert requests_for(server, f"/authors/{AUTHOR}")[0]["mailto"] == EMAIL


def test_a_stalled_server_is_said_not_to_answer_after_two_tries(server, capsys, tmp_path,
                                                               monkeypatch):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    server.stalls[f"/authors/{AUTHOR}"] = 3
    monkeypatch.setenv("SCHOLARFOLIO_SYNC_TIMEOUT", "0.5")
    start = time.monotonic()
    code, _, err = run(capsys, root)
    assert code == 1 and time.monotonic() - start < 2.5
    assert len(requests_for(server, f"/authors/{AUTHOR}")) == 2
    assert "within 0.5 s; asking once more" in err
    message = err.strip().splitlines()[-1]
    assert message == (f"sync: OpenAlex: {server.url}/authors/{AUTHOR} did not answer within "
                       "0.5 s (2 tries); try again later, or check SCHOLARFOLIO_OPENALEX_URL "
                       "if it is set")
    assert not (root / "content" / "synced.json").exists()


@pytest.mark.parametrize("key, variable, says", [
    (None, "OPENALEX_API_KEY", "OPENALEX_API_KEY is not set: get OpenAlex's free API key"),
    ("", "MY_OPENALEX_KEY", "MY_OPENALEX_KEY is empty: get OpenAlex's free API key"),
    ("wrong", "OPENALEX_API_KEY", "the key in OPENALEX_API_KEY was refused: check it"),
])
def test_a_refused_key_names_its_variable_and_whether_it_is_set(server, capsys, tmp_path,
                                                                monkeypatch, key, variable,
                                                                says):
    monkeypatch.delenv("OPENALEX_API_KEY")
    if key is not None:
        monkeypatch.setenv(variable, key)
    root = site(tmp_path, f"  openalex: {AUTHOR}\n" + (
        f"  api_key_env: {variable}\n" if variable != "OPENALEX_API_KEY" else ""))
    routes(server)
    server.route(f"/authors/{AUTHOR}", (401, {"Content-Type": "application/json"},
                                        b'{"error":"API key required"}'))
    code, _, err = run(capsys, root)
    lines = err.strip().splitlines()
    assert code == 1 and lines[-1].startswith("sync: OpenAlex: access refused (401)")
    assert says in lines[-1] and f"on GitHub: the repository secret {variable}" in lines[-1]
    # Without a key, the sync says so before it asks anything.
    assert lines[0].startswith("sync: OpenAlex: no API key; ") == (not key)


def test_a_merged_author_is_asked_for_again_with_the_key_and_the_mailto(server, capsys,
                                                                       tmp_path):
    root = site(tmp_path, "  openalex: A5000000001\n  email: someone@example.org\n")
    routes(server)
    server.route("/authors/A5000000001", (301, {"Location": f"/authors/{AUTHOR}"}, b""))
    code, _, err = run(capsys, root)
    assert code == 0, err
    assert f"author A5000000001 is now {AUTHOR} (merged)" in err
    moved = requests_for(server, f"/authors/{AUTHOR}")
    assert len(moved) == 1
    assert moved[0]["api_key"] == KEY and moved[0]["mailto"] == "someone@example.org"


def test_a_redirect_elsewhere_is_one_line_without_the_key(server, capsys, tmp_path):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    server.route(f"/authors/{AUTHOR}", (302, {
        "Location": f"/maintenance?api_key={KEY}&mailto={quote(EMAIL, safe='')}"}, b""))
    code, out, err = run(capsys, root)
    assert code == 1 and "moved (302) to /maintenance" in err.strip().splitlines()[-1]
    assert KEY not in out + err
    for form in EMAIL_FORMS:
        assert form not in out + err, form
    assert requests_for(server, "/maintenance") == []


def test_offline_reads_the_cache_whatever_base_url_filled_it(server, capsys, tmp_path,
                                                            monkeypatch):
    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    routes(server)
    assert run(capsys, root)[0] == 0
    synced = (root / "content" / "synced.json").read_bytes()
    (root / "content" / "synced.json").unlink()
    # The same service through another address (a mirror), and another contact e-mail.
    monkeypatch.setenv("SCHOLARFOLIO_OPENALEX_URL", CLOSED + "/mirror")
    monkeypatch.setenv("SCHOLARFOLIO_CONTACT_EMAIL", "someone.else@uni.example")
    server.requests.clear()
    code, _, err = run(capsys, root, "--offline")
    assert code == 0, err
    assert server.requests == []
    assert (root / "content" / "synced.json").read_bytes() == synced
    for cached in (root / ".scholarfolio-cache" / "sync").iterdir():
        assert KEY.encode() not in cached.read_bytes() and EMAIL not in cached.name


def test_a_cache_file_of_the_old_key_is_never_read(server, capsys, tmp_path):
    import hashlib

    root = site(tmp_path, f"  openalex: {AUTHOR}\n")
    cache = root / ".scholarfolio-cache" / "sync"
    cache.mkdir(parents=True)
    # An older scholarfolio keyed a body by its full URL, mailto included.
    url = f"{server.url}/authors/{AUTHOR}?mailto={quote(EMAIL, safe='')}"
    (cache / f"{hashlib.sha256(url.encode()).hexdigest()}.json").write_bytes(b"not JSON")
    code, _, err = run(capsys, root, "--offline")
    assert code == 1 and "--offline, but no response to" in err and "not JSON" not in err


def test_the_user_agent_names_the_homepage_the_metadata_gives(server, tmp_path):
    # The one place of the project's URL is pyproject's [project.urls] Homepage, read from
    # the installed metadata: a dist-info first on the path stands for an install of a
    # pyproject that names one (this project's names none yet).
    import os
    import subprocess
    import sys

    from .conftest import REPO
    from .test_installation import dist_info

    root = site(tmp_path / "site", f"  openalex: {AUTHOR}\n  email: someone@example.org\n")
    routes(server)
    dist_info(tmp_path, None, ("Homepage, https://scholarfolio.example.org/",))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(REPO)])}
    subprocess.run([sys.executable, "-m", "generator", "sync", "-C", str(root)], env=env,
                   check=True, timeout=120, capture_output=True)
    from generator import __version__

    agents = {headers.get("User-Agent") for _, _, headers in server.requests}
    assert agents == {f"scholarfolio/{__version__} (+https://scholarfolio.example.org/; "
                      "mailto:someone@example.org)"}
