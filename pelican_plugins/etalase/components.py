"""The 14 components of a service standard (UU 25/2009 Pasal 21, PermenPAN-RB 15/2014).

One table says, for each component, its Pasal 21 letter, the CSV column, the heading shown to
citizens, whether it is one of the six components published to the public (penyampaian) or
one of the eight management components (pengelolaan), and how its cell is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass

PENYAMPAIAN = "penyampaian"  # published to the public, shown first
PENGELOLAAN = "pengelolaan"  # management components, shown after


@dataclass(frozen=True)
class Component:
    letter: str
    column: str
    heading: str
    group: str
    render: str  # "numbered", "bulleted", "text" or "fee" or "time"

    @property
    def is_list(self) -> bool:
        """One item per line (`textformat.split_list`): a cell of markers only ("-",
        "1.⏎2.") has no item and leaves the component as empty as a blank cell does."""
        return self.render in ("numbered", "bulleted")


COMPONENTS: tuple[Component, ...] = (
    Component("a", "dasar_hukum", "Dasar hukum", PENGELOLAAN, "bulleted"),
    Component("b", "persyaratan", "Persyaratan", PENYAMPAIAN, "bulleted"),
    Component("c", "prosedur", "Sistem, mekanisme, dan prosedur", PENYAMPAIAN, "numbered"),
    Component("d", "jangka_waktu", "Jangka waktu penyelesaian", PENYAMPAIAN, "time"),
    Component("e", "biaya", "Biaya/tarif", PENYAMPAIAN, "fee"),
    Component("f", "produk", "Produk pelayanan", PENYAMPAIAN, "bulleted"),
    Component("g", "sarana_prasarana", "Sarana, prasarana, dan/atau fasilitas", PENGELOLAAN, "bulleted"),
    Component("h", "kompetensi_pelaksana", "Kompetensi pelaksana", PENGELOLAAN, "bulleted"),
    Component("i", "pengawasan_internal", "Pengawasan internal", PENGELOLAAN, "bulleted"),
    Component("j", "pengaduan", "Penanganan pengaduan, saran, dan masukan", PENYAMPAIAN, "bulleted"),
    Component("k", "jumlah_pelaksana", "Jumlah pelaksana", PENGELOLAAN, "text"),
    Component("l", "jaminan_pelayanan", "Jaminan pelayanan", PENGELOLAAN, "text"),
    Component("m", "jaminan_keamanan", "Jaminan keamanan dan keselamatan pelayanan", PENGELOLAAN, "text"),
    Component("n", "evaluasi_kinerja", "Evaluasi kinerja pelaksana", PENGELOLAAN, "text"),
)

# Columns that must be filled besides the component text itself: the promise and fee as numbers.
COMPANION_COLUMNS = {"jangka_waktu": "jangka_waktu_hari_kerja", "biaya": "biaya_rupiah"}

LIST_COLUMNS = tuple(c.column for c in COMPONENTS if c.is_list)

PUBLISHED = tuple(c for c in COMPONENTS if c.group == PENYAMPAIAN)
MANAGEMENT = tuple(c for c in COMPONENTS if c.group == PENGELOLAAN)
# The six citizen-facing components in the order a citizen asks about them.
PUBLISHED_ORDER = ("persyaratan", "prosedur", "jangka_waktu", "biaya", "produk", "pengaduan")
PUBLISHED = tuple(sorted(PUBLISHED, key=lambda c: PUBLISHED_ORDER.index(c.column)))
# What the site search indexes of a service page besides its name, provider, category, summary
# and key facts: what a citizen searches by ("surat pengantar", "KTP", "gratis"). The long
# procedure, complaint-handling and management texts are much alike across services and made the
# search index of a province's 10 000 services several GB to build (docs/performance.md).
SEARCHED = ("persyaratan", "biaya", "produk")
