"""Scrapers: pull public data that other systems already publish into `data/`, politely.

`etalase scrape` reads `data/sumber.toml`, fetches each source through one polite HTTP
session (`http.py`), turns the response into a table with the source's kind module
(`sources/`), and lets `runner.py` validate it and replace the current file only when the new
one is good. `provenance.py` records where each file came from and when it was checked.
"""
