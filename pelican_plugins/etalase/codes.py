"""Section: codes of ethics and conduct that bind service staff, linked from every service.

Sources (both optional; a site without them simply says no code is published yet):

* `data/kode-etik-daftar.csv` — one row per code: `kode_etik`, `judul`, `nama_pendek`,
  `ringkasan`, `dasar_hukum` (list), `berlaku_sejak`, `berlaku_untuk` (blank or "semua" =
  every provider, else provider kodes one per line), `keterangan`;
* `data/kode-etik.csv` — one row per item: `kode_etik`, `bagian`, `nomor`, `butir`,
  `dasar_hukum` (the DATA.md contract);
* `content/kode-etik/<kode_etik>.md` — an optional preamble per code, in Markdown.

Checks beyond the Table Schemas: an item of a code that is not in the list, a (code, part,
number) used twice, a provider in `berlaku_untuk` that does not exist, a code without items
and a preamble file for no code. Pages: `/kode-etik/` and `/kode-etik/<kode_etik>/`; every
service gets `service.parts["kode_etik"]`, the codes binding its provider's staff.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import markdown
import pandas as pd
from markupsafe import Markup

from . import exports
from .datasets import FORMATS, Dataset
from .errors import Problem
from .pagecache import Fingerprinter
from .schema import load_schema
from .site import NavItem, Page, Site
from .textformat import clean_html, split_list

ITEMS = "kode-etik"  # data/kode-etik.csv, and the id of the dataset of every item
LIST = "kode-etik-daftar"  # data/kode-etik-daftar.csv, and the id of the dataset of codes
PREAMBLE_DIR = ("content", "kode-etik")  # relative to the folder holding data/
ALL = "semua"
# Periodic information item 8 (DOMAIN.md §1): what staff may not do, the sanctions, and how a
# citizen reports a breach is the "tata cara pengaduan penyalahgunaan wewenang".
BERKALA_ITEM = 8


@dataclass(frozen=True)
class PartKind:
    key: str  # the value staff write in the `bagian` column
    heading: str
    explanation: str  # plain Indonesian: what this part means for a citizen


# The parts of a code, in the order a code page shows them. The `bagian` enum of
# kode-etik.schema.json lists exactly these keys (a test keeps the two in step).
PART_KINDS: tuple[PartKind, ...] = (
    PartKind("nilai_dasar", "Nilai dasar",
             "Nilai yang dijunjung setiap petugas dalam bekerja."),
    PartKind("prinsip", "Prinsip", "Pegangan umum yang menjadi dasar butir-butir berikutnya."),
    PartKind("perilaku", "Perilaku yang wajib ditunjukkan petugas",
             "Cara petugas wajib bersikap ketika melayani Anda."),
    PartKind("kewajiban", "Kewajiban", "Hal yang harus dilakukan petugas."),
    PartKind("larangan", "Larangan", "Hal yang tidak boleh dilakukan petugas."),
    PartKind("sanksi", "Sanksi",
             "Akibat yang dijatuhkan kepada petugas yang terbukti melanggar."),
    PartKind("penegakan", "Penegakan kode etik",
             "Siapa yang memeriksa dugaan pelanggaran dan bagaimana caranya."),
    PartKind("pelaporan", "Cara melaporkan pelanggaran",
             "Langkah yang dapat Anda tempuh bila petugas melanggar kode ini."),
)
PART_BY_KEY = {kind.key: kind for kind in PART_KINDS}


@dataclass
class Item:
    """One numbered item of a part, e.g. Pasal 34 huruf a."""

    nomor: str
    butir: str
    dasar_hukum: str | None
    row: int  # spreadsheet row in data/kode-etik.csv

    @property
    def label(self) -> str:
        """The number as the regulation prints it: "3." or "a."."""
        return f"{self.nomor}."


@dataclass
class Part:
    """The items of one part (bagian) of one code, in number order."""

    kind: PartKind
    items: list[Item] = field(default_factory=list)

    @property
    def key(self) -> str:
        return self.kind.key

    @property
    def heading(self) -> str:
        return self.kind.heading

    def anchor(self, item: Item) -> str:
        """Stable fragment of one item on its code page, e.g. `perilaku-a`, `larangan-12`."""
        return f"{self.key.replace('_', '-')}-{item.nomor}"


@dataclass
class Code:
    """One code of ethics or conduct: its row of kode-etik-daftar.csv, parts and preamble."""

    kode: str
    judul: str
    row: dict[str, Any]
    parts: list[Part] = field(default_factory=list)
    preamble: Markup | None = None
    key: str | None = field(default=None, repr=False)  # `seal`: a hash of all of the above

    def fingerprint(self):
        """What a page showing this code depends on: all of it (pagecache.py)."""
        if self.key is not None:
            return self.key
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self) if f.name != "key"}

    def seal(self) -> None:
        """Hash the finished code once: every service page shows its provider's codes, and
        a service's hash is then made of plain text alone (`Service.fingerprint`)."""
        self.key = None
        self.key = Fingerprinter().digest(self.fingerprint()).hex()

    @property
    def url(self) -> str:
        return f"kode-etik/{self.kode}/"

    @property
    def nama_pendek(self) -> str:
        """The short name used in links on service pages (the title when none is given)."""
        return self.row.get("nama_pendek") or self.judul

    @property
    def ringkasan(self) -> str | None:
        return self.row.get("ringkasan")

    @property
    def dasar_hukum(self) -> list[str]:
        return split_list(self.row.get("dasar_hukum"))

    @property
    def berlaku_sejak(self):
        return self.row.get("berlaku_sejak")

    @property
    def keterangan(self) -> str | None:
        return self.row.get("keterangan")

    @property
    def providers(self) -> list[str]:
        """Provider kodes whose staff this code binds; empty means every provider."""
        return list(self._bound)

    @functools.cached_property
    def _bound(self) -> tuple[str, ...]:
        # read once: every code page asks it of each of 10 000 services at national scale
        kodes = split_list(self.row.get("berlaku_untuk"))
        return () if not kodes or any(k.lower() == ALL for k in kodes) else tuple(kodes)

    @property
    def binds_everyone(self) -> bool:
        return not self._bound

    def binds(self, provider_kode: str) -> bool:
        return not self._bound or provider_kode in self._bound

    @property
    def item_count(self) -> int:
        return sum(len(p.items) for p in self.parts)

    def download(self, fmt: str) -> str:
        """Path of this code's own download (relative to the site root)."""
        return f"{self.url}{self.kode}.{fmt}"


