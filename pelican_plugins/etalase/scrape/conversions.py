"""Conversions staff can name in a source's `ubah`: page or file text → the schema's plain form.

    ubah = { biaya_rupiah = "rupiah", hari_kerja = "bilangan_bulat", berlaku = "tanggal" }

A value that cannot be converted without guessing (two amounts, "3–5 hari", an unknown month)
is left as it is, so the schema check rejects it with the row and column instead of a wrong
number being published.
"""

from __future__ import annotations

import re

_MONTHS = {name: number for number, names in enumerate([
    ("januari", "jan"), ("februari", "feb", "pebruari"), ("maret", "mar"), ("april", "apr"),
    ("mei",), ("juni", "jun"), ("juli", "jul"), ("agustus", "agu", "agt", "ags"),
    ("september", "sep", "sept"), ("oktober", "okt"), ("november", "nov", "nop"),
    ("desember", "des")], start=1) for name in names}
_FREE = re.compile(r"(?i)\s*(gratis|tidak dipungut biaya|tanpa biaya|rp\.?\s*0(,0{1,2})?|-)\s*")
# An amount as Indonesian pages write it: 150.000 or 150000, with ,00 or ,5 after a comma.
_AMOUNT = r"\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d+(?:,\d+)?"
# Words that multiply an amount, and the share of them a rupiah amount may keep.
_SCALE = {"ribu": 1_000, "rb": 1_000, "juta": 1_000_000, "jt": 1_000_000,
          "miliar": 1_000_000_000, "milyar": 1_000_000_000, "m": 1_000_000_000}
_RUPIAH = re.compile(r"(?i)\s*(?:rp\.?|idr)?\s*(" + _AMOUNT + r")\s*(" + "|".join(_SCALE) +
                     r")?\.?\s*(?:,-|\.-)?(?![\w.,])(.*)")
# Words after a count that say it counts something else than what it names: "2 minggu" is not
# 2 working days, "150 ribu" not 150.
_OTHER_UNIT = re.compile(r"(?i)\b(minggu|pekan|bulan|tahun|jam|menit|detik|ribu|rb|juta|jt|"
                         r"miliar|milyar|triliun|persen)\b|%")


def _plain_amount(text: str) -> tuple[int, int] | None:
    """An Indonesian amount `text` (150.000 / 2,5) as a fraction (numerator, denominator)."""
    whole, _, decimals = text.partition(",")
    whole = whole.replace(".", "")
    return int(whole + decimals), 10 ** len(decimals)


def rupiah(text: str) -> str:
    """`Rp 150.000,00` → `150000`; `Rp 2,5 juta` → `2500000`; `Gratis` → `0`. Left as it is
    (for the schema check to reject) when it is not one amount in rupiah: two amounts, a
    range, another currency, or a part of a rupiah."""
    if _FREE.fullmatch(text):
        return "0"
    match = _RUPIAH.fullmatch(text)
    if not match or re.search(r"\d", match.group(3)) or \
            re.search(r"(?i)\b(usd|us\$|eur|sgd|dolar)\b|\$|€", text):
        return text
    numerator, denominator = _plain_amount(match.group(1))
    scale = _SCALE[match.group(2).lower()] if match.group(2) else 1
    value, rest = divmod(numerator * scale, denominator)
    if rest and not (match.group(2) is None and set(match.group(1).partition(",")[2]) <= {"0"}):
        return text  # not a whole rupiah
    return str(value)


def whole_number(text: str) -> str:
    """`28 hari kerja` → `28`; `1.234` → `1234`. Left as it is when it holds more than one
    number (a range, "3-5 hari") or counts in another unit ("2 minggu", "150 ribu")."""
    numbers = re.findall(r"-?\d{1,3}(?:\.\d{3})+(?!\d)|-?\d+", text)
    if len(numbers) != 1 or _OTHER_UNIT.search(text) or re.search(r"\d,\d", text):
        return text
    return numbers[0].replace(".", "")


def number(text: str) -> str:
    """Indonesian `1.234,5` → `1234.5`, `1.234` → `1234` (a dot between groups of three digits
    separates thousands, as Indonesian pages write them), plain `0.37` or `1234.5` as it is."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
    elif re.fullmatch(r"-?[1-9]\d{0,2}(?:\.\d{3})+", value):  # not 0.375: no thousands
        value = value.replace(".", "")
    return value


def date(text: str) -> str:
    """`17 Agustus 2025` or `17/08/2025` (day first) → `2025-08-17`."""
    value = text.strip().lower()
    match = re.fullmatch(r"(\d{1,2})\s+([a-z]+)\.?\s+(\d{4})", value)
    if match and match.group(2) in _MONTHS:
        return f"{match.group(3)}-{_MONTHS[match.group(2)]:02d}-{int(match.group(1)):02d}"
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
    if match:
        return f"{match.group(3)}-{int(match.group(2)):02d}-{int(match.group(1)):02d}"
    return text.strip()


CONVERSIONS = {
    "teks": lambda text: text,
    "rupiah": rupiah,
    "bilangan_bulat": whole_number,
    "angka": number,
    "tanggal": date,
}


def check(options: dict) -> list[str]:
    """Messages for unknown conversions in a source's `ubah`."""
    problems = []
    for column, conversion in dict(options.get("ubah", {})).items():
        if conversion not in CONVERSIONS:
            problems.append(f"\"ubah\" untuk kolom {column}: \"{conversion}\" tidak dikenal; "
                            "pilih salah satu: " + ", ".join(CONVERSIONS))
    return problems


def apply(frame, options: dict):
    """`frame` with each `ubah` conversion applied to its filled cells."""
    for column, name in dict(options.get("ubah", {})).items():
        if column in frame.columns:
            convert = CONVERSIONS[name]
            frame[column] = frame[column].map(
                lambda v: convert(v) if isinstance(v, str) and v.strip() else v)
    return frame
