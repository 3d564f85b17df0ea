"""Complaint (pengaduan) statistics per month: channel, category, status, resolution time.

Complaints are counted in the month they were received (a cohort); "resolved" means status
`selesai`, and the resolution time is the working days from receipt to `tanggal_selesai`.
"""

from __future__ import annotations

import pandas as pd

from .timeliness import month_of, percent
from .workdays import WorkCalendar

RESOLVED = "selesai"
STATUS_LABELS = {
    "diterima": "Diterima, belum diproses",
    "diproses": "Sedang ditindaklanjuti",
    "selesai": "Selesai",
    "tidak_dapat_ditindaklanjuti": "Tidak dapat ditindaklanjuti",
}
# The channels staff commonly write in the register's `kanal` (the schema fixes none), as
# the statistics page names them; the downloads keep the codes.
CHANNEL_LABELS = {
    "loket": "Loket", "sp4n-lapor": "SP4N-LAPOR!", "telepon": "Telepon",
    "email": "Surel (email)", "whatsapp": "WhatsApp", "kotak-saran": "Kotak saran",
    "media-sosial": "Media sosial", "sms": "SMS", "surat": "Surat", "situs-web": "Situs web",
}
LABELS = {"status": STATUS_LABELS, "kanal": CHANNEL_LABELS}  # by the column they name
DIMENSIONS = {"kanal": "Kanal", "kategori": "Kategori", "status": "Status"}


def enrich(complaints: pd.DataFrame, calendar: WorkCalendar) -> pd.DataFrame:
    frame = complaints.copy()
    frame["bulan"] = month_of(frame["tanggal_masuk"])
    frame["selesai"] = frame["status"] == RESOLVED
    frame["hari_kerja"] = calendar.working_days_between(frame["tanggal_masuk"],
                                                        frame["tanggal_selesai"])
    frame.loc[~frame["selesai"], "hari_kerja"] = float("nan")
    return frame


def _summarise(frame: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    grouped = frame.groupby(keys, dropna=False)
    table = pd.DataFrame({
        "diterima": grouped.size(),
        "selesai": grouped["selesai"].sum().astype("int64"),
        "median_hari_kerja_penyelesaian": grouped["hari_kerja"].median(),
    }).reset_index()
    table["persen_selesai"] = percent(table["selesai"], table["diterima"])
    return table


def monthly(enriched: pd.DataFrame) -> pd.DataFrame:
    """Per month: received, resolved, share resolved, median working days to resolution."""
    table = _summarise(enriched, ["bulan"])
    return table[["bulan", "diterima", "selesai", "persen_selesai",
                  "median_hari_kerja_penyelesaian"]].sort_values("bulan").reset_index(drop=True)


def breakdown(enriched: pd.DataFrame) -> pd.DataFrame:
    """Per month, the number of complaints by channel, by category and by status."""
    parts = []
    for column in DIMENSIONS:
        counts = enriched.groupby(["bulan", column]).size().rename("jumlah").reset_index()
        parts.append(counts.rename(columns={column: "nilai"}).assign(dimensi=column))
    table = pd.concat(parts, ignore_index=True)
    return table[["bulan", "dimensi", "nilai", "jumlah"]].sort_values(
        ["bulan", "dimensi", "jumlah", "nilai"], ascending=[True, True, False, True]
    ).reset_index(drop=True)


def per_service(enriched: pd.DataFrame) -> pd.DataFrame:
    """Per month and service (blank service = not about one service)."""
    frame = enriched.assign(layanan=enriched["layanan"].fillna(""))
    table = _summarise(frame, ["bulan", "layanan"])
    table["layanan"] = table["layanan"].replace("", None)
    return table[["bulan", "layanan", "diterima", "selesai", "persen_selesai",
                  "median_hari_kerja_penyelesaian"]].sort_values(
        ["bulan", "layanan"], na_position="last").reset_index(drop=True)


def totals(enriched: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Counts by channel, category and status over the whole register (for the overview)."""
    return {column: enriched.groupby(column).size().sort_values(ascending=False)
            for column in DIMENSIONS}
