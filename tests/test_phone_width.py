"""On a 360 px phone no page of the site is wider than the screen.

A citizen reading on a cheap phone never has to scroll the whole page sideways: long legal
citations wrap, the blanks of the printable forms fit, and a table too wide for the screen
scrolls inside its own box while the page around it stays put. One page of every page kind of
the example site is opened in real Chromium; a detail page is reached the way a reader
reaches it, by following the first link to it from its list.
"""

from __future__ import annotations

import pytest

from conftest import follow

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360

# (page kind, page opened, the link a reader follows from there to the page checked, or None)
PAGES = [
    ("beranda", "/", None),
    ("daftar layanan", "/layanan/", None),
    ("halaman layanan", "/layanan/", ".service-list a"),
    ("kategori layanan", "/", 'main a[href^="/kategori/"]'),
    ("daftar penyelenggara", "/penyelenggara/", None),
    ("halaman penyelenggara", "/penyelenggara/", 'main a[href^="/penyelenggara/"]'),
    ("statistik", "/statistik/", None),
    ("statistik SKM", "/statistik/skm/", None),
    ("statistik pengaduan", "/statistik/pengaduan/", None),
    ("statistik ketepatan waktu", "/statistik/ketepatan-waktu/", None),
    ("statistik layanan", "/statistik/skm/", 'main a[href^="/statistik/layanan/"]'),
    ("statistik penyelenggara", "/statistik/skm/", 'main a[href^="/statistik/penyelenggara/"]'),
    ("statistik PPID", "/statistik/ppid/", None),
    ("statistik PPID setahun", "/statistik/ppid/", 'main a[href^="/statistik/ppid/"]'),
    ("katalog data", "/data/", None),
    ("halaman dataset", "/data/", "ul.dataset-list > li > a"),
    ("tema data", "/data/", 'main a[href^="/data/tema/"]'),
    ("data eksternal", "/data-eksternal/", None),
    ("PPID", "/ppid/", None),
    ("cara meminta informasi", "/ppid/cara-meminta-informasi/", None),
    ("keberatan", "/ppid/keberatan/", None),
    ("sengketa informasi", "/ppid/sengketa/", None),
    ("daftar informasi publik", "/ppid/dip/", None),
    ("informasi yang dikecualikan", "/ppid/informasi-dikecualikan/", None),
    ("kepatuhan keterbukaan informasi", "/ppid/kepatuhan/", None),
    ("formulir permohonan", "/ppid/formulir-permohonan/", None),
    ("formulir keberatan", "/ppid/formulir-keberatan/", None),
    ("daftar kode etik", "/kode-etik/", None),
    ("kode etik", "/kode-etik/", 'main a[href^="/kode-etik/"]'),
    ("pencarian", "/cari/", None),
    ("halaman biasa", "/tentang/", None),
    ("halaman tidak ditemukan", "/404.html", None),
]


def _page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.mark.parametrize("kind, start, link_to", PAGES, ids=[kind for kind, _, _ in PAGES])
def test_no_page_kind_is_wider_than_a_360px_phone(phone, site_server, kind, start, link_to):
    phone.goto(site_server.url + start)
    if link_to:
        follow(phone.locator(link_to).first)
    where = phone.url.removeprefix(site_server.url)
    assert not link_to or where != start, f"{kind}: no link {link_to} on {start}"
    assert _page_width(phone) <= PHONE_WIDTH, (
        f"{kind} ({where}) is {_page_width(phone)} px wide on a {PHONE_WIDTH} px phone")


def test_search_results_are_not_wider_than_a_360px_phone(phone, site_server):
    phone.goto(site_server.url + "/cari/?q=pengaduan")
    phone.locator(".result-group li").first.wait_for()
    assert _page_width(phone) <= PHONE_WIDTH, (
        f"search results (/cari/?q=pengaduan) are {_page_width(phone)} px wide")


# (page, the wide table on it): tables of several columns of words, too wide for a phone.
WIDE_TABLES = [
    ("/ppid/dip/", "table.dip"),
    ("/ppid/kepatuhan/", "table.kepatuhan-ringkas"),
    ("/ppid/cara-meminta-informasi/", "table.tenggat"),
    ("/ppid/informasi-dikecualikan/", "table"),
]


