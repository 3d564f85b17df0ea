"""Section: the PPID (information officer) pages — DIP, exempt information, compliance, requests.

Loads `data/ppid/dip.csv` and `data/ppid/informasi-dikecualikan.csv` (both optional), checks
that every Markdown page and every dataset carries its KIP category (`kip.py`), builds the
Daftar Informasi Publik from everything published (`dip.py`) and runs the compliance checks
(`compliance.py`). With `ETALASE_KEPATUHAN_GAGALKAN_BUILD = True` a compliance gap fails the
build; otherwise gaps are shown on /ppid/kepatuhan/ and logged.

Pages: /ppid/ (hub), /ppid/dip/, /ppid/informasi-dikecualikan/, /ppid/kepatuhan/ (and
/ppid/kepatuhan/<penyelenggara>/ when a check has too many gaps for one page),
/ppid/cara-meminta-informasi/ (with the deadline helper, theme/static/js/tenggat.js),
/ppid/keberatan/, /ppid/sengketa/, /ppid/formulir-permohonan/, /ppid/formulir-keberatan/.

Load it after every section that adds datasets and before `catalogue`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass

from . import compliance, dip, history, kip
from .datasets import Dataset
from .errors import Problem
from .schema import load_schema
from .site import NavItem, Page, Site, build_time
from .textformat import tanggal
from .workdays import site_calendar

logger = logging.getLogger(__name__)

BASE = "ppid/"
DAYS = ["Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu"]


@dataclass(frozen=True)
class PpidPage:
    slug: str  # under ppid/; "" is the hub
    template: str
    title: str
    summary: str
    kategori: str
    butir: tuple[int, ...] = ()

    @property
    def url(self) -> str:
        return f"{BASE}{self.slug}/" if self.slug else BASE


PAGES = [
    PpidPage("", "ppid.html", "Layanan informasi publik (PPID)",
             "Pintu masuk layanan informasi publik: daftar informasi, cara meminta, keberatan, "
             "sengketa, formulir, dan laporan kepatuhan.", kip.BERKALA, (7,)),
    PpidPage("dip", "ppid-dip.html", "Daftar Informasi Publik",
             "Semua informasi publik yang dikuasai, menurut kategori, dengan pejabat yang "
             "menguasai, penanggung jawab, waktu, bentuk, dan jangka waktu penyimpanannya.",
             kip.SETIAP_SAAT),
    PpidPage("informasi-dikecualikan", "ppid-dikecualikan.html",
             "Informasi yang dikecualikan",
             "Kategori informasi yang dikecualikan, dasar Pasal 17, dan hasil uji konsekuensi.",
             kip.SETIAP_SAAT),
    PpidPage("kepatuhan", "ppid-kepatuhan.html", "Kepatuhan keterbukaan informasi",
             "Apakah informasi yang wajib diumumkan sudah tersedia dan mutakhir.", kip.SETIAP_SAAT),
    PpidPage("cara-meminta-informasi", "ppid-permohonan.html", "Cara meminta informasi publik",
             "Hak dan tata cara memperoleh informasi publik, dengan batas waktu setiap langkah.",
             kip.BERKALA, (7,)),
    PpidPage("keberatan", "ppid-keberatan.html", "Cara mengajukan keberatan",
             "Alasan, tata cara, dan batas waktu keberatan kepada atasan PPID.", kip.BERKALA, (7,)),
    PpidPage("sengketa", "ppid-sengketa.html", "Sengketa informasi di Komisi Informasi",
             "Cara dan batas waktu mengajukan sengketa informasi ke Komisi Informasi.",
             kip.BERKALA, (7,)),
    PpidPage("formulir-permohonan", "ppid-formulir-permohonan.html",
             "Formulir permohonan informasi publik", "Formulir untuk dicetak dan diisi.",
             kip.BERKALA, (7,)),
    PpidPage("formulir-keberatan", "ppid-formulir-keberatan.html",
             "Formulir keberatan atas permohonan informasi", "Formulir untuk dicetak dan diisi.",
             kip.BERKALA, (7,)),
]


def hari_tanggal(value: dt.date) -> str:
    """`Senin, 24 Maret 2025`."""
    return f"{DAYS[value.weekday()]}, {tanggal(value)}"


def example_date(today: dt.date) -> dt.date:
    """The worked example's request date: the first Monday after the build date."""
    return today + dt.timedelta(days=7 - today.weekday())


# A link to another file of content/ in a Markdown page: ({filename}/pages/profil.md)
_CONTENT_LINK = re.compile(r"\{(?:filename|static)\}([^)\s\"'#?]+)")


