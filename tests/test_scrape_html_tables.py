"""`tabel-html` reads a table as a browser lays it out, from a real HTTP server on 127.0.0.1.

Government tables are long and hand-made: the header is printed again mid-table, notes
("Sumber: …", "Keterangan: …") sit in the last rows, cells are merged across columns and down
rows, and the page's `<meta charset>` is sometimes older than the server's header. None of this
may shift a value into the wrong column or publish a note as a row; and a real row is never
dropped just because a word like "Sumber" appears in it.
"""

from __future__ import annotations

import json

import pytest
from scrape_helpers import Reply, ScriptedServer, read_rows, scrape, write_config


@pytest.fixture
def server():
    with ScriptedServer() as srv:
        yield srv


HEAD = ("<tr><th>No.</th><th>Kecamatan</th><th>Jumlah Penduduk</th><th>Kepadatan</th>"
        "<th>Tanggal Data</th></tr>")
COLUMNS = {"Kecamatan": "kecamatan", "Jumlah Penduduk": "penduduk", "Kepadatan": "kepadatan",
           "Tanggal Data": "tanggal"}
SCHEMA = {"fields": [
    {"name": "kecamatan", "type": "string", "title": "Kecamatan",
     "constraints": {"required": True}},
    {"name": "penduduk", "type": "integer", "title": "Jumlah penduduk",
     "constraints": {"required": True, "minimum": 0}},
    {"name": "kepadatan", "type": "number", "title": "Kepadatan (jiwa/km²)"},
    {"name": "tanggal", "type": "date", "title": "Tanggal data"},
]}
CONVERT = {"penduduk": "bilangan_bulat", "kepadatan": "angka", "tanggal": "tanggal"}

UTARA = "<tr><td>1</td><td>Utara</td><td>1.234</td><td>12,5</td><td>17/08/2025</td></tr>"
SELATAN = "<tr><td>2</td><td>Selatan</td><td>20.100</td><td>8,25</td><td>17/08/2025</td></tr>"
TIMUR = "<tr><td>3</td><td>Timur</td><td>987</td><td>3</td><td>17/08/2025</td></tr>"
THREE = [["Utara", "1.234", "12,5", "17/08/2025"], ["Selatan", "20.100", "8,25", "17/08/2025"],
         ["Timur", "987", "3", "17/08/2025"]]


def page(body: str, head: str = HEAD, foot: str = "", meta: str = '<meta charset="utf-8">',
         columns: str = "") -> str:
    foot = f"<tfoot>{foot}</tfoot>" if foot else ""
    return (f"<!DOCTYPE html><html lang=\"id\"><head>{meta}<title>Data penduduk</title></head>"
            f"<body><h1>Penduduk per kecamatan</h1><table id=\"data\">{columns}"
            f"<thead>{head}</thead><tbody>{body}</tbody>{foot}</table></body></html>")


def district_source(server, body, *, schema: bool = False, name="penduduk-kec", kolom=None,
                    content_type="text/html; charset=utf-8") -> dict:
    path = f"/{name}"
    server.routes[path] = Reply(body=body.encode() if isinstance(body, str) else body,
                                headers={"Content-Type": content_type})
    source = {"nama": name, "jenis": "tabel-html", "judul": "Penduduk per kecamatan",
              "url": server.url + path, "pilih": "table#data", "kolom": kolom or COLUMNS}
    if schema:
        source.update({"ubah": CONVERT, "skema": SCHEMA})
    return source


def fetched(tmp_path, *sources):
    """Run the scraper on `sources`; return the outcomes and the first source's data rows."""
    write_config(tmp_path / "data", list(sources))
    outcomes, out, err = scrape(tmp_path / "data")
    assert all(o.status == "diperbarui" for o in outcomes), out + err
    return outcomes, read_rows(tmp_path / "data" / "scrape" / f"{sources[0]['nama']}.csv")[1:]


