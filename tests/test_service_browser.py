"""What a citizen sees in a real browser: find a service fast, read it on a phone, print it."""

from __future__ import annotations

import re

import pytest

from conftest import follow
from etalase.components import COMPONENTS

pytestmark = pytest.mark.browser


def _first_service(page):
    return page.locator(".service-list a").first


def test_from_the_home_page_a_service_is_two_clicks_away(phone, site_server):
    phone.goto(site_server.url + "/")
    follow(phone.get_by_role("link", name=re.compile("Kependudukan")).first)
    assert "/kategori/kependudukan/" in phone.url
    link = _first_service(phone)
    name = link.inner_text()
    follow(link)
    assert re.search(r"/layanan/[a-z0-9-]+/$", phone.url)
    assert phone.locator("h1").inner_text() == name


def test_a_service_is_also_two_clicks_away_through_its_provider(phone, site_server):
    phone.goto(site_server.url + "/")
    follow(phone.locator("#judul-penyelenggara ~ ul a").first)
    assert "/penyelenggara/" in phone.url
    follow(_first_service(phone))
    assert "/layanan/" in phone.url


def test_all_14_component_headings_are_visible_on_a_360px_phone(phone, site_server):
    phone.goto(site_server.url + "/layanan/")
    follow(_first_service(phone))
    headings = phone.locator("section.component > h3")
    assert headings.count() == 14
    texts = [headings.nth(i).inner_text() for i in range(14)]
    for comp in COMPONENTS:
        assert any(t.startswith(comp.heading) for t in texts), comp.heading
    for i in range(14):
        heading = headings.nth(i)
        heading.scroll_into_view_if_needed()
        assert heading.is_visible()
        box = heading.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_printing_hides_navigation_and_prints_the_page_address(desktop, site_server):
    desktop.goto(site_server.url + "/layanan/")
    follow(_first_service(desktop))
    path = desktop.url.removeprefix(site_server.url)
    desktop.emulate_media(media="print")
    for selector in (".site-header", ".site-nav", ".breadcrumbs", ".site-footer", ".toc"):
        assert not desktop.locator(selector).first.is_visible(), selector
    printed = desktop.locator(".print-url")
    assert printed.is_visible()
    assert printed.inner_text().endswith("mpp.tanjungharapankota.example" + path)
    assert desktop.locator("#persyaratan").is_visible()


def test_every_example_service_prints_on_at_most_two_a4_pages(chromium, example_site,
                                                              site_server):
    context = chromium.new_context()
    page = context.new_page()
    too_long = {}
    for service in sorted((example_site / "layanan").iterdir()):
        if not (service / "index.html").exists() or not service.is_dir():
            continue
        page.goto(f"{site_server.url}/layanan/{service.name}/")
        pdf = page.pdf(format="A4", print_background=False)
        pages = len(re.findall(rb"/Type\s*/Page[^s]", pdf))
        if pages > 2:
            too_long[service.name] = pages
    context.close()
    assert too_long == {}
