"""Read large UTF-8 CSV tables with pandas' C parser, where it provably reads what `csv` reads.

The careful reader (`reading._read_csv`) uses Python's `csv` module in strict mode: exact,
with a row number for every mistake, but it took 0.36 s to parse the 40 MB national service
table (its records span lines: cells hold lists) and 3.3 s for the 2 M-row request register
(through an older fast path that counted each line's delimiters in Python). pandas' C parser
reads the same bytes in a fraction of that, but it is lenient where `csv` is strict: it
accepts `"abc"x` as `abcx`, pads a short row with empty cells, knows no field size limit.

`read` therefore first checks, with numpy over the raw bytes, that the table is *cleanly
quoted*: every quote character opens a quoted cell at the start of a cell, doubles a quote
inside one, or closes one just before a delimiter, a line break or the end. Then a byte is
inside a quoted cell exactly when an odd number of quotes precede it, so the record breaks
and the cell count of every record are known without parsing, and both parsers provably
split the text the same way. Anything else (a short or long row that is not blank, a quote
inside an unquoted cell, a lone carriage return, a NUL byte, a cell over the `csv` field
limit, text that is not UTF-8, a byte order mark in the header, a blank header) makes `read`
return None, and the careful reader reads the table and names what is wrong. `tests/test_fastcsv.py` compares the two on random tables.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

import numpy as np
import pandas as pd

_QUOTE, _LF, _CR = ord('"'), ord("\n"), ord("\r")
_BOM = "\ufeff".encode("utf-8")
# A record whose first character is one of these has a non-blank first cell.
_ALNUM = np.zeros(256, dtype=bool)
_ALNUM[[*range(ord("0"), ord("9") + 1), *range(ord("A"), ord("Z") + 1),
        *range(ord("a"), ord("z") + 1)]] = True


@dataclass
class Parsed:
    """A table as `reading._read_csv` reads it, and where its records lie in the bytes."""

    frame: pd.DataFrame  # every cell a str, the header stripped, blank records left out
    rows: list[int]  # the spreadsheet row number of each row
    starts: np.ndarray  # the byte offset of every record, blank ones too, the header's first


def read(data: bytes, delimiter: str) -> tuple[pd.DataFrame, list[int]] | None:
    """The table in `data` (UTF-8, no BOM) as `reading._read_csv` reads it: a frame of str
    with the header stripped, blank records left out, and the spreadsheet row number of each
    row; or None when that cannot be shown without the careful reader."""
    parsed = parse(data, delimiter)
    return None if parsed is None else (parsed.frame, parsed.rows)


def parse(data: bytes, delimiter: str) -> Parsed | None:
    """`read`, with the byte offset of each record (`splice.py` reads again only the
    records that changed)."""
    if not data or b"\x00" in data:
        return None
    text = np.frombuffer(data, dtype=np.uint8)
    sep = ord(delimiter)
    quotes = np.flatnonzero(text == _QUOTE)
    if quotes.size % 2 or not _cleanly_quoted(text, quotes, sep):
        return None
    returns = np.flatnonzero(text == _CR)
    if returns.size and not _only_before_line_feeds(text, returns):
        return None  # a lone carriage return: `csv` ends a line there, inside a cell too

    def outside(positions: np.ndarray) -> np.ndarray:
        """The positions not inside a quoted cell: an even number of quotes before them."""
        if not quotes.size:
            return positions
        return positions[np.searchsorted(quotes, positions) % 2 == 0]

    ends = outside(np.flatnonzero(text == _LF))  # where each record's line break is
    starts = np.concatenate(([0], ends + 1))
    if starts[-1] == len(data):  # the last record ends with its line break
        starts = starts[:-1]
    stops = np.append(ends, len(data))[: len(starts)]  # one past each record's last byte
    stops = stops - (stops > starts) * (text[np.maximum(stops - 1, 0)] == _CR)  # "\r\n"
    delimiters = outside(np.flatnonzero(text == sep))
    cells = np.diff(np.searchsorted(delimiters, np.append(starts, len(data)))) + 1
    width = int(cells[0])
    if stops[0] == starts[0] or _longest_cell(starts, stops, delimiters) > csv.field_size_limit():
        return None  # an empty first line (no header), or a cell `csv` refuses
    if _BOM in data[: stops[0]]:
        return None  # pandas drops a byte order mark it meets in the header; `csv` keeps it
    # Records that may be blank (skipped) or have the wrong number of cells (an error):
    # every other record starts with a letter or digit, directly or after its opening quote
    # (an empty line starts with its line break).
    first = text[np.minimum(starts + (text[starts] == _QUOTE), len(data) - 1)]
    doubtful = np.flatnonzero((cells != width) | ~_ALNUM[first])
    doubtful = doubtful[doubtful > 0]
    try:
        table = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, dtype=object,
                            na_filter=False, skip_blank_lines=False, engine="c",
                            encoding="utf-8", quoting=csv.QUOTE_MINIMAL, doublequote=True)
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError):
        return None  # a long blank row, say: the careful reader skips it
    if len(table) != len(starts) or table.shape[1] != width:
        return None
    suspects = table.iloc[doubtful]
    blank = np.ones(len(doubtful), dtype=bool)
    for column in suspects:  # blank as `csv` reads it: every cell only white space
        blank &= (suspects[column].str.strip() == "").to_numpy(dtype=bool)
    if np.any(cells[doubtful[~blank]] != width):
        return None  # a row with too few or too many cells: reported by the careful reader
    header = [str(name).strip() for name in table.iloc[0]]
    if not any(header):
        return None  # a blank header, or nothing but white space: the careful reader says so
    keep = np.ones(len(table), dtype=bool)
    keep[0] = False
    keep[doubtful[blank]] = False
    frame = table[keep]
    if returns.size and np.any(np.searchsorted(quotes, returns) % 2):
        frame = frame.apply(lambda column: column.str.replace("\r\n", "\n", regex=False))
    frame.columns = header
    rows = (np.flatnonzero(keep) + 1).tolist()  # record i (header: 0) is spreadsheet row i + 1
    return Parsed(frame.reset_index(drop=True), rows, starts)


def _cleanly_quoted(text: np.ndarray, quotes: np.ndarray, sep: int) -> bool:
    """Whether every run of quotes either starts a quoted cell (a run met outside quotes,
    right after a delimiter, a line break or the start), or lies inside one, and whether
    every run that leaves a cell closed is followed by a delimiter, a line break or the end."""
    if not quotes.size:
        return True
    new_run = np.ones(quotes.size, dtype=bool)
    new_run[1:] = np.diff(quotes) != 1
    first = np.flatnonzero(new_run)  # index in `quotes` of each run's first quote
    length = np.diff(np.append(first, quotes.size))
    start, end = quotes[first], quotes[first] + length  # `end`: the byte after the run
    outside_before = first % 2 == 0  # an even number of quotes before the run
    before = text[np.maximum(start - 1, 0)]
    at_cell_start = (start == 0) | (before == sep) | (before == _LF) | (before == _CR)
    if np.any(outside_before & ~at_cell_start):
        return False  # a quote inside an unquoted cell
    closed_after = (first + length) % 2 == 0
    after = text[np.minimum(end, len(text) - 1)]
    ends_cell = (end == len(text)) | (after == sep) | (after == _LF) | (after == _CR)
    return not np.any(closed_after & ~ends_cell)


def _only_before_line_feeds(text: np.ndarray, returns: np.ndarray) -> bool:
    following = returns + 1
    return bool(following[-1] < len(text) and np.all(text[following] == _LF))


def _longest_cell(starts: np.ndarray, stops: np.ndarray, delimiters: np.ndarray) -> int:
    """An upper bound of the longest cell, in characters (its bytes, quotes included)."""
    longest_record = int((stops - starts).max(initial=0))
    if longest_record <= csv.field_size_limit():
        return longest_record  # sorting every bound of a 2 M-row register took 0.75 s
    bounds = np.concatenate((starts - 1, stops, delimiters))
    bounds.sort()
    return int(np.diff(bounds).max(initial=0))
