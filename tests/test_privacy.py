"""The personal-data guard: no NIK, NPWP, phone number or e-mail address reaches a download."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from etalase.errors import DataError
from etalase.privacy import find, is_nik, is_npwp, mask, scan_frame

CORPUS = Path(__file__).parent / "fixtures" / "privacy"
# The corpus holds a few hard cases the guard is known to get wrong (documented in
# docs/ppid.md); these floors stop the rates from silently getting worse.
MIN_DETECTION = 0.95
MAX_FALSE_POSITIVES = 0.02


def corpus(name: str) -> list[tuple[str, str]]:
    pairs = []
    for line in (CORPUS / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            kind, text = line.split("|", 1)
            pairs.append((kind.strip(), text.strip()))
    return pairs


def test_the_corpus_has_true_positives_of_every_kind_and_near_misses_of_every_sort():
    kinds = {kind for kind, _ in corpus("positif")}
    sorts = {kind for kind, _ in corpus("negatif")}
    assert kinds == {"nik", "npwp", "ponsel", "telepon", "surel"}
    assert sorts == {"rujukan", "tanggal", "harga", "kantor"}
    assert len(corpus("positif")) >= 40 and len(corpus("negatif")) >= 40


def test_detection_rate_on_the_true_positives_is_at_least_95_percent():
    positives = corpus("positif")
    found = [text for kind, text in positives if any(h.kind == kind for h in find(text))]
    assert len(found) / len(positives) >= MIN_DETECTION


def test_false_positive_rate_on_the_near_misses_is_below_2_percent():
    negatives = corpus("negatif")
    alarms = [text for _, text in negatives if find(text)]
    assert len(alarms) / len(negatives) <= MAX_FALSE_POSITIVES


@pytest.mark.parametrize("kind", ["nik", "npwp", "surel"])
def test_every_nik_npwp_and_email_of_the_corpus_is_found(kind):
    for k, text in corpus("positif"):
        if k == kind:
            assert any(h.kind == kind for h in find(text)), text


def test_a_nik_needs_a_real_region_a_real_birth_date_and_a_serial():
    assert is_nik("3171011708450001")  # Jakarta Pusat, born 17-08-1945
    assert is_nik("3171015708450001")  # the same date for a woman: day + 40
    assert not is_nik("9971011708450001")  # no province 99
    assert not is_nik("3171013202990001")  # day 32
    assert not is_nik("3171017213990001")  # month 13 (day 72 − 40 = 32 too)
    assert not is_nik("3171011708450000")  # serial 0000
    assert not is_nik("2025071500001234")  # a reference number: province 20 does not exist


def test_an_npwp_needs_its_check_digit():
    assert is_npwp("013121660091000")
    assert not is_npwp("013121661091000")  # ninth digit wrong
    assert is_npwp("0013121660091000")  # the 16-digit form of the same number
    assert not is_npwp("013121660091001")  # a branch code: a company, not a person, unformatted
    assert is_npwp("013121660091001", formatted=True)


def test_phone_numbers_in_every_usual_spelling_are_found():
    for text in ["0812-3456-7890", "+62 812 3456 7890", "(+62) 878-1234-5678", "6281134567890",
                 "0856.1234.5678", "(021) 5551234", "0761 555 0101", "+62 274 555123"]:
        assert find(text), text


def test_service_numbers_that_are_not_anyones_phone_are_left_alone():
    for text in ["Call center 112", "1500-123", "bebas pulsa 0800-1-835566", "14045",
                 "08.00–15.00 WIB", "Rp 6.250.000.000", "2025-07-31", "800/123/BKPSDM/2025"]:
        assert find(text) == [], text


def test_masking_keeps_only_the_ends():
    assert mask("3171011708450001") == "3171********0001"
    assert mask("0812-3456-7890") == "0812******90"
    assert mask("budi.santoso@gmail.com") == "b***@gmail.com"
    assert "3456" not in mask("0812-3456-7890")


def frame_with_rows(data: dict, rows: list[int]) -> pd.DataFrame:
    frame = pd.DataFrame(data)
    frame.attrs["row_numbers"] = pd.Series(rows, index=frame.index)
    return frame


def test_a_hit_names_file_row_column_and_a_masked_value():
    frame = frame_with_rows({"nomor": ["A-1", "A-2"],
                             "catatan": ["lengkap", "pemohon NIK 3171011708450001"]}, [2, 3])
    [problem] = scan_frame(frame, {"fields": []}, "data/ppid/contoh.csv")
    assert (problem.file, problem.row, problem.column) == ("data/ppid/contoh.csv", 3, "catatan")
    assert problem.value == "3171********0001"
    assert "NIK" in problem.expected
    assert "3171011708450001" not in str(problem)


def test_rows_without_spreadsheet_numbers_are_counted_as_in_the_published_csv():
    frame = pd.DataFrame({"kontak": ["-", "-", "hubungi 0812-3456-7890"]}, index=[10, 11, 12])
    [problem] = scan_frame(frame, {"fields": []}, "data/x/x.csv")
    assert problem.row == 4  # header is row 1


def test_a_column_declared_public_may_hold_office_phones_and_emails_but_never_a_nik():
    schema = {"fields": [{"name": "telepon", "etalase:publik": True}]}
    offices = pd.DataFrame({"telepon": ["(0761) 555-0101", "WA 0812-7000-1234",
                                        "layanan@tanjungharapankota.example"]})
    assert scan_frame(offices, schema, "data/penyelenggara.csv") == []
    leaked = pd.DataFrame({"telepon": ["(0761) 555-0101", "3171011708450001"]})
    [problem] = scan_frame(leaked, schema, "data/penyelenggara.csv")
    assert problem.row == 3 and "NIK" in problem.expected


def test_the_same_office_phone_in_an_undeclared_column_is_reported():
    frame = pd.DataFrame({"keterangan": ["WA 0812-7000-1234"]})
    [problem] = scan_frame(frame, {"fields": [{"name": "keterangan"}]}, "f.csv")
    assert "seluler" in problem.expected and "etalase:publik" in problem.expected


def test_any_value_in_a_column_marked_personal_stops_publication():
    schema = {"fields": [{"name": "nama_pemohon", "etalase:pribadi": True}, {"name": "n"}]}
    frame = pd.DataFrame({"nama_pemohon": ["Budi Santoso", None, ""], "n": [1, 2, 3]})
    problems = scan_frame(frame, schema, "data/ppid/permohonan.csv")
    assert [(p.row, p.column) for p in problems] == [(2, "nama_pemohon")]
    assert problems[0].value == "B***"


def test_numbers_stored_as_integers_are_scanned_and_dates_are_not():
    frame = pd.DataFrame({"nik": pd.array([3171011708450001, 1, None], dtype="Int64"),
                          "tanggal": pd.to_datetime(["2025-07-31", "2025-08-01", None])})
    [problem] = scan_frame(frame, {"fields": []}, "f.csv")
    assert (problem.column, problem.row) == ("nik", 2)
    plain = pd.DataFrame({"nomor": [1, 4, 3171011708450001]})  # int64, without blanks
    assert [p.row for p in scan_frame(plain, {"fields": []}, "f.csv")] == [4]


def test_a_nik_or_phone_number_read_as_a_decimal_number_is_still_found():
    frame = pd.DataFrame({"angka": [3171011708450001.0, 81234567890.0, 1.5, None, 2025.0]})
    found = scan_frame(frame, {"fields": []}, "f.csv")
    assert [(p.row, p.value) for p in found] == [(2, "3171********0001")]
    # 81234567890 lost its leading 0 and is not recognisable as a phone number any more


def test_duplicate_values_are_reported_on_every_row():
    frame = pd.DataFrame({"kontak": ["budi@gmail.com", "-", "budi@gmail.com"]})
    assert [p.row for p in scan_frame(frame, {"fields": []}, "f.csv")] == [2, 4]


def test_a_staff_file_with_a_phone_number_in_a_published_column_fails_the_build(data_dir):
    from factories import service, write_site_data
    from etalase.site import load_site

    write_site_data(data_dir, services=[service(
        persyaratan="- KTP-el\n- Hubungi petugas Budi di 0812-3456-7890")])
    with pytest.raises(DataError) as caught:
        load_site(data_dir)
    [problem] = [p for p in caught.value.problems if p.column == "persyaratan"]
    assert problem.file.endswith("standar-pelayanan.csv") and problem.row == 2
    assert problem.value == "0812******90"


def test_office_contacts_in_the_provider_file_and_complaint_channels_pass(data_dir):
    from factories import provider, service, write_site_data
    from etalase.site import load_site

    write_site_data(data_dir, providers=[provider(telepon="(0761) 555-0101\nWA 0811-7600-101")],
                    services=[service(pengaduan="WhatsApp 0811-7600-102\npengaduan@kota.example")])
    site = load_site(data_dir)
    assert "standar-pelayanan" in site.datasets


def _phone_in_the_information_register(data: Path) -> Path:
    """Add a phone number to the fourth row (spreadsheet row 4) of the example data's
    information-request register; return the register's path."""
    import csv

    path = data / "ppid" / "permohonan-informasi.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    column = rows[0].index("informasi_diminta")
    rows[3][column] += " (hubungi saya di 0812-3456-7890)"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)
    return path


