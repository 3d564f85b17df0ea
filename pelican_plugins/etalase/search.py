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

import concurrent.futures
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
from .pagecache import SEARCH_BUNDLE, FileFacts, built_pages, link_or_copy, link_tree

logger = logging.getLogger(__name__)

BUNDLE = SEARCH_BUNDLE  # "pagefind"
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


def indexed_files(site: Path, skip: tuple[str, ...] = NOT_INDEXED,
                  facts: FileFacts | None = None) -> list[str]:
    """The HTML files `file_glob` gives Pagefind, relative to `site` (with `facts`, from
    the one walk of the site that the sitemap uses too)."""
    if facts is not None:
        return facts.built_pages(site, lambda folder: _searched(folder, skip))
    return built_pages(site, lambda folder: _searched(folder, skip))


def indexed_digest(page: bytes) -> bytes:
    """A hash of what Pagefind can read of one page: the `data-pagefind-body` elements and
    every element with a `data-pagefind-*` attribute (filters, metadata), without the parts
    marked `data-pagefind-ignore="all"` (the whole page when it marks no body); and, from
    anywhere on the page, the `<title>`, every `<h1>` and every image's address and alt text,
    where Pagefind looks for a result's title and image. It may cover more than Pagefind
    reads (then an index is made again needlessly), never less: figures in an ignored part
    (a service page's performance box) may change without changing the index, and so may,
    inside the indexed part, the elements whose text Pagefind never indexes (`UNREAD`: the
    request form's example dates, as attributes), unless they hold a `data-pagefind-*`
    attribute. Of those, an element with an `id` still counts by its tag, id and text: Pagefind
    keeps each `id` inside the indexed part as an anchor with its text."""
    return _indexed(page)[0]


# Elements Pagefind leaves out of a page's text wherever they are (`REMOVE_SELECTORS` in its
# `fossick/parser.rs`, 1.x), but for `head`, where it finds a result's title.
UNREAD = ("style", "script", "noscript", "label", "form", "svg", "footer", "nav", "iframe",
          "template")
_UNREAD_IN_BODY = " | ".join(f"//*[@data-pagefind-body]//{name}" for name in UNREAD)
_MARKED_WITHIN = "descendant-or-self::*[@*[starts-with(name(), 'data-pagefind')]]"


def _indexed(page: bytes) -> tuple[bytes, bool]:
    """`indexed_digest`, and whether the page marks a `data-pagefind-body` (Pagefind leaves
    out the pages that do not), from one parse."""
    try:
        document = lxml.html.document_fromstring(page)
    except lxml.etree.ParserError:  # e.g. an empty file: its bytes are all there is
        return hashlib.blake2b(page, digest_size=20).digest(), False
    h = hashlib.blake2b(digest_size=20)
    for element in document.xpath("/html/head/title | //h1"):
        h.update(lxml.etree.tostring(element, encoding="unicode").encode() + b"\x00")
    for image in document.xpath("//img"):
        h.update(f"{image.get('src')}\x00{image.get('alt')}\x00".encode())
    for ignored in document.xpath('//*[@data-pagefind-ignore="all"]'):
        ignored.drop_tree()
    bodies = document.xpath("//*[@data-pagefind-body]")
    for unread in document.xpath(_UNREAD_IN_BODY) if bodies else []:
        if not unread.xpath(_MARKED_WITHIN):
            for anchor in unread.xpath("descendant-or-self::*[@id]"):
                h.update(f"{anchor.tag}#{anchor.get('id')}\x00".encode())
                h.update("".join(anchor.itertext()).encode() + b"\x00")
            unread.drop_tree()
    marked = document.xpath("//*[@*[starts-with(name(), 'data-pagefind')]]")
    for element in (bodies + marked) if bodies else [document]:
        h.update(lxml.etree.tostring(element, encoding="unicode").encode() + b"\x00")
    return h.digest(), bool(bodies)


