"""Load every source into one `Site`: the pure, Pelican-free model the pages are made from.

A section is a module with `load(site)` (read and validate its sources, add rows, datasets
and problems to the site) and `pages(site)` (yield the `Page`s to write). `sections.py`
lists them; loading runs every section and then raises one `DataError` with every problem,
so staff see all mistakes of a run together.
"""

from __future__ import annotations

import importlib.metadata
import json
import logging
import os
import subprocess
import weakref
from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Callable
from typing import Any

import pandas as pd

from . import reading, schema, splice
from .datasets import Dataset
from .errors import DataError, Problem
from .pagecache import row_digest_head, row_digests

logger = logging.getLogger(__name__)


class Page:
    """One HTML page to write: output path (relative to the site root), template, variables.

    `context` may also be a function that returns the variables: it is called only when the
    page is written, so a worker process does not compute the pages other workers write.
    `inputs`, when given, stands for the context in the page's cache key (pagecache.py):
    values that decide the context completely, such as the service a page is about and a hash
    of the statistics it shows, so a costly context is not built only to be hashed.
    A `last` page is rendered after all others, by the building process itself, once the work
    it shows is finished (`Site.background`, e.g. the all-data zip).
    """

    def __init__(self, path: str, template: str,
                 context: dict[str, Any] | Callable[[], dict[str, Any]], inputs: Any = None,
                 last: bool = False):
        self.path = path
        self.template = template
        self._context = context
        self.inputs = inputs
        self.last = last

    @property
    def context(self) -> dict[str, Any]:
        if callable(self._context):
            self._context = self._context()
        return self._context

    def __repr__(self) -> str:
        return f"Page({self.path!r}, {self.template!r})"


@dataclass
class NavItem:
    title: str
    url: str  # relative to the site root, e.g. "layanan/"


