"""The annual public-information service report, blocks 3 and 4 (Perki 1/2021 Pasal 56).

Computed from the request register without personal data
(`data/ppid/permohonan-informasi.csv`). Block 3: requests received, decisions, refusal reasons
by UU 14/2008 Pasal 17 letter, time taken, share answered within 10 and within 17 working days
(Pasal 22(7)–(8)). Block 4: objections (keberatan) and disputes (sengketa) at the Komisi
Informasi. Blocks 1, 2, 5 and 6 are written by staff in `content/laporan-ppid/<tahun>.md`.

Time taken = working days from `tanggal_permohonan` to `tanggal_pemberitahuan` (the written
answer). Shares within 10/17 days are of ALL requests received in the year: a request not yet
answered counts as not answered in time.

An objection is counted in the year it was received (`tanggal_keberatan`, an optional column;
without it, its request's year), a dispute with its objection. The objection's answer is due
30 working days later (Pasal 36(2)), counted to `tanggal_tanggapan_keberatan`. An objection
still waiting is judged on the register's last recorded date (`as_of`), not the build date:
the register may simply not have been brought up to date since. So is a request still
waiting for its written answer (`waiting_requests`): due 10 working days after it was
received, 17 when the time was extended (Pasal 22(7)–(8)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pandas as pd

from .kip import ANSWER_DAYS, EXTENSION_DAYS, PASAL_17, SUPERIOR_ANSWER_DAYS
from .timeliness import percent
from .workdays import WorkCalendar

MAX_DAYS = ANSWER_DAYS + EXTENSION_DAYS

KEPUTUSAN = {
    "dikabulkan_seluruhnya": "Dikabulkan seluruhnya",
    "dikabulkan_sebagian": "Dikabulkan sebagian",
    "ditolak": "Ditolak",
    "tidak_dikuasai": "Informasi tidak dikuasai",
    "belum_didokumentasikan": "Informasi belum didokumentasikan",
}
KEBERATAN = {"tidak": "Tidak ada keberatan", "diajukan": "Keberatan diajukan, belum dijawab",
             "dijawab": "Keberatan sudah dijawab atasan PPID"}
SENGKETA = {
    "tidak": "Tidak ada sengketa",
    "diajukan": "Diajukan ke Komisi Informasi, masih diproses",
    "mediasi_berhasil": "Selesai melalui mediasi",
    "dikabulkan": "Putusan ajudikasi: permohonan pemohon dikabulkan",
    "ditolak": "Putusan ajudikasi: permohonan pemohon ditolak",
    "dicabut": "Dicabut pemohon",
    "pengadilan": "Berlanjut ke pengadilan",
}
TIME_BANDS = [(0, 5, "0–5 hari kerja"), (6, 10, "6–10 hari kerja"),
              (11, 17, "11–17 hari kerja (dengan perpanjangan)"),
              (18, 10**9, "Lebih dari 17 hari kerja")]
NOT_ANSWERED = "Belum dijawab"


def reasons(cell) -> list[str]:
    """Pasal 17 letters of a refusal cell: "h", "a, h", "Pasal 17 huruf h" → ["h"]…"""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    text = re.sub(r"(?i)pasal\s*17|huruf", " ", str(cell))
    return [t for t in re.split(r"[\s,;/]+", text.lower()) if t]


@dataclass
class Line:
    """One number of the report: block, part, label, value (and a share, where one applies)."""

    blok: int
    bagian: str
    indikator: str
    jumlah: float | int | None
    persen: float | None = None


@dataclass
class AnnualReport:
    year: int
    requests: int
    lines: list[Line] = field(default_factory=list)

    def part(self, blok: int, bagian: str) -> list[Line]:
        return [line for line in self.lines if line.blok == blok and line.bagian == bagian]

    def value(self, bagian: str, indikator: str):
        for line in self.lines:
            if line.bagian == bagian and line.indikator == indikator:
                return line.jumlah
        raise KeyError((bagian, indikator))

    def parts(self, blok: int) -> list[str]:
        seen: list[str] = []
        for line in self.lines:
            if line.blok == blok and line.bagian not in seen:
                seen.append(line.bagian)
        return seen


OBJECTION_DATES = ("tanggal_keberatan", "tanggal_tanggapan_keberatan")
DATES = ("tanggal_permohonan", "tanggal_pemberitahuan", "tanggal_informasi_diberikan",
         *OBJECTION_DATES)


def as_of(register: pd.DataFrame) -> pd.Timestamp | None:
    """The register's last recorded date: what it can tell is known up to that day."""
    dates = [register[c].max() for c in DATES if c in register]
    return max((d for d in dates if not pd.isna(d)), default=None)


