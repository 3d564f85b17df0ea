"""A citizen finds a service by a word they know — even a word from its requirements.

Pagefind indexes the built site (Indonesian stemming) during `etalase build`; the search page
runs the index in the browser and groups results by type. Without JavaScript the search page
explains itself and links to the browse pages.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter

import pytest

from conftest import ROOT, LocalServer, build_site, follow
from etalase.errors import DataError
from etalase.seo import SEARCH_GROUPS
from frontend_helpers import html_files

WORD = re.compile(r"[a-z]{7,}")


def _a_word_only_one_service_requires():
    """(word, service row): a word in one service's persyaratan and nowhere else in the table."""
    with open(ROOT / "data" / "standar-pelayanan.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    in_rows = Counter(w for row in rows for w in set(WORD.findall(" ".join(row.values()).lower())))
    # The longest such word, leaving out "-nya" forms (a citizen types the plain word).
    candidates = sorted(((w, row) for row in rows
                         for w in set(WORD.findall(row["persyaratan"].lower()))
                         if in_rows[w] == 1 and not w.endswith("nya")),
                        key=lambda c: (-len(c[0]), c[0]))
    if not candidates:
        pytest.fail("the example data has no requirement word unique to one service")
    return candidates[0]


@pytest.mark.browser
def test_a_word_from_one_services_requirements_finds_that_service_and_opens_it(phone,
                                                                             site_server):
    word, service = _a_word_only_one_service_requires()
    phone.goto(site_server.url + "/")
    phone.get_by_role("searchbox", name="Cari di situs ini").fill(word)
    phone.keyboard.press("Enter")
    phone.wait_for_url(re.compile(r"/cari/\?q="))
    services = phone.locator(".result-group").filter(
        has=phone.get_by_role("heading", name=re.compile(r"^Layanan")))
    services.locator("li a").first.wait_for()
    # Indonesian stemming may also bring services with the same root word; ours is listed.
    found = services.get_by_role("link", name=service["nama"], exact=True)
    assert found.count() == 1, services.locator("li a").all_inner_texts()
    follow(found)
    assert phone.url.endswith(f"/layanan/{service['kode']}/")
    assert phone.locator("h1").inner_text() == service["nama"]
    assert word in phone.locator("#persyaratan").inner_text().lower()


@pytest.mark.browser
def test_a_service_is_indexed_by_what_citizens_search_by_not_its_management_texts(
        desktop, site_server):
    # Citizens search by name, requirement, fee or product; the long procedure, complaint and
    # management texts made the index of 10 000 services several GB to build. The page itself
    # still shows them in full.
    from etalase.components import MANAGEMENT
    from etalase.textformat import split_list

    with open(ROOT / "data" / "standar-pelayanan.csv", encoding="utf-8-sig", newline="") as f:
        service = next(csv.DictReader(f))
    path = f"/layanan/{service['kode']}/"
    desktop.goto(site_server.url + "/cari/")
    indexed = desktop.evaluate("""async ([name, path]) => {
        const pagefind = await import("/pagefind/pagefind.js");
        const search = await pagefind.search(name);
        for (const result of search.results) {
            const data = await result.data();
            if (data.url === path) return data.content;
        }
        return null;
    }""", [service["nama"], path])
    assert indexed is not None, f"{path} is not in the search index"
    words = lambda text: " ".join(re.findall(r"\w+", text.lower()))  # noqa: E731
    assert words(service["nama"]) in words(indexed)
    first_requirement = split_list(service["persyaratan"])[0]
    assert words(first_requirement) in words(indexed)
    desktop.goto(site_server.url + path)
    for component in MANAGEMENT:
        text = split_list(service[component.column])[0]
        assert words(text) in words(desktop.locator(f"#{component.column}").inner_text())
        assert words(text) not in words(indexed), component.column


@pytest.mark.browser
def test_results_are_grouped_by_type_in_a_fixed_order(desktop, site_server):
    desktop.goto(site_server.url + "/cari/?q=pengaduan")
    desktop.locator(".result-group li").first.wait_for()
    # The groups arrive one by one; the list says when it is complete (aria-busy).
    desktop.locator("#hasil-cari:not([aria-busy])").wait_for()
    headings = desktop.locator(".result-group h2").all_inner_texts()
    names = [h.split(" (")[0] for h in headings]
    order = [name for name, _ in SEARCH_GROUPS]
    assert len(names) >= 3, headings
    assert names == sorted(names, key=order.index)
    # Each heading counts its results; a long group shows five and offers more on request.
    long_group = None
    for group in desktop.locator(".result-group").all():
        count = int(re.search(r"\((\d+)\)", group.locator("h2").inner_text()).group(1))
        assert group.locator("li").count() == min(count, 5)
        assert group.locator("button.more").count() == (1 if count > 5 else 0)
        if count > 5 and long_group is None:
            long_group = group
    assert long_group is not None
    long_group.locator("button.more").click()
    desktop.wait_for_function("g => g.querySelectorAll('li').length > 5",
                              arg=long_group.element_handle())
    # Keyboard users land on the first newly shown result.
    assert desktop.evaluate("document.activeElement.closest('li') !== null")
    assert "pengaduan" in desktop.locator("#status-cari").inner_text()


@pytest.mark.browser
def test_a_more_button_says_which_group_it_adds_to(desktop, site_server):
    # A screen reader may list the page's buttons: "Tampilkan 5 lagi" alone says not of what.
    desktop.goto(site_server.url + "/cari/?q=pengaduan")
    desktop.locator("#hasil-cari:not([aria-busy])").wait_for()
    for group in desktop.locator(".result-group").all():
        if group.locator("button.more").count():
            name = group.locator("h2").inner_text().split(" (")[0].lower()
            assert re.fullmatch(rf"Tampilkan \d+ {name} lagi",
                                group.locator("button.more").inner_text())


@pytest.mark.browser
def test_a_search_index_that_does_not_arrive_is_said_not_left_searching(desktop, site_server):
    # A dropped connection on a phone: "Mencari…" must not stay on screen for ever.
    desktop.route("**/pagefind/**", lambda route: route.abort())
    desktop.goto(site_server.url + "/cari/?q=akta")
    desktop.get_by_text("Pencarian tidak dapat dimuat").wait_for()
    assert "Periksa sambungan internet" in desktop.locator("#status-cari").inner_text()
    assert desktop.locator("#hasil-cari.menunggu, #hasil-cari[aria-busy]").count() == 0


@pytest.mark.browser
def test_an_empty_search_asks_for_a_word(desktop, site_server):
    desktop.goto(site_server.url + "/cari/")
    desktop.locator("#q").press("Enter")
    desktop.get_by_text("Tulis dulu kata yang dicari").wait_for()
    assert desktop.locator(".result-group").count() == 0


@pytest.mark.browser
def test_a_word_nothing_matches_says_so(desktop, site_server):
    desktop.goto(site_server.url + "/cari/")
    desktop.locator("#q").fill("zzqxj")
    desktop.locator("#q").press("Enter")
    desktop.get_by_text("Tidak ada halaman yang cocok").wait_for()
    assert desktop.locator(".result-group").count() == 0
    assert desktop.url.endswith("/cari/?q=zzqxj")


@pytest.mark.browser
def test_without_javascript_the_search_box_lands_on_a_page_that_explains_and_links_to_browsing(
        chromium, site_server):
    context = chromium.new_context(java_script_enabled=False, locale="id-ID")
    page = context.new_page()
    try:
        page.goto(site_server.url + "/layanan/")
        page.get_by_role("searchbox", name="Cari di situs ini").fill("akta kelahiran")
        page.get_by_role("button", name="Cari").first.click()
        page.wait_for_url(re.compile(r"/cari/\?q=akta\+kelahiran"))
        notice = page.locator("#tanpa-js")
        assert notice.is_visible()
        assert "JavaScript" in notice.inner_text()
        links = notice.locator("a")
        assert "/layanan/" in [links.nth(i).get_attribute("href") for i in range(links.count())]
        follow(notice.get_by_role("link", name="Layanan"))
        assert page.url.endswith("/layanan/")
    finally:
        context.close()


@pytest.mark.browser
def test_with_javascript_the_no_javascript_notice_is_hidden(desktop, site_server):
    desktop.goto(site_server.url + "/cari/")
    desktop.wait_for_load_state("networkidle")
    assert not desktop.locator("#tanpa-js").is_visible()


def test_every_page_is_indexed_in_indonesian_except_search_404_and_per_service_statistics(
        example_site):
    entry = json.loads((example_site / "pagefind" / "pagefind-entry.json").read_text())
    assert list(entry["languages"]) == ["id"]
    pages = html_files(example_site)
    # A service's statistics page is reached from its service page, which is the result a
    # citizen needs; indexing both doubled the index of a province's site.
    per_service_statistics = list((example_site / "statistik" / "layanan").glob("*/index.html"))
    assert per_service_statistics
    assert entry["languages"]["id"]["page_count"] == len(pages) - 2 - len(per_service_statistics)
    # Pagefind's ready-made interfaces are not published: the search page has its own script.
    assert not list((example_site / "pagefind").glob("pagefind-*ui*"))


def test_every_indexed_page_says_which_result_group_it_belongs_to(example_site):
    groups = {name for name, _ in SEARCH_GROUPS}
    seen = Counter()
    for page in html_files(example_site):
        main = re.search(r"<main[^>]*>", page.read_text(encoding="utf-8")).group(0)
        if "data-pagefind-body" not in main:
            continue
        jenis = re.search(r'data-pagefind-filter="jenis:([^"]+)"', main).group(1)
        assert jenis in groups, page
        seen[jenis] += 1
    assert set(seen) == groups, seen
    assert seen["Layanan"] == sum(1 for p in html_files(example_site)
                                  if '<body class="layanan"' in p.read_text(encoding="utf-8"))


def test_a_failed_search_index_leaves_the_published_site_untouched(tmp_path, data_dir,
                                                                  monkeypatch):
    output = build_site(tmp_path / "output", data_dir)
    before = sorted(p.relative_to(output) for p in output.rglob("*"))
    marker = output / "index.html"
    stamp = marker.stat().st_mtime_ns
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", "/bin/false")  # Pagefind fails
    with pytest.raises(DataError) as failure:
        build_site(tmp_path / "output", data_dir)
    assert "indeks pencarian" in str(failure.value)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "tidak-ada"))  # or is not there
    with pytest.raises(DataError) as failure:
        build_site(tmp_path / "output", data_dir)
    [problem] = failure.value.problems
    assert "indeks pencarian" in problem.expected and problem.value.endswith("tidak-ada")
    assert sorted(p.relative_to(output) for p in output.rglob("*")) == before
    assert marker.stat().st_mtime_ns == stamp
    assert not list(tmp_path.glob(".output-baru-*")), "the half-built folder is removed"


