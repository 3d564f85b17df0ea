"""Pelican glue: load the site model in `generate_context`, write pages and downloads after.

Kept thin on purpose: everything it calls is plain Python that is tested without Pelican.
"""

from __future__ import annotations

import logging
from pathlib import Path

from pelican.generators import Generator

from . import exports, textformat
from .site import all_pages, build_time, load_site, write_files

logger = logging.getLogger(__name__)

FILTERS = {
    "daftar": textformat.split_list,
    "paragraf": textformat.paragraphs,
    "rupiah": textformat.rupiah,
    "tanggal": textformat.tanggal,
    "angka": textformat.angka,
    "bersih": textformat.clean_html,
    "tautan": textformat.linkify,
}


class EtalaseGenerator(Generator):
    """Reads `data/` into the site model and writes every data-driven page."""

    def generate_context(self):
        root = Path(self.settings.get("ETALASE_ROOT", Path(self.path).parent))
        data_dir = Path(self.settings.get("ETALASE_DATA_PATH", root / "data"))
        self.site = load_site(data_dir, self.settings, root=root)
        built = build_time(root)
        self.context.update({
            "etalase": self.site,
            "NAV_ITEMS": self.site.nav,
            "BUILT_AT": built,
        })

    def generate_output(self, writer):
        # Downloads first, then files made from them (checksums, catalogue), then pages.
        output = Path(self.output_path)
        for dataset in self.site.datasets.values():
            self.site.downloads[dataset.id] = exports.write_dataset(dataset, output)
        write_files(self.site, output)
        relative = self.settings.get("RELATIVE_URLS", False)
        for page in all_pages(self.site):
            template = self.get_template(page.template.removesuffix(".html"))
            writer.write_file(page.path, template, self.context, relative_urls=relative,
                              **page.context)
        logger.info("Etalase: %d layanan, %d dataset", len(self.site.services),
                    len(self.site.datasets))
