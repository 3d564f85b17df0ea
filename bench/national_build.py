#!/usr/bin/env python3
"""Build the national-scale data set and print its figures beside stock Pelican's.

    .venv/bin/python bench/national_build.py                       # everything, full counts
    .venv/bin/python bench/national_build.py --pelican-pages 2000  # smaller Pelican run

1. Generates (or reuses) the seeded national data in bench/.national/data
   (bench/generate_national.py: 200 providers, 10 000 services, 500 000 SKM answers,
   2 000 000 request rows, 200 000 complaints).
2. Full build with `etalase build --data ... --output ...` in a child process, cache off as
   in `make html`: wall time, HTML pages, pages per second, peak RSS of the child, output
   size. Then the same build with the content-hash cache on and empty (as the first build
   of `etalase devserver`), which also fills the cache.
3. Changes one service row and builds again: the incremental rebuild time (`--rebuilds`
   times, one more change each time; the median and the range). Then changes one
   row of the 2 M-row request register and builds again (the statistics are computed
   again; pages and downloads whose content did not change still come from the cache).
   Then starts `etalase devserver`, changes the same service row once more and measures
   how long until the server serves the changed page, and until the search index is renewed.
   Then the same data kept in a git repository, as staff keep it (`--skip-history` leaves
   this out): each source table's past versions are published, and a rebuild after one
   service row is timed saved, then committed.
4. Stock Pelican (default theme, Markdown articles) over the same number of pages, or over
   `--pelican-pages` pages and extrapolated linearly to the same count (said in the output),
   twice: over short articles of a few lines (the comparison since session 1), and over the
   national services' standards written as Markdown, the text Etalase's service pages carry
   (since session 23).
Every timed build starts once the step before has settled (`settle`): the previous build's
detached clean-up has finished and the disk has written what it left.
Not part of `make test`.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NATIONAL = ROOT / "bench" / ".national"
PYTHON = sys.executable


def run_child(command: list[str], cwd: Path = ROOT,
              env: dict | None = None) -> tuple[float, float]:
    """Run `command` (with `env` added to the environment); return (wall seconds, peak RSS
    of the child in MiB)."""
    start = time.perf_counter()
    child = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                             env={**os.environ, **(env or {})})
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    output = child.stdout.read().decode("utf-8", "replace")
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(command)}\n{output[-4000:]}")
    return wall, usage.ru_maxrss / 1024


def settle(output: Path, timeout: float = 300) -> float:
    """Wait until the previous build's detached clean-up (the removal of the site it
    replaced, or the copy of its folder tree when it replaced none, folders.py) has
    finished and the disk has written what earlier steps left (`os.sync`); return the seconds waited. Every timed build starts from a settled
    machine, as when staff save a file some time after their previous build: otherwise a
    rebuild measured right after a full build also pays for deleting that build's
    predecessor (30 000 files) and writing out its 1.2 GB."""
    start = time.perf_counter()
    # the removal of the site replaced, or the copy of a first site's folders (folders.py)
    while (any(output.parent.glob(f".{output.name}-lama*"))
           or any(output.parent.glob(f".{output.name}-kerangka-*"))) and \
            time.perf_counter() - start < timeout:
        time.sleep(0.1)
    os.sync()
    return time.perf_counter() - start


def site_figures(folder: Path) -> tuple[int, int, int]:
    """(HTML pages, files, bytes) under `folder`."""
    pages = files = size = 0
    for directory, _, names in os.walk(folder):
        for name in names:
            files += 1
            pages += name.endswith(".html")
            size += os.path.getsize(os.path.join(directory, name))
    return pages, files, size


def change_one_service(data: Path) -> str:
    """Edit the summary of one service in standar-pelayanan.csv; return its code."""
    path = data / "standar-pelayanan.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    target = rows[len(rows) // 2]
    column = header.index("ringkasan")
    target[column] += " " + next_mark(target[column])
    saved = path.with_name(f".{path.name}.baru")  # saved at once, as a spreadsheet does
    with open(saved, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    os.replace(saved, path)
    return target[header.index("kode")]


def next_mark(summary: str) -> str:
    """What `change_one_service` adds to a summary: numbered, so each change is new text."""
    return f"(Diperbarui {summary.count('(Diperbarui') + 1}.)"


def edited_summary(data: Path) -> str:
    """The summary `change_one_service` edits, as it is now."""
    with open(data / "standar-pelayanan.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[len(rows) // 2][rows[0].index("ringkasan")]


def change_one_request(data: Path) -> str:
    """Reopen the first request of the register (blank `tanggal_selesai`), as a correction
    by staff would; return its service code. Everything computed from the registers changes
    with it."""
    path = data / "kinerja" / "permohonan-layanan.csv"
    with open(path, "rb") as fh:
        body = fh.read()
    start = body.find(b"\n") + 1
    end = body.find(b"\n", start)
    fields = body[start:end].split(b",")
    assert fields[2], "the first request is already open"
    fields[2] = b""
    with open(path, "wb") as fh:
        fh.write(body[:start] + b",".join(fields) + body[end:])
    return fields[0].decode()


def etalase_build(data: Path, output: Path, cache: bool = True, root: Path | None = None,
                  env: dict | None = None) -> tuple[float, float]:
    """Build with the project's settings, the content-hash cache on (as in `etalase
    devserver`) or off (as in `make html` and `make publish`); with `root`, as the project
    whose sources are in that folder (its git history, its .cache/etalase)."""
    settings = output.parent / "benchconf.py"
    settings.write_text(f"import sys\nsys.path.insert(0, {str(ROOT)!r})\n"
                        f"from pelicanconf import *  # noqa: F403\nETALASE_CACHE = {cache}\n"
                        f"PATH = {str(ROOT / 'content')!r}\nTHEME = {str(ROOT / 'theme')!r}\n"
                        f"PLUGIN_PATHS = [{str(ROOT / 'pelican_plugins')!r}]\n"
                        + (f"ETALASE_ROOT = {str(root)!r}\n" if root else ""),
                        encoding="utf-8")
    env_command = [PYTHON, "-m", "etalase.cli", "build", "--settings", str(settings),
                   "--data", str(data), "--output", str(output)]
    settle(output)
    return run_child(env_command, cwd=ROOT, env=env)


def git(repo: Path, *args: str) -> None:
    """Run git in `repo` as a member of staff would, at a fixed date."""
    when = "2026-06-30T10:00:00+07:00"
    env = {**os.environ, "GIT_AUTHOR_NAME": "Staf", "GIT_AUTHOR_EMAIL": "staf@contoh.example",
           "GIT_COMMITTER_NAME": "Staf", "GIT_COMMITTER_EMAIL": "staf@contoh.example",
           "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def history_rebuilds(source: Path, workdir: Path) -> None:
    """The data kept in a git repository, as staff keep it: every source table's past
    versions are then read, compared and published (catalogue.py), which the builds above,
    of a folder outside git, never do. Two commits, then the first build with the cache on,
    a rebuild after one service row saved but not committed (what the preview builds), and
    one after committing it. The build date is pinned (SOURCE_DATE_EPOCH), as the preview
    pins it: otherwise a commit changes every page's footer date."""
    repo = workdir / "riwayat"
    shutil.copytree(source, repo / "data")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Data awal")
    change_one_service(repo / "data")
    git(repo, "commit", "-q", "-a", "-m", "Ringkasan satu layanan diperbarui")
    output = repo / "output"
    env = {"SOURCE_DATE_EPOCH": "1782792000"}
    first, first_peak = etalase_build(repo / "data", output, root=repo, env=env)
    print(f"in git, first build       {first:8.2f} s  (cache on, two versions of each table "
          f"published; peak RSS {first_peak:.0f} MiB)")
    kode = change_one_service(repo / "data")
    saved, saved_peak = etalase_build(repo / "data", output, root=repo, env=env)
    print(f"in git, one row saved     {saved:8.2f} s  (service {kode}, not committed; "
          f"peak RSS {saved_peak:.0f} MiB)")
    git(repo, "commit", "-q", "-a", "-m", "Ringkasan diperbarui lagi")
    committed, committed_peak = etalase_build(repo / "data", output, root=repo, env=env)
    print(f"in git, then committed    {committed:8.2f} s  (only its table's new version read; "
          f"peak RSS {committed_peak:.0f} MiB)")
    settle(output)  # the last build's detached clean-up, before the folder is removed


def preview_rebuild(data: Path, output: Path) -> tuple[float, float, str]:
    """Start `etalase devserver` (cache on), wait until it serves the site and its search
    index, then change one service row. Returns the seconds from that save until the
    changed page is served, and until the search index is made again; and the service."""
    import queue
    import socket
    import threading
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = output.parent / "benchconf.py"  # written by etalase_build (cache on)
    server = subprocess.Popen(
        [PYTHON, "-m", "etalase.cli", "devserver", "--settings", str(settings), "--data",
         str(data), "--output", str(output), "--port", str(port)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in server.stdout],
                     daemon=True).start()

    def wait_for_line(text: str) -> None:
        while True:
            line = lines.get(timeout=600)
            if text in line:
                return

    try:
        wait_for_line("Indeks pencarian diperbarui.")  # the first build, pages then search
        wait_for_line("Menyajikan")  # then it serves, and starts watching the sources
        time.sleep(3)  # a save before the watcher runs would go unnoticed
        mark = next_mark(edited_summary(data))
        settle(output)
        # Timed from the moment the saved table is in place (renamed into place, as a
        # spreadsheet saves; rewriting the 40 MB table here takes about 1.5 s of its own).
        kode = change_one_service(data)
        start = time.perf_counter()
        url = f"http://127.0.0.1:{port}/layanan/{kode}/"
        while True:
            try:
                with urllib.request.urlopen(url, timeout=5) as reply:
                    if mark in reply.read().decode("utf-8"):
                        break
            except OSError:
                pass
            time.sleep(0.05)
        page = time.perf_counter() - start
        wait_for_line("Indeks pencarian diperbarui.")
        search = time.perf_counter() - start
    finally:
        server.terminate()
        server.wait(timeout=60)
    return page, search, kode


PELICAN_ARTICLE = """Title: Layanan nomor {n}
Date: 2025-01-{day:02d} 10:00
Category: layanan
Tags: layanan, contoh

Ini artikel contoh nomor {n} untuk membandingkan kecepatan Pelican.

Persyaratan:

- Kartu Tanda Penduduk elektronik
- Kartu Keluarga
- Surat pengantar dari kelurahan

Prosedur: datang ke loket, serahkan berkas, tunggu panggilan, terima produk layanan.
"""


def short_articles(pages: int):
    """The first comparison (since session 1): a few lines each, the same text every time."""
    for n in range(pages):
        yield PELICAN_ARTICLE.format(n=n, day=n % 28 + 1)


def service_articles(pages: int, services: Path):
    """The second comparison (since session 23): the first `pages` services of the national
    data as Markdown, each carrying what its Etalase page says of it (the summary, then the
    14 components under their headings, list cells as Markdown lists, split as the site splits
    them), so that both builds publish the same text."""
    sys.path.insert(0, str(ROOT / "pelican_plugins"))
    from etalase.components import COMPONENTS
    from etalase.textformat import paragraphs, split_list

    with open(services, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh)):
            if n == pages:
                return
            parts = [f"Title: {row['nama']}", f"Slug: {row['kode']}",
                     f"Date: 2025-01-{n % 28 + 1:02d} 10:00", f"Category: {row['kategori']}",
                     f"Tags: {row['penyelenggara']}", "", row["ringkasan"], ""]
            for component in COMPONENTS:
                parts += [f"## {component.heading}", ""]
                value = row[component.column]
                if component.is_list:
                    marker = "1." if component.render == "numbered" else "-"
                    parts += [f"{marker} {item}" for item in split_list(value)]
                else:
                    parts += [f"{para}\n" for para in paragraphs(value)]
                parts.append("")
            yield "\n".join(parts)


def pelican_build(articles, workdir: Path) -> tuple[float, float, int, int]:
    """Stock Pelican, default theme, over the Markdown `articles`; (wall s, peak MiB, pages,
    articles)."""
    content = workdir / "content"
    content.mkdir(parents=True)
    written = 0
    for n, text in enumerate(articles):
        (content / f"artikel-{n:06d}.md").write_text(text, encoding="utf-8")
        written += 1
    settings = workdir / "pelicanconf.py"
    settings.write_text(
        f"PATH = {str(content)!r}\nOUTPUT_PATH = {str(workdir / 'output')!r}\n"
        "ARTICLE_PATHS = ['']\nTIMEZONE = 'Asia/Jakarta'\nSITEURL = ''\n", encoding="utf-8")
    pelican = Path(PYTHON).with_name("pelican")
    os.sync()  # the same settled start as each Etalase build (`settle`)
    wall, peak = run_child([str(pelican), "-s", str(settings), "-q"], cwd=workdir)
    built, _, _ = site_figures(workdir / "output")
    return wall, peak, built, written


def compare_with_pelican(name: str, articles, pages: int, wall: float) -> None:
    """Build stock Pelican over the `articles` and print its time for `pages` pages
    (extrapolated linearly when fewer articles were built) and Etalase's `wall` against it."""
    with tempfile.TemporaryDirectory(prefix="pelican-bench-") as tmp:
        p_wall, p_peak, p_pages, count = pelican_build(articles, Path(tmp))
    scaled = p_wall * pages / count
    note = "" if count == pages else f" (measured {count} articles in {p_wall:.1f} s, " \
                                     f"extrapolated linearly to {pages})"
    print(f"stock Pelican, {name}")
    print(f"  {pages} pages             {scaled:8.2f} s{note}")
    print(f"  pages/s                 {p_pages / p_wall:8.0f}  ({p_pages} HTML files incl. "
          f"index/tag/category pages; peak RSS {p_peak:.0f} MiB)")
    print(f"  Etalase / Pelican time  {wall / scaled:8.2f}  (target ≤ 0.25)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regenerate", action="store_true",
                        help="generate the national data again even if it exists")
    parser.add_argument("--pelican-pages", type=int, default=None,
                        help="Markdown pages for stock Pelican (default: as many as Etalase "
                             "wrote); fewer pages are extrapolated linearly")
    parser.add_argument("--rebuilds", type=int, default=5,
                        help="how many rebuilds after one service row to time (default 5)")
    parser.add_argument("--skip-pelican", action="store_true")
    parser.add_argument("--skip-history", action="store_true",
                        help="leave out the builds of the data kept in git")
    args = parser.parse_args()
    source = NATIONAL / "data"
    if args.regenerate or not (source / "standar-pelayanan.csv").exists():
        print("generating national data ...", flush=True)
        run_child([PYTHON, str(ROOT / "bench" / "generate_national.py"), "--out", str(source)])
    with tempfile.TemporaryDirectory(prefix="etalase-bench-", dir=NATIONAL) as tmp:
        tmp = Path(tmp)
        data = tmp / "data"
        shutil.copytree(source, data)
        output = tmp / "output"
        cache = ROOT / ".cache" / "etalase"
        shutil.rmtree(cache, ignore_errors=True)  # a cold first build
        wall, peak = etalase_build(data, output, cache=False)
        pages, files, size = site_figures(output)
        print(f"full build wall time      {wall:8.2f} s  (cache off, as make html)")
        print(f"HTML pages                {pages:8d}")
        print(f"pages per second          {pages / wall:8.0f}")
        print(f"peak RSS (child)          {peak:8.0f} MiB")
        print(f"output files              {files:8d}")
        print(f"output size               {size / 2**20:8.0f} MiB")
        cached_wall, cached_peak = etalase_build(data, output)
        print(f"first build, cache on     {cached_wall:8.2f} s  (as etalase devserver: also "
              f"fills .cache/etalase; peak RSS {cached_peak:.0f} MiB)")
        # Several times, each after one more change: one rebuild's time moves with the
        # shared machine by more than the changes a session makes.
        times, peaks = [], []
        for _ in range(args.rebuilds):
            kode = change_one_service(data)
            rebuild, rebuild_peak = etalase_build(data, output)
            times.append(rebuild)
            peaks.append(rebuild_peak)
        print(f"rebuild after one change  {statistics.median(times):8.2f} s  (median of "
              f"{len(times)}, {min(times):.2f}–{max(times):.2f} s; service {kode}; "
              f"peak RSS {max(peaks):.0f} MiB)")
        kode = change_one_request(data)
        again, again_peak = etalase_build(data, output)
        print(f"rebuild after one request {again:8.2f} s  (register row of {kode}: statistics "
              f"recomputed; peak RSS {again_peak:.0f} MiB)")
        page, search, kode = preview_rebuild(data, output)
        print(f"preview: changed page in  {page:8.2f} s  (etalase devserver, from the saved file "
              f"of one more change to service {kode}; search index renewed after {search:.2f} s)")
        if not args.skip_history:
            history_rebuilds(source, tmp)
    if args.skip_pelican:
        return
    count = args.pelican_pages or pages
    compare_with_pelican("short articles (a few lines each, as since session 1)",
                         short_articles(count), pages, wall)
    compare_with_pelican("the same service standards as Markdown articles (at most one per "
                         "service of the data)",
                         service_articles(count, source / "standar-pelayanan.csv"), pages, wall)

if __name__ == "__main__":
    main()
