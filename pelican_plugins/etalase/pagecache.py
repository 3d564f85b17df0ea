"""Content-hash cache for pages and dataset downloads, so a rebuild renders only what changed.

Every page is keyed by the hash of everything it is made from: the templates and plugin code,
the site-wide template variables, the output path and the page's own context, walked value by
value (`fingerprint`), or the `inputs` a page declares instead (`site.Page`). Every
dataset's downloads are keyed by the hash of its rows (or their `origin`) and metadata.
Output is stored under `.cache/etalase/` by key; a later build whose key is found
links (or copies) the stored file into its fresh output folder instead of rendering it again,
so the result is byte-identical to a full build. Values the walker cannot hash reliably (an
object without a stable form, a reference cycle) make the page uncacheable: it is simply
rendered every time. Entries no build used are removed at the end of each build.

Source tables are cached too (`Tables`): the frame that reading and validating a file gave,
and the problems found, keyed by the file's bytes, its Table Schema and the plugin code, so
a rebuild does not parse and validate two million unchanged register rows again. So are the
results a section computes from them (`Tables.result_key`: the statistics of every register),
keyed by the keys of those tables and whatever else the computation reads.

Templates may read from the site-wide `etalase` variable only what the site-wide key covers:
each dataset's download links (`etalase.datasets[id]`: its id, title and formats, the
`DownloadIndex` fingerprint) and the menu. Anything else a page shows must come through its
page context; `tests/test_pagecache.py` checks every template for it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import decimal
import fractions
import hashlib
import io
import json
import marshal
import os
import pickle
import shutil
import subprocess
import time
import types
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

VERSION = b"etalase-pagecache-2"


class Unhashable(Exception):
    """A value with no stable fingerprint: the page is rendered without the cache."""


class Fingerprinter:
    """Stable hashes of template variables. One per build: objects are remembered by id, so
    a provider shared by fifty pages is walked once (nothing is changed while pages render)."""

    def __init__(self):
        self._memo: dict[int, bytes] = {}
        self._keep: list = []  # keep memoised objects alive so their ids are not reused
        self._busy: set[int] = set()

    def digest(self, value, prefix: bytes = b"") -> bytes:
        """The hash of `prefix` (bytes taken as they are) followed by `value`."""
        h = hashlib.blake2b(prefix, digest_size=20)
        self._feed(h, value)
        return h.digest()

    def prepare(self, objects) -> None:
        """Hash each of `objects` now, so that processes forked later find them remembered
        instead of each hashing them again."""
        for value in objects:
            self._object(value)

    def _feed(self, h, value) -> None:
        known = self._memo.get(id(value))
        if known is not None:  # an object hashed before (a service shown on 40 pages): its id
            h.update(known)  # is its own while `_keep` holds it
            return
        kind = type(value)
        if isinstance(value, str):  # the commonest value, and often long (SVG charts): no repr()
            if kind is not str:  # e.g. Markup, which templates do not escape
                h.update(f"\x01{kind.__module__}.{kind.__qualname__}\x00".encode())
            data = value.encode("utf-8", "surrogatepass")
            h.update(b"s%d:" % len(data))
            h.update(data)
            return
        if kind is dict or kind is list or kind is tuple:
            # Plain data (records, rows) in C: marshal refuses objects, dates and str
            # subclasses such as Markup, and writes numpy values as bare bytes, which the
            # round trip below catches; all of these are walked instead. Version 2 has no
            # back-references, so equal values give equal bytes.
            try:
                data = marshal.dumps(value, 2)
                plain = marshal.loads(data) == value
            except ValueError:
                plain = False
            if plain:
                h.update(b"m%d:" % len(data))
                h.update(data)
                return
        if value is None or isinstance(value, (bool, int, float, str, bytes, decimal.Decimal, fractions.Fraction,
                                               dt.date, dt.time, dt.timedelta, np.generic)):
            h.update(type(value).__name__.encode())
            h.update(repr(value).encode())
            h.update(b"\x00")
        elif isinstance(value, (pd.Timestamp, pd.Timedelta)) or value is pd.NaT or \
                value is pd.NA:
            h.update(repr(value).encode() + b"\x00")
        elif isinstance(value, dict) and kind is not dict and hasattr(value, "fingerprint"):
            h.update(self._object(value))  # a mapping that says what it depends on
        elif isinstance(value, dict):
            h.update(b"{")
            for key, item in value.items():
                self._feed(h, key)
                self._feed(h, item)
            h.update(b"}")
        elif isinstance(value, (list, tuple)):
            h.update(b"[")
            for item in value:
                self._feed(h, item)
            h.update(b"]")
        elif isinstance(value, (set, frozenset)):
            h.update(b"(")
            for part in sorted(self.digest(item) for item in value):
                h.update(part)
            h.update(b")")
        elif isinstance(value, (types.FunctionType, types.BuiltinFunctionType, type,
                                types.ModuleType)):
            name = value.__name__ if isinstance(value, types.ModuleType) else \
                f"{getattr(value, '__module__', '')}.{value.__qualname__}"
            h.update(name.encode())
        elif isinstance(value, types.MethodType):
            self._feed(h, value.__func__)
            self._feed(h, value.__self__)
        else:
            h.update(self._object(value))

    def _object(self, value) -> bytes:
        key = id(value)
        if key in self._memo:
            return self._memo[key]
        if key in self._busy:
            raise Unhashable(f"reference cycle through {type(value).__name__}")
        self._busy.add(key)
        try:
            h = hashlib.blake2b(digest_size=20)
            h.update(f"{type(value).__module__}.{type(value).__qualname__}".encode())
            if hasattr(value, "fingerprint"):
                self._feed(h, value.fingerprint())
            elif isinstance(value, (pd.DataFrame, pd.Series)):
                try:
                    h.update(_frame_digest(value))
                except TypeError as exc:  # cells pandas cannot hash, e.g. lists
                    raise Unhashable(str(exc)) from None
            elif isinstance(value, Path):
                h.update(str(value).encode())
            elif dataclasses.is_dataclass(value):
                for f in dataclasses.fields(value):
                    self._feed(h, f.name)
                    self._feed(h, getattr(value, f.name))
            elif hasattr(value, "__dict__") and type(value).__repr__ is object.__repr__:
                self._feed(h, vars(value))
            else:
                raise Unhashable(f"no stable form for {type(value).__name__}")
            digest = h.digest()
        finally:
            self._busy.discard(key)
        self._memo[key] = digest
        self._keep.append(value)
        return digest


def frame_digest(frame) -> str:
    """A hash of a table's columns, types and rows (hex), e.g. for `Dataset.origin`."""
    return _frame_digest(frame).hex()


