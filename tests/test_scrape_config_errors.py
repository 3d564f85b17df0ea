"""A mistake in data/sumber.toml or in a scraped table's schema file is a message, not a traceback.

Staff edit `data/sumber.toml` by hand (often in Notepad) and may touch the files in
`data/scrape/`. Whatever they get wrong, `make validate`, the site build and `etalase scrape`
say which file (and line, source, key or column) is wrong and what was expected, in
Indonesian. Nothing here reaches the internet: a broken configuration stops before any
request, and the one fetching test uses the local scripted server.
"""

from __future__ import annotations

import re
import shutil

import pytest
from conftest import ROOT
from scrape_helpers import ScriptedServer, remote_csv, write_config

from etalase import cli
from etalase.errors import DataError
from etalase.scrape.config import load_config
from etalase.site import load_site

CONFIG = "data/sumber.toml"
VISITS_SCHEMA = "data/scrape/pengunjung-mpp.schema.json"
SETTINGS = '[pengaturan]\nkontak = "ppid@tanjungharapankota.example"\n'
REMOTE = '[[sumber]]\nnama = "jadwal"\njenis = "berkas"\nurl = "https://contoh.example/a.csv"\n'


@pytest.fixture
def scraped_data(data_dir):
    """The test data folder plus the example's sumber.toml and scraped files."""
    shutil.copy(ROOT / "data/sumber.toml", data_dir / "sumber.toml")
    shutil.copytree(ROOT / "data/scrape", data_dir / "scrape")
    return data_dir


def site_report(data_dir) -> str:
    """The report of a site load that must fail with a DataError (any other error fails)."""
    with pytest.raises(DataError) as error:
        load_site(data_dir)
    return error.value.report()


def config_report(data_dir, text: str | bytes) -> str:
    path = data_dir / "sumber.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    with pytest.raises(DataError) as error:
        load_config(data_dir, CONFIG)
    return error.value.report()


def example_config() -> str:
    return (ROOT / "data/sumber.toml").read_text(encoding="utf-8")


# -- the file itself ---------------------------------------------------------------------

def test_a_sources_file_saved_in_windows_1252_is_reported_with_its_line_not_a_traceback(
        scraped_data):
    text = example_config()
    for dash in "−—–":
        text = text.replace(dash, "-")
    (scraped_data / "sumber.toml").write_bytes(text.encode("cp1252"))
    line = next(n for n, row in enumerate(text.splitlines(), start=1) if not row.isascii())
    report = site_report(scraped_data)
    assert f"{CONFIG}:{line}: bukan teks UTF-8" in report
    assert "simpan ulang berkas dengan pengodean UTF-8" in report


def test_a_sources_file_saved_by_notepad_with_a_utf8_signature_is_read_as_usual(scraped_data):
    (scraped_data / "sumber.toml").write_bytes(b"\xef\xbb\xbf" + example_config().encode())
    site = load_site(scraped_data)
    assert {"wb-efektivitas-pemerintah", "pengunjung-mpp"} <= set(site.datasets)


def test_a_sources_file_saved_by_notepad_as_unicode_is_read_as_usual(tmp_path):
    (tmp_path / "sumber.toml").write_bytes((SETTINGS + REMOTE).encode("utf-16"))
    assert [s.name for s in load_config(tmp_path, CONFIG).sources] == ["jadwal"]


def test_a_folder_where_the_sources_file_should_be_is_reported(scraped_data):
    (scraped_data / "sumber.toml").unlink()
    (scraped_data / "sumber.toml").mkdir()
    assert f"{CONFIG}: ini sebuah folder, bukan berkas" in site_report(scraped_data)


def test_broken_toml_is_reported_with_its_line_number(tmp_path):
    report = config_report(tmp_path, SETTINGS + "\n[[sumber]]\nnama = jadwal\n")
    assert f"{CONFIG}:5: penulisan TOML salah" in report


# -- the layout: [pengaturan] and [[sumber]] --------------------------------------------

def test_a_source_written_with_single_brackets_is_reported_not_a_traceback(scraped_data):
    text = example_config()
    first = text.index("[[sumber]]")
    text = text[:text.index("[[sumber]]", first + 1)].replace("[[sumber]]", "[sumber]")
    (scraped_data / "sumber.toml").write_text(text, encoding="utf-8")
    report = site_report(scraped_data)
    line = text.splitlines().index("[sumber]") + 1
    assert f"{CONFIG}:{line}: [sumber]: tertulis dengan satu pasang kurung siku; setiap " \
           "sumber diawali baris [[sumber]]" in report


