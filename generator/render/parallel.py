"""Render the model's routes and stage their files: in this process for a small site,
over forked worker processes for a large one (rendering is pure Python, so threads
would not run it in parallel; forked workers inherit the model and the compiled
templates instead of receiving them pickled).

Each worker renders a share of the routes and writes the files itself into the one
staging folder (`output.Staging.put`), so page bytes never travel between processes;
only the paths come back. The result is the same bytes in the same places as a
single-process build: rendering depends on nothing but the model and the templates.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
from array import array
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import jinja2

from .output import Staging
from .render import render_route, render_route_chunks
from .site import CitationFile, PaperView, Route, SiteModel

#: Below this many routes one process is faster: starting workers costs more than it saves.
PARALLEL_ROUTES = 2000
#: Routes a worker takes at a time: small enough to share the work evenly.
CHUNK = 128


def stage_routes(env: jinja2.Environment, model: SiteModel, staging: Staging,
                 kept: dict[str, bytes] | None = None, processes: int | None = None) -> None:
    """Render every route of `model` into `staging`; with `kept`, keep each file's bytes
    there too (which needs this process to render them all)."""
    count = processes or _cores()
    with fewer_collections():
        if kept is not None:
            staging.put_all(_rendered(env, model, [range(len(model.routes))], kept))
            return
        units = _units(model)
        if count < 2 or len(model.routes) < PARALLEL_ROUTES:
            staging.put_all(_rendered(env, model, units))
            return
        import multiprocessing  # ~15 ms: only for a large site

        if "fork" not in multiprocessing.get_all_start_methods():
            staging.put_all(_rendered(env, model, units))
            return
        global _job
        context = multiprocessing.get_context("fork")
        chunks = _chunks(units)
        shares = context.RawArray("l", _shares(len(chunks), count))
        _job = (env, model, staging, chunks, shares, context.Lock())
        try:
            with context.Pool(count - 1, _start_worker) as pool:
                try:
                    others = pool.map_async(_work, range(1, count), chunksize=1)
                    _work(0)  # this process renders too: its stages are noted here
                    for paths, changed, written in others.get():
                        staging.add_changed(paths, changed, written)
                finally:
                    pool.terminate()
                    pool.join()
        finally:
            _job = None


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


@contextmanager
def fewer_collections() -> Iterator[None]:
    """Rendering makes millions of short-lived objects, and each of Python's full garbage
    collections walks every object there is: the model's too. So the model is frozen out
    of collections (which also keeps forked workers from copying its memory pages) and
    collections run less often; cycles are still collected. (10,000 papers, one process:
    9.5 s -> 6.9 s, the same peak memory.)"""
    thresholds = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(50_000, 20, 20)
    try:
        yield
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()


def _units(model: SiteModel) -> list[Sequence[int]]:
    """The routes' indices in the order a build renders them: each paper's page with its
    citation files, whose citation is then made once and dropped once they are written
    (10,000 papers' citations are ~65 MB); every other route alone."""
    files: dict[int, list[int]] = {}
    for index, route in enumerate(model.routes):
        text = route.context.get("text")
        if isinstance(text, CitationFile) and len(text.papers) == 1:
            files.setdefault(id(text.papers[0]), []).append(index)
    units: list[Sequence[int]] = []
    grouped: set[int] = set()
    for index, route in enumerate(model.routes):
        if index in grouped:
            continue
        view = route.context.get("paper")
        own = files.pop(id(view), None) if isinstance(view, PaperView) else None
        if own:
            grouped.update(own)
            units.append((index, *own))
        else:
            units.append((index,))
    return units


def _chunks(units: list[Sequence[int]]) -> list[list[Sequence[int]]]:
    """Units in runs of about CHUNK routes, a worker's share at a time."""
    chunks: list[list[Sequence[int]]] = [[]]
    size = 0
    for unit in units:
        if size >= CHUNK:
            chunks.append([])
            size = 0
        chunks[-1].append(unit)
        size += len(unit)
    return chunks


def _shares(chunks: int, count: int) -> list[int]:
    """[start, end) of each worker's share of the chunks: `count` runs of neighbours."""
    bounds = [chunks * share // count for share in range(count + 1)]
    return [bound for share in range(count) for bound in (bounds[share], bounds[share + 1])]


def _rendered(env: jinja2.Environment, model: SiteModel, units: Iterable[Sequence[int]],
              kept: dict[str, bytes] | None = None
              ) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """(path, bytes) of each route of each unit; a page listing many papers as chunks
    written as they are rendered (unless its bytes are kept), so no build holds a whole
    large page. Unless the bytes are kept, a paper's citation is dropped after its unit."""
    for unit in units:
        for index in unit:
            route = model.routes[index]
            if kept is None and _listed(route) >= LARGE_LIST:
                yield route.path, render_route_chunks(env, model, route)
                continue
            data = render_route(env, model, route)
            if kept is not None:
                kept[route.path] = data
            yield route.path, data
        if kept is None and len(unit) > 1:
            model.routes[unit[0]].context["paper"].drop_citation()


#: Pages listing at least this many papers are written in chunks as they are rendered.
LARGE_LIST = 500


def _listed(route: Route) -> int:
    """How many papers a route's page lists (the most of any list in its context)."""
    most = 0
    for value in route.context.values():
        papers = getattr(value, "papers", getattr(value, "entries", value))
        if isinstance(papers, (tuple, list)):
            most = max(most, len(papers))
    return most


# -- in the workers ----------------------------------------------------------------------

_job: tuple[jinja2.Environment, SiteModel, Staging, list[list[Sequence[int]]], Any, Any] | None
_job = None


def _start_worker() -> None:
    """A worker dies with the build (on Linux, even when the build is killed with SIGKILL,
    so that no orphan goes on writing into a staging folder), and leaves Ctrl-C to it."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        if os.getppid() == 1:  # the build died before the line above ran
            os._exit(1)


def _work(share: int) -> tuple[list[str], list[str], array]:
    """Render and stage chunks until none is left: first those of this worker's share,
    from its start, then the last of the share with the most left. The paths staged,
    those that changed, and their sizes and times as written (`Staging.written`).

    Why shares of neighbours rather than chunks handed out in turn: a forked worker that
    so much as reads an object of the model copies the memory page holding it (reading
    changes its reference count), and neighbouring routes show neighbouring papers, whose
    objects sit together. Workers taking turns along the site copied most of the model
    each (10,000 papers: 3 copies of ~60 MB), workers keeping to their share about half."""
    assert _job is not None
    env, model, staging, chunks, shares, lock = _job
    paths: list[str] = []
    changed: list[str] = []
    first = len(staging.changed)
    try:
        while True:
            with lock:
                if shares[2 * share] < shares[2 * share + 1]:
                    taken = shares[2 * share]
                    shares[2 * share] += 1
                else:
                    left, most = max((shares[2 * s + 1] - shares[2 * s], s)
                                     for s in range(len(shares) // 2))
                    if left <= 0:
                        return paths, changed, staging.written[2 * first:]
                    shares[2 * most + 1] -= 1
                    taken = shares[2 * most + 1]
            units = chunks[taken]
            paths += [model.routes[index].path for unit in units for index in unit]
            changed += staging.put_all(_rendered(env, model, units))
    except BaseException:
        # The build has failed: the other processes take no more chunks (else they
        # would render the rest of the site, this share too, before it says so).
        with lock:
            for other in range(len(shares) // 2):
                shares[2 * other] = shares[2 * other + 1]
        raise
