"""The Daftar Informasi Publik (DIP, UU 14/2008 Pasal 11(1) huruf a; Perki 1/2021).

Built from everything the site publishes — every dataset, every Markdown page, the PPID pages —
plus `data/ppid/dip.csv`, the information the body holds elsewhere (on paper, in other
systems). Each row has the Perki columns: ringkasan isi informasi, pejabat/unit yang
menguasai informasi, penanggung jawab pembuatan/penerbitan, waktu dan tempat pembuatan, bentuk
informasi, jangka waktu penyimpanan; plus judul, kategori, butir berkala and a link. Exempt
information (`dikecualikan`) never enters the DIP; only the categories of exempt information
(`data/ppid/informasi-dikecualikan.csv`) are listed, on their own page.

Pure: no Pelican, no templates. `last_updated` dates come from git (the last commit that
touched the source), else from page metadata, else they are unknown.
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import history, kip
from .datasets import FORMATS

DIP_ID = "daftar-informasi-publik"
EXEMPT_ID = "informasi-dikecualikan"
FORM_NAMES = {"parquet": "Parquet"}  # the other formats by their extension in capitals


def dataset_form(formats: tuple[str, ...]) -> str:
    """The DIP's "bentuk informasi" of a dataset published in `formats`: "Softcopy: CSV,
    JSON, dan XLSX (unduh dari situs)", or "CSV dan Parquet" for a very large table."""
    *rest, last = [FORM_NAMES.get(fmt, fmt.upper()) for fmt in formats]
    listed = f"{', '.join(rest)}{',' if len(rest) > 1 else ''} dan {last}" if rest else last
    return f"Softcopy: {listed} (unduh dari situs)"


DATASET_FORM = dataset_form(FORMATS)  # the DIP's own two lists: small tables, the usual three
PAGE_FORM = "Softcopy: halaman situs (dapat dicetak)"
DEFAULT_RETENTION = "Selama masih berlaku; versi sebelumnya tersimpan dalam riwayat perubahan"
COLUMNS = ["nomor", "judul", "ringkasan", "kategori", "butir_berkala", "pejabat_penguasa",
           "penanggung_jawab", "waktu_pembuatan", "tempat_pembuatan", "bentuk_informasi",
           "jangka_waktu_penyimpanan", "tautan", "sumber"]
CATEGORY_ORDER = {kip.BERKALA: 0, kip.SERTA_MERTA: 1, kip.SETIAP_SAAT: 2}


@dataclass
class Entry:
    """One row of the DIP."""

    judul: str
    ringkasan: str
    kategori: str
    butir_berkala: list[int] = field(default_factory=list)
    pejabat_penguasa: str = ""
    penanggung_jawab: str = ""
    waktu_pembuatan: dt.date | None = None  # also "last updated" for the compliance report
    tempat_pembuatan: str = ""
    bentuk_informasi: str = ""
    jangka_waktu_penyimpanan: str = DEFAULT_RETENTION
    tautan: str | None = None  # site-relative ("data/skm-ikm/") or absolute URL
    sumber: str = ""  # dataset / halaman / data/ppid/dip.csv

    @property
    def kategori_label(self) -> str:
        return kip.CATEGORY_SHORT.get(self.kategori, self.kategori)


@dataclass
class Defaults:
    """Who holds and answers for the site's own information (from the Pelican settings)."""

    badan_publik: str = "Badan publik"
    ppid: str = "PPID"
    tempat: str = ""

    @classmethod
    def from_settings(cls, settings: dict) -> "Defaults":
        body = settings.get("ETALASE_PUBLISHER") or settings.get("AUTHOR") or "Badan publik"
        return cls(badan_publik=body,
                   ppid=settings.get("ETALASE_PPID_UNIT") or f"PPID {body}",
                   tempat=settings.get("ETALASE_PPID_TEMPAT") or "")


def git_date(path: Path) -> dt.date | None:
    """Date of the last commit that touched `path` (Asia/Jakarta), or None outside git."""
    found = history.commits(path) if path.exists() else None
    if not found:
        return None
    return pd.Timestamp(found[0].timestamp, unit="s", tz="Asia/Jakarta").date()


