#!/usr/bin/env python3
"""Generate the example site's operational data: SKM answers, service requests, complaints and
the PPID request register, for the fictional Kota Tanjung Harapan.

Deterministic: the same seed and the same `data/standar-pelayanan.csv` give byte-identical
files. Some services are deliberately below their promise (slow) and some surveys below the
Krejcie–Morgan sample, so the warnings on the statistics pages show.

    .venv/bin/python scripts/generate_example_statistics.py            # seed 2025
    .venv/bin/python scripts/generate_example_statistics.py --seed 7 --data /tmp/data

Writes data/skm/<periode>.csv, data/kinerja/permohonan-layanan.csv,
data/kinerja/pengaduan.csv, data/kinerja/populasi-skm.csv and
data/ppid/permohonan-informasi.csv. Every row is invented.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))

from etalase.workdays import WorkCalendar  # noqa: E402

PERIODS = ["2024-S2", "2025-S1", "2025-S2", "2026-S1"]
FIRST_DAY, LAST_DAY = dt.date(2024, 7, 1), dt.date(2026, 6, 30)
PPID_YEARS = (2024, 2025)
REGISTER_COLUMNS = ["nomor", "tanggal_permohonan", "kategori_pemohon", "cara_permohonan",
                    "informasi_diminta", "keputusan", "alasan_penolakan",
                    "tanggal_pemberitahuan", "diperpanjang", "tanggal_informasi_diberikan",
                    "keberatan", "tanggal_keberatan", "tanggal_tanggapan_keberatan", "sengketa"]
FEATURED = 9  # busy services with a full request register; every other service is quiet
BUSY, QUIET = (8, 16), (2, 4)  # requests per month (range of the Poisson mean)
SLOW_SHARE = 0.25  # about a quarter of the busy services miss their promise often
SHORT_SERVICES = 3  # services whose survey falls short of its sample in some periods

EDUCATION = ["SD", "SMP", "SMA/SMK", "D1–D3", "S1/D4", "S2/S3"]
EDUCATION_P = [0.08, 0.14, 0.40, 0.10, 0.24, 0.04]
OCCUPATION = ["PNS/TNI/Polri", "Pegawai swasta", "Wiraswasta", "Pelajar/Mahasiswa",
              "Ibu rumah tangga", "Lainnya"]
OCCUPATION_P = [0.10, 0.30, 0.28, 0.10, 0.14, 0.08]
CHANNELS = ["loket", "sp4n-lapor", "whatsapp", "telepon", "email", "kotak-saran", "media-sosial"]
CHANNELS_P = [0.30, 0.22, 0.20, 0.08, 0.07, 0.06, 0.07]
CATEGORIES = ["Waktu penyelesaian", "Perilaku petugas", "Persyaratan", "Sarana dan prasarana",
              "Biaya", "Informasi layanan", "Sistem antrean dan aplikasi"]
CATEGORIES_P = [0.28, 0.12, 0.15, 0.12, 0.05, 0.14, 0.14]
REQUESTERS = ["perorangan", "badan hukum", "lembaga swadaya masyarakat", "media",
              "kelompok masyarakat"]
REQUESTERS_P = [0.58, 0.12, 0.12, 0.10, 0.08]
MEANS = ["langsung", "email", "situs web", "surat"]
MEANS_P = [0.30, 0.30, 0.30, 0.10]
SUBJECTS = [
    "Salinan DPA Dinas Kesehatan tahun berjalan",
    "Daftar penerima bantuan sosial per kelurahan (tanpa data pribadi)",
    "Rekapitulasi izin usaha yang terbit per bulan",
    "Laporan realisasi pendapatan pajak daerah",
    "Standar pelayanan dan maklumat pelayanan Disdukcapil",
    "Dokumen pengadaan pembangunan gedung Mal Pelayanan Publik",
    "Jumlah penduduk per kecamatan menurut jenis kelamin",
    "Data kasus demam berdarah per puskesmas",
    "Salinan keputusan wali kota tentang tarif retribusi",
    "Hasil survei kepuasan masyarakat semester lalu",
    "Daftar perusahaan penerima izin reklame",
    "Laporan hasil pemeriksaan kesehatan lingkungan pasar",
    "Rencana kerja tahunan Dinas Penanaman Modal dan PTSP",
    "Data tunggakan pajak bumi dan bangunan per kelurahan",
    "Berkas perkara pelanggaran izin bangunan yang sedang diperiksa",
    "Rekam medis pasien tertentu",
]
REFUSAL_LETTERS = ["h", "i", "a", "j", "b"]
REFUSAL_P = [0.40, 0.25, 0.15, 0.15, 0.05]


def read_services(data_dir: Path) -> list[dict]:
    with open(data_dir / "standar-pelayanan.csv", encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return sorted(({"kode": r["kode"], "penyelenggara": r["penyelenggara"],
                    "janji": int(r["jangka_waktu_hari_kerja"])} for r in rows),
                  key=lambda r: r["kode"])


# Busy counter services of the example hall, used first when they exist.
PREFERRED = ["ktp-el-baru", "akta-kelahiran", "kartu-keluarga", "nib-oss", "pbg", "sip-dokter",
             "pbb-p2-mutasi", "sktm", "uji-kir"]


def pick_services(services: list[dict], count: int) -> list[dict]:
    """Up to `count` services: the preferred busy ones first, then taking turns across
    providers so each provider has some."""
    known = {s["kode"]: s for s in services}
    picked = [known[k] for k in PREFERRED if k in known][:count]
    by_provider: dict[str, list[dict]] = {}
    for s in services:
        if s in picked:
            continue
        by_provider.setdefault(s["penyelenggara"], []).append(s)
    while len(picked) < min(count, len(services)):
        for provider in sorted(by_provider):
            if by_provider[provider] and len(picked) < count:
                picked.append(by_provider[provider].pop(0))
    return sorted(picked, key=lambda s: s["kode"])


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else row.get(c) for c in columns])


def iso(day) -> str:
    return day.isoformat() if day is not None else ""


def period_range(code: str) -> tuple[dt.date, dt.date]:
    year, half = int(code[:4]), int(code[-1])
    return (dt.date(year, 1, 1), dt.date(year, 6, 30)) if half == 1 else (
        dt.date(year, 7, 1), dt.date(year, 12, 31))


class Generator:
    def __init__(self, seed: int, calendar: WorkCalendar, services: list[dict],
                 featured: list[dict]):
        self.rng = np.random.default_rng(seed)
        self.calendar = calendar
        self.services = services
        busy = [s["kode"] for s in featured]
        order = self.rng.permutation(len(busy))
        self.slow = {busy[i] for i in order[: max(1, round(len(busy) * SLOW_SHARE))]}
        self.quality = {s["kode"]: float(self.rng.uniform(3.0, 3.65)) for s in services}
        self.volume = {s["kode"]: float(self.rng.uniform(*(BUSY if s["kode"] in busy else QUIET)))
                       for s in services}

    def working_days_in(self, start: dt.date, end: dt.date) -> list[dt.date]:
        days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
        return [d.astype(object) for d in days[self.calendar.is_working_day(days)]]

    # --- service requests --------------------------------------------------------------
    def requests(self) -> list[dict]:
        rows = []
        month = FIRST_DAY
        while month <= LAST_DAY:
            next_month = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            days = self.working_days_in(month, next_month - dt.timedelta(days=1))
            for s in self.services:
                for _ in range(int(self.rng.poisson(self.volume[s["kode"]]))):
                    received = days[int(self.rng.integers(len(days)))]
                    slow = s["kode"] in self.slow
                    if slow:
                        taken = int(self.rng.integers(max(1, s["janji"] - 1), s["janji"] * 2 + 3))
                    else:
                        on_time = self.rng.random() < 0.94
                        taken = (int(self.rng.integers(0, s["janji"] + 1)) if on_time
                                 else s["janji"] + int(self.rng.integers(1, 4)))
                    done = self.calendar.add_working_days(received, taken)
                    if done > LAST_DAY or (slow and self.rng.random() < 0.01):
                        done = None  # still open at the end of the data (or stuck)
                    rows.append({"layanan": s["kode"], "tanggal_masuk": iso(received),
                                 "tanggal_selesai": iso(done)})
            month = next_month
        rows.sort(key=lambda r: (r["tanggal_masuk"], r["layanan"], r["tanggal_selesai"]))
        return rows

    # --- satisfaction survey -----------------------------------------------------------
    def answer(self, mean: float) -> int:
        # probabilities of 1..4 centred on `mean`
        weights = np.exp(-((np.arange(1, 5) - mean) ** 2) / 0.45)
        return int(self.rng.choice([1, 2, 3, 4], p=weights / weights.sum()))

    def survey(self, requests: list[dict]) -> dict[str, list[dict]]:
        files: dict[str, list[dict]] = {}
        codes = [s["kode"] for s in self.services]
        short = set()  # (period, service) surveys that fall short of their sample
        chosen = self.rng.permutation(len(codes))[:SHORT_SERVICES]
        for k, i in enumerate(chosen):
            periods = {int(j) for j in self.rng.permutation(len(PERIODS))[:2]}
            if k == 0:
                periods.add(len(PERIODS) - 1)  # one is short in the latest period too
            short |= {(PERIODS[j], codes[i]) for j in periods}
        offsets = {f"u{i}": float(self.rng.normal(0, 0.12)) for i in range(1, 10)}
        offsets["u3"] -= 0.1  # waiting time is rated lowest, as in most real surveys
        for p_index, period in enumerate(PERIODS):
            start, end = period_range(period)
            days = self.working_days_in(start, end)
            rows = []
            for s in self.services:
                population = sum(1 for r in requests if r["layanan"] == s["kode"]
                                 and start.isoformat() <= r["tanggal_masuk"] <= end.isoformat())
                needed = _krejcie_morgan(population)
                if (period, s["kode"]) in short:
                    count = int(needed * self.rng.uniform(0.35, 0.8))
                else:
                    count = min(population, needed + int(self.rng.integers(0, 8)))
                trend = 0.04 * p_index  # services improve slowly
                slow_penalty = 0.35 if s["kode"] in self.slow else 0.0
                for _ in range(count):
                    row = {"periode": period, "layanan": s["kode"],
                           "tanggal": iso(days[int(self.rng.integers(len(days)))])}
                    for key, offset in offsets.items():
                        mean = self.quality[s["kode"]] + trend + offset - (
                            slow_penalty if key == "u3" else slow_penalty / 3)
                        blank = key == "u9" and self.rng.random() < 0.06
                        row[key] = None if blank else self.answer(mean)
                    row.update(self.profile())
                    rows.append(row)
            rows.sort(key=lambda r: (r["tanggal"], r["layanan"]))
            files[period] = rows
        return files

    def profile(self) -> dict:
        return {
            "jenis_kelamin": "P" if self.rng.random() < 0.52 else "L",
            "usia": str(int(np.clip(self.rng.normal(38, 12), 17, 78))),
            "pendidikan": str(self.rng.choice(EDUCATION, p=EDUCATION_P)),
            "pekerjaan": str(self.rng.choice(OCCUPATION, p=OCCUPATION_P)),
        }

    # --- complaints ----------------------------------------------------------------------
    def complaints(self) -> list[dict]:
        rows = []
        days = self.working_days_in(FIRST_DAY, LAST_DAY)
        count = int(len(days) * 0.45)
        received_days = sorted(days[int(i)] for i in self.rng.integers(len(days), size=count))
        for number, received in enumerate(received_days, start=1):
            service = None
            if self.rng.random() < 0.85:
                slow = sorted(self.slow)
                if self.rng.random() < 0.4:  # slow services draw more complaints
                    service = slow[int(self.rng.integers(len(slow)))]
                else:  # otherwise in proportion to the number of requests
                    codes = [s["kode"] for s in self.services]
                    weights = np.array([self.volume[c] for c in codes])
                    service = str(self.rng.choice(codes, p=weights / weights.sum()))
            taken = int(self.rng.integers(1, 15)) if self.rng.random() < 0.85 else int(
                self.rng.integers(15, 40))
            done = self.calendar.add_working_days(received, taken)
            if done > LAST_DAY:
                status, done = ("diproses" if self.rng.random() < 0.7 else "diterima"), None
            elif self.rng.random() < 0.04:
                status = "tidak_dapat_ditindaklanjuti"
            else:
                status = "selesai"
            rows.append({
                "nomor": f"ADU-{received.year}-{number:04d}", "tanggal_masuk": iso(received),
                "kanal": str(self.rng.choice(CHANNELS, p=CHANNELS_P)),
                "kategori": str(self.rng.choice(CATEGORIES, p=CATEGORIES_P)),
                "layanan": service, "status": status, "tanggal_selesai": iso(done),
            })
        return rows

    # --- PPID register -------------------------------------------------------------------
    def register(self) -> list[dict]:
        rows = []
        # The objections' dates from a stream of their own: the rest of the register (and of
        # every table drawn after it) stays what the seed gave before they were recorded.
        dates = np.random.default_rng([int(self.rng.bit_generator.seed_seq.entropy), 36])
        for year in PPID_YEARS:
            days = self.working_days_in(dt.date(year, 1, 1), dt.date(year, 12, 31))
            count = int(self.rng.integers(55, 75))
            for number, received in enumerate(sorted(days[int(i)] for i in self.rng.integers(
                    len(days), size=count)), start=1):
                subject = SUBJECTS[int(self.rng.integers(len(SUBJECTS)))]
                sensitive = subject.startswith(("Berkas perkara", "Rekam medis"))
                roll = self.rng.random()
                if sensitive:
                    decision = "ditolak"
                elif roll < 0.72:
                    decision = "dikabulkan_seluruhnya"
                elif roll < 0.84:
                    decision = "dikabulkan_sebagian"
                elif roll < 0.90:
                    decision = "ditolak"
                elif roll < 0.96:
                    decision = "tidak_dikuasai"
                else:
                    decision = "belum_didokumentasikan"
                reason = None
                if decision in ("ditolak", "dikabulkan_sebagian"):
                    if subject.startswith("Rekam medis"):
                        reason = "h"
                    elif subject.startswith("Berkas perkara"):
                        reason = "a"
                    else:
                        reason = str(self.rng.choice(REFUSAL_LETTERS, p=REFUSAL_P))
                extended = self.rng.random() < 0.12
                taken = int(self.rng.integers(11, 18) if extended else self.rng.integers(1, 11))
                if self.rng.random() < 0.03:
                    taken = int(self.rng.integers(18, 25))  # answered late
                notified = self.calendar.add_working_days(received, taken)
                if notified.year > year and self.rng.random() < 0.5:
                    notified = None  # not yet answered when the year closed
                given = notified if decision.startswith("dikabulkan") else None
                objection = dispute = "tidak"
                if decision in ("ditolak", "dikabulkan_sebagian") and self.rng.random() < 0.3:
                    objection = "dijawab" if self.rng.random() < 0.8 else "diajukan"
                    if objection == "dijawab" and self.rng.random() < 0.6:
                        dispute = str(self.rng.choice(["mediasi_berhasil", "ditolak", "diajukan",
                                                       "dikabulkan"]))
                filed = answered = None
                if objection != "tidak":
                    # within Pasal 36(1)'s 30 working days of the refusal (or of the answer
                    # that never came); most answers within Pasal 36(2)'s 30, a few late
                    ground = notified or self.calendar.add_working_days(received, 17)
                    filed = self.calendar.add_working_days(ground, int(dates.integers(2, 25)))
                    if objection == "dijawab":
                        took = int(dates.integers(31, 41) if dates.random() < 0.15
                                   else dates.integers(8, 31))
                        answered = self.calendar.add_working_days(filed, took)
                rows.append({
                    "nomor": f"PPID/{year}/{number:03d}", "tanggal_permohonan": iso(received),
                    "kategori_pemohon": str(self.rng.choice(REQUESTERS, p=REQUESTERS_P)),
                    "cara_permohonan": str(self.rng.choice(MEANS, p=MEANS_P)),
                    "informasi_diminta": subject, "keputusan": decision,
                    "alasan_penolakan": reason, "tanggal_pemberitahuan": iso(notified),
                    "diperpanjang": "ya" if extended else "tidak",
                    "tanggal_informasi_diberikan": iso(given),
                    "keberatan": objection, "tanggal_keberatan": iso(filed),
                    "tanggal_tanggapan_keberatan": iso(answered), "sengketa": dispute,
                })
        return rows


def _krejcie_morgan(population: int) -> int:
    from etalase.skm import krejcie_morgan

    return krejcie_morgan(population) or 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--data", type=Path, default=ROOT / "data")
    args = parser.parse_args(argv)
    data = args.data
    cuti = data / "hari-libur" / "cuti-bersama.csv"
    with open(cuti, encoding="utf-8") as fh:
        calendar = WorkCalendar([dt.date.fromisoformat(r["tanggal"]) for r in csv.DictReader(fh)])
    services = read_services(data)
    featured = pick_services(services, FEATURED)
    gen = Generator(args.seed, calendar, services, featured)
    requests = gen.requests()
    write(data / "kinerja" / "permohonan-layanan.csv",
          ["layanan", "tanggal_masuk", "tanggal_selesai"], requests)
    skm_columns = ["periode", "layanan", "tanggal", *[f"u{i}" for i in range(1, 10)],
                   "jenis_kelamin", "usia", "pendidikan", "pekerjaan"]
    for period, rows in gen.survey(requests).items():
        write(data / "skm" / f"{period}.csv", skm_columns, rows)
    # One declared population: the whole hall in 2026-S1 also served walk-in consultations
    # that are not in the request register.
    write(data / "kinerja" / "populasi-skm.csv", ["periode", "layanan", "populasi"],
          [{"periode": "2026-S1", "layanan": None, "populasi": 6200}])
    write(data / "kinerja" / "pengaduan.csv",
          ["nomor", "tanggal_masuk", "kanal", "kategori", "layanan", "status", "tanggal_selesai"],
          gen.complaints())
    write(data / "ppid" / "permohonan-informasi.csv", REGISTER_COLUMNS, gen.register())
    print(f"busy services: {', '.join(s['kode'] for s in featured)}; "
          f"slow: {', '.join(sorted(gen.slow))}; requests: {len(requests)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
