"""A remote CSV or XLSX file, parsed with the same reader as staff files (`reading.py`).

    [[sumber]]
    nama = "jadwal-posyandu"
    jenis = "berkas"
    url = "https://dinkes.contoh.example/jadwal.csv"
    kolom = { "Nama Posyandu" = "nama", "Kelurahan" = "kelurahan" }   # optional renaming

The download is a conditional request: when the server says 304, nothing else is fetched.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ... import reading
from ...errors import DataError
from .. import shapes
from ..config import Source
from ..fetching import Fetcher, Table, looks_like_html
from ..http import FetchError

# The [[sumber]] keys this kind reads, besides those every source has (config.SOURCE_KEYS).
KEYS = {"url": shapes.ADDRESS, "kolom": shapes.TEXT_TABLE,
        "hanya_kolom_terpetakan": shapes.YES_NO}

def check(source: Source) -> list[str]:
    if not source.url.startswith(("http://", "https://")):
        return ["\"url\" wajib diisi dengan alamat berkas CSV atau XLSX (http:// atau https://)"]
    return []


def fetch(source: Source, fetcher: Fetcher) -> Table:
    response = fetcher.get(source.url)
    return parse(source, response.content, response.url,
                 (response.headers or {}).get("content-type"))


def parse(source: Source, content: bytes, url: str, content_type: str | None = None) -> Table:
    """Read downloaded bytes (CSV in any spreadsheet dialect, or XLSX) into a text table."""
    if looks_like_html(content, content_type):
        raise FetchError(f"{url} mengembalikan halaman web (HTML), bukan berkas CSV atau XLSX; "
                         "mungkin alamatnya berubah atau perlu login")
    if content.lstrip()[:1] in (b"{", b"["):
        raise FetchError(f"{url} mengembalikan data JSON, bukan berkas CSV atau XLSX; "
                         "mungkin alamatnya menunjuk ke API, bukan ke berkasnya")
    suffix = ".xlsx" if content[:4] == b"PK\x03\x04" else ".csv"
    handle, name = tempfile.mkstemp(prefix="etalase-unduhan-", suffix=suffix)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(content)
        raw = reading.read_table(Path(name), url)
    except DataError as exc:
        details = "; ".join(p.expected if p.row is None else f"baris {p.row}: {p.expected}"
                            for p in exc.problems[:3])
        raise FetchError(f"berkas dari {url} tidak dapat dibaca: {details}") from None
    finally:
        os.unlink(name)
    frame = raw.frame.rename(columns=dict(source.options.get("kolom", {})))
    if source.options.get("kolom") and source.options.get("hanya_kolom_terpetakan", True):
        missing = [c for c in source.options["kolom"] if c not in raw.frame.columns]
        if missing:
            raise FetchError(f"judul kolom di berkas sumber berubah: {', '.join(missing)} tidak "
                             f"ditemukan; judul yang ada: {', '.join(raw.frame.columns)}")
        frame = frame[list(source.options["kolom"].values())]
    return Table(frame.fillna("").astype(str))
