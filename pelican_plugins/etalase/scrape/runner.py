"""Run the configured sources and replace a data file only when the new one is good.

For each source: fetch (conditional request first), turn the answer into a table, check it
against its Table Schema, run the personal-data guard, refuse an empty result or one that
shrank more than `susut_maksimum`, and only then write schema, CSV and provenance, each
atomically (temporary file + `os.replace`). A failing source leaves its current files
byte-identical, is explained in Indonesian, and makes the command exit non-zero; the other
sources still run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, TextIO

import pandas as pd

from .. import schema as table_schema
from ..errors import DataError, Problem
from ..reading import RawTable
from . import conversions, provenance
from .config import Config, Source, load_config
from .fetching import Fetcher, NotModified, Table
from .http import FetchError, PoliteSession
from .sources import KINDS

try:  # the personal-data guard (compliance work); absent in older trees
    from ..privacy import scan_frame
except ImportError:  # pragma: no cover - depends on which modules exist
    scan_frame = None

UPDATED, UNCHANGED, FAILED = "diperbarui", "tidak berubah", "gagal"
MAX_LISTED = 5


@dataclass
class Outcome:
    source: Source
    status: str
    rows: int = 0
    message: str = ""
    requests: int = 0


class SourceFailed(Exception):
    """This source's new data is refused; the message says why, in Indonesian."""


def run(data_dir: Path, names: list[str] | None = None, *, root: Path | None = None,
        config: Config | None = None, out: TextIO | None = None, err: TextIO | None = None,
        session_factory: Callable[..., PoliteSession] = PoliteSession) -> list[Outcome]:
    """Fetch the sources called `names` (all when empty); report each and return outcomes."""
    out, err = out or sys.stdout, err or sys.stderr
    data_dir = Path(data_dir)
    root = Path(root) if root else data_dir.parent
    config_display = _display(data_dir / "sumber.toml", root)
    config = config or load_config(data_dir, config_display)
    sources = _select(config, names, config_display)
    session = session_factory(config.settings,
                              notify=lambda message: print(f"  … {message}", file=err))
    outcomes = []
    try:
        for source in sources:
            outcome = _run_one(source, session, data_dir, root)
            outcomes.append(outcome)
            _report(outcome, data_dir, root, out, err)
    finally:
        session.close()
    print(summary(outcomes), file=out, flush=True)
    return outcomes


def _select(config: Config, names: list[str] | None, display: str) -> list[Source]:
    if not names:
        return list(config.sources)
    known = {s.name: s for s in config.sources}
    unknown = [n for n in names if n not in known]
    if unknown:
        raise DataError([Problem(display, None, None, None,
                                 f"sumber tidak dikenal: {', '.join(unknown)}; "
                                 "sumber yang terdaftar: " + ", ".join(known))])
    return [known[n] for n in names]


def _display(path: Path, root: Path) -> str:
    try:
        return os.path.relpath(path, root)
    except ValueError:
        return str(path)


