"""A citizen who types an old spelling, an abbreviation or a typo still finds the service.

Pagefind has no synonyms and no typo tolerance. The build writes a small word list beside the
search page (`/cari/kata.json`, `spelling.py`): the words of the names, titles and
requirements, and the variant spellings and abbreviations whose standard form the site uses.
When a search finds nothing (or, for a lone word, only what Pagefind's fallback to the word's
first letters finds), the search page fetches it, corrects the query word by word and shows
what the corrected query finds, saying so, with a link to search exactly what was typed; when
a search finds very little, it suggests the corrected query.
"""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import Counter

import pytest
from conftest import ROOT, build_site
from factories import service, write_site_data
from frontend_helpers import NODE_MODULES

from etalase import spelling
from etalase.site import load_site


def _site(data_dir):
    return load_site(data_dir, root=data_dir.parent)


# --- the word list --------------------------------------------------------------------------


def test_the_word_list_holds_the_words_of_names_titles_and_requirements_most_frequent_first(
        data_dir):
    site = _site(data_dir)
    made = spelling.word_list(spelling.site_texts(site))
    words = made["kata"]
    assert len(words) == len(set(words))
    # service names, their requirements, the provider and its abbreviation, the category,
    # dataset titles; in lower case
    for word in ("penerbitan", "akta", "kelahiran", "keluarga", "rumah", "sakit",
                 "disdukcapil", "kependudukan", "pencatatan", "sipil", "standar", "pelayanan"):
        assert word in words, word
    # not the other columns (the procedure's "antrean", the summary's "anak", the product's
    # "kutipan"), no word under 3 letters ("el" of KTP-el), no digits, nothing in capitals
    assert not {"antrean", "anak", "kutipan", "el", "nomor"} & set(words)
    assert all(re.fullmatch(r"[^\W\d_]{3,}", w) and w == w.lower() for w in words)
    # the most frequent first, ties in alphabetical order
    counts = spelling.word_counts(spelling.lines(spelling.site_texts(site)))
    assert words == sorted(counts, key=lambda w: (-counts[w], w))
    assert counts["keluarga"] == 2 and counts["kelahiran"] == 1  # two services' requirements


def test_a_variant_is_published_only_when_the_site_uses_its_standard_form():
    made = spelling.word_list(["Penerbitan Akta Kelahiran",
                               "- Fotokopi Kartu Keluarga\n- KTP-el orang tua"])
    assert made["varian"]["akte"] == "akta"
    assert made["varian"]["fotocopy"] == made["varian"]["foto copy"] == "fotokopi"
    assert made["varian"]["kk"] == "kartu keluarga"
    assert made["varian"]["e-ktp"] == made["varian"]["ektp"] == "ktp-el"
    # nothing the site does not speak of: no permits, no police certificate, no province
    assert not {"ijin", "skck", "propinsi", "sim", "imb"} & set(made["varian"])
    # a phrase counts as whole words within one item, not across two items or inside a word
    assert "kk" not in spelling.word_list(["Kartu\nKeluarga"])["varian"]
    assert "kk" not in spelling.word_list(["Kartu Keluargaku"])["varian"]
    assert "kk" in spelling.word_list(["Fotokopi kartu  keluarga (asli)."])["varian"]
    # a variant the site itself uses is found as it is: it needs no entry
    assert spelling.word_list(["Kartu Identitas Anak"])["varian"] == {
        "kia": "kartu identitas anak"}
    assert spelling.word_list(["Kartu Identitas Anak (KIA)"])["varian"] == {}


def test_every_variant_is_a_lower_case_word_or_phrase_with_another_standard_form():
    for variant, standard in spelling.VARIANTS.items():
        for text in (variant, standard):
            assert text == text.lower() and text == " ".join(text.split()), text
        assert variant != standard


