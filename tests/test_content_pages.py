"""Mistakes in staff's Markdown pages (content/pages/) stop the build with a message naming the
file and what to write, where Pelican would skip the page with a line in English, or stop with
a traceback naming a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, build_site
from test_kip import problems_of, write_page

from etalase.errors import DataError

VALID = "Kategori_KIP: setiap_saat"


def test_a_page_without_a_title_is_reported_not_left_out(data_dir):
    # "Titel:" for "Title:": Pelican skipped the page and the build went on.
    write_page(data_dir.parent, "profil.md", f"Titel: Profil Kota\n{VALID}")
    [problem] = [p for p in problems_of(data_dir) if p.column == "Title"]
    assert problem.file == "content/pages/profil.md"
    assert 'tambahkan baris "Title: judul halaman"' in problem.expected


@pytest.mark.parametrize("key", ["Date", "Modified"])
def test_a_page_date_that_is_no_date_is_reported(data_dir, key):
    write_page(data_dir.parent, "profil.md", f"Title: Profil\n{key}: 2026-13-45\n{VALID}")
    [problem] = [p for p in problems_of(data_dir) if p.column == key]
    assert (problem.file, problem.value) == ("content/pages/profil.md", "2026-13-45")
    assert "TTTT-BB-HH" in problem.expected


def _content_with(tmp_path: Path, name: str, header: str) -> Path:
    content = tmp_path / "content"
    (content / "pages").mkdir(parents=True)
    for page in (ROOT / "content" / "pages").glob("*.md"):
        (content / "pages" / page.name).write_bytes(page.read_bytes())
    (content / "pages" / name).write_text(header + "\n\nIsi.\n", encoding="utf-8")
    return content


@pytest.mark.parametrize("cache", [False, True])
def test_a_page_at_the_address_of_a_page_made_from_data_is_named(tmp_path, cache):
    content = _content_with(tmp_path, "etik.md", f"Title: Kode etik kami\nSlug: kode-etik\n{VALID}")
    with pytest.raises(DataError) as err:
        build_site(tmp_path / "out", overrides={
            "PATH": str(content), "ETALASE_CACHE": cache,
            "ETALASE_CACHE_PATH": str(tmp_path / "cache")})
    [problem] = err.value.problems
    assert problem.file.endswith("content/pages/etik.md") and problem.column == "Slug"
    assert "alamat /kode-etik/ sudah dipakai halaman situs yang dibuat dari data" in str(problem)
    assert not (tmp_path / "out").exists()  # nothing half-built


def test_two_pages_at_one_address_are_named_both(tmp_path):
    content = _content_with(tmp_path, "tentang-kami.md", f"Title: Tentang\nSlug: tentang\n{VALID}")
    with pytest.raises(DataError) as err:
        build_site(tmp_path / "out", overrides={"PATH": str(content)})
    [problem] = err.value.problems
    assert problem.column == "Slug" and "alamat /tentang/ sudah dipakai" in str(problem)
    assert "pages/tentang.md" in str(problem) and "pages/tentang-kami.md" in str(problem)


def test_a_link_to_a_page_file_that_does_not_exist_is_named_with_its_line(data_dir):
    # Pelican published href="{filename}/pages/tentng.md" with a warning in English.
    write_page(data_dir.parent, "tentang.md", f"Title: Tentang\n{VALID}")
    path = write_page(data_dir.parent, "profil.md", f"Title: Profil\n{VALID}")
    path.write_text(path.read_text(encoding="utf-8") + "\nLihat [tentang kami]({filename}/pages/"
                    "tentng.md) dan [juga]({filename}tentang.md).\n", encoding="utf-8")
    [problem] = [p for p in problems_of(data_dir) if p.value and "tentng" in p.value]
    assert (problem.file, problem.row) == ("content/pages/profil.md", 6)
    assert "tautan ke berkas yang tidak ada di content/" in problem.expected
    assert not [p for p in problems_of(data_dir) if p.value == "tentang.md"]


def test_a_link_to_an_address_of_the_site_that_does_not_exist_is_named(tmp_path):
    # "/layanan/ktp-hilangg/" was published as a dead link, with a warning naming no page.
    content = _content_with(tmp_path, "bantuan.md", f"Title: Bantuan\n{VALID}\n\n"
                            "Lihat [KTP-el](/layanan/ktp-el-baru/), [semua data](/data/), "
                            "[Ombudsman](https://ombudsman.go.id/) dan\n"
                            "[KTP hilang](/layanan/ktp-hilangg/).")
    with pytest.raises(DataError) as err:
        build_site(tmp_path / "out", overrides={"PATH": str(content)})
    [problem] = err.value.problems
    assert problem.file.endswith("content/pages/bantuan.md") and problem.row == 5
    assert problem.value == "/layanan/ktp-hilangg/"
    assert "tautan ke alamat di situs ini yang tidak ada" in problem.expected
