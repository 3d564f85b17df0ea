"""`etalase` speaks Indonesian to staff and never answers with a traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from factories import service, write_site_data

ROOT = Path(__file__).resolve().parent.parent


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT / "pelican_plugins"))
    return subprocess.run([sys.executable, "-m", "etalase.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_help_is_in_indonesian():
    result = run("--help")
    assert result.returncode == 0
    assert "cara pakai: etalase" in result.stdout
    assert "periksa semua data sumber tanpa membangun situs" in result.stdout
    assert "validate" in result.stdout and "build" in result.stdout
    sub = run("validate", "--help")
    assert "melaporkan setiap kesalahan sekaligus" in " ".join(sub.stdout.split())


def test_validate_accepts_good_sources(tmp_path):
    data = write_site_data(tmp_path / "data")
    result = run("validate", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Semua data sumber sah: 1 penyelenggara, 2 layanan" in result.stdout


def test_validate_lists_every_error_and_each_incomplete_service_without_a_traceback(tmp_path):
    data = write_site_data(tmp_path / "data", services=[
        service(kode="satu", biaya_rupiah="Rp 50.000"),
        service(kode="dua", persyaratan="", produk=""),
    ])
    result = run("validate", "--data", str(data), cwd=tmp_path)
    assert result.returncode == 1
    err = result.stderr
    assert "Traceback" not in err
    assert "Ditemukan 3 kesalahan" in err
    assert 'data/standar-pelayanan.csv:2: kolom "biaya_rupiah": "Rp 50.000" bukan bilangan bulat' in err
    assert "data/standar-pelayanan.csv baris 3: Persyaratan, Produk pelayanan" in err


def test_build_failure_says_the_old_site_stays(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(penyelenggara="tidak-ada")])
    result = run("build", "--data", str(data), "--output", str(tmp_path / "out"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "Situs TIDAK dibangun" in result.stderr
    assert '"penyelenggara": "tidak-ada" tidak ada di ' in result.stderr
    assert "data/penyelenggara.csv; isi dengan kode penyelenggara" in result.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_command_is_explained_in_indonesian():
    result = run("terbitkan")
    assert result.returncode == 2
    assert "pilihan tidak dikenal: 'terbitkan'" in result.stderr


def test_while_the_last_save_failed_every_previewed_page_says_why_at_its_top(tmp_path):
    # Staff look at the browser, not the terminal: the old page alone would look as if the
    # save had not been noticed.
    import functools
    import http.server
    import threading
    import urllib.error
    import urllib.request

    from etalase import devserver

    out = tmp_path / "out"
    (out / "layanan").mkdir(parents=True)
    page = '<!doctype html><html lang="id"><body class="x"><main>Isi</main></body></html>'
    (out / "layanan" / "index.html").write_text(page, encoding="utf-8")
    (out / "gaya.css").write_text("main{}", encoding="utf-8")
    bad = write_site_data(tmp_path / "data", services=[service(biaya_rupiah="Rp 50.000")])
    assert devserver._rebuild(ROOT / "pelicanconf.py", tmp_path / "site",
                              {"ETALASE_DATA_PATH": str(bad)}) is False
    report = devserver.failed["report"]
    assert '"biaya_rupiah": "Rp 50.000" bukan bilangan bulat' in report
    handler = functools.partial(devserver._Handler, directory=str(out))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def fetch(path):
        url = f"http://127.0.0.1:{server.server_address[1]}{path}"
        with urllib.request.urlopen(url, timeout=5) as resp:
            return resp.read().decode("utf-8"), resp.headers

    try:
        shown, headers = fetch("/layanan/")
        assert shown.startswith('<!doctype html><html lang="id"><body class="x"><div role="alert"')
        assert "Perubahan terakhir belum tampil." in shown
        assert "&quot;biaya_rupiah&quot;: &quot;Rp 50.000&quot; bukan bilangan bulat" in shown
        assert shown.endswith("<main>Isi</main></body></html>")
        assert headers["Cache-Control"] == "no-store"
        assert fetch("/gaya.css")[0] == "main{}"  # only pages carry the notice
        assert "role=\"alert\"" in fetch("/layanan")[0]  # redirected to /layanan/
        try:  # a page not built yet (the first build failed): the notice, in Indonesian
            fetch("/belum-ada/")
            raise AssertionError("served a page that does not exist")
        except urllib.error.HTTPError as missing:
            shown = missing.read().decode("utf-8")
            assert missing.code == 404 and "Perubahan terakhir belum tampil." in shown
        good = write_site_data(tmp_path / "baik")  # the next save builds
        assert devserver._rebuild(ROOT / "pelicanconf.py", tmp_path / "site",
                                  {"ETALASE_DATA_PATH": str(good)}) is True
        assert devserver.failed["report"] is None
        assert fetch("/layanan/index.html")[0] == page
    finally:
        devserver.failed["report"] = None
        server.shutdown()


def test_devserver_serves_the_site_and_rebuilds_when_a_source_changes(tmp_path):
    import socket
    import threading
    import time
    import urllib.request

    data = write_site_data(tmp_path / "data")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, PYTHONPATH=str(ROOT / "pelican_plugins"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "etalase.cli", "devserver", "--port", str(port), "--data",
         str(data), "--output", str(tmp_path / "out")],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    said: list[str] = []  # what the devserver prints, read as it comes
    threading.Thread(target=lambda: said.extend(proc.stdout), daemon=True).start()

    def fetch(path):
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as resp:
            return resp.read().decode("utf-8")

    def wait_for(predicate, seconds=240):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                if predicate():
                    return True
            except OSError:
                pass
            time.sleep(0.3)
        return False

    try:
        assert wait_for(lambda: "Penerbitan KTP-el" in fetch("/layanan/ktp-el/"))
        assert wait_for(lambda: fetch("/pagefind/pagefind-entry.json"))  # search follows
        def index():  # the kept index and the second one of the pages changed since
            return fetch("/pagefind/pagefind-entry.json") + fetch("/pagefind/tambahan.json")

        entry = index()
        # Staff save a new service table. A spreadsheet writes it to a hidden file first and
        # renames it into place; other files arrive in several writes. No build starts
        # before everything is complete, so there is exactly one more build.
        new = write_site_data(tmp_path / "baru", services=[
            service(kode="ktp-el", nama="KTP-el Diperbarui")])
        table = "standar-pelayanan.csv"
        hidden = data / f".~{table}.tmp"
        content = (new / table).read_bytes()
        with open(hidden, "wb") as fh:
            fh.write(content[: len(content) // 2])
            fh.flush()
            time.sleep(1.0)  # longer than the quiet time a build waits for
            fh.write(content[len(content) // 2:])
        for source in sorted(new.rglob("*.csv")):
            if source.name == table:
                continue
            content = source.read_bytes()
            with open(data / source.relative_to(new), "wb") as fh:
                fh.write(content[: len(content) // 2])
                fh.flush()
                time.sleep(0.25)
                fh.write(content[len(content) // 2:])
        os.replace(hidden, data / table)
        assert wait_for(lambda: "KTP-el Diperbarui" in fetch("/layanan/ktp-el/"))
        # The pages are served first; the search index is made again after them.
        assert wait_for(lambda: index() != entry)
        assert wait_for(lambda: "".join(said).count("Indeks pencarian diperbarui.") >= 2)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    output = "".join(said)
    assert "Situs lama tetap disajikan" not in output, output  # never built from a half file
    assert output.count("Situs dibangun ulang") == 2, output
