"""Check a Table Schema written by staff (`skema` in sumber.toml, `<nama>.schema.json`).

`schema.validate` trusts its schema: a field without a name, a pattern that is no regular
expression or a minimum written as text would stop it with a traceback. These checks find
such mistakes first and say, in Indonesian, which field is wrong and what is expected.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from .shapes import describe, shown

TYPES = ("string", "integer", "number", "date", "boolean")


@dataclass(frozen=True)
class Issue:
    column: str | None  # the field's name, when the mistake is in one field
    value: str | None  # the offending value, as written
    message: str  # Indonesian: what is wrong and what is expected


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def problems(table_schema) -> list[Issue]:
    """Every mistake in `table_schema` (a parsed JSON object or TOML table)."""
    if not isinstance(table_schema, dict):
        return [Issue(None, None, "Table Schema harus berupa objek { … } dengan daftar "
                                  f"\"fields\", bukan {describe(table_schema)}")]
    fields = table_schema.get("fields")
    if not isinstance(fields, list) or not fields:
        what = "tidak ada" if fields is None else (
            "kosong" if fields == [] else f"berupa {describe(fields)}")
        return [Issue(None, None, f"\"fields\" {what}; Table Schema harus memuat daftar "
                                  "\"fields\" berisi satu keterangan untuk setiap kolom")]
    found: list[Issue] = []
    names: list[str] = []
    for number, field in enumerate(fields, start=1):
        if not isinstance(field, dict):
            found.append(Issue(None, shown(field), f"isi \"fields\" ke-{number} bukan "
                               "keterangan kolom; tulis { \"name\": …, \"type\": … }"))
            continue
        name = field.get("name")
        if not isinstance(name, str) or not name.strip():
            found.append(Issue(None, None if name is None else shown(name),
                               f"kolom ke-{number} di \"fields\" tidak punya \"name\" berupa "
                               "teks; isi dengan nama kolom"))
            continue
        if name in names:
            found.append(Issue(name, None, "nama kolom ini muncul dua kali di \"fields\""))
        names.append(name)
        found.extend(_field_problems(name, field))
    key = table_schema.get("primaryKey")
    if key is not None:
        keys = [key] if isinstance(key, str) else key
        if not isinstance(keys, list) or not all(isinstance(k, str) for k in keys):
            found.append(Issue(None, shown(key), "tidak sah untuk \"primaryKey\": harus nama "
                                                 "kolom atau daftar nama kolom"))
        else:
            for k in keys:
                if k not in names:
                    found.append(Issue(k, None, "disebut di \"primaryKey\" tetapi tidak ada "
                                                "di \"fields\""))
    return found


def _field_problems(name: str, field: dict) -> list[Issue]:
    found = []
    kind = field.get("type", "string")
    if not isinstance(kind, str) or kind not in TYPES:
        found.append(Issue(name, shown(kind), "bukan jenis kolom yang dikenal; \"type\" harus "
                                              "salah satu: " + ", ".join(TYPES)))
    for key in ("title", "description", "etalase:hint", "etalase:invalid"):
        if key in field and not isinstance(field[key], str):
            found.append(Issue(name, shown(field[key]), f"tidak sah untuk \"{key}\": harus "
                                                        "teks"))
    cons = field.get("constraints", {})
    if not isinstance(cons, dict):
        found.append(Issue(name, shown(cons), "tidak sah untuk \"constraints\": harus objek "
                                              "{ … }, misalnya { \"required\": true }"))
        return found
    for key in ("required", "unique"):
        if key in cons and not isinstance(cons[key], bool):
            found.append(Issue(name, shown(cons[key]), f"tidak sah untuk \"{key}\": harus "
                                                       "true atau false"))
    if "pattern" in cons:
        pattern = cons["pattern"]
        try:
            if not isinstance(pattern, str):
                raise TypeError
            re.compile(pattern)
        except (TypeError, re.error):
            found.append(Issue(name, shown(pattern), "bukan pola (regular expression) yang "
                                                     "sah untuk \"pattern\""))
    if "enum" in cons and not (isinstance(cons["enum"], list) and cons["enum"]):
        found.append(Issue(name, shown(cons["enum"]), "tidak sah untuk \"enum\": harus "
                           "daftar nilai yang diizinkan, misalnya [\"ya\", \"tidak\"]"))
    for key in ("minimum", "maximum"):
        if key not in cons:
            continue
        if kind in ("integer", "number") and not _number(cons[key]):
            found.append(Issue(name, shown(cons[key]), f"tidak sah untuk \"{key}\": harus "
                                                       f"angka untuk kolom berjenis {kind}"))
        elif kind == "date" and not isinstance(cons[key], str):
            found.append(Issue(name, shown(cons[key]), f"tidak sah untuk \"{key}\": harus "
                                                       "tanggal TTTT-BB-HH di antara tanda kutip"))
    for key in ("minLength", "maxLength"):
        value = cons.get(key)
        if key in cons and not (isinstance(value, int) and not isinstance(value, bool)
                                and value >= 0):
            found.append(Issue(name, shown(value), f"tidak sah untuk \"{key}\": harus "
                                                   "bilangan bulat 0 atau lebih"))
    return found


def load(path: Path) -> tuple[dict | None, list[Issue], int | None]:
    """Read the schema file at `path`: (schema, mistakes, line of a JSON syntax error)."""
    try:
        content = Path(path).read_bytes()
    except IsADirectoryError:
        return None, [Issue(None, None, "ini sebuah folder, bukan berkas Table Schema; hapus "
                                        "folder itu lalu jalankan lagi: make scrape")], None
    except OSError as exc:
        return None, [Issue(None, None, f"berkas tidak dapat dibaca ({exc.strerror or exc}); "
                                        "periksa izin berkas")], None
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = content[:exc.start].count(b"\n") + 1
        return None, [Issue(None, None, "bukan teks UTF-8; simpan ulang dengan pengodean "
                                        "UTF-8 atau jalankan lagi: make scrape")], line
    try:
        table_schema = json.loads(text)
    except ValueError as exc:
        line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
        where = f"karakter ke-{column} di baris itu: " if column else ""
        return None, [Issue(None, None, f"bukan JSON yang sah ({where}"
                                        f"{getattr(exc, 'msg', exc)}); "
                                        "periksa koma, tanda kutip dan kurung, atau jalankan "
                                        "lagi: make scrape")], line
    found = problems(table_schema)
    return (None if found else table_schema), found, None