def classification_problems(site: Site) -> list[Problem]:
    """Every Markdown page and every dataset so far must carry a publishable KIP category;
    a page's links to other files of content/ must lead to one (Pelican would publish the
    link as it is written, with a line in English)."""
    problems: list[Problem] = []
    content = compliance.content_dir(site)
    for page in markdown_pages(site):
        problems.extend(kip.page_problems(page.meta, page.display))
        text = page.path.read_text(encoding="utf-8-sig", errors="replace")
        for number, line in enumerate(text.splitlines(), start=1):
            for target in _CONTENT_LINK.findall(line):
                # from content/ when it starts with /, else from the page's own folder
                base = content if target.startswith("/") else page.path.parent
                if not (base / target.lstrip("/")).is_file():
                    problems.append(Problem(page.display, number, None, target,
                        f"tautan ke berkas yang tidak ada di {content.name}/; periksa nama "
                        "berkasnya (huruf besar-kecil juga)"))
    for path in _page_folders(site, dip.html_pages):
        problems.append(Problem(site.display(path), None, None, path.name,
            "halaman HTML tidak diterbitkan: Etalase hanya menerbitkan halaman Markdown, "
            "yang diperiksa dan dicantumkan di Daftar Informasi Publik; tulis ulang isinya "
            "sebagai Markdown dan simpan dengan akhiran .md (lihat content/pages/tentang.md)"))
    for dataset in site.datasets.values():
        problems.extend(kip.dataset_problems(dataset))
    return problems


def markdown_pages(site: Site) -> list[dip.MarkdownPage]:
    """The staff's Markdown pages (PAGE_PATHS of content/) with their header, those Pelican
    publishes, each with the slug Pelican gives it."""
    from .addresses import slug

    return _page_folders(site, lambda folder, ignored: dip.markdown_pages(
        folder, site.display, lambda path, meta: slug(path, meta, site.settings), ignored))


def _page_folders(site: Site, find) -> list:
    """`find(folder, ignored)` over each of the site's page folders (PAGE_PATHS of content/),
    with the files Pelican ignores (IGNORE_FILES)."""
    ignored = site.settings.get("IGNORE_FILES") or dip.IGNORED
    content = compliance.content_dir(site)
    return [found for folder in site.settings.get("PAGE_PATHS") or ["pages"]
            for found in find(content / folder, ignored)]


def _read_staff_dip(site: Site):
    frame = site.read("ppid/dip", "dip", required=False)
    if frame is None:
        return None
    rows = frame.attrs["row_numbers"]
    berkala = frame["kategori"] == kip.BERKALA
    missing = berkala & frame["butir_berkala"].isna()
    stray = ~berkala & frame["butir_berkala"].notna()
    for idx in missing[missing].index:
        site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), "butir_berkala",
                                     None, "kosong, padahal kategori berkala; isi nomor butir "
                                     "berkala 1 sampai 10 (lihat docs/ppid.md)"))
    for idx in stray[stray].index:
        site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), "butir_berkala",
                                     frame["butir_berkala"][idx], "diisi, padahal kategorinya "
                                     f"{frame['kategori'][idx]}; kosongkan (hanya untuk berkala)"))
    keep = ~(missing | stray)
    result = frame[keep]
    result.attrs.update(frame.attrs)
    result.attrs["row_numbers"] = rows[keep]
    return result


