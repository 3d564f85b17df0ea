"""sitemap.xml and robots.txt, from the pages actually written.

Runs on the built folder after Pelican (see `build.py`), so every page any section writes is
listed without the section having to register it. A page is listed under its canonical URL
(`<link rel="canonical">`, which `base.html` writes from `canonical_path`) or, when it has none,
under the public address plus its path. Pages marked `<meta name="robots" content="noindex">`
(the 404 page) are left out. A site with more than 50 000 pages (the limit of one sitemap file)
gets `sitemap-1.xml`, `sitemap-2.xml`, ... and a `sitemap.xml` index listing them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from xml.sax.saxutils import escape

from .pagecache import FileFacts

_CANONICAL = re.compile(r'<link\s+rel="canonical"\s+href="([^"]+)"')
_NOINDEX = re.compile(r'<meta\s+name="robots"\s+content="[^"]*noindex')
_HEAD_END = "</head>"
SKIP_FOLDERS = {"pagefind", "theme"}
MAX_URLS = 50_000  # sitemaps.org: at most 50 000 URLs (and 50 MB) per sitemap file


def _head(path: Path, chunk: int = 16384) -> str:
    """The text of a page up to `</head>` (the whole page if it has none). Only the head is
    read: a national site has 20 000 pages, some of them hundreds of kilobytes long."""
    data = b""
    with open(path, "rb") as fh:
        while True:
            more = fh.read(chunk)
            data += more
            end = data.find(_HEAD_END.encode())
            if end >= 0 or not more:
                break
    text = data[: end if end >= 0 else len(data)]
    return text.decode("utf-8", errors="replace")


def page_url(path: Path, site: Path, base_url: str) -> str | None:
    """The public URL of one built HTML file, or None when it must not be listed."""
    head = _head(path)
    if _NOINDEX.search(head):
        return None
    found = _CANONICAL.search(head)
    if found:
        return html.unescape(found.group(1))
    relative = Path(path).relative_to(site).as_posix()
    if relative.endswith("index.html"):
        relative = relative[: -len("index.html")]
    return f"{base_url.rstrip('/')}/{relative}"


def site_urls(site: Path, base_url: str, facts: FileFacts | None = None) -> list[str]:
    """Every listable page URL of the built site, sorted, without duplicates. `facts`
    (pagecache.FileFacts) remembers the URL of pages an earlier build already read."""
    facts = facts or FileFacts()
    pages = facts.built_pages(site, lambda path: path not in SKIP_FOLDERS)
    found = facts.pages(site, pages, "sitemap", lambda p: page_url(p, site, base_url),
                        detail=base_url)
    return sorted({url for url in found.values() if url})


def sitemap_xml(urls: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <url><loc>{escape(url)}</loc></url>" for url in urls]
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def sitemap_index_xml(urls: list[str]) -> str:
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    lines += [f"  <sitemap><loc>{escape(url)}</loc></sitemap>" for url in urls]
    lines.append("</sitemapindex>")
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str) -> str:
    return ("# Semua halaman boleh dibaca mesin pencari; daftar halamannya ada di sitemap.\n"
            "User-agent: *\nAllow: /\n\n"
            f"Sitemap: {base_url.rstrip('/')}/sitemap.xml\n")


def write_sitemap(site: Path, base_url: str, max_urls: int = MAX_URLS,
                  facts: FileFacts | None = None) -> int:
    """Write sitemap.xml and robots.txt at the root of the built site; return the page count."""
    urls = site_urls(site, base_url, facts)
    if len(urls) <= max_urls:
        Path(site, "sitemap.xml").write_text(sitemap_xml(urls), encoding="utf-8")
    else:
        parts = []
        for number, start in enumerate(range(0, len(urls), max_urls), start=1):
            name = f"sitemap-{number}.xml"
            Path(site, name).write_text(sitemap_xml(urls[start:start + max_urls]),
                                        encoding="utf-8")
            parts.append(f"{base_url.rstrip('/')}/{name}")
        Path(site, "sitemap.xml").write_text(sitemap_index_xml(parts), encoding="utf-8")
    Path(site, "robots.txt").write_text(robots_txt(base_url), encoding="utf-8")
    return len(urls)
