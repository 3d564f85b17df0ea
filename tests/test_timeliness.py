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


def _grouped(enriched):
    """The monthly table as a plain group-by defines it (how it was first written)."""
    received = (enriched.assign(bulan=timeliness.month_of(enriched["tanggal_masuk"]))
                .groupby(["layanan", "bulan"]).size().rename("diterima"))
    done = enriched[enriched["tanggal_selesai"].notna()].assign(
        bulan=lambda f: timeliness.month_of(f["tanggal_selesai"]),
        tepat=lambda f: f["tepat_waktu"].astype(bool))
    grouped = done.groupby(["layanan", "bulan"])
    completed = pd.DataFrame({"selesai": grouped.size(),
                              "selesai_tepat_waktu": grouped["tepat"].sum(),
                              "median_hari_kerja": grouped["hari_kerja"].median()})
    table = pd.concat([received, completed], axis=1).reset_index()
    for column in ("diterima", "selesai", "selesai_tepat_waktu"):
        table[column] = table[column].fillna(0).astype("int64")
    table["persen_tepat_waktu"] = timeliness.percent(table["selesai_tepat_waktu"],
                                                     table["selesai"])
    janji = enriched.drop_duplicates("layanan").set_index("layanan")["janji_hari_kerja"]
    table["janji_hari_kerja"] = table["layanan"].map(janji).astype("Int64")
    columns = ["layanan", "bulan", "janji_hari_kerja", "diterima", "selesai",
               "selesai_tepat_waktu", "persen_tepat_waktu", "median_hari_kerja"]
    return table[columns].sort_values(["layanan", "bulan"]).reset_index(drop=True)


@pytest.mark.parametrize("seed", range(40))
def test_the_monthly_table_is_what_grouping_by_service_and_month_gives(seed):
    # Counted on integer keys for speed; it must equal the plain group-by, whatever the
    # register holds: open requests, requests of a service without a promise, a request
    # without a service, months with receipts only or completions only, a mistyped year.
    import random

    rng = random.Random(seed)
    services = ["akta-kelahiran", "ktp-el", "izin-apotek", "zz-tanpa-janji", "b"]
    rows = []
    for _ in range(rng.randint(1, 60)):
        start = pd.Timestamp("2024-11-01") + pd.Timedelta(days=rng.randint(0, 120))
        if rng.random() < 0.05:  # a mistyped year: months far apart
            start = start.replace(year=rng.choice([1925, 1969, 1999, 2099]))
        end = start + pd.Timedelta(days=rng.randint(0, 45)) if rng.random() < 0.8 else None
        service = rng.choice(services) if rng.random() < 0.95 else None
        rows.append({"layanan": service, "tanggal_masuk": start, "tanggal_selesai": end})
    requests = frame(rows, ["tanggal_masuk", "tanggal_selesai"])
    requests["layanan"] = requests["layanan"].astype("str")
    requests.loc[requests["layanan"] == "None", "layanan"] = None
    promises = {"akta-kelahiran": 3, "ktp-el": 1, "izin-apotek": 10, "b": 5}
    enriched = timeliness.enrich(requests, promises, calendar_2025())
    pd.testing.assert_frame_equal(timeliness.monthly(enriched), _grouped(enriched),
                                  check_exact=True)


def test_a_register_without_a_dated_request_gives_an_empty_monthly_table():
    requests = frame([{"layanan": None, "tanggal_masuk": None, "tanggal_selesai": None}],
                     ["tanggal_masuk", "tanggal_selesai"])
    requests["layanan"] = pd.Series([None], dtype="str")
    enriched = timeliness.enrich(requests, {"a": 3}, calendar_2025())
    pd.testing.assert_frame_equal(timeliness.monthly(enriched), _grouped(enriched),
                                  check_exact=True)


def test_a_mistyped_year_is_counted_in_its_own_month_not_in_another_century():
    # Dates are read to the microsecond: months worked out in nanoseconds wrapped 1025 into
    # 2194, and the monthly table then showed a month no one had typed.
    requests = frame([
        {"layanan": "a", "tanggal_masuk": "1025-07-01", "tanggal_selesai": "2025-07-03"},
        {"layanan": "a", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-10"},
    ], ["tanggal_masuk", "tanggal_selesai"])
    enriched = timeliness.enrich(requests, {"a": 3}, calendar_2025())
    assert timeliness.monthly(enriched)["bulan"].tolist() == ["1025-07", "2025-07"]
    assert timeliness.month_of(enriched["tanggal_masuk"]).tolist() == ["1025-07", "2025-07"]


def test_a_same_day_promise_is_kept_only_by_finishing_on_the_day_received():
    # "Selesai di hari yang sama" is 0 working days: finishing the next working day is late,
    # as the citizen who was promised the same day sees it.
    rows = [
        {"layanan": "kir", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-07"},
        {"layanan": "kir", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-08"},
        {"layanan": "kir", "tanggal_masuk": "2025-07-09", "tanggal_selesai": None},
    ]
    requests = frame(rows, ["tanggal_masuk", "tanggal_selesai"])
    enriched = timeliness.enrich(requests, {"kir": 0}, calendar_2025())
    assert enriched["tepat_waktu"].tolist() == [True, False, None]
    assert enriched["batas_waktu"].iloc[2] == pd.Timestamp("2025-07-09")
    overdue = timeliness.overdue_open(enriched, pd.Timestamp("2025-07-10"), calendar_2025())
    assert overdue["hari_kerja_lewat"].tolist() == [1]


def test_a_same_day_promise_for_a_request_received_on_a_day_off_is_kept_on_the_next_working_day():
    # An online service takes requests on a Saturday: "the same day" is then the Monday.
    rows = [
        {"layanan": "oss", "tanggal_masuk": "2025-07-05", "tanggal_selesai": "2025-07-07"},
        {"layanan": "oss", "tanggal_masuk": "2025-07-05", "tanggal_selesai": "2025-07-08"},
        {"layanan": "oss", "tanggal_masuk": "2025-07-06", "tanggal_selesai": None},
        # a promise of 3 from a Saturday runs to Wednesday, as Saturday + 1 is Monday
        {"layanan": "tiga", "tanggal_masuk": "2025-07-05", "tanggal_selesai": "2025-07-09"},
    ]
    requests = frame(rows, ["tanggal_masuk", "tanggal_selesai"])
    enriched = timeliness.enrich(requests, {"oss": 0, "tiga": 3}, calendar_2025())
    assert enriched["tepat_waktu"].tolist() == [True, False, None, True]
    assert enriched["batas_waktu"].iloc[2] == pd.Timestamp("2025-07-07")
    assert timeliness.overdue_open(enriched, pd.Timestamp("2025-07-07"), calendar_2025()).empty
    late = timeliness.overdue_open(enriched, pd.Timestamp("2025-07-08"), calendar_2025())
    assert late["hari_kerja_lewat"].tolist() == [1]
