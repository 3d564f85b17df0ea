"""A scripted HTTP server on 127.0.0.1 for the scraper tests, and a sumber.toml writer.

Routes map a path to a `Reply`, a list of replies (served in turn; the last one repeats) or a
function of the request. Every request is logged with its headers, so tests can count requests
and check what the scraper sent.
"""

from __future__ import annotations

import http.server
import json
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "scrape"


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict = field(default_factory=dict)
    delay: float = 0.0  # seconds of silence before the status line
    content_length: bool = True  # False: close-delimited body without Content-Length
    trickle: float = 0.0  # seconds between the body's bytes (a server that never finishes)

    @classmethod
    def fixture(cls, name: str, **kwargs) -> "Reply":
        kind = {"json": "application/json", "html": "text/html; charset=utf-8",
                "csv": "text/csv; charset=utf-8", "txt": "text/plain"}[name.rsplit(".", 1)[1]]
        headers = {"Content-Type": kind, **kwargs.pop("headers", {})}
        return cls(body=(FIXTURES / name).read_bytes(), headers=headers, **kwargs)


@dataclass
class Request:
    path: str
    query: dict
    headers: dict


def by_query(param: str, replies: dict) -> callable:
    """A route answering by the value of one query parameter (e.g. page=1, page=2)."""
    def route(request: Request) -> Reply:
        return replies[request.query.get(param, [""])[0]]
    return route


def with_etag(reply: Reply, etag: str, last_modified: str | None = None) -> callable:
    """A route that honours If-None-Match like a well-behaved server."""
    def route(request: Request) -> Reply:
        if request.headers.get("if-none-match") == etag:
            return Reply(304, headers={"ETag": etag})
        headers = {**reply.headers, "ETag": etag}
        if last_modified:
            headers["Last-Modified"] = last_modified
        return Reply(reply.status, reply.body, headers)
    return route


class ScriptedServer:
    def __init__(self):
        self.routes: dict = {}
        self.log: list[Request] = []
        self._served: dict[str, int] = {}
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                parts = urlsplit(self.path)
                request = Request(parts.path, parse_qs(parts.query),
                                  {k.lower(): v for k, v in self.headers.items()})
                server.log.append(request)
                reply = server._reply(request)
                try:
                    if reply.delay:
                        time.sleep(reply.delay)
                    self.send_response(reply.status)
                    for key, value in reply.headers.items():
                        self.send_header(key, value)
                    if reply.content_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    else:
                        self.send_header("Connection", "close")
                    self.end_headers()
                    if reply.trickle:
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.trickle)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the scraper gave up on us, as it should

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.05}, daemon=True)

    def _reply(self, request: Request) -> Reply:
        route = self.routes.get(request.path)
        if route is None:
            return Reply(404, b"tidak ada", {"Content-Type": "text/plain"})
        if callable(route):
            return route(request)
        if isinstance(route, list):
            index = self._served.get(request.path, 0)
            self._served[request.path] = index + 1
            return route[min(index, len(route) - 1)]
        return route

    def requests_to(self, path: str) -> list[Request]:
        return [r for r in self.log if r.path == path]

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {toml_value(v)}"
                                for k, v in value.items()) + " }"
    raise TypeError(value)


FAST = {"kontak": "ppid@tanjungharapankota.example", "jeda_per_host": 0,
        "batas_waktu_sambung": 2, "batas_waktu_baca": 0.5, "percobaan": 3,
        "jeda_awal_ulang": 0.05, "tunggu_maksimum": 5}


def write_config(data_dir: Path, sources: list[dict], **settings) -> Path:
    """Write data_dir/sumber.toml with quick test settings and the given sources."""
    data_dir.mkdir(parents=True, exist_ok=True)
    lines = ["[pengaturan]"]
    lines += [f"{k} = {toml_value(v)}" for k, v in {**FAST, **settings}.items()]
    for source in sources:
        lines += ["", "[[sumber]]"] + [f"{k} = {toml_value(v)}" for k, v in source.items()]
    path = data_dir / "sumber.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` with its bytes, to prove a failed run changed nothing."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