def _run_one(source: Source, session: PoliteSession, data_dir: Path, root: Path) -> Outcome:
    csv_path = source.csv_path(data_dir)
    display = _display(csv_path, root)
    for path in (csv_path, source.schema_path(data_dir), source.provenance_path(data_dir)):
        if path.is_dir():  # checked before fetching: nothing could be written there
            return Outcome(source, FAILED, 0, f"{_display(path, root)} adalah sebuah folder, "
                           "bukan berkas; hapus atau pindahkan folder itu, lalu jalankan lagi")
    previous = provenance.load(source.provenance_path(data_dir)) if csv_path.exists() else {}
    # Changed in sumber.toml since the last run (a schema, a column's name, a conversion):
    # fetched again whole, as a server's "not modified" says nothing of what we make of it.
    setup = provenance.setup_key(source.options)
    # (a provenance written before the key was kept: fetched whole once, its columns held)
    reconfigured = "pengaturan" in previous and previous["pengaturan"] != setup
    fetcher = Fetcher(session, {} if previous.get("pengaturan") != setup else previous)
    checked_at = provenance.now_utc()
    try:
        try:
            table = KINDS[source.kind].fetch(source, fetcher)
        except NotModified:
            data = provenance.record(previous, source=source, fetcher=fetcher,
                                     rows=int(previous.get("rows") or _count_rows(csv_path)),
                                     changed=False, checked_at=checked_at, not_modified=True,
                                     setup=setup)
            try:
                provenance.write_atomic(source.provenance_path(data_dir), provenance.dumps(data))
                if source.schema:  # titles or descriptions edited in sumber.toml still apply
                    _write_if_different(source.schema_path(data_dir), provenance.dumps(
                        _published_schema(source, source.schema)))
            except OSError as exc:
                return Outcome(source, FAILED, 0, _unwritable(exc, display), fetcher.requests)
            return Outcome(source, UNCHANGED, data["rows"],
                           "server menjawab 304 Not Modified (satu permintaan ringan)",
                           fetcher.requests)
        except FetchError as exc:
            raise SourceFailed(str(exc)) from None
        except (KeyError, IndexError, TypeError, ValueError, AttributeError) as exc:
            # The answer had a shape the kind module did not expect (a changed API, say).
            raise SourceFailed(
                f"jawaban sumber berbentuk lain dari yang diharapkan jenis \"{source.kind}\" "
                f"({exc.__class__.__name__}: {exc}); mungkin format sumbernya berubah. "
                "Laporkan ke pengembang bila terus terjadi") from None
        table.frame = conversions.apply(table.frame.fillna("").astype(str), source.options)
        schema_dict = source.schema or table.schema or _text_schema(table)
        if not source.schema and not reconfigured:
            _check_same_columns(schema_dict, source.schema_path(data_dir), display)
        frame = _check(source, table, schema_dict, csv_path, display)
        content = _csv_bytes(frame, table_schema.field_names(schema_dict))
        _check_readable(content, csv_path, display)
        rows = len(frame)
        try:
            current = csv_path.read_bytes() if csv_path.exists() else None
        except OSError as exc:
            raise SourceFailed(f"berkas lama {display} tidak dapat dibaca "
                               f"({exc.strerror or exc}); periksa izin berkas") from None
        changed = content != current
        if changed and current is not None:
            old = _csv_rows(current)  # the last good file, parsed once for both checks
            _check_shrink(source, max(len(old) - 1, 0), rows)
            _check_no_column_emptied(old, frame, display)
    except SourceFailed as exc:
        return Outcome(source, FAILED, 0, str(exc), fetcher.requests)
    data = provenance.record(previous, source=source, fetcher=fetcher, rows=rows,
                             changed=changed, checked_at=checked_at, metadata=table.metadata,
                             setup=setup)
    schema_bytes = provenance.dumps(_published_schema(source, schema_dict))
    schema_path = source.schema_path(data_dir)
    try:
        if changed:
            provenance.write_atomic(csv_path, content)
        _write_if_different(schema_path, schema_bytes)
        provenance.write_atomic(source.provenance_path(data_dir), provenance.dumps(data))
    except OSError as exc:
        return Outcome(source, FAILED, 0, _unwritable(exc, display), fetcher.requests)
    if changed:
        return Outcome(source, UPDATED, rows, _skipped_note(table.metadata), fetcher.requests)
    return Outcome(source, UNCHANGED, rows, "isinya sama dengan berkas yang ada",
                   fetcher.requests)


_SKIPPED = {"judul": "judul kolom yang diulang", "catatan": "catatan", "jumlah": "jumlah/total",
            "kosong": "kosong"}


def _skipped_note(metadata: dict | None) -> str:
    """What a kind left out of the table as not data (`baris_dilewati`), in words."""
    counts = (metadata or {}).get("baris_dilewati") or {}
    parts = [f"{count} baris {_SKIPPED.get(kind, kind)}" for kind, count in counts.items()]
    return "dilewati: " + ", ".join(parts) if parts else ""


def _unwritable(exc: OSError, display: str) -> str:
    return (f"berkas hasil tidak dapat ditulis ({exc.strerror or exc}: "
            f"{exc.filename or display}); periksa izin folder dan ruang disk")


def _write_if_different(path: Path, content: bytes) -> None:
    if not path.exists() or path.read_bytes() != content:
        provenance.write_atomic(path, content)