def test_with_the_cache_on_a_finding_names_the_row_where_the_value_is_now(tmp_path,
                                                                        copy_example_data):
    # The scan of rows that did not change is taken from the cache; a blank line added above
    # them leaves the rows as they were but moves them, and the message must follow.
    from etalase.site import load_site

    path = _phone_in_the_information_register(copy_example_data)
    settings = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}

    def phone_rows() -> list[int]:
        with pytest.raises(DataError) as caught:
            load_site(copy_example_data, settings)
        return [p.row for p in caught.value.problems if p.column == "informasi_diminta"]

    assert phone_rows() == [4]
    header, rest = path.read_text(encoding="utf-8").split("\n", 1)
    path.write_text(header + "\n\n" + rest, encoding="utf-8")
    assert phone_rows() == [5]


def test_registers_scanned_while_the_survey_results_are_computed_report_like_the_others(
        copy_example_data):
    # Without the cache, the tables made from the registers are scanned while the survey part
    # runs in another process (`Site.scan_now`); what they hold is reported all the same, with
    # its file, row and column.
    from etalase.site import load_site

    _phone_in_the_information_register(copy_example_data)
    with pytest.raises(DataError) as caught:
        load_site(copy_example_data, {"ETALASE_CACHE": False})
    [found] = [p for p in caught.value.problems if p.column == "informasi_diminta"]
    assert found.file.endswith("permohonan-informasi.csv") and found.row == 4
    assert found.value == "0812******90"


