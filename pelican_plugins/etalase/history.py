"""A dataset's version history from git: when its source changed, why, and which rows changed.

For a source file (e.g. `data/standar-pelayanan.csv`) `git log` lists the commits that touched
it; each version is read back with `git show <commit>:<path>`, parsed and validated with the
same `reading` and `schema` code as the build, and compared with the version before it by the
table's primary key: rows added, removed and changed. Comparison hashes whole rows, so it is
linear in the number of rows, never quadratic.

Dates come from git commits, never from the wall clock, so rebuilding a commit gives the same
bytes. Without git (a copied folder) there is no history; in a shallow clone (CI) the history
shown is what the clone holds, and it says so.
"""

from __future__ import annotations

import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from . import reading, schema
from .errors import DataError

GIT_TIMEOUT = 60
_SEP = "\x1f"


@dataclass(frozen=True)
class Commit:
    sha: str
    timestamp: int  # committer time, seconds since the epoch
    subject: str
    timezone: str = "Asia/Jakarta"

    @property
    def short(self) -> str:
        return self.sha[:7]

    @property
    def when(self) -> pd.Timestamp:
        return pd.Timestamp(self.timestamp, unit="s", tz=self.timezone)

    @property
    def slug(self) -> str:
        """The version's name in URLs: commit date and short hash, e.g. 20250817-1a2b3c4."""
        return f"{self.when:%Y%m%d}-{self.short}"


@dataclass(frozen=True)
class RowDiff:
    """What changed between two versions of a table, counted in rows."""

    added: int
    removed: int
    changed: int
    by_key: bool = True  # False: no primary key, rows matched by their whole content

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


@dataclass
class Version:
    commit: Commit
    rows: int | None = None  # rows that passed validation; None when not read
    diff: RowDiff | None = None  # against the previous version; None for the first or unknown
    problems: int = 0  # rows or cells of this version that did not pass validation
    readable: bool = False  # False: this version could not be read with today's schema

    @property
    def slug(self) -> str:
        return self.commit.slug


@dataclass
class History:
    """Versions newest first, and why the list may be incomplete."""

    versions: list[Version] = field(default_factory=list)
    in_git: bool = False  # False: the source is not in a git repository (or git is missing)
    shallow: bool = False  # the clone is shallow: older versions are not available here
    truncated: bool = False  # older versions exist but were not compared (see the limit)
    compared: bool = False  # versions were read and compared row by row
    missing: int = 0  # versions to compare whose bytes git did not give (failed, or deleted)

    @property
    def modified(self) -> Commit | None:
        return self.versions[0].commit if self.versions else None

    @property
    def first(self) -> Commit | None:
        return self.versions[-1].commit if self.versions else None