def test_two_sources_both_written_with_single_brackets_get_the_same_advice(tmp_path):
    report = config_report(tmp_path, SETTINGS + '[sumber]\nnama = "a"\n[sumber]\nnama = "b"\n')
    assert "setiap sumber diawali baris [[sumber]] dengan dua pasang kurung siku" in report


def test_settings_written_as_a_text_instead_of_a_table_are_reported(scraped_data):
    text = example_config().replace("[pengaturan]\n", 'pengaturan = "x"\n[pengaturan_lama]\n')
    (scraped_data / "sumber.toml").write_text(text, encoding="utf-8")
    report = site_report(scraped_data)
    # each named with its line (the example's file starts with two lines of comments)
    line = example_config().splitlines().index('[pengaturan]') + 1
    assert f'{CONFIG}:{line}: pengaturan: berisi teks "x", padahal harus tabel' in report
    assert f"{CONFIG}:{line + 1}: pengaturan_lama: tidak dikenal; yang dikenal hanya " \
        "[pengaturan] dan [[sumber]]" in report


def test_a_setting_written_above_its_header_is_pointed_to_its_place(tmp_path):
    report = config_report(tmp_path, 'percobaan = 3\n' + SETTINGS + REMOTE)
    assert "percobaan: tertulis di luar [pengaturan]; pindahkan ke bawah baris [pengaturan]" \
        in report


@pytest.mark.parametrize("text, expected", [
    (SETTINGS + "sumber = [1, 2]\n",
     "[pengaturan] sumber: pengaturan tidak dikenal"),
    ("sumber = [1, 2]\n" + SETTINGS,
     "sumber ke-1: berisi angka 1, padahal setiap sumber harus blok yang diawali baris "
     "[[sumber]]"),
    ('sumber = "jadwal"\n' + SETTINGS,
     'sumber: berisi teks "jadwal", padahal setiap sumber harus ditulis sebagai blok'),
])
def test_sources_that_are_not_blocks_are_reported(tmp_path, text, expected):
    assert expected in config_report(tmp_path, text)


# -- what each key holds -----------------------------------------------------------------

@pytest.mark.parametrize("extra, expected", [
    ('judul = ["Jadwal", "layanan"]\n',
     '"judul" berisi daftar ["Jadwal", "layanan"], padahal harus teks di antara tanda kutip'),
    ('kata_kunci = "jadwal, layanan"\n',
     '"kata_kunci" berisi teks "jadwal, layanan", padahal harus daftar teks'),
    ('butir_berkala = "3"\n',
     '"butir_berkala" berisi teks "3", padahal harus bilangan bulat tanpa tanda kutip'),
    ('tema = ["kinerja"]\n', '"tema" berisi daftar ["kinerja"], padahal harus teks'),
    ('halaman_sumber = "www.contoh.example"\n',
     '"halaman_sumber" berisi teks "www.contoh.example", padahal harus alamat lengkap'),
    ('kolom = ["Tanggal"]\n', '"kolom" berisi daftar ["Tanggal"], padahal harus tabel'),
    ('ubah = "rupiah"\n', '"ubah" berisi teks "rupiah", padahal harus tabel'),
    ('keluaran = 5\n', '"keluaran" berisi angka 5, padahal harus teks'),
    ('judul = 2025-08-17\n', '"judul" berisi nilai tanggal/waktu 2025-08-17'),
    ('skema = "jadwal.schema.json"\n', '"skema" berisi teks "jadwal.schema.json", padahal '
                                       'harus tabel'),
    ('katakunci = ["jadwal"]\n', 'kunci "katakunci" tidak dikenal untuk jenis berkas; '
                                 'mungkin maksudnya "kata_kunci"?'),
])
def test_a_key_holding_the_wrong_kind_of_value_is_named_with_what_was_expected(
        tmp_path, extra, expected):
    report = config_report(tmp_path, SETTINGS + REMOTE + extra)
    assert f"{CONFIG}:7: sumber jadwal: {expected}" in report  # the line of the key


