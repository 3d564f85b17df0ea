"""Dataset history from git: versions with dates, messages and row-level changes; old versions
downloadable; graceful without git and in shallow clones; an Atom feed to subscribe to."""

from __future__ import annotations

import csv
import logging
import os
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from conftest import build_site
from factories import PROVIDER_COLUMNS, SERVICE_COLUMNS, provider, service, write_csv

from etalase import history
from etalase.schema import load_schema

ATOM = "{http://www.w3.org/2005/Atom}"
SCHEMA = load_schema("standar-pelayanan")


class Repo:
    """A throw-away git repository whose commits have fixed dates."""

    def __init__(self, root: Path):
        self.root = root
        self.data = root / "data"
        self.data.mkdir(parents=True, exist_ok=True)
        self.clock = 1_735_700_000  # 2025-01-01 03:53 UTC, then one day per commit
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str) -> str:
        env = {**os.environ, "GIT_AUTHOR_NAME": "Staf", "GIT_AUTHOR_EMAIL": "staf@contoh.example",
               "GIT_COMMITTER_NAME": "Staf", "GIT_COMMITTER_EMAIL": "staf@contoh.example",
               "GIT_AUTHOR_DATE": f"@{self.clock} +0700", "GIT_COMMITTER_DATE": f"@{self.clock} +0700"}
        return subprocess.run(["git", *args], cwd=self.root, env=env, check=True,
                              capture_output=True, text=True).stdout

    def commit(self, message: str, services=None, providers=None) -> str:
        if providers is not None:
            write_csv(self.data / "penyelenggara.csv", PROVIDER_COLUMNS, providers)
        if services is not None:
            write_csv(self.data / "standar-pelayanan.csv", SERVICE_COLUMNS, services)
        self.clock += 86_400
        self.git("add", "-A")
        self.git("commit", "-q", "-m", message)
        return self.git("rev-parse", "HEAD").strip()


def _three(**changes):
    rows = [service(kode="akta-kelahiran"), service(kode="ktp-el", nama="Penerbitan KTP-el"),
            service(kode="kartu-keluarga", nama="Kartu Keluarga")]
    for row in rows:
        row.update(changes.get(row["kode"], {}))
    return rows


@pytest.fixture
def repo(tmp_path) -> Repo:
    repo = Repo(tmp_path / "repo")
    repo.commit("Standar pelayanan pertama", services=_three()[:2], providers=[provider()])
    repo.commit("Tambah layanan Kartu Keluarga; biaya KTP-el berubah",
                services=_three(**{"ktp-el": {"biaya_rupiah": "10000", "biaya": "Rp10.000"}}))
    repo.commit("Hapus layanan akta kelahiran",
                services=_three(**{"ktp-el": {"biaya_rupiah": "10000", "biaya": "Rp10.000"}})[1:])
    return repo


def test_each_version_has_its_date_message_and_the_rows_added_removed_and_changed(repo):
    past = history.dataset_history(repo.data / "standar-pelayanan.csv", SCHEMA)
    assert past.in_git and not past.shallow
    assert [v.commit.subject for v in past.versions] == [
        "Hapus layanan akta kelahiran", "Tambah layanan Kartu Keluarga; biaya KTP-el berubah",
        "Standar pelayanan pertama"]
    newest, middle, first = past.versions
    assert (newest.diff.added, newest.diff.removed, newest.diff.changed) == (0, 1, 0)
    assert (middle.diff.added, middle.diff.removed, middle.diff.changed) == (1, 0, 1)
    assert first.diff is None and first.rows == 2
    assert newest.rows == 2
    assert newest.commit.when > middle.commit.when > first.commit.when
    assert newest.commit.when.tz is not None


def test_rows_are_matched_by_primary_key_so_reordering_changes_nothing(repo):
    repo.commit("Urutkan ulang", services=list(reversed(
        _three(**{"ktp-el": {"biaya_rupiah": "10000", "biaya": "Rp10.000"}})[1:])))
    reordered = history.dataset_history(repo.data / "standar-pelayanan.csv", SCHEMA).versions[0]
    assert reordered.diff.empty


