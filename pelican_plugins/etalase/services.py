"""Service standards and their providers: load, cross-check, and lay out the pages.

Reads `data/penyelenggara.csv` and `data/standar-pelayanan.csv`, checks what the Table
Schemas cannot (a service's provider must exist; every one of the 14 components filled, a
list with at least one item and not only its "1." or "-" markers), and publishes both
tables as datasets.
"""

from __future__ import annotations

import heapq
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from .components import (COMPANION_COLUMNS, COMPONENTS, LIST_COLUMNS, MANAGEMENT, PUBLISHED,
                         SEARCHED)
from .datasets import Dataset
from .errors import Problem
from .pagecache import row_hash_numbers, row_values
from .schema import load_schema
from .site import NavItem, Page, Site
from .textformat import has_items, paragraphs, split_list

CATEGORY_NAMES = {
    "kependudukan": "Kependudukan dan pencatatan sipil",
    "perizinan": "Perizinan dan penanaman modal",
    "kesehatan": "Kesehatan",
    "pajak-daerah": "Pajak daerah",
    "sosial": "Sosial",
    "perhubungan": "Perhubungan",
    "pendidikan": "Pendidikan",
    "ketenagakerjaan": "Ketenagakerjaan",
    "pertanahan": "Pertanahan",
}


def category_name(slug: str) -> str:
    return CATEGORY_NAMES.get(slug, slug.replace("-", " ").capitalize())


@dataclass
class Provider:
    kode: str
    nama: str
    row: dict[str, Any]
    services: list["Service"] = field(default_factory=list)
    row_key: str | None = None  # a hash of `row` (pagecache.row_digests), when known

    @property
    def url(self) -> str:
        return f"penyelenggara/{self.kode}/"

    @property
    def jam_layanan(self) -> list[str]:
        return split_list(self.row.get("jam_layanan"))

    @property
    def telepon(self) -> list[str]:
        return split_list(self.row.get("telepon"))

    @property
    def maklumat(self) -> list[str]:
        return paragraphs(self.row.get("maklumat"))

    def fingerprint(self):
        """What a page showing this provider depends on (pagecache.py): its row and its
        services (whose fingerprints name this provider's row, not this object: no cycle;
        each is hashed once per build, not again for every page listing it)."""
        return (self.kode, self.nama, self.row_key or self.row, list(self.services))

    def __getattr__(self, name):
        try:
            return self.__dict__["row"][name]
        except KeyError:
            raise AttributeError(name) from None


@dataclass
class Service:
    kode: str
    nama: str
    row: dict[str, Any]
    provider: Provider
    parts: dict[str, Any] = field(default_factory=dict)  # what other sections attach
    row_key: str | None = None  # a hash of `row` (pagecache.row_digests), when known
    missing: list[str] | None = None  # `missing_components()`, when found for the table

    @property
    def url(self) -> str:
        return f"layanan/{self.kode}/"

    @property
    def kategori(self) -> str | None:
        return self.row.get("kategori")

    def items(self, column: str) -> list[str]:
        return split_list(self.row.get(column))

    def fingerprint(self):
        """What a page showing this service depends on (pagecache.py): its row, what other
        sections attached, and its provider's own row (not the provider's other services).
        Mostly plain text, hashed in one go: walking the attached parts took 0.14 s for
        10 000 services, before the page workers could start."""
        return (self.kode, self.nama, self.row_key or self.row,
                {name: _said(part) for name, part in self.parts.items()},
                (self.provider.kode, self.provider.nama,
                 self.provider.row_key or self.provider.row))

    def missing_components(self) -> list[str]:
        """Headings of the Pasal 21 components this service leaves empty: a list that has
        only markers ("-", "1.⏎2.") and no item is empty too."""
        if self.missing is not None:
            return list(self.missing)
        missing = []
        for comp in COMPONENTS:
            if any(_blank(self.row.get(c)) for c in _component_columns(comp)) or (
                    comp.is_list and not has_items(self.row.get(comp.column))):
                missing.append(comp.heading)
        return missing

    def __getattr__(self, name):
        try:
            return self.__dict__["row"][name]
        except KeyError:
            raise AttributeError(name) from None


def _said(part):
    """An attached part as what it says it depends on (its `fingerprint()`, named by its
    type; a list of such parts, each so), or else the part itself, to be walked."""
    if hasattr(part, "fingerprint"):
        return (type(part).__qualname__, part.fingerprint())
    if type(part) is list and part and all(hasattr(item, "fingerprint") for item in part):
        return [(type(item).__qualname__, item.fingerprint()) for item in part]
    return part


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or (
        isinstance(value, str) and not value.strip()) or value is pd.NA


