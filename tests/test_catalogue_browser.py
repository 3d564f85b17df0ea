"""The catalogue in a real browser: usable on a 360 px phone and with JavaScript switched off."""

from __future__ import annotations

import pytest

from conftest import follow

pytestmark = pytest.mark.browser


def test_landing_pages_and_catalogue_fit_a_phone_without_sideways_scrolling(phone, site_server):
    phone.goto(site_server.url + "/data/")
    urls = [a.get_attribute("href") for a in phone.locator("ul.dataset-list > li > a").all()]
    assert urls
    for url in ["/data/", "/data/tema/layanan/", *urls]:
        phone.goto(site_server.url + url)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 360, url


def test_from_the_menu_to_a_download_without_javascript(chromium, site_server):
    context = chromium.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(site_server.url + "/")
        follow(page.get_by_role("navigation", name="Menu utama").get_by_role("link", name="Data", exact=True))
        follow(page.get_by_role("link", name="Layanan publik", exact=True).first)
        follow(page.get_by_role("link", name="Standar pelayanan", exact=True).first)
        assert page.get_by_role("heading", level=1).inner_text() == "Standar pelayanan"
        link = page.locator("#unduh-csv a")
        response = page.request.get(site_server.url + link.get_attribute("href"))
        assert response.ok and response.body().startswith(b"kode,nama,")
    finally:
        context.close()
