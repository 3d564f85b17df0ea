"""A page's cache key changes when anything it shows changes, and only then.

The key is what decides whether a rebuild renders a page again (pagecache.py); a key that
misses a change would publish a stale page, a key that changes without cause wastes the cache.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from dataclasses import dataclass
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from markupsafe import Markup

from etalase.pagecache import Fingerprinter, Unhashable

CONTEXT = {
    "service": {"kode": "akta-kelahiran", "biaya_rupiah": 0, "jam": ["08.00", "15.00"]},
    "monthly": [{"bulan": "2026-01", "diterima": 120, "persen": 97.5, "catatan": None}],
    "ikm": Fraction(8735, 100), "tanggal": dt.date(2026, 1, 31),
    "chart": Markup("<svg><title>IKM</title></svg>"),
}


def key(value) -> bytes:
    return Fingerprinter().digest(value)


def test_the_same_context_gives_the_same_key_in_another_process():
    code = (f"import sys; sys.path.insert(0, {os.path.dirname(__file__)!r}); "
            "from test_pagecache import CONTEXT, key; print(key(CONTEXT).hex())")
    keys = set()
    for seed in ("1", "2"):  # string hashing differs between the two processes
        env = dict(os.environ, PYTHONHASHSEED=seed)
        keys.add(subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                                text=True, check=True).stdout.strip())
    assert keys == {key(CONTEXT).hex()}


def test_any_changed_value_changes_the_key():
    before = key(CONTEXT)
    changes = [
        lambda c: c["service"].update(biaya_rupiah=5000),
        lambda c: c["service"]["jam"].append("Sabtu"),
        lambda c: c["monthly"][0].update(persen=97.4),
        lambda c: c["monthly"][0].update(catatan=""),
        lambda c: c.update(ikm=Fraction(8736, 100)),
        lambda c: c.update(tanggal=dt.date(2026, 2, 1)),
        lambda c: c.update(chart=Markup("<svg><title>IKM 2026</title></svg>")),
    ]
    for change in changes:
        context = {k: (v.copy() if isinstance(v, dict) else v) for k, v in CONTEXT.items()}
        context["service"] = dict(CONTEXT["service"], jam=list(CONTEXT["service"]["jam"]))
        context["monthly"] = [dict(CONTEXT["monthly"][0])]
        change(context)
        assert key(context) != before


def test_values_that_render_differently_never_share_a_key():
    # numpy numbers with the same bits, text and markup, numbers of different types.
    assert key([np.int64(0)]) != key([np.float64(0.0)])
    assert key([np.int64(1)]) != key([1])
    assert key({"judul": Markup("a &amp; b")}) != key({"judul": "a &amp; b"})
    assert len({key([1]), key([1.0]), key([True]), key(["1"])}) == 4
    assert key(["a", "bc"]) != key(["ab", "c"])


def test_a_record_s_values_that_render_differently_never_share_a_key():
    # A dataclass's plain values are hashed together; others, one by one, as any object's.
    @dataclass
    class Record:
        nama: object
        nilai: object = 0

    keys = {key(Record(value)) for value in (
        b"ab", np.bytes_(b"ab"), "ab", Markup("ab"), np.str_("ab"), 1, 1.0, True, np.int64(1),
        -0.0, 0.0, None, [1], (1,), np.void(b"ab"))}
    assert len(keys) == 15
    assert key(Record("ab", 1)) != key(Record("ab", 2))
    assert key(Record(Record("ab"))) != key(Record(Record("ac")))
    for unhashable in (bytearray(b"ab"), memoryview(b"ab"), np.array([b"ab"])):
        with pytest.raises(Unhashable):
            key(Record(unhashable))


def test_a_survey_result_key_covers_every_field_of_it():
    # SurveyRow, IKMResult, UnsurResult and Period give plain fingerprints for speed; a field
    # added later and left out of fingerprint() would serve stale statistics pages.
    import dataclasses

    from etalase import skm
    from etalase.statistics import SurveyRow

    unsur = skm.UnsurResult("u1", "Persyaratan", 40, 130)
    result = skm.IKMResult(40, [unsur])
    period = skm.Period("2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    row = SurveyRow(period, "layanan", "akta-kelahiran", "Akta Kelahiran", result, 1000, "data")
    other = {str: "lain", int: 7, Fraction: Fraction(1, 3), dt.date: dt.date(2025, 1, 1)}
    for obj, parent in ((row, None), (result, "result"), (unsur, "unsur"), (period, "period")):
        for f in dataclasses.fields(obj):
            value = getattr(obj, f.name)
            if type(value) not in other:
                continue
            changed = dataclasses.replace(obj, **{f.name: other[type(value)]})
            if parent == "result":
                changed = dataclasses.replace(row, result=changed)
            elif parent == "unsur":
                changed = dataclasses.replace(row, result=dataclasses.replace(result,
                                                                               unsur=[changed]))
            elif parent == "period":
                changed = dataclasses.replace(row, period=changed)
            assert key([changed]) != key([row]), f"{type(obj).__name__}.{f.name}"


def test_a_compliance_check_key_covers_every_field_of_its_findings():
    # Check gives a plain fingerprint (thousands of findings at national scale); a field of
    # a finding left out of it would keep a stale compliance page.
    import dataclasses

    from etalase.compliance import Check, Finding

    finding = Finding("Standar pelayanan Akta Kelahiran", "kurang", "biaya kosong",
                      where="data/standar-pelayanan.csv", links=[("layanan/akta/", "Akta")],
                      date=dt.date(2026, 1, 31), provider="disdukcapil")
    check = Check("standar", "Standar pelayanan lengkap", "UU 25/2009 Pasal 21", [finding])
    other = {str: "lain", list: [("layanan/lain/", "Lain")], dt.date: dt.date(2026, 2, 1)}
    for f in dataclasses.fields(Finding):
        changed = dataclasses.replace(finding, **{f.name: other[type(getattr(finding, f.name))]})
        assert key([dataclasses.replace(check, findings=[changed])]) != key([check]), f.name
    undated = dataclasses.replace(finding, date=None)
    assert key([dataclasses.replace(check, findings=[undated])]) != key([check])
    for f in dataclasses.fields(Check):
        if f.name != "findings":
            assert key([dataclasses.replace(check, **{f.name: "lain"})]) != key([check]), f.name
    assert key([dataclasses.replace(check, findings=[finding, finding])]) != key([check])


def test_a_survey_result_read_back_from_the_cache_shows_the_same_figures():
    # Statistics are cached between builds (Site.computed); survey results pickle as integers
    # and derive their exact values again, so every published figure must come out the same.
    import pickle

    import pandas as pd

    from etalase import skm
    from etalase.statistics import SurveyRow

    answers = pd.DataFrame({f"u{i}": [4, 3, 3, None, 2][: 5 - i % 2] + [1] * (i % 2)
                            for i in range(1, 10)})
    result = skm.compute_ikm(answers)
    period = skm.Period("2026-S1", dt.date(2026, 1, 1), dt.date(2026, 6, 30))
    row = SurveyRow(period, "layanan", "akta-kelahiran", "Akta Kelahiran", result, 1000, "data")
    before = (result.ikm, result.grade, result.ikm_1_4,
              [(u.nrr, u.nrr_rounded, u.grade) for u in result.unsur])
    again = pickle.loads(pickle.dumps(row, protocol=pickle.HIGHEST_PROTOCOL))
    after = again.result
    assert (after.ikm, after.grade, after.ikm_1_4,
            [(u.nrr, u.nrr_rounded, u.grade) for u in after.unsur]) == before
    assert again.fingerprint() == row.fingerprint() and again.sampel_minimal == row.sampel_minimal


def test_templates_read_from_the_site_model_only_what_every_page_key_covers():
    # A page is served from the cache when its own context and the site-wide key are unchanged.
    # The site-wide key covers each dataset's download links (id, title, formats) and the menu,
    # so that is all a template may take from the `etalase` variable.
    import re
    from pathlib import Path

    templates = Path(__file__).resolve().parent.parent / "theme" / "templates"
    allowed = [
        r"etalase\.datasets\[[^\]]+\]\.path\(",
        r"etalase\.datasets\[[^\]]+\]\|unduhan\(",  # its id and formats: the links
        r"with dataset = etalase\.datasets\[[^\]]+\] %\}\{% include \"partials/downloads\.html\" %\}",
        r"in etalase\.datasets\b",
    ]
    for template in templates.rglob("*.html"):
        text = template.read_text(encoding="utf-8")
        rest = text
        for pattern in allowed:
            rest = re.sub(pattern, "", rest)
        for block in re.findall(r"\{\{.*?\}\}|\{%.*?%\}", rest, flags=re.S):
            assert not re.search(r"\betalase\b", block), (template.name, block)
    downloads = (templates / "partials" / "downloads.html").read_text(encoding="utf-8")
    assert set(re.findall(r"dataset\.(\w+)", downloads)) <= {"path", "formats", "title"}


def test_facts_read_from_a_built_file_are_remembered_only_while_it_is_the_same_file(tmp_path):
    # The sitemap and the search index read each page once; a rebuild reads again only the
    # pages it wrote anew (pages linked from the cache are the very same files).
    import os

    from etalase.pagecache import FileFacts

    reads = []

    def first_word(path):
        reads.append(path.name)
        return path.read_text(encoding="utf-8").split()[0]

    page = tmp_path / "a.html"
    page.write_text("Akta kelahiran", encoding="utf-8")
    facts = FileFacts(tmp_path / "fakta.pickle")
    assert facts.get(page, "kata", first_word) == "Akta"
    facts.save()

    later = FileFacts(tmp_path / "fakta.pickle")  # the next build
    linked = tmp_path / "b.html"
    os.link(page, linked)  # how the page cache places an unchanged page
    assert later.get(linked, "kata", first_word) == "Akta"
    assert later.get(page, "another fact", lambda p: "dihitung") == "dihitung"
    assert reads == ["a.html"]

    stat = page.stat()
    page.write_text("Izin apotek ..", encoding="utf-8")  # same size, written anew
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))
    assert FileFacts(tmp_path / "fakta.pickle").get(page, "kata", first_word) == "Izin"
    (tmp_path / "fakta.pickle").write_bytes(b"rusak")  # a damaged memo is not trusted
    assert FileFacts(tmp_path / "fakta.pickle").get(linked, "kata", first_word) == "Izin"
    assert FileFacts(None).get(linked, "kata", lambda p: "tanpa cache") == "tanpa cache"


def test_facts_of_one_kind_survive_a_build_that_looks_only_at_another(tmp_path):
    # The preview writes the sitemap in one step and the search index in the next.
    from etalase.pagecache import FileFacts

    page = tmp_path / "a.html"
    page.write_text("Akta", encoding="utf-8")
    sitemap = FileFacts(tmp_path / "fakta.pickle")
    sitemap.get(page, "sitemap", lambda p: "/a/")
    sitemap.save()
    search = FileFacts(tmp_path / "fakta.pickle")
    search.get(page, "pagefind", lambda p: b"isi")
    search.save()
    again = FileFacts(tmp_path / "fakta.pickle")
    assert again.get(page, "sitemap", lambda p: "dibaca lagi") == "/a/"
    assert again.get(page, "pagefind", lambda p: b"dibaca lagi") == b"isi"


def test_nothing_is_stored_under_a_key_whose_file_changed_while_it_was_read(tmp_path):
    # A source saved during a build (the preview rebuilds while staff work): what was made
    # from the new bytes must not be found later under the key of the old bytes.
    from etalase.pagecache import Tables

    source = tmp_path / "permohonan-layanan.csv"
    source.write_text("layanan\nktp-el\n", encoding="utf-8")
    tables = Tables(tmp_path / "tabel")
    key = tables.key(source, "data/permohonan-layanan.csv", {"fields": []})
    source.write_text("layanan\nktp-el\nakta-kelahiran\n", encoding="utf-8")
    os.utime(source, ns=(1, 1))
    tables.put(key, "dibaca dari isi yang baru")
    assert tables.get(key) is None
    fresh = Tables(tmp_path / "tabel")
    key = fresh.key(source, "data/permohonan-layanan.csv", {"fields": []})
    fresh.put(key, "dibaca dari isi yang sama")
    assert fresh.get(key) == "dibaca dari isi yang sama"


def test_results_kept_in_memory_serve_only_the_next_build_with_the_same_cache(tmp_path,
                                                                           monkeypatch):
    # The preview keeps its last build's results in memory for the next. A build with
    # another cache folder reads its own folder: what it took from memory would never be
    # written there, and a later build in a process of its own would find nothing.
    from etalase.pagecache import Tables

    monkeypatch.setattr(Tables, "_last_results", {})
    monkeypatch.setattr(Tables, "_last_folder", None)
    tables = Tables(tmp_path / "satu")
    key = tables.result_key("statistik", ["masukan"])
    assert tables.put_result(key, "hasil")
    tables.hand_over()
    (tmp_path / "satu" / key).unlink()  # only the memory has it now
    assert Tables(tmp_path / "satu").result(key) == "hasil"
    other = Tables(tmp_path / "dua")
    assert other.result(key) is None and not other.keep(key)


def test_a_row_hash_changes_with_any_cell_of_its_row_and_only_its_row():
    from etalase.pagecache import row_digests

    frame = pd.DataFrame({"kode": ["a", "b", "c"], "hari": pd.array([1, None, 3], dtype="Int64"),
                          "sejak": pd.to_datetime(["2024-01-01", None, "2025-02-03"])})
    before = row_digests(frame)
    assert len(set(before)) == 3 and row_digests(frame.copy()) == before
    for column, value in (("kode", "x"), ("hari", 2), ("sejak", pd.Timestamp("2024-01-02"))):
        changed = frame.copy()
        changed.loc[1, column] = value
        after = row_digests(changed)
        assert after[1] != before[1] and after[0] == before[0] and after[2] == before[2], column
    # The same values under another column name, or of another type, are another row.
    assert row_digests(frame.rename(columns={"hari": "hari_kerja"}))[0] != before[0]
    assert row_digests(frame.astype({"hari": "float64"}))[0] != before[0]
    # Equal values give equal hashes, whether or not one object holds them (a cell read
    # again, a table from the cache).
    text = "Surat pengantar dari kelurahan"
    one = pd.DataFrame({"a": [text], "b": [text]}, dtype=object)
    two = pd.DataFrame({"a": [text], "b": ["".join(text)]}, dtype=object)
    assert one.loc[0, "b"] is one.loc[0, "a"] and two.loc[0, "b"] is not two.loc[0, "a"]
    assert row_digests(one) == row_digests(two)


def test_a_source_saved_seconds_ago_is_hashed_again_an_older_one_is_remembered(tmp_path):
    from etalase.pagecache import FileFacts

    source = tmp_path / "tabel.csv"
    source.write_text("kode\na\n", encoding="utf-8")
    reads = []

    def facts_of(path):
        reads.append(path)
        return path.read_bytes()

    memo = tmp_path / "fakta.pickle"
    facts = FileFacts(memo)
    facts.get(source, "isi", facts_of, settled=True)
    facts.save()
    FileFacts(memo).get(source, "isi", facts_of, settled=True)
    assert len(reads) == 2  # just saved: it may change again within the same time stamp
    old = 1_000_000_000
    os.utime(source, ns=(old, old))
    facts = FileFacts(memo)
    facts.get(source, "isi", facts_of, settled=True)
    facts.save()
    FileFacts(memo).get(source, "isi", facts_of, settled=True)
    assert len(reads) == 3  # settled: remembered by its identity


def test_a_stored_page_is_placed_as_the_same_file_even_where_its_folder_is_new(tmp_path):
    # A rebuild links each unchanged page from the store into the new site; most folders are
    # there already (recycled), the others are made for it.
    from etalase.pagecache import Store

    store = Store(tmp_path / "halaman")
    made = tmp_path / "dibuat.html"
    made.write_text("<h1>Akta kelahiran</h1>", encoding="utf-8")
    store.keep("ab12", made)
    site = tmp_path / "situs"
    (site / "layanan" / "ktp-el").mkdir(parents=True)
    for page in (site / "layanan" / "ktp-el" / "index.html",
                 site / "layanan" / "akta-kelahiran" / "index.html"):
        assert store.place("ab12", page)
        assert page.read_text(encoding="utf-8") == "<h1>Akta kelahiran</h1>"
        assert page.stat().st_ino == made.stat().st_ino
    # nothing stored under a key: nothing placed, and no folder made for it
    assert not store.place("cd34", site / "layanan" / "kia" / "index.html")
    assert not (site / "layanan" / "kia").exists()
    assert store.used == {"ab12"}


def test_a_store_keeps_only_what_the_last_build_used(tmp_path):
    # The cache does not grow with every change: what a build neither placed nor kept goes.
    from etalase.pagecache import Store

    page = tmp_path / "halaman.html"
    page.write_text("<h1>KTP-el</h1>", encoding="utf-8")
    first = Store(tmp_path / "halaman")
    for key in ("ab12", "ab34", "cd56"):
        first.keep(key, page)
    first.prune()
    later = Store(tmp_path / "halaman")  # the next build uses one of them, and a new one
    assert later.place("ab34", tmp_path / "situs" / "index.html")
    later.keep("ef78", page)
    later.prune()
    assert sorted(p.name for p in (tmp_path / "halaman").rglob("*") if p.is_file()) == [
        "ab34", "ef78"]


def test_a_new_release_of_a_download_writer_keys_every_download_anew(tmp_path, monkeypatch):
    # A Parquet file names the versions of fastparquet and pandas that wrote it: after an
    # upgrade, a download kept from before is not the file a build without the cache writes.
    import importlib.metadata

    from etalase import pagecache

    from pathlib import Path

    code = [Path(__file__).resolve().parent.parent / "pelican_plugins" / "etalase"]
    before = pagecache.Cache(tmp_path, code, download_code=code).downloads.salt
    real = importlib.metadata.version
    monkeypatch.setattr(importlib.metadata, "version",
                        lambda name: "9999.1" if name == "fastparquet" else real(name))
    after = pagecache.Cache(tmp_path, code, download_code=code).downloads.salt
    assert before != after
