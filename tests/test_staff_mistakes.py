"""Mistakes staff make when saving tables get a message naming file, row and column, never a
traceback and never published data that differs from what they typed."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import openpyxl
import xlsxwriter
import pytest
from factories import SERVICE_COLUMNS, service, write_csv, write_site_data

from etalase.errors import DataError
from etalase.reading import find_source, read_table
from etalase.schema import load_schema, validate
from etalase.site import load_site

ROOT = Path(__file__).resolve().parent.parent
COMPLAINT_COLUMNS = ["nomor", "tanggal_masuk", "kanal", "kategori", "layanan", "status",
                     "tanggal_selesai"]


def _problems(data_dir: Path) -> list[str]:
    with pytest.raises(DataError) as err:
        load_site(data_dir, root=data_dir.parent)
    return [str(p) for p in err.value.problems]


def _workbook(sheets: list[tuple[str, list[list], str]]) -> bytes:
    """A workbook of (title, rows, state) sheets."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows, state in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        sheet.sheet_state = state
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- encodings --------------------------------------------------------------------------

def test_one_stray_windows_byte_in_a_utf8_file_is_reported_not_turned_into_mojibake(tmp_path):
    # Read as Windows-1252 the whole file would say "Pas foto 3Ã—4" on the service page.
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [
        service(persyaratan="Pas foto 3×4 berwarna"),
        service(kode="ktp-el", ringkasan="Rekam data \x96 cetak")])
    data = path.read_bytes().replace("\x96".encode("utf-8"), b"\x96")
    with pytest.raises(DataError) as err:
        read_table(path, "data/standar-pelayanan.csv", data=data)
    (problem,) = err.value.problems
    assert problem.row == data[: data.index(b"\x96")].count(b"\n") + 1
    assert "berkas ini UTF-8, tetapi baris ini berisi huruf dengan pengodean lain" in str(problem)


# --- workbooks ----------------------------------------------------------------------------

def test_a_hidden_sheet_before_the_data_is_not_what_gets_published(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(_workbook([("arsip-2023", [["kode", "nama"], ["a", "NAMA LAMA"]], "hidden"),
                                ("Data", [["kode", "nama"], ["a", "Nama baru"]], "visible")]))
    table = read_table(path, "data/t.xlsx")
    assert table.frame.to_dict("records") == [{"kode": "a", "nama": "Nama baru"}]


def test_every_row_of_a_workbook_is_read_whatever_range_the_file_states(tmp_path):
    data = _workbook([("Data", [["nomor"]] + [[f"P-{i}"] for i in range(1, 31)], "visible")])
    # Some exporters write a wrong sheet range; read-only openpyxl believed it.
    import zipfile
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b'<dimension ref="A1:A31"/>',
                                          b'<dimension ref="A1:A10"/>')
                assert b'ref="A1:A10"' in content
            target.writestr(item, content)
    path = tmp_path / "t.xlsx"
    path.write_bytes(out.getvalue())
    table = read_table(path, "data/t.xlsx")
    assert len(table.frame) == 30 and table.row_numbers[-1] == 31


def test_excel_error_cells_and_values_under_no_heading_are_reported(tmp_path):
    path = tmp_path / "t.xlsx"
    path.write_bytes(_workbook([("Data", [["kode", "nama"], ["a", "#N/A"],
                                          ["b", "Nama", "catatan lepas"]], "visible")]))
    with pytest.raises(DataError) as err:
        read_table(path, "data/t.xlsx")
    assert [str(p) for p in err.value.problems] == [
        'data/t.xlsx:2: kolom "nama": "#N/A" sel berisi galat Excel; perbaiki rumusnya atau '
        "isi nilainya",
        'data/t.xlsx:3: "catatan lepas" ada isi di kolom ke-3, yang tidak punya judul kolom; '
        "beri judul atau hapus isinya"]


# --- files --------------------------------------------------------------------------------

