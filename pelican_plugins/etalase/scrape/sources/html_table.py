"""A table on an agency's web page: a CSS selector, a column mapping and conversions in config.

    [[sumber]]
    nama = "standar-dpmptsp"
    jenis = "tabel-html"
    url = "https://dpmptsp.contoh.example/standar-pelayanan"
    pilih = "table#daftar-layanan"                 # CSS selector of the table
    kolom = { "Nama Layanan" = "nama", "Biaya" = "biaya_rupiah", "Waktu" = "hari_kerja" }
    ubah = { biaya_rupiah = "rupiah", hari_kerja = "bilangan_bulat" }   # see conversions.py

The header cells must contain the mapped titles (case and spacing are ignored); when the page
changes so that a mapped column is gone, the source fails with the titles it did find. When
`pilih` matches several tables, the one whose header holds every mapped title is read (a menu
laid out as a table is passed over); two such tables fail the source rather than the first
being read by chance.

The table is read as a browser lays it out:

- Characters: a byte-order mark, else the charset of the HTTP `Content-Type`, else the page's
  `<meta charset>` (or a guess), the order browsers use. A header charset in which not one
  non-ASCII character of the page is valid (cp1252 bytes called UTF-8) is not trusted, and
  the page is read as if the header named none.
- Merged cells: a `rowspan` cell repeats its value in the rows it covers (the kecamatan beside
  each of its kelurahan); a `colspan` cell puts its value in its first column and leaves the
  others empty, so a figure spread over two columns is never counted twice.
- A header two or three rows high is read whole: a title is looked for from its bottom row up.
- Rows that are not data are left out, counted in the provenance (`metadata.baris_dilewati`)
  and named in the run's summary: an empty spacer row; the header printed again further down
  (the same titles, or `<th>` cells holding only titles), or the column numbers under it
  ("(1) (2) (3)"); notes: a row whose one filled cell
  starts with "Sumber:" (or "Sumber data"), "Keterangan:", "Catatan:", "Ket.", "Note:" or "*",
  or one cell across the whole width; and totals: a row whose own first filled cell is
  "Jumlah", "Total" and the like, or starts so before figures only. Any other row with two
  filled cells or more is data, whatever words it contains.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

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


# -- characters --------------------------------------------------------------------------------

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([^\s;"']+)""", re.IGNORECASE)
# Browsers read these labels as windows-1252 (WHATWG Encoding Standard): the bytes 0x80-0x9F
# a server calls "ISO-8859-1" are nearly always Word's quotes, dashes and bullets.
_AS_WINDOWS_1252 = {"iso8859-1", "latin-1", "ascii"}


def _header_charset(content_type: str | None) -> str | None:
    """The Python codec for the charset named in a Content-Type header, or None."""
    match = _CHARSET.search(content_type or "")
    if not match:
        return None
    try:
        info = codecs.lookup(match.group(1))
    except LookupError:
        return None  # a name no browser knows either: as if the header named none
    if not getattr(info, "_is_text_encoding", True) or info.name == "utf-7":
        return None
    return "cp1252" if info.name in _AS_WINDOWS_1252 else info.name


def _markup(response) -> str | bytes:
    """The page as text when its bytes or its HTTP header say how to decode it; otherwise the
    bytes, for BeautifulSoup to read the `<meta charset>` (or guess) as it always has."""
    content = response.content
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return content.decode(codec, errors="replace")
    codec = _header_charset(response.headers.get("content-type"))
    if codec:
        try:
            return content.decode(codec)
        except UnicodeDecodeError:
            text = content.decode(codec, errors="replace")
        # Some bytes are not valid in that charset. If others are real characters in it, the
        # page is in it with a few broken bytes (a text cut mid-character): shown as U+FFFD,
        # as browsers do. If none is, the header is wrong and the page's own <meta> decides.
        if any(ord(ch) > 127 and ch != "\ufffd" for ch in text):
            return text
    return content


# -- layout --------------------------------------------------------------------------------------

@dataclass(eq=False)
class _Cell:
    column: int
    span: int
    text: str
    heading: bool  # a <th>


