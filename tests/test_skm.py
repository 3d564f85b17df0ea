"""The satisfaction index (IKM) is computed exactly as PermenPAN-RB 14/2017 defines it.

Expected values below were worked out by hand (shown in the comments), not by the code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

from etalase import skm

U = [f"u{i}" for i in range(1, 10)]


def _answers(cells: list[int], respondents: int) -> pd.DataFrame:
    """`respondents` questionnaires filled row by row from `cells` (9 per respondent)."""
    assert len(cells) == respondents * 9
    return pd.DataFrame([cells[i * 9:(i + 1) * 9] for i in range(respondents)], columns=U)


def test_all_answers_4_give_exactly_100_not_the_99_of_the_rounded_weight():
    # 4 × (1/9) × 9 = 4; 4 × 25 = 100. With a weight of 0.11 it would be 4 × 0.99 × 25 = 99.
    result = skm.compute_ikm(_answers([4] * 27, 3))
    assert result.ikm == Decimal("100.00")
    assert result.ikm_1_4 == 4
    assert result.grade == ("A", "Sangat Baik")


def test_worked_example_one_unsur_higher():
    # Two respondents, all 3s except respondent 1 answers u1 = 4.
    # NRR u1 = 7/2 = 3.5, others 3. Σ NRR = 27.5; IKM = 27.5/9 = 3.0556; × 25 = 76.3888… → 76.39.
    answers = _answers([4] + [3] * 8 + [3] * 9, 2)
    result = skm.compute_ikm(answers)
    assert result.unsur[0].nrr == Fraction(7, 2)
    assert result.ikm == Decimal("76.39")
    assert result.grade == ("C", "Kurang Baik")  # 76.39 < 76.61


def test_rounding_is_half_up_and_only_the_final_value_is_rounded():
    # 43 respondents, 206 answers of 4 and 181 of 3: Σ answers = 1367.
    # Σ NRR = 1367/43, IKM unit = 25 × 1367 / (9 × 43) = 34175/387 = 88.3075… → 88.31 → A.
    # (The common 0.111 weight gives 1367/43 × 0.111 × 25 = 88.22 → B: the weight matters.)
    cells = [4] * 206 + [3] * 181
    result = skm.compute_ikm(_answers(cells, 43))
    assert result.ikm == Decimal("88.31")
    assert result.grade == ("A", "Sangat Baik")
    # 19 respondents, 91 fours and 80 threes: 25 × 604 / 171 = 88.3040… → 88.30 → B.
    result = skm.compute_ikm(_answers([4] * 91 + [3] * 80, 19))
    assert result.ikm == Decimal("88.30")
    assert result.grade == ("B", "Baik")


def test_round_half_up_on_exact_halves():
    assert skm.round_half_up(Fraction(88305, 1000), 2) == Decimal("88.31")  # banker's: 88.30
    assert skm.round_half_up(Fraction(76605, 1000), 2) == Decimal("76.61")
    assert skm.round_half_up(Fraction(64995, 1000), 2) == Decimal("65.00")
    assert skm.round_half_up(88.305, 2) == Decimal("88.31")  # float 88.305 is 88.30499…


@pytest.mark.parametrize("value, expected", [
    ("100.00", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"),
    ("65.00", "C"), ("64.99", "D"), ("25.00", "D"),
])
def test_grade_thresholds_on_both_sides_of_each_boundary(value, expected):
    assert skm.grade(Decimal(value))[0] == expected


@pytest.mark.parametrize("nrr, expected", [
    (Fraction(35324, 10000), "A"), (Fraction(35323, 10000), "B"),
    (Fraction(30644, 10000), "B"), (Fraction(30643, 10000), "C"),
    (Fraction(26, 10), "C"), (Fraction(25999, 10000), "D"),
    # rounded half-up to 4 decimals first: 3.53235 → 3.5324 → A
    (Fraction(353235, 100000), "A"),
])
def test_unsur_grade_thresholds(nrr, expected):
    assert skm.unsur_grade(nrr)[0] == expected


def test_blank_answers_are_left_out_of_that_unsur_only():
    # Respondent 2 skipped u9. NRR u9 = 4/1 = 4 (not (4+0)/2); every other NRR = (4+2)/2 = 3.
    answers = pd.DataFrame([[4] * 9, [2] * 8 + [None]], columns=U)
    result = skm.compute_ikm(answers)
    assert result.respondents == 2
    assert result.unsur[8].answers == 1 and result.unsur[8].nrr == 4
    assert result.unsur[0].nrr == 3
    # Σ NRR = 8 × 3 + 4 = 28; × 25 / 9 = 77.777… → 77.78
    assert result.ikm == Decimal("77.78")


def test_an_unsur_nobody_answered_leaves_the_index_undefined():
    answers = pd.DataFrame([[4] * 8 + [None]], columns=U)
    result = skm.compute_ikm(answers)
    assert result.ikm is None and result.grade == (None, None)


@pytest.mark.parametrize("population, sample", [
    (10, 10), (100, 80), (1000, 278), (10000, 370), (1_000_000, 384),
])
def test_krejcie_morgan_table_values(population, sample):
    assert skm.krejcie_morgan(population) == sample


def test_krejcie_morgan_rounds_up_to_the_next_whole_respondent():
    # N = 50: 3.841 × 50 × 0.25 / (0.0025 × 49 + 0.96025) = 48.0125 / 1.08275 = 44.34 → 45
    assert skm.krejcie_morgan(50) == 45
    assert skm.krejcie_morgan(None) is None
    assert skm.krejcie_morgan(0) == 0


@pytest.mark.parametrize("code, start, end, label", [
    ("2025", dt.date(2025, 1, 1), dt.date(2025, 12, 31), "Tahun 2025"),
    ("2025-S1", dt.date(2025, 1, 1), dt.date(2025, 6, 30), "Semester I 2025"),
    ("2025-S2", dt.date(2025, 7, 1), dt.date(2025, 12, 31), "Semester II 2025"),
    ("2025-Q3", dt.date(2025, 7, 1), dt.date(2025, 9, 30), "Triwulan III 2025"),
    ("2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "Februari 2024"),
])
def test_period_codes_become_date_ranges(code, start, end, label):
    period = skm.parse_period(code)
    assert (period.start, period.end, period.label) == (start, end, label)


def test_unknown_period_codes_are_rejected():
    for code in ("2025-S3", "2025-Q5", "25-S1", "2025 S1"):
        with pytest.raises(ValueError):
            skm.parse_period(code)


def test_small_cells_are_suppressed_and_one_more_so_they_cannot_be_subtracted():
    assert skm.suppress({"a": 10, "b": 8, "c": 3}) == {"a": 10, "b": None, "c": None}
    assert skm.suppress({"a": 10, "b": 2, "c": 3}) == {"a": 10, "b": None, "c": None}
    assert skm.suppress({"a": 10, "b": 5, "c": 0}) == {"a": 10, "b": 5, "c": 0}


def test_a_providers_hidden_cell_cannot_be_worked_out_from_the_sites_count():
    # The audit's case: 31 site-wide respondents with S2/S3, five providers publishing
    # 6 + 5 + 5 + 5 + 6 and Dinkes's 4 hidden: 31 - 27 = 4 gave it away.
    total = {"S1/D4": 60, "S2/S3": 31}
    parts = {"bapenda": {"S1/D4": 12, "S2/S3": 6}, "dinkes": {"S1/D4": 12, "S2/S3": 4},
             "dishub": {"S1/D4": 12, "S2/S3": 5}, "disdukcapil": {"S1/D4": 12, "S2/S3": 5},
             "dpmptsp": {"S1/D4": 6, "S2/S3": 5}, "dinsos": {"S1/D4": 6, "S2/S3": 6}}
    shown, shown_parts = skm.suppress_linked(total, parts)
    hidden = [key for key, cells in shown_parts.items() if cells["S2/S3"] is None]
    assert "dinkes" in hidden and len(hidden) >= 2
    _assert_nothing_hidden_alone(shown, shown_parts)


def test_a_hidden_site_count_cannot_be_added_up_from_the_providers_counts():
    # Hidden as the site's second small cell, SD was 8 = provider B's SD (A has none); the
    # site's S2/S3 then followed from its respondents: 87 - 8 - 40 - 37 = 2, A's hidden cell.
    total = {"SD": 8, "SMA": 40, "S1/D4": 37, "S2/S3": 2}
    parts = {"a": {"SMA": 6, "S1/D4": 30, "S2/S3": 2}, "b": {"SD": 8, "SMA": 34, "S1/D4": 7}}
    shown, shown_parts = skm.suppress_linked(total, parts)
    _assert_nothing_hidden_alone(shown, shown_parts)
    if shown["SD"] is None:
        assert shown_parts["b"]["SD"] is None


def _assert_nothing_hidden_alone(shown, shown_parts):
    for cells in (shown, *shown_parts.values()):  # each with its respondents published
        # (a group whose respondents all fall in one category cannot be helped by hiding:
        # the category is its number of respondents)
        assert len(cells) == 1 or sum(v is None for v in cells.values()) != 1, cells
    for category, value in shown.items():
        # (a provider with one category has it as its number of respondents: known anyway)
        column = [cells.get(category, 0) for cells in shown_parts.values() if len(cells) > 1]
        if value is None and not any(column):
            continue  # only answers given for no service: published nowhere else
        assert sum(v is None for v in column) + (value is None) != 1, (category, value, column)


@pytest.mark.parametrize("seed", range(200))
def test_no_small_cell_is_shown_and_none_is_hidden_alone_in_a_row_or_column(seed):
    rng = np.random.default_rng(seed)
    categories = [f"k{i}" for i in range(int(rng.integers(2, 6)))]
    # As counted from questionnaires: a category nobody in a group chose is not in its counts.
    parts = {f"p{j}": {c: int(rng.choice([1, 2, 3, 4, 5, 6, 9, 20])) for c in categories
                       if rng.random() < 0.8}
             for j in range(int(rng.integers(1, 7)))}
    unassigned = {c: int(rng.choice([0, 0, 1, 3])) for c in categories}
    total = {c: unassigned[c] + sum(p.get(c, 0) for p in parts.values()) for c in categories}
    total = {c: n for c, n in total.items() if n}
    shown, shown_parts = skm.suppress_linked(total, parts)
    for counts, cells in ((total, shown), *((parts[k], shown_parts[k]) for k in parts)):
        assert set(cells) == set(counts)
        for category, count in counts.items():
            if 0 < count < skm.SUPPRESS_BELOW:
                assert cells[category] is None
            assert cells[category] in (None, count)
    _assert_nothing_hidden_alone(shown, shown_parts)


def test_profile_is_aggregated_with_age_bands_and_no_small_cells():
    answers = pd.DataFrame({
        "jenis_kelamin": ["L"] * 12 + ["P"] * 9,
        "usia": ["23"] * 6 + ["35"] * 6 + ["61"] * 4 + [""] * 5,
        "pekerjaan": ["pns"] * 21,
    })
    rows = skm.respondent_profile(answers)
    table = {(r["karakteristik"], r["kategori"]): r["jumlah"] for r in rows}
    assert table[("Jenis kelamin", "Laki-laki")] == 12
    assert table[("Jenis kelamin", "Perempuan")] == 9
    assert table[("Kelompok usia", "20–29 tahun")] == 6
    assert table[("Kelompok usia", "≥ 60 tahun")] is None  # 4 < 5
    # the only other hidden cell is the smallest visible one (5 "Tidak diisi"), not 6
    assert table[("Kelompok usia", "Tidak diisi")] is None
    assert table[("Kelompok usia", "30–39 tahun")] == 6
    assert table[("Pekerjaan", "Pns")] == 21
    assert all(r["jumlah"] is None or r["jumlah"] >= 5 for r in rows)


def test_published_figures_computed_from_counts_equal_exact_rational_arithmetic():
    # NRR, IKM, their rounding and grades are computed from the integer counts (a national
    # site has 360 000 unsur results); they must equal the regulation's formula evaluated
    # with exact fractions and rounded half-up, for any counts, including an unanswered unsur.
    import math
    import random

    def half_up(exact: Fraction, places: int) -> Decimal:  # the definition, nothing shared
        return Decimal(math.floor(exact * 10**places + Fraction(1, 2))) / Decimal(10**places)

    def unsur_grade(rounded: Decimal) -> tuple[str, str]:
        for low, letter, label in ((Decimal("3.5324"), "A", "Sangat Baik"),
                                   (Decimal("3.0644"), "B", "Baik"),
                                   (Decimal("2.6000"), "C", "Kurang Baik")):
            if rounded >= low:
                return letter, label
        return "D", "Tidak Baik"

    rng = random.Random(14)
    every_unsur = []
    for _ in range(3000):
        unsur = []
        for i in range(9):
            answers = 0 if rng.random() < 0.02 else rng.randint(1, 900)
            unsur.append(skm.UnsurResult(f"u{i + 1}", "x", answers,
                                         rng.randint(answers, 4 * answers)))
        result = skm.IKMResult(rng.randint(1, 900), unsur)
        every_unsur += unsur
        for u in unsur:
            exact = Fraction(u.total, u.answers) if u.answers else None
            assert u.nrr == exact
            assert u.nrr_rounded == (None if exact is None else half_up(exact, 4))
            assert u.nilai == (None if exact is None else half_up(exact * 25, 2))
            assert u.grade == ((None, None) if exact is None else unsur_grade(half_up(exact, 4)))
        mean = None if any(u.nrr is None for u in unsur) else sum(
            (u.nrr * Fraction(1, 9) for u in unsur), Fraction(0))
        assert result.ikm_1_4 == mean
        assert result.ikm == (None if mean is None else half_up(mean * 25, 2))
        assert result.grade == ((None, None) if mean is None else skm.grade(result.ikm))
    # The published unsur table computes all 27 000 at once: the same figures, as floats.
    nrr, nilai, letters = skm.unsur_values(np.array([u.answers for u in every_unsur]),
                                           np.array([u.total for u in every_unsur]))
    for u, a, b, letter in zip(every_unsur, nrr.tolist(), nilai.tolist(), letters.tolist()):
        if u.answers:
            assert (a, b, letter) == (float(u.nrr_rounded), float(u.nilai), u.grade[0])
        else:
            assert math.isnan(a) and math.isnan(b) and letter is None


def test_the_index_of_many_groups_at_once_equals_each_group_on_its_own():
    # A national site has 10 000 services in each period: their results are counted with
    # one pass over the period's answers, blanks included.
    import random

    rng = random.Random(25)
    rows = [[rng.choice([1, 2, 3, 4, 4, None]) for _ in U] for _ in range(400)]
    rows[7] = [None] * 9  # a questionnaire left blank still counts as a respondent
    answers = pd.DataFrame(rows, columns=U)
    groups = np.array([rng.randrange(30) for _ in rows])
    groups[:30] = range(30)  # every group has rows
    matrix = skm.answer_matrix(answers)
    for number, result in enumerate(skm.ikm_by_group(matrix, groups, 30)):
        alone = skm.ikm_from_matrix(matrix[groups == number])
        assert result == alone
        assert (result.respondents, result.ikm, result.grade, result.fingerprint()) == (
            alone.respondents, alone.ikm, alone.grade, alone.fingerprint())


def test_a_cached_survey_result_gives_the_same_figures_and_makes_its_unsur_only_when_asked():
    import pickle

    answers = pd.DataFrame({f"u{i}": [1 + (i + r) % 4 for r in range(7)] for i in range(1, 10)})
    answers.loc[3, "u5"] = None  # one blank answer
    result = skm.compute_ikm(answers)
    cached = pickle.loads(pickle.dumps(result))
    assert "unsur" not in vars(cached)  # 360 000 objects on a national site: made on use
    assert (cached.ikm, cached.grade, cached.fingerprint()) == (
        result.ikm, result.grade, result.fingerprint())
    assert "unsur" not in vars(cached)
    assert cached == result  # comparing asks for the unsur: made then, equal
    twice = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(result))))  # cached again
    assert (twice.ikm, twice.fingerprint()) == (result.ikm, result.fingerprint())
    assert [(u.nrr, u.nilai, u.grade) for u in cached.unsur] == [
        (u.nrr, u.nilai, u.grade) for u in result.unsur]
