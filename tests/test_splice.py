"""A rebuild parses only the records of a table that changed, and reads what a whole read reads.

With the cache on, a build keeps where the records of each table lie (`splice.Layout`); the
next one parses only the records between the first and the last chunk of bytes that changed.
Staff must never see a table read differently because only part of it was parsed, so these
tests compare the two after thousands of random edits, including edits that change how the
rest of the file would be parsed, and check that every mistake is still reported as a whole
read reports it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import random

import numpy as np
import pandas as pd
import pytest

from conftest import ROOT, build_site
from etalase import schema, site, splice
from etalase.errors import DataError

DISPLAY = "data/standar-pelayanan.csv"
SCHEMA = schema.load_schema("standar-pelayanan")


def _whole(path):
    """A whole read: (typed frame, problems, layout); (None, problems, None) when the table
    cannot be read at all."""
    try:
        return site._read_valid(path, DISPLAY, SCHEMA, "kunci")
    except DataError as exc:
        return None, exc.problems, None


def _record(cells: list[str], ending: str = "\n") -> bytes:
    out = io.StringIO()
    csv.writer(out, lineterminator=ending).writerow(cells)
    return out.getvalue().encode("utf-8")


def _assert_layout_describes(layout: splice.Layout, data: bytes, whole: splice.Layout) -> None:
    """`layout` (made by a partial read) says what a whole read's layout says of `data`."""
    assert layout.size == len(data) == whole.size
    assert layout.terminated == whole.terminated
    assert np.array_equal(layout.starts, whole.starts)
    assert len(layout.unique) == len(whole.unique)
    for mine, theirs in zip(layout.unique, whole.unique):
        assert list(mine) == list(theirs)
    # chunks: the header alone first, then whole records, each with its bytes' SHA-1
    assert layout.bounds[0] == 0 and layout.bounds[-1] == len(data)
    assert layout.bounds[1] == (whole.starts[1] if len(whole.starts) > 1 else len(data))
    assert set(layout.bounds[1:-1].tolist()) <= set(whole.starts.tolist())
    assert np.all(np.diff(layout.bounds) > 0)
    assert layout.digests == [hashlib.sha1(data[a:b]).digest()
                              for a, b in zip(layout.bounds, layout.bounds[1:])]


class _Table:
    """The example service table as records of bytes, to edit as staff and programs do."""

    def __init__(self, rng: random.Random):
        text = (ROOT / "data" / "standar-pelayanan.csv").read_text(encoding="utf-8")
        self.rows = list(csv.reader(io.StringIO(text, newline="")))
        self.rng = rng
        self.made = 0

    def new_row(self) -> list[str]:
        row = list(self.rng.choice(self.rows[1:]))
        self.made += 1
        row[0] = f"layanan-baru-{self.made}"
        row[self.rows[0].index("ringkasan")] = self.rng.choice([
            "Ringkasan baru.", 'Dengan "kutip", koma, dan\nbaris baru.', "Baris\r\nWindows"])
        return row