def test_a_number_written_where_the_address_belongs_is_reported(tmp_path):
    report = config_report(tmp_path, SETTINGS + '[[sumber]]\nnama = "jadwal"\n'
                                     'jenis = "berkas"\nurl = 5\n')
    assert 'sumber jadwal: "url" berisi angka 5, padahal harus alamat lengkap di antara ' \
           "tanda kutip, diawali http:// atau https://" in report


@pytest.mark.parametrize("source, expected", [
    ('[[sumber]]\njenis = "berkas"\n', "sumber ke-1: nama belum diisi"),
    ('[[sumber]]\nnama = "jadwal"\n', "sumber jadwal: jenis belum diisi; pilih salah satu"),
    ('[[sumber]]\nnama = ["jadwal"]\njenis = "berkas"\n',
     'sumber ke-1: nama berisi daftar ["jadwal"], padahal harus teks'),
    ('[[sumber]]\nnama = "jadwal"\njenis = ["ckan"]\n',
     'sumber jadwal: jenis berisi daftar ["ckan"], padahal harus teks; pilih salah satu'),
    ('[[sumber]]\nnama = "jadwal"\njenis = "berkas"\n',
     'sumber jadwal: "url" wajib diisi'),
    ('[[sumber]]\n', "sumber ke-1: nama belum diisi"),
])
def test_a_missing_or_misshapen_name_kind_or_address_is_reported(tmp_path, source, expected):
    assert expected in config_report(tmp_path, SETTINGS + source)


def test_a_page_size_of_zero_is_refused_before_anything_is_fetched(tmp_path):
    report = config_report(tmp_path, SETTINGS + '[[sumber]]\nnama = "mpp"\njenis = "ckan"\n'
                           'url = "https://data.contoh.example"\ndataset = "d"\n'
                           'resource = "r"\nper_halaman = 0\n')
    assert '"per_halaman" berisi angka 0, padahal harus bilangan bulat 1 atau lebih' in report


def test_world_bank_parameters_must_be_plain_values(tmp_path):
    report = config_report(tmp_path, SETTINGS + '[[sumber]]\nnama = "wb"\njenis = "worldbank"\n'
                           'negara = "IDN"\nindikator = { "GE.EST" = "estimasi" }\n'
                           'parameter = { source = [3] }\n')
    assert '"parameter" berisi tabel { source = [3] }, padahal harus tabel nama = nilai' \
        in report


@pytest.mark.parametrize("setting, expected", [
    ("kontak = 5", '[pengaturan] kontak: "5" bukan nilai yang sah; isi alamat e-mail'),
    ("percobaan = inf", '[pengaturan] percobaan: "inf" bukan nilai yang sah'),
    ("jeda_per_host = nan", '[pengaturan] jeda_per_host: "nan" bukan nilai yang sah'),
    ('batas_waktu_baca = "30"', '[pengaturan] batas_waktu_baca: "30" bukan nilai yang sah; '
                                "isi detik menunggu jawaban (angka tanpa tanda kutip)"),
    ("percobaan = 2.5", '[pengaturan] percobaan: "2.5" bukan nilai yang sah'),
])
def test_a_setting_of_the_wrong_kind_is_reported_once(tmp_path, setting, expected):
    settings = SETTINGS if not setting.startswith("kontak") else "[pengaturan]\n"
    error_text = config_report(tmp_path, settings + setting + "\n" + REMOTE)
    assert expected in error_text
    assert error_text.startswith("Ditemukan 1 kesalahan")


def test_every_mistake_in_the_file_is_listed_at_once(tmp_path):
    report = config_report(tmp_path, SETTINGS + REMOTE + "judul = 1\n"
                           '[[sumber]]\nnama = "kedua"\njenis = "berkas"\nurl = true\n')
    assert report.startswith("Ditemukan 2 kesalahan")
    assert 'sumber jadwal: "judul" berisi angka 1' in report
    assert 'sumber kedua: "url" berisi nilai true/false true' in report


def test_the_repositorys_own_sources_file_passes_the_checks():
    config = load_config(ROOT / "data", CONFIG)
    assert [s.name for s in config.sources] == ["wb-efektivitas-pemerintah", "pengunjung-mpp"]


# -- Table Schemas: `skema` in sumber.toml and the file beside the data -------------------