def page_digests(site: Path, facts: FileFacts, pages: list[str] | None = None
                 ) -> dict[str, tuple[str, bool]]:
    """What Pagefind reads of each indexed page (`indexed_digest`, in hex) and whether it
    marks a `data-pagefind-body`, by path relative to the site; `facts` remembers both for
    pages an earlier build read, so a rebuild parses only the pages it wrote anew. `pages`:
    the site's `indexed_files`, when the caller has them."""
    def read(path: str) -> tuple[str, bool]:
        with open(path, "rb") as fh:
            digest, body = _indexed(fh.read())
        return digest.hex(), body

    if pages is None:
        pages = indexed_files(site, facts=facts)
    return facts.pages(site, pages, "pencarian", read)


def setup_key() -> str:
    """What decides how any page is indexed: Pagefind's version and configuration and this
    module's code (which pages, which language)."""
    h = hashlib.blake2b(digest_size=20)
    h.update(_pagefind_version().encode() + b"\x00")
    h.update(Path(__file__).read_bytes())
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


# --- Incremental indexing -----------------------------------------------------------------------
# Pagefind has no incremental mode: indexing a province's 10 000 service pages takes 10-12 s
# however few changed. With the cache on (the preview), the last full index is kept as the
# *base*, with what Pagefind read of each page and the id it gave the page. A rebuild in which
# few pages read differently links the base and indexes only those pages into a small second
# index inside it (`tambahan/`, Pagefind given a folder of those pages alone: `_only`);
# `tambahan.json` names that index and the base's ids of the pages it replaces (or that are
# gone). The search page merges the two (Pagefind's `mergeIndex`) and drops the replaced
# results. Published builds (cache off) always make one whole index.

OVERLAY = "tambahan"            # the second index, inside the bundle
OVERLAY_INFO = "tambahan.json"  # in every bundle: {"tambahan": folder or null, "diganti": ids}
BASE = "dasar"                  # under `kept`/BUNDLES: the base bundle, and `dasar.json`


