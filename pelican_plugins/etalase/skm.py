"""Survei Kepuasan Masyarakat (SKM) as PermenPAN-RB 14/2017 defines it.

- NRR per unsur = sum of that unsur's answers / number of answers to it (blank answers are
  left out of that unsur only).
- IKM (1–4) = Σ NRR × 1/9, computed with exact fractions (never 0,111 or 0,11).
- IKM unit (25–100) = IKM × 25, rounded once, at the end, to 2 decimals, half-up
  (ROUND_HALF_UP: 88.305 → 88.31), the way Indonesian reports and spreadsheets round.
- Grade on the rounded value with ≥ thresholds: A ≥ 88.31, B ≥ 76.61, C ≥ 65.00, else D.
  Per-unsur grade: NRR rounded half-up to 4 decimals against the same thresholds ÷ 25
  (3.5324 / 3.0644 / 2.6000).
- Required sample by Krejcie–Morgan (χ² = 3.841, P = 0.5, d = 0.05), rounded up to the next
  whole respondent.

Also: period codes (`2025`, `2025-S1`, `2025-Q3`, `2025-07`) → date ranges, and the
respondent profile with small-cell suppression.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from array import array
from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

import numpy as np
import pandas as pd

UNSUR = {
    "u1": "Persyaratan",
    "u2": "Sistem, mekanisme, dan prosedur",
    "u3": "Waktu penyelesaian",
    "u4": "Biaya/tarif",
    "u5": "Produk spesifikasi jenis pelayanan",
    "u6": "Kompetensi pelaksana",
    "u7": "Perilaku pelaksana",
    "u8": "Sarana dan prasarana",
    "u9": "Penanganan pengaduan, saran, dan masukan",
}
UNSUR_KEYS = list(UNSUR)
WEIGHT = Fraction(1, 9)  # PermenPAN-RB 14/2017: 1 / number of unsur, exactly
SCALE = 25  # IKM unit = IKM × 25

# (lowest rounded IKM 25–100, grade, label): PermenPAN-RB 14/2017 table, ≥ thresholds.
GRADES = [
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("25.00"), "D", "Tidak Baik"),
]
UNSUR_GRADES = [(Decimal("3.5324"), "A", "Sangat Baik"), (Decimal("3.0644"), "B", "Baik"),
                (Decimal("2.6000"), "C", "Kurang Baik"), (Decimal("1.0000"), "D", "Tidak Baik")]

# Krejcie & Morgan (1970): chi-square for 1 degree of freedom at 95 %, P = 0.5, d = 0.05.
KM_CHI2 = Fraction("3.841")
KM_P = Fraction(1, 2)
KM_D = Fraction(5, 100)

SUPPRESS_BELOW = 5  # profile cells with fewer respondents are not published


def round_half_up(value, places: int) -> Decimal:
    """Round an exact value (Fraction, int, Decimal or float via its repr) half-up."""
    if isinstance(value, Fraction):
        return _ratio_half_up(value.numerator, value.denominator, places)
    quant = Decimal(1).scaleb(-places)
    return Decimal(str(value)).quantize(quant, rounding=ROUND_HALF_UP)


def _ratio_half_up(n: int, d: int, places: int) -> Decimal:
    """n/d (d > 0) rounded half-up, as floor(n/d · 10^places + 1/2) in integers: Fraction
    arithmetic here took seconds for the 360 000 unsur results of a national site."""
    return Decimal((2 * n * 10**places + d) // (2 * d)) / Decimal(10**places)


def grade(ikm_rounded) -> tuple[str, str]:
    """(grade, label) of an IKM unit value on 25–100, already rounded to 2 decimals."""
    value = Decimal(str(ikm_rounded))
    for threshold, letter, label in GRADES[:-1]:
        if value >= threshold:
            return letter, label
    return GRADES[-1][1], GRADES[-1][2]


def unsur_grade(nrr) -> tuple[str, str]:
    """(grade, label) of one unsur's NRR (1–4), rounded half-up to 4 decimals first."""
    value = round_half_up(nrr if isinstance(nrr, Fraction) else Fraction(str(nrr)), 4)
    for threshold, letter, label in UNSUR_GRADES[:-1]:
        if value >= threshold:
            return letter, label
    return UNSUR_GRADES[-1][1], UNSUR_GRADES[-1][2]


