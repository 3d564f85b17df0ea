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


def _dataset(rows: int):
    import pandas as pd

    from etalase.datasets import Dataset

    schema = {"fields": [{"name": "layanan", "type": "string"},
                         {"name": "jumlah", "type": "integer"}]}
    frame = pd.DataFrame({"layanan": ["ktp-el-baru"] * rows, "jumlah": list(range(rows))})
    return Dataset(id="contoh", title="Contoh", description="", schema=schema, frame=frame,
                   theme="kinerja")


def test_a_table_too_large_for_excel_is_published_as_csv_and_json_only(tmp_path, monkeypatch):
    from etalase import datasets, exports

    monkeypatch.setattr(datasets, "XLSX_MAX_CELLS", 10)
    written = exports.write_dataset(_dataset(6), tmp_path)  # 12 cells
    assert sorted(written) == ["csv", "json"]
    assert not (tmp_path / "data/contoh/contoh.xlsx").exists()
    assert (tmp_path / "data/contoh/contoh.csv").read_text(encoding="utf-8").count("\n") == 7


def test_a_table_within_the_limit_also_gets_a_workbook(tmp_path, monkeypatch):
    from etalase import datasets, exports

    monkeypatch.setattr(datasets, "XLSX_MAX_CELLS", 10)
    written = exports.write_dataset(_dataset(5), tmp_path)  # 10 cells
    assert sorted(written) == ["csv", "json", "xlsx"]