def test_without_a_primary_key_an_edited_row_counts_as_removed_and_added():
    old = pd.DataFrame({"a": ["x", "y", "y"], "b": [1, 2, 2]})
    new = pd.DataFrame({"a": ["y", "x", "z"], "b": [2, 9, 3]})
    diff = history.row_diff(old, new, ["a", "b"], key=[])
    assert (diff.added, diff.removed, diff.changed, diff.by_key) == (2, 2, 0, False)


def test_values_that_only_differ_in_type_are_not_reported_as_changes():
    old = pd.DataFrame({"kode": ["a"], "n": pd.array([5], dtype="Int64")})
    new = pd.DataFrame({"kode": ["a"], "n": [5]})
    assert history.row_diff(old, new, ["kode", "n"], ["kode"]).empty


def test_modified_is_the_last_commit_that_touched_the_source_not_any_later_commit(repo):
    before = history.dataset_history(repo.data / "standar-pelayanan.csv", SCHEMA).modified
    repo.commit("Hanya penyelenggara berubah", providers=[provider(telepon="(0761) 555-0199")])
    after = history.dataset_history(repo.data / "standar-pelayanan.csv", SCHEMA).modified
    assert after == before
    assert history.dataset_history(repo.data / "penyelenggara.csv",
                                   load_schema("penyelenggara")).modified.subject == \
        "Hanya penyelenggara berubah"


def test_outside_git_there_is_simply_no_history(tmp_path):
    write_csv(tmp_path / "standar-pelayanan.csv", SERVICE_COLUMNS, [service()])
    past = history.dataset_history(tmp_path / "standar-pelayanan.csv", SCHEMA)
    assert not past.in_git and past.versions == [] and past.modified is None


