"""A table on an agency's web page: a CSS selector, a column mapping and conversions in config.

    [[sumber]]
    nama = "standar-dpmptsp"
    jenis = "tabel-html"
    url = "https://dpmptsp.contoh.example/standar-pelayanan"
    pilih = "table#daftar-layanan"                 # CSS selector of the table
    kolom = { "Nama Layanan" = "nama", "Biaya" = "biaya_rupiah", "Waktu" = "hari_kerja" }
    ubah = { biaya_rupiah = "rupiah", hari_kerja = "bilangan_bulat" }   # see conversions.py

The header cells must contain the mapped titles (case and spacing are ignored); when the page
changes so that a mapped column is gone, the source fails with the titles it did find.
"""

from __future__ import annotations

import pandas as pd

from .. import shapes
from ..config import Source
from ..fetching import Fetcher, Table
from ..http import FetchError

# The [[sumber]] keys this kind reads, besides those every source has (config.SOURCE_KEYS).
KEYS = {"url": shapes.ADDRESS, "pilih": shapes.TEXT, "kolom": shapes.TEXT_TABLE}

def check(source: Source) -> list[str]:
    problems = []
    if not source.url.startswith(("http://", "https://")):
        problems.append("\"url\" wajib diisi dengan alamat halaman (http:// atau https://)")
    if not source.options.get("pilih"):
        problems.append("\"pilih\" wajib diisi dengan pemilih CSS tabelnya, misalnya "
                        "\"table#daftar-layanan\"")
    if not isinstance(source.options.get("kolom"), dict) or not source.options.get("kolom"):
        problems.append("\"kolom\" wajib diisi: judul kolom di halaman = nama kolom keluaran")
    return problems


def _norm(text: str) -> str:
    return " ".join(text.split()).casefold()


def _cell_text(cell) -> str:
    """Cell text; <br> and list items become line breaks, as in a staff spreadsheet cell."""
    for br in cell.find_all("br"):
        br.replace_with("\n")
    items = cell.find_all("li")
    if items:
        return "\n".join(" ".join(li.get_text(" ").split()) for li in items)
    lines = [" ".join(line.split()) for line in cell.get_text().splitlines()]
    return "\n".join(line for line in lines if line)


def fetch(source: Source, fetcher: Fetcher) -> Table:
    response = fetcher.get(source.url, accept="text/html")
    from bs4 import BeautifulSoup  # here, not above: a site build only calls `check`

    soup = BeautifulSoup(response.content, "lxml")
    table = soup.select_one(source.options["pilih"])
    if table is None:
        raise FetchError(f"tabel dengan pemilih \"{source.options['pilih']}\" tidak ditemukan "
                         f"di {response.url}; struktur halaman mungkin berubah")
    rows = table.find_all("tr")
    header_row = next((r for r in rows if r.find("th")), rows[0] if rows else None)
    if header_row is None:
        raise FetchError(f"tabel \"{source.options['pilih']}\" di {response.url} tidak "
                         "memiliki baris")
    titles = [" ".join(_cell_text(c).split()) for c in header_row.find_all(["th", "td"])]
    headers = [_norm(t) for t in titles]
    mapping = dict(source.options["kolom"])
    positions = {}
    for title, column in mapping.items():
        if _norm(title) not in headers:
            found = ", ".join(f"\"{t}\"" for t in titles if t) or "(tidak ada)"
            raise FetchError(f"struktur tabel di {response.url} berubah: kolom \"{title}\" "
                             f"tidak ditemukan. Judul kolom yang ada sekarang: {found}. "
                             "Sesuaikan \"kolom\" di data/sumber.toml bila perubahannya benar")
        positions[column] = headers.index(_norm(title))
    records = []
    for row in rows[rows.index(header_row) + 1:]:
        cells = row.find_all(["td", "th"])
        if not cells:
            continue
        if len(cells) < len(headers):
            raise FetchError(f"baris tabel di {response.url} hanya punya {len(cells)} sel, "
                             f"padahal ada {len(headers)} judul kolom; struktur tabel berubah")
        texts = [_cell_text(c) for c in cells]
        record = {}
        for column, index in positions.items():
            record[column] = texts[index]
        records.append(record)
    frame = pd.DataFrame(records, columns=list(mapping.values()), dtype=object)
    return Table(frame)
