"""A dataset's version history from git: when its source changed, why, and which rows changed.

For a source file (e.g. `data/standar-pelayanan.csv`) `git log` lists the commits that touched
it; each version is read back with `git show <commit>:<path>`, parsed and validated with the
same `reading` and `schema` code as the build, and compared with the version before it by the
table's primary key: rows added, removed and changed. Comparison hashes whole rows, so it is
linear in the number of rows, never quadratic, and holds one version's rows at a time: the
version before is kept only as its `Basis` (a hash of each row and of its key).

Each version's findings depend on its commit alone, and its comparison on it and the commit
before it: given what an earlier run found (`Compared`), only the versions committed since are
read (a commit to a 2 M-row register reads one version, not twenty).

Dates come from git commits, never from the wall clock, so rebuilding a commit gives the same
bytes. Without git (a copied folder) there is no history; in a shallow clone (CI) the history
shown is what the clone holds, and it says so.
"""

from __future__ import annotations

import concurrent.futures
import contextlib
import dataclasses
import os
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import numpy as np
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


@dataclass(frozen=True)
class Basis:
    """What comparing a version with the next one needs of it, without its rows: the columns
    it has, their types, a hash of each row and of each row's primary key."""

    columns: tuple[str, ...]
    dtypes: tuple[str, ...]
    rows: np.ndarray  # uint64, one per row
    keys: np.ndarray | None  # uint64, one per row; None without a primary key


@dataclass
class Compared:
    """What a run of `dataset_history` found, for a later run to take instead of reading the
    versions again: each version read, by commit, with the commit it was compared with and
    what the caller's `publish` gave for it; and the `Basis` of the newest version read."""

    versions: dict[str, tuple[Version, str | None, Any]] = field(default_factory=dict)
    newest: tuple[str, Basis] | None = None


def _git(cwd: Path, *args: str, binary: bool = False, given: bytes | None = None):
    """Run git in `cwd` (with `given` on its standard input); None when git is missing,
    fails, or `cwd` is not in a repository."""
    try:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, check=True,
                                timeout=GIT_TIMEOUT, input=given)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout if binary else result.stdout.decode("utf-8", "replace")


# What git said, by question, while a build runs (`answers_kept`): a build asks about each
# source file several times (its DIP entry, its catalogue entry, its history), 70 runs of git
# for 15 questions at national scale.
_ASKED: dict[tuple, Any] | None = None


@contextlib.contextmanager
def answers_kept():
    """Within this block (one build), each question to git is asked once. Outside it, every
    call asks again: a commit may come between two calls."""
    global _ASKED
    outer = _ASKED
    _ASKED = {} if outer is None else outer
    try:
        yield
    finally:
        _ASKED = outer


def _asked(question: tuple, ask: Callable[[], Any]) -> Any:
    if _ASKED is None:
        return ask()
    if question not in _ASKED:
        _ASKED[question] = ask()
    return _ASKED[question]


def commits(path: Path, timezone: str = "Asia/Jakarta") -> list[Commit] | None:
    """Commits that changed `path` (a file or a folder), newest first; None outside git."""
    path = Path(path)
    # by the real folder git runs in and the name it is asked about (`link/../x.csv` is not
    # `x.csv` to git)
    question = ("log", os.path.realpath(path.parent), path.name, timezone)
    found = _asked(question, lambda: _commits(path, timezone))
    return None if found is None else list(found)


def ask_ahead(paths, timezone: str = "Asia/Jakarta", at_once: int = 4) -> None:
    """Within `answers_kept`, ask git now about the commits of each of `paths` (existing
    files or folders), `at_once` questions at a time, so that `commits` finds the answers.
    Each question is a git process of its own, a few milliseconds mostly spent waiting: the
    DIP's 22 questions at national scale took 0.1 s one after the other."""
    if _ASKED is None:
        return
    # one path a question (`commits` asks by the real folder and the name)
    todo = list({(os.path.realpath(path.parent), path.name): path
                 for path in map(Path, paths) if path.exists()}.values())
    if len(todo) < 2:
        return
    with concurrent.futures.ThreadPoolExecutor(min(at_once, len(todo))) as pool:
        list(pool.map(lambda path: commits(path, timezone), todo))