def _records(frame: pd.DataFrame) -> list[tuple[int, dict]]:
    rows = frame.attrs.get("row_numbers", pd.Series(range(2, len(frame) + 2), index=frame.index))
    records = frame.astype(object).where(frame.notna(), None).to_dict("records")
    return list(zip(rows.tolist(), records))


def _number_order(nomor: str) -> tuple:
    """Numbers in numeric order, then letters in alphabet order (a … z, aa …)."""
    return (0, int(nomor), "") if nomor.isdigit() else (1, len(nomor), nomor)


def preamble_dir(site: Site) -> Path:
    configured = site.settings.get("ETALASE_CODES_PATH")
    return Path(configured) if configured else site.data_dir.parent.joinpath(*PREAMBLE_DIR)


def render_preamble(text: str) -> Markup:
    """A preamble written in Markdown, as sanitised HTML."""
    return clean_html(markdown.markdown(text, extensions=["sane_lists"], output_format="html"))


# --- loading and checking ------------------------------------------------------------------


def load(site: Site) -> None:
    codes_frame = site.read(LIST, required=False)
    items_frame = site.read(ITEMS, required=False)
    if codes_frame is None and items_frame is None:
        _load_preambles(site, {})
        site.parts["codes"] = {}
        _attach_to_services(site, {})
        return
    if codes_frame is None and not site.has_problem(LIST):
        site.problems.append(Problem(site.display(site.data_dir / f"{LIST}.csv"), None, None,
            None, "berkas tidak ditemukan, padahal data/kode-etik.csv berisi butir kode etik; "
            "buat daftar kode etiknya (kode_etik, judul, dasar_hukum, berlaku_sejak)"))
    codes = _load_codes(site, codes_frame) if codes_frame is not None else {}
    if items_frame is not None:
        # A row dropped from a faulty list would make its items look orphaned: say it once.
        _load_items(site, items_frame, codes,
                    known_list=codes_frame is not None and not site.has_problem(LIST))
    elif codes_frame is not None and not site.has_problem(ITEMS):
        site.problems.append(Problem(site.display(site.data_dir / f"{ITEMS}.csv"), None, None,
            None, f"berkas tidak ditemukan, padahal {codes_frame.attrs['display']} mendaftar "
            "kode etik; tulis butir-butirnya (kode_etik, bagian, nomor, butir)"))
    if codes_frame is not None and items_frame is not None and not site.has_problem(ITEMS):
        for row_number, code in _code_rows(codes_frame, codes):
            if not code.parts:
                site.problems.append(Problem(codes_frame.attrs["display"], row_number,
                    "kode_etik", code.kode,
                    f"belum punya satu butir pun di {items_frame.attrs['display']}; tambahkan "
                    "butirnya "
                    "atau hapus baris ini"))
    _load_preambles(site, codes)
    for code in codes.values():
        code.seal()  # finished: nothing changes it after this
    site.parts["codes"] = codes
    _attach_to_services(site, codes)
    if codes_frame is not None:
        schema = load_schema(LIST)
        site.add_dataset(Dataset(
            id=LIST, title="Daftar kode etik dan kode perilaku", description=schema["description"],
            schema=schema, frame=codes_frame, theme="etika", source=codes_frame.attrs["display"],
            keywords=["kode etik", "kode perilaku", "UU 25/2009 Pasal 34"],
            temporal_field="berlaku_sejak", berkala_item=BERKALA_ITEM,
        ))
    if items_frame is not None:
        site.add_dataset(Dataset(
            id=ITEMS, title="Kode etik dan kode perilaku: butir-butir",
            description=load_schema(ITEMS)["description"], schema=items_schema(),
            frame=items_frame, theme="etika", source=items_frame.attrs["display"],
            keywords=["kode etik", "kode perilaku", "perilaku pelaksana", "larangan", "sanksi"],
            berkala_item=BERKALA_ITEM,
        ))
    if codes:
        site.nav.append(NavItem("Kode etik", "kode-etik/"))