def row_values(frame: pd.DataFrame) -> list[tuple]:
    """Each row of `frame` as a tuple of Python objects, None for blanks. Made a column at a
    time: pandas' `to_dict("records")` boxes each value on its own (3x slower)."""
    columns = []
    for name in frame.columns:
        column = frame[name]
        values = column.astype(object)
        if column.hasnans:
            values = values.where(column.notna(), None)
        columns.append(values.tolist())
    return list(zip(*columns))


def row_digests(frame: pd.DataFrame, rows: list[tuple] | None = None) -> list[str]:
    """A hash of each row of `frame` (with the table's columns and types); `rows`, its
    `row_values` when the caller has them. Each row is pickled without the memo, so equal
    values give equal bytes whatever objects hold them, and hashed with SHA-1: 0.06 s for
    10 000 services, against 0.13 s for two of pandas' row hashes. A page that shows a row
    depends on this, not on walking the row's values (0.03 ms a row, on every page
    worker)."""
    head = row_digest_head(frame)
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=5)
    pickler.fast = True  # no memo: the bytes depend on the values alone
    digests = []
    for row in row_values(frame) if rows is None else rows:
        buffer.seek(0)
        buffer.truncate()
        pickler.dump(row)
        digests.append(head + hashlib.sha1(buffer.getbuffer(), usedforsecurity=False).hexdigest())
    return digests


def row_digest_head(frame: pd.DataFrame) -> str:
    """What every `row_digests` of `frame` starts with: a hash of its columns and types."""
    return hashlib.blake2b(repr((list(frame.columns), [str(t) for t in frame.dtypes])).encode(),
                           digest_size=8).hexdigest()


