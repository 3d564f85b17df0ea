"""Section: the pages that help people find things — the search page `/cari/` and `404.html`.

Both are written like any other page (so they share the header, footer and styles) and both
stay out of the site's own search index. The 404 page is also marked `noindex`, which keeps it
out of the sitemap and of search engines; the search page is an ordinary page for them (its
`?q=` addresses all carry the canonical `/cari/`). The sitemap,
robots.txt and the search index themselves are made from the finished site in `build.py`
(`sitemap.py`, `search.py`), so they list every page whichever section wrote it.
"""

from __future__ import annotations

from pathlib import Path

from . import spelling
from .site import Page, Site

# The `jenis` filter each page type is indexed under (see base.html), in the order the search
# page shows its groups. Page kinds not listed here are indexed as "Halaman".
SEARCH_GROUPS = [
    ("Layanan", "standar pelayanan"),
    ("Kode etik", "kode etik dan kode perilaku"),
    ("Statistik", "statistik kinerja"),
    ("Dataset", "data terbuka"),
    ("Halaman", "halaman lain"),
]


def load(site: Site) -> None:
    """Nothing to read: these pages only describe the rest of the site."""


def write_files(site: Site, output: Path) -> None:
    """The word list the search page corrects a query with, beside it (`spelling.py`)."""
    spelling.write_word_list(site, Path(output) / "cari" / spelling.FILE)


def pages(site: Site):
    yield Page("cari/index.html", "search.html", {
        "page_kind": "cari", "not_searchable": True, "search_groups": SEARCH_GROUPS,
    })
    yield Page("404.html", "404.html", {"page_kind": "tidak-ditemukan", "noindex": True})
