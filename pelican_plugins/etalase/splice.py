"""Read a changed source table again by parsing only the records that changed.

After staff change one service, reading and validating the whole 40 MB national service
table took 0.36 s of every rebuild. With the cache on, a build keeps the `Layout` of each
table it read by the fast path (`fastcsv.parse`) without a problem: where its records start,
the SHA-1 of its bytes in chunks of whole records (about 64 KB each, the header alone in the
first), and the texts that must stay unique. The next build hashes the new bytes' chunks
from both ends while they match, parses only the records between (after the header, as a
table of their own), validates them, and puts their rows between the earlier typed rows.

It reads what a whole read reads. The records before the changed ones are the same bytes,
and so are those after: the changed region starts where a record started and, unless it
runs to the end, ends with a line break and is cleanly quoted on its own (`fastcsv`), so
parsing resumes outside quotes at the start of the same records. Where that cannot be shown
(the header changed, a region `fastcsv` declines, a problem in a changed row, a repeated
unique value, a column whose type a whole read decides from rows not parsed: see
`_typed_as_whole`) `read_changed` gives None, and the table is read whole: every message
still comes from the whole read.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import reading, schema
from .reading import RawTable

CHUNK = 1 << 16  # bytes: a chunk ends at the first record start this far from its own


@dataclass
class Layout:
    """Where the records of one version of a table lie, for the build after."""

    key: str  # the cache key (`pagecache.Tables.key`) of this version's typed table
    size: int  # bytes
    terminated: bool  # whether the last byte is a line break
    bounds: np.ndarray  # chunk boundaries: 0, the second record's start, ..., `size`
    digests: list[bytes]  # the SHA-1 of each chunk
    starts: np.ndarray  # every record's byte offset, blank ones too, the header's first
    unique: list[np.ndarray]  # each of `schema.unique_texts`: the text of every row


@dataclass
class Spliced:
    """A table read by its changed records, and which of its rows are the earlier table's."""

    frame: pd.DataFrame  # the typed table: all its rows pass
    layout: Layout
    records: int  # how many records were parsed
    before: int  # rows [0, before) are the earlier table's first rows
    parsed: int  # rows [before, before + parsed) were parsed
    resumed: int  # and the rest are the earlier table's from row `resumed` on


def layout(data: bytes, raw: RawTable, key: str, table_schema: dict) -> Layout | None:
    """The layout of a table `raw` read whole from `data` without a problem (None when it was
    not read by the fast path)."""
    if raw.records is None:
        return None
    starts = np.asarray(raw.records, dtype=np.int64)
    header_end = int(starts[1]) if len(starts) > 1 else len(data)
    bounds = [0, header_end, *_bounds(starts, header_end, len(data))]
    return Layout(key, len(data), data.endswith(b"\n"), np.array(bounds, dtype=np.int64),
                  _digests(data, bounds), starts,
                  [texts.to_numpy() for _, texts in schema.unique_texts(raw.frame, table_schema)])


