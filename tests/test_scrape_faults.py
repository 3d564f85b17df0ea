"""When a source misbehaves, staff are told why and the current data file stays byte-identical.

Every test first makes a good file with a successful run, then scripts one fault on the real
HTTP server on 127.0.0.1 and runs `etalase scrape` again.
"""

from __future__ import annotations

import time

import pytest
from scrape_helpers import (Reply, ScriptedServer, ckan, html_table, read_rows, remote_csv,
                            snapshot, with_etag, worldbank, write_config)

from etalase import cli
from etalase.errors import Problem
from etalase.scrape import runner


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


def run_cli(capsys, data_dir, *names):
    code = cli.main(["scrape", "--data", str(data_dir), *names])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def prepare(capsys, data_dir, sources, **settings):
    """Configure `sources`, run once successfully and return the data folder's snapshot."""
    write_config(data_dir, sources, **settings)
    code, out, err = run_cli(capsys, data_dir)
    assert code == 0, out + err
    return snapshot(data_dir)


KEPT = "Berkas lama data/scrape/layanan-keliling.csv tetap dipakai, tidak diubah."


def test_a_response_slower_than_the_read_timeout_fails_after_retries(server, tmp_path,
                                                                      capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)], percobaan=2)
    server.routes["/unduh/layanan-keliling.csv"] = Reply(body=b"x", delay=1.5)
    code, out, err = run_cli(capsys, data)
    assert code == 1
    assert "server 127.0.0.1" in err and "tidak menjawab dalam 0,5 detik (batas_waktu_baca)" in err
    assert "mencoba lagi dalam 0,05 detik (percobaan 2 dari 2)" in err
    assert "(sudah dicoba 2 kali)" in err
    assert KEPT in err
    assert "1 gagal" in out
    assert snapshot(data) == before


def test_a_server_error_then_success_is_retried_and_the_new_data_is_written(server, tmp_path,
                                                                             capsys):
    data = tmp_path / "data"
    prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = [
        Reply(500, b"Internal Server Error"),
        Reply(body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-11,Sukamaju,KTP-el,Balai\r\n"
                   b"2026-12-12,Sukamaju,KIA,Balai\r\n")]
    code, out, err = run_cli(capsys, data)
    assert code == 0
    assert "server menjawab HTTP 500 (kesalahan di server sumber); mencoba lagi dalam 0,05 " \
           "detik (percobaan 2 dari 3)" in err
    assert "layanan-keliling: diperbarui, 2 baris" in out
    assert read_rows(data / "scrape/layanan-keliling.csv")[1][0] == "2026-12-11"


