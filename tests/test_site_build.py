"""The built site: every service standard in full, safe, downloadable, and never half-built."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import time
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from conftest import build_site
from factories import service, write_site_data

from etalase.components import COMPONENTS
from etalase.errors import DataError


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


@pytest.fixture
def small_site(data_dir, tmp_path) -> Path:
    return build_site(tmp_path / "output", data_dir)


def test_every_service_page_shows_all_14_components_with_their_pasal_21_letter(small_site):
    page = _soup(small_site / "layanan" / "ktp-el" / "index.html")
    headings = [h.get_text(" ", strip=True) for h in page.select("section.component > h3")]
    assert len(headings) == 14
    for comp in COMPONENTS:
        assert f"{comp.heading} Pasal 21 huruf {comp.letter}" in headings


def test_the_six_published_components_come_first(small_site):
    page = _soup(small_site / "layanan" / "ktp-el" / "index.html")
    ids = [s["id"] for s in page.select("section.component")]
    assert ids[:6] == ["persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan"]


def test_procedure_steps_are_a_numbered_list_without_the_typed_numbers(small_site):
    page = _soup(small_site / "layanan" / "akta-kelahiran" / "index.html")
    steps = [li.get_text() for li in page.select("#prosedur ol > li")]
    assert steps == ["Ambil nomor antrean", "Serahkan berkas di loket", "Terima akta"]
    requirements = [li.get_text() for li in page.select("#persyaratan ul > li")]
    assert requirements == ["Surat keterangan lahir dari rumah sakit", "Kartu Keluarga",
                            "KTP-el orang tua"]


def test_fees_read_as_rupiah_or_gratis(small_site):
    paid = _soup(small_site / "layanan" / "ktp-el" / "index.html")
    free = _soup(small_site / "layanan" / "akta-kelahiran" / "index.html")
    assert paid.select_one("#biaya .big").get_text() == "Rp50.000"
    assert free.select_one("#biaya .big").get_text() == "Gratis"


def test_dates_and_decree_are_written_in_indonesian(small_site):
    page = _soup(small_site / "layanan" / "akta-kelahiran" / "index.html")
    footer = page.select_one(".standard-footer").get_text(" ", strip=True)
    assert "Berlaku sejak 17 Agustus 2025." in footer
    assert "Keputusan Kepala Dinas Nomor 470/1/2025" in footer


def test_the_provider_address_hours_and_contacts_are_on_the_service_page(small_site):
    text = _soup(small_site / "layanan" / "ktp-el" / "index.html").select_one("#tempat").get_text()
    assert "Jalan Merdeka Raya No. 45" in text
    assert "Jumat: 08.00–11.30 WIB" in text
    assert "(0761) 555-0101" in text


def test_complaint_channel_addresses_become_links(small_site):
    page = _soup(small_site / "layanan" / "ktp-el" / "index.html")
    assert page.select_one('#pengaduan a[href="https://www.lapor.go.id"]') is not None


def test_the_provider_page_lists_its_services_and_its_maklumat(small_site):
    page = _soup(small_site / "penyelenggara" / "disdukcapil" / "index.html")
    assert [a.get_text() for a in page.select(".service-list a")] == [
        "Penerbitan Akta Kelahiran", "Penerbitan KTP-el"]
    maklumat = page.select(".maklumat blockquote > p")
    assert len(maklumat) == 2 and maklumat[0].get_text().startswith("Dengan ini, kami menyatakan")
    assert "15 Januari 2024" in page.select_one(".maklumat blockquote footer").get_text()


def test_text_from_data_is_escaped_not_executed(tmp_path):
    evil = '<script>alert("x")</script> Izin <b>tebal</b>'
    data = write_site_data(tmp_path / "data", services=[
        service(nama=evil, persyaratan='<img src=x onerror="alert(1)">\nKTP')])
    out = build_site(tmp_path / "output", data)
    html = (out / "layanan" / "akta-kelahiran" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    page = BeautifulSoup(html, "lxml")
    assert page.select_one("h1").get_text() == evil
    assert page.select_one("#persyaratan li").get_text() == '<img src=x onerror="alert(1)">'


def test_web_and_email_addresses_in_a_list_item_become_links_and_the_rest_is_escaped():
    from etalase.textformat import linkify

    assert linkify("Lapor di https://lapor.go.id/ atau <b>adu@contoh.example</b>.") == (
        'Lapor di <a href="https://lapor.go.id/">https://lapor.go.id/</a> atau &lt;b&gt;'
        '<a href="mailto:adu@contoh.example">adu@contoh.example</a>&lt;/b&gt;.')
    assert linkify("KTP & KK <asli>") == "KTP &amp; KK &lt;asli&gt;"
    assert linkify("") == "" and linkify(None) == ""


def test_a_telephone_number_in_a_list_item_can_be_called_with_one_tap():
    # The complaint channels listed WhatsApp and telephone numbers as plain text: on a phone,
    # a citizen had to copy them by hand.
    from etalase.textformat import linkify

    assert linkify("WhatsApp pengaduan: 0811-5550-011 (Senin–Jumat)") == (
        'WhatsApp pengaduan: <a href="tel:+628115550011">0811-5550-011</a> (Senin–Jumat)')
    assert linkify("Telepon: (0761) 555-0101") == (
        'Telepon: <a href="tel:+627615550101">(0761) 555-0101</a>')
    assert linkify("Hubungi +62 811 555 011.") == (
        'Hubungi <a href="tel:+62811555011">+62 811 555 011</a>.')
    # numbers that are not telephone numbers stay text
    for text in ("Perda Nomor 5 Tahun 2021, tarif Rp 150.000", "Kode area 021, 2025-07-31",
                 "0,5 % dari 0.375", "NIK 0012345678901234", "Nomor surat 005/123/2024",
                 "Pasal 21 huruf b"):
        assert linkify(text) == text


def test_the_complaint_channels_of_a_service_page_link_its_numbers(example_site):
    from bs4 import BeautifulSoup

    page = BeautifulSoup((example_site / "layanan" / "akta-kelahiran" / "index.html")
                         .read_text(encoding="utf-8"), "lxml")
    calls = [a["href"] for a in page.select(".report-channels a[href^='tel:']")]
    assert calls == ["tel:+628115550011", "tel:+627615550101"]


def test_numbers_are_written_with_indonesian_separators_whatever_was_written_before():
    from decimal import Decimal

    import numpy as np
    from etalase.textformat import angka

    # The same value of another type, or a zero of the other sign, written earlier in the
    # same process (numbers are formatted once and remembered) changes nothing.
    for _ in range(2):
        assert angka(1234) == "1.234" and angka(1234.0) == "1.234"
        assert angka(88.314, 2) == "88,31" and angka(np.float64(88.314), 2) == "88,31"
        assert angka(Decimal("88.31"), 1) == "88,3" and angka(1234567.5, 1) == "1.234.567,5"
        assert angka(-0.0) == "-0" and angka(0.0) == "0" and angka(0) == "0"
        assert angka(True) == "1" and angka(None) == ""


def test_the_downloads_hold_every_service_in_csv_json_and_xlsx(small_site):
    folder = small_site / "data" / "standar-pelayanan"
    with open(folder / "standar-pelayanan.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["kode"] for r in rows] == ["akta-kelahiran", "ktp-el"]
    assert rows[1]["biaya_rupiah"] == "50000" and rows[0]["berlaku_sejak"] == "2025-08-17"
    records = json.loads((folder / "standar-pelayanan.json").read_text(encoding="utf-8"))
    assert records[1]["biaya_rupiah"] == 50000 and records[1]["kode"] == "ktp-el"
    sheet = openpyxl.load_workbook(folder / "standar-pelayanan.xlsx").active
    assert [c.value for c in sheet[1]][:3] == ["kode", "nama", "penyelenggara"]
    assert sheet.cell(row=3, column=1).value == "ktp-el"
    assert sheet.cell(row=3, column=12).value == 50000


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_two_builds_of_the_same_sources_are_byte_identical_however_many_processes_share_them(
        data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1755388800")  # 2025-08-17
    # Downloads and pages are shared between worker processes (parallel.py).
    first = _digest(build_site(tmp_path / "a", data_dir, overrides={"ETALASE_WORKERS": 3}))
    second = _digest(build_site(tmp_path / "b", data_dir, overrides={"ETALASE_WORKERS": 1}))
    assert first == second
    footer = (tmp_path / "b" / "index.html").read_text(encoding="utf-8")
    assert "Diperbarui 17 Agustus 2025" in footer


def test_a_failed_build_leaves_the_previous_output_untouched(data_dir, tmp_path):
    output = build_site(tmp_path / "output", data_dir)
    before = _digest(output)
    bad = data_dir / "standar-pelayanan.csv"
    bad.write_text(bad.read_text(encoding="utf-8").replace(",0,", ",gratis,"), encoding="utf-8")
    with pytest.raises(DataError):
        build_site(tmp_path / "output", data_dir)
    assert _digest(output) == before
    # nothing but the first build's empty folder tree, made for the next build (folders.py)
    deadline = time.monotonic() + 30
    while list(tmp_path.glob(".output-kerangka-*")) and time.monotonic() < deadline:
        time.sleep(0.05)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name.startswith(".output")]
    assert leftovers in ([], [".output-kerangka"])


def test_a_download_that_cannot_be_written_fails_the_build_while_pages_render_beside_it(
        data_dir, tmp_path, monkeypatch):
    # Downloads are written in other processes while the pages render (generator.py): a
    # failure there still stops the build, stops its workers, and leaves the old site.
    import multiprocessing

    from etalase import exports

    output = build_site(tmp_path / "output", data_dir)
    before = _digest(output)

    def full_disk(dataset, path):
        raise OSError(28, "No space left on device", str(path))

    monkeypatch.setitem(exports.WRITERS, "xlsx", full_disk)
    with pytest.raises(OSError, match="No space left"):
        build_site(tmp_path / "output", data_dir, overrides={"ETALASE_WORKERS": 2})
    assert _digest(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output-baru")] == []
    assert multiprocessing.active_children() == []


def test_downloads_start_while_later_sections_load_and_stop_if_one_of_them_fails(
        copy_example_data, tmp_path, monkeypatch):
    # A section's downloads are written from the moment it is loaded (generator.py), so a
    # rebuild's changed table is written while the statistics load. A mistake found later
    # in loading still fails the build, stops those writers and leaves the old site.
    import multiprocessing

    from etalase import generator

    data = copy_example_data
    output = build_site(tmp_path / "output", data, overrides={"ETALASE_WORKERS": 2})
    before = _digest(output)
    started = []
    original = generator.EtalaseGenerator._start_downloads

    def start(self, model):
        original(self, model)
        started.append((sorted(model.datasets), len(self._downloads), len(model.services)))

    monkeypatch.setattr(generator.EtalaseGenerator, "_start_downloads", start)
    survey = data / "skm" / "2026-S1.csv"
    lines = survey.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",4,", ",9,", 1)  # an answer outside 1-4
    survey.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="2026-S1.csv"):
        build_site(tmp_path / "output", data, overrides={"ETALASE_WORKERS": 2})
    # The service tables were being written before the survey answers were read, from
    # the moment they were read (before the services were made from them).
    first_datasets, writers, services = started[0]
    assert "standar-pelayanan" in first_datasets and writers == 2 and services == 0
    assert not any(name.startswith("skm") for name in first_datasets)
    assert multiprocessing.active_children() == []
    assert _digest(output) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".output-baru")] == []


def test_a_successful_build_replaces_stale_pages(data_dir, tmp_path):
    output = build_site(tmp_path / "output", data_dir)
    write_site_data(data_dir, services=[service()])
    build_site(tmp_path / "output", data_dir)
    assert (output / "layanan" / "akta-kelahiran" / "index.html").exists()
    assert not (output / "layanan" / "ktp-el").exists()


def _wait_until_gone(pattern: str, folder: Path, seconds: float = 30) -> list[str]:
    """What still matches `pattern` once only `.output-lamaran` (not ours) does, or after
    `seconds`."""
    deadline = time.monotonic() + seconds
    while (left := sorted(p.name for p in folder.glob(pattern))) != [".output-lamaran"] and \
            time.monotonic() < deadline:
        time.sleep(0.05)
    return left


def test_the_previous_site_is_removed_after_the_new_one_is_in_place(data_dir, tmp_path,
                                                                    monkeypatch):
    # The new site is swapped in first; the old copy (30 000 files at national scale) is
    # removed by a detached process, so the build returns without waiting for it (here the
    # removal is made to take two seconds).
    from etalase import folders

    output = build_site(tmp_path / "output", data_dir)
    old_inode = (output / "index.html").stat().st_ino
    (tmp_path / ".output-lama").mkdir()  # left by a build interrupted during an earlier swap
    (tmp_path / ".output-lama" / "index.html").write_text("lama", encoding="utf-8")
    (tmp_path / ".output-lamaran").mkdir()  # not ours: left alone
    monkeypatch.setattr(folders, "_REMOVER", "import time; time.sleep(2); " + folders._REMOVER)
    build_site(tmp_path / "output", data_dir)
    assert (output / "index.html").stat().st_ino != old_inode
    moved = [p for p in tmp_path.glob(".output-lama-*") if (p / "index.html").exists()]
    assert moved, "the build returned before the previous site was removed"
    assert _wait_until_gone(".output-lama*", tmp_path) == [".output-lamaran"]
    # The previous site's folders are kept, without a single file of it, for the next build,
    # with the list of them.
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".output-kerangka", ".output-lamaran", "data", "output"]
    kept = tmp_path / ".output-kerangka"
    assert (kept / "layanan").is_dir()
    assert [p for p in kept.rglob("*") if not p.is_dir()] == [kept / folders.FOLDER_LIST]


def _tree(folder: Path) -> tuple[set[str], dict[str, str]]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_dir()}, _digest(folder)


def test_a_build_into_the_previous_sites_folders_equals_a_fresh_build(data_dir, tmp_path,
                                                                      monkeypatch):
    # Making 20 000 folders costs seconds on an ordinary disk, so a build writes into the
    # folders of the site before last (emptied of files in the background); the folders of
    # pages that are gone must not stay behind, empty.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1755388800")
    output = build_site(tmp_path / "output", data_dir)
    first = (output / "layanan" / "akta-kelahiran").stat().st_ino
    build_site(tmp_path / "output", data_dir)  # the first site's folders are emptied, kept
    deadline = time.monotonic() + 30
    while not (tmp_path / ".output-kerangka").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    write_site_data(data_dir, services=[service()])  # ktp-el is gone
    build_site(tmp_path / "output", data_dir)
    assert (output / "layanan" / "akta-kelahiran").stat().st_ino == first
    assert not (output / "layanan" / "ktp-el").exists()
    assert _tree(output) == _tree(build_site(tmp_path / "fresh", data_dir))


def test_unused_pelican_outputs_are_not_generated(small_site):
    names = {p.name for p in small_site.rglob("*")}
    for unwanted in ("tags.html", "authors.html", "archives.html", "categories.html"):
        assert unwanted not in names
    assert not any(p.suffix in (".atom", ".rss") and p.parent == small_site / "feeds"
                   for p in small_site.rglob("*"))


def test_every_page_declares_indonesian_and_loads_nothing_from_other_hosts(small_site):
    for path in small_site.rglob("*.html"):
        page = _soup(path)
        assert page.html["lang"] == "id", path
        for tag in page.select("script[src], link[href], img[src]"):
            url = tag.get("src") or tag.get("href")
            assert not url.startswith(("http:", "https:", "//")) or tag.name == "link" and \
                tag.get("rel") in (["canonical"], ["alternate"]), (path, url)


def test_the_footer_says_the_data_is_an_example(small_site):
    text = _soup(small_site / "index.html").select_one(".site-footer").get_text()
    assert "contoh" in text.lower()


def test_output_stays_inside_its_folder(small_site):
    for path in small_site.rglob("*"):
        assert os.path.commonpath([path.resolve(), small_site.resolve()]) == str(small_site.resolve())


def test_with_very_many_services_the_service_list_leads_through_the_categories(example_site,
                                                                              tmp_path):
    # 10 000 services made /layanan/ 2.4 MB; beyond the bound it lists the categories.
    def main(site, path):
        html = (site / path / "index.html").read_text(encoding="utf-8")
        return BeautifulSoup(html, "lxml").select_one("main")

    site = build_site(tmp_path / "output", overrides={"ETALASE_DAFTAR_MAKS_LAYANAN": 1})
    listing = main(site, "layanan")
    assert not listing.select("a[href*='/layanan/']")
    categories = sorted(p.name for p in (example_site / "kategori").iterdir())
    links = {a["href"].rstrip("/").rsplit("/", 1)[1]: a.parent.select_one(".meta").get_text()
             for a in listing.select("a[href*='/kategori/']")}
    assert sorted(links) == categories
    for slug, count in links.items():
        services = main(site, f"kategori/{slug}").select(".service-list a")
        assert count == f"{len(services)} layanan"
    total = sum(len(main(example_site, f"kategori/{slug}").select(".service-list a"))
                for slug in categories)
    assert f"Ada {total} layanan" in listing.get_text()


def test_a_thousands_separator_in_a_list_item_is_not_taken_for_a_number(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(
        sarana_prasarana="1.500 kursi tunggu\n2.000 lembar formulir\nRuang laktasi 3.5 meter",
        prosedur="1. Datang pukul 10.30 WIB\n2) Bayar Rp1.000.000 di loket\n3.Terima akta",
    )])
    site = build_site(tmp_path / "output", data)
    page = _soup(site / "layanan" / "akta-kelahiran" / "index.html")
    assert [li.get_text() for li in page.select("#sarana_prasarana ul > li")] == [
        "1.500 kursi tunggu", "2.000 lembar formulir", "Ruang laktasi 3.5 meter"]
    # A number followed by a digit is text; "3.Terima", typed without a space, is item 3.
    assert [li.get_text() for li in page.select("#prosedur ol > li")] == [
        "Datang pukul 10.30 WIB", "Bayar Rp1.000.000 di loket", "Terima akta"]
    # The download keeps every cell exactly as staff typed it, markers and all.
    with open(site / "data" / "standar-pelayanan" / "standar-pelayanan.csv",
              encoding="utf-8", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["sarana_prasarana"].splitlines()[0] == "1.500 kursi tunggu"
    assert row["prosedur"].splitlines()[:2] == ["1. Datang pukul 10.30 WIB",
                                                "2) Bayar Rp1.000.000 di loket"]


def test_list_markers_staff_type_are_stripped_but_numbers_and_area_codes_stay():
    from etalase.textformat import has_items, split_list

    assert split_list("1. Ambil nomor antrean\n2) Serahkan berkas\n(3) Terima akta") == [
        "Ambil nomor antrean", "Serahkan berkas", "Terima akta"]
    assert split_list("- Kartu Keluarga\n• KTP-el\n–\tAkta nikah\na. Pas foto\n(b) Materai") == [
        "Kartu Keluarga", "KTP-el", "Akta nikah", "Pas foto", "Materai"]
    for text in ("1.500 kursi tunggu", "10.30 WIB", "3.5 meter", "1.000.000", "2.000",
                 "(021) 555-0101", "-5 derajat", "a.n. Kepala Dinas"):
        assert split_list(text) == [text]
    assert split_list("1)Tanpa spasi\n2.Juga\n-Begitu pula") == [
        "Tanpa spasi", "Juga", "Begitu pula"]
    # A cell of markers only has no item: the page would show an empty list.
    for cell in ("-", "1.\n2.", " • \n\n - ", "(a)"):
        assert split_list(cell) == [] and not has_items(cell)
    assert has_items("- KTP") and has_items("1.500") and not has_items("") and not has_items(None)


def test_a_bullet_typed_without_a_space_before_a_number_is_still_a_bullet():
    from etalase.textformat import split_list

    assert split_list("-KTP asli\n-2 lembar pas foto 3x4\n-Fotokopi KK") == [
        "KTP asli", "2 lembar pas foto 3x4", "Fotokopi KK"]
    assert split_list("•KTP asli\n•2 lembar pas foto 3x4") == ["KTP asli", "2 lembar pas foto 3x4"]
    assert split_list("-5 derajat") == ["-5 derajat"]  # alone, a hyphen before a digit is a minus
