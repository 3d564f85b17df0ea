"""Build steps are shared between processes, and the result does not depend on how many."""

from __future__ import annotations

import os

import pytest

from etalase import parallel


def test_each_share_runs_in_its_own_process_and_results_come_back_in_share_order():
    parent = os.getpid()
    results = parallel.run_shares(lambda share, count: (share, count, os.getpid()), 3)
    assert [(share, count) for share, count, _ in results] == [(0, 3), (1, 3), (2, 3)]
    pids = {pid for _, _, pid in results}
    assert parent not in pids and len(pids) >= 2


def test_this_process_can_work_meanwhile():
    # While the workers render pages, the building process collects the pages it renders
    # last (the data landing page, which shows the zip written meanwhile).
    seen = []
    results = parallel.run_shares(lambda share, count: os.getpid(), 2,
                                  meanwhile=lambda: seen.append(os.getpid()))
    assert seen == [os.getpid()] and os.getpid() not in results
    assert parallel.run_shares(lambda share, count: share, 1,
                               meanwhile=lambda: seen.append("juga")) == [0]
    assert seen[-1] == "juga"


def test_shares_can_give_way_to_the_rest_of_the_build_without_slowing_this_process():
    # Page workers run below the downloads and the zip (generator.py): they take the cores
    # those leave idle. The building process keeps its own priority.
    own = os.nice(0)
    results = parallel.run_shares(lambda share, count: os.nice(0), 2, niceness=5)
    assert results == [min(own + 5, 19)] * 2
    assert os.nice(0) == own
    assert parallel.run_shares(lambda share, count: os.nice(0), 1, niceness=5) == [own]


def test_one_worker_runs_the_step_in_the_calling_process():
    assert parallel.run_shares(lambda share, count: (share, count, os.getpid()), 1) == [
        (0, 1, os.getpid())]


def test_an_error_in_any_share_fails_the_step():
    def step(share, count):
        if share == 1:
            raise ValueError("halaman rusak")
        return share

    with pytest.raises(ValueError, match="halaman rusak"):
        parallel.run_shares(step, 2)


def test_a_data_error_in_a_worker_reaches_staff_with_every_problem():
    from etalase.errors import DataError, Problem

    def step(share, count):
        raise DataError([Problem("data/standar-pelayanan.csv", 7, "biaya", "gratis",
                                 "harus berupa angka")])

    with pytest.raises(DataError) as failure:
        parallel.run_shares(step, 2)
    assert failure.value.problems[0].row == 7
    assert "data/standar-pelayanan.csv" in str(failure.value)


def test_a_computation_beside_runs_in_another_process_while_this_one_works():
    # The statistics: survey results in one process, the registers in the other.
    mine, other = parallel.beside(lambda: ("survei", os.getpid()), lambda: "register", 2)
    assert mine == "register" and other[0] == "survei" and other[1] != os.getpid()
    assert parallel.beside(lambda: os.getpid(), lambda: os.getpid(), 1) == (
        os.getpid(), os.getpid())


def test_work_shared_out_from_inside_a_worker_runs_in_that_worker():
    # A page worker that computes the statistics again (the cache lost their registers)
    # shares their work out as the build process would; a worker may not start processes
    # of its own, so the work runs right there.
    def in_a_worker():
        me = os.getpid()
        beside = parallel.beside(lambda: os.getpid(), lambda: os.getpid(), 2)
        shares = parallel.run_shares(lambda share, count: (share, count, os.getpid()), 2)
        return me, beside, shares

    me, beside, shares = parallel.start(in_a_worker, 2).result()
    assert me != os.getpid()
    assert beside == (me, me) and shares == [(0, 1, me)]


def test_an_error_on_either_side_fails_the_computation():
    def broken():
        raise ValueError("tabel rusak")

    with pytest.raises(ValueError, match="tabel rusak"):
        parallel.beside(broken, lambda: "register", 2)
    with pytest.raises(ValueError, match="tabel rusak"):
        parallel.beside(lambda: "survei", broken, 2)


