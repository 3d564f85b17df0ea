"""Details a reader of the published example site notices: the time a dataset says it covers,
how far the PPID deadline helper knows the days off, how complaint channels are named, and
counts written as whole numbers in the downloads."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re

import openpyxl
import pytest
from bs4 import BeautifulSoup
from rdflib import DCAT, DCTERMS, RDF, Graph
from conftest import ROOT, build_site

from etalase.ppid import hari_tanggal
from etalase.reading import read_table
from etalase.textformat import tanggal
from etalase.workdays import public_holidays


def _soup(site, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def _catalogue_temporal(site) -> dict[str, str]:
    catalogue = json.loads((site / "data" / "data.json").read_text(encoding="utf-8"))
    return {d["landingPage"].rstrip("/").rsplit("/", 1)[1]: d.get("temporal")
            for d in catalogue["dataset"]}


def _last_cuti_bersama() -> dt.date:
    """The end of the last year of cuti bersama in the data (one decree a year, entered
    whole)."""
    table = read_table(ROOT / "data" / "hari-libur" / "cuti-bersama.csv", "cuti-bersama.csv")
    last = max(dt.date.fromisoformat(str(d)[:10]) for d in table.frame["tanggal"].dropna())
    return dt.date(last.year, 12, 31)


# --- 1. a survey index covers its periods to their last day -----------------------------------

def test_the_survey_index_dataset_covers_its_last_period_to_the_periods_last_day(example_site):
    rows = json.loads((example_site / "data/skm-ikm/skm-ikm.json").read_text(encoding="utf-8"))
    first = min(r["periode_mulai"] for r in rows)
    last = max(r["periode_selesai"] for r in rows)  # 2026-S1 ends on 30 June 2026
    temporal = _catalogue_temporal(example_site)
    assert temporal["skm-ikm"] == f"{first}/{last}"
    # the other tables of the same surveys say the same
    assert temporal["skm-unsur"] == temporal["skm-profil-responden"] == f"{first}/{last}"
    assert temporal["skm-jawaban"] == f"{first}/{last}"
    page = _soup(example_site, "data/skm-ikm")
    shown = next(dt_.find_next_sibling("dd").get_text(strip=True)
                 for dt_ in page.find_all("dt") if dt_.get_text(strip=True) == "Cakupan waktu")
    assert shown == (f"{tanggal(dt.date.fromisoformat(first))} – "
                     f"{tanggal(dt.date.fromisoformat(last))}")
    graph = Graph().parse(example_site / "data" / "catalog.ttl")
    (dataset,) = [s for s in graph.subjects(RDF.type, DCAT.Dataset)
                  if str(s).rstrip("/").endswith("/skm-ikm")]
    period = graph.value(dataset, DCTERMS.temporal)
    assert (str(graph.value(period, DCAT.startDate)),
            str(graph.value(period, DCAT.endDate))) == (first, last)


# --- 2. the deadline helper promises days off only as far as the data knows them --------------

def test_the_deadline_helper_states_days_off_only_as_far_as_the_cuti_bersama_data_go(
        example_site):
    until = _last_cuti_bersama()
    page = example_site / "ppid" / "cara-meminta-informasi" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
    text = " ".join(soup.get_text(" ").split())
    assert f"libur nasional dan cuti bersama sampai {tanggal(until)}" in text
    stated = re.findall(r"cuti bersama sampai (\d{1,2} \w+ \d{4})", text)
    assert stated == [tanggal(until)]  # no later date promised anywhere on the page
    data = json.loads(soup.select_one("#tenggat-data").string)
    assert data["sampai"] == until.isoformat()  # where the script starts warning
    # The date a citizen may type is not held to that day: the form is still usable on the
    # day after it, with its own date filled in (the warning says what is not yet known).
    field = soup.select_one("#tanggal-permohonan")
    assert field["max"] >= field["value"] and field["max"] > until.isoformat()
    # and the script knows the national holidays well past the last date that may be typed
    last_typed = dt.date.fromisoformat(field["max"])
    assert max(data["libur"]) >= (last_typed + dt.timedelta(days=150)).isoformat()
    # The script still knows the national holidays after that day, for deadlines that run
    # past it (the longest chain of steps takes about four months).
    later = {d.isoformat() for d in public_holidays([until.year, until.year + 1])
             if until < d <= until + dt.timedelta(days=150) and d.weekday() < 5}
    assert later and later <= set(data["libur"])


@pytest.mark.browser
def test_the_deadline_helper_warns_in_plain_words_once_a_deadline_passes_the_known_days_off(
        chromium, site_server):
    until = _last_cuti_bersama()
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + "/ppid/cara-meminta-informasi/")
    # A request received a week before the data end: its first deadline is already past it.
    page.fill("#tanggal-permohonan", (until - dt.timedelta(days=7)).isoformat())
    page.click("text=Hitung batas waktu")
    message = " ".join(page.locator("#tenggat-pesan").inner_text().split())
    assert message.startswith("Perhatian:")
    assert f"cuti bersama sesudah {hari_tanggal(until)} belum diketahui" in message
    assert "lebih lambat" in message  # what it means for the reader: the date may move later
    # well inside the data: the table is recomputed and nothing is said about it
    page.fill("#tanggal-permohonan", dt.date(until.year, 2, 2).isoformat())
    page.click("text=Hitung batas waktu")
    assert "dihitung ulang" in page.locator("#tenggat-pesan").inner_text()
    context.close()


# --- 3. complaint channels are written out like the statuses -----------------------------------

def test_complaint_channels_are_written_out_on_the_page_and_kept_as_codes_in_the_data(
        example_site):
    soup = _soup(example_site, "statistik/pengaduan")
    shown: dict[str, set[str]] = {}
    for table in soup.select("main table"):
        caption = table.caption.get_text(" ", strip=True) if table.caption else ""
        for kind in ("Kanal", "Kategori", "Status"):
            if caption.startswith(kind + " "):
                shown.setdefault(kind, set()).update(
                    tr.td.get_text(strip=True) for tr in table.select("tbody tr"))
    assert {"SP4N-LAPOR!", "Media sosial", "Kotak saran", "WhatsApp", "Loket"} <= shown["Kanal"]
    assert "Sedang ditindaklanjuti" in shown["Status"]
    for names in shown.values():  # no cell shows a code (lower case with - or _)
        assert not [n for n in names if re.fullmatch(r"[a-z0-9]+([-_][a-z0-9]+)+", n)], names
    assert all(n[0].isupper() for n in shown["Kategori"])
    # the downloads keep the codes staff wrote
    path = example_site / "data/pengaduan-rincian/pengaduan-rincian.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        channels = {r["nilai"] for r in csv.DictReader(fh) if r["dimensi"] == "kanal"}
    assert {"sp4n-lapor", "media-sosial", "kotak-saran"} <= channels


# --- 4. counts in the PPID report download are whole numbers -----------------------------------

# the indicators that are not counts: a median and a mean may have decimals
NOT_COUNTS = {"Median hari kerja", "Rata-rata hari kerja"}


def test_the_ppid_report_download_writes_counts_as_whole_numbers(example_site):
    folder = example_site / "data" / "laporan-ppid"
    with open(folder / "laporan-ppid.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    counts = [r for r in rows if r["indikator"] not in NOT_COUNTS]
    assert counts and all(re.fullmatch(r"\d+", r["jumlah"]) for r in counts), \
        [r["jumlah"] for r in counts if not re.fullmatch(r"\d+", r["jumlah"])][:5]
    total = next(r for r in rows if r["indikator"] == "Jumlah permohonan")
    assert int(total["jumlah"]) > 0
    mean = [r["jumlah"] for r in rows if r["indikator"] == "Rata-rata hari kerja"]
    assert mean and all(re.fullmatch(r"\d+(\.\d)?", v) for v in mean)  # decimals stay
    records = json.loads((folder / "laporan-ppid.json").read_text(encoding="utf-8"))
    assert all(type(r["jumlah"]) is int for r in records if r["indikator"] not in NOT_COUNTS)
    sheet = openpyxl.load_workbook(folder / "laporan-ppid.xlsx", read_only=True).worksheets[0]
    table = list(sheet.iter_rows(values_only=True))
    header = list(table[0])
    at, indicator = header.index("jumlah"), header.index("indikator")
    assert all(type(r[at]) is int for r in table[1:] if r[indicator] not in NOT_COUNTS)
    # the published schema says what the column holds
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    field = next(f for f in package["resources"][0]["schema"]["fields"] if f["name"] == "jumlah")
    assert "bulat" in field["description"]


def test_staff_words_in_the_complaints_register_are_shown_as_written(tmp_path,
                                                                     copy_example_data):
    # Only a code's underscores become spaces: "berbelit-belit" keeps its hyphen.
    path = copy_example_data / "kinerja" / "pengaduan.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    rows[0].update(kategori="prosedur berbelit-belit", kanal="e-mail")
    rows[1].update(kategori="tidak_sopan")
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    site = build_site(tmp_path / "out", copy_example_data)
    text = " ".join(_soup(site, "statistik/pengaduan/").get_text(" ").split())
    assert "Prosedur berbelit-belit" in text and "E-mail" in text and "Tidak sopan" in text


def test_a_dataset_page_says_how_to_cite_it_with_its_version_and_the_file_of_that_version(
        example_site):
    # A journalist cites the dataset as it was when the story was written: the version, and
    # the address of that version's file, which stays when the dataset is updated.
    soup = _soup(example_site, "data/permohonan-informasi")
    section = soup.find(id="judul-kutip").parent
    citation = " ".join(section.select_one("blockquote.citation").get_text(" ").split())
    latest = soup.select_one("table.history tbody tr")  # the newest version, first
    slug = latest["id"].removeprefix("versi-")
    year = latest.select_one("time")["datetime"][:4]
    assert citation.startswith(f"Pemerintah Kota Tanjung Harapan ({year}). "
                               "Register permohonan informasi publik , versi " + slug)
    assert citation.endswith("[dataset]. Etalase Pelayanan Publik. "
                             "https://mpp.tanjungharapankota.example/data/permohonan-informasi/")
    link = section.select_one("a")
    assert link["href"] == f"/data/permohonan-informasi/versi/{slug}/permohonan-informasi.csv"
    assert link.text == "https://mpp.tanjungharapankota.example" + link["href"]
    assert (example_site / link["href"].lstrip("/")).is_file()
    assert "selama termasuk 20 versi terbaru" in section.get_text(" ")
    # a table computed from several sources keeps no file per version: cited by its address
    # and the version of the data it was computed from
    computed = _soup(example_site, "data/skm-ikm").find(id="judul-kutip").parent
    assert computed.select_one("blockquote").get_text().endswith("/data/skm-ikm/")
    assert computed.select_one("a") is None