def test_indexing_the_same_site_twice_gives_byte_identical_files(example_site, tmp_path):
    # Pagefind itself writes filter values in a random order; search.py sorts them.
    import hashlib
    import shutil

    from etalase.search import index_site

    digests = []
    for name in ("a", "b"):
        site = tmp_path / name
        shutil.copytree(example_site, site, ignore=shutil.ignore_patterns("pagefind"))
        bundle = index_site(site)
        digests.append({p.relative_to(bundle).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
                        for p in sorted(bundle.rglob("*")) if p.is_file()})
    assert digests[0] == digests[1]
    assert any(name.startswith("filter/") for name in digests[0])


def test_what_the_search_index_reads_of_a_page_leaves_out_only_ignored_parts():
    # What decides whether a rebuild indexes a page again (search.page_digests).
    from etalase.search import indexed_digest

    def page(body="Syarat: KTP asli.", box="Tepat waktu 91 %", kind="Layanan",
             header="Beranda"):
        return (f'<!doctype html><html lang="id"><head><title>A</title></head><body>'
                f'<nav>{header}</nav><main data-pagefind-body data-pagefind-filter="jenis:{kind}">'
                f'<h1>Akta</h1><p>{body}</p><aside data-pagefind-ignore="all">{box}</aside>'
                f'</main></body></html>').encode()

    base = indexed_digest(page())
    assert indexed_digest(page(box="Tepat waktu 88 %")) == base
    assert indexed_digest(page(header="Menu")) == base  # text outside the indexed part
    assert indexed_digest(page(body="Syarat: KTP dan KK.")) != base
    assert indexed_digest(page(kind="Penyelenggara")) != base
    # A page that marks no indexed part is read whole.
    whole = b"<html><body><nav>Beranda</nav><p>Isi</p></body></html>"
    assert indexed_digest(whole) != indexed_digest(whole.replace(b"Beranda", b"Menu"))
    assert indexed_digest(b"") != indexed_digest(b" ")  # not even a document

    # Where Pagefind may take a result's title and image from, anywhere on the page.
    titled = page().replace(b"<title>A</title>", b"<title>B</title>")
    assert indexed_digest(titled) != base
    assert indexed_digest(page(header='<h1>Menu</h1>')) != base
    assert indexed_digest(page(header='<img src="a.png" alt="Logo">')) != indexed_digest(
        page(header='<img src="a.png" alt="Logo baru">'))

    # What Pagefind never indexes, even inside the indexed part: scripts, forms (a date
    # field's example value), drawings; unless it holds a `data-pagefind-*` attribute. Of
    # those, an element with an id counts by its text: Pagefind keeps it as an anchor.
    ld = '<script type="application/ld+json">{{"dateModified": "{}"}}</script>'
    assert indexed_digest(page(body="x" + ld.format("2026-01-01"))) == indexed_digest(
        page(body="x" + ld.format("2026-02-01")))
    form = '<form><label>Tanggal</label><input type="date" value="{}"></form>'
    assert indexed_digest(page(body=form.format("2026-01-05"))) == indexed_digest(
        page(body=form.format("2026-02-05")))
    data = '<script type="application/json" id="libur">["{}"]</script>'
    assert indexed_digest(page(body=data.format("2026-01-01"))) != indexed_digest(
        page(body=data.format("2026-02-01")))
    assert indexed_digest(page(body=form.replace("<form>", '<form id="a">'))) != \
        indexed_digest(page(body=form.replace("<form>", '<form id="b">')))
    assert indexed_digest(page(body="<svg><text>12</text></svg>")) == indexed_digest(
        page(body="<svg><text>13</text></svg>"))
    meta = '<form><span data-pagefind-meta="tanggal">{}</span></form>'
    assert indexed_digest(page(body=meta.format("5 Januari"))) != indexed_digest(
        page(body=meta.format("5 Februari")))
    assert indexed_digest(page(body=ld.format("2026-01-01") + "KTP")) != indexed_digest(
        page(body=ld.format("2026-01-01") + "KK"))  # the text after it is read


