"""What a published dataset is: its rows, its Table Schema and the metadata the catalogue needs.

Every section (service standards, codes of ethics, statistics, scraped sources) turns its
tables into `Dataset` objects; exports, landing pages and catalogue metadata are produced from
these alone, so a new kind of data is published by adding datasets, not by touching exporters.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields

import numpy as np
import pandas as pd

KIP_CATEGORIES = ("berkala", "serta_merta", "setiap_saat")
# Every table is published as CSV, JSON and Excel, unless it is very large: Excel holds at
# most 1 048 576 rows a sheet, and writing a workbook is by far the slowest download; a JSON
# array of millions of records runs to hundreds of megabytes that most tools must read whole
# (docs/performance.md, item 117). A table beyond either limit is offered as CSV and Parquet
# (typed, compressed columns: a two-million-row register in 8 MB instead of 231 MB of JSON),
# and its landing page says why: nothing is ever cut off silently.
FORMATS = ("csv", "json", "xlsx")
LARGE_FORMATS = ("csv", "parquet")
FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "xlsx": "Excel (XLSX)", "parquet": "Parquet"}
XLSX_MAX_ROWS = 1_048_575  # the sheet limit, less the header row
XLSX_MAX_CELLS = 1_000_000  # e.g. 50 000 rows of 20 columns: a few seconds to write
TEMPORAL_NAMES = ("tanggal", "tahun", "bulan", "periode")  # columns tried when no date column


def format_label(fmt: str, short: bool = False) -> str:
    """A download format's name for readers: "Excel (XLSX)", or "Excel" in a short list of
    links (the templates' `nama_format` filter)."""
    if short and fmt == "xlsx":
        return "Excel"
    return FORMAT_LABELS.get(fmt, fmt.upper())


@dataclass(frozen=True)
class StoredRows:
    """A dataset's rows kept apart (in the cache) until something reads `Dataset.frame`,
    which calls `read()` then, with what the pages, the catalogue and the privacy check ask
    of the rows without needing them: how many there are, the days they cover and where
    they were read from. A rebuild of a national site then does not read the 160 MB of
    computed tables whose downloads and pages it takes from the cache."""

    read: Callable[[], pd.DataFrame] | None  # None in the cache; bound by the build using it
    count: int
    coverage: tuple[str, str] | None  # `Dataset.coverage`
    source_rows: tuple[str | None, str | None]  # `Dataset.source_rows`

    @classmethod
    def of(cls, dataset: Dataset) -> StoredRows:
        """What is known of `dataset`'s rows (with its frame in memory), to store without them."""
        return cls(None, dataset.row_count, dataset.coverage(), dataset.source_rows())


@dataclass
class Dataset:
    id: str  # slug; the dataset lives at /data/<id>/
    title: str
    description: str
    schema: dict  # Frictionless Table Schema of the published table
    # The rows to publish, typed, columns as in the schema; given as `StoredRows`, they are
    # read on first use (the property below), and not by `repr` or `==`.
    frame: pd.DataFrame = field(repr=False, compare=False)
    theme: str  # catalogue theme, e.g. "layanan", "kinerja", "informasi-publik"
    source: str | None = None  # the staff file it comes from, e.g. data/standar-pelayanan.csv
    kip_category: str = "berkala"
    berkala_item: int | None = None  # which of the ten periodic items (DOMAIN.md §1) it fulfils
    keywords: list[str] = field(default_factory=list)
    publisher: str | None = None  # provider kode; None = the site's public body
    frequency: str = "irregular"
    license: str | None = None  # None = the site default
    extra: dict = field(default_factory=dict)
    # Catalogue metadata (catalogue.py); each default is filled in from git or the settings.
    issued: str | None = None  # ISO date first published; None = first git commit of `source`
    temporal: tuple[str, str] | None = None  # ISO start/end; None = range of `temporal_field`
    temporal_field: str | None = None  # date column giving the coverage; None = first date column
    contact_point: str | None = None  # e-mail; None = the site's PPID (ETALASE_PPID_EMAIL)
    # A hash of the rows, when the section has it without hashing them again (it is computed
    # with them and cached, `Site.computed`): the download cache and the privacy scan key on
    # it instead of hashing millions of rows on every build.
    origin: str | None = None

    @property
    def columns(self) -> list[str]:
        return [f["name"] for f in self.schema["fields"]]

    @property
    def stored_rows(self) -> StoredRows | None:
        """The rows as they wait in the cache, not read yet; None when they are in memory."""
        rows = self.__dict__["_frame"]
        return rows if isinstance(rows, StoredRows) else None

    @property
    def row_count(self) -> int:
        """How many rows are published (without reading stored rows)."""
        stored = self.stored_rows
        return stored.count if stored else len(self.frame)

    def coverage(self) -> tuple[str, str] | None:
        """The period the dataset covers: its own `temporal`, else the first and last day of
        its rows' time column: `temporal_field`, else the first date column, else a column
        named tahun / bulan / periode (years `2025`, months `2025-05`). None when the table
        has none (or it is empty)."""
        if self.temporal:
            return tuple(self.temporal)
        stored = self.stored_rows
        if stored:
            return stored.coverage
        rows = self.frame
        fields_ = self.schema["fields"]
        column = self.temporal_field or next(
            (f["name"] for f in fields_ if f.get("type") in ("date", "datetime")),
            next((f["name"] for f in fields_ if f.get("type") in ("year", "yearmonth")
                  or f["name"] in TEMPORAL_NAMES), None))
        if column is None or column not in rows or rows.empty:
            return None
        return _bounds(rows[column])

    def source_rows(self) -> tuple[str | None, str | None]:
        """The source file the rows were read from and a hash of their row numbers in it (the
        frame's `attrs`, as `Site.read` sets them), each None when not known."""
        stored = self.stored_rows
        if stored:
            return stored.source_rows
        rows = self.frame
        numbers = rows.attrs.get("row_numbers")
        return rows.attrs.get("display"), None if numbers is None else hashlib.blake2b(
            np.asarray(numbers, dtype="int64").tobytes()).hexdigest()

    @property
    def formats(self) -> tuple[str, ...]:
        """The download formats published for this table: FORMATS, or LARGE_FORMATS beyond
        XLSX_MAX_ROWS rows or XLSX_MAX_CELLS cells."""
        rows = self.row_count
        if rows > XLSX_MAX_ROWS or rows * len(self.columns) > XLSX_MAX_CELLS:
            return LARGE_FORMATS
        return FORMATS

    def path(self, fmt: str) -> str:
        """Output path of one download, relative to the site root."""
        return download_path(self.id, fmt)

    def links(self) -> DownloadLinks:
        return DownloadLinks(self.id, self.title, self.formats)

    def row_hashes(self) -> tuple[list[str], np.ndarray]:
        """The published columns' types and a 64-bit hash of each published row (pandas'
        `hash_pandas_object`, unless given: `take_row_hashes`), made once: the download
        cache's key (`fingerprint`), the privacy scan of the changed rows and the pieces of
        a big download (`pieces.write`, in the forked writers, which share them) are made
        from them. Raises TypeError for cells pandas cannot hash. Made again when the rows
        are replaced (`frame = ...`) or the published columns change; a dataset's rows are
        never edited in place once it is made (no section does)."""
        from .exports import published_frame  # (exports is made from this module)

        columns = self.columns
        made = self.__dict__.get("_row_hashes")
        if made is None or made[0] != columns:
            frame = published_frame(self)
            made = self.__dict__["_row_hashes"] = (
                columns, [str(t) for t in frame.dtypes],
                pd.util.hash_pandas_object(frame, index=False).to_numpy())
        return made[1], made[2]

    def take_row_hashes(self, hashes: np.ndarray) -> None:
        """Take `hashes` as the `row_hashes` of `frame`, whose columns must be the published
        ones in order: one uint64 per row, made from every cell and each column's type by a
        section that hashed the rows anyway (`services`: 10 000 services' rows, 0.1 s with
        pandas)."""
        frame = self.frame
        if list(frame.columns) != self.columns or len(hashes) != len(frame):
            raise ValueError(f"dataset {self.id}: row hashes of other rows or columns")
        self.__dict__["_row_hashes"] = (self.columns, [str(t) for t in frame.dtypes],
                                        np.asarray(hashes, dtype=np.uint64))

    def fingerprint(self):
        """What a page or a download showing this dataset depends on (pagecache.py): every
        field, the rows by their `origin` when it is known (two million rows are not hashed
        for one page), else by `row_hashes`."""
        values = [(f.name, getattr(self, f.name)) for f in fields(self) if f.name != "frame"]
        if self.origin:
            return values + [("frame", ("origin", self.origin))]
        try:
            types, hashes = self.row_hashes()
        except TypeError:  # cells pandas cannot hash: the walker decides (pagecache.py)
            return values + [("frame", self.frame)]
        return values + [("frame", ("rows", types, hashlib.blake2b(hashes.tobytes()).hexdigest()))]


def _frame(dataset: Dataset) -> pd.DataFrame:
    rows = dataset.__dict__["_frame"]
    if isinstance(rows, StoredRows):
        if rows.read is None:
            raise RuntimeError(f"dataset {dataset.id}: its stored rows have no reader")
        rows = dataset.__dict__["_frame"] = rows.read()
    return rows


def _set_frame(dataset: Dataset, rows: pd.DataFrame | StoredRows) -> None:
    dataset.__dict__["_frame"] = rows
    dataset.__dict__.pop("_row_hashes", None)


# After the class is made, so that the dataclass's own `__init__` sets the rows through it.
Dataset.frame = property(_frame, _set_frame, doc="The rows, read on first use if stored.")


def _bounds(values: pd.Series) -> tuple[str, str] | None:
    """First and last day covered by a column of dates, years (2025) or months (2025-05)."""
    values = values.dropna()
    if values.empty:
        return None
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.min().date().isoformat(), values.max().date().isoformat()
    text = values.astype(str).str.strip()
    for pattern, start, end in ((r"\d{4}", "{}-01-01", "{}-12-31"),
                                (r"\d{4}-\d{2}", "{}-01", None)):
        if text.str.fullmatch(pattern).all():
            first, last = text.min(), text.max()
            if end:
                return start.format(first), end.format(last)
            last_day = (pd.Period(last, freq="M").end_time.date()).isoformat()
            return start.format(first), last_day
    dates = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce").dropna()
    if dates.empty:
        return None
    return dates.min().date().isoformat(), dates.max().date().isoformat()


def download_path(dataset_id: str, fmt: str) -> str:
    return f"data/{dataset_id}/{dataset_id}.{fmt}"


@dataclass(frozen=True)
class DownloadLinks:
    """What a page needs to link to a dataset's downloads. Pages get this instead of the
    `Dataset`, so their cache key (pagecache.py) does not cover, and hash, every row."""

    id: str
    title: str
    formats: tuple[str, ...]

    def path(self, fmt: str) -> str:
        return download_path(self.id, fmt)


class DownloadIndex(Mapping):
    """Every dataset's `DownloadLinks` by id, as pages get them (`datasets[id].path("csv")`).

    Read-only, and fingerprinted once per build rather than entry by entry on every page."""

    def __init__(self, datasets: dict[str, Dataset]):
        self._links = {id_: dataset.links() for id_, dataset in datasets.items()}

    def __getitem__(self, id_: str) -> DownloadLinks:
        return self._links[id_]

    def __iter__(self):
        return iter(self._links)

    def __len__(self) -> int:
        return len(self._links)

    def fingerprint(self):
        return [(links.id, links.title, links.formats) for links in self._links.values()]

