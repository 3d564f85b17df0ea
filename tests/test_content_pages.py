"""Mistakes in staff's Markdown pages (content/pages/) stop the build with a message naming the
file and what to write, where Pelican would skip the page with a line in English, or stop with
a traceback naming a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT, build_site
from factories import write_site_data
from test_cli import run
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


def test_validate_names_a_page_at_a_taken_address_and_a_dead_link_before_any_build(tmp_path):
    # `make validate` is what staff run before they commit; it lays out no page, but knows
    # every address the data will be published at.
    write_site_data(tmp_path / "data")
    write_page(tmp_path, "daftar.md", f"Title: Daftar layanan kami\nSlug: layanan\n{VALID}")
    write_page(tmp_path, "profil.md", f"Title: Profil\n{VALID}")
    write_page(tmp_path, "profil-kota.md", f"Title: Profil kota\nSlug: profil\n{VALID}")
    bantuan = write_page(tmp_path, "bantuan.md", f"Title: Bantuan\n{VALID}")
    bantuan.write_text(bantuan.read_text(encoding="utf-8") + (
        "\nLihat [KTP-el](/layanan/ktp-el/), [profil](/profil/), [katalog](/data/),\n"
        "[data layanan](/data/standar-pelayanan/), [tabelnya](/data/x/x.csv) dan\n"
        "[KTP hilang](/layanan/ktp-hilangg/#syarat).\n"), encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    err = result.stderr
    assert ('content/pages/daftar.md: kolom "Slug": "layanan" alamat /layanan/ sudah dipakai '
            "halaman situs yang dibuat dari data") in err
    assert ('content/pages/profil.md: kolom "Slug": "profil" alamat /profil/ sudah dipakai '
            "content/pages/profil-kota.md") in err or \
           ('content/pages/profil-kota.md: kolom "Slug": "profil" alamat /profil/ sudah dipakai '
            "content/pages/profil.md") in err
    assert ('content/pages/bantuan.md:8: "/layanan/ktp-hilangg/#syarat" tautan ke alamat di '
            "situs ini yang tidak ada") in err
    # Pages that exist, and a link to a file, which only the build can see, are not named.
    assert "ktp-el/" not in err and '"/data/' not in err
    assert "Ditemukan 3 kesalahan" in err


def test_validate_knows_the_address_of_every_page_the_build_writes(example_site):
    # A link to any page of the published example must pass `make validate`.
    from etalase import catalogue
    from etalase.site import all_pages, load_site

    site = load_site(ROOT / "data", root=ROOT)
    known = {page.path for page in all_pages(site)} | catalogue.page_paths(site)
    written = {str(p.relative_to(example_site)) for p in example_site.rglob("*.html")
               if p.relative_to(example_site).parts[0] not in ("pagefind", "theme")}
    markdown = {f"{p.stem}/index.html" for p in (ROOT / "content" / "pages").glob("*.md")}
    assert written - markdown == known


def _project(tmp_path: Path) -> Path:
    """A project in `tmp_path` as staff keep it (settings, theme, data), with no page yet;
    returns its page folder, content/pages."""
    shutil.copy(ROOT / "pelicanconf.py", tmp_path)
    (tmp_path / "theme").symlink_to(ROOT / "theme")
    write_site_data(tmp_path / "data")
    return tmp_path / "content" / "pages"


def test_validate_reads_the_pages_pelican_publishes_and_names_them_as_pelican_does(tmp_path):
    # Pelican reads the page folders' sub-folders and every Markdown extension, makes a slug
    # of "Jam Layanan.md", and writes no draft: validate and the build agree on all of it.
    pages = _project(tmp_path)
    (pages / "panduan").mkdir(parents=True)
    for name, header in [("tentang.md", "Title: Tentang"),
                         ("panduan/cara-mengadu.md", "Title: Cara mengadu"),
                         ("info.markdown", "Title: Info"),
                         ("Jam Layanan.md", "Title: Jam layanan"),
                         ("tentang-lama.md", "Title: Tentang (lama)\nSlug: tentang\nStatus: draft"),
                         ("konsep.md", "Title: Konsep\nStatus: draft")]:
        (pages / name).write_text(f"{header}\n{VALID}\n\nIsi.\n", encoding="utf-8")
    (pages / "bantuan.md").write_text(
        f"Title: Bantuan\n{VALID}\n\nLihat [cara mengadu](/cara-mengadu/), [info](/info/),\n"
        "[jam layanan](/jam-layanan/), [tentang](/tentang/) dan [konsep](/konsep/).\n",
        encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "Ditemukan 1 kesalahan" in result.stderr
    assert 'content/pages/bantuan.md:5: "/konsep/" tautan ke alamat di situs ini yang tidak ' \
           "ada" in result.stderr  # a draft is not published
    with pytest.raises(DataError) as err:
        build_site(tmp_path / "out", data_dir=tmp_path / "data",
                   overrides={"PATH": str(tmp_path / "content")})
    [problem] = err.value.problems
    assert (problem.row, problem.value) == (5, "/konsep/")


def test_validate_and_the_dip_leave_out_what_pelican_leaves_out_and_keep_what_it_keeps(
        tmp_path):
    # Pelican reads `.md` but not `.MD`; its default IGNORE_FILES ("**/.*") matches no bare
    # file or folder name, so a hidden page is published.
    pages = _project(tmp_path)
    (pages / ".arsip").mkdir(parents=True)
    for name, title in [("Besar.MD", "Besar"), (".rahasia.md", "Rahasia"),
                        (".arsip/lama.md", "Lama")]:
        (pages / name).write_text(f"Title: {title}\n{VALID}\n\nIsi.\n", encoding="utf-8")
    (pages / "bantuan.md").write_text(
        f"Title: Bantuan\n{VALID}\n\nLihat [rahasia](/rahasia/), [lama](/lama/) dan\n"
        "[besar](/besar/).\n", encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert "Ditemukan 1 kesalahan" in result.stderr, result.stderr
    assert 'content/pages/bantuan.md:5: "/besar/" tautan ke alamat' in result.stderr
    with pytest.raises(DataError) as err:
        build_site(tmp_path / "out", data_dir=tmp_path / "data",
                   overrides={"PATH": str(tmp_path / "content")})
    [problem] = err.value.problems
    assert (problem.row, problem.value) == (5, "/besar/")


def test_an_html_page_is_refused_with_a_message_saying_to_write_it_as_markdown(tmp_path):
    # Pelican's HTML reader published content/pages/*.html, but neither validate nor the DIP
    # knew of such a page: it got no checks and no entry in the public information list.
    pages = _project(tmp_path)
    (pages / "panduan").mkdir(parents=True)
    (pages / "tentang.md").write_text(f"Title: Tentang\n{VALID}\n\nIsi.\n", encoding="utf-8")
    (pages / "panduan" / "jadwal.html").write_text(
        "<html><head><title>Jadwal</title></head><body><p>Senin–Jumat</p></body></html>\n",
        encoding="utf-8")
    (pages / "catatan.HTML").write_text("<p>Pelican does not read this one</p>\n",
                                        encoding="utf-8")
    result = run("validate", cwd=tmp_path)
    assert result.returncode == 1 and "Ditemukan 1 kesalahan" in result.stderr, result.stderr
    assert 'content/pages/panduan/jadwal.html: "jadwal.html" halaman HTML tidak diterbitkan' \
        in result.stderr
    assert "simpan dengan akhiran .md" in result.stderr
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "index.html").write_text("terbitan lama", encoding="utf-8")
    with pytest.raises(DataError) as err:
        build_site(tmp_path / "out", data_dir=tmp_path / "data",
                   overrides={"PATH": str(tmp_path / "content")})
    [problem] = err.value.problems
    assert problem.file.endswith("content/pages/panduan/jadwal.html")
    assert (tmp_path / "out" / "index.html").read_text(encoding="utf-8") == "terbitan lama"
