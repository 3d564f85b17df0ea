"""Where staff's Markdown pages are published, and where their links lead, checked from the
site model before anything is written (`etalase validate`): a page at the address of a page
made from data or of another Markdown page, and a link to a page address of this site where
no page is published. The build checks the same against what Pelican read and what was
written (generator.py), where it also sees links to files (downloads, the catalogue).
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from urllib.parse import unquote

import markdown

from .errors import Problem

DATA_PAGE = "halaman situs yang dibuat dari data"
DEAD_LINK = ("tautan ke alamat di situs ini yang tidak ada; periksa ejaan alamatnya "
             "(misalnya /layanan/kode-layanan/)")
LINK = re.compile(r'(?:href|src)="([^"]+)"')  # a link in rendered HTML


def slug(path: Path, meta: dict[str, str], settings: dict) -> str:
    """The slug Pelican gives a Markdown page without a `Slug:` of its own: its title or its
    file name (SLUGIFY_SOURCE), through Pelican's own `slugify` with the same settings."""
    from pelican.settings import DEFAULT_CONFIG
    from pelican.utils import slugify

    def setting(name):
        return settings.get(name, DEFAULT_CONFIG[name])

    title = meta.get("title")
    value = title if setting("SLUGIFY_SOURCE") == "title" and title else \
        Path(path).name.rsplit(".", 1)[0]
    return slugify(value, regex_subs=setting("SLUG_REGEX_SUBSTITUTIONS"),
                   preserve_case=setting("SLUGIFY_PRESERVE_CASE"),
                   use_unicode=setting("SLUGIFY_USE_UNICODE"))


def taken(page: tuple[str, str], save_as: str, by: str) -> Problem:
    """The problem of a Markdown `page` (file as staff see it, slug) saved where `by` already
    is."""
    address = "/" + save_as.removesuffix("index.html")
    return Problem(page[0], None, "Slug", page[1],
                   f"alamat {address} sudah dipakai {by}; beri halaman ini Slug lain (atau "
                   f"tulis \"Save_as: {save_as}\" bila halaman ini memang menggantikannya)")


def dead_link(file: str, line: int | None, link: str) -> Problem:
    return Problem(file, line, None, link, DEAD_LINK)


def line_of(text: str, *needles: str) -> int | None:
    """The first line of `text` (1-based) that holds the first of `needles` found in it."""
    lines = text.splitlines()
    for needle in needles:
        found = next((n for n, line in enumerate(lines, 1) if needle in line), None)
        if found:
            return found
    return None


def own_path(link: str, bases: list[str]) -> str | None:
    """The path of `link` within this site (`/layanan/x/`), without query and fragment; None
    for a link elsewhere, a relative link, or one to the theme's files."""
    target = next((link[len(b):] for b in bases if link.startswith(b + "/")), link)
    path = unquote(target.split("#")[0].split("?")[0])
    if not path.startswith("/") or path.startswith("//"):
        return None
    return path


def _page_like(path: str) -> bool:
    """A link to a page (`/tentang/`, `/tentang/index.html`, `/tentang`), not to a file."""
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return path.endswith(("/", ".html")) or "." not in last


def _files_of(path: str) -> tuple[str, ...]:
    """The files a page link may be served from."""
    inner = path.lstrip("/")
    if not inner or inner.endswith("/"):
        return (inner + "index.html",)
    if inner.endswith(".html"):
        return (inner,)
    return (inner + "/index.html", inner + ".html")


def _body(text: str) -> str:
    """A Markdown page without its `Key: value` header."""
    head, _, body = text.partition("\n\n")
    return body if re.match(r"^[A-Za-z_ ]+:", head) else text


def problems(markdown_pages, data_pages: set[str], save_as: str = "{slug}/index.html",
             bases: list[str] | None = None) -> list[Problem]:
    """Problems of `markdown_pages` (dip.MarkdownPage) on a site whose pages made from data
    are `data_pages` (paths of their files): pages at a taken address, and links to a page
    address where nothing is published. `save_as` is Pelican's PAGE_SAVE_AS; `bases` the
    site's own URLs (SITEURL, CANONICAL_URL), whose links count as links within it."""
    bases = [b.rstrip("/") for b in bases or [] if b]
    found: dict[str, str] = {}
    replacing: set[str] = set()
    out: list[Problem] = []
    unknown = False  # a page whose address only Pelican knows: links are then left to it
    for page in markdown_pages:
        own = page.meta.get("save_as")
        if own:  # replaces the page there on purpose
            replacing.add(own)
            continue
        try:
            address = save_as.format(slug=page.slug, lang="id")
        except (KeyError, IndexError, ValueError, AttributeError):
            unknown = True  # a pattern naming what only Pelican knows: the build checks it
            continue
        if address in data_pages:
            out.append(taken((page.display, page.slug), address, DATA_PAGE))
        elif address in found:
            out.append(taken((page.display, page.slug), address, found[address]))
        else:
            found[address] = page.display
    if unknown:
        return out
    published = data_pages | found.keys() | replacing
    for page in markdown_pages:
        text = Path(page.path).read_text(encoding="utf-8-sig", errors="replace")
        rendered = markdown.markdown(_body(text), extensions=["extra"])
        for link in dict.fromkeys(html.unescape(found) for found in LINK.findall(rendered)):
            path = own_path(link, bases)
            if path is None or path.startswith("/theme/") or not _page_like(path):
                continue
            if not any(f in published for f in _files_of(path)):
                out.append(dead_link(page.display, line_of(text, link, path), link))
    return out