def read_changed(earlier: Layout, frame: pd.DataFrame, data: bytes, path: Path, display: str,
                 table_schema: dict, key: str) -> Spliced | None:
    """The typed table of `data` (its rows that pass: all of them) and its layout, made from
    `frame`, the typed table of the version `earlier` describes; or None when reading only
    the changed records cannot be shown to read the same."""
    view = memoryview(data)
    bounds, digests, size, delta = earlier.bounds, earlier.digests, len(data), len(data) - earlier.size
    count = len(digests)
    first = 0  # chunks [0, first) are unchanged
    while first < count and bounds[first + 1] <= size and _sha1(
            view[bounds[first]:bounds[first + 1]]) == digests[first]:
        first += 1
    if first == 0:
        return None  # a new header: the table may be read differently
    last = count  # chunks [last, count) are unchanged, `delta` bytes further on
    while last > first and bounds[last - 1] + delta >= bounds[first] and _sha1(
            view[bounds[last - 1] + delta:bounds[last] + delta]) == digests[last - 1]:
        last -= 1
    begin, end = int(bounds[first]), int(bounds[last])  # the changed bytes in the old version
    if begin == earlier.size and not earlier.terminated:
        return None  # the old last record had no line break: what follows may continue it
    if last < count and end + delta > begin and data[end + delta - 1] != ord("\n"):
        return None  # the changed records must end where the unchanged ones start
    starts = earlier.starts
    since = int(np.searchsorted(starts, begin))  # index of the first changed record
    until = int(np.searchsorted(starts, end))  # and of the first unchanged record after
    if (since < len(starts) and starts[since] != begin) or (
            until < len(starts) and starts[until] != end):
        return None  # chunks end at record starts: a layout of something else (damaged)
    header_end = int(bounds[1])
    text = data[:header_end] + data[begin:end + delta]
    parsed = None if reading.has_control(text) else reading.read_utf8_csv(text)
    if parsed is None:
        return None  # the whole read names what is wrong
    # Record j of the parsed text (the header: 0) is record since + j - 1 of the table, on
    # spreadsheet row since + j.
    rows = np.asarray(parsed.rows, dtype=np.int64) + since - 1
    changed, problems = schema.validate(RawTable(path, display, parsed.frame, rows.tolist()),
                                        table_schema)
    if problems:
        return None
    old_rows = frame.attrs["row_numbers"].to_numpy()
    keep_before = int(np.searchsorted(old_rows, since + 1))  # rows of records before `since`
    keep_from = int(np.searchsorted(old_rows, until + 1))  # rows of records from `until` on
    shift = (len(parsed.starts) - 1) - (until - since)  # records added (or removed, < 0)
    unique = []
    for old, (_, texts) in zip(earlier.unique, schema.unique_texts(parsed.frame, table_schema)):
        joined = np.concatenate((old[:keep_before], texts.to_numpy(), old[keep_from:]))
        if schema.repeated(pd.Series(joined)).any():
            return None  # the whole read names both rows
        unique.append(joined)
    parts = [frame.iloc[:keep_before], changed, frame.iloc[keep_from:]]
    if not _typed_as_whole(parts, frame, set(parsed.frame.columns), table_schema):
        return None
    result = pd.concat(parts, ignore_index=True)
    result.attrs["row_numbers"] = pd.Series(np.concatenate(
        (old_rows[:keep_before], rows, old_rows[keep_from:] + shift)), dtype="int64")
    result.attrs["display"] = display
    new_starts = np.concatenate((starts[:since], parsed.starts[1:] - header_end + begin,
                                 starts[until:] + delta)).astype(np.int64)
    region = _bounds(new_starts, begin, end + delta)
    return Spliced(result, Layout(
        key, size, data.endswith(b"\n"),
        np.concatenate((bounds[:first + 1], region, bounds[last + 1:] + delta)).astype(np.int64),
        [*digests[:first], *_digests(data, [begin, *region]), *digests[last:]],
        new_starts, unique), len(parsed.starts) - 1, keep_before, len(changed), keep_from)


def _typed_as_whole(parts: list[pd.DataFrame], frame: pd.DataFrame, header: set[str],
                    table_schema: dict) -> bool:
    """Give each column of `parts` (the earlier rows before the changed ones, the changed
    rows, the earlier rows after) the type a whole read gives it, in place; False when
    that type, or a value, cannot be told from the parts.

    `schema.validate` types a column from all its values: a date column with no date gets
    another resolution than one with a date; a boolean column is of bool without a blank,
    of objects (with None) with one; a number column is of int64 unless one of its texts
    is blank or not a whole number; an integer column goes through floats, exact below
    2**53, when one is blank."""
    before, changed, after = parts
    if before.empty and changed.empty and after.empty:
        return False  # no rows at all: nothing to gain
    kinds = {field["name"]: field.get("type", "string") for field in table_schema["fields"]}
    for name in frame.columns:
        kind, earlier, new = kinds.get(name, "string"), frame[name].dtype, changed[name].dtype
        kept = (before[name], after[name])
        if name not in header or kind == "string":
            dtype = earlier if new == earlier else None
        elif kind == "date":
            dtype = earlier if any(part.notna().any() for part in kept) else new
        elif kind == "boolean":
            blank = any(part.isna().any() for part in (*kept, changed[name]))
            dtype = np.dtype(object) if blank else np.dtype(bool)
        elif kind == "integer":
            large = any((part.abs() >= 2 ** 53).any() for part in (*kept, changed[name]))
            dtype = None if large or new != earlier else earlier
        elif kind == "number":
            # both of whole numbers; or the changed rows hold a blank or a fraction, as did
            # the earlier table: float64 for all
            ints = earlier == new == np.dtype(np.int64) or (
                earlier == np.dtype(np.int64) and changed.empty)
            floats = earlier == new == np.dtype(np.float64) and not changed.empty
            dtype = earlier if ints or floats else None
        else:
            dtype = None
        if dtype is None:
            return False
        for part in parts:
            if part[name].dtype != dtype:
                part[name] = part[name].astype(dtype)
    return True


def _bounds(starts: np.ndarray, begin: int, stop: int) -> list[int]:
    """Chunk boundaries after `begin` up to `stop` (itself the last, when after `begin`): each
    the first record start at least CHUNK bytes after the one before."""
    bounds, at = [], begin
    while at < stop:
        following = int(np.searchsorted(starts, at + CHUNK))
        at = min(int(starts[following]) if following < len(starts) else stop, stop)
        bounds.append(at)
    return bounds


def _digests(data: bytes, bounds) -> list[bytes]:
    view = memoryview(data)
    return [_sha1(view[a:b]) for a, b in zip(bounds, bounds[1:])]


def _sha1(chunk) -> bytes:
    return hashlib.sha1(chunk, usedforsecurity=False).digest()
