"""Personal-data guard: no dataset is published with a NIK, NPWP, phone number or e-mail in it.

Every cell of every dataset is scanned before it is written (UU 27/2022 Pelindungan Data
Pribadi; UU 14/2008 Pasal 17 huruf h). What counts as a hit:

- NIK: 16 digits whose first four are a real province + regency/city code (python-stdnum's
  table of Indonesian regions), whose digits 7–12 are a real birth date (women: day + 40)
  and whose serial (last four) is not 0000;
- NPWP: the formatted `99.999.999.9-999.999` always; plain 15 digits (or 16 with a leading
  0) when the check digit (Luhn over the first nine digits) is right and the branch code is
  000 (as on every person's NPWP);
- Indonesian mobile numbers: +62 / 62 / 0, then 8 and a real operator prefix (811…899),
  9 to 12 digits in all after the 0, with spaces, dots, dashes or brackets between;
- Indonesian landline numbers: +62 / 62 / 0, an area code starting 2–7 or 9, 8 to 11 digits
  after the 0 (toll-free 0800/0807 and short numbers such as 112 or 1500-xxx are not);
- e-mail addresses;
- any non-empty cell of a column whose schema field says `"etalase:pribadi": true`.

A field with `"etalase:publik": true` (an office's phone or e-mail column) is not scanned for
phone numbers and e-mail addresses; it is still scanned for NIK and NPWP.

A hit is a `Problem(file, row, column, masked value, what it is)`; the masked value keeps
the first and last few characters only (`3171********0001`), so the build log never repeats
the personal data it found.

Speed: each distinct value of a column is looked at once; one vectorised `str.contains` per
column finds the few values that could hold a hit, and only those are parsed and validated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
from stdnum import luhn
from stdnum.exceptions import ValidationError
from stdnum.id import nik as stdnum_nik

from .errors import Problem

PERSONAL = "etalase:pribadi"  # field property: personal data, never published
PUBLIC = "etalase:publik"  # field property: declared public (office phone, office e-mail)

# Operator prefixes after "08" (Telkomsel, Indosat, XL, Axis, Tri, Smartfren, Ceria …).
MOBILE_PREFIXES = frozenset(
    ["11", "12", "13", "14", "15", "16", "17", "18", "19", "21", "22", "23", "28", "31", "32",
     "33", "38", "51", "52", "53", "55", "56", "57", "58", "59", "77", "78", "81", "82", "83",
     "84", "85", "86", "87", "88", "89", "95", "96", "97", "98", "99"])
MOBILE_DIGITS = range(9, 13)  # digits after the trunk 0: 8xx + 6 to 9 more
LANDLINE_DIGITS = range(8, 12)  # area code (2–3 digits after 0) + 5 to 8 subscriber digits

KINDS = {
    "nik": "NIK (nomor induk kependudukan)",
    "npwp": "NPWP (nomor pokok wajib pajak)",
    "ponsel": "nomor telepon seluler",
    "telepon": "nomor telepon",
    "surel": "alamat surel (e-mail)",
    "pribadi": "isi kolom yang ditandai sebagai data pribadi",
}

_NOT_AFTER = r"(?<![\w@+])(?<!\d[.,/-])"  # not glued to a longer number, word or address
_NIK = re.compile(_NOT_AFTER + r"(\d{6}[ .-]?\d{6}[ .-]?\d{4}"
                  r"|\d{2}[ .]\d{2}[ .]\d{2}[ .]\d{6}[ .]\d{4}"
                  r"|\d{4}[ .-]\d{4}[ .-]\d{4}[ .-]\d{4})(?![\d])")
_NPWP_FORMATTED = re.compile(_NOT_AFTER + r"(0?\d{2}\.\d{3}\.\d{3}\.\d-\d{3}\.\d{3})(?![\d])")
_NPWP_PLAIN = re.compile(_NOT_AFTER + r"(0?\d{15})(?!\d)")
_PHONE = re.compile(_NOT_AFTER + r"((?:\(?\+62\)?|\(?62\)?|\(?0)[ .-]?\)?[ .-]?"
                                 r"\d(?:[ .()-]{0,2}\d){6,12})(?!\d)")
_EMAIL = re.compile(r"(?<![\w.+-])([A-Za-z0-9][A-Za-z0-9._%+-]*@[A-Za-z0-9-]+"
                    r"(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})(?![\w-])")
# Cheap pre-filter, a superset of every pattern above: an "@", or 9 digits with at most three
# separators between neighbours (the shortest hit, a landline 0 + 8 digits, has 9; an ISO
# date has 8). Only cells it matches are parsed and validated.
_CANDIDATE = re.compile(r"@|\d(?:[ .()+-]{0,3}\d){8}")


@dataclass(frozen=True)
class Hit:
    kind: str  # key of KINDS
    text: str  # the matched text as written

    @property
    def masked(self) -> str:
        return mask(self.text)


def mask(text: str) -> str:
    """`3171011708450001` → `3171********0001`; `budi@x.id` → `b***@x.id`.

    Identity numbers keep their first and last four digits, phone numbers the last two; separators
    are dropped. E-mail addresses keep the first letter and the domain; other text (a name in
    a personal column) only its first letter.
    """
    if "@" in text:
        local, _, domain = text.partition("@")
        return f"{local[:1]}***@{domain}"
    digits = re.sub(r"\D", "", text)
    if len(digits) < 6:  # a name or other text in a personal column
        return f"{text[:1]}***"
    if text.lstrip("( ").startswith("+"):
        digits = "+" + digits
    keep_end = 4 if len(digits) >= 15 else 2  # NIK, NPWP: 4; phone numbers: 2
    middle = max(len(digits) - 4 - keep_end, 1)
    return digits[:4] + "*" * middle + digits[-keep_end:]


def is_nik(digits: str) -> bool:
    """A real NIK: known region, real birth date (day + 40 for women), serial not 0000."""
    if len(digits) != 16 or not digits.isdigit() or digits.endswith("0000"):
        return False
    try:
        stdnum_nik.validate(digits)
    except ValidationError:
        return False
    return True


def is_npwp(digits: str, formatted: bool = False) -> bool:
    """A 15-digit NPWP (or 16 with a leading 0) whose ninth digit checks (Luhn).

    Unformatted, it must also end in 000 (the head-office code every person's NPWP has;
    branch codes belong to companies): a random 15-digit reference number passes the check
    digit one time in ten, and this alone in ten thousand.
    """
    if len(digits) == 16 and digits.startswith("0"):
        digits = digits[1:]
    if len(digits) != 15 or not digits.isdigit() or digits[:9] == "0" * 9:
        return False
    if not formatted and not digits.endswith("000"):
        return False
    return luhn.is_valid(digits[:9])


def phone_kind(text: str) -> str | None:
    """"ponsel", "telepon" or None for a phone-looking match."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("62"):
        national = digits[2:]
    elif digits.startswith("0"):
        national = digits[1:]
    else:
        return None
    if not national or national[0] == "0":
        return None
    if national[0] == "8":
        if national[1:3] in MOBILE_PREFIXES and len(national) in MOBILE_DIGITS:
            return "ponsel"
        return None  # 0800/0807 toll-free and the like are not personal
    if national[0] in "1":
        return None
    return "telepon" if len(national) in LANDLINE_DIGITS else None


