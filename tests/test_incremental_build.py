"""A rebuild after one change takes unchanged pages and downloads from the content-hash cache,
and the site it makes is byte-for-byte the site a full build makes."""

from __future__ import annotations

import csv
import filecmp
import json
import os

import pytest
from conftest import ROOT, build_site


def _change_one_service(data, kode: str, text: str) -> None:
    path = data / "standar-pelayanan.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("ringkasan")
    for row in rows[1:]:
        if row[0] == kode:
            row[column] = text
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def _files(folder):
    found = set()
    for directory, _, names in os.walk(folder):
        for name in names:
            found.add(os.path.relpath(os.path.join(directory, name), folder))
    return found


def test_a_rebuild_after_one_service_changes_equals_a_full_build(tmp_path, copy_example_data):
    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    first = build_site(tmp_path / "first", data, overrides=cache)
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})

    changed = (rebuilt / "layanan/akta-kelahiran/index.html").read_text(encoding="utf-8")
    assert "Ringkasan yang baru saja diubah petugas." in changed
    _same_site_but_search(full, rebuilt)
    # Pages and downloads the change does not touch are the very files the first build wrote
    # (hard links through the cache); the changed ones were written anew.
    # So are the changed service's statistics page and the statistics overviews, which do
    # not show the summary.
    # A service of the same provider is not rendered again either: its page shows its own
    # row and its provider's, not its neighbours'. Nor is the provider's statistics page,
    # which shows the changed service's name and survey results, not its summary.
    for unchanged in ("kode-etik/index.html", "layanan/sip-dokter/index.html",
                      "layanan/kartu-keluarga/index.html",
                      "statistik/penyelenggara/disdukcapil/index.html",
                      "statistik/layanan/sip-dokter/index.html",
                      "statistik/layanan/akta-kelahiran/index.html",
                      "statistik/skm/index.html", "statistik/ketepatan-waktu/index.html",
                      "statistik/pengaduan/index.html",
                      "data/skm-jawaban/skm-jawaban.csv"):
        assert (rebuilt / unchanged).stat().st_ino == (first / unchanged).stat().st_ino
    for changed in ("layanan/akta-kelahiran/index.html",
                    "data/standar-pelayanan/standar-pelayanan.csv"):
        assert (rebuilt / changed).stat().st_ino != (first / changed).stat().st_ino
    # The changed summary is searchable text: that one page was indexed again, as a second
    # index beside the first build's (tests/test_search.py searches both).
    assert (rebuilt / "pagefind/pagefind-entry.json").stat().st_ino == (
        first / "pagefind/pagefind-entry.json").stat().st_ino
    assert _overlay_pages(rebuilt) == 1
    # The search page leaves out the kept index's result for that page: its id there.
    kept = json.loads((tmp_path / "cache/pencarian/indeks/dasar.json").read_text())
    page = kept["pages"]["layanan/akta-kelahiran/index.html"]
    info = json.loads((rebuilt / "pagefind/tambahan.json").read_text())
    assert info["diganti"] == [page[1]]
    assert (first / f"pagefind/fragment/{page[1]}.pf_fragment").is_file()


def _same_site_but_search(full, rebuilt) -> None:
    """Every file of `rebuilt` is the full build's, but for the search bundle (a rebuild with
    the cache on may add a second index of the pages it changed)."""
    files = {f for f in _files(full) if not f.startswith("pagefind/")}
    assert {f for f in _files(rebuilt) if not f.startswith("pagefind/")} == files
    _, mismatch, errors = filecmp.cmpfiles(full, rebuilt, sorted(files), shallow=False)
    assert mismatch == [] and errors == []


def _overlay_pages(site) -> int:
    """How many pages the second search index holds (0: none)."""
    info = json.loads((site / "pagefind/tambahan.json").read_text(encoding="utf-8"))
    if not info["tambahan"]:
        return 0
    entry = json.loads((site / "pagefind" / info["tambahan"] / "pagefind-entry.json").read_text())
    return entry["languages"]["id"]["page_count"]


