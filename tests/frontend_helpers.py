"""Helpers for the front-end tests: one sample page of every page type in a built site.

Page types are read from the built output (the `class` of `<body>`), so a page type another
section adds later is covered by the accessibility, validity and weight tests without editing
them.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE_MODULES = ROOT / "node_modules"
_BODY_CLASS = re.compile(r'<body class="([^"]*)"')
SKIP_FOLDERS = {"pagefind", "theme"}


def html_files(site: Path) -> list[Path]:
    """Every HTML page of the built site (not Pagefind's or the theme's own files)."""
    return sorted(p for p in Path(site).rglob("*.html")
                  if p.relative_to(site).parts[0] not in SKIP_FOLDERS)


def page_types(site: Path) -> dict[str, Path]:
    """{body class: the first page (by path) with that class} over the whole built site."""
    found: dict[str, Path] = {}
    for path in html_files(site):
        match = _BODY_CLASS.search(path.read_text(encoding="utf-8"))
        kind = match.group(1) if match else "(tanpa kelas)"
        found.setdefault(kind, path)
    return found


def url_path(site: Path, page: Path) -> str:
    """The URL path under which a local server serves `page`."""
    rel = page.relative_to(site).as_posix()
    return "/" + (rel[: -len("index.html")] if rel.endswith("index.html") else rel)
