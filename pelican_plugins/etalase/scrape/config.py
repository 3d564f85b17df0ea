"""Read `data/sumber.toml`: the polite-fetching settings and the list of sources.

Keys are Indonesian because staff edit this file; every mistake is reported as a `Problem`
naming the file and the source, never as a traceback. The file is checked once, here, as it is
read: its bytes (UTF-8, with or without Notepad's signature), its TOML, its layout
(`[pengaturan]` a table, `[[sumber]]` a list of tables) and what every key holds (`shapes.py`),
so the code that uses a value can trust its kind.
"""

from __future__ import annotations

import difflib
import functools
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import DataError, Problem
from . import schemacheck, shapes

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
# The keys every [[sumber]] may have, whatever its kind; a kind adds its own (`KEYS`).
SOURCE_KEYS = {
    "nama": shapes.TEXT, "jenis": shapes.TEXT, "judul": shapes.TEXT, "deskripsi": shapes.TEXT,
    "penerbit": shapes.TEXT, "halaman_sumber": shapes.ADDRESS, "keluaran": shapes.TEXT,
    "susut_maksimum": shapes.NUMBER, "skema": shapes.TABLE, "judul_kolom": shapes.TEXT_TABLE,
    "ubah": shapes.TEXT_TABLE, "tema": shapes.TEXT, "frekuensi": shapes.TEXT,
    "lisensi": shapes.TEXT, "kata_kunci": shapes.TEXT_LIST, "kategori_kip": shapes.TEXT,
    "butir_berkala": shapes.WHOLE, "catatan": shapes.TEXT,
}
_BOM = b"\xef\xbb\xbf"
_TOML_POSITION = re.compile(r"\(at line (\d+), column \d+\)")
_SAVE_AS_UTF8 = ("simpan ulang berkas dengan pengodean UTF-8 (di Notepad: File → Save As → "
                 "Encoding: UTF-8)")


_HEADER = re.compile(r"\s*(\[\[?)\s*([A-Za-z0-9_.\"' -]+?)\s*\]\]?\s*$")
_KEY = re.compile(r"\s*([A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')\s*[.=]")
_FIELD_NAME = re.compile(r"\bname\s*=\s*\"([^\"]*)\"")


def _code(line: str, quote: str | None) -> tuple[str, str | None]:
    """What of `line` is TOML outside comments and multi-line strings (single-line strings
    kept), and the multi-line string still open at its end (`quote`: one open before it)."""
    out, i = [], 0
    while i < len(line):
        if quote:
            end = line.find(quote, i)
            if end < 0:
                return "".join(out), quote
            i, quote = end + 3, None
        elif line.startswith(('"""', "'''"), i):
            quote, i = line[i:i + 3], i + 3
        elif line[i] in "\"'":
            j = i + 1
            while j < len(line) and line[j] != line[i]:
                j += 2 if line[i] == '"' and line[j] == "\\" else 1
            out.append(line[i:j + 1])
            i = j + 1
        elif line[i] == "#":
            break
        else:
            out.append(line[i])
            i += 1
    return "".join(out), quote


class _Lines:
    """Where each key of sumber.toml is written (its line), for messages about its value:
    the keys above the first header, those of `[pengaturan]`, and those of each `[[sumber]]`
    block in order (a sub-table such as `[sumber.skema]` counts as its block's key, and each
    `name = "…"` in it as `field:…`, the fields of its schema). Found line by line, outside
    comments and multi-line strings; a key it cannot place gets the line of its block's
    header, or none."""

    def __init__(self, text: str):
        self.top: dict[str, int] = {}
        self.settings: dict[str, int] = {}
        self.sources: list[dict[str, int]] = []
        current, nested, quote = self.top, False, None
        for number, line in enumerate(text.splitlines(), start=1):
            inside = quote is not None  # the line starts inside a multi-line string
            code, quote = _code(line, quote)
            if inside or not code.strip():
                continue
            header = _HEADER.match(code)
            if header and not _KEY.match(code):
                name = header[2].replace('"', "").replace("'", "").replace(" ", "")
                if header[1] == "[[" and name == "sumber":
                    current, nested = {"": number}, False
                    self.sources.append(current)
                elif name == "pengaturan":
                    current, nested = self.settings, False
                    current.setdefault("", number)
                elif name.startswith("sumber.") and self.sources:
                    current, nested = self.sources[-1], True
                    current.setdefault(name.split(".")[1], number)
                else:  # another table: its name is a stray key of the file
                    self.top.setdefault(f"[{name}]" if name == "sumber" else name, number)
                    nested = True
                continue
            key = _KEY.match(code)
            if key and not nested:
                current.setdefault(key[1].strip("\"'"), number)
            if current is not self.top and current is not self.settings:
                for field in _FIELD_NAME.findall(code):
                    current.setdefault(f"field:{field}", number)

    def setting(self, key: str | None = None) -> int | None:
        return self.settings.get(key) or self.settings.get("")

    def source(self, index: int, *keys: str) -> int | None:
        """The line of the first of `keys` written in the `index`-th source, else of its
        `[[sumber]]` header."""
        if not 1 <= index <= len(self.sources):
            return None
        block = self.sources[index - 1]
        return next((block[key] for key in keys if key in block), block.get(""))


