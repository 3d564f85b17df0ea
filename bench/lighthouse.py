"""Lighthouse scores and page weights of the heaviest page of every page type of the example site.

Usage: make bench-lighthouse
   or: CHROME_PATH=/usr/bin/chromium .venv/bin/python bench/lighthouse.py [--only KIND ...]

Builds the example site with the publishing extras (`.gz` copies), serves it on 127.0.0.1 the
way a static host with precompressed files does (gzip when the browser accepts it), and runs
Lighthouse (bench/node_modules, `make bench-lighthouse` installs it) with its default mobile
settings — a mid-range phone on a slow 4G connection, simulated — in Debian's chromium. Prints
the four category scores, the number of requests, the bytes transferred and any request to
another host, per page type. Nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import json
import mimetypes
import os
import re
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))

from etalase.build import build  # noqa: E402

LIGHTHOUSE = ROOT / "bench" / "node_modules" / ".bin" / "lighthouse"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-background-networking "
                "--disable-component-update")
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
_BODY_CLASS = re.compile(r'<body class="([^"]*)"')


class PrecompressedHandler(http.server.SimpleHTTPRequestHandler):
    """Serve `x.gz` for `x` when the client accepts gzip, like nginx `gzip_static on`."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        packed = path.with_name(path.name + ".gz")
        if "gzip" in self.headers.get("Accept-Encoding", "") and packed.is_file():
            body = packed.open("rb")
            self.send_response(200)
            self.send_header("Content-Type", mimetypes.guess_type(path.name)[0]
                             or "application/octet-stream")
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Vary", "Accept-Encoding")
            self.send_header("Content-Length", str(packed.stat().st_size))
            self.end_headers()
            return body
        return super().send_head()

    def log_message(self, *args):
        pass


def page_types(site: Path) -> dict[str, str]:
    """{body class: URL path of the heaviest page with it} over the built site (worst case)."""
    found: dict[str, tuple[int, str]] = {}
    for path in sorted(site.rglob("*.html")):
        rel = path.relative_to(site)
        if rel.parts[0] in ("pagefind", "theme"):
            continue
        match = _BODY_CLASS.search(path.read_text(encoding="utf-8"))
        kind = match.group(1) if match else "?"
        url = "/" + rel.as_posix().removesuffix("index.html")
        size = path.stat().st_size
        if kind not in found or size > found[kind][0]:
            found[kind] = (size, url)
    return {kind: url for kind, (_, url) in found.items()}


def run_lighthouse(url: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    result = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--output-path=stdout", "--quiet",
         "--form-factor=mobile", f"--chrome-flags={CHROME_FLAGS}",
         "--only-categories=" + ",".join(CATEGORIES)],
        capture_output=True, text=True, env=env, timeout=300)
    if result.returncode != 0:
        raise SystemExit(f"lighthouse gagal untuk {url}:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout)


def summarise(report: dict) -> dict:
    scores = {c: round(100 * (report["categories"][c]["score"] or 0)) for c in CATEGORIES}
    requests = report["audits"]["network-requests"]["details"]["items"]
    hosts = {urlsplit(r["url"]).hostname for r in requests if r["url"].startswith("http")}
    failed = [a["title"] for c in CATEGORIES for ref in report["categories"][c]["auditRefs"]
              if ref["weight"] and (a := report["audits"][ref["id"]])["score"] is not None
              and a["score"] < 0.9]
    return {
        **scores,
        "requests": len(requests),
        "transferred": sum(r.get("transferSize", 0) for r in requests),
        "resources": sum(r.get("resourceSize", 0) for r in requests),
        "foreign": sorted(h for h in hosts if h != "127.0.0.1"),
        "lcp_ms": round(report["audits"]["largest-contentful-paint"]["numericValue"]),
        "below_90": failed,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", metavar="JENIS", help="hanya jenis halaman ini")
    parser.add_argument("--json", metavar="BERKAS", help="simpan juga angka-angkanya sebagai JSON")
    args = parser.parse_args()
    if not LIGHTHOUSE.exists():
        raise SystemExit("Lighthouse belum terpasang: jalankan `make bench-lighthouse`.")
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        site = build(ROOT / "pelicanconf.py", Path(tmp) / "output", compress=True)
        handler = functools.partial(PrecompressedHandler, directory=str(site))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_address[1]}"
        kinds = page_types(site)
        # The search page once more with a query: the index and result fragments load too.
        kinds["cari ?q=akta"] = "/cari/?q=akta"
        if args.only:
            kinds = {k: v for k, v in kinds.items() if k in args.only}
        print(f"{'jenis halaman':24} {'perf':>4} {'a11y':>4} {'bp':>4} {'seo':>4} "
              f"{'req':>4} {'kirim KB':>8} {'isi KB':>7} {'LCP ms':>7}  halaman")
        rows = {}
        try:
            for kind, path in kinds.items():
                row = summarise(run_lighthouse(base + path))
                rows[kind] = {"path": path, **row}
                print(f"{kind:24} {row['performance']:>4} {row['accessibility']:>4} "
                      f"{row['best-practices']:>4} {row['seo']:>4} {row['requests']:>4} "
                      f"{row['transferred'] / 1000:>8.1f} {row['resources'] / 1000:>7.1f} "
                      f"{row['lcp_ms']:>7}  {path}", flush=True)
                if row["foreign"]:
                    print(f"  PERMINTAAN KE HOST LAIN: {', '.join(row['foreign'])}")
                if row["below_90"]:
                    print(f"  di bawah 90: {'; '.join(row['below_90'])}")
        finally:
            server.shutdown()
            server.server_close()
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n",
                                   encoding="utf-8")


if __name__ == "__main__":
    main()
