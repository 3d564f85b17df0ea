"""Working days skip weekends, national holidays and the cuti bersama staff list."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import holidays
import numpy as np
import pandas as pd
import pytest

from etalase.workdays import WorkCalendar

ROOT = Path(__file__).resolve().parent.parent
D = dt.date


@pytest.fixture(scope="module")
def calendar():
    # Cuti bersama 2025 around Idulfitri (SKB 2025): 2, 3, 4 and 7 April; Nyepi eve 28 March.
    return WorkCalendar([D(2025, 3, 28), D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4),
                         D(2025, 4, 7), D(2025, 8, 18)])


def test_same_day_is_zero_and_next_working_day_is_one(calendar):
    assert calendar.working_days_between(D(2025, 7, 7), D(2025, 7, 7)) == 0
    assert calendar.working_days_between(D(2025, 7, 7), D(2025, 7, 8)) == 1


def test_a_weekend_is_skipped(calendar):
    # Friday 11 July 2025 → Monday 14 July 2025: one working day (the Monday)
    assert calendar.working_days_between(D(2025, 7, 11), D(2025, 7, 14)) == 1
    assert calendar.add_working_days(D(2025, 7, 11), 1) == D(2025, 7, 14)
    # received on Saturday: Monday is the first working day after it
    assert calendar.add_working_days(D(2025, 7, 12), 1) == D(2025, 7, 14)


def test_a_public_holiday_from_the_library_is_skipped(calendar):
    # Friday 15 Aug 2025 → Tuesday 19 Aug: Sunday 17 Aug is Independence Day (on a weekend),
    # Monday 18 Aug is cuti bersama; only Tuesday counts.
    assert calendar.working_days_between(D(2025, 8, 15), D(2025, 8, 19)) == 1
    # Christmas, Thursday 25 Dec 2025, is a library holiday (26 Dec is not in this calendar)
    assert calendar.working_days_between(D(2025, 12, 24), D(2025, 12, 26)) == 1
    assert not calendar.is_working_day(D(2025, 12, 25))


def test_idulfitri_holidays_and_cuti_bersama_together(calendar):
    # Thursday 27 March 2025. Off: 28 (cuti bersama), 29–30 (weekend, Nyepi), 31 March and
    # 1 April (Idulfitri), 2–4 April (cuti bersama), 5–6 (weekend), 7 April (cuti bersama).
    # First working day: Tuesday 8 April; the tenth: Tuesday 22 April (no holiday between).
    assert calendar.add_working_days(D(2025, 3, 27), 1) == D(2025, 4, 8)
    assert calendar.add_working_days(D(2025, 3, 27), 10) == D(2025, 4, 22)
    assert calendar.working_days_between(D(2025, 3, 27), D(2025, 4, 9)) == 2


def test_cuti_bersama_only_counts_when_listed():
    plain = WorkCalendar()
    assert plain.working_days_between(D(2025, 4, 1), D(2025, 4, 8)) == 5  # 2,3,4,7,8 April
    with_leave = WorkCalendar([D(2025, 4, 2), D(2025, 4, 3), D(2025, 4, 4), D(2025, 4, 7)])
    assert with_leave.working_days_between(D(2025, 4, 1), D(2025, 4, 8)) == 1


def test_counting_and_adding_are_inverse_on_every_day_of_a_year(calendar):
    starts = pd.Series(pd.date_range("2025-01-01", "2025-12-31", freq="D"))
    for n in (1, 3, 10, 17):
        ends = calendar.add_working_days(starts, n)
        assert (calendar.working_days_between(starts, ends) == n).all()


def test_vectorised_counts_keep_missing_dates_missing(calendar):
    starts = pd.Series(pd.to_datetime(["2025-07-07", "2025-07-11", None]))
    ends = pd.Series(pd.to_datetime(["2025-07-09", None, "2025-07-10"]))
    result = calendar.working_days_between(starts, ends)
    assert result[0] == 2 and np.isnan(result[1]) and np.isnan(result[2])


def test_end_before_start_is_negative(calendar):
    assert calendar.working_days_between(D(2025, 7, 9), D(2025, 7, 7)) == -2


def test_seeded_cuti_bersama_file_agrees_with_the_library_government_calendar():
    # The staff file is the source used; this checks our 2023–2026 seed against an
    # independent list (python-holidays' "government" category for Indonesia).
    frame = pd.read_csv(ROOT / "data/hari-libur/cuti-bersama.csv")
    ours = set(pd.to_datetime(frame["tanggal"]).dt.date)
    theirs = set(holidays.country_holidays("ID", years=range(2023, 2027),
                                           categories=("government",)))
    assert ours == theirs
