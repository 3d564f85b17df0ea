"""Share a build step between forked worker processes, one per processor core.

After loading, the whole site model is in memory; a forked child sees it as it is (copy on
write) without pickling or reading anything again. Each worker gets a share number and does
only its share of the step (e.g. every second page); what it returns (written paths, cache
keys used) is sent back to the parent. With one worker, or where `fork` is unavailable, the
step simply runs in the calling process, so the result never depends on the number of workers.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import logging
import multiprocessing
import os
import pickle
import traceback
from collections.abc import Callable
from typing import Any

logger = logging.getLogger(__name__)


def workers(settings: dict) -> int:
    """How many processes share a build step: ETALASE_WORKERS, else the usable cores."""
    wanted = settings.get("ETALASE_WORKERS")
    if wanted is None:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
            (os.cpu_count() or 1)
    return max(1, int(wanted))


@contextlib.contextmanager
def loading():
    """Load the model a build works from without Python's cyclic garbage collector, then
    freeze it (`gc.freeze`), as Python's documentation advises before forking workers.

    Loading makes hundreds of thousands of objects that live as long as the build; the
    collector kept scanning them as they were made (1 s of a 3.3 s load in a national
    rebuild), and found almost nothing to free. Frozen, they are left out of every later
    collection, in this process and in the forked workers, whose memory pages the collector
    would otherwise copy. A process that builds again (the preview) calls `release` in
    between, or the next `loading` does it first."""
    if gc.get_freeze_count():
        release()
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


def release() -> None:
    """Give the objects frozen by `loading` back to the collector and collect: a process
    that builds again frees the model of its last build."""
    gc.unfreeze()
    gc.collect()


def _forks(count: int) -> bool:
    """Whether work is shared out to forked processes: with more than one worker, where
    `fork` is available, and not from inside a worker (its processes may not have children
    of their own; e.g. a page worker computing statistics again because the cache lost
    them), where the work simply runs in the calling process."""
    return count > 1 and "fork" in multiprocessing.get_all_start_methods() and \
        not multiprocessing.current_process().daemon


def _child(work: Callable[[], Any], pipe) -> None:
    try:
        outcome = (True, work())
    except BaseException as exc:  # noqa: BLE001 (everything goes back to the parent)
        detail = "".join(traceback.format_exception(exc))
        try:
            pickle.loads(pickle.dumps(exc))  # the parent must be able to raise it again
            outcome = (False, (exc, detail))
        except Exception:  # noqa: BLE001
            outcome = (False, (RuntimeError(f"{type(exc).__name__}: {exc}"), detail))
    pipe.send(outcome)
    pipe.close()


def run_shares(step: Callable[[int, int], Any], count: int,
               meanwhile: Callable[[], Any] | None = None, niceness: int = 0) -> list:
    """Run `step(share, count)` for share 0 … count-1, each in its own forked process; return
    the results in share order. `meanwhile()` runs in this process while they work. With
    `niceness`, the shares yield the processor to other work of the build (`os.nice`). An
    exception in any share is raised here."""
    if not _forks(count):
        results = [step(0, 1)]
        if meanwhile:
            meanwhile()
        return results
    pending = [start(functools.partial(step, share, count), count, niceness=niceness)
               for share in range(count)]
    try:
        if meanwhile:
            meanwhile()
        return [work.result() for work in pending]
    finally:
        for work in pending:  # after a failure: stop the shares still at work
            work.cancel()


def _niced(niceness: int, work: Callable[[], Any]) -> Any:
    os.nice(niceness)  # this forked process only
    return work()


def beside(other: Callable[[], Any], own: Callable[[], Any], count: int) -> tuple[Any, Any]:
    """Run `other()` in a forked process while `own()` runs in this one; return (what `own`
    returned, what `other` returned). With one worker (`count`), or without `fork`, both run
    here. An exception in either is raised here."""
    pending = start(other, count)
    try:
        mine = own()
    except BaseException:
        pending.cancel()
        raise
    return mine, pending.result()


class Pending:
    """`work()` started in a forked process (`start`); `result()` waits for what it returned
    and raises what it raised. Only the process that started it may ask: processes forked
    in the meantime (page workers) must leave it alone."""

    def __init__(self, work: Callable[[], Any], count: int, niceness: int = 0):
        self._done = False
        self._owner = os.getpid()
        if not _forks(count):
            self._done, self._outcome = True, _outcome(work)
            return
        if niceness:
            work = functools.partial(_niced, niceness, work)
        context = multiprocessing.get_context("fork")
        self._receive, send = context.Pipe(duplex=False)
        self._child = context.Process(target=_child, args=(work, send), daemon=True)
        self._child.start()
        send.close()

    def _check_owner(self) -> None:
        if os.getpid() != self._owner:
            raise RuntimeError("only the process that started this work may wait for it")

    def cancel(self) -> None:
        """Stop the work if it still runs; its result is not wanted."""
        if not self._done:
            self._check_owner()
            self._child.kill()
            self._child.join()
            self._receive.close()
            self._done, self._outcome = True, (True, None)

    def result(self) -> Any:
        if not self._done:
            self._check_owner()
            try:
                self._outcome = self._receive.recv()  # before join: a large result fills the pipe
            except EOFError:
                self._outcome = (False, (RuntimeError(
                    f"worker process ended without a result (exit code {self._child.exitcode})"),
                    ""))
            self._child.join()
            self._receive.close()
            self._done = True
        ok, value = self._outcome
        if not ok:
            exc, detail = value
            logger.debug("worker failed:\n%s", detail)
            raise exc
        return value


def first_done(pending: list[Pending]) -> Pending:
    """Wait until one of `pending` has its result, and return it (the first in the list
    when several have)."""
    for work in pending:
        if work._done:
            return work
    from multiprocessing.connection import wait

    ready = wait([work._receive for work in pending])
    return next(work for work in pending if work._receive in ready)


def start(work: Callable[[], Any], count: int, niceness: int = 0) -> Pending:
    """Start `work()` in a forked process (with one worker, or without `fork`: right here).
    With `niceness`, that process yields the processor to the rest of the build."""
    return Pending(work, count, niceness)


def _outcome(work: Callable[[], Any]) -> tuple[bool, Any]:
    try:
        return True, work()
    except Exception as exc:  # noqa: BLE001 (raised again by `result`; Ctrl-C goes on at once)
        return False, (exc, "")


def balance(costs: list[float], count: int) -> list[int]:
    """Assign items with `costs` to `count` shares, largest first to the least loaded share;
    return each item's share. Deterministic: ties go to the lower share number."""
    load = [0.0] * count
    share_of = [0] * len(costs)
    for index in sorted(range(len(costs)), key=lambda i: (-costs[i], i)):
        share = min(range(count), key=lambda s: (load[s], s))
        share_of[index] = share
        load[share] += costs[index]
    return share_of
