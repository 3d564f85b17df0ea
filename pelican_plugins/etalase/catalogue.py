"""Section: the open data catalogue — every dataset findable, documented, harvestable, versioned.

Runs LAST (see sections.py) so it sees the datasets of every other section. Three phases:

* `load(site)`: cheap checks of each dataset's catalogue metadata, the "Data" menu item, and
  the public descriptions staff gave past changes (`data/riwayat-keterangan.csv`);
* `write_files(site, output)`: after the downloads are written, compute their sizes and
  SHA-256, read each dataset's history from git (publishing past versions), and write the
  machine-readable files: per dataset `datapackage.json` and an Atom feed; for the catalogue
  `data.json` (Project Open Data v1.1), `catalog.ttl` and `catalog.jsonld` (DCAT-AP 3), the
  site-wide Atom feed and the reproducible "download everything" zip;
* `pages(site)`: the landing pages `/data/<id>/`, the catalogue `/data/` and its browse pages
  by theme `/data/tema/<tema>/` and by publisher `/data/penerbit/<kode>/`.

The mapping to the four metadata vocabularies lives in `metadata.py` alone.
"""

from __future__ import annotations

import dataclasses
import functools
import importlib.metadata
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from markupsafe import Markup
from slugify import slugify

from . import archive, exports, feeds, history, metadata, parallel, reading, schema
from .archive import write_zip
from .datasets import KIP_CATEGORIES, LARGE_FORMATS, Dataset, format_label
from .errors import DataError, Problem
from .metadata import FREQUENCIES, Agent, Download, Record
from .pagecache import FileFacts, Store, Unhashable, cache_folder
from .site import NavItem, Page, Site, build_time
from .textformat import tanggal

logger = logging.getLogger(__name__)

DEFAULTS = {
    "ETALASE_PUBLISHER": "Pemerintah Kota Tanjung Harapan",
    "ETALASE_PPID_EMAIL": "ppid@tanjungharapankota.example",
    "ETALASE_LICENSE": "https://creativecommons.org/licenses/by/4.0/",
    "ETALASE_PUBLISHER_TYPE": "LocalAuthority",  # ADMS publisher type (DCAT-AP)
    "ETALASE_HISTORY_VERSIONS": 20,  # newest versions compared row by row and published
    "ETALASE_PREVIEW_ROWS": 10,
    "ETALASE_SPATIAL": None,  # URI of the area the data covers (DCAT dct:spatial)
    "CANONICAL_URL": "https://example.invalid",
    "TIMEZONE": "Asia/Jakarta",
}
ZIP_NAME = "etalase-semua-data.zip"
ARCHIVED_FORMATS = ("csv",)  # the zip's copy of each dataset, beside its datapackage.json
HISTORY_SHOWN = 100  # versions listed on a landing page
# The catalogue's pages show sizes and checksums of the downloads: they are rendered after
# `write_files` (site.py), while every other section's pages may render beside the downloads.
PAGES_AFTER_FILES = True

KIP_LABELS = {
    "berkala": ("Informasi berkala", "Pasal 9 UU 14/2008",
                "diumumkan secara rutin, paling lambat setiap enam bulan, tanpa perlu diminta."),
    "serta_merta": ("Informasi serta-merta", "Pasal 10 UU 14/2008",
                    "diumumkan segera karena menyangkut hajat hidup orang banyak dan "
                    "ketertiban umum."),
    "setiap_saat": ("Informasi tersedia setiap saat", "Pasal 11 UU 14/2008",
                    "wajib tersedia dan diberikan kapan pun diminta."),
}
BERKALA_ITEMS = {
    1: "profil badan publik", 2: "ringkasan program dan kegiatan", 3: "ringkasan kinerja",
    4: "ringkasan laporan keuangan", 5: "ringkasan akses informasi publik",
    6: "peraturan, keputusan, dan kebijakan yang mengikat publik",
    7: "hak dan tata cara memperoleh informasi, keberatan, dan sengketa",
    8: "tata cara pengaduan penyalahgunaan wewenang", 9: "pengumuman pengadaan barang dan jasa",
    10: "prosedur peringatan dini dan evakuasi keadaan darurat",
}
TYPE_LABELS = {"string": "teks", "integer": "bilangan bulat", "number": "angka",
               "date": "tanggal (TTTT-BB-HH)", "boolean": "ya/tidak", "datetime": "tanggal dan jam",
               "year": "tahun"}


def setting(site: Site, name: str):
    return site.settings.get(name) or DEFAULTS.get(name)


def base_url(site: Site) -> str:
    return str(setting(site, "CANONICAL_URL")).rstrip("/")


# --- load: cheap checks --------------------------------------------------------------------


def load(site: Site) -> None:
    for dataset in site.datasets.values():
        site.problems.extend(check_metadata(dataset))
    if site.datasets:
        site.nav.append(NavItem("Data", "data/"))
    site.parts[CHANGE_NOTES] = change_notes(site)


