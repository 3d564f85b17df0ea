"""Reproducible zip archives that reuse the compressed members of the archive built before.

The "download everything" archive holds every download of the site: at national scale about
860 MB to compress, 7–10 s on every build even when one small table changed. `write_zip`
writes members sorted by name with a fixed time stamp and permissions, so the bytes depend
only on the members; given the previous archive and the SHA-256 of each of its file members,
a member whose bytes are unchanged is copied compressed as it is instead of being compressed
again. The result is byte-for-byte what compressing everything would give (the same zlib
level gives the same stream), which `tests/test_catalogue.py` checks.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from .folders import replace_folder

TIMESTAMP = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can hold: fixed, so reproducible
LEVEL = 6
FORCE_ZIP64 = 0x7FFF0000
INDEX = "isi.json"  # beside a kept archive: the SHA-256 of each of its file members
# What decides the compressed bytes: a member is reused only from an archive made the same way.
COMPRESSOR = f"zlib {zlib.ZLIB_RUNTIME_VERSION} level {LEVEL}"


@dataclass
class Written:
    digests: dict[str, str]  # file member → SHA-256 of its bytes (the index of the archive)
    reused: set[str] = field(default_factory=set)  # members copied compressed from `previous`


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def write_zip(target: Path, members: dict[str, Path | bytes], digests: dict[str, str] | None = None,
              previous: tuple[Path, dict[str, str]] | None = None) -> Written:
    """Write a zip whose bytes depend only on `members` (name → file or bytes).

    `digests` gives the SHA-256 of file members already known (others are computed);
    `previous` is an earlier archive written here and its `Written.digests`: its members
    with the same name and digest are copied compressed rather than compressed again.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    known = dict(digests or {})
    written = Written({})
    old_zip = None
    old_digests: dict[str, str] = {}
    if previous is not None:
        try:
            old_zip = zipfile.ZipFile(previous[0])
            old_digests = previous[1]
        except (OSError, zipfile.BadZipFile):
            old_zip = None  # gone or damaged: compress everything
    try:
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED,
                             compresslevel=LEVEL) as zf:
            for name in sorted(members):
                info = zipfile.ZipInfo(name, date_time=TIMESTAMP)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                info.create_system = 3
                source = members[name]
                if isinstance(source, bytes):
                    zf.writestr(info, source, compress_type=zipfile.ZIP_DEFLATED,
                                compresslevel=LEVEL)
                    continue
                digest = known.get(name) or sha256_of(Path(source))
                written.digests[name] = digest
                info.file_size = Path(source).stat().st_size
                old = _member(old_zip, name) if old_digests.get(name) == digest else None
                start = _data_start(old_zip, old) if old is not None else None
                if start is not None and old.file_size == info.file_size:
                    _copy_compressed(old_zip, old, start, zf, info)
                    written.reused.add(name)
                    continue
                with open(source, "rb") as src, zf.open(info, "w", force_zip64=info.file_size
                                                        > FORCE_ZIP64) as dst:
                    shutil.copyfileobj(src, dst, 1 << 20)
    finally:
        if old_zip is not None:
            old_zip.close()
    return written


def _member(archive: zipfile.ZipFile | None, name: str) -> zipfile.ZipInfo | None:
    if archive is None:
        return None
    try:
        info = archive.getinfo(name)
    except KeyError:
        return None
    ok = info.compress_type == zipfile.ZIP_DEFLATED and not info.flag_bits & 0x08
    return info if ok else None


def _data_start(source: zipfile.ZipFile, old: zipfile.ZipInfo) -> int | None:
    """Where `old`'s compressed bytes start, if its local header is what the central
    directory says (signature, name, and a header right after the data); None for anything
    else, and the member is then compressed again rather than copied from a damaged archive."""
    try:
        source.fp.seek(old.header_offset)
        header = source.fp.read(zipfile.sizeFileHeader)
        if len(header) != zipfile.sizeFileHeader or header[:4] != zipfile.stringFileHeader:
            return None
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        name = source.fp.read(name_length)
        encoding = "utf-8" if old.flag_bits & 0x800 else "cp437"
        if name != old.filename.encode(encoding):
            return None
        start = old.header_offset + zipfile.sizeFileHeader + name_length + extra_length
        source.fp.seek(start + old.compress_size)  # members are contiguous: the next
        follows = source.fp.read(4)  # header, or the central directory, comes right after
        ok = follows in (zipfile.stringFileHeader, zipfile.stringCentralDir)
        return start if ok else None
    except (OSError, ValueError, struct.error):
        return None


def _copy_compressed(source: zipfile.ZipFile, old: zipfile.ZipInfo, start: int,
                     zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    """Append `old`'s compressed bytes (from `start`) to `zf` as `info`, with the local
    header zipfile writes for a member it compressed itself (the steps of
    `ZipFile._open_to_write` and of closing its writer, without the compressor)."""
    info.CRC, info.compress_size, info.flag_bits = old.CRC, old.compress_size, 0
    zip64 = info.file_size > FORCE_ZIP64 or info.file_size * 1.05 > zipfile.ZIP64_LIMIT
    source.fp.seek(start)
    zf.fp.seek(zf.start_dir)
    info.header_offset = zf.fp.tell()
    zf._writecheck(info)
    zf._didModify = True
    zf.fp.write(info.FileHeader(zip64))
    remaining = old.compress_size
    while remaining:
        chunk = source.fp.read(min(remaining, 1 << 20))
        if not chunk:
            raise zipfile.BadZipFile(f"{old.filename}: archive ends early")
        zf.fp.write(chunk)
        remaining -= len(chunk)
    zf.start_dir = zf.fp.tell()
    zf.filelist.append(info)
    zf.NameToInfo[info.filename] = info


def keep(target: Path, written: Written, folder: Path) -> None:
    """Keep `target` (a hard link when possible) and its index in `folder` for the next build.

    The two are swapped in together: an interrupted build leaves the previous pair or none,
    never an archive beside another archive's index."""
    for left in folder.parent.glob(f".{folder.name}-baru-*"):  # from interrupted builds
        shutil.rmtree(left, ignore_errors=True)
    fresh = folder.with_name(f".{folder.name}-baru-{os.getpid()}")
    fresh.mkdir(parents=True)
    try:
        os.link(target, fresh / target.name)
    except OSError:
        shutil.copyfile(target, fresh / target.name)
    index = {"compressor": COMPRESSOR, "size": target.stat().st_size,
             "members": written.digests}
    (fresh / INDEX).write_text(json.dumps(index, sort_keys=True), encoding="utf-8")
    replace_folder(folder, fresh)


def kept(name: str, folder: Path) -> tuple[Path, dict[str, str]] | None:
    """The archive `name` that `keep` left in `folder`, and its members' digests; None if
    there is none, or it was made by another compressor (its bytes would differ from a fresh
    archive's), or it is not the size it was when kept."""
    path = folder / name
    try:
        index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
        if index["compressor"] != COMPRESSOR or path.stat().st_size != index["size"]:
            return None
        members = index["members"]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (path, members) if isinstance(members, dict) else None