def _commits(path: Path, timezone: str) -> list[Commit] | None:
    cwd = path.parent if not path.is_dir() else path
    if not cwd.exists():
        return None
    # The descriptions of past changes (data/riwayat-keterangan.csv) are no change of data.
    where = [f"./{path.name}"] if not path.is_dir() else [".", f":(exclude){NOTES_FILE}"]
    out = _git(cwd, "log", f"--format=%H{_SEP}%ct{_SEP}%s", "--", *where)
    if out is None:
        return None
    found = []
    for line in out.splitlines():
        sha, stamp, subject = line.split(_SEP, 2)
        found.append(Commit(sha, int(stamp), subject, timezone))
    return found


# Where staff describe past changes for the public (`described`); read by catalogue.py.
NOTES_FILE = "riwayat-keterangan.csv"


def full_shas(cwd: Path, commits: list[str]) -> list[str | None]:
    """The whole hash of each commit whose hash begins with one of `commits`, in the
    repository of `cwd`, asked of git at once; None where there is none (or several, or no
    repository)."""
    asked = "".join(f"{commit}^{{commit}}\n" for commit in commits).encode()
    answer = _git(cwd, "cat-file", "--batch-check=%(objectname) %(objecttype)", given=asked)
    lines = answer.splitlines() if answer else []
    if len(lines) != len(commits):
        return [None] * len(commits)
    return [line.split()[0] if line.endswith(" commit") else None for line in lines]


def described(past: History, notes: dict[str, str]) -> History:
    """`past` with the subject of each commit that `notes` (whole hash → text) describes
    replaced by that text: the public description staff gave a change afterwards, without
    rewriting git's history."""
    if not notes or not any(v.commit.sha in notes for v in past.versions):
        return past
    versions = [dataclasses.replace(v, commit=dataclasses.replace(
        v.commit, subject=notes[v.commit.sha])) if v.commit.sha in notes else v
        for v in past.versions]
    return dataclasses.replace(past, versions=versions)


def is_shallow(path: Path) -> bool:
    cwd = path if path.is_dir() else path.parent
    return _asked(("shallow", os.path.realpath(cwd)), lambda: (
        _git(cwd, "rev-parse", "--is-shallow-repository") or "").strip() == "true")


def show(path: Path, sha: str) -> bytes | None:
    """The bytes of file `path` as it was in commit `sha`."""
    return _git(path.parent, "show", f"{sha}:./{path.name}", binary=True)


def parse_version(data: bytes, suffix: str, display: str, table_schema: dict):
    """Read one past version like the build reads today's, but for the bounds on dates
    (`schema.without_date_bounds`): (typed frame, problem count) or None.

    None when the version cannot be read at all or its header does not fit today's schema
    (a column renamed since, for example): such a version is listed but not compared.
    """
    with tempfile.TemporaryDirectory(prefix="etalase-versi-") as tmp:
        path = Path(tmp) / f"versi{suffix}"
        path.write_bytes(data)
        try:
            raw = reading.read_table(path, display, refuse_controls=False)
        except DataError:
            return None
    frame, problems = schema.validate(raw, schema.without_date_bounds(table_schema))
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
    text = {c: c not in old or c not in new or old[c].dtype != new[c].dtype for c in columns}
    return _as_compared(old, columns, text), _as_compared(new, columns, text)


def _as_compared(frame: pd.DataFrame, columns: list[str], text: dict[str, bool]) -> pd.DataFrame:
    def column(name):
        if name not in frame:
            return pd.Series(pd.NA, index=frame.index, dtype="string")
        return frame[name].astype("string") if text[name] else frame[name]

    return pd.DataFrame({c: column(c) for c in columns}, index=frame.index)


