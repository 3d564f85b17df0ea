"""Blocks 3 and 4 of the annual information-service report (Perki 1/2021 Pasal 56)."""

from __future__ import annotations

import pytest
from stats_helpers import calendar_2025, frame

from etalase import ppid_report


def _request(nomor, tanggal, keputusan, pemberitahuan=None, alasan=None, diperpanjang=False,
             keberatan=None, sengketa=None, diterima=None, ditanggapi=None):
    return {"nomor": nomor, "tanggal_permohonan": tanggal, "kategori_pemohon": "perorangan",
            "cara_permohonan": "langsung", "informasi_diminta": "Data", "keputusan": keputusan,
            "alasan_penolakan": alasan, "tanggal_pemberitahuan": pemberitahuan,
            "diperpanjang": diperpanjang, "tanggal_informasi_diberikan": None,
            "keberatan": keberatan, "tanggal_keberatan": diterima,
            "tanggal_tanggapan_keberatan": ditanggapi, "sengketa": sengketa}


DATES = ["tanggal_permohonan", "tanggal_pemberitahuan", "tanggal_informasi_diberikan",
         "tanggal_keberatan", "tanggal_tanggapan_keberatan"]


@pytest.fixture(scope="module")
def report():
    rows = [
        # Mon 3 Mar → Mon 10 Mar: 5 working days
        _request("1", "2025-03-03", "dikabulkan_seluruhnya", "2025-03-10"),
        # Thu 27 Mar → Tue 22 Apr: Nyepi, Idulfitri and cuti bersama skipped: 10 working days
        _request("2", "2025-03-27", "ditolak", "2025-04-22", alasan="h", keberatan="dijawab",
                 sengketa="diajukan"),
        # Mon 2 Jun → Fri 20 Jun: Iduladha (6 Jun) and cuti bersama (9 Jun) skipped: 12
        _request("3", "2025-06-02", "dikabulkan_sebagian", "2025-06-20", alasan="a, h",
                 diperpanjang=True, keberatan="diajukan"),
        _request("4", "2025-12-22", "tidak_dikuasai"),
        _request("5", "2024-12-30", "ditolak", "2025-01-02", alasan="c"),  # another year
    ]
    register = frame(rows, DATES)
    enriched = ppid_report.enrich(register, calendar_2025(), ppid_report.as_of(register))
    assert ppid_report.years(enriched) == [2024, 2025]
    return ppid_report.annual_report(enriched, 2025)


def test_requests_and_decisions_of_the_year(report):
    assert report.requests == 4
    assert report.value("Keputusan", "Dikabulkan seluruhnya") == 1
    assert report.value("Keputusan", "Ditolak") == 1
    assert report.value("Keputusan", "Informasi tidak dikuasai") == 1
    assert report.value("Keputusan", "Informasi belum didokumentasikan") == 0


def test_refusal_reasons_by_pasal_17_letter(report):
    part = {line.indikator[:7]: line for line in report.part(3, "Alasan penolakan (UU 14/2008 Pasal 17)")}
    assert part["Huruf h"].jumlah == 2 and part["Huruf h"].persen == 100.0
    assert part["Huruf a"].jumlah == 1 and part["Huruf a"].persen == 50.0
    assert part["Huruf c"].jumlah == 0  # the 2024 request is not in the 2025 report


def test_time_taken_and_shares_within_10_and_17_working_days(report):
    timing = "Waktu yang dibutuhkan untuk menjawab"
    assert report.value(timing, "Median hari kerja") == 10
    assert report.value(timing, "Rata-rata hari kerja") == 9.0  # (5 + 10 + 12) / 3
    assert report.value(timing, "Paling lama (hari kerja)") == 12
    within10 = [l for l in report.part(3, timing) if l.indikator.startswith("Dijawab dalam 10")][0]
    within17 = [l for l in report.part(3, timing) if l.indikator.startswith("Dijawab dalam 17")][0]
    # shares of all 4 requests: the unanswered one counts as not answered in time
    assert (within10.jumlah, within10.persen) == (2, 50.0)
    assert (within17.jumlah, within17.persen) == (3, 75.0)
    assert report.value("Sebaran waktu menjawab", "Belum dijawab") == 1


def test_objections_and_disputes(report):
    assert report.value("Keberatan", "Keberatan diterima") == 2
    assert report.value("Keberatan", "Keberatan sudah dijawab") == 1
    assert report.value("Sengketa informasi", "Sengketa diajukan ke Komisi Informasi") == 1


