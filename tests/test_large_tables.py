"""Large tables: machine-written registers are read quickly, with the same result and messages,
and their downloads are written again only where their rows changed."""

from __future__ import annotations

import pandas as pd
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
    return reading._read_csv(text, "data/kinerja/permohonan-layanan.csv")


def test_a_quote_free_register_reads_the_same_as_the_careful_reader(tmp_path):
    path = tmp_path / "permohonan-layanan.csv"
    path.write_bytes(REGISTER.encode("utf-8"))
    table = reading.read_table(path, "data/kinerja/permohonan-layanan.csv")
    frame, rows = _careful(REGISTER)
    assert reading.read_utf8_csv(REGISTER.encode("utf-8")) is not None  # the fast path
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


def test_a_very_large_table_is_published_as_csv_and_parquet_only(tmp_path, monkeypatch):
    from etalase import datasets, exports

    monkeypatch.setattr(datasets, "XLSX_MAX_CELLS", 10)
    written = exports.write_dataset(_dataset(6), tmp_path)  # 12 cells
    assert sorted(written) == ["csv", "parquet"]
    assert not (tmp_path / "data/contoh/contoh.xlsx").exists()
    assert not (tmp_path / "data/contoh/contoh.json").exists()
    assert (tmp_path / "data/contoh/contoh.csv").read_text(encoding="utf-8").count("\n") == 7
    back = _read_parquet(tmp_path / "data/contoh/contoh.parquet")
    assert list(back.columns) == ["layanan", "jumlah"]
    assert back["jumlah"].tolist() == list(range(6))


def _read_parquet(path) -> pd.DataFrame:
    import fastparquet

    return fastparquet.ParquetFile(str(path)).to_pandas()


def test_a_parquet_download_keeps_every_value_blank_and_type_of_the_table(tmp_path,
                                                                          monkeypatch):
    from etalase import exports

    monkeypatch.setattr(exports, "PARQUET_GROUP_ROWS", 700)  # several row groups
    dataset = _register(2_000)
    path = tmp_path / "register.parquet"
    exports.write_parquet(dataset, path)
    back = _read_parquet(path)
    frame = dataset.frame
    assert list(back.columns) == list(frame.columns)
    assert back["layanan"].tolist() == frame["layanan"].tolist()
    assert back["catatan"].isna().tolist() == frame["catatan"].isna().tolist()
    assert back["catatan"].dropna().tolist() == frame["catatan"].dropna().tolist()  # "\n", '"'
    assert str(back["jumlah"].dtype) == "Int64"  # whole numbers, blanks as nulls
    assert back["jumlah"].equals(frame["jumlah"])
    assert back["nilai"].dtype == "float64"
    assert back["nilai"].isna().equals(frame["nilai"].isna())
    assert back["nilai"].dropna().tolist() == frame["nilai"].dropna().tolist()
    assert back["tanggal"].dtype.kind == "M"  # dates stay dates, not text
    assert back["tanggal"].isna().equals(frame["tanggal"].isna())
    assert back["tanggal"].dropna().tolist() == frame["tanggal"].dropna().tolist()


def test_a_parquet_download_is_the_same_bytes_every_time(tmp_path):
    from etalase import exports

    dataset = _register(3_000)
    exports.write_parquet(dataset, tmp_path / "a.parquet")
    exports.write_parquet(dataset, tmp_path / "b.parquet")
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()


def test_a_parquet_column_of_dates_in_seconds_or_mixed_values_is_still_readable(tmp_path):
    import datetime as dt

    from etalase import exports
    from etalase.datasets import Dataset

    frame = pd.DataFrame({
        "batas_waktu": pd.to_datetime(["2025-01-02", None, "2025-03-04"]).as_unit("s"),
        "campuran": [dt.date(2025, 1, 2), None, 7],  # what a computed column may hold
    })
    schema = {"fields": [{"name": c, "type": "string"} for c in frame.columns]}
    dataset = Dataset(id="campuran", title="Campuran", description="", schema=schema,
                      frame=frame, theme="kinerja")
    exports.write_parquet(dataset, tmp_path / "c.parquet")
    back = _read_parquet(tmp_path / "c.parquet")
    assert back["batas_waktu"].dropna().tolist() == [pd.Timestamp("2025-01-02"),
                                                     pd.Timestamp("2025-03-04")]
    assert back["campuran"].tolist()[0::2] == ["2025-01-02", "7"]  # as the CSV writes them
    assert back["campuran"].isna().tolist() == [False, True, False]


