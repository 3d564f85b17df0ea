"""Write a big table's downloads again from the unchanged pieces of the last ones.

With the cache on, these downloads are written in pieces of about a thousand rows. Where a
piece ends is decided by the rows themselves (a row whose hash is a multiple of `BOUNDARY`
may end one, within `MIN_ROWS`…`MAX_ROWS`), so changing, adding or removing a row changes
only the piece it is in, not where the later pieces are cut. The cache keeps, beside each
download, where each of its pieces lies in it (by the hash of the piece's rows). When the
table changes, the new download copies the bytes of every piece it shares with the previous
one and encodes only the rows of the others: one changed row of a two-million-row register
means about a thousand rows encoded, not two million. The file is the same, byte for byte,
as `exports.write_csv` or `write_json` of the whole table.

A workbook is compressed, so its pieces (the rows of its sheet, as xlsxwriter writes them) are
kept in a file of their own beside it. Each missing piece is written by xlsxwriter, in a
workbook with the same header, at the piece's own row numbers; the finished workbook is the
one xlsxwriter writes with the header alone, its sheet's rows replaced by the pieces: the
same bytes as `exports.write_xlsx` of the whole table, with every cell still written by
xlsxwriter.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import json
import os
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import exports
from .datasets import Dataset

PIECED = ("csv", "json", "xlsx")
SHEET = "xl/worksheets/sheet1.xml"  # the one sheet of a workbook (exports.xlsx_book)
MIN_ROWS, BOUNDARY, MAX_ROWS = 256, 768, 4096  # about a thousand rows a piece
SMALLEST = 4 * (MIN_ROWS + BOUNDARY)  # smaller tables are written whole: cheap either way
# A workbook's cells cost about ten times a CSV's to write, and a workbook holds at most a
# million (datasets.XLSX_MAX_CELLS): its pieces are a quarter the size.
WORKBOOK_SCALE = 4


def applies(dataset: Dataset, fmt: str) -> bool:
    """Whether this download is written in pieces, when there is a cache to keep them in."""
    return fmt in PIECED and len(dataset.frame) >= SMALLEST


def list_key(dataset_id: str, fmt: str) -> str:
    """The cache entry that says where the pieces of a dataset's last download lie."""
    return f"potongan.{dataset_id}.{fmt}.json"


def kept_keys(dataset_id: str, fmt: str, key: str) -> tuple[str, ...]:
    """The cache entries the pieces of a download kept under `key` need beyond the download
    itself: its piece list, and for a workbook the file of its sheet's rows."""
    if fmt == "xlsx":
        return list_key(dataset_id, fmt), _rows_key(key)
    return (list_key(dataset_id, fmt),)


def _rows_key(key: str) -> str:
    """The rows of the workbook kept under `key`: named by that key, like the workbook, so a
    piece list never points into rows written after it."""
    return f"{key}.xlsx.baris"