def _itemless(values: pd.Series) -> np.ndarray:
    """The cells of a list column that hold text but no item once split: markers only,
    "-" or "1.⏎2." (`textformat.has_items`). Each distinct value is looked at once."""
    if not (values.dtype == object or isinstance(values.dtype, pd.StringDtype)):
        return np.zeros(len(values), dtype=bool)
    none = {v for v in values.dropna().unique()
            if isinstance(v, str) and v.strip() and not has_items(v)}
    if not none:
        return np.zeros(len(values), dtype=bool)
    return values.isin(none).to_numpy(dtype=bool)


def _markers_only(value: str) -> str:
    shown = "⏎".join(line.strip() for line in value.strip().splitlines())
    return shown if len(shown) <= 30 else shown[:29] + "…"


def _component_columns(comp) -> list[str]:
    return [comp.column] + ([COMPANION_COLUMNS[comp.column]]
                            if comp.column in COMPANION_COLUMNS else [])


def _missing_by_row(frame: pd.DataFrame, required: Collection[str] = (),
                    itemless: dict[str, np.ndarray] | None = None) -> list[list[str]]:
    """`Service.missing_components()` of every row, a column at a time (10 000 services,
    each walking its 14 components, took 0.3 s of every build). `required`: the schema's
    required fields. Validation reports a row with one of them blank and leaves it out, so
    such a column with no empty value at all is filled in every row and not looked at
    again; one that is empty somewhere (a required column missing from the header, which
    validation reports once and fills with nothing) is looked at as any other. A list
    column's cells are always looked at for markers with no item (`_itemless`; `itemless`:
    those found already, by column)."""
    missing: list[list[str]] = [[] for _ in range(len(frame))]
    for comp in COMPONENTS:
        blank = np.zeros(len(frame), dtype=bool)
        for column in _component_columns(comp):
            if column not in frame:
                blank[:] = True  # `row.get` gives None
                continue
            values = frame[column]
            if comp.is_list and column == comp.column:
                blank |= (itemless[column] if itemless and column in itemless
                          else _itemless(values))
            empty = values.isna().to_numpy(dtype=bool)
            if column in required and not empty.any():
                continue
            blank |= empty
            if values.dtype == object or isinstance(values.dtype, pd.StringDtype):
                text = values.map(lambda v: isinstance(v, str) and not v.strip(),
                                  na_action="ignore")
                blank |= text.fillna(False).to_numpy(dtype=bool)
        for position in np.flatnonzero(blank):
            missing[position].append(comp.heading)
    return missing


def _hashed(site: Site, frame: pd.DataFrame) -> tuple[list[tuple], list[str]]:
    """Each row's values (`row_values`) and hash (`row_digests`, kept with the table:
    `Site.row_digests`), made once for the records and for the dataset's own row hashes
    (`_published`)."""
    values = row_values(frame)
    return values, site.row_digests(frame, values)


def _records(frame: pd.DataFrame, hashed: tuple[list[tuple], list[str]]
             ) -> list[tuple[int, dict, str]]:
    """(spreadsheet row number, row as a dict with None for blanks, hash of the row)."""
    rows = frame.attrs.get("row_numbers", pd.Series(range(2, len(frame) + 2), index=frame.index))
    values, digests = hashed
    names = list(frame.columns)
    records = [dict(zip(names, row)) for row in values]
    return list(zip(rows.tolist(), records, digests))


def _published(dataset: Dataset, digests: list[str]) -> Dataset:
    """`dataset`, its row hashes taken from the rows' digests (`row_digests`: a hash of the
    columns and their types, then the row's SHA-1) when its rows have the published columns:
    they are not hashed a second time for its downloads' cache key."""
    if list(dataset.frame.columns) == dataset.columns:
        dataset.take_row_hashes(row_hash_numbers(digests))
    return dataset


