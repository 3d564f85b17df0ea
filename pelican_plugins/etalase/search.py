"""Full-text search: index the built site with Pagefind, offline, in Indonesian.

Runs after Pelican has written every page and before the new site is swapped into place, so a
failed index leaves the published `output/` untouched. Pagefind reads the `data-pagefind-*`
attributes that `base.html` puts on each page's `<main>` (what to index, and the `jenis` filter
the search page groups results by) and writes its bundle to `<site>/pagefind/`: a small
JavaScript API, a WebAssembly search engine and the compressed index fragments, all served from
the site itself. Pagefind indexes in its own process while the sitemap is written. With the
cache on, a rebuild whose pages Pagefind would read the same reuses the previous bundle.
"""

from __future__ import annotations

import contextlib
import gzip
import logging
import hashlib
import importlib.metadata
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import lxml.etree
import lxml.html

from .errors import DataError, Problem
from .folders import replace_folder
from .pagecache import FileFacts, link_or_copy

logger = logging.getLogger(__name__)

BUNDLE = "pagefind"
LANGUAGE = "id"  # Indonesian stemming for every page, whatever a page's <html lang> says
# Pagefind also writes ready-made search interfaces; the search page uses its own small script
# (theme/static/js/cari.js) over the JavaScript API, so these are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js", "wasm.unknown.pagefind")


# Folders whose pages are never indexed (their templates leave out `data-pagefind-body`): a
# service's statistics page is reached from its service page. Pagefind does not even read
# them, which at national scale spares it 10 000 pages (25 s -> 15 s, 1.9 -> 1.3 GB).
NOT_INDEXED = ("statistik/layanan",)


def _searched(path: str, skip: tuple[str, ...]) -> bool:
    """Whether pages in the folder `path` (relative to the site) are indexed: not in a `skip`
    folder, the search bundle, or a hidden folder (a bundle being made)."""
    name = path.rsplit("/", 1)[-1]
    return path not in skip and path != BUNDLE and not name.startswith(".")


def file_glob(site: Path, skip: tuple[str, ...] = NOT_INDEXED) -> str:
    """Pagefind's `--glob`: every HTML file of `site` except those under the `skip` folders
    (and the folders `_searched` leaves out, which hold no pages)."""
    def parts(folder: Path, prefix: str) -> list[str]:
        found = [f"{prefix}*.html"]
        for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
            path = f"{prefix}{sub.name}"
            if not _searched(path, skip):
                continue
            if any(s.startswith(path + "/") for s in skip):
                found += parts(sub, path + "/")
            else:
                found.append(f"{path}/**/*.html")
        return found

    return "{" + ",".join(parts(Path(site), "")) + "}"


def indexed_files(site: Path, skip: tuple[str, ...] = NOT_INDEXED) -> list[Path]:
    """The HTML files `file_glob` gives Pagefind, sorted."""
    site = Path(site)
    found = []
    for folder, subfolders, names in os.walk(site):
        relative = Path(folder).relative_to(site).as_posix()
        subfolders[:] = sorted(s for s in subfolders
                               if _searched(s if relative == "." else f"{relative}/{s}", skip))
        found += [Path(folder) / n for n in sorted(names) if n.endswith(".html")]
    return found


def indexed_digest(page: bytes) -> bytes:
    """A hash of what Pagefind can read of one page: the `data-pagefind-body` elements and
    every element with a `data-pagefind-*` attribute (filters, metadata), without the parts
    marked `data-pagefind-ignore="all"` (the whole page when it marks no body); and, from
    anywhere on the page, the `<title>`, every `<h1>` and every image's address and alt text,
    where Pagefind looks for a result's title and image. It may cover more than Pagefind
    reads (then an index is made again needlessly), never less: figures in an ignored part
    (a service page's performance box) may change without changing the index."""
    try:
        document = lxml.html.document_fromstring(page)
    except lxml.etree.ParserError:  # e.g. an empty file: its bytes are all there is
        return hashlib.blake2b(page, digest_size=20).digest()
    h = hashlib.blake2b(digest_size=20)
    for element in document.xpath("/html/head/title | //h1"):
        h.update(lxml.etree.tostring(element, encoding="unicode").encode() + b"\x00")
    for image in document.xpath("//img"):
        h.update(f"{image.get('src')}\x00{image.get('alt')}\x00".encode())
    for ignored in document.xpath('//*[@data-pagefind-ignore="all"]'):
        ignored.drop_tree()
    bodies = document.xpath("//*[@data-pagefind-body]")
    marked = document.xpath("//*[@*[starts-with(name(), 'data-pagefind')]]")
    for element in (bodies + marked) if bodies else [document]:
        h.update(lxml.etree.tostring(element, encoding="unicode").encode() + b"\x00")
    return h.digest()