def test_a_shallow_clone_shows_the_history_it_has_and_says_it_is_shallow(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    past = history.dataset_history(clone / "data" / "standar-pelayanan.csv", SCHEMA)
    assert past.shallow
    assert [v.commit.subject for v in past.versions] == ["Hapus layanan akta kelahiran"]
    assert past.versions[0].rows == 2 and past.versions[0].diff is None


def test_a_version_whose_header_no_longer_fits_the_schema_is_listed_but_not_compared(repo):
    path = repo.data / "standar-pelayanan.csv"
    text = path.read_text(encoding="utf-8").replace("biaya_rupiah", "biaya_rp", 1)
    path.write_text(text, encoding="utf-8")
    repo.commit("Kolom salah nama")
    repo.commit("Kolom dibetulkan", services=_three()[1:])
    broken, fixed = history.dataset_history(path, SCHEMA).versions[1], \
        history.dataset_history(path, SCHEMA).versions[0]
    assert not broken.readable and broken.diff is None
    assert fixed.readable and fixed.diff is None  # nothing readable right before it


def test_only_the_newest_versions_are_compared_when_there_are_many(repo):
    past = history.dataset_history(repo.data / "standar-pelayanan.csv", SCHEMA, limit=2)
    assert past.truncated and len(past.versions) == 3
    assert past.versions[1].diff is not None  # compared with the version outside the window
    assert not past.versions[2].readable


def test_comparing_large_tables_takes_linear_time():
    rows = 400_000
    old = pd.DataFrame({"kode": [f"k{i}" for i in range(rows)], "nilai": range(rows)})
    new = old.sample(frac=1, random_state=1).reset_index(drop=True)  # same rows, shuffled
    new.loc[new.index[:1000], "nilai"] = -1
    start = time.perf_counter()
    diff = history.row_diff(old, new, ["kode", "nilai"], ["kode"])
    elapsed = time.perf_counter() - start
    assert (diff.added, diff.removed, diff.changed) == (0, 0, 1000)
    assert elapsed < 15, f"{rows} rows took {elapsed:.1f} s"


def _facts(past: history.History) -> list:
    return [(v.commit.sha, v.readable, v.rows, v.problems, v.diff) for v in past.versions]


def test_the_comparison_by_row_hashes_counts_as_the_comparison_of_the_rows():
    # A version is kept only as a hash of each row and of its key while the next is read
    # (two versions of a 2 M-row register took 1.76 GB together).
    old = pd.DataFrame({"kode": ["a", "b", "b", "c"], "n": [1, 2, 2, 3], "t": ["x", "y", "y", None]})
    new = pd.DataFrame({"kode": ["c", "a", "d", "b"], "n": [3, 9, 4, 2], "t": [None, "x", "z", "y"]})
    for key in (["kode"], []):
        columns = ["kode", "n", "t", "tidak-ada"]
        by_hashes = history.basis_diff(history.basis(old, columns, key),
                                       history.basis(new, columns, key))
        assert by_hashes == history.row_diff(old, new, columns, key)
    assert history.basis_diff(history.basis(old, ["kode", "n"], ["kode"]),
                              history.basis(new, ["kode", "n"], ["kode"])) == \
        history.RowDiff(added=1, removed=0, changed=1)
    # a column of another type in one version: the rows must be compared as text
    retyped = new.assign(n=pd.array([3, 9, 4, 2], dtype="Int64"))
    assert history.basis_diff(history.basis(old, ["kode", "n"], ["kode"]),
                              history.basis(retyped, ["kode", "n"], ["kode"])) is None


def test_after_a_new_commit_only_the_new_version_is_read(repo, monkeypatch):
    path = repo.data / "standar-pelayanan.csv"
    first = history.Compared()
    history.dataset_history(path, SCHEMA, found=first)
    repo.commit("Biaya KTP-el turun", services=_three(**{"ktp-el": {"biaya_rupiah": "5000",
                                                                     "biaya": "Rp5.000"}})[1:])
    repo.commit("Kartu Keluarga gratis", services=_three(**{"kartu-keluarga": {
        "biaya_rupiah": "0"}})[1:])
    read = []
    parse = history.parse_version
    monkeypatch.setattr(history, "parse_version",
                        lambda data, *args: read.append(args[1]) or parse(data, *args))
    published = []
    again = history.Compared()
    past = history.dataset_history(path, SCHEMA, earlier=first, found=again,
                                   publish=lambda v, frame: published.append(v.slug) or v.slug,
                                   reuse=lambda v, what: what is None)
    newest = history.commits(path)
    assert [r.rpartition("@")[2] for r in read] == [newest[1].short, newest[0].short]
    assert published == [newest[1].slug, newest[0].slug]
    monkeypatch.setattr(history, "parse_version", parse)
    assert _facts(past) == _facts(history.dataset_history(path, SCHEMA))
    assert list(again.versions) == [c.sha for c in reversed(newest)]
    assert again.newest[0] == newest[0].sha

    # The caller no longer has what it published of a version (its file): it is read again,
    # after the version before it, to compare them (one version's rows held at a time).
    read.clear()
    monkeypatch.setattr(history, "parse_version",
                        lambda data, *args: read.append(args[1]) or parse(data, *args))
    history.dataset_history(path, SCHEMA, earlier=again, publish=lambda v, frame: v.slug,
                            reuse=lambda v, what: v.commit.sha != newest[2].sha)
    assert [r.rpartition("@")[2] for r in read] == [newest[3].short, newest[2].short]


def test_one_version_s_rows_are_held_at_a_time(repo, monkeypatch):
    # Two versions of a 2 M-row register held together took 1.76 GB: the version before is
    # kept as its row hashes only, and read (when it must be) before the next one.
    import gc
    import weakref

    path = repo.data / "standar-pelayanan.csv"
    repo.commit("Biaya KTP-el turun", services=_three(**{"ktp-el": {"biaya_rupiah": "5000",
                                                                     "biaya": "Rp5.000"}})[1:])
    alive, most = [], [0]
    parse = history.parse_version

    def counted(data, *args):
        gc.collect()
        most[0] = max(most[0], 1 + sum(ref() is not None for ref in alive))
        parsed = parse(data, *args)
        if parsed:
            alive.append(weakref.ref(parsed[0]))
        return parsed

    monkeypatch.setattr(history, "parse_version", counted)
    earlier = history.Compared()
    history.dataset_history(path, SCHEMA, limit=2, found=earlier)  # reads one outside too
    newest = history.commits(path)
    history.dataset_history(path, SCHEMA, earlier=earlier,
                            reuse=lambda v, what: v.commit.sha != newest[0].sha)
    assert most[0] == 1


def test_versions_whose_columns_differ_in_type_are_compared_as_text(repo, monkeypatch):
    path = repo.data / "standar-pelayanan.csv"
    expected = _facts(history.dataset_history(path, SCHEMA))
    monkeypatch.setattr(history, "basis_diff", lambda old, new: None)  # as if retyped
    assert _facts(history.dataset_history(path, SCHEMA)) == expected


def test_a_rewritten_history_or_a_moved_window_is_compared_as_a_fresh_run_would(repo):
    path = repo.data / "standar-pelayanan.csv"
    earlier = history.Compared()
    history.dataset_history(path, SCHEMA, limit=2, found=earlier)
    repo.commit("Urutkan ulang", services=list(reversed(
        _three(**{"ktp-el": {"biaya_rupiah": "10000", "biaya": "Rp10.000"}})[1:])))
    moved = history.dataset_history(path, SCHEMA, limit=2, earlier=earlier)
    assert _facts(moved) == _facts(history.dataset_history(path, SCHEMA, limit=2))
    assert moved.truncated and moved.versions[1].diff is not None
    repo.git("commit", "-q", "--amend", "-m", "Urutkan ulang (dibetulkan)")
    amended = history.dataset_history(path, SCHEMA, limit=2, earlier=earlier)
    assert _facts(amended) == _facts(history.dataset_history(path, SCHEMA, limit=2))


# --- on the built site -------------------------------------------------------------------


@pytest.fixture
def built(repo, tmp_path) -> Path:
    return build_site(tmp_path / "out", repo.data)


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "lxml")