@dataclass(eq=False)
class _Row:
    texts: list[str]  # one per column as laid out, "" where nothing is
    cells: list[_Cell]  # the row's own <td>/<th>, not those reaching down from rows above
    group: object  # the <thead>/<tbody>/<tfoot> (or the table) the row is in

    @property
    def filled(self) -> list[str]:
        return [t for t in self.texts if t.strip()]

    def excerpt(self) -> str:
        text = " | ".join(" ".join(t.split()) for t in self.texts)
        return text if len(text) <= 80 else text[:79] + "…"


def _span(value, lowest: int, highest: int) -> int:
    """A colspan/rowspan as browsers read it: the leading digits, else 1; kept in range."""
    match = re.match(r"\s*(\d+)", str(value or ""))
    number = int(match.group(1)) if match else 1
    return min(max(number, lowest), highest)


def _row_groups(element) -> list[tuple[object, list]]:
    """The rows of the selected element, by row group, in the order a browser draws them."""
    if element.name in ("thead", "tbody", "tfoot"):
        return [(element, element.find_all("tr", recursive=False))]
    if element.name != "table":
        element = element.find("table")  # `pilih` named something around the table
        if element is None:
            return []
    groups, loose = [], None
    for child in element.find_all(True, recursive=False):
        if child.name == "tr":  # rows written straight in <table>: one group until the next
            if loose is None:
                loose = (element, [])
                groups.append(loose)
            loose[1].append(child)
        elif child.name in ("thead", "tbody", "tfoot"):
            loose = None
            groups.append((child, child.find_all("tr", recursive=False)))
    # The first <thead> is drawn on top and the first <tfoot> at the bottom, wherever written.
    head = next((g for g in groups if g[0].name == "thead"), None)
    foot = next((g for g in groups if g[0].name == "tfoot"), None)
    middle = [g for g in groups if g is not head and g is not foot]
    return [g for g in [head, *middle, foot] if g is not None]


def _layout(element) -> list[_Row]:
    """Every row, with merged cells spread over the columns and rows they cover."""
    rows = []
    for group, trs in _row_groups(element):
        above: dict[int, list] = {}  # column -> [text, rows still covered] from rows above
        for tr in trs:
            line = {}
            for column, held in list(above.items()):
                line[column] = held[0]
                held[1] -= 1
                if held[1] <= 0:
                    del above[column]
            cells, column = [], 0
            for cell in tr.find_all(["td", "th"], recursive=False):
                while column in line:
                    column += 1
                across = _span(cell.get("colspan"), 1, 1000)
                down = _span(cell.get("rowspan", "1"), 0, 65534)
                text = _cell_text(cell)
                for offset in range(across):
                    value = text if offset == 0 else ""
                    line.setdefault(column + offset, value)
                    if down != 1:  # 0 reaches to the end of the row group
                        above[column + offset] = [value, down - 1 if down else float("inf")]
                cells.append(_Cell(column, across, text, cell.name == "th"))
                column += across
            width = max(line) + 1 if line else 0
            rows.append(_Row([line.get(c, "") for c in range(width)], cells, group))
    return rows


# -- rows that are not data -----------------------------------------------------------------------

# The start of a note under a table. "Sumber" needs its colon (or "data"): Sumber, Sumber Agung
# and Sumberejo are kecamatan and desa names, and a row holding only such a name is data; so do
# "Keterangan" and "Catatan" (Catatan Sipil, Keterangan Pindah are services).
_NOTE = re.compile(r"""\s*(?: \*
                            | (?:sumber|source)(?:\s*/\s*source)?\s*:
                            | sumber\s+data\b
                            | (?:keterangan|catatan|notes?)\s*[:.]
                            | ket\s*[.:]
                          )""", re.IGNORECASE | re.VERBOSE)


def _is_note(row: _Row, width: int) -> bool:
    filled = row.filled
    if len(filled) == 1 and _NOTE.match(filled[0]):
        return True
    # One cell across the whole table: a note, a date line or a spacer, never a data row.
    if len(row.cells) != 1:
        return False
    cell = row.cells[0]
    return cell.column == 0 and len(row.texts) == cell.span and cell.span >= width > 1