def load(site: Site) -> None:
    calendar = site_calendar(site)
    site.problems.extend(classification_problems(site))
    defaults = dip.Defaults.from_settings(site.settings)
    staff = _read_staff_dip(site)
    exempt = site.read("ppid/informasi-dikecualikan", "informasi-dikecualikan", required=False)
    root = site.root or site.data_dir.parent

    history.ask_ahead(root / d.source for d in site.datasets.values() if d.source)
    entries = [dip.dataset_entry(d, defaults, site.providers, root)
               for d in site.datasets.values()]
    entries += [dip.page_entry(p, defaults) for p in markdown_pages(site)
                if p.meta.get("kategori_kip") in kip.PUBLISHABLE]
    built = build_time(root)
    today = built.date()
    # The PPID pages are written afresh from the law's constants and the data at every build.
    for page in PAGES:
        entries.append(dip.Entry(
            judul=page.title, ringkasan=page.summary, kategori=page.kategori,
            butir_berkala=list(page.butir), pejabat_penguasa=defaults.ppid,
            penanggung_jawab=defaults.ppid, waktu_pembuatan=today,
            tempat_pembuatan=defaults.tempat, bentuk_informasi=dip.PAGE_FORM,
            tautan=page.url, sumber="halaman PPID"))
    entries += dip.staff_entries(staff)
    if exempt is not None:
        entries.append(dip.Entry(
            judul="Daftar informasi yang dikecualikan", ringkasan=load_schema(
                "informasi-dikecualikan")["description"], kategori=kip.SETIAP_SAAT,
            pejabat_penguasa=defaults.ppid, penanggung_jawab=defaults.ppid,
            waktu_pembuatan=dip.git_date(root / exempt.attrs["display"]) or today,
            tempat_pembuatan=defaults.tempat, bentuk_informasi=dip.DATASET_FORM,
            tautan=f"data/{dip.EXEMPT_ID}/", sumber=f"dataset {dip.EXEMPT_ID}"))
    entries.append(dip.Entry(
        judul="Daftar Informasi Publik (data)", ringkasan=load_schema(
            "daftar-informasi-publik")["description"], kategori=kip.SETIAP_SAAT,
        pejabat_penguasa=defaults.ppid, penanggung_jawab=defaults.ppid, waktu_pembuatan=today,
        tempat_pembuatan=defaults.tempat, bentuk_informasi=dip.DATASET_FORM,
        tautan=f"data/{dip.DIP_ID}/", sumber=f"dataset {dip.DIP_ID}"))

    base_url = site.settings.get("CANONICAL_URL") or site.settings.get("SITEURL") or ""
    schema = load_schema("daftar-informasi-publik")
    site.add_dataset(Dataset(
        id=dip.DIP_ID, title="Daftar Informasi Publik", description=schema["description"],
        schema=schema, frame=dip.frame(entries, base_url), theme="informasi-publik",
        source=staff.attrs["display"] if staff is not None else None,
        kip_category=kip.SETIAP_SAAT, keywords=["DIP", "PPID", "UU 14/2008", "Perki 1/2021"],
        temporal_field="waktu_pembuatan"))
    if exempt is not None:
        schema = load_schema("informasi-dikecualikan")
        site.add_dataset(Dataset(
            id=dip.EXEMPT_ID, title="Daftar informasi yang dikecualikan",
            description=schema["description"], schema=schema, frame=exempt,
            theme="informasi-publik", source=exempt.attrs["display"],
            kip_category=kip.SETIAP_SAAT, keywords=["PPID", "Pasal 17", "uji konsekuensi"]))

    checks = compliance.run(site, entries, today)
    if site.settings.get(compliance.SETTING, False):
        site.problems.extend(compliance.problems(checks))
    else:
        gaps = sum(c.count(compliance.FAIL) for c in checks)
        if gaps:
            logger.warning("Kepatuhan keterbukaan informasi: %d kekurangan (rinciannya di "
                           "halaman /ppid/kepatuhan/ dan pada `make validate`)", gaps)
    start = example_date(today)
    # The deadline helper states how far the days off are known, and warns past that day:
    # the end of the last year of cuti bersama in the data (`WorkCalendar.known_until`),
    # never a guessed year; without any cuti bersama data, nothing after the build date.
    until = calendar.known_until or today
    # A date may be typed up to the end of the year after that day (`last`); the script
    # gets the days off to a year further, so a deadline chain from a date up to `last`
    # (about four months) still counts the national holidays, which are known beyond it.
    last = dt.date(max(until, today).year + 1, 12, 31)
    site.parts["ppid"] = {
        "entries": entries, "checks": checks, "today": today,
        "exempt": dip.exempt_rows(exempt),
        "example": kip.request_deadlines(start, calendar),
        "holidays": kip.non_working_days(calendar, dt.date(today.year - 1, 1, 1),
                                         dt.date(last.year + 1, 12, 31)),
        "holidays_until": until,  # what the page says is known
        "cuti_known": calendar.known_until is not None,
        "holidays_last": last,  # the last day the script knows (the date inputs' limit)
    }
    site.nav.append(NavItem("Informasi publik", BASE))


def steps_json(steps: list[kip.Step]) -> list[dict]:
    """The deadline rules for tenggat.js: no law in the JavaScript, only arithmetic."""
    return [{"key": s.key, "days": s.days, "after": s.after} for s in steps]


# A check with more findings than this (ETALASE_KEPATUHAN_MAKS_BARIS) lists only its gaps
# and warnings on /ppid/kepatuhan/ and counts the rest: 10 000 services passing made the page
# 8.8 MB at national scale. With more gaps and warnings than this too, they are counted per
# provider, and listed on each provider's page (`_split_by_provider`).
FINDINGS_LISTED = 200


