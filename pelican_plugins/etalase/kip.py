"""UU 14/2008 (Keterbukaan Informasi Publik): categories, the ten periodic items, time limits.

Every value here has its legal source beside it, so a correction is one line. Values marked
"(check)" were read in secondary copies only (see DOMAIN.md of the steering repository).

Also here: the classification checks (every page and dataset carries a publishable category,
and a `berkala` one says which periodic item it fulfils) and the deadline arithmetic for an
information request, on top of `workdays.WorkCalendar` (hari kerja: weekends, national
holidays and cuti bersama excluded).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from .errors import Problem
from .workdays import WorkCalendar

# --- categories -------------------------------------------------------------------------

BERKALA = "berkala"  # UU 14/2008 Pasal 9: published at least every 6 months
SERTA_MERTA = "serta_merta"  # Pasal 10: published immediately (threats to life, public order)
SETIAP_SAAT = "setiap_saat"  # Pasal 11: available at any time (on request)
DIKECUALIKAN = "dikecualikan"  # Pasal 17: exempt, never published (consequence test, Pasal 19)

PUBLISHABLE = (BERKALA, SERTA_MERTA, SETIAP_SAAT)
CATEGORY_LABELS = {
    BERKALA: "Informasi yang wajib disediakan dan diumumkan secara berkala",
    SERTA_MERTA: "Informasi yang wajib diumumkan secara serta-merta",
    SETIAP_SAAT: "Informasi yang wajib tersedia setiap saat",
    DIKECUALIKAN: "Informasi yang dikecualikan",
}
CATEGORY_SHORT = {BERKALA: "Berkala", SERTA_MERTA: "Serta-merta", SETIAP_SAAT: "Setiap saat",
                  DIKECUALIKAN: "Dikecualikan"}
CATEGORY_ARTICLES = {BERKALA: "Pasal 9", SERTA_MERTA: "Pasal 10", SETIAP_SAAT: "Pasal 11",
                     DIKECUALIKAN: "Pasal 17"}
BERKALA_MAX_AGE_MONTHS = 6  # Pasal 9(3): "paling singkat 6 (enam) bulan sekali"


@dataclass(frozen=True)
class BerkalaItem:
    number: int
    title: str
    source: str


# The ten periodic items PPID websites implement. Source: Perki 1/2021 (SLIP) Pasal 11(1)
# huruf a–j (check), elaborating UU 14/2008 Pasal 9(2).
PROFIL = BerkalaItem(
    1, "Profil badan publik",
    "Perki 1/2021 Pasal 11(1) huruf a; UU 14/2008 Pasal 9(2) huruf a")
PROGRAM = BerkalaItem(
    2, "Ringkasan program dan/atau kegiatan",
    "Perki 1/2021 Pasal 11(1) huruf b; UU 14/2008 Pasal 9(2) huruf b")
KINERJA = BerkalaItem(
    3, "Ringkasan informasi tentang kinerja",
    "Perki 1/2021 Pasal 11(1) huruf c; UU 14/2008 Pasal 9(2) huruf b")
KEUANGAN = BerkalaItem(
    4, "Ringkasan laporan keuangan",
    "Perki 1/2021 Pasal 11(1) huruf d; UU 14/2008 Pasal 9(2) huruf c")
AKSES_INFORMASI = BerkalaItem(
    5, "Ringkasan laporan akses informasi publik",
    "Perki 1/2021 Pasal 11(1) huruf e")
PERATURAN = BerkalaItem(
    6, "Peraturan, keputusan, dan/atau kebijakan yang mengikat dan/atau berdampak bagi publik",
    "Perki 1/2021 Pasal 11(1) huruf f")
HAK_DAN_TATA_CARA = BerkalaItem(
    7, "Hak dan tata cara memperoleh informasi publik, mengajukan keberatan, dan "
       "menyelesaikan sengketa",
    "Perki 1/2021 Pasal 11(1) huruf g")
PENGADUAN = BerkalaItem(
    8, "Tata cara pengaduan penyalahgunaan wewenang atau pelanggaran",
    "Perki 1/2021 Pasal 11(1) huruf h")
PENGADAAN = BerkalaItem(
    9, "Pengumuman pengadaan barang dan jasa",
    "Perki 1/2021 Pasal 11(1) huruf i")
PERINGATAN_DINI = BerkalaItem(
    10, "Prosedur peringatan dini dan evakuasi keadaan darurat",
    "Perki 1/2021 Pasal 11(1) huruf j")
BERKALA_ITEMS = {item.number: item for item in (
    PROFIL, PROGRAM, KINERJA, KEUANGAN, AKSES_INFORMASI, PERATURAN, HAK_DAN_TATA_CARA,
    PENGADUAN, PENGADAAN, PERINGATAN_DINI)}

# Pasal 17 letters (exemptions), used by the DIP, the exempt list and the PPID annual report.
PASAL_17 = {
    "a": "menghambat proses penegakan hukum",
    "b": "mengganggu perlindungan hak kekayaan intelektual dan persaingan usaha tidak sehat",
    "c": "membahayakan pertahanan dan keamanan negara",
    "d": "mengungkap kekayaan alam Indonesia",
    "e": "merugikan ketahanan ekonomi nasional",
    "f": "merugikan kepentingan hubungan luar negeri",
    "g": "mengungkap isi akta otentik yang bersifat pribadi dan kemauan terakhir atau wasiat",
    "h": "mengungkap rahasia pribadi",
    "i": "memorandum atau surat antar/intra badan publik yang dirahasiakan",
    "j": "informasi yang tidak boleh diungkap berdasarkan undang-undang",
}

# --- time limits, in working days (hari kerja) --------------------------------------------

ANSWER_DAYS = 10  # Pasal 22(7): written notice answering the request
EXTENSION_DAYS = 7  # Pasal 22(8): one extension, with written reasons (17 in all)
OBJECTION_DAYS = 30  # Pasal 36(1): objection filed within 30 working days of the ground arising
SUPERIOR_ANSWER_DAYS = 30  # Pasal 36(2): the PPID's superior answers the objection
DISPUTE_DAYS = 14  # Pasal 37(2): dispute filed at the Komisi Informasi after that answer
COMMISSION_START_DAYS = 14  # Pasal 38(1): Komisi Informasi starts mediation/adjudication (check)
COMMISSION_FINISH_DAYS = 100  # Pasal 38(2): and finishes it (check)


# What each step counts from, in words (the `after` key of a Step).
COUNTED_FROM = {
    "permohonan": "sejak permohonan diterima",
    "jawaban": "setelah batas jawaban PPID lewat",
    "keberatan": "setelah keberatan dicatat",
    "tanggapan": "setelah tanggapan atasan PPID diterima",
}


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    days: int  # working days after `after`
    after: str  # key of the step it counts from
    article: str
    date: dt.date


def request_deadlines(received: dt.date, calendar: WorkCalendar,
                      objection_filed: dt.date | None = None) -> list[Step]:
    """Each step of a request and what follows a refusal or a missed deadline, latest dates.

    Counting follows `workdays`: the day the request arrives is day 0. The objection chain
    assumes the worst case: no answer and no extension notice by the 10-day deadline (the
    ground of Pasal 35(1) huruf c arises then), the objection filed on its last day (or on
    `objection_filed`), the superior answering on its last day.
    """
    add = calendar.add_working_days
    answer = add(received, ANSWER_DAYS)
    extended = add(received, ANSWER_DAYS + EXTENSION_DAYS)
    objection = add(answer, OBJECTION_DAYS)
    filed = objection_filed or objection
    superior = add(filed, SUPERIOR_ANSWER_DAYS)
    dispute = add(superior, DISPUTE_DAYS)
    return [
        Step("permohonan", "Permohonan diterima PPID", 0, "permohonan", "Pasal 22(1)", received),
        Step("jawaban", "Pemberitahuan tertulis dari PPID paling lambat", ANSWER_DAYS,
             "permohonan", "Pasal 22(7)", answer),
        Step("perpanjangan", "Bila PPID memperpanjang (sekali, dengan alasan tertulis)",
             ANSWER_DAYS + EXTENSION_DAYS, "permohonan", "Pasal 22(8)", extended),
        Step("keberatan", "Batas mengajukan keberatan kepada atasan PPID bila permohonan tidak "
             "ditanggapi", OBJECTION_DAYS, "jawaban", "Pasal 35(1) huruf c, Pasal 36(1)",
             objection),
        Step("tanggapan", "Atasan PPID menanggapi keberatan paling lambat", SUPERIOR_ANSWER_DAYS,
             "keberatan", "Pasal 36(2)", superior),
        Step("sengketa", "Batas mengajukan sengketa ke Komisi Informasi", DISPUTE_DAYS,
             "tanggapan", "Pasal 37(2)", dispute),
    ]


def non_working_days(calendar: WorkCalendar, first: dt.date, last: dt.date) -> list[str]:
    """ISO dates of every weekday holiday and cuti bersama day in [first, last], for the JS."""
    return [d.isoformat() for d in calendar.holidays if first <= d <= last and d.weekday() < 5]


# --- classification checks ----------------------------------------------------------------

def dataset_problems(dataset) -> list[Problem]:
    """A dataset must carry a publishable category, and a berkala one its item (1–10)."""
    where = dataset.source or f"dataset {dataset.id}"
    category = dataset.kip_category
    if category == DIKECUALIKAN:
        return [Problem(where, None, "kip_category", category,
                        f"dataset {dataset.id}: informasi yang dikecualikan (UU 14/2008 Pasal 17) "
                        "tidak boleh diterbitkan")]
    if category not in PUBLISHABLE:
        return [Problem(where, None, "kip_category", str(category),
                        f"dataset {dataset.id}: bukan kategori informasi publik yang dikenal; "
                        "pilih " + ", ".join(PUBLISHABLE))]
    if category == BERKALA and dataset.berkala_item not in BERKALA_ITEMS:
        return [Problem(where, None, "berkala_item", _text(dataset.berkala_item),
                        f"dataset {dataset.id}: informasi berkala harus menyebut butir berkala "
                        "yang dipenuhinya (1 sampai 10, lihat docs/ppid.md)")]
    return []


def _text(value) -> str | None:
    return None if value is None else str(value)


_META_LINE = re.compile(r"^([A-Za-z][\w -]*):\s*(.*)$")


def page_metadata(path: Path) -> dict[str, str]:
    """The `Key: value` header of a Markdown page (keys lower-cased, as Pelican does)."""
    meta: dict[str, str] = {}
    with open(path, encoding="utf-8-sig") as fh:
        for line in fh:
            if not line.strip():
                break
            match = _META_LINE.match(line.rstrip("\n"))
            if not match:
                break
            meta[match[1].strip().lower().replace(" ", "_")] = match[2].strip()
    return meta


def berkala_numbers(value: str | None) -> list[int] | None:
    """"3" or "1, 7" → [3] / [1, 7]; None when a part is not a number from 1 to 10."""
    parts = [p for p in re.split(r"[\s,;]+", value or "") if p]
    if not parts or not all(p.isdigit() and int(p) in BERKALA_ITEMS for p in parts):
        return None
    return [int(p) for p in parts]


def page_problems(meta: dict[str, str], display: str) -> list[Problem]:
    """A Markdown page must have a title and dates Pelican can read (else it skips the page
    with a line in English and the build goes on without it), and must say `Kategori_KIP:`,
    a berkala page `Butir_berkala:` too."""
    problems = [] if meta.get("title") else [Problem(
        display, None, "Title", None, "tidak ada, padahal setiap halaman perlu judul; "
        "tambahkan baris \"Title: judul halaman\" di kepala halaman (baris paling atas)")]
    for key, name in (("date", "Date"), ("modified", "Modified")):
        value = meta.get(key)
        if value:
            try:
                dt.datetime.fromisoformat(value)
            except ValueError:
                problems.append(Problem(display, None, name, value,
                    "bukan tanggal yang sah dengan format TTTT-BB-HH (contoh: 2025-07-31)"))
    return problems + _category_problems(meta, display)


def _category_problems(meta: dict[str, str], display: str) -> list[Problem]:
    category = meta.get("kategori_kip")
    if not category:
        return [Problem(display, None, "Kategori_KIP", None,
                        "tidak ada; tambahkan baris \"Kategori_KIP: berkala\" (atau serta_merta, "
                        "setiap_saat) di kepala halaman, lihat docs/ppid.md")]
    if category == DIKECUALIKAN:
        return [Problem(display, None, "Kategori_KIP", category,
                        "informasi yang dikecualikan tidak boleh diterbitkan; hapus halaman ini")]
    if category not in PUBLISHABLE:
        return [Problem(display, None, "Kategori_KIP", category,
                        "bukan kategori yang dikenal; isi berkala, serta_merta, atau setiap_saat")]
    if category == BERKALA and berkala_numbers(meta.get("butir_berkala")) is None:
        return [Problem(display, None, "Butir_berkala", meta.get("butir_berkala"),
                        "halaman berkala harus menyebut butir berkala yang dipenuhinya: angka 1 "
                        "sampai 10 (beberapa boleh, dipisah koma), lihat docs/ppid.md")]
    return []