def row_hash_numbers(digests: list[str]) -> np.ndarray:
    """`row_digests` as one uint64 a row (the first 64 bits of each row's SHA-1), the form of
    `Dataset.row_hashes`."""
    return np.array([int(d[-40:-24], 16) for d in digests], dtype=np.uint64)


def _frame_digest(frame) -> bytes:
    h = hashlib.blake2b(digest_size=20)
    if isinstance(frame, pd.Series):
        frame = frame.to_frame()
    h.update(repr(list(frame.columns)).encode())
    h.update(repr([str(t) for t in frame.dtypes]).encode())
    h.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return h.digest()


def tree_digest(*folders: Path, suffixes: tuple[str, ...] = (".html", ".py", ".json")) -> bytes:
    """Hash of the names and bytes of every file with one of `suffixes` under `folders`."""
    h = hashlib.blake2b(digest_size=20)
    h.update(VERSION)
    for folder in folders:
        for path in sorted(Path(folder).rglob("*")):
            if path.is_file() and path.suffix in suffixes and "__pycache__" not in path.parts:
                h.update(str(path.relative_to(folder)).encode() + b"\x00")
                h.update(path.read_bytes())
    return h.digest()


# The libraries whose versions can change a download's bytes: a Parquet file names its writer
# and pandas, and their compression or a workbook's XML may change between releases.
WRITER_LIBRARIES = ("pandas", "xlsxwriter", "fastparquet", "cramjam")


def writer_versions() -> bytes:
    """The versions of WRITER_LIBRARIES, for the key of every stored download."""
    import importlib.metadata

    return repr([importlib.metadata.version(name) for name in WRITER_LIBRARIES]).encode()


class Store:
    """Files stored by key under `folder`; `place` puts a stored file at a new path."""

    def __init__(self, folder: Path, salt: bytes = b""):
        self.folder = Path(folder)
        self._folder_text = str(self.folder)
        self.salt = salt  # the hash of the code that makes the stored files
        self.used: set[str] = set()

    def _path(self, key: str) -> str:
        # a plain string: a rebuild places 20 000 pages, and pathlib's joins cost more than
        # the link itself
        return os.path.join(self._folder_text, key[:2], key)

    def place(self, key: str, target: Path | str) -> bool:
        """Put the stored file `key` at `target`, making its folder if needed; False when
        there is none."""
        source = self._path(key)
        try:
            # Most folders are there already (recycled, folders.py): linking first spares a
            # rebuild a `stat` of each of 20 000 page folders.
            link_or_copy(source, target)
        except FileNotFoundError:
            if not os.path.exists(source):
                return False
            os.makedirs(os.path.dirname(target), exist_ok=True)
            link_or_copy(source, target)
        self.used.add(key)
        return True

    def keep(self, key: str, made: Path) -> None:
        """Store the freshly written file `made` under `key`."""
        target = Path(self._path(key))
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        link_or_copy(made, temporary)
        os.replace(temporary, target)
        self.used.add(key)

    def stored(self, key: str) -> str | None:
        """The path of the stored file `key` (to read, never to change), or None."""
        path = self._path(key)
        return path if os.path.exists(path) else None

    def keep_text(self, key: str, text: str) -> None:
        """Store `text` (UTF-8) as the file `key`, replacing what was stored under it."""
        target = Path(self._path(key))
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.{os.getpid()}")
        temporary.write_text(text, encoding="utf-8")
        os.replace(temporary, target)
        self.used.add(key)

    def prune(self) -> None:
        """Remove every stored file this build did not use. (With names, not `Path`s: a
        rebuild lists 20 000 pages here, 0.05 s with pathlib.)"""
        if not self.folder.exists():
            return
        with os.scandir(self.folder) as subs:
            folders = [sub.path for sub in subs if sub.is_dir(follow_symlinks=False)]
        for folder in folders:
            for name in set(os.listdir(folder)) - self.used:
                try:
                    os.unlink(os.path.join(folder, name))
                except FileNotFoundError:
                    pass