def test_a_build_asks_git_each_question_once_and_the_next_build_asks_again(
        repo, tmp_path, monkeypatch):
    # A source file's last change is wanted by its DIP entry, its catalogue entry and its
    # history: at national scale 70 runs of git answered 15 questions in every build. A
    # commit between two builds is seen by the second.
    asked = []
    git = history._git
    monkeypatch.setattr(history, "_git", lambda cwd, *args, **kw: asked.append(
        (str(cwd), args)) or git(cwd, *args, **kw))
    build_site(tmp_path / "one", repo.data)
    assert asked and len(asked) == len(set(asked))
    logs = {question for question in asked if question[1][0] == "log"}
    repo.commit("Biaya KTP-el kembali gratis", services=_three()[1:])
    asked.clear()
    site = build_site(tmp_path / "two", repo.data)
    assert len(asked) == len(set(asked))
    assert {question for question in asked if question[1][0] == "log"} == logs
    page = _soup(site / "data" / "standar-pelayanan" / "index.html")
    assert "Biaya KTP-el kembali gratis" in page.get_text(" ")
    # Outside a build, each call asks git again.
    path = repo.data / "standar-pelayanan.csv"
    before = history.commits(path)
    repo.commit("Hapus layanan KTP-el", services=_three()[2:])
    assert len(history.commits(path)) == len(before) + 1


def test_git_asked_ahead_about_many_files_answers_as_asking_one_at_a_time(repo, monkeypatch):
    # The DIP asks about every source file: asked together (their git processes overlap),
    # the answers are those of asking one by one, and nobody asks again.
    paths = [repo.data / "standar-pelayanan.csv", repo.data / "penyelenggara.csv", repo.data]
    one_by_one = [history.commits(path) for path in paths]
    asked = []
    git = history._git
    monkeypatch.setattr(history, "_git", lambda cwd, *args, **kw: asked.append(args) or git(
        cwd, *args, **kw))
    with history.answers_kept():
        history.ask_ahead([*paths, paths[0], repo.data / "tidak-ada.csv"])
        assert len(asked) == len(paths)
        assert [history.commits(path) for path in paths] == one_by_one
        assert len(asked) == len(paths)
    assert [len(found) for found in one_by_one] == [3, 1, 3]


