"""Build the site aside and swap it into place, so a failed build never leaves `output/` half-built.

Pelican writes into a fresh sibling folder; only when every generator has finished is the
previous `output/` replaced, by two renames on the same file system.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import logging
import os
import shutil
import tempfile
from pathlib import Path

from .folders import prune_adopted, prune_empty, replace_folder, skeleton, take_known

logger = logging.getLogger(__name__)


def run_pelican(settings_file: Path, output: Path, overrides: dict | None = None) -> dict:
    """Run one Pelican build of `settings_file` into `output` (no swap); return its settings."""
    from pelican import Pelican
    from pelican.settings import read_settings

    from .history import answers_kept

    override = {"OUTPUT_PATH": str(output), **(overrides or {})}
    settings = read_settings(str(settings_file), override=override)
    with answers_kept():  # what git says of each source file, asked once in this build
        Pelican(settings).run()
    if "etalase" not in settings.get("PLUGINS", []):
        raise RuntimeError("plugin etalase tidak termuat; periksa PLUGINS di " + str(settings_file))
    return settings


def finish_site(site: Path, settings: dict, compress: bool = False,
                search: bool = True, pages: list[str] | None = None) -> None:
    """What needs the whole built site: search index and sitemap (written while Pagefind
    indexes, in its own process), then precompressed copies. With the cache on, a search
    index made earlier from the same pages is reused (search.py). Without `search`, only the
    sitemap and the copies. `pages`, when known, are the site's HTML files
    (`pagecache.built_pages`), so the site is not walked again to find them."""
    from . import compress as compression
    from .search import indexing
    from .sitemap import write_sitemap

    kept, facts = _search_cache(settings)
    if pages is not None:
        facts.walked(site, pages)
    facts.keyed(site)
    with indexing(site, kept, facts) if search else contextlib.nullcontext():
        write_sitemap(site, settings.get("CANONICAL_URL") or settings.get("SITEURL") or "",
                      facts=facts)
    facts.save()
    if compress:
        compression.compress_site(site)


def build(settings_file: Path, output: Path, overrides: dict | None = None,
          compress: bool = False, search_later: bool = False) -> Path:
    """Build into a temporary folder beside `output`, then replace `output` with it.

    The sitemap, the search index and (with `compress`) the `.gz` copies are made in the
    temporary folder too, so a failure in any of them also leaves `output` untouched.

    With `search_later` (the preview server), the new site is put in place with the search
    index of the site it replaces, and `refresh_search` must follow: staff see a changed page
    without waiting for Pagefind (a third of a rebuild at national scale).
    """
    from .pagecache import link_tree
    from .search import BUNDLE

    if compress and search_later:
        raise ValueError("precompressed copies would miss the search index made later")
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-baru-", dir=output.parent))
    try:
        # Pages are written into the folders of the site before last, emptied of files, when
        # they are ready (`folders.py`); the folders of pages that are gone are removed after.
        settings = run_pelican(Path(settings_file), staging, {
            **(overrides or {}), "ETALASE_RECYCLED_FOLDERS": str(skeleton(output))})
        known = take_known(staging)
        pages = prune_adopted(staging, *known) if known else prune_empty(staging)
        with concurrent.futures.ThreadPoolExecutor(1) as linking:
            # The search index of the site being replaced (10 000 files at national scale)
            # is linked while the sitemap is written.
            kept = None
            if search_later and (output / BUNDLE).is_dir():
                (staging / BUNDLE).mkdir()
                kept = linking.submit(link_tree, output / BUNDLE, staging / BUNDLE)
            finish_site(staging, settings, compress, search=not search_later, pages=pages)
            if kept:
                kept.result()
    except BaseException:
        take_known(staging)  # a failure after the plugin's pages: no longer wanted
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    # The previous site's files (30 000 at national scale) are removed after this returns,
    # and its folders kept for the next build.
    replace_folder(output, staging, background=True, recycle=True)
    return output


def refresh_search(settings_file: Path, output: Path, overrides: dict | None = None) -> None:
    """Index the site in `output` again and put the new search index in place of the old
    (after `build(search_later=True)`). On failure the old index stays."""
    from pelican.settings import read_settings

    from .search import BUNDLE, indexing

    output = Path(output).resolve()
    settings = read_settings(str(settings_file), override={"OUTPUT_PATH": str(output),
                                                           **(overrides or {})})
    kept, facts = _search_cache(settings)
    fresh = f".{BUNDLE}-baru-{os.getpid()}"
    try:
        with indexing(output, kept, facts, into=fresh):
            pass
    except BaseException:
        shutil.rmtree(output / fresh, ignore_errors=True)
        raise
    facts.save()
    replace_folder(output / BUNDLE, output / fresh)


def _search_cache(settings: dict):
    """Where the cache keeps the search index (None with the cache off), and what earlier
    builds read of their pages (`pagecache.FileFacts`)."""
    from .pagecache import FileFacts, cache_folder, project_root

    cache = cache_folder(settings, project_root(settings))
    return cache and cache / "pencarian", FileFacts(cache and cache / "berkas.pickle")