def _row_hashes(text: pd.DataFrame) -> np.ndarray:
    return pd.util.hash_pandas_object(text, index=False).to_numpy()


def _key_hashes(frame: pd.DataFrame, key: list[str]) -> np.ndarray:
    """A hash of each row's primary key, as text (two keys colliding in 64 bits is as
    unlikely as two rows' hashes colliding)."""
    text = frame[key].astype("string").fillna("")
    keys = text[key[0]] if len(key) == 1 else text.agg(_SEP.join, axis=1)
    return pd.util.hash_pandas_object(keys, index=False).to_numpy()


def basis(frame: pd.DataFrame, columns: list[str], key: list[str]) -> Basis:
    """What comparing `frame` with another version needs of it (`basis_diff`)."""
    present = [c for c in columns if c in frame]
    compared = _as_compared(frame, columns, {c: c not in frame for c in columns})
    return Basis(tuple(present), tuple(str(frame[c].dtype) for c in present),
                 _row_hashes(compared), _key_hashes(compared, key) if key else None)


def basis_diff(old: Basis, new: Basis) -> RowDiff | None:
    """`row_diff` of two versions from their bases; None when a column is missing from one
    of them or has another type there (the rows must then be compared as text, `row_diff`)."""
    if old.columns != new.columns or old.dtypes != new.dtypes:
        return None
    return _counted(old.rows, old.keys, new.rows, new.keys)


def _counted(old_hash: np.ndarray, old_keys: np.ndarray | None, new_hash: np.ndarray,
             new_keys: np.ndarray | None) -> RowDiff:
    if old_keys is None or new_keys is None:
        old_counts = pd.Series(old_hash).value_counts()
        new_counts = pd.Series(new_hash).value_counts()
        delta = new_counts.sub(old_counts, fill_value=0)
        return RowDiff(added=int(delta[delta > 0].sum()), removed=int(-delta[delta < 0].sum()),
                       changed=0, by_key=False)
    old_index, new_index = pd.Index(old_keys), pd.Index(new_keys)
    old_first, new_first = ~old_index.duplicated(), ~new_index.duplicated()
    old_index, old_hash = old_index[old_first], old_hash[old_first]
    new_index, new_hash = new_index[new_first], new_hash[new_first]
    position = old_index.get_indexer(new_index)  # one hash table: where each new key was
    found = position >= 0
    changed = int((old_hash[position[found]] != new_hash[found]).sum())
    return RowDiff(added=int((~found).sum()), removed=len(old_index) - int(found.sum()),
                   changed=changed)


def row_diff(old: pd.DataFrame, new: pd.DataFrame, columns: list[str], key: list[str]) -> RowDiff:
    """Rows added, removed and changed from `old` to `new`, matched by primary key `key`.

    Every row is hashed once and matched through hash indexes: O(rows), so a table of
    millions of rows is compared in seconds. Without a primary key, rows are matched by
    their whole content: an edited row then counts as one removed and one added.
    """
    old_text, new_text = _comparable(old, new, columns)
    return _counted(_row_hashes(old_text), _key_hashes(old_text, key) if key else None,
                    _row_hashes(new_text), _key_hashes(new_text, key) if key else None)