def _latest_finished(path) -> int:
    """The spreadsheet row number of the last row with a `tanggal_selesai`."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return max(number for number, row in enumerate(rows, start=2) if row["tanggal_selesai"])


@pytest.mark.parametrize("source, column, value", [
    ("kinerja/permohonan-layanan.csv", "tanggal_selesai", ""),  # the latest request: open
    ("kinerja/pengaduan.csv", "tanggal_selesai", ""),  # the latest complaint: open again
    ("skm/2026-S1.csv", "u1", "1"),  # one survey answer of the latest period
])
def test_a_rebuild_after_new_figures_reuses_the_search_index(tmp_path, copy_example_data,
                                                              source, column, value):
    # New figures change statistics, downloads and the performance box of service pages,
    # none of which the search index reads (charts, tables, checksums are marked
    # data-pagefind-ignore): the index of the first build is reused, and it is the very index
    # a full build makes.
    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    first = build_site(tmp_path / "first", data, overrides=cache)
    row = _latest_finished(data / source) if column == "tanggal_selesai" else 2
    if source.startswith("kinerja/pengaduan"):
        _edit_cell(data / source, row, "status", "diproses")
    _edit_cell(data / source, row, column, value)
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})

    pages = sorted(p.relative_to(first) for p in first.rglob("*.html"))
    assert any((first / p).read_bytes() != (rebuilt / p).read_bytes() for p in pages)
    bundle = sorted(p.relative_to(full) for p in (full / "pagefind").rglob("*") if p.is_file())
    assert bundle
    _, mismatch, errors = filecmp.cmpfiles(full, rebuilt, [str(p) for p in bundle], shallow=False)
    assert mismatch == [] and errors == []
    for name in bundle:
        assert (rebuilt / name).stat().st_ino == (first / name).stat().st_ino, name


def _edit_cell(path, row_number: int, column: str, value: str) -> None:
    """Set one cell of a CSV source (`row_number` as staff count it: 2 = first data row)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[row_number - 1][rows[0].index(column)] = value
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


@pytest.mark.parametrize("source, column, value, recomputed", [
    # what citizens read of a service, not what the statistics use: computed results reused
    ("standar-pelayanan.csv", "ringkasan", "Ringkasan yang baru saja diubah petugas.", False),
    # the promised days decide which requests were on time
    ("standar-pelayanan.csv", "jangka_waktu_hari_kerja", "30", True),
    # a service's name is shown on the statistics and compliance pages
    ("standar-pelayanan.csv", "nama", "Akta Kelahiran (nama baru)", True),
    ("kinerja/permohonan-layanan.csv", "tanggal_selesai", "", True),  # a request still open
    ("skm/2025-S1.csv", "u1", "1", True),  # one survey answer
    # a code of conduct, listed on the page of every service its provider gives
    ("kode-etik-daftar.csv", "nama_pendek", "Kode perilaku (nama baru)", False),
    ("kode-etik.csv", "butir", "Butir yang baru saja diubah petugas.", False),
])
def test_after_a_change_to_any_source_the_statistics_are_those_of_a_full_build(
        tmp_path, copy_example_data, monkeypatch, source, column, value, recomputed):
    # Statistics are computed again only when something they are computed from changed;
    # either way every page and download equals what a build without the cache makes.
    from etalase import statistics

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    first = build_site(tmp_path / "first", data, overrides=cache)
    computed = []
    original = statistics._compute
    monkeypatch.setattr(statistics, "_compute",
                        lambda *args: computed.append(1) or original(*args))
    _edit_cell(data / source, 2, column, value)
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    assert bool(computed) is recomputed
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})
    _same_site_but_search(full, rebuilt)
    if source.startswith("kinerja/permohonan-layanan"):
        # The example register is big enough for its downloads to be written again from the
        # pieces of the last ones (pieces.py): still the bytes of a full build.
        from etalase import pieces
        from etalase.pagecache import Store

        store = Store(tmp_path / "cache" / "unduhan")
        for fmt in ("csv", "json", "xlsx"):
            assert store.stored(pieces.list_key("permohonan-layanan", fmt)), fmt
    # What the change does not touch is linked from the first build, not made again: another
    # service's statistics page, and the complaints register (no edit here reaches it).
    for unchanged in ("statistik/layanan/sip-dokter/index.html", "data/pengaduan/pengaduan.csv",
                      "data/pengaduan/pengaduan.json"):
        assert (rebuilt / unchanged).stat().st_ino == (first / unchanged).stat().st_ino


