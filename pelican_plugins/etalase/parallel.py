"""Share a build step between forked worker processes, one per processor core.

After loading, the whole site model is in memory; a forked child sees it as it is (copy on
write) without pickling or reading anything again. Each worker gets a share number and does
only its share of the step (e.g. every second page); what it returns (written paths, cache
keys used) is sent back to the parent. With one worker, or where `fork` is unavailable, the
step simply runs in the calling process, so the result never depends on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any

_STEP: Callable[[int, int], Any] | None = None  # what the forked workers run


def workers(settings: dict) -> int:
    """How many processes share a build step: ETALASE_WORKERS, else the usable cores."""
    wanted = settings.get("ETALASE_WORKERS")
    if wanted is None:
        wanted = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else \
            (os.cpu_count() or 1)
    return max(1, int(wanted))


def _run(share: int, count: int):
    return _STEP(share, count)


def run_shares(step: Callable[[int, int], Any], count: int) -> list:
    """Run `step(share, count)` for share 0 … count-1, in `count` forked processes; return
    the results in share order. An exception in any share is raised here."""
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [step(0, 1)]
    global _STEP
    _STEP = step
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=count, mp_context=context) as pool:
            futures = [pool.submit(_run, share, count) for share in range(count)]
            return [future.result() for future in futures]
    finally:
        _STEP = None


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