def krejcie_morgan(population: int | None) -> int | None:
    """Minimum number of respondents for a population of N, rounded up (N 1 000 → 278)."""
    if population is None or pd.isna(population):
        return None
    return _krejcie_morgan(int(population))


@lru_cache(maxsize=65536)  # exact arithmetic is slow, and pages ask for the same N many times
def _krejcie_morgan(n: int) -> int:
    if n <= 0:
        return 0
    pq = KM_P * (1 - KM_P)
    sample = KM_CHI2 * n * pq / (KM_D**2 * (n - 1) + KM_CHI2 * pq)
    return math.ceil(sample)


@dataclass(frozen=True)
class Period:
    code: str
    start: dt.date
    end: dt.date  # inclusive

    @property
    def label(self) -> str:
        return period_label(self.code)

    def fingerprint(self):
        """Plain values for a page's cache key (pagecache.py), hashed in one C call."""
        return (self.code, self.start.isoformat(), self.end.isoformat())


_PERIOD = re.compile(r"(?P<year>\d{4})(?:-(?:S(?P<s>[12])|Q(?P<q>[1-4])|(?P<m>0[1-9]|1[0-2])))?")
PERIOD_PATTERN = _PERIOD.pattern.replace("?P<year>", "").replace("?P<s>", "").replace(
    "?P<q>", "").replace("?P<m>", "")
_MONTHS = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
           "September", "Oktober", "November", "Desember"]


@lru_cache(maxsize=4096)  # a site has a few period codes, sorted with 40 000 survey results
def parse_period(code: str) -> Period:
    """`2025` (year), `2025-S1`/`S2` (semester), `2025-Q1`…`Q4` (quarter), `2025-07` (month)."""
    match = _PERIOD.fullmatch(str(code).strip())
    if not match:
        raise ValueError(f"not a period code: {code!r}")
    year = int(match["year"])
    if match["s"]:
        first, months = (int(match["s"]) - 1) * 6 + 1, 6
    elif match["q"]:
        first, months = (int(match["q"]) - 1) * 3 + 1, 3
    elif match["m"]:
        first, months = int(match["m"]), 1
    else:
        first, months = 1, 12
    start = dt.date(year, first, 1)
    last_month = first + months - 1
    end = (dt.date(year + (last_month == 12), last_month % 12 + 1, 1) - dt.timedelta(days=1))
    return Period(str(code).strip(), start, end)


def period_label(code: str) -> str:
    """`2025-S1` → "Semester I 2025", `2025-Q3` → "Triwulan III 2025", `2025` → "Tahun 2025"."""
    match = _PERIOD.fullmatch(code)
    if not match:
        return code
    roman = {1: "I", 2: "II", 3: "III", 4: "IV"}
    year = match["year"]
    if match["s"]:
        return f"Semester {roman[int(match['s'])]} {year}"
    if match["q"]:
        return f"Triwulan {roman[int(match['q'])]} {year}"
    if match["m"]:
        return f"{_MONTHS[int(match['m']) - 1]} {year}"
    return f"Tahun {year}"


def period_sort_key(code: str):
    p = parse_period(code)
    return (p.start, -(p.end - p.start).days, code)


class _computed_once:
    """`functools.cached_property` without its lock, which Python 3.11 takes on every first
    access (a third of the time of the SKM tables of a national site). A result is computed
    on first use and kept in the instance; survey results never change once made."""

    def __init__(self, function):
        self.function = function
        self.name = function.__name__
        self.__doc__ = function.__doc__

    def __set_name__(self, owner, name):
        self.name = name

    def __get__(self, instance, owner=None):
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.function(instance)
        return value