def test_a_very_large_table_s_parquet_is_written_again_only_when_its_rows_change(
        tmp_path, copy_example_data, monkeypatch):
    # Published as CSV and Parquet (here: every table over 5 000 cells), a changed register
    # gets a new Parquet file, the same bytes as a full build's; an unchanged one is linked.
    from etalase import datasets

    monkeypatch.setattr(datasets, "XLSX_MAX_CELLS", 5_000)
    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    first = build_site(tmp_path / "first", data, overrides=cache)
    _edit_cell(data / "kinerja/permohonan-layanan.csv", 2, "tanggal_selesai", "")
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})
    _same_site_but_search(full, rebuilt)
    register = "data/permohonan-layanan/permohonan-layanan.parquet"
    assert (rebuilt / register).read_bytes() != (first / register).read_bytes()
    answers = "data/skm-jawaban/skm-jawaban.parquet"
    assert (rebuilt / answers).stat().st_ino == (first / answers).stat().st_ino
    assert not (rebuilt / "data/skm-jawaban/skm-jawaban.json").exists()


def test_the_preview_keeps_the_statistics_of_its_last_build_in_memory(
        tmp_path, copy_example_data, monkeypatch):
    # `etalase devserver` builds again in its own process: the statistics of the build before
    # (0.9 s to read back at national scale) are taken from memory when their inputs are the
    # same, even when the stored copy is gone; the site still equals a full build.
    from etalase import statistics

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    for entry in (tmp_path / "cache" / "tabel").iterdir():
        entry.write_bytes(b"rusak")
    computed = []
    original = statistics._compute
    monkeypatch.setattr(statistics, "_compute",
                        lambda *args: computed.append(1) or original(*args))
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    assert computed == []
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})
    _same_site_but_search(full, rebuilt)
    computed.clear()  # the full build computed them
    _edit_cell(data / "kinerja/permohonan-layanan.csv", 2, "tanggal_selesai", "")
    build_site(tmp_path / "again", data, overrides=cache)
    assert computed == [1]  # new inputs: computed, not taken from memory


def test_the_survey_compliance_check_is_made_again_only_with_new_statistics(
        tmp_path, copy_example_data, monkeypatch):
    # Checking every service's surveys takes half a second at national scale: a rebuild
    # whose statistics come from the cache takes the check from there too.
    from etalase import compliance

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    checked = []
    original = compliance.check_skm
    monkeypatch.setattr(compliance, "check_skm",
                        lambda *args: checked.append(1) or original(*args))
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    build_site(tmp_path / "rebuilt", data, overrides=cache)
    assert checked == []
    _edit_cell(data / "standar-pelayanan.csv", 2, "nama", "Layanan dengan nama baru")
    rebuilt = build_site(tmp_path / "renamed", data, overrides=cache)
    assert checked == [1]
    page = (rebuilt / "ppid/kepatuhan/index.html").read_text(encoding="utf-8")
    assert "Layanan dengan nama baru" in page


def test_a_build_without_the_cache_writes_no_cache(tmp_path, data_dir):
    data = data_dir
    build_site(tmp_path / "out", data, overrides={"ETALASE_CACHE": False,
                                                  "ETALASE_CACHE_PATH": str(tmp_path / "c")})
    assert not (tmp_path / "c").exists()


def test_the_cache_is_off_unless_a_site_turns_it_on(tmp_path, data_dir, monkeypatch):
    monkeypatch.chdir(tmp_path)
    build_site(tmp_path / "out", data_dir, overrides={"ETALASE_CACHE_PATH": str(tmp_path / "c")})
    assert not (tmp_path / "c").exists()