def _edit(rng: random.Random, table: _Table, data: bytes, starts: np.ndarray) -> bytes:
    """`data` with one random change: a record changed, added, removed or moved, a blank line,
    or a single byte typed anywhere (which may unbalance the quotes of everything after)."""
    records = [data[a:b] for a, b in zip(starts, [*starts[1:], len(data)])]
    body = records[1:]
    kind = rng.choice(["change", "change", "add", "remove", "move", "blank", "byte", "end",
                       "duplicate", "invalid"])
    at = rng.randrange(len(body) + 1)
    if kind == "change" and body:
        at = min(at, len(body) - 1)
        cells = next(csv.reader(io.StringIO(body[at].decode("utf-8"), newline="")), [])
        if len(cells) < 2:  # a blank line
            cells = table.new_row()
        cells[rng.randrange(1, len(cells))] = rng.choice(
            ["", "teks baru", '"dikutip"', "a,b", "satu\ndua", "tiga\r\nempat", "  spasi  "])
        body[at] = _record(cells)
    elif kind == "add":
        body[at:at] = [_record(table.new_row()) for _ in range(rng.randrange(1, 4))]
    elif kind == "remove" and body:
        del body[at:at + rng.randrange(1, 4)]
    elif kind == "move" and len(body) > 1:
        body.insert(rng.randrange(len(body)), body.pop(min(at, len(body) - 1)))
    elif kind == "blank":
        body.insert(at, rng.choice([b"\n", b",,,\n", b"  \n"]))
    elif kind == "end":  # the last line break dropped, or a record added after it
        joined = b"".join(body)
        return records[0] + (joined.rstrip(b"\n") if rng.random() < 0.5
                             else joined + _record(table.new_row()))
    elif kind == "duplicate" and body:
        cells = table.new_row()
        cells[0] = rng.choice(table.rows[1:])[0]
        body.insert(at, _record(cells))  # a code that may be in use
    elif kind == "invalid":
        cells = table.new_row()
        cells[table.rows[0].index("jangka_waktu_hari_kerja")] = "tiga hari"
        body.insert(at, _record(cells))
    else:  # "byte"
        joined = b"".join(body)
        position = rng.randrange(len(joined) + 1)
        return records[0] + joined[:position] + rng.choice([b'"', b",", b"\n", b"x"]) + \
            joined[position:]
    return records[0] + b"".join(body)


@pytest.mark.parametrize("seed", range(2))
def test_a_table_read_by_its_changed_records_is_the_table_read_whole(tmp_path, monkeypatch,
                                                                      seed):
    monkeypatch.setattr(splice, "CHUNK", 2048)  # the example table in some 60 chunks
    rng = random.Random(seed)
    table = _Table(rng)
    path = tmp_path / "standar-pelayanan.csv"
    path.write_bytes((ROOT / "data" / "standar-pelayanan.csv").read_bytes())
    frame, problems, layout = _whole(path)
    assert not problems and layout is not None
    partly = declined = 0
    good = path.read_bytes()  # the last version read without a mistake
    for _ in range(150):
        data = _edit(rng, table, path.read_bytes(), layout.starts)
        path.write_bytes(data)
        expected, problems, whole_layout = _whole(path)
        result = splice.read_changed(layout, frame, data, path, DISPLAY, SCHEMA, "kunci")
        if problems or whole_layout is None:
            # a mistake (or a table only the careful reader reads): the whole read reports it
            assert result is None
            path.write_bytes(good)  # back to the last good version
            continue
        if result is None:
            declined += 1
            frame, layout = expected, whole_layout
        else:
            partly += 1
            got, got_layout, count = result.frame, result.layout, result.records
            pd.testing.assert_frame_equal(got, expected)
            pd.testing.assert_series_equal(got.attrs["row_numbers"], expected.attrs["row_numbers"])
            assert got.attrs["display"] == expected.attrs["display"]
            _assert_layout_describes(got_layout, data, whole_layout)
            assert count < len(whole_layout.starts)  # not every record parsed again
            frame, layout = got, got_layout  # the next edit starts from the spliced version
        good = data
    assert partly > 75  # most edits are read by their changed records alone
    assert declined > 0  # and some are not: a typed quote may change how the rest reads


TYPED = {"fields": [
    {"name": "kode", "type": "string", "constraints": {"required": True, "unique": True}},
    {"name": "tanggal", "type": "date"}, {"name": "aktif", "type": "boolean"},
    {"name": "nilai", "type": "number"}, {"name": "jumlah", "type": "integer"},
    {"name": "catatan", "type": "string"}], "primaryKey": ["kode"]}
# The texts a column's type depends on: a whole read gives a date column with no date, a
# boolean column with a blank, a number column with a blank, a fraction or a number past
# 2**63, and an integer column with a blank (through floats) other types or values.
CELLS = {"tanggal": ["", "2025-01-02", "2024-12-31"], "aktif": ["", "ya", "tidak"],
         "nilai": ["", "1", "2", "1.5", "-3", "10000000000000000000"],
         "jumlah": ["", "5", "-2", "9007199254740993"], "catatan": ["", "teks", " spasi "]}


