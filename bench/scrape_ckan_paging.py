"""Time a CKAN DataStore scrape of many rows from a local server and print its figures.

Usage: .venv/bin/python bench/scrape_ckan_paging.py [--rows N] [--page N]
Serves a generated DataStore resource on 127.0.0.1 (no internet), runs the real runner with
no per-host pause, and prints requests, wall time, rows per second and peak memory. A second
run shows the cost of an unchanged source ("isinya sama": every page fetched and compared).
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "pelican_plugins"), str(ROOT / "tests")]

from scrape_helpers import Reply, ScriptedServer, write_config  # noqa: E402

from etalase.scrape import runner  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--page", type=int, default=1000)
    args = parser.parse_args()
    fields = [{"id": "_id", "type": "int"}, {"id": "bulan", "type": "text"},
              {"id": "loket", "type": "text"}, {"id": "jumlah_pengunjung", "type": "int4"}]

    def datastore(request):
        offset = int(request.query["offset"][0])
        limit = int(request.query["limit"][0])
        records = [{"_id": i + 1, "bulan": f"20{10 + i % 16}-{1 + i % 12:02d}",
                    "loket": f"loket-{i % 40}", "jumlah_pengunjung": i % 997}
                   for i in range(offset, min(offset + limit, args.rows))]
        body = {"success": True, "result": {"fields": fields, "records": records,
                                            "total": args.rows}}
        return Reply(body=json.dumps(body).encode())

    with ScriptedServer() as server, tempfile.TemporaryDirectory() as tmp:
        server.routes["/api/3/action/package_show"] = Reply(
            body=b'{"success": true, "result": {"title": "bench"}}')
        server.routes["/api/3/action/datastore_search"] = datastore
        data = Path(tmp) / "data"
        write_config(data, [{"nama": "bench", "jenis": "ckan", "url": server.url,
                             "dataset": "bench", "resource": "r", "per_halaman": args.page}],
                     jeda_per_host=0, batas_waktu_baca=30)
        for label in ("pertama (ditulis)", "kedua (tidak berubah)"):
            server.log.clear()
            started = time.perf_counter()
            (outcome,) = runner.run(data, out=io.StringIO(), err=io.StringIO())
            elapsed = time.perf_counter() - started
            print(f"{label}: {outcome.status}, {outcome.rows} baris, {len(server.log)} "
                  f"permintaan, {elapsed:.2f} s, {outcome.rows / elapsed:,.0f} baris/s")
        size = (data / "scrape/bench.csv").stat().st_size
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"CSV {size / 1e6:.1f} MB; memori puncak proses {peak:.0f} MB")


if __name__ == "__main__":
    main()