def test_a_rebuild_reads_only_the_source_files_that_changed(tmp_path, copy_example_data,
                                                           monkeypatch):
    from etalase import site as site_module

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    read, parts = [], []
    whole, changed = site_module._read_valid, site_module.splice.read_changed

    def counting(path, display, *args):
        read.append(display)
        return whole(path, display, *args)

    def counting_changed(earlier, frame, data, path, display, *args):
        result = changed(earlier, frame, data, path, display, *args)
        parts.append((display, result is not None and result.records))
        return result

    monkeypatch.setattr(site_module, "_read_valid", counting)
    monkeypatch.setattr(site_module.splice, "read_changed", counting_changed)
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    # only the changed table, and of it only the records near the change (splice.py)
    assert read == []
    assert [(os.path.basename(name), count > 0) for name, count in parts] == [
        ("standar-pelayanan.csv", True)]
    assert "Ringkasan yang baru saja diubah petugas." in (
        rebuilt / "layanan/akta-kelahiran/index.html").read_text(encoding="utf-8")
    # A damaged cache entry is read from the source again, not trusted.
    for entry in (tmp_path / "cache" / "tabel").iterdir():
        entry.write_bytes(b"rusak")
    read.clear()
    build_site(tmp_path / "again", data, overrides=cache)
    assert "standar-pelayanan.csv" in [os.path.basename(name) for name in read]
    assert len(read) > 5


def test_statistics_taken_from_the_cache_do_not_even_load_their_registers(
        tmp_path, copy_example_data, monkeypatch):
    # Millions of register rows: when the statistics computed from them are reused, their
    # stored tables are not loaded, yet kept for the build after, which parses only the
    # register that changed.
    from etalase import site as site_module

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    loaded, parsed = [], []
    read, read_valid = site_module.Site.read, site_module._read_valid
    read_changed = site_module.splice.read_changed
    monkeypatch.setattr(site_module.Site, "read", lambda site, stem, *args, **kwargs: (
        loaded.append(stem) or read(site, stem, *args, **kwargs)))
    # parsed whole, or only its changed records (splice.py)
    monkeypatch.setattr(site_module, "_read_valid", lambda path, *args: (
        parsed.append(path.name) or read_valid(path, *args)))
    monkeypatch.setattr(site_module.splice, "read_changed", lambda *args: (
        parsed.append(args[3].name) or read_changed(*args)))
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    build_site(tmp_path / "rebuilt", data, overrides=cache)
    assert "standar-pelayanan" in loaded
    assert not [stem for stem in loaded if stem.startswith(
        ("kinerja/", "skm/", "ppid/permohonan-informasi"))], loaded
    loaded.clear()
    parsed.clear()
    _edit_cell(data / "kinerja/permohonan-layanan.csv", 2, "tanggal_selesai", "")
    build_site(tmp_path / "again", data, overrides=cache)
    assert "kinerja/pengaduan" in loaded
    assert parsed == ["permohonan-layanan.csv"]


def _traced_builds(tmp_path, data, monkeypatch):
    """Build once with the cache and a theme of its own (`theme`, to edit), every page made
    in this process; return the theme, the list of (key, value) of what later builds read
    from the table cache, and `build(name)`, a build as `etalase build` makes it in a
    process of its own (nothing in memory from the one before)."""
    import shutil

    from etalase import pagecache

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache"),
             "THEME": str(theme), "ETALASE_WORKERS": 1}
    monkeypatch.setattr(pagecache.Tables, "_last_results", {})  # left as they were after
    monkeypatch.setattr(pagecache.Tables, "_last_folder", None)
    build_site(tmp_path / "first", data, overrides=cache)
    read = []
    get = pagecache.Tables.get
    monkeypatch.setattr(pagecache.Tables, "get",
                        lambda self, key, **kwargs: (
                            lambda value: read.append((key, value)) or value)(
                            get(self, key, **kwargs)))

    def build(name):
        pagecache.Tables._last_results = {}
        return build_site(tmp_path / name, data, overrides=cache)

    return theme, read, build