def test_a_survey_file_saved_with_a_capital_extension_is_read(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    (data / "skm" / "2025-S1.csv").rename(data / "skm" / "2025-S1.CSV")
    assert find_source(data, "skm/2025-S1") == data / "skm" / "2025-S1.CSV"
    site = load_site(data, root=ROOT)
    assert "2025-S1" in {p.code for p in site.parts["statistik"].periods}


def test_a_folder_in_place_of_a_table_is_reported(data_dir):
    (data_dir / "penyelenggara.csv").unlink()
    (data_dir / "penyelenggara.csv").mkdir()
    assert 'data/penyelenggara.csv: ini sebuah folder, bukan berkas tabel' in _problems(data_dir)


# --- columns and values -------------------------------------------------------------------

def test_a_column_heading_in_capitals_is_reported_with_the_name_meant(data_dir):
    path = data_dir / "penyelenggara.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("kode,", "Kode,", 1),
                    encoding="utf-8")
    problems = _problems(data_dir)  # not a traceback from the services that name a provider
    assert 'data/penyelenggara.csv:1: kolom "Kode": kolom tidak dikenal; mungkin maksudnya ' \
           '"kode" (huruf kecil, garis bawah sebagai pengganti spasi)' in problems
    assert 'data/penyelenggara.csv:1: kolom "kode": kolom wajib ini tidak ada di baris judul' \
           in problems


def test_a_trailing_separator_on_every_line_is_not_an_unknown_column(tmp_path):
    data = write_site_data(tmp_path / "data")
    path = data / "standar-pelayanan.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    # the last line is the empty one after the final line break; cells span lines, so the
    # separator goes before each record's end: rewrite with the csv module instead
    import csv
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([row + [""] for row in rows if row])
    site = load_site(data, root=data.parent)
    assert sorted(site.services) == ["akta-kelahiran", "ktp-el"]


def test_a_unique_number_repeated_with_a_trailing_space_is_a_repeat(data_dir):
    write_csv(data_dir / "kinerja/pengaduan.csv", COMPLAINT_COLUMNS, [
        {"nomor": nomor, "tanggal_masuk": "2025-07-07", "kanal": "loket", "kategori": "Biaya",
         "layanan": "", "status": "diproses", "tanggal_selesai": ""}
        for nomor in ("ADU-1", "ADU-1 ")])
    assert _problems(data_dir) == [
        'data/kinerja/pengaduan.csv:3: kolom "nomor": "ADU-1" sudah dipakai di baris 2; nilai '
        "kolom ini harus unik"]


def test_the_same_date_written_two_ways_is_a_repeat(data_dir):
    write_csv(data_dir / "hari-libur/cuti-bersama.csv", ["tanggal", "keterangan"], [
        {"tanggal": "2025-01-23", "keterangan": "Cuti bersama"},
        {"tanggal": "2025-1-23", "keterangan": "Cuti bersama lagi"}])
    problems = _problems(data_dir)
    assert len(problems) == 1
    assert problems[0].startswith('data/hari-libur/cuti-bersama.csv:3: kolom "tanggal": '
                                  '"2025-01-23" sudah dipakai di baris 2')


def test_survey_answers_naming_services_of_an_empty_service_table_are_reported(data_dir):
    write_csv(data_dir / "standar-pelayanan.csv", SERVICE_COLUMNS, [])
    write_csv(data_dir / "skm/2025-S1.csv",
              ["periode", "layanan", "tanggal", *[f"u{i}" for i in range(1, 10)]],
              [{"periode": "2025-S1", "layanan": "ktp-el", "tanggal": "2025-03-03",
                **{f"u{i}": "4" for i in range(1, 10)}}])
    assert any(p.startswith('data/skm/2025-S1.csv:2: kolom "layanan": "ktp-el" tidak ada di '
                            "data/standar-pelayanan.csv") for p in _problems(data_dir))


def test_a_byte_order_mark_saved_twice_does_not_hide_the_first_column(tmp_path):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [service()], bom=True)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert read_table(path, "data/standar-pelayanan.csv").columns[0] == "kode"