def link_or_copy(source: Path | str, target: Path | str) -> None:
    """A hard link when the file system allows it (output files are never edited in place,
    only replaced), else a copy."""
    try:
        os.link(source, target)
    except FileNotFoundError:
        raise
    except OSError:
        shutil.copyfile(source, target)


def link_tree(source: Path | str, target: Path | str) -> None:
    """Make the empty folder `target` a copy of `source` whose files are hard links (or copies,
    `link_or_copy`): with GNU cp (`cp -al`), in a process of its own, as a thread of the build
    gets Python's lock only between the build's own steps (a search index's 10 000 links took
    the 0.17 s they need only once the sitemap was written); else with `shutil.copytree`."""
    try:
        subprocess.run(["cp", "-al", "--", f"{source}/.", os.fspath(target)], check=True,
                       capture_output=True)
        return
    except (OSError, subprocess.SubprocessError):  # no GNU cp, or no hard links here
        shutil.rmtree(target, ignore_errors=True)  # a file half linked is not written over
        os.mkdir(target)
    shutil.copytree(source, target, copy_function=link_or_copy, dirs_exist_ok=True)


class Cache:
    """The page and download stores of one build, and the hash of the code that renders.

    Downloads are made by the plugin's code alone: given `download_code` (its folders), they
    are keyed by that code, so an edit to a template renders the pages again but does not
    write every download again (reading the computed tables' rows for it)."""

    def __init__(self, folder: Path, code_folders: list[Path],
                 download_code: list[Path] | None = None):
        self.folder = Path(folder)
        self.code = tree_digest(*code_folders)
        self.pages = Store(self.folder / "halaman", self.code)
        self.downloads = Store(self.folder / "unduhan", self.code if download_code is None
                               else tree_digest(*download_code) + writer_versions())

    def prune(self) -> None:
        self.pages.prune()
        self.downloads.prune()


_PAGE_KEYS: dict[str, dict[str, str]] = {}  # the last build's site folder → its page keys


def hand_over_page_keys(site: Path, keys: dict[str, str]) -> None:
    """Leave the cache key of every page just written into `site` (by its path there) for
    what reads the finished site in this process (`FileFacts.keyed`); only the last build's
    are kept."""
    _PAGE_KEYS.clear()
    _PAGE_KEYS[os.path.realpath(site)] = dict(keys)


