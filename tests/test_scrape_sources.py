"""Each source kind, fetched from a real HTTP server on 127.0.0.1 serving recorded answers."""

from __future__ import annotations

import io
import json

import openpyxl
import pytest
from scrape_helpers import (FIXTURES, VISIT_SCHEMA, Reply, ScriptedServer, ckan, html_table,
                            read_rows, remote_csv, scrape, worldbank, write_config)


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


def test_world_bank_series_are_paged_to_the_end_and_joined_by_year(server, tmp_path):
    write_config(tmp_path / "data", [worldbank(server)])
    (outcome,), out, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui"
    rows = read_rows(tmp_path / "data/scrape/wb-efektivitas-pemerintah.csv")
    assert rows == [["tahun", "negara", "estimasi", "peringkat_persentil"],
                    ["2010", "IDN", "-0.21", ""], ["2014", "IDN", "0.5", ""],
                    ["2020", "IDN", "0.37", "65"]]
    pages = [r.query["page"][0] for r in server.requests_to("/v2/country/IDN/indicator/GE.EST")]
    assert pages == ["1", "2"]
    assert "wb-efektivitas-pemerintah: diperbarui, 3 baris (3 permintaan)" in out


def test_world_bank_schema_names_each_indicator_column(server, tmp_path):
    write_config(tmp_path / "data", [worldbank(server)])
    scrape(tmp_path / "data")
    schema = json.loads((tmp_path / "data/scrape/wb-efektivitas-pemerintah.schema.json")
                        .read_text())
    titles = {f["name"]: f["title"] for f in schema["fields"]}
    assert titles["estimasi"] == "Government Effectiveness: Estimate"
    assert titles["peringkat_persentil"] == "Government Effectiveness: Percentile Rank"
    assert schema["title"] == "Efektivitas pemerintahan Indonesia"


def test_column_titles_can_be_given_in_indonesian(server, tmp_path):
    write_config(tmp_path / "data", [{**worldbank(server),
                                      "judul_kolom": {"estimasi": "Estimasi efektivitas"}}])
    scrape(tmp_path / "data")
    schema = json.loads((tmp_path / "data/scrape/wb-efektivitas-pemerintah.schema.json")
                        .read_text())
    assert schema["fields"][2]["title"] == "Estimasi efektivitas"


def test_a_world_bank_error_message_is_passed_on(server, tmp_path):
    source = worldbank(server)
    server.routes["/v2/country/IDN/indicator/GE.EST"] = Reply.fixture("wb-error.json")
    write_config(tmp_path / "data", [source])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert "API Bank Dunia menolak permintaan" in err
    assert "The provided parameter value is not valid" in err


def _json(value) -> Reply:
    return Reply(body=json.dumps(value).encode(), headers={"Content-Type": "application/json"})


def _good_first_run(server, tmp_path, source) -> bytes:
    write_config(tmp_path / "data", [source])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui"
    return (tmp_path / "data/scrape" / f"{source['nama']}.csv").read_bytes()


@pytest.mark.parametrize("second_page", [None, "meta only"])
def test_a_world_bank_page_that_comes_back_empty_keeps_the_last_good_file(
        server, tmp_path, second_page):
    # Page 2 of 2 answered with its meta and no rows: 2010 would have been dropped, 3 → 2
    # rows, under the shrink limit, and published.
    source = worldbank(server)
    good = _good_first_run(server, tmp_path, source)
    meta = json.loads((FIXTURES / "wb-ge-est-2.json").read_text())[0]
    server.routes["/v2/country/IDN/indicator/GE.EST"] = lambda request: (
        Reply.fixture("wb-ge-est-1.json") if request.query["page"] == ["1"]
        else _json([meta, None] if second_page is None else [meta]))
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert "API Bank Dunia menyebut 3 baris untuk indikator GE.EST tetapi hanya memberikan " \
           "2; data tidak lengkap" in err
    assert (tmp_path / "data/scrape/wb-efektivitas-pemerintah.csv").read_bytes() == good


def test_a_world_bank_indicator_without_one_value_keeps_the_last_good_file(server, tmp_path):
    # The percentile rank came back empty: its column would have been emptied and published.
    source = worldbank(server)
    good = _good_first_run(server, tmp_path, source)
    server.routes["/v2/country/IDN/indicator/GE.PER.RNK"] = _json(
        [{"page": 1, "pages": 0, "per_page": 2, "total": 0}, None])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert "kolom peringkat_persentil kosong seluruhnya, padahal di berkas lama " \
           "data/scrape/wb-efektivitas-pemerintah.csv berisi 1 nilai" in err
    assert (tmp_path / "data/scrape/wb-efektivitas-pemerintah.csv").read_bytes() == good


