"""The open data catalogue as a visitor meets it: a landing page per dataset with everything
needed to understand, cite and download it; a catalogue browsable by theme and publisher
without JavaScript; and one reproducible archive of everything."""

from __future__ import annotations

import hashlib
import csv
import json
import os
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT

from etalase import archive, catalogue, metadata
from etalase.datasets import Dataset
from etalase.schema import field_names, load_schema


@pytest.fixture(scope="module")
def site(example_site) -> Path:
    return example_site


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def _ids(site: Path) -> list[str]:
    return sorted(p.parent.name for p in (site / "data").glob("*/datapackage.json"))


def _facts(page: BeautifulSoup) -> dict[str, str]:
    facts = page.select_one("dl.facts")
    return {dt.get_text(strip=True): dd.get_text(" ", strip=True)
            for dt, dd in zip(facts.select("dt"), facts.select("dd"))}


def test_every_landing_page_says_who_publishes_whom_to_ask_and_under_which_licence(site):
    for dataset_id in _ids(site):
        page = _soup(site / "data" / dataset_id / "index.html")
        facts = _facts(page)
        assert page.h1.get_text(strip=True)
        assert page.select_one("p.lead").get_text(strip=True)
        assert facts["Penerbit"]
        assert "ppid@tanjungharapankota.example" in facts["Narahubung"]
        assert page.select_one('a[rel=license]')["href"] == \
            "https://creativecommons.org/licenses/by/4.0/"
        for label in ("Frekuensi pembaruan", "Cakupan waktu", "Pertama terbit",
                      "Terakhir diperbarui", "Kategori informasi publik", "Tema"):
            assert facts[label], (dataset_id, label)
        assert "UU 14/2008" in facts["Kategori informasi publik"]


def test_the_kip_category_and_periodic_item_are_explained_in_plain_words(site):
    facts = _facts(_soup(site / "data" / "standar-pelayanan" / "index.html"))
    assert facts["Kategori informasi publik"].startswith("Informasi berkala (Pasal 9 UU 14/2008)")
    assert "butir 3 informasi berkala: ringkasan kinerja" in facts["Kategori informasi publik"]


def test_the_data_dictionary_lists_every_field_of_the_table_schema(site):
    schema = load_schema("standar-pelayanan")
    page = _soup(site / "data" / "standar-pelayanan" / "index.html")
    rows = [[c.get_text(" ", strip=True) for c in tr.select("th, td")]
            for tr in page.select("table.dictionary tbody tr")]
    assert [r[0] for r in rows] == field_names(schema)
    by_name = {r[0]: r for r in rows}
    assert by_name["biaya_rupiah"][1:4] == ["Biaya (rupiah)", "bilangan bulat", "ya"]
    assert "paling kecil 0" in by_name["biaya_rupiah"][4]
    assert "kunci utama" in by_name["kode"][4]
    assert "merujuk ke kolom kode pada dataset penyelenggara" in by_name["penyelenggara"][4]
    assert by_name["biaya_rupiah"][5] == next(
        f["description"] for f in schema["fields"] if f["name"] == "biaya_rupiah")


def test_a_register_s_dictionary_says_which_dates_are_refused(site):
    page = _soup(site / "data" / "permohonan-layanan" / "index.html")
    rows = {tr.select_one("th, td").get_text(strip=True): tr.get_text(" ", strip=True)
            for tr in page.select("table.dictionary tbody tr")}
    for column in ("tanggal_masuk", "tanggal_selesai"):
        assert "tidak sebelum 1 Januari 2000" in rows[column]
        assert "tidak boleh sesudah hari ini" in rows[column]
    # The published schema keeps the standard constraint and leaves our own marks out.
    package = json.loads((site / "data" / "permohonan-layanan" / "datapackage.json").read_text(
        encoding="utf-8"))
    fields = {f["name"]: f for f in package["resources"][0]["schema"]["fields"]}
    assert fields["tanggal_masuk"]["constraints"]["minimum"] == "2000-01-01"
    assert not any(k.startswith("etalase:") for f in fields.values() for k in f)


