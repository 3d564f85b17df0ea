"""The source kinds. Adding a kind is one small module plus one line in `KINDS` below.

A kind module has:
- `check(source) -> list[str]`: Indonesian messages for mistakes in its `[[sumber]]` entry;
- `fetch(source, fetcher) -> Table`: fetch with `fetcher.get/json` and return text cells.
"""

from . import ckan, html_table, remote_file, worldbank

KINDS = {
    "ckan": ckan,
    "worldbank": worldbank,
    "tabel-html": html_table,
    "berkas": remote_file,
}