def ends(hashes: np.ndarray, scale: int = 1) -> list[int]:
    """Where each piece of rows with these row hashes ends (exclusive), in order; with
    `scale`, pieces are that many times smaller."""
    least, most = MIN_ROWS // scale, MAX_ROWS // scale
    found: list[int] = []
    start = 0
    for end in (np.flatnonzero(hashes % (BOUNDARY // scale) == 0) + 1).tolist():
        while end - start > most:
            start += most
            found.append(start)
        if end - start >= least:
            found.append(end)
            start = end
    total = len(hashes)
    while total - start > most:
        start += most
        found.append(start)
    if total > start:
        found.append(total)
    return found


def write(dataset: Dataset, fmt: str, path: Path, store, key: str) -> int:
    """Write download `fmt` of `dataset` at `path`, reusing the pieces of the last one the
    cache `store` has; keep it in the store under `key` with where its pieces lie. Returns
    how many rows were encoded (the others were copied)."""
    frame = exports.published_frame(dataset)
    try:
        hashes = dataset.row_hashes()[1]  # (made by the build process for the cache key)
    except TypeError:  # cells pandas cannot hash: written whole
        exports.WRITERS[fmt](dataset, path)
        store.keep(f"{key}.{fmt}", path)
        return len(frame)
    if fmt == "xlsx":
        return _write_workbook(dataset, frame, hashes, path, store, key)
    starts, bounds, digests, spots, previous = _plan(store, dataset.id, fmt, frame, hashes)
    template = exports.json_template(dataset.columns) if fmt == "json" else ""
    made: list[tuple[str, int, int]] = []
    encoded = 0
    with open(path, "wb") as out, contextlib.ExitStack() as stack:
        old = stack.enter_context(open(previous, "rb")) if previous else None
        out.write((exports.csv_text([[c] for c in dataset.columns]) if fmt == "csv"
                   else exports.JSON_START).encode())
        for first, until in _runs(starts, bounds, [d in spots for d in digests]):
            if digests[first] in spots:
                offset, length = spots[digests[first]][:2]
                found = [os.pread(old.fileno(), length, offset)]
            else:  # the rows of these pieces converted at once, then encoded piece by piece
                block = exports.published_columns(frame, starts[first], bounds[until - 1])
                found = []
                for start, end in zip(starts[first:until], bounds[first:until]):
                    columns = [c[start - starts[first]:end - starts[first]] for c in block]
                    found.append((exports.csv_text(columns) if fmt == "csv"
                                  else exports.json_text(template, columns)).encode())
                encoded += bounds[until - 1] - starts[first]
            for number, data in enumerate(found, start=first):
                if fmt == "json" and number:
                    out.write(exports.JSON_SEPARATOR.encode())
                made.append((digests[number], out.tell(), len(data)))
                out.write(data)
        if fmt == "json":
            out.write(exports.JSON_END.encode())
    store.keep(f"{key}.{fmt}", path)
    _remember(store, dataset.id, fmt, f"{key}.{fmt}", made)
    return encoded


def _plan(store, dataset_id: str, fmt: str, frame: pd.DataFrame, hashes: np.ndarray,
          scale: int = 1, numbered: bool = False):
    """The pieces of a download: where each starts and ends, its hash (of the code, the
    format, the columns and the rows' hashes; with `numbered`, also of where it starts),
    and where the pieces of the last download lie (`_previous`)."""
    head = repr((store.salt, fmt, list(frame.columns), [str(t) for t in frame.dtypes]))
    if fmt == "xlsx":  # its rows' XML is xlsxwriter's: never mixed across its versions
        head += importlib.metadata.version("xlsxwriter")
    bounds = ends(hashes, scale)
    starts = [0, *bounds[:-1]]
    digests = [hashlib.blake2b(head.encode() + (start.to_bytes(8, "little") if numbered else b"")
                               + hashes[start:end].tobytes(), digest_size=16).hexdigest()
               for start, end in zip(starts, bounds)]
    return (starts, bounds, digests, *_previous(store, dataset_id, fmt))


def _runs(starts: list[int], bounds: list[int], known: list[bool]):
    """The pieces to handle together, as (first, after the last): each known piece alone,
    and missing pieces in runs of up to `exports.CHUNK_ROWS` rows, converted at once."""
    number = 0
    while number < len(bounds):
        until = number + 1
        while (not known[number] and until < len(bounds) and not known[until]
               and bounds[until] - starts[number] <= exports.CHUNK_ROWS):
            until += 1
        yield number, until
        number = until


def _previous(store, dataset_id: str, fmt: str) -> tuple[dict[str, tuple], str | None]:
    """Where each piece of the last download lies ({hash: (offset, length, …)}), and the path
    of the file they lie in, in the cache; nothing when the cache has no such list or file."""
    listed = store.stored(list_key(dataset_id, fmt))
    if listed is None:
        return {}, None
    try:
        with open(listed, encoding="utf-8") as fh:
            known = json.load(fh)
        previous = store.stored(known["file"])
        spots = {digest: tuple(spot) for digest, *spot in known["pieces"]}
    except (OSError, ValueError, KeyError, TypeError):  # unreadable: every piece is encoded
        return {}, None
    return (spots, previous) if previous else ({}, None)


def _remember(store, dataset_id: str, fmt: str, file: str, made: list[tuple]) -> None:
    """Keep where each piece of the download just written lies in the stored `file`, for
    `_previous` in a later build; kept last, once `file` is stored."""
    store.keep_text(list_key(dataset_id, fmt), json.dumps({"file": file, "pieces": made}))


def _write_workbook(dataset: Dataset, frame: pd.DataFrame, hashes: np.ndarray, path: Path,
                    store, key: str) -> int:
    """`write` for a workbook: each piece is the XML of its rows in the sheet, kept with the
    last row that has a cell and whether a cell wraps (which decide the sheet's size and
    styles)."""
    starts, bounds, digests, spots, previous = _plan(store, dataset.id, "xlsx", frame, hashes,
                                                     WORKBOOK_SCALE, numbered=True)
    made: list[tuple] = []
    parts: list[bytes] = []
    encoded = offset = 0
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".potongan-") as work, \
            contextlib.ExitStack() as stack:
        old = stack.enter_context(open(previous, "rb")) if previous else None
        for first, until in _runs(starts, bounds, [d in spots for d in digests]):
            if digests[first] in spots:
                spot = spots[digests[first]]
                found = [(os.pread(old.fileno(), spot[1], spot[0]), spot[2], spot[3])]
            else:
                found = _sheet_rows(dataset, frame, starts[first:until], bounds[first:until],
                                    Path(work) / f"{first}.xlsx")
                encoded += bounds[until - 1] - starts[first]
            for number, (data, piece_last, piece_wrapped) in enumerate(found, start=first):
                made.append((digests[number], offset, len(data), piece_last, piece_wrapped))
                offset += len(data)
                parts.append(data)
        last = max((piece[3] for piece in made), default=0)
        wrapped = any(piece[4] for piece in made)
        # The workbook with the header alone, and a cell in the last row written (with the
        # format of wrapped text when a row has one): the sheet's size and styles are then
        # those of the whole table, and its rows are replaced by the pieces.
        shell = Path(work) / "shell.xlsx"
        book, sheet, wrap = exports.xlsx_book(dataset, shell)
        if last:  # numbered from 1 in the sheet's XML, from 0 by xlsxwriter
            sheet.write_string(last - 1, 0, "-", wrap if wrapped else None)
        exports.xlsx_close(book, sheet)
        with zipfile.ZipFile(shell) as source, zipfile.ZipFile(
                path, "w", compression=zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                data = source.read(info)
                if info.filename != SHEET:
                    target.writestr(info, data)
                    continue
                before, _, after = _split_sheet(data)
                info.file_size = len(before) + sum(map(len, parts)) + len(after)
                with target.open(info, "w") as sheet_xml:  # as writestr does, a piece at a time
                    sheet_xml.writelines([before, *parts, after])
        rows = Path(work) / "baris"
        with open(rows, "wb") as fh:
            fh.writelines(parts)
        store.keep(f"{key}.xlsx", path)
        store.keep(_rows_key(key), rows)
    _remember(store, dataset.id, "xlsx", _rows_key(key), made)
    return encoded


def _sheet_rows(dataset: Dataset, frame: pd.DataFrame, starts: list[int], stops: list[int],
                path: Path) -> list[tuple[bytes, int, bool]]:
    """The pieces of rows starts[i]…stops[i]-1 of a `published_frame`, as xlsxwriter writes
    them in a workbook with the dataset's header, at their own row numbers: the XML of each,
    with the number of the last row in it (0: none; a row without cells is left out) and
    whether a cell wraps."""
    book, sheet, wrap = exports.xlsx_book(dataset, path)
    wrapped = exports.xlsx_rows(sheet, wrap, starts[0] + 1,
                                exports.published_columns(frame, starts[0], stops[-1]))
    exports.xlsx_close(book, sheet)
    with zipfile.ZipFile(path) as written:
        rows = _split_sheet(written.read(SHEET))[1]
    begins = []  # where each piece's first row starts in `rows`, None for a piece without
    cursor = 0
    for start, stop in zip(starts, stops):
        for number in range(start + 2, stop + 2):  # data row i is the sheet's row i + 2
            at = rows.find(b'<row r="%d"' % number, cursor)
            if at >= 0:
                begins.append(at)
                cursor = at
                break
        else:
            begins.append(None)
    found = []
    for index, (start, stop) in enumerate(zip(starts, stops)):
        if begins[index] is None:
            found.append((b"", 0, False))
            continue
        end = next((at for at in begins[index + 1:] if at is not None), len(rows))
        piece = rows[begins[index]:end]
        tag = piece.rindex(b'<row r="') + len(b'<row r="')
        last = int(piece[tag:piece.index(b'"', tag)])
        found.append((piece, last, any(start < row <= stop for row in wrapped)))
    return found


def _split_sheet(xml: bytes) -> tuple[bytes, bytes, bytes]:
    """A sheet's XML as (up to the end of the header row, the other rows, the rest)."""
    header_end = xml.index(b"</row>", xml.index(b"<sheetData>")) + len(b"</row>")
    rows_end = xml.index(b"</sheetData>", header_end)
    return xml[:header_end], xml[header_end:rows_end], xml[rows_end:]
