"""Full-text search: index the built site with Pagefind, offline, in Indonesian.

Runs after Pelican has written every page and before the new site is swapped into place, so a
failed index leaves the published `output/` untouched. Pagefind reads the `data-pagefind-*`
attributes that `base.html` puts on each page's `<main>` (what to index, and the `jenis` filter
the search page groups results by) and writes its bundle to `<site>/pagefind/`: a small
JavaScript API, a WebAssembly search engine and the compressed index fragments, all served from
the site itself.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from .errors import DataError, Problem

BUNDLE = "pagefind"
LANGUAGE = "id"  # Indonesian stemming for every page, whatever a page's <html lang> says
# Pagefind also writes ready-made search interfaces; the search page uses its own small script
# (theme/static/js/cari.js) over the JavaScript API, so these are not published.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-component-ui.js",
          "pagefind-component-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-highlight.js", "wasm.unknown.pagefind")


def index_site(site: Path) -> Path:
    """Write the Pagefind index of the built site in `site`; return the bundle folder."""
    site = Path(site)
    command = [sys.executable, "-m", "pagefind", "--site", str(site), "--output-subdir", BUNDLE,
               "--force-language", LANGUAGE, "--silent"]
    result = subprocess.run(command, capture_output=True, text=True)
    bundle = site / BUNDLE
    if result.returncode != 0 or not (bundle / "pagefind.js").is_file():
        detail = (result.stderr or result.stdout).strip().splitlines()
        raise DataError([Problem(
            "pagefind", None, None, detail[-1] if detail else f"kode keluar {result.returncode}",
            "indeks pencarian tidak dapat dibuat; periksa bahwa pagefind[bin] terpasang "
            "(make setup)")])
    for name in UNUSED:
        (bundle / name).unlink(missing_ok=True)
    return bundle