def _set_summary(data, kode: str, text: str) -> str:
    """Give one service of `data` a new `ringkasan`; return the service's name."""
    path = data / "standar-pelayanan.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    [row] = [r for r in rows[1:] if r[header.index("kode")] == kode]
    row[header.index("ringkasan")] = text
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return row[header.index("nama")]


@pytest.mark.browser
def test_a_preview_indexes_again_only_the_changed_page_and_search_finds_only_its_new_text(
        desktop, tmp_path, copy_example_data):
    # With the cache on (as in `etalase devserver`), Pagefind indexes only the pages whose
    # searchable text changed, as a second index beside the one kept from the last whole
    # index; the search page merges the two and leaves out what the second one replaces.
    data = copy_example_data
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    name = _set_summary(data, "akta-kelahiran", "Dahulu disebut surat qizvork.")
    site = build_site(tmp_path / "situs", data, overrides=cache)
    assert json.loads((site / "pagefind/tambahan.json").read_text()) == {
        "tambahan": None, "diganti": []}
    _set_summary(data, "akta-kelahiran", "Kini disebut surat plumtrax.")
    site = build_site(tmp_path / "situs", data, overrides=cache)
    info = json.loads((site / "pagefind/tambahan.json").read_text())
    assert info["tambahan"] == "tambahan/" and len(info["diganti"]) == 1
    entry = json.loads((site / "pagefind/tambahan/pagefind-entry.json").read_text())
    assert entry["languages"]["id"]["page_count"] == 1

    def found(word: str) -> dict[str, str]:
        desktop.goto(f"{server.url}/cari/?q={word}")
        desktop.wait_for_function(
            "() => { const s = document.getElementById('status-cari').textContent;"
            " return s && s !== 'Mencari…'"
            " && !document.getElementById('hasil-cari').hasAttribute('aria-busy'); }")
        links = desktop.locator("#hasil-cari li a")
        names = links.all_inner_texts()
        assert len(names) == len(set(names)), names  # each page once
        return dict(zip(names, (a.get_attribute("href") for a in links.all())))

    with LocalServer(site) as server:
        assert found("plumtrax").get(name) == "/layanan/akta-kelahiran/"
        assert name not in found("qizvork")
        # The other pages are still found through the kept index.
        assert "Surat Izin Praktik (SIP) Dokter dan Dokter Gigi" in found("dokter")