class FileFacts:
    """What was found by reading a built file (a page's sitemap URL, what the search index
    reads of it), remembered from one build to the next by the file's identity: device,
    inode, size and modification time, as git's index remembers files. Pages linked from the
    page store keep their inode, so a rebuild reads only the pages it wrote anew; the pages
    of the build that just ran are known by their cache key instead (`keyed`, `pages`).
    `FileFacts(None)` remembers nothing between builds (the cache is off)."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else None
        # (kind, detail, file identity) → fact, and (kind, detail) → {page key → fact}:
        # what earlier builds found, and what this one used
        self.known: dict = {}
        self.known_pages: dict = {}
        self.used: dict = {}
        self.used_pages: dict = {}
        # What this object saw, looked at once for all who ask (the sitemap and the search
        # key): the pages of a built site, and each file's identity. An object serves one
        # build step, during which the files it is asked about do not change (a finished
        # site; the sources, each hashed once per build).
        self._walks: dict[str, list[str]] = {}
        self._stats: dict[str, os.stat_result] = {}
        self._keys: dict[str, dict[str, str]] = {}  # site → {page → the key of its bytes}
        if self.path:
            try:
                with open(self.path, "rb") as fh:
                    files, pages = pickle.load(fh)
                if isinstance(files, dict) and isinstance(pages, dict):
                    self.known, self.known_pages = files, pages
            except Exception:  # noqa: BLE001 (missing or damaged: files are read again)
                pass

    SETTLED_NS = 2_000_000_000  # a file changed this recently may change again unseen

    def get(self, file: Path, kind: str, find, detail=None, settled: bool = False):
        """`find(file)`, or what it gave for this very file in this or an earlier build.
        `kind` names the fact ("sitemap", "pencarian"); `detail`, whatever else it depends on
        (e.g. the site address). With `settled` (files other programs write, such as the
        sources staff save), a file modified in the last seconds is read again next time: it
        may change again within the same time stamp."""
        name = os.fspath(file)
        st = self._stats.get(name)
        if st is None:
            st = self._stats[name] = os.stat(name)
        key = (kind, detail, *_identity(st))
        if key not in self.used:
            if key in self.known:
                self.used[key] = self.known[key]
            elif settled and time.time_ns() - st.st_mtime_ns < self.SETTLED_NS:
                return find(file)
            else:
                self.used[key] = find(file)
        return self.used[key]

    def know(self, kind: str, identity: tuple, value, detail=None) -> None:
        """Take `value` as what `get` would find for the file with `identity`
        (`file_identity`: e.g. another process wrote the file and read it): a `get` of that
        file, unchanged, gives it without reading the file."""
        self.used[(kind, detail, *identity)] = value

    def pages(self, site: Path, pages: list[str], kind: str, find, detail=None) -> dict:
        """{page: `find(path)`} for `pages` (paths relative to `site`), or what it gave for
        the same page before. A page the build just wrote into `site` (`keyed`) is known by
        its cache key alone, which decides its bytes: one look each (20 000 pages in 0.01 s,
        against 0.1 s through `get`); any other file by its identity (`get`)."""
        root = os.fspath(site)
        keys = self._keys.get(root, {})
        known = self.known_pages.get((kind, detail), {})
        used = self.used_pages.setdefault((kind, detail), {})
        found = {}
        for page in pages:
            key = keys.get(page)
            if key is None:
                found[page] = self.get(os.path.join(root, page), kind, find, (detail, page))
            elif key in used:
                found[page] = used[key]
            else:
                found[page] = used[key] = known[key] if key in known else find(
                    os.path.join(root, page))
        return found

    def unread(self, site: Path, pages: list[str], kind: str, detail=None) -> int:
        """How many of `pages` `self.pages` would read (`find`): those of the build just
        keyed whose key gave no such fact before, and the other files (not looked at)."""
        keys = self._keys.get(os.fspath(site), {})
        known = self.known_pages.get((kind, detail), {})
        used = self.used_pages.get((kind, detail), {})
        return sum(1 for page in pages
                   if (key := keys.get(page)) is None or (key not in known and key not in used))

    def keyed(self, site: Path) -> None:
        """Know each page the build just wrote into `site` by its cache key
        (`hand_over_page_keys`), as the page store does: the facts of a page are then
        remembered by that key (`pages`), without a look at its file (20 000 at national
        scale)."""
        self._keys[os.fspath(site)] = _PAGE_KEYS.get(os.path.realpath(site), {})

    def walked(self, site: Path, pages: list[str]) -> None:
        """Take `pages` as what `built_pages(site)` would find (the caller just walked it)."""
        self._walks[os.fspath(site)] = [page for page in pages if _listed(page)]

    def built_pages(self, site: Path, searched=lambda folder: True) -> list[str]:
        """`built_pages(site, searched)`, from one walk of the site for every caller."""
        root = os.fspath(site)
        if root not in self._walks:
            self._walks[root] = built_pages(site, _holds_pages)
        allowed = {"": True}

        def shown(folder: str) -> bool:
            if folder not in allowed:
                parent = folder.rpartition("/")[0]
                allowed[folder] = shown(parent) and searched(folder)
            return allowed[folder]

        return [page for page in self._walks[root] if shown(page.rpartition("/")[0])]

    def save(self) -> None:
        """Keep the facts of this build's files, and those of kinds it did not look at (the
        preview writes the sitemap and the search index in two steps)."""
        if not self.path:
            return
        looked = {key[0] for key in self.used} | {key[0] for key in self.used_pages}
        files = {k: v for k, v in self.known.items() if k[0] not in looked} | self.used
        pages = {k: v for k, v in self.known_pages.items() if k[0] not in looked} | \
            self.used_pages
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f".{self.path.name}.{os.getpid()}")
        with open(temporary, "wb") as fh:
            pickle.dump((files, pages), fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.path)


def file_identity(path: Path | str) -> tuple[int, int, int, int]:
    """What `FileFacts` knows a file by: device, inode, size and modification time."""
    return _identity(os.stat(path))


def _identity(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


SEARCH_BUNDLE = "pagefind"  # the search index (search.BUNDLE): no pages in it


def _holds_pages(folder: str) -> bool:
    """False for the folders of a built site that no list of its pages looks into: the
    search bundle and hidden folders (a search bundle being made)."""
    return folder != SEARCH_BUNDLE and not folder.rpartition("/")[2].startswith(".")


def _listed(page: str) -> bool:
    """Whether `built_pages` lists `page` (a path relative to the site): none of its folders
    is one `_holds_pages` refuses."""
    folders = page.rpartition("/")[0]
    return not (folders == SEARCH_BUNDLE or folders.startswith(SEARCH_BUNDLE + "/")
                or "/." in "/" + folders)


def built_pages(site: Path, searched=lambda folder: True) -> list[str]:
    """The HTML files of the built `site`, as paths relative to it ("layanan/x/index.html"),
    each folder's files in name order before its subfolders', leaving out the folders whose
    relative path `searched` refuses (and all below them). Plain strings, read with
    `os.scandir`: a national site has 30 000 files, and pathlib's walk took half a second."""
    root = os.fspath(site)
    found: list[str] = []

    def visit(folder: str, prefix: str) -> None:
        files, folders = [], []
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
                elif entry.name.endswith(".html"):
                    files.append(entry.name)
        found.extend(prefix + name for name in sorted(files))
        for name in sorted(folders):
            if searched(prefix + name):
                visit(os.path.join(folder, name), f"{prefix}{name}/")

    visit(root, "")
    return found