def find(text: str, phones_and_emails: bool = True) -> list[Hit]:
    """Every piece of personal data in one text."""
    hits: list[Hit] = []
    taken: list[tuple[int, int]] = []

    def free(match: re.Match) -> bool:
        return not any(match.start(1) < end and start < match.end(1) for start, end in taken)

    def add(kind: str, match: re.Match) -> None:
        hits.append(Hit(kind, match.group(1)))
        taken.append((match.start(1), match.end(1)))

    for match in _NPWP_FORMATTED.finditer(text):
        add("npwp", match)
    for match in _NIK.finditer(text):
        if free(match) and is_nik(re.sub(r"\D", "", match.group(1))):
            add("nik", match)
    for match in _NPWP_PLAIN.finditer(text):
        if free(match) and is_npwp(match.group(1)):
            add("npwp", match)
    if phones_and_emails:
        for match in _EMAIL.finditer(text):
            add("surel", match)
        for match in _PHONE.finditer(text):
            kind = phone_kind(match.group(1))
            if kind and free(match):
                add(kind, match)
    return hits


def _fields(schema: dict) -> dict[str, dict]:
    return {f["name"]: f for f in (schema or {}).get("fields", [])}


def _row_numbers(frame: pd.DataFrame) -> pd.Series:
    rows = frame.attrs.get("row_numbers")
    if isinstance(rows, pd.Series) and rows.index.equals(frame.index):
        return rows
    return pd.Series(range(2, len(frame) + 2), index=frame.index)


def _as_text(column: pd.Series) -> pd.Series | None:
    """The column as strings, or None when it cannot hold personal data (dates, booleans)."""
    if pd.api.types.is_datetime64_any_dtype(column) or pd.api.types.is_bool_dtype(column):
        return None
    if pd.api.types.is_float_dtype(column):
        # Only whole numbers of 9+ digits can be an identity or phone number read as a number.
        big = column[(column % 1 == 0) & (column.abs() >= 1e8)]
        return big.astype("int64").astype("string") if len(big) else None
    if pd.api.types.is_integer_dtype(column):  # likewise: answers 1–4 are never converted
        big = column[(column.abs() >= 10**8).fillna(False)]
        return big.astype("string") if len(big) else None
    if isinstance(column.dtype, pd.StringDtype):  # already text: not copied (2 M rows)
        return column
    return column.astype("string")