@dataclass
class UnsurResult:
    key: str
    name: str
    answers: int  # questionnaires that answered this unsur
    total: int  # the sum of their answers (1–4 each)

    # Results are kept as integers and pickled as such (`__reduce__`): a national site's
    # 40 000 survey results are cached between builds, and unpickling a Fraction or a
    # dataclass's __dict__ costs microseconds each. Exact values are derived on first use.
    def __reduce__(self):
        return (UnsurResult, (self.key, self.name, self.answers, self.total))

    def fingerprint(self):
        return (self.key, self.name, self.answers, self.total)

    @_computed_once  # results never change once computed; pages read them many times
    def nrr(self) -> Fraction | None:
        """Nilai rata-rata: the exact mean answer, None when nobody answered."""
        return Fraction(self.total, self.answers) if self.answers else None

    @_computed_once
    def nrr_rounded(self) -> Decimal | None:
        """The NRR rounded half-up to 4 decimals, straight from the integers."""
        return _ratio_half_up(self.total, self.answers, 4) if self.answers else None

    @_computed_once
    def nilai(self) -> Decimal | None:
        """The NRR on the 25–100 scale (× 25), rounded half-up to 2 decimals."""
        return _ratio_half_up(self.total * SCALE, self.answers, 2) if self.answers else None

    @_computed_once
    def grade(self) -> tuple[str, str] | tuple[None, None]:
        """As `unsur_grade(nrr)`, which grades the NRR rounded to 4 decimals."""
        if not self.answers:
            return (None, None)
        for threshold, letter, label in UNSUR_GRADES[:-1]:
            if self.nrr_rounded >= threshold:
                return letter, label
        return UNSUR_GRADES[-1][1], UNSUR_GRADES[-1][2]


def unsur_values(answers: np.ndarray, totals: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                   np.ndarray]:
    """`UnsurResult.nrr_rounded`, `.nilai` and the grade letter of many unsur at once, from
    their `answers` and `totals` (integer arrays), in the same integer arithmetic as
    `_ratio_half_up`: floats (NaN where nobody answered) and letters (None there)."""
    answered = answers > 0
    d = np.where(answered, answers, 1)
    nrr = (2 * totals * 10**4 + d) // (2 * d)  # the NRR × 10⁴, rounded half-up
    nilai = (2 * totals * SCALE * 10**2 + d) // (2 * d)  # NRR × 25 × 10², rounded half-up
    letters = np.full(len(answers), UNSUR_GRADES[-1][1], dtype=object)
    for threshold, letter, _ in reversed(UNSUR_GRADES[:-1]):  # the highest grade reached
        letters[nrr >= int(threshold.scaleb(4))] = letter
    letters[~answered] = None
    # An integer over a power of ten is divided exactly once, as float(Decimal) rounds.
    return (np.where(answered, nrr / 10**4, np.nan), np.where(answered, nilai / 10**2, np.nan),
            letters)


