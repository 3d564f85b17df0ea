"""Time a full build of the example site and print its figures.

Usage: .venv/bin/python bench/build_example.py [--runs N]
Prints wall time per build (best and median), pages, pages per second, output size.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))

from etalase.build import build  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    os.chdir(ROOT)
    times = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "output"
        for _ in range(args.runs):
            start = time.perf_counter()
            build(ROOT / "pelicanconf.py", out)
            times.append(time.perf_counter() - start)
        pages = sum(1 for _ in out.rglob("*.html"))
        size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
        files = sum(1 for p in out.rglob("*") if p.is_file())
    best, median = min(times), statistics.median(times)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"runs                 {args.runs}")
    print(f"build time best      {best:.2f} s")
    print(f"build time median    {median:.2f} s")
    print(f"HTML pages           {pages}")
    print(f"pages per second     {pages / best:.0f}")
    print(f"output files         {files}")
    print(f"output size          {size / 1024:.0f} KiB")
    print(f"peak RSS             {peak:.0f} MiB")


if __name__ == "__main__":
    main()
