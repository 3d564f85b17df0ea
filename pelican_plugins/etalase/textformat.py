"""Formatting for citizens: list cells, rupiah, Indonesian dates, paragraphs, download links.

Pure functions, also registered as Jinja filters by the Pelican glue.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

import nh3
from babel.dates import format_date
from markupsafe import Markup, escape

from .datasets import download_path, format_label

# "1.", "1)", "(1)", "a.", "(a)", "-", "•", "*", "–" at the start of a list item. A number
# followed by a digit is text, not a marker: "1.500 kursi tunggu", "10.30 WIB", "3.5 meter",
# "1.000.000" (while "3.Terima akta", typed without a space, is item 3); so is a hyphen
# right before a digit, a minus ("-5 derajat"), unless the cell's other items begin with a
# hyphen too ("-KTP asli⏎-2 lembar pas foto": `_DASHED`), and never a bullet ("•2 lembar").
# A parenthesised number with a leading zero is an area code, "(021) 555-0101". A letter is
# a marker only before a space ("a. Pas foto", not "a.n. Kepala Dinas").
_MARKER = re.compile(
    r"^\s*(?:\d{1,3}[.)](?!\d)|\([1-9]\d{0,2}[.)](?!\d)|\(?[a-zA-Z][.)](?=\s|$)"
    r"|[•*–·▪●]|-(?!\d))\s*")
_DASHED = re.compile(r"^\s*-\s*")  # in a cell whose items begin with "-", before a digit too
_DASH_ITEM = re.compile(r"^\s*-(?!\d)", re.MULTILINE)
# Two letters in a row: no marker takes both ("a." is one letter), so that line has an item.
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")


def split_list(cell: str | None) -> list[str]:
    """The items of a list cell: one per line, markers stripped, blank lines dropped.

    Only rendering strips the markers; the published value keeps them as staff typed it."""
    if not cell:
        return []
    items = []
    cell = str(cell)
    dashed = "-" in cell and _DASH_ITEM.search(cell) is not None
    for line in cell.splitlines():
        marker = _DASHED if dashed and line.lstrip().startswith("-") else _MARKER
        item = marker.sub("", line, count=1).strip()
        if item:
            items.append(item)
    return items


def has_items(cell) -> bool:
    """Whether a list cell has at least one item once split (`split_list`): "-" or "1.⏎2."
    (markers only) has none, and is as empty as a blank cell for a required component."""
    if not isinstance(cell, str):
        return bool(cell) and bool(split_list(cell))
    # Nearly every cell holds a word: answered without splitting it (10 000 services).
    return _TWO_LETTERS.search(cell) is not None or bool(split_list(cell))


def paragraphs(text: str | None) -> list[str]:
    """Paragraphs of a text cell, separated by blank lines."""
    if not text:
        return []
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", str(text)) if p.strip()]


def rupiah(amount) -> str:
    """`Rp50.000` for a whole-rupiah amount, `Gratis` for zero."""
    if amount is None:
        return ""
    amount = int(amount)
    if amount == 0:
        return "Gratis"
    return "Rp" + f"{amount:,}".replace(",", ".")


def tanggal(value) -> str:
    """A date in Indonesian, e.g. `17 Agustus 2025`."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = dt.date.fromisoformat(value)
    if hasattr(value, "date") and callable(value.date):
        value = value.date()
    return _tanggal(value)


@functools.lru_cache(maxsize=8192)
def _tanggal(day: dt.date) -> str:
    # Babel takes about 20 µs a date; a national site shows the same few hundred dates on
    # 20 000 pages.
    return format_date(day, "d MMMM y", locale="id")


def angka(value, decimals: int = 0) -> str:
    """A number with Indonesian separators: `1.234` or `88,31`."""
    if value is None:
        return ""
    if not value:  # 0.0 and -0.0 are one key of the cache, but are written "0" and "-0"
        return _angka_text(value, decimals)
    return _angka(value, decimals)


def _angka_text(value, decimals: int) -> str:
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\0").replace(".", ",").replace("\0", ".")


# Statistics pages show about 180 numbers each, mostly small counts seen on many pages.
_angka = functools.lru_cache(maxsize=65536, typed=True)(_angka_text)


def persen(value) -> str:
    """A percentage with one decimal (`88,3%`), or a dash when there is none."""
    return "–" if value is None else angka(value, 1) + "%"


def hari(value) -> str:
    """A number of days: whole when it is whole, else with one decimal; a dash when none."""
    return "–" if value is None else angka(value, 1 if value % 1 else 0)


def clean_html(html: str | None) -> Markup:
    """HTML from staff Markdown, sanitised (no scripts, no event handlers), marked safe."""
    return Markup(nh3.clean(html or "", tags=nh3.ALLOWED_TAGS | {"section", "figure", "figcaption"}))


# A web address, an e-mail address, or an Indonesian telephone number as staff write them:
# "0811-5550-011", "(0761) 555-0101", "+62 811 555 011" (9 to 14 digits, see `_phone`).
_LINKABLE = re.compile(r"(https?://[^\s<>\"')]+[^\s<>\"').,;:!?])|([\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
                       r"|(?<![\w/.,-])((?:\+62[ .-]?|\(0\d{1,4}\)[ .-]?|0)\d{2,12}(?:[ .-]\d{2,5}){0,4})"
                       r"(?![\w/]|[.,-]\d)")
_MAYBE_PHONE = re.compile(r"(?:\+62|\(?0)\d")


def _phone(number: str) -> str | None:
    """The `tel:` address of a telephone number (+62 and its digits), or None when it has
    too few or too many digits to be one (a code such as "021", a year)."""
    digits = re.sub(r"\D", "", number)
    digits = digits[2:] if number.startswith("+62") else digits[1:]
    return f"tel:+62{digits}" if 8 <= len(digits) <= 13 else None


# Service texts repeat: the 400 000 list items of the national data are 1 800 distinct ones.
@functools.lru_cache(maxsize=65536)
def linkify(text: str | None) -> Markup:
    """Escape `text` and turn web addresses, e-mail addresses and telephone numbers in it
    into links (a number on a phone is called with one tap)."""
    if not text:
        return Markup("")
    if "://" not in text and "@" not in text and not _MAYBE_PHONE.search(text):
        return escape(text)  # most list items: nothing to link
    out, last = [], 0
    for match in _LINKABLE.finditer(text):
        url, email, number = match.groups()
        href = url or (f"mailto:{email}" if email else _phone(number))
        if href is None:
            continue
        out.append(escape(text[last:match.start()]))
        out.append(Markup('<a href="{}">{}</a>').format(href, match.group(0)))
        last = match.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def download_links(dataset, base: str, separator: str = ", ", download: bool = False) -> Markup:
    """Links to each download of `dataset` (a `DownloadLinks` or `Dataset`) by their short
    names, "CSV, JSON, Excel" (or "CSV, Parquet" for a very large table): only the formats
    it is published in. `base` is the site URL; `download` adds the `download` attribute."""
    return _download_links(dataset.id, dataset.formats, base, separator, download)


# The same few lists on 10 000 service and statistics pages; typed, as `escape` treats a
# Markup separator or base differently from the same text as a plain str.
@functools.lru_cache(maxsize=256, typed=True)
def _download_links(dataset_id: str, formats: tuple[str, ...], base: str, separator: str,
                    download: bool) -> Markup:
    attribute = " download" if download else ""
    return Markup(str(escape(separator)).join(
        f'<a href="{escape(base)}/{escape(download_path(dataset_id, fmt))}"{attribute}>'
        f'{escape(format_label(fmt, short=True))}</a>' for fmt in formats))
