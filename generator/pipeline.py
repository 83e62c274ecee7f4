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
from collections.abc import Iterator
from contextlib import contextmanager

import jinja2

from .output import Staging
from .render import render_route, render_route_chunks
from .site import Route, SiteModel

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
        if kept is not None or count < 2 or len(model.routes) < PARALLEL_ROUTES:
            staging.put_all(_rendered(env, model, range(len(model.routes)), kept))
            return
        import multiprocessing  # ~15 ms: only for a large site

        if "fork" not in multiprocessing.get_all_start_methods():
            staging.put_all(_rendered(env, model, range(len(model.routes)), kept))
            return
        global _job
        _job = (env, model, staging)
        chunks = [range(start, min(start + CHUNK, len(model.routes)))
                  for start in range(0, len(model.routes), CHUNK)]
        try:
            with multiprocessing.get_context("fork").Pool(count, _start_worker) as pool:
                try:
                    for paths, changed in pool.imap_unordered(_work, chunks):
                        staging.add_changed(paths, changed)
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


def _rendered(env: jinja2.Environment, model: SiteModel, indexes: range,
              kept: dict[str, bytes] | None = None
              ) -> Iterator[tuple[str, bytes | Iterator[bytes]]]:
    """(path, bytes) of each route; a page listing many papers as chunks written as they
    are rendered (unless its bytes are kept), so no build holds a whole large page."""
    for index in indexes:
        route = model.routes[index]
        if kept is None and _listed(route) >= LARGE_LIST:
            yield route.path, render_route_chunks(env, model, route)
            continue
        data = render_route(env, model, route)
        if kept is not None:
            kept[route.path] = data
        yield route.path, data


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

_job: tuple[jinja2.Environment, SiteModel, Staging] | None = None


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


def _work(indexes: range) -> tuple[list[str], list[str]]:
    """Render and stage routes `indexes`; their paths, and those that changed."""
    assert _job is not None
    env, model, staging = _job
    paths = [model.routes[index].path for index in indexes]
    changed = staging.put_all(_rendered(env, model, indexes))
    return paths, changed
