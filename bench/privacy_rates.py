"""Detection and false-positive rates of the personal-data guard, and its scanning speed.

Usage: .venv/bin/python bench/privacy_rates.py [--rows N]
Reads the corpus in tests/fixtures/privacy/ (positif.txt: personal data that must be found;
negatif.txt: near misses that must not be), prints the rates per kind and overall, lists every
miss and every false alarm, then times `scan_frame` on a generated table of N rows × 6 columns
in which one cell in a thousand holds personal data.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))

import pandas as pd  # noqa: E402

from etalase.privacy import find, scan_frame  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "privacy"


def read_corpus(name: str) -> list[tuple[str, str]]:
    """(kind, text) pairs of one corpus file; `#` lines are comments."""
    pairs = []
    for line in (CORPUS / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, text = line.split("|", 1)
            pairs.append((kind.strip(), text.strip()))
    return pairs


def rates() -> dict:
    positives, negatives = read_corpus("positif"), read_corpus("negatif")
    found = Counter()
    total = Counter(kind for kind, _ in positives)
    missed = []
    for kind, text in positives:
        if any(hit.kind == kind for hit in find(text)):
            found[kind] += 1
        else:
            missed.append((kind, text))
    alarms = [(kind, text, find(text)) for kind, text in negatives if find(text)]
    return {"found": found, "total": total, "missed": missed, "alarms": alarms,
            "negatives": len(negatives), "positives": len(positives)}


def speed(rows: int, unique: bool) -> tuple[float, int]:
    """Seconds to scan rows × 6 columns; one cell in a thousand holds a mobile number.

    `unique=False`: cells drawn from a few thousand distinct values (like real category, date
    and code columns); `unique=True`: every cell different (worst case, free text).
    """
    rng = random.Random(14)
    words = ["Penerbitan", "akta", "kelahiran", "Rp50.000", "2025-07-31", "loket", "3 hari kerja",
             "Nomor 800/123/2025", "selesai", "Jalan Merdeka Raya No. 45"]
    columns = {}
    for c in range(6):
        values = [" ".join(rng.choices(words, k=4)) + (f" #{i}" if unique else "")
                  for i in range(rows)]
        for i in rng.sample(range(rows), rows // 1000):
            values[i] += " hubungi 0812-3456-7890"
        columns[f"kolom_{c}"] = values
    frame = pd.DataFrame(columns)
    start = time.perf_counter()
    problems = scan_frame(frame, {"fields": []}, "bench.csv")
    return time.perf_counter() - start, len(problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    r = rates()
    print("Penjaga data pribadi — korpus tests/fixtures/privacy/")
    for kind in sorted(r["total"]):
        print(f"  {kind:8s} terdeteksi {r['found'][kind]:3d} dari {r['total'][kind]:3d}")
    detected = sum(r["found"].values())
    print(f"Tingkat deteksi      : {detected}/{r['positives']} = "
          f"{100 * detected / r['positives']:.1f}%")
    print(f"Tingkat positif palsu: {len(r['alarms'])}/{r['negatives']} = "
          f"{100 * len(r['alarms']) / r['negatives']:.1f}%")
    for kind, text in r["missed"]:
        print(f"  terlewat  [{kind}] {text}")
    for kind, text, hits in r["alarms"]:
        print(f"  salah tanda [{kind}] {text} → {[h.kind for h in hits]}")
    cells = args.rows * 6
    for unique, label in ((False, "nilai berulang"), (True, "semua sel berbeda")):
        seconds, hits = speed(args.rows, unique)
        print(f"Kecepatan ({label}): {cells:,} sel dalam {seconds:.2f} s "
              f"({cells / seconds:,.0f} sel/s), {hits} temuan")


if __name__ == "__main__":
    main()
