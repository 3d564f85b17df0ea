"""`etalase`: the command staff run. Messages and --help are in Indonesian.

Subcommands: `validate` (check every source without building) and `build` (build the site
aside and swap it into `output/`). Later work adds more; each is one function below plus one
entry in `_parser()`.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path

from .errors import DataError

# argparse's own words, in Indonesian (it looks `_` up each time it formats a message).
_ARGPARSE_ID = {
    "usage: ": "cara pakai: ",
    "options": "pilihan",
    "positional arguments": "argumen",
    "show this help message and exit": "tampilkan bantuan ini lalu keluar",
    "the following arguments are required: %s": "argumen berikut wajib diisi: %s",
    "unrecognized arguments: %s": "argumen tidak dikenal: %s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "pilihan tidak dikenal: %(value)r (pilih salah satu: %(choices)s)",
    "expected one argument": "perlu satu nilai",
    "argument %(argument_name)s: %(message)s": "argumen %(argument_name)s: %(message)s",
    "%(prog)s: error: %(message)s\n": "%(prog)s: kesalahan: %(message)s\n",
}
argparse._ = lambda text: _ARGPARSE_ID.get(text, text)


def _project_root() -> Path:
    return Path(os.environ.get("ETALASE_ROOT", Path.cwd()))


def cmd_validate(args) -> int:
    from . import compliance
    from .services import incomplete_services
    from .site import load_site

    root = _project_root()
    data = Path(args.data) if args.data else root / "data"
    settings = _pelican_settings(root)
    try:
        # The same settings as the build (the compliance setting among them: a gap is an
        # error or only reported), where the project has its pelicanconf.py.
        site = load_site(data, settings={**settings, compliance.SETTING:
                                         compliance.fail_setting(root)}, root=root)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        missing = _missing_from_problems(exc)
        if missing:
            print("\nLayanan yang komponen standar pelayanannya belum lengkap:", file=sys.stderr)
            for line in missing:
                print(f"  - {line}", file=sys.stderr)
        print("\nPerbaiki kesalahan di atas, lalu jalankan lagi: make validate", file=sys.stderr)
        return 1
    wrong = _page_address_problems(site, settings)
    if wrong:
        print(DataError(wrong).report(), file=sys.stderr)
        print("\nPerbaiki kesalahan di atas, lalu jalankan lagi: make validate", file=sys.stderr)
        return 1
    print(f"Semua data sumber sah: {len(site.providers)} penyelenggara, "
          f"{len(site.services)} layanan, {len(site.datasets)} dataset.")
    incomplete = incomplete_services(site)
    for kode, missing in incomplete.items():
        print(f"  - {kode}: belum ada {', '.join(missing)}")
    ppid = site.parts.get("ppid")
    if ppid:
        print()
        print("\n".join(compliance.summary_lines(ppid["checks"], ppid["today"])))
    return 0


def _pelican_settings(root: Path) -> dict:
    """The project's pelicanconf.py as Pelican reads it (its defaults filled in), or nothing
    without one (or when it is broken: the build reports that itself)."""
    conf = root / "pelicanconf.py"
    if not conf.exists():
        return {}
    from pelican.settings import read_settings

    try:
        return read_settings(str(conf))
    except Exception:  # noqa: BLE001
        return {}


def _page_address_problems(site, settings: dict) -> list:
    """The Markdown pages' addresses and links (addresses.py), with the address pattern and
    the site's own URLs of the project's settings, as the build would use them."""
    from . import addresses, catalogue, ppid
    from .site import all_pages

    return addresses.problems(
        ppid.markdown_pages(site),
        {page.path for page in all_pages(site)} | catalogue.page_paths(site),
        settings.get("PAGE_SAVE_AS", "{slug}/index.html"),
        [settings.get("SITEURL"), settings.get("CANONICAL_URL")])


def _missing_from_problems(exc: DataError) -> list[str]:
    """Group "required but empty" problems on the service file per row: the Ombudsman's list."""
    from .components import COMPANION_COLUMNS, COMPONENTS

    heading = {c.column: c.heading for c in COMPONENTS}
    heading.update({companion: heading[col] for col, companion in COMPANION_COLUMNS.items()})
    per_row: dict[tuple[str, int], list[str]] = {}
    for p in exc.problems:
        if p.file.endswith(("standar-pelayanan.csv", "standar-pelayanan.xlsx")) and \
                p.column in heading and p.row and p.expected.startswith("kosong"):
            names = per_row.setdefault((p.file, p.row), [])
            if heading[p.column] not in names:
                names.append(heading[p.column])
    return [f"{file} baris {row}: {', '.join(names)}" for (file, row), names in sorted(per_row.items())]


