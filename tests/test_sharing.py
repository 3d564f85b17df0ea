"""Search engines and chat apps find and show the site well: sitemap, robots.txt, canonical
addresses, OpenGraph previews, and a helpful Indonesian 404 page."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import lxml.html

from etalase.sitemap import site_urls, write_sitemap
from frontend_helpers import html_files

SITEMAP_NS = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _head(page):
    return lxml.html.fromstring(page.read_bytes()).find("head")


def _canonical(page) -> str | None:
    link = _head(page).find("link[@rel='canonical']")
    return None if link is None else link.get("href")


def test_the_sitemap_lists_every_page_once_under_its_canonical_address(example_site):
    root = ET.parse(example_site / "sitemap.xml").getroot()
    listed = [loc.text for loc in root.iter(f"{SITEMAP_NS}loc")]
    assert len(listed) == len(set(listed))
    pages = html_files(example_site)
    expected = {_canonical(p) for p in pages if p.name != "404.html"}
    assert None not in expected, "every listed page has a canonical address"
    assert set(listed) == expected
    assert all(url.startswith("https://mpp.tanjungharapankota.example/") for url in listed)


def test_the_404_page_is_neither_listed_nor_indexed(example_site):
    listed = (example_site / "sitemap.xml").read_text(encoding="utf-8")
    assert "404" not in listed
    robots = _head(example_site / "404.html").find("meta[@name='robots']")
    assert robots is not None and "noindex" in robots.get("content")
    assert _head(example_site / "index.html").find("meta[@name='robots']") is None


def test_a_page_without_a_canonical_link_is_listed_under_its_path(tmp_path):
    (tmp_path / "a" / "b").mkdir(parents=True)
    (tmp_path / "a" / "b" / "index.html").write_text("<html><head></head></html>")
    (tmp_path / "lain.html").write_text(
        '<html><head><link rel="canonical" href="https://x.example/asli/"></head></html>')
    (tmp_path / "sembunyi.html").write_text(
        '<html><head><meta name="robots" content="noindex"></head></html>')
    assert site_urls(tmp_path, "https://x.example/") == [
        "https://x.example/a/b/", "https://x.example/asli/"]


def test_a_site_larger_than_one_sitemap_file_gets_a_sitemap_index(tmp_path):
    for number in range(5):
        (tmp_path / f"h{number}.html").write_text("<html><head></head></html>")
    assert write_sitemap(tmp_path, "https://x.example", max_urls=2) == 5
    index = ET.parse(tmp_path / "sitemap.xml").getroot()
    assert index.tag == f"{SITEMAP_NS}sitemapindex"
    parts = [loc.text for loc in index.iter(f"{SITEMAP_NS}loc")]
    assert parts == [f"https://x.example/sitemap-{n}.xml" for n in (1, 2, 3)]
    listed = [loc.text for n in (1, 2, 3)
              for loc in ET.parse(tmp_path / f"sitemap-{n}.xml").getroot().iter(f"{SITEMAP_NS}loc")]
    assert sorted(listed) == [f"https://x.example/h{n}.html" for n in range(5)]


def test_robots_txt_allows_everything_and_points_to_the_sitemap(example_site):
    robots = (example_site / "robots.txt").read_text(encoding="utf-8")
    assert re.search(r"^User-agent: \*$", robots, re.M)
    assert not re.search(r"^Disallow: /\s*$", robots, re.M)
    assert "Sitemap: https://mpp.tanjungharapankota.example/sitemap.xml" in robots


def test_every_page_has_a_title_description_and_opengraph_preview(example_site):
    missing = []
    for page in html_files(example_site):
        head = _head(page)
        meta = {m.get("property") or m.get("name"): m.get("content") for m in head.iter("meta")}
        title = head.findtext("title")
        for key in ("description", "og:title", "og:description", "og:site_name", "og:type",
                    "og:locale"):
            if not (meta.get(key) or "").strip():
                missing.append(f"{page.relative_to(example_site)}: {key}")
        if meta.get("og:title") and not title.startswith(meta["og:title"]):
            missing.append(f"{page.relative_to(example_site)}: og:title {meta['og:title']!r}")
        canonical = _canonical(page)
        if canonical and meta.get("og:url") != canonical:
            missing.append(f"{page.relative_to(example_site)}: og:url != canonical")
    assert missing == []


def test_the_404_page_helps_in_indonesian_and_works_at_any_depth(example_site):
    page = example_site / "404.html"
    tree = lxml.html.fromstring(page.read_bytes())
    assert tree.get("lang") == "id"
    assert tree.findtext(".//h1") == "Halaman tidak ditemukan"
    form = tree.find(".//main//form")
    assert form.get("action") == "/cari/" and form.find(".//input[@name='q']") is not None
    links = [a.get("href") for a in tree.iter("a")]
    assert "/" in links and "/layanan/" in links
    # A 404 is served at whatever address was asked for: every reference is root-absolute.
    for element in tree.iter("a", "link", "script", "form"):
        reference = element.get("href") or element.get("src") or element.get("action")
        if reference and not reference.startswith(("http", "data:", "#", "mailto:", "tel:")):
            assert reference.startswith("/"), reference