def test_an_indicator_without_values_for_the_country_does_not_block_the_others(
        server, tmp_path):
    # A series the World Bank has no figure of for Indonesia: the other indicator is still
    # published, its column empty (and only refused once it had values and lost them).
    source = worldbank(server)
    server.routes["/v2/country/IDN/indicator/GE.PER.RNK"] = _json(
        [{"page": 1, "pages": 0, "per_page": 2, "total": 0}, None])
    write_config(tmp_path / "data", [source])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui", err
    rows = read_rows(tmp_path / "data/scrape/wb-efektivitas-pemerintah.csv")
    assert [row[2] for row in rows[1:]] == ["-0.21", "0.5", "0.37"]
    assert {row[3] for row in rows[1:]} == {""}


def test_ckan_rows_added_while_the_pages_are_read_keep_the_last_good_file(server, tmp_path):
    # The total went from 5 to 6 between pages: a row would have been published twice.
    source = ckan(server)
    good = _good_first_run(server, tmp_path, source)
    pages = {name: json.loads((FIXTURES / name).read_text()) for name in
             ("ckan-datastore-1.json", "ckan-datastore-2.json", "ckan-datastore-3.json")}
    for name in ("ckan-datastore-2.json", "ckan-datastore-3.json"):
        pages[name]["result"]["total"] += 1
    server.routes["/api/3/action/datastore_search"] = lambda request: _json(pages[
        {"0": "ckan-datastore-1.json", "2": "ckan-datastore-2.json",
         "4": "ckan-datastore-3.json"}[request.query["offset"][0]]])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert "data di portal CKAN berubah selama diambil (jumlah baris 5, lalu 6)" in err
    assert (tmp_path / "data/scrape/pengunjung-mpp.csv").read_bytes() == good


def test_ckan_datastore_is_read_page_by_page_until_the_total(server, tmp_path):
    write_config(tmp_path / "data", [ckan(server)])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui" and outcome.rows == 5
    offsets = [r.query["offset"][0]
               for r in server.requests_to("/api/3/action/datastore_search")]
    assert offsets == ["0", "2", "4"]
    rows = read_rows(tmp_path / "data/scrape/pengunjung-mpp.csv")
    assert rows[0] == ["bulan", "loket", "jumlah_pengunjung"]  # CKAN's own _id is left out
    assert rows[-1] == ["2026-07", "disdukcapil", "1955"]
    schema = json.loads((tmp_path / "data/scrape/pengunjung-mpp.schema.json").read_text())
    assert {f["name"]: f["type"] for f in schema["fields"]}["jumlah_pengunjung"] == "integer"
    stored = json.loads((tmp_path / "data/scrape/pengunjung-mpp.sumber.json").read_text())
    assert stored["metadata"]["title"] == "Jumlah Pengunjung Mal Pelayanan Publik per Bulan"


def test_ckan_resource_file_mode_downloads_the_file_named_in_package_show(server, tmp_path):
    source = ckan(server)
    source.update({"mode": "berkas", "skema": {"fields": [
        {"name": c, "type": "string", "title": c} for c in
        ("tanggal", "kelurahan", "layanan", "lokasi")]}})
    del source["resource"]
    server.routes["/unduh/pengunjung-mpp.csv"] = Reply.fixture("layanan-keliling.csv")
    write_config(tmp_path / "data", [source])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui" and outcome.rows == 3
    assert not server.requests_to("/api/3/action/datastore_search")


def test_ckan_refusal_is_reported_with_ckans_message(server, tmp_path):
    source = ckan(server)
    server.routes["/api/3/action/package_show"] = Reply.fixture("ckan-not-found.json",
                                                                status=404)
    write_config(tmp_path / "data", [source])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert "API CKAN menolak package_show (HTTP 404): Not found" in err


