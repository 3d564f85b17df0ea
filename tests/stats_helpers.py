"""Shared bits for the statistics tests: a 2025 calendar with its cuti bersama days."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from etalase.workdays import WorkCalendar

CUTI_2025 = [dt.date(2025, 3, 28), dt.date(2025, 4, 2), dt.date(2025, 4, 3), dt.date(2025, 4, 4),
             dt.date(2025, 4, 7), dt.date(2025, 6, 9), dt.date(2025, 8, 18)]


def calendar_2025() -> WorkCalendar:
    return WorkCalendar(CUTI_2025)


def frame(rows: list[dict], date_columns: list[str]) -> pd.DataFrame:
    result = pd.DataFrame(rows)
    for column in date_columns:
        result[column] = pd.to_datetime(result[column])
    return result