def test_a_new_build_date_alone_leaves_the_kept_search_index_as_it_is(tmp_path, monkeypatch):
    # After every commit the build date changes. Pages show it in the footer, in the request
    # form and the worked example of the PPID deadlines, in the DIP and in the compliance
    # check, none of it as text Pagefind indexes: a preview after a commit indexes no page
    # again, and keeps its whole index (linked, not made again).
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    day = 86_400
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_763_000_000))
    first = build_site(tmp_path / "pertama", overrides=cache)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(1_763_000_000 + 3 * day))
    site = build_site(tmp_path / "situs", overrides=cache)
    entry = "pagefind/pagefind-entry.json"
    assert (site / entry).stat().st_ino == (first / entry).stat().st_ino
    footer = "Diperbarui 16 November 2025"
    assert footer in (site / "data/standar-pelayanan/index.html").read_text(encoding="utf-8")
    assert footer not in (first / "data/standar-pelayanan/index.html").read_text(encoding="utf-8")
    assert json.loads((site / "pagefind/tambahan.json").read_text()) == {
        "tambahan": None, "diganti": []}


def test_a_rebuild_indexes_everything_again_when_the_changes_are_many():
    from etalase.search import _changes, overlay_limit

    base = {f"layanan/l{i}/index.html": [f"d{i}", f"id_{i}"] for i in range(400)}
    pages = {p: (d, True) for p, (d, _) in base.items()}
    assert _changes(base, pages) == ([], [])
    pages["layanan/l1/index.html"] = ("baru", True)
    del pages["layanan/l2/index.html"]
    assert _changes(base, pages) == (["layanan/l1/index.html"], ["layanan/l2/index.html"])
    many = dict(pages, **{f"layanan/l{i}/index.html": ("baru", True)
                          for i in range(3, 3 + overlay_limit(len(pages)))})
    assert _changes(base, many) is None
    # Any name will do: Pagefind is given a folder of the changed pages, not a list of them.
    odd = "a{b},*?[c]/index.html"
    assert _changes(base, dict(pages, **{odd: ("baru", True)})) == (
        [odd, "layanan/l1/index.html"], ["layanan/l2/index.html"])