def skipped(tmp_path, name="penduduk-kec") -> dict:
    stored = json.loads((tmp_path / "data" / "scrape" / f"{name}.sumber.json").read_text())
    return stored.get("metadata", {}).get("baris_dilewati", {})


# -- 1. a header row printed again mid-table --------------------------------------------------

def test_a_header_row_repeated_mid_table_is_not_published(server, tmp_path):
    body = (UTARA + HEAD + SELATAN
            # the same titles in <td> cells, in capitals and with stray spaces
            + "<tr><td>NO.</td><td> kecamatan </td><td>JUMLAH\n  PENDUDUK</td><td>Kepadatan</td>"
              "<td>Tanggal Data</td></tr>"
            + TIMUR)
    (outcome,), rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows == THREE
    assert skipped(tmp_path) == {"judul": 2}
    # and said on the source's line of the summary staff read
    assert outcome.message == "dilewati: 2 baris judul kolom yang diulang"


@pytest.mark.parametrize("numbers", [
    ["(1)", "(2)", "(3)", "(4)", "(5)"], ["1", "2", "3", "4", "5"]])
def test_the_column_numbers_under_the_header_are_not_published(server, tmp_path, numbers):
    row = "<tr>" + "".join(f"<td>{n}</td>" for n in numbers) + "</tr>"
    _, rows = fetched(tmp_path, district_source(server, page(row + UTARA + SELATAN + TIMUR)))
    assert rows == THREE
    assert skipped(tmp_path) == {"judul": 1}


def test_a_row_of_counts_further_down_is_data_even_when_they_run_1_2_3(server, tmp_path):
    counts = "<tr><td>1</td><td>2</td><td>3</td><td>4</td><td>5</td></tr>"
    _, rows = fetched(tmp_path, district_source(server, page(UTARA + counts)))
    assert rows[1] == ["2", "3", "4", "5"]


def test_a_spacer_row_of_empty_cells_is_not_published(server, tmp_path):
    body = UTARA + "<tr><td></td><td> </td><td>&nbsp;</td><td></td><td></td></tr>" + SELATAN + TIMUR
    _, rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows == THREE
    assert skipped(tmp_path) == {"kosong": 1}


def test_a_second_thead_and_a_partial_header_of_th_cells_are_not_published(server, tmp_path):
    html = page(UTARA).replace(
        "</tbody>", f"</tbody><thead>{HEAD}</thead><tbody>{SELATAN}"
                    "<tr><th>Kecamatan</th><th>Jumlah Penduduk</th><th></th></tr>"
                    f"{TIMUR}</tbody>")
    _, rows = fetched(tmp_path, district_source(server, html))
    assert rows == THREE
    assert skipped(tmp_path) == {"judul": 2}


def test_a_repeated_header_no_longer_fails_a_source_with_a_schema(server, tmp_path):
    _, rows = fetched(tmp_path, district_source(server, page(UTARA + SELATAN + HEAD + TIMUR),
                                                schema=True))
    assert rows == [["Utara", "1234", "12.5", "2025-08-17"],
                    ["Selatan", "20100", "8.25", "2025-08-17"],
                    ["Timur", "987", "3", "2025-08-17"]]


# -- 2. notes under the table ----------------------------------------------------------------

NOTES = {
    "sumber-in-an-empty-row": ("<tr><td></td><td>Sumber: Disdukcapil, 2025</td><td></td>"
                               "<td></td><td></td></tr>", ""),
    "keterangan-in-tfoot": ("", "<tr><td colspan=\"5\">Keterangan: angka sementara.</td></tr>"),
    "catatan-spanning-the-tbody": ("<tr><td colspan=\"5\">Catatan : data per 30 Juni 2025"
                                   "</td></tr>", ""),
    "ket-dot": ("<tr><td colspan=\"2\">Ket. : *) angka perbaikan</td><td></td><td></td>"
                "<td></td></tr>", ""),
    "asterisk-in-one-cell": ("<tr><td>*) angka sementara</td></tr>", ""),
    "note-in-english": ("<tr><td></td><td colspan=\"4\">Note: provisional figures</td></tr>",
                        ""),
    "sumber-data-without-colon": ("<tr><td></td><td>Sumber data Disdukcapil</td><td></td>"
                                  "<td></td><td></td></tr>", ""),
    "full-width-without-a-note-word": ("", "<tr><th colspan=\"5\">Diperbarui setiap semester"
                                           "</th></tr>"),
}


