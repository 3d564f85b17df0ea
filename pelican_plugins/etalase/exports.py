"""Write a dataset's downloads: CSV (RFC 4180, UTF-8), JSON (array of records), XLSX, and
Parquet for the very large tables that get no JSON or XLSX (`Dataset.formats`).

Output is byte-for-byte reproducible: no timestamps from the wall clock, fixed column order,
fixed workbook properties. Rows are written as they are streamed, so large tables are not
copied in memory more than once.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
from json.encoder import encode_basestring
from pathlib import Path

import numpy as np
import pandas as pd

from .datasets import XLSX_MAX_ROWS, Dataset

# Rough time per cell of each writer, relative to CSV: shares downloads out among the workers.
COST = {"csv": 1.0, "json": 1.3, "xlsx": 4.0, "parquet": 0.3}
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


def _cell(value):
    """A value as published: None for blank, ISO text for dates, plain ints and floats."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:  # NaN
        return None
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


CHUNK_ROWS = 50_000  # rows converted at a time, so a large table is never copied whole
# A yes/no value as the CSV downloads and the previews write it: as staff write it, and as the
# data dictionary says ("ya/tidak"); the published Table Schema declares them as the field's
# trueValues and falseValues (`catalogue.published_schema`). JSON keeps true and false.
BOOLEAN_TEXT = {True: "ya", False: "tidak"}


def text_of(value) -> str:
    """A published value (`_cell`) as the CSV and the preview show it ("" for a blank)."""
    if value is None:
        return ""
    if type(value) is bool:  # noqa: E721 (not an int that equals 1)
        return BOOLEAN_TEXT[value]
    return str(value)


def _published(column: pd.Series) -> list:
    """One column's values exactly as `_cell` gives them, converted a column at a time."""
    kind = column.dtype.kind
    if kind == "M" and getattr(column.dt, "tz", None) is None:
        # Never via tolist(): a Timestamp per cell is most of the time of a large export.
        # A register's two million dates hold a few hundred distinct days: each is
        # formatted once.
        codes, days = pd.factorize(column)  # a blank's code is -1
        if (days == days.normalize()).all():  # plain dates: ISO text
            texts = np.array(days.strftime("%Y-%m-%d").tolist() + [None], dtype=object)
            return texts[codes].tolist()  # -1: the last, None
    values = column.tolist()
    if kind in "fiub" or isinstance(column.dtype, (pd.StringDtype, pd.Int64Dtype)) or \
            all(type(v) is str for v in values):  # noqa: E721 (exactly str, not a subclass)
        return [None if v is None or v is pd.NA or v != v else v for v in values]
    return [_cell(v) for v in values]


def published_frame(dataset: Dataset) -> pd.DataFrame:
    """The dataset's table with its published columns in schema order, without `attrs`."""
    frame = dataset.frame.reindex(columns=dataset.columns)  # a new frame: its own attrs
    # pandas deep-copies `attrs` into every frame an operation makes: for a register that is
    # its two million row numbers, copied for every chunk and column (1.8 s of a 4.6 s CSV).
    frame.attrs = {}
    return frame


def published_columns(frame: pd.DataFrame, start: int, stop: int) -> list[list]:
    """The rows start…stop-1 of a `published_frame` as lists of published values, a list
    per column."""
    part = frame.iloc[start:stop]
    return [_published(part[c]) for c in part.columns]


def column_chunks(dataset: Dataset):
    """The dataset's columns (schema order) as lists of published values, a chunk of rows at
    a time."""
    frame = published_frame(dataset)
    for start in range(0, len(frame), CHUNK_ROWS):
        yield published_columns(frame, start, start + CHUNK_ROWS)


def rows(dataset: Dataset):
    """The dataset's rows as tuples of published values, in schema column order."""
    for columns in column_chunks(dataset):
        yield from zip(*columns)


def csv_text(columns: list[list]) -> str:
    """Rows (given as columns of published values) as CSV lines, each ending in CRLF: the
    bytes the `csv` module writes (RFC 4180, quotes only where needed)."""
    fields = [_csv_column(column) for column in columns] if len(columns) > 1 else [None]
    if None in fields:  # a kind of value left to the csv module (or a one-column table)
        if any(type(v) is bool for column in columns for v in column):  # noqa: E721
            columns = [[text_of(v) if type(v) is bool else v for v in column]  # noqa: E721
                       for column in columns]
        out = io.StringIO()
        csv.writer(out, lineterminator="\r\n").writerows(zip(*columns))  # None: empty
        return out.getvalue()
    if not fields[0]:
        return ""
    return "\r\n".join(map(",".join, zip(*fields))) + "\r\n"


