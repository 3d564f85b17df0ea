"""The sections of the site, in load order. Adding a section is one line here.

Each entry is a module with `load(site)` and `pages(site)`; see `site.py`.
"""

from . import catalogue, services
from . import statistics
from . import scraped
from . import codes
from . import ppid
from . import seo

# `catalogue` stays LAST: it lists, describes and versions the datasets of every section above.
# `ppid` builds the DIP from every dataset above, so it comes just before `catalogue`.
SECTIONS = [services, codes, statistics, scraped, ppid, seo, catalogue]
# What each section is called in a message to staff (`load_site`).
NAMES = {services: "standar pelayanan", codes: "kode etik", statistics: "statistik",
         scraped: "data luar", ppid: "PPID", seo: "halaman situs", catalogue: "katalog data"}