def cmd_build(args) -> int:
    from .build import build

    settings = Path(args.settings)
    output = Path(args.output)
    overrides = {"ETALASE_DATA_PATH": str(Path(args.data).resolve())} if args.data else None
    try:
        build(settings, output, overrides, compress=args.kompres)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        print(f"\nSitus TIDAK dibangun; isi {output}/ yang lama tetap dipakai.", file=sys.stderr)
        return 1
    print(f"Situs selesai dibangun di {output}/")
    return 0


def cmd_devserver(args) -> int:
    from .devserver import serve

    serve(Path(args.settings), Path(args.output), _project_root(), args.port,
          Path(args.data) if args.data else None, cache=not args.tanpa_cache)
    return 0


def cmd_scrape(args) -> int:
    from .scrape.runner import main as scrape

    data = Path(args.data).resolve() if args.data else _project_root() / "data"
    root = data.parent if args.data else _project_root()
    return scrape(data, args.sumber, list_only=args.daftar, root=root)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="etalase",
        description="Etalase: menerbitkan standar pelayanan, kode etik, statistik kinerja, dan "
                    "data terbuka badan publik sebagai situs statis.",
        epilog="Contoh: etalase validate   (memeriksa semua berkas di folder data/)",
        add_help=False,
    )
    parser.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")
    sub = parser.add_subparsers(dest="perintah", metavar="PERINTAH", title="perintah")
    sub.required = True

    def command(name, func, help_, description, *, site=False, epilog=None):
        """One subcommand with Indonesian -h, --data, and (for site builds) --settings/--output."""
        p = sub.add_parser(name, add_help=False, help=help_, description=description,
                           epilog=epilog)
        p.add_argument("-h", "--help", action="help", help="tampilkan bantuan ini lalu keluar")
        p.add_argument("--data", metavar="FOLDER", help="folder data (bawaan: data/)")
        if site:
            p.add_argument("--settings", default="pelicanconf.py", metavar="BERKAS",
                           help="berkas pengaturan Pelican (bawaan: pelicanconf.py)")
            p.add_argument("--output", default="output", metavar="FOLDER",
                           help="folder hasil (bawaan: output)")
        p.set_defaults(func=func)
        return p

    command("validate", cmd_validate, "periksa semua data sumber tanpa membangun situs",
            "Memeriksa semua berkas di folder data/ terhadap skemanya dan melaporkan setiap "
            "kesalahan sekaligus: berkas, baris, kolom, nilai, dan apa yang diharapkan.")

    p = command("build", cmd_build, "bangun situs ke folder output/",
                "Membangun situs di folder sementara, lalu menggantikan output/ hanya bila "
                "pembangunan berhasil.", site=True)
    p.add_argument("--kompres", action="store_true",
                   help="tulis juga salinan .gz setiap berkas teks (untuk diterbitkan)")

    p = command("devserver", cmd_devserver, "sajikan situs dan bangun ulang setiap ada perubahan",
                "Menyajikan output/ di http://127.0.0.1:PORT dan membangun ulang situs setiap "
                "kali berkas di data/, content/ atau theme/ berubah.", site=True)
    p.add_argument("--port", type=int, default=8000, help="nomor port (bawaan: 8000)")
    p.add_argument("--tanpa-cache", action="store_true",
                   help="bangun ulang semua halaman setiap kali (bawaan: halaman dan unduhan "
                        "yang sumbernya tidak berubah diambil dari .cache/etalase/)")

    p = command("scrape", cmd_scrape,
                "ambil data terbuka dari sistem lain (daftar di data/sumber.toml)",
                "Mengambil data yang sudah diterbitkan sistem lain (portal CKAN, API Bank Dunia, "
                "tabel di halaman web, berkas CSV/XLSX) sesuai data/sumber.toml. Berkas lama "
                "hanya diganti bila data baru sah; bila satu sumber gagal, berkas lamanya tetap "
                "dan perintah keluar dengan status bukan nol.",
                epilog="Contoh: etalase scrape wb-efektivitas-pemerintah   (hanya satu sumber). "
                       "Panduan: docs/scrape.md")
    p.add_argument("sumber", nargs="*", metavar="SUMBER",
                   help="nama sumber yang diambil (bawaan: semua sumber)")
    p.add_argument("--daftar", action="store_true",
                   help="tampilkan daftar sumber dan kapan terakhir diperiksa, tanpa mengambil")
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = _parser().parse_args(argv)
    return args.func(args)


def run() -> None:
    """The `etalase` command: `main`, then an exit that leaves the freeing of memory to the
    operating system. A national build holds about 800 MB of objects; Python released them
    one by one at exit, 0.6 s of a 10 s rebuild. Output is flushed and logging shut down
    first; work in other processes has been awaited by then."""
    code = main()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    run()