def test_a_table_within_the_limit_also_gets_a_workbook(tmp_path, monkeypatch):
    from etalase import datasets, exports

    monkeypatch.setattr(datasets, "XLSX_MAX_CELLS", 10)
    written = exports.write_dataset(_dataset(5), tmp_path)  # 10 cells
    assert sorted(written) == ["csv", "json", "xlsx"]


def _register(rows: int):
    """A register with every kind of cell a download writes: text with commas, quotes and
    line breaks, blanks, integers, decimals and dates."""
    import numpy as np

    from etalase.datasets import Dataset

    numbers = np.arange(rows)
    frame = pd.DataFrame({
        "layanan": [f"layanan-{n % 97}" for n in numbers],
        "catatan": [None if n % 7 == 0 else f'baris {n}, "dikutip"\nlanjut' for n in numbers],
        "jumlah": pd.array([None if n % 11 == 0 else int(n) for n in numbers], dtype="Int64"),
        "nilai": [float("nan") if n % 13 == 0 else n / 8 for n in numbers],
        "tanggal": pd.to_datetime("2025-01-01") + pd.to_timedelta(numbers % 400, unit="D"),
    })
    frame.loc[frame.index % 17 == 0, "tanggal"] = pd.NaT
    schema = {"fields": [{"name": c, "type": "string"} for c in frame.columns]}
    return Dataset(id="register", title="Register", description="", schema=schema,
                   frame=frame, theme="kinerja")


def _pieced(dataset, store, key: str, fmt: str, folder) -> tuple[bytes, int]:
    from etalase import pieces

    path = folder / f"{key}.{fmt}"
    encoded = pieces.write(dataset, fmt, path, store, key)
    return path.read_bytes(), encoded


def _whole(dataset, fmt: str, folder) -> bytes:
    from etalase import exports

    path = folder / f"whole.{fmt}"
    exports.WRITERS[fmt](dataset, path)
    return path.read_bytes()


