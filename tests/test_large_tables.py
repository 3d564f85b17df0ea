"""Large machine-written registers are read quickly, with the same result and messages."""

from __future__ import annotations

import pytest

from etalase import reading
from etalase.errors import DataError

REGISTER = (
    "layanan,tanggal_masuk,tanggal_selesai\r\n"
    "ktp-el-baru,2025-01-02,2025-01-03\r\n"
    "\r\n"
    ",,\r\n"
    "akta-kelahiran,2025-01-02,\r\n"
    " izin-apotek ,2025-01-03,2025-01-09\r\n"
)


def _careful(text):
    original = reading._read_plain_csv
    reading._read_plain_csv = lambda *args: None
    try:
        return reading._read_csv(text, "data/kinerja/permohonan-layanan.csv")
    finally:
        reading._read_plain_csv = original


def test_a_quote_free_register_reads_the_same_as_the_careful_reader(tmp_path):
    path = tmp_path / "permohonan-layanan.csv"
    path.write_bytes(REGISTER.encode("utf-8"))
    table = reading.read_table(path, "data/kinerja/permohonan-layanan.csv")
    frame, rows = _careful(REGISTER)
    assert reading._read_plain_csv(REGISTER, ",") is not None  # the fast path was taken
    assert table.frame.equals(frame)
    assert table.row_numbers == rows == [2, 5, 6]  # blank lines skipped, numbers kept
    assert table.frame.loc[1, "tanggal_selesai"] == ""


def test_a_short_row_in_a_quote_free_register_is_reported_with_its_row(tmp_path):
    path = tmp_path / "permohonan-layanan.csv"
    path.write_text("layanan,tanggal_masuk,tanggal_selesai\nktp-el-baru,2025-01-02\n",
                    encoding="utf-8")
    with pytest.raises(DataError) as caught:
        reading.read_table(path, "data/kinerja/permohonan-layanan.csv")
    problem = caught.value.problems[0]
    assert problem.row == 2
    assert "2 sel" in problem.expected