def test_the_preview_is_an_accessible_table_of_the_first_rows(site):
    page = _soup(site / "data" / "standar-pelayanan" / "index.html")
    table = page.select_one("table.preview")
    assert "baris pertama dari" in table.caption.get_text()
    headers = table.select("thead th")
    assert all(th["scope"] == "col" for th in headers)
    assert len(headers) == len(field_names(load_schema("standar-pelayanan")))
    rows = table.select("tbody tr")
    with open(site / "data/standar-pelayanan/standar-pelayanan.csv", encoding="utf-8") as fh:
        first = pd.read_csv(fh, dtype=str, keep_default_na=False).iloc[0]
    assert 1 <= len(rows) <= 10
    assert rows[0].select("td")[0].get_text() == first["kode"]


def test_downloads_are_listed_with_their_real_size_and_sha256(site):
    for dataset_id in _ids(site):
        page = _soup(site / "data" / dataset_id / "index.html")
        rows = page.select("table.downloads-table tbody tr")
        assert [r["id"] for r in rows] == ["unduh-csv", "unduh-json", "unduh-xlsx"]
        for row in rows:
            written = site / row.select_one("a")["href"].lstrip("/")
            assert int(row.select_one("td[data-bytes]")["data-bytes"]) == written.stat().st_size
            assert row.select_one("code.checksum").get_text() == \
                hashlib.sha256(written.read_bytes()).hexdigest()


def test_the_catalogue_lists_every_dataset_and_browses_by_theme_and_publisher_by_links(site):
    page = _soup(site / "data" / "index.html")
    listed = {a["href"] for a in page.select("#judul-daftar ~ ul.dataset-list > li > a")}
    assert listed == {f"/data/{i}/" for i in _ids(site)}
    themes = [a["href"] for a in page.select("section[aria-labelledby=judul-tema] a")]
    publishers = [a["href"] for a in page.select("section[aria-labelledby=judul-penerbit] a")]
    assert themes and publishers
    reached = set()
    for href in themes + publishers:
        listing = _soup(site / href.lstrip("/") / "index.html")
        reached |= {a["href"] for a in listing.select("ul.dataset-list > li > a")}
    assert reached == listed  # every dataset is reachable both ways
    layanan = _soup(site / "data" / "tema" / "layanan" / "index.html")
    assert "/data/standar-pelayanan/" in {a["href"] for a in layanan.select("ul.dataset-list > li > a")}


def test_the_menu_has_a_data_item_leading_to_the_catalogue(site):
    home = _soup(site / "index.html")
    assert "/data/" in [a["href"] for a in home.select("nav.site-nav a") if a.get_text() == "Data"]


def test_the_archive_holds_every_dataset_as_csv_with_its_package_in_sorted_order_with_fixed_dates(site):
    path = site / "data" / catalogue.ZIP_NAME
    page = _soup(site / "data" / "index.html")
    assert page.select_one("#judul-semua ~ p code.checksum").get_text() == \
        hashlib.sha256(path.read_bytes()).hexdigest()
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        assert names == sorted(names)
        assert {i.date_time for i in zf.infolist()} == {archive.TIMESTAMP}
        for dataset_id in _ids(site):
            for name in (f"{dataset_id}.csv", "datapackage.json"):
                member = f"{dataset_id}/{name}"
                assert zf.read(member) == (site / "data" / member).read_bytes()
            # the same rows again as JSON and Excel stay on the landing page only
            assert f"{dataset_id}/{dataset_id}.json" not in names
            assert f"{dataset_id}/{dataset_id}.xlsx" not in names
            assert (site / "data" / dataset_id / f"{dataset_id}.json").is_file()
        assert {"datapackage.json", "data.json", "catalog.ttl", "catalog.jsonld"} <= set(names)


