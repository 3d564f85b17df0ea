"""Where each scraped file came from: `<name>.sumber.json` beside the CSV.

Fields (times in UTC, ISO 8601):
- `url`: the address configured; `validated_url`: the exact address of the conditional request
- `fetched_at`: when the source last answered with content; `checked_at`: when it was last
  checked at all (a 304 counts); `changed_at`: when the published rows last changed
- `http_status`, `etag`, `last_modified`: what the server said (the validators are sent back
  as If-None-Match / If-Modified-Since next time)
- `sha256`: hash of the raw response bodies as received; `rows`: rows in the CSV
- `catatan`: a note from the configuration, shown with the data
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
from pathlib import Path
from zoneinfo import ZoneInfo


def when(value: str | None) -> str | None:
    """An ISO UTC time as Indonesians read it: `23 November 2026 pukul 17.10 WIB`."""
    from babel.dates import format_datetime

    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.timezone.utc)
    return format_datetime(moment.astimezone(ZoneInfo("Asia/Jakarta")), "d MMMM y 'pukul' HH.mm",
                           locale="id") + " WIB"


def now_utc() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat().replace(
        "+00:00", "Z")


def load(path: Path) -> dict:
    """The stored provenance, or {} when there is none (or it cannot be read)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def dumps(data: dict) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=False) + "\n").encode()


def write_atomic(path: Path, content: bytes) -> None:
    """Write `content` to `path` so that readers see the old file or the new one, never half."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{path.name}-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "wb") as fh:
            fh.write(content)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(temp, 0o644)
        os.replace(temp, path)
    except BaseException:
        if os.path.exists(temp):
            os.unlink(temp)
        raise


# The keys of a source that describe it, not what is fetched or how it is turned into rows.
DESCRIBING = {"judul", "deskripsi", "penerbit", "halaman_sumber", "tema", "frekuensi",
              "lisensi", "kata_kunci", "kategori_kip", "butir_berkala", "catatan",
              "susut_maksimum", "judul_kolom"}


def setup_key(options: dict) -> str:
    """A short hash of how sumber.toml sets a source's data up: every key but those that only
    describe it (a new title or note changes no row)."""
    import hashlib

    kept = {key: value for key, value in options.items() if key not in DESCRIBING}
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def record(previous: dict, *, source, fetcher, rows: int, changed: bool, checked_at: str,
           not_modified: bool = False, metadata: dict | None = None,
           setup: str | None = None) -> dict:
    """The provenance after one successful check of `source`."""
    answer = fetcher.validated or fetcher.first
    data = {
        "sumber": source.name,
        "jenis": source.kind,
        "url": source.url or (fetcher.first.url if fetcher.first else None),
        "validated_url": fetcher.validated_url or previous.get("validated_url"),
        "fetched_at": previous.get("fetched_at") if not_modified else checked_at,
        "checked_at": checked_at,
        "changed_at": checked_at if changed else previous.get("changed_at", checked_at),
        "http_status": answer.status if answer else None,
        "etag": (answer.etag if answer else None) or (previous.get("etag") if not_modified
                                                      else None),
        "last_modified": (answer.last_modified if answer else None) or (
            previous.get("last_modified") if not_modified else None),
        "sha256": previous.get("sha256") if not_modified else fetcher.sha256,
        "rows": rows,
        "requests": fetcher.requests,
    }
    if setup:
        data["pengaturan"] = setup  # how sumber.toml set the source up (`setup_key`)
    if metadata or (not_modified and previous.get("metadata")):
        data["metadata"] = metadata if metadata else previous["metadata"]
    note = source.options.get("catatan")
    if note:
        data["catatan"] = str(note)
    return data
