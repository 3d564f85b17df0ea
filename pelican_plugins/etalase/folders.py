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
# leaves it alone. Given a second path, it deletes the files only and renames the emptied
# tree there, unless another tree is already there; any error, and it removes everything.
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
        for top, folders, files in os.walk(folder, onerror=stop):
            for name in files + [f for f in folders if os.path.islink(os.path.join(top, f))]:
                os.unlink(os.path.join(top, name))
        os.rename(folder, keep[0])
        sys.exit()
    except OSError:
        pass
shutil.rmtree(folder, ignore_errors=True)
"""


def skeleton(target: Path) -> Path:
    """Where the emptied folder tree of `target`'s previous version waits for the next build."""
    return Path(target).parent / f".{Path(target).name}-kerangka"


def adopt_folders(into: Path, tree: Path) -> None:
    """Move the folders of `tree` (the emptied folders of an earlier site,
    `replace_folder(..., recycle=True)`) into `into`, merging into folders `into` already has,
    and remove what is left of `tree`. Nothing happens when `tree` is not there (yet), and a
    failure only costs the time it would have saved. `prune_empty` later removes the folders
    the new build did not use."""
    tree = Path(tree)
    try:
        taken = Path(tempfile.mkdtemp(prefix=f"{tree.name}-", dir=tree.parent))
    except OSError:
        return
    try:
        tree.rename(taken)  # onto the empty folder just made: no other build can take it now
    except OSError:  # none ready (the first build, or its files are still being deleted)
        taken.rmdir()
        return
    try:
        _merge(taken, Path(into))
    except OSError as exc:
        logger.warning("folder lama tidak dapat dipakai ulang: %s", exc)
    remove_folder(taken, background=True)  # what was not adopted (usually nothing)


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


def remove_folder(folder: Path, background: bool = False, keep_tree: Path | None = None) -> None:
    """Remove `folder` and everything in it (unless another removal is at work on it), now or
    (with `background`) in a detached process; with `keep_tree`, that process removes only
    the files and moves the emptied folder tree there (if nothing is there yet)."""
    if background:
        subprocess.Popen([sys.executable, "-c", _REMOVER, str(folder)]
                         + ([str(keep_tree)] if keep_tree else []), start_new_session=True,
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