def dataset_entry(dataset, defaults: Defaults, providers: dict, root: Path | None) -> Entry:
    holder = defaults.badan_publik
    if dataset.publisher and dataset.publisher in providers:
        holder = providers[dataset.publisher].nama
    updated = None
    if dataset.source and root is not None:
        updated = git_date(root / dataset.source)
    if updated is None and dataset.temporal:
        updated = dt.date.fromisoformat(str(dataset.temporal[1])[:10])
    return Entry(
        judul=dataset.title, ringkasan=dataset.description, kategori=dataset.kip_category,
        butir_berkala=[dataset.berkala_item] if dataset.berkala_item else [],
        pejabat_penguasa=holder, penanggung_jawab=defaults.ppid, waktu_pembuatan=updated,
        tempat_pembuatan=defaults.tempat, bentuk_informasi=dataset_form(dataset.formats),
        jangka_waktu_penyimpanan=dataset.extra.get("retensi", DEFAULT_RETENTION),
        tautan=f"data/{dataset.id}/", sumber=f"dataset {dataset.id}")


@dataclass
class MarkdownPage:
    """A staff page in content/pages/ with its KIP metadata, and its slug as Pelican makes it
    (`named`: from its `Slug:`, else from its file name or title, `addresses.slug`)."""

    path: Path
    display: str
    meta: dict[str, str]
    named: str | None = None

    @property
    def slug(self) -> str:
        return self.meta.get("slug") or self.named or self.path.stem

    @property
    def title(self) -> str:
        return self.meta.get("title") or self.slug

    @property
    def updated(self) -> dt.date | None:
        for key in ("modified", "date"):
            value = self.meta.get(key)
            if value:
                try:
                    return dt.date.fromisoformat(value[:10])
                except ValueError:
                    pass
        return git_date(self.path)


# What Pelican's Markdown reader reads, what its HTML reader reads, and the files Pelican
# leaves alone by default.
MARKDOWN_EXTENSIONS = ("md", "markdown", "mkd", "mdown")
HTML_EXTENSIONS = ("htm", "html")
IGNORED = ("**/.*",)


def _content_files(pages_dir: Path, extensions: tuple[str, ...], ignored) -> list[Path]:
    """The files of `pages_dir` Pelican reads with the reader of `extensions`, found as
    Pelican finds them (`Generator.get_files`): its sub-folders too, except folders whose
    name an `ignored` pattern (Pelican's IGNORE_FILES) matches; files in one of the
    extensions, exactly (`.MD` is not read), whose name no `ignored` pattern matches."""
    if not pages_dir.is_dir():
        return []
    found = []
    for folder, folders, files in os.walk(pages_dir, followlinks=True):
        folders[:] = sorted(d for d in folders
                            if not any(fnmatch.fnmatch(d, pattern) for pattern in ignored))
        found += [Path(folder) / name for name in sorted(files)
                  if "." in name and name.rsplit(".", 1)[-1] in extensions
                  and not any(fnmatch.fnmatch(name, pattern) for pattern in ignored)]
    return sorted(found)


def markdown_pages(pages_dir: Path, display, slug=None, ignored=IGNORED) -> list[MarkdownPage]:
    """The Markdown pages Pelican publishes from `pages_dir` (`_content_files`), not a
    draft (`Status: draft`). `slug(path, meta)` names a page as Pelican does."""
    found = []
    for path in _content_files(pages_dir, MARKDOWN_EXTENSIONS, ignored):
        meta = kip.page_metadata(path)
        if meta.get("status", "").strip().lower() == "draft":
            continue  # not published
        found.append(MarkdownPage(path, display(path), meta,
                                  slug(path, meta) if slug else None))
    return found


def html_pages(pages_dir: Path, ignored=IGNORED) -> list[Path]:
    """The HTML files of `pages_dir` that Pelican's HTML reader would publish as pages."""
    return _content_files(pages_dir, HTML_EXTENSIONS, ignored)


