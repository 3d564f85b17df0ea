"""Validate a staff table against its Frictionless Table Schema and convert it to typed columns.

The Table Schema (JSON, in `schemas/`) is the single description of each dataset: it drives
this validation, the data dictionary and the published Data Package. Validation is done here,
column by column with pandas, rather than by frictionless itself, because staff need every
message in Indonesian with the spreadsheet row number, and the national-scale build needs
millions of rows checked in seconds. The published packages are still checked by the real
`frictionless validate` in the test suite.

Supported: types string, integer, number, date, boolean; constraints required, unique,
pattern, enum, minimum, maximum (for dates too, as ISO dates), minLength, maxLength;
primaryKey. A field may carry `"etalase:hint"`, a plain-Indonesian description of the expected
value used in messages, `"etalase:invalid"`, the message for a value outside its enum or
minimum/maximum range, and `"etalase:notFuture": true` on a date of something that has
happened (a request received, a complaint answered): a date after `today()` is refused. That
is the one check that reads the clock; `Site.read` does not keep a table it refused so
(`waits_for_a_date`): refused today, it may pass later, and a table that passed still does.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import operator
import re
from functools import cache
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from .errors import Problem
from .reading import RawTable, title_above

SCHEMA_DIR = Path(__file__).parent / "schemas"
_TRUE = {"true", "ya", "1", "y"}
_FALSE = {"false", "tidak", "0", "n"}
_CHECKED_AS_THEY_ARE = 50_000  # rows: up to this many, a text column is not deduplicated


@cache
def _load_schema_file(path: str) -> str:
    return Path(path).read_text(encoding="utf-8")


def load_schema(name: str) -> dict:
    """The Table Schema named `name` (e.g. "standar-pelayanan"), as a fresh dict."""
    path = SCHEMA_DIR / f"{name}.schema.json"
    return json.loads(_load_schema_file(str(path)))


def field_names(schema: dict) -> list[str]:
    return [f["name"] for f in schema["fields"]]


def _spelling(name: str) -> str:
    """A column name without case, spaces and dashes: "Tanggal Masuk" for tanggal_masuk."""
    return "".join(c for c in name.lower() if c.isalnum())


def _hint(field: dict, default: str) -> str:
    return field.get("etalase:hint", default)


def validate(raw: RawTable, schema: dict) -> tuple[pd.DataFrame, list[Problem]]:
    """Check `raw` against `schema`; return the typed frame (bad rows dropped) and problems."""
    problems: list[Problem] = []
    fields = schema["fields"]
    expected = field_names(schema)
    present = raw.columns
    # A column with neither a heading nor a value (a trailing separator in each line of a
    # spreadsheet export) is left out, as the workbook reader leaves it.
    unnamed = [i for i, name in enumerate(present) if name == "" and not raw.frame.iloc[
        :, i].fillna("").astype(str).str.strip().ne("").any()]
    if unnamed:
        kept = [i for i in range(len(present)) if i not in unnamed]
        raw = RawTable(raw.path, raw.display, raw.frame.iloc[:, kept], raw.row_numbers,
                       raw.records)
        present = raw.columns
    unknown = [name for name in present if name not in expected]
    if unknown:  # all of them may be a report's title above the heading
        heading = set(expected)
        title = title_above(raw.display, 1, present, (
            (number, cells) for number, cells in zip(
                raw.row_numbers, raw.frame.head(10).itertuples(index=False))
            if heading.intersection(str(c).strip() for c in cells)))
        if title:
            empty = pd.DataFrame({f["name"]: pd.Series([], dtype=object) for f in fields})
            empty.attrs["row_numbers"] = pd.Series([], dtype="int64")
            return empty, [title]
    by_spelling = {_spelling(name): name for name in expected}
    for name in present:
        if name not in expected:
            meant = by_spelling.get(_spelling(name))
            problems.append(Problem(raw.display, 1, name, None,
                f"kolom tidak dikenal; mungkin maksudnya \"{meant}\" (huruf kecil, garis "
                "bawah sebagai pengganti spasi)" if meant else
                "kolom tidak dikenal; kolom yang dikenal: " + ", ".join(expected)))
    for dup in {c for c in present if present.count(c) > 1}:
        problems.append(Problem(raw.display, 1, dup, None, "judul kolom muncul lebih dari sekali"))
    frame = raw.frame.loc[:, ~raw.frame.columns.duplicated()]
    rows = pd.Series(raw.row_numbers, index=frame.index, dtype="int64")
    bad = pd.Series(False, index=frame.index)
    typed: dict[str, pd.Series] = {}
    for field in fields:
        name = field["name"]
        required = field.get("constraints", {}).get("required", False)
        if name not in frame.columns:
            if required:
                problems.append(Problem(raw.display, 1, name, None,
                    "kolom wajib ini tidak ada di baris judul"))
            typed[name] = pd.Series([None] * len(frame), index=frame.index, dtype=object)
            continue
        # Every check runs once per distinct value and is spread back to the rows: a register
        # repeats the same service codes and dates millions of times. Not the text of a
        # smaller table: finding the distinct values of its long texts (the 14 components of
        # 10 000 services, 40 MB) costs more than checking each row's.
        if len(frame) <= _CHECKED_AS_THEY_ARE and field.get("type", "string") == "string":
            codes, distinct = np.arange(len(frame)), frame[name].to_numpy()
        else:
            codes, distinct = pd.factorize(frame[name], use_na_sentinel=False)
        text = pd.Series(distinct, dtype=object).fillna("").astype(str)
        if field.get("type", "string") != "string":
            text = text.str.strip()
        spread = _Spread(codes, frame.index, rows, text)
        values, field_bad = _check_field(raw.display, field, text, spread, problems)
        typed[name] = values
        bad |= field_bad
    for name, texts in unique_texts(frame, schema):
        _check_unique(raw.display, name, texts, rows, problems)
    result = pd.DataFrame(typed, index=frame.index)
    result.attrs["row_numbers"] = rows
    return result, problems


def unique_texts(frame: pd.DataFrame, schema: dict) -> list[tuple[str, pd.Series]]:
    """The texts that must not repeat across the rows of the raw `frame` (blanks may), with
    the column name a repeat is reported on: each unique field's cells as they are published
    (`_as_published`), and the primary key's (its columns' cells so, joined). A key that is
    also a unique field is checked twice; `DataError` drops a problem found twice."""
    fields = {f["name"]: f for f in schema["fields"]}
    texts: list[tuple[str, pd.Series]] = []
    for name, field in fields.items():
        if field.get("constraints", {}).get("unique") and name in frame.columns:
            texts.append((name, _as_published(frame[name], field)))
    key = _primary_key(schema)
    if key and all(k in frame.columns for k in key):
        # a composite key is unique as a combination, reported on its last column
        combined = _as_published(frame[key[0]], fields.get(key[0], {}))
        for k in key[1:]:
            combined = combined + " / " + _as_published(frame[k], fields.get(k, {}))
        texts.append((" + ".join(key) if len(key) > 1 else key[0], combined))
    return texts


def _as_published(cells: pd.Series, field: dict) -> pd.Series:
    """Raw cells as the value they are published as, for comparing rows: text without the
    spaces `_check_field` strips ("ADU-1 " is "ADU-1"), a date in ISO form ("2023-1-23" is
    "2023-01-23"), a whole number without its sign or leading zeros ("+05" is "5"). A value
    that is not valid stays as typed (its own problem is reported)."""
    text = cells.fillna("").astype(str)
    kind = field.get("type", "string")
    if kind == "string":
        return text.str.strip("\n ")
    text = text.str.strip()
    if kind == "date":
        dates = pd.to_datetime(text.where(text != ""), format="%Y-%m-%d", errors="coerce")
        return dates.dt.strftime("%Y-%m-%d").where(dates.notna(), text)
    if kind == "integer":
        def canonical(value: str) -> str:
            number = _integer(value) if _WHOLE.fullmatch(value) else None
            return value if number is None else str(number)

        return text.map(canonical)
    return text


def _primary_key(schema: dict) -> list[str]:
    key = schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


class _Spread:
    """Results computed on the distinct values of a column, spread back to its rows."""

    def __init__(self, codes: np.ndarray, index: pd.Index, rows: pd.Series, text: pd.Series):
        self.codes = codes  # row position → position of its value in `text`
        self.index = index
        self.rows = rows.to_numpy()  # spreadsheet row numbers
        self.text = text  # the distinct values, as text

    def mask(self, distinct: pd.Series) -> pd.Series:
        return pd.Series(distinct.to_numpy(dtype=bool)[self.codes], index=self.index)

    def values(self, distinct: pd.Series) -> pd.Series:
        return distinct.take(self.codes).set_axis(self.index)

    def report(self, problems, display, name, distinct: pd.Series, message: str,
               show_value: bool = True) -> None:
        """A problem for every row whose value is marked in `distinct`, in row order."""
        for position in np.flatnonzero(distinct.to_numpy(dtype=bool)[self.codes]):
            value = self.text.iloc[self.codes[position]] if show_value else None
            problems.append(Problem(display, int(self.rows[position]), name, value, message))


def _check_field(display, field, text, spread: _Spread, problems):
    """Check one column's distinct values `text`; return its typed values and the mask of
    bad rows, both spread back to the rows, and add a problem for every bad row."""
    name = field["name"]
    kind = field.get("type", "string")
    cons = field.get("constraints", {})
    empty = text.str.strip() == ""
    bad = pd.Series(False, index=text.index)

    def report(mask, message):
        spread.report(problems, display, name, mask, message)

    if cons.get("required"):
        spread.report(problems, display, name, empty, "kosong, padahal wajib diisi",
                      show_value=False)
        bad |= empty
    filled = ~empty
    if kind == "integer":
        ok = filled & text.str.fullmatch(_WHOLE.pattern)
        wrong = filled & ~ok
        report(wrong, _hint(field, "bukan bilangan bulat (tulis angka saja, tanpa titik, koma "
                                   "atau \"Rp\")"))
        # Each distinct text is converted by Python, exactly: through pandas' floats a
        # column with a blank turned 12345678901234567 into ...568, and a number past
        # 64 bits stopped the build with an OverflowError.
        numbers = [_integer(v) if good else None for v, good in zip(text, ok)]
        huge = pd.Series([good and n is None for n, good in zip(numbers, ok)], index=text.index)
        report(huge, "terlalu besar untuk bilangan bulat; periksa apakah ada angka yang "
                     "tertempel (paling besar 9223372036854775807)")
        wrong |= huge
        values = pd.Series(pd.array(numbers, dtype="Int64"), index=text.index)
    elif kind == "number":
        values = pd.to_numeric(text.where(filled), errors="coerce")
        # "inf" and "1e400" read as infinity, which no published format holds (JSON has none)
        wrong = filled & ~np.isfinite(values)
        values = values.where(~wrong)
        report(wrong, _hint(field, "bukan angka (gunakan titik sebagai pemisah desimal)"))
    elif kind == "date":
        values = pd.to_datetime(text.where(filled), format="%Y-%m-%d", errors="coerce")
        wrong = filled & values.isna()
        report(wrong, "bukan tanggal yang sah dengan format TTTT-BB-HH (contoh: 2025-07-31)")
    elif kind == "boolean":
        lowered = text.str.lower()
        wrong = filled & ~lowered.isin(_TRUE | _FALSE)
        report(wrong, "bukan nilai ya/tidak (tulis \"ya\" atau \"tidak\")")
        values = lowered.map(lambda v: True if v in _TRUE else (False if v in _FALSE else None))
    else:
        values = text.str.strip("\n ").where(filled, None)
        wrong = pd.Series(False, index=text.index)
    bad |= wrong
    checkable = filled & ~wrong
    # as published: "ktp-el " is "ktp-el" (`values` of a text field are stripped)
    published = text.str.strip("\n ") if kind == "string" else text
    if "pattern" in cons and kind == "string":
        mismatch = checkable & ~published.str.fullmatch(cons["pattern"])
        report(mismatch, _hint(field, f"tidak sesuai pola {cons['pattern']}"))
        bad |= mismatch
    if "enum" in cons:
        allowed = [str(v) for v in cons["enum"]]
        outside = checkable & ~published.isin(allowed)
        report(outside, field.get("etalase:invalid", "bukan salah satu nilai yang diizinkan: "
                                  + ", ".join(allowed)))
        bad |= outside
    if kind == "date" and field.get("etalase:notFuture"):
        day = today()
        late = checkable & (values > pd.Timestamp(day)).fillna(False).astype(bool)
        report(late, f"{NOT_YET} ({as_of(day)}); periksa tahun, bulan dan tanggalnya")
        bad |= late
    for which, beyond in (("minimum", operator.lt), ("maximum", operator.gt)):
        bound = _bound(display, name, kind, which, cons, problems)
        if bound is not None:
            out = checkable & beyond(values, bound).fillna(False).astype(bool)
            report(out, field.get("etalase:invalid", _OUT_OF_RANGE[kind == "date", which]
                                  .format(cons[which])))
            bad |= out
    if "minLength" in cons:
        short = checkable & (text.str.len() < cons["minLength"])
        report(short, f"terlalu pendek; paling sedikit {cons['minLength']} karakter")
        bad |= short
    if "maxLength" in cons:
        long_ = checkable & (text.str.len() > cons["maxLength"])
        report(long_, f"terlalu panjang; paling banyak {cons['maxLength']} karakter")
        bad |= long_
    return spread.values(values), spread.mask(bad)


_INT64 = (-(2 ** 63), 2 ** 63 - 1)
_WHOLE = re.compile(r"[+-]?[0-9]+")  # ASCII digits only, as published


def _integer(text: str) -> int | None:
    """An integer's text as a number, None when it does not fit in 64 bits (as pandas and
    every published format hold it)."""
    digits = text.lstrip("+-").lstrip("0")
    if len(digits) > 19:  # also spares int() its limit of 4 300 digits
        return None
    number = int(text)
    return number if _INT64[0] <= number <= _INT64[1] else None


_OUT_OF_RANGE = {  # (a date?, which bound) → the message for a value beyond it
    (False, "minimum"): "lebih kecil dari batas minimum {}",
    (False, "maximum"): "lebih besar dari batas maksimum {}",
    (True, "minimum"): "lebih awal dari {}; periksa tahunnya, mungkin salah ketik",
    (True, "maximum"): "lebih akhir dari {}; periksa tahunnya, mungkin salah ketik",
}


def _bound(display: str, name: str, kind: str, which: str, cons: dict,
           problems: list[Problem]):
    """A number's or a date's `minimum` or `maximum` as its values compare with it, or None
    (none set, another type). A date's is an ISO date, as Table Schema writes it; one in
    another form (a schema written for scraped data) is reported on the column instead of
    being read some other way (01/02/2000 as 2 January)."""
    if which not in cons or kind not in ("integer", "number", "date"):
        return None
    if kind != "date":
        return cons[which]
    try:
        return pd.Timestamp(dt.date.fromisoformat(str(cons[which])))
    except ValueError:
        problems.append(Problem(display, None, name, str(cons[which]),
                                f"batas {which} di Table Schema bukan tanggal TTTT-BB-HH"))
        return None


# Papua (WIT, UTC+9) is the first part of Indonesia to reach a new day: a date typed there
# today is not "in the future" for a build running anywhere else.
EASTERNMOST = ZoneInfo("Asia/Jayapura")
NOT_YET = "tanggal ini belum tiba"  # the start of the one message that depends on the day


def today() -> dt.date:
    """The latest date it is anywhere in Indonesia now."""
    return dt.datetime.now(EASTERNMOST).date()


def as_of(day: dt.date) -> str:
    """Which day a message calls today: "hari ini 2026-12-07 menurut WIT"."""
    return f"hari ini {day.isoformat()} menurut WIT"


def waits_for_a_date(problems: list[Problem]) -> bool:
    """Whether `problems` hold a date refused as not yet come: the table may pass on a later
    day unchanged, so its result is not kept."""
    return any(p.expected.startswith(NOT_YET) for p in problems)


def without_date_bounds(table_schema: dict) -> dict:
    """`table_schema` without the bounds on its dates (minimum, maximum, not after today):
    a past version of a table was published under the checks of its day, and a bound added
    since would drop its rows from the history (a mistyped 1924 corrected later would show
    as a row added instead of a row changed)."""
    relaxed = copy.deepcopy(table_schema)
    for field in relaxed["fields"]:
        if field.get("type") == "date":
            field.pop("etalase:notFuture", None)
            for bound in ("minimum", "maximum"):
                field.get("constraints", {}).pop(bound, None)
    return relaxed


def repeated(text: pd.Series) -> np.ndarray:
    """Which of `text` (one of `unique_texts`) repeat another: blanks do not."""
    return (text.duplicated(keep=False) & (text != "")).to_numpy()


def _check_unique(display, name, text, rows, problems):
    """A problem for every repeat of a value (rows: spreadsheet row numbers, by position)."""
    rows = np.asarray(rows)
    values = text.to_numpy()
    seen: dict[str, int] = {}
    for position in np.flatnonzero(repeated(text)):
        value, row = values[position], int(rows[position])
        if value in seen:
            problems.append(Problem(display, row, name, value,
                f"sudah dipakai di baris {seen[value]}; nilai kolom ini harus unik"))
        else:
            seen[value] = row