def contact(settings: dict) -> dict:
    """Where and when citizens reach the PPID: ETALASE_PPID_ALAMAT (the information desk),
    ETALASE_PPID_JAM and ETALASE_PPID_TELEPON (a text or a list of texts each) and
    ETALASE_PPID_EMAIL."""
    def listed(name: str) -> list[str]:
        value = settings.get(name) or []
        return [value] if isinstance(value, str) else list(value)

    return {"alamat": settings.get("ETALASE_PPID_ALAMAT"), "jam": listed("ETALASE_PPID_JAM"),
            "telepon": listed("ETALASE_PPID_TELEPON"),
            "email": settings.get("ETALASE_PPID_EMAIL")}


def pages(site: Site):
    ppid = site.parts.get("ppid")
    if ppid is None:
        return
    checks = ppid["checks"]
    common = {
        "page_kind": "ppid", "ppid_pages": PAGES, "kip": kip, "compliance": compliance,
        "checks": checks, "overall": compliance.worst(checks), "today": ppid["today"],
        "rows_max": int(site.settings.get("ETALASE_KEPATUHAN_MAKS_BARIS", FINDINGS_LISTED)),
        "hari_tanggal": hari_tanggal, "ppid_email": site.settings.get("ETALASE_PPID_EMAIL"),
        "ppid_kontak": contact(site.settings),
        "ppid_unit": dip.Defaults.from_settings(site.settings).ppid,
        "dip_dataset": site.datasets.get(dip.DIP_ID),
        "exempt_dataset": site.datasets.get(dip.EXEMPT_ID),
    }
    by_slug = {p.slug: p for p in PAGES}
    extra = {
        "dip": {"groups": dip.grouped(ppid["entries"])},
        "informasi-dikecualikan": {"exempt": ppid["exempt"]},
        "cara-meminta-informasi": {
            "example": ppid["example"], "holidays": ppid["holidays"],
            "holidays_until": ppid["holidays_until"], "rules": steps_json(ppid["example"]),
            "holidays_last": ppid["holidays_last"], "cuti_known": ppid["cuti_known"],
        },
        # (the day the days off are known until, for a note under their worked example)
        "keberatan": {"example": ppid["example"], "holidays_until": ppid["holidays_until"]},
        "sengketa": {"example": ppid["example"], "holidays_until": ppid["holidays_until"]},
    }
    split, parts = _split_by_provider(site, checks, common["rows_max"])
    extra["kepatuhan"] = {"split": split}
    for slug, page in by_slug.items():
        yield Page(f"{page.url}index.html", page.template, {
            **common, "ppid_page": page, "canonical_path": page.url, **extra.get(slug, {}),
        })
    compliance_page = by_slug["kepatuhan"]
    for kode, own in sorted(parts.items()):
        provider = site.providers[kode]
        # Keyed by this provider's findings alone: a gap closed elsewhere leaves it be.
        yield Page(f"{compliance_page.url}{kode}/index.html", "ppid-kepatuhan-penyelenggara.html", {
            "page_kind": "ppid", "ppid_pages": PAGES, "compliance": compliance,
            "today": ppid["today"], "rows_max": common["rows_max"],
            "provider": {"kode": kode, "nama": provider.nama, "url": provider.url},
            "checks": own, "canonical_path": f"{compliance_page.url}{kode}/",
        })


def _split_by_provider(site: Site, checks: list[compliance.Check],
                       rows_max: int) -> tuple[dict, dict]:
    """The checks with more gaps and warnings than `rows_max` whose findings name their
    provider: /ppid/kepatuhan/ counts them per provider, and each provider's page lists its
    own (8 796 gaps of a province made one page of 5.8 MB). Returns check key → ([(provider
    kode, name, {status: count})] by name, the gaps and warnings of no known provider,
    listed as before), and provider kode → its part of each such check."""
    split: dict[str, tuple] = {}
    parts: dict[str, list[compliance.Check]] = {}
    for check in checks:
        listed = [f for f in check.findings if f.status != compliance.OK]
        own = {kode: part for kode, part in check.by_provider().items()
               if kode in site.providers}
        if len(listed) > rows_max and own:
            rows = sorted(((kode, site.providers[kode].nama,
                            {status: part.count(status) for status in compliance.STATUS_LABELS})
                           for kode, part in own.items()), key=lambda row: (row[1].lower(), row[0]))
            split[check.key] = (rows, [f for f in listed if f.provider not in own])
            for kode, part in own.items():
                parts.setdefault(kode, []).append(part)
    return split, parts