_TOTAL = re.compile(r"\s*(?:grand\s+)?(?:jumlah|total|sub\s*total)(?:\s+(?:total|keseluruhan|"
                    r"seluruhnya|semua|akhir))?\s*:?\s*", re.IGNORECASE)


_TOTAL_START = re.compile(r"\s*(?:grand\s+|sub\s*)?(?:jumlah|total)\b", re.IGNORECASE)
_FIGURE = re.compile(r"\s*[-+]?[\d.,]+\s*%?\s*")


def _is_total(row: _Row) -> bool:
    """A totals row ("Jumlah", "Total", often across the first columns, or "Jumlah Kecamatan
    Utara" before figures only): the sum of the rows above it, which whoever adds the column
    up would count a second time. Read from the row's own cells, not a district's name
    reaching down from above."""
    own = [cell.text for cell in row.cells if cell.text.strip()]
    if len(own) < 2:
        return False
    label, rest = own[0], own[1:]
    return bool(_TOTAL.fullmatch(label)) or (
        bool(_TOTAL_START.match(label)) and all(_FIGURE.fullmatch(text) for text in rest))


def _is_header(row: _Row, header_texts: list[list[str]], titles: set[str]) -> bool:
    """The header printed again: the same titles (in <td> or <th>), or <th> cells holding only
    titles (part of the header, or a header shorter than the first)."""
    normed = _trimmed([_norm(t) for t in row.texts])
    if normed and normed in header_texts:
        return True
    own = [_norm(c.text) for c in row.cells if c.text.strip()]
    return bool(own) and all(c.heading for c in row.cells) and all(t in titles for t in own)


_NUMBERED = re.compile(r"\s*\((\d+)\)\s*")
_PLAIN_NUMBER = re.compile(r"\s*(\d+)\s*")


def _is_column_numbers(row: _Row, first: bool) -> bool:
    """The row of column numbers Indonesian reports print under their header: (1) (2) (3) …,
    or 1 2 3 … right below it (only there: further down, a row of counts may be data)."""
    pattern = _NUMBERED if not first else re.compile(
        f"{_NUMBERED.pattern}|{_PLAIN_NUMBER.pattern}")
    numbers = []
    for text in row.texts:
        match = pattern.fullmatch(text)
        if not match:
            return False
        numbers.append(int(next(group for group in match.groups() if group)))
    return len(numbers) >= 2 and numbers == list(range(1, len(numbers) + 1))


def _trimmed(texts: list[str]) -> list[str]:
    while texts and not texts[-1]:
        texts = texts[:-1]
    return texts


# A header without <thead> grows by rows of <th> only this far (a two- or three-row header);
# a table written entirely in <th> cells must not be taken for one long header.
_HEADER_ROWS_MAX = 4


def _header(rows: list[_Row], mapping: dict, url: str) -> tuple[int, int, dict[str, int]]:
    """Where the header rows start and end, and the column of each mapped title.

    The header starts at the first row with a <th> (else the first row). It is the whole
    <thead> it is in; without a <thead>, it grows by the rows of <th> below it until every
    mapped title is found (a header two rows high). A title is looked for from the bottom row
    up, so "Laki-laki" under a merged "Jumlah Penduduk" names its own column."""
    first = next((i for i, r in enumerate(rows) if any(c.heading for c in r.cells)), 0)
    wanted = [_norm(t) for t in mapping]
    end = first + 1
    if rows[first].group.name == "thead":
        while end < len(rows) and rows[end].group is rows[first].group:
            end += 1
    else:
        while (end < len(rows) and end - first < _HEADER_ROWS_MAX
               and not _found(rows[first:end], wanted)
               and all(c.heading for c in rows[end].cells)):
            end += 1
        if not _found(rows[first:end], wanted):
            end = first + 1  # no taller header holds the titles: report the first row's
    header_rows = rows[first:end]
    positions = {}
    for title, column in mapping.items():
        for row in reversed(header_rows):
            texts = [_norm(t) for t in row.texts]
            if _norm(title) in texts:
                positions[column] = texts.index(_norm(title))
                break
        else:
            titles = [" ".join(t.split()) for row in header_rows for t in row.texts if t.strip()]
            found = ", ".join(f"\"{t}\"" for t in dict.fromkeys(titles)) or "(tidak ada)"
            raise FetchError(f"struktur tabel di {url} berubah: kolom \"{title}\" "
                             f"tidak ditemukan. Judul kolom yang ada sekarang: {found}. "
                             "Sesuaikan \"kolom\" di data/sumber.toml bila perubahannya benar")
    return first, end, positions


