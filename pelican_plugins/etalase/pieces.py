"""Write a big table's CSV or JSON download again from the unchanged pieces of the last one.

With the cache on, these downloads are written in pieces of about a thousand rows. Where a
piece ends is decided by the rows themselves (a row whose hash is a multiple of `BOUNDARY`
may end one, within `MIN_ROWS`…`MAX_ROWS`), so changing, adding or removing a row changes
only the piece it is in, not where the later pieces are cut. The cache keeps, beside each
download, where each of its pieces lies in it (by the hash of the piece's rows). When the
table changes, the new download copies the bytes of every piece it shares with the previous
one and encodes only the rows of the others: one changed row of a two-million-row register
means about a thousand rows encoded, not two million. The file is the same, byte for byte,
as `exports.write_csv` or `write_json` of the whole table.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from . import exports
from .datasets import Dataset

PIECED = ("csv", "json")
MIN_ROWS, BOUNDARY, MAX_ROWS = 256, 768, 4096  # about a thousand rows a piece
SMALLEST = 4 * (MIN_ROWS + BOUNDARY)  # smaller tables are written whole: cheap either way


def applies(dataset: Dataset, fmt: str) -> bool:
    """Whether this download is written in pieces (with a cache to keep them in)."""
    return fmt in PIECED and len(dataset.frame) >= SMALLEST


def list_key(dataset_id: str, fmt: str) -> str:
    """The cache entry that says where the pieces of a dataset's last download lie."""
    return f"potongan.{dataset_id}.{fmt}.json"


def ends(hashes: np.ndarray) -> list[int]:
    """Where each piece of rows with these row hashes ends (exclusive), in order."""
    found: list[int] = []
    start = 0
    for end in (np.flatnonzero(hashes % BOUNDARY == 0) + 1).tolist():
        while end - start > MAX_ROWS:
            start += MAX_ROWS
            found.append(start)
        if end - start >= MIN_ROWS:
            found.append(end)
            start = end
    total = len(hashes)
    while total - start > MAX_ROWS:
        start += MAX_ROWS
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
        hashes = pd.util.hash_pandas_object(frame, index=False).to_numpy()
    except TypeError:  # cells pandas cannot hash: written whole
        exports.WRITERS[fmt](dataset, path)
        store.keep(f"{key}.{fmt}", path)
        return len(frame)
    head = repr((store.salt, fmt, list(frame.columns), [str(t) for t in frame.dtypes])).encode()
    template = exports.json_template(dataset.columns) if fmt == "json" else ""
    spots, previous = _previous(store, dataset.id, fmt)
    bounds = ends(hashes)
    digests = [hashlib.blake2b(head + hashes[start:end].tobytes(), digest_size=16).hexdigest()
               for start, end in zip([0, *bounds], bounds)]
    missing = [digest not in spots for digest in digests]
    made: list[tuple[str, int, int]] = []
    encoded = start = 0
    block, block_start, block_end = [], 0, 0  # published values of the rows being encoded
    with open(path, "wb") as out, contextlib.ExitStack() as stack:
        old = stack.enter_context(open(previous, "rb")) if previous else None
        out.write((exports.csv_text([[c] for c in dataset.columns]) if fmt == "csv"
                   else exports.JSON_START).encode())
        for number, (end, digest) in enumerate(zip(bounds, digests)):
            if fmt == "json" and start:
                out.write(exports.JSON_SEPARATOR.encode())
            if not missing[number]:
                offset, length = spots[digest]
                data = os.pread(old.fileno(), length, offset)
            else:
                if end > block_end:  # converted together: the following missing pieces too,
                    block_start, block_end = start, end  # up to CHUNK_ROWS rows
                    for later, also in zip(bounds[number + 1:], missing[number + 1:]):
                        if not also or later - start > exports.CHUNK_ROWS:
                            break
                        block_end = later
                    block = exports.published_columns(frame, block_start, block_end)
                columns = [c[start - block_start:end - block_start] for c in block]
                data = (exports.csv_text(columns) if fmt == "csv"
                        else exports.json_text(template, columns)).encode()
                encoded += end - start
            made.append((digest, out.tell(), len(data)))
            out.write(data)
            start = end
        if fmt == "json":
            out.write(exports.JSON_END.encode())
    store.keep(f"{key}.{fmt}", path)
    store.keep_text(list_key(dataset.id, fmt), json.dumps({"file": f"{key}.{fmt}",
                                                           "pieces": made}))
    return encoded


def _previous(store, dataset_id: str, fmt: str) -> tuple[dict[str, tuple[int, int]], str | None]:
    """Where each piece of the last download lies ({hash: (offset, length)}), and the path of
    that download in the cache; nothing when the cache has no such list or file."""
    listed = store.stored(list_key(dataset_id, fmt))
    if listed is None:
        return {}, None
    try:
        with open(listed, encoding="utf-8") as fh:
            known = json.load(fh)
        previous = store.stored(known["file"])
        spots = {digest: (offset, length) for digest, offset, length in known["pieces"]}
    except (OSError, ValueError, KeyError, TypeError):  # unreadable: every piece is encoded
        return {}, None
    return (spots, previous) if previous else ({}, None)
