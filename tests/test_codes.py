"""Codes of ethics and conduct: staff write them as tables, citizens read them from every service.

Covers loading and validation (every mistake with file, row, column, value and what was
expected), the code pages and their index, the block on each service page that names the
binding code and the complaint channels, the downloads, and the example site.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, follow
from factories import provider, service, write_csv, write_site_data

from etalase import codes, services
from etalase.errors import DataError
from etalase.schema import load_schema
from etalase.site import Site, load_site

LIST_COLUMNS = ["kode_etik", "judul", "nama_pendek", "ringkasan", "dasar_hukum", "berlaku_sejak",
                "berlaku_untuk", "keterangan"]
ITEM_COLUMNS = ["kode_etik", "bagian", "nomor", "butir", "dasar_hukum"]


def code(**overrides) -> dict:
    row = {
        "kode_etik": "perilaku-pelaksana",
        "judul": "Kode Perilaku Pelaksana Pelayanan Publik",
        "nama_pendek": "Kode Perilaku Pelaksana",
        "ringkasan": "Petugas wajib melayani Anda dengan adil dan tanpa mempersulit.",
        "dasar_hukum": "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik, Pasal 34",
        "berlaku_sejak": "2009-07-18",
        "berlaku_untuk": "semua",
        "keterangan": "",
    }
    row.update(overrides)
    return row


def item(**overrides) -> dict:
    row = {"kode_etik": "perilaku-pelaksana", "bagian": "perilaku", "nomor": "a",
           "butir": "adil dan tidak diskriminatif;", "dasar_hukum": "Pasal 34 huruf a UU 25/2009"}
    row.update(overrides)
    return row


DEFAULT_ITEMS = [
    item(),
    item(nomor="b", butir="peduli, teliti, dan cermat;", dasar_hukum="Pasal 34 huruf b UU 25/2009"),
    item(bagian="sanksi", nomor="1", butir="Teguran tertulis.", dasar_hukum="Pasal 54 UU 25/2009"),
]


def write_codes(data_dir: Path, codes_rows=None, items=None) -> Path:
    write_csv(data_dir / "kode-etik-daftar.csv", LIST_COLUMNS,
              codes_rows if codes_rows is not None else [code()])
    write_csv(data_dir / "kode-etik.csv", ITEM_COLUMNS,
              items if items is not None else DEFAULT_ITEMS)
    return data_dir


def two_providers(data_dir: Path) -> Path:
    """Disdukcapil with akta-kelahiran and ktp-el, DPMPTSP with nib."""
    return write_site_data(data_dir, providers=[
        provider(),
        provider(kode="dpmptsp", nama="Dinas Penanaman Modal dan PTSP", singkatan="DPMPTSP"),
    ], services=[
        service(),
        service(kode="ktp-el", nama="Penerbitan KTP-el"),
        service(kode="nib", nama="Nomor Induk Berusaha", penyelenggara="dpmptsp",
                pengaduan="Surel: dpmptsp@contoh.example\nSP4N-LAPOR! https://www.lapor.go.id"),
    ])


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_site(data_dir, root=data_dir.parent)
    return [str(p) for p in err.value.problems]


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


# --- loading --------------------------------------------------------------------------------


def test_items_are_grouped_into_parts_in_the_order_of_a_code_and_numbered_in_order(data_dir):
    write_codes(data_dir, items=[
        item(bagian="larangan", nomor="10", butir="menerima imbalan di luar biaya resmi;"),
        item(bagian="larangan", nomor="2", butir="mempersulit pemohon;"),
        item(bagian="nilai_dasar", nomor="1", butir="Berorientasi pelayanan."),
        item(bagian="larangan", nomor="1", butir="menyalahgunakan wewenang;"),
        item(bagian="kewajiban", nomor="1", butir="memakai tanda pengenal;"),
    ])
    site = load_site(data_dir, root=data_dir.parent)
    loaded = site.parts["codes"]["perilaku-pelaksana"]
    assert [p.key for p in loaded.parts] == ["nilai_dasar", "kewajiban", "larangan"]
    assert [i.nomor for i in loaded.parts[2].items] == ["1", "2", "10"]
    assert loaded.parts[2].items[2].butir == "menerima imbalan di luar biaya resmi;"


def test_a_code_for_everyone_binds_every_service_and_a_listed_code_only_its_providers(tmp_path):
    data = two_providers(tmp_path / "data")
    write_codes(data, codes_rows=[
        code(),
        code(kode_etik="kode-etik-ppid", judul="Kode Etik PPID", berlaku_untuk="dpmptsp"),
    ], items=[*DEFAULT_ITEMS, item(kode_etik="kode-etik-ppid", bagian="larangan", nomor="1")])
    site = load_site(data, root=data.parent)
    bound = {k: [c.kode for c in s.parts["kode_etik"]] for k, s in site.services.items()}
    assert bound == {
        "akta-kelahiran": ["perilaku-pelaksana"],
        "ktp-el": ["perilaku-pelaksana"],
        "nib": ["perilaku-pelaksana", "kode-etik-ppid"],
    }


@pytest.mark.parametrize("written", ["", "semua", "Semua"])
def test_a_blank_or_semua_berlaku_untuk_means_every_provider(data_dir, written):
    write_codes(data_dir, codes_rows=[code(berlaku_untuk=written)])
    site = load_site(data_dir, root=data_dir.parent)
    assert site.parts["codes"]["perilaku-pelaksana"].binds_everyone
    assert site.services["ktp-el"].parts["kode_etik"][0].kode == "perilaku-pelaksana"


def test_without_code_files_the_site_loads_and_services_are_bound_by_no_code(data_dir):
    site = load_site(data_dir, root=data_dir.parent)
    assert site.parts["codes"] == {}
    assert site.services["ktp-el"].parts["kode_etik"] == []
    assert "kode-etik" not in site.datasets


def test_a_preamble_is_read_from_markdown_and_sanitised(data_dir):
    write_codes(data_dir)
    folder = data_dir.parent / "content" / "kode-etik"
    folder.mkdir(parents=True)
    (folder / "perilaku-pelaksana.md").write_text(
        "Petugas disebut **pelaksana**.\n\n<script>alert(1)</script><a href=\"#\" "
        "onclick=\"x()\">tautan</a>\n", encoding="utf-8")
    site = load_site(data_dir, root=data_dir.parent)
    html = str(site.parts["codes"]["perilaku-pelaksana"].preamble)
    assert "<strong>pelaksana</strong>" in html
    assert "<script" not in html and "onclick" not in html


# --- validation -----------------------------------------------------------------------------


def test_an_unknown_provider_in_berlaku_untuk_is_reported_with_row_column_and_value(data_dir):
    write_codes(data_dir, codes_rows=[code(berlaku_untuk="disdukcapil\ndinas-tidak-ada")])
    assert _problems(data_dir) == [
        'data/kode-etik-daftar.csv:2: kolom "berlaku_untuk": "dinas-tidak-ada" bukan kode '
        'penyelenggara di data/penyelenggara.csv; tulis "semua" atau kode penyelenggara yang '
        "terdaftar, satu per baris (disdukcapil)"
    ]


def test_the_same_number_twice_in_one_part_is_reported_but_not_across_parts(data_dir):
    write_codes(data_dir, items=[
        item(nomor="a"),
        item(bagian="sanksi", nomor="a", butir="Teguran tertulis."),  # another part: fine
        item(nomor="a", butir="peduli, teliti, dan cermat;"),
    ])
    assert _problems(data_dir) == [
        'data/kode-etik.csv:4: kolom "nomor": "a" sudah dipakai di baris 2 untuk bagian '
        '"perilaku" kode etik "perilaku-pelaksana"; setiap nomor hanya boleh sekali dalam satu '
        "bagian"
    ]


def test_an_unknown_part_is_reported_with_the_parts_that_are_allowed(data_dir):
    write_codes(data_dir, items=[*DEFAULT_ITEMS, item(bagian="Larangan", nomor="1")])
    assert _problems(data_dir) == [
        'data/kode-etik.csv:5: kolom "bagian": "Larangan" bukan nama bagian yang dikenal; tulis '
        "salah satu: nilai_dasar, prinsip, perilaku, kewajiban, larangan, sanksi, penegakan, "
        "pelaporan"
    ]


def test_an_item_of_a_code_missing_from_the_list_is_reported(data_dir):
    write_codes(data_dir, items=[*DEFAULT_ITEMS, item(kode_etik="kode-etik-asn", nomor="c")])
    assert _problems(data_dir) == [
        'data/kode-etik.csv:5: kolom "kode_etik": "kode-etik-asn" tidak ada di '
        "data/kode-etik-daftar.csv; isi dengan kode etik yang terdaftar (perilaku-pelaksana) "
        "atau tambahkan kodenya ke daftar"
    ]


def test_a_listed_code_without_any_item_is_reported(data_dir):
    write_codes(data_dir, codes_rows=[code(), code(kode_etik="kode-etik-asn", judul="Kode ASN")],
                items=DEFAULT_ITEMS)
    assert _problems(data_dir) == [
        'data/kode-etik-daftar.csv:3: kolom "kode_etik": "kode-etik-asn" belum punya satu butir '
        "pun di data/kode-etik.csv; tambahkan butirnya atau hapus baris ini"
    ]


def test_items_without_the_code_list_are_reported_as_a_missing_file(data_dir):
    write_codes(data_dir, items=DEFAULT_ITEMS)
    (data_dir / "kode-etik-daftar.csv").unlink()
    problems = _problems(data_dir)
    assert len(problems) == 1
    assert problems[0].startswith("data/kode-etik-daftar.csv: berkas tidak ditemukan, padahal "
                                  "data/kode-etik.csv berisi butir kode etik")


def test_schema_mistakes_in_both_files_are_reported_together_with_rows(data_dir):
    write_codes(data_dir, codes_rows=[code(berlaku_sejak="18-07-2009", kode_etik="Kode Etik")],
                items=[item(kode_etik="Kode Etik", nomor="1.", butir="")])
    problems = _problems(data_dir)
    assert 'data/kode-etik-daftar.csv:2: kolom "berlaku_sejak": "18-07-2009" bukan tanggal yang ' \
           "sah dengan format TTTT-BB-HH (contoh: 2025-07-31)" in problems
    assert any(p.startswith('data/kode-etik-daftar.csv:2: kolom "kode_etik": "Kode Etik" hanya '
                            "boleh huruf kecil") for p in problems)
    assert any(p.startswith('data/kode-etik.csv:2: kolom "nomor": "1." bukan nomor butir')
               for p in problems)
    assert 'data/kode-etik.csv:2: kolom "butir": kosong, padahal wajib diisi' in problems


def test_a_faulty_code_row_is_reported_once_not_again_for_each_of_its_items(data_dir):
    write_codes(data_dir, codes_rows=[code(berlaku_sejak="kemarin")])
    assert _problems(data_dir) == [
        'data/kode-etik-daftar.csv:2: kolom "berlaku_sejak": "kemarin" bukan tanggal yang sah '
        "dengan format TTTT-BB-HH (contoh: 2025-07-31)"
    ]


def test_a_faulty_code_row_does_not_make_its_preamble_look_orphaned(data_dir):
    write_codes(data_dir, codes_rows=[code(berlaku_sejak="18-07-2009")])
    folder = data_dir.parent / "content" / "kode-etik"
    folder.mkdir(parents=True)
    (folder / "perilaku-pelaksana.md").write_text("Pembuka.", encoding="utf-8")
    assert [p.split(":")[0] for p in _problems(data_dir)] == ["data/kode-etik-daftar.csv"]


def test_a_preamble_for_no_code_is_reported(data_dir):
    write_codes(data_dir)
    folder = data_dir.parent / "content" / "kode-etik"
    folder.mkdir(parents=True)
    (folder / "kode-etik-lama.md").write_text("Pembuka.", encoding="utf-8")
    problems = _problems(data_dir)
    assert problems == [
        'content/kode-etik/kode-etik-lama.md: "kode-etik-lama.md" bukan pembuka kode etik mana '
        "pun: nama berkas harus sama dengan kode_etik di data/kode-etik-daftar.csv "
        "(perilaku-pelaksana), diikuti .md"
    ]


def test_the_parts_staff_may_write_are_exactly_the_parts_a_code_page_shows():
    field = next(f for f in load_schema("kode-etik")["fields"] if f["name"] == "bagian")
    assert field["constraints"]["enum"] == [kind.key for kind in codes.PART_KINDS]
    for key in field["constraints"]["enum"]:
        assert key in field["etalase:invalid"]


# --- the built pages ------------------------------------------------------------------------


@pytest.fixture
def codes_site(tmp_path) -> Path:
    data = two_providers(tmp_path / "data")
    write_codes(data, codes_rows=[
        code(),
        code(kode_etik="kode-etik-ppid", judul="Kode Etik Pejabat Pengelola Informasi",
             nama_pendek="Kode Etik PPID", ringkasan="", berlaku_untuk="dpmptsp",
             berlaku_sejak="2024-03-01",
             dasar_hukum="UU 14/2008 tentang Keterbukaan Informasi Publik\nPerki 1/2021"),
    ], items=[
        *DEFAULT_ITEMS,
        item(kode_etik="kode-etik-ppid", bagian="larangan", nomor="2",
             butir="membuka data pribadi;"),
        item(kode_etik="kode-etik-ppid", bagian="larangan", nomor="1", butir="meminta imbalan;",
             dasar_hukum=""),
    ])
    return build_site(tmp_path / "output", data)


def test_each_code_has_a_page_with_its_parts_numbered_items_legal_basis_and_start_date(codes_site):
    page = _soup(codes_site / "kode-etik" / "kode-etik-ppid" / "index.html")
    assert page.h1.get_text() == "Kode Etik Pejabat Pengelola Informasi"
    facts = page.select_one(".code-facts").get_text(" ", strip=True)
    assert "Berlaku sejak 1 Maret 2024" in facts
    assert "UU 14/2008 tentang Keterbukaan Informasi Publik" in facts and "Perki 1/2021" in facts
    assert "Dinas Penanaman Modal dan PTSP" in facts
    assert "Dinas Kependudukan" not in facts
    assert [h.get_text() for h in page.select(".code-part h2")] == ["Larangan"]
    items = page.select("#larangan .code-items li")
    assert [li["id"] for li in items] == ["larangan-1", "larangan-2"]
    assert [li.select_one(".nomor").get_text() for li in items] == ["1.", "2."]
    assert items[0].select_one(".butir").get_text() == "meminta imbalan;"


def test_preamble_files_do_not_become_pages_of_their_own(codes_site):
    # content/kode-etik/*.md of the repository sit under Pelican's PATH; only codes.py reads them
    assert (ROOT / "content" / "kode-etik" / "kode-etik-asn.md").exists()
    for stem in ("kode-etik-asn", "perilaku-pelaksana"):
        assert not (codes_site / stem).exists()
        assert not (codes_site / "pages" / stem).exists()


def test_pasal_34_letters_are_kept_as_the_act_numbers_them(codes_site):
    page = _soup(codes_site / "kode-etik" / "perilaku-pelaksana" / "index.html")
    items = page.select("#perilaku .code-items li")
    assert [li.select_one(".nomor").get_text() for li in items] == ["a.", "b."]
    assert "(Pasal 34 huruf a UU 25/2009)" in items[0].get_text()
    assert [h.get_text() for h in page.select(".code-part h2")] == [
        "Perilaku yang wajib ditunjukkan petugas", "Sanksi"]


def test_the_index_lists_every_code_with_a_link_to_its_page(codes_site):
    page = _soup(codes_site / "kode-etik" / "index.html")
    links = {a["href"]: a.get_text() for a in page.select(".code-list a")}
    assert links == {"/kode-etik/perilaku-pelaksana/": "Kode Perilaku Pelaksana Pelayanan Publik",
                     "/kode-etik/kode-etik-ppid/": "Kode Etik Pejabat Pengelola Informasi"}
    metas = [li.select_one(".meta").get_text(" ", strip=True)
             for li in page.select(".code-list li")]
    assert "mengikat petugas semua penyelenggara" in metas[0]
    assert "mengikat petugas Dinas Penanaman Modal dan PTSP" in metas[1]
    assert "berlaku sejak 1 Maret 2024" in metas[1] and metas[1].startswith("2 butir")
    nav = [a["href"] for a in page.select(".site-nav a")]
    assert "/kode-etik/" in nav


def test_a_service_page_names_its_binding_codes_and_how_to_report_a_breach(codes_site):
    page = _soup(codes_site / "layanan" / "nib" / "index.html")
    block = page.select_one("article header .service-code")
    assert block is not None, "the block belongs in the page header, above the full standard"
    links = [(a["href"], a.get_text()) for a in block.select("p a")]
    assert links == [("/kode-etik/perilaku-pelaksana/", "Kode Perilaku Pelaksana"),
                     ("/kode-etik/kode-etik-ppid/", "Kode Etik PPID")]
    assert "Petugas wajib melayani Anda dengan adil dan tanpa mempersulit." in block.get_text()
    assert "Laporkan pelanggaran" in block.get_text()
    channels = block.select(".report-channels li")
    assert [li.get_text() for li in channels] == ["Surel: dpmptsp@contoh.example",
                                                  "SP4N-LAPOR! https://www.lapor.go.id"]
    assert channels[0].a["href"] == "mailto:dpmptsp@contoh.example"
    assert channels[1].a["href"] == "https://www.lapor.go.id"


def test_without_a_summary_the_block_still_tells_citizens_they_may_report(tmp_path):
    data = write_site_data(tmp_path / "data")
    write_codes(data, codes_rows=[code(ringkasan="")])
    output = build_site(tmp_path / "output", data)
    block = _soup(output / "layanan" / "ktp-el" / "index.html").select_one(".service-code p")
    assert " ".join(block.get_text().split()) == (
        "Kode Perilaku Pelaksana wajib ditaati petugas layanan ini. Bila petugas tidak bersikap "
        "seperti yang diatur di sana, Anda berhak melaporkannya.")


def test_a_provider_bound_by_no_code_shows_that_none_is_published_yet(tmp_path):
    data = two_providers(tmp_path / "data")
    write_codes(data, codes_rows=[code(berlaku_untuk="dpmptsp")])
    output = build_site(tmp_path / "output", data)
    block = _soup(output / "layanan" / "ktp-el" / "index.html").select_one(".service-code")
    assert "belum diterbitkan" in block.get_text()
    assert block.select("p a") == []
    assert block.select_one(".report-channels a")["href"] == "https://www.lapor.go.id"


def test_the_codes_are_downloadable_as_csv_json_and_xlsx_whole_and_per_code(codes_site):
    with open(codes_site / "data/kode-etik/kode-etik.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ITEM_COLUMNS
    assert len(rows) == 5
    records = json.loads((codes_site / "data/kode-etik/kode-etik.json").read_text("utf-8"))
    assert records[0]["butir"] == "adil dan tidak diskriminatif;"
    sheet = openpyxl.load_workbook(codes_site / "data/kode-etik/kode-etik.xlsx").active
    assert sheet.max_row == 6
    listing = json.loads((codes_site / "data/kode-etik-daftar/kode-etik-daftar.json").read_text())
    assert [r["kode_etik"] for r in listing] == ["perilaku-pelaksana", "kode-etik-ppid"]
    assert listing[1]["berlaku_sejak"] == "2024-03-01"
    with open(codes_site / "kode-etik/kode-etik-ppid/kode-etik-ppid.csv", encoding="utf-8") as fh:
        own = list(csv.DictReader(fh))
    assert {r["kode_etik"] for r in own} == {"kode-etik-ppid"} and len(own) == 2
    page = _soup(codes_site / "kode-etik" / "kode-etik-ppid" / "index.html")
    hrefs = [a["href"] for a in page.select(".standard-footer a")]
    for fmt in ("csv", "json", "xlsx"):
        assert f"/kode-etik/kode-etik-ppid/kode-etik-ppid.{fmt}" in hrefs
        assert (codes_site / f"kode-etik/kode-etik-ppid/kode-etik-ppid.{fmt}").stat().st_size > 0


def test_the_published_item_table_passes_frictionless_with_its_composite_key(codes_site):
    from frictionless import Resource, Schema

    schema = Schema.from_descriptor(codes.items_schema())
    resource = Resource(path="kode-etik.csv", basepath=str(codes_site / "data/kode-etik"),
                        schema=schema)
    report = resource.validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


# --- the example site -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def example() -> Site:
    """The example sources read by the service and code sections only (others may be mid-edit)."""
    site = Site(data_dir=ROOT / "data", root=ROOT)
    services.load(site)
    codes.load(site)
    assert [str(p) for p in site.problems] == []
    return site


def test_the_example_carries_the_15_rules_of_pasal_34_as_letters_a_to_o(example):
    rules = example.parts["codes"]["perilaku-pelaksana"]
    perilaku = next(p for p in rules.parts if p.key == "perilaku")
    assert [i.nomor for i in perilaku.items] == list("abcdefghijklmno")
    assert perilaku.items[0].butir.startswith("adil dan tidak diskriminatif")
    assert perilaku.items[-1].butir.startswith("tidak menyimpang dari prosedur")
    assert all(i.dasar_hukum == f"Pasal 34 huruf {i.nomor} UU 25/2009" for i in perilaku.items)


def test_the_example_agency_code_has_values_duties_prohibitions_and_sanctions(example):
    asn = example.parts["codes"]["kode-etik-asn"]
    keys = [p.key for p in asn.parts]
    for needed in ("nilai_dasar", "kewajiban", "larangan", "sanksi"):
        assert needed in keys
    basis = " ".join(asn.dasar_hukum)
    for law in ("Nomor 20 Tahun 2023", "Nomor 94 Tahun 2021", "Nomor 42 Tahun 2004",
                "Peraturan Wali Kota Tanjung Harapan"):
        assert law in basis
    assert asn.preamble is not None


def test_every_example_service_is_bound_by_a_code(example):
    assert example.services
    unbound = [k for k, s in example.services.items() if not s.parts["kode_etik"]]
    assert unbound == []


# --- in a real browser ----------------------------------------------------------------------


@pytest.mark.browser
def test_on_a_phone_the_code_block_is_near_the_top_and_its_link_opens_the_numbered_code(
        phone, site_server):
    phone.goto(site_server.url + "/layanan/")
    services = phone.locator(".service-list a").evaluate_all("els => els.map(e => e.href)")
    assert services
    screens = 2 * phone.viewport_size["height"]
    for url in services:
        phone.goto(url)
        block = phone.locator("#kode-etik")
        heading = block.locator("h2").bounding_box()
        assert heading["y"] + heading["height"] <= screens, url
        standard = phone.locator("section.component").first.bounding_box()
        assert block.locator(".report-channels").bounding_box()["y"] < standard["y"], url
        box = block.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 360, url
        assert block.locator(".report-channels li").count() >= 1, url
    link = phone.locator("#kode-etik p a").first
    full_title = link.get_attribute("title")  # the link text is the code's short name
    follow(link)
    assert phone.url.startswith(site_server.url + "/kode-etik/")
    assert phone.locator("h1").inner_text() == full_title
    items = phone.locator(".code-items li")
    assert items.count() >= 15
    first = items.first
    assert first.is_visible()
    assert first.locator(".nomor").inner_text() in ("a.", "1.")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_code_binding_very_many_services_lists_their_providers_instead(example_site,
                                                                       tmp_path):
    # Every service of a province (10 000 links) made a code's page 1.3 MB.
    def bound(site):
        soup = BeautifulSoup((site / "kode-etik" / "kode-etik-asn" / "index.html")
                             .read_text(encoding="utf-8"), "lxml")
        section = soup.select_one("#judul-layanan-terikat").parent
        return section, [a["href"] for a in section.select("details a")]

    section, links = bound(example_site)
    assert links and all("/layanan/" in href for href in links)
    heading = section.h2.get_text()
    section, links = bound(build_site(tmp_path / "output",
                                      overrides={"ETALASE_KODE_ETIK_MAKS_LAYANAN": 1}))
    assert section.h2.get_text() == heading  # still says how many services it binds
    providers = sorted(p.name for p in (example_site / "penyelenggara").iterdir() if p.is_dir())
    assert sorted(href.rstrip("/").rsplit("/", 1)[1] for href in links) == providers
    assert "halaman setiap penyelenggara memuat daftar layanannya" in section.get_text()