def load_config(data_dir: Path, display: str | None = None, kinds=None) -> Config:
    """Parse `data_dir/sumber.toml`; raise DataError listing every mistake in it."""
    from .sources import KINDS

    kinds = KINDS if kinds is None else kinds
    path = Path(data_dir) / CONFIG_NAME
    display = display or str(path)
    raw, text = _parse(path, display)
    lines = _Lines(text)
    problems: list[Problem] = []
    for key, value in raw.items():
        if key not in ("pengaturan", "sumber"):
            problems.append(_stray_key(display, key, value, lines.top.get(key)))
    table = raw.get("pengaturan", {})
    if isinstance(table, dict):
        settings = _settings(table, display, problems, lines)
    else:
        problems.append(_problem(display, "pengaturan", None,
            f"berisi {shapes.written(table)}, padahal harus tabel: "
            "tulis baris [pengaturan] sendiri, lalu di bawahnya satu pengaturan per baris, "
            "misalnya kontak = \"ppid@contoh.go.id\"", lines.top.get("pengaturan")))
        settings = Settings(contact="")
    entries = raw.get("sumber", [])
    if isinstance(entries, dict) and "[sumber]" not in lines.top and "sumber" in lines.top:
        problems.append(_problem(display, "sumber", None,
            "ditulis sebagai kunci bertitik (sumber.nama = …); tulis setiap sumber sebagai "
            "blok yang diawali baris [[sumber]] (dua pasang kurung siku), berisi nama = …, "
            "jenis = …", lines.top["sumber"]))
        entries = []
    elif isinstance(entries, dict):
        problems.append(_problem(display, "[sumber]", None,
            "tertulis dengan satu pasang kurung siku; setiap sumber diawali baris [[sumber]] "
            "(dua pasang kurung siku), juga bila sumbernya hanya satu", lines.top.get("[sumber]")))
        entries = []
    elif not isinstance(entries, list):
        problems.append(_problem(display, "sumber", None,
            f"berisi {shapes.written(entries)}, padahal setiap "
            "sumber harus ditulis sebagai blok yang diawali baris [[sumber]]",
            lines.top.get("sumber")))
        entries = []
    sources = []
    seen: set[str] = set()
    for index, entry in enumerate(entries, start=1):
        source = _source(entry, index, settings, display, problems, kinds,
                         functools.partial(lines.source, index))
        if source is None:
            continue
        if source.name in seen:
            problems.append(_problem(display, f"sumber {source.name}", None,
                "nama sumber dipakai dua kali; setiap sumber perlu nama yang unik",
                lines.source(index, "nama")))
            continue
        seen.add(source.name)
        sources.append(source)
    if problems:
        raise DataError(problems)
    return Config(settings, sources)