def test_html_table_columns_are_mapped_and_converted_as_configured(server, tmp_path):
    write_config(tmp_path / "data", [html_table(server)])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui"
    rows = read_rows(tmp_path / "data/scrape/standar-dpmptsp.csv")
    assert rows[0] == ["nama", "persyaratan", "hari_kerja", "biaya_rupiah", "berlaku_sejak"]
    assert rows[1] == ["Persetujuan Bangunan Gedung (PBG)",
                       "KTP pemohon\nBukti kepemilikan tanah\nDokumen rencana teknis",
                       "28", "2500000", "2025-01-02"]
    assert rows[2][1:] == ["KTP pemohon\nDesain reklame", "5", "150000", "2025-08-17"]
    assert rows[3][3:] == ["0", "2024-03-01"]  # "Gratis", and day/month/year


def test_remote_csv_saved_with_semicolons_is_read_like_a_staff_file(server, tmp_path):
    write_config(tmp_path / "data", [remote_csv(server)])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui"
    rows = read_rows(tmp_path / "data/scrape/layanan-keliling.csv")
    assert rows[0] == ["tanggal", "kelurahan", "layanan", "lokasi"]
    assert rows[1] == ["2026-12-02", "Sukamaju", "Perekaman KTP-el", "Balai Kelurahan Sukamaju"]