def test_an_allowed_value_with_a_trailing_space_is_the_allowed_value(data_dir):
    write_csv(data_dir / "kinerja/pengaduan.csv", COMPLAINT_COLUMNS, [
        {"nomor": "ADU-1", "tanggal_masuk": "2025-07-07", "kanal": "loket", "kategori": "Biaya",
         "layanan": "", "status": "diproses ", "tanggal_selesai": ""}])
    site = load_site(data_dir, root=data_dir.parent)
    assert site.datasets["pengaduan"].frame["status"].tolist() == ["diproses"]


def test_a_cuti_bersama_date_before_2000_is_a_mistyped_year(data_dir):
    write_csv(data_dir / "hari-libur/cuti-bersama.csv", ["tanggal", "keterangan"], [
        {"tanggal": "1925-01-23", "keterangan": "Cuti bersama"}])
    assert _problems(data_dir) == [
        'data/hari-libur/cuti-bersama.csv:2: kolom "tanggal": "1925-01-23" lebih awal dari '
        "2000-01-01; periksa tahunnya, mungkin salah ketik"]


@pytest.mark.parametrize("text", ["Kedai “CAFÉ” di lantai 2", "Pas foto 3\u00a0×\u00a04 cm",
                                  "Kata “kafé…” saja", "Pipa Ø½” PVC"])
def test_windows_1252_text_with_accented_capitals_and_signs_is_still_read(tmp_path, text):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [service(ringkasan=text)],
                     encoding="cp1252")
    assert read_table(path, "data/standar-pelayanan.csv").frame.loc[0, "ringkasan"] == text


def test_a_stopped_check_says_so_and_the_other_checks_still_run(tmp_path):
    # The code items without their "bagian" column trip the codes of conduct; the
    # complaints register, read by a later section, is still checked.
    data = tmp_path / "data"
    shutil.copytree(ROOT / "data", data)
    items = data / "kode-etik.csv"
    items.write_text(items.read_text(encoding="utf-8").replace(",bagian,", ",bab,", 1),
                     encoding="utf-8")
    register = data / "kinerja" / "pengaduan.csv"
    register.write_text(register.read_text(encoding="utf-8").replace(",selesai,", ",beres,", 1),
                        encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_site(data, root=data.parent)
    problems = [str(p) for p in err.value.problems]
    assert 'data/kode-etik.csv:1: kolom "bagian": kolom wajib ini tidak ada di baris judul' \
        in problems
    assert any('data/kinerja/pengaduan.csv' in p and '"beres"' in p for p in problems)
    assert "data: pemeriksaan bagian kode etik berhenti di tengah karena kesalahan di atas; " \
           "perbaiki kesalahan itu lalu jalankan lagi, mungkin masih ada yang lain" in problems


def test_merged_cells_under_the_heading_are_reported_not_read_as_blank_rows(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["kode", "kategori", None], ["a", "perizinan", None], ["b", None, None],
                ["c", None, None]):
        sheet.append(row)
    sheet.merge_cells("B1:C1")  # a heading over two columns is not in the data
    sheet.merge_cells("B2:B4")
    path = tmp_path / "t.xlsx"
    book.save(path)
    with pytest.raises(DataError) as err:
        read_table(path, "data/t.xlsx")
    assert [str(p) for p in err.value.problems] == [
        'data/t.xlsx:2: "B2:B4" sel digabung (merge); pisahkan gabungannya dan isi nilainya di '
        "setiap baris dan kolom"]


def test_a_formula_whose_result_the_workbook_does_not_store_is_reported_not_read_as_blank(
        tmp_path):
    # openpyxl, like other scripts and converters, writes a formula without its result:
    # every reader would see an empty cell, and the fee would be published blank.
    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["kode", "biaya_rupiah", "catatan"], ["a", 25000, "tetap"],
                ["b", "=B2*2", "dihitung"], ["c", 0, "=A4&\" gratis\""]):
        sheet.append(row)
    path = tmp_path / "t.xlsx"
    book.save(path)
    with pytest.raises(DataError) as err:
        read_table(path, "data/t.xlsx")
    messages = [str(p) for p in err.value.problems]
    assert messages[0] == (
        'data/t.xlsx:3: kolom "biaya_rupiah": "B3" sel berisi rumus yang hasilnya tidak '
        "tersimpan di berkas (berkas dibuat program yang tidak menghitung rumus); buka berkas "
        "di Excel atau LibreOffice lalu simpan lagi, atau ganti rumus dengan nilainya")
    assert messages[1].startswith('data/t.xlsx:4: kolom "catatan": "C4" sel berisi rumus')
    assert len(messages) == 2