def test_the_word_list_of_a_big_site_keeps_its_most_frequent_words_and_stays_small():
    # 20 000 different words of 7 letters, a far richer vocabulary than the example's 530
    made = ("".join(letters) + "kan" for letters in itertools.product("abdegiklmnoprstu", repeat=4))
    texts = [" ".join(itertools.islice(made, 20_000))] + ["surat keterangan"] * 50
    content = spelling.word_list(texts)
    assert len(content["kata"]) == spelling.MAX_WORDS
    assert content["kata"][:2] == ["keterangan", "surat"]
    size = len(json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode())
    assert size < 50_000, size


def test_the_example_site_publishes_a_small_word_list_beside_the_search_page(example_site):
    path = example_site / "cari" / spelling.FILE
    size = path.stat().st_size
    assert size < 20_000, size
    content = json.loads(path.read_text(encoding="utf-8"))
    with open(ROOT / "data" / "standar-pelayanan.csv", encoding="utf-8-sig", newline="") as f:
        names = [row["nama"] for row in csv.DictReader(f)]
    assert set(spelling.word_counts(Counter(n.lower() for n in names))) <= set(content["kata"])
    assert content["varian"]["akte"] == "akta"
    assert content["varian"]["siup"] == "nomor induk berusaha"
    assert content["varian"]["kk"] == "kartu keluarga"  # too short to be listed as a word
    # the example names its services "... (NIB)", "... (KIA)": found as typed, no entry
    assert "nib" not in content["varian"] and "kia" not in content["varian"]
    page = (example_site / "cari" / "index.html").read_text(encoding="utf-8")
    assert 'data-kata="/cari/kata.json"' in page


def test_the_word_list_follows_a_renamed_service_in_a_rebuild_with_the_cache_on(tmp_path):
    data = write_site_data(tmp_path / "data")
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    site = build_site(tmp_path / "situs", data, overrides=cache)
    before = json.loads((site / "cari" / spelling.FILE).read_text(encoding="utf-8"))
    assert "kelahiran" in before["kata"] and "kutipan" not in before["kata"]
    write_site_data(data, services=[
        service(nama="Penerbitan Kutipan Akta Kelahiran"),
        service(kode="ktp-el", nama="Penerbitan KTP-el", berlaku_sejak="2024-05-02")])
    site = build_site(tmp_path / "situs", data, overrides=cache)
    after = json.loads((site / "cari" / spelling.FILE).read_text(encoding="utf-8"))
    assert "kutipan" in after["kata"]


# --- the search page ------------------------------------------------------------------------


def _search(page, server, query: str) -> str:
    """Open the search page for `query`; return the status line once every result is shown."""
    page.goto(f"{server.url}/cari/?q={query}")
    page.wait_for_function(
        "() => { const s = document.getElementById('status-cari').textContent;"
        " return s && s !== 'Mencari…'"
        " && !document.getElementById('hasil-cari').hasAttribute('aria-busy'); }")
    return page.locator("#status-cari").inner_text()


def _services_found(page) -> list[str]:
    group = page.locator(".result-group").filter(
        has=page.get_by_role("heading", name=re.compile(r"^Layanan")))
    return group.locator("li > a").all_inner_texts()


def _example_service(kode: str) -> str:
    with open(ROOT / "data" / "standar-pelayanan.csv", encoding="utf-8-sig", newline="") as f:
        return next(row["nama"] for row in csv.DictReader(f) if row["kode"] == kode)


@pytest.mark.browser
def test_an_old_spelling_shows_the_results_of_the_standard_one_and_says_so(phone, site_server):
    fetched = []
    phone.on("request", lambda r: fetched.append(r.url) if "kata.json" in r.url else None)
    status = _search(phone, site_server, "akte kelahiran")
    assert status.startswith("Tidak ada hasil untuk “akte kelahiran”. Menampilkan hasil untuk "
                             "“akta kelahiran” ("), status
    assert phone.get_by_role("status").inner_text() == status
    assert _services_found(phone)[0] == _example_service("akta-kelahiran")
    assert len(fetched) == 1
    # What was typed can still be searched as it is: then nothing is corrected.
    exact = phone.get_by_role("link", name="Cari persis “akte kelahiran”")
    assert "persis=1" in exact.get_attribute("href")
    exact.click()
    phone.wait_for_url(re.compile(r"persis=1"))
    phone.get_by_text("Tidak ada halaman yang cocok dengan “akte kelahiran”").wait_for()
    assert phone.locator(".result-group, .search-correction").count() == 0