@pytest.mark.parametrize("fmt, rows", [("csv", 30_000), ("json", 30_000), ("xlsx", 12_000)])
def test_a_big_download_written_again_encodes_only_the_rows_around_a_change(tmp_path, fmt,
                                                                            rows):
    import dataclasses

    from etalase import pieces
    from etalase.pagecache import Store

    store = Store(tmp_path / "cache", b"code")
    dataset = _register(rows)
    first, encoded = _pieced(dataset, store, "a", fmt, tmp_path)
    assert first == _whole(dataset, fmt, tmp_path) and encoded == rows

    frame = dataset.frame.copy()
    frame.loc[rows // 2, "catatan"] = "diubah petugas"
    changed = dataclasses.replace(dataset, frame=frame)
    again, encoded = _pieced(changed, store, "b", fmt, tmp_path)
    assert again == _whole(changed, fmt, tmp_path)
    assert encoded <= pieces.MAX_ROWS  # one piece: the others were copied from the last file

    # A row added at the top moves every row: in a CSV or JSON only the first piece is made
    # again; a workbook numbers its rows, so there every piece after it is.
    added = dataclasses.replace(dataset, frame=pd.concat([frame.head(1), frame],
                                                         ignore_index=True))
    again, encoded = _pieced(added, store, "c", fmt, tmp_path)
    assert again == _whole(added, fmt, tmp_path)
    assert encoded <= (pieces.MAX_ROWS + 1 if fmt != "xlsx" else rows + 1)


def test_a_workbook_written_in_pieces_keeps_its_size_and_styles(tmp_path):
    """Blank rows are left out of a sheet, and the sheet's size and styles follow the rows
    that have cells: the same, written in pieces, as written whole."""
    import dataclasses

    import openpyxl

    from etalase.pagecache import Store

    store = Store(tmp_path / "cache", b"code")
    dataset = _register(6_000)
    frame = dataset.frame.astype(object)
    frame.iloc[1_000:2_500] = None  # whole pieces without a cell
    frame.iloc[5_000:] = None  # the last thousand rows too
    frame["catatan"] = frame["catatan"].map(lambda v: v.replace("\n", " ") if isinstance(v, str)
                                            else v)
    plain = dataclasses.replace(dataset, frame=frame)  # no cell wraps
    written, _ = _pieced(plain, store, "a", "xlsx", tmp_path)
    assert written == _whole(plain, "xlsx", tmp_path)
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx", read_only=True).active
    assert sheet.max_row == 5_001  # the header and the last row with a cell
    frame = frame.copy()
    frame.loc[4_000, "catatan"] = "dua\nbaris"  # now one cell wraps
    wrapped = dataclasses.replace(dataset, frame=frame)
    written, encoded = _pieced(wrapped, store, "b", "xlsx", tmp_path)
    assert written == _whole(wrapped, "xlsx", tmp_path) and encoded < 1_000


def test_a_download_key_and_its_pieces_come_from_one_hashing_of_the_rows(tmp_path,
                                                                         monkeypatch):
    # The build process hashes a changed table's rows once for the download's cache key;
    # the writers it forks cut the pieces by those same hashes instead of hashing again
    # (0.3 s of a national rebuild). Any published cell changes the key; so does putting
    # other rows in the dataset.
    import dataclasses

    import pandas as pd
    from etalase import exports
    from etalase.pagecache import Store

    hashed = []
    hash_rows = pd.util.hash_pandas_object
    monkeypatch.setattr(pd.util, "hash_pandas_object",
                        lambda *args, **kwargs: hashed.append(1) or hash_rows(*args, **kwargs))
    store = Store(tmp_path / "cache", b"code")
    dataset = _register(6_000)
    key = exports.download_key(dataset, store)
    written, _ = _pieced(dataset, store, key, "csv", tmp_path)
    assert len(hashed) == 1 and written == _whole(dataset, "csv", tmp_path)
    assert exports.download_key(dataset, store) == key
    frame = dataset.frame.copy()
    frame.loc[3_000, "catatan"] = "diubah petugas"
    dataset.frame = frame
    changed = exports.download_key(dataset, store)
    assert changed != key
    dataset.frame = frame.set_axis(frame.index + 10)  # the same rows: the same download
    assert exports.download_key(dataset, store) == changed
    dataset.schema = {**dataset.schema, "fields": dataset.schema["fields"][:-1]}
    assert exports.download_key(dataset, store) != changed  # a column fewer published
    fresh = dataclasses.replace(dataset, frame=dataset.frame)  # nothing hashed yet
    assert (dataset.row_hashes()[1] == fresh.row_hashes()[1]).all()  # what the pieces use


def test_a_big_download_whose_last_file_is_gone_is_encoded_whole(tmp_path):
    import dataclasses
    import os

    from etalase.pagecache import Store

    store = Store(tmp_path / "cache", b"code")
    dataset = _register(10_000)
    _pieced(dataset, store, "a", "csv", tmp_path)
    os.remove(store.stored("a.csv"))  # the cache lost the last download
    frame = dataset.frame.copy()
    frame.loc[5, "jumlah"] = 5_000_000
    changed = dataclasses.replace(dataset, frame=frame)
    again, encoded = _pieced(changed, store, "b", "csv", tmp_path)
    assert again == _whole(changed, "csv", tmp_path) and encoded == 10_000


def test_the_pieces_of_an_unchanged_download_are_kept_for_the_next_change(tmp_path):
    """A build that links a download from the cache keeps where its pieces lie, so the
    build after it, with one row changed, still encodes one piece only."""
    import dataclasses

    from etalase import exports, pieces
    from etalase.pagecache import Store

    def build(dataset, name: str) -> int:
        store = Store(tmp_path / "cache", b"code")
        key = exports.download_key(dataset, store)
        output = tmp_path / name
        encoded = 0
        if not exports.place_download(dataset, "csv", output, store, key):
            path = output / dataset.path("csv")
            encoded = pieces.write(dataset, "csv", path, store, key)
        store.prune()  # what a build does at its end: entries it did not use are removed
        return encoded

    dataset = _register(20_000)
    assert build(dataset, "first") == 20_000
    assert build(dataset, "unchanged") == 0
    frame = dataset.frame.copy()
    frame.loc[100, "layanan"] = "layanan-lain"
    assert 0 < build(dataclasses.replace(dataset, frame=frame), "changed") <= pieces.MAX_ROWS


def test_a_workbook_whose_last_write_stopped_half_way_is_still_written_right(tmp_path,
                                                                             monkeypatch):
    """A build stopped after keeping a workbook's rows but before its piece list (a failed
    build, a full disk): the next build must not take rows from the wrong file."""
    import dataclasses

    from etalase import pieces
    from etalase.pagecache import Store

    store = Store(tmp_path / "cache", b"code")
    dataset = _register(8_000)
    _pieced(dataset, store, "a", "xlsx", tmp_path)

    def edited(row: int, text: str):
        frame = dataset.frame.copy()
        frame.loc[row, "catatan"] = text
        return dataclasses.replace(dataset, frame=frame)

    kept = store.keep_text

    def stop_at_the_list(key, text):
        if key == pieces.list_key("register", "xlsx"):
            raise OSError("disk penuh")
        kept(key, text)

    monkeypatch.setattr(store, "keep_text", stop_at_the_list)
    with pytest.raises(OSError):  # a longer first row: every later piece lies further on
        _pieced(edited(0, "baris pertama yang jauh lebih panjang " * 20), store, "b", "xlsx",
                tmp_path)
    monkeypatch.setattr(store, "keep_text", kept)
    later = edited(4_000, "diubah petugas")
    written, encoded = _pieced(later, store, "c", "xlsx", tmp_path)
    assert written == _whole(later, "xlsx", tmp_path) and encoded < 1_000


def test_the_service_table_is_hashed_once_and_a_changed_service_changes_its_row_only(
        data_dir, monkeypatch):
    # The services' rows are hashed for the services (what their pages depend on); the
    # dataset's row hashes, which key its downloads and cut their pieces, come from that
    # same hashing, and differ exactly where a row changed.
    from factories import service, write_site_data
    from etalase.datasets import Dataset
    from etalase.site import load_site

    services = [service(kode=f"layanan-{n}", nama=f"Layanan {n}") for n in range(1, 21)]
    write_site_data(data_dir, services=services)
    hashed = []
    hash_rows = pd.util.hash_pandas_object
    monkeypatch.setattr(pd.util, "hash_pandas_object",
                        lambda *args, **kwargs: hashed.append(1) or hash_rows(*args, **kwargs))
    before = load_site(data_dir).datasets["standar-pelayanan"].row_hashes()
    assert hashed == []
    services[7] = service(kode="layanan-8", nama="Layanan 8", biaya="Rp10.000")
    write_site_data(data_dir, services=services)
    after = load_site(data_dir).datasets["standar-pelayanan"]
    assert before[0] == after.row_hashes()[0]  # the same columns and types
    assert list((before[1] != after.row_hashes()[1]).nonzero()[0]) == [7]
    other = Dataset(id="x", title="x", description="", schema={"fields": [{"name": "kode"}]},
                    frame=after.frame, theme="layanan")
    with pytest.raises(ValueError):  # hashes of other columns are not taken
        other.take_row_hashes(after.row_hashes()[1])


def _csv_module(columns):
    """What the csv module writes of `columns`, a yes/no value written as the data dictionary
    says it (ya/tidak)."""
    import csv
    import io

    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(
        zip(*[[{True: "ya", False: "tidak"}[v] if type(v) is bool else v  # noqa: E721
               for v in column] for column in columns]))
    return out.getvalue()


def test_a_download_is_written_as_the_csv_module_writes_it_whatever_its_values():
    # The CSV writer encodes a column at a time; what it writes must stay what the csv
    # module writes: quotes where a comma, quote or line break needs them, and a lone empty
    # field quoted (yes/no values as ya/tidak).
    import random

    from etalase import exports

    rng = random.Random(9)
    texts = ["", " ", "a", "akta-kelahiran", "Jl. Merdeka, No. 1", 'kata "baru"', "dua\nbaris",
             "cr\rlf", "é ü ñ", "\x00", "tanpa tanda", ",", '"', "\r\n"]
    kinds = [lambda: rng.choice(texts), lambda: rng.randint(-10**12, 10**12),
             lambda: rng.uniform(-1e6, 1e6), lambda: rng.choice([True, False]),
             lambda: rng.choice([0.1, 1e-7, 3.0, 1e22])]
    for _ in range(300):
        width = rng.randint(1, 4)
        height = rng.randint(0, 6)
        columns = []
        for _ in range(width):
            mixed = rng.random() < 0.15
            make = rng.choice(kinds)
            columns.append([None if rng.random() < 0.2 else
                            (rng.choice(kinds) if mixed else make)() for _ in range(height)])
        assert exports.csv_text(columns) == _csv_module(columns), columns


def test_dates_in_a_download_are_iso_days_and_blanks_stay_blank():
    from etalase import exports

    days = pd.Series(pd.to_datetime(["2025-01-02", None, "2024-12-31", "2025-01-02", None]))
    assert exports._published(days) == ["2025-01-02", None, "2024-12-31", "2025-01-02", None]
    assert exports._published(pd.Series(pd.to_datetime([None, None]))) == [None, None]
    with_time = pd.Series(pd.to_datetime(["2025-01-02 08:30", None]))
    assert exports._published(with_time) == ["2025-01-02T08:30:00", None]


def _download_links(site) -> dict[str, set[str]]:
    """Every link to a download (a dataset's, a code of conduct's), on every page of the
    site: {href: pages}."""
    import re

    found: dict[str, set[str]] = {}
    for page in site.rglob("*.html"):
        for href in re.findall(r'href="(/[^"]+\.(?:csv|json|xlsx|parquet))"',
                               page.read_text(encoding="utf-8")):
            found.setdefault(href, set()).add(str(page.relative_to(site)))
    return found


def test_no_page_links_to_a_download_that_was_not_written(large_tables_site):
    links = _download_links(large_tables_site)
    missing = {href: sorted(pages)[:3] for href, pages in links.items()
               if not (large_tables_site / href.lstrip("/")).is_file()}
    assert not missing
    # The landing pages and the statistics pages offer the Parquet file instead.
    assert {"data/permohonan-layanan/index.html", "statistik/ketepatan-waktu/index.html"} <= \
        links["/data/permohonan-layanan/permohonan-layanan.parquet"]
    assert any(p.startswith("statistik/layanan/")
               for p in links["/data/ketepatan-waktu/ketepatan-waktu.parquet"])
    assert not any(href.endswith(("permohonan-layanan.json", "permohonan-layanan.xlsx"))
                   for href in links)


def test_a_very_large_table_s_landing_page_offers_csv_and_parquet_and_says_why(
        large_tables_site):
    import hashlib

    from bs4 import BeautifulSoup

    folder = large_tables_site / "data" / "permohonan-layanan"
    page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
    rows = page.select('tr[id^="unduh-"]')
    assert [row["id"] for row in rows] == ["unduh-csv", "unduh-parquet"]
    assert rows[1].th.get_text(strip=True) == "Parquet"
    parquet = folder / "permohonan-layanan.parquet"
    assert rows[1].select_one("code.checksum").get_text() == \
        hashlib.sha256(parquet.read_bytes()).hexdigest()
    assert int(rows[1].select_one("td[data-bytes]")["data-bytes"]) == parquet.stat().st_size
    note = page.select_one("#tabel-besar").get_text(" ", strip=True)
    assert "hanya diterbitkan sebagai CSV dan Parquet" in note
    assert "1.048.576 baris" in note and "JSON" in note  # why neither Excel nor JSON
    # The Parquet file holds the same rows as the CSV beside it.
    csv_rows = pd.read_csv(folder / "permohonan-layanan.csv", dtype=str, keep_default_na=False)
    back = _read_parquet(parquet)
    assert len(back) == len(csv_rows) > 4_000
    assert back["layanan"].tolist() == csv_rows["layanan"].tolist()
    assert back["tanggal_masuk"].dt.strftime("%Y-%m-%d").tolist() == \
        csv_rows["tanggal_masuk"].tolist()


def test_the_dip_the_zip_and_the_catalogue_say_which_tables_come_as_csv_and_parquet(
        large_tables_site):
    import zipfile

    folder = large_tables_site / "data/daftar-informasi-publik"
    dip = pd.read_csv(folder / "daftar-informasi-publik.csv", dtype=str, keep_default_na=False)
    form = dict(zip(dip["tautan"].str.rstrip("/").str.rsplit("/", n=1).str[-1],
                    dip["bentuk_informasi"]))
    assert form["permohonan-layanan"] == "Softcopy: CSV dan Parquet (unduh dari situs)"
    assert form["penyelenggara"] == "Softcopy: CSV, JSON, dan XLSX (unduh dari situs)"
    with zipfile.ZipFile(large_tables_site / "data/etalase-semua-data.zip") as archive:
        readme = archive.read("BACA-SAYA.txt").decode("utf-8")
    assert "Parquet" in readme
    assert "(tabel yang sangat besar: CSV dan Parquet)" in \
        (large_tables_site / "data/catalog.ttl").read_text(encoding="utf-8")
    page = (large_tables_site / "data/index.html").read_text(encoding="utf-8")
    assert "tabel yang sangat besar: versi Parquet" in page


def test_the_example_site_mentions_parquet_nowhere_as_it_has_no_very_large_table(example_site):
    import zipfile

    with zipfile.ZipFile(example_site / "data/etalase-semua-data.zip") as archive:
        assert "Parquet" not in archive.read("BACA-SAYA.txt").decode("utf-8")
    assert "Parquet" not in (example_site / "data/catalog.ttl").read_text(encoding="utf-8")
    assert not list(example_site.rglob("*.parquet"))


def test_a_table_within_the_limit_keeps_its_json_and_excel_and_no_note(large_tables_site):
    folder = large_tables_site / "data" / "penyelenggara"
    assert sorted(p.suffix for p in folder.glob("penyelenggara.*")) == [".csv", ".json",
                                                                        ".xlsx"]
    assert 'id="tabel-besar"' not in (folder / "index.html").read_text(encoding="utf-8")


def test_the_short_download_links_name_only_the_formats_a_table_is_published_in():
    from etalase.datasets import DownloadLinks
    from etalase.textformat import download_links

    usual = DownloadLinks("penyelenggara", "Penyelenggara", ("csv", "json", "xlsx"))
    assert str(download_links(usual, "https://contoh.go.id")) == (
        '<a href="https://contoh.go.id/data/penyelenggara/penyelenggara.csv">CSV</a>, '
        '<a href="https://contoh.go.id/data/penyelenggara/penyelenggara.json">JSON</a>, '
        '<a href="https://contoh.go.id/data/penyelenggara/penyelenggara.xlsx">Excel</a>')
    large = DownloadLinks("permohonan-layanan", "Permohonan", ("csv", "parquet"))
    assert str(download_links(large, "", " · ", True)) == (
        '<a href="/data/permohonan-layanan/permohonan-layanan.csv" download>CSV</a> · '
        '<a href="/data/permohonan-layanan/permohonan-layanan.parquet" download>Parquet</a>')
    odd = DownloadLinks("a&b", "A", ("csv",))
    assert 'href="/x?&#34;/data/a&amp;b/a&amp;b.csv"' in str(download_links(odd, '/x?"'))
