"""Read a staff table (CSV or XLSX) into a DataFrame of strings, whatever the spreadsheet did.

Staff save files from Excel and LibreOffice, so this module accepts a UTF-8 BOM, `;` or tab
as the delimiter, Windows-1252 text, and an `.xlsx` workbook in place of (or named as) a
`.csv`. Anything it cannot read without guessing is rejected with a clear message instead of
being turned into mojibake. No types are converted here: see `schema.py`. UTF-8 tables are
parsed by pandas' C parser wherever `fastcsv.py` can show it reads what the careful reader
here reads; the careful reader reads the rest and names every mistake.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import fastcsv
from .errors import DataError, Problem

FIRST_DATA_ROW = 2  # a spreadsheet shows the header on row 1
NOT_A_FILE = "ini sebuah folder, bukan berkas tabel"
_DELIMITERS = ",;\t"
# Typical traces of UTF-8 text that was decoded as Windows-1252 and saved again.
_MOJIBAKE = re.compile("[ÃÂ][\u0080-\u00bf]|â€[\u0080-\u00bf™œ”“˜]|Ã[ƒ©¨¢¡³ºµ]")
_MOJIBAKE_STARTS = "ÃÂâ"  # every trace begins with one of these (tests/test_reading.py)
_MOJIBAKE_BYTES = tuple(c.encode("utf-8") for c in _MOJIBAKE_STARTS)  # C3 83, C3 82, C3 A2
_MOJIBAKE_LEADS = {letter[:1] for letter in _MOJIBAKE_BYTES}
# The letters beyond ASCII that Indonesian text written in UTF-8 holds: Latin-1 and Latin
# Extended-A (é, ×, °, ½, a no-break space: C2–C5 and a byte 80–BF) and punctuation
# (“ ” – … • → ✓: E2 and two such bytes). In Windows-1252 those lead bytes are Â Ã Ä Å â,
# which real text does not put before a sign or a quote, as it puts É before ” or × before
# a no-break space (a wider pattern refused such files).
_UTF8_LETTER = re.compile(rb"[\xc2-\xc5][\x80-\xbf]|\xe2[\x80-\xbf]{2}")
# Control characters other than tab and line breaks: invisible, never typed on purpose (a NUL
# from a broken export, a form feed pasted from a PDF), shown as "\ufffd" or "_x0000_" once
# published. Every byte but these is deleted to look for them: 0.05 s over 115 MB. The C1
# controls (U+0080–U+009F; U+0085 even breaks a line for Python) are two bytes in UTF-8,
# C2 80 to C2 9F, looked for only where a C2 byte is.
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL = bytes(b for b in range(256) if b not in _CONTROL)
_C1_UTF8 = re.compile(rb"\xc2[\x80-\x9f]")
_CONTROL_TEXT = re.compile("[" + re.escape(_CONTROL.decode("ascii")) + "\x80-\x9f]")
# A workbook keeps them escaped (U+000C as "_x000C_"), which openpyxl leaves as it is.
_CONTROL_XLSX = re.compile(_CONTROL_TEXT.pattern + "|_x00(?:0[0-8BbCcEeFf]|1[0-9A-Fa-f]|7[Ff])_")
# What a message shows in place of each: its picture in Unicode's Control Pictures block (the
# C1 controls have none: the replacement sign).
_PICTURES = {c: 0x2400 + c for c in _CONTROL if c < 0x20} | {0x7F: 0x2421} | {
    c: 0xFFFD for c in range(0x80, 0xA0)}
# The line breaks and tab a workbook keeps escaped, as Excel writes a pasted carriage return.
_XLSX_SPACE = re.compile("_x000([9AaDd])_")


@dataclass
class RawTable:
    """A table as staff wrote it: every cell a string, with the row numbers they see."""

    path: Path
    display: str  # the path as shown in messages, e.g. data/standar-pelayanan.csv
    frame: pd.DataFrame  # columns as in the header, all values str ("" when blank)
    row_numbers: list[int]  # spreadsheet row number of each frame row
    # the byte offset in the file of every record (blank ones too, the header's first), when
    # the fast path read it (`fastcsv.parse`): `splice.py` can then read only changed records
    records: np.ndarray | None = None

    @property
    def columns(self) -> list[str]:
        return list(self.frame.columns)


def find_source(directory: Path, stem: str) -> Path | None:
    """The file for dataset `stem` in `directory`: `stem.csv`, or else `stem.xlsx`, the
    extension in any case (Windows may save `2025-S1.CSV`)."""
    for suffix in (".csv", ".xlsx"):
        candidate = directory / f"{stem}{suffix}"
        if candidate.exists():
            return candidate
    folder, name = (directory / stem).parent, Path(stem).name
    if folder.is_dir():
        found = {p.suffix.lower(): p for p in sorted(folder.iterdir(), reverse=True)
                 if p.stem == name and p.suffix.lower() in (".csv", ".xlsx")}
        return found.get(".csv") or found.get(".xlsx")
    return None


def title_above(display: str, header_row: int, header: list[str], later) -> Problem | None:
    """A report's title typed above the heading (a habit of exported reports): `header`, the
    row read as the heading, names one cell only, with words (a column name has none: a
    heading whose other names were forgotten is not taken for a title), and one of the next
    rows (`later`: pairs of row number and cells; the first ten are looked at) fills two or
    more. That row is named as where the heading seems to be."""
    named = [h for h in header if str(h).strip()]
    if len(named) != 1 or len(str(named[0]).split()) < 2:
        return None
    for number, cells in list(later)[:10]:
        if sum(1 for c in cells if str(c).strip()) >= 2:
            return Problem(display, header_row, None, named[0],
                f"tampaknya judul laporan, bukan judul kolom: baris {header_row} harus berisi "
                f"nama-nama kolom, dan di berkas ini nama kolom tampaknya ada di baris "
                f"{number}; hapus baris di atasnya lalu simpan lagi")
    return None


def has_control(data: bytes) -> bool:
    """Whether the UTF-8 text `data` holds a control character other than tab and line
    breaks (a table that does is refused: `_refuse_control_characters`)."""
    return bool(data.translate(None, _NOT_CONTROL)) or (
        b"\xc2" in data and _C1_UTF8.search(data) is not None)


def read_table(path: Path, display: str | None = None, data: bytes | None = None,
               refuse_controls: bool = True) -> RawTable:
    """Read `path` (CSV or XLSX; `data`, its bytes, when already read) into a RawTable, or
    raise DataError naming the file. A cell holding an invisible control character is refused
    unless `refuse_controls` is false (a past version, read as it was published)."""
    display = display or str(path)
    if data is None:
        if path.is_dir():
            raise DataError([Problem(display, None, None, None, NOT_A_FILE)])
        data = path.read_bytes()
    if data[:4] == b"PK\x03\x04":  # a zip container: an Excel workbook, whatever its name
        frame, rows, header_row = _read_xlsx(data, display)
        table = RawTable(path, display, _clean_header(frame), rows)
        if refuse_controls:  # a workbook has few cells: each is looked at
            _refuse_control_characters(table, _CONTROL_XLSX, header_row)
        return table
    fast = read_utf8_csv(data)
    if fast is not None:
        table = RawTable(path, display, _clean_header(fast.frame), fast.rows,
                         records=fast.starts)
        if refuse_controls and has_control(data):
            _refuse_control_characters(table)
        return table
    text = _decode(data, display)
    frame, rows = _read_csv(text, display)
    table = RawTable(path=path, display=display, frame=_clean_header(frame), row_numbers=rows)
    if refuse_controls and _CONTROL_TEXT.search(text):
        _refuse_control_characters(table)
    return table


def _refuse_control_characters(table: RawTable, pattern: re.Pattern = _CONTROL_TEXT,
                               header_row: int = 1) -> None:
    """Raise DataError naming each heading and cell of `table` (the first 20) that holds an
    invisible control character (`pattern`), shown by its picture (U+0000 as ␀)."""

    def problem(row: int, column: str | None, text: str) -> Problem:
        found = pattern.search(text)
        code = ord(found.group()) if len(found.group()) == 1 else int(found.group()[2:6], 16)
        shown = (text[max(0, found.start() - 25): found.start()] + chr(_PICTURES[code])
                 + text[found.end(): found.end() + 25]).translate(_PICTURES)
        return Problem(table.display, row, column, shown,
            f"berisi karakter tak terlihat U+{code:04X} (di sini tampak sebagai "
            f"{chr(_PICTURES[code])}), biasanya ikut tersalin dari program lain; hapus "
            "karakter itu lalu simpan lagi")

    problems = [problem(header_row, None, str(name)) for name in table.frame.columns
                if pattern.search(str(name))]
    for column in table.frame.columns:
        cells = table.frame[column]
        for position in np.flatnonzero(cells.str.contains(pattern).to_numpy(bool)):
            problems.append(problem(table.row_numbers[position], str(column),
                                    cells.iat[position]))
    if problems:
        raise DataError(sorted(problems, key=lambda p: p.row)[:20])


def _clean_header(frame: pd.DataFrame) -> pd.DataFrame:
    """Column names without a byte order mark saved twice (invisible in the message that
    would call the column unknown)."""
    if any("\ufeff" in str(c) for c in frame.columns):
        frame.columns = [str(c).replace("\ufeff", "").strip() for c in frame.columns]
    return frame


def read_utf8_csv(data: bytes) -> fastcsv.Parsed | None:
    """The fast path for UTF-8 text with no trace of mojibake (staff's tables saved as "CSV
    UTF-8", every machine-written register): `fastcsv.parse`, which gives None wherever it
    cannot show that it reads what `_read_csv` reads; the careful reader then reads the
    table and names what is wrong with it. The records' offsets count a byte order mark."""
    bom = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    data = data[bom:]
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:200]:  # UTF-16
        return None
    # Looking for their first byte alone (C3) takes 2 ms in 40 MB, for a pair of bytes 33 ms.
    if any(lead in data for lead in _MOJIBAKE_LEADS) and any(t in data for t in _MOJIBAKE_BYTES):
        return None
    end = data.find(b"\n")
    try:
        header = (data if end < 0 else data[:end]).decode("utf-8")
    except UnicodeDecodeError:
        return None
    if not header.strip():
        return None  # the careful reader says what is missing
    parsed = fastcsv.parse(data, _sniff_delimiter(header))
    if parsed is not None and bom:
        parsed.starts = parsed.starts + bom
    return parsed