def items_schema() -> dict:
    """The published schema of the item table: its key is (kode_etik, bagian, nomor).

    The key is checked by `_load_items` (schema.validate checks single-column keys only), so
    it is declared only on what is published, where frictionless checks it as a whole.
    """
    schema = load_schema(ITEMS)
    schema["primaryKey"] = ["kode_etik", "bagian", "nomor"]
    return schema


def _code_rows(frame: pd.DataFrame, codes: dict[str, Code]):
    for row_number, row in _records(frame):
        if row["kode_etik"] in codes:
            yield row_number, codes[row["kode_etik"]]


def _load_codes(site: Site, frame: pd.DataFrame) -> dict[str, Code]:
    display = frame.attrs["display"]
    codes: dict[str, Code] = {}
    # Only against a clean provider file: else its own errors say it all.
    check = bool(site.providers) and not site.has_problem("penyelenggara")
    for row_number, row in _records(frame):
        code = Code(row["kode_etik"], row["judul"], row)
        if check:
            for kode in code.providers:
                if kode not in site.providers:
                    site.problems.append(Problem(display, row_number, "berlaku_untuk", kode,
                        f"bukan kode penyelenggara di {site.source_name('penyelenggara')}; "
                        "tulis \"semua\" atau kode penyelenggara yang terdaftar, satu per baris ("
                        + ", ".join(sorted(site.providers)) + ")"))
        codes[code.kode] = code
    return codes


def _load_items(site: Site, frame: pd.DataFrame, codes: dict[str, Code], known_list: bool):
    display = frame.attrs["display"]
    seen: dict[tuple[str, str, str], int] = {}
    parts: dict[tuple[str, str], Part] = {}
    for row_number, row in _records(frame):
        kode, bagian, nomor = row["kode_etik"], row["bagian"], row["nomor"]
        key = (kode, bagian, nomor)
        if key in seen:
            site.problems.append(Problem(display, row_number, "nomor", nomor,
                f"sudah dipakai di baris {seen[key]} untuk bagian \"{bagian}\" kode etik "
                f"\"{kode}\"; setiap nomor hanya boleh sekali dalam satu bagian"))
            continue
        seen[key] = row_number
        code = codes.get(kode)
        if code is None:
            if known_list:
                site.problems.append(Problem(display, row_number, "kode_etik", kode,
                    f"tidak ada di {site.source_name(LIST)}; isi dengan kode etik yang "
                    "terdaftar (" + (", ".join(sorted(codes)) or "daftarnya masih kosong")
                    + ") atau tambahkan kodenya ke daftar"))
            continue
        part = parts.get((kode, bagian))
        if part is None:
            part = parts[(kode, bagian)] = Part(PART_BY_KEY[bagian])
        part.items.append(Item(nomor, row["butir"], row.get("dasar_hukum"), row_number))
    order = {kind.key: i for i, kind in enumerate(PART_KINDS)}
    for (kode, _), part in sorted(parts.items(), key=lambda kv: order[kv[0][1]]):
        part.items.sort(key=lambda item: _number_order(item.nomor))
        codes[kode].parts.append(part)


