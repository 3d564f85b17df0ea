"""Pelican settings for building the Etalase example site locally (`make html`)."""

from pathlib import Path

ROOT = Path(__file__).parent

AUTHOR = "Pemerintah Kota Tanjung Harapan"
SITENAME = "Etalase Pelayanan Publik"
SITESUBTITLE = "Mal Pelayanan Publik Kota Tanjung Harapan"
SITEURL = ""
# The public address of the site: printed on paper copies and used for canonical links.
CANONICAL_URL = "https://mpp.tanjungharapankota.example"
# Open data catalogue (docs/katalog-data.md): who publishes, whom to ask, under which licence.
ETALASE_PUBLISHER = "Pemerintah Kota Tanjung Harapan"
ETALASE_PPID_EMAIL = "ppid@tanjungharapankota.example"
ETALASE_LICENSE = "https://creativecommons.org/licenses/by/4.0/"
# The area the data covers, as a URI (a real body would name its own region; the example city
# is fictional, so only its country is given).
ETALASE_SPATIAL = "http://publications.europa.eu/resource/authority/country/IDN"
# PPID (docs/ppid.md): who answers for the Daftar Informasi Publik, where it is made, and
# whether a compliance gap (/ppid/kepatuhan/) fails the build (True) or is only shown (False).
ETALASE_PPID_UNIT = "PPID Pemerintah Kota Tanjung Harapan"
ETALASE_PPID_ALAMAT = ("Meja layanan informasi, Lantai 1, Mal Pelayanan Publik Kota Tanjung Harapan, "
                       "Jalan Merdeka Raya No. 45, Kota Tanjung Harapan")
ETALASE_PPID_JAM = ["Senin–Kamis: 08.00–15.00 WIB", "Jumat: 08.00–11.30 dan 13.30–15.00 WIB"]
ETALASE_PPID_TELEPON = ["(0761) 555-0100", "WhatsApp: 0811-5550-100 (jam layanan)"]
ETALASE_PPID_TEMPAT = "Kota Tanjung Harapan"
ETALASE_KEPATUHAN_GAGALKAN_BUILD = False
# Shown in the footer and the README: the example data is fictional.
EXAMPLE_DATA_NOTICE = (
    "Semua data di situs ini adalah contoh rekaan untuk memperagakan Etalase. "
    "Kota Tanjung Harapan dan penyelenggaranya tidak nyata."
)

PATH = "content"
THEME = "theme"
TIMEZONE = "Asia/Jakarta"
DEFAULT_LANG = "id"
LOCALE = ("C.UTF-8",)

PLUGIN_PATHS = ["pelican_plugins"]
PLUGINS = ["etalase"]
ETALASE_ROOT = str(ROOT)
ETALASE_DATA_PATH = str(ROOT / "data")

# Only what the site uses: Markdown pages, and the pages the plugin writes from data/.
ARTICLE_PATHS = []
PAGE_PATHS = ["pages"]
PAGE_URL = "{slug}/"
PAGE_SAVE_AS = "{slug}/index.html"
DIRECT_TEMPLATES = []
STATIC_PATHS = []
for _kind in ("TAG", "TAGS", "AUTHOR", "AUTHORS", "CATEGORY", "CATEGORIES", "ARCHIVES",
              "ARTICLE", "ARTICLE_LANG", "PAGE_LANG", "DRAFT", "DRAFT_PAGE", "YEAR_ARCHIVE",
              "MONTH_ARCHIVE", "DAY_ARCHIVE"):
    globals()[f"{_kind}_SAVE_AS"] = ""
FEED_ALL_ATOM = None
FEED_ALL_RSS = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None

DELETE_OUTPUT_DIRECTORY = True
# Templates do not change during a build: do not check their files again for every page.
JINJA_ENVIRONMENT = {"trim_blocks": True, "lstrip_blocks": True, "extensions": [],
                     "auto_reload": False}
RELATIVE_URLS = False
DEFAULT_PAGINATION = False
SLUGIFY_SOURCE = "basename"
TYPOGRIFY = False
READERS = {"rst": None}  # Markdown only; avoids docutils

# Content-hash cache of source tables, rendered pages and downloads (docs/performance.md):
# off for `make html` and `make publish`, so a published site is always built from scratch;
# `etalase devserver` turns it on, so a preview renders again only what changed.
ETALASE_CACHE = False
# Downloads and pages are shared between this many worker processes (default: every core).
# ETALASE_WORKERS = 2
# A province-sized site: beyond these bounds, overview pages summarise per category or
# provider and link down, so no page is megabytes on a phone (defaults shown).
# ETALASE_DAFTAR_MAKS_LAYANAN = 300     # /layanan/ lists categories instead of services
# ETALASE_STATISTIK_MAKS_LAYANAN = 300  # /statistik/skm/, ketepatan-waktu/, pengaduan/
# ETALASE_KODE_ETIK_MAKS_LAYANAN = 300  # a code of ethics lists providers instead
# ETALASE_KEPATUHAN_MAKS_BARIS = 200    # /ppid/kepatuhan/ lists gaps, counts the rest