def test_429_with_retry_after_waits_as_asked_before_trying_again(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = [
        Reply(429, b"slow down", {"Retry-After": "1"}), before_reply(before)]
    started = time.monotonic()
    code, out, err = run_cli(capsys, data)
    assert time.monotonic() - started >= 1.0
    assert code == 0
    assert "HTTP 429 (terlalu banyak permintaan); mencoba lagi dalam 1 detik" in err
    requests = server.requests_to("/unduh/layanan-keliling.csv")
    assert len(requests) == 1 + 2  # the first run, then 429 and the retry
    assert "layanan-keliling: tidak berubah — isinya sama dengan berkas yang ada" in out
    after = snapshot(data)
    assert after["scrape/layanan-keliling.csv"] == before["scrape/layanan-keliling.csv"]


def before_reply(before: dict) -> Reply:
    # The same bytes the previous run fetched (a CSV written by the scraper is read back fine).
    return Reply(body=before["scrape/layanan-keliling.csv"])


def test_a_retry_after_longer_than_allowed_fails_at_once(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(429, b"", {"Retry-After": "3600"})
    started = time.monotonic()
    code, _, err = run_cli(capsys, data)
    assert time.monotonic() - started < 2
    assert code == 1
    assert "server meminta menunggu 3600 detik, lebih lama dari tunggu_maksimum 5 detik" in err
    assert snapshot(data) == before


def test_truncated_json_keeps_the_previous_file(server, tmp_path, capsys):
    data = tmp_path / "data"
    source = worldbank(server)
    before = prepare(capsys, data, [source])
    good = server.routes["/v2/country/IDN/indicator/GE.EST"]
    page_two = good(type("R", (), {"query": {"page": ["2"]}})()).body
    server.routes["/v2/country/IDN/indicator/GE.EST"] = lambda request: (
        Reply(body=page_two[: len(page_two) // 2]) if request.query["page"] == ["2"]
        else good(request))
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "bukan JSON yang utuh" in err and "kemungkinan terpotong atau rusak" in err
    assert "Berkas lama data/scrape/wb-efektivitas-pemerintah.csv tetap dipakai" in err
    assert snapshot(data) == before


def test_a_changed_html_table_is_refused_with_the_titles_found(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [html_table(server)])
    server.routes["/standar-pelayanan"] = Reply.fixture("dpmptsp-standar-berubah.html")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "kolom \"Biaya / Tarif\" tidak ditemukan" in err
    assert "Judul kolom yang ada sekarang: \"No.\", \"Nama Layanan\", \"Persyaratan\", " \
           "\"Waktu Penyelesaian\", \"Retribusi\", \"Berlaku Sejak\"" in err
    assert snapshot(data) == before


def test_an_empty_result_never_replaces_data(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [ckan(server)])
    server.routes["/api/3/action/datastore_search"] = Reply.fixture("ckan-datastore-kosong.json")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "sumber tidak mengembalikan satu baris pun" in err
    assert "Berkas lama data/scrape/pengunjung-mpp.csv tetap dipakai" in err
    assert snapshot(data) == before


def test_a_redirect_loop_is_stopped_and_explained(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(302, headers={"Location": "/putar"})
    server.routes["/putar"] = Reply(302, headers={"Location": "/unduh/layanan-keliling.csv"})
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "terlalu banyak pengalihan (redirect)" in err and "berputar-putar" in err
    assert len(server.log) < 40  # pengalihan_maksimum, not forever
    assert snapshot(data) == before


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "no-length"])
def test_a_response_far_larger_than_allowed_is_cut_off(server, tmp_path, capsys, declared):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)], ukuran_maksimum_mb=1)
    body = b"tanggal,kelurahan,layanan,lokasi\r\n" + b"2026-12-02,A,B,C\r\n" * 200_000
    server.routes["/unduh/layanan-keliling.csv"] = Reply(body=body, content_length=declared)
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "lebih besar dari batas 1 MB (ukuran_maksimum_mb)" in err
    assert snapshot(data) == before