def test_work_started_in_the_background_is_awaited_or_stopped():
    # The all-data zip is written while the pages render; a failed build stops it.
    import time

    pending = parallel.start(lambda: os.getpid(), 2)
    assert pending.result() != os.getpid()
    assert pending.result() == pending.result()  # asked again: the same answer
    slow = parallel.start(lambda: time.sleep(60), 2)
    began = time.monotonic()
    slow.cancel()
    assert time.monotonic() - began < 10
    failing = parallel.start(lambda: 1 / 0, 2)
    with pytest.raises(ZeroDivisionError):
        failing.result()
    assert parallel.start(lambda: os.getpid(), 1).result() == os.getpid()


def test_background_work_can_give_way_to_loading_but_never_slows_this_process():
    # A full build's downloads are written while the rest of the site loads (generator.py),
    # below the loading itself. With one worker they are written right here, at this
    # process's own priority, which stays as it was.
    own = os.nice(0)
    assert parallel.start(lambda: os.nice(0), 2, niceness=5).result() == min(own + 5, 19)
    assert parallel.start(lambda: os.nice(0), 1, niceness=5).result() == own
    assert os.nice(0) == own


def test_the_work_that_finishes_first_is_found_first():
    # The build takes each download as soon as it is written (their checksums), while the
    # slowest table is still being written.
    import time

    slow = parallel.start(lambda: time.sleep(5) or "xlsx", 2)
    quick = parallel.start(lambda: "csv", 2)
    began = time.monotonic()
    assert parallel.first_done([slow, quick]) is quick
    assert time.monotonic() - began < 4
    assert quick.result() == "csv"
    assert parallel.first_done([slow, quick]) is quick  # already done: at once
    assert parallel.first_done([slow]) is slow and slow.result() == "xlsx"
    here = parallel.start(lambda: "here", 1)
    assert parallel.first_done([slow, here]) is slow  # both done: the first of the list


def test_only_the_process_that_started_work_may_wait_for_it():
    # A page worker forked meanwhile must not take the zip's result from the pipe.
    pending = parallel.start(lambda: "zip", 2)
    asked = parallel.run_shares(lambda share, count: _try(pending.result), 2)
    assert all("only the process that started" in answer for answer in asked)
    assert pending.result() == "zip"


def _try(call):
    try:
        return repr(call())
    except RuntimeError as exc:
        return str(exc)


def test_ctrl_c_is_not_held_back_by_work_that_runs_in_this_process():
    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        parallel.start(interrupted, 1)


def test_the_biggest_items_go_to_different_workers():
    # One 2-million-row register and many small tables: the register gets a worker to itself.
    costs = [5, 2_000_000, 3, 1_000_000, 4, 900_000]
    shares = parallel.balance(costs, 2)
    assert shares[1] != shares[3]
    assert shares[3] == shares[5]
    assert parallel.balance(costs, 2) == shares  # the same every time
    assert parallel.balance(costs, 1) == [0] * len(costs)


def test_the_number_of_workers_comes_from_the_settings_or_the_cores():
    assert parallel.workers({"ETALASE_WORKERS": 1}) == 1
    assert parallel.workers({"ETALASE_WORKERS": 0}) == 1
    assert parallel.workers({}) >= 1


class _Node:
    """An object in a reference cycle, as a provider and its services are."""

    def __init__(self):
        self.me = self


def test_a_loaded_model_is_kept_out_of_collections_and_freed_when_the_process_builds_again():
    import gc
    import weakref

    parallel.release()  # nothing left frozen by an earlier test in this process
    was_enabled = gc.isenabled()
    with parallel.loading():
        assert not gc.isenabled()  # no collector pass while the model is made
        first = _Node()
    assert gc.isenabled() == was_enabled and gc.get_freeze_count() > 0
    gone = weakref.ref(first)
    del first
    gc.collect()
    assert gone() is not None  # frozen: the collector leaves the model alone during a build
    with parallel.loading():  # the next build frees what the last one froze
        assert gone() is None
        second = _Node()
    kept = weakref.ref(second)
    del second
    parallel.release()  # as the preview does between builds
    assert kept() is None and gc.get_freeze_count() == 0