# data/riwayat-keterangan.csv: the public description of past changes, by commit.
CHANGE_NOTES = history.NOTES_FILE.removesuffix(".csv")


def change_notes(site: Site) -> dict[str, str]:
    """Whole commit hash → the description staff gave that change for the public
    (`data/riwayat-keterangan.csv`, optional). A commit git does not know is named in a
    warning: a mistyped hash, or one beyond a shallow clone (CI), changes nothing published."""
    frame = site.read(CHANGE_NOTES, required=False)
    if frame is None or frame.empty:
        return {}
    notes = {}
    shallow = history.is_shallow(site.data_dir)
    shas = history.full_shas(site.data_dir, list(frame["commit"]))
    for sha, commit, text, row in zip(shas, frame["commit"], frame["keterangan"],
                                      frame.attrs["row_numbers"]):
        if sha is None and not shallow:  # in a shallow clone it may lie beyond the clone
            logger.warning("%s baris %d, kolom commit: \"%s\" bukan commit di riwayat git "
                           "folder ini; keterangannya tidak dipakai. Salin kodenya dari "
                           "`git log --oneline`", frame.attrs["display"], row, commit)
        elif sha is not None:
            notes[sha] = text
    return notes


def check_metadata(dataset: Dataset) -> list[Problem]:
    """What is wrong with a dataset's catalogue metadata, as problems for the build report."""
    where = dataset.source or f"dataset {dataset.id}"
    found = []
    if dataset.frequency not in FREQUENCIES:
        found.append(Problem(where, None, "frequency", dataset.frequency,
                             "bukan frekuensi yang dikenal; pilih: " + ", ".join(FREQUENCIES)))
    if dataset.kip_category not in KIP_CATEGORIES:
        found.append(Problem(where, None, "kip_category", dataset.kip_category,
                             "bukan kategori informasi yang boleh diterbitkan; pilih: "
                             + ", ".join(KIP_CATEGORIES)))
    if dataset.berkala_item is not None and dataset.berkala_item not in BERKALA_ITEMS:
        found.append(Problem(where, None, "berkala_item", str(dataset.berkala_item),
                             "bukan nomor butir informasi berkala (1 sampai 10)"))
    if dataset.temporal_field and dataset.temporal_field not in dataset.columns:
        found.append(Problem(where, None, "temporal_field", dataset.temporal_field,
                             "bukan kolom dataset ini"))
    return found


# --- the catalogue entry of one dataset ---------------------------------------------------


@dataclass
class FileInfo:
    format: str
    label: str
    path: str  # relative to the site root
    size: int
    sha256: str

    @property
    def size_text(self) -> str:
        return human_size(self.size)


@dataclass
class Entry:
    """One dataset with everything its landing page and the metadata files need."""

    dataset: Dataset
    record: Record
    history: history.History
    files: list[FileInfo]
    publisher_code: str
    versions: dict[str, str] = field(default_factory=dict)  # version slug → CSV path
    jsonld: Markup = Markup("")
    withheld: set[str] = field(default_factory=set)  # versions not republished (personal data)

    @property
    def id(self) -> str:
        return self.dataset.id

    @property
    def url(self) -> str:
        return f"data/{self.dataset.id}/"


def human_size(size: int) -> str:
    """A file size for people, Indonesian style: `812 bita`, `12,4 KB`, `3,1 MB`."""
    if size < 1024:
        return f"{size} bita"
    for unit in ("KB", "MB", "GB", "TB"):
        size /= 1024
        if size < 1024 or unit == "TB":
            return f"{size:.1f} {unit}".replace(".", ",")
    raise AssertionError("unreachable")


def file_info(path: Path, facts: FileFacts | None = None) -> tuple[int, str]:
    """(size in bytes, SHA-256 hex) of a written file. `facts` remembers the checksum by the
    file's identity: a download linked from the cache is not read again (1.3 GB at national
    scale)."""
    path = Path(path)
    digest = facts.get(path, "sha256", archive.sha256_of) if facts else archive.sha256_of(path)
    return path.stat().st_size, digest


def published_schema(table_schema: dict, resources: set[str] | None) -> dict:
    """The Table Schema as published: without input-only hints and `$schema`, and with
    foreign keys only when the resource they point to is in the same package (`resources`).

    A per-dataset package holds one resource, so a key into another dataset (standar-pelayanan
    → penyelenggara) is dropped there; the catalogue-wide package in the zip keeps it.
    """
    out = {k: v for k, v in table_schema.items() if k != "$schema" and not k.startswith("etalase:")}
    out["fields"] = [{k: v for k, v in f.items() if not k.startswith("etalase:")}
                     for f in table_schema["fields"]]
    for field in out["fields"]:
        if field.get("type") == "boolean":  # as the CSV writes them (exports.BOOLEAN_TEXT)
            field["trueValues"] = [exports.BOOLEAN_TEXT[True]]
            field["falseValues"] = [exports.BOOLEAN_TEXT[False]]
    keys = [fk for fk in table_schema.get("foreignKeys", [])
            if fk.get("reference", {}).get("resource", "") == ""
            or (resources is not None and fk["reference"]["resource"] in resources)]
    if keys:
        out["foreignKeys"] = keys
    else:
        out.pop("foreignKeys", None)
    return out