def _load_preambles(site: Site, codes: dict[str, Code]) -> None:
    folder = preamble_dir(site)
    if not folder.is_dir():
        return
    faulty_list = site.has_problem(LIST)  # a code of a refused row is not "no code"
    for path in sorted(folder.glob("*.md")):
        code = codes.get(path.stem)
        if code is None:
            if faulty_list:
                continue
            site.problems.append(Problem(site.display(path), None, None, path.name,
                "bukan pembuka kode etik mana pun: nama berkas harus sama dengan kode_etik di "
                f"{site.source_name(LIST)} (" + (", ".join(sorted(codes)) or "daftarnya kosong")
                + "), diikuti .md"))
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            site.problems.append(Problem(site.display(path), None, None, None,
                "bukan teks UTF-8; simpan ulang berkas ini dengan pengodean UTF-8"))
            continue
        code.preamble = render_preamble(text)


def codes_for(codes: dict[str, Code], provider_kode: str) -> list[Code]:
    """The codes binding a provider's staff, in the order of the code list."""
    return [code for code in codes.values() if code.binds(provider_kode)]


def _attach_to_services(site: Site, codes: dict[str, Code]) -> None:
    found: dict[str, list[Code]] = {}  # once per provider, not for each of 10 000 services
    for service in site.services.values():
        kode = service.provider.kode
        if kode not in found:
            found[kode] = codes_for(codes, kode)
        service.parts["kode_etik"] = list(found[kode])


def provider_names(site: Site, code: Code) -> list[tuple[str, str]]:
    """(url, name) of every provider a code binds, in name order."""
    if code.binds_everyone:
        chosen = list(site.providers.values())
    else:
        chosen = [site.providers[k] for k in code.providers if k in site.providers]
    return [(p.url, p.nama) for p in sorted(chosen, key=lambda p: p.nama)]


# --- downloads and pages ------------------------------------------------------------------


def code_dataset(site: Site, code: Code) -> Dataset:
    """One code's items as a table of its own (written beside its page, not catalogued)."""
    whole = site.datasets[ITEMS]
    frame = whole.frame[whole.frame["kode_etik"] == code.kode]
    return dataclasses.replace(whole, id=f"{ITEMS}-{code.kode}", title=code.judul, frame=frame)


def write_files(site: Site, output: Path) -> None:
    codes: dict[str, Code] = site.parts.get("codes", {})
    if ITEMS not in site.datasets:
        return
    for code in codes.values():
        dataset = code_dataset(site, code)
        for fmt in FORMATS:  # a code's own items: tens of rows, named so on its page
            target = Path(output) / code.download(fmt)
            target.parent.mkdir(parents=True, exist_ok=True)
            exports.WRITERS[fmt](dataset, target)


# A code binding more services than this (ETALASE_KODE_ETIK_MAKS_LAYANAN) lists their
# providers instead, whose pages list the services: 10 000 links made a code's page 1.3 MB.
SERVICES_LISTED = 300


def pages(site: Site):
    codes: dict[str, Code] = site.parts.get("codes", {})
    if not codes:
        return
    yield Page("kode-etik/index.html", "codes.html", {
        "codes": list(codes.values()),
        "bound": {code.kode: provider_names(site, code) for code in codes.values()},
        "page_kind": "daftar",
    })
    by_name = sorted(site.services.values(), key=lambda s: s.nama.lower())  # once, not per code
    for code in codes.values():
        bound = {kode: code.binds(kode) for kode in site.providers}  # every service's provider
        services = [s for s in by_name if bound[s.provider.kode]]
        limit = int(site.settings.get("ETALASE_KODE_ETIK_MAKS_LAYANAN", SERVICES_LISTED))
        yield Page(f"{code.url}index.html", "code.html", {
            "code": code, "providers": provider_names(site, code), "services": services,
            "list_services": len(services) <= limit, "page_kind": "kode-etik",
        })