def _check(source: Source, table: Table, schema_dict: dict, csv_path: Path,
           display: str) -> pd.DataFrame:
    """Validate the new rows; raise SourceFailed with the reasons when they are not good."""
    raw_frame = table.frame.fillna("").astype(str).reset_index(drop=True)
    if raw_frame.empty:
        raise SourceFailed("sumber tidak mengembalikan satu baris pun; hasil kosong tidak "
                           "dipakai")
    raw = RawTable(path=csv_path, display=f"{display} (hasil baru)", frame=raw_frame,
                   row_numbers=list(range(2, len(raw_frame) + 2)))
    frame, problems = table_schema.validate(raw, schema_dict)
    if problems:
        listed = "\n".join(f"      {p}" for p in problems[:MAX_LISTED])
        more = len(problems) - MAX_LISTED
        raise SourceFailed(f"hasil tidak sesuai skemanya ({len(problems)} masalah):\n{listed}"
                           + (f"\n      … dan {more} masalah lain" if more > 0 else "")
                           + "\n    Nilai di atas adalah nilai dari sumber (sesudah `ubah`). "
                           "Bila sumbernya menulis nilai dengan cara lain, atur `ubah` atau "
                           "`skema` sumber ini di data/sumber.toml (lihat docs/scrape.md)")
    guard = scan_frame
    if guard is not None:
        hits = guard(frame, schema_dict, f"{display} (hasil baru)")
        if hits:
            listed = "\n".join(f"      {p}" for p in hits[:MAX_LISTED])
            raise SourceFailed("hasil tampak memuat data pribadi (misalnya NIK, nomor telepon "
                               f"atau alamat e-mail orang) dan tidak diterbitkan:\n{listed}")
    return raw_frame[[c for c in table_schema.field_names(schema_dict) if c in raw_frame]]


def _check_same_columns(schema_dict: dict, published: Path, display: str) -> None:
    """A source without a schema of its own in sumber.toml takes its columns and their types
    from what it sends. The schema published with the last good file is then the contract: a
    column renamed, added, dropped or turned to another type upstream is refused, not
    published over it (journalists' scripts read those columns)."""
    try:
        before = json.loads(published.read_text(encoding="utf-8"))["fields"]
    except (OSError, ValueError, KeyError, TypeError):
        return  # none yet (the first run), or unreadable: nothing to hold to
    old = [(f.get("name"), f.get("type", "string")) for f in before if isinstance(f, dict)]
    new = [(f.get("name"), f.get("type", "string")) for f in schema_dict.get("fields", [])]
    if old == new:
        return
    def listed(fields):
        return ", ".join(f"{name} ({kind})" for name, kind in fields) or "tidak ada"
    raise SourceFailed(
        f"kolom dari sumber berubah: dulu {listed(old)}; sekarang {listed(new)}. Hasil baru "
        f"tidak dipakai agar kolom {display} tidak berubah diam-diam. Bila perubahan ini memang "
        "benar, tulis skema atau kolom sumber ini di sumber.toml (lihat docs/scrape.md), atau "
        f"hapus {published.name} lalu jalankan lagi")


def _check_readable(content: bytes, csv_path: Path, display: str) -> None:
    """The new file as `make validate` will read it, with the same careful reader: what it
    would refuse (a control character, text that looks like mojibake) is refused now, before
    the last good file is replaced."""
    import tempfile

    from ..reading import read_table

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / csv_path.name
        path.write_bytes(content)
        try:
            read_table(path, f"{display} (hasil baru)")
        except DataError as exc:
            listed = "\n".join(f"      {p}" for p in exc.problems[:MAX_LISTED])
            raise SourceFailed("hasil tidak dapat dibaca seperti data lain (periksa "
                               f"pengodean halaman sumbernya):\n{listed}") from None


def _csv_rows(content: bytes) -> list[list[str]]:
    """The rows (header first) of a CSV file's bytes; none when they cannot be read."""
    try:
        return list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    except (UnicodeDecodeError, csv.Error):
        return []


def _check_no_column_emptied(old: list[list[str]], frame: pd.DataFrame, display: str) -> None:
    """A column that held values in the last good file (`old`, its rows) and holds none now
    (one indicator of several answered with nothing, a field a portal stopped filling) is a
    fault of the source far more often than news: refused, naming the column."""
    if not old:
        return
    header, body = old[0], old[1:]
    for position, name in enumerate(header):
        if name not in frame.columns:
            continue
        before = sum(1 for row in body if position < len(row) and row[position].strip())
        if before and not frame[name].astype(str).str.strip().astype(bool).any():
            raise SourceFailed(
                f"kolom {name} kosong seluruhnya, padahal di berkas lama {display} berisi "
                f"{before} nilai; sumbernya mungkin sedang bermasalah, coba lagi nanti. Bila "
                "kolom itu memang tidak diisi lagi oleh sumbernya, hapus kolom itu dari "
                "pengaturan sumber ini di data/sumber.toml")