def test_cached_statistics_read_their_register_tables_only_for_pages_that_show_them(
        tmp_path, copy_example_data, monkeypatch):
    # The enriched request and complaint registers (2.2 M rows at national scale) are cached
    # apart from the rest of the statistics: a rebuild after a service row changed never
    # reads them; a page made from them, rendered again, reads them; and if the cache lost
    # them, they are computed again from the sources and kept again. Each page is that of a
    # full build.
    from etalase import pagecache

    data = copy_example_data
    theme, read, build = _traced_builds(tmp_path, data, monkeypatch)
    get = pagecache.Tables.get

    def registers_read() -> list:
        return [v for _, v in read if isinstance(v, dict) and {"requests", "complaints"} <= set(v)]

    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    build("rebuilt")
    assert read and not registers_read()
    # what a preview keeps in memory for its next build does not hold on to this build
    kept = [value[0] for value in pagecache.Tables._last_results.values()
            if isinstance(value, tuple) and hasattr(value[0], "_deferred")]
    assert kept and all(stats._deferred[1] is None for stats in kept)

    template = theme / "templates" / "statistik-pengaduan.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<!-- diubah -->", 1), encoding="utf-8")
    again = build("again")
    assert len(registers_read()) == 1
    full = build_site(tmp_path / "full", data,
                      overrides={"ETALASE_CACHE": False, "THEME": str(theme)})
    page = "statistik/pengaduan/index.html"
    assert "<!-- diubah -->" in (again / page).read_text(encoding="utf-8")
    assert (again / page).read_bytes() == (full / page).read_bytes()

    stored = [p for p in (tmp_path / "cache" / "tabel").iterdir()
              if p.stat().st_size and isinstance(get(pagecache.Tables(p.parent), p.name), dict)
              and "requests" in get(pagecache.Tables(p.parent), p.name)]
    assert len(stored) == 1
    stored[0].write_bytes(b"rusak")
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<!-- diubah -->", "<!-- diubah lagi -->"), encoding="utf-8")
    read.clear()
    lost = build("lost")
    full = build_site(tmp_path / "full", data,
                      overrides={"ETALASE_CACHE": False, "THEME": str(theme)})
    assert (lost / page).read_bytes() == (full / page).read_bytes()
    assert "<!-- diubah lagi -->" in (lost / page).read_text(encoding="utf-8")
    assert "requests" in get(pagecache.Tables(stored[0].parent), stored[0].name)  # kept again


def test_cached_statistics_read_the_rows_of_their_tables_only_for_a_page_made_again(
        tmp_path, copy_example_data, monkeypatch):
    # The tables computed from the registers (160 MB at national scale) are cached apart
    # from the statistics: a rebuild after a service row changed lists, counts and dates them
    # without reading them, and renders no dataset page again; a dataset page rendered again
    # (its template changed) reads them once; if the cache lost them, they are computed again
    # and kept again. Each page is that of a full build.
    import pandas as pd
    from etalase import pagecache

    data = copy_example_data
    theme, read, build = _traced_builds(tmp_path, data, monkeypatch)
    get = pagecache.Tables.get

    def rows_read() -> list[str]:
        return [key for key, value in read if isinstance(value, dict) and value
                and all(isinstance(v, pd.DataFrame) for v in value.values())
                and "permohonan-layanan" in value]

    def full():
        return build_site(tmp_path / "full", data,
                          overrides={"ETALASE_CACHE": False, "THEME": str(theme)})

    page = "data/permohonan-layanan/index.html"
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    rebuilt = build("rebuilt")
    assert read and not rows_read()
    # what a preview keeps in memory for its next build does not hold on to this build
    kept = [dataset for value in pagecache.Tables._last_results.values()
            if isinstance(value, tuple) and hasattr(value[0], "_deferred")
            for dataset in value[1]]
    assert kept and all(d.stored_rows.read is None for d in kept)
    assert os.path.samefile(rebuilt / page, tmp_path / "first" / page), "not rendered again"
    listing = "data/tema/kinerja/index.html"
    assert (rebuilt / listing).read_bytes() == (full() / listing).read_bytes()

    template = theme / "templates" / "dataset.html"
    template.write_text(template.read_text(encoding="utf-8").replace(
        "{% block content %}", "{% block content %}<!-- diubah -->", 1), encoding="utf-8")
    read.clear()
    again = build("again")
    assert len(set(rows_read())) == 1 and len(rows_read()) == 1
    # read for the page: a template edit does not write the downloads again
    download = "data/permohonan-layanan/permohonan-layanan.csv"
    assert os.path.samefile(again / download, tmp_path / "first" / download)
    assert "<!-- diubah -->" in (again / page).read_text(encoding="utf-8")
    assert (again / page).read_bytes() == (full() / page).read_bytes()

    stored = tmp_path / "cache" / "tabel" / rows_read()[0]
    stored.write_bytes(b"rusak")
    template.write_text(template.read_text(encoding="utf-8").replace(
        "<!-- diubah -->", "<!-- diubah lagi -->"), encoding="utf-8")
    lost = build("lost")
    assert "<!-- diubah lagi -->" in (lost / page).read_text(encoding="utf-8")
    assert (lost / page).read_bytes() == (full() / page).read_bytes()
    assert "permohonan-layanan" in get(pagecache.Tables(stored.parent), stored.name)  # again