def _publisher(site: Site, dataset: Dataset) -> tuple[str, Agent]:
    base = base_url(site)
    provider = site.providers.get(dataset.publisher) if dataset.publisher else None
    kind = setting(site, "ETALASE_PUBLISHER_TYPE")
    if provider is not None:
        return provider.kode, Agent(provider.nama, url=f"{base}/penyelenggara/{provider.kode}/",
                                    uri=f"{base}/penyelenggara/{provider.kode}/#penyelenggara",
                                    kind=kind)
    name = setting(site, "ETALASE_PUBLISHER")
    return slugify(name), Agent(name, url=f"{base}/", uri=f"{base}/#penerbit", kind=kind)


def _contact(site: Site, dataset: Dataset) -> Agent:
    name = f"PPID {setting(site, 'ETALASE_PUBLISHER')}"
    if dataset.contact_point:
        return Agent(name, email=dataset.contact_point)
    return Agent(name, email=setting(site, "ETALASE_PPID_EMAIL"),
                 uri=f"{base_url(site)}/data/#kontak")


def _source_path(site: Site, dataset: Dataset) -> Path:
    if not dataset.source:
        return site.data_dir  # a computed table: it changes when the data changes
    base = site.root or site.data_dir.parent
    return (Path(base) / dataset.source).resolve()


def is_source_table(dataset: Dataset, source: Path) -> bool:
    """Whether the dataset publishes its source file as it is (same rows, same columns).

    Only then are past versions of the file compared and published under the dataset's
    name. A computed or filtered table (statistics, a register without personal columns)
    lists the commits of its source but never republishes the source's old rows.
    """
    if not dataset.source or not source.is_file() or \
            source.suffix.lower() not in (".csv", ".xlsx"):
        return False
    try:
        raw = reading.read_table(source, dataset.source)
    except DataError:
        return False
    frame, problems = schema.validate(raw, dataset.schema)
    if problems or len(frame) != len(dataset.frame):
        return False
    key = [k for k in history.primary_key(dataset.schema) if k in dataset.columns]
    return history.row_diff(frame, dataset.frame, dataset.columns, key).empty


def personal_data(frame: pd.DataFrame, dataset: Dataset, version: history.Version) -> bool:
    """Whether an old version holds personal data that today's checks would refuse.

    Staff may have committed a phone number or NIK and removed it later; that old version
    must not come back through the history (UU 27/2022). Uses the site's privacy scanner.
    """
    try:
        from .privacy import scan_frame
    except ImportError:  # no scanner in this build: publish as before
        return False
    return bool(scan_frame(frame, dataset.schema, f"{dataset.source}@{version.commit.short}"))


def _is_source_table(site: Site, dataset: Dataset, source: Path) -> bool:
    """`is_source_table`, taken from the cache when an earlier build compared the same
    bytes of the source with the same rows (it reads and checks the source again: 6 s for a
    province's 2 M-row request register)."""
    if not site.tables or not source.is_file():  # (a folder, or a computed table: no)
        return is_source_table(dataset, source)
    try:
        return site.computed("tabel-sumber", [
            site.tables.key(source, dataset.source or "", dataset.schema),
            ("origin", dataset.origin) if dataset.origin else dataset.frame],
            lambda: is_source_table(dataset, source))
    except Unhashable:  # rows with cells that have no stable hash: compared every time
        return is_source_table(dataset, source)


