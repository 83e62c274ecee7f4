"""Render the model's routes into the staging folder: in this process for a small site,
and for a large one in this process and forked workers, one per core, each taking one
contiguous share of the routes (rendering is pure Python, so threads would not run it
in parallel; forked workers inherit the model and the compiled templates instead of
receiving them pickled).

Each process writes its files itself (`output.Staging.put`), so page bytes never travel
between processes; only what each staged comes back. The result is the same bytes in the
same places as a one-process build: rendering depends on nothing but the model and the
templates.

Why contiguous shares: a forked worker that so much as reads an object of the model
copies the memory page holding it (reading changes its reference count), and
neighbouring routes show neighbouring papers, whose objects sit together; and this
process renders the first share rather than waiting, so one process fewer copies pages.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

import jinja2

from ..model import PageRoute, Route, SiteModel
from ..output import Staged, Staging
from .pages import render_route, render_route_chunks, render_routes

if TYPE_CHECKING:
    from multiprocessing.pool import AsyncResult

#: Below this many routes one process is faster: starting workers costs more than it saves.
PARALLEL_ROUTES = 2000
#: Pages listing at least this many papers are written in chunks as they are rendered.
LARGE_LIST = 500


def stage_routes(env: jinja2.Environment, model: SiteModel, staging: Staging,
                 kept: dict[str, bytes] | None = None, processes: int | None = None) -> None:
    """Render every route of `model` into `staging`; with `kept`, keep each file's bytes
    there too (which needs this process to render them all)."""
    count = processes or _cores()
    routes = model.routes
    if kept is not None:
        kept.update(render_routes(env, model))
        staging.put_all(kept.items())
        return
    if count < 2 or len(routes) < PARALLEL_ROUTES or not _can_fork():
        staging.put_all(_rendered(env, model, routes))
        return
    import multiprocessing  # ~15 ms: only for a large site

    shares = _shares(routes, count)
    context = multiprocessing.get_context("fork")
    # The workers are forked with the model, the environment and the staging folder;
    # a share is only a range of route indices.
    global _work
    _work = (env, model, staging)
    try:
        with context.Pool(count - 1, _start_worker) as pool:
            try:
                others = pool.map_async(_render_share, shares[1:], chunksize=1)
                mine = routes[shares[0].start:shares[0].stop]
                staging.put_all(_unless_failed(_rendered(env, model, mine), others))
                for staged in others.get():
                    staging.merge(staged)
            finally:
                pool.terminate()
                pool.join()
    finally:
        _work = None


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _weight(route: Route) -> int:
    """About how much work a route is, in units of a citation file (measured at 10,000
    papers: a file 17 µs, a paper's page 136 µs, a page's card of a paper ~30 µs, an
    entry of papers.bib or papers.json 15 µs; bench/README.md)."""
    if isinstance(route, PageRoute):
        return 8 + 2 * route.listed
    return 1 + route.listed


def _shares(routes: Sequence[Route], count: int) -> list[range]:
    """`count` contiguous runs of the routes, of about equal weight (see `_weight`)."""
    total = sum(map(_weight, routes))
    bounds = [0]
    done = 0
    for index, route in enumerate(routes):
        done += _weight(route)
        while len(bounds) < count and done * count >= total * len(bounds):
            bounds.append(index + 1)
    bounds += [len(routes)] * (count + 1 - len(bounds))
    return [range(bounds[i], bounds[i + 1]) for i in range(count)]


def _unless_failed(pairs: Iterator[_Pair], others: AsyncResult) -> Iterator[_Pair]:
    """The pairs, until a worker has failed: then its error, at once (a failing build
    says so rather than rendering the rest of its share first)."""
    for count, pair in enumerate(pairs):
        if count % 64 == 0 and others.ready() and not others.successful():
            others.get()  # raises the worker's error
        yield pair


_Pair = tuple[str, "bytes | Iterator[bytes]"]


def _rendered(env: jinja2.Environment, model: SiteModel, routes: Sequence[Route]
              ) -> Iterator[_Pair]:
    """(path, bytes) of each route; a page listing many papers as chunks written as they
    are rendered, so no build holds a whole large page."""
    for route in routes:
        if route.listed >= LARGE_LIST:
            yield route.path, render_route_chunks(env, model, route)
        else:
            yield route.path, render_route(env, model, route)


# -- in the workers ----------------------------------------------------------------------

#: What the workers are forked with: the environment, the model and the staging folder.
_work: tuple[jinja2.Environment, SiteModel, Staging] | None = None


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


def _render_share(share: range) -> Staged:
    """Render and stage the routes of one share; what was staged, for the build."""
    assert _work is not None
    env, model, staging = _work
    mine = staging.share()
    mine.put_all(_rendered(env, model, model.routes[share.start:share.stop]))
    return mine.staged()