def bundle_key(site: Path, facts: FileFacts) -> str:
    """What decides the bundle: Pagefind's version, this module's code, the page paths and what
    Pagefind reads of each page (`indexed_digest`; `facts` remembers it for pages an earlier
    build read, so a rebuild parses only the pages it wrote anew)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(_pagefind_version().encode() + b"\x00")
    h.update(Path(__file__).read_bytes())
    h.update(file_glob(site).encode() + b"\x00")
    for path in indexed_files(site):
        digest = facts.get(path, "pagefind", lambda p: indexed_digest(p.read_bytes()))
        h.update(path.relative_to(site).as_posix().encode() + b"\x00" + digest)
    return h.hexdigest()


def _pagefind_version() -> str:
    """Which Pagefind runs, and how it is configured: the binary the Python wrapper picks (in
    its order), its `PAGEFIND_*` environment variables and a `pagefind.*` file in the working
    folder, which Pagefind also reads."""
    found = ["unknown"]
    for name in ("pagefind_bin_extended", "pagefind_bin"):
        try:
            found = [f"{name} {importlib.metadata.version(name)}"]
            break
        except importlib.metadata.PackageNotFoundError:
            continue
    found += sorted(f"{k}={v}" for k, v in os.environ.items() if k.startswith("PAGEFIND_"))
    for config in sorted(Path.cwd().glob("pagefind.*")):
        found.append(f"{config.name}:{hashlib.blake2b(config.read_bytes()).hexdigest()}")
    return "\n".join(found)


@contextlib.contextmanager
def indexing(site: Path, kept: Path | None = None, facts: FileFacts | None = None,
             into: str = BUNDLE):
    """Write the Pagefind index of the built `site` in another process while the body of the
    `with` runs (the sitemap is written meanwhile); leaving the `with` waits for it and
    finishes the bundle in `<site>/pagefind/` (or `<site>/<into>/`). A failure in the body
    stops Pagefind.

    With `kept` (a folder of the cache), a bundle made earlier from pages Pagefind reads the
    same is linked instead of indexing again (e.g. a rebuild after one request-register row,
    which changes figures in ignored parts only), and a new bundle is kept for the next build.
    `facts` remembers what Pagefind reads of each page between builds (`bundle_key`).
    """
    site = Path(site)
    bundle = site / into
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", into,
               "--force-language", LANGUAGE, "--glob", file_glob(site), "--silent"]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as said:
        # Pagefind starts at once; the key of a kept bundle is made meanwhile (a first build
        # parses every page for it), and Pagefind is stopped if that bundle can be reused.
        process = subprocess.Popen(command, stdout=said, stderr=subprocess.STDOUT, text=True)
        try:
            key = bundle_key(site, facts or FileFacts()) if kept else None
            if key and (Path(kept) / BUNDLES / key / "pagefind.js").is_file():
                process.kill()
                process.wait()
                shutil.rmtree(bundle, ignore_errors=True)
                shutil.copytree(Path(kept) / BUNDLES / key, bundle, copy_function=link_or_copy)
                yield
                return
            yield
        except BaseException:
            process.kill()
            process.wait()
            raise
        returncode = process.wait()
        said.seek(0)
        detail = said.read().strip().splitlines()
    if returncode != 0 or not (bundle / "pagefind.js").is_file():
        raise DataError([Problem(
            "pagefind", None, None, detail[-1] if detail else f"kode keluar {returncode}",
            "indeks pencarian tidak dapat dibuat; periksa bahwa pagefind[bin] terpasang "
            "(make setup)")])
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    make_filters_reproducible(bundle)
    if key:
        _keep(bundle, Path(kept) / BUNDLES, key)


def index_site(site: Path) -> Path:
    """Write the Pagefind index of the built site in `site`; return the bundle folder."""
    with indexing(site):
        pass
    return Path(site) / BUNDLE


BUNDLES = "indeks"  # under `kept`: the last bundle, by its key


def _keep(bundle: Path, folder: Path, key: str) -> None:
    """Keep a hard-linked copy of `bundle` as `folder/<key>`, the only bundle kept: a fresh
    `folder` is swapped in (`folders.replace_folder`). Keeping is housekeeping: if it fails,
    the next build indexes again, and this one goes on."""
    fresh = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-baru-", dir=folder.parent))
        shutil.copytree(bundle, fresh / key, copy_function=link_or_copy)
        replace_folder(folder, fresh)
    except OSError as exc:
        logger.warning("indeks pencarian tidak disimpan di cache: %s", exc)
        if fresh is not None:
            shutil.rmtree(fresh, ignore_errors=True)


# --- Reproducible filter files -----------------------------------------------------------------
# Pagefind 1.5 writes the values of a filter (our `jenis`) in hash-map order, which changes from
# run to run, so two builds of the same sources would differ in `filter/*.pf_filter`, in the
# `pf_meta` file that names it and in `pagefind-entry.json`. The files are gzipped CBOR behind
# a `pagefind_dcd` signature; below the value list is sorted and the files renamed after their
# new content. Anything unexpected (a future format) is left exactly as Pagefind wrote it.

_SIGNATURE = b"pagefind_dcd"


def _cbor_head(major: int, value: int) -> bytes:
    if value < 24:
        return bytes([major << 5 | value])
    for extra, size in ((24, 1), (25, 2), (26, 4), (27, 8)):
        if value < 1 << (8 * size):
            return bytes([major << 5 | extra]) + value.to_bytes(size, "big")
    raise ValueError(value)


def _cbor_decode(data: bytes, at: int = 0):
    """Decode the CBOR subset Pagefind uses (integers, strings, arrays); return (value, end)."""
    major, info = data[at] >> 5, data[at] & 31
    at += 1
    if info < 24:
        value = info
    elif info <= 27:
        size = 1 << (info - 24)
        value, at = int.from_bytes(data[at:at + size], "big"), at + size
    else:
        raise ValueError("unsupported CBOR item")
    if major == 0:
        return value, at
    if major in (2, 3):
        raw = data[at:at + value]
        return (raw.decode("utf-8") if major == 3 else raw), at + value
    if major == 4:
        items = []
        for _ in range(value):
            item, at = _cbor_decode(data, at)
            items.append(item)
        return items, at
    raise ValueError("unsupported CBOR item")


def _cbor_encode(value) -> bytes:
    if isinstance(value, bool):
        raise ValueError(value)
    if isinstance(value, int):
        return _cbor_head(0, value)
    if isinstance(value, str):
        raw = value.encode("utf-8")
        return _cbor_head(3, len(raw)) + raw
    if isinstance(value, bytes):
        return _cbor_head(2, len(value)) + value
    return _cbor_head(4, len(value)) + b"".join(_cbor_encode(v) for v in value)


def _read(path: Path):
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise ValueError(path)
    body = data[len(_SIGNATURE):]
    value, end = _cbor_decode(body)
    if end != len(body) or _cbor_encode(value) != body:
        raise ValueError(path)  # not the subset we understand: leave it alone
    return value


def _packed(value) -> bytes:
    return gzip.compress(_SIGNATURE + _cbor_encode(value), compresslevel=9, mtime=0)


def _hash_like(old: str, prefix: str, packed: bytes) -> str:
    """A content hash name as long as Pagefind's own (`id_1a2b3c4`)."""
    return f"{prefix}_{hashlib.sha256(packed).hexdigest()[:len(old) - len(prefix) - 1]}"


