"""The statistics section: bad operational data is reported like every other validation error,
the pages show the computed numbers in tables beside accessible SVG charts, every table is
downloadable, and a service page links to its performance detail."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import LocalServer, build_site
from factories import write_csv, write_site_data

from etalase import schema
from etalase.errors import DataError
from etalase.site import load_site

ROOT = Path(__file__).resolve().parent.parent
SKM_COLUMNS = ["periode", "layanan", "tanggal", *[f"u{i}" for i in range(1, 10)],
               "jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
REQUEST_COLUMNS = ["layanan", "tanggal_masuk", "tanggal_selesai"]
COMPLAINT_COLUMNS = ["nomor", "tanggal_masuk", "kanal", "kategori", "layanan", "status",
                     "tanggal_selesai"]


def _answers(period="2025-S1", layanan="ktp-el", tanggal="2025-03-03", values=(4,) * 9, **extra):
    row = {"periode": period, "layanan": layanan, "tanggal": tanggal}
    row.update({f"u{i}": str(v) for i, v in enumerate(values, start=1)})
    row.update(extra)
    return row


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_site(data_dir, root=data_dir.parent)
    return [str(p) for p in err.value.problems]


def _with_cuti(data_dir: Path) -> Path:
    (data_dir / "hari-libur").mkdir(parents=True, exist_ok=True)
    shutil.copy(ROOT / "data/hari-libur/cuti-bersama.csv", data_dir / "hari-libur")
    return data_dir


# --- validation ---------------------------------------------------------------------------

def test_an_answer_of_5_is_reported_with_file_row_and_column(data_dir):
    write_csv(data_dir / "skm/2025-S1.csv", SKM_COLUMNS,
              [_answers(), _answers(values=(4, 4, 5, 4, 4, 4, 4, 4, 4))])
    assert _problems(data_dir) == [
        'data/skm/2025-S1.csv:3: kolom "u3": "5" bukan jawaban yang sah; isi 1, 2, 3, atau 4 '
        "(kosongkan bila tidak dijawab)"]


def test_a_completion_date_before_the_request_date_is_reported_with_row_and_column(data_dir):
    write_csv(data_dir / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, [
        {"layanan": "ktp-el", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-08"},
        {"layanan": "ktp-el", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-04"},
    ])
    assert _problems(data_dir) == [
        'data/kinerja/permohonan-layanan.csv:3: kolom "tanggal_selesai": "2025-07-04" lebih awal '
        "dari tanggal_masuk (2025-07-07); tanggal selesai tidak boleh sebelum tanggal masuk"]


def test_a_mistyped_year_in_a_register_is_refused_before_it_reaches_the_pages(data_dir):
    # One typo in 2 million rows would otherwise say "Data sampai 5 Juli 2204" on the pages
    # and start the monthly tables in 1924.
    write_csv(data_dir / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, [
        {"layanan": "ktp-el", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2204-07-08"},
        {"layanan": "ktp-el", "tanggal_masuk": "1924-07-07", "tanggal_selesai": "2025-07-09"},
    ])
    write_csv(data_dir / "kinerja/pengaduan.csv", COMPLAINT_COLUMNS, [
        {"nomor": "A-1", "tanggal_masuk": "2052-07-07", "kanal": "loket", "kategori": "Biaya",
         "layanan": "", "status": "diproses", "tanggal_selesai": ""}])
    write_csv(data_dir / "ppid/permohonan-informasi.csv",
              ["nomor", "tanggal_permohonan", "informasi_diminta", "keputusan"], [
        {"nomor": "1", "tanggal_permohonan": "0205-07-07", "informasi_diminta": "DPA",
         "keputusan": "dikabulkan_seluruhnya"}])
    write_csv(data_dir / "skm/2025-S1.csv", SKM_COLUMNS, [_answers(), _answers()])
    today = schema.today().isoformat()
    assert _problems(data_dir) == [
        'data/kinerja/pengaduan.csv:2: kolom "tanggal_masuk": "2052-07-07" tanggal ini belum '
        f"tiba (hari ini {today} menurut WIT); periksa tahun, bulan dan tanggalnya",
        'data/kinerja/permohonan-layanan.csv:2: kolom "tanggal_selesai": "2204-07-08" tanggal '
        f"ini belum tiba (hari ini {today} menurut WIT); periksa tahun, bulan dan tanggalnya",
        'data/kinerja/permohonan-layanan.csv:3: kolom "tanggal_masuk": "1924-07-07" lebih awal '
        "dari 2000-01-01; periksa tahunnya, mungkin salah ketik",
        'data/ppid/permohonan-informasi.csv:2: kolom "tanggal_permohonan": "0205-07-07" lebih '
        "awal dari 2000-01-01; periksa tahunnya, mungkin salah ketik"]


def test_a_request_received_today_anywhere_in_indonesia_is_accepted(data_dir):
    today = schema.today().isoformat()  # Papua's date, the first to turn
    write_csv(data_dir / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, [
        {"layanan": "ktp-el", "tanggal_masuk": today, "tanggal_selesai": today}])
    site = load_site(data_dir, root=data_dir.parent)
    assert site.parts["statistik"].requests_as_of.date().isoformat() == today


def test_a_date_refused_as_not_yet_come_is_accepted_once_it_has_with_the_cache_on(
        data_dir, tmp_path, monkeypatch):
    # The one check that reads the clock is made at every read: the refusal is not kept
    # with the table in the cache.
    write_csv(data_dir / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, [
        {"layanan": "ktp-el", "tanggal_masuk": "2025-07-07", "tanggal_selesai": "2025-07-08"}])
    settings = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    monkeypatch.setattr(schema, "today", lambda: dt.date(2025, 7, 7))
    with pytest.raises(DataError) as err:
        load_site(data_dir, settings=settings, root=data_dir.parent)
    assert [(p.row, p.column, p.value) for p in err.value.problems] == [
        (2, "tanggal_selesai", "2025-07-08")]
    monkeypatch.setattr(schema, "today", lambda: dt.date(2025, 7, 8))
    site = load_site(data_dir, settings=settings, root=data_dir.parent)
    assert site.parts["statistik"].requests_as_of == pd.Timestamp("2025-07-08")


def test_an_unknown_service_code_is_reported_in_every_source(data_dir):
    write_csv(data_dir / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, [
        {"layanan": "ktp-elektronik", "tanggal_masuk": "2025-07-07", "tanggal_selesai": ""}])
    write_csv(data_dir / "kinerja/pengaduan.csv", COMPLAINT_COLUMNS, [
        {"nomor": "A-1", "tanggal_masuk": "2025-07-07", "kanal": "loket", "kategori": "Biaya",
         "layanan": "paspor", "status": "diproses"}])
    write_csv(data_dir / "skm/2025.csv", SKM_COLUMNS, [_answers(period="2025", layanan="sim")])
    problems = _problems(data_dir)
    assert len(problems) == 3
    assert any(p.startswith('data/kinerja/permohonan-layanan.csv:2: kolom "layanan": '
                            '"ktp-elektronik" tidak ada di data/standar-pelayanan.csv')
               for p in problems)
    assert any(p.startswith('data/kinerja/pengaduan.csv:2: kolom "layanan": "paspor"')
               for p in problems)
    assert any(p.startswith('data/skm/2025.csv:2: kolom "layanan": "sim"') for p in problems)


def test_survey_dates_outside_their_period_and_bad_period_codes_are_reported(data_dir):
    write_csv(data_dir / "skm/campur.csv", SKM_COLUMNS, [
        _answers(period="2025-S1", tanggal="2025-08-01"),
        _answers(period="2025-S3"),
    ])
    problems = _problems(data_dir)
    assert 'data/skm/campur.csv:2: kolom "tanggal": "2025-08-01" di luar periode 2025-S1 ' \
           "(2025-01-01 sampai 2025-06-30)" in problems
    assert any(p.startswith('data/skm/campur.csv:3: kolom "periode": "2025-S3" bukan kode periode')
               for p in problems)


def test_a_survey_period_of_a_mistyped_year_is_refused_not_published(data_dir):
    # "0000-S1" used to stop the build with a traceback; "2052-S1" with the date left blank
    # became a period of its own on the pages.
    write_csv(data_dir / "skm/campur.csv", SKM_COLUMNS, [
        _answers(), _answers(period="0000-S1", tanggal=""), _answers(period="2052-S1", tanggal=""),
        _answers(period="1999", tanggal="")])
    today = schema.today().isoformat()
    assert _problems(data_dir) == [
        'data/skm/campur.csv:3: kolom "periode": "0000-S1" bukan kode periode (tahun 2000 atau '
        "sesudahnya); tulis misalnya 2025, 2025-S1, 2025-Q3 atau 2025-07",
        'data/skm/campur.csv:4: kolom "periode": "2052-S1" periode ini belum dimulai (hari ini '
        f"{today} menurut WIT); periksa tahunnya",
        'data/skm/campur.csv:5: kolom "periode": "1999" bukan kode periode (tahun 2000 atau '
        "sesudahnya); tulis misalnya 2025, 2025-S1, 2025-Q3 atau 2025-07"]


def test_a_survey_period_that_began_today_is_accepted(data_dir, monkeypatch):
    monkeypatch.setattr(schema, "today", lambda: dt.date(2025, 7, 1))
    write_csv(data_dir / "skm/2025-S2.csv", SKM_COLUMNS, [
        _answers(period="2025-S2", tanggal="2025-07-01"), _answers(period="2025-S2", tanggal="")])
    site = load_site(data_dir, root=data_dir.parent)
    assert [p.code for p in site.parts["statistik"].periods] == ["2025-S2"]


def test_complaint_and_information_request_rules(data_dir):
    write_csv(data_dir / "kinerja/pengaduan.csv", COMPLAINT_COLUMNS, [
        {"nomor": "A-1", "tanggal_masuk": "2025-07-07", "kanal": "loket", "kategori": "Biaya",
         "layanan": "", "status": "selesai", "tanggal_selesai": ""}])
    write_csv(data_dir / "ppid/permohonan-informasi.csv",
              ["nomor", "tanggal_permohonan", "informasi_diminta", "keputusan",
               "alasan_penolakan", "tanggal_pemberitahuan"], [
        {"nomor": "1", "tanggal_permohonan": "2025-07-07", "informasi_diminta": "DPA",
         "keputusan": "ditolak", "alasan_penolakan": "", "tanggal_pemberitahuan": "2025-07-01"},
        {"nomor": "2", "tanggal_permohonan": "2025-07-07", "informasi_diminta": "DPA",
         "keputusan": "ditolak", "alasan_penolakan": "pasal 17", "tanggal_pemberitahuan": ""},
    ])
    problems = _problems(data_dir)
    assert 'data/kinerja/pengaduan.csv:2: kolom "tanggal_selesai": kosong, padahal status ' \
           "selesai; isi tanggal pengaduan selesai ditangani" in problems
    assert any(p.startswith('data/ppid/permohonan-informasi.csv:2: kolom "alasan_penolakan": '
                            "kosong, padahal keputusan ditolak") for p in problems)
    assert any(p.startswith('data/ppid/permohonan-informasi.csv:2: kolom "tanggal_pemberitahuan": '
                            '"2025-07-01" lebih awal') for p in problems)
    assert any(p.startswith('data/ppid/permohonan-informasi.csv:3: kolom "alasan_penolakan": '
                            '"pasal 17" tulis huruf Pasal 17 saja') for p in problems)


def test_objection_dates_must_agree_with_the_objection_column(data_dir):
    columns = ["nomor", "tanggal_permohonan", "informasi_diminta", "keputusan",
               "alasan_penolakan", "tanggal_pemberitahuan", "keberatan", "tanggal_keberatan",
               "tanggal_tanggapan_keberatan"]
    base = {"tanggal_permohonan": "2025-07-07", "informasi_diminta": "DPA",
            "keputusan": "ditolak", "alasan_penolakan": "h",
            "tanggal_pemberitahuan": "2025-07-14"}
    write_csv(data_dir / "ppid/permohonan-informasi.csv", columns, [
        {**base, "nomor": "1", "keberatan": "tidak", "tanggal_keberatan": "2025-07-21"},
        {**base, "nomor": "2", "keberatan": "diajukan", "tanggal_keberatan": "2025-07-21",
         "tanggal_tanggapan_keberatan": "2025-08-04"},
        {**base, "nomor": "3", "keberatan": "dijawab", "tanggal_tanggapan_keberatan": "2025-08-04"},
        {**base, "nomor": "4", "keberatan": "dijawab", "tanggal_keberatan": "2025-07-01",
         "tanggal_tanggapan_keberatan": "2025-08-04"},
        {**base, "nomor": "5", "keberatan": "dijawab", "tanggal_keberatan": "2025-07-21",
         "tanggal_tanggapan_keberatan": "2025-07-18"},
        {**base, "nomor": "6", "keberatan": "dijawab", "tanggal_keberatan": "2025-07-21",
         "tanggal_tanggapan_keberatan": "2025-08-04"},  # fine
    ])
    problems = _problems(data_dir)
    register = "data/ppid/permohonan-informasi.csv"
    assert f'{register}:2: kolom "tanggal_keberatan": "2025-07-21" diisi, padahal kolom ' \
           'keberatan "tidak" (atau kosong); isi keberatan dengan diajukan atau dijawab, atau ' \
           "kosongkan tanggal ini" in problems
    assert any(p.startswith(f'{register}:3: kolom "tanggal_tanggapan_keberatan": "2025-08-04" '
                            'diisi, padahal kolom keberatan belum "dijawab"') for p in problems)
    assert any(p.startswith(f'{register}:4: kolom "tanggal_keberatan": kosong, padahal tanggal '
                            "tanggapan keberatan diisi") for p in problems)
    assert any(p.startswith(f'{register}:5: kolom "tanggal_keberatan": "2025-07-01" lebih awal '
                            "dari tanggal_permohonan") for p in problems)
    assert any(p.startswith(f'{register}:6: kolom "tanggal_tanggapan_keberatan": "2025-07-18" '
                            "lebih awal dari tanggal_keberatan") for p in problems)
    assert not any(p.startswith(f"{register}:7:") for p in problems)


def test_a_missing_column_is_reported_without_a_traceback(data_dir):
    columns = [c for c in SKM_COLUMNS if c != "periode"]
    write_csv(data_dir / "skm/2025.csv", columns, [_answers()])
    write_csv(data_dir / "kinerja/pengaduan.csv", ["nomor", "tanggal_masuk"],
              [{"nomor": "1", "tanggal_masuk": "2025-07-07"}])
    problems = _problems(data_dir)
    assert 'data/skm/2025.csv:1: kolom "periode": kolom wajib ini tidak ada di baris judul' in problems
    assert any(p.startswith('data/kinerja/pengaduan.csv:1: kolom "status"') for p in problems)


def test_a_broken_service_table_still_gives_a_clean_list_of_problems(tmp_path):
    data = _with_cuti(write_site_data(tmp_path / "data"))
    (data / "standar-pelayanan.csv").write_text("kode,nama\nktp-el,KTP\n", encoding="utf-8")
    write_csv(data / "skm/2025-S1.csv", SKM_COLUMNS, [_answers()])
    write_csv(data / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, [
        {"layanan": "ktp-el", "tanggal_masuk": "2025-07-07", "tanggal_selesai": ""}])
    problems = _problems(data)
    assert problems and all(p.startswith("data/standar-pelayanan.csv") for p in problems)


def test_population_is_the_requests_of_the_period_unless_staff_declare_one(data_dir):
    _with_cuti(data_dir)
    # 100 requests for ktp-el in 2025-Q3 (July–September), 7 more outside it
    requests = [{"layanan": "ktp-el", "tanggal_masuk": f"2025-{7 + i % 3:02d}-{1 + i % 28:02d}",
                 "tanggal_selesai": ""} for i in range(100)]
    requests += [{"layanan": "ktp-el", "tanggal_masuk": "2025-10-02", "tanggal_selesai": ""}] * 7
    write_csv(data_dir / "kinerja/permohonan-layanan.csv", REQUEST_COLUMNS, requests)
    write_csv(data_dir / "skm/2025-Q3.csv", SKM_COLUMNS,
              [_answers(period="2025-Q3", tanggal="2025-08-01")] * 79)
    write_csv(data_dir / "kinerja/populasi-skm.csv", ["periode", "layanan", "populasi"],
              [{"periode": "2025-Q3", "layanan": "", "populasi": "1000"}])
    site = load_site(data_dir, root=data_dir.parent)
    rows = {r.tingkat: r for r in site.parts["statistik"].surveys}
    service = rows["layanan"]
    assert (service.populasi, service.sumber_populasi) == (100, "permohonan")
    assert service.sampel_minimal == 80 and service.sampel_cukup is False  # 79 < 80
    assert service.kekurangan == 1
    overall = rows["keseluruhan"]
    assert (overall.populasi, overall.sumber_populasi, overall.sampel_minimal) == (
        1000, "dinyatakan", 278)


def test_answers_about_the_whole_unit_count_in_its_index_but_in_no_services(data_dir):
    # `layanan` may be left blank: the questionnaire is about the unit as a whole (DATA.md).
    write_csv(data_dir / "skm/2025-S1.csv", SKM_COLUMNS,
              [_answers(values=(4,) * 9)] * 3 + [_answers(layanan="", values=(1,) * 9)] * 2
              + [_answers(values=(2,) * 9)])
    site = load_site(data_dir, root=data_dir.parent)
    rows = {(r.tingkat, r.kode): r.result for r in site.parts["statistik"].surveys}
    assert rows[("keseluruhan", None)].respondents == 6
    service = rows[("layanan", "ktp-el")]
    assert service.respondents == 4
    assert float(service.ikm) == 87.5  # (3 × 4 + 2) / 4 = 3.5 in every unsur; × 25
    assert [kode for tingkat, kode in rows if tingkat == "layanan"] == ["ktp-el"]


# --- a small complete site ------------------------------------------------------------------

@pytest.fixture(scope="module")
def stats_data(tmp_path_factory) -> Path:
    """Factory services plus data from the committed example generator (seed 2025)."""
    data = _with_cuti(write_site_data(tmp_path_factory.mktemp("stat") / "data"))
    subprocess.run([sys.executable, str(ROOT / "scripts/generate_example_statistics.py"),
                    "--data", str(data)], check=True, capture_output=True)
    return data


@pytest.fixture(scope="module")
def stats_site(stats_data, tmp_path_factory) -> Path:
    return build_site(tmp_path_factory.mktemp("stat-out") / "output", data_dir=stats_data)


def _soup(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path / "index.html").read_text(encoding="utf-8"), "lxml")


def test_the_generator_is_deterministic(stats_data, tmp_path):
    copy = _with_cuti(write_site_data(tmp_path / "data"))
    subprocess.run([sys.executable, str(ROOT / "scripts/generate_example_statistics.py"),
                    "--data", str(copy)], check=True, capture_output=True)
    for name in ("kinerja/permohonan-layanan.csv", "kinerja/pengaduan.csv", "skm/2025-S1.csv",
                 "ppid/permohonan-informasi.csv"):
        assert (copy / name).read_bytes() == (stats_data / name).read_bytes(), name


def test_skm_page_shows_the_published_ikm_in_a_table_next_to_an_accessible_chart(stats_site):
    soup = _soup(stats_site, "statistik/skm")
    ikm = json.loads((stats_site / "data/skm-ikm/skm-ikm.json").read_text(encoding="utf-8"))
    overall = [r for r in ikm if r["tingkat"] == "keseluruhan"]
    assert len(overall) == 4  # four example periods
    table_text = soup.find("caption", string="IKM seluruh layanan per periode").parent.get_text()
    for row in overall:
        assert f"{row['ikm']:.2f}".replace(".", ",") in table_text
    svg = soup.select_one("figure.chart-figure svg")
    assert svg["role"] == "img"
    title_id, desc_id = svg["aria-labelledby"].split()
    assert svg.find("title", id=title_id).get_text()
    desc = svg.find("desc", id=desc_id).get_text()
    assert f"{overall[-1]['ikm']:.2f}".replace(".", ",") in desc  # the numbers are in the text
    assert not soup.find("script")


def test_methodology_note_states_weight_rounding_and_grade_table(stats_site):
    text = _soup(stats_site, "statistik/skm").select_one("#metodologi").get_text(" ")
    assert "1/9" in text and "setengah ke atas" in text and "88,31" in text
    assert "Krejcie" in text and "ke atas" in text


def test_surveys_below_their_sample_are_flagged(stats_site):
    ikm = json.loads((stats_site / "data/skm-ikm/skm-ikm.json").read_text(encoding="utf-8"))
    short = [r for r in ikm if r["sampel_cukup"] is False]
    assert short, "the example generator makes some surveys fall short"
    warning = _soup(stats_site, "statistik/skm").select_one(".warning").get_text(" ")
    assert "Sampel kurang" in warning
    assert f"minimal {short[0]['sampel_minimal']}" in " ".join(warning.split())


def test_profile_never_shows_a_cell_under_five(stats_site):
    path = stats_site / "data/skm-profil-responden/skm-profil-responden.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    assert rows and all(r["jumlah"] == "" or int(r["jumlah"]) >= 5 for r in rows)
    assert all((r["jumlah"] == "") == (r["disembunyikan"] == "ya") for r in rows)


def test_every_computed_table_is_downloadable_in_three_formats(stats_site):
    for dataset in ("skm-ikm", "skm-unsur", "skm-profil-responden", "skm-jawaban",
                    "ketepatan-waktu", "permohonan-lewat-janji", "permohonan-layanan",
                    "pengaduan-bulanan", "pengaduan-rincian", "pengaduan-per-layanan",
                    "laporan-ppid", "permohonan-informasi", "cuti-bersama"):
        for fmt in ("csv", "json", "xlsx"):
            assert (stats_site / f"data/{dataset}/{dataset}.{fmt}").stat().st_size > 0
    header = (stats_site / "data/skm-jawaban/skm-jawaban.csv").read_text().splitlines()[0]
    assert "jenis_kelamin" not in header and "usia" not in header  # profile only in aggregate


def test_timeliness_page_lists_services_below_their_promise(stats_site):
    soup = _soup(stats_site, "statistik/ketepatan-waktu")
    assert soup.select("tr.below"), "the slow example service is marked"
    assert soup.select_one("figure.chart-figure svg[role=img]")


def test_ppid_annual_report_has_all_six_blocks(stats_site):
    soup = _soup(stats_site, "statistik/ppid/2025")
    assert soup.h1.get_text() == "Laporan Layanan Informasi Publik 2025"
    headings = [h.get_text() for h in soup.select("main h2")]
    assert [h.split(".")[0] for h in headings] == ["1", "2", "3", "4", "5", "6"]
    report = json.loads((stats_site / "data/laporan-ppid/laporan-ppid.json").read_text())
    total = next(r for r in report if r["tahun"] == 2025 and r["indikator"] == "Jumlah permohonan")
    assert f"{int(total['jumlah'])} permohonan informasi publik" in " ".join(
        soup.get_text(" ").split())


def test_service_page_summarises_performance_and_links_to_the_detail(stats_site):
    soup = _soup(stats_site, "layanan/ktp-el")
    aside = soup.select_one("aside.service-kinerja")
    assert "IKM" in aside.get_text() and "tepat waktu" in aside.get_text()
    # the score says what it is out of and what its grade means, where a citizen reads it
    ikm = aside.find("dt", string=re.compile("Indeks Kepuasan Masyarakat")).find_next("dd")
    assert re.fullmatch(r"\d+,\d\d dari 100 · mutu [ABCD] \((sangat baik|baik|kurang baik|"
                        r"tidak baik)\)", ikm.a.get_text()), ikm.get_text()
    links = [a["href"] for a in aside.find_all("a")]
    assert {link.split("#")[-1] for link in links if "#" in link} == {
        "judul-skm", "judul-waktu", "judul-pengaduan"}  # each figure links to its detail
    assert all(link.split("#")[0].endswith("/statistik/layanan/ktp-el/") for link in links)
    assert aside.find_next("nav", class_="toc")  # before the table of contents
    detail = _soup(stats_site, "statistik/layanan/ktp-el")
    assert detail.select("figure.chart-figure svg[role=img]")


@pytest.mark.browser
def test_charts_and_tables_fit_a_phone_screen(stats_site, phone):
    with LocalServer(stats_site) as server:
        for path in ("statistik/", "statistik/skm/", "statistik/layanan/akta-kelahiran/",
                     "statistik/ketepatan-waktu/", "statistik/pengaduan/", "statistik/ppid/2025/",
                     "statistik/penyelenggara/disdukcapil/", "layanan/ktp-el/"):
            phone.goto(f"{server.url}/{path}")
            assert phone.evaluate("document.documentElement.scrollWidth") <= 360, path
            for svg in phone.query_selector_all("svg.chart"):
                box = svg.bounding_box()
                assert box["width"] >= 300 and box["x"] + box["width"] <= 360, path
                # every chart text is drawn at 11 px or more (axis and value text at 12 px)
                smallest = svg.evaluate("""s => Math.min(...[...s.querySelectorAll('text')].map(
                    t => parseFloat(getComputedStyle(t).fontSize)
                         * s.getBoundingClientRect().width / s.viewBox.baseVal.width))""")
                assert smallest >= 11, path
            for table in phone.query_selector_all("main table"):
                assert table.is_visible() or table.evaluate("t => !!t.closest('details')"), path
        phone.goto(f"{server.url}/statistik/skm/")
        assert phone.get_by_role("img", name="IKM seluruh layanan per periode").is_visible()


# --- charts -----------------------------------------------------------------------------------

def test_chart_axis_labels_never_overlap_and_keep_first_and_last():
    from etalase import charts

    months = [f"{2024 + (m // 12)}-{m % 12 + 1:02d}" for m in range(6, 30)]
    labels = [charts.month_short(m) for m in months]
    count = len(labels)

    def x(i):
        return 34 + i * (320 - 48) / (count - 1)

    shown = charts._label_positions(labels, x)
    assert shown[0] == 0 and shown[-1] == count - 1
    extents = [charts._extent(i, count, labels[i], x) for i in shown]
    assert all(a[1] <= b[0] for a, b in zip(extents, extents[1:]))
    assert all(0 <= start and end <= 320 for start, end in extents)


def test_chart_text_is_escaped_and_the_svg_has_no_script():
    from etalase import charts

    svg = str(charts.bar_chart("Nilai <unsur>", "A & B", ["U1 <b>"], [3.5], 1, 4, decimals=2))
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "&amp;" in svg
    assert "<script" not in svg and 'role="img"' in svg
    assert "3,50" in svg  # Indonesian decimal comma


def test_a_year_still_in_progress_gives_a_provisional_report(data_dir):
    from etalase import statistics

    write_csv(data_dir / "ppid/permohonan-informasi.csv",
              ["nomor", "tanggal_permohonan", "informasi_diminta", "keputusan",
               "tanggal_pemberitahuan"], [
        {"nomor": "1", "tanggal_permohonan": "2025-03-03", "informasi_diminta": "DPA",
         "keputusan": "dikabulkan_seluruhnya", "tanggal_pemberitahuan": "2025-03-10"}])
    site = load_site(data_dir, root=data_dir.parent)
    page = next(p for p in statistics.pages(site) if p.path == "statistik/ppid/2025/index.html")
    assert page.context["provisional_until"].date().isoformat() == "2025-03-10"


def test_each_provider_has_its_pooled_survey_page(stats_site):
    ikm = json.loads((stats_site / "data/skm-ikm/skm-ikm.json").read_text(encoding="utf-8"))
    rows = [r for r in ikm if r["tingkat"] == "penyelenggara" and r["kode"] == "disdukcapil"]
    soup = _soup(stats_site, "statistik/penyelenggara/disdukcapil")
    text = soup.find("caption", string=lambda t: t and t.startswith("IKM Dinas")).parent.get_text()
    assert all(f"{r['ikm']:.2f}".replace(".", ",") in text for r in rows)
    grid = _soup(stats_site, "statistik/skm").select_one("table.ikm-grid")
    assert grid.find("a", href=lambda h: h and h.endswith("/statistik/penyelenggara/disdukcapil/"))


@pytest.fixture(scope="module")
def many_services_site(stats_data, tmp_path_factory) -> Path:
    """The same data, built as if it had more services than the overviews list one by one."""
    return build_site(tmp_path_factory.mktemp("banyak") / "output", data_dir=stats_data,
                      overrides={"ETALASE_STATISTIK_MAKS_LAYANAN": 1})


def test_with_many_services_the_skm_overview_lists_providers_and_links_down(
        many_services_site):
    # A province publishes thousands of services; the overview must stay light on a phone.
    site = many_services_site
    soup = _soup(site, "statistik/skm")
    grid = soup.select_one("table.ikm-grid")
    assert not grid.find("a", href=lambda h: h and "/statistik/layanan/" in h)
    ikm = json.loads((site / "data/skm-ikm/skm-ikm.json").read_text(encoding="utf-8"))
    providers = {r["kode"] for r in ikm if r["tingkat"] == "penyelenggara"}
    linked = {a["href"].rstrip("/").rsplit("/", 1)[1] for a in grid.select("th a")}
    assert linked == providers
    services = {r["kode"] for r in ikm if r["tingkat"] == "layanan"}
    note = " ".join(soup.select_one("#judul-layanan").parent.get_text(" ").split())
    assert f"Ada {len(services)} layanan yang disurvei" in note
    # Services short of their sample are counted per provider, with a link to look closer.
    short = [r for r in ikm if r["sampel_cukup"] is False]
    warning = soup.select_one(".warning")
    counted = sum(int(re.search(r": (\d+) hasil survei layanan", li.get_text()).group(1))
                  for li in warning.select("li") if li.find("a"))
    assert counted == sum(1 for r in short if r["tingkat"] == "layanan")
    assert f"{len(short)} hasil survei" in " ".join(warning.get_text(" ").split())
    # The provider page still lists every one of its services.
    some = next(iter(providers))
    page = _soup(site, f"statistik/penyelenggara/{some}")
    own = {r["kode"] for r in ikm if r["tingkat"] == "layanan"} & {
        a["href"].rstrip("/").rsplit("/", 1)[1]
        for a in page.select("a[href*='/statistik/layanan/']")}
    assert own


def _table(site: Path, path: str, caption: str) -> dict[str, list[str]]:
    """First-column text → the other cells, of the table whose caption starts with `caption`."""
    soup = _soup(site, path)
    table = soup.find("caption", string=lambda t: t and t.startswith(caption)).parent
    return {tr.find(["th", "td"]).get_text(" ", strip=True):
            [td.get_text(" ", strip=True) for td in tr.find_all(["th", "td"])[1:]]
            for tr in table.select("tbody tr")}


def _number(text: str) -> int:
    return int(text.split(" ")[0].replace(".", ""))


def test_with_many_services_timeliness_and_complaints_are_totalled_per_provider(
        stats_site, many_services_site):
    per_service = _table(stats_site, "statistik/ketepatan-waktu", "Ketepatan waktu per layanan")
    per_provider = _table(many_services_site, "statistik/ketepatan-waktu",
                          "Ketepatan waktu per penyelenggara")
    provider_of = _provider_names(stats_site)
    expected: dict[str, int] = {}
    for name, cells in per_service.items():  # Janji, Selesai, Tepat waktu, Median, Terbuka
        expected[provider_of[name]] = expected.get(provider_of[name], 0) + _number(cells[1])
    assert {name: _number(cells[0]) for name, cells in per_provider.items()} == expected
    complaints = _table(stats_site, "statistik/pengaduan", "Pengaduan per layanan")
    totalled = _table(many_services_site, "statistik/pengaduan", "Pengaduan per penyelenggara")
    expected = {}
    for name, cells in complaints.items():
        key = provider_of.get(name, name)  # "Tidak menyangkut satu layanan" stays itself
        expected[key] = expected.get(key, 0) + _number(cells[0])
    assert {name: _number(cells[0]) for name, cells in totalled.items()} == expected
    links = _soup(many_services_site, "statistik/pengaduan").select(
        "table a[href*='/penyelenggara/']")
    assert links


def _provider_names(site: Path) -> dict[str, str]:
    """Service name → provider name, read from the provider pages of the built site."""
    names = {}
    for page in (site / "penyelenggara").glob("*/index.html"):
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "lxml")
        provider = soup.h1.get_text(strip=True)
        for a in soup.select("a[href*='/layanan/']"):
            names[a.get_text(strip=True)] = provider
    return names


def test_a_same_day_promise_is_written_as_the_same_day_wherever_it_is_measured(example_site):
    # uji-kir promises "Selesai di hari yang sama": 0 working days, never "1 hari kerja".
    def text(path):
        html = (example_site / path).read_text(encoding="utf-8")
        return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())

    service_page = text("layanan/uji-kir/index.html")
    assert "selesai pada hari kerja yang sama dengan hari berkas dinyatakan lengkap" in \
        service_page
    assert "paling lama 0 hari kerja" not in service_page
    assert "tepat waktu bila selesai pada hari yang sama dengan hari diterima" in text(
        "statistik/layanan/uji-kir/index.html")
    soup = BeautifulSoup((example_site / "statistik/ketepatan-waktu/index.html").read_text(
        encoding="utf-8"), "html.parser")
    row = next(tr for tr in soup.select("tbody tr") if tr.find("a", href=re.compile(
        "/statistik/layanan/uji-kir/")))
    assert row.find("td").get_text(strip=True) == "hari yang sama"


def test_no_hidden_profile_cell_is_the_sites_count_minus_the_other_providers(example_site):
    # Small cells (1–4 respondents) are hidden "so they cannot be worked out by subtraction":
    # in every category whose site-wide count is published, no provider's cell is the only
    # one hidden.
    profile = pd.read_csv(example_site / "data/skm-profil-responden/skm-profil-responden.csv",
                          dtype=str, keep_default_na=False)
    assert set(profile["tingkat"]) == {"keseluruhan", "penyelenggara"}
    site_cells = profile[profile["tingkat"] == "keseluruhan"]
    for _, cell in site_cells[site_cells["jumlah"] != ""].iterrows():
        providers = profile[(profile["tingkat"] == "penyelenggara")
                            & (profile["periode"] == cell["periode"])
                            & (profile["karakteristik"] == cell["karakteristik"])
                            & (profile["kategori"] == cell["kategori"])]
        assert (providers["jumlah"] == "").sum() != 1, cell.to_dict()
    assert (profile["jumlah"] == "").any()  # the example has small cells to hide


def test_a_provider_page_links_to_its_performance_and_says_where_to_complain(example_site):
    # UU 25/2009 Pasal 23(3): a provider's information includes its complaint handling and
    # its performance assessment.
    soup = BeautifulSoup((example_site / "penyelenggara/dinkes/index.html").read_text(
        encoding="utf-8"), "html.parser")
    section = soup.find(id="judul-kinerja-pengaduan").parent
    links = {a["href"] for a in section.find_all("a")}
    assert "/statistik/penyelenggara/dinkes/" in links
    assert (example_site / "statistik/penyelenggara/dinkes/index.html").is_file()
    complaint = next(a["href"] for a in section.find_all("a") if a["href"].endswith("#pengaduan"))
    page = example_site / complaint.strip("/").removesuffix("#pengaduan") / "index.html"
    assert BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(id="pengaduan")
