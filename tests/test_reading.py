"""Staff files saved by Excel or LibreOffice are read correctly, or rejected clearly."""

from __future__ import annotations

import pytest
from factories import SERVICE_COLUMNS, service, write_csv

from etalase.errors import DataError
from etalase.reading import read_table
from etalase.schema import load_schema, validate

ROW = service(nama="Izin Usaha Mikro — Kecamatan", ringkasan="Untuk pelaku usaha mikro")


def _read(path):
    return read_table(path, "data/standar-pelayanan.csv")


def test_plain_utf8_csv_keeps_accents_and_multiline_cells(tmp_path):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [ROW])
    table = _read(path)
    assert table.frame.loc[0, "nama"] == "Izin Usaha Mikro — Kecamatan"
    assert table.frame.loc[0, "prosedur"].count("\n") == 2
    assert table.row_numbers == [2]


def test_utf8_with_bom_from_excel_has_a_clean_first_column_name(tmp_path):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [ROW], bom=True)
    assert _read(path).columns[0] == "kode"


def test_semicolon_delimiter_from_excel_in_indonesian_locale(tmp_path):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [ROW], delimiter=";")
    table = _read(path)
    assert table.columns == SERVICE_COLUMNS
    assert table.frame.loc[0, "kode"] == "akta-kelahiran"


def test_windows_1252_text_is_decoded_without_mojibake(tmp_path):
    row = service(nama="Layanan Café – Izin", ringkasan="Biaya “resmi” saja")
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [row], encoding="cp1252")
    table = _read(path)
    assert table.frame.loc[0, "nama"] == "Layanan Café – Izin"
    assert table.frame.loc[0, "ringkasan"] == "Biaya “resmi” saja"


def test_text_that_already_contains_mojibake_is_rejected_with_its_line(tmp_path):
    row = service(nama="Layanan CafÃ© â€“ Izin")
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [row])
    with pytest.raises(DataError) as err:
        _read(path)
    message = str(err.value)
    assert "data/standar-pelayanan.csv:2" in message
    assert "mojibake" in message


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_rejected(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"kode,nama\nabc,\x81\x8d\x8f\n")
    with pytest.raises(DataError) as err:
        _read(path)
    assert "UTF-8" in str(err.value) and "Windows-1252" in str(err.value)


def test_an_xlsx_workbook_saved_under_the_csv_name_is_read_as_a_workbook(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(SERVICE_COLUMNS)
    row = dict(ROW, jangka_waktu_hari_kerja=3, biaya_rupiah=50000.0)
    sheet.append([row[c] for c in SERVICE_COLUMNS])
    path = tmp_path / "standar-pelayanan.csv"
    book.save(path)
    table = _read(path)
    assert table.frame.loc[0, "jangka_waktu_hari_kerja"] == "3"
    assert table.frame.loc[0, "biaya_rupiah"] == "50000"
    assert table.frame.loc[0, "prosedur"].startswith("1. Ambil")
    frame, problems = validate(table, load_schema("standar-pelayanan"))
    assert problems == []


def test_excel_dates_in_a_workbook_become_iso_dates(tmp_path):
    import datetime as dt

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(SERVICE_COLUMNS)
    row = dict(ROW, berlaku_sejak=dt.datetime(2025, 8, 17))
    book.active.append([row[c] for c in SERVICE_COLUMNS])
    path = tmp_path / "standar-pelayanan.xlsx"
    book.save(path)
    assert _read(path).frame.loc[0, "berlaku_sejak"] == "2025-08-17"


def test_a_row_with_too_many_cells_is_reported_with_its_spreadsheet_row(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("kode,nama\nabc,Satu\ndef,Dua,lebih\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        _read(path)
    assert "data/standar-pelayanan.csv:3" in str(err.value)
    assert "3 sel" in str(err.value)


def test_row_numbers_count_spreadsheet_rows_not_text_lines(tmp_path):
    rows = [service(kode="satu"), service(kode="dua")]
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, rows)
    # each row holds multi-line cells, yet the second service is spreadsheet row 3
    assert _read(path).row_numbers == [2, 3]


def test_an_empty_file_is_rejected(tmp_path):
    path = tmp_path / "s.csv"
    path.write_bytes(b"")
    with pytest.raises(DataError, match="kosong"):
        _read(path)


def test_the_quick_look_for_mojibake_knows_every_letter_a_trace_begins_with():
    # Large tables are searched for the pattern only when one of these letters occurs.
    import re

    from etalase.reading import _MOJIBAKE, _MOJIBAKE_STARTS

    for alternative in _MOJIBAKE.pattern.split("|"):
        first = re.compile(alternative[:alternative.index("]") + 1]
                           if alternative.startswith("[") else re.escape(alternative[0]))
        starts = [chr(c) for c in range(0x10000) if first.fullmatch(chr(c))]
        assert starts and all(c in _MOJIBAKE_STARTS for c in starts), alternative


@pytest.mark.parametrize("content", [b"", b"\xef\xbb\xbf", b"\r\n  \r\n\t\n"])
def test_an_empty_file_is_reported_as_empty(tmp_path, content):
    path = tmp_path / "s.csv"
    path.write_bytes(content)
    with pytest.raises(DataError) as caught:
        _read(path)
    assert [p.expected for p in caught.value.problems] == [
        "berkas kosong: baris judul kolom tidak ada"]


def test_a_header_without_rows_and_without_a_final_line_break_is_read(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("kode;nama", encoding="utf-8")
    table = _read(path)
    assert table.columns == ["kode", "nama"] and table.frame.empty