def test_robots_txt_disallowing_the_path_is_obeyed(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /unduh/\n")
    requests_before = len(server.requests_to("/unduh/layanan-keliling.csv"))
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "robots.txt di 127.0.0.1" in err and "melarang pengambilan otomatis dari " \
           "/unduh/layanan-keliling.csv" in err
    assert len(server.requests_to("/unduh/layanan-keliling.csv")) == requests_before
    assert snapshot(data) == before


def test_not_modified_costs_one_request_and_leaves_the_file_untouched(server, tmp_path, capsys):
    data = tmp_path / "data"
    source = remote_csv(server)
    server.routes["/unduh/layanan-keliling.csv"] = with_etag(
        server.routes["/unduh/layanan-keliling.csv"], '"abc"', "Mon, 02 Nov 2026 03:00:00 GMT")
    before = prepare(capsys, data, [source])
    server.log.clear()
    code, out, _ = run_cli(capsys, data)
    assert code == 0
    assert "layanan-keliling: tidak berubah — server menjawab 304 Not Modified" in out
    assert "0 diperbarui, 1 tidak berubah, 0 gagal" in out
    data_requests = server.requests_to("/unduh/layanan-keliling.csv")
    assert len(data_requests) == 1
    assert data_requests[0].headers["if-none-match"] == '"abc"'
    assert data_requests[0].headers["if-modified-since"] == "Mon, 02 Nov 2026 03:00:00 GMT"
    after = snapshot(data)
    for name in ("scrape/layanan-keliling.csv", "scrape/layanan-keliling.schema.json"):
        assert after[name] == before[name]
    import json
    stored = json.loads(after["scrape/layanan-keliling.sumber.json"])
    previous = json.loads(before["scrape/layanan-keliling.sumber.json"])
    assert stored["http_status"] == 304
    assert stored["changed_at"] == previous["changed_at"]
    assert stored["sha256"] == previous["sha256"] and stored["etag"] == '"abc"'


def test_a_file_shrinking_by_more_than_the_allowed_share_is_refused(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-02,Sukamaju,KTP-el,Balai\r\n")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "jumlah baris turun dari 3 menjadi 1 (berkurang 67%, lebih dari batas " \
           "susut_maksimum 50%)" in err
    assert snapshot(data) == before


def test_a_larger_allowed_shrink_for_one_source_lets_the_smaller_file_through(server, tmp_path,
                                                                              capsys):
    data = tmp_path / "data"
    prepare(capsys, data, [{**remote_csv(server), "susut_maksimum": 0.9}])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-02,Sukamaju,KTP-el,Balai\r\n")
    code, _, _ = run_cli(capsys, data)
    assert code == 0
    assert len(read_rows(data / "scrape/layanan-keliling.csv")) == 2


def test_rows_failing_the_schema_are_listed_and_nothing_is_replaced(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-02,A,B,C\r\n02/12/2026,A,B,C\r\n"
             b"2026-12-03,A,B,C\r\n")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "hasil tidak sesuai skemanya (1 masalah)" in err
    assert "data/scrape/layanan-keliling.csv (hasil baru):3: kolom \"tanggal\": \"02/12/2026\" " \
           "bukan tanggal yang sah" in err
    assert snapshot(data) == before


def test_an_unknown_column_from_the_source_fails_the_schema(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,desa,layanan,lokasi\r\n2026-12-02,A,B,C\r\n2026-12-03,A,B,C\r\n"
             b"2026-12-04,A,B,C\r\n")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "kolom \"desa\": kolom tidak dikenal" in err
    assert snapshot(data) == before


def test_an_unreachable_host_is_reported_and_other_sources_still_run(server, tmp_path, capsys):
    data = tmp_path / "data"
    dead = {**remote_csv(server), "nama": "sumber-mati",
            "url": "http://127.0.0.1:9/tidak-ada.csv"}
    write_config(data, [dead, html_table(server)], percobaan=2)
    code, out, err = run_cli(capsys, data)
    assert code == 1
    assert "sumber-mati: GAGAL" in err
    assert "tidak dapat tersambung ke 127.0.0.1:9 (alamat tidak dikenal, server mati, atau " \
           "jaringan terputus) (sudah dicoba 2 kali)" in err
    assert "Belum ada berkas lama; tidak ada yang ditulis." in err
    assert "standar-dpmptsp: diperbarui, 3 baris" in out
    assert "2 sumber diperiksa — 1 diperbarui, 0 tidak berubah, 1 gagal; 3 baris baru ditulis" \
        in out
    assert "Sumber yang gagal: sumber-mati." in out
    assert not (data / "scrape/sumber-mati.csv").exists()


def test_rows_that_trip_the_personal_data_guard_are_not_published(server, tmp_path, capsys,
                                                                   monkeypatch):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    seen = []

    def guard(frame, schema, display):
        seen.append(display)
        return [Problem(display, 3, "lokasi", "3171xxxxxxxxxxxx",
                        "tampak seperti NIK (16 angka); data pribadi tidak boleh diterbitkan")]

    monkeypatch.setattr(runner, "scan_frame", guard)
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-02,A,B,C\r\n"
             b"2026-12-03,A,B,3171012345670001\r\n2026-12-04,A,B,C\r\n")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "hasil tampak memuat data pribadi" in err and "tampak seperti NIK" in err
    assert seen == ["data/scrape/layanan-keliling.csv (hasil baru)"]
    assert snapshot(data) == before


def test_a_scraped_nik_is_caught_by_the_real_personal_data_guard(server, tmp_path, capsys):
    pytest.importorskip("etalase.privacy")
    assert runner.scan_frame is not None  # the runner really uses the guard
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-02,A,B,Balai\r\n"
             b"2026-12-03,A,B,Rumah pemohon NIK 3171015708450001\r\n2026-12-04,A,B,Balai\r\n")
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "hasil tampak memuat data pribadi" in err
    assert 'data/scrape/layanan-keliling.csv (hasil baru):3: kolom "lokasi"' in err
    assert "NIK" in err
    assert "3171015708450001" not in err  # the message never repeats the number itself
    assert snapshot(data) == before


