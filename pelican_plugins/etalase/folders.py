"""Replace a folder with a freshly made one, so readers find the old or the new, never a half.

Used for the published site (`build.py`) and for the archive kept in the cache (`archive.py`).
A site's previous folder tree is recycled: making 20 000 folders costs seconds of system time
on an ordinary disk, so the detached removal of the previous site deletes its files but keeps
its folders, ready for the next build to write its pages into (`adopt_folders`).
"""

from __future__ import annotations

import fcntl
import glob
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

logger = logging.getLogger(__name__)

# Removes one folder, in a process of its own that outlives the build that started it. It
# first takes an exclusive lock on the folder, so two removals never work on one folder (a
# build cleaning up leftovers while the previous build's removal still runs): the second
# leaves it alone. Given a second path, it deletes the files only, lists the folders in a
# file at the top named by the third argument (`FOLDER_LIST`) and renames the emptied tree
# there, unless another tree is already there; any error, and it removes everything.
_REMOVER = """
import fcntl, os, shutil, sys
folder, keep = sys.argv[1], sys.argv[2:]
try:
    lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
except OSError:
    sys.exit()
if keep:
    def stop(error):
        raise error
    try:
        kept = []
        for top, folders, files in os.walk(folder, onerror=stop):
            if top != folder:
                kept.append(os.path.relpath(top, folder))
            for name in files + [f for f in folders if os.path.islink(os.path.join(top, f))]:
                os.unlink(os.path.join(top, name))
        with open(os.path.join(folder, sys.argv[3]), "w", encoding="utf-8") as fh:
            fh.write("\\n".join(kept))
        os.rename(folder, keep[0])
        sys.exit()
    except OSError:
        pass
shutil.rmtree(folder, ignore_errors=True)
"""

# The list of an emptied tree's folders, written at its top by `_REMOVER` (a file: the
# adoption moves folders only), so the build that adopts them knows them without reading
# them (`prune_adopted`).
FOLDER_LIST = ".daftar-folder"

# Makes, in a process of its own that outlives the build that started it, the folder tree
# of a site put in place where there was none before (no earlier tree to recycle: the first
# build of a preview, of a fresh clone), empty, for the next build to adopt: otherwise that
# build makes its 20 000 folders itself (a second). It works in a locked temporary folder
# beside the skeleton (a cleaning build leaves it alone, see `_REMOVER`), lists the folders
# in `FOLDER_LIST` and renames it to the skeleton unless one is there; any error, and it
# removes what it made.
_TREE_MAKER = """
import fcntl, os, shutil, sys, tempfile
site, skeleton, listing = sys.argv[1:4]
work = tempfile.mkdtemp(prefix=os.path.basename(skeleton) + "-", dir=os.path.dirname(skeleton))
try:
    lock = os.open(work, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    made = []
    def stop(error):
        raise error
    for top, folders, files in os.walk(site, onerror=stop):
        for name in folders:
            path = os.path.join(top, name)
            if not os.path.islink(path):
                made.append(os.path.relpath(path, site))
                os.mkdir(os.path.join(work, made[-1]))
    with open(os.path.join(work, listing), "w", encoding="utf-8") as fh:
        fh.write("\\n".join(made))
    if not os.path.lexists(skeleton):
        os.rename(work, skeleton)
        sys.exit()
except OSError:
    pass
shutil.rmtree(work, ignore_errors=True)
"""


def skeleton(target: Path) -> Path:
    """Where the emptied folder tree of `target`'s previous version waits for the next build."""
    return Path(target).parent / f".{Path(target).name}-kerangka"


def adopt_folders(into: Path, tree: Path) -> list[str] | None:
    """Move the folders of `tree` (the emptied folders of an earlier site,
    `replace_folder(..., recycle=True)`) into `into`, merging into folders `into` already has,
    and remove what is left of `tree`. Nothing happens when `tree` is not there (yet), and a
    failure only costs the time it would have saved. Later, `prune_empty` or
    `prune_adopted` removes the folders the new build did not use. Returns the adopted
    folders (relative paths), when `tree` lists them and all were adopted, else None."""
    tree = Path(tree)
    try:
        taken = Path(tempfile.mkdtemp(prefix=f"{tree.name}-", dir=tree.parent))
    except OSError:
        return None
    try:
        tree.rename(taken)  # onto the empty folder just made: no other build can take it now
    except OSError:  # none ready (the first build, or its files are still being deleted)
        taken.rmdir()
        return None
    try:
        listed = (taken / FOLDER_LIST).read_text(encoding="utf-8").split("\n")
    except OSError:
        listed = None
    try:
        _merge(taken, Path(into))
    except OSError as exc:
        logger.warning("folder lama tidak dapat dipakai ulang: %s", exc)
        listed = None
    remove_folder(taken, background=True)  # what was not adopted (usually nothing)
    return [name for name in listed if name] if listed is not None else None


def _merge(source: Path, into: Path) -> None:
    with os.scandir(source) as entries:
        for entry in entries:
            if not entry.is_dir(follow_symlinks=False):
                continue
            target = into / entry.name
            if not os.path.lexists(target):
                os.rename(entry.path, target)
            elif target.is_dir() and not target.is_symlink():
                _merge(Path(entry.path), target)


