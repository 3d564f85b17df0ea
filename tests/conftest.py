"""Shared fixtures: a built example site, a local HTTP server, and real Chromium.

Browser tests use Debian's chromium through Playwright's Python client; nothing here reaches
the internet (servers bind 127.0.0.1 and Chromium runs with background networking off).
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import sys
import threading
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "pelican_plugins"))
sys.path.insert(0, str(Path(__file__).parent))

CHROMIUM = os.environ.get("ETALASE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


def build_site(output: Path, data_dir: Path | None = None, settings: str = "pelicanconf.py",
               overrides: dict | None = None) -> Path:
    """Build the site (the example data unless `data_dir` is given) into `output`."""
    from etalase.build import build

    extra = dict(overrides or {})
    if data_dir is not None:
        extra["ETALASE_DATA_PATH"] = str(data_dir)
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return build(ROOT / settings, output, extra)
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="session")
def example_site(tmp_path_factory) -> Path:
    """The example site of the repository, built once per test process."""
    return build_site(tmp_path_factory.mktemp("example") / "output")


@pytest.fixture(scope="session")
def large_tables_site(tmp_path_factory) -> Path:
    """The example site built as if its bigger tables were national-scale: every table over
    5 000 cells (the request register, the SKM answers and two computed tables) gets the
    very large tables' downloads, CSV and Parquet (`Dataset.formats`)."""
    from etalase import datasets

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(datasets, "XLSX_MAX_CELLS", 5_000)
        return build_site(tmp_path_factory.mktemp("besar") / "output")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class LocalServer:
    """Serve a folder on 127.0.0.1 on a free port, in a background thread."""

    def __init__(self, directory: Path, handler=None):
        handler = handler or functools.partial(_QuietHandler, directory=str(directory))
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()


def follow(link) -> None:
    """Click a link like a reader and wait until the next page has loaded.

    Playwright's click returns once the navigation has started, while the new page
    may still be parsing; counting elements right then would see half a page.
    """
    link.click()
    link.page.wait_for_load_state("load")


@pytest.fixture(scope="session")
def site_server(example_site):
    with LocalServer(example_site) as server:
        yield server


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: run `make browser` (Debian package chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A page in a 360 px wide phone-sized viewport."""
    context = chromium.new_context(viewport={"width": 360, "height": 740}, device_scale_factor=2,
                                   is_mobile=True, has_touch=True, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def desktop(chromium):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="id-ID")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def data_dir(tmp_path) -> Path:
    """A fresh, valid data/ folder that a test may change."""
    from factories import write_site_data

    return write_site_data(tmp_path / "data")


@pytest.fixture
def copy_example_data(tmp_path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(ROOT / "data", target)
    return target
