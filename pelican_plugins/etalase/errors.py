"""Problems found in staff sources, and the error that carries all of them at once.

Every message names the file, the spreadsheet row, the column, the offending value and what
was expected, in Indonesian, so staff can fix a file without reading a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


def _shorten(value: str, limit: int = 60) -> str:
    value = str(value).replace("\n", "⏎")
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one cell, row, column or file."""

    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None
    expected: str = ""

    def __str__(self) -> str:
        where = self.file if self.row is None else f"{self.file}:{self.row}"
        parts = [where]
        if self.column is not None:
            parts.append(f'kolom "{self.column}"')
        detail = self.expected
        if self.value is not None:
            detail = f'"{_shorten(self.value)}" {self.expected}'
        parts.append(detail)
        return ": ".join(parts)


class DataError(Exception):
    """Raised when sources are wrong; carries every problem of the run, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems), key=_sort_key)
        super().__init__(self.report())

    def __reduce__(self):  # so a worker process (parallel.py) can hand it to the parent
        return (type(self), (self.problems,))

    def report(self) -> str:
        count = len(self.problems)
        head = f"Ditemukan {count} kesalahan pada data sumber:" if count != 1 else (
            "Ditemukan 1 kesalahan pada data sumber:"
        )
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


def _sort_key(p: Problem):
    return (p.file, p.row if p.row is not None else -1, p.column or "", p.expected)
