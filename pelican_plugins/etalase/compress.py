"""Precompressed copies for publishing: `x.html` gets `x.html.gz` beside it.

A web server configured to serve precompressed files (nginx `gzip_static on;`, Caddy
`precompressed gzip`, Apache with MultiViews/rewrite rules) then sends the small file without
compressing on every request. Only `make publish` asks for this (`etalase build --kompres`).

Gzip only: brotli would save a little more, but no maintained brotli package is installed and
gzip at level 9 already brings a service page well under its weight budget. The `.gz` files are
reproducible: no file name and a zero timestamp in the gzip header, so the same site gives the
same bytes.
"""

from __future__ import annotations

import gzip
from pathlib import Path

SUFFIXES = {".html", ".css", ".js", ".mjs", ".json", ".jsonld", ".xml", ".svg", ".csv", ".txt",
            ".ttl", ".atom"}
MIN_BYTES = 256  # below this the gzip header costs more than it saves


def gzip_bytes(data: bytes) -> bytes:
    """Gzip `data` at level 9 with no name and mtime 0, so equal input gives equal output."""
    return gzip.compress(data, compresslevel=9, mtime=0)


def compress_site(site: Path) -> int:
    """Write a `.gz` beside every compressible file of `site` that gets smaller; return count."""
    written = 0
    for path in sorted(Path(site).rglob("*")):
        if not path.is_file() or path.suffix.lower() not in SUFFIXES:
            continue
        data = path.read_bytes()
        if len(data) < MIN_BYTES:
            continue
        packed = gzip_bytes(data)
        if len(packed) < len(data):
            path.with_name(path.name + ".gz").write_bytes(packed)
            written += 1
    return written