def _parse(path: Path, display: str) -> tuple[dict, str]:
    """The TOML document at `path`, and its text; DataError for a file that cannot be read
    or parsed."""
    def fail(message: str, line: int | None = None):
        return DataError([Problem(display, line, None, None, message)])

    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise fail("berkas tidak ditemukan; buat berkas ini untuk mendaftar sumber data "
                   "luar") from None
    except IsADirectoryError:
        raise fail("ini sebuah folder, bukan berkas; hapus atau ganti nama folder itu, lalu "
                   "tulis daftar sumber di berkas sumber.toml (lihat docs/scrape.md)") from None
    except OSError as exc:
        raise fail(f"berkas tidak dapat dibaca ({exc.strerror or exc}); periksa izin "
                   "berkas") from None
    if content.startswith(_BOM):  # Notepad's UTF-8 signature
        content = content[len(_BOM):]
    try:
        if content.startswith((b"\xff\xfe", b"\xfe\xff")):  # Notepad's "Unicode" (UTF-16)
            text = content.decode("utf-16")
        else:
            text = content.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        byte = content[exc.start:exc.start + 1]
        char = byte.decode("cp1252", errors="replace")
        raise fail(f"bukan teks UTF-8: karakter \"{char}\" (byte 0x{byte.hex().upper()}) "
                   "menunjukkan berkas disimpan dengan pengodean lain (misalnya Windows-1252/"
                   f"ANSI); {_SAVE_AS_UTF8}", line) from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        position = _TOML_POSITION.search(message)
        line = getattr(exc, "lineno", None) or (int(position.group(1)) if position else None)
        hint = "periksa tanda kutip dan tanda sama dengan"
        if "sumber" in message and "twice" in message:
            hint = ("setiap sumber diawali baris [[sumber]] dengan dua pasang kurung siku, "
                    "bukan [sumber]")
        raise fail(f"penulisan TOML salah ({message}); {hint}", line) from None


def _stray_key(display: str, key: str, value, line: int | None) -> Problem:
    """A key outside [pengaturan] and [[sumber]] (written above the first header, say)."""
    if key in _SETTING_KEYS:
        hint = "tertulis di luar [pengaturan]; pindahkan ke bawah baris [pengaturan]"
    elif key in SOURCE_KEYS:
        hint = "tertulis di luar [[sumber]]; pindahkan ke dalam blok sumbernya"
    else:
        hint = "tidak dikenal; yang dikenal hanya [pengaturan] dan [[sumber]]"
    return _problem(display, key, None, hint, line)


def _problem(display: str, where: str, value, message: str,
             line: int | None = None) -> Problem:
    """A mistake in sumber.toml: its line where known, where it is ([pengaturan] key, or
    which source) and why."""
    shown = f'"{value}" ' if value not in (None, "") else ""
    return Problem(display, line, None, None, f"{where}: {shown}{message}")


def _settings(table: dict, display: str, problems: list[Problem], lines: _Lines) -> Settings:
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key not in _SETTING_KEYS:
            problems.append(_problem(display, f"[pengaturan] {key}", None,
                "pengaturan tidak dikenal; yang dikenal: " + ", ".join(_SETTING_KEYS),
                lines.setting(key)))
            continue
        attribute, kind, hint = _SETTING_KEYS[key]
        # a number written without quotes: finite, not negative, whole where counted
        shape = {str: shapes.TEXT, int: shapes.COUNT, float: shapes.NOT_NEGATIVE}[kind]
        if not shape.test(value):
            problems.append(_problem(display, f"[pengaturan] {key}", shapes.shown(value),
                f"bukan nilai yang sah; isi {hint}"
                + ("" if kind is str else " (angka tanpa tanda kutip)"), lines.setting(key)))
            continue
        converted = kind(value)
        if key == "ukuran_maksimum_mb":
            converted = int(converted * 1024 * 1024)
        values[attribute] = converted
    contact = values.get("contact", "")
    # (a kontak of the wrong kind is reported above, once)
    if ("contact" in values or "kontak" not in table) and \
            not _EMAIL_OR_URL.fullmatch(str(contact).strip()):
        problems.append(_problem(display, "[pengaturan] kontak", contact or None,
            "wajib diisi dengan alamat e-mail atau situs resmi badan publik; alamat ini dikirim "
            "bersama setiap permintaan agar pemilik situs sumber dapat menghubungi kita",
            lines.setting("kontak")))
    if not 0 <= values.get("max_shrink", 0.5) <= 1:
        problems.append(_problem(display, "[pengaturan] susut_maksimum",
            str(values.pop("max_shrink")), "harus antara 0 dan 1 (misalnya 0.5 = 50%)",
            lines.setting("susut_maksimum")))
    if values.get("attempts", 1) < 1:
        problems.append(_problem(display, "[pengaturan] percobaan", str(values.pop("attempts")),
            "paling sedikit 1", lines.setting("percobaan")))
    values.setdefault("contact", "")
    return Settings(**values)


