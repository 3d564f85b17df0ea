"""The Daftar Informasi Publik: everything published plus data/ppid/dip.csv, Perki columns,
grouped by category, as a page and as a dataset; exempt information only as categories."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from factories import write_csv
from etalase import dip
from etalase.errors import DataError
from etalase.site import load_site

DIP_COLUMNS = ["judul", "ringkasan", "kategori", "butir_berkala", "pejabat_penguasa",
               "penanggung_jawab", "waktu_pembuatan", "tempat_pembuatan", "bentuk_informasi",
               "jangka_waktu_penyimpanan", "tautan"]
EXEMPT_COLUMNS = ["kategori", "pasal_17_huruf", "alasan_uji_konsekuensi", "tanggal_penetapan"]


def staff_row(**overrides) -> dict:
    row = {"judul": "Ringkasan Laporan Keuangan 2025", "ringkasan": "Realisasi anggaran.",
           "kategori": "berkala", "butir_berkala": "4", "pejabat_penguasa": "BKAD",
           "penanggung_jawab": "PPID Pelaksana BKAD", "waktu_pembuatan": "2026-06-30",
           "tempat_pembuatan": "Kantor BKAD", "bentuk_informasi": "Hardcopy",
           "jangka_waktu_penyimpanan": "10 tahun", "tautan": ""}
    row.update(overrides)
    return row


def exempt_row(**overrides) -> dict:
    row = {"kategori": "Rekam medis pasien", "pasal_17_huruf": "h",
           "alasan_uji_konsekuensi": "Mengungkap rahasia pribadi.",
           "tanggal_penetapan": "2025-02-17"}
    row.update(overrides)
    return row


def load(data_dir: Path, dip_rows=None, exempt_rows=None):
    if dip_rows is not None:
        write_csv(data_dir / "ppid" / "dip.csv", DIP_COLUMNS, dip_rows)
    if exempt_rows is not None:
        write_csv(data_dir / "ppid" / "informasi-dikecualikan.csv", EXEMPT_COLUMNS, exempt_rows)
    return load_site(data_dir, root=data_dir.parent)


def problems(data_dir: Path, **kwargs):
    with pytest.raises(DataError) as caught:
        load(data_dir, **kwargs)
    return caught.value.problems


def test_the_dip_lists_every_dataset_every_ppid_page_and_the_staff_entries(data_dir):
    site = load(data_dir, dip_rows=[staff_row()])
    table = site.datasets[dip.DIP_ID].frame
    titles = set(table["judul"])
    assert {"Penyelenggara layanan", "Standar pelayanan"} <= titles  # datasets
    assert "Cara meminta informasi publik" in titles  # a PPID page
    assert "Ringkasan Laporan Keuangan 2025" in titles  # data/ppid/dip.csv
    assert "Daftar Informasi Publik (data)" in titles  # the DIP lists itself
    staff = table[table["judul"] == "Ringkasan Laporan Keuangan 2025"].iloc[0]
    assert staff["butir_berkala"] == "4" and staff["jangka_waktu_penyimpanan"] == "10 tahun"
    assert staff["sumber"].endswith("data/ppid/dip.csv")


def test_the_dip_has_the_perki_columns_and_is_grouped_berkala_serta_merta_setiap_saat(data_dir):
    site = load(data_dir, dip_rows=[staff_row(judul="Peta rawan banjir", kategori="serta_merta",
                                              butir_berkala="")])
    table = site.datasets[dip.DIP_ID].frame
    for column in ["ringkasan", "pejabat_penguasa", "penanggung_jawab", "waktu_pembuatan",
                   "tempat_pembuatan", "bentuk_informasi", "jangka_waktu_penyimpanan"]:
        assert column in table.columns
    order = {"berkala": 0, "serta_merta": 1, "setiap_saat": 2}
    ranks = table["kategori"].map(order).tolist()
    assert ranks == sorted(ranks) and set(ranks) == {0, 1, 2}
    assert table["nomor"].tolist() == list(range(1, len(table) + 1))


def test_a_page_from_content_pages_appears_with_its_link(data_dir):
    page = data_dir.parent / "content" / "pages" / "profil.md"
    page.parent.mkdir(parents=True)
    page.write_text("Title: Profil badan publik\nSlug: profil\nKategori_KIP: berkala\n"
                    "Butir_berkala: 1\nModified: 2026-05-02\n\nIsi.\n", encoding="utf-8")
    site = load(data_dir)
    entry = next(e for e in site.parts["ppid"]["entries"] if e.judul == "Profil badan publik")
    assert entry.tautan == "profil/" and entry.butir_berkala == [1]
    assert str(entry.waktu_pembuatan) == "2026-05-02"


def test_exempt_information_cannot_be_listed_in_the_dip(data_dir):
    [problem] = problems(data_dir, dip_rows=[staff_row(kategori="dikecualikan")])
    assert (problem.row, problem.column) == (2, "kategori")
    assert "informasi-dikecualikan.csv" in problem.expected


def test_a_berkala_staff_entry_needs_its_item_and_others_must_leave_it_empty(data_dir):
    found = problems(data_dir, dip_rows=[staff_row(butir_berkala=""),
                                         staff_row(judul="SOP", kategori="setiap_saat")])
    assert sorted((p.row, p.column) for p in found) == [(2, "butir_berkala"), (3, "butir_berkala")]


def test_the_exempt_list_is_published_as_categories_with_their_pasal_17_letter(data_dir):
    site = load(data_dir, exempt_rows=[exempt_row(), exempt_row(kategori="Identitas pelapor",
                                                                pasal_17_huruf="a, h")])
    rows = site.parts["ppid"]["exempt"]
    assert rows[1]["huruf"][0][0] == "a" and "penegakan hukum" in rows[1]["huruf"][0][1]
    assert list(site.datasets[dip.EXEMPT_ID].frame.columns) == EXEMPT_COLUMNS
    assert not (site.datasets[dip.DIP_ID].frame["kategori"] == "dikecualikan").any()


def test_a_wrong_pasal_17_letter_is_reported(data_dir):
    [problem] = problems(data_dir, exempt_rows=[exempt_row(pasal_17_huruf="k")])
    assert problem.column == "pasal_17_huruf" and "a sampai j" in problem.expected


def test_the_dip_page_of_the_example_site_shows_every_category_and_the_perki_headings(example_site):
    html = (example_site / "ppid" / "dip" / "index.html").read_text(encoding="utf-8")
    soup = BeautifulSoup(html, "lxml")
    sections = [s["id"] for s in soup.select("main section")]
    assert sections == ["berkala", "serta_merta", "setiap_saat"]
    headings = [th.get_text(" ", strip=True) for th in soup.select("#berkala thead th")]
    assert "Pejabat/unit yang menguasai" in headings
    assert "Jangka waktu penyimpanan" in headings
    csv = pd.read_csv(example_site / "data" / dip.DIP_ID / f"{dip.DIP_ID}.csv")
    assert len(soup.select("main tbody tr")) == len(csv)


def test_the_example_exempt_page_never_shows_exempt_content_only_categories(example_site):
    html = (example_site / "ppid" / "informasi-dikecualikan" / "index.html").read_text("utf-8")
    text = BeautifulSoup(html, "lxml").get_text(" ")
    assert "uji konsekuensi" in text and "Rekam medis" in text
