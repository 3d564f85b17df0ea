"""What each key of `data/sumber.toml` must hold, checked once when the file is read.

A `Shape` is a test plus the Indonesian words for what is expected, so a mistake such as a
list where a text is expected, a number where an address is expected or `[sumber]` written
instead of `[[sumber]]` becomes one clear message instead of a traceback deep in the code
that uses the value. `config.py` checks the keys every source shares (`SOURCE_KEYS`); a kind
module declares its own keys in `KEYS`.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from typing import Any, Callable


@dataclass(frozen=True)
class Shape:
    test: Callable[[Any], bool]
    expected: str  # Indonesian: what the value must be, e.g. "teks di antara tanda kutip"


def _is_text(value) -> bool:
    return isinstance(value, str)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) \
        and math.isfinite(value)


def _is_whole(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


TEXT = Shape(_is_text, "teks di antara tanda kutip, misalnya \"contoh\"")
ADDRESS = Shape(lambda v: _is_text(v) and v.strip().startswith(("http://", "https://")),
                "alamat lengkap di antara tanda kutip, diawali http:// atau https://")
NUMBER = Shape(_is_number, "angka tanpa tanda kutip, misalnya 0.5")
POSITIVE_WHOLE = Shape(lambda v: _is_whole(v) and v >= 1,
                       "bilangan bulat 1 atau lebih, tanpa tanda kutip, misalnya 1000")
WHOLE = Shape(_is_whole, "bilangan bulat tanpa tanda kutip, misalnya 3")
NOT_NEGATIVE = Shape(lambda v: _is_number(v) and v >= 0, "angka 0 atau lebih, tanpa tanda kutip")
COUNT = Shape(lambda v: _is_number(v) and v >= 0 and float(v).is_integer(),
              "bilangan bulat 0 atau lebih, tanpa tanda kutip (3 atau 3.0)")
YES_NO = Shape(lambda v: isinstance(v, bool), "true atau false (tanpa tanda kutip)")
TEXT_LIST = Shape(lambda v: isinstance(v, list) and all(_is_text(x) for x in v),
                  "daftar teks, misalnya [\"satu\", \"dua\"]")
TEXT_TABLE = Shape(lambda v: isinstance(v, dict) and all(_is_text(x) for x in v.values()),
                   "tabel teks = teks, misalnya { \"Judul di sumber\" = \"nama_kolom\" }")
PLAIN_TABLE = Shape(lambda v: isinstance(v, dict)
                    and all(_is_text(x) or _is_number(x) or isinstance(x, bool)
                            for x in v.values()),
                    "tabel nama = nilai, misalnya { source = \"3\" }")
TABLE = Shape(lambda v: isinstance(v, dict), "tabel (lihat contohnya di docs/scrape.md)")


def describe(value) -> str:
    """How a wrongly shaped value looks to staff: its TOML kind, in Indonesian."""
    if isinstance(value, bool):
        return "nilai true/false"
    if isinstance(value, (int, float)):
        return "angka"
    if isinstance(value, str):
        return "teks"
    if isinstance(value, list):
        return "daftar"
    if isinstance(value, dict):
        return "tabel"
    return "nilai tanggal/waktu" if hasattr(value, "isoformat") else type(value).__name__


def literal(value) -> str:
    """`value` as it would be written in the TOML file, for a message."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {literal(v)}" for k, v in value.items()) + " }"
    return str(value)


def shown(value) -> str:
    """`value` for a message that puts it in quotes itself: text as it is."""
    return value if isinstance(value, str) else literal(value)


def written(value, limit: int = 60) -> str:
    """What was written, e.g. `angka 5` or `daftar ["a", "b"]`, shortened when long."""
    text = literal(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"{describe(value)} {text}"