def _source(entry, index: int, settings: Settings, display: str,
            problems: list[Problem], kinds: dict, line) -> Source | None:
    """The `index`-th `[[sumber]]`, checked; `line(key)` is where a key of it is written
    (its block's header line for None, or for a key it cannot place)."""
    if not isinstance(entry, dict):
        problems.append(_problem(display, f"sumber ke-{index}", None,
            f"berisi {shapes.written(entry)}, padahal setiap sumber "
            "harus blok yang diawali baris [[sumber]] berisi kunci = nilai", line()))
        return None
    name = entry.get("nama")
    valid = isinstance(name, str) and bool(NAME_PATTERN.fullmatch(name.strip()))
    label = f"sumber {name.strip()}" if valid else f"sumber ke-{index}"
    if not valid:
        written = "belum diisi" if name is None else (
            f"\"{name}\" tidak sah" if isinstance(name, str)
            else f"berisi {shapes.written(name)}, padahal harus teks")
        problems.append(_problem(display, label, None, f"nama {written}: "
            "isi \"nama\" dengan huruf kecil, angka dan tanda hubung saja, di antara tanda "
            "kutip (misalnya \"wb-efektivitas-pemerintah\"); nama ini menjadi nama berkas dan "
            "alamat dataset", line("nama")))
        return None
    name = name.strip()
    kind = entry.get("jenis")
    if not isinstance(kind, str) or kind not in kinds:
        written = "belum diisi" if kind is None else (
            f"\"{kind}\" tidak dikenal" if isinstance(kind, str)
            else f"berisi {shapes.written(kind)}, padahal harus teks")
        problems.append(_problem(display, label, None,
            f"jenis {written}; pilih salah satu: " + ", ".join(sorted(kinds)), line("jenis")))
        return None
    shape_problems = _shape_problems(entry, kinds[kind], kind)
    if shape_problems:
        problems.extend(_problem(display, label, None, m, line(key)) for key, m in shape_problems)
        return None
    output = PurePosixPath(entry.get("keluaran", f"scrape/{name}.csv"))
    if output.is_absolute() or ".." in output.parts or output.suffix != ".csv":
        problems.append(_problem(display, label, None, f"keluaran \"{output}\" tidak sah: "
            "harus berkas .csv di dalam folder data/, ditulis relatif terhadap "
            "data/ (misalnya scrape/" + name + ".csv)", line("keluaran")))
        return None
    max_shrink = entry.get("susut_maksimum", settings.max_shrink)
    if not 0 <= max_shrink <= 1:
        problems.append(_problem(display, label, None, f"susut_maksimum \"{max_shrink}\" "
            "tidak sah: harus angka antara 0 dan 1 (misalnya 0.5 = 50%)",
            line("susut_maksimum")))
        return None
    table_schema = entry.get("skema")
    if table_schema is not None:
        issues = schemacheck.problems(table_schema)
        if issues:
            problems.extend(_problem(display, label, None, "\"skema\": " + _issue_text(i)
                                     + " (lihat docs/scrape.md)",
                                     line(f"field:{i.column}", "skema")) for i in issues)
            return None
    source = Source(name=name, kind=kind, options=dict(entry), output=output,
                    title=entry.get("judul", name),
                    description=entry.get("deskripsi", ""),
                    max_shrink=float(max_shrink), schema=table_schema)
    from .conversions import check as check_conversions

    for message in [*check_conversions(source.options), *kinds[kind].check(source)]:
        # the line of the first key of this source the message names, else its header's
        named = re.findall(r'"([a-z_]+)"', message)
        problems.append(_problem(display, label, None, message,
                                 next((line(k) for k in named if k in entry), None) or line()))
    return source


def _shape_problems(entry: dict, module, kind: str) -> list[tuple[str, str]]:
    """(key, message) for keys holding the wrong kind of value, and (when the kind lists its
    keys) for keys no one reads: a misspelt key is otherwise silently ignored."""
    own = getattr(module, "KEYS", None)
    known = {**SOURCE_KEYS, **(own or {})}
    found = []
    for key, value in entry.items():
        shape = known.get(key)
        if shape is None:
            if own is not None:
                close = difflib.get_close_matches(key, known, n=1)
                found.append((key, f"kunci \"{key}\" tidak dikenal untuk jenis {kind}"
                              + (f"; mungkin maksudnya \"{close[0]}\"?" if close else "")
                              + " Kunci yang dikenal: " + ", ".join(sorted(known))))
            continue
        if not shape.test(value):
            found.append((key, f"\"{key}\" berisi {shapes.written(value)}, "
                               f"padahal harus {shape.expected}"))
    return found


def _issue_text(issue: schemacheck.Issue) -> str:
    where = f"kolom \"{issue.column}\": " if issue.column else ""
    value = f"\"{issue.value}\" " if issue.value is not None else ""
    return f"{where}{value}{issue.message}"
