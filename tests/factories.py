"""Small, valid source tables for tests, written the way staff's spreadsheets save them."""

from __future__ import annotations

import csv
from pathlib import Path

PROVIDER_COLUMNS = ["kode", "nama", "singkatan", "alamat", "telepon", "email", "situs",
                    "jam_layanan", "maklumat", "maklumat_tanggal", "penandatangan_maklumat"]
SERVICE_COLUMNS = ["kode", "nama", "penyelenggara", "kategori", "ringkasan", "dasar_hukum",
                   "persyaratan", "prosedur", "jangka_waktu", "jangka_waktu_hari_kerja", "biaya",
                   "biaya_rupiah", "produk", "sarana_prasarana", "kompetensi_pelaksana",
                   "pengawasan_internal", "pengaduan", "jumlah_pelaksana", "jaminan_pelayanan",
                   "jaminan_keamanan", "evaluasi_kinerja", "berlaku_sejak", "nomor_keputusan"]


def provider(**overrides) -> dict:
    row = {
        "kode": "disdukcapil",
        "nama": "Dinas Kependudukan dan Pencatatan Sipil",
        "singkatan": "Disdukcapil",
        "alamat": "Loket 1, Mal Pelayanan Publik, Jalan Merdeka Raya No. 45",
        "telepon": "(0761) 555-0101",
        "email": "disdukcapil@contoh.example",
        "situs": "https://disdukcapil.contoh.example",
        "jam_layanan": "Senin–Kamis: 08.00–15.00 WIB\nJumat: 08.00–11.30 WIB",
        "maklumat": "Dengan ini, kami menyatakan sanggup menyelenggarakan pelayanan sesuai "
                    "standar pelayanan yang telah ditetapkan.\n\nApabila tidak menepati janji "
                    "ini, kami siap menerima sanksi sesuai peraturan perundang-undangan.",
        "maklumat_tanggal": "2024-01-15",
        "penandatangan_maklumat": "Kepala Dinas, Drs. Contoh",
    }
    row.update(overrides)
    return row


def service(**overrides) -> dict:
    row = {
        "kode": "akta-kelahiran",
        "nama": "Penerbitan Akta Kelahiran",
        "penyelenggara": "disdukcapil",
        "kategori": "kependudukan",
        "ringkasan": "Akta kelahiran untuk anak yang baru lahir.",
        "dasar_hukum": "Undang-Undang Nomor 23 Tahun 2006 tentang Administrasi Kependudukan\n"
                       "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik",
        "persyaratan": "- Surat keterangan lahir dari rumah sakit\n- Kartu Keluarga\n- KTP-el orang tua",
        "prosedur": "1. Ambil nomor antrean\n2. Serahkan berkas di loket\n3. Terima akta",
        "jangka_waktu": "1 hari kerja",
        "jangka_waktu_hari_kerja": "1",
        "biaya": "Tidak dipungut biaya",
        "biaya_rupiah": "0",
        "produk": "Kutipan akta kelahiran",
        "sarana_prasarana": "Ruang tunggu\nMesin antrean",
        "kompetensi_pelaksana": "Memahami peraturan administrasi kependudukan",
        "pengawasan_internal": "Supervisi atasan langsung",
        "pengaduan": "SP4N-LAPOR! https://www.lapor.go.id\nKotak saran di loket",
        "jumlah_pelaksana": "3 orang",
        "jaminan_pelayanan": "Pelayanan sesuai standar.",
        "jaminan_keamanan": "Dokumen dijaga kerahasiaannya.",
        "evaluasi_kinerja": "Survei kepuasan masyarakat setiap semester.",
        "berlaku_sejak": "2025-08-17",
        "nomor_keputusan": "Keputusan Kepala Dinas Nomor 470/1/2025",
    }
    row.update(overrides)
    return row


def write_csv(path: Path, columns: list[str], rows: list[dict], *, delimiter=",",
              encoding="utf-8", bom=False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding=("utf-8-sig" if bom else encoding), newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(c, "") for c in columns])
    return path


def write_site_data(data_dir: Path, providers=None, services=None) -> Path:
    """A valid data/ folder with the given rows (defaults: one provider, two services)."""
    providers = providers if providers is not None else [provider()]
    services = services if services is not None else [
        service(),
        service(kode="ktp-el", nama="Penerbitan KTP-el", berlaku_sejak="2024-05-02",
                biaya="Rp50.000 per lembar", biaya_rupiah="50000"),
    ]
    write_csv(data_dir / "penyelenggara.csv", PROVIDER_COLUMNS, providers)
    write_csv(data_dir / "standar-pelayanan.csv", SERVICE_COLUMNS, services)
    return data_dir