def _source_history(site: Site, dataset: Dataset, source: Path, commits: list[history.Commit],
                    output: Path, timezone: str
                    ) -> tuple[history.History, dict[str, str], set[str]]:
    """The history of a table published as its source is (`is_source_table`; `commits`, those
    that touched it), each version read from git written under `output` unless it holds
    personal data: (the history, the site path of each version written by its slug, the
    slugs withheld).

    With the cache on, what an earlier build made from the same commits is taken from the
    cache, its version files linked: reading, checking, comparing and writing 20 versions of
    every source table took 12 s of each national rebuild. After a new commit, only the
    versions committed since are read (`history.Compared`), and the version before them is
    compared by the row hashes kept of it."""
    limit = int(setting(site, "ETALASE_HISTORY_VERSIONS"))
    versions: dict[str, str] = {}
    withheld: set[str] = set()
    store = _version_store(site)
    shallow = history.is_shallow(source)
    # What decides each version's findings and file, whatever the commits after it.
    table = store and site.tables.result_key("riwayat-tabel", [
        dataset.id, dataset.source, dataset.schema, limit, timezone, shallow,
        importlib.metadata.version("python-stdnum")])  # which NIKs the privacy scan knows

    def stored(slug: str) -> str:
        """The key of a version's file in the store."""
        return f"{table}-{slug}"

    def publish(version: history.Version, frame: pd.DataFrame) -> str | None:
        if personal_data(frame, dataset, version):
            withheld.add(version.slug)  # an old version with personal data is never republished
            return None
        rel = f"data/{dataset.id}/versi/{version.slug}/{dataset.id}.csv"
        target = output / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.unlink(missing_ok=True)  # may be linked from the cache: never written through
        exports.write_csv(dataclasses.replace(dataset, frame=frame), target)
        versions[version.slug] = rel
        if store:
            store.keep(stored(version.slug), target)
        return rel

    def reuse(version: history.Version, rel: str | None) -> bool:
        """Whether the version published earlier as `rel` (None: withheld) is placed again."""
        if rel is None:
            withheld.add(version.slug)
            return True
        # The cached whole history may have placed it already, before finding another
        # version's file gone from the store.
        (output / rel).unlink(missing_ok=True)
        if store.place(stored(version.slug), output / rel):
            versions[version.slug] = rel
        else:
            return False
        return True

    if store is None:
        past = history.dataset_history(source, dataset.schema, display=dataset.source or "",
                                       limit=limit, timezone=timezone, publish=publish)
        return past, versions, withheld
    key = site.tables.result_key("riwayat", [table, [(c.sha, c.timestamp, c.subject)
                                                     for c in commits]])
    found = site.tables.result(key)
    if found is not None and all(store.place(stored(slug), output / rel)
                                 for slug, rel in found[1].items()):
        site.tables.keep(table)  # what the next commit's build reads instead of every version
        return found
    earlier = site.tables.result(table)
    compared = history.Compared()
    past = history.dataset_history(
        source, dataset.schema, display=dataset.source or "", limit=limit, timezone=timezone,
        publish=publish, earlier=earlier if isinstance(earlier, history.Compared) else None,
        reuse=reuse, found=compared)
    result = past, versions, withheld
    # A version git did not give (it failed, or the file is gone in that commit) is asked
    # for again next time rather than kept as unreadable.
    if not past.missing:
        site.tables.put_result(key, result)
        site.tables.put_result(table, compared)
    return result


_VERSIONS = "katalog_versi"  # in `site.parts` until `write_files`: the store of version files


def _version_store(site: Site) -> Store | None:
    """Where the cache keeps the past versions' files (None with the cache off)."""
    if _VERSIONS not in site.parts:
        folder = cache_folder(site.settings, site.root or site.data_dir.parent)
        site.parts[_VERSIONS] = folder and site.tables and Store(folder / "versi")
    return site.parts[_VERSIONS]


def _iso(commit: history.Commit | None) -> str | None:
    return commit.when.isoformat() if commit else None


def make_entry(site: Site, dataset: Dataset, output: Path,
               facts: FileFacts | None = None) -> Entry:
    """Write this dataset's past versions and package; return its catalogue entry."""
    base = base_url(site)
    timezone = setting(site, "TIMEZONE")
    source = _source_path(site, dataset)
    # Reading the source again is only worth it when git has versions of it to compare.
    commits = history.commits(source, timezone)
    if commits and _is_source_table(site, dataset, source):
        past, versions, withheld = _source_history(site, dataset, source, commits, output,
                                                   timezone)
    else:
        past = history.dataset_history(source, dataset.schema, display=dataset.source or "",
                                       timezone=timezone, compare=False)
        versions, withheld = {}, set()
    files = []
    for fmt, path in site.downloads.get(dataset.id, {}).items():
        size, digest = file_info(Path(path), facts)
        files.append(FileInfo(fmt, format_label(fmt),
                              Path(path).relative_to(output).as_posix(), size, digest))
    past = history.described(past, site.parts.get(CHANGE_NOTES) or {})
    code, publisher = _publisher(site, dataset)
    latest, first = past.modified, past.first
    if not dataset.source:  # made from many inputs: any data commit is no version of its own
        past.versions = []
    modified = _iso(latest) or build_time(site.root or site.data_dir.parent).isoformat()
    uri = f"{base}/data/{dataset.id}/"
    record = Record(
        id=dataset.id, uri=uri, title=dataset.title, description=dataset.description,
        publisher=publisher, contact=_contact(site, dataset),
        license=dataset.license or setting(site, "ETALASE_LICENSE"), theme=dataset.theme,
        frequency=dataset.frequency, keywords=tuple(dataset.keywords),
        issued=dataset.issued or _iso(first) or modified, modified=modified,
        temporal=dataset.coverage(), spatial=setting(site, "ETALASE_SPATIAL"),
        version=latest.slug if latest else None,
        downloads=tuple(Download(f.format, f"{base}/{f.path}", exports.MEDIA_TYPES.get(
            f.format, "application/octet-stream"), f.size, f.sha256,
            f"{dataset.title} ({f.format.upper()})") for f in files),
        table_schema=published_schema(dataset.schema, {dataset.id}),
        catalog_uri=f"{base}/data/", catalog_name=f"Katalog data {setting(site, 'ETALASE_PUBLISHER')}",
        package_url=f"{uri}datapackage.json",
    )
    entry = Entry(dataset, record, past, files, code, versions,
                  Markup(metadata.script_json(metadata.schema_org(record))), withheld)
    _write_json(output / f"data/{dataset.id}/datapackage.json", metadata.data_package(record))
    return entry