def test_the_landing_page_shows_each_version_with_its_row_summary(built):
    page = _soup(built / "data" / "standar-pelayanan" / "index.html")
    rows = [[c.get_text(" ", strip=True) for c in tr.select("td")]
            for tr in page.select("table.history tbody tr")]
    assert [r[1] for r in rows] == ["Hapus layanan akta kelahiran",
                                    "Tambah layanan Kartu Keluarga; biaya KTP-el berubah",
                                    "Standar pelayanan pertama"]
    assert "0 baris ditambah, 1 baris dihapus, 0 baris diubah" in rows[0][2]
    assert "1 baris ditambah, 0 baris dihapus, 1 baris diubah" in rows[1][2]
    assert "versi pertama" in rows[2][2]
    assert rows[2][0] == "2 Januari 2025"


def test_past_versions_stay_downloadable_at_urls_that_name_the_version(built, repo):
    first = repo.git("log", "--reverse", "--format=%h", "--", "data/standar-pelayanan.csv") \
        .split()[0]
    page = _soup(built / "data" / "standar-pelayanan" / "index.html")
    links = [a["href"] for a in page.select("table.history a")]
    expected = f"/data/standar-pelayanan/versi/20250102-{first}/standar-pelayanan.csv"
    assert expected in links
    with open(built / expected.lstrip("/"), encoding="utf-8", newline="") as fh:
        kodes = [row["kode"] for row in csv.DictReader(fh)]
    assert kodes == ["akta-kelahiran", "ktp-el"]  # the first version, not today's rows


def test_modified_on_the_landing_page_comes_from_git(built):
    page = _soup(built / "data" / "standar-pelayanan" / "index.html")
    main = page.select_one("dl.facts")
    facts = {dt.get_text(strip=True): dd for dt, dd in zip(main.select("dt"), main.select("dd"))}
    assert facts["Terakhir diperbarui"].select_one("time")["datetime"].startswith("2025-01-04T")
    assert facts["Pertama terbit"].get_text(strip=True) == "2 Januari 2025"


def test_atom_feeds_list_every_change_site_wide_and_per_dataset(built):
    one = ET.parse(built / "data" / "standar-pelayanan" / "perubahan.atom").getroot()
    titles = [e.findtext(f"{ATOM}title") for e in one.iter(f"{ATOM}entry")]
    assert titles == ["Standar pelayanan: Hapus layanan akta kelahiran",
                      "Standar pelayanan: Tambah layanan Kartu Keluarga; biaya KTP-el berubah",
                      "Standar pelayanan: Standar pelayanan pertama"]
    assert one.findtext(f"{ATOM}updated").startswith("2025-01-04T")
    first_summary = next(one.iter(f"{ATOM}entry")).findtext(f"{ATOM}summary")
    assert "1 baris dihapus" in first_summary
    everything = ET.parse(built / "data" / "perubahan.atom").getroot()
    ids = [e.findtext(f"{ATOM}id") for e in everything.iter(f"{ATOM}entry")]
    assert len(ids) == len(set(ids))
    per_dataset = set()
    for feed in (built / "data").glob("*/perubahan.atom"):
        per_dataset |= {e.findtext(f"{ATOM}id") for e in ET.parse(feed).getroot().iter(f"{ATOM}entry")}
    assert set(ids) == per_dataset  # the site-wide feed gathers every dataset's changes
    assert len([i for i in ids if "/data/standar-pelayanan/" in i]) == 3
    assert len([i for i in ids if "/data/penyelenggara/" in i]) == 1
    page = _soup(built / "data" / "standar-pelayanan" / "index.html")
    feeds = [link["href"] for link in page.select('link[rel=alternate][type="application/atom+xml"]')]
    assert "/data/standar-pelayanan/perubahan.atom" in feeds and "/data/perubahan.atom" in feeds