@pytest.mark.browser
def test_a_corrected_search_has_no_wcag_violation(desktop, site_server):
    # The explanation is the status line screen readers announce; the link is an ordinary one.
    axe = NODE_MODULES / "axe-core" / "axe.min.js"
    if not axe.exists():
        pytest.fail(f"{axe} is missing: run `make test` (it runs `npm ci`)")
    _search(desktop, site_server, "akte kelahiran")
    assert desktop.locator(".search-correction a").count() == 1
    desktop.add_script_tag(path=str(axe))
    result = desktop.evaluate("o => axe.run(document, o)", {"runOnly": {"type": "tag", "values": [
        "wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]}})
    assert result["violations"] == [], [(v["id"], v["help"]) for v in result["violations"]]


@pytest.mark.browser
def test_a_typo_shows_the_results_of_the_nearest_listed_word(desktop, site_server):
    status = _search(desktop, site_server, "kartu kluarga")
    assert "Menampilkan hasil untuk “kartu keluarga”" in status, status
    assert _example_service("kartu-keluarga") in _services_found(desktop)
    # A lone word Pagefind finds only by its fallback (its one-letter beginning) too.
    status = _search(desktop, site_server, "Kelaurga")
    assert "Menampilkan hasil untuk “Keluarga”" in status, status
    assert _example_service("kartu-keluarga") in _services_found(desktop)


@pytest.mark.browser
def test_an_abbreviation_finds_the_service_it_stands_for(desktop, site_server):
    # "KK" is written on the example's pages: Pagefind finds it as typed.
    _search(desktop, site_server, "KK")
    assert _example_service("kartu-keluarga") in _services_found(desktop)
    # The SIUP became the NIB; the example only speaks of the NIB.
    status = _search(desktop, site_server, "SIUP")
    assert "Menampilkan hasil untuk “nomor induk berusaha”" in status, status
    assert _services_found(desktop)[0] == _example_service("nib-oss")


@pytest.mark.browser
def test_few_results_come_with_a_suggestion_and_are_kept(desktop, site_server):
    status = _search(desktop, site_server, "ijin apotik")
    assert status.endswith("Mungkin maksud Anda “izin apotek”?"), status
    suggestion = desktop.locator(".search-correction a")
    assert re.fullmatch(r"Cari “izin apotek” \(\d+ halaman\)", suggestion.inner_text())
    assert suggestion.get_attribute("href").endswith("/cari/?q=izin+apotek")


@pytest.mark.browser
def test_a_query_that_is_found_is_not_corrected_and_fetches_no_word_list(desktop, site_server):
    # neither the word list nor the script that corrects with it: a search that works costs
    # a slow phone nothing more
    fetched = []
    desktop.on("request", lambda r: fetched.append(r.url)
               if "kata.json" in r.url or "ejaan.js" in r.url else None)
    desktop.goto(site_server.url + "/cari/")
    desktop.wait_for_load_state("networkidle")
    status = _search(desktop, site_server, "akta kelahiran")
    assert re.fullmatch(r"\d+ halaman cocok dengan “akta kelahiran”\.", status), status
    assert desktop.locator(".search-correction").count() == 0
    assert _services_found(desktop)[0] == _example_service("akta-kelahiran")
    assert fetched == []


@pytest.mark.browser
def test_a_word_like_no_other_still_says_nothing_was_found(desktop, site_server):
    status = _search(desktop, site_server, "qwxyz")
    assert status.startswith("Tidak ada halaman yang cocok dengan “qwxyz”."), status
    assert desktop.locator(".result-group, .search-correction").count() == 0
    # Pagefind's fallback finds "xyzabc" by its first letter, the "x" of "4 x 6 cm" in two
    # services' requirements: pages that have nothing to do with what was typed.
    status = _search(desktop, site_server, "xyzabc")
    assert status.startswith("Tidak ada halaman yang cocok dengan “xyzabc”."), status
    assert desktop.locator(".result-group, .search-correction").count() == 0