# --- write_files: every machine-readable file ---------------------------------------------


@dataclass
class Catalogue:
    entries: dict[str, Entry]
    built: pd.Timestamp | None = None
    archive: Any = None  # the all-data zip being written: parallel.Pending of its FileInfo

    @property
    def zip_info(self) -> FileInfo | None:
        """The all-data zip; waits until it is written. Only the process that runs the build
        may ask (pages that show it are rendered there, last: `Page.last`)."""
        return None if self.archive is None else self.archive.result()

    def fingerprint(self):
        """What a page listing datasets depends on (pagecache.py); not the zip, which only the
        landing page shows, from its own context."""
        return (self.entries, self.built)

    @property
    def has_large_tables(self) -> bool:
        """Whether a dataset is published as CSV and Parquet, not JSON and XLSX (the zip's
        read-me and the catalogue page then say so)."""
        return any(e.dataset.formats == LARGE_FORMATS for e in self.entries.values())

    def by(self, attribute: str) -> dict[str, list[Entry]]:
        grouped: dict[str, list[Entry]] = {}
        for entry in self.entries.values():
            key = entry.dataset.theme if attribute == "theme" else entry.publisher_code
            grouped.setdefault(key, []).append(entry)
        return dict(sorted(grouped.items()))


def _write_json(path: Path, data: Any) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


_MADE = "katalog_entri"  # in `site.parts` until `write_files`: the entries made so far


def _entries_made(site: Site) -> tuple[FileFacts, dict[str, Entry]]:
    """The checksums of earlier builds' downloads (by file identity) and the entries made so
    far in this build."""
    if _MADE not in site.parts:
        folder = cache_folder(site.settings, site.root or site.data_dir.parent)
        site.parts[_MADE] = (FileFacts(folder and folder / "unduhan.pickle"), {})
    return site.parts[_MADE]


def checksums_known(site: Site, checksums: dict[str, tuple[tuple, str]]) -> None:
    """Remember the SHA-256 of downloads their writers hashed (`site.checksums_known`)."""
    facts, _ = _entries_made(site)
    for identity, digest in checksums.values():
        facts.know("sha256", identity, digest)


def downloads_written(site: Site, output: Path, ids: set[str]) -> None:
    """Make the entries of the datasets `ids`, whose downloads are written: a rebuild waits
    for the few tables it changed, and meanwhile the others' checksums, histories and
    packages are done."""
    facts, made = _entries_made(site)
    for id_ in sorted(ids):
        if id_ in site.datasets and id_ not in made:
            made[id_] = make_entry(site, site.datasets[id_], Path(output), facts)


def write_files(site: Site, output: Path) -> Catalogue:
    """Write every machine-readable file of the catalogue into `output`."""
    output = Path(output)
    built = build_time(site.root or site.data_dir.parent)
    facts, made = _entries_made(site)
    entries = {d.id: made.get(d.id) or make_entry(site, d, output, facts)
               for d in sorted(site.datasets.values(), key=lambda d: d.id)}
    facts.save()
    del site.parts[_MADE]
    versions = _version_store(site)
    del site.parts[_VERSIONS]
    if versions:
        versions.prune()  # the files of versions no entry shows any more
    catalogue = Catalogue(entries, built=built)
    site.parts["katalog"] = catalogue
    records = [e.record for e in entries.values()]
    base = base_url(site)
    _write_json(output / "data/data.json", metadata.pod_catalog(records, f"{base}/data/data.json"))
    write_feeds(site, catalogue, output)
    # The DCAT files and the zip, which holds them, take seconds at national scale on one
    # core: they are written in another process while the pages render, and the landing
    # page, which shows the zip's size and checksum, is rendered last.
    catalogue.archive = parallel.start(
        functools.partial(_write_dcat_and_archive, site, catalogue, records, output),
        parallel.workers(site.settings))
    site.background.append(catalogue.archive)
    return catalogue


def _write_dcat_and_archive(site: Site, catalogue: Catalogue, records: list[Record],
                            output: Path) -> FileInfo:
    graph = metadata.dcat_graph(records, catalog_description(site, records,
                                                             catalogue.has_large_tables))
    (output / "data/catalog.ttl").write_text(metadata.turtle(graph), encoding="utf-8")
    (output / "data/catalog.jsonld").write_text(metadata.jsonld(graph), encoding="utf-8")
    return write_archive(site, catalogue, output)


