"""What a published dataset is: its rows, its Table Schema and the metadata the catalogue needs.

Every section (service standards, codes of ethics, statistics, scraped sources) turns its
tables into `Dataset` objects; exports, landing pages and catalogue metadata are produced from
these alone, so a new kind of data is published by adding datasets, not by touching exporters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields

import pandas as pd

KIP_CATEGORIES = ("berkala", "serta_merta", "setiap_saat")
# Excel holds at most 1 048 576 rows a sheet, and writing a workbook is by far the slowest
# download (docs/performance.md). A table beyond either limit is offered as CSV and JSON only,
# and its landing page says why: nothing is ever cut off silently.
XLSX_MAX_ROWS = 1_048_575  # the sheet limit, less the header row
XLSX_MAX_CELLS = 1_000_000  # e.g. 50 000 rows of 20 columns: a few seconds to write


@dataclass
class Dataset:
    id: str  # slug; the dataset lives at /data/<id>/
    title: str
    description: str
    schema: dict  # Frictionless Table Schema of the published table
    frame: pd.DataFrame  # the rows to publish, typed, columns as in the schema
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
    def formats(self) -> tuple[str, ...]:
        """The download formats published for this table (see XLSX_MAX_CELLS)."""
        rows = len(self.frame)
        if rows > XLSX_MAX_ROWS or rows * len(self.columns) > XLSX_MAX_CELLS:
            return ("csv", "json")
        return ("csv", "json", "xlsx")

    def path(self, fmt: str) -> str:
        """Output path of one download, relative to the site root."""
        return download_path(self.id, fmt)

    def links(self) -> DownloadLinks:
        return DownloadLinks(self.id, self.title, self.formats)

    def fingerprint(self):
        """What a page showing this dataset depends on (pagecache.py): every field, the rows
        by their `origin` when it is known (two million rows are not hashed for one page)."""
        values = [(f.name, getattr(self, f.name)) for f in fields(self) if f.name != "frame"]
        return values + [("frame", ("origin", self.origin) if self.origin else self.frame)]


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