# -- the recorded sources, as a test configures them -------------------------------------

WB_INDICATORS = {"GE.EST": "estimasi", "GE.PER.RNK": "peringkat_persentil"}


def worldbank(server):
    server.routes["/v2/country/IDN/indicator/GE.EST"] = by_query("page", {
        "1": Reply.fixture("wb-ge-est-1.json"), "2": Reply.fixture("wb-ge-est-2.json")})
    server.routes["/v2/country/IDN/indicator/GE.PER.RNK"] = Reply.fixture("wb-ge-per-rnk-1.json")
    return {"nama": "wb-efektivitas-pemerintah", "jenis": "worldbank",
            "judul": "Efektivitas pemerintahan Indonesia", "url": server.url + "/v2",
            "negara": "IDN", "indikator": WB_INDICATORS, "per_halaman": 2}


def ckan(server):
    package = (FIXTURES / "ckan-package_show.json").read_bytes().replace(
        b"__BASE__", server.url.encode())
    server.routes["/api/3/action/package_show"] = Reply(body=package)
    server.routes["/api/3/action/datastore_search"] = by_query("offset", {
        "0": Reply.fixture("ckan-datastore-1.json"), "2": Reply.fixture("ckan-datastore-2.json"),
        "4": Reply.fixture("ckan-datastore-3.json")})
    return {"nama": "pengunjung-mpp", "jenis": "ckan", "url": server.url,
            "dataset": "jumlah-pengunjung-mpp",
            "resource": "5b0c1f3e-7a52-4c1d-9d0e-2f6f0a9d1c11", "per_halaman": 2}


HTML_SCHEMA = {"fields": [
    {"name": "nama", "type": "string", "title": "Nama layanan", "constraints": {"required": True}},
    {"name": "persyaratan", "type": "string", "title": "Persyaratan"},
    {"name": "hari_kerja", "type": "integer", "title": "Jangka waktu (hari kerja)"},
    {"name": "biaya_rupiah", "type": "integer", "title": "Biaya (rupiah)",
     "constraints": {"minimum": 0}},
    {"name": "berlaku_sejak", "type": "date", "title": "Berlaku sejak"},
]}


def html_table(server, page="dpmptsp-standar.html"):
    server.routes["/standar-pelayanan"] = Reply.fixture(page)
    return {"nama": "standar-dpmptsp", "jenis": "tabel-html",
            "url": server.url + "/standar-pelayanan", "pilih": "table#daftar-layanan",
            "kolom": {"Nama Layanan": "nama", "Persyaratan": "persyaratan",
                      "Waktu Penyelesaian": "hari_kerja", "Biaya / Tarif": "biaya_rupiah",
                      "Berlaku Sejak": "berlaku_sejak"},
            "ubah": {"hari_kerja": "bilangan_bulat", "biaya_rupiah": "rupiah",
                     "berlaku_sejak": "tanggal"},
            "skema": HTML_SCHEMA}


VISIT_SCHEMA = {"fields": [
    {"name": "tanggal", "type": "date", "title": "Tanggal", "constraints": {"required": True}},
    {"name": "kelurahan", "type": "string", "title": "Kelurahan"},
    {"name": "layanan", "type": "string", "title": "Layanan"},
    {"name": "lokasi", "type": "string", "title": "Lokasi"},
]}


def remote_csv(server, body=None):
    server.routes["/unduh/layanan-keliling.csv"] = (
        Reply.fixture("layanan-keliling.csv") if body is None
        else Reply(body=body, headers={"Content-Type": "text/csv"}))
    return {"nama": "layanan-keliling", "jenis": "berkas",
            "url": server.url + "/unduh/layanan-keliling.csv", "skema": VISIT_SCHEMA}


def scrape(data_dir: Path, *names: str):
    """Run the scraper like `etalase scrape`, capturing what staff would read."""
    import io

    from etalase.scrape import runner

    out, err = io.StringIO(), io.StringIO()
    outcomes = runner.run(data_dir, list(names), out=out, err=err)
    return outcomes, out.getvalue(), err.getvalue()


def read_rows(path: Path) -> list[list[str]]:
    import csv

    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))