def load(site: Site) -> None:
    providers = site.read("penyelenggara")
    services = site.read("standar-pelayanan")
    # Both tables are published as read: their downloads may start while the rest loads.
    if providers is not None:
        providers_hashed = _hashed(site, providers)
        site.add_dataset(_published(Dataset(
            id="penyelenggara", title="Penyelenggara layanan",
            description=load_schema("penyelenggara")["description"],
            schema=load_schema("penyelenggara"), frame=providers, theme="layanan",
            source=providers.attrs["display"], keywords=["penyelenggara", "maklumat pelayanan"],
            berkala_item=1,
        ), providers_hashed[1]))
    if services is not None:
        services_hashed = _hashed(site, services)
        site.add_dataset(_published(Dataset(
            id="standar-pelayanan", title="Standar pelayanan",
            description=load_schema("standar-pelayanan")["description"],
            schema=load_schema("standar-pelayanan"), frame=services, theme="layanan",
            source=services.attrs["display"],
            keywords=["standar pelayanan", "UU 25/2009", "persyaratan", "biaya"],
            berkala_item=3,
        ), services_hashed[1]))
    site.datasets_ready()
    if providers is not None:
        for _, row, key in _records(providers, providers_hashed):
            site.providers[row["kode"]] = Provider(row["kode"], row["nama"], row, row_key=key)
    if services is None:
        return
    display = services.attrs["display"]
    required = {f["name"] for f in site.datasets["standar-pelayanan"].schema["fields"]
                if f.get("constraints", {}).get("required")}
    records = _records(services, services_hashed)
    itemless = {column: _itemless(services[column]) for column in LIST_COLUMNS
                if column in services}
    for column, mask in itemless.items():
        if column not in required:
            continue
        for position in np.flatnonzero(mask):
            row_number, row, _ = records[position]
            # "kosong" first, as validation says of a blank required cell (`make validate`
            # lists the service's gaps from these).
            site.problems.append(Problem(display, row_number, column, None,
                f'kosong, padahal wajib diisi: hanya ada penanda daftar '
                f'("{_markers_only(row[column])}") tanpa butir; tulis isi setiap butir '
                f'pada barisnya sendiri'))
    for (row_number, row, key), missing in zip(records,
                                               _missing_by_row(services, required, itemless)):
        provider = site.providers.get(row["penyelenggara"])
        if provider is None:
            if providers is not None:  # otherwise the provider file's own error says it all
                site.problems.append(Problem(display, row_number, "penyelenggara",
                    row["penyelenggara"],
                    f"tidak ada di {providers.attrs['display']}; isi dengan kode "
                    "penyelenggara yang terdaftar (" + ", ".join(sorted(site.providers)) + ")"))
            continue
        service = Service(row["kode"], row["nama"], row, provider, row_key=key, missing=missing)
        site.services[service.kode] = service
        provider.services.append(service)
    site.nav.append(NavItem("Layanan", "layanan/"))
    site.nav.append(NavItem("Penyelenggara", "penyelenggara/"))


def incomplete_services(site: Site) -> dict[str, list[str]]:
    """Every service with the component headings it lacks (the Ombudsman's first check)."""
    return {k: s.missing_components() for k, s in sorted(site.services.items())
            if s.missing_components()}


def categories(site: Site) -> dict[str, list[Service]]:
    grouped: dict[str, list[Service]] = {}
    for service in sorted(site.services.values(), key=lambda s: s.nama.lower()):
        grouped.setdefault(service.kategori or "lainnya", []).append(service)
    return dict(sorted(grouped.items(), key=lambda kv: category_name(kv[0])))


def newest(site: Site, count: int = 6) -> list[Service]:
    """The `count` services in force most recently (the home page lists them)."""
    dated = [s for s in site.services.values() if s.row.get("berlaku_sejak") is not None]
    # as sorted(..., reverse=True)[:count], without sorting 10 000 dates
    return heapq.nlargest(count, dated, key=lambda s: (s.row["berlaku_sejak"], s.kode))


# Beyond this many services (ETALASE_DAFTAR_MAKS_LAYANAN), /layanan/ lists the categories
# and each category page its services: 10 000 services made the list 2.4 MB.
SERVICES_LISTED = 300


def pages(site: Site):
    providers = sorted(site.providers.values(), key=lambda p: p.nama)
    cats = categories(site)
    yield Page("index.html", "index.html", {
        "providers": providers, "categories": cats, "newest": newest(site),
        "category_name": category_name, "page_kind": "beranda",
    })
    yield Page("layanan/index.html", "services.html", {
        "categories": cats, "category_name": category_name, "page_kind": "daftar",
        "total": len(site.services),
        "list_services": len(site.services) <= int(
            site.settings.get("ETALASE_DAFTAR_MAKS_LAYANAN", SERVICES_LISTED)),
    })
    yield Page("penyelenggara/index.html", "providers.html", {
        "providers": providers, "page_kind": "daftar",
    })
    for slug, services in cats.items():
        yield Page(f"kategori/{slug}/index.html", "category.html", {
            "slug": slug, "title": category_name(slug), "services": services,
            "page_kind": "daftar",
        })
    for provider in providers:
        yield Page(f"{provider.url}index.html", "provider.html", {
            "provider": provider,
            "services": sorted(provider.services, key=lambda s: s.nama.lower()),
            "page_kind": "penyelenggara",
        })
    for service in site.services.values():
        # Keyed by the service alone (`Service.fingerprint`: its row, what other sections
        # attached, its provider's row); the rest of the context is code. Hashing the whole
        # context walked the component tuples and the provider's other services on every page.
        yield Page(f"{service.url}index.html", "service.html", {
            "service": service, "provider": service.provider,
            "published": PUBLISHED, "management": MANAGEMENT, "searched": SEARCHED,
            "category_name": category_name, "page_kind": "layanan",
        }, inputs=("layanan", service))
