"""The PPID pages in a real browser: the deadline helper with JavaScript on and off, the
printable forms, and the pages on a phone."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_site
from etalase import kip
from etalase.ppid import hari_tanggal
from etalase.reading import read_table
from etalase.workdays import WorkCalendar

PAGE = "/ppid/cara-meminta-informasi/"
STEPS = ["permohonan", "jawaban", "perpanjangan", "keberatan", "tanggapan", "sengketa"]


@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    cuti = read_table(ROOT / "data" / "hari-libur" / "cuti-bersama.csv", "cuti-bersama.csv")
    return WorkCalendar(cuti.frame["tanggal"].tolist())


def table_dates(page) -> dict[str, str]:
    return {key: page.locator(f'tr[data-langkah="{key}"] .tenggat-tanggal').inner_text().strip()
            for key in STEPS}


def embedded(page) -> dict:
    return json.loads(page.locator("#tenggat-data").text_content())


@pytest.mark.browser
def test_without_javascript_the_page_shows_the_rules_and_a_worked_example(chromium, site_server,
                                                                         calendar):
    context = chromium.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    assert not page.locator("#tenggat-form").is_visible()  # nothing that would not work
    text = page.locator("main").inner_text()
    assert "10 hari kerja" in text and "Pasal 22 ayat (7)" in text and "14 hari kerja" in text
    shown = table_dates(page)
    start = dt.date.fromisoformat(
        page.locator('tr[data-langkah="permohonan"] time').get_attribute("datetime"))
    expected = {s.key: hari_tanggal(s.date) for s in kip.request_deadlines(start, calendar)}
    assert shown == expected
    context.close()


@pytest.mark.browser
def test_with_javascript_the_helper_recomputes_the_table_like_the_build_does(chromium, site_server,
                                                                            calendar):
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    form = page.locator("#tenggat-form")
    assert form.is_visible()
    data = embedded(page)
    first, last = data["libur"][0][:4], data["sampai"][:4]
    candidates = [dt.date(int(first), 1, 2), dt.date(int(first), 12, 20)]
    candidates += [dt.date.fromisoformat(d) - dt.timedelta(days=1) for d in data["libur"][::5]]
    # deadlines stay inside the list, and the dates inside the field's range
    candidates = [d for d in candidates if int(first) <= d.year < int(last)]
    assert len(candidates) >= 5
    for start in candidates:
        page.fill("#tanggal-permohonan", start.isoformat())
        page.click("text=Hitung batas waktu")
        expected = {s.key: hari_tanggal(s.date) for s in kip.request_deadlines(start, calendar)}
        assert table_dates(page) == expected, start
    assert "dihitung ulang" in page.locator("#tenggat-pesan").inner_text()
    context.close()


@pytest.mark.browser
def test_the_helper_gets_lebaran_2025_right_when_2025_is_in_its_holiday_list(chromium, site_server):
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    if "2025-04-02" not in embedded(page)["libur"]:
        pytest.skip("the site was built too long after 2025 to list its holidays")
    page.fill("#tanggal-permohonan", "2025-03-27")
    page.click("text=Hitung batas waktu")
    shown = table_dates(page)
    assert shown["jawaban"] == "Selasa, 22 April 2025"  # counted by hand, see test_kip.py
    assert shown["perpanjangan"] == "Jumat, 2 Mei 2025"
    assert shown["keberatan"] == "Kamis, 12 Juni 2025"
    context.close()


@pytest.mark.browser
def test_an_objection_date_moves_the_superior_answer_and_the_dispute_deadline(chromium, site_server,
                                                                             calendar):
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    start = dt.date.fromisoformat(embedded(page)["libur"][0][:4] + "-02-03")
    filed = start + dt.timedelta(days=21)
    page.fill("#tanggal-permohonan", start.isoformat())
    page.fill("#tanggal-keberatan", filed.isoformat())
    page.click("text=Hitung batas waktu")
    expected = {s.key: hari_tanggal(s.date) for s in kip.request_deadlines(start, calendar, filed)}
    assert table_dates(page) == expected
    assert "keberatan dicatat" in page.locator("#tenggat-judul").inner_text()
    context.close()


def test_the_script_is_loaded_deferred_and_only_on_the_request_page(example_site):
    html = (example_site / "ppid" / "cara-meminta-informasi" / "index.html").read_text("utf-8")
    assert re.search(r'<script src="[^"]*/theme/js/tenggat\.js" defer></script>', html)
    for other in ["ppid", "ppid/keberatan", "ppid/dip", "ppid/kepatuhan"]:
        assert "tenggat.js" not in (example_site / other / "index.html").read_text("utf-8")
    script = (example_site / "theme" / "js" / "tenggat.js").read_text("utf-8")
    assert "Pasal" not in script and "2025" not in script  # no law, no holiday in the script
    # small for a slow phone: under 5 KB as written (about 2 KB compressed), with its checks
    # of what was typed and its messages
    assert len(script.encode()) < 5 * 1024


@pytest.mark.browser
@pytest.mark.parametrize("form", ["formulir-permohonan", "formulir-keberatan"])
def test_the_forms_print_without_the_site_navigation(desktop, site_server, form):
    desktop.goto(f"{site_server.url}/ppid/{form}/")
    desktop.emulate_media(media="print")
    assert not desktop.locator(".site-header").is_visible()
    assert not desktop.locator(".no-print").first.is_visible()
    assert desktop.locator(".formulir h1").is_visible()
    assert desktop.locator(".formulir .isian").count() >= 8
    assert desktop.locator(".formulir-catatan .print-url").is_visible()
    pdf = desktop.pdf(format="A4")
    assert pdf[:4] == b"%PDF"


@pytest.mark.browser
def test_the_objection_form_lists_the_seven_grounds_of_pasal_35(desktop, site_server):
    desktop.goto(f"{site_server.url}/ppid/formulir-keberatan/")
    assert desktop.locator(".formulir-pilihan li").count() == 7


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/ppid/", PAGE, "/ppid/dip/", "/ppid/kepatuhan/",
                                  "/ppid/formulir-permohonan/"])
def test_ppid_pages_fit_a_phone_screen(phone, site_server, path):
    phone.goto(site_server.url + path)
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, path


def test_every_link_on_the_ppid_pages_leads_to_a_page_or_file_of_the_site(example_site):
    broken = []
    for page in (example_site / "ppid").glob("**/index.html"):
        for href in re.findall(r'href="(/[^"#]*)', page.read_text("utf-8")):
            target = example_site / href.lstrip("/")
            if href.endswith("/"):
                target = target / "index.html"
            if not target.exists():
                broken.append((page.relative_to(example_site).as_posix(), href))
    assert broken == []


@pytest.mark.browser
def test_the_helper_warns_when_deadlines_run_past_the_known_holidays(chromium, site_server):
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    until = embedded(page)["sampai"]
    page.fill("#tanggal-permohonan", until[:4] + "-11-02")
    page.click("text=Hitung batas waktu")
    assert "belum diketahui" in page.locator("#tenggat-pesan").inner_text()
    context.close()


def _findings(page_path) -> dict[str, list[tuple[str, str, str | None]]]:
    """Each section of a compliance page: its table rows as (heading, row class, link)."""
    soup = BeautifulSoup(page_path.read_text(encoding="utf-8"), "lxml")
    return {s["id"]: [(tr.th.get_text(" ", strip=True), tr["class"][0],
                       tr.th.a["href"] if tr.th.a else None) for tr in s.select("tbody tr")]
            for s in soup.select("section[id]")}


def _status_counts(rows) -> dict[str, int]:
    """Findings per status, a collapsed "N butir lain" row counting N."""
    counts = {"finding-gagal": 0, "finding-peringatan": 0, "finding-ok": 0}
    for heading, status, _ in rows:
        others = re.fullmatch(r"([\d.]+) butir lain", heading)
        counts[status] += int(others.group(1).replace(".", "")) if others else 1
    return counts


def test_with_many_findings_the_compliance_page_lists_the_gaps_and_counts_the_rest(
        example_site, tmp_path):
    # A province's 10 000 services all passing made this page 8.8 MB, and its 8 796 gaps
    # still 5.8 MB: a check with few gaps lists them and counts what passed; a check with
    # more gaps than the limit counts them per provider, and each provider's own page
    # lists its gaps, so staff find theirs and a phone never loads them all.
    full = _findings(example_site / "ppid" / "kepatuhan" / "index.html")
    site = build_site(tmp_path / "output", overrides={"ETALASE_KEPATUHAN_MAKS_BARIS": 2})
    compact = _findings(site / "ppid" / "kepatuhan" / "index.html")
    assert full.keys() == compact.keys()
    collapsed = split = 0
    for key, rows in full.items():
        gaps = [r for r in rows if r[1] != "finding-ok"]
        passed = [r for r in rows if r[1] == "finding-ok"]
        if len(rows) <= 2:
            assert compact[key] == rows
        elif len(gaps) <= 2 or key in ("berkala", "laporan", "jawaban", "keberatan"):
            # the site's own duties and the PPID register's: no provider to count them by
            expected = gaps + ([(f"{len(passed)} butir lain", "finding-ok", None)]
                               if passed else [])
            assert compact[key] == expected, key
            collapsed += bool(passed)
        else:
            split += 1
            listed = []
            for name, status, link in compact[key]:
                assert link.startswith("/ppid/kepatuhan/") and link.endswith(f"/#{key}"), link
                own = _findings(site / link.strip("/").removesuffix(f"#{key}").rstrip("/")
                                / "index.html")[key]
                listed += [r for r in own if r[1] != "finding-ok"]
                cells = BeautifulSoup((site / "ppid/kepatuhan/index.html").read_text(
                    encoding="utf-8"), "lxml").select_one(
                        f'section#{key} a[href="{link}"]').find_parent("tr").select("td")
                shown = [int(td.get_text(strip=True).replace(".", "")) for td in cells]
                counts = _status_counts(own)
                assert shown == [counts["finding-gagal"], counts["finding-peringatan"],
                                 counts["finding-ok"]], name
                assert status == ("finding-gagal" if shown[0] else "finding-peringatan"
                                  if shown[1] else "finding-ok")
            assert sorted(listed) == sorted(gaps), key  # every gap once, on its provider's page
    assert collapsed, "the example data has a check with more than two passing findings"
    assert split, "the example data has a check with more than two gaps"
    assert not [p for p in (example_site / "ppid" / "kepatuhan").iterdir() if p.is_dir()]


@pytest.mark.browser
def test_a_date_outside_the_helpers_range_is_refused_in_words_and_the_table_kept(
        chromium, site_server):
    # A year typed digit by digit passes through 0002 and 0020: those are not calculated, and
    # the button names the allowed range, marks the field and puts the cursor back in it.
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    before = table_dates(page)
    field = page.locator("#tanggal-permohonan")
    for typed in ("0002-03-03", "0020-03-03", "0202-03-03"):
        field.fill(typed)
        assert table_dates(page) == before, typed
    assert page.locator("#tenggat-pesan").inner_text() == ""  # nothing read aloud meanwhile
    page.click("text=Hitung batas waktu")
    message = page.locator("#tenggat-pesan").inner_text()
    low, high = field.get_attribute("min"), field.get_attribute("max")
    assert message.startswith("Tanggal permohonan harus antara 1 Januari " + low[:4]), message
    assert high[:4] in message
    assert field.get_attribute("aria-invalid") == "true"
    assert field.get_attribute("aria-describedby") == "tenggat-pesan"
    assert page.evaluate("document.activeElement.id") == "tanggal-permohonan"
    assert table_dates(page) == before
    field.fill(low)  # a usable date again: calculated, and said for which date
    assert field.get_attribute("aria-invalid") == "false"
    assert "sudah dihitung ulang" in page.locator("#tenggat-pesan").inner_text()
    assert table_dates(page) != before or low == before
    context.close()


@pytest.mark.browser
def test_a_date_the_helper_cannot_read_or_an_objection_before_the_request_is_said(
        chromium, site_server):
    context = chromium.new_context(locale="id-ID")
    page = context.new_page()
    page.goto(site_server.url + PAGE)
    before = table_dates(page)
    # a browser without a date picker shows a text box: a date typed the Indonesian way
    page.evaluate("document.getElementById('tanggal-permohonan').type = 'text'")
    page.fill("#tanggal-permohonan", "15/08/2025")
    page.click("text=Hitung batas waktu")
    example = page.locator("#tanggal-permohonan").get_attribute("value")  # the worked example
    assert page.locator("#tenggat-pesan").inner_text() == (
        f"Tanggal permohonan belum lengkap: tulis tahun-bulan-tanggal, misalnya {example}.")
    assert table_dates(page) == before
    # an objection cannot be recorded before the request it objects to was received
    low = page.locator("#tanggal-keberatan").get_attribute("min")
    start = dt.date.fromisoformat(low) + dt.timedelta(days=40)
    page.fill("#tanggal-permohonan", start.isoformat())
    page.fill("#tanggal-keberatan", (start - dt.timedelta(days=7)).isoformat())
    page.click("text=Hitung batas waktu")
    assert page.locator("#tenggat-pesan").inner_text() == (
        "Tanggal keberatan tidak mungkin sebelum tanggal permohonan.")
    assert page.locator("#tanggal-keberatan").get_attribute("aria-invalid") == "true"
    assert "keberatan dicatat" not in page.locator("#tenggat-judul").inner_text()
    context.close()


@pytest.mark.parametrize("path", ["ppid", "ppid/cara-meminta-informasi"])
def test_the_ppid_pages_say_where_and_when_to_find_the_ppid_desk(example_site, path):
    # "Datang langsung ke meja layanan informasi" named no place, hours or telephone: only the
    # PPID's e-mail address.
    page = BeautifulSoup((example_site / path / "index.html").read_text(encoding="utf-8"),
                         "lxml")
    block = page.select_one("section#kontak-ppid")
    terms = [dt.get_text() for dt in block.select("dt")]
    assert terms == ["Tempat", "Jam layanan", "Telepon", "Surel"]
    assert "Mal Pelayanan Publik" in block.select("dd")[0].get_text()
    assert [a["href"] for a in block.select("a[href^='tel:']")] == ["tel:+627615550100",
                                                                    "tel:+628115550100"]


def test_without_contact_settings_only_the_ppid_email_is_given():
    from etalase.ppid import contact

    assert contact({"ETALASE_PPID_EMAIL": "ppid@contoh.example"}) == {
        "alamat": None, "jam": [], "telepon": [], "email": "ppid@contoh.example"}
    assert contact({"ETALASE_PPID_TELEPON": "(021) 555-0100"})["telepon"] == ["(021) 555-0100"]
