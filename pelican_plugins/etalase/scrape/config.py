"""Read `data/sumber.toml`: the polite-fetching settings and the list of sources.

Keys are Indonesian because staff edit this file; every mistake is reported as a `Problem`
naming the file and the source, never as a traceback.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import DataError, Problem

CONFIG_NAME = "sumber.toml"
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_EMAIL_OR_URL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+|https?://\S+")


@dataclass
class Settings:
    """`[pengaturan]`: how politely every source is fetched."""

    contact: str  # e-mail or URL put in the User-Agent so a site owner can reach us
    interval: float = 1.0  # seconds between two requests to the same host
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    attempts: int = 4  # tries per request on connection errors, 429 and 5xx
    backoff: float = 1.0  # first wait before a retry; doubles each time
    max_wait: float = 120.0  # the longest Retry-After we accept before giving up
    max_bytes: int = 50 * 1024 * 1024  # largest response accepted
    max_shrink: float = 0.5  # a new file with this share fewer rows is refused
    max_redirects: int = 10

    @property
    def user_agent(self) -> str:
        return f"Etalase/0.1 (+{self.contact})"


@dataclass
class Source:
    """One `[[sumber]]` entry."""

    name: str
    kind: str
    options: dict[str, Any]  # the whole entry as written, for the kind module
    output: PurePosixPath  # relative to data/, e.g. scrape/wb-efektivitas-pemerintah.csv
    title: str = ""
    description: str = ""
    max_shrink: float = 0.5
    schema: dict | None = None  # a Table Schema written in the config, overriding the kind's

    @property
    def url(self) -> str:
        return str(self.options.get("url", ""))

    def csv_path(self, data_dir: Path) -> Path:
        return Path(data_dir) / self.output

    def schema_path(self, data_dir: Path) -> Path:
        return self.csv_path(data_dir).with_name(f"{self.name}.schema.json")

    def provenance_path(self, data_dir: Path) -> Path:
        return self.csv_path(data_dir).with_name(f"{self.name}.sumber.json")


@dataclass
class Config:
    settings: Settings
    sources: list[Source] = field(default_factory=list)


_SETTING_KEYS = {
    # key in sumber.toml: (attribute, type, Indonesian hint)
    "kontak": ("contact", str, "alamat e-mail atau situs yang bisa dihubungi pemilik situs sumber"),
    "jeda_per_host": ("interval", float, "detik antara dua permintaan ke situs yang sama"),
    "batas_waktu_sambung": ("connect_timeout", float, "detik menunggu sambungan"),
    "batas_waktu_baca": ("read_timeout", float, "detik menunggu jawaban"),
    "percobaan": ("attempts", int, "jumlah percobaan per permintaan"),
    "jeda_awal_ulang": ("backoff", float, "detik menunggu sebelum mencoba lagi (berlipat dua)"),
    "tunggu_maksimum": ("max_wait", float, "detik terlama menuruti Retry-After"),
    "ukuran_maksimum_mb": ("max_bytes", float, "batas ukuran jawaban dalam MB"),
    "susut_maksimum": ("max_shrink", float, "bagian baris yang boleh hilang, 0 sampai 1"),
    "pengalihan_maksimum": ("max_redirects", int, "jumlah pengalihan (redirect) terbanyak"),
}
_SOURCE_KEYS = {"nama", "jenis", "judul", "deskripsi", "keluaran", "susut_maksimum", "skema"}


def load_config(data_dir: Path, display: str | None = None, kinds=None) -> Config:
    """Parse `data_dir/sumber.toml`; raise DataError listing every mistake in it."""
    from .sources import KINDS

    kinds = KINDS if kinds is None else kinds
    path = Path(data_dir) / CONFIG_NAME
    display = display or str(path)
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(display, None, None, None,
            "berkas tidak ditemukan; buat berkas ini untuk mendaftar sumber data luar")]) from None
    except tomllib.TOMLDecodeError as exc:
        raise DataError([Problem(display, getattr(exc, "lineno", None), None, None,
            f"penulisan TOML salah ({exc}); periksa tanda kutip dan tanda sama dengan")]) from None
    problems: list[Problem] = []
    settings = _settings(raw.get("pengaturan", {}), display, problems)
    sources = []
    seen: set[str] = set()
    for index, entry in enumerate(raw.get("sumber", []), start=1):
        source = _source(entry, index, settings, display, problems, kinds)
        if source is None:
            continue
        if source.name in seen:
            problems.append(_problem(display, f"sumber {source.name}", None,
                "nama sumber dipakai dua kali; setiap sumber perlu nama yang unik"))
            continue
        seen.add(source.name)
        sources.append(source)
    if problems:
        raise DataError(problems)
    return Config(settings, sources)


def _problem(display: str, where: str, value, message: str) -> Problem:
    """A mistake in sumber.toml: where it is ([pengaturan] key, or which source) and why."""
    shown = f'"{value}" ' if value not in (None, "") else ""
    return Problem(display, None, None, None, f"{where}: {shown}{message}")


def _settings(table: dict, display: str, problems: list[Problem]) -> Settings:
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _SETTING_KEYS:
            problems.append(_problem(display, f"[pengaturan] {key}", None,
                "pengaturan tidak dikenal; yang dikenal: " + ", ".join(_SETTING_KEYS)))
            continue
        attribute, kind, hint = _SETTING_KEYS[key]
        try:
            if isinstance(value, bool) or (kind is not str and not isinstance(value, (int, float))):
                raise ValueError
            converted = kind(value)
            if kind is not str and converted < 0:
                raise ValueError
        except (TypeError, ValueError):
            problems.append(_problem(display, f"[pengaturan] {key}", str(value),
                f"bukan nilai yang sah; isi {hint}"))
            continue
        if key == "ukuran_maksimum_mb":
            converted = int(converted * 1024 * 1024)
        values[attribute] = converted
    contact = values.get("contact", "")
    if not _EMAIL_OR_URL.fullmatch(str(contact).strip()):
        problems.append(_problem(display, "[pengaturan] kontak", contact or None,
            "wajib diisi dengan alamat e-mail atau situs resmi badan publik; alamat ini dikirim "
            "bersama setiap permintaan agar pemilik situs sumber dapat menghubungi kita"))
    if not 0 <= values.get("max_shrink", 0.5) <= 1:
        problems.append(_problem(display, "[pengaturan] susut_maksimum",
            str(values.pop("max_shrink")), "harus antara 0 dan 1 (misalnya 0.5 = 50%)"))
    if values.get("attempts", 1) < 1:
        problems.append(_problem(display, "[pengaturan] percobaan", str(values.pop("attempts")),
            "paling sedikit 1"))
    values.setdefault("contact", "")
    return Settings(**values)


def _source(entry: dict, index: int, settings: Settings, display: str,
            problems: list[Problem], kinds: dict) -> Source | None:
    name = str(entry.get("nama", "")).strip()
    valid = bool(NAME_PATTERN.fullmatch(name))
    label = f"sumber {name}" if valid else f"sumber ke-{index}"
    if not valid:
        problems.append(_problem(display, label, None, f"nama \"{name}\" tidak sah: "
            "isi \"nama\" dengan huruf kecil, angka dan tanda hubung saja "
            "(misalnya wb-efektivitas-pemerintah); nama ini menjadi nama berkas dan alamat "
            "dataset"))
        return None
    kind = entry.get("jenis")
    if kind not in kinds:
        problems.append(_problem(display, label, None,
            f"jenis \"{kind or ''}\" tidak dikenal; pilih salah satu: " + ", ".join(sorted(kinds))))
        return None
    output = PurePosixPath(str(entry.get("keluaran", f"scrape/{name}.csv")))
    if output.is_absolute() or ".." in output.parts or output.suffix != ".csv":
        problems.append(_problem(display, label, None, f"keluaran \"{output}\" tidak sah: "
            "harus berkas .csv di dalam folder data/, ditulis relatif terhadap "
            "data/ (misalnya scrape/" + name + ".csv)"))
        return None
    max_shrink = entry.get("susut_maksimum", settings.max_shrink)
    if isinstance(max_shrink, bool) or not isinstance(max_shrink, (int, float)) \
            or not 0 <= max_shrink <= 1:
        problems.append(_problem(display, label, None, f"susut_maksimum \"{max_shrink}\" "
            "tidak sah: harus angka antara 0 dan 1 (misalnya 0.5 = 50%)"))
        return None
    table_schema = entry.get("skema")
    if table_schema is not None and not (isinstance(table_schema, dict)
                                         and isinstance(table_schema.get("fields"), list)):
        problems.append(_problem(display, label, None,
            "\"skema\" harus Table Schema dengan daftar \"fields\" "
            "(lihat docs/scrape.md)"))
        return None
    source = Source(name=name, kind=kind, options=dict(entry), output=output,
                    title=str(entry.get("judul", name)),
                    description=str(entry.get("deskripsi", "")),
                    max_shrink=float(max_shrink), schema=table_schema)
    from .conversions import check as check_conversions

    for message in [*check_conversions(source.options), *kinds[kind].check(source)]:
        problems.append(_problem(display, label, None, message))
    return source