def test_the_preview_serves_new_pages_first_and_the_search_index_a_moment_later(
        tmp_path, copy_example_data):
    # `etalase devserver` puts the new pages in place with the previous search index (staff
    # see their change without waiting for Pagefind), then indexes again: the result is the
    # site a full build makes.
    from etalase.build import build, refresh_search

    from conftest import ROOT

    data = copy_example_data
    overrides = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache"),
                 "ETALASE_DATA_PATH": str(data)}
    settings = ROOT / "pelicanconf.py"
    output = tmp_path / "preview"
    build(settings, output, overrides)
    entry = (output / "pagefind/pagefind-entry.json").stat().st_ino
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")

    build(settings, output, overrides, search_later=True)
    assert "Ringkasan yang baru saja diubah petugas." in (
        output / "layanan/akta-kelahiran/index.html").read_text(encoding="utf-8")
    assert (output / "pagefind/pagefind-entry.json").stat().st_ino == entry  # not yet
    assert _overlay_pages(output) == 0
    refresh_search(settings, output, overrides)
    assert _overlay_pages(output) == 1  # the changed page, beside the kept index

    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})
    _same_site_but_search(full, output)


def test_a_changed_template_shows_in_the_next_rebuild(tmp_path, data_dir):
    # Rebuilds take the compiled templates from the cache; an edited template is compiled
    # and rendered again.
    import shutil

    from conftest import ROOT

    theme = tmp_path / "theme"
    shutil.copytree(ROOT / "theme", theme)
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache"),
             "THEME": str(theme)}
    site = build_site(tmp_path / "site", data_dir, overrides=cache)
    assert list((tmp_path / "cache" / "jinja").rglob("__jinja2_*.cache"))
    base = theme / "templates" / "base.html"
    base.write_text(base.read_text(encoding="utf-8").replace(
        "Diterbitkan dengan Etalase", "Diterbitkan dengan Etalase (uji templat)"),
        encoding="utf-8")
    site = build_site(tmp_path / "site", data_dir, overrides=cache)
    for page in ("index.html", "layanan/akta-kelahiran/index.html", "data/index.html"):
        assert "(uji templat)" in (site / page).read_text(encoding="utf-8"), page


def test_a_rebuild_takes_the_national_holidays_from_the_cache(tmp_path, data_dir, monkeypatch):
    # Working them out for the calendar's 31 years costs a rebuild 0.14 s (importing the
    # holidays library's 250 countries): with the cache on, they are kept between builds.
    import holidays

    from etalase import workdays

    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "site", data_dir, overrides=cache)
    workdays._public_holidays.cache_clear()  # as in a new process

    def unused(*args, **kwargs):
        raise AssertionError("the holidays were worked out again")

    monkeypatch.setattr(holidays, "country_holidays", unused)
    site = build_site(tmp_path / "site", data_dir, overrides=cache)
    assert (site / "ppid/cara-meminta-informasi/index.html").is_file()
    workdays._public_holidays.cache_clear()
    with pytest.raises(AssertionError, match="worked out again"):  # without the cache
        build_site(tmp_path / "other", data_dir)