@pytest.mark.parametrize("with_schema", [False, True], ids=["tanpa-skema", "dengan-skema"])
@pytest.mark.parametrize("note", NOTES, ids=list(NOTES))
def test_a_note_row_is_not_published(server, tmp_path, note, with_schema):
    extra_row, foot = NOTES[note]
    html = page(UTARA + SELATAN + TIMUR + extra_row, foot=foot)
    _, rows = fetched(tmp_path, district_source(server, html, schema=with_schema))
    if with_schema:
        assert [r[0] for r in rows] == ["Utara", "Selatan", "Timur"]
    else:
        assert rows == THREE
    assert skipped(tmp_path) == {"catatan": 1}


def test_several_notes_and_a_repeated_header_are_all_counted(server, tmp_path):
    html = page(UTARA + HEAD + SELATAN + TIMUR
                + "<tr><td></td><td>Sumber: Disdukcapil, 2025</td><td></td><td></td>"
                  "<td></td></tr>",
                foot="<tr><td colspan=\"5\">Keterangan: angka sementara.</td></tr>")
    _, rows = fetched(tmp_path, district_source(server, html))
    assert rows == THREE
    assert skipped(tmp_path) == {"judul": 1, "catatan": 2}


def test_a_data_row_with_the_word_sumber_in_it_is_kept(server, tmp_path):
    columns = {**COLUMNS, "Keterangan": "keterangan"}
    head = HEAD.replace("</tr>", "<th>Keterangan</th></tr>")
    body = (
        # a kecamatan called Sumber (as in Kabupaten Cirebon) and a note inside a real row
        "<tr><td>1</td><td>Sumber</td><td>1.234</td><td>12,5</td><td>17/08/2025</td><td></td></tr>"
        "<tr><td>2</td><td>Sumber Agung</td><td>20.100</td><td>8,25</td><td>17/08/2025</td>"
        "<td>Sumber: sensus ulang 2024</td></tr>"
        "<tr><td>3</td><td>Timur</td><td>987</td><td>3</td><td>17/08/2025</td>"
        "<td>Keterangan: pemekaran</td></tr>"
        # a new kecamatan without figures yet: its name is the only filled cell
        "<tr><td></td><td>Sumberejo</td><td></td><td></td><td></td><td></td></tr>"
        "<tr><td></td><td>Sumber Makmur</td><td></td><td></td><td></td><td></td></tr>"
        # and the real note
        "<tr><td colspan=\"6\">Sumber: Disdukcapil, 2025</td></tr>")
    _, rows = fetched(tmp_path, district_source(server, page(body, head=head), kolom=columns))
    assert rows == [["Sumber", "1.234", "12,5", "17/08/2025", ""],
                    ["Sumber Agung", "20.100", "8,25", "17/08/2025", "Sumber: sensus ulang 2024"],
                    ["Timur", "987", "3", "17/08/2025", "Keterangan: pemekaran"],
                    ["Sumberejo", "", "", "", ""],
                    ["Sumber Makmur", "", "", "", ""]]
    assert skipped(tmp_path) == {"catatan": 1}


# -- 3. merged cells -------------------------------------------------------------------------