def test_an_answer_of_an_unexpected_shape_fails_that_source_without_a_traceback(
        server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [worldbank(server)])
    server.routes["/v2/country/IDN/indicator/GE.EST"] = Reply(
        body=b'[{"page": 1, "pages": 1}, ["bukan objek"]]')
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "jawaban sumber berbentuk lain dari yang diharapkan jenis \"worldbank\"" in err
    assert "Traceback" not in err
    assert snapshot(data) == before


def test_a_full_disk_while_writing_keeps_the_previous_file_and_says_so(server, tmp_path, capsys,
                                                                       monkeypatch):
    from etalase.scrape import provenance

    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kelurahan,layanan,lokasi\r\n2026-12-11,A,B,C\r\n2026-12-12,A,B,C\r\n")

    def full_disk(*args):
        raise OSError(28, "No space left on device", str(args[1]))

    monkeypatch.setattr(provenance.os, "replace", full_disk)
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "berkas hasil tidak dapat ditulis (No space left on device" in err
    assert snapshot(data) == before  # and no temporary file is left behind


def test_a_web_page_served_instead_of_the_file_is_recognised(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"<!DOCTYPE html><html><body><form>Silakan masuk</form></body></html>",
        headers={"Content-Type": "text/html"})
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "mengembalikan halaman web (HTML), bukan berkas CSV atau XLSX" in err
    assert snapshot(data) == before


@pytest.mark.parametrize("body, content_type, expected", [
    # an error page opening with a comment or an XML declaration is still a web page
    (b"<!-- generated by portal -->\n<!DOCTYPE html><html><body>Galat</body></html>",
     "text/html", "mengembalikan halaman web (HTML), bukan berkas CSV atau XLSX"),
    (b'<?xml version="1.0"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body>x</body></html>',
     "application/xhtml+xml", "mengembalikan halaman web (HTML)"),
    (b"<div>Maaf, berkas tidak ditemukan</div>", "text/html; charset=utf-8",
     "mengembalikan halaman web (HTML)"),
    # an API's answer where the file was expected
    (b'{"error": "not found"}', "application/json", "mengembalikan data JSON, bukan berkas CSV"),
])
def test_what_is_served_instead_of_the_file_is_named(server, tmp_path, capsys, body,
                                                     content_type, expected):
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)])
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=body, headers={"Content-Type": content_type})
    code, _, err = run_cli(capsys, data)
    assert code == 1 and expected in err, err
    assert snapshot(data) == before


def test_a_csv_a_careless_server_labels_as_html_is_still_read(server, tmp_path, capsys):
    from scrape_helpers import FIXTURES

    data = tmp_path / "data"
    source = remote_csv(server)
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=(FIXTURES / "layanan-keliling.csv").read_bytes(),
        headers={"Content-Type": "text/html"})
    write_config(data, [source])
    code, _, err = run_cli(capsys, data)
    assert code == 0, err


def test_ckan_says_which_setting_it_did_not_find(server, tmp_path, capsys):
    # CKAN's 409 "Validation Error" names the field it refused: without it, staff cannot tell
    # whether the dataset or the resource is wrong.
    import json

    data = tmp_path / "data"
    source = ckan(server)
    server.routes["/api/3/action/datastore_search"] = Reply(409, json.dumps({
        "success": False, "error": {"__type": "Validation Error",
                                    "resource_id": ["Not found: Resource"]}}).encode(),
        headers={"Content-Type": "application/json"})
    write_config(data, [source])
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "API CKAN menolak datastore_search (HTTP 409): Validation Error; resource_id: " \
           "Not found: Resource" in err


def test_a_server_error_names_the_address_that_failed(server, tmp_path, capsys):
    data = tmp_path / "data"
    source = worldbank(server)
    server.routes["/v2/country/IDN/indicator/GE.PER.RNK"] = Reply(500, b"oops")
    write_config(data, [source], percobaan=1)
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "server menjawab HTTP 500 (kesalahan di server sumber) untuk " \
           f"{server.url}/v2/country/IDN/indicator/GE.PER.RNK" in err