def test_a_site_built_outside_git_says_history_is_unavailable_and_still_builds(data_dir, tmp_path):
    out = build_site(tmp_path / "out", data_dir)
    page = _soup(out / "data" / "standar-pelayanan" / "index.html")
    assert "Riwayat tidak tersedia" in page.select_one("#riwayat").get_text()
    feed = ET.parse(out / "data" / "standar-pelayanan" / "perubahan.atom").getroot()
    assert list(feed.iter(f"{ATOM}entry")) == []
    assert feed.findtext(f"{ATOM}updated")  # dated by the build time, not the wall clock


def test_a_shallow_clone_builds_and_warns_that_history_is_partial(repo, tmp_path):
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{repo.root}", str(clone)],
                   check=True, capture_output=True)
    out = build_site(tmp_path / "out", clone / "data")
    section = _soup(out / "data" / "standar-pelayanan" / "index.html").select_one("#riwayat")
    assert "tidak lengkap" in section.get_text()
    assert len(section.select("table.history tbody tr")) == 1


def test_rebuilding_the_same_commit_gives_byte_identical_catalogue_files(repo, tmp_path,
                                                                        monkeypatch):
    # The build time is the project's last commit; pin it, as others may commit meanwhile.
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735800000")
    first = build_site(tmp_path / "one", repo.data)
    second = build_site(tmp_path / "two", repo.data)
    files = sorted(p.relative_to(first) for p in (first / "data").rglob("*") if p.is_file())
    assert any(p.suffix == ".zip" for p in files) and any(p.suffix == ".atom" for p in files)
    changed = [p for p in files if (first / p).read_bytes() != (second / p).read_bytes()]
    assert changed == []


def test_a_filtered_or_computed_table_never_republishes_old_rows_of_its_source(repo, tmp_path):
    from etalase import catalogue
    from etalase.datasets import Dataset
    from etalase.site import Site

    site = Site(data_dir=repo.data, root=repo.root)
    path = repo.data / "standar-pelayanan.csv"
    raw = history.parse_version(path.read_bytes(), ".csv", "x", SCHEMA)[0]
    whole = Dataset(id="standar-pelayanan", title="t", description="d", schema=SCHEMA,
                    frame=raw, theme="layanan", source="data/standar-pelayanan.csv")
    filtered = Dataset(id="layanan-berbayar", title="t", description="d", schema=SCHEMA,
                       frame=raw[raw["biaya_rupiah"] > 0], theme="layanan",
                       source="data/standar-pelayanan.csv")
    assert catalogue.is_source_table(whole, path)
    assert not catalogue.is_source_table(filtered, path)
    out = tmp_path / "out"
    entry = catalogue.make_entry(site, filtered, out)
    assert [v.commit.subject for v in entry.history.versions][-1] == "Standar pelayanan pertama"
    assert not entry.history.compared and entry.versions == {}
    assert not (out / "data" / "layanan-berbayar" / "versi").exists()
    assert catalogue.make_entry(site, whole, out).versions  # the table itself is versioned


def test_an_old_version_with_personal_data_is_listed_but_never_republished(repo, tmp_path):
    pytest.importorskip("etalase.privacy", reason="the personal-data scanner (privacy.py)")
    from etalase import catalogue
    from etalase.site import Site

    leaked = _three(**{"ktp-el": {"ringkasan": "Tanya lewat WhatsApp Pak Budi 0812-3456-7891"}})
    repo.commit("Ringkasan KTP-el", services=leaked[1:])
    repo.commit("Hapus nomor pribadi dari ringkasan", services=_three()[1:])
    site = Site(data_dir=repo.data, root=repo.root)
    path = repo.data / "standar-pelayanan.csv"
    frame = history.parse_version(path.read_bytes(), ".csv", "x", SCHEMA)[0]
    from etalase.datasets import Dataset

    dataset = Dataset(id="standar-pelayanan", title="t", description="d", schema=SCHEMA,
                      frame=frame, theme="layanan", source="data/standar-pelayanan.csv")
    entry = catalogue.make_entry(site, dataset, tmp_path / "out")
    slugs = {v.commit.subject: v.slug for v in entry.history.versions}
    assert slugs["Ringkasan KTP-el"] in entry.withheld
    assert slugs["Ringkasan KTP-el"] not in entry.versions
    assert slugs["Hapus nomor pribadi dari ringkasan"] in entry.versions
    written = b"".join(p.read_bytes() for p in (tmp_path / "out").rglob("*.csv"))
    assert b"0812-3456-7891" not in written