def test_a_cell_merged_down_fills_the_rows_below(server, tmp_path):
    body = ("<tr><td>1</td><td rowspan=\"2\">Utara</td><td>1.234</td><td>12,5</td>"
            "<td rowspan=\"3\">17/08/2025</td></tr>"
            "<tr><td>2</td><td>20.100</td><td>8,25</td></tr>"
            "<tr><td>3</td><td>Timur</td><td>987</td><td>3</td></tr>")
    _, rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows == [["Utara", "1.234", "12,5", "17/08/2025"],
                    ["Utara", "20.100", "8,25", "17/08/2025"],
                    ["Timur", "987", "3", "17/08/2025"]]


def test_a_cell_merged_across_puts_its_value_in_its_first_column_only(server, tmp_path):
    body = ("<tr><td>1</td><td>Utara</td><td colspan=\"2\">1.234</td><td>17/08/2025</td></tr>"
            + SELATAN
            + "<tr><td colspan=\"2\">Timur</td><td>987</td><td></td><td>17/08/2025</td></tr>")
    _, rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows == [["Utara", "1.234", "", "17/08/2025"],
                    ["Selatan", "20.100", "8,25", "17/08/2025"],
                    ["", "987", "", "17/08/2025"]]


@pytest.mark.parametrize("label", ["Jumlah", "JUMLAH TOTAL", "Total:", "Grand total",
                                   "Total Keseluruhan"])
def test_a_totals_row_is_not_published_as_a_row_of_data(server, tmp_path, label):
    # Whoever adds up the column would count every kecamatan twice.
    body = (UTARA + SELATAN + TIMUR
            + f"<tr><td colspan=\"2\">{label}</td><td>22.321</td><td></td><td></td></tr>")
    (outcome,), rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows == THREE
    assert skipped(tmp_path) == {"jumlah": 1}
    assert outcome.message == "dilewati: 1 baris jumlah/total"


def test_a_subtotal_under_a_district_merged_down_and_a_named_total_are_left_out(
        server, tmp_path):
    # "Jumlah" in the kelurahan column, under a kecamatan merged down over it; and a total
    # named after its kecamatan, before figures only.
    body = ("<tr><td>1</td><td rowspan=\"3\">Utara</td><td>1.234</td><td>12,5</td>"
            "<td>17/08/2025</td></tr>"
            "<tr><td>2</td><td>987</td><td>3</td><td>17/08/2025</td></tr>"
            "<tr><td>Jumlah</td><td>2.221</td><td></td><td></td></tr>"
            + SELATAN
            + "<tr><td></td><td>Jumlah Kecamatan Selatan</td><td>20.100</td><td>8,25</td>"
              "<td></td></tr>")
    _, rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows == [["Utara", "1.234", "12,5", "17/08/2025"], ["Utara", "987", "3", "17/08/2025"],
                    ["Selatan", "20.100", "8,25", "17/08/2025"]]
    assert skipped(tmp_path) == {"jumlah": 2}


@pytest.mark.parametrize("name", ["Catatan Sipil", "Keterangan Pindah"])
def test_a_row_whose_only_filled_cell_is_a_service_named_like_a_note_is_kept(
        server, tmp_path, name):
    body = UTARA + f"<tr><td></td><td>{name}</td><td></td><td></td><td></td></tr>"
    _, rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows[1] == [name, "", "", ""]


def test_a_place_called_like_a_total_in_another_column_is_kept(server, tmp_path):
    body = UTARA + "<tr><td>2</td><td>Jumlah Jaya</td><td>5</td><td>1</td><td>17/08/2025</td></tr>"
    _, rows = fetched(tmp_path, district_source(server, page(body)))
    assert rows[1][0] == "Jumlah Jaya"


