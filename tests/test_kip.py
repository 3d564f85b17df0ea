"""KIP classification (every page and dataset says what kind of public information it is) and
the time limits of an information request, in working days."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from etalase import kip
from etalase.datasets import Dataset
from etalase.errors import DataError
from etalase.site import load_site
from etalase.workdays import WorkCalendar

# Cuti bersama 2025 (SKB 3 Menteri), as in data/hari-libur/cuti-bersama.csv.
CUTI_2025 = ["2025-01-28", "2025-03-28", "2025-04-02", "2025-04-03", "2025-04-04",
             "2025-04-07", "2025-05-13", "2025-05-30", "2025-06-09", "2025-08-18", "2025-12-26"]


def dataset(**overrides) -> Dataset:
    values = dict(id="contoh", title="Contoh", description="d", schema={"fields": []},
                  frame=pd.DataFrame(), theme="layanan", source="data/contoh.csv")
    values.update(overrides)
    return Dataset(**values)


def write_page(root: Path, name: str, header: str) -> Path:
    path = root / "content" / "pages" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n\nIsi halaman.\n", encoding="utf-8")
    return path


def problems_of(data_dir: Path) -> list:
    with pytest.raises(DataError) as caught:
        load_site(data_dir, root=data_dir.parent)
    return caught.value.problems


# --- the ten periodic items -----------------------------------------------------------------

def test_there_are_ten_periodic_items_each_with_its_legal_source():
    assert sorted(kip.BERKALA_ITEMS) == list(range(1, 11))
    assert all("Pasal" in item.source for item in kip.BERKALA_ITEMS.values())
    assert kip.BERKALA_ITEMS[5] is kip.AKSES_INFORMASI
    assert kip.BERKALA_ITEMS[10] is kip.PERINGATAN_DINI


# --- pages --------------------------------------------------------------------------------------

def test_a_page_without_a_kip_category_stops_the_build_naming_the_file(data_dir):
    write_page(data_dir.parent, "profil.md", "Title: Profil\nSlug: profil")
    [problem] = [p for p in problems_of(data_dir) if p.column == "Kategori_KIP"]
    assert problem.file == "content/pages/profil.md"
    assert "Kategori_KIP: berkala" in problem.expected


def test_a_berkala_page_must_say_which_periodic_item_it_fulfils(data_dir):
    write_page(data_dir.parent, "profil.md", "Title: Profil\nKategori_KIP: berkala")
    [problem] = [p for p in problems_of(data_dir) if p.file.endswith("profil.md")]
    assert problem.column == "Butir_berkala"
    assert "1" in problem.expected and "10" in problem.expected


@pytest.mark.parametrize("header, column", [
    ("Kategori_KIP: dikecualikan", "Kategori_KIP"),
    ("Kategori_KIP: rahasia", "Kategori_KIP"),
    ("Kategori_KIP: berkala\nButir_berkala: 11", "Butir_berkala"),
])
def test_exempt_unknown_and_out_of_range_page_metadata_is_rejected(data_dir, header, column):
    write_page(data_dir.parent, "x.md", "Title: X\n" + header)
    assert [p.column for p in problems_of(data_dir) if p.file.endswith("x.md")] == [column]


def test_classified_pages_pass(data_dir):
    write_page(data_dir.parent, "profil.md",
               "Title: Profil\nKategori_KIP: berkala\nButir_berkala: 1, 7")
    write_page(data_dir.parent, "sop.md", "Title: SOP\nKategori_KIP: setiap_saat")
    load_site(data_dir, root=data_dir.parent)


def test_the_example_about_page_is_classified():
    meta = kip.page_metadata(Path(__file__).parent.parent / "content" / "pages" / "tentang.md")
    assert kip.page_problems(meta, "tentang.md") == []


# --- datasets ----------------------------------------------------------------------------------

def test_a_berkala_dataset_without_its_item_is_rejected():
    [problem] = kip.dataset_problems(dataset(kip_category="berkala", berkala_item=None))
    assert problem.file == "data/contoh.csv" and "contoh" in problem.expected


def test_an_exempt_dataset_is_never_published():
    [problem] = kip.dataset_problems(dataset(kip_category="dikecualikan"))
    assert "tidak boleh diterbitkan" in problem.expected


def test_an_unknown_dataset_category_is_rejected():
    assert kip.dataset_problems(dataset(kip_category="rahasia", berkala_item=1))


def test_classified_datasets_pass():
    assert kip.dataset_problems(dataset(kip_category="berkala", berkala_item=3)) == []
    assert kip.dataset_problems(dataset(kip_category="setiap_saat")) == []


def test_every_dataset_of_the_example_site_is_classified(example_site):
    """The build ran the check; the DIP lists every dataset with a category."""
    dip = pd.read_csv(example_site / "data" / "daftar-informasi-publik"
                      / "daftar-informasi-publik.csv")
    assert set(dip["kategori"]) <= set(kip.PUBLISHABLE)
    berkala = dip[dip["kategori"] == "berkala"]
    assert berkala["butir_berkala"].notna().all()


# --- deadlines -----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def calendar() -> WorkCalendar:
    return WorkCalendar(CUTI_2025, first_year=2024, last_year=2026)


def test_the_time_limits_are_the_statutory_ones():
    assert (kip.ANSWER_DAYS, kip.EXTENSION_DAYS, kip.OBJECTION_DAYS, kip.SUPERIOR_ANSWER_DAYS,
            kip.DISPUTE_DAYS) == (10, 7, 30, 30, 14)


def test_a_request_on_an_ordinary_monday_is_answered_two_weeks_later(calendar):
    steps = {s.key: s.date for s in kip.request_deadlines(dt.date(2025, 2, 3), calendar)}
    assert steps["jawaban"] == dt.date(2025, 2, 17)  # 10 working days, no holiday between
    assert steps["perpanjangan"] == dt.date(2025, 2, 26)


def test_a_request_before_idulfitri_skips_nyepi_lebaran_cuti_bersama_and_good_friday(calendar):
    # Thursday 27 March 2025: 28 Mar cuti Nyepi, 31 Mar–1 Apr Idulfitri, 2–4 and 7 Apr cuti
    # bersama, 18 Apr Good Friday; counted by hand.
    steps = {s.key: s.date for s in kip.request_deadlines(dt.date(2025, 3, 27), calendar)}
    assert steps["permohonan"] == dt.date(2025, 3, 27)
    assert steps["jawaban"] == dt.date(2025, 4, 22)
    assert steps["perpanjangan"] == dt.date(2025, 5, 2)  # 1 May is Labour Day
    # 30 working days after 22 April, past Waisak, Ascension, Iduladha and their cuti bersama
    assert steps["keberatan"] == dt.date(2025, 6, 12)


def test_the_chain_after_an_objection_counts_from_each_previous_step(calendar):
    steps = kip.request_deadlines(dt.date(2025, 3, 27), calendar)
    by_key = {s.key: s for s in steps}
    for step in steps[1:]:
        base = by_key[step.after].date
        assert calendar.working_days_between(base, step.date) == step.days


def test_an_objection_filed_early_moves_the_superior_answer_and_dispute_deadlines(calendar):
    filed = dt.date(2025, 4, 23)
    steps = {s.key: s.date for s in kip.request_deadlines(dt.date(2025, 3, 27), calendar, filed)}
    assert calendar.working_days_between(filed, steps["tanggapan"]) == 30
    assert calendar.working_days_between(steps["tanggapan"], steps["sengketa"]) == 14


def test_the_holiday_list_for_the_browser_holds_weekday_days_off_only(calendar):
    days = kip.non_working_days(calendar, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert "2025-04-02" in days and "2025-12-25" in days
    assert "2025-03-29" not in days  # Nyepi 2025 fell on a Saturday
    assert all(dt.date.fromisoformat(d).weekday() < 5 for d in days)


def test_every_step_says_in_words_what_it_counts_from(calendar):
    for step in kip.request_deadlines(dt.date(2025, 2, 3), calendar):
        assert step.after in kip.COUNTED_FROM