def catalog_description(site: Site, records: list[Record],
                        large_tables: bool = False) -> metadata.Catalog:
    base = base_url(site)
    publisher = setting(site, "ETALASE_PUBLISHER")
    dates = [r.modified for r in records if r.modified]
    issued = [r.issued for r in records if r.issued]
    return metadata.Catalog(
        uri=f"{base}/data/", title=f"Katalog data {publisher}",
        description=f"Semua dataset yang diterbitkan {site.settings.get('SITESUBTITLE') or publisher}: "
                    "standar pelayanan, kinerja, dan informasi publik, dengan unduhan CSV, JSON "
                    "dan XLSX" + (" (tabel yang sangat besar: CSV dan Parquet)." if large_tables else "."),
        publisher=Agent(publisher, url=f"{base}/", uri=f"{base}/#penerbit",
                        kind=setting(site, "ETALASE_PUBLISHER_TYPE")),
        homepage=f"{base}/", license=setting(site, "ETALASE_LICENSE"),
        issued=min(issued) if issued else None, modified=max(dates) if dates else None,
        spatial=setting(site, "ETALASE_SPATIAL"))


def change_summary(version: history.Version) -> str:
    """A version's row-level change in plain Indonesian."""
    if not version.readable:
        return "tidak dapat dibandingkan (berkas versi ini tidak terbaca dengan skema sekarang)"
    if version.diff is None:
        return f"versi pertama yang tersedia: {version.rows} baris"
    d = version.diff
    if d.empty:
        return f"isi baris tidak berubah ({version.rows} baris)"
    parts = [f"{d.added} baris ditambah", f"{d.removed} baris dihapus"]
    if d.by_key:
        parts.append(f"{d.changed} baris diubah")
    return ", ".join(parts) + f"; kini {version.rows} baris"


COMPUTED_CHANGE = "data sumber diperbarui; tabel ini dihitung ulang darinya"


def write_feeds(site: Site, catalogue: Catalogue, output: Path) -> None:
    base = base_url(site)
    fallback = catalogue.built.to_pydatetime()
    everything = []
    for entry in catalogue.entries.values():
        items = [feeds.Entry(
            title=f"{entry.dataset.title}: {v.commit.subject}",
            link=f"{entry.record.uri}#versi-{v.slug}", id=f"{entry.record.uri}versi/{v.slug}/",
            summary=change_summary(v) if entry.history.compared else COMPUTED_CHANGE,
            when=v.commit.when.to_pydatetime())
            for v in entry.history.versions[:HISTORY_SHOWN]]
        everything.extend(items)
        feeds.write_feed(output / f"data/{entry.id}/perubahan.atom",
                         f"Perubahan dataset: {entry.dataset.title}", entry.record.uri,
                         f"{entry.record.uri}perubahan.atom", entry.dataset.description, items,
                         fallback)
    feeds.write_feed(output / "data/perubahan.atom",
                     f"Perubahan data {site.settings.get('SITESUBTITLE') or setting(site, 'ETALASE_PUBLISHER')}",
                     f"{base}/data/", f"{base}/data/perubahan.atom",
                     "Setiap perubahan pada dataset yang diterbitkan.", everything, fallback)


def catalogue_package(catalogue: Catalogue) -> dict:
    """One Data Package of every dataset's CSV (paths as in the zip), foreign keys kept."""
    names = set(catalogue.entries)
    resources = []
    for entry in catalogue.entries.values():
        for resource in metadata.data_package(entry.record).get("resources", []):
            resource = dict(resource, path=f"{entry.id}/{resource['path']}",
                            schema=published_schema(entry.dataset.schema, names))
            resources.append(resource)
    first = next(iter(catalogue.entries.values()), None)
    return {"profile": "tabular-data-package", "name": "etalase-semua-data",
            "title": first.record.catalog_name if first else "Katalog data",
            "licenses": metadata.data_package(first.record)["licenses"] if first else [],
            "resources": resources}


def write_archive(site: Site, catalogue: Catalogue, output: Path) -> FileInfo:
    """The "download everything" zip: every dataset once, as its CSV and Data Package, plus
    the catalogue files. The JSON and XLSX downloads hold the same rows again (at national
    scale 580 of its 860 MB to compress, for no new information), so they are left to each
    landing page.

    Reproducible: entries sorted by name, fixed timestamp and permissions, fixed compression.
    """
    members: dict[str, Path | bytes] = {}
    for entry in catalogue.entries.values():
        for info in entry.files:
            if info.format in ARCHIVED_FORMATS:
                members[f"{entry.id}/{Path(info.path).name}"] = output / info.path
        members[f"{entry.id}/datapackage.json"] = output / f"data/{entry.id}/datapackage.json"
    for name in ("data.json", "catalog.ttl", "catalog.jsonld"):
        members[name] = output / "data" / name
    members["datapackage.json"] = (json.dumps(catalogue_package(catalogue), ensure_ascii=False,
                                              indent=1) + "\n").encode("utf-8")
    members["BACA-SAYA.txt"] = readme_text(site, catalogue).encode("utf-8")
    target = output / "data" / ZIP_NAME
    # Downloads whose bytes did not change are copied compressed from the archive of the
    # build before (archive.py), kept in the cache when it is on.
    folder = cache_folder(site.settings, site.root or site.data_dir.parent)
    previous = archive.kept(ZIP_NAME, folder / "arsip") if folder else None
    known = {f"{entry.id}/{Path(info.path).name}": info.sha256
             for entry in catalogue.entries.values() for info in entry.files}
    written = write_zip(target, members, known, previous)
    if folder:
        archive.keep(target, written, folder / "arsip")
    size, digest = file_info(target)
    return FileInfo("zip", "ZIP", f"data/{ZIP_NAME}", size, digest)