def _ckan_pages(rewrite) -> dict:
    """The recorded CKAN datastore pages, each changed by `rewrite(result)`."""
    import json

    from scrape_helpers import FIXTURES

    pages = {}
    for offset, name in (("0", "ckan-datastore-1.json"), ("2", "ckan-datastore-2.json"),
                         ("4", "ckan-datastore-3.json")):
        body = json.loads((FIXTURES / name).read_text())
        rewrite(body["result"])
        pages[offset] = Reply(body=json.dumps(body).encode(),
                              headers={"Content-Type": "application/json"})
    return pages


def _rename_visitors(result):
    """The portal renamed `jumlah_pengunjung` to `jumlah` (`_ckan_pages`)."""
    for f in result["fields"]:
        if f["id"] == "jumlah_pengunjung":
            f["id"] = "jumlah"
    for r in result["records"]:
        r["jumlah"] = r.pop("jumlah_pengunjung")


def _served(server, pages):
    server.routes["/api/3/action/datastore_search"] = \
        lambda request: pages[request.query["offset"][0]]


def test_a_column_renamed_upstream_is_refused_when_sumber_toml_names_no_schema(
        server, tmp_path, capsys):
    # Journalists' scripts read `jumlah_pengunjung`: it must not turn into `jumlah` silently.
    data = tmp_path / "data"
    before = prepare(capsys, data, [ckan(server)])

    _served(server, _ckan_pages(_rename_visitors))
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "pengunjung-mpp: GAGAL — kolom dari sumber berubah: dulu bulan (string), loket " \
           "(string), jumlah_pengunjung (integer); sekarang bulan (string), loket (string), " \
           "jumlah (integer)" in err
    assert snapshot(data) == before


def test_a_number_column_turned_to_text_upstream_is_refused(server, tmp_path, capsys):
    data = tmp_path / "data"
    before = prepare(capsys, data, [ckan(server)])

    def to_text(result):
        for f in result["fields"]:
            if f["id"] == "jumlah_pengunjung":
                f["type"] = "text"
        result["records"][0]["jumlah_pengunjung"] = "n/a"

    _served(server, _ckan_pages(to_text))
    code, _, err = run_cli(capsys, data)
    assert code == 1 and "jumlah_pengunjung (integer); sekarang" in err
    assert "jumlah_pengunjung (string)" in err
    assert snapshot(data) == before


def test_a_control_character_in_a_cell_is_refused_before_it_replaces_the_file(
        server, tmp_path, capsys):
    # `make validate` refuses it; the scraper must not publish what validate then refuses.
    data = tmp_path / "data"
    before = prepare(capsys, data, [ckan(server)])

    def vertical_tab(result):
        if result["records"]:
            result["records"][0]["loket"] += "\u000b"

    _served(server, _ckan_pages(vertical_tab))
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert "hasil tidak dapat dibaca seperti data lain" in err and "\u240b" in err
    assert snapshot(data) == before


def test_a_changed_sumber_toml_is_fetched_again_even_when_the_server_says_not_modified(
        server, tmp_path, capsys):
    # Staff renamed a column in the source's schema: a 304 would have kept the old file
    # beside the new schema, which `make validate` then refused.
    data = tmp_path / "data"
    source = remote_csv(server)
    server.routes["/unduh/layanan-keliling.csv"] = with_etag(
        server.routes["/unduh/layanan-keliling.csv"], '"abc"')
    prepare(capsys, data, [source])
    renamed = {**source, "skema": {"fields": [
        {**f, "name": "tempat"} if f["name"] == "lokasi" else f
        for f in source["skema"]["fields"]]},
        "kolom": {"tanggal": "tanggal", "kelurahan": "kelurahan", "layanan": "layanan",
                  "lokasi": "tempat"}}
    write_config(data, [renamed])
    code, out, err = run_cli(capsys, data)
    assert code == 0, err
    assert "layanan-keliling: diperbarui" in out
    assert read_rows(data / "scrape/layanan-keliling.csv")[0] == [
        "tanggal", "kelurahan", "layanan", "tempat"]
    server.log.clear()
    code, out, _ = run_cli(capsys, data)  # unchanged since: one light request again
    assert "tidak berubah — server menjawab 304" in out


