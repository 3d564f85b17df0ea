"""Complaints are counted per month by channel, category and status, with resolution time."""

from __future__ import annotations

import pytest
from stats_helpers import calendar_2025, frame

from etalase import complaints


@pytest.fixture(scope="module")
def enriched():
    rows = [
        {"nomor": "1", "tanggal_masuk": "2025-07-01", "kanal": "sp4n-lapor", "kategori": "Waktu",
         "layanan": "a", "status": "selesai", "tanggal_selesai": "2025-07-04"},  # Tue→Fri: 3
        {"nomor": "2", "tanggal_masuk": "2025-07-15", "kanal": "loket", "kategori": "Perilaku",
         "layanan": "a", "status": "diproses", "tanggal_selesai": None},
        {"nomor": "3", "tanggal_masuk": "2025-07-20", "kanal": "loket", "kategori": "Waktu",
         "layanan": None, "status": "selesai", "tanggal_selesai": "2025-07-25"},  # Sun→Fri: 5
        {"nomor": "4", "tanggal_masuk": "2025-08-14", "kanal": "whatsapp", "kategori": "Biaya",
         "layanan": "b", "status": "selesai", "tanggal_selesai": "2025-08-19"},  # Fri, Tue: 2
    ]
    return complaints.enrich(frame(rows, ["tanggal_masuk", "tanggal_selesai"]), calendar_2025())


def test_monthly_share_resolved_and_median_working_days(enriched):
    table = complaints.monthly(enriched).set_index("bulan")
    assert table.loc["2025-07", "diterima"] == 3 and table.loc["2025-07", "selesai"] == 2
    assert table.loc["2025-07", "persen_selesai"] == 66.7
    assert table.loc["2025-07", "median_hari_kerja_penyelesaian"] == 4  # median of 3 and 5
    assert table.loc["2025-08", "median_hari_kerja_penyelesaian"] == 2  # 18 Aug cuti bersama


def test_counts_by_channel_category_and_status(enriched):
    table = complaints.breakdown(enriched)
    july = table[table["bulan"] == "2025-07"]
    channels = dict(zip(july[july.dimensi == "kanal"].nilai, july[july.dimensi == "kanal"].jumlah))
    assert channels == {"loket": 2, "sp4n-lapor": 1}
    statuses = dict(zip(july[july.dimensi == "status"].nilai, july[july.dimensi == "status"].jumlah))
    assert statuses == {"selesai": 2, "diproses": 1}


def test_per_service_keeps_complaints_about_no_particular_service(enriched):
    table = complaints.per_service(enriched)
    july = table[table["bulan"] == "2025-07"]
    a = july[july["layanan"] == "a"].iloc[0]
    assert (a["diterima"], a["selesai"], a["persen_selesai"]) == (2, 1, 50.0)
    general = july[july["layanan"].isna()].iloc[0]
    assert (general["diterima"], general["median_hari_kerja_penyelesaian"]) == (1, 5)