def readme_text(site: Site, catalogue: Catalogue) -> str:
    lines = [
        f"Semua data terbuka {site.settings.get('SITESUBTITLE') or setting(site, 'ETALASE_PUBLISHER')}",
        f"Sumber: {base_url(site)}/data/",
        f"Lisensi: {setting(site, 'ETALASE_LICENSE')} (kecuali disebut lain pada dataset)",
        "",
        "Setiap folder berisi satu dataset dalam CSV, beserta datapackage.json",
        "(Frictionless Data Package: arti setiap kolom). Versi JSON dan Excel (XLSX) dapat",
        "diunduh dari halaman setiap dataset. datapackage.json di folder utama",
        "memuat semua dataset sekaligus. data.json, catalog.ttl dan catalog.jsonld adalah",
        "katalognya dalam format Project Open Data dan DCAT.",
        "",
    ]
    if catalogue.has_large_tables:
        lines[-1:-1] = ["Tabel yang sangat besar (lebih dari sejuta sel) tidak punya versi",
                        "JSON dan Excel; halamannya menyediakan versi Parquet."]
    for entry in catalogue.entries.values():
        lines.append(f"{entry.id}/  {entry.dataset.title} (terakhir berubah "
                     f"{entry.record.modified[:10] if entry.record.modified else '-'})")
    return "\n".join(lines) + "\n"


# --- pages -------------------------------------------------------------------------------


@dataclass
class FieldRow:
    name: str
    title: str
    type: str
    required: bool
    constraints: list[str]
    description: str


def dictionary(dataset: Dataset) -> list[FieldRow]:
    """The data dictionary, generated from the Table Schema."""
    table_schema = dataset.schema
    key = history.primary_key(table_schema)
    foreign = {}
    for fk in table_schema.get("foreignKeys", []):
        fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
        ref = fk["reference"]
        ref_fields = ref["fields"] if isinstance(ref["fields"], list) else [ref["fields"]]
        for mine, theirs in zip(fields, ref_fields):
            foreign[mine] = (ref.get("resource") or dataset.id, theirs)
    rows = []
    for f in table_schema["fields"]:
        cons = f.get("constraints", {})
        words = []
        if f["name"] in key:
            words.append("kunci utama: setiap baris punya nilai yang berbeda")
        elif cons.get("unique"):
            words.append("unik: tidak boleh sama antarbaris")
        if "enum" in cons:
            words.append("salah satu dari: " + ", ".join(str(v) for v in cons["enum"]))
        dated = f.get("type") == "date"
        if "minimum" in cons:
            words.append(f"tidak sebelum {tanggal(cons['minimum'])}" if dated
                         else f"paling kecil {cons['minimum']}")
        if "maximum" in cons:
            words.append(f"tidak sesudah {tanggal(cons['maximum'])}" if dated
                         else f"paling besar {cons['maximum']}")
        if f.get("etalase:notFuture"):
            words.append("tidak boleh sesudah hari ini")
        if "minLength" in cons:
            words.append(f"paling sedikit {cons['minLength']} karakter")
        if "maxLength" in cons:
            words.append(f"paling banyak {cons['maxLength']} karakter")
        if "pattern" in cons:
            words.append(f"pola (regex): {cons['pattern']}")
        if f["name"] in foreign:
            resource, column = foreign[f["name"]]
            words.append(f"merujuk ke kolom {column} pada dataset {resource}")
        rows.append(FieldRow(f["name"], f.get("title", f["name"]),
                             TYPE_LABELS.get(f.get("type", "string"), f.get("type", "string")),
                             bool(cons.get("required")), words, f.get("description", "")))
    return rows


PREVIEW_CELL = 160  # characters shown per preview cell


def preview(dataset: Dataset, count: int) -> list[list[str]]:
    """The first `count` rows as text (only those rows are touched, whatever the table size)."""
    head = dataclasses.replace(dataset, frame=dataset.frame.head(count))
    out = []
    for row in exports.rows(head):
        cells = []
        for value in row:
            text = exports.text_of(value)
            cells.append(text if len(text) <= PREVIEW_CELL else text[: PREVIEW_CELL - 1] + "…")
        out.append(cells)
    return out