def enrich(register: pd.DataFrame, calendar: WorkCalendar,
           until: pd.Timestamp | None = None) -> pd.DataFrame:
    """The register with its year, the working days to the written answer, and the working
    days an objection took to be answered (or, still waiting, has waited until `until`)."""
    frame = register.copy()
    frame["tahun"] = frame["tanggal_permohonan"].dt.year
    frame["hari_kerja"] = calendar.working_days_between(frame["tanggal_permohonan"],
                                                        frame["tanggal_pemberitahuan"])
    until_column = pd.Series(until if until is not None else pd.NaT, index=frame.index,
                             dtype="datetime64[ns]")
    unanswered = frame["tanggal_pemberitahuan"].isna()
    frame["hari_kerja_menunggu"] = calendar.working_days_between(
        frame["tanggal_permohonan"].where(unanswered), until_column)
    # optional columns: as dates, blank where a register was kept without them
    for column in OBJECTION_DATES:
        frame[column] = pd.to_datetime(frame.get(column, pd.Series(pd.NaT, frame.index)))
    filed, answered = frame["tanggal_keberatan"], frame["tanggal_tanggapan_keberatan"]
    frame["tahun_keberatan"] = filed.dt.year.fillna(frame["tahun"])
    frame["hari_kerja_keberatan"] = calendar.working_days_between(filed, answered)
    waiting = (frame["keberatan"] == "diajukan") & filed.notna()
    frame["hari_kerja_keberatan_menunggu"] = calendar.working_days_between(
        filed.where(waiting), until_column)
    return frame


def years(enriched: pd.DataFrame) -> list[int]:
    """The years with a request or an objection received."""
    found = set(enriched["tahun"].dropna()) | set(enriched["tahun_keberatan"].dropna())
    return sorted(int(y) for y in found)


def _counts(lines, blok, bagian, series: pd.Series, labels: dict | None, total: int):
    counts = series.value_counts()
    keys = list(labels) if labels else sorted(counts.index)
    for key in keys:
        count = int(counts.get(key, 0))
        label = labels.get(key, key) if labels else key
        lines.append(Line(blok, bagian, label, count, float(percent(count, total))))


