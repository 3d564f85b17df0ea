"""Section: publish what `etalase scrape` fetched as datasets, and list it on /data-eksternal/.

For every source in `data/sumber.toml` whose output file exists, the CSV is read and validated
with the Table Schema beside it (`<name>.schema.json`) and added as a `Dataset` whose
`extra["provenance"]` carries where it came from and when it was last checked and changed
(`<name>.sumber.json`). A source never fetched yet is simply not shown.
"""

from __future__ import annotations

from . import metadata
from .datasets import Dataset
from .errors import DataError, Problem
from .scrape import provenance as stored_provenance
from .scrape import schemacheck
from .scrape.provenance import when
from .scrape.config import CONFIG_NAME, Source, load_config
from .site import NavItem, Page, Site

PREVIEW_ROWS = 30
DEFAULT_THEME = "statistik"
# Data pulled from elsewhere is, by default, information available at any time (Pasal 11);
# a source that fulfils one of the ten periodic items says `kategori_kip = "berkala"` and
# `butir_berkala = N` (the KIP checks then hold it to that).
DEFAULT_KIP_CATEGORY = "setiap_saat"


def provenance_for_page(source: Source, stored: dict) -> dict:
    """The stored provenance plus the facts as shown to citizens (Indonesian dates)."""
    return {
        **stored,
        "sumber": source.options.get("penerbit") or source.title,
        "url": source.options.get("halaman_sumber") or stored.get("url") or source.url,
        "terakhir_diperiksa": when(stored.get("checked_at")),
        "terakhir_berubah": when(stored.get("changed_at")),
    }


def _options_problems(source: Source, display: str) -> list[Problem]:
    problems = []
    theme = source.options.get("tema", DEFAULT_THEME)
    if theme not in metadata.THEMES:
        problems.append(Problem(display, None, None, None,
            f"sumber {source.name}: tema \"{theme}\" tidak dikenal; pilih salah satu: "
            + ", ".join(metadata.THEMES)))
    frequency = source.options.get("frekuensi", "irregular")
    if frequency not in metadata.FREQUENCIES:
        problems.append(Problem(display, None, None, None,
            f"sumber {source.name}: frekuensi \"{frequency}\" tidak dikenal; pilih salah satu: "
            + ", ".join(metadata.FREQUENCIES)))
    return problems


def load(site: Site) -> None:
    if not (site.data_dir / CONFIG_NAME).exists():
        return
    display = site.display(site.data_dir / CONFIG_NAME)
    try:
        config = load_config(site.data_dir, display)
    except DataError as exc:
        site.problems.extend(exc.problems)
        return
    published = []
    for source in config.sources:
        csv_path = source.csv_path(site.data_dir)
        if not csv_path.exists():
            continue
        problems = _options_problems(source, display)
        if csv_path.is_dir():
            problems.append(Problem(site.display(csv_path), None, None, None,
                "ini sebuah folder, bukan berkas data; hapus folder itu lalu jalankan lagi: "
                "make scrape"))
        schema_path = source.schema_path(site.data_dir)
        table_schema = None
        if not schema_path.exists():
            problems.append(Problem(site.display(schema_path), None, None, None,
                "skema untuk data hasil ambil tidak ada; jalankan lagi: make scrape"))
        else:
            table_schema, issues, line = schemacheck.load(schema_path)
            problems.extend(Problem(site.display(schema_path), line, issue.column, issue.value,
                                    issue.message) for issue in issues)
        if source.name in site.datasets:
            problems.append(Problem(display, None, None, None,
                f"sumber {source.name}: nama ini sudah dipakai dataset lain; ganti \"nama\""))
        if problems:
            site.problems.extend(problems)
            continue
        frame = site.read(str(source.output.with_suffix("")), schema_path=schema_path)
        if frame is None:
            continue
        stored = stored_provenance.load(source.provenance_path(site.data_dir))
        dataset = Dataset(
            id=source.name, title=source.title,
            description=(source.description or (stored.get("metadata") or {}).get("notes")
                         or table_schema.get("description", "")),
            schema=table_schema, frame=frame,
            theme=source.options.get("tema", DEFAULT_THEME),
            source=frame.attrs["display"],
            keywords=list(source.options.get("kata_kunci", [])) or ["data eksternal"],
            frequency=source.options.get("frekuensi", "irregular"),
            kip_category=source.options.get("kategori_kip", DEFAULT_KIP_CATEGORY),
            berkala_item=source.options.get("butir_berkala"),
            license=source.options.get("lisensi"),
            extra={"provenance": provenance_for_page(source, stored)},
        )
        site.add_dataset(dataset)
        published.append(dataset)
    if published:
        site.parts["data_eksternal"] = published  # linked from the catalogue page, not the menu


def preview(dataset: Dataset, count: int = PREVIEW_ROWS) -> dict:
    """Column titles and the first rows as text (numbers with Indonesian separators)."""
    fields = dataset.schema["fields"]
    rows = []
    for record in dataset.frame.head(count).itertuples(index=False, name=None):
        cells = []
        for field, value in zip(fields, record):
            if value is None or (isinstance(value, float) and value != value) or \
                    str(value) in ("<NA>", "NaT", "nan", "None"):
                cells.append("")
            elif field.get("type") == "number":
                cells.append(f"{float(value):g}".replace(".", ","))
            elif field.get("type") == "date":
                cells.append(str(value)[:10])
            else:
                cells.append(str(value))
        rows.append(cells)
    return {"titles": [f.get("title") or f["name"] for f in fields],
            "numeric": [f.get("type") in ("number", "integer") for f in fields],
            "rows": rows, "total": dataset.row_count}


def pages(site: Site):
    datasets = site.parts.get("data_eksternal")
    if not datasets:
        return
    yield Page("data-eksternal/index.html", "data-eksternal.html", {
        "external": [{"dataset": d, "asal": d.extra["provenance"], "preview": preview(d)}
                     for d in datasets],
        "page_kind": "data-eksternal",
    })
