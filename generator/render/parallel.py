"""Render the model's routes into the staging folder: in this process for a small site,
and for a large one in this process and forked workers, one per core, each taking one
contiguous share of the routes (rendering is pure Python, so threads would not run it
in parallel; forked workers inherit the model and the compiled templates instead of
receiving them pickled).

Each process writes its files itself (`output.Staging.put`), so page bytes never travel
between processes; only what each staged comes back, through a pipe. A worker is given
what it renders as the arguments of its forked process (the environment, the model, the
staging folder and its share), which fork hands over as they are, copy-on-write, without
pickling them; nothing is passed through a module's globals. The result is the same bytes in the
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

from ..model import Route, SiteModel
from ..output import Staged, Staging
from .pages import render_route, render_route_chunks, render_routes

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

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
    workers: list[_Worker] = []
    try:
        for share in shares[1:]:
            receiver, sender = context.Pipe(duplex=False)
            process = context.Process(target=_render_share,
                                      args=(env, model, staging, share, sender), daemon=True)
            process.start()
            sender.close()  # the worker holds its end: the pipe ends when the worker does
            workers.append(_Worker(process, receiver))
        mine = routes[shares[0].start:shares[0].stop]
        staging.put_all(_unless_failed(_rendered(env, model, mine), workers))
        for worker in workers:
            staging.merge(worker.result())
    finally:
        for worker in workers:
            worker.stop()


def _cores() -> int:
    """The cores this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def _can_fork() -> bool:
    import multiprocessing

    return "fork" in multiprocessing.get_all_start_methods()


def _shares(routes: Sequence[Route], count: int) -> list[range]:
    """`count` contiguous runs of the routes, of about equal length. Each paper's page is
    followed by its citation files in the list, so a run is of neighbouring papers and
    the runs are of about equal work: weighing each route by its measured cost instead
    gained nothing at 1,000 papers (bench/README.md)."""
    bounds = [len(routes) * index // count for index in range(count + 1)]
    return [range(bounds[i], bounds[i + 1]) for i in range(count)]


class _Worker:
    """A forked process rendering one share, and the pipe its outcome comes back through:
    (True, what it staged) or (False, the error it raised)."""

    def __init__(self, process: BaseProcess, receiver: Connection) -> None:
        self.process = process
        self.receiver = receiver
        self._outcome: tuple[bool, Staged | BaseException] | None = None

    def failed(self) -> bool:
        """Whether the worker has told of an error (or died), without waiting for it."""
        if self._outcome is None and self.receiver.poll():
            self._receive()
        return self._outcome is not None and not self._outcome[0]

    def result(self) -> Staged:
        """What the worker staged, once it is done; its error raised here if it failed."""
        if self._outcome is None:
            self._receive()
        assert self._outcome is not None
        ok, value = self._outcome
        if not ok:
            assert isinstance(value, BaseException)
            raise value
        assert isinstance(value, Staged)
        return value

    def _receive(self) -> None:
        try:
            self._outcome = self.receiver.recv()
        except EOFError:  # it ended without a word: killed
            self.process.join()
            self._outcome = (False, RuntimeError(
                f"a rendering process ended with exit code {self.process.exitcode}"))

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.receiver.close()


def _unless_failed(pairs: Iterator[_Pair], workers: Sequence[_Worker]) -> Iterator[_Pair]:
    """The pairs, until a worker has failed: then its error, at once (a failing build
    says so rather than rendering the rest of its share first)."""
    for count, pair in enumerate(pairs):
        if count % 64 == 0:
            for worker in workers:
                if worker.failed():
                    worker.result()  # raises the worker's error
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


def _render_share(env: jinja2.Environment, model: SiteModel, staging: Staging, share: range,
                  sender: Connection) -> None:
    """In a forked worker: render and stage the routes of one share, and send the build
    what was staged, or the error that stopped it."""
    _start_worker()
    try:
        mine = staging.share()
        mine.put_all(_rendered(env, model, model.routes[share.start:share.stop]))
        outcome: tuple[bool, Staged | BaseException] = (True, mine.staged())
    except Exception as exc:
        outcome = (False, exc)
    try:
        sender.send(outcome)
    except Exception as exc:  # an error that cannot be pickled: its text, then
        sender.send((False, RuntimeError(f"{type(outcome[1]).__name__}: {outcome[1]} ({exc})")))
    sender.close()
