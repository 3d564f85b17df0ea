"""Replace a folder with a freshly made one, so readers find the old or the new, never a half.

Used for the published site (`build.py`) and for the archive kept in the cache (`archive.py`).
"""

from __future__ import annotations

import glob
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

# Removes one folder in a process of its own, which outlives the build that started it.
_REMOVER = "import shutil, sys; shutil.rmtree(sys.argv[1], ignore_errors=True)"


def replace_folder(target: Path, fresh: Path, background: bool = False) -> None:
    """Put `fresh` (a sibling of `target`) in its place: two renames on the same file system,
    then the previous folder is removed. With `background`, the removal (seconds for a
    national site's 30 000 files) is left to a detached process, so the caller returns as
    soon as the new folder is in place. Previous folders an interrupted or detached removal
    left behind are removed too."""
    target, fresh = Path(target), Path(fresh)
    name = glob.escape(target.name)
    for pattern in (f".{name}-lama", f".{name}-lama-{'[!.]' * 8}"):  # ours, as mkdtemp names
        for left in target.parent.glob(pattern):
            remove_folder(left, background)
    old = None
    if target.exists():
        # A unique name: a detached removal of an earlier folder may still be running.
        old = Path(tempfile.mkdtemp(prefix=f".{target.name}-lama-", dir=target.parent))
        target.rename(old)  # onto the empty folder just made
    fresh.rename(target)
    if old is not None:
        remove_folder(old, background)


def remove_folder(folder: Path, background: bool = False) -> None:
    """Remove `folder` and everything in it, now or (with `background`) in a detached process."""
    if not background:
        shutil.rmtree(folder, ignore_errors=True)
        return
    subprocess.Popen([sys.executable, "-c", _REMOVER, str(folder)], start_new_session=True,
                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                     stderr=subprocess.DEVNULL, close_fds=True)
