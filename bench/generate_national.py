#!/usr/bin/env python3
"""Generate a national-scale `data/` folder (seeded) that follows DATA.md, for the build bench.

    .venv/bin/python bench/generate_national.py --out bench/.national/data     # seed 2025

By default: 200 providers, 10 000 services (all 14 components filled), 500 000 SKM answers
over 4 periods, 2 000 000 service-request rows and 200 000 complaints. The same seed gives
byte-identical files. The example `data/` folder is the template: its providers and services
are kept (so the codes of ethics, DIP and scraped tables that name them stay valid) and cloned
into further regions with their text adapted; its small files are copied as they are. The
PPID register is made by the example generator (`scripts/generate_example_statistics.py`).
Every row is invented. Never write into the real `data/`.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import importlib.util
import shutil
import sys
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))

from etalase.workdays import WorkCalendar  # noqa: E402

_spec = importlib.util.spec_from_file_location(
    "generate_example_statistics", ROOT / "scripts" / "generate_example_statistics.py")
example = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(example)

EXAMPLE_CITY = "Kota Tanjung Harapan"
# Invented regions; combined with a kind ("Kabupaten"/"Kota") they name the cloned providers.
REGION_WORDS = ["Sukamaju", "Bukit Indah", "Sungai Jernih", "Tanah Merah", "Pulau Baru",
                "Lembah Hijau", "Teluk Permai", "Air Putih", "Batu Ampar", "Padang Luas",
                "Gunung Sari", "Rantau Jaya", "Kuala Damai", "Tanjung Sejuk", "Muara Indah",
                "Karang Anyar", "Bumi Makmur", "Sidomulyo", "Mekarsari", "Setia Budi"]
SKM_COLUMNS = ["periode", "layanan", "tanggal", *[f"u{i}" for i in range(1, 10)],
               "jenis_kelamin", "usia", "pendidikan", "pekerjaan"]


def slug(text: str) -> str:
    return "-".join("".join(c if c.isalnum() else " " for c in text.lower()).split())


def regions(count: int) -> list[str]:
    """`count` distinct invented region names, e.g. "Kabupaten Sukamaju Utara"."""
    names = []
    for suffix in ["", " Utara", " Selatan", " Timur", " Barat", " Tengah", " Raya", " Baru",
                   " Lama", " Hulu", " Hilir"]:
        for kind in ("Kabupaten", "Kota"):
            for word in REGION_WORDS:
                names.append(f"{kind} {word}{suffix}")
    if count > len(names):
        raise SystemExit(f"at most {len(names)} regions")
    return names[:count]


def write_frame(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


def adapt(text, region: str):
    if not isinstance(text, str):
        return text
    host = slug(region)
    return (text.replace(EXAMPLE_CITY, region).replace("Tanjung Harapan", region.split(" ", 1)[1])
            .replace("tanjungharapankota.example", f"{host}.example"))


def providers_and_services(template: Path, n_providers: int, n_services: int, rng):
    """The example providers and services, then clones of them for invented regions."""
    providers = pd.read_csv(template / "penyelenggara.csv", dtype=str, keep_default_na=False)
    services = pd.read_csv(template / "standar-pelayanan.csv", dtype=str, keep_default_na=False)
    base_p, base_s = len(providers), len(services)
    clones_needed = -(-(n_providers - base_p) // base_p)
    region_names = regions(clones_needed)
    p_rows, region_of = [], {}
    for i in range(n_providers - base_p):
        row = providers.iloc[i % base_p].to_dict()
        region = region_names[i // base_p]
        original = row["kode"]
        row = {k: adapt(v, region) for k, v in row.items()}
        row["kode"] = f"{original}-{slug(region)}"
        row["nama"] = f"{row['nama']} {region}"
        p_rows.append(row)
        region_of[row["kode"]] = (original, region)
    all_providers = pd.concat([providers, pd.DataFrame(p_rows)], ignore_index=True)
    by_original = services.groupby("penyelenggara")
    s_rows = []
    clone_codes = list(region_of)
    for i in range(n_services - base_s):
        provider = clone_codes[i % len(clone_codes)]
        original, region = region_of[provider]
        options = by_original.get_group(original)
        row = options.iloc[(i // len(clone_codes)) % len(options)].to_dict()
        row = {k: adapt(v, region) for k, v in row.items()}
        number = i // len(clone_codes) // len(options) + 1
        row["kode"] = f"{row['kode']}-{slug(region)}-{number}"
        row["penyelenggara"] = provider
        if number > 1:
            row["nama"] = f"{row['nama']} (loket {number})"
        days = int(row["jangka_waktu_hari_kerja"]) + int(rng.integers(-1, 3))
        row["jangka_waktu_hari_kerja"] = str(max(1, days))
        row["jangka_waktu"] = f"{max(1, days)} hari kerja sejak berkas dinyatakan lengkap."
        s_rows.append(row)
    all_services = pd.concat([services, pd.DataFrame(s_rows)], ignore_index=True)
    return all_providers, all_services


def iso(days: np.ndarray) -> np.ndarray:
    """datetime64[D] → ISO text, "" for NaT."""
    text = np.datetime_as_string(days, unit="D")
    return np.where(np.isnat(days), "", text)


def working_days(calendar, start: dt.date, end: dt.date) -> np.ndarray:
    days = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    return days[calendar.is_working_day(days)]


def requests(rng, calendar, services: pd.DataFrame, count: int) -> pd.DataFrame:
    working = working_days(calendar, example.FIRST_DAY, example.LAST_DAY)
    weights = rng.gamma(1.2, 1.0, len(services))
    which = rng.choice(len(services), size=count, p=weights / weights.sum())
    promise = services["jangka_waktu_hari_kerja"].astype(int).to_numpy()[which]
    slow = rng.random(len(services)) < 0.1
    late = rng.random(count) < np.where(slow[which], 0.45, 0.06)
    taken = np.where(late, promise + rng.integers(1, 6, count),
                     (rng.random(count) * (promise + 1)).astype(int))
    received = working[rng.integers(len(working), size=count)]
    done = calendar.add_working_days(received, taken)
    done[done > np.datetime64(example.LAST_DAY)] = np.datetime64("NaT")
    frame = pd.DataFrame({"layanan": services["kode"].to_numpy()[which],
                          "tanggal_masuk": iso(received), "tanggal_selesai": iso(done)})
    return frame.sort_values(["tanggal_masuk", "layanan", "tanggal_selesai"], kind="stable")


def survey(rng, calendar, services: pd.DataFrame, count: int) -> dict[str, pd.DataFrame]:
    files = {}
    per_period = count // len(example.PERIODS)
    quality = rng.uniform(2.8, 3.7, len(services))
    for index, period in enumerate(example.PERIODS):
        start, end = example.period_range(period)
        days = working_days(calendar, start, end)
        which = rng.integers(len(services), size=per_period)
        columns = {"periode": period, "layanan": services["kode"].to_numpy()[which],
                   "tanggal": iso(days[rng.integers(len(days), size=per_period)])}
        for u in range(1, 10):
            mean = quality[which] + 0.04 * index - (0.2 if u == 3 else 0)
            answer = np.clip(np.rint(mean + rng.normal(0, 0.6, per_period)), 1, 4).astype(int)
            values = answer.astype(str)
            if u == 9:
                values = np.where(rng.random(per_period) < 0.06, "", values)
            columns[f"u{u}"] = values
        columns["jenis_kelamin"] = np.where(rng.random(per_period) < 0.52, "P", "L")
        columns["usia"] = np.clip(rng.normal(38, 12, per_period), 17, 78).astype(int)
        columns["pendidikan"] = rng.choice(example.EDUCATION, size=per_period,
                                           p=example.EDUCATION_P)
        columns["pekerjaan"] = rng.choice(example.OCCUPATION, size=per_period,
                                          p=example.OCCUPATION_P)
        frame = pd.DataFrame(columns)[SKM_COLUMNS]
        files[period] = frame.sort_values(["tanggal", "layanan"], kind="stable")
    return files


def complaints(rng, calendar, services: pd.DataFrame, count: int) -> pd.DataFrame:
    working = working_days(calendar, example.FIRST_DAY, example.LAST_DAY)
    received = np.sort(working[rng.integers(len(working), size=count)])
    taken = np.where(rng.random(count) < 0.85, rng.integers(1, 15, count),
                     rng.integers(15, 40, count))
    done = calendar.add_working_days(received, taken)
    open_ = done > np.datetime64(example.LAST_DAY)
    roll = rng.random(count)
    status = np.where(open_, np.where(roll < 0.7, "diproses", "diterima"),
                      np.where(roll < 0.04, "tidak_dapat_ditindaklanjuti", "selesai"))
    done[open_] = np.datetime64("NaT")
    layanan = services["kode"].to_numpy()[rng.integers(len(services), size=count)]
    layanan = np.where(rng.random(count) < 0.15, "", layanan)  # not about one service
    years = received.astype("datetime64[Y]").astype(int) + 1970
    numbers = [f"ADU-{y}-{i:06d}" for i, y in enumerate(years, start=1)]
    return pd.DataFrame({
        "nomor": numbers, "tanggal_masuk": iso(received),
        "kanal": rng.choice(example.CHANNELS, size=count, p=example.CHANNELS_P),
        "kategori": rng.choice(example.CATEGORIES, size=count, p=example.CATEGORIES_P),
        "layanan": layanan, "status": status, "tanggal_selesai": iso(done),
    })


SMALL_FILES = ["kode-etik.csv", "kode-etik-daftar.csv", "sumber.toml", "hari-libur",
               "ppid/dip.csv", "ppid/informasi-dikecualikan.csv", "kinerja/populasi-skm.csv",
               "scrape"]


def generate(out: Path, seed: int = 2025, providers: int = 200, services: int = 10_000,
             skm: int = 500_000, requests_count: int = 2_000_000, complaints_count: int = 200_000,
             template: Path = ROOT / "data") -> None:
    out = Path(out)
    if out.resolve() == (ROOT / "data").resolve():
        raise SystemExit("refusing to overwrite the example data/ folder")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in SMALL_FILES:
        source = template / name
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        elif source.exists():
            shutil.copyfile(source, target)
    rng = np.random.default_rng(seed)
    with open(template / "hari-libur" / "cuti-bersama.csv", encoding="utf-8") as fh:
        calendar = WorkCalendar([dt.date.fromisoformat(r["tanggal"]) for r in csv.DictReader(fh)])
    provider_frame, service_frame = providers_and_services(template, providers, services, rng)
    write_frame(provider_frame, out / "penyelenggara.csv")
    write_frame(service_frame, out / "standar-pelayanan.csv")
    write_frame(requests(rng, calendar, service_frame, requests_count),
                out / "kinerja" / "permohonan-layanan.csv")
    for period, frame in survey(rng, calendar, service_frame, skm).items():
        write_frame(frame, out / "skm" / f"{period}.csv")
    write_frame(complaints(rng, calendar, service_frame, complaints_count),
                out / "kinerja" / "pengaduan.csv")
    small = [{"kode": k, "penyelenggara": p, "janji": 1}
             for k, p in service_frame[["kode", "penyelenggara"]].head(9).to_numpy()]
    register = example.Generator(seed, calendar, small, small).register()
    example.write(out / "ppid" / "permohonan-informasi.csv", example.REGISTER_COLUMNS,
                  register)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / ".national" / "data")
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--providers", type=int, default=200)
    parser.add_argument("--services", type=int, default=10_000)
    parser.add_argument("--skm", type=int, default=500_000)
    parser.add_argument("--requests", type=int, default=2_000_000)
    parser.add_argument("--complaints", type=int, default=200_000)
    args = parser.parse_args(argv)
    generate(args.out, args.seed, args.providers, args.services, args.skm, args.requests,
             args.complaints)
    print(f"national data written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
