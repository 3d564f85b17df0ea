"""Every mistake staff can make in the service tables is reported, all at once, precisely."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from factories import provider, service, write_site_data

from etalase.errors import DataError
from etalase.reading import RawTable
from etalase.schema import validate
from etalase.site import load_site


def _problems(data_dir) -> list[str]:
    with pytest.raises(DataError) as err:
        load_site(data_dir, root=data_dir.parent)
    return [str(p) for p in err.value.problems]


def test_valid_sources_load_every_provider_and_service(data_dir):
    site = load_site(data_dir, root=data_dir.parent)
    assert sorted(site.services) == ["akta-kelahiran", "ktp-el"]
    assert site.services["ktp-el"].provider.nama == "Dinas Kependudukan dan Pencatatan Sipil"
    assert site.services["ktp-el"].row["biaya_rupiah"] == 50000


def test_the_documented_example_message_for_a_fee_written_as_text(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(biaya_rupiah="Rp 50.000")])
    assert _problems(data) == [
        'data/standar-pelayanan.csv:2: kolom "biaya_rupiah": "Rp 50.000" bukan bilangan bulat '
        '(tulis angka saja, tanpa titik, koma atau "Rp")'
    ]


def test_all_errors_of_a_run_are_reported_together(tmp_path):
    data = write_site_data(tmp_path / "data", services=[
        service(kode="satu", jangka_waktu_hari_kerja="tiga"),
        service(kode="dua", berlaku_sejak="17/08/2025"),
        service(kode="tiga", persyaratan=""),
    ])
    problems = _problems(data)
    assert len(problems) == 3
    assert any(':2: kolom "jangka_waktu_hari_kerja": "tiga"' in p for p in problems)
    assert any(':3: kolom "berlaku_sejak": "17/08/2025" bukan tanggal' in p for p in problems)
    assert any(':4: kolom "persyaratan": kosong, padahal wajib diisi' in p for p in problems)


@pytest.mark.parametrize("column", [
    "dasar_hukum", "persyaratan", "prosedur", "jangka_waktu", "jangka_waktu_hari_kerja", "biaya",
    "biaya_rupiah", "produk", "sarana_prasarana", "kompetensi_pelaksana", "pengawasan_internal",
    "pengaduan", "jumlah_pelaksana", "jaminan_pelayanan", "jaminan_keamanan", "evaluasi_kinerja",
])
def test_each_required_component_left_empty_is_an_error_for_that_service(tmp_path, column):
    data = write_site_data(tmp_path / "data", services=[service(**{column: "  "})])
    assert _problems(data) == [
        f'data/standar-pelayanan.csv:2: kolom "{column}": kosong, padahal wajib diisi'
    ]


def test_a_missing_required_column_is_named(tmp_path):
    data = write_site_data(tmp_path / "data")
    path = data / "standar-pelayanan.csv"
    lines = path.read_text(encoding="utf-8").replace("jaminan_keamanan", "jaminan_aman", 1)
    path.write_text(lines, encoding="utf-8")
    problems = _problems(data)
    assert any('kolom "jaminan_keamanan": kolom wajib ini tidak ada di baris judul' in p
               for p in problems)
    assert any('kolom "jaminan_aman": kolom tidak dikenal' in p for p in problems)


def test_duplicate_service_codes_name_both_rows(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(), service(nama="Lain")])
    assert _problems(data) == [
        'data/standar-pelayanan.csv:3: kolom "kode": "akta-kelahiran" sudah dipakai di baris 2; '
        "nilai kolom ini harus unik"
    ]


@pytest.mark.parametrize("kode", ["KTP-El", "ktp el", "ktp_el", "ktp/el", "-ktp", "ktp--el"])
def test_a_code_that_is_not_a_url_slug_is_rejected(tmp_path, kode):
    data = write_site_data(tmp_path / "data", services=[service(kode=kode)])
    (problem,) = _problems(data)
    assert f'kolom "kode": "{kode}" hanya boleh huruf kecil a–z, angka 0–9 dan tanda hubung' in problem


def test_a_service_whose_provider_does_not_exist_is_rejected(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(penyelenggara="dinas-rahasia")])
    (problem,) = _problems(data)
    assert problem.startswith('data/standar-pelayanan.csv:2: kolom "penyelenggara": "dinas-rahasia" '
                              "tidak ada di data/penyelenggara.csv")
    assert "disdukcapil" in problem  # tells staff which codes exist


def test_a_negative_fee_and_a_negative_promise_are_out_of_range(tmp_path):
    # (0 working days is a promise too: "selesai di hari yang sama")
    data = write_site_data(tmp_path / "data",
                           services=[service(biaya_rupiah="-5000", jangka_waktu_hari_kerja="-1")])
    problems = _problems(data)
    assert any('"biaya_rupiah": "-5000" lebih kecil dari batas minimum 0' in p for p in problems)
    assert any('"jangka_waktu_hari_kerja": "-1" lebih kecil dari batas minimum 0' in p
               for p in problems)


def test_a_number_pasted_into_a_fee_is_reported_not_a_traceback(tmp_path):
    data = write_site_data(tmp_path / "data", services=[
        service(biaya_rupiah="3201234567890123456789"),
        service(kode="ktp-el", biaya_rupiah="1" * 5000)])
    problems = _problems(data)
    assert problems[0] == (
        'data/standar-pelayanan.csv:2: kolom "biaya_rupiah": "3201234567890123456789" terlalu '
        "besar untuk bilangan bulat; periksa apakah ada angka yang tertempel (paling besar "
        "9223372036854775807)")
    assert problems[1].startswith('data/standar-pelayanan.csv:3: kolom "biaya_rupiah": "111')
    assert len(problems) == 2


def test_whole_numbers_are_kept_exactly_beside_blanks_and_infinity_is_not_a_number():
    table = RawTable(Path("data/angka.csv"), "data/angka.csv", pd.DataFrame(
        {"n": ["12345678901234567", "", "-9223372036854775808", "٣"],
         "x": ["1.5", "inf", "1e400", ""]}, dtype=object), [2, 3, 4, 5])
    frame, problems = validate(table, {"fields": [{"name": "n", "type": "integer"},
                                                   {"name": "x", "type": "number"}]})
    assert frame["n"].tolist()[:3] == [12345678901234567, pd.NA, -9223372036854775808]
    assert sorted(str(p) for p in problems) == [
        'data/angka.csv:3: kolom "x": "inf" bukan angka (gunakan titik sebagai pemisah desimal)',
        'data/angka.csv:4: kolom "x": "1e400" bukan angka (gunakan titik sebagai pemisah desimal)',
        'data/angka.csv:5: kolom "n": "٣" bukan bilangan bulat (tulis angka saja, tanpa titik, '
        'koma atau "Rp")']


def test_an_impossible_date_is_rejected(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(berlaku_sejak="2025-02-30")])
    (problem,) = _problems(data)
    assert '"berlaku_sejak": "2025-02-30" bukan tanggal yang sah' in problem


def test_a_provider_with_a_malformed_website_and_no_maklumat(tmp_path):
    data = write_site_data(tmp_path / "data",
                           providers=[provider(situs="disdukcapil.go.id", maklumat="")])
    problems = _problems(data)
    assert any('penyelenggara.csv:2: kolom "situs": "disdukcapil.go.id" bukan alamat situs' in p
               for p in problems)
    assert any('penyelenggara.csv:2: kolom "maklumat": kosong, padahal wajib diisi' in p
               for p in problems)


def test_a_missing_source_file_is_named(tmp_path):
    data = write_site_data(tmp_path / "data")
    (data / "penyelenggara.csv").unlink()
    problems = _problems(data)
    assert problems[0] == ("data/penyelenggara.csv: berkas tidak ditemukan "
                           "(juga tidak ada versi .xlsx-nya)")


def test_an_xlsx_in_place_of_the_csv_is_used(tmp_path):
    import csv

    import openpyxl

    data = write_site_data(tmp_path / "data")
    source = data / "standar-pelayanan.csv"
    book = openpyxl.Workbook()
    with open(source, encoding="utf-8", newline="") as fh:
        for record in csv.reader(fh):
            book.active.append(record)
    book.save(data / "standar-pelayanan.xlsx")
    source.unlink()
    site = load_site(data, root=data.parent)
    assert "ktp-el" in site.services
    assert site.datasets["standar-pelayanan"].source == "data/standar-pelayanan.xlsx"


def test_blank_spreadsheet_rows_at_the_end_are_ignored(tmp_path):
    data = write_site_data(tmp_path / "data")
    path = data / "standar-pelayanan.csv"
    path.write_text(path.read_text(encoding="utf-8") + ",,,,\r\n\r\n", encoding="utf-8")
    assert len(load_site(data, root=data.parent).services) == 2


def test_a_composite_primary_key_must_be_unique_as_a_combination(tmp_path):
    from etalase.reading import RawTable
    from etalase.schema import validate

    import pandas as pd

    schema = {"fields": [{"name": "periode"}, {"name": "layanan"}],
              "primaryKey": ["periode", "layanan"]}
    frame = pd.DataFrame({"periode": ["2025-S1", "2025-S1", "2025-S2", "2025-S2"],
                          "layanan": ["kia", "ktp", "kia", "kia"]}, dtype=object)
    raw = RawTable(tmp_path / "x.csv", "data/x.csv", frame, [2, 3, 4, 5])
    _, problems = validate(raw, schema)
    assert [str(p) for p in problems] == [
        'data/x.csv:5: kolom "periode + layanan": "2025-S2 / kia" sudah dipakai di baris 4; '
        "nilai kolom ini harus unik"]


def test_text_is_checked_the_same_row_by_row_or_once_per_distinct_value(tmp_path, monkeypatch):
    # Up to schema._CHECKED_AS_THEY_ARE rows, text columns are checked row by row; a larger
    # register has each distinct value checked once. Both give the same values and messages.
    from etalase import schema as schemas
    from etalase.reading import RawTable

    import pandas as pd

    table_schema = {"fields": [
        {"name": "kode", "constraints": {"required": True, "unique": True,
                                         "pattern": "[a-z-]+"}},
        {"name": "kanal", "constraints": {"enum": ["loket", "daring"]}},
        {"name": "catatan", "constraints": {"minLength": 2, "maxLength": 8}},
        {"name": "hari", "type": "integer", "constraints": {"minimum": 1}},
    ]}
    frame = pd.DataFrame({
        "kode": ["ktp", "kia", "ktp", "", "Akta", "kia", " kk "],
        "kanal": ["loket", "pos", "pos", "daring", "", "loket", "loket"],
        "catatan": ["a", "cukup", "terlalu panjang", " ok\n", "", "a", "cukup"],
        "hari": ["1", "0", "x", "", "2", "1", "3"],
    }, dtype=object)
    raw = RawTable(tmp_path / "x.csv", "data/x.csv", frame, list(range(2, 9)))
    results = []
    for limit in (0, 1_000):
        monkeypatch.setattr(schemas, "_CHECKED_AS_THEY_ARE", limit)
        typed, problems = schemas.validate(raw, table_schema)
        results.append((typed, [str(p) for p in problems]))
    (per_value, per_value_problems), (per_row, per_row_problems) = results
    assert per_row.equals(per_value) and list(per_row.dtypes) == list(per_value.dtypes)
    assert per_row_problems == per_value_problems
    assert len(per_row_problems) == 11  # " kk " is published as "kk", which fits the pattern
    assert per_row["kode"].tolist()[-1] == "kk"


@pytest.mark.parametrize(("column", "cell", "shown"), [
    ("persyaratan", "-", "-"),
    ("produk", "1.\n2.", "1.⏎2."),
    ("sarana_prasarana", " • \n\n - ", "•⏎⏎-"),
    ("prosedur", "1)", "1)"),
])
def test_a_required_list_with_only_markers_and_no_item_is_reported_as_empty(
        tmp_path, column, cell, shown):
    data = write_site_data(tmp_path / "data", services=[service(**{column: cell})])
    assert _problems(data) == [
        f'data/standar-pelayanan.csv:2: kolom "{column}": kosong, padahal wajib diisi: hanya '
        f'ada penanda daftar ("{shown}") tanpa butir; tulis isi setiap butir pada barisnya '
        f'sendiri'
    ]


def test_a_list_item_that_starts_with_a_number_is_not_a_marker_only_list(tmp_path):
    data = write_site_data(tmp_path / "data", services=[service(
        sarana_prasarana="1.500", produk="1. Kutipan akta\n2.")])
    site = load_site(data, root=data.parent)
    assert site.services["akta-kelahiran"].missing_components() == []
