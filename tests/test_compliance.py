"""The compliance report: each check on a fixture that passes it and one that fails it, the
setting that turns gaps into build errors, and `etalase validate` printing the summary."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace as NS

import pandas as pd
import pytest

from etalase import compliance, skm
from etalase.compliance import FAIL, OK, WARN
from etalase.dip import Entry
from etalase.errors import DataError
from etalase.site import load_site

TODAY = dt.date(2026, 11, 23)


def entry(item: int, date: dt.date | None, kategori: str = "berkala") -> Entry:
    return Entry(judul=f"Informasi {item}", ringkasan="r", kategori=kategori,
                 butir_berkala=[item], waktu_pembuatan=date, tautan=f"x{item}/")


def statuses(check) -> dict[str, str]:
    return {f.subject: f.status for f in check.findings}


# --- 1. berkala ----------------------------------------------------------------------------

def test_all_ten_periodic_items_covered_and_recent_pass():
    check = compliance.check_berkala([entry(n, dt.date(2026, 9, 1)) for n in range(1, 11)], TODAY)
    assert check.status == OK and len(check.findings) == 10
    assert check.findings[0].links == [("x1/", "Informasi 1")]


def test_an_item_nobody_covers_is_a_gap():
    check = compliance.check_berkala([entry(n, dt.date(2026, 9, 1)) for n in range(1, 10)], TODAY)
    [gap] = [f for f in check.findings if f.status == FAIL]
    assert gap.subject.startswith("10.") and "belum ada" in gap.detail


def test_an_item_last_updated_more_than_six_months_ago_is_overdue():
    entries = [entry(n, dt.date(2026, 9, 1)) for n in range(2, 11)]
    entries.append(entry(1, dt.date(2026, 5, 22)))  # six months and a day before TODAY
    check = compliance.check_berkala(entries, TODAY)
    [gap] = [f for f in check.findings if f.status == FAIL]
    assert gap.subject.startswith("1.") and "lebih dari 6 bulan" in gap.detail
    entries[-1] = entry(1, dt.date(2026, 5, 23))  # exactly six months: still in time
    assert compliance.check_berkala(entries, TODAY).status == OK


def test_the_newest_of_several_sources_counts_and_only_berkala_entries_count():
    entries = [entry(n, dt.date(2026, 9, 1)) for n in range(2, 11)]
    entries += [entry(1, dt.date(2024, 1, 1)), entry(1, dt.date(2026, 10, 1))]
    assert compliance.check_berkala(entries, TODAY).status == OK
    entries = [entry(n, dt.date(2026, 9, 1)) for n in range(2, 11)]
    entries.append(entry(1, dt.date(2026, 9, 1), kategori="setiap_saat"))
    assert compliance.check_berkala(entries, TODAY).status == FAIL


def test_an_unknown_update_date_is_a_warning_not_a_pass():
    entries = [entry(n, dt.date(2026, 9, 1)) for n in range(2, 11)] + [entry(1, None)]
    assert statuses(compliance.check_berkala(entries, TODAY))["1. Profil badan publik"] == WARN


# --- 2. service standards ---------------------------------------------------------------------

def service(nama, missing=()):
    return NS(nama=nama, url=f"layanan/{nama}/", missing_components=lambda: list(missing))


def test_services_with_all_14_components_pass_and_a_missing_one_is_named():
    assert compliance.check_services({"a": service("A")}).status == OK
    check = compliance.check_services({"a": service("A"), "b": service("B", ["Biaya/tarif"])})
    assert statuses(check) == {"A": OK, "B": FAIL}
    assert "Biaya/tarif" in check.findings[1].detail


def test_service_missing_components_come_from_the_real_service_model(data_dir):
    site = load_site(data_dir, root=data_dir.parent)
    service_ = next(iter(site.services.values()))
    # The schema requires every component, so a loaded table has none missing; a row
    # changed afterwards is judged by its own values.
    service_.row["biaya"] = None
    service_.missing = None
    check = compliance.check_services(site.services)
    assert any(f.status == FAIL and "Biaya" in f.detail for f in check.findings)


def test_each_finding_about_a_service_or_provider_names_the_provider_it_concerns(data_dir):
    # At national scale the gaps are listed per provider (/ppid/kepatuhan/<kode>/).
    site = load_site(data_dir, root=data_dir.parent)
    checks = {c.key: c for c in compliance.run(site, [], TODAY)}
    by_name = {s.nama: s.provider.kode for s in site.services.values()}
    assert [f.provider for f in checks["standar"].findings] == \
        [by_name[f.subject] for f in checks["standar"].findings]
    assert {f.provider for f in checks["maklumat"].findings} == set(site.providers)
    assert {f.provider for f in checks["berkala"].findings + checks["laporan"].findings} == {None}
    services = {"ktp": NS(nama="KTP-el", provider=NS(kode="disdukcapil")),
                "akta": NS(nama="Akta kelahiran", provider=NS(kode="disdukcapil")),
                "izin": NS(nama="Izin usaha", provider=NS(kode="dpmptsp"))}
    surveys = [survey("ktp", "2025-S1", 90, 100), survey("ktp", "2026-S1", 90, 100),
               survey("izin", "2026-S1", 5, 100)]
    skm_check = compliance.check_skm(surveys, services, TODAY)
    assert {f.subject: f.provider for f in skm_check.findings} == {
        "KTP-el": "disdukcapil", "Akta kelahiran": "disdukcapil", "Izin usaha": "dpmptsp"}
    parts = skm_check.by_provider()
    assert {kode: [f.subject for f in part.findings] for kode, part in parts.items()} == {
        "disdukcapil": ["Akta kelahiran", "KTP-el"], "dpmptsp": ["Izin usaha"]}
    own = parts["disdukcapil"]
    assert (own.key, own.title, own.basis) == (skm_check.key, skm_check.title, skm_check.basis)
    assert (own.count(OK), own.count(WARN), own.count(FAIL)) == (1, 0, 1)


def test_missing_components_found_for_a_whole_table_are_those_of_each_row():
    import pandas as pd

    from etalase.components import COMPONENTS
    from etalase.services import Service, _missing_by_row

    columns = {c.column: ["isi", None, "   ", "isi"] for c in COMPONENTS}
    columns["biaya"] = ["Gratis", "Rp5.000", "", pd.NA]
    columns["biaya_rupiah"] = pd.array([0, None, 5000, 7], dtype="Int64")
    columns["jangka_waktu_hari_kerja"] = pd.array([3, 3, None, 1], dtype="Int64")
    frame = pd.DataFrame(columns).drop(columns=["jaminan_keamanan"])  # a column absent
    rows = frame.astype(object).where(frame.notna(), None).to_dict("records")
    found = _missing_by_row(frame)
    assert found[0] == ["Jaminan keamanan dan keselamatan pelayanan"]
    assert len(found[1]) == len(found[2]) == len(COMPONENTS)
    for row, missing in zip(rows, found):
        assert Service("k", "n", row, None).missing_components() == missing


def test_components_validation_found_filled_are_not_looked_at_again(data_dir):
    # A required column is filled in every row that passed validation: `_missing_by_row`
    # skips it, and finds the same as looking at every column.
    from etalase.services import _missing_by_row

    frame = load_site(data_dir, root=data_dir.parent).datasets["standar-pelayanan"].frame
    required = {"persyaratan", "prosedur", "biaya", "biaya_rupiah"}
    assert _missing_by_row(frame, required) == _missing_by_row(frame) == [[], []]


def test_a_required_component_missing_from_the_header_is_still_reported(tmp_path):
    # Validation reports the missing column once, on the header, and fills it with nothing:
    # every service then lacks that component, in the compliance report too.
    from factories import SERVICE_COLUMNS, service, write_csv, write_site_data

    data = write_site_data(tmp_path / "data")
    columns = [c for c in SERVICE_COLUMNS if c != "pengaduan"]
    write_csv(data / "standar-pelayanan.csv", columns, [
        {k: v for k, v in service(kode=kode).items() if k != "pengaduan"}
        for kode in ("ktp-el", "akta-kelahiran")])
    with pytest.raises(DataError) as caught:
        load_site(data, settings={compliance.SETTING: True}, root=data.parent)
    messages = [str(p) for p in caught.value.problems]
    assert any('kolom "pengaduan": kolom wajib ini tidak ada' in m for m in messages)
    assert any("belum ada: Penanganan pengaduan" in m for m in messages)


# --- 3. SKM -----------------------------------------------------------------------------------

def survey(kode, period, respondents=100, populasi=None):
    needed = skm.krejcie_morgan(populasi)
    return NS(tingkat="layanan", kode=kode, period=skm.parse_period(period),
              result=NS(respondents=respondents), populasi=populasi, sampel_minimal=needed,
              sampel_cukup=None if needed is None else respondents >= needed)


SERVICES = {"ktp": NS(nama="KTP-el"), "akta": NS(nama="Akta kelahiran")}


def test_services_surveyed_every_year_with_enough_respondents_pass():
    surveys = [survey(k, p, 90, 100) for k in SERVICES for p in ("2024-S2", "2025-S2", "2026-S1")]
    assert compliance.check_skm(surveys, SERVICES, TODAY).status == OK


def test_a_service_never_surveyed_is_a_gap():
    check = compliance.check_skm([survey("ktp", "2026-S1", 90, 100)], SERVICES, TODAY)
    assert statuses(check) == {"KTP-el": OK, "Akta kelahiran": FAIL}


def test_a_year_without_a_survey_is_a_gap():
    surveys = [survey(k, p, 90, 100) for k in SERVICES for p in ("2024-S2", "2026-S1")]
    check = compliance.check_skm(surveys, SERVICES, TODAY)
    assert check.status == FAIL and "tahun 2025" in check.findings[0].detail


def test_a_latest_survey_more_than_a_year_old_is_a_gap():
    surveys = [survey(k, p, 90, 100) for k in SERVICES for p in ("2024", "2025-S1")]
    check = compliance.check_skm(surveys, SERVICES, TODAY)
    assert check.status == FAIL and "lebih dari setahun" in check.findings[0].detail


def test_a_sample_below_krejcie_morgan_is_a_gap_and_says_by_how_much():
    surveys = [survey("ktp", "2025-S2", 79, 100), survey("akta", "2025-S2", 80, 100)]
    surveys += [survey(k, "2026-S1", 90, 100) for k in SERVICES]
    check = compliance.check_skm(surveys, SERVICES, TODAY)
    assert statuses(check) == {"KTP-el": FAIL, "Akta kelahiran": OK}
    assert "79 responden" in check.findings[1].detail and "80" in check.findings[1].detail


def test_a_small_sample_in_a_year_that_also_has_a_large_enough_one_is_only_a_warning():
    # surveyed every year, once with too few respondents: the year still has a valid survey
    surveys = [survey(k, p, 90, 100) for k in SERVICES for p in ("2024-S2", "2025-S2", "2026-S1")]
    surveys += [survey("ktp", "2025-S1", 30, 100), survey("akta", "2025-S1", 90, 100)]
    check = compliance.check_skm(surveys, SERVICES, TODAY)
    assert statuses(check) == {"KTP-el": WARN, "Akta kelahiran": OK}
    detail = next(f.detail for f in check.findings if f.subject == "KTP-el")
    assert "2025-S1: 30 responden, kurang dari sampel minimal 80" in detail  # shown, not hidden
    assert "tahun 2025 tetap punya survei dengan sampel mencukupi" in detail


def test_a_year_whose_every_survey_is_too_small_is_a_gap_even_when_later_ones_are_fine():
    surveys = [survey(k, p, 90, 100) for k in SERVICES for p in ("2024-S2", "2026-S1")]
    surveys += [survey("ktp", "2025-S1", 30, 100), survey("ktp", "2025-S2", 40, 100),
                survey("akta", "2025-S1", 90, 100), survey("akta", "2025-S2", 90, 100)]
    check = compliance.check_skm(surveys, SERVICES, TODAY)
    assert statuses(check) == {"KTP-el": FAIL, "Akta kelahiran": OK}
    detail = next(f.detail for f in check.findings if f.subject == "KTP-el")
    assert "2025-S1: 30 responden" in detail and "2025-S2: 40 responden" in detail
    assert "tetap punya" not in detail


def test_a_small_sample_in_the_year_still_running_is_a_warning_not_a_gap():
    # Surveying with too few respondents must not look worse than not surveying yet: a year
    # without a survey is judged only once it is over.
    today = dt.date(2026, 7, 1)
    surveys = [survey(k, p, 90, 100) for k in SERVICES for p in ("2024-S2", "2025-S2")]
    assert compliance.check_skm(surveys, SERVICES, today).status == OK
    surveys += [survey("ktp", "2026-S1", 30, 100), survey("akta", "2026-S1", 90, 100)]
    check = compliance.check_skm(surveys, SERVICES, today)
    assert statuses(check) == {"KTP-el": WARN, "Akta kelahiran": OK}
    detail = next(f.detail for f in check.findings if f.subject == "KTP-el")
    assert "tahun 2026 belum punya survei dengan sampel mencukupi" in detail


def test_an_unknown_population_is_a_warning():
    surveys = [survey(k, "2026-S1", 30, None) for k in SERVICES]
    assert compliance.check_skm(surveys, SERVICES, TODAY).status == WARN


def test_no_survey_at_all_is_a_gap():
    assert compliance.check_skm([], SERVICES, TODAY).status == FAIL


# --- 4. answers and objections ------------------------------------------------------------------

def test_a_request_without_a_written_answer_past_its_limit_is_a_gap_naming_it():
    # Pasal 22(7)-(8): 10 working days, 17 once extended; judged on the register's last date.
    waiting = [
        {"nomor": "PPID/2025/071", "diterima": dt.date(2025, 10, 1), "hari_kerja": 11,
         "batas": 10, "keputusan": None},
        {"nomor": "PPID/2025/072", "diterima": dt.date(2025, 10, 1), "hari_kerja": 11,
         "batas": 17, "keputusan": None},
        {"nomor": "PPID/2025/074", "diterima": dt.date(2025, 9, 1), "hari_kerja": 40,
         "batas": 10, "keputusan": "Dikabulkan seluruhnya"}]
    check = compliance.check_answers(waiting, dt.date(2025, 10, 15),
                                     "data/ppid/permohonan-informasi.csv")
    assert statuses(check) == {"Permohonan PPID/2025/071": FAIL,
                               "Permohonan PPID/2025/072": OK,
                               "Permohonan PPID/2025/074": FAIL}
    late, extended, decided = check.findings
    assert late.detail == ("diterima 1 Oktober 2025, belum dijawab tertulis setelah 11 hari "
                           "kerja; batasnya 10 hari kerja (per 15 Oktober 2025, tanggal "
                           "terakhir di register)")
    assert late.where == "data/ppid/permohonan-informasi.csv"
    assert "masih dalam batas 17 hari kerja (sudah diperpanjang)" in extended.detail
    # a decision recorded without its date is most often the date not filled in
    assert decided.detail.endswith("keputusannya sudah dicatat (dikabulkan seluruhnya), tetapi "
                                   "tanggal jawaban tertulisnya (kolom tanggal_pemberitahuan) "
                                   "masih kosong")


def test_every_request_answered_passes():
    check = compliance.check_answers([], dt.date(2025, 11, 13), "x.csv")
    assert check.status == OK and len(check.findings) == 1


def test_the_register_gives_the_requests_without_a_written_answer_with_their_limit():
    from stats_helpers import calendar_2025, frame

    from etalase import ppid_report

    register = frame([
        {"nomor": "3", "tanggal_permohonan": "2025-10-01", "tanggal_pemberitahuan": None,
         "diperpanjang": True, "keputusan": None, "keberatan": None},
        {"nomor": "2", "tanggal_permohonan": "2025-09-15", "tanggal_pemberitahuan": None,
         "diperpanjang": None, "keputusan": "ditolak", "keberatan": None},
        {"nomor": "1", "tanggal_permohonan": "2025-09-15",
         "tanggal_pemberitahuan": "2025-10-15", "diperpanjang": None,
         "keputusan": "dikabulkan_seluruhnya", "keberatan": None},
    ], ["tanggal_permohonan", "tanggal_pemberitahuan"])
    enriched = ppid_report.enrich(register, calendar_2025(), ppid_report.as_of(register))
    assert ppid_report.waiting_requests(enriched) == [
        {"nomor": "2", "diterima": dt.date(2025, 9, 15), "hari_kerja": 22, "batas": 10,
         "keputusan": "Ditolak"},
        {"nomor": "3", "diterima": dt.date(2025, 10, 1), "hari_kerja": 10, "batas": 17,
         "keputusan": None}]


def test_the_published_compliance_page_names_the_requests_never_answered(example_site):
    page = (example_site / "ppid" / "kepatuhan" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="jawaban"'):]
    section = section[:section.index("</section>")]
    assert "Jawaban atas permohonan informasi" in section and "Pasal 22 ayat (7)" in section
    assert "Permohonan PPID/2024/071" in section and "belum dijawab tertulis setelah" in section


def test_an_objection_waiting_past_30_working_days_is_a_gap_naming_its_request():
    waiting = [{"nomor": "PPID/2025/013", "diterima": dt.date(2025, 10, 1), "hari_kerja": 31},
               {"nomor": "PPID/2025/040", "diterima": dt.date(2025, 11, 3), "hari_kerja": 8},
               {"nomor": "PPID/2025/041", "diterima": None, "hari_kerja": None}]
    check = compliance.check_objections(waiting, dt.date(2025, 11, 13),
                                        "data/ppid/permohonan-informasi.csv")
    assert statuses(check) == {"Keberatan atas permohonan PPID/2025/013": FAIL,
                               "Keberatan atas permohonan PPID/2025/040": OK,
                               "Keberatan atas permohonan PPID/2025/041": WARN}
    late = check.findings[0]
    assert late.detail == ("diterima 1 Oktober 2025, belum dijawab setelah 31 hari kerja; "
                           "batasnya 30 hari kerja (per 13 November 2025, tanggal terakhir di "
                           "register)")
    assert late.where == "data/ppid/permohonan-informasi.csv"


def test_no_objection_waiting_passes():
    check = compliance.check_objections([], dt.date(2025, 11, 13), "x.csv")
    assert check.status == OK and len(check.findings) == 1


def test_the_register_gives_the_objections_still_waiting_with_the_days_waited():
    from stats_helpers import calendar_2025, frame

    from etalase import ppid_report

    register = frame([
        {"nomor": "2", "tanggal_permohonan": "2025-09-15", "keberatan": "diajukan",
         "tanggal_keberatan": "2025-11-03", "tanggal_pemberitahuan": "2025-11-13"},
        {"nomor": "1", "tanggal_permohonan": "2025-09-15", "keberatan": "diajukan",
         "tanggal_keberatan": "2025-10-01", "tanggal_pemberitahuan": None},
        {"nomor": "3", "tanggal_permohonan": "2025-09-15", "keberatan": "dijawab",
         "tanggal_keberatan": "2025-10-01", "tanggal_pemberitahuan": None},
    ], ["tanggal_permohonan", "tanggal_keberatan", "tanggal_pemberitahuan"])
    register["tanggal_tanggapan_keberatan"] = pd.NaT
    enriched = ppid_report.enrich(register, calendar_2025(), ppid_report.as_of(register))
    assert ppid_report.waiting_objections(enriched) == [
        {"nomor": "1", "diterima": dt.date(2025, 10, 1), "hari_kerja": 31},
        {"nomor": "2", "diterima": dt.date(2025, 11, 3), "hari_kerja": 8}]


def test_the_published_compliance_page_names_the_objections_waiting_too_long(example_site):
    page = (example_site / "ppid" / "kepatuhan" / "index.html").read_text(encoding="utf-8")
    section = page[page.index('<section id="keberatan"'):]
    section = section[:section.index("</section>")]
    assert "Tanggapan atas keberatan" in section and "Pasal 36 ayat (2)" in section
    assert "Keberatan atas permohonan PPID/2024/013" in section
    assert "belum dijawab setelah" in section


# --- 5. annual report ---------------------------------------------------------------------------

def test_last_years_report_present_after_31_march_passes():
    assert compliance.check_annual_report({2025}, {2025}, dt.date(2026, 4, 1)).status == OK


def test_last_years_report_missing_after_31_march_is_a_gap():
    check = compliance.check_annual_report({2024}, {2024, 2025}, dt.date(2026, 4, 1))
    [finding] = check.findings
    assert (finding.subject, finding.status) == ("Laporan 2025", FAIL)
    assert finding.where == "content/laporan-ppid/2025.md"


def test_before_31_march_last_years_report_is_not_due_but_the_year_before_is():
    check = compliance.check_annual_report({2024}, set(), dt.date(2026, 3, 31))
    assert statuses(check) == {"Laporan 2024": OK, "Laporan 2025": WARN}
    check = compliance.check_annual_report(set(), set(), dt.date(2026, 3, 31))
    assert statuses(check) == {"Laporan 2024": FAIL, "Laporan 2025": WARN}


# --- 5. maklumat and codes of conduct ------------------------------------------------------------

def provider(nama, maklumat="Kami sanggup melayani sesuai standar."):
    return NS(nama=nama, url=f"penyelenggara/{nama}/", row={"maklumat": maklumat})


def code(judul, binds):
    return NS(judul=judul, url=f"kode-etik/{judul}/", binds=lambda kode: kode in binds)


def test_providers_with_a_maklumat_and_a_binding_code_pass():
    check = compliance.check_maklumat_and_codes({"a": provider("A")}, {"k": code("K", {"a"})})
    assert check.status == OK and ("kode-etik/K/", "K") in check.findings[0].links


def test_a_missing_maklumat_or_code_of_conduct_is_a_gap():
    check = compliance.check_maklumat_and_codes(
        {"a": provider("A", maklumat=""), "b": provider("B")}, {"k": code("K", {"a"})})
    assert statuses(check) == {"A": FAIL, "B": FAIL}
    assert "maklumat" in check.findings[0].detail and "kode etik" in check.findings[1].detail


def test_without_the_codes_section_the_codes_cannot_be_checked():
    check = compliance.check_maklumat_and_codes({"a": provider("A")}, None)
    assert check.status == WARN


# --- the setting and the command line -------------------------------------------------------------

def test_gaps_are_only_reported_by_default_and_fail_the_build_when_the_setting_says_so(data_dir):
    site = load_site(data_dir, root=data_dir.parent)  # the factory site has no SKM: a gap
    assert compliance.worst(site.parts["ppid"]["checks"]) == FAIL
    with pytest.raises(DataError) as caught:
        load_site(data_dir, settings={compliance.SETTING: True}, root=data_dir.parent)
    messages = [p.expected for p in caught.value.problems]
    assert any("Survei Kepuasan Masyarakat" in m for m in messages)
    assert all(m.startswith("kepatuhan") for m in messages)


def test_validate_prints_the_same_compliance_summary(data_dir, capsys, monkeypatch):
    from etalase.cli import main

    monkeypatch.setenv("ETALASE_ROOT", str(data_dir.parent))
    assert main(["validate", "--data", str(data_dir)]) == 0
    out = capsys.readouterr().out
    assert "Kepatuhan keterbukaan informasi" in out
    assert "Survei Kepuasan Masyarakat" in out and "belum ada survei" in out


def test_validate_fails_on_a_gap_when_pelicanconf_says_gaps_fail(data_dir, capsys, monkeypatch):
    from etalase.cli import main

    (data_dir.parent / "pelicanconf.py").write_text(f"{compliance.SETTING} = True\n")
    monkeypatch.setenv("ETALASE_ROOT", str(data_dir.parent))
    assert main(["validate", "--data", str(data_dir)]) == 1
    assert "belum ada survei" in capsys.readouterr().err


def test_a_period_in_which_other_services_were_surveyed_but_this_one_not_is_a_warning():
    surveys = [survey("ktp", p, 90, 100) for p in ("2025-S1", "2025-S2", "2026-S1")]
    surveys += [survey("akta", p, 90, 100) for p in ("2025-S1", "2026-S1")]
    check = compliance.check_skm(surveys, SERVICES, TODAY)
    assert statuses(check) == {"KTP-el": OK, "Akta kelahiran": WARN}
    assert "periode 2025-S2" in check.findings[0].detail


def test_a_list_with_only_markers_is_a_component_the_ombudsman_report_lists_as_missing(tmp_path):
    import pandas as pd
    from factories import service, write_site_data

    from etalase.services import Service, _missing_by_row, incomplete_services

    data = write_site_data(tmp_path / "data", services=[
        service(kode="ktp-el", persyaratan="-", produk="1.\n2."), service()])
    with pytest.raises(DataError) as caught:
        load_site(data, settings={compliance.SETTING: True}, root=data.parent)
    messages = [str(p) for p in caught.value.problems]
    assert any('csv:2: kolom "persyaratan": kosong, padahal wajib diisi' in m for m in messages)
    assert any('csv:2: kolom "produk": kosong, padahal wajib diisi' in m for m in messages)
    assert any("belum ada: Persyaratan, Produk pelayanan" in m for m in messages)

    # The table at once, a service by itself and the report of incomplete services agree.
    rows = [service(kode="ktp-el", persyaratan="-", produk="1.\n2."),
            service(sarana_prasarana="1.500 kursi tunggu")]
    frame = pd.DataFrame(rows, dtype=object)
    required = {"persyaratan", "produk", "sarana_prasarana"}
    assert _missing_by_row(frame, required) == _missing_by_row(frame) == [
        ["Persyaratan", "Produk pelayanan"], []]
    services = {r["kode"]: Service(r["kode"], r["nama"], r, None) for r in rows}
    assert incomplete_services(NS(services=services)) == {
        "ktp-el": ["Persyaratan", "Produk pelayanan"]}