def test_spans_are_read_leniently_and_stop_at_the_end_of_their_row_group(server, tmp_path):
    body = ("<tr><td colspan=\"0\">1</td><td rowspan=\"abc\">Utara</td><td>1.234</td>"
            "<td>12,5</td><td rowspan=\"2 baris\">17/08/2025</td></tr>"
            "<tr><td>2</td><td>Selatan</td><td>20.100</td><td>8,25</td></tr>"
            "<tr><td>3</td><td>Timur</td><td>987</td><td>3</td>"
            "<td rowspan=\"99\">17/08/2025</td></tr>")
    foot = "<tr><td>4</td><td>Barat</td><td>5</td><td>1</td><td>01/01/2025</td></tr>"
    _, rows = fetched(tmp_path, district_source(server, page(body, foot=foot)))
    assert rows == THREE + [["Barat", "5", "1", "01/01/2025"]]


def test_a_two_row_header_with_merged_cells_and_a_long_table_are_read_whole(server, tmp_path):
    server.routes["/penduduk-kelurahan"] = Reply.fixture("penduduk-kelurahan.html")
    number = {"type": "integer", "constraints": {"required": True, "minimum": 0}}
    source = {
        "nama": "penduduk-kelurahan", "jenis": "tabel-html",
        "url": server.url + "/penduduk-kelurahan", "pilih": "table#penduduk-kelurahan",
        "kolom": {"Kecamatan": "kecamatan", "Kelurahan": "kelurahan", "Laki-laki": "laki_laki",
                  "Perempuan": "perempuan", "Jumlah": "jumlah"},
        "ubah": {"laki_laki": "bilangan_bulat", "perempuan": "bilangan_bulat",
                 "jumlah": "bilangan_bulat"},
        "skema": {"fields": [
            {"name": "kecamatan", "type": "string", "title": "Kecamatan",
             "constraints": {"required": True}},
            {"name": "kelurahan", "type": "string", "title": "Kelurahan",
             "constraints": {"required": True}},
            {"name": "laki_laki", "title": "Laki-laki", **number},
            {"name": "perempuan", "title": "Perempuan", **number},
            {"name": "jumlah", "title": "Jumlah", **number}]}}
    _, rows = fetched(tmp_path, source)
    assert rows == [["Tanjung Utara", "Sukamaju", "4512", "4603", "9115"],
                    ["Tanjung Utara", "Tanjung Laut", "3208", "3311", "6519"],
                    ["Tanjung Utara", "Sumber", "2040", "2115", "4155"],
                    ["Sumber Agung", "Sumber Agung", "5020", "5117", "10137"],
                    ["Sumber Agung", "Harapan Baru", "610", "594", "1204"]]
    assert skipped(tmp_path, "penduduk-kelurahan") == {"judul": 2, "catatan": 2}


def test_a_row_still_missing_cells_fails_and_says_which_row(server, tmp_path):
    body = UTARA + "<tr><td>2</td><td>Selatan</td><td>20.100</td></tr>" + TIMUR
    write_config(tmp_path / "data", [district_source(server, page(body))])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert f"baris ke-2 di bawah judul tabel di {server.url}/penduduk-kec " \
           "(\"2 | Selatan | 20.100\") hanya punya 3 sel, padahal ada 5 judul kolom; " \
           "struktur tabel berubah" in err


# -- 4. the character set --------------------------------------------------------------------

HEAD_KET = "<tr><th>Kecamatan</th><th>Keterangan</th></tr>"
ROWS_KET = ("<tr><td>Cipta Karya</td><td>Biaya Rp 1.000 – 2.000, “gratis” untuk lansia</td></tr>"
            "<tr><td>Pérum Jaya</td><td>Dibuka • Senin</td></tr>")
EXPECTED_KET = [["Cipta Karya", "Biaya Rp 1.000 – 2.000, “gratis” untuk lansia"],
                ["Pérum Jaya", "Dibuka • Senin"]]
KET = {"Kecamatan": "kecamatan", "Keterangan": "keterangan"}


def encoded(meta: str, encoding: str, bom: bytes = b"") -> bytes:
    return bom + page(ROWS_KET, head=HEAD_KET, meta=meta).encode(encoding)


STALE_META = '<meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'


