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
