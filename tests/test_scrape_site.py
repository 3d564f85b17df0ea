"""Scraped files are published: datasets with provenance, and the /data-eksternal/ page."""

from __future__ import annotations

import json
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site

from etalase.errors import DataError
from etalase.scraped import when
from etalase.site import load_site


@pytest.fixture
def scraped_data(data_dir):
    """The test data folder plus the example's sumber.toml and scraped files."""
    shutil.copy(ROOT / "data/sumber.toml", data_dir / "sumber.toml")
    shutil.copytree(ROOT / "data/scrape", data_dir / "scrape")
    return data_dir


def set_times(data_dir, name, checked, changed):
    path = data_dir / "scrape" / f"{name}.sumber.json"
    stored = json.loads(path.read_text())
    stored.update(checked_at=checked, changed_at=changed)
    path.write_text(json.dumps(stored))


def test_times_are_shown_in_western_indonesian_time():
    assert when("2026-11-23T10:22:07Z") == "23 November 2026 pukul 17.22 WIB"
    assert when(None) is None


def test_each_scraped_file_becomes_a_dataset_carrying_its_provenance(scraped_data):
    set_times(scraped_data, "wb-efektivitas-pemerintah", "2026-11-20T01:00:00Z",
              "2026-03-02T02:30:00Z")
    site = load_site(scraped_data)
    dataset = site.datasets["wb-efektivitas-pemerintah"]
    assert dataset.source == "data/scrape/wb-efektivitas-pemerintah.csv"
    assert list(dataset.frame["estimasi"]) == [-0.21, 0.5, 0.37]
    assert dataset.license == "https://creativecommons.org/licenses/by/4.0/"
    provenance = dataset.extra["provenance"]
    assert provenance["sumber"] == "Bank Dunia — Worldwide Governance Indicators"
    assert provenance["terakhir_diperiksa"] == "20 November 2026 pukul 08.00 WIB"
    assert provenance["terakhir_berubah"] == "2 Maret 2026 pukul 09.30 WIB"
    assert provenance["sha256"]  # the stored facts travel along


def test_a_source_never_fetched_is_simply_not_shown(scraped_data):
    (scraped_data / "scrape/pengunjung-mpp.csv").unlink()
    site = load_site(scraped_data)
    assert "pengunjung-mpp" not in site.datasets
    assert "wb-efektivitas-pemerintah" in site.datasets


def test_a_hand_edited_scraped_file_is_checked_against_the_schema_beside_it(scraped_data):
    path = scraped_data / "scrape/wb-efektivitas-pemerintah.csv"
    path.write_text(path.read_text().replace("0.37", "nol koma tiga"))
    with pytest.raises(DataError) as error:
        load_site(scraped_data)
    assert 'data/scrape/wb-efektivitas-pemerintah.csv:4: kolom "estimasi": "nol koma tiga" ' \
           "bukan angka" in error.value.report()


def test_without_sumber_toml_there_is_no_external_data_page(data_dir):
    site = load_site(data_dir)
    assert "data_eksternal" not in site.parts
    assert all(item.url != "data-eksternal/" for item in site.nav)


def test_the_external_data_page_shows_source_last_checked_and_last_changed(scraped_data,
                                                                            tmp_path):
    set_times(scraped_data, "wb-efektivitas-pemerintah", "2026-11-20T01:00:00Z",
              "2026-03-02T02:30:00Z")
    output = build_site(tmp_path / "out", data_dir=scraped_data)
    page = BeautifulSoup((output / "data-eksternal/index.html").read_text(), "lxml")
    section = page.find(id="eksternal-wb-efektivitas-pemerintah").parent
    facts = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(" ", strip=True)
             for dt in section.select("dl.provenance dt")}
    assert facts["Sumber"] == "Bank Dunia — Worldwide Governance Indicators"
    assert facts["Terakhir diperiksa"] == "20 November 2026 pukul 08.00 WIB"
    assert facts["Terakhir berubah"] == "2 Maret 2026 pukul 09.30 WIB"
    assert "rekaman jawaban API" in facts["Catatan"]  # the example says where it came from
    cells = [[td.get_text() for td in tr.find_all("td")] for tr in section.select("tbody tr")]
    assert ["2020", "IDN", "0,37", "65"] in cells
    links = {a["href"] for a in section.select("ul.downloads a")}
    assert "/data/wb-efektivitas-pemerintah/wb-efektivitas-pemerintah.csv" in links
    assert (output / "data/wb-efektivitas-pemerintah/wb-efektivitas-pemerintah.csv").exists()
    catalogue = BeautifulSoup((output / "data/index.html").read_text(), "lxml")
    assert catalogue.select_one('main a[href="/data-eksternal/"]') is not None
    landing = (output / "data/wb-efektivitas-pemerintah/index.html").read_text()
    assert "20 November 2026 pukul 08.00 WIB" in landing


@pytest.mark.browser
def test_on_a_phone_the_external_data_is_readable_without_sideways_scrolling(
        scraped_data, tmp_path, phone):
    from conftest import LocalServer, follow

    output = build_site(tmp_path / "out", data_dir=scraped_data)
    with LocalServer(output) as server:
        phone.goto(server.url + "/")
        follow(phone.locator("nav.site-nav").get_by_role("link", name="Data", exact=True))
        follow(phone.get_by_role("link", name="data eksternal"))
        assert phone.url.endswith("/data-eksternal/")
        assert phone.locator("h2").first.inner_text().startswith("Efektivitas pemerintahan")
        assert phone.get_by_text("Terakhir diperiksa").first.is_visible()
        assert phone.get_by_text("Terakhir berubah").first.is_visible()
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 360
        csv_link = phone.locator("a[href$='wb-efektivitas-pemerintah.csv']").first
        assert phone.request.get(server.url + csv_link.get_attribute("href")).ok


def test_the_kip_category_comes_from_the_source_configuration(scraped_data):
    site = load_site(scraped_data)
    assert site.datasets["wb-efektivitas-pemerintah"].kip_category == "setiap_saat"
    visitors = site.datasets["pengunjung-mpp"]
    assert (visitors.kip_category, visitors.berkala_item) == ("berkala", 3)


def test_loading_a_site_checks_its_sources_without_the_scraping_libraries(scraped_data):
    # A build only checks data/sumber.toml; requests, tenacity and Beautiful Soup are loaded by
    # `etalase scrape` when it fetches (0.15 s less for every build and rebuild).
    import subprocess
    import sys

    program = (
        "import sys; from pathlib import Path; from etalase.site import load_site; "
        f"site = load_site(Path({str(scraped_data)!r})); "
        "assert 'wb-efektivitas-pemerintah' in site.datasets, 'not loaded'; "
        "print(sorted(m for m in ('requests', 'tenacity', 'bs4') if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True,
                          cwd=ROOT, env={"PYTHONPATH": str(ROOT / "pelican_plugins")})
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