def prune_empty(folder: Path) -> list[str]:
    """Remove every folder under `folder` that holds no file, deepest first (folders of pages
    a recycled tree had and this build did not write). Return the HTML files found on the
    way, as `pagecache.built_pages(folder)` lists them: the sitemap and the search index
    need not walk 20 000 folders again."""
    found: list[str] = []

    def visit(path: str, prefix: str) -> bool:
        files, folders = [], []
        with os.scandir(path) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    folders.append(entry.name)
                else:
                    files.append(entry.name)
        found.extend(prefix + name for name in sorted(files) if name.endswith(".html"))
        empty = not files
        for name in sorted(folders):
            inner = os.path.join(path, name)
            if visit(inner, f"{prefix}{name}/"):
                os.rmdir(inner)
            else:
                empty = False
        return empty

    visit(os.fspath(folder), "")
    return found


_KNOWN: dict[str, tuple[list[str], list[str]]] = {}


def hand_over_known(site: Path, adopted: list[str], files: list[str]) -> None:
    """Leave, for `take_known` once the build of `site` is done, the folders it adopted and
    every file it wrote but those some folders may hold besides (`prune_adopted`); only the
    last build's are kept."""
    _KNOWN.clear()
    _KNOWN[os.path.realpath(site)] = (adopted, files)


def take_known(site: Path) -> tuple[list[str], list[str]] | None:
    """What `hand_over_known` left for `site`, once; None when nothing was (then the folders
    are read: `prune_empty`)."""
    return _KNOWN.pop(os.path.realpath(site), None)


def prune_adopted(folder: Path, adopted: list[str], files: list[str]) -> list[str]:
    """`prune_empty` without reading 20 000 folders, for a build that knows them: remove each
    of the `adopted` folders (`adopt_folders`, and any other folder that may have been left
    empty) that is empty, given `files`, every file written into `folder` but those some
    folders may hold besides (downloads, copies: a folder holding one is not empty and
    stays), as relative paths. Returns the HTML files of `files` in the order `prune_empty`
    would find them."""
    holding: set[str] = set()
    for path in files:
        parent = path.rpartition("/")[0]
        while parent and parent not in holding:
            holding.add(parent)
            parent = parent.rpartition("/")[0]
    root = os.fspath(folder)
    for name in sorted((f for f in adopted if f not in holding), key=lambda f: -f.count("/")):
        try:
            os.rmdir(os.path.join(root, name))  # deepest first: a parent after its folders
        except OSError:  # not empty, or gone
            pass
    return sorted((path for path in files if path.endswith(".html")), key=_walk_order)


def _walk_order(path: str) -> str:
    """Sorts paths as `prune_empty`'s walk meets them: a folder's files by name, then its
    folders by name. A text, compared in C: each folder's name between \x02 and \x01, the
    file's after \x00 (a file before any folder, a name before the longer names it
    begins)."""
    folder, _, name = path.rpartition("/")
    return ("\x02" + folder.replace("/", "\x01\x02") + "\x01" if folder else "") + "\x00" + name


def replace_folder(target: Path, fresh: Path, background: bool = False,
                   recycle: bool = False) -> None:
    """Put `fresh` (a sibling of `target`) in its place: two renames on the same file system,
    then the previous folder is removed. With `background`, the removal (seconds for a
    national site's 30 000 files) is left to a detached process, so the caller returns as
    soon as the new folder is in place; with `recycle` too, that process keeps the previous
    folder tree, emptied of files, at `skeleton(target)` for the next `adopt_folders`.
    Previous folders an interrupted or detached removal left behind are removed too."""
    target, fresh = Path(target), Path(fresh)
    name = glob.escape(target.name)
    for pattern in (f".{name}-lama", f".{name}-lama-{'[!.]' * 8}",  # ours, as mkdtemp names
                    f".{name}-kerangka-{'[!.]' * 8}"):
        for left in target.parent.glob(pattern):
            remove_folder(left, background)
    old = None
    if target.exists():
        # A unique name: a detached removal of an earlier folder may still be running.
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-lama-", dir=target.parent))
        target.rename(old)  # onto the empty folder just made
    fresh.rename(target)
    if old is not None:
        remove_folder(old, background, skeleton(target) if recycle else None)
    elif recycle and background and not os.path.lexists(skeleton(target)):
        subprocess.Popen([sys.executable, "-c", _TREE_MAKER, str(target),
                          str(skeleton(target)), FOLDER_LIST],
                         start_new_session=True, stdin=subprocess.DEVNULL,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, close_fds=True)


def remove_folder(folder: Path, background: bool = False, keep_tree: Path | None = None) -> None:
    """Remove `folder` and everything in it (unless another removal is at work on it), now or
    (with `background`) in a detached process; with `keep_tree`, that process removes only
    the files and moves the emptied folder tree there (if nothing is there yet)."""
    if background:
        subprocess.Popen([sys.executable, "-c", _REMOVER, str(folder)]
                         + ([str(keep_tree), FOLDER_LIST] if keep_tree else []),
                         start_new_session=True,
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, close_fds=True)
        return
    try:  # the same lock as _REMOVER's
        lock = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:
        return
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        shutil.rmtree(folder, ignore_errors=True)
    except OSError:
        pass  # another removal has it
    finally:
        os.close(lock)