def make_filters_reproducible(bundle: Path) -> None:
    """Sort every filter's values and rename the filter and meta files after their content."""
    entry_path = bundle / "pagefind-entry.json"
    entry = json.loads(entry_path.read_text(encoding="utf-8"))
    for language, info in entry["languages"].items():
        meta_path = bundle / f"pagefind.{info['hash']}.pf_meta"
        try:
            meta = gzip.decompress(meta_path.read_bytes())
            filters = {}
            for path in sorted((bundle / "filter").glob(f"{language}_*.pf_filter")):
                name, values = _read(path)
                packed = _packed([name, sorted(values, key=lambda pair: pair[0])])
                filters[path] = (_hash_like(path.stem, language, packed), packed)
        except (ValueError, OSError, EOFError, IndexError, TypeError):
            continue  # an index we do not understand is published as Pagefind wrote it
        for path, (new, packed) in filters.items():
            meta = meta.replace(path.stem.encode(), new.encode())  # same length: CBOR stays valid
            path.unlink()
            path.with_name(f"{new}.pf_filter").write_bytes(packed)
        meta_packed = gzip.compress(meta, compresslevel=9, mtime=0)
        info["hash"] = _hash_like(info["hash"], language, meta_packed)
        meta_path.unlink()
        (bundle / f"pagefind.{info['hash']}.pf_meta").write_bytes(meta_packed)
    entry_path.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")),
                          encoding="utf-8")