def annual_report(enriched: pd.DataFrame, year: int) -> AnnualReport:
    frame = enriched[enriched["tahun"] == year]
    total = len(frame)
    report = AnnualReport(year, total)
    lines = report.lines
    received = "Permohonan informasi yang diterima"
    lines.append(Line(3, received, "Jumlah permohonan", total))
    _counts(lines, 3, "Menurut kategori pemohon", frame["kategori_pemohon"].fillna("Tidak dicatat"),
            None, total)
    _counts(lines, 3, "Menurut cara permohonan", frame["cara_permohonan"].fillna("Tidak dicatat"),
            None, total)
    _counts(lines, 3, "Keputusan", frame["keputusan"], KEPUTUSAN, total)
    letters = [letter for cell in frame["alasan_penolakan"] for letter in reasons(cell)]
    refused = int(frame["keputusan"].isin(["ditolak", "dikabulkan_sebagian"]).sum())
    for letter, meaning in PASAL_17.items():
        count = letters.count(letter)
        lines.append(Line(3, "Alasan penolakan (UU 14/2008 Pasal 17)",
                          f"Huruf {letter}: {meaning}", count, float(percent(count, refused))))
    answered = frame["hari_kerja"].dropna()
    timing = "Waktu yang dibutuhkan untuk menjawab"
    lines.append(Line(3, timing, "Permohonan yang sudah dijawab", len(answered),
                      float(percent(len(answered), total))))
    some = len(answered) > 0
    lines.append(Line(3, timing, "Median hari kerja", float(answered.median()) if some else None))
    lines.append(Line(3, timing, "Rata-rata hari kerja",
                      float(round(answered.mean(), 1)) if some else None))
    lines.append(Line(3, timing, "Paling lama (hari kerja)", int(answered.max()) if some else None))
    within10 = int((answered <= ANSWER_DAYS).sum())
    within17 = int((answered <= MAX_DAYS).sum())
    lines.append(Line(3, timing, f"Dijawab dalam {ANSWER_DAYS} hari kerja", within10,
                      float(percent(within10, total))))
    lines.append(Line(3, timing, f"Dijawab dalam {MAX_DAYS} hari kerja (dengan perpanjangan)",
                      within17, float(percent(within17, total))))
    extended = int(frame["diperpanjang"].fillna(False).astype(bool).sum())
    lines.append(Line(3, timing, "Jangka waktu diperpanjang", extended,
                      float(percent(extended, total))))
    bands = "Sebaran waktu menjawab"
    for low, high, label in TIME_BANDS:
        count = int(((answered >= low) & (answered <= high)).sum())
        lines.append(Line(3, bands, label, count, float(percent(count, total))))
    lines.append(Line(3, bands, NOT_ANSWERED, total - len(answered),
                      float(percent(total - len(answered), total))))
    # An objection belongs to the year it was received, where the register says when; else
    # to its request's year. Its share is then of no year's requests: none is given.
    objected = enriched[enriched["tahun_keberatan"] == year]
    objections = objected["keberatan"].fillna("tidak")
    filed = int(objections.isin(["diajukan", "dijawab"]).sum())
    lines.append(Line(4, "Keberatan", "Keberatan diterima", filed))
    answered_obj = int((objections == "dijawab").sum())
    lines.append(Line(4, "Keberatan", "Keberatan sudah dijawab", answered_obj,
                      float(percent(answered_obj, filed))))
    _objection_times(lines, objected, objections, filed)
    # A dispute follows its objection (Pasal 37) and the register gives it no date of its
    # own: it is counted with its objection, in that objection's year.
    disputes = objected["sengketa"].fillna("tidak")
    filed_disputes = int((disputes != "tidak").sum())
    lines.append(Line(4, "Sengketa informasi", "Sengketa diajukan ke Komisi Informasi",
                      filed_disputes))
    for key, label in SENGKETA.items():
        if key == "tidak":
            continue
        lines.append(Line(4, "Sengketa informasi", label, int((disputes == key).sum())))
    return report


OBJECTION_TIMES = "Waktu tanggapan atas keberatan (Pasal 36 ayat 2)"


def waiting_requests(enriched: pd.DataFrame) -> list[dict]:
    """The requests without a written answer yet (no `tanggal_pemberitahuan`), oldest first:
    `nomor`, `diterima`, `hari_kerja` (the working days waited until the register's last
    date, or None), `batas` (10 working days, or 17 when extended) and `keputusan` (a
    decision already recorded, or None)."""
    waiting = enriched[enriched["tanggal_pemberitahuan"].isna()]
    extended = waiting["diperpanjang"].fillna(False).astype(bool)
    rows = [{"nomor": str(nomor), "diterima": day.date(),
             "hari_kerja": None if pd.isna(days) else int(days),
             "batas": MAX_DAYS if longer else ANSWER_DAYS,
             "keputusan": None if pd.isna(decision) else KEPUTUSAN.get(decision, decision)}
            for nomor, day, days, longer, decision in zip(
                waiting["nomor"], waiting["tanggal_permohonan"],
                waiting["hari_kerja_menunggu"], extended, waiting["keputusan"])]
    return sorted(rows, key=lambda r: (r["diterima"], r["nomor"]))