def test_objections_answered_within_30_working_days_late_or_still_waiting():
    # October and November 2025 have no holiday: the 22nd working day after Wed 1 Oct is Fri
    # 31 Oct, and the 30th is Wed 12 Nov. The register's last date, 13 Nov, is when it was
    # last kept.
    rows = [
        _request("1", "2025-09-15", "ditolak", "2025-09-22", alasan="h", keberatan="dijawab",
                 diterima="2025-10-01", ditanggapi="2025-11-12"),  # 30 days: in time
        _request("2", "2025-09-15", "ditolak", "2025-09-22", alasan="h", keberatan="dijawab",
                 diterima="2025-10-01", ditanggapi="2025-11-13"),  # 31 days: late
        _request("3", "2025-09-15", "ditolak", "2025-09-22", alasan="h", keberatan="diajukan",
                 diterima="2025-10-01"),  # waiting 31 days on 13 Nov: past the limit
        _request("4", "2025-10-20", "ditolak", "2025-10-27", alasan="h", keberatan="diajukan",
                 diterima="2025-11-03"),  # waiting 8 days
        _request("5", "2025-09-15", "ditolak", "2025-09-22", alasan="h", keberatan="dijawab"),
        _request("6", "2025-09-15", "dikabulkan_seluruhnya", "2025-09-22"),
    ]
    register = frame(rows, DATES)
    assert ppid_report.as_of(register).date().isoformat() == "2025-11-13"
    report = ppid_report.annual_report(
        ppid_report.enrich(register, calendar_2025(), ppid_report.as_of(register)), 2025)
    part = {line.indikator: (line.jumlah, line.persen)
            for line in report.part(4, ppid_report.OBJECTION_TIMES)}
    assert part == {
        "Dijawab dalam 30 hari kerja": (1, 20.0),  # shares of the 5 objections received
        "Dijawab lebih dari 30 hari kerja": (1, 20.0),
        "Belum dijawab, masih dalam 30 hari kerja": (1, 20.0),
        "Belum dijawab, sudah lewat 30 hari kerja": (1, 20.0),
        "Tanggal keberatan atau tanggapannya tidak dicatat": (1, 20.0),
    }


def test_an_objection_is_counted_in_the_year_it_was_received():
    # A December refusal objected to in January is in the next year's report, even in a
    # year with no request of its own.
    rows = [_request("1", "2025-12-01", "ditolak", "2025-12-08", alasan="h",
                     keberatan="dijawab", diterima="2026-01-05", ditanggapi="2026-01-20"),
            _request("2", "2025-03-03", "ditolak", "2025-03-10", alasan="h",
                     keberatan="diajukan", diterima="2025-03-17")]
    register = frame(rows, DATES)
    enriched = ppid_report.enrich(register, calendar_2025(), ppid_report.as_of(register))
    assert ppid_report.years(enriched) == [2025, 2026]
    by_year = {y: ppid_report.annual_report(enriched, y) for y in (2025, 2026)}
    assert by_year[2025].value("Keberatan", "Keberatan diterima") == 1  # request 2's
    assert by_year[2025].value("Keberatan", "Keberatan sudah dijawab") == 0
    assert by_year[2026].requests == 0
    assert by_year[2026].value("Keberatan", "Keberatan diterima") == 1  # request 1's
    assert by_year[2026].value(ppid_report.OBJECTION_TIMES, "Dijawab dalam 30 hari kerja") == 1


def test_a_dispute_is_counted_with_its_objection_in_the_objections_year():
    # PPID/2024/067 of the example: asked in December, objected to in February, taken to the
    # Komisi Informasi. Its dispute was in 2024's report while its objection was in 2025's.
    rows = [_request("1", "2025-12-01", "ditolak", "2025-12-08", alasan="h",
                     keberatan="dijawab", diterima="2026-01-05", ditanggapi="2026-01-20",
                     sengketa="diajukan"),
            _request("2", "2025-03-03", "ditolak", "2025-03-10", alasan="h",
                     sengketa="diajukan")]  # no objection recorded: its request's year
    register = frame(rows, DATES)
    enriched = ppid_report.enrich(register, calendar_2025(), ppid_report.as_of(register))
    disputes = "Sengketa diajukan ke Komisi Informasi"
    by_year = {y: ppid_report.annual_report(enriched, y) for y in (2025, 2026)}
    assert by_year[2025].value("Sengketa informasi", disputes) == 1  # request 2's
    assert by_year[2026].value("Sengketa informasi", disputes) == 1  # request 1's
    assert by_year[2026].value("Keberatan", "Keberatan diterima") == 1


def test_a_register_without_objection_dates_counts_every_objection_as_unrecorded(report):
    part = {line.indikator: line.jumlah for line in report.part(4, ppid_report.OBJECTION_TIMES)}
    assert part["Tanggal keberatan atau tanggapannya tidak dicatat"] == 2
    assert sum(part.values()) == 2


def test_staff_markdown_is_split_into_numbered_blocks():
    text = ("Pengantar.\n\n## 1. Kebijakan\nIsi satu.\n\n## 2. Pelaksanaan\nIsi dua.\n\n"
            "## 5. Kendala\nIsi lima.\n\n## 6. Rekomendasi\nIsi enam.\n")
    intro, blocks = ppid_report.split_blocks(text)
    assert intro == "Pengantar."
    assert sorted(blocks) == [1, 2, 5, 6]
    assert blocks[5] == ("Kendala", "Isi lima.")