@dataclass
class Site:
    data_dir: Path
    settings: dict[str, Any] = field(default_factory=dict)
    root: Path | None = None  # the project root, used to show paths as staff know them
    providers: dict[str, Any] = field(default_factory=dict)
    services: dict[str, Any] = field(default_factory=dict)
    datasets: dict[str, Dataset] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    parts: dict[str, Any] = field(default_factory=dict)  # what later sections add
    downloads: dict[str, dict[str, Path]] = field(default_factory=dict)  # id → {format: its file}
    tables: Any = None  # pagecache.Tables when the cache is on: sources read before
    source_keys: dict[str, str] = field(default_factory=dict)  # stem → Tables key, cache on
    background: list = field(default_factory=list)  # parallel.Pending work the build awaits
    loaded: Callable[["Site"], None] | None = None  # `load_site`'s callback (`datasets_ready`)
    _table_keys: dict = field(default_factory=dict, repr=False)  # (stem, file, schema) → key
    _layouts: dict = field(default_factory=dict, repr=False)  # key → name of its splice.Layout
    # display → records parsed when only the changed ones were (`splice.py`)
    records_read: dict[str, int] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)  # stem → the file read, as displayed
    _keys_read: dict = field(default_factory=dict, repr=False)  # id → (key, weakref to frame)
    # key → (earlier key, and Spliced's before, parsed and resumed)
    _spliced: dict = field(default_factory=dict, repr=False)
    _scanned: dict = field(default_factory=dict, repr=False)  # id → (dataset, its findings)

    def scan_now(self, datasets) -> None:
        """Scan `datasets` for personal data before they are added to the site; `load_site`
        reports the findings with every other problem. The statistics call it while their
        survey part runs in another process, so a build without the cache scans the 2 M-row
        registers (1.3 s) meanwhile instead of after it. With the cache on, the scans are
        made by row at the end, most taken from the cache."""
        if self.tables:
            return
        for dataset in datasets:
            self._scanned[dataset.id] = (dataset, _privacy_scan(self, dataset, None))

    def display(self, path: Path) -> str:
        """`path` as staff see it in the repository, e.g. data/standar-pelayanan.csv."""
        base = self.root or self.data_dir.parent
        try:
            return os.path.relpath(path, base)
        except ValueError:
            return str(path)

    def source_name(self, stem: str) -> str:
        """The staff file of the table `stem` as messages name it: the one `read` found
        (data/penyelenggara.xlsx when the table is kept in a workbook), else its .csv."""
        return self.sources.get(stem) or self.display(self.data_dir / f"{stem}.csv")

    def has_problem(self, stem: str) -> bool:
        """Whether a problem was already reported for the table `stem` (its .csv or .xlsx):
        checks made from its rows then wait, rather than report what its own problems cause."""
        name = self.source_name(stem)
        return any(p.file == name for p in self.problems)

    def read(self, stem: str, schema_name: str | None = None, required: bool = True,
             schema_path: Path | None = None):
        """Read and validate `data/<stem>.csv` (or `.xlsx`); return the typed frame or None.

        Problems are recorded on the site; the frame keeps only the rows that passed. A table
        with a date refused as not yet come is not kept in the cache (`schema.today`).
        `schema_path` names a Table Schema file outside `schemas/` (e.g. beside scraped data).
        """
        path = reading.find_source(self.data_dir, stem)
        if path is None:
            if required:
                self.problems.append(Problem(self.display(self.data_dir / f"{stem}.csv"), None,
                    None, None, "berkas tidak ditemukan (juga tidak ada versi .xlsx-nya)"))
            return None
        display = self.sources[stem] = self.display(path)
        if path.is_dir():
            self.problems.append(Problem(display, None, None, None, reading.NOT_A_FILE))
            return None
        if schema_path is not None:
            table_schema = json.loads(Path(schema_path).read_text(encoding="utf-8"))
        else:
            table_schema = schema.load_schema(schema_name or stem)
        key = self._table_key(stem, path, table_schema)
        cached = self.tables.get(key) if key else None
        if cached is None:
            try:
                frame, problems, layout = self._read_changed(
                    path, display, table_schema, key) or _read_valid(
                    path, display, table_schema, key)
            except DataError as exc:
                self.problems.extend(exc.problems)
                return None
            cached = (frame, problems)
            if key and not schema.waits_for_a_date(problems) and \
                    self.tables.put(key, cached) and layout is not None:
                self.tables.put(self._layouts[key], layout)
        frame, problems = cached
        self.problems.extend(problems)
        if key:  # by id, checked by a weak reference: not kept alive for this
            self._keys_read[id(frame)] = (key, weakref.ref(frame))
        return frame

    def _read_changed(self, path: Path, display: str, table_schema: dict, key: str | None):
        """`_read_valid`, parsing only the records changed since the last build read the
        table (`splice.py`), when the cache is on and that reads what a whole read would;
        else None."""
        earlier = self.tables.get(self._layouts[key], keep=False) if key else None
        if not isinstance(earlier, splice.Layout):
            return None
        stored = self.tables.get(earlier.key, keep=False)
        if stored is None or stored[1]:
            return None
        changed = splice.read_changed(earlier, stored[0], path.read_bytes(), path, display,
                                      table_schema, key)
        if changed is None:
            return None
        self.records_read[display] = changed.records
        self._spliced[key] = (earlier.key, changed.before, changed.parsed, changed.resumed)
        return changed.frame, [], changed.layout

    def row_digests(self, frame: pd.DataFrame, rows: list[tuple] | None = None) -> list[str]:
        """`pagecache.row_digests` of a table `read` gave, kept in the cache beside it. After
        a read of its changed records alone, only their rows are hashed (the other 9 999
        services' 40 MB took 0.05 s)."""
        key, read = self._keys_read.get(id(frame), (None, None))
        if key is None or read() is not frame:
            return row_digests(frame, rows)
        name = f"{key}-baris-hash"
        digests = self.tables.get(name)
        if isinstance(digests, list) and len(digests) == len(frame):
            return digests
        earlier_key, before, parsed, resumed = self._spliced.get(key, (None, 0, 0, 0))
        earlier = self.tables.get(f"{earlier_key}-baris-hash", keep=False) if earlier_key \
            else None
        # the earlier rows' digests hold, unless a column's type changed (`splice`'s
        # `_typed_as_whole`): every digest starts with a hash of the columns and types
        if isinstance(earlier, list) and earlier and len(earlier) - resumed + before + \
                parsed == len(frame) and earlier[0].startswith(row_digest_head(frame)):
            new = slice(before, before + parsed)
            digests = [*earlier[:before], *row_digests(frame.iloc[new], rows and rows[new]),
                       *earlier[resumed:]]
        else:
            digests = row_digests(frame, rows)
        self.tables.put(name, digests)
        return digests

    def source_key(self, stem: str, schema_name: str | None = None) -> str | None:
        """The cache key `read` gives `data/<stem>.csv` (or `.xlsx`), without reading the
        table (None with the cache off or without the file); the stored table is kept for
        later builds all the same. With it, a section can skip tables whose results
        an earlier build computed."""
        path = reading.find_source(self.data_dir, stem) if self.tables else None
        if path is None:
            return None
        return self._table_key(stem, path, schema.load_schema(schema_name or stem))

    def _table_key(self, stem: str, path: Path, table_schema: dict) -> str | None:
        """The key of a source table in the cache, each file hashed once per build."""
        if not self.tables:
            return None
        display = self.display(path)
        memo = (stem, display, json.dumps(table_schema, sort_keys=True))
        if memo not in self._table_keys:
            self._table_keys[memo] = self.tables.key(path, display, table_schema)
        key = self.source_keys[stem] = self._table_keys[memo]
        self._layouts[key] = self.tables.layout_name(display, memo[2])
        # kept for later builds, whether it is loaded or not, and so is its layout
        self.tables.used.update((key, self._layouts[key]))
        return key

    def computed(self, name: str, inputs, compute: Callable[[], Any]) -> Any:
        """`compute()`, taken from the cache when an earlier build computed it from the same
        `inputs` with the same code (nothing is cached when the cache is off). `inputs` must
        decide the result: plain values, e.g. the `source_keys` of the tables it reads. The
        result is pickled, so it must not hold objects of the site model (a `Service`)."""
        if not self.tables:
            return compute()
        key = self.tables.result_key(name, inputs)
        value = self.tables.result(key)
        if value is None:
            value = compute()
            self.tables.put_result(key, value)
        return value

    def datasets_ready(self) -> None:
        """Say that the datasets added so far are complete, so the build may start on them
        (their downloads) while loading goes on. `load_site` says it after each section; a
        section may say it earlier, as soon as its datasets are made."""
        if self.loaded:
            self.loaded(self)

    def add_dataset(self, dataset: Dataset) -> None:
        if dataset.id in self.datasets:
            raise ValueError(f"dataset id {dataset.id!r} is used twice")
        self.datasets[dataset.id] = dataset


