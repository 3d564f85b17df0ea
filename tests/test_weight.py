"""Light pages for a cheap phone on a slow connection, and nothing fetched from other hosts."""

from __future__ import annotations

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

import lxml.html

from conftest import ROOT
from etalase.compress import compress_site, gzip_bytes
from frontend_helpers import html_files, page_types

CSS = Path("theme/css/etalase.css")
# Elements whose attribute makes the browser fetch something.
FETCHES = {"script": "src", "img": "src", "source": "src", "iframe": "src", "video": "src",
           "audio": "src", "embed": "src", "object": "data", "input": "src"}
FETCHING_LINKS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest",
                  "apple-touch-icon", "preconnect", "dns-prefetch"}


def gz_size(path: Path) -> int:
    return len(gzip_bytes(path.read_bytes()))


def test_a_service_page_with_its_stylesheet_is_under_30_kb_compressed(example_site):
    service = page_types(example_site)["layanan"]
    # The largest service page counts, not just any one.
    pages = sorted(service.parent.parent.glob("*/index.html"), key=gz_size)
    total = gz_size(pages[-1]) + gz_size(example_site / CSS)
    assert total < 30_000, f"{pages[-1]}: {total} bytes"


def test_the_home_page_with_its_stylesheet_is_under_50_kb_compressed(example_site):
    total = gz_size(example_site / "index.html") + gz_size(example_site / CSS)
    assert total < 50_000, total


def _fetched(tree) -> list[tuple[str, str]]:
    found = []
    for element in tree.iter(*FETCHES, "link"):
        if element.tag == "link":
            rels = set((element.get("rel") or "").lower().split())
            if rels & FETCHING_LINKS:
                found.append(("link", element.get("href") or ""))
        elif element.get(FETCHES[element.tag]):
            found.append((element.tag, element.get(FETCHES[element.tag])))
        for candidate in (element.get("srcset") or "").split(","):
            if candidate.strip():
                found.append((element.tag, candidate.split()[0]))
    return found


def test_no_page_fetches_anything_from_another_host(example_site):
    foreign = []
    for page in html_files(example_site):
        tree = lxml.html.fromstring(page.read_bytes())
        for tag, url in _fetched(tree):
            if re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I):
                foreign.append(f"{page.relative_to(example_site)}: <{tag}> {url}")
        for style in tree.xpath("//style/text() | //@style"):
            if re.search(r"url\(\s*['\"]?(?:https?:)?//", style):
                foreign.append(f"{page.relative_to(example_site)}: style {style[:60]}")
    assert foreign == []


def test_the_stylesheets_and_scripts_fetch_nothing_from_another_host(example_site):
    for path in [*example_site.joinpath("theme").rglob("*.css"),
                 *example_site.joinpath("theme").rglob("*.js")]:
        text = path.read_text(encoding="utf-8")
        foreign = r"url\(\s*['\"]?(?:https?:)?//|@import\s+['\"]?(?:https?:)?//"
        assert not re.search(foreign, text), path
        assert not re.search(r"""(?:fetch|import)\(\s*['"`](?:https?:)?//""", text), path


def test_no_script_blocks_rendering(example_site):
    blocking = []
    for page in html_files(example_site):
        tree = lxml.html.fromstring(page.read_bytes())
        for script in tree.iter("script"):
            kind = (script.get("type") or "").lower()
            if kind in ("application/ld+json", "application/json"):
                continue  # data, not code
            if kind == "module" or script.get("defer") is not None \
                    or script.get("async") is not None:
                continue
            if not script.get("src") and script.xpath("ancestor::body"):
                continue  # a few inline lines in the body fetch nothing and hold nothing up
            blocking.append(f"{page.relative_to(example_site)}: {lxml.html.tostring(script)[:80]}")
    assert blocking == []


def test_publishing_writes_reproducible_gzip_copies_of_text_files(tmp_path, example_site):
    site = tmp_path / "situs"
    (site / "layanan").mkdir(parents=True)
    page = (example_site / "index.html").read_bytes()
    (site / "index.html").write_bytes(page)
    (site / "layanan" / "data.csv").write_bytes(b"kode,nama\n" * 100)
    (site / "kecil.txt").write_bytes(b"ok")
    (site / "gambar.png").write_bytes(b"\x89PNG" * 200)

    assert compress_site(site) == 2
    copy = site / "index.html.gz"
    assert gzip.decompress(copy.read_bytes()) == page
    assert len(copy.read_bytes()) < len(page) / 3
    assert (site / "layanan" / "data.csv.gz").exists()
    assert not (site / "kecil.txt.gz").exists(), "too small to be worth it"
    assert not (site / "gambar.png.gz").exists(), "images are compressed already"

    first = copy.read_bytes()
    copy.unlink()
    compress_site(site)
    assert copy.read_bytes() == first, "same input, same bytes (no timestamp, no name)"
    assert not list(site.rglob("*.gz.gz"))


def _etalase(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etalase.cli", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT / "pelican_plugins")})


def test_etalase_build_kompres_publishes_gzip_copies_beside_the_pages(tmp_path, data_dir):
    output = tmp_path / "output"
    run = _etalase("build", "--kompres", "--data", str(data_dir), "--output", str(output))
    assert run.returncode == 0, run.stderr
    for name in ("index.html", "theme/css/etalase.css", "sitemap.xml", "pagefind/pagefind.js"):
        original = output / name
        assert gzip.decompress(original.with_name(original.name + ".gz").read_bytes()) == \
            original.read_bytes(), name
    # A plain build (make html) writes none.
    plain = tmp_path / "plain"
    assert _etalase("build", "--data", str(data_dir), "--output", str(plain)).returncode == 0
    assert not list(plain.rglob("*.gz"))