@pytest.mark.parametrize("seed", range(2))
def test_columns_typed_from_all_their_values_are_typed_as_a_whole_read_types_them(
        tmp_path, monkeypatch, seed):
    monkeypatch.setattr(splice, "CHUNK", 64)
    rng = random.Random(seed)
    names = [f["name"] for f in TYPED["fields"]]

    def row(number: int) -> list[str]:
        # mostly plain values, so that some columns go long without a blank or a fraction
        return [f"k{number}"] + [rng.choice(CELLS[n]) if rng.random() < 0.15 else CELLS[n][1]
                                 for n in names[1:]]

    rows, made = [row(n) for n in range(12)], 12
    path = tmp_path / "t.csv"

    def write() -> bytes:
        data = b"".join(_record(r) for r in [names, *rows])
        path.write_bytes(data)
        return data

    write()
    frame, problems, layout = site._read_valid(path, "t.csv", TYPED, "k")
    assert not problems
    partly = 0
    for _ in range(400):
        kind = rng.choice(["cell", "cell", "add", "remove"])
        if kind == "cell" and rows:
            target = rng.choice(rows)
            column = rng.randrange(1, len(names))
            target[column] = rng.choice(CELLS[names[column]])
        elif kind == "add" or not rows:
            rows.insert(rng.randrange(len(rows) + 1), row(made))
            made += 1
        else:
            del rows[rng.randrange(len(rows))]
        data = write()
        expected, problems, whole_layout = site._read_valid(path, "t.csv", TYPED, "k")
        assert not problems
        result = splice.read_changed(layout, frame, data, path, "t.csv", TYPED, "k")
        if result is not None:
            partly += 1
            pd.testing.assert_frame_equal(result.frame, expected)  # dtypes too
            pd.testing.assert_series_equal(result.frame.attrs["row_numbers"],
                                           expected.attrs["row_numbers"])
        frame, layout = expected, whole_layout
    assert partly > 30


def _typed_row(kode, tanggal="2025-01-02", aktif="ya", nilai="1", jumlah="5", catatan="teks"):
    return [kode, tanggal, aktif, nilai, jumlah, catatan]


PLAIN = [_typed_row(f"k{n}") for n in range(40)]


def _with(rows, number, **cells):
    changed = [list(r) for r in rows]
    changed[number] = _typed_row(changed[number][0], **{
        **dict(zip(["tanggal", "aktif", "nilai", "jumlah", "catatan"], changed[number][1:])),
        **cells})
    return changed