def _git(cwd: Path, *args: str, binary: bool = False):
    """Run git in `cwd`; None when git is missing, fails, or `cwd` is not in a repository."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True,
                                timeout=GIT_TIMEOUT)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


def commits(path: Path, timezone: str = "Asia/Jakarta") -> list[Commit] | None:
    """Commits that changed `path` (a file or a folder), newest first; None outside git."""
    path = Path(path)
    cwd = path.parent if not path.is_dir() else path
    if not cwd.exists():
        return None
    out = _git(cwd, "log", f"--format=%H{_SEP}%ct{_SEP}%s", "--", f"./{path.name}"
               if not path.is_dir() else ".")
    if out is None:
        return None
    found = []
    for line in out.splitlines():
        sha, stamp, subject = line.split(_SEP, 2)
        found.append(Commit(sha, int(stamp), subject, timezone))
    return found


def is_shallow(path: Path) -> bool:
    cwd = path if path.is_dir() else path.parent
    return (_git(cwd, "rev-parse", "--is-shallow-repository") or "").strip() == "true"


def show(path: Path, sha: str) -> bytes | None:
    """The bytes of file `path` as it was in commit `sha`."""
    return _git(path.parent, "show", f"{sha}:./{path.name}", binary=True)


def parse_version(data: bytes, suffix: str, display: str, table_schema: dict):
    """Read one past version like the build reads today's: (typed frame, problem count) or None.

    None when the version cannot be read at all or its header does not fit today's schema
    (a column renamed since, for example): such a version is listed but not compared.
    """
    with tempfile.TemporaryDirectory(prefix="etalase-versi-") as tmp:
        path = Path(tmp) / f"versi{suffix}"
        path.write_bytes(data)
        try:
            raw = reading.read_table(path, display)
        except DataError:
            return None
    frame, problems = schema.validate(raw, table_schema)
    if any(p.row == 1 for p in problems):  # header problems: not the same table any more
        return None
    bad = {p.row for p in problems if p.row is not None}
    keep = ~frame.attrs["row_numbers"].isin(bad)
    return frame[keep].reset_index(drop=True), len(problems)


def primary_key(table_schema: dict) -> list[str]:
    key = table_schema.get("primaryKey", [])
    return [key] if isinstance(key, str) else list(key)


def _comparable(old: pd.DataFrame, new: pd.DataFrame, columns: list[str]):
    """Both frames with the same columns, and the same dtype per column so that equal values
    hash equally: a column whose dtype differs between the versions is compared as text."""

    def column(frame, name, as_text):
        if name not in frame:
            return pd.Series(pd.NA, index=frame.index, dtype="string")
        return frame[name].astype("string") if as_text else frame[name]

    text = {c: c not in old or c not in new or old[c].dtype != new[c].dtype for c in columns}
    return tuple(pd.DataFrame({c: column(f, c, text[c]) for c in columns}, index=f.index)
                 for f in (old, new))


def _row_hashes(text: pd.DataFrame) -> pd.Series:
    return pd.util.hash_pandas_object(text, index=False)


def _keys(frame: pd.DataFrame, key: list[str]) -> pd.Index:
    text = frame[key].astype("string").fillna("")
    if len(key) == 1:
        return pd.Index(text[key[0]])
    return pd.Index(text.agg(_SEP.join, axis=1))


def row_diff(old: pd.DataFrame, new: pd.DataFrame, columns: list[str], key: list[str]) -> RowDiff:
    """Rows added, removed and changed from `old` to `new`, matched by primary key `key`.

    Every row is hashed once and matched through hash indexes: O(rows), so a table of
    millions of rows is compared in seconds. Without a primary key, rows are matched by
    their whole content: an edited row then counts as one removed and one added.
    """
    old_text, new_text = _comparable(old, new, columns)
    old_hash, new_hash = _row_hashes(old_text), _row_hashes(new_text)
    if not key:
        old_counts = old_hash.value_counts()
        new_counts = new_hash.value_counts()
        delta = new_counts.sub(old_counts, fill_value=0)
        return RowDiff(added=int(delta[delta > 0].sum()), removed=int(-delta[delta < 0].sum()),
                       changed=0, by_key=False)
    old_keys, new_keys = _keys(old_text, key), _keys(new_text, key)
    old_first, new_first = ~old_keys.duplicated(), ~new_keys.duplicated()
    old_keys, old_hash = old_keys[old_first], old_hash.to_numpy()[old_first]
    new_keys, new_hash = new_keys[new_first], new_hash.to_numpy()[new_first]
    position = old_keys.get_indexer(new_keys)  # one hash table: where each new key was
    found = position >= 0
    changed = int((old_hash[position[found]] != new_hash[found]).sum())
    return RowDiff(added=int((~found).sum()), removed=len(old_keys) - int(found.sum()),
                   changed=changed)


def dataset_history(source: Path | None, table_schema: dict, display: str = "",
                    limit: int = 20, timezone: str = "Asia/Jakarta",
                    publish: Callable[[Version, pd.DataFrame], None] | None = None,
                    compare: bool = True) -> History:
    """The history of the table kept in `source`, newest version first.

    The newest `limit` versions are read and compared; older ones are listed with their date
    and message only. `publish(version, frame)` is called for each version read, so the caller
    can write it out without every version's rows being held in memory at once. With
    `compare=False` (a computed table, whose rows are not the source's) only the commits are
    listed.
    """
    if source is None:
        return History()
    source = Path(source)
    found = commits(source, timezone)
    if found is None:
        return History()
    history = History(versions=[Version(c) for c in found], in_git=True,
                      shallow=is_shallow(source))
    if not compare or source.is_dir() or source.suffix.lower() not in (".csv", ".xlsx"):
        return history  # a folder or computed table: dates and messages only
    history.compared = True
    columns = schema.field_names(table_schema)
    key = [k for k in primary_key(table_schema) if k in columns]
    window = history.versions[:limit]
    history.truncated = len(history.versions) > len(window)
    # Oldest first, so each version is parsed once and compared with the one before it.
    previous = None
    if len(history.versions) > len(window):
        previous = _read(source, history.versions[len(window)].commit, table_schema, display,
                         history)
        previous = previous[0] if previous else None
    for version in reversed(window):
        parsed = _read(source, version.commit, table_schema, display, history)
        if parsed is None:
            previous = None
            continue
        frame, problems = parsed
        version.readable, version.rows, version.problems = True, len(frame), problems
        if previous is not None:
            version.diff = row_diff(previous, frame, columns, key)
        if publish is not None:
            publish(version, frame)
        previous = frame
    return history


def _read(source: Path, commit: Commit, table_schema: dict, display: str, history: History):
    data = show(source, commit.sha)
    if data is None:  # deleted in that commit, not reachable in a shallow clone, or git failed
        history.missing += 1
        return None
    return parse_version(data, source.suffix.lower(), f"{display}@{commit.short}", table_schema)
