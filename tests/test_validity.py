"""The built site is valid HTML and none of its own links is broken.

The W3C Nu HTML Checker (vnu-jar from npm, run with Debian's java) checks one page of every
page type, and the stylesheet; a link checker then follows every internal link, image,
stylesheet and script reference of every page of the example site.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit

import lxml.html
import pytest

from frontend_helpers import NODE_MODULES, ROOT, html_files, page_types, url_path

VNU = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
REFERENCES = {"a": "href", "link": "href", "script": "src", "img": "src", "source": "src",
              "iframe": "src", "form": "action", "use": "href", "object": "data"}
EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "data", "javascript"}


def _canonical_url() -> str:
    from pelican.settings import read_settings

    return read_settings(str(ROOT / "pelicanconf.py"))["CANONICAL_URL"].rstrip("/")


def vnu_errors(files: list[Path]) -> list[dict]:
    java = shutil.which("java")
    if not java:
        pytest.fail("java is missing: install Debian's default-jre-headless")
    if not VNU.exists():
        pytest.fail(f"{VNU} is missing: run `make test` (it runs `npm ci`)")
    run = subprocess.run([java, "-jar", str(VNU), "--format", "json", "--also-check-css",
                          *map(str, files)], capture_output=True, text=True, timeout=300)
    messages = json.loads(run.stderr or '{"messages": []}')["messages"]
    return [m for m in messages if m.get("type") == "error" or m.get("subType") == "fatal"]


def test_one_page_of_every_type_and_the_stylesheet_have_no_html_or_css_errors(example_site):
    samples = sorted(page_types(example_site).values())
    errors = vnu_errors([*samples, example_site / "theme" / "css" / "etalase.css"])
    assert not errors, "\n".join(
        f"{Path(urlsplit(e.get('url', '')).path).relative_to(example_site)}:"
        f"{e.get('lastLine')}: {e['message']}" for e in errors)


def test_the_checker_does_report_an_invalid_page(tmp_path):
    # Guards the test above against a checker that silently checks nothing.
    bad = tmp_path / "salah.html"
    bad.write_text('<!doctype html><html lang="id"><title>x</title><p><div></p></div>',
                   encoding="utf-8")
    assert vnu_errors([bad])


def _target(site: Path, page: Path, reference: str, canonical: str) -> tuple[Path, str] | None:
    """The file (and fragment) an internal reference on `page` points to; None if external."""
    if reference.startswith(canonical + "/") or reference == canonical:
        reference = reference[len(canonical):] or "/"
    parts = urlsplit(reference)
    if parts.scheme in EXTERNAL_SCHEMES or parts.netloc:
        return None
    absolute = urlsplit(urljoin("http://x" + url_path(site, page), reference))
    path = site / unquote(absolute.path).lstrip("/")
    if absolute.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, absolute.fragment


def broken_links(site: Path) -> list[str]:
    canonical = _canonical_url()
    ids: dict[Path, set[str]] = {}

    def page_ids(path: Path) -> set[str]:
        if path not in ids:
            tree = lxml.html.fromstring(path.read_bytes())
            ids[path] = {e.get("id") for e in tree.iter() if e.get("id") is not None}
        return ids[path]

    broken = []
    for page in html_files(site):
        tree = lxml.html.fromstring(page.read_bytes())
        ids[page] = {e.get("id") for e in tree.iter() if e.get("id") is not None}
        for element in tree.iter(*REFERENCES):
            reference = element.get(REFERENCES[element.tag])
            if reference is None:
                continue
            target = _target(site, page, reference.strip(), canonical)
            if target is None:
                continue
            path, fragment = target
            where = f"{page.relative_to(site)}: <{element.tag}> {reference}"
            if not path.is_file():
                broken.append(f"{where} (no file {path.relative_to(site)})")
            elif fragment and path.suffix == ".html" and unquote(fragment) not in page_ids(path):
                broken.append(f"{where} (no id {fragment!r})")
    return broken


def test_no_internal_link_of_the_whole_site_is_broken(example_site):
    assert len(html_files(example_site)) > 50
    assert broken_links(example_site) == []


def test_the_link_checker_finds_a_missing_page_and_a_missing_anchor(tmp_path):
    site = tmp_path / "situs"
    (site / "ada").mkdir(parents=True)
    (site / "ada" / "index.html").write_text('<p id="sini">ada</p>', encoding="utf-8")
    (site / "index.html").write_text(
        '<a href="/ada/">ok</a> <a href="/ada/#sini">ok</a> <a href="/hilang/">rusak</a> '
        '<a href="ada/#tidak-ada">rusak</a> <a href="https://contoh.example/">luar</a> '
        '<img src="gambar.png" alt="">', encoding="utf-8")
    found = broken_links(site)
    assert len(found) == 3, found
    assert any("/hilang/" in f for f in found)
    assert any("tidak-ada" in f for f in found)
    assert any("gambar.png" in f for f in found)
