"""Share a build step between forked worker processes, one per processor core.

After loading, the whole site model is in memory; a forked child sees it as it is (copy on
write) without pickling or reading anything again. Each worker gets a share number and does
only its share of the step (e.g. every second page); what it returns (written paths, cache
keys used) is sent back to the parent. With one worker, or where `fork` is unavailable, the
step simply runs in the calling process, so the result never depends on the number of workers.
"""

from __future__ import annotations

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


def _child(step: Callable[[int, int], Any], share: int, count: int, pipe) -> None:
    try:
        outcome = (True, step(share, count))
    except BaseException as exc:  # noqa: BLE001 (everything goes back to the parent)
        detail = "".join(traceback.format_exception(exc))
        try:
            pickle.loads(pickle.dumps(exc))  # the parent must be able to raise it again
            outcome = (False, (exc, detail))
        except Exception:  # noqa: BLE001
            outcome = (False, (RuntimeError(f"{type(exc).__name__}: {exc}"), detail))
    pipe.send(outcome)
    pipe.close()


def run_shares(step: Callable[[int, int], Any], count: int) -> list:
    """Run `step(share, count)` for share 0 … count-1, each in its own forked process; return
    the results in share order. An exception in any share is raised here."""
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [step(0, 1)]
    context = multiprocessing.get_context("fork")
    children = []
    for share in range(count):
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(step, share, count, send), daemon=True)
        child.start()
        send.close()
        children.append((child, receive))
    outcomes = []
    for child, receive in children:
        try:
            outcomes.append(receive.recv())  # before join: a large result fills the pipe
        except EOFError:
            outcomes.append((False, (RuntimeError(
                f"worker process ended without a result (exit code {child.exitcode})"), "")))
        child.join()
    for ok, value in outcomes:
        if not ok:
            exc, detail = value
            logger.debug("worker failed:\n%s", detail)
            raise exc
    return [value for _, value in outcomes]


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