_NEEDS_QUOTES = re.compile('[,"\r\n]')  # what makes the csv module quote a field


def _csv_column(values: list) -> list[str] | None:
    """One column's values as CSV fields, as the `csv` module writes them in a row of more
    than one field (it quotes a lone empty field), when they are only text, only integers or
    only floats, and blanks; else None. A column at a time: most of a big export's time
    went into the csv module's work per field."""
    present = set(map(type, values))
    kinds = present - {type(None)}
    if kinds == {str}:
        fields = ["" if v is None else v for v in values] if type(None) in present else values
        if _NEEDS_QUOTES.search("\x00".join(fields)):  # one look at the whole column
            fields = ['"' + v.replace('"', '""') + '"' if _NEEDS_QUOTES.search(v) else v
                      for v in fields]
        return fields
    if kinds == {bool}:
        return [text_of(v) for v in values]
    if kinds == {int} or kinds == {float}:  # str() of each, as the csv module writes them
        text = int.__repr__ if kinds == {int} else float.__repr__
        if type(None) in present:
            return ["" if v is None else text(v) for v in values]
        return list(map(text, values))
    if not kinds:
        return [""] * len(values)
    return None


def write_csv(dataset: Dataset, path: Path) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        fh.write(csv_text([[c] for c in dataset.columns]))  # the header
        for columns in column_chunks(dataset):
            fh.write(csv_text(columns))


def _json_value(value) -> str:
    if value is None:
        return "null"
    if type(value) is str:  # noqa: E721
        return encode_basestring(value)
    if type(value) is int:  # noqa: E721
        return int.__repr__(value)
    return json.dumps(value, ensure_ascii=False)


def _json_column(values: list) -> list[str]:
    """One column's values as JSON text. A column holding only text, only integers or only
    floats (and blanks) is encoded without a call per value: most of a big export."""
    present = set(map(type, values))
    kinds = present - {type(None)}
    if kinds == {str} or kinds == {int}:
        encode = encode_basestring if kinds == {str} else int.__repr__
        if type(None) in present:
            return ["null" if v is None else encode(v) for v in values]
        return list(map(encode, values))
    if kinds == {float}:  # NaN is already None; json.dumps writes a float as its repr,
        encoded = ["null" if v is None else float.__repr__(v) for v in values]
        if not {"inf", "-inf"} & set(encoded):  # except infinities ("Infinity")
            return encoded
    return list(map(_json_value, values))


def json_template(names: list[str]) -> str:
    """A %-template of one record of a table with the columns `names` (see `json_text`)."""
    return "{" + ", ".join(json.dumps(c, ensure_ascii=False).replace("%", "%%") + ": %s"
                           for c in names) + "}"


def json_text(template: str, columns: list[list]) -> str:
    """Rows (given as columns of published values) as JSON records, one per line, joined by
    ",\n" (no separator before the first or after the last)."""
    encoded = [_json_column(column) for column in columns]
    return ",\n".join(map(template.__mod__, zip(*encoded)))


# A JSON download is "[", "\n", the rows joined by ",\n", then JSON_END.
JSON_START, JSON_SEPARATOR, JSON_END = "[\n", ",\n", "\n]\n"


def write_json(dataset: Dataset, path: Path) -> None:
    """An array of records, one per line, as `json.dumps` writes each record."""
    template = json_template(dataset.columns)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("[")
        first = True
        for columns in column_chunks(dataset):
            fh.write("\n" if first else JSON_SEPARATOR)
            first = False
            fh.write(json_text(template, columns))
        fh.write(JSON_END)


def xlsx_book(dataset: Dataset, path: Path):
    """A workbook for `dataset` at `path`, its header row written: (book, sheet, wrap), where
    `wrap` is the format of a cell whose text has line breaks."""
    import xlsxwriter  # fast, streaming, and reproducible with fixed properties

    if len(dataset.frame) > XLSX_MAX_ROWS:
        raise ValueError(f"{dataset.id}: too many rows for one sheet; see Dataset.formats")
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True, "strings_to_numbers": False,
                                           "strings_to_urls": False, "strings_to_formulas": False})
    book.set_properties({"title": dataset.title, "created": dt.datetime(2000, 1, 1)})
    sheet = book.add_worksheet(dataset.id[:31])
    bold = book.add_format({"bold": True})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    for col, name in enumerate(dataset.columns):
        sheet.write_string(0, col, name, bold)
    return book, sheet, wrap