def test_a_rebuild_with_the_cache_reads_no_past_version_again(repo, tmp_path, monkeypatch):
    # Reading, checking, comparing and writing the past versions of every source table took
    # 12 s of each rebuild at national scale, and checking that a table is its source read
    # the source again (12 s more). With the cache on, a rebuild from the same commits takes
    # both from the cache and links the version files; the site is the same; a new commit's
    # version is read.
    from etalase import catalogue, pagecache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735800000")
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "one", repo.data, overrides=cache)
    read, compared = [], []
    parse, same = history.parse_version, catalogue.is_source_table
    monkeypatch.setattr(history, "parse_version",
                        lambda data, *args: read.append(args[1]) or parse(data, *args))
    def is_source_table(dataset, source):
        if source.is_file():  # what reads the source again
            compared.append(dataset.id)
        return same(dataset, source)

    monkeypatch.setattr(catalogue, "is_source_table", is_source_table)
    monkeypatch.setattr(pagecache.Tables, "_last_results", {})  # a process of its own
    again = build_site(tmp_path / "two", repo.data, overrides=cache)
    assert read == [] and compared == []
    full = build_site(tmp_path / "full", repo.data)
    files = sorted(p.relative_to(full) for p in (full / "data").rglob("*") if p.is_file())
    assert [p for p in files if "versi" in p.parts]
    assert sorted(p.relative_to(again) for p in (again / "data").rglob("*") if p.is_file()) \
        == files
    assert [p for p in files if (full / p).read_bytes() != (again / p).read_bytes()] == []

    read.clear()
    compared.clear()
    repo.commit("Biaya KTP-el turun", services=_three(**{"ktp-el": {"biaya_rupiah": "5000",
                                                                     "biaya": "Rp5.000"}})[1:])
    pagecache.Tables._last_results = {}
    newer = build_site(tmp_path / "three", repo.data, overrides=cache)
    # Only the new commit's version is read: the versions before it were read, checked and
    # compared by an earlier build, and the one before it is compared by its row hashes.
    newest = history.commits(repo.data / "standar-pelayanan.csv")[0]
    assert compared == ["standar-pelayanan"]
    assert [r.rpartition("@")[2] for r in read] == [newest.short]
    assert (newer / "data/standar-pelayanan/versi" / newest.slug /
            "standar-pelayanan.csv").is_file()
    full = build_site(tmp_path / "full-three", repo.data)
    files = sorted(p.relative_to(full) for p in (full / "data").rglob("*") if p.is_file())
    assert sorted(p.relative_to(newer) for p in (newer / "data").rglob("*") if p.is_file()) \
        == files
    assert [p for p in files if (full / p).read_bytes() != (newer / p).read_bytes()] == []


def test_a_version_file_gone_from_the_cache_is_written_again(repo, tmp_path, monkeypatch):
    # A cache restored in part, or cleaned by hand: the build writes the missing version
    # again, whatever it had already linked, and publishes what a build without the cache
    # publishes.
    from etalase import pagecache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735800000")
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "one", repo.data, overrides=cache)
    newest = history.commits(repo.data / "standar-pelayanan.csv")[0]
    stored = [p for p in (tmp_path / "cache" / "versi").rglob("*")
              if p.is_file() and p.name.endswith(newest.slug)]
    assert len(stored) == 1
    stored[0].unlink()
    monkeypatch.setattr(pagecache.Tables, "_last_results", {})
    again = build_site(tmp_path / "two", repo.data, overrides=cache)
    full = build_site(tmp_path / "full", repo.data)
    files = sorted(p.relative_to(full) for p in (full / "data").rglob("*") if p.is_file())
    assert sorted(p.relative_to(again) for p in (again / "data").rglob("*") if p.is_file()) \
        == files
    assert [p for p in files if (full / p).read_bytes() != (again / p).read_bytes()] == []