@dataclass
class IKMResult:
    respondents: int
    unsur: list[UnsurResult]

    # A national site caches 40 000 results with 360 000 unsur results between builds. They
    # are pickled as their counts (`packed`: the unsur names, one tuple shared by every
    # result, and the numbers as bytes), and the counts and `UnsurResult` objects are made
    # again only when a page asks for them (`__getattr__`): unpickling makes three objects a
    # result, and the IKM, its grade and the cache key come from the counts.
    def __reduce__(self):
        return (ikm_from_packed, (self.respondents, *self.packed()))

    def __getattr__(self, name):  # only for attributes the instance does not have yet
        if name == "unsur" and ("counts" in self.__dict__ or "_packed" in self.__dict__):
            unsur = self.__dict__["unsur"] = [UnsurResult(*c) for c in self.counts]
            return unsur
        raise AttributeError(name)

    @_computed_once
    def counts(self) -> tuple[tuple[str, str, int, int], ...]:
        """(key, name, answers, total) of each unsur: all the result is made from."""
        if "_packed" in self.__dict__:
            numbers = array("q")
            numbers.frombytes(self.__dict__["_packed"])
            return tuple((key, name, numbers[2 * i], numbers[2 * i + 1])
                         for i, (key, name) in enumerate(self.__dict__["_names"]))
        return tuple((u.key, u.name, u.answers, u.total) for u in self.unsur)

    def packed(self) -> tuple[tuple[tuple[str, str], ...], bytes]:
        """The counts as ((key, name) of each unsur, the same tuple for the same names; the
        answers and totals as 64-bit integers in bytes)."""
        if "_packed" in self.__dict__:
            return self.__dict__["_names"], self.__dict__["_packed"]
        counts = self.counts
        names = tuple((key, name) for key, name, _, _ in counts)
        numbers = array("q", [n for _, _, answers, total in counts for n in (answers, total)])
        return _UNSUR_NAMES.setdefault(names, names), numbers.tobytes()

    def fingerprint(self):
        return (self.respondents, self.counts)

    @_computed_once
    def _weighted(self) -> tuple[int, int] | None:
        """The weighted mean of the nine NRR as (numerator, denominator) integers, or None if
        any unsur has no answer: the regulation's formula needs all nine, and averaging
        eight is another index. Integers, not Fractions: 40 000 results on a national site."""
        counts = self.counts
        if any(not answers for _, _, answers, _ in counts):
            return None
        common = math.lcm(*(answers for _, _, answers, _ in counts))
        total = sum(total * (common // answers) for _, _, answers, total in counts)
        return total * WEIGHT.numerator, common * WEIGHT.denominator

    @_computed_once
    def ikm_1_4(self) -> Fraction | None:
        """The exact weighted mean of the nine NRR (scale 1–4)."""
        return None if self._weighted is None else Fraction(*self._weighted)

    @_computed_once
    def ikm_exact(self) -> Fraction | None:
        """The exact IKM × 25 (scale 25–100)."""
        return None if self.ikm_1_4 is None else self.ikm_1_4 * SCALE

    @_computed_once
    def ikm(self) -> Decimal | None:
        """The published IKM unit value (25–100), rounded half-up to 2 decimals."""
        if self._weighted is None:
            return None
        n, d = self._weighted
        return _ratio_half_up(n * SCALE, d, 2)

    @_computed_once
    def grade(self) -> tuple[str, str] | tuple[None, None]:
        return (None, None) if self.ikm is None else grade(self.ikm)


_UNSUR_NAMES: dict[tuple, tuple] = {}  # each list of unsur names once (`IKMResult.packed`)


def _ikm_from_counts(respondents: int, counts: tuple) -> IKMResult:
    """An `IKMResult` made from its counts: its unsur results are made on first use."""
    result = IKMResult.__new__(IKMResult)
    result.__dict__.update(respondents=respondents, counts=counts)
    return result


def ikm_from_packed(respondents: int, names: tuple, packed: bytes) -> IKMResult:
    """An `IKMResult` as unpickled (`IKMResult.packed`): its counts are unpacked on use."""
    result = IKMResult.__new__(IKMResult)
    result.__dict__.update(respondents=respondents, _names=names, _packed=packed)
    return result


def compute_ikm(answers: pd.DataFrame) -> IKMResult:
    """IKM of a set of questionnaires (columns u1…u9, integers 1–4, blank = not answered).

    If any unsur has no answer at all, the IKM is undefined (None): the regulation's formula
    needs all nine NRR values, and silently averaging eight would not be the same index.
    """
    return ikm_from_matrix(answer_matrix(answers))


def answer_matrix(answers: pd.DataFrame) -> np.ndarray:
    """The answers u1…u9 as a float matrix (one row per questionnaire, NaN = blank)."""
    columns = [pd.to_numeric(answers[key], errors="coerce").to_numpy(dtype=float, na_value=np.nan)
               if key in answers else np.full(len(answers), np.nan) for key in UNSUR_KEYS]
    return np.column_stack(columns) if len(answers) else np.empty((0, len(UNSUR_KEYS)))


def ikm_from_matrix(matrix: np.ndarray) -> IKMResult:
    """`compute_ikm` of the questionnaires in `answer_matrix` form (rows may be any subset)."""
    answered = ~np.isnan(matrix)
    counts = answered.sum(axis=0)
    totals = np.where(answered, matrix, 0).sum(axis=0)
    unsur = []
    for key, count, total in zip(UNSUR_KEYS, counts.tolist(), totals.tolist()):
        unsur.append(UnsurResult(key, UNSUR[key], int(count), int(total)))
    return IKMResult(respondents=len(matrix), unsur=unsur)


def ikm_by_group(matrix: np.ndarray, groups: np.ndarray, count: int) -> list[IKMResult]:
    """`ikm_from_matrix` of each group of rows at once (40 000 services and periods on a
    national site): `groups` gives each row's group, 0 … count − 1; every group has rows."""
    answered = ~np.isnan(matrix)
    values = np.where(answered, matrix, 0)
    respondents = np.bincount(groups, minlength=count).tolist()
    answers = np.column_stack([np.bincount(groups, weights=answered[:, j], minlength=count)
                               for j in range(matrix.shape[1])]).astype("int64").tolist()
    totals = np.column_stack([np.bincount(groups, weights=values[:, j], minlength=count)
                              for j in range(matrix.shape[1])]).astype("int64").tolist()
    names = [(key, UNSUR[key]) for key in UNSUR_KEYS]
    return [_ikm_from_counts(people, tuple((key, name, a, t) for (key, name), a, t
                                           in zip(names, counted, summed)))
            for people, counted, summed in zip(respondents, answers, totals)]


# --- respondent profile -----------------------------------------------------------------

PROFILE_COLUMNS = {
    "jenis_kelamin": "Jenis kelamin",
    "usia": "Kelompok usia",
    "pendidikan": "Pendidikan",
    "pekerjaan": "Pekerjaan",
}
_SEX = {"l": "Laki-laki", "laki-laki": "Laki-laki", "pria": "Laki-laki",
        "p": "Perempuan", "perempuan": "Perempuan", "wanita": "Perempuan"}
AGE_BANDS = [(0, 19, "≤ 19 tahun"), (20, 29, "20–29 tahun"), (30, 39, "30–39 tahun"),
             (40, 49, "40–49 tahun"), (50, 59, "50–59 tahun"), (60, 200, "≥ 60 tahun")]
NOT_STATED = "Tidak diisi"


def _blank(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or (
        str(value).strip() == "")


def age_band(value) -> str:
    """A stated age (e.g. "34") → "30–39 tahun"; a band already written stays as it is."""
    if _blank(value):
        return NOT_STATED
    text = str(value).strip()
    if text.isdigit():
        age = int(text)
        for low, high, label in AGE_BANDS:
            if low <= age <= high:
                return label
    return text


def _profile_value(column: str, value) -> str:
    if _blank(value):
        return NOT_STATED
    if column == "usia":
        return age_band(value)
    text = " ".join(str(value).split())
    if column == "jenis_kelamin":
        return _SEX.get(text.lower(), text)
    return text[:1].upper() + text[1:]


def suppress(counts: dict[str, int], threshold: int = SUPPRESS_BELOW) -> dict[str, int | None]:
    """Hide every count under `threshold` (None), plus one more when only one would be hidden.

    The group total (number of respondents) is published, so a single hidden cell could be
    recovered by subtraction; hiding the next-smallest cell too prevents that (secondary
    suppression). Zero counts are not hidden: they reveal nobody.
    """
    return suppress_linked(counts, {}, threshold)[0]


def suppress_linked(total: dict[str, int], parts: dict, threshold: int = SUPPRESS_BELOW
                    ) -> tuple[dict[str, int | None], dict]:
    """`suppress` for a total and its parts, published side by side: the counts of one
    characteristic for the whole site (`total`) and for each provider (`parts`: key → counts),
    which add up to the total with the answers given for no provider's service.

    A hidden provider cell could be worked out as the site's count minus the other
    providers' counts of that category, and a hidden site count as the sum of the
    providers'. So, until nothing changes, in the total and in each part (whose respondents
    are published) and in each category across the site and the parts, no cell is left the
    only one hidden: the smallest other non-zero provider cell is hidden too, or, in a
    category with no other provider cell to hide, the site's count. (A site count hidden in
    a category no provider has is the answers given for no service, published nowhere else.)
    A provider whose respondents all fall in one category cannot hide it, whatever is done:
    the count is its number of respondents. Hiding it does not help the category either, so
    there it counts as shown.
    """
    shown = {k: (None if 0 < v < threshold else v) for k, v in total.items()}
    shown_parts = {key: {k: (None if 0 < v < threshold else v) for k, v in counts.items()}
                   for key, counts in parts.items()}

    def smallest_shown(cells: dict):
        """The key of the smallest non-zero count still shown in `cells` (None: none is)."""
        shown_cells = sorted((value, str(key), key) for key, value in cells.items() if value)
        return shown_cells[0][2] if shown_cells else None

    def lone_hidden(cells: dict) -> bool:
        return sum(value is None for value in cells.values()) == 1

    changed = True
    while changed:
        changed = False
        for cells in (shown, *shown_parts.values()):
            key = smallest_shown(cells) if lone_hidden(cells) else None
            if key is not None:
                cells[key] = None
                changed = True
        for category in total:
            column = {key: cells.get(category, 0) for key, cells in shown_parts.items()
                      if len(parts[key]) > 1}
            if sum(value is None for value in column.values()) + (shown[category] is None) != 1:
                continue
            key = smallest_shown(column)
            if key is not None:
                shown_parts[key][category] = None
            elif shown[category] is not None:
                shown[category] = None
            else:
                continue
            changed = True
    return shown, shown_parts


def respondent_profile(answers: pd.DataFrame, threshold: int = SUPPRESS_BELOW) -> list[dict]:
    """Counts of respondents per characteristic and category, small cells suppressed.

    Returns rows {karakteristik, kategori, jumlah (None = suppressed), disembunyikan}.
    """
    return linked_profiles(profile_labels(answers), {}, threshold)[0]


def profile_labels(answers: pd.DataFrame) -> dict[str, np.ndarray]:
    """Each profile column as published categories (e.g. age "34" → "30–39 tahun").

    Each distinct value is turned into its category once, so millions of rows cost little.
    """
    labels = {}
    for column in PROFILE_COLUMNS:
        if column in answers:
            values = answers[column].astype(object)
            texts = values.astype(str).where(values.notna(), "").to_numpy(dtype=str)
            distinct, inverse = np.unique(texts, return_inverse=True)
            names = np.array([_profile_value(column, text) for text in distinct.tolist()],
                             dtype=object)
            labels[column] = names[inverse.reshape(-1)]
    return labels


def profile_counts(labels: dict[str, np.ndarray]) -> dict[str, dict[str, int]]:
    """Respondents per category of each profile column given in `labels`."""
    # counted in C, in first-seen order
    return {column: dict(Counter(labels[column].tolist())) for column in PROFILE_COLUMNS
            if column in labels}


def linked_profiles(labels: dict[str, np.ndarray], parts: dict,
                    threshold: int = SUPPRESS_BELOW) -> tuple[list[dict], dict]:
    """The profile of all questionnaires (`labels`) and of each group of them (`parts`: key
    → labels of its rows), small cells suppressed across them (`suppress_linked`):
    (rows of the whole, {key: rows of the group})."""
    counts = profile_counts(labels)
    part_counts = {key: profile_counts(part) for key, part in parts.items()}
    rows, part_rows = [], {key: [] for key in parts}
    for column, title in PROFILE_COLUMNS.items():
        if column not in counts:
            continue
        shown, shown_parts = suppress_linked(
            counts[column], {key: c.get(column, {}) for key, c in part_counts.items()},
            threshold)
        for key_rows, column_counts, cells in ((rows, counts[column], shown), *(
                (part_rows[key], part_counts[key].get(column, {}), shown_parts[key])
                for key in parts)):
            if not column_counts or set(column_counts) == {NOT_STATED}:
                continue
            for category in sorted(column_counts,
                                   key=lambda c: (c == NOT_STATED, _order(column, c))):
                key_rows.append({"karakteristik": title, "kategori": category,
                                 "jumlah": cells[category],
                                 "disembunyikan": cells[category] is None})
    return rows, part_rows


def _order(column: str, category: str):
    if column == "usia":
        labels = [b[2] for b in AGE_BANDS]
        return (labels.index(category) if category in labels else len(labels), category)
    return (0, category)