def _decode(data: bytes, display: str) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    elif data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    else:
        # UTF-16 saved without its byte order mark: every ASCII letter has a NUL beside it
        head = data[:200]
        for zeros, codec in ((head[1::2], "utf-16-le"), (head[0::2], "utf-16-be")):
            if len(head) >= 4 and zeros.count(0) >= len(zeros) * 0.9:
                try:
                    return data.decode(codec)
                except UnicodeDecodeError:
                    break
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if _UTF8_LETTER.search(data):
            # Mostly UTF-8, with a stray byte (a dash or quote pasted from Word): read as
            # Windows-1252, every UTF-8 letter would turn into two (3×4 → 3Ã—4).
            line = data[: exc.start].count(b"\n") + 1
            raise DataError([Problem(display, line, None, None,
                "berkas ini UTF-8, tetapi baris ini berisi huruf dengan pengodean lain "
                "(mungkin tanda pisah atau tanda kutip dari Word); ketik ulang huruf itu lalu "
                "simpan sebagai \"CSV UTF-8\"")]) from None
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            raise DataError([Problem(display, line, None, None,
                "berkas bukan teks UTF-8 maupun Windows-1252; simpan ulang sebagai "
                "\"CSV UTF-8 (Comma delimited)\"")]) from None
    # Looking for the letters a trace begins with is some twenty times faster than the
    # pattern over a large table that has none.
    match = None if text.isascii() or not any(c in text for c in _MOJIBAKE_STARTS) else \
        _MOJIBAKE.search(text)
    if match:
        line = text[: match.start()].count("\n") + 1
        raise DataError([Problem(display, line, None, match.group(0),
            "tampak seperti huruf rusak (mojibake): berkas pernah dibuka dengan pengodean "
            "yang salah; perbaiki teksnya lalu simpan sebagai \"CSV UTF-8\"")])
    return text