def test_a_version_git_does_not_give_is_asked_for_again_not_kept_as_unreadable(
        repo, tmp_path, monkeypatch):
    # A version git could not give (here: the file is gone in that commit; elsewhere git may
    # fail once) is listed as not compared; with the cache on it is asked for again in the
    # next build rather than kept that way.
    from etalase import pagecache

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1735800000")
    rows = _three()[1:]
    repo.git("rm", "-q", "data/standar-pelayanan.csv")
    repo.clock += 86_400
    repo.git("commit", "-q", "-m", "Tabel dihapus sementara")
    repo.commit("Tabel dipulihkan", services=rows)
    assert len(history.commits(repo.data / "standar-pelayanan.csv")) == 5
    cache = {"ETALASE_CACHE": True, "ETALASE_CACHE_PATH": str(tmp_path / "cache")}
    build_site(tmp_path / "one", repo.data, overrides=cache)
    read = []
    parse = history.parse_version
    monkeypatch.setattr(history, "parse_version",
                        lambda data, *args: read.append(args[1]) or parse(data, *args))
    monkeypatch.setattr(pagecache.Tables, "_last_results", {})
    build_site(tmp_path / "two", repo.data, overrides=cache)
    assert [r for r in read if "standar-pelayanan.csv@" in r]


def test_staff_can_give_a_past_change_a_public_description_without_rewriting_git(
        repo, tmp_path, caplog):
    # A commit's subject is permanent and may be technical or in English; the dataset's
    # history and its feed show the description staff wrote for it afterwards instead.
    # A mistyped commit is named in a warning and changes nothing.
    second = repo.git("log", "--format=%h", "--skip=1", "-n", "1").strip()
    (repo.data / "riwayat-keterangan.csv").write_text(
        "commit,keterangan\n"
        f"{second},Layanan Kartu Keluarga ditambahkan dan biaya KTP-el disesuaikan.\n"
        "abcdef0123,Keterangan untuk commit yang tidak ada.\n", encoding="utf-8")
    repo.commit("Keterangan perubahan untuk warga")
    with caplog.at_level(logging.WARNING):
        site = build_site(tmp_path / "out", repo.data)
    page = _soup(site / "data" / "standar-pelayanan" / "index.html")
    described = [tr.select("td")[1].get_text(" ", strip=True)
                 for tr in page.select("table.history tbody tr")]
    assert described == ["Hapus layanan akta kelahiran",
                         "Layanan Kartu Keluarga ditambahkan dan biaya KTP-el disesuaikan.",
                         "Standar pelayanan pertama"]
    feed = ET.parse(site / "data" / "standar-pelayanan" / "perubahan.atom").getroot()
    assert "Standar pelayanan: Layanan Kartu Keluarga ditambahkan dan biaya KTP-el " \
           "disesuaikan." in [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    # describing past changes is no change of the data: no dataset lists that commit
    assert "Keterangan perubahan untuk warga" not in [c.subject for c in
                                                      history.commits(repo.data)]
    [warning] = [r.getMessage() for r in caplog.records if "riwayat-keterangan" in r.getMessage()]
    assert 'data/riwayat-keterangan.csv baris 3, kolom commit: "abcdef0123" bukan commit di ' \
           "riwayat git" in warning


def test_a_change_description_that_is_no_commit_hash_is_refused_with_its_row(data_dir):
    from etalase.site import Site

    (data_dir / "riwayat-keterangan.csv").write_text(
        "commit,keterangan\nHEAD~1,Perubahan terakhir\n", encoding="utf-8")
    site = Site(data_dir=data_dir)
    assert site.read("riwayat-keterangan", required=False).empty
    [problem] = site.problems
    assert (problem.file, problem.row, problem.column, problem.value) == (
        "data/riwayat-keterangan.csv", 2, "commit", "HEAD~1")