def scan_frame(frame: pd.DataFrame, schema: dict, display: str) -> list[Problem]:
    """Scan every cell of `frame` for personal data; one Problem per hit.

    `schema` is the dataset's Table Schema (fields with `etalase:pribadi` / `etalase:publik`);
    `display` is the file name used in messages. Rows are spreadsheet rows when the frame
    carries `attrs["row_numbers"]` (as `Site.read` frames do), else rows of the published CSV
    (header = row 1).
    """
    if frame is None or frame.empty:
        return []
    return _problems(frame, display, _hits(frame, schema))


def scan_rows(frame: pd.DataFrame, schema: dict, display: str, hashes: list[int],
              known: dict[int, tuple]) -> tuple[list[Problem], dict[int, tuple]]:
    """`scan_frame`, looking only at the rows an earlier scan did not see: `hashes` holds a
    hash of each row of `frame` (e.g. `Dataset.row_hashes`), `known` what the scan of a
    table with the same columns, types and `schema` found in each row it saw, by its hash.
    A row's findings depend on its cells alone, so a rebuild after one row changed looks at
    that row only. Returns the problems and, for the next scan, this table's rows' findings
    by hash."""
    fresh = [position for position, digest in enumerate(hashes) if digest not in known]
    found: dict[int, list] = {position: [] for position in fresh}
    if fresh:
        for column, position, masked, message in _hits(frame.iloc[fresh], schema):
            found[fresh[position]].append((column, masked, message))
    rows: dict[int, tuple] = {}
    hits = []
    for position, digest in enumerate(hashes):
        cells = tuple(found[position]) if position in found else known[digest]
        rows[digest] = cells
        hits.extend((column, position, masked, message) for column, masked, message in cells)
    hits.sort(key=lambda hit: hit[:2])  # as `scan_frame`: by column, then row (stable)
    return _problems(frame, display, hits), rows


def _problems(frame: pd.DataFrame, display: str, hits) -> list[Problem]:
    """The hits (`_hits`) as problems naming the file, row and column."""
    rows = _row_numbers(frame).tolist()
    names = [str(name) for name in frame.columns]
    return [Problem(display, int(rows[position]), names[column], masked, message)
            for column, position, masked, message in hits]


def _hits(frame: pd.DataFrame, schema: dict) -> list[tuple[int, int, str, str]]:
    """(column position, row position, masked value, message) of each hit in `frame`,
    column by column, each column's rows in order."""
    hits: list[tuple[int, int, str, str]] = []
    fields = _fields(schema)
    frame = frame.reset_index(drop=True)  # positions, whatever the index was
    for number, name in enumerate(frame.columns):
        field = fields.get(name, {})
        column = frame[name]
        if field.get(PERSONAL):
            filled = column.notna() & (column.astype("string").str.strip() != "")
            hits.extend((number, idx, mask(str(column[idx]).strip()), _message("pribadi"))
                        for idx in filled[filled].index)
            continue
        text = _as_text(column)
        if text is None:
            continue
        text = text.dropna()
        # Each distinct value is checked once: real columns repeat themselves a lot.
        distinct = pd.Series(text.unique())
        distinct = distinct[distinct.str.contains(_CANDIDATE, na=False)]
        public = bool(field.get(PUBLIC))
        found = {value: got for value in distinct
                 if (got := find(str(value), phones_and_emails=not public))}
        if not found:
            continue
        for idx, value in text[text.isin(list(found))].items():
            hits.extend((number, idx, hit.masked, _message(hit.kind)) for hit in found[value])
    return hits


def _message(kind: str) -> str:
    what = KINDS[kind]
    if kind == "pribadi":
        return (f"{what}; data pribadi tidak boleh diterbitkan (UU 27/2022, UU 14/2008 Pasal 17 "
                "huruf h): hapus kolom ini dari data yang diterbitkan")
    advice = ("bila ini nomor atau alamat surel kantor, tandai kolomnya \"etalase:publik\": true "
              "di skemanya (lihat docs/ppid.md)") if kind in ("ponsel", "telepon", "surel") else (
              "hapus atau samarkan sebelum diterbitkan")
    return (f"tampaknya {what}; data pribadi tidak boleh diterbitkan (UU 27/2022, UU 14/2008 "
            f"Pasal 17 huruf h): {advice}")


def scan_datasets(datasets) -> list[Problem]:
    """Scan every dataset about to be published (`Site.datasets.values()`)."""
    problems: list[Problem] = []
    for dataset in datasets:
        problems.extend(scan_frame(dataset.frame, dataset.schema, display_of(dataset)))
    return problems


def display_of(dataset) -> str:
    """How the messages name where a dataset's rows are: its source file when it was read
    from one (with the spreadsheet's row numbers), else its published CSV."""
    frame = dataset.frame
    if "row_numbers" in frame.attrs and frame.attrs.get("display"):
        return frame.attrs["display"]
    return f"{dataset.path('csv')} (dataset {dataset.id})"
