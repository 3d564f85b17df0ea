"""Requests are measured against the promised number of working days."""

from __future__ import annotations

import pandas as pd
import pytest
from stats_helpers import calendar_2025, frame

from etalase import timeliness


@pytest.fixture(scope="module")
def enriched():
    rows = [
        {"layanan": "a", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-10"},  # 3: on time
        {"layanan": "a", "tanggal_masuk": "2025-07-10", "tanggal_selesai": "2025-07-16"},  # 4: late
        {"layanan": "a", "tanggal_masuk": "2025-07-28", "tanggal_selesai": "2025-08-01"},  # 4: late
        {"layanan": "a", "tanggal_masuk": "2025-07-31", "tanggal_selesai": None},          # open
        # Thu 14 Aug → Wed 20 Aug: Fri 15, (Sat, Sun 17 Aug, Mon 18 cuti bersama), Tue, Wed = 3
        {"layanan": "a", "tanggal_masuk": "2025-08-14", "tanggal_selesai": "2025-08-20"},
    ]
    requests = frame(rows, ["tanggal_masuk", "tanggal_selesai"])
    return timeliness.enrich(requests, {"a": 3}, calendar_2025())


def test_working_days_and_on_time_flag_per_request(enriched):
    assert enriched["hari_kerja"].tolist()[:3] == [3, 4, 4]
    assert enriched["hari_kerja"].iloc[4] == 3  # the holiday and cuti bersama are skipped
    assert enriched["tepat_waktu"].tolist() == [True, False, False, None, True]
    # promised date of the open request: Thu 31 Jul + 3 working days = Tue 5 Aug
    assert enriched["batas_waktu"].iloc[3] == pd.Timestamp("2025-08-05")


def test_monthly_table_counts_receipts_and_completions_in_their_own_months(enriched):
    table = timeliness.monthly(enriched).set_index("bulan")
    july, august = table.loc["2025-07"], table.loc["2025-08"]
    assert (july["diterima"], july["selesai"], july["selesai_tepat_waktu"]) == (4, 2, 1)
    assert july["persen_tepat_waktu"] == 50.0 and july["median_hari_kerja"] == 3.5
    assert (august["diterima"], august["selesai"], august["selesai_tepat_waktu"]) == (1, 2, 1)
    assert august["median_hari_kerja"] == 3.5


def test_open_requests_past_their_promise_are_listed(enriched):
    as_of = timeliness.as_of_date(enriched)
    assert as_of == pd.Timestamp("2025-08-20")
    late = timeliness.overdue_open(enriched, as_of, calendar_2025())
    assert len(late) == 1
    # from Tue 5 Aug to Wed 20 Aug: 6,7,8,11,12,13,14,15,19,20 Aug = 10 (18 Aug is cuti bersama)
    assert late["hari_kerja_lewat"].tolist() == [10]


def test_service_summary_covers_the_last_three_months(enriched):
    summary = timeliness.service_summary(enriched, pd.Timestamp("2025-08-20"))
    assert summary["a"]["selesai"] == 4 and summary["a"]["tepat_waktu"] == 2
    assert summary["a"]["persen_tepat_waktu"] == 50.0
    assert summary["a"]["terbuka_lewat_janji"] == 1


def test_percent_rounds_half_up_to_one_decimal():
    assert timeliness.percent(1, 8) == 12.5
    assert timeliness.percent(1, 3) == 33.3
    assert timeliness.percent(2, 3) == 66.7
    assert timeliness.percent(1, 16) == 6.3  # 6.25 → 6.3, not banker's 6.2
