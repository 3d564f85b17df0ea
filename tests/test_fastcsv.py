"""The fast CSV reader reads exactly what the careful reader reads, or leaves the table to it.

`fastcsv.read` parses with pandas' C parser; the careful reader (`reading._read_csv`) with
Python's strict `csv` module and reports every mistake with its row. Staff must never see a
table read differently because it was large, so these tests compare the two on thousands of
random tables, and check that the national tables take the fast path.
"""

from __future__ import annotations

import csv
import io
import random

import pytest

from etalase import fastcsv, reading
from etalase.errors import DataError

DISPLAY = "data/standar-pelayanan.csv"


def _careful(data: bytes):
    """What the careful reader makes of `data`: (frame, rows), or the DataError's problems."""
    try:
        return reading._read_csv(data.decode("utf-8"), DISPLAY)
    except DataError as exc:
        return exc.problems


def _same(fast, careful) -> bool:
    frame, rows = fast
    expected_frame, expected_rows = careful
    return (rows == expected_rows and list(frame.columns) == list(expected_frame.columns)
            and frame.equals(expected_frame) and all(frame.dtypes == object))


def _assert_fast_is_careful(data: bytes, delimiter: str = ",") -> bool:
    """The fast reader declines (None) or reads what the careful one reads; True if it read."""
    fast = fastcsv.read(data, delimiter)
    if fast is None:
        return False
    careful = _careful(data)
    assert not isinstance(careful, list), (data, careful)  # the careful reader found a mistake
    assert _same(fast, careful), data
    return True


@pytest.mark.parametrize("seed", range(4))
def test_random_bytes_are_read_as_the_careful_reader_reads_them_or_left_to_it(seed):
    # Short texts over the characters that matter: quotes, delimiters, line breaks of both
    # kinds, white space (a non-breaking space is white space to str.strip), letters.
    rng = random.Random(seed)
    alphabet = ['"', '"', ",", ",", "\n", "\n", "\r\n", "\r", " ", "\u00a0", "a", "b", "7",
                "—"]
    read = 0
    for number in range(2500):
        header = "a,b,c\n" if number % 5 else ""  # a fifth of them with a random first line
        text = header + "".join(rng.choice(alphabet) for _ in range(rng.randrange(0, 30)))
        read += _assert_fast_is_careful(text.encode("utf-8"))
    assert read > 100  # many were taken by the fast path, not all declined


@pytest.mark.parametrize("terminator", ["\n", "\r\n"])
@pytest.mark.parametrize("quoting", [csv.QUOTE_MINIMAL, csv.QUOTE_ALL])
def test_tables_written_by_a_spreadsheet_take_the_fast_path_and_read_the_same(terminator,
                                                                               quoting):
    rng = random.Random(7)
    pieces = ["Rp 10.000", 'kata "kutip"', "baris\nbaru", "a, b", " spasi ", "", "—", "²",
              "\r\nwindows", '""']
    for _ in range(200):
        buffer = io.StringIO(newline="")
        writer = csv.writer(buffer, quoting=quoting, lineterminator=terminator)
        writer.writerow(["kode", "nama", "prosedur"])
        for _ in range(rng.randrange(0, 8)):
            if rng.random() < 0.15:
                writer.writerow(rng.choice([[], ["", "", ""], [" ", "", ""]]))  # blank rows
            else:
                writer.writerow(["k" + str(rng.randrange(100)),
                                 *("".join(rng.choices(pieces, k=3)) for _ in range(2))])
        assert _assert_fast_is_careful(buffer.getvalue().encode("utf-8"))


@pytest.mark.parametrize("text", [
    'kode,nama\nk1,"abc"x\n',          # a closing quote followed by text: strict csv refuses
    'kode,nama\nk1,ab"c\n',             # a quote inside an unquoted cell
    'kode,nama\nk1,ab"c"\n',            # two of them
    "\nkode\nk1\n",                     # no header on the first line
    'kode,nama\nk1,"tidak ditutup\n',   # an unclosed quote
    "kode,nama\nk1\n",                  # too few cells
    "kode,nama\nk1,a,b\n",              # too many cells
    "kode,nama\rk1,a\r",                # old Mac line breaks
    "kode,nama\nk1,a\x00\n",            # a NUL byte
    "\ufeffkode,nama\nk1,a\n",           # a second byte order mark (the first is dropped
                                        # by reading.py): `csv` keeps it in the column name
    " \t\n",                           # nothing but white space
])
def test_what_the_fast_reader_cannot_vouch_for_is_left_to_the_careful_reader(text):
    assert fastcsv.read(text.encode("utf-8"), ",") is None


def test_a_row_with_too_few_cells_is_still_reported_with_its_spreadsheet_row(tmp_path):
    path = tmp_path / "standar-pelayanan.csv"
    path.write_text('kode,nama\nk1,"dua\nbaris"\nk2\n', encoding="utf-8")
    with pytest.raises(DataError) as caught:
        reading.read_table(path, DISPLAY)
    assert [(p.row, p.expected[:18]) for p in caught.value.problems] == [
        (3, "baris berisi 1 sel")]


def test_a_cell_longer_than_the_csv_limit_is_left_to_the_careful_reader():
    cell = "x" * (csv.field_size_limit() + 1)
    assert fastcsv.read(f"kode,nama\nk1,{cell}\n".encode(), ",") is None
    assert fastcsv.read(f"kode,nama\nk1,{cell[:1000]}\n".encode(), ",") is not None


def test_blank_rows_are_skipped_and_the_rows_keep_their_spreadsheet_numbers():
    data = 'kode,nama\n\nk1,"dua\r\nbaris"\r\n,\n \u00a0,""\nk2,b\n'.encode()
    frame, rows = fastcsv.read(data, ",")
    assert rows == [3, 6]
    assert frame["nama"].tolist() == ["dua\nbaris", "b"]  # line breaks inside cells as "\n"
    assert _same((frame, rows), _careful(data))


def test_a_semicolon_table_with_a_byte_order_mark_takes_the_fast_path(tmp_path):
    path = tmp_path / "standar-pelayanan.csv"
    path.write_bytes("\ufeffkode;nama\r\nk1;\"a; b\"\r\n".encode("utf-8"))
    table = reading.read_table(path, DISPLAY)
    assert table.columns == ["kode", "nama"] and table.frame.loc[0, "nama"] == "a; b"
    assert reading.read_utf8_csv(path.read_bytes()) is not None


def test_windows_1252_text_and_mojibake_are_left_to_the_careful_reader():
    assert reading.read_utf8_csv("kode,nama\nk1,Café\n".encode("cp1252")) is None
    assert reading.read_utf8_csv("kode,nama\nk1,CafÃ©\n".encode("utf-8")) is None