def _sniff_delimiter(text: str) -> str:
    end = text.find("\n")  # not `split`, which copies the rest of the file (40 MB: 0.05 s)
    header = text if end < 0 else text[:end]
    try:
        return csv.Sniffer().sniff(header, delimiters=_DELIMITERS).delimiter
    except csv.Error:
        return ","


def _read_csv(text: str, display: str) -> tuple[pd.DataFrame, list[int]]:
    if not text or text.isspace():  # not `strip`, which copies the whole text
        raise DataError([Problem(display, None, None, None, "berkas kosong: baris judul kolom tidak ada")])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text),
                        strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise DataError([Problem(display, reader.line_num, None, None,
            f"format CSV rusak ({exc}); periksa tanda kutip yang tidak ditutup")]) from None
    header = [h.strip() for h in records[0]]
    problems: list[Problem] = []
    body, rows = [], []
    width = len(header)
    carriage = "\r" in text  # line breaks inside cells to normalise
    for index, record in enumerate(records[1:]):
        row = index + FIRST_DATA_ROW
        if not any(cell.strip() for cell in record):
            continue  # blank lines at the end of a spreadsheet export
        if len(record) != width:
            problems.append(Problem(display, row, None, None,
                f"baris berisi {len(record)} sel, padahal judul kolom ada {width}; "
                "periksa pemisah kolom dan tanda kutip"))
            continue
        body.append([_normalise_newlines(c) for c in record] if carriage else record)
        rows.append(row)
    if problems:
        title = title_above(display, 1, header, (
            (i + FIRST_DATA_ROW, r) for i, r in enumerate(records[1:]) if any(r)))
        raise DataError([title] if title else problems)
    return pd.DataFrame(body, columns=header, dtype=object), rows