def test_a_commit_made_while_the_preview_runs_leaves_the_date_its_pages_show(tmp_path,
                                                                             monkeypatch):
    # Every page shows the date of the last commit. The preview keeps the date it started
    # with, so a commit made meanwhile does not make its next rebuild render every page again.
    import datetime as dt
    import subprocess

    from etalase.devserver import fixed_build_time
    from etalase.site import build_time

    def commit(when: str) -> None:
        subprocess.run(["git", "-c", "user.name=Petugas", "-c", "user.email=ppid@example.id",
                        "commit", "-q", "--allow-empty", "-m", "Perbarui data"],
                       cwd=tmp_path, check=True,
                       env=dict(os.environ, GIT_AUTHOR_DATE=when, GIT_COMMITTER_DATE=when))

    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    commit("2026-11-02T09:00:00+07:00")
    with fixed_build_time(tmp_path):
        commit("2026-11-03T09:00:00+07:00")
        assert build_time(tmp_path).date() == dt.date(2026, 11, 2)
    assert build_time(tmp_path).date() == dt.date(2026, 11, 3)  # the next preview's date
    # A date fixed by SOURCE_DATE_EPOCH stays fixed; where there is no commit, nothing is.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1755388800")
    with fixed_build_time(tmp_path):
        assert build_time(tmp_path).date() == dt.date(2025, 8, 17)
    assert os.environ["SOURCE_DATE_EPOCH"] == "1755388800"
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    with fixed_build_time(tmp_path / "bukan-git"):
        assert "SOURCE_DATE_EPOCH" not in os.environ


def test_a_rebuild_reads_again_only_the_downloads_it_wrote_anew(tmp_path, copy_example_data,
                                                                 monkeypatch):
    # Checksums in the catalogue are remembered by file identity: downloads linked from the
    # cache are not read again (1.3 GB at national scale), and one written anew is read once,
    # by the process that wrote it.
    from pathlib import Path

    from etalase import archive

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    log = tmp_path / "dibaca.txt"  # written by every process of the build
    original = archive.sha256_of

    def reading(path):
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(f"{path}\n")
        return original(path)

    monkeypatch.setattr(archive, "sha256_of", reading)
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    hashed = [Path(p) for p in log.read_text(encoding="utf-8").splitlines()]
    downloads = [p for p in hashed  # data/<id>/<id>.<format>
                 if p.stem == p.parent.name and p.parent.parent.name == "data"]
    assert sorted(p.name for p in downloads) == [
        "standar-pelayanan.csv", "standar-pelayanan.json", "standar-pelayanan.xlsx"], downloads
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})
    _same_site_but_search(full, rebuilt)  # the same checksums in every catalogue file


def test_a_rebuild_knows_its_pages_by_their_cache_keys_for_the_sitemap_and_search(
        tmp_path, copy_example_data, monkeypatch):
    # What the sitemap and the search key read of a page is remembered by the cache key that
    # decided the page's bytes, so a rebuild does not look at 20 000 page files to find it;
    # only the Markdown pages, which Pelican writes itself, are known by their file. A page
    # whose text changed is read again, and the sitemap is a full build's.
    import pickle

    from etalase import sitemap
    from etalase.pagecache import built_pages
    from etalase.search import indexed_files

    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "first", data, overrides=cache)
    _change_one_service(data, "akta-kelahiran", "Ringkasan yang baru saja diubah petugas.")
    read = []
    page_url = sitemap.page_url
    monkeypatch.setattr(sitemap, "page_url", lambda path, *args: (
        read.append(os.path.relpath(path, args[0])) or page_url(path, *args)))
    rebuilt = build_site(tmp_path / "rebuilt", data, overrides=cache)
    assert "layanan/akta-kelahiran/index.html" in read
    assert "layanan/kartu-keluarga/index.html" not in read
    with open(tmp_path / "cache" / "berkas.pickle", "rb") as fh:
        by_file, by_key = pickle.load(fh)  # (kind, detail, file identity), (kind, detail)
    markdown = {f"{p.stem}/index.html" for p in (ROOT / "content" / "pages").glob("*.md")}
    assert markdown and {key[1][1] for key in by_file if key[0] == "sitemap"} == markdown
    [sitemap_keys] = [keys for (kind, _), keys in by_key.items() if kind == "sitemap"]
    assert len(sitemap_keys) == len(built_pages(rebuilt)) - len(markdown)
    # What the search key reads, likewise, of the pages Pagefind reads.
    indexed = set(indexed_files(rebuilt))
    assert {key[1][1] for key in by_file if key[0] == "pencarian"} == indexed & markdown
    [searched] = [keys for (kind, _), keys in by_key.items() if kind == "pencarian"]
    assert len(searched) == len(indexed - markdown) > 0
    full = build_site(tmp_path / "full", data, overrides={"ETALASE_CACHE": False})
    assert (rebuilt / "sitemap.xml").read_bytes() == (full / "sitemap.xml").read_bytes()


