#!/usr/bin/env python3
"""What each expensive feature costs a full national build: the build with everything, then
without one feature at a time, then without all of them.

    .venv/bin/python bench/feature_costs.py             # two alternating rounds
    .venv/bin/python bench/feature_costs.py --rounds 3

Issue #9 asks for a full build of the national data in at most 20 s on two cores. This
measures how far each feature stands between the build and that figure, so that whoever
sets the target can weigh them. The features left out, one by one:

- `pencarian`: the search index (Pagefind over the 10 000 service pages);
- `excel-besar`: the Excel workbooks of tables above 200 000 cells (the service table, the
  IKM table and the complaints per service: the largest workbooks still published);
- `statistik-layanan`: the 10 000 statistics pages of single services.

They are left out by patching the build in the child process only (see `run_without`);
nothing in the product can switch them off. Each build starts from the same national data
(bench/generate_national.py), with the cache off as in `make html`, on a settled machine
(national_build.settle). The rounds alternate the variants, so a slower moment of the
shared machine falls on all of them. Processor time is the children's user and system
time (os.wait4): the work, whatever the machine's moment; half of it is the least wall
time two cores need. Not part of `make test`.
"""

from __future__ import annotations

import argparse
import os
import runpy
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import national_build as nb  # noqa: E402

FEATURES = {
    "pencarian": "the search index",
    "excel-besar": "workbooks above 200 000 cells",
    "statistik-layanan": "statistics pages of single services",
}
VARIANTS = [(), ("pencarian",), ("excel-besar",), ("statistik-layanan",), tuple(FEATURES)]
SMALL_WORKBOOK_CELLS = 200_000


def run_without(features: list[str], argv: list[str]) -> None:
    """Run `etalase <argv>` in this process with `features` left out."""
    import contextlib

    from etalase import datasets, search, statistics as stats

    if "pencarian" in features:
        @contextlib.contextmanager
        def no_index(*args, **kwargs):
            yield
        search.indexing = no_index
    if "excel-besar" in features:
        datasets.XLSX_MAX_CELLS = SMALL_WORKBOOK_CELLS
    if "statistik-layanan" in features:
        pages = stats.pages

        def without_service_pages(site):
            return (p for p in pages(site) if p.template != "statistik-layanan.html")
        stats.pages = without_service_pages
    sys.argv = ["etalase", *argv]
    runpy.run_module("etalase.cli", run_name="__main__")


def build(data: Path, output: Path, without: tuple[str, ...]) -> tuple[float, float, int]:
    """One full build: (wall seconds, processor seconds of the build and its workers, HTML
    pages)."""
    settings = output.parent / "benchconf.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(nb.ROOT)!r})\n"
                        "from pelicanconf import *  # noqa: F403\nETALASE_CACHE = False\n"
                        f"PATH = {str(nb.ROOT / 'content')!r}\n"
                        f"THEME = {str(nb.ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(nb.ROOT / 'pelican_plugins')!r}]\n",
                        encoding="utf-8")
    nb.settle(output)
    command = [nb.PYTHON, __file__, "--run-without", ",".join(without), "--", "build",
               "--settings", str(settings), "--data", str(data), "--output", str(output)]
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=nb.ROOT, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT)
    said = child.stdout.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed without {without or 'nothing'}:\n{said[-4000:]}")
    pages, _, _ = nb.site_figures(output)
    shutil.rmtree(output)
    return wall, usage.ru_utime + usage.ru_stime, pages


def main() -> None:
    if len(sys.argv) > 2 and sys.argv[1] == "--run-without":
        features = [f for f in sys.argv[2].split(",") if f]
        run_without(features, sys.argv[sys.argv.index("--") + 1:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2,
                        help="alternating rounds of every variant (default 2)")
    args = parser.parse_args()
    source = nb.NATIONAL / "data"
    if not (source / "standar-pelayanan.csv").exists():
        print("generating national data ...", flush=True)
        nb.run_child([nb.PYTHON, str(nb.ROOT / "bench" / "generate_national.py"),
                      "--out", str(source)])
    walls = {v: [] for v in VARIANTS}
    cpus = {v: [] for v in VARIANTS}
    counts = {}
    with tempfile.TemporaryDirectory(prefix="etalase-fitur-", dir=nb.NATIONAL) as tmp:
        for round_ in range(args.rounds):
            for variant in VARIANTS:
                wall, cpu, pages = build(source, Path(tmp) / "output", variant)
                walls[variant].append(wall)
                cpus[variant].append(cpu)
                counts[variant] = pages
                print(f"round {round_ + 1}, without {', '.join(variant) or 'nothing'}: "
                      f"{wall:.1f} s, processor {cpu:.1f} s", flush=True)
    print(f"\n{'left out':42s} {'wall':>7s} {'processor':>10s} {'÷ 2 cores':>10s} "
          f"{'pages':>7s}")
    for variant in VARIANTS:
        name = " + ".join(FEATURES[f] for f in variant) if len(variant) < 3 else \
            "all three"
        cpu = statistics.median(cpus[variant])
        print(f"{name or 'nothing (the full build)':42s} "
              f"{statistics.median(walls[variant]):6.1f}s {cpu:9.1f}s {cpu / 2:9.1f}s "
              f"{counts[variant]:7d}")
    print(f"(medians of {args.rounds} rounds; '÷ 2 cores' is the least wall time the work "
          "needs here)")


if __name__ == "__main__":
    main()
