"""Replace a folder with a freshly made one, so readers find the old or the new, never a half.

Used for the published site (`build.py`) and for the archive kept in the cache (`archive.py`).
"""

from __future__ import annotations

import shutil
from pathlib import Path


def replace_folder(target: Path, fresh: Path) -> None:
    """Put `fresh` (a sibling of `target`) in its place: two renames on the same file system,
    then the previous folder is removed."""
    old = target.with_name(f".{target.name}-lama")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