@pytest.mark.parametrize("path, table", WIDE_TABLES, ids=[p for p, _ in WIDE_TABLES])
def test_a_wide_table_keeps_readable_columns_and_scrolls_in_a_box_a_keyboard_reaches(
        phone, site_server, path, table):
    # No column is squeezed to a letter a line: the table stays wider than the phone and
    # scrolls inside its labelled box, which a keyboard user can focus to scroll it.
    phone.goto(site_server.url + path)
    box = phone.locator(".table-scroll").filter(has=phone.locator(table)).first
    assert box.get_attribute("tabindex") == "0", path
    assert box.get_attribute("role") == "region", path
    assert box.get_attribute("aria-label") or box.get_attribute("aria-labelledby"), path
    lines = box.locator("thead th").evaluate_all(
        "ths => ths.map(th => Math.round(th.clientHeight / parseFloat(getComputedStyle(th)"
        ".lineHeight)))")
    assert max(lines) <= 4, f"{path}: a heading of {table} takes {max(lines)} lines"
    assert _page_width(phone) <= PHONE_WIDTH, path


# A number split over two lines is misread: "78," on one line and "52" on the next reads as 78.
_SPLIT_NUMBERS = """() => {
  const split = [];
  for (const cell of document.querySelectorAll('.table-scroll td, .table-scroll th')) {
    for (const word of cell.textContent.match(/\\d[\\d.,]*\\d%?|[A-Za-z]{2,}/g) || []) {
      const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT, {acceptNode: n =>
        n.parentElement.closest('code, .checksum') ? NodeFilter.FILTER_REJECT
                                                   : NodeFilter.FILTER_ACCEPT});
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.data.indexOf(word);
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + word.length);
        const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
        if (tops.size > 1) split.push(word);
        break;
      }
    }
  }
  return split;
}"""


@pytest.mark.parametrize("kind, start, link_to", PAGES, ids=[kind for kind, _, _ in PAGES])
def test_no_number_or_word_in_a_table_is_split_over_two_lines_on_a_phone(
        phone, site_server, kind, start, link_to):
    phone.goto(site_server.url + start)
    if link_to:
        follow(phone.locator(link_to).first)
    split = phone.evaluate(_SPLIT_NUMBERS)
    where = phone.url.removeprefix(site_server.url)
    # a word longer than the whole box may still break; none of the example's is (a
    # checksum, in code, breaks anywhere on purpose)
    assert not split, f"{kind} ({where}): split over two lines: {split[:5]}"


@pytest.mark.parametrize("kind, start, link_to", PAGES, ids=[kind for kind, _, _ in PAGES])
def test_every_table_too_wide_for_a_phone_scrolls_in_a_named_box_the_keyboard_reaches(
        phone, site_server, kind, start, link_to):
    phone.goto(site_server.url + start)
    if link_to:
        follow(phone.locator(link_to).first)
    boxes = phone.locator(".table-scroll").evaluate_all(
        "boxes => boxes.map(b => [b.scrollWidth > b.clientWidth, b.getAttribute('tabindex'),"
        " b.getAttribute('role'), b.getAttribute('aria-label') || b.getAttribute('aria-labelledby'),"
        " getComputedStyle(b).backgroundAttachment, b.getBoundingClientRect().right,"
        " b.querySelector('caption')?.getBoundingClientRect().right])")
    where = phone.url.removeprefix(site_server.url)
    for wide, tabindex, role, name, attachment, right, caption_right in boxes:
        if wide:
            assert (tabindex, role) == ("0", "region") and name, (
                f"{kind} ({where}): a table wider than the phone cannot be scrolled by keyboard")
            # the side with more columns casts a shadow that stays at the box's edge while
            # the white that hides it moves with the table ("scroll" and "local" layers)
            assert attachment == "local, local, scroll, scroll", f"{kind} ({where})"
            # and the title of the table is read whole, not cut at the phone's edge
            assert caption_right is None or caption_right <= right + 1, (
                f"{kind} ({where}): the table's caption runs past the screen")


def test_the_deadline_table_shows_the_dates_without_scrolling_on_a_phone(phone, site_server):
    # The date is what the citizen came for; it was the third column, off a 360 px screen.
    phone.goto(site_server.url + "/ppid/cara-meminta-informasi/")
    rights = phone.locator("#tenggat-tabel .tenggat-tanggal").evaluate_all(
        "cells => cells.map(c => c.getBoundingClientRect().right)")
    assert rights and max(rights) <= PHONE_WIDTH
