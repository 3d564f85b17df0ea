"""Pelican glue: load the site model in `generate_context`, write pages and downloads after.

Kept thin on purpose: everything it calls is plain Python that is tested without Pelican.
"""

from __future__ import annotations

import functools
import hashlib
import html
import logging
import os
import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import jinja2
from pelican.generators import Generator
from pelican.utils import posixize_path, sanitised_join

from . import addresses, archive, exports, folders, pagecache, parallel, textformat
from .datasets import DownloadIndex, format_label
from .errors import DataError, Problem
from .site import (all_pages, build_time, checksums_known, downloads_written, load_site,
                   write_files)

logger = logging.getLogger(__name__)


class MenuLink(NamedTuple):
    """A Markdown page in the menu (`base.html`), as its pages read it."""
    url: str
    title: str


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept with the cache; one that cannot be written is compiled again
    next time, as when the cache is off."""

    def dump_bytecode(self, bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _copied_without_writer(settings: dict, theme: str, context: dict) -> list[str] | None:
    """The folders Pelican makes in the site without its writer, which copies the theme's
    static files (THEME_STATIC_PATHS into THEME_STATIC_DIR) after the plugin's pages, each
    of which may be left empty; or None when an HTML file may come that way too (a static
    file: STATIC_PATHS, or one a page links with {static} or {attach}; the theme's; a
    page's source, OUTPUT_SOURCES), or another plugin writes after this one."""
    if list(settings.get("PLUGINS") or []) != ["etalase"] or settings.get("OUTPUT_SOURCES"):
        return None
    if any(static.save_as.endswith(".html") for static in context.get("staticfiles", ())):
        return None
    made = [settings["THEME_STATIC_DIR"]]
    for name in settings.get("THEME_STATIC_PATHS", []):
        source = Path(theme) / name
        if source.suffix == ".html" or any(p.suffix == ".html" for p in source.rglob("*")):
            return None
        made += [f"{settings['THEME_STATIC_DIR']}/{folder.relative_to(source).as_posix()}"
                 for folder in source.rglob("*") if folder.is_dir()]
    return made


def _compiled_templates(cache: pagecache.Cache, settings: dict) -> jinja2.BytecodeCache:
    """The templates compiled once, not again in each page worker of every rebuild. Jinja
    checks a template's source against what it compiled, but not how it compiles: the folder
    is named after that too (Jinja's version, its settings, and the plugin's code and
    templates, where the filters are), and the folders of other setups are removed."""
    setup = hashlib.blake2b(digest_size=10)
    setup.update(f"{jinja2.__version__}\0{sys.version}\0{cache.code.hex()}\0".encode())
    setup.update(repr(sorted(settings.get("JINJA_ENVIRONMENT", {}).items())).encode())
    folder = cache.folder / "jinja" / setup.hexdigest()
    folder.mkdir(parents=True, exist_ok=True)
    for other in folder.parent.iterdir():
        if other != folder:
            shutil.rmtree(other, ignore_errors=True)
    return _TemplateCache(str(folder))


PAGE_NICENESS = 19  # the page workers only take what the rest of the build leaves (os.nice)
# A full build's downloads give way to the loading (the statistics they wait for); a
# rebuild's few changed tables are what the whole build waits for, so they do not.
DOWNLOAD_NICENESS = 5

FILTERS = {
    "daftar": textformat.split_list,
    "paragraf": textformat.paragraphs,
    "rupiah": textformat.rupiah,
    "tanggal": textformat.tanggal,
    "angka": textformat.angka,
    "persen": textformat.persen,
    "hari": textformat.hari,
    "bersih": textformat.clean_html,
    "tautan": textformat.linkify,
    "nama_format": format_label,
    "unduhan": textformat.download_links,
}


class EtalaseGenerator(Generator):
    """Reads `data/` into the site model and writes every data-driven page."""

    def generate_context(self):
        root = pagecache.project_root(self.settings)
        data_dir = Path(self.settings.get("ETALASE_DATA_PATH", root / "data"))
        # Each Markdown page's address, to stop a build that would write two pages there
        # (Pelican's writer stops with a traceback naming a temporary folder); before any
        # download is started.
        self._markdown_paths = _markdown_addresses(self.context, root)
        self._pagecache = self._cache()
        if self._pagecache:
            self.env.bytecode_cache = _compiled_templates(self._pagecache, self.settings)
        # The downloads being written, each with the datasets it writes
        self._downloads: dict[parallel.Pending, set[str]] = {}
        self._started: set[str] = set()  # the datasets whose downloads were started
        try:
            with parallel.loading():  # without the garbage collector, then frozen
                # Each section's downloads are started as soon as it is loaded: the table
                # a rebuild changed is written while the other sections load.
                self.site = load_site(data_dir, self.settings, root=root,
                                      loaded=self._start_downloads, prune=False)
        except BaseException:
            for work in self._downloads:
                work.cancel()
            raise
        built = build_time(root)
        self.context.update({
            "etalase": self.site,
            "NAV_ITEMS": self.site.nav,
            "BUILT_AT": built,
        })

    def generate_output(self, writer):
        # The downloads are written in other processes (parallel.py), started while loading,
        # while the page workers render every page that does not show them. Meanwhile this
        # process waits for the downloads, writes the files made from them (checksums,
        # catalogue) and renders the pages that show those (`PAGES_AFTER_FILES`, site.py);
        # `last` pages come at the end.
        cache = self._pagecache
        count = parallel.workers(self.settings)
        recycled = self.settings.get("ETALASE_RECYCLED_FOLDERS")
        adopted = None
        if recycled:  # the page folders of the site before last (build.py, folders.py)
            adopted = folders.adopt_folders(Path(self.output_path), Path(recycled))
        try:
            rendered = self._write_pages(writer, cache, count, self._finish_downloads)
        except BaseException:
            for work in [*self._downloads, *self.site.background]:
                work.cancel()
            raise
        dead = _dead_links(self.context, self.settings, Path(self.output_path),
                           pagecache.project_root(self.settings))
        if dead:
            raise DataError(dead)
        if cache:
            cache.prune()
        if self.site.tables:  # after the catalogue, which caches results of its own
            self.site.tables.prune()
        copied = None if adopted is None else _copied_without_writer(
            self.settings, self.theme, self.context)
        if copied is not None:
            # Every page of the site went through Pelican's writer: which adopted folders
            # stayed empty, and which pages there are, is known without reading the folders.
            prefix = os.path.join(os.path.abspath(self.output_path), "")
            folders.hand_over_known(Path(self.output_path), adopted + copied, [
                path[len(prefix):] for path in writer._written_files if path.startswith(prefix)])
        logger.info("Etalase: %d layanan, %d dataset, %d halaman dirender",
                    len(self.site.services), len(self.site.datasets), rendered)

    def _start_downloads(self, site) -> None:
        """Start on the downloads of the datasets loaded since the last call: link those the
        cache has, and write the others in `workers` processes (the biggest spread over
        them); `_finish_downloads` waits for them."""
        output = Path(self.output_path)
        store = self._pagecache and self._pagecache.downloads
        fresh = [d for d in site.datasets.values() if d.id not in self._started]
        self._started.update(d.id for d in fresh)
        tasks = [(dataset, fmt) for dataset in fresh for fmt in dataset.formats]
        for dataset, fmt in tasks:  # known before the page workers start, like the paths
            site.downloads.setdefault(dataset.id, {})[fmt] = output / dataset.path(fmt)
        keys: dict[str, str | None] = {}
        if store:  # a rebuild: most are linked here, and the few to write are shared fairly
            fingerprints = pagecache.Fingerprinter()
            keys = {d.id: exports.download_key(d, store, fingerprints) for d in fresh}
            tasks = [(dataset, fmt) for dataset, fmt in tasks
                     if not exports.place_download(dataset, fmt, output, store, keys[dataset.id])]
        if not tasks:
            return
        count = parallel.workers(self.settings)
        # A rebuild's few tables to write leave this process a core of its own for the rest
        # of the loading, which the whole build waits for; they are written by the time the
        # pages need them.
        shares = min(max(1, count - 1) if store else count, len(tasks))
        # `frame`, not `row_count`: rows waiting in the cache (`StoredRows`) are read here,
        # once, before the writers fork and share them.
        costs = [len(d.frame) * len(d.columns) * exports.COST[fmt] for d, fmt in tasks]
        owners = parallel.balance(costs, shares)

        def share_of(share: int) -> tuple[set[str], dict]:
            checksums = {}
            for (dataset, fmt), owner in zip(tasks, owners):
                if owner == share:
                    # the cache has none of these: the others were linked above
                    path = exports.write_new_download(dataset, fmt, output, store,
                                                      keys.get(dataset.id))
                    # hashed here, just written, rather than by the building process
                    checksums[os.fspath(path)] = pagecache.file_identity(path), \
                        archive.sha256_of(path)
            return (store.used if store else set()), checksums

        niceness = 0 if store else DOWNLOAD_NICENESS
        for share in range(shares):
            work = parallel.start(functools.partial(share_of, share), count, niceness=niceness)
            self._downloads[work] = {d.id for (d, _), owner in zip(tasks, owners)
                                     if owner == share}

    def _finish_downloads(self) -> None:
        """Wait for the downloads, then write the files made from them (`write_files`).
        Meanwhile each dataset whose downloads are all written is handed to the sections
        (`downloads_written`): their checksums need not wait for the slowest table."""
        store = self._pagecache and self._pagecache.downloads
        output = Path(self.output_path)
        waiting = dict(self._downloads)
        handed: set[str] = set()
        while True:
            written = set(self.site.datasets) - handed - set().union(*waiting.values())
            if written:
                downloads_written(self.site, output, written)
                handed |= written
            if not waiting:
                break
            work = parallel.first_done(list(waiting))
            used, checksums = work.result()
            if store:
                store.used |= used
            checksums_known(self.site, checksums)
            del waiting[work]
        write_files(self.site, output)  # may start work elsewhere (the zip)

    def _write_pages(self, writer, cache, count: int, files: Callable[[], None]) -> int:
        """Render every page (page i by worker i mod count); a page whose cache key is known
        is linked from the cache instead. Meanwhile this process calls `files()` (the
        downloads and what is made from them) and renders the pages that show them. `last`
        pages are rendered at the end by this process, once the work in `Site.background` is
        done. Returns how many pages were rendered."""
        relative = self.settings.get("RELATIVE_URLS", False)
        fingerprints = pagecache.Fingerprinter()
        site_key = cache and fingerprints.digest([
            cache.code, relative, self._site_wide(), DownloadIndex(self.site.datasets)])
        # Made once here, before the workers fork, not again in each of them: the list of
        # pages, and the hash of every service (the listing pages of each worker's share
        # show them all).
        pages = list(all_pages(self.site, after_files=False))
        if cache:
            fingerprints.prepare(self.site.services.values())
        # The menu's Markdown pages as plain pairs: Pelican's `Page.url` works out its URL
        # from the settings at every use, 0.1 ms a page over 20 000 pages.
        context = dict(self.context, pages=self._menu())

        keys: dict[str, str] = {}  # page path → cache key, for `pagecache.FileFacts`

        # Pages a Markdown page was saved over (`Save_as`): as in Pelican's writer, that page
        # wins and the plugin's is skipped, with the cache on as well.
        overridden = writer._overridden_files

        def write(page) -> bool:
            """Write one page; True when it was rendered, not taken from the cache."""
            if overridden and sanitised_join(self.output_path, page.path) in overridden:
                return False
            if page.path in self._markdown_paths:
                raise DataError([addresses.taken(self._markdown_paths[page.path], page.path,
                                                 addresses.DATA_PAGE)])
            key = cache and pagecache.page_key(fingerprints, site_key, page)
            if key:
                keys[page.path] = key
            if key and self._place(writer, cache.pages, key, page.path):
                return False
            template = self.get_template(page.template.removesuffix(".html"))
            writer.write_file(page.path, template, context, relative_urls=relative,
                              **page.context)
            if key:
                cache.pages.keep(key, Path(self.output_path) / page.path)
            return True

        def step(share: int, count: int):
            before = set(writer._written_files)
            rendered = sum(write(page) for index, page in enumerate(pages)
                           if index % count == share and not page.last)
            return (writer._written_files - before, cache.pages.used if cache else set(),
                    rendered, keys)

        later = []  # `last` pages, collected here while the workers render the others
        seen = set(writer._written_files)
        rendered = 0

        def meanwhile() -> None:
            nonlocal rendered
            files()
            before = set(writer._written_files)
            for page in all_pages(self.site, after_files=True):
                if page.last:
                    later.append(page)
                else:
                    rendered += write(page)
            seen.update(writer._written_files - before)
            later.extend(page for page in pages if page.last)

        # The page workers give way to the downloads and then to the all-data zip, which the
        # `last` pages wait for: the downloads of a full build take as long as the pages.
        for written, used, count_rendered, share_keys in parallel.run_shares(
                step, count, meanwhile, niceness=PAGE_NICENESS):
            clash = written & seen
            if clash:  # the same guard as Pelican's writer: no output path written twice
                raise RuntimeError(f'Failed to overwrite "{sorted(clash)[0]}" as Pelican has '
                                   "already written to it previously")
            seen |= written
            writer._written_files |= written
            if cache:
                cache.pages.used |= used
            rendered += count_rendered
            keys.update(share_keys)
        for work in self.site.background:
            work.result()
        rendered += sum(write(page) for page in later)
        if cache:
            pagecache.hand_over_page_keys(Path(self.output_path), keys)
        return rendered

    def _cache(self) -> pagecache.Cache | None:
        """The content-hash cache (ETALASE_CACHE_PATH, default .cache/etalase), or None.

        Off unless ETALASE_CACHE is set: `make html` and `make publish` build from scratch,
        `etalase devserver` turns it on (pagecache.py says what a page's key covers).
        """
        folder = pagecache.cache_folder(self.settings, pagecache.project_root(self.settings))
        if folder is None:
            return None
        code = [Path(self.theme) / "templates", Path(__file__).parent]
        code += [Path(p) for p in self.settings.get("THEME_TEMPLATES_OVERRIDES", [])]
        return pagecache.Cache(folder, code, download_code=[Path(__file__).parent])

    def _menu(self) -> list[MenuLink]:
        """The Markdown pages the menu lists (`base.html`)."""
        return [MenuLink(p.url, p.title) for p in self.context.get("pages", [])]

    def _site_wide(self) -> dict:
        """The template variables every page sees, except the site model itself."""
        pages = [tuple(link) for link in self._menu()]
        # OUTPUT_PATH names this build's fresh staging folder, ETALASE_RECYCLED_FOLDERS the
        # folders it may reuse (build.py); pages never show them.
        return {k: v for k, v in self.context.items() if k.isupper() and k not in (
            "OUTPUT_PATH", "ETALASE_RECYCLED_FOLDERS")} | {"pages": pages}

    def _joined(self, name: str) -> str:
        """`sanitised_join(self.output_path, name)`, the path Pelican's writer records for
        a page, with the output folder made absolute once, not twice for every page (20 000
        pages taken from the cache: 0.06 s of the page workers)."""
        base = getattr(self, "_output_base", None)
        if base is None:
            base = self._output_base = posixize_path(os.path.abspath(self.output_path))
        joined = posixize_path(os.path.normpath(os.path.join(base, name)))
        if not joined.startswith(base):
            raise RuntimeError(f"Attempted to break out of output directory to {joined}")
        return joined

    def _place(self, writer, store, key: str, name: str) -> bool:
        """Put a cached page at `name`, with the same guard as Pelican's writer: no output
        path is written twice."""
        path = self._joined(name)
        if path in writer._written_files:
            raise RuntimeError(f'Failed to overwrite "{path}" as Pelican has already written '
                               "to it previously")
        if not store.place(key, path):
            return False
        writer._written_files.add(path)
        return True


def _markdown_addresses(context: dict, root: Path) -> dict[str, tuple[str, str]]:
    """{file it is saved as: (the Markdown file as staff see it, its slug)} of every Markdown
    page that does not replace a page on purpose (`Save_as:`). Two of them at one address
    stop the build with a message naming both files."""
    found: dict[str, tuple[str, str]] = {}
    problems = []
    for page in [*context.get("pages", []), *context.get("hidden_pages", [])]:
        if hasattr(page, "override_save_as"):
            continue
        source = os.path.relpath(page.source_path, root)
        if page.save_as in found:
            problems.append(addresses.taken((source, page.slug), page.save_as,
                                            found[page.save_as][0]))
        else:
            found[page.save_as] = (source, page.slug)
    if problems:
        raise DataError(problems)
    return found


def _dead_links(context: dict, settings: dict, output: Path, root: Path) -> list[Problem]:
    """The links of the Markdown pages to an address of this site (`/layanan/...`, or the
    site's own URL) where nothing was written: a typo staff would not see, published. The
    static files of content/ and the theme's, which Pelican copies after the pages, count
    as written."""
    bases = [b.rstrip("/") for b in (settings.get("SITEURL"), settings.get("CANONICAL_URL"))
             if b]
    copied = {static.save_as for static in context.get("staticfiles", [])}
    theme = "/" + settings.get("THEME_STATIC_DIR", "theme").strip("/") + "/"
    problems = []
    for page in [*context.get("pages", []), *context.get("hidden_pages", [])]:
        text = None
        for link in addresses.LINK.findall(page.content):
            path = addresses.own_path(html.unescape(link), bases)
            if path is None or path.startswith(theme):
                continue
            where = output / path.lstrip("/")
            if path.lstrip("/") in copied or where.is_file() or (where / "index.html").is_file():
                continue
            if text is None:
                text = Path(page.source_path).read_text(encoding="utf-8-sig", errors="replace")
            problems.append(addresses.dead_link(os.path.relpath(page.source_path, root),
                                                addresses.line_of(text, link, path), link))
    return problems