def test_a_formula_from_a_workbook_that_stores_placeholders_is_reported_not_read_as_0(
        tmp_path):
    # XlsxWriter (pandas' to_excel) writes 0 as every formula's result and asks Excel to
    # calculate on opening: the fee would be published as free.
    path = tmp_path / "t.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["kode", "biaya_rupiah"])
    sheet.write_row(1, 0, ["a", 25000])
    sheet.write_string(2, 0, "b")
    sheet.write_formula(2, 1, "=B2*2")
    sheet.write_string(3, 0, "c")
    sheet.write_formula(3, 1, "=B2*3", None, 75000)  # given its result: kept
    book.close()
    with pytest.raises(DataError) as err:
        read_table(path, "data/t.xlsx")
    assert [str(p)[:52] for p in err.value.problems] == [
        'data/t.xlsx:3: kolom "biaya_rupiah": "B3" sel berisi']


def _saved_by_a_spreadsheet(path, cells: dict[bytes, bytes]):
    """`path` as Excel or LibreOffice saves it: each formula with its stored result
    (`cells`: what openpyxl wrote for a cell → what the spreadsheet stores), calculated."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                for old, new in cells.items():
                    assert old in content
                    content = content.replace(old, new)
            if item.filename == "xl/workbook.xml":
                content = content.replace(b' fullCalcOnLoad="1"', b"")
            target.writestr(item, content)
    path.write_bytes(out.getvalue())


def test_a_formula_whose_stored_result_is_empty_text_is_read_as_empty(tmp_path):
    # IF(...;"";...) is everywhere in staff's sheets: Excel stores its empty result as <v/>.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kode", "catatan"])
    sheet.append(["a", '=IF(1>0,"","gratis")'])
    path = tmp_path / "t.xlsx"
    book.save(path)
    _saved_by_a_spreadsheet(path, {b'<c r="B2"><f>IF(1&gt;0,"","gratis")</f><v></v></c>':
                                   b'<c r="B2" t="str"><f>IF(1&gt;0,"","gratis")</f><v/></c>'})
    assert read_table(path, "data/t.xlsx").frame["catatan"].tolist() == [""]


def test_a_formula_saved_with_its_result_is_read_as_its_result(tmp_path):
    # What Excel and LibreOffice save: the formula and, beside it, its last result.
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["kode", "biaya_rupiah"])
    sheet.append(["a", "=2*25000"])
    path = tmp_path / "t.xlsx"
    book.save(path)
    _saved_by_a_spreadsheet(path, {b"<f>2*25000</f><v></v>": b"<f>2*25000</f><v>50000</v>"})
    table = read_table(path, "data/t.xlsx")
    assert table.frame["biaya_rupiah"].tolist() == ["50000"]


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_saved_without_its_byte_order_mark_is_read(tmp_path, codec):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [service(ringkasan="Café – “resmi”")],
                     delimiter="\t", encoding=codec)
    assert not path.read_bytes().startswith((b"\xff\xfe", b"\xfe\xff"))
    table = read_table(path, "data/standar-pelayanan.csv")
    assert table.frame.loc[0, "ringkasan"] == "Café – “resmi”"


def test_a_code_with_a_trailing_space_is_the_code(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(kode="ktp-el ")])
    assert sorted(load_site(data, root=data.parent).services) == ["ktp-el"]


def test_messages_name_the_workbook_when_a_table_is_kept_as_xlsx(tmp_path):
    # Staff who keep the providers in Excel were told to fix "data/penyelenggara.csv",
    # a file they do not have.
    data = write_site_data(tmp_path / "data", services=[service(penyelenggara="dinas-lain")])
    providers = data / "penyelenggara.csv"
    rows = list(csv.reader(io.StringIO(providers.read_text(encoding="utf-8"))))
    (data / "penyelenggara.xlsx").write_bytes(_workbook([("Sheet", rows, "visible")]))
    providers.unlink()
    problems = _problems(data)
    assert any('"penyelenggara": "dinas-lain" tidak ada di data/penyelenggara.xlsx;' in p
               for p in problems), problems
    assert not any("penyelenggara.csv" in p for p in problems)


# --- invisible characters -----------------------------------------------------------------

@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp1252"])
@pytest.mark.parametrize("character, picture", [("\x00", "␀"), ("\x0c", "␌"), ("\x7f", "␡")])
def test_an_invisible_control_character_is_reported_with_its_cell(tmp_path, encoding,
                                                                  character, picture):
    # Published, a NUL shows as "\ufffd" on the page and as "_x0000_" in the workbook.
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [
        service(), service(kode="ktp-el", ringkasan=f"Rekam data{character} lalu cetak")])
    data = path.read_text(encoding="utf-8").encode(encoding)
    with pytest.raises(DataError) as err:
        read_table(path, "data/standar-pelayanan.csv", data=data)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "ringkasan")
    assert str(problem).endswith(
        f'"Rekam data{picture} lalu cetak" berisi karakter tak terlihat '
        f"U+{ord(character):04X} (di sini tampak sebagai {picture}), biasanya ikut tersalin "
        "dari program lain; hapus karakter itu lalu simpan lagi")


def test_tabs_and_line_breaks_in_a_cell_are_not_control_characters_to_refuse(tmp_path):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [
        service(persyaratan="KTP\tasli\r\nKK")])
    assert read_table(path, "data/standar-pelayanan.csv").frame.loc[0, "persyaratan"] == \
        "KTP\tasli\nKK"


def test_a_control_character_kept_escaped_in_a_workbook_is_reported(tmp_path):
    # Excel stores a form feed as "_x000C_", which would be published as those letters.
    book = io.BytesIO()
    workbook = xlsxwriter.Workbook(book)
    sheet = workbook.add_worksheet()
    sheet.write_row(0, 0, SERVICE_COLUMNS)
    sheet.write_row(1, 0, [service(ringkasan="Rekam\x0cdata")[c] for c in SERVICE_COLUMNS])
    workbook.close()
    with pytest.raises(DataError) as err:
        read_table(tmp_path / "s.xlsx", "data/standar-pelayanan.xlsx", data=book.getvalue())
    (problem,) = err.value.problems
    assert (problem.row, problem.column, problem.value) == (2, "ringkasan", "Rekam␌data")


def test_a_past_version_with_a_control_character_is_still_read_as_it_was(tmp_path):
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [service(ringkasan="a\x00b")])
    table = read_table(path, "data/standar-pelayanan.csv", refuse_controls=False)
    assert table.frame.loc[0, "ringkasan"] == "a\x00b"


# --- a report's title above the heading -------------------------------------------------

def _with_title(rows: list[list[str]], padded: bool) -> list[list[str]]:
    width = len(rows[0]) if padded else 1
    return [["Daftar Standar Pelayanan Tahun 2025"] + [""] * (width - 1), [""] * width, *rows]


@pytest.mark.parametrize("form", ["csv padded", "csv", "xlsx"])
def test_a_report_title_above_the_heading_is_named_as_such(tmp_path, form):
    # Exported reports start with a title; staff were shown every column as unknown, or
    # every row as having the wrong number of cells.
    rows = [SERVICE_COLUMNS, [service()[c] for c in SERVICE_COLUMNS]]
    table = _with_title(rows, padded=form != "csv")
    if form == "xlsx":
        data = _workbook([("Sheet", table, "visible")])
    else:
        out = io.StringIO()
        csv.writer(out, lineterminator="\n").writerows(table)
        data = out.getvalue().encode("utf-8")
    display = "data/standar-pelayanan." + form[:4].strip()
    try:
        raw = read_table(tmp_path / "s", display, data=data)
        problems = validate(raw, load_schema("standar-pelayanan"))[1]
    except DataError as err:
        problems = err.problems
    assert [str(p) for p in problems] == [
        f'{display}:1: "Daftar Standar Pelayanan Tahun 2025" tampaknya judul laporan, bukan '
        "judul kolom: baris 1 harus berisi nama-nama kolom, dan di berkas ini nama kolom "
        "tampaknya ada di baris 3; hapus baris di atasnya lalu simpan lagi"]


def test_a_one_column_table_is_not_taken_for_a_title(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("kode\nktp-el\nakta\n", encoding="utf-8")
    assert list(read_table(path, "data/s.csv").frame["kode"]) == ["ktp-el", "akta"]


def test_a_heading_with_one_name_is_not_taken_for_a_report_title(tmp_path):
    # The second heading was forgotten: deleting "the rows above" would delete the heading.
    path = tmp_path / "cuti-bersama.csv"
    path.write_text("tanggal\n2026-12-24,Cuti bersama Natal\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(path, "data/hari-libur/cuti-bersama.csv")
    assert [str(p) for p in err.value.problems] == [
        "data/hari-libur/cuti-bersama.csv:2: baris berisi 2 sel, padahal judul kolom ada 1; "
        "periksa pemisah kolom dan tanda kutip"]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_a_c1_control_character_is_reported_too(tmp_path, encoding):
    # U+0085 (NEXT LINE), pasted from an old export, even splits a line for Python.
    path = write_csv(tmp_path / "s.csv", SERVICE_COLUMNS, [
        service(ringkasan="Rekam data\x85lalu cetak")])
    data = path.read_text(encoding="utf-8").encode(encoding)
    with pytest.raises(DataError) as err:
        read_table(path, "data/standar-pelayanan.csv", data=data)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (2, "ringkasan")
    assert "U+0085" in str(problem)


def test_a_control_character_in_a_heading_is_named_on_the_heading_row(tmp_path):
    # Else staff are told the column is unknown and shown a name that looks right.
    path = tmp_path / "cuti-bersama.csv"
    path.write_text("tanggal,keterangan\x00\n2025-01-02,Cuti\n", encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_table(path, "data/hari-libur/cuti-bersama.csv")
    (problem,) = err.value.problems
    assert str(problem).startswith(
        'data/hari-libur/cuti-bersama.csv:1: "keterangan␀" berisi karakter tak terlihat U+0000')


def test_a_line_break_excel_kept_escaped_in_a_workbook_is_a_line_break(tmp_path):
    book = _workbook([("Sheet", [SERVICE_COLUMNS, [
        service(persyaratan="KTP asli_x000D_\nKartu Keluarga")[c] for c in SERVICE_COLUMNS]],
        "visible")])
    table = read_table(tmp_path / "s.xlsx", "data/standar-pelayanan.xlsx", data=book)
    assert table.frame.loc[0, "persyaratan"] == "KTP asli\nKartu Keluarga"


def test_one_bad_cell_in_a_service_row_gives_one_message_not_one_per_request(
        copy_example_data):
    # The refused row made every request, answer and complaint naming the service "unknown":
    # 538 messages, the one that says what to fix among them.
    path = copy_example_data / "standar-pelayanan.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    sktm = next(row for row in rows if row["kode"] == "sktm")
    sktm["biaya_rupiah"] = "Rp 50.000"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    problems = _problems(copy_example_data)
    assert len(problems) == 1 and '"biaya_rupiah": "Rp 50.000"' in problems[0], problems[:3]