def overlay_limit(pages: int) -> int:
    """How many changed pages a second index may hold before everything is indexed again
    (results from the base then carry less and less stale text in their word statistics)."""
    return max(20, pages // 20)


def _url(path: str) -> str:
    """The address Pagefind gives a page at `path` (relative to the site)."""
    return "/" + (path[:-len("index.html")] if path.endswith("index.html") else path)


def _page_ids(bundle: Path) -> dict[str, str]:
    """Pagefind's id of each page in `bundle` (its fragment's name), by page address."""
    ids = {}
    for fragment in (bundle / "fragment").glob("*.pf_fragment"):
        data = gzip.decompress(fragment.read_bytes())
        if data.startswith(_SIGNATURE):
            ids[json.loads(data[len(_SIGNATURE):])["url"]] = fragment.stem
    return ids


def _write_info(bundle: Path, overlay: str | None, replaced: list[str]) -> None:
    info = bundle / OVERLAY_INFO
    info.unlink(missing_ok=True)  # may be a link into the cache
    info.write_text(json.dumps({"tambahan": overlay and f"{overlay}/", "diganti": replaced},
                               separators=(",", ":")), encoding="utf-8")


def _base(kept: Path, setup: str) -> tuple[Path, dict] | None:
    """The kept base bundle and its pages ({path: [digest, id]}), if made by the same setup."""
    try:
        manifest = json.loads((kept / BUNDLES / f"{BASE}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    folder = kept / BUNDLES / BASE
    if manifest.get("setup") != setup or not (folder / "pagefind.js").is_file():
        return None
    return folder, manifest["pages"]


def _changes(base_pages: dict, pages: dict[str, tuple[str, bool]]
             ) -> tuple[list[str], list[str]] | None:
    """The pages to index again and the base's pages that are gone, or None when too many
    changed."""
    changed = sorted(p for p, (d, _) in pages.items() if base_pages.get(p, [None])[0] != d)
    gone = sorted(set(base_pages) - set(pages))
    if len(changed) + len(gone) > overlay_limit(len(pages)):
        return None
    return changed, gone


def _start_pagefind(site: Path, into: Path, glob: str, said) -> subprocess.Popen:
    """Start Pagefind on the pages of `site` that `glob` matches, writing its bundle to
    `into`."""
    command = [*_pagefind_command(), "--site", str(site), "--output-path", str(into),
               "--force-language", LANGUAGE, "--glob", glob, "--silent"]
    try:
        return subprocess.Popen(command, stdout=said, stderr=subprocess.STDOUT, text=True)
    except OSError as exc:  # e.g. PAGEFIND_BINARY_PATH names no program
        raise _failed(f"{exc.strerror or exc}: {command[0]}") from None


def _failed(detail: str) -> DataError:
    return DataError([Problem(
        "pagefind", None, None, detail,
        "indeks pencarian tidak dapat dibuat; periksa bahwa pagefind[bin] terpasang "
        "(make setup)")])


def _pagefind_command() -> tuple[str, ...]:
    """How Pagefind is run: its binary, as the Python wrapper `python -m pagefind` finds it,
    without the 0.09 s the wrapper's own interpreter takes to start (or the wrapper itself,
    which says what is missing, when it is not installed as it should be)."""
    try:
        from pagefind.service import get_executable

        found = get_executable()
    except ImportError:
        found = None
    return (str(found),) if found else (sys.executable, "-m", "pagefind")


@contextlib.contextmanager
def _scratch(site: Path, name: str):
    """A new hidden folder in `site`, removed on leaving unless it was renamed meanwhile: no
    list of the site's pages looks into a hidden folder, nor does Pagefind's `--glob`."""
    folder = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=site))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _only(site: Path, pages: list[str]):
    """A folder holding only `pages` of `site` (relative paths, hard links where the file
    system allows): Pagefind walks every folder of the site it is given, even with a `--glob`
    naming a few pages, and that walk over 20 000 folders took 0.35 s of a rebuild's 0.02 s
    of indexing its changed pages. Their paths, and so their URLs, are those of the site."""
    with _scratch(site, "halaman") as folder:
        for page in pages:
            target = folder / page
            target.parent.mkdir(parents=True, exist_ok=True)
            link_or_copy(site / page, target)
        yield folder


@contextlib.contextmanager
def indexing(site: Path, kept: Path | None = None, facts: FileFacts | None = None,
             into: str = BUNDLE):
    """Write the Pagefind index of the built `site` in another process while the body of the
    `with` runs (the sitemap is written meanwhile); leaving the `with` waits for it and
    finishes the bundle in `<site>/pagefind/` (or `<site>/<into>/`). A failure in the body
    stops Pagefind.

    With `kept` (a folder of the cache), the base index kept there is reused when few pages
    read differently (the incremental indexing above): as it is when none do (e.g. a rebuild
    after one request-register row, which changes figures in ignored parts only), with a
    second index of the changed pages otherwise. A new whole index becomes the next base.
    `facts` remembers what Pagefind reads of each page between builds (`page_digests`).
    """
    site = Path(site)
    bundle = site / into
    facts = facts or FileFacts()
    overlay = None  # (changed pages, gone pages, base pages) when only these are indexed
    copying = concurrent.futures.ThreadPoolExecutor(1)  # linking the base's 10 000 files
    copied = None
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as said, copying, \
            contextlib.ExitStack() as scratch:  # (left once Pagefind is waited for)
        setup = setup_key() if kept else None
        base = kept and _base(Path(kept), setup)
        listed = indexed_files(site, facts=facts) if kept else []
        process = spare = None

        def link_base() -> None:
            # The base's files are linked into a hidden folder of the site, which becomes the
            # bundle once Pagefind is done.
            nonlocal spare, copied
            spare = scratch.enter_context(_scratch(site, into))
            copied = copying.submit(link_tree, base[0], spare)

        try:
            if base and facts.unread(site, listed, "pencarian") <= overlay_limit(len(listed)):
                # Few pages read anew, so the base most likely does: its 10 000 files are
                # linked at once (0.17 s of the kernel's time) while the pages are compared
                # with it, and Pagefind starts on the whole site only if it does not.
                link_base()
            else:
                # Pagefind starts on the whole site at once; meanwhile the pages are compared
                # with the kept base (a first build parses every page for it), and Pagefind is
                # stopped if the base can be used after all.
                process = _start_pagefind(site, bundle, file_glob(site), said)
            pages = page_digests(site, facts, listed) if kept else {}
            plan = base and _changes(base[1], pages)
            if plan is None and spare:  # the base does not do after all
                copied.result()
                copied = None
                process = _start_pagefind(site, bundle, file_glob(site), said)
            elif plan is not None:
                if process:
                    process.kill()
                    process.wait()
                    link_base()
                changed, gone = plan
                indexed = [p for p in changed if pages[p][1]]
                # The second index is written apart, and put into the bundle once the base
                # is linked (if linking fails half way, its folder is emptied and copied).
                second = scratch.enter_context(_scratch(site, OVERLAY)) / OVERLAY
                process = _start_pagefind(
                    scratch.enter_context(_only(site, indexed)), second, "**/*.html",
                    said) if indexed else None
                overlay = (changed, gone, base[1])
            yield
            if copied:
                copied.result()
        except BaseException:
            if process:
                process.kill()
                process.wait()
            if copied:  # before its folder is removed
                concurrent.futures.wait([copied])
            raise
        returncode = process.wait() if process else 0
        said.seek(0)
        detail = said.read().strip().splitlines()
        if overlay and returncode == 0:
            shutil.rmtree(bundle, ignore_errors=True)  # what Pagefind had begun, if anything
            os.rename(spare, bundle)
            if second.is_dir():
                os.rename(second, bundle / OVERLAY)
    made = bundle / OVERLAY if overlay else bundle
    if process and (returncode != 0 or not (made / "pagefind.js").is_file()):
        raise _failed(detail[-1] if detail else f"kode keluar {returncode}")
    if overlay:
        changed, gone, base_pages = overlay
        if not changed and not gone:  # the very base: its files as they were kept
            return
        fresh = set()
        if process:
            _tidy(made)
            fresh = set(_page_ids(made).values())
        replaced = sorted({base_pages[p][1] for p in changed + gone
                           if base_pages.get(p, [None, None])[1]} - fresh)
        _write_info(bundle, OVERLAY if process else None, replaced)
        return
    _tidy(bundle)
    _write_info(bundle, None, [])
    if kept:
        ids = _page_ids(bundle)  # pages without `data-pagefind-body` have none
        # Every page with a body, and only those, has an id; else (a format we do not read,
        # a theme without `data-pagefind-body`) no base is kept and every build indexes all.
        if set(ids) == {_url(p) for p, (_, body) in pages.items() if body}:
            _keep(bundle, Path(kept) / BUNDLES, {
                "setup": setup,
                "pages": {p: [d, ids.get(_url(p))] for p, (d, _) in pages.items()}})


def _tidy(bundle: Path) -> None:
    """Leave out the interfaces we do not publish; make the filter files reproducible."""
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    make_filters_reproducible(bundle)


def index_site(site: Path) -> Path:
    """Write the Pagefind index of the built site in `site`; return the bundle folder."""
    with indexing(site):
        pass
    return Path(site) / BUNDLE


BUNDLES = "indeks"  # under `kept`: the base bundle and what it was made from


def _keep(bundle: Path, folder: Path, manifest: dict) -> None:
    """Keep a hard-linked copy of `bundle` as the base (`folder/dasar`, with `dasar.json`),
    the only bundle kept: a fresh `folder` is swapped in (`folders.replace_folder`). Keeping
    is housekeeping: if it fails, the next build indexes again, and this one goes on."""
    fresh = None
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(prefix=f".{folder.name}-baru-", dir=folder.parent))
        (fresh / BASE).mkdir()
        link_tree(bundle, fresh / BASE)
        (fresh / f"{BASE}.json").write_text(json.dumps(manifest, separators=(",", ":")),
                                            encoding="utf-8")
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
