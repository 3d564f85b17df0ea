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
_AMOUNT = re.compile(r"\d{1,3}(?:\.\d{3})+(?:,\d{1,2})?|\d+(?:,\d{1,2})?")


def rupiah(text: str) -> str:
    """`Rp 150.000,00` → `150000`; `Gratis` → `0`."""
    if _FREE.fullmatch(text):
        return "0"
    amounts = _AMOUNT.findall(text)
    if len(amounts) != 1:
        return text
    return re.sub(r",\d{1,2}$", "", amounts[0]).replace(".", "")


def whole_number(text: str) -> str:
    """`28 hari kerja` → `28`; `1.234` → `1234`."""
    numbers = re.findall(r"-?\d{1,3}(?:\.\d{3})+(?!\d)|-?\d+", text)
    return numbers[0].replace(".", "") if len(numbers) == 1 else text


def number(text: str) -> str:
    """Indonesian `1.234,5` (or plain `1234.5`) → `1234.5`."""
    value = text.strip().replace("\u00a0", "").replace(" ", "")
    if "," in value:
        value = value.replace(".", "").replace(",", ".")
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