def _normalise_newlines(cell: str) -> str:
    return cell.replace("\r\n", "\n").replace("\r", "\n")


def _xlsx_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if "_x000" in text:  # line breaks and tabs as Excel escapes them
        text = _XLSX_SPACE.sub(lambda m: chr(int(m.group(1), 16)), text)
    return _normalise_newlines(text)


def _read_xlsx(data: bytes, display: str) -> tuple[pd.DataFrame, list[int]]:
    """The first visible sheet of a workbook (a hidden one first, an old copy kept out of
    sight, is not what staff see). Its rows are read to the end whatever range the file
    states for the sheet (some tools write a wrong one, which read-only openpyxl trusts),
    and a cell holding an Excel error (#N/A, #REF!) or a value under no heading is reported,
    not published."""
    import openpyxl  # imported here: only needed when staff hand in a workbook

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise DataError([Problem(display, None, None, None,
            f"berkas Excel tidak dapat dibaca ({exc.__class__.__name__})")]) from None
    visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
    if not visible:
        book.close()
        raise DataError([Problem(display, None, None, None,
                                 "tidak ada lembar kerja yang terlihat di berkas Excel ini")])
    sheet = visible[0]
    sheet.reset_dimensions()
    body, rows, header, header_row = [], [], None, 0
    body_cells = []  # each row's cells, those under no heading too
    problems: list[Problem] = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        cells = [_xlsx_cell(c.value) for c in row]
        if header is None:
            if not any(cells):
                continue
            header, header_row = [c.strip() for c in cells], number
            while header and not header[-1]:
                header.pop()
            continue
        if not any(c.strip() for c in cells):
            continue
        for position, cell in enumerate(row):
            if cell.data_type == "e":
                column = header[position] if position < len(header) else None
                problems.append(Problem(display, number, column, str(cell.value),
                    "sel berisi galat Excel; perbaiki rumusnya atau isi nilainya"))
            elif position >= len(header) and cells[position].strip():
                problems.append(Problem(display, number, None, cells[position],
                    f"ada isi di kolom ke-{position + 1}, yang tidak punya judul kolom; beri "
                    "judul atau hapus isinya"))
        body.append((cells + [""] * len(header))[: len(header)])
        body_cells.append(cells)
        rows.append(number)
    book.close()
    if header is None:
        raise DataError([Problem(display, None, None, None, "lembar kerja pertama kosong")])
    xml, workbook = _sheet_parts(data, getattr(sheet, "_worksheet_path", None))
    if xml is not None:
        problems += _merged_below(xml, header_row, display)
        problems += _formulas_without_values(xml, workbook, header_row, header, display)
    if problems:
        title = title_above(display, header_row, header, zip(rows, body_cells))
        raise DataError([title] if title else problems)
    return pd.DataFrame(body, columns=header, dtype=object), rows, header_row


