"""What a source kind gets to fetch with, and what it hands back.

A kind module (see `sources/`) calls `Fetcher.get` / `Fetcher.json` for every request; the
fetcher sends the stored validators with the first request of a run (so an unchanged source
answers 304 and costs one request), hashes every raw response body for the provenance, and
keeps the HTTP facts of the first response. The kind returns a `Table` of text cells.
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field

import pandas as pd

from .http import FetchError, PoliteSession, Response


class NotModified(Exception):
    """The source answered 304 Not Modified to our conditional request."""

    def __init__(self, response: Response):
        super().__init__("tidak berubah")
        self.response = response


@dataclass
class Table:
    """A fetched table: every cell text ("" when blank), columns named as in the output."""

    frame: pd.DataFrame
    schema: dict | None = None  # a Table Schema the kind derived (e.g. CKAN field types)
    metadata: dict = field(default_factory=dict)  # what the source said about itself


@dataclass
class Fetcher:
    session: PoliteSession
    previous: dict = field(default_factory=dict)  # the provenance stored by the last run
    first: Response | None = None  # the first response of this run
    validated: Response | None = None  # the response to the conditional request
    validated_url: str | None = None
    requests: int = 0
    _hash: "hashlib._Hash" = field(default_factory=hashlib.sha256)

    def get(self, url: str, params: dict | None = None, *, conditional: bool = True,
            accept: str | None = None) -> Response:
        """GET one response. The first request marked `conditional` carries the validators
        stored for the same address last time; a 304 answer raises `NotModified`."""
        import requests  # here, not above: see http.py

        full_url = requests.Request("GET", url, params=params).prepare().url
        validators = {}
        is_key = conditional and self.validated_url is None
        if is_key and self.previous.get("validated_url") == full_url:
            validators = {"etag": self.previous.get("etag"),
                          "last_modified": self.previous.get("last_modified")}
        response = self.session.get(full_url, accept=accept, **validators)
        self.requests += 1
        if self.first is None:
            self.first = response
        if is_key:
            self.validated, self.validated_url = response, full_url
        if response.not_modified:
            if any(validators.values()):
                raise NotModified(response)
            raise FetchError(f"server menjawab 304 untuk {url} padahal tidak diminta")
        self._hash.update(response.content)
        return response

    def json(self, url: str, params: dict | None = None, **kwargs):
        response = self.get(url, params, accept="application/json", **kwargs)
        try:
            return json.loads(response.content.decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            if looks_like_html(response.content):
                raise FetchError(f"{response.url} mengembalikan halaman web (HTML), bukan JSON; "
                                 "mungkin alamatnya berubah atau perlu login") from None
            where = f" (berhenti di karakter ke-{exc.pos})" if hasattr(exc, "pos") else ""
            raise FetchError(f"jawaban dari {response.url} bukan JSON yang utuh{where}: "
                             "kemungkinan terpotong atau rusak") from None

    @property
    def sha256(self) -> str:
        return self._hash.hexdigest()

    @staticmethod
    def progress(total: int, description: str):
        """A progress bar for multi-page fetches (stderr; silent when not a terminal)."""
        from tqdm import tqdm

        return tqdm(total=total, desc=description, unit="hlm", file=sys.stderr,
                    disable=not sys.stderr.isatty() or total <= 1, leave=False)


def looks_like_html(content: bytes, content_type: str | None = None) -> bool:
    """True for an HTML page (an error or login page served where data was expected): markup
    the server says is HTML (`content_type`), or beginning like a page, after a BOM, an XML
    declaration and comments (`<!-- generated -->`)."""
    head = content[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and content_type and content_type.split(";")[0].strip().lower() \
            in ("text/html", "application/xhtml+xml"):
        return True  # (a CSV a careless server labels text/html is still read)
    while head.startswith((b"<?xml", b"<!--")):
        end = head.find(b"?>" if head.startswith(b"<?xml") else b"-->")
        if end < 0:
            break
        head = head[end + (2 if head.startswith(b"<?xml") else 3):].lstrip(b" \t\r\n")
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<body"))


def text_frame(records: list[dict], columns: list[str]) -> pd.DataFrame:
    """A frame of text cells from records, in `columns` order; None becomes ""."""
    return pd.DataFrame([[_text(r.get(c)) for c in columns] for r in records],
                        columns=columns, dtype=object)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