def test_a_schema_in_the_sources_file_is_checked_field_by_field(tmp_path):
    report = config_report(tmp_path, SETTINGS + REMOTE + (
        '[[sumber.skema.fields]]\nname = "jumlah"\ntype = "integr"\n'
        '[[sumber.skema.fields]]\nname = "kode"\nconstraints = { pattern = "[A-" }\n'
        '[[sumber.skema.fields]]\ntype = "string"\n'
        '[[sumber.skema.fields]]\nname = "biaya"\ntype = "integer"\n'
        'constraints = { minimum = "nol" }\n'))
    assert 'sumber jadwal: "skema": kolom "jumlah": "integr" bukan jenis kolom yang dikenal; ' \
           '"type" harus salah satu: string, integer, number, date, boolean' in report
    assert 'kolom "kode": "[A-" bukan pola (regular expression) yang sah untuk "pattern"' \
        in report
    assert 'kolom ke-3 di "fields" tidak punya "name" berupa teks' in report
    assert 'kolom "biaya": "nol" tidak sah untuk "minimum": harus angka' in report


def test_a_scraped_schema_file_with_invalid_json_is_reported_with_its_line(scraped_data):
    (scraped_data / "scrape/pengunjung-mpp.schema.json").write_text('{\n  "fields": [\n')
    report = site_report(scraped_data)
    assert f"{VISITS_SCHEMA}:3: bukan JSON yang sah" in report
    assert "jalankan lagi: make scrape" in report


@pytest.mark.parametrize("content, expected", [
    ("[1, 2]", 'Table Schema harus berupa objek { … } dengan daftar "fields", bukan daftar'),
    ('"fields"', 'Table Schema harus berupa objek { … } dengan daftar "fields", bukan teks'),
    ('{"title": "Pengunjung"}', '"fields" tidak ada; Table Schema harus memuat daftar "fields"'),
    ('{"fields": {"bulan": "string"}}', '"fields" berupa tabel; Table Schema harus memuat'),
    ('{"fields": []}', '"fields" kosong'),
    ('{"fields": [{"name": "bulan", "constraints": {"required": "ya"}}]}',
     'kolom "bulan": "ya" tidak sah untuk "required": harus true atau false'),
    ('{"fields": [{"name": "bulan"}], "primaryKey": ["tahun"]}',
     'kolom "tahun": disebut di "primaryKey" tetapi tidak ada di "fields"'),
])
def test_a_scraped_schema_file_that_is_not_a_table_schema_is_reported(scraped_data, content,
                                                                     expected):
    (scraped_data / "scrape/pengunjung-mpp.schema.json").write_text(content)
    assert f"{VISITS_SCHEMA}: {expected}" in site_report(scraped_data)


def test_a_scraped_schema_file_in_windows_1252_is_reported(scraped_data):
    (scraped_data / "scrape/pengunjung-mpp.schema.json").write_bytes(
        b'{"fields": [{"name": "bulan", "title": "Bulan \x96 tahun"}]}')
    assert f"{VISITS_SCHEMA}:1: bukan teks UTF-8" in site_report(scraped_data)


def test_a_folder_where_a_schema_file_should_be_is_reported(scraped_data):
    path = scraped_data / "scrape/pengunjung-mpp.schema.json"
    path.unlink()
    path.mkdir()
    assert f"{VISITS_SCHEMA}: ini sebuah folder, bukan berkas Table Schema" \
        in site_report(scraped_data)


def test_a_folder_where_scraped_data_should_be_is_reported(scraped_data):
    path = scraped_data / "scrape/pengunjung-mpp.csv"
    path.unlink()
    path.mkdir()
    assert "data/scrape/pengunjung-mpp.csv: ini sebuah folder, bukan berkas data" \
        in site_report(scraped_data)


def test_a_mistake_in_one_source_does_not_hide_the_other_sources_data(scraped_data):
    (scraped_data / "scrape/pengunjung-mpp.schema.json").write_text("{")
    report = site_report(scraped_data)
    assert "Ditemukan 1 kesalahan" in report  # the World Bank data loaded without complaint


# -- the scrape command reads the same file ----------------------------------------------

def _no_traceback(text: str) -> None:
    assert "Traceback" not in text and not re.search(r"\w+Error\b", text)