def _check_shrink(source: Source, old_rows: int, new_rows: int) -> None:
    if old_rows <= 0:
        return
    lost = (old_rows - new_rows) / old_rows
    if lost > source.max_shrink:
        raise SourceFailed(
            f"jumlah baris turun dari {old_rows} menjadi {new_rows} (berkurang "
            f"{lost:.0%}, lebih dari batas susut_maksimum {source.max_shrink:.0%}). "
            "Bila penyusutan ini memang benar, naikkan susut_maksimum sumber ini untuk sekali "
            "jalan")


def _count_rows(path: Path) -> int:
    try:
        with open(path, encoding="utf-8", newline="") as fh:
            return max(sum(1 for _ in csv.reader(fh)) - 1, 0)
    except (OSError, csv.Error, UnicodeDecodeError):
        return 0


def _csv_bytes(frame: pd.DataFrame, columns: list[str]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(columns)
    for record in frame.reindex(columns=columns).fillna("").itertuples(index=False, name=None):
        writer.writerow(record)
    return buffer.getvalue().encode("utf-8")


def _text_schema(table: Table) -> dict:
    """Every column as text: used when neither the config nor the kind gives a schema."""
    return {"fields": [{"name": c, "type": "string", "title": c,
                        "description": f"Kolom \"{c}\" sebagaimana tertulis di sumber."}
                       for c in table.frame.columns]}


def _published_schema(source: Source, schema_dict: dict) -> dict:
    """The schema written beside the CSV: title, description and `judul_kolom` titles added."""
    published = {"title": source.title, "description": source.description}
    published.update(json.loads(json.dumps(schema_dict)))
    titles = dict(source.options.get("judul_kolom", {}))
    for field in published["fields"]:
        if field["name"] in titles:
            field["title"] = str(titles[field["name"]])
    return published


def _report(outcome: Outcome, data_dir: Path, root: Path, out: TextIO, err: TextIO) -> None:
    name = outcome.source.name
    if outcome.status == UPDATED:
        note = f"; {outcome.message}" if outcome.message else ""
        print(f"✓ {name}: diperbarui, {outcome.rows} baris ({outcome.requests} permintaan)"
              f"{note}", file=out, flush=True)
    elif outcome.status == UNCHANGED:
        print(f"= {name}: tidak berubah — {outcome.message}", file=out, flush=True)
    else:
        csv_path = outcome.source.csv_path(data_dir)
        kept = (f"Berkas lama {_display(csv_path, root)} tetap dipakai, tidak diubah."
                if csv_path.exists() else "Belum ada berkas lama; tidak ada yang ditulis.")
        print(f"✗ {name}: GAGAL — {outcome.message}\n    {kept}", file=err)


def summary(outcomes: list[Outcome]) -> str:
    updated = [o for o in outcomes if o.status == UPDATED]
    unchanged = [o for o in outcomes if o.status == UNCHANGED]
    failed = [o for o in outcomes if o.status == FAILED]
    rows = sum(o.rows for o in updated)
    lines = [f"Ringkasan: {len(outcomes)} sumber diperiksa — {len(updated)} diperbarui, "
             f"{len(unchanged)} tidak berubah, {len(failed)} gagal; "
             f"{_angka(rows)} baris baru ditulis."]
    if failed:
        lines.append("Sumber yang gagal: " + ", ".join(o.source.name for o in failed)
                     + ". Berkas lamanya tidak diubah. Perbaiki penyebabnya (lihat pesan di "
                     "atas), lalu jalankan lagi: make scrape")
    return "\n".join(lines)


def _angka(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def list_sources(data_dir: Path, root: Path, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    config = load_config(data_dir, _display(data_dir / "sumber.toml", root))
    if not config.sources:
        print("Belum ada sumber di data/sumber.toml.", file=out, flush=True)
    for source in config.sources:
        stored = provenance.load(source.provenance_path(data_dir))
        checked = provenance.when(stored.get("checked_at")) or "belum pernah"
        address = source.url or stored.get("url") or ""
        print(f"{source.name}  [{source.kind}]  {address}\n"
              f"    → {_display(source.csv_path(data_dir), root)}; terakhir diperiksa: {checked}",
              file=out, flush=True)


def main(data_dir: Path, names: list[str], list_only: bool = False,
         root: Path | None = None) -> int:
    """`etalase scrape`: 0 when every source was fetched or unchanged, 1 otherwise."""
    root = Path(root) if root else Path(data_dir).parent
    try:
        if list_only:
            list_sources(Path(data_dir), root)
            return 0
        outcomes = run(Path(data_dir), names, root=root)
    except DataError as exc:
        print(exc.report(), file=sys.stderr)
        return 1
    return 1 if any(o.status == FAILED for o in outcomes) else 0