def _found(header_rows: list[_Row], wanted: list[str]) -> bool:
    present = {_norm(t) for row in header_rows for t in row.texts}
    return all(title in present for title in wanted)


def _selected(soup, pilih: str, mapping: dict, url: str):
    """The rows of the one table `pilih` selects whose header holds every mapped title, and
    where its header is (`_header`). A selector that matches several tables (a layout table
    around the data, or two tables of the same kind) is narrowed to the one holding the
    titles; two such tables are refused rather than the first read by chance."""
    tables = soup.select(pilih)
    if not tables:
        raise FetchError(f"tabel dengan pemilih \"{pilih}\" tidak ditemukan "
                         f"di {url}; struktur halaman mungkin berubah")
    fitting, failure = [], None
    for table in tables:
        rows = [r for r in _layout(table) if r.cells]  # an empty <tr> is no row
        if not rows:
            failure = failure or FetchError(f"tabel \"{pilih}\" di {url} tidak memiliki baris")
            continue
        try:
            fitting.append((rows, _header(rows, mapping, url)))
        except FetchError as err:
            failure = failure or err
    if len(fitting) > 1:
        raise FetchError(f"pemilih \"{pilih}\" cocok dengan {len(fitting)} tabel di {url} "
                         "yang sama-sama memuat semua kolom yang dipetakan; tidak jelas mana "
                         "yang dimaksud. Buat \"pilih\" di data/sumber.toml lebih khusus, "
                         "misalnya dengan id tabelnya (table#id) atau :nth-of-type(2)")
    if not fitting:
        raise failure
    return fitting[0]


def fetch(source: Source, fetcher: Fetcher) -> Table:
    response = fetcher.get(source.url, accept="text/html")
    from bs4 import BeautifulSoup  # here, not above: a site build only calls `check`

    soup = BeautifulSoup(_markup(response), "lxml")
    mapping = dict(source.options["kolom"])
    rows, (first, end, positions) = _selected(soup, source.options["pilih"], mapping,
                                              response.url)
    width = max(len(r.texts) for r in rows[first:end])
    header_texts = [_trimmed([_norm(t) for t in r.texts]) for r in rows[first:end]]
    titles = {t for texts in header_texts for t in texts if t}
    records, left_out = [], {"judul": 0, "catatan": 0, "jumlah": 0, "kosong": 0}
    for number, row in enumerate(rows[end:], start=1):
        if not any(text.strip() for text in row.texts):  # a spacer row: nothing to publish
            left_out["kosong"] += 1
        elif _is_header(row, header_texts, titles) or _is_column_numbers(row, number == 1):
            left_out["judul"] += 1
        elif _is_note(row, width):
            left_out["catatan"] += 1
        elif _is_total(row):
            left_out["jumlah"] += 1
        elif len(row.texts) < width:
            raise FetchError(f"baris ke-{number} di bawah judul tabel di {response.url} "
                             f"(\"{row.excerpt()}\") hanya punya {len(row.texts)} sel, padahal "
                             f"ada {width} judul kolom; struktur tabel berubah")
        else:
            records.append({column: row.texts[index] for column, index in positions.items()})
    frame = pd.DataFrame(records, columns=list(mapping.values()), dtype=object)
    left_out = {kind: count for kind, count in left_out.items() if count}
    # Recorded in the provenance (<nama>.sumber.json) so the rows missing from the page's
    # count can be explained; runner.py has no place for a note on a successful run.
    return Table(frame, metadata={"baris_dilewati": left_out} if left_out else {})