def provenance(dataset: Dataset) -> dict | None:
    """`extra["provenance"]` of scraped data, as {"sumber", "url", "diperiksa", "berubah"}."""
    raw = dataset.extra.get("provenance")
    if not raw:
        return None
    if not isinstance(raw, dict):
        raw = dataclasses.asdict(raw) if dataclasses.is_dataclass(raw) else vars(raw)

    def pick(*names):
        return next((raw[n] for n in names if raw.get(n) not in (None, "")), None)

    return {
        "sumber": pick("sumber", "source", "nama", "title", "name", "url"),
        "url": pick("url", "source_url", "sumber_url", "alamat"),
        "diperiksa": pick("terakhir_diperiksa", "diperiksa", "checked", "last_checked",
                          "checked_at"),
        "berubah": pick("terakhir_berubah", "berubah", "changed", "last_changed", "changed_at"),
    }


def kip_text(dataset: Dataset) -> dict:
    label, article, meaning = KIP_LABELS.get(dataset.kip_category, (dataset.kip_category, "", ""))
    item = BERKALA_ITEMS.get(dataset.berkala_item) if dataset.kip_category == "berkala" else None
    return {"label": label, "article": article, "meaning": meaning,
            "item": item, "item_number": dataset.berkala_item if item else None}


def page_paths(site: Site) -> set[str]:
    """The files of the catalogue's pages, known from the datasets before `write_files` makes
    the catalogue (`etalase validate` checks the Markdown pages' links against them)."""
    paths = {"data/index.html", "data/tema/index.html"}
    for dataset in site.datasets.values():
        paths |= {f"data/{dataset.id}/index.html", f"data/tema/{dataset.theme}/index.html",
                  f"data/penerbit/{_publisher(site, dataset)[0]}/index.html"}
    return paths


def publisher_names(site: Site, catalogue: Catalogue) -> dict[str, str]:
    return {e.publisher_code: e.record.publisher.name for e in catalogue.entries.values()}


def pages(site: Site):
    catalogue: Catalogue | None = site.parts.get("katalog")
    if catalogue is None:  # write_files did not run (e.g. `etalase validate`): nothing to show
        return
    themes = catalogue.by("theme")
    publishers = catalogue.by("publisher")
    names = publisher_names(site, catalogue)
    common = {"catalogue": catalogue, "theme_label": metadata.theme_label,
              "publisher_names": names, "page_kind": "katalog"}
    ordered = sorted(catalogue.entries.values(), key=lambda e: e.dataset.title.lower())
    yield Page("data/index.html", "catalogue.html", lambda: {
        **common, "entries": ordered, "themes": themes, "publishers": publishers,
        "ppid_email": setting(site, "ETALASE_PPID_EMAIL"), "zip": catalogue.zip_info,
        "has_external_data": bool(site.parts.get("data_eksternal")),
        "has_large_tables": catalogue.has_large_tables,
    }, last=True)
    # The list of themes is the catalogue's own theme scheme (`dcat:themeTaxonomy` of the DCAT
    # files): its address must be a page.
    yield Page("data/tema/index.html", "catalogue-themes.html", {**common, "themes": themes})
    for slug, entries in themes.items():
        yield Page(f"data/tema/{slug}/index.html", "catalogue-list.html", {
            **common, "entries": sorted(entries, key=lambda e: e.dataset.title.lower()),
            "heading": f"Tema: {metadata.theme_label(slug)}", "list_path": f"data/tema/{slug}/",
        })
    for code, entries in publishers.items():
        yield Page(f"data/penerbit/{code}/index.html", "catalogue-list.html", {
            **common, "entries": sorted(entries, key=lambda e: e.dataset.title.lower()),
            "heading": f"Penerbit: {names[code]}", "list_path": f"data/penerbit/{code}/",
        })
    rows = int(setting(site, "ETALASE_PREVIEW_ROWS"))

    def dataset_page(entry: Entry) -> dict:
        d = entry.dataset
        return {
            "entry": entry, "dataset": d, "record": entry.record, "theme_label": metadata.theme_label,
            "frequency": FREQUENCIES[d.frequency].label, "kip": kip_text(d),
            "license_title": metadata.license_name(entry.record.license)[1],
            "fields": dictionary(d), "preview": preview(d, rows), "row_count": d.row_count,
            "provenance": provenance(d), "versions": entry.history.versions[:HISTORY_SHOWN],
            "summary": change_summary, "computed_change": COMPUTED_CHANGE, "page_kind": "dataset",
            "versions_published": int(setting(site, "ETALASE_HISTORY_VERSIONS")),
        }

    # Previews are made only by the page's worker, and only when the page is rendered. Its
    # cache key is made of what decides it: its own entry (the rows by their `origin`), not
    # the whole catalogue, so a change to one table does not render every dataset's page
    # again, nor read rows that wait in the cache (`StoredRows`).
    for entry in catalogue.entries.values():
        yield Page(f"data/{entry.dataset.id}/index.html", "dataset.html",
                   functools.partial(dataset_page, entry), inputs=[entry, rows])
