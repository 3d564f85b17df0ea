"""Build the site aside and swap it into place, so a failed build never leaves `output/` half-built.

Pelican writes into a fresh sibling folder; only when every generator has finished is the
previous `output/` replaced, by two renames on the same file system.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
from pathlib import Path

from .folders import replace_folder

logger = logging.getLogger(__name__)


def run_pelican(settings_file: Path, output: Path, overrides: dict | None = None) -> dict:
    """Run one Pelican build of `settings_file` into `output` (no swap); return its settings."""
    from pelican import Pelican
    from pelican.settings import read_settings

    override = {"OUTPUT_PATH": str(output), **(overrides or {})}
    settings = read_settings(str(settings_file), override=override)
    Pelican(settings).run()
    if "etalase" not in settings.get("PLUGINS", []):
        raise RuntimeError("plugin etalase tidak termuat; periksa PLUGINS di " + str(settings_file))
    return settings


def finish_site(site: Path, settings: dict, compress: bool = False) -> None:
    """What needs the whole built site: search index and sitemap (written while Pagefind
    indexes, in its own process), then precompressed copies. With the cache on, a search
    index made earlier from the same pages is reused (search.py)."""
    from . import compress as compression
    from .pagecache import FileFacts, cache_folder, project_root
    from .search import indexing
    from .sitemap import write_sitemap

    cache = cache_folder(settings, project_root(settings))
    facts = FileFacts(cache and cache / "berkas.pickle")  # what earlier builds read of pages
    with indexing(site, cache and cache / "pencarian", facts):
        write_sitemap(site, settings.get("CANONICAL_URL") or settings.get("SITEURL") or "",
                      facts=facts)
    facts.save()
    if compress:
        compression.compress_site(site)


def build(settings_file: Path, output: Path, overrides: dict | None = None,
          compress: bool = False) -> Path:
    """Build into a temporary folder beside `output`, then replace `output` with it.

    The sitemap, the search index and (with `compress`) the `.gz` copies are made in the
    temporary folder too, so a failure in any of them also leaves `output` untouched.
    """
    output = Path(output).resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-baru-", dir=output.parent))
    try:
        settings = run_pelican(Path(settings_file), staging, overrides)
        finish_site(staging, settings, compress)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    staging.chmod(0o755)
    # The previous site's files (30 000 at national scale) are removed after this returns.
    replace_folder(output, staging, background=True)
    return output