def test_utf8_named_by_the_http_header_wins_over_a_stale_meta_charset(server, tmp_path):
    body = encoded(STALE_META, "utf-8")
    _, rows = fetched(tmp_path, district_source(server, body, kolom=KET))
    assert rows == EXPECTED_KET


def test_windows_1252_named_by_the_http_header_wins_over_a_meta_saying_utf8(server, tmp_path):
    body = encoded('<meta charset="utf-8">', "cp1252")
    _, rows = fetched(tmp_path, district_source(server, body, kolom=KET,
                                                content_type="text/html; charset=windows-1252"))
    assert rows == EXPECTED_KET


def test_the_charset_comes_from_the_bom_then_the_http_header_then_the_meta(server, tmp_path):
    utf8_meta = '<meta charset="utf-8">'
    sources = [
        # ISO-8859-1 in the header is read as windows-1252, as browsers do (“ ” – •)
        district_source(server, encoded(utf8_meta, "cp1252"), name="header-latin1", kolom=KET,
                        content_type="text/html; charset=ISO-8859-1"),
        # a byte-order mark beats the header and the meta
        district_source(server, encoded('<meta charset="windows-1252">', "utf-8",
                                        b"\xef\xbb\xbf"),
                        name="bom", kolom=KET, content_type="text/html; charset=windows-1252"),
        # no charset in the header: the meta decides, as before
        district_source(server, encoded('<meta charset="windows-1252">', "cp1252"),
                        name="meta-only", kolom=KET, content_type="text/html"),
        # UTF-8 as the header says, with a character cut short at the end: the header wins
        district_source(server, encoded(STALE_META, "utf-8") + b"\xe2\x80", name="cut-short",
                        kolom=KET),
        # a header not one character of the page is valid in is not trusted: the meta decides
        district_source(server, encoded('<meta charset="windows-1252">', "cp1252"),
                        name="header-wrong", kolom=KET, content_type="text/html; charset=UTF-8"),
        # an unknown name in the header is ignored
        district_source(server, encoded(utf8_meta, "utf-8"), name="header-unknown", kolom=KET,
                        content_type="text/html; charset=x-tidak-dikenal"),
    ]
    fetched(tmp_path, *sources)
    for source in sources:
        rows = read_rows(tmp_path / "data" / "scrape" / f"{source['nama']}.csv")[1:]
        assert rows == EXPECTED_KET, source["nama"]


# -- 5. which table --------------------------------------------------------------------------

LAYOUT = ('<table class="tata-letak"><tr><td><a href="/">Beranda</a></td>'
          '<td><a href="/profil">Profil</a></td></tr></table>')


def test_a_selector_matching_a_layout_table_too_reads_the_table_with_the_columns(
        server, tmp_path):
    # Old government pages lay out their menus with tables: "table" matches the menu first.
    body = page(UTARA + SELATAN + TIMUR).replace("<h1>", LAYOUT + "<h1>")
    source = {**district_source(server, body), "pilih": "table"}
    _, rows = fetched(tmp_path, source)
    assert rows == THREE


def test_two_tables_with_the_mapped_columns_are_refused_not_the_first_read_by_chance(
        server, tmp_path):
    # A page showing this year's and last year's figures in two tables of the same shape:
    # reading the first one would publish whichever the agency happened to put on top.
    last_year = page(UTARA, head=HEAD).split("<h1>", 1)[1].split("</body>")[0]
    body = page(SELATAN + TIMUR).replace("</body>", f"<h2>Tahun lalu</h2><h1>{last_year}</body>")
    source = {**district_source(server, body), "pilih": "table"}
    write_config(tmp_path / "data", [source])
    (outcome,), _, err = scrape(tmp_path / "data")
    assert outcome.status == "gagal"
    assert f'pemilih "table" cocok dengan 2 tabel di {server.url}/penduduk-kec yang ' \
           "sama-sama memuat semua kolom yang dipetakan" in err
    assert "table#id" in err
    assert not (tmp_path / "data" / "scrape" / "penduduk-kec.csv").exists()