def test_the_archive_does_not_depend_on_file_dates_or_the_order_files_are_given(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("x\r\n1\r\n"), b.write_text("y\r\n2\r\n")
    catalogue.write_zip(tmp_path / "1.zip", {"b/b.csv": b, "a/a.csv": a, "README": b"hai"})
    os.utime(a, (1, 1))
    catalogue.write_zip(tmp_path / "2.zip", {"README": b"hai", "a/a.csv": a, "b/b.csv": b})
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()


def test_an_archive_made_from_the_one_before_recompresses_only_what_changed(tmp_path):
    # The all-data archive of a national site is 860 MB to compress; a rebuild copies the
    # compressed bytes of unchanged downloads from the archive before. The result must be
    # the very archive that compressing everything gives.
    import random

    rng = random.Random(9)
    files = {}
    for name in ("a/a.csv", "b/b.csv", "c/c.csv"):
        path = tmp_path / name.replace("/", "-")
        path.write_text("".join(f"{rng.randint(0, 10**6)},baris {i}\r\n" for i in range(20000)))
        files[name] = path
    members = {**files, "BACA-SAYA.txt": b"hai"}
    first = catalogue.write_zip(tmp_path / "1.zip", members)
    assert first.reused == set()
    files["b/b.csv"].write_text("y\r\n2\r\n")  # one download changed
    again = catalogue.write_zip(tmp_path / "2.zip", members,
                                previous=(tmp_path / "1.zip", first.digests))
    fresh = catalogue.write_zip(tmp_path / "3.zip", members)
    assert again.reused == {"a/a.csv", "c/c.csv"}
    assert (tmp_path / "2.zip").read_bytes() == (tmp_path / "3.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "2.zip") as zf:
        assert zf.testzip() is None
        assert zf.read("b/b.csv") == b"y\r\n2\r\n"
    assert again.digests == fresh.digests
    # An archive before that is damaged or gone is no reason to publish a wrong one.
    (tmp_path / "1.zip").write_bytes((tmp_path / "1.zip").read_bytes()[:5000])
    damaged = catalogue.write_zip(tmp_path / "4.zip", members,
                                  previous=(tmp_path / "1.zip", first.digests))
    assert damaged.reused == set()
    assert (tmp_path / "4.zip").read_bytes() == (tmp_path / "3.zip").read_bytes()
    # A member whose local header does not match the archive's directory is compressed
    # again, not copied.
    kept = tmp_path / "kept.zip"
    write = catalogue.write_zip(kept, members)
    with zipfile.ZipFile(kept) as zf:
        offset = zf.getinfo("a/a.csv").header_offset
    raw = bytearray(kept.read_bytes())
    raw[offset + 28] = 4  # the extra field's length
    kept.write_bytes(bytes(raw))
    repaired = catalogue.write_zip(tmp_path / "5.zip", members, previous=(kept, write.digests))
    assert "a/a.csv" not in repaired.reused and "c/c.csv" in repaired.reused
    assert (tmp_path / "5.zip").read_bytes() == (tmp_path / "3.zip").read_bytes()


def test_a_kept_archive_is_used_only_as_it_was_kept(tmp_path):
    # The cache keeps the archive (a hard link to the published file) and its index; an
    # archive changed in place since, or made with another compressor, is not reused.
    source = tmp_path / "a.csv"
    source.write_text("x\r\n1\r\n")
    target = tmp_path / "out" / "semua.zip"
    written = catalogue.write_zip(target, {"a/a.csv": source})
    folder = tmp_path / "cache" / "arsip"
    archive.keep(target, written, folder)
    assert archive.kept("semua.zip", folder) == (folder / "semua.zip", written.digests)
    with open(folder / "semua.zip", "ab") as fh:
        fh.write(b"tambahan")
    assert archive.kept("semua.zip", folder) is None
    archive.keep(target, written, folder)  # kept again, replacing the pair together
    assert archive.kept("semua.zip", folder) is not None
    index = json.loads((folder / archive.INDEX).read_text(encoding="utf-8"))
    index["compressor"] = "zlib lain"
    (folder / archive.INDEX).write_text(json.dumps(index), encoding="utf-8")
    assert archive.kept("semua.zip", folder) is None


def test_machine_readable_files_are_linked_from_the_catalogue_page(site):
    page = _soup(site / "data" / "index.html")
    hrefs = {a["href"] for a in page.select("#untuk-mesin a")}
    assert {"/data/catalog.ttl", "/data/catalog.jsonld", "/data/data.json",
            "/data/perubahan.atom"} <= hrefs
    for href in hrefs:
        assert (site / href.lstrip("/")).is_file()


def _dataset(**overrides) -> Dataset:
    schema = load_schema("penyelenggara")
    frame = pd.DataFrame({name: ["x"] for name in field_names(schema)})
    values = dict(id="contoh", title="Contoh", description="Data contoh.", schema=schema,
                  frame=frame, theme="layanan")
    values.update(overrides)
    return Dataset(**values)


def test_unknown_frequency_or_kip_category_is_reported_not_crashed():
    problems = catalogue.check_metadata(_dataset(frequency="kadang-kadang",
                                                 kip_category="dikecualikan", berkala_item=11))
    assert {p.column for p in problems} == {"frequency", "kip_category", "berkala_item"}
    assert all(p.expected for p in problems)


def test_temporal_coverage_comes_from_the_dataset_or_else_its_date_column():
    dated = _dataset(frame=pd.DataFrame({"maklumat_tanggal": pd.to_datetime(
        ["2024-03-01", "2023-01-15", None])}))
    assert dated.coverage() == ("2023-01-15", "2024-03-01")
    assert _dataset(temporal=("2020-01-01", "2020-12-31")).coverage() == \
        ("2020-01-01", "2020-12-31")


def test_temporal_coverage_understands_year_and_month_columns():
    schema = {"fields": [{"name": "bulan", "type": "string"}, {"name": "tahun", "type": "integer"}]}
    months = _dataset(schema=schema, frame=pd.DataFrame({"bulan": ["2026-05", "2026-02"],
                                                         "tahun": [2026, 2026]}))
    assert months.coverage() == ("2026-02-01", "2026-05-31")
    years = _dataset(schema=schema, temporal_field="tahun", frame=pd.DataFrame(
        {"bulan": [None, None], "tahun": pd.array([2014, 2010], dtype="Int64")}))
    assert years.coverage() == ("2010-01-01", "2014-12-31")
    assert _dataset(frame=pd.DataFrame({"kode": ["a"]})).coverage() is None


def test_a_dataset_whose_rows_wait_in_the_cache_is_described_without_reading_them():
    # A rebuild lists, counts and dates the computed tables (160 MB at national scale) from
    # what was stored with them; the rows themselves are read once, when first needed.
    import dataclasses

    from etalase.datasets import StoredRows

    frame = pd.DataFrame({"maklumat_tanggal": pd.to_datetime(["2024-03-01", "2023-01-15"])})
    frame.attrs.update(display="data/penyelenggara.csv", row_numbers=pd.Series([2, 5]))
    whole = _dataset(frame=frame)
    reads = []
    stored = dataclasses.replace(whole, frame=dataclasses.replace(
        StoredRows.of(whole), read=lambda: reads.append(1) or frame))
    assert (stored.row_count, stored.coverage(), stored.formats) == \
        (2, ("2023-01-15", "2024-03-01"), whole.formats)
    assert stored.source_rows() == whole.source_rows()
    assert stored.source_rows()[0] == "data/penyelenggara.csv" and stored.source_rows()[1]
    assert reads == []
    assert stored.frame is frame and stored.frame is frame
    assert reads == [1]
    with pytest.raises(RuntimeError, match="contoh"):  # stored without saying how to read it
        dataclasses.replace(whole, frame=StoredRows.of(whole)).frame


def test_the_preview_touches_only_the_first_rows_of_a_huge_table():
    frame = pd.DataFrame({"kode": [f"k{i}" for i in range(1_000_000)]})
    rows = catalogue.preview(_dataset(frame=frame), 10)
    assert len(rows) == 10 and rows[0][0] == "k0"


def test_scraped_data_shows_where_it_came_from_and_when_it_was_checked(tmp_path):
    from jinja2 import Environment, FileSystemLoader

    from etalase.generator import FILTERS

    provenance = {"sumber": "Portal Satu Data Kota", "url": "https://data.contoh.example/x.csv",
                  "terakhir_diperiksa": "2025-08-01", "terakhir_berubah": "2025-07-15"}
    dataset = _dataset(extra={"provenance": provenance})
    env = Environment(loader=FileSystemLoader(str(ROOT / "theme" / "templates")), autoescape=True)
    env.filters.update(FILTERS)
    record = metadata.Record(id="contoh", uri="https://x.example/data/contoh/", title="Contoh",
                             description="d", publisher=metadata.Agent("Pemkot"),
                             contact=metadata.Agent("PPID", email="ppid@x.example"),
                             license="https://creativecommons.org/licenses/by/4.0/",
                             theme="layanan", frequency="irregular", modified="2025-08-01")
    from etalase.history import History

    entry = catalogue.Entry(dataset, record, History(), [], "pemkot")
    html = env.get_template("dataset.html").render(
        SITEURL="", SITENAME="s", SITESUBTITLE="s", BUILT_AT="2025-08-01", entry=entry, dataset=dataset, record=record,
        theme_label=metadata.theme_label, frequency="tidak tentu", kip=catalogue.kip_text(dataset),
        license_title="CC BY", fields=catalogue.dictionary(dataset), preview=[], row_count=1,
        provenance=catalogue.provenance(dataset), versions=[], summary=catalogue.change_summary)
    page = BeautifulSoup(html, "lxml")
    section = page.select_one("dl.provenance")
    text = {dt.get_text(): dd.get_text(" ", strip=True)
            for dt, dd in zip(section.select("dt"), section.select("dd"))}
    assert text == {"Sumber": "Portal Satu Data Kota", "Terakhir diperiksa": "2025-08-01",
                    "Terakhir berubah": "2025-07-15"}
    assert section.select_one("a")["href"] == provenance["url"]
    assert _facts(page)["Penerbit"] == "Pemkot"  # shown beside the usual facts


def test_a_script_end_tag_in_a_description_cannot_break_out_of_the_json_ld_block():
    text = metadata.script_json({"description": "</script><script>alert(1)</script>"})
    assert "</" not in text
    assert json.loads(text)["description"] == "</script><script>alert(1)</script>"


def test_every_address_of_the_site_in_the_dcat_catalogue_is_a_published_page_or_file(
        example_site):
    # A harvester or a researcher following dcat:themeTaxonomy found /data/tema/ missing.
    import rdflib

    graph = rdflib.Graph().parse(example_site / "data" / "catalog.ttl", format="turtle")
    base = "https://mpp.tanjungharapankota.example/"
    addresses = {str(term).split("#")[0] for triple in graph for term in triple
                 if isinstance(term, rdflib.URIRef) and str(term).startswith(base)}
    assert f"{base}data/tema/" in addresses
    missing = []
    for address in sorted(addresses):
        path = example_site / address.removeprefix(base)
        if not (path.is_file() or (path / "index.html").is_file()):
            missing.append(address)
    assert missing == []


def test_a_yes_no_column_reads_ya_or_tidak_in_the_csv_and_the_preview_as_its_dictionary_says(
        example_site):
    # The preview showed "True"/"False" and the CSV the same, under a dictionary saying
    # "ya/tidak": English on a public page, and values the dictionary did not describe.
    folder = example_site / "data" / "permohonan-informasi"
    with open(folder / "permohonan-informasi.csv", encoding="utf-8", newline="") as fh:
        values = {row["diperpanjang"] for row in csv.DictReader(fh)}
    assert values == {"ya", "tidak"}
    field = next(f for f in json.loads((folder / "datapackage.json").read_text())[
        "resources"][0]["schema"]["fields"] if f["name"] == "diperpanjang")
    assert (field["trueValues"], field["falseValues"]) == (["ya"], ["tidak"])
    page = (folder / "index.html").read_text(encoding="utf-8")
    assert ">True<" not in page and ">False<" not in page and "<td>tidak</td>" in page
    records = json.loads((folder / "permohonan-informasi.json").read_text(encoding="utf-8"))
    assert {r["diperpanjang"] for r in records} <= {True, False, None}  # JSON keeps its own