_MERGED = re.compile(rb'<(?:\w+:)?mergeCell ref="([A-Z]+)([0-9]+):([A-Z]+)([0-9]+)"')
_CELL = re.compile(rb'<(?:\w+:)?c\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?c>)', re.S)
_CELL_REF = re.compile(rb'\br="([A-Z]+)([0-9]+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_VALUE = re.compile(rb"<(?:\w+:)?v>[^<]")
_EMPTY_VALUE = re.compile(rb"<(?:\w+:)?v\s*/>|<(?:\w+:)?v></(?:\w+:)?v>")
_TEXT_RESULT = re.compile(rb'\bt="str"')
_ZERO_VALUE = re.compile(rb"<(?:\w+:)?v>0</(?:\w+:)?v>")
# A workbook that asks to be calculated when opened stores placeholders (XlsxWriter writes 0
# for every formula, openpyxl nothing): none of its formulas' results is in the file.
_CALCULATE_ON_OPEN = re.compile(rb'fullCalcOnLoad="(?:1|true)"')


def _sheet_parts(data: bytes, member: str | None) -> tuple[bytes | None, bytes]:
    """The XML of the sheet read-only openpyxl read (`_worksheet_path`; None without it), read
    once for every check made of it, and the workbook's own part (b"" when absent)."""
    if not member:
        return None, b""
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheet = archive.read(member)
    except (KeyError, zipfile.BadZipFile):
        return None, b""
    try:
        workbook = archive.read("xl/workbook.xml")
    except KeyError:
        workbook = b""
    return sheet, workbook


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters:
        index = index * 26 + letter - ord("A") + 1
    return index - 1


def _formulas_without_values(xml: bytes, workbook: bytes, header_row: int,
                             header: list[str], display: str) -> list[Problem]:
    """Cells holding a formula whose result the file does not store: a workbook written by
    a program that does not calculate (a script, some converters) keeps only the formula (or
    a placeholder, XlsxWriter's 0), and every reader, openpyxl too, would publish the cell
    blank (or 0: a fee computed by a formula would read as free)."""
    if not _FORMULA.search(xml):
        return []
    placeholders = bool(_CALCULATE_ON_OPEN.search(workbook))
    found = []
    for attributes, inner in _CELL.findall(xml):
        if not inner or not _FORMULA.search(inner):
            continue
        # kept: a result (an empty text result too, IF(...;"";...), as Excel and LibreOffice
        # store it); in a workbook that says its results are placeholders, one other than the
        # 0 XlsxWriter writes when it is given none
        if placeholders:
            if _VALUE.search(inner) and not _ZERO_VALUE.search(inner):
                continue
        elif _VALUE.search(inner) or (_TEXT_RESULT.search(attributes) and
                                      _EMPTY_VALUE.search(inner)):
            continue
        ref = _CELL_REF.search(attributes)
        if not ref or int(ref[2]) < header_row:
            continue
        position = _column_index(ref[1])
        column = header[position] if int(ref[2]) > header_row and position < len(header) \
            else None
        found.append(Problem(display, int(ref[2]), column or None,
                             f"{ref[1].decode()}{int(ref[2])}",
                             "sel berisi rumus yang hasilnya tidak tersimpan di berkas (berkas "
                             "dibuat program yang tidak menghitung rumus); buka berkas di Excel "
                             "atau LibreOffice lalu simpan lagi, atau ganti rumus dengan "
                             "nilainya"))
    return found


def _merged_below(xml: bytes, header_row: int, display: str) -> list[Problem]:
    """Merged cells under the header: read-only openpyxl gives their value to the first cell
    only, so the rows below would be published blank. Looked for in the sheet's XML (the
    part read-only openpyxl names in `_worksheet_path`; without it, not looked for)."""
    found = []
    for first_col, first_row, last_col, last_row in _MERGED.findall(xml):
        if int(last_row) > header_row:
            cells = f"{first_col.decode()}{int(first_row)}:{last_col.decode()}{int(last_row)}"
            found.append(Problem(display, max(int(first_row), header_row + 1), None, cells,
                "sel digabung (merge); pisahkan gabungannya dan isi nilainya di setiap baris "
                "dan kolom"))
    return found