def test_remote_xlsx_is_read_and_its_titles_renamed(server, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Tanggal", "Kelurahan", "Layanan", "Lokasi"])
    import datetime as dt
    sheet.append([dt.datetime(2026, 12, 2), "Sukamaju", "Perekaman KTP-el", "Balai Kelurahan"])
    sheet.append([dt.datetime(2026, 12, 4), "Tanjung Laut", "Akta kelahiran", "Posyandu Melati"])
    buffer = io.BytesIO()
    book.save(buffer)
    server.routes["/unduh/jadwal.xlsx"] = Reply(body=buffer.getvalue())
    write_config(tmp_path / "data", [{
        "nama": "jadwal-xlsx", "jenis": "berkas", "url": server.url + "/unduh/jadwal.xlsx",
        "kolom": {"Tanggal": "tanggal", "Kelurahan": "kelurahan", "Layanan": "layanan",
                  "Lokasi": "lokasi"}, "skema": VISIT_SCHEMA}])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui"
    rows = read_rows(tmp_path / "data/scrape/jadwal-xlsx.csv")
    assert rows[1:] == [["2026-12-02", "Sukamaju", "Perekaman KTP-el", "Balai Kelurahan"],
                        ["2026-12-04", "Tanjung Laut", "Akta kelahiran", "Posyandu Melati"]]


def test_provenance_records_source_time_status_validators_hash_and_rows(server, tmp_path):
    import hashlib

    source = remote_csv(server)
    server.routes["/unduh/layanan-keliling.csv"] = Reply.fixture(
        "layanan-keliling.csv", headers={"ETag": '"v1"',
                                         "Last-Modified": "Mon, 02 Nov 2026 03:00:00 GMT"})
    write_config(tmp_path / "data", [{**source, "catatan": "Contoh dari uji."}])
    scrape(tmp_path / "data")
    stored = json.loads((tmp_path / "data/scrape/layanan-keliling.sumber.json").read_text())
    assert stored["url"] == source["url"]
    assert stored["http_status"] == 200
    assert stored["etag"] == '"v1"'
    assert stored["last_modified"] == "Mon, 02 Nov 2026 03:00:00 GMT"
    raw = (FIXTURES / "layanan-keliling.csv").read_bytes()
    assert stored["sha256"] == hashlib.sha256(raw).hexdigest()
    assert stored["rows"] == 3
    assert stored["fetched_at"] == stored["checked_at"] == stored["changed_at"]
    assert stored["fetched_at"].endswith("Z")
    assert stored["catatan"] == "Contoh dari uji."


def test_the_same_content_again_counts_as_unchanged_and_keeps_changed_at(server, tmp_path):
    write_config(tmp_path / "data", [remote_csv(server)])
    scrape(tmp_path / "data")
    path = tmp_path / "data/scrape/layanan-keliling.sumber.json"
    first = json.loads(path.read_text())
    first["changed_at"] = first["checked_at"] = "2026-01-01T00:00:00Z"
    path.write_text(json.dumps(first))
    (outcome,), out, _ = scrape(tmp_path / "data")
    assert outcome.status == "tidak berubah"
    assert "isinya sama dengan berkas yang ada" in out
    again = json.loads(path.read_text())
    assert again["changed_at"] == "2026-01-01T00:00:00Z"
    assert again["checked_at"] != "2026-01-01T00:00:00Z"


def test_only_the_named_sources_run(server, tmp_path):
    write_config(tmp_path / "data", [remote_csv(server), html_table(server)])
    outcomes, _, _ = scrape(tmp_path / "data", "standar-dpmptsp")
    assert [o.source.name for o in outcomes] == ["standar-dpmptsp"]
    assert not server.requests_to("/unduh/layanan-keliling.csv")


class _Terminal(io.StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_counts_the_pages_on_a_terminal(server, tmp_path, monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    write_config(tmp_path / "data", [ckan(server)])
    scrape(tmp_path / "data")
    assert "pengunjung-mpp:   0%|          | 0/3" in terminal.getvalue()  # three pages


def test_no_progress_bar_clutters_a_log_file(server, tmp_path, monkeypatch):
    log = io.StringIO()
    monkeypatch.setattr("sys.stderr", log)
    write_config(tmp_path / "data", [ckan(server)])
    scrape(tmp_path / "data")
    assert "/3" not in log.getvalue()


@pytest.mark.parametrize("name, text, expected", [
    ("rupiah", "Rp 150.000,00", "150000"),
    ("rupiah", "Rp50.000", "50000"),
    ("rupiah", "Gratis", "0"),
    ("rupiah", "Tidak dipungut biaya", "0"),
    ("rupiah", "Rp 10.000 - Rp 50.000", "Rp 10.000 - Rp 50.000"),  # a range: not guessed
    # a scale word multiplies (it was published as 2 and 150); a decimal comma is not cents
    ("rupiah", "Rp 2,5 juta", "2500000"),
    ("rupiah", "Rp 150 ribu", "150000"),
    ("rupiah", "Rp 50.000,-", "50000"),
    ("rupiah", "Rp12.500/lembar", "12500"),
    ("rupiah", "Rp 1,5", "Rp 1,5"),  # not a whole rupiah
    ("rupiah", "USD 100", "USD 100"),  # another currency
    ("bilangan_bulat", "28 hari kerja", "28"),
    ("bilangan_bulat", "1.250 orang", "1250"),
    ("bilangan_bulat", "3-5 hari kerja", "3-5 hari kerja"),  # a range: not guessed
    ("bilangan_bulat", "2 minggu", "2 minggu"),  # another unit: not 2 days
    ("bilangan_bulat", "1 bulan", "1 bulan"),
    ("bilangan_bulat", "2,5 hari", "2,5 hari"),  # not whole
    ("angka", "1.234,5", "1234.5"),
    ("angka", "1.234", "1234"),  # thousands, as an Indonesian page writes them
    ("angka", "0.375", "0.375"),  # no thousands start with 0
    ("angka", "-0.125", "-0.125"),
    ("angka", "0.37", "0.37"),
    ("tanggal", "17 Agustus 2025", "2025-08-17"),
    ("tanggal", "2 Jan. 2025", "2025-01-02"),
    ("tanggal", "01/03/2024", "2024-03-01"),
    ("tanggal", "Agustus 2025", "Agustus 2025"),
])
def test_conversions_turn_page_text_into_plain_values_or_leave_it(name, text, expected):
    from etalase.scrape.conversions import CONVERSIONS

    assert CONVERSIONS[name](text) == expected


def test_a_value_that_cannot_be_converted_is_rejected_by_the_schema(server, tmp_path):
    source = html_table(server)
    page = (FIXTURES / "dpmptsp-standar.html").read_text().replace(
        "<td>5 hari kerja</td>", "<td>3-5 hari kerja</td>")
    server.routes["/standar-pelayanan"] = Reply(body=page.encode())
    write_config(tmp_path / "data", [source])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert 'kolom "hari_kerja": "3-5 hari kerja" bukan bilangan bulat' in err


def test_conversions_also_apply_to_remote_files(server, tmp_path):
    source = {**remote_csv(server, body=b"tanggal;kelurahan;layanan;lokasi\r\n"
                                        b"2 Desember 2026;Sukamaju;KTP-el;Balai\r\n"),
              "ubah": {"tanggal": "tanggal"}}
    write_config(tmp_path / "data", [source])
    (outcome,), _, _ = scrape(tmp_path / "data")
    assert outcome.status == "diperbarui"
    assert read_rows(tmp_path / "data/scrape/layanan-keliling.csv")[1][0] == "2026-12-02"
