"""The sections of the site, in load order. Adding a section is one line here.

Each entry is a module with `load(site)` and `pages(site)`; see `site.py`.
"""

from . import services

SECTIONS = [services]