@pytest.mark.parametrize("before, after", [
    # a number column of whole numbers gets a blank, a fraction, a number past 2**63
    (PLAIN, _with(PLAIN, 39, nilai="")), (PLAIN, _with(PLAIN, 20, nilai="50.5")),
    (PLAIN, _with(PLAIN, 20, nilai="10000000000000000000")),
    # ... and loses its only blank or fraction, by a change or by removing the row
    (_with(PLAIN, 20, nilai=""), PLAIN), (_with(PLAIN, 20, nilai="1.5"), PLAIN[:20] + PLAIN[21:]),
    # a boolean column gets its first blank, and loses its only one
    (PLAIN, _with(PLAIN, 3, aktif="")), (_with(PLAIN, 3, aktif=""), PLAIN),
    (_with(PLAIN, 3, aktif=""), PLAIN[:3] + PLAIN[4:]),
    # a date column with no date gets one, and one with a single date loses it
    ([_typed_row(f"k{n}", tanggal="") for n in range(40)], _with(
        [_typed_row(f"k{n}", tanggal="") for n in range(40)], 30, tanggal="2024-12-31")),
    (_with([_typed_row(f"k{n}", tanggal="") for n in range(40)], 30, tanggal="2024-12-31"),
     [_typed_row(f"k{n}", tanggal="") for n in range(40)]),
    # an integer column past 2**53 with a blank elsewhere (read through floats), and without
    (_with(PLAIN, 5, jumlah=""), _with(_with(PLAIN, 5, jumlah=""), 30, jumlah="9007199254740993")),
    (_with(_with(PLAIN, 5, jumlah=""), 30, jumlah="9007199254740993"),
     _with(PLAIN, 30, jumlah="9007199254740993")),
    # every row removed, and rows added to a table that had none
    (PLAIN, []), ([], PLAIN[:5]),
])
def test_a_column_whose_type_a_change_may_decide_is_typed_as_a_whole_read_types_it(
        tmp_path, monkeypatch, before, after):
    monkeypatch.setattr(splice, "CHUNK", 64)
    names = [f["name"] for f in TYPED["fields"]]
    path = tmp_path / "t.csv"
    path.write_bytes(b"".join(_record(r) for r in [names, *before]))
    frame, problems, layout = site._read_valid(path, "t.csv", TYPED, "k")
    assert not problems
    data = b"".join(_record(r) for r in [names, *after])
    path.write_bytes(data)
    expected, problems, _ = site._read_valid(path, "t.csv", TYPED, "k")
    assert not problems
    result = splice.read_changed(layout, frame, data, path, "t.csv", TYPED, "k")
    if result is not None:
        pd.testing.assert_frame_equal(result.frame, expected)


def test_a_changed_header_is_read_whole(tmp_path):
    path = tmp_path / "standar-pelayanan.csv"
    data = (ROOT / "data" / "standar-pelayanan.csv").read_bytes()
    path.write_bytes(data)
    frame, _, layout = _whole(path)
    renamed = data.replace(b"kode,nama", b"kode,Nama", 1)
    assert splice.read_changed(layout, frame, renamed, path, DISPLAY, SCHEMA, "k") is None