def test_a_markdown_page_saved_over_a_plugin_page_wins_with_and_without_the_cache(
        tmp_path, copy_example_data):
    # Staff may replace a page the plugin writes with their own Markdown page (`Save_as`).
    # Pelican lets the page that asks to override win; a build with the cache on must do
    # the same, every time, and must not write the staff page into the cached plugin page.
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "pages" / "kode-etik.md").write_text(
        "Title: Kode etik kami\nSlug: kode-etik-sendiri\nSave_as: kode-etik/index.html\n"
        "URL: kode-etik/\nKategori_KIP: berkala\nButir_berkala: 1\n\nKode etik ini ditulis sendiri oleh petugas.\n", encoding="utf-8")
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache"),
             "PATH": str(content)}
    for name, overrides in (("full", dict(cache, ETALASE_CACHE=False)), ("first", cache),
                            ("again", cache)):
        site = build_site(tmp_path / name, copy_example_data, overrides=overrides)
        page = (site / "kode-etik/index.html").read_text(encoding="utf-8")
        assert "Kode etik ini ditulis sendiri oleh petugas." in page, name
    # The cache holds no copy of the staff page under a plugin page's key.
    for kept in (tmp_path / "cache").rglob("*"):
        if kept.is_file() and kept.stat().st_size < 10_000_000:
            assert b"ditulis sendiri oleh petugas" not in kept.read_bytes(), kept


def test_a_build_into_the_emptied_folders_of_the_site_before_last_prunes_without_a_walk(
        tmp_path, copy_example_data, monkeypatch):
    # Each build writes into the folders of the site before last, emptied of files, and
    # removes those it did not use: reading 20 000 folders to find them took a national
    # rebuild 0.27 s. The emptied tree lists its folders, and the build knows what it
    # wrote. A page gone since (here a Markdown page) leaves no empty folder behind, nor
    # does an empty folder of the theme's static files, and the site, its sitemap included,
    # is a full build's. An HTML file Pelican copies without its writer (a file a page
    # links with {static}) is found by reading the folders, as before.
    import shutil
    import time

    from etalase import build as building
    from etalase import folders

    content, theme = tmp_path / "content", tmp_path / "theme"
    shutil.copytree(ROOT / "content", content)
    shutil.copytree(ROOT / "theme", theme)
    (theme / "static" / "kosong").mkdir()
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache"),
             "PATH": str(content), "THEME": str(theme)}
    site = tmp_path / "site"
    walked = []
    walk = building.prune_empty
    monkeypatch.setattr(building, "prune_empty", lambda *a: walked.append(a) or walk(*a))

    def build_after_the_last_tree_is_emptied() -> None:
        listed = folders.skeleton(site) / folders.FOLDER_LIST
        deadline = time.monotonic() + 60
        while not listed.exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert "tentang" in listed.read_text(encoding="utf-8").split("\n")
        walked.clear()
        build_site(site, copy_example_data, overrides=cache)

    build_site(site, copy_example_data, overrides=cache)
    build_site(site, copy_example_data, overrides=cache)  # the first site's folders wait
    (content / "pages" / "tentang.md").unlink()
    build_after_the_last_tree_is_emptied()
    assert walked == []
    assert not (site / "tentang").exists()
    assert not [d for d in site.rglob("*") if d.is_dir() and not any(d.iterdir())]
    full = build_site(tmp_path / "full", copy_example_data,
                      overrides=dict(cache, ETALASE_CACHE=False))
    _same_site_but_search(full, site)

    (content / "berkas").mkdir()
    (content / "berkas" / "laporan.html").write_text(
        "<!doctype html><title>Laporan</title><p>Laporan tahunan</p>", encoding="utf-8")
    page = content / "pages" / "kontak.md"
    page.write_text("Title: Kontak\nSlug: kontak\nKategori_KIP: setiap_saat\n\n"
                    "[Laporan tahunan]({static}/berkas/laporan.html)\n", encoding="utf-8")
    build_after_the_last_tree_is_emptied()
    assert len(walked) == 1
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "/berkas/laporan.html" in sitemap and "/kontak/" in sitemap
