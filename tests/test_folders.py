"""Swapping and recycling site folders: a build writes into the emptied folders of the site
before last, and never finds a file it did not write."""

from __future__ import annotations

import fcntl
import os
import time
from pathlib import Path

from etalase import folders


def _wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.05)
    return condition()


def _site(root: Path) -> Path:
    for page in ("layanan/ktp-el", "layanan/akta-kelahiran", "data/skm"):
        (root / page).mkdir(parents=True)
        (root / page / "index.html").write_text("<p>lama</p>", encoding="utf-8")
    (root / ".tersembunyi").write_text("x", encoding="utf-8")
    os.symlink(root / "layanan", root / "tautan")
    return root


SITE_FOLDERS = ["data", "data/skm", "layanan", "layanan/akta-kelahiran", "layanan/ktp-el"]


def _assert_empty_tree_of_the_site(kept: Path) -> None:
    """`kept` holds the folders of `_site` and nothing else, with the list of them, so that
    the build that adopts them need not read them."""
    assert sorted(p.relative_to(kept).as_posix() for p in kept.rglob("*")) == sorted(
        SITE_FOLDERS + [folders.FOLDER_LIST])
    assert sorted((kept / folders.FOLDER_LIST).read_text(encoding="utf-8").split("\n")) == \
        SITE_FOLDERS


def test_the_previous_site_is_emptied_of_files_and_its_folders_kept(tmp_path):
    output = _site(tmp_path / "output")
    fresh = tmp_path / "baru"
    fresh.mkdir()
    folders.replace_folder(output, fresh, background=True, recycle=True)
    kept = folders.skeleton(output)
    assert _wait_for(kept.exists)
    _assert_empty_tree_of_the_site(kept)
    assert _wait_for(lambda: not list(tmp_path.glob(".output-lama*")))


def test_a_site_put_where_there_was_none_leaves_its_empty_folder_tree_for_the_next(tmp_path):
    # The first build of a preview has no earlier site to recycle: its own folder tree is
    # copied, empty, so the first rebuild after it does not make 20 000 folders itself.
    fresh = _site(tmp_path / "baru")
    output = tmp_path / "output"
    folders.replace_folder(output, fresh, background=True, recycle=True)
    kept = folders.skeleton(output)
    assert _wait_for(kept.exists)
    _assert_empty_tree_of_the_site(kept)
    assert (output / "layanan" / "ktp-el" / "index.html").is_file()  # the site is untouched
    assert not list(tmp_path.glob(".output-kerangka-*"))  # no work folder left
    # the next build adopts them, and a tree already waiting is not made again
    into = tmp_path / "berikut"
    into.mkdir()
    assert sorted(folders.adopt_folders(into, kept)) == SITE_FOLDERS
    other = tmp_path / "lain"
    (folders.skeleton(other) / "tanda").mkdir(parents=True)
    folders.replace_folder(other, _site(tmp_path / "baru"), background=True, recycle=True)
    time.sleep(1)
    assert [p.name for p in folders.skeleton(other).iterdir()] == ["tanda"]
    assert not list(tmp_path.glob(".lain-kerangka-*"))


def test_a_second_emptied_tree_is_removed_when_one_is_waiting(tmp_path):
    kept = folders.skeleton(tmp_path / "output")
    (kept / "layanan" / "lain").mkdir(parents=True)
    output = _site(tmp_path / "output")
    fresh = tmp_path / "baru"
    fresh.mkdir()
    folders.replace_folder(output, fresh, background=True, recycle=True)
    assert _wait_for(lambda: not list(tmp_path.glob(".output-lama*")))
    assert sorted(p.name for p in (kept / "layanan").iterdir()) == ["lain"]