@pytest.mark.parametrize("broken", ["windows-1252", "single brackets", "folder", "settings"])
def test_the_scrape_command_reports_a_broken_sources_file_and_fetches_nothing(
        tmp_path, capsys, broken):
    data = tmp_path / "data"
    data.mkdir()
    path = data / "sumber.toml"
    if broken == "windows-1252":
        path.write_bytes((SETTINGS + REMOTE + 'judul = "Jadwal keliling – 2025"\n')
                         .encode("cp1252"))
        expected = "data/sumber.toml:7: bukan teks UTF-8: karakter \"–\" (byte 0x96)"
    elif broken == "single brackets":
        path.write_text(SETTINGS + REMOTE.replace("[[sumber]]", "[sumber]"))
        expected = "data/sumber.toml:3: [sumber]: tertulis dengan satu pasang kurung siku"
    elif broken == "folder":
        path.mkdir()
        expected = "data/sumber.toml: ini sebuah folder, bukan berkas"
    else:
        path.write_text('pengaturan = "x"\n' + REMOTE)
        expected = 'data/sumber.toml:1: pengaturan: berisi teks "x", padahal harus tabel'
    for arguments in ([], ["--daftar"]):
        code = cli.main(["scrape", "--data", str(data), *arguments])
        captured = capsys.readouterr()
        assert code == 1
        assert expected in captured.err
        _no_traceback(captured.err + captured.out)


def test_a_folder_in_place_of_a_scraped_file_fails_that_source_without_fetching(tmp_path,
                                                                                capsys):
    data = tmp_path / "data"
    with ScriptedServer() as server:
        write_config(data, [remote_csv(server)])
        (data / "scrape/layanan-keliling.schema.json").mkdir(parents=True)
        code = cli.main(["scrape", "--data", str(data)])
        captured = capsys.readouterr()
        assert server.log == []
    assert code == 1
    assert "✗ layanan-keliling: GAGAL — data/scrape/layanan-keliling.schema.json adalah " \
           "sebuah folder, bukan berkas" in captured.err
    assert not (data / "scrape/layanan-keliling.csv").exists()


def test_each_mistake_names_the_line_of_its_key_in_a_file_with_comments_and_several_sources(
        tmp_path):
    # Staff fix the file in Notepad: the line number is what takes them to the mistake.
    text = ("# Sumber data luar\n"
            "[pengaturan]\n"
            'kontak = "ppid@tanjungharapankota.example"\n'
            'percobaan = "tiga"\n'                         # line 4
            "\n"
            "[[sumber]]\n"                                 # line 6
            'nama = "jadwal"\n'
            'jenis = "berkas"\n'
            'url = "https://contoh.example/a.csv"\n'
            'deskripsi = """\n'
            "judul = Jadwal (inside a text, not a key)\n"
            '"""\n'
            "judul = 5\n"                                  # line 13
            "\n"
            "[[sumber]]\n"                                 # line 15
            'nama = "kedua"\n'
            'jenis = "berkas"\n'
            'url = "https://contoh.example/b.csv"\n'
            "[sumber.skema]\n"                             # line 19
            'fields = "tanggal"\n'
            "tema = 7\n")                                  # in the sub-table, not the source
    report = config_report(tmp_path, text)
    assert f'{CONFIG}:4: [pengaturan] percobaan: "tiga" bukan nilai yang sah' in report
    assert f'{CONFIG}:13: sumber jadwal: "judul" berisi angka 5' in report
    assert f'{CONFIG}:19: sumber kedua: "skema": ' in report
    assert report.startswith("Ditemukan 3 kesalahan")


def test_a_mistake_in_the_third_field_of_a_schema_names_that_fields_line(tmp_path):
    text = (SETTINGS + REMOTE +                      # lines 1-6
            '# a comment with """ in it does not open a text\n'  # line 7
            "[[sumber.skema.fields]]\n"              # line 8
            'name = "tanggal"\n'
            'type = "date"\n'
            "[[sumber.skema.fields]]\n"
            'name = "jumlah"\n'
            'type = "integer"\n'
            "[[sumber.skema.fields]]\n"
            'name = "biaya"\n'                       # line 15
            'type = "angka"\n')
    report = config_report(tmp_path, text)
    assert f'{CONFIG}:15: sumber jadwal: "skema": kolom "biaya"' in report, report


def test_a_source_written_as_dotted_keys_is_told_to_be_a_block(tmp_path):
    report = config_report(tmp_path, 'sumber.nama = "jadwal"\n' + SETTINGS)
    assert f"{CONFIG}:1: sumber: ditulis sebagai kunci bertitik (sumber.nama = …); tulis " \
           "setiap sumber sebagai blok yang diawali baris [[sumber]]" in report
    assert "satu pasang kurung siku" not in report
