"""The source kinds. Adding a kind is one small module plus one line in `KINDS` below.

A kind module has:
- `check(source) -> list[str]`: Indonesian messages for mistakes in its `[[sumber]]` entry;
- `fetch(source, fetcher) -> Table`: fetch with `fetcher.get/json` and return text cells;
- `KEYS`: the keys it reads, each with its `shapes.Shape`. `config.py` checks them (and the
  keys every source has) when sumber.toml is read, and reports any other key as unknown, so
  `check` and `fetch` only ever see values of the right kind.
"""

from . import ckan, html_table, remote_file, worldbank

KINDS = {
    "ckan": ckan,
    "worldbank": worldbank,
    "tabel-html": html_table,
    "berkas": remote_file,
}