def _row_hashes(frame: pd.DataFrame) -> list[int]:
    return pd.util.hash_pandas_object(frame, index=False).tolist()


def test_a_scan_of_only_the_changed_rows_finds_what_a_whole_scan_finds():
    from etalase.privacy import scan_rows

    schema = {"fields": [{"name": "nama"}, {"name": "kontak", "etalase:publik": True},
                         {"name": "catatan_petugas", "etalase:pribadi": True}]}
    frame = pd.DataFrame({
        "nama": ["Budi", "Sari 3171011708450001", "Andi", "Budi"],
        "kontak": ["0812-3456-7890", "kantor@kota.go.id", None, "0812-3456-7890"],
        "catatan_petugas": [None, "  ", "diminta ulang", None],
        "nomor": pd.array([3171011708450001, 5, None, 6281234567890], dtype="Int64"),
    })
    frame.attrs["row_numbers"] = pd.Series([2, 3, 5, 6])
    whole = scan_frame(frame, schema, "f.csv")
    assert [(p.row, p.column) for p in whole] == [
        (3, "nama"), (5, "catatan_petugas"), (2, "nomor"), (6, "nomor")]

    first, known = scan_rows(frame, schema, "f.csv", _row_hashes(frame), {})
    assert first == whole
    again, same = scan_rows(frame, schema, "f.csv", _row_hashes(frame), known)
    assert again == whole and same == known

    # A row changed, one removed, one moved down by a blank line above it: each finding
    # names the row where it is now, as a whole scan would.
    changed = frame.drop(index=0).reset_index(drop=True)
    changed.loc[2, "nama"] = "Budi, NPWP 01.312.166.0-091.000"
    changed.attrs["row_numbers"] = pd.Series([4, 6, 8])
    rescanned, rows = scan_rows(changed, schema, "f.csv", _row_hashes(changed), known)
    assert rescanned == scan_frame(changed, schema, "f.csv")
    assert [(p.row, p.column) for p in rescanned] == [
        (4, "nama"), (8, "nama"), (6, "catatan_petugas"), (8, "nomor")]
    assert set(rows) == set(_row_hashes(changed))  # no rows that are gone are kept


def test_with_the_cache_on_a_rebuild_scans_only_the_service_rows_that_changed(
        tmp_path, data_dir, monkeypatch):
    from factories import service, write_site_data
    from etalase import privacy
    from etalase.site import load_site

    services = [service(kode=f"layanan-{n}", nama=f"Layanan {n}") for n in range(1, 31)]
    write_site_data(data_dir, services=services)
    settings = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    scanned = []
    hits = privacy._hits
    monkeypatch.setattr(privacy, "_hits", lambda frame, schema: (
        scanned.append(len(frame)) or hits(frame, schema)))
    load_site(data_dir, settings)
    assert 30 in scanned  # the first build scans every service

    scanned.clear()
    services[20] = service(kode="layanan-21", nama="Layanan 21",
                           persyaratan="- KTP-el\n- Hubungi petugas Budi di 0812-3456-7890")
    write_site_data(data_dir, services=services)
    with pytest.raises(DataError) as caught:
        load_site(data_dir, settings)
    assert scanned == [1]  # the changed row only: every other table and row is known
    [problem] = caught.value.problems
    assert (problem.file.endswith("standar-pelayanan.csv"), problem.row, problem.column,
            problem.value) == (True, 22, "persyaratan", "0812******90")