def xlsx_rows(sheet, wrap, first: int, columns: list[list]) -> set[int]:
    """Write rows (columns of published values) from the sheet's row `first` on (0-based:
    the header is row 0); return the rows with a cell in the `wrap` format."""
    wrapped = set()
    for r, row in enumerate(zip(*columns), start=first):
        for col, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                if "\n" in value:
                    sheet.write_string(r, col, value, wrap)
                    wrapped.add(r)
                else:
                    sheet.write_string(r, col, value, None)
            elif type(value) in (int, float):  # what `write` calls for them, without its
                sheet.write_number(r, col, value, None)  # dispatch (a bool is left to `write`)
            else:
                sheet.write(r, col, value)
    return wrapped


def xlsx_close(book, sheet) -> None:
    sheet.freeze_panes(1, 0)
    book.close()


def write_xlsx(dataset: Dataset, path: Path) -> None:
    book, sheet, wrap = xlsx_book(dataset, path)
    first = 1
    for columns in column_chunks(dataset):
        xlsx_rows(sheet, wrap, first, columns)
        first += len(columns[0])
    xlsx_close(book, sheet)


# Rows a Parquet row group holds: the writer converts and compresses one group at a time.
PARQUET_GROUP_ROWS = 500_000


def write_parquet(dataset: Dataset, path: Path) -> None:
    """The table as Parquet (fastparquet, zstd): each column keeps its type (text, whole
    numbers, decimals, dates as timestamps at midnight), blanks are nulls."""
    import fastparquet  # small, and reads back what it writes; pyarrow would be 170 MB

    frame = published_frame(dataset)
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind == "M":  # one unit, microseconds, which every reader takes
            frame[name] = column.dt.as_unit("us")
        elif column.dtype == object and pd.api.types.infer_dtype(
                column, skipna=True) not in ("string", "empty"):
            # Text columns go as UTF-8; an object column of anything else (dates, mixed
            # values) as the text the other downloads give it.
            frame[name] = pd.Series(_published(column), index=frame.index, dtype="string")
    fastparquet.write(str(path), frame, row_group_offsets=PARQUET_GROUP_ROWS,
                      compression="ZSTD", write_index=False, object_encoding="utf8")


WRITERS = {"csv": write_csv, "json": write_json, "xlsx": write_xlsx,
           "parquet": write_parquet}


def download_key(dataset: Dataset, store, fingerprints=None) -> str | None:
    """The cache key of a dataset's downloads: the dataset (`Dataset.fingerprint`: its rows,
    or their `origin`, and its metadata) and the code that writes them (`store.salt`); None
    without a cache or when the rows cannot be hashed."""
    if store is None:
        return None
    from .pagecache import Fingerprinter, Unhashable

    try:
        return (fingerprints or Fingerprinter()).digest([store.salt, dataset]).hex()
    except Unhashable:
        return None


def place_download(dataset: Dataset, fmt: str, output_dir: Path, store,
                   key: str | None) -> bool:
    """Link one download of `dataset` from the cache `store` into `output_dir`; False when
    it was not written before under `key` (or there is no key)."""
    if key is None:
        return False
    path = Path(output_dir) / dataset.path(fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not store.place(f"{key}.{fmt}", path):
        return False
    from . import pieces

    store.used.update(pieces.kept_keys(dataset.id, fmt, key))  # for when the table changes
    return True


def write_download(dataset: Dataset, fmt: str, output_dir: Path, store=None,
                   key: str | None = None) -> Path:
    """Write one download of `dataset` under `output_dir`, or link it from the cache `store`
    when it was written before under `key`; return its path."""
    if place_download(dataset, fmt, output_dir, store, key):
        return Path(output_dir) / dataset.path(fmt)
    return write_new_download(dataset, fmt, output_dir, store, key)


def write_new_download(dataset: Dataset, fmt: str, output_dir: Path, store=None,
                       key: str | None = None) -> Path:
    """Write one download that the cache does not have (`place_download` said so), and keep
    it in the cache `store` under `key`; return its path. A big table's download is written
    from the unchanged pieces of the last one (pieces.py)."""
    from . import pieces

    path = Path(output_dir) / dataset.path(fmt)
    path.parent.mkdir(parents=True, exist_ok=True)
    if key is not None and pieces.applies(dataset, fmt):  # only the changed pieces encoded
        pieces.write(dataset, fmt, path, store, key)
        return path
    WRITERS[fmt](dataset, path)
    if key is not None:
        store.keep(f"{key}.{fmt}", path)
    return path


def write_dataset(dataset: Dataset, output_dir: Path, store=None,
                  fingerprints=None) -> dict[str, Path]:
    """Write every download of `dataset` under `output_dir`; return {format: path}.

    With a `pagecache.Store`, a download whose rows, schema and metadata were written before
    is linked from the cache instead of being written again.
    """
    key = download_key(dataset, store, fingerprints)
    return {fmt: write_download(dataset, fmt, output_dir, store, key)
            for fmt in dataset.formats}
