"""The polite session: who we say we are, how often we ask, and what robots.txt allows."""

from __future__ import annotations

import email.utils
import time

import pytest
from scrape_helpers import Reply, ScriptedServer, remote_csv, write_config

from etalase import cli
from etalase.errors import DataError
from etalase.scrape.config import Settings, load_config
from etalase.scrape.http import FetchError, PoliteSession, parse_retry_after


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        srv.routes["/a"] = Reply(body=b"a")
        srv.routes["/b"] = Reply(body=b"b")
        yield srv


def session(**overrides):
    settings = Settings(contact="ppid@tanjungharapankota.example", interval=0, attempts=2,
                        backoff=0.01, connect_timeout=2, read_timeout=2)
    for key, value in overrides.items():
        setattr(settings, key, value)
    return PoliteSession(settings)


def test_every_request_names_etalase_and_a_contact_address(server):
    session().get(server.url + "/a")
    agents = {r.headers["user-agent"] for r in server.log}
    assert agents == {"Etalase/0.1 (+ppid@tanjungharapankota.example)"}
    assert [r.path for r in server.log] == ["/robots.txt", "/a"]  # robots.txt first, once


def test_requests_to_one_host_are_spaced_by_the_configured_interval(server):
    polite = session(interval=0.3)
    started = time.monotonic()
    for path in ("/a", "/b", "/a"):
        polite.get(server.url + path)
    # robots.txt, then three requests: three gaps of at least 0.3 s
    assert time.monotonic() - started >= 0.9


def test_a_crawl_delay_in_robots_txt_slows_us_down_further(server):
    server.routes["/robots.txt"] = Reply(body=b"User-agent: *\nCrawl-delay: 1\n")
    polite = session(interval=0)
    started = time.monotonic()
    polite.get(server.url + "/a")  # robots.txt, then a pause of one second, then /a
    assert time.monotonic() - started >= 1.0


def test_robots_txt_for_another_agent_does_not_block_us(server):
    server.routes["/robots.txt"] = Reply(body=b"User-agent: BadBot\nDisallow: /\n")
    assert session().get(server.url + "/a").content == b"a"


def test_a_forbidden_robots_txt_means_keep_out(server):
    server.routes["/robots.txt"] = Reply(403, b"no")
    with pytest.raises(FetchError, match="robots.txt di .* melarang"):
        session().get(server.url + "/a")


def test_retry_after_as_an_http_date_is_understood():
    now = time.time()
    later = email.utils.formatdate(now + 30, usegmt=True)
    assert 28 <= parse_retry_after(later, now=now) <= 31
    assert parse_retry_after("7") == 7
    assert parse_retry_after("kapan-kapan") is None


def test_a_missing_contact_address_is_refused_before_anything_is_fetched(tmp_path, capsys,
                                                                        server):
    data = tmp_path / "data"
    write_config(data, [remote_csv(server)], kontak="")
    code = cli.main(["scrape", "--data", str(data)])
    err = capsys.readouterr().err
    assert code == 1
    line = (data / "sumber.toml").read_text(encoding="utf-8").splitlines().index("kontak = \"\"")
    assert f"data/sumber.toml:{line + 1}: [pengaturan] kontak: wajib diisi dengan alamat " \
           "e-mail" in err
    assert server.log == []


def test_mistakes_in_sumber_toml_are_all_listed_in_indonesian(tmp_path):
    data = tmp_path / "data"
    write_config(data, [
        {"nama": "Bank Dunia", "jenis": "worldbank"},
        {"nama": "ok-nama", "jenis": "ftp"},
        {"nama": "wb", "jenis": "worldbank", "negara": "IDN"},
        {"nama": "html", "jenis": "tabel-html", "url": "http://x.example/", "pilih": "table",
         "kolom": {"A": "a"}, "ubah": {"a": "romawi"}},
        {"nama": "keluar", "jenis": "berkas", "url": "http://x.example/a.csv",
         "keluaran": "../luar.csv"},
    ], susut_maksimum=2)
    with pytest.raises(DataError) as error:
        load_config(data, "data/sumber.toml")
    report = error.value.report()
    line = (data / "sumber.toml").read_text(encoding="utf-8").splitlines().index(
        'nama = "Bank Dunia"') + 1  # each message names the line of its key
    assert f"data/sumber.toml:{line}: sumber ke-1: nama \"Bank Dunia\" tidak sah: isi \"nama\" " \
           "dengan huruf kecil" in report
    assert "sumber ok-nama: jenis \"ftp\" tidak dikenal; pilih salah satu: berkas, ckan, " \
           "tabel-html, worldbank" in report
    assert "sumber wb: \"indikator\" wajib diisi" in report
    assert "sumber html: \"ubah\" untuk kolom a: \"romawi\" tidak dikenal" in report
    assert "sumber keluar: keluaran \"../luar.csv\" tidak sah: harus berkas .csv di dalam " \
           "folder data/" in report
    assert "[pengaturan] susut_maksimum: \"2.0\" harus antara 0 dan 1" in report
    assert len(error.value.problems) == 6


