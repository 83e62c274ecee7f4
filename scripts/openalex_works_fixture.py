"""Build tests/fixtures/sync/openalex-works-openalexpro.json: the real OpenAlex works
recorded by rkrug/openalexPro's tests (its vcr cassettes and page snapshots, at the commit
below) that have a title, each work once (a later record with a DOI or a title already met
is left out: the sync would merge the two), each cut to the top-level fields `scholarfolio
sync` reads, as OpenAlex's own `select=` parameter cuts a work. The sync tests assemble
them into an author with a thousand works (tests/sync_server.thousand_works_pages).

    python scripts/openalex_works_fixture.py /path/to/a/clone/of/openalexPro
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import yaml

COMMIT = "72a26c43f7938cf50fbdb3b8ea1be9100db96776"
#: The recorded files read, in this order (a work recorded twice is kept once, as first met).
PAGES = ("tests/testthat/_snaps/005-pro_fetch_search/json",
         *(f"tests/testthat/_snaps/008-pro_pipeline_parallel/json_chunk_{n}_results_page_1.json"
           for n in range(1, 5)))
CASSETTES = ("tests/fixtures/vcr/oa_snowball.yml", "tests/fixtures/vcr/pro_snowball.yml",
             "tests/fixtures/vcr/api_call_200.yml",
             "tests/fixtures/vcr/pro_request_single_identifier.yml")
#: What the sync reads of a work (generator/sync/openalex.csl_item), in OpenAlex's order;
#: not `locations` (read only for an arXiv link) nor `abstract_inverted_index`, which would
#: make the file 3 MB instead of 0.6.
FIELDS = ("id", "doi", "title", "display_name", "publication_year", "publication_date",
          "type", "type_crossref", "primary_location", "open_access", "authorships",
          "cited_by_count")
OUT = Path(__file__).resolve().parent.parent / "tests/fixtures/sync/openalex-works-openalexpro.json"


def _show(repo: Path, path: str) -> str:
    return subprocess.run(["git", "-C", str(repo), "show", f"{COMMIT}:{path}"], check=True,
                          capture_output=True).stdout.decode("utf-8")


def _bodies(repo: Path) -> list[dict]:
    found = [json.loads(_show(repo, path)) for path in PAGES]
    for path in CASSETTES:
        for interaction in yaml.safe_load(_show(repo, path))["http_interactions"]:
            text = interaction["response"]["body"].get("string") or ""
            if text.lstrip().startswith("{"):
                found.append(json.loads(text))
    return found


def main(repo: Path) -> None:
    works: dict[str, dict] = {}
    seen: set[str] = set()
    for body in _bodies(repo):
        for work in body.get("results") or ([body] if "id" in body else []):
            if not (isinstance(work, dict) and str(work.get("id", "")).startswith(
                    "https://openalex.org/W") and (work.get("display_name") or "").strip()):
                continue  # one work is recorded with an empty title: the sync leaves it out
            known = {work["id"], (work.get("doi") or work["id"]).lower(),
                     re.sub(r"[^a-z0-9]+", "", (work.get("display_name") or "").lower())}
            if not known & seen:
                works[work["id"]] = {k: work[k] for k in FIELDS if k in work}
            seen |= known
    OUT.write_text("[\n" + ",\n".join(json.dumps(work, ensure_ascii=False)
                                       for work in works.values()) + "\n]\n", encoding="utf-8")
    print(f"{OUT.name}: {len(works)} works")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
