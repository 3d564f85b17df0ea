"""Time the performance statistics on a national-scale register and print the figures.

Usage: .venv/bin/python bench/statistics_scale.py [--rows 1000000] [--services 300]
Generates a synthetic request register, complaint register and survey in memory (seeded), then
times the working-day calendar, timeliness, complaints and IKM computations.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))

from etalase import complaints, skm, timeliness  # noqa: E402
from etalase.workdays import WorkCalendar  # noqa: E402


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    print(f"{label:<46} {time.perf_counter() - start:7.2f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--services", type=int, default=300)
    args = parser.parse_args()
    rng = np.random.default_rng(2025)
    n = args.rows
    codes = [f"layanan-{i}" for i in range(args.services)]
    received = pd.Series(pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 900, n), "D"))
    done = (received + pd.to_timedelta(rng.integers(0, 30, n), "D")).where(rng.random(n) > 0.02)
    requests = pd.DataFrame({"layanan": rng.choice(codes, n), "tanggal_masuk": received,
                             "tanggal_selesai": done})
    cuti = pd.read_csv(ROOT / "data/hari-libur/cuti-bersama.csv")["tanggal"]
    print(f"{n:,} requests, {args.services} services")
    calendar = timed("calendar (holidays + cuti bersama)", lambda: WorkCalendar(cuti))
    enriched = timed("timeliness.enrich (working days, deadlines)",
                     lambda: timeliness.enrich(requests, {c: 5 for c in codes}, calendar))
    timed("timeliness.monthly", lambda: timeliness.monthly(enriched))
    as_of = timeliness.as_of_date(enriched)
    timed("timeliness.overdue_open", lambda: timeliness.overdue_open(enriched, as_of, calendar))
    complaint_rows = requests.assign(
        nomor=np.arange(n).astype(str), kanal=rng.choice(["loket", "sp4n-lapor", "email"], n),
        kategori=rng.choice(["Waktu", "Biaya", "Perilaku"], n),
        status=np.where(done.notna(), "selesai", "diproses"))
    enriched_c = timed("complaints.enrich", lambda: complaints.enrich(complaint_rows, calendar))
    timed("complaints.monthly + breakdown + per_service", lambda: (
        complaints.monthly(enriched_c), complaints.breakdown(enriched_c),
        complaints.per_service(enriched_c)))
    answers = pd.DataFrame(rng.integers(1, 5, (n, 9)), columns=skm.UNSUR_KEYS)
    timed("skm.compute_ikm (exact fractions)", lambda: skm.compute_ikm(answers))


if __name__ == "__main__":
    main()