def project_root(settings: dict) -> Path:
    """The project folder (ETALASE_ROOT, else the parent of Pelican's content PATH)."""
    return Path(settings.get("ETALASE_ROOT", Path(settings["PATH"]).parent))


def cache_folder(settings: dict, root: Path) -> Path | None:
    """Where the cache lives (ETALASE_CACHE_PATH, default .cache/etalase), or None when
    ETALASE_CACHE is off."""
    if not settings.get("ETALASE_CACHE", False):
        return None
    return Path(settings.get("ETALASE_CACHE_PATH", Path(root) / ".cache" / "etalase"))


class Tables:
    """Read-and-validated source tables by the hash of their file, schema and code, and
    results computed from them by the hash of their inputs and the code."""

    CONTENTS = ".isi.pickle"  # hashes of source files by their identity (not pruned)
    # The computed results of the last build of this process, by key: the preview server
    # builds again in the same process, and a national site's statistics take 0.9 s to
    # unpickle. Results are never changed once made (`Site.computed`). Only a build using the
    # same cache folder takes them: what it takes from memory is not written to its folder.
    _last_results: dict[str, Any] = {}
    _last_folder: Path | None = None

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.code = tree_digest(Path(__file__).parent) + pd.__version__.encode()
        self.used: set[str] = set()
        self.results: dict[str, Any] = {}  # the computed results of this build, by key
        self.hashed: dict[Path, tuple[int, int]] = {}  # source file → (size, mtime) hashed
        self._contents = FileFacts(self.folder / self.CONTENTS)

    def key(self, path: Path, display: str, table_schema: dict) -> str:
        h = hashlib.blake2b(self.code, digest_size=20)
        h.update(display.encode() + b"\x00")
        h.update(json.dumps(table_schema, sort_keys=True).encode() + b"\x00")
        h.update(self._content(Path(path)))
        return h.hexdigest()

    def _content(self, path: Path) -> bytes:
        """A hash of the file's bytes, remembered between builds by the file's identity
        (`FileFacts`): the 2 M-row register and the other large sources are not read again
        when unchanged."""
        st = os.stat(path)
        # as first seen: what is stored later must still match it (`put`)
        self.hashed.setdefault(path, (st.st_size, st.st_mtime_ns))

        def digest(file: Path) -> bytes:
            # SHA-256, which OpenSSL computes with the processor's SHA instructions: 23 ms
            # for the 40 MB service table, against 56 ms for BLAKE2b
            with open(file, "rb") as fh:
                return hashlib.file_digest(fh, "sha256").digest()

        return self._contents.get(path, "sha256", digest, settled=True)

    def result_key(self, name: str, inputs) -> str:
        """The key of a computed result: its name, the plugin code and `inputs`, plain values
        (or objects with a `fingerprint()`) that together decide the result."""
        h = hashlib.blake2b(self.code, digest_size=20)
        h.update(name.encode() + b"\x00")
        h.update(Fingerprinter().digest(inputs))
        return h.hexdigest()

    def result(self, key: str):
        """The computed result stored under `key` (`put_result`), or None; from memory when
        the last build of this process had it."""
        value = self._remembered().get(key)
        if value is None:
            value = self.get(key)
        else:
            self.used.add(key)
        if value is not None:
            self.results[key] = value
        return value

    def put_result(self, key: str, value, stored=None) -> bool:
        """Store `value` under `key` (or `stored`, what later builds read instead: a part of
        it, say) and keep `value` in memory for the next build of this process. True when
        stored (`put`)."""
        if self.put(key, value if stored is None else stored):
            self.results[key] = value
            return True
        return False

    def keep(self, key: str) -> bool:
        """Keep the result stored under `key` for later builds without reading it; False
        when there is none."""
        if key in self._remembered() or (self.folder / key).is_file():
            self.used.add(key)
            return True
        return False

    def _remembered(self) -> dict[str, Any]:
        """The results the last build of this process kept in memory, if it used this cache."""
        return Tables._last_results if Tables._last_folder == self.folder else {}

    def get(self, key: str, keep: bool = True):
        """What `put` stored under `key`, or None; kept for later builds unless `keep` is
        False."""
        try:
            with open(self.folder / key, "rb") as fh:
                value = pickle.load(fh)
        except Exception:  # noqa: BLE001 (missing, damaged, or from other code: read the source)
            return None
        if keep:
            self.used.add(key)
        return value

    def layout_name(self, display: str, table_schema: str) -> str:
        """Where the layout (`splice.Layout`) of the last version read of the source shown
        as `display` with `table_schema` (as JSON) is kept."""
        h = hashlib.blake2b(self.code, digest_size=20)
        h.update(b"letak\x00" + display.encode() + b"\x00" + table_schema.encode())
        return h.hexdigest() + "-letak"

    def put(self, key: str, value) -> bool:
        """Store `value` under `key`, unless a source file changed since it was hashed (saved
        while this build read it): what was made from the new bytes must not be found under
        the old bytes' key. True when stored."""
        for path, seen in self.hashed.items():
            try:
                st = os.stat(path)
            except OSError:
                return False
            if (st.st_size, st.st_mtime_ns) != seen:
                return False
        self.folder.mkdir(parents=True, exist_ok=True)
        temporary = self.folder / f".{key}.{os.getpid()}"
        with open(temporary, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / key)
        self.used.add(key)
        return True

    def hand_over(self) -> None:
        """Keep this build's results in memory for the next build of this process (those it
        adds later too), instead of the last build's; remember the hashes of its sources."""
        Tables._last_results, Tables._last_folder = self.results, self.folder
        if self._contents.used and self._contents.used != self._contents.known:
            self._contents.save()

    def prune(self) -> None:
        """`hand_over`, and remove every stored table and result this build did not use."""
        self.hand_over()
        if self.folder.is_dir():
            for path in self.folder.iterdir():
                if path.name not in self.used and not path.name.startswith("."):
                    path.unlink(missing_ok=True)


def page_key(fingerprints: Fingerprinter, site_key: bytes, page) -> str | None:
    """The cache key of one page (from its `inputs` when it has them, else its context), or
    None when that has no stable fingerprint."""
    # The site's key, the page's path and template (which hold no NUL) as they are, not
    # walked as a list with the rest: 20 000 pages took 0.17 s, now 0.12 s
    prefix = site_key + f"\x00{page.path}\x00{page.template}\x00".encode()
    try:
        if page.inputs is not None:
            return fingerprints.digest(page.inputs, prefix + b"inputs").hex()
        return fingerprints.digest(page.context, prefix + b"context").hex()
    except Unhashable:
        return None