def _small_site(folder, count: int, word: str = "kata"):
    """A site of `count` pages, each with its own searchable text."""
    for i in range(count):
        page = folder / f"layanan/l{i}/index.html"
        page.parent.mkdir(parents=True, exist_ok=True)
        page.write_text(f'<html lang="id"><head><title>Layanan {i}</title></head><body>'
                        f'<main data-pagefind-body><h1>Layanan {i}</h1><p>{word}{i}</p>'
                        '</main></body></html>', encoding="utf-8")
    return folder


def _index_again(site, kept, memo):
    from etalase.pagecache import FileFacts
    from etalase.search import indexing

    facts = FileFacts(memo)
    with indexing(site, kept, facts):
        pass
    facts.save()
    info = json.loads((site / "pagefind/tambahan.json").read_text(encoding="utf-8"))
    whole = json.loads((site / "pagefind/pagefind-entry.json").read_text(encoding="utf-8"))
    assert not [p.name for p in site.iterdir() if p.name.startswith(".")]  # nothing left over
    return info, whole["languages"]["id"]["page_count"]


@pytest.mark.parametrize("with_cp", [True, False])
def test_the_kept_index_is_used_when_few_pages_changed_and_a_whole_one_made_when_many_went(
        tmp_path, monkeypatch, with_cp):
    # Each site is a new folder, as each build's is; what was read of a page is remembered by
    # the file (its links keep their identity), and the whole index of the first is kept.
    # Without GNU cp (or hard links), the kept index is copied another way.
    import shutil

    if not with_cp:
        monkeypatch.setenv("PATH", str(tmp_path / "tanpa-program"))

    kept, memo = tmp_path / "cache" / "pencarian", tmp_path / "cache" / "berkas.pickle"
    first = _small_site(tmp_path / "a", 30)
    assert _index_again(first, kept, memo) == ({"tambahan": None, "diganti": []}, 30)

    same = tmp_path / "b"
    shutil.copytree(first, same, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    assert _index_again(same, kept, memo) == ({"tambahan": None, "diganti": []}, 30)

    # Every page written anew, the same: Pagefind starts on them all at once, and is stopped
    # once they are found to read the same (the kept index's files are linked).
    rewritten = tmp_path / "r"
    shutil.copytree(first, rewritten, ignore=shutil.ignore_patterns("pagefind"))
    assert _index_again(rewritten, kept, memo) == ({"tambahan": None, "diganti": []}, 30)
    assert (rewritten / "pagefind/pagefind-entry.json").stat().st_ino == (
        kept / "indeks/dasar/pagefind-entry.json").stat().st_ino

    one = tmp_path / "c"
    shutil.copytree(first, one, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    (one / "layanan/l3/index.html").unlink()
    _small_site(tmp_path / "baru", 4, word="baru")
    shutil.copy(tmp_path / "baru/layanan/l3/index.html", one / "layanan/l3/index.html")
    info, count = _index_again(one, kept, memo)
    assert (info["tambahan"], len(info["diganti"]), count) == ("tambahan/", 1, 30)
    entry = json.loads((one / "pagefind/tambahan/pagefind-entry.json").read_text())
    assert entry["languages"]["id"]["page_count"] == 1  # the changed page, beside the base

    # Nearly every page gone: nothing is read anew, but the kept index would mostly answer
    # with pages that are no more, so a whole index is made of what is left.
    few = tmp_path / "d"
    shutil.copytree(first, few, copy_function=os.link, ignore=shutil.ignore_patterns("pagefind"))
    for i in range(5, 30):
        shutil.rmtree(few / f"layanan/l{i}")
    assert _index_again(few, kept, memo) == ({"tambahan": None, "diganti": []}, 5)


@pytest.mark.parametrize("with_cp", [True, False])
def test_the_kept_index_is_linked_file_by_file_with_or_without_gnu_cp(tmp_path, monkeypatch,
                                                                      with_cp):
    from etalase.pagecache import link_tree

    source = _small_site(tmp_path / "dasar", 3)
    (source / "kosong").mkdir()
    if not with_cp:
        monkeypatch.setenv("PATH", str(tmp_path / "tanpa-program"))
    target = tmp_path / "salinan"
    target.mkdir()
    link_tree(source, target)
    files = sorted(p.relative_to(source) for p in source.rglob("*"))
    assert sorted(p.relative_to(target) for p in target.rglob("*")) == files
    assert all((source / f).stat().st_ino == (target / f).stat().st_ino
               for f in files if (source / f).is_file())


@pytest.mark.browser
def test_a_code_of_ethics_is_not_found_by_the_names_of_the_services_it_binds(desktop,
                                                                            site_server):
    # Its page lists every service it binds: it came up for almost any service's name.
    desktop.goto(site_server.url + "/cari/?q=npwpd")
    groups = desktop.locator(".result-group")
    groups.first.wait_for()
    headings = groups.get_by_role("heading").all_inner_texts()
    assert any(h.startswith("Layanan") for h in headings), headings
    assert not any(h.startswith("Kode etik") for h in headings), headings