def dataset_history(source: Path | None, table_schema: dict, display: str = "",
                    limit: int = 20, timezone: str = "Asia/Jakarta",
                    publish: Callable[[Version, pd.DataFrame], Any] | None = None,
                    compare: bool = True, earlier: Compared | None = None,
                    reuse: Callable[[Version, Any], bool] | None = None,
                    found: Compared | None = None) -> History:
    """The history of the table kept in `source`, newest version first.

    The newest `limit` versions are read and compared; older ones are listed with their date
    and message only. `publish(version, frame)` is called for each version read, so the caller
    can write it out without every version's rows being held in memory at once. With
    `compare=False` (a computed table, whose rows are not the source's) only the commits are
    listed.

    `earlier` is what an earlier run found (`Compared`): a version it read, compared with
    the same commit as now, is taken from it rather than read again, once `reuse(version,
    what publish gave)` says the caller has what it published of it. `found`, when given,
    is filled with what this run found, for a later run; not to be kept when
    `History.missing` says git did not give a version this run needed (its successor was
    then not compared). Versions are read only when needed: the version just outside the
    window only to compare the oldest one in it, when that one is read.
    """
    if source is None:
        return History()
    source = Path(source)
    listed = commits(source, timezone)
    if listed is None:
        return History()
    history = History(versions=[Version(c) for c in listed], in_git=True,
                      shallow=is_shallow(source))
    if not compare or source.is_dir() or source.suffix.lower() not in (".csv", ".xlsx"):
        return history  # a folder or computed table: dates and messages only
    history.compared = True
    columns = schema.field_names(table_schema)
    key = [k for k in primary_key(table_schema) if k in columns]
    window = history.versions[:limit]
    history.truncated = len(history.versions) > len(window)
    earlier = earlier or Compared()
    found = found if found is not None else Compared()
    found.versions.clear()
    found.newest = None
    # The bases of the version just read and of the one before it (None: not readable): never
    # more, so that a 2 M-row register's twenty versions are not all held at once.
    bases: dict[str, Basis | None] = {}
    if earlier.newest and any(v.commit.sha == earlier.newest[0] for v in history.versions):
        bases.setdefault(*earlier.newest)

    def basis_of(position: int) -> Basis | None:
        """The basis of history.versions[position], read from git if need be."""
        sha = history.versions[position].commit.sha
        if sha not in bases:
            parsed = _read(source, history.versions[position].commit, table_schema, display,
                           history)
            bases[sha] = parsed and basis(parsed[0], columns, key)
        return bases[sha]

    # Oldest first, so each version is compared with the one before it.
    for position in reversed(range(len(window))):
        version = window[position]
        sha = version.commit.sha
        before = position + 1 if position + 1 < len(history.versions) else None
        before_sha = history.versions[before].commit.sha if before is not None else None
        if len(bases) > 2:
            for older in history.versions[position + 2:]:
                bases.pop(older.commit.sha, None)
        known = earlier.versions.get(sha)
        if known and known[1] == before_sha and (reuse is None or reuse(known[0], known[2])):
            taken = known[0]
            version.readable, version.rows, version.problems, version.diff = (
                taken.readable, taken.rows, taken.problems, taken.diff)
            found.versions[sha] = (version, before_sha, known[2])
            if not version.readable:
                bases[sha] = None
            continue
        # The version before first (its basis, read from git if need be), so that only one
        # version's rows are held at a time.
        previous = basis_of(before) if before is not None else None
        parsed = _read(source, version.commit, table_schema, display, history)
        if parsed is None:
            bases[sha] = None
            continue
        frame, problems = parsed
        version.readable, version.rows, version.problems = True, len(frame), problems
        bases[sha] = mine = basis(frame, columns, key)
        if previous is not None:
            version.diff = basis_diff(previous, mine)
            if version.diff is None:  # a column added, removed or retyped: as text
                older = _read(source, history.versions[before].commit, table_schema,
                              display, history)
                version.diff = older and row_diff(older[0], frame, columns, key)
        published = publish(version, frame) if publish is not None else None
        del frame, parsed
        found.versions[sha] = (version, before_sha, published)
    if window and bases.get(window[0].commit.sha) is not None:
        found.newest = (window[0].commit.sha, bases[window[0].commit.sha])
    return history


def _read(source: Path, commit: Commit, table_schema: dict, display: str, history: History):
    data = show(source, commit.sha)
    if data is None:  # deleted in that commit, not reachable in a shallow clone, or git failed
        history.missing += 1
        return None
    return parse_version(data, source.suffix.lower(), f"{display}@{commit.short}", table_schema)