def test_a_first_page_unchanged_does_not_hide_a_changed_world_bank_indicator(
        server, tmp_path, capsys):
    data = tmp_path / "data"
    source = worldbank(server)
    server.routes["/v2/country/IDN/indicator/GE.EST"] = with_etag(
        Reply.fixture("wb-ge-est-1.json"), '"e1"')  # one page: per_halaman large
    prepare(capsys, data, [{**source, "per_halaman": 1000}])
    import json

    from scrape_helpers import FIXTURES

    rank = json.loads((FIXTURES / "wb-ge-per-rnk-1.json").read_text())
    rank[1][0]["value"] = 71
    server.routes["/v2/country/IDN/indicator/GE.PER.RNK"] = Reply(
        body=json.dumps(rank).encode(), headers={"Content-Type": "application/json"})
    code, out, err = run_cli(capsys, data)
    assert code == 0, err
    assert "wb-efektivitas-pemerintah: diperbarui" in out
    assert "71" in (data / "scrape/wb-efektivitas-pemerintah.csv").read_text()


def test_a_server_that_trickles_its_answer_is_given_up_on_not_waited_for_for_days(
        server, tmp_path, capsys):
    # One byte every 0.2 s never trips the 0.5 s read timeout; the whole answer may take at
    # most ten read timeouts (5 s here).
    data = tmp_path / "data"
    before = prepare(capsys, data, [remote_csv(server)], percobaan=1)
    body = (b"tanggal,kelurahan,layanan,lokasi\r\n" + b"2026-12-11,Sukamaju,KTP-el,Balai\r\n" * 3)
    server.routes["/unduh/layanan-keliling.csv"] = Reply(body=body, trickle=0.2)
    started = time.monotonic()
    code, _, err = run_cli(capsys, data)
    assert code == 1
    assert time.monotonic() - started < 15
    assert "datang terlalu lambat: belum lengkap setelah 5 detik" in err
    assert snapshot(data) == before


def test_a_compressed_answer_is_read_whole(server, tmp_path, capsys):
    import gzip

    from scrape_helpers import FIXTURES

    data = tmp_path / "data"
    source = remote_csv(server)
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=gzip.compress((FIXTURES / "layanan-keliling.csv").read_bytes()),
        headers={"Content-Type": "text/csv", "Content-Encoding": "gzip"})
    write_config(data, [source])
    code, out, err = run_cli(capsys, data)
    assert code == 0, err
    assert read_rows(data / "scrape/layanan-keliling.csv")[1][1] == "Sukamaju"


def test_an_answer_cut_in_the_middle_is_retried_and_the_other_sources_still_run(
        server, tmp_path, capsys):
    # The server promised 500 bytes and closed after 11: a fault like any other, not a
    # traceback that stops the whole run.
    data = tmp_path / "data"
    cut = remote_csv(server)
    server.routes["/unduh/layanan-keliling.csv"] = Reply(
        body=b"tanggal,kel", headers={"Content-Type": "text/csv", "Content-Length": "500"},
        content_length=False)
    write_config(data, [cut, ckan(server)], percobaan=2)
    code, out, err = run_cli(capsys, data)
    assert code == 1
    assert "Traceback" not in out + err
    assert "jawaban dari 127.0.0.1" in err and "terputus di tengah jalan" in err
    assert "(sudah dicoba 2 kali)" in err
    assert len(server.requests_to("/unduh/layanan-keliling.csv")) == 2
    assert "pengunjung-mpp: diperbarui" in out


def test_a_new_title_in_sumber_toml_still_holds_the_source_to_its_columns(
        server, tmp_path, capsys):
    # Only the keys that shape the rows count as a new setup: a title or a note edited the
    # same day as an upstream rename must not let the rename through.
    data = tmp_path / "data"
    source = ckan(server)
    before = prepare(capsys, data, [source])

    _served(server, _ckan_pages(_rename_visitors))
    write_config(data, [{**source, "judul": "Pengunjung MPP", "catatan": "Diperiksa ulang."}])
    code, _, err = run_cli(capsys, data)
    assert code == 1 and "kolom dari sumber berubah" in err
    assert snapshot(data)["scrape/pengunjung-mpp.csv"] == before["scrape/pengunjung-mpp.csv"]