def waiting_objections(enriched: pd.DataFrame) -> list[dict]:
    """The objections still waiting for the superior's answer, oldest first: `nomor`,
    `diterima` (the date received, or None when not recorded) and `hari_kerja` (the working
    days waited until the register's last date, or None)."""
    waiting = enriched[enriched["keberatan"] == "diajukan"]
    rows = [{"nomor": str(nomor), "diterima": None if pd.isna(day) else day.date(),
             "hari_kerja": None if pd.isna(days) else int(days)}
            for nomor, day, days in zip(waiting["nomor"], waiting["tanggal_keberatan"],
                                        waiting["hari_kerja_keberatan_menunggu"])]
    return sorted(rows, key=lambda r: (r["diterima"] is None, r["diterima"] or 0, r["nomor"]))


def _objection_times(lines: list[Line], frame: pd.DataFrame, objections: pd.Series,
                     filed: int) -> None:
    """How many objections were answered within the superior's 30 working days, later, or
    not yet (within the limit, or past it on the register's last date); shares of all the
    objections received, as block 3's are of all requests."""
    limit = SUPERIOR_ANSWER_DAYS
    took = frame["hari_kerja_keberatan"]
    waited = frame["hari_kerja_keberatan_menunggu"]
    answered = objections == "dijawab"
    waiting = objections == "diajukan"
    counts = [
        (f"Dijawab dalam {limit} hari kerja", answered & (took <= limit)),
        (f"Dijawab lebih dari {limit} hari kerja", answered & (took > limit)),
        (f"Belum dijawab, masih dalam {limit} hari kerja", waiting & (waited <= limit)),
        (f"Belum dijawab, sudah lewat {limit} hari kerja", waiting & (waited > limit)),
        ("Tanggal keberatan atau tanggapannya tidak dicatat",
         (answered & took.isna()) | (waiting & waited.isna())),
    ]
    for label, mask in counts:
        count = int(mask.sum())
        lines.append(Line(4, OBJECTION_TIMES, label, count, float(percent(count, filed))))


def report_rows(reports: list[AnnualReport]) -> pd.DataFrame:
    """Every report as one long table (the downloadable dataset)."""
    rows = [{"tahun": r.year, "blok": line.blok, "bagian": line.bagian,
             "indikator": line.indikator, "jumlah": line.jumlah, "persen": line.persen}
            for r in reports for line in r.lines]
    frame = pd.DataFrame(rows, columns=["tahun", "blok", "bagian", "indikator", "jumlah", "persen"])
    # Each value keeps its own type: a count (and the longest time, in whole working days) is
    # a whole number, the median and the mean may have a decimal. Inferred as one column,
    # pandas would make every count a float, written "64.0" in the downloads.
    frame["jumlah"] = pd.Series([row["jumlah"] for row in rows], index=frame.index,
                                dtype=object)
    return frame


# --- the staff-written blocks ------------------------------------------------------------

STAFF_BLOCKS = {
    1: "Gambaran umum kebijakan pelayanan informasi publik",
    2: "Gambaran umum pelaksanaan pelayanan informasi publik",
    5: "Kendala internal dan eksternal",
    6: "Rekomendasi dan rencana tindak lanjut",
}
_HEADING = re.compile(r"^##\s+(?:(\d)[.)]?\s+)?(.+?)\s*$", re.M)


def split_blocks(markdown_text: str) -> tuple[str, dict[int, tuple[str, str]]]:
    """Split staff Markdown at its `## ` headings into numbered blocks.

    A heading starting with the block number ("## 1. Kebijakan …") is that block; text before
    the first heading is the introduction. Returns (intro, {block: (title, markdown body)}).
    """
    matches = list(_HEADING.finditer(markdown_text))
    intro = markdown_text[: matches[0].start()] if matches else markdown_text
    blocks: dict[int, tuple[str, str]] = {}
    for i, match in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(markdown_text)
        number = int(match[1]) if match[1] else None
        if number in STAFF_BLOCKS:
            blocks[number] = (match[2], markdown_text[match.end():end].strip())
    return intro.strip(), blocks