def test_adopted_folders_merge_into_the_new_site_and_unused_ones_are_pruned(tmp_path):
    tree = tmp_path / ".output-kerangka"
    for folder in ("layanan/ktp-el", "layanan/akta-kelahiran", "data/skm", "data/pengaduan"):
        (tree / folder).mkdir(parents=True)
    staging = tmp_path / "baru"
    (staging / "data" / "skm").mkdir(parents=True)  # downloads are written before the pages
    (staging / "data" / "skm" / "skm.csv").write_text("a\n", encoding="utf-8")
    adopted = (tree / "layanan" / "ktp-el").stat().st_ino
    folders.adopt_folders(staging, tree)
    assert not tree.exists()
    assert (staging / "layanan" / "ktp-el").stat().st_ino == adopted
    assert (staging / "data" / "pengaduan").is_dir()  # merged one level down
    (staging / "layanan" / "ktp-el" / "index.html").write_text("baru", encoding="utf-8")
    (staging / "index.html").write_text("beranda", encoding="utf-8")
    # The walk that prunes also lists the pages, as the sitemap and the search index list
    # them (so they need not walk the site again).
    from etalase.pagecache import built_pages

    assert folders.prune_empty(staging) == ["index.html", "layanan/ktp-el/index.html"]
    assert built_pages(staging) == ["index.html", "layanan/ktp-el/index.html"]
    assert sorted(p.relative_to(staging).as_posix() for p in staging.rglob("*")) == [
        "data", "data/skm", "data/skm/skm.csv", "index.html", "layanan", "layanan/ktp-el",
        "layanan/ktp-el/index.html"]
    folders.adopt_folders(staging, tree)  # none waiting: nothing happens
    # what was not adopted (the skeleton's own folder) is removed in the background
    assert _wait_for(lambda: sorted(p.name for p in tmp_path.iterdir()) == ["baru"])


def test_a_folder_another_removal_is_working_on_is_left_to_it(tmp_path):
    # A build cleaning up what an earlier one left must not delete, through a folder the
    # earlier build's removal is still emptying, the folders the next build adopts.
    busy = tmp_path / ".output-lama-abcdefgh"
    (busy / "layanan").mkdir(parents=True)
    lock = os.open(busy, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folders.remove_folder(busy)
        assert (busy / "layanan").is_dir()
        folders.remove_folder(busy, background=True)
        time.sleep(1)
        assert (busy / "layanan").is_dir()
    finally:
        os.close(lock)
    folders.remove_folder(busy)
    assert not busy.exists()


def test_a_build_that_knows_its_adopted_folders_prunes_as_the_walk_does(tmp_path):
    # Reading 20 000 folders to find the empty ones took a national rebuild 0.27 s. The
    # emptied tree lists its folders; with what the build wrote, the same folders go and the
    # same pages are found, in the same order, without reading the folders.
    import shutil

    output = tmp_path / "output"
    for page in ("layanan/ktp-el", "layanan/akta-kelahiran", "layanan/kk/cetak", "data/skm",
                 "data/lama", "statistik/layanan/kk"):
        (output / page).mkdir(parents=True)
        (output / page / "index.html").write_text("lama", encoding="utf-8")
    fresh = tmp_path / "baru"
    fresh.mkdir()
    folders.replace_folder(output, fresh, background=True, recycle=True)
    assert _wait_for(folders.skeleton(output).exists)
    results = []
    for name in ("dibaca", "diketahui"):
        staging = tmp_path / name
        shutil.copytree(folders.skeleton(output), tmp_path / f".{name}-kerangka")
        (staging / "data" / "skm").mkdir(parents=True)
        (staging / "data" / "skm" / "skm.csv").write_text("a\n", encoding="utf-8")  # a download
        adopted = folders.adopt_folders(staging, tmp_path / f".{name}-kerangka")
        written = ["layanan/kk/index.html", "index.html", "layanan/ktp-el/index.html",
                   "statistik/index.html", "data/skm/index.html", "feeds/semua.atom.xml"]
        for path in written:
            (staging / path).parent.mkdir(parents=True, exist_ok=True)
            (staging / path).write_text("baru", encoding="utf-8")
        (staging / "data" / "lama" / "lama.csv").write_text("a\n", encoding="utf-8")  # later
        if name == "dibaca":
            assert adopted is not None
            pages = folders.prune_empty(staging)
        else:  # the pages it wrote, not the download: a folder that holds one stays
            pages = folders.prune_adopted(staging, adopted, written)
        results.append((pages, sorted(p.relative_to(staging).as_posix()
                                      for p in staging.rglob("*"))))
    assert results[0] == results[1]
    assert results[1][0] == ["index.html", "data/skm/index.html", "layanan/kk/index.html",
                             "layanan/ktp-el/index.html", "statistik/index.html"]
    assert {"data/skm/skm.csv", "data/lama/lama.csv"} <= set(results[1][1])
    assert "layanan/akta-kelahiran" not in results[1][1]
    assert "layanan/kk/cetak" not in results[1][1] and "statistik/layanan" not in results[1][1]