def test_an_opening_quote_that_swallows_the_rest_is_read_whole(tmp_path, monkeypatch):
    monkeypatch.setattr(splice, "CHUNK", 2048)
    path = tmp_path / "standar-pelayanan.csv"
    data = (ROOT / "data" / "standar-pelayanan.csv").read_bytes()
    path.write_bytes(data)
    frame, _, layout = _whole(path)
    middle = int(layout.starts[len(layout.starts) // 2])
    # a quote opened at the start of a record's first cell and never closed
    broken = data[:middle] + b'"' + data[middle:]
    assert splice.read_changed(layout, frame, broken, path, DISPLAY, SCHEMA, "k") is None


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def _write(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_a_rebuild_parses_only_the_changed_service_and_shows_it(tmp_path, copy_example_data,
                                                                monkeypatch):
    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    counts = []
    read_changed = splice.read_changed
    monkeypatch.setattr(splice, "read_changed", lambda *args: (
        lambda result: counts.append(result and result.records) or result)(read_changed(*args)))
    rows = _rows(data / "standar-pelayanan.csv")
    rows[5][rows[0].index("biaya")] = "Gratis, tanpa pungutan apa pun."
    _write(data / "standar-pelayanan.csv", rows)
    out = build_site(tmp_path / "rebuilt", data, overrides=cache)
    assert len(counts) == 1 and 0 < counts[0] < len(rows) - 1
    page = (out / "layanan" / rows[5][0] / "index.html").read_text(encoding="utf-8")
    assert "Gratis, tanpa pungutan apa pun." in page


@pytest.mark.parametrize("mistake", ["duplicate", "invalid", "control"])
def test_a_mistake_in_the_changed_rows_is_reported_as_a_whole_read_reports_it(
        tmp_path, copy_example_data, mistake):
    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    rows = _rows(data / "standar-pelayanan.csv")
    if mistake == "duplicate":
        rows[7][0] = rows[2][0]  # a code already used on row 3
    elif mistake == "invalid":
        rows[7][rows[0].index("jangka_waktu_hari_kerja")] = "tiga hari"
    else:  # a form feed pasted from a PDF
        rows[7][rows[0].index("ringkasan")] = "Rekam data\x0cdan cetak."
    _write(data / "standar-pelayanan.csv", rows)
    with pytest.raises(DataError) as cached:
        build_site(tmp_path / "rebuilt", data, overrides=cache)
    with pytest.raises(DataError) as whole:
        build_site(tmp_path / "whole", data)
    assert cached.value.problems == whole.value.problems
    assert any(p.row == 8 and p.file.endswith("standar-pelayanan.csv")
               for p in cached.value.problems)


def test_after_a_change_only_the_changed_services_rows_are_hashed_again(
        tmp_path, copy_example_data, monkeypatch):
    # What a service page depends on is its row's hash; after one service changed, the
    # others' hashes come from the build before, and all are those of a whole read.
    from etalase import pagecache
    from etalase.site import load_site

    monkeypatch.setattr(splice, "CHUNK", 2048)  # the example table in some 60 chunks
    data = copy_example_data
    settings = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    load_site(data, settings, root=ROOT)
    rows = _rows(data / "standar-pelayanan.csv")
    rows[5][rows[0].index("biaya")] = "Gratis, tanpa pungutan apa pun."
    _write(data / "standar-pelayanan.csv", rows)
    hashed = []
    row_digests = pagecache.row_digests
    monkeypatch.setattr(site, "row_digests", lambda frame, *args: (
        hashed.append(len(frame)) or row_digests(frame, *args)))
    cached = load_site(data, settings, root=ROOT)
    whole = load_site(data, root=ROOT)
    assert {k: s.row_key for k, s in cached.services.items()} == {
        k: s.row_key for k, s in whole.services.items()}
    assert (cached.datasets["standar-pelayanan"].row_hashes()[1]
            == whole.datasets["standar-pelayanan"].row_hashes()[1]).all()
    # with the cache: the parsed records' rows (a few) and the unchanged provider table none
    assert hashed[0] < len(rows) // 2
    assert hashed[1:] == [len(whole.providers), len(rows) - 1]  # without it: both whole


def test_rows_hashed_before_a_column_changed_type_are_hashed_again(tmp_path, copy_example_data,
                                                                   monkeypatch):
    # The one date of a date column removed: a whole read gives the column another type, and
    # every row's hash starts with the table's column types, so no earlier hash holds.
    from etalase import pagecache
    from etalase.site import load_site

    monkeypatch.setattr(splice, "CHUNK", 2048)
    data = copy_example_data
    rows = _rows(data / "standar-pelayanan.csv")
    column = rows[0].index("berlaku_sejak")
    for row in rows[1:]:
        row[column] = ""
    rows[20][column] = "2024-01-02"
    _write(data / "standar-pelayanan.csv", rows)
    settings = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    load_site(data, settings, root=ROOT)
    rows[20][column] = ""
    _write(data / "standar-pelayanan.csv", rows)
    cached = load_site(data, settings, root=ROOT)
    assert cached.records_read  # read by its changed records
    whole = load_site(data, root=ROOT)
    frame = cached.datasets["standar-pelayanan"].frame
    assert frame.dtypes.equals(whole.datasets["standar-pelayanan"].frame.dtypes)
    assert [s.row_key for s in cached.services.values()] == pagecache.row_digests(frame)
    assert {k: s.row_key for k, s in cached.services.items()} == {
        k: s.row_key for k, s in whole.services.items()}


def test_a_table_read_with_the_cache_on_is_not_kept_alive_by_the_site(tmp_path, copy_example_data):
    # A 2 M-row register must be freed once its section is done with it.
    import gc
    import weakref

    from etalase.pagecache import Tables
    from etalase.site import Site

    site_ = Site(data_dir=copy_example_data, root=ROOT, tables=Tables(tmp_path / "tabel"))
    frame = site_.read("standar-pelayanan")
    assert frame is not None and site_.row_digests(frame)
    read = weakref.ref(frame)
    del frame
    gc.collect()
    assert read() is None