def page_entry(page: MarkdownPage, defaults: Defaults) -> Entry:
    return Entry(
        judul=page.title, ringkasan=page.meta.get("ringkasan") or page.meta.get("summary")
        or page.title, kategori=page.meta.get("kategori_kip", ""),
        butir_berkala=kip.berkala_numbers(page.meta.get("butir_berkala")) or [],
        pejabat_penguasa=defaults.badan_publik, penanggung_jawab=defaults.ppid,
        waktu_pembuatan=page.updated, tempat_pembuatan=defaults.tempat,
        bentuk_informasi=PAGE_FORM, tautan=f"{page.slug}/", sumber=page.display)


def staff_entries(frame: pd.DataFrame | None, updated: dt.date | None = None) -> list[Entry]:
    """Rows of data/ppid/dip.csv (already validated)."""
    if frame is None:
        return []
    entries = []
    for row in frame.astype(object).where(frame.notna(), None).to_dict("records"):
        date = row.get("waktu_pembuatan")
        entries.append(Entry(
            judul=row["judul"], ringkasan=row["ringkasan"], kategori=row["kategori"],
            butir_berkala=kip.berkala_numbers(row.get("butir_berkala")) or [],
            pejabat_penguasa=row["pejabat_penguasa"], penanggung_jawab=row["penanggung_jawab"],
            waktu_pembuatan=pd.Timestamp(date).date() if date is not None else updated,
            tempat_pembuatan=row.get("tempat_pembuatan") or "",
            bentuk_informasi=row["bentuk_informasi"],
            jangka_waktu_penyimpanan=row["jangka_waktu_penyimpanan"],
            tautan=row.get("tautan"), sumber=frame.attrs.get("display", "data/ppid/dip.csv")))
    return entries


def ordered(entries: list[Entry]) -> list[Entry]:
    """Grouped by category (berkala, serta-merta, setiap saat), berkala by item, then title."""
    return sorted(entries, key=lambda e: (CATEGORY_ORDER.get(e.kategori, 9),
                                          min(e.butir_berkala or [99]), e.judul.lower()))


def grouped(entries: list[Entry]) -> dict[str, list[tuple[int, Entry]]]:
    """{category: [(nomor, entry)]}, numbered through the whole list."""
    groups: dict[str, list[tuple[int, Entry]]] = {}
    for number, entry in enumerate(ordered(entries), start=1):
        groups.setdefault(entry.kategori, []).append((number, entry))
    return groups


def frame(entries: list[Entry], base_url: str = "") -> pd.DataFrame:
    """The DIP as the published table (columns = `COLUMNS`)."""
    rows = []
    for number, entry in enumerate(ordered(entries), start=1):
        link = entry.tautan
        if link and not link.startswith(("http://", "https://")):
            link = f"{base_url.rstrip('/')}/{link}"
        rows.append({
            "nomor": number, "judul": entry.judul, "ringkasan": entry.ringkasan,
            "kategori": entry.kategori,
            "butir_berkala": ", ".join(str(n) for n in entry.butir_berkala) or None,
            "pejabat_penguasa": entry.pejabat_penguasa, "penanggung_jawab": entry.penanggung_jawab,
            "waktu_pembuatan": (pd.Timestamp(entry.waktu_pembuatan) if entry.waktu_pembuatan
                                else pd.NaT),
            "tempat_pembuatan": entry.tempat_pembuatan or None,
            "bentuk_informasi": entry.bentuk_informasi,
            "jangka_waktu_penyimpanan": entry.jangka_waktu_penyimpanan, "tautan": link,
            "sumber": entry.sumber,
        })
    result = pd.DataFrame(rows, columns=COLUMNS)
    result["nomor"] = result["nomor"].astype("Int64")
    result["waktu_pembuatan"] = pd.to_datetime(result["waktu_pembuatan"])
    return result


def exempt_rows(frame_: pd.DataFrame | None) -> list[dict]:
    """Rows of data/ppid/informasi-dikecualikan.csv with each Pasal 17 letter explained."""
    if frame_ is None:
        return []
    rows = []
    for row in frame_.astype(object).where(frame_.notna(), None).to_dict("records"):
        letters = [x for x in str(row["pasal_17_huruf"]).replace(",", " ").split() if x]
        rows.append({**row, "huruf": [(x, kip.PASAL_17.get(x, "")) for x in letters]})
    return rows