def test_broken_toml_is_reported_with_its_line(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "sumber.toml").write_text("[pengaturan]\nkontak = ppid@contoh\n")
    with pytest.raises(DataError, match="penulisan TOML salah"):
        load_config(data, "data/sumber.toml")


def test_an_unknown_source_name_on_the_command_line_lists_the_known_ones(tmp_path, capsys,
                                                                         server):
    data = tmp_path / "data"
    write_config(data, [remote_csv(server)])
    code = cli.main(["scrape", "--data", str(data), "tidak-ada"])
    err = capsys.readouterr().err
    assert code == 1
    assert "sumber tidak dikenal: tidak-ada; sumber yang terdaftar: layanan-keliling" in err


def test_daftar_lists_sources_without_fetching_anything(tmp_path, capsys, server):
    data = tmp_path / "data"
    write_config(data, [remote_csv(server)])
    code = cli.main(["scrape", "--data", str(data), "--daftar"])
    out = capsys.readouterr().out
    assert code == 0
    assert "layanan-keliling  [berkas]" in out
    assert "data/scrape/layanan-keliling.csv; terakhir diperiksa: belum pernah" in out
    assert server.log == []


def test_a_redirect_to_another_host_obeys_that_hosts_robots_txt(server):
    with ScriptedServer() as other:
        other.routes["/robots.txt"] = Reply(body=b"User-agent: *\nDisallow: /\n")
        other.routes["/data.csv"] = Reply(body=b"rahasia")
        server.routes["/pindah"] = Reply(301, headers={"Location": other.url + "/data.csv"})
        with pytest.raises(FetchError, match="robots.txt di 127.0.0.1:.* melarang"):
            session().get(server.url + "/pindah")
        assert [r.path for r in other.log] == ["/robots.txt"]


def test_a_relative_redirect_is_followed(server):
    server.routes["/lama"] = Reply(302, headers={"Location": "/a"})
    answer = session().get(server.url + "/lama")
    assert answer.content == b"a" and answer.url == server.url + "/a"


def test_robots_txt_rules_written_for_etalase_by_name_apply(server):
    server.routes["/robots.txt"] = Reply(body=b"User-agent: Etalase\nDisallow: /b\n\n"
                                              b"User-agent: *\nDisallow:\n")
    polite = session()
    assert polite.get(server.url + "/a").content == b"a"
    with pytest.raises(FetchError, match="melarang"):
        polite.get(server.url + "/b")


def test_a_redirected_robots_txt_is_followed(server):
    server.routes["/robots.txt"] = Reply(301, headers={"Location": "/robots-baru.txt"})
    server.routes["/robots-baru.txt"] = Reply(body=b"User-agent: *\nDisallow: /b\n")
    polite = session()
    assert polite.get(server.url + "/a").content == b"a"
    with pytest.raises(FetchError, match="melarang"):
        polite.get(server.url + "/b")


def test_the_scrape_command_explains_itself_in_indonesian(capsys):
    with pytest.raises(SystemExit):
        cli.main(["scrape", "--help"])
    text = capsys.readouterr().out
    assert "cara pakai: etalase scrape" in text
    assert "--daftar" in text and "tampilkan daftar sumber" in text
    assert "data/sumber.toml" in text


def test_a_robots_txt_that_keeps_failing_with_5xx_means_nothing_is_fetched(server):
    server.routes["/robots.txt"] = Reply(503, b"")
    with pytest.raises(FetchError, match="HTTP 503 .* untuk robots.txt; karena aturan situs itu "
                                         "tidak dapat dibaca, tidak ada yang diambil"):
        session().get(server.url + "/a")
    assert not server.requests_to("/a")