def _read_valid(path: Path, display: str, table_schema: dict, key: str | None = None
                ) -> tuple[pd.DataFrame, list, splice.Layout | None]:
    """Read and validate one source: (the rows that passed, typed; every problem found; with
    its cache `key`, where its records lie for the next build (`splice.py`), when it has no
    problem and the fast path read it)."""
    data = path.read_bytes()
    raw = reading.read_table(path, display, data)
    layout = splice.layout(data, raw, key, table_schema) if key else None
    del data  # not held while validating: the register's bytes are 115 MB
    frame, problems = schema.validate(raw, table_schema)
    if problems:
        layout = None
    bad_rows = {p.row for p in problems if p.row not in (None, 1)}
    rows = frame.attrs["row_numbers"]
    keep = ~rows.isin(bad_rows)
    frame = frame[keep]
    frame.attrs["row_numbers"] = rows[keep]
    frame.attrs["display"] = display
    return frame, problems, layout


def build_time(root: Path) -> pd.Timestamp:
    """The "built on" time: SOURCE_DATE_EPOCH, else the last git commit, else the epoch.

    Never the wall clock, so two builds of the same commit are byte-identical.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        try:
            epoch = subprocess.run(
                ["git", "log", "-1", "--format=%ct"], cwd=root, capture_output=True,
                text=True, check=True, timeout=30,
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            epoch = ""
    return pd.Timestamp(int(epoch or 0), unit="s", tz="Asia/Jakarta")


def load_site(data_dir: Path, settings: dict | None = None, root: Path | None = None,
              loaded: Callable[[Site], None] | None = None, prune: bool = True) -> Site:
    """Run every section's loader; raise DataError listing every problem found.

    `loaded(site)`, when given, is called after each section (and when a section says its
    datasets are ready, `Site.datasets_ready`), so the build can start on what was added
    (the datasets' downloads) while the rest loads. With the cache on, what this load did
    not use is removed from it, unless `prune` is false: then the caller, which caches
    more results after loading (the catalogue's), calls `site.tables.prune()` itself once
    done (its results are kept in memory for the next build at once all the same)."""
    from .sections import NAMES, SECTIONS

    from .pagecache import Tables, cache_folder

    site = Site(data_dir=Path(data_dir), settings=dict(settings or {}), root=root,
                loaded=loaded)
    folder = cache_folder(site.settings, root or site.data_dir.parent)
    site.tables = Tables(folder / "tabel") if folder else None
    stopped = []
    for section in SECTIONS:
        try:
            section.load(site)
        except DataError:
            raise
        except Exception:
            if not site.problems:
                raise
            # A table with a missing column or a wrong header, already reported, can trip a
            # later step that reads it: staff get the list of problems, which says what to
            # mend, not the traceback (kept in the debug log for whoever mends the code),
            # and the other sections are still checked.
            logger.debug("section %s stopped after problems were found", section.__name__,
                         exc_info=True)
            stopped.append(NAMES.get(section, section.__name__))
            continue
        site.datasets_ready()
    # No dataset is published with personal data in it (privacy.py, docs/ppid.md).
    # Which NIKs are real is python-stdnum's table of regions (one look at its version: 2 ms).
    stdnum = importlib.metadata.version("python-stdnum") if site.tables else None
    for dataset in site.datasets.values():
        scanned, found = site._scanned.pop(dataset.id, (None, None))
        site.problems.extend(found if scanned is dataset else
                             _privacy_scan(site, dataset, stdnum))
    site._scanned.clear()
    if site.tables and prune:
        site.tables.prune()
    elif site.tables:
        site.tables.hand_over()
    if stopped:
        site.problems.append(Problem(site.display(site.data_dir), None, None, None,
            f"pemeriksaan bagian {', '.join(stopped)} berhenti di tengah karena kesalahan di "
            "atas; perbaiki kesalahan itu lalu jalankan lagi, mungkin masih ada yang lain"))
    if site.problems:
        raise DataError(site.problems)
    return site


def _privacy_scan(site: Site, dataset, stdnum: str | None) -> list[Problem]:
    """What the personal-data scan finds in `dataset`. With the cache on, a computed table
    (`origin`) is scanned again only when its rows, schema or row numbers changed, and a
    table read from a source only in the rows that changed (`privacy.scan_rows`): a rebuild
    after one service row looks at that row, not at 10 000 (0.14 s)."""
    from .privacy import display_of, scan_datasets, scan_rows

    if not site.tables:
        return scan_datasets([dataset])
    if dataset.origin:  # the same rows, schema, file and row numbers: the same findings
        inputs = [dataset.origin, dataset.schema, *dataset.source_rows(), stdnum]
        return site.computed("privasi", inputs, lambda: scan_datasets([dataset]))
    frame = dataset.frame
    if list(frame.columns) != list(dataset.columns):  # the row hashes are of these columns
        return scan_datasets([dataset])
    try:
        types, hashes = dataset.row_hashes()  # made for the download's cache key anyway
    except TypeError:  # cells pandas cannot hash
        return scan_datasets([dataset])
    key = site.tables.result_key(
        "privasi-baris", [dataset.id, dataset.schema, dataset.columns, types, stdnum])
    known = site.tables.result(key) or {}
    found, rows = scan_rows(frame, dataset.schema, display_of(dataset), hashes.tolist(), known)
    if rows != known:
        site.tables.put_result(key, rows)
    return found


def all_pages(site: Site, after_files: bool | None = None):
    """Every page of every section. With `after_files`, only the pages of the sections whose
    pages show what `write_files` made (sizes, checksums: a section that sets
    `PAGES_AFTER_FILES = True`), or, with False, only those of the others."""
    from .sections import SECTIONS

    for section in SECTIONS:
        if after_files is None or after_files == getattr(section, "PAGES_AFTER_FILES", False):
            yield from section.pages(site)


def downloads_written(site: Site, output: Path, ids: set[str]) -> None:
    """Let each section that has `downloads_written(site, output, ids)` work on the datasets
    `ids`, whose downloads are all written (their checksums, say), while the build waits for
    the others; `write_files` follows once all are written."""
    from .sections import SECTIONS

    for section in SECTIONS:
        if hasattr(section, "downloads_written"):
            section.downloads_written(site, Path(output), ids)


def checksums_known(site: Site, checksums: dict[str, tuple[tuple, str]]) -> None:
    """Let each section that has `checksums_known(site, checksums)` take the SHA-256 of
    downloads just written elsewhere (path → (`pagecache.file_identity`, hex digest)), so
    it does not read them again."""
    from .sections import SECTIONS

    for section in SECTIONS:
        if hasattr(section, "checksums_known"):
            section.checksums_known(site, checksums)


def write_files(site: Site, output: Path) -> None:
    """Let each section that has `write_files(site, output)` write its non-page files.

    Runs after the downloads are written (so sizes and checksums can be read) and before the
    pages of sections with `PAGES_AFTER_FILES` are rendered (so they can show them); the
    pages of the other sections may render meanwhile, so no other section's pages may read
    what `write_files` makes.
    """
    from .sections import SECTIONS

    for section in SECTIONS:
        if hasattr(section, "write_files"):
            section.write_files(site, Path(output))
