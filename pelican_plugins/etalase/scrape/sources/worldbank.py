"""World Bank indicators API (api.worldbank.org/v2): one country, one or more indicators.

Each indicator is fetched as paged JSON (`[meta, rows]`, `meta.pages`) to the last page, and
the series are joined into one row per year, one column per indicator, e.g.

    [[sumber]]
    nama = "wb-efektivitas-pemerintah"
    jenis = "worldbank"
    negara = "IDN"
    indikator = { "GE.EST" = "estimasi", "GE.PER.RNK" = "peringkat_persentil" }
"""

from __future__ import annotations

from .. import shapes
from ..config import Source
from ..fetching import Fetcher, Table, text_frame
from ..http import FetchError

API = "https://api.worldbank.org/v2"
PER_PAGE = 1000
# The [[sumber]] keys this kind reads, besides those every source has (config.SOURCE_KEYS).
KEYS = {"url": shapes.ADDRESS, "negara": shapes.TEXT, "indikator": shapes.TEXT_TABLE,
        "parameter": shapes.PLAIN_TABLE, "per_halaman": shapes.POSITIVE_WHOLE}


def check(source: Source) -> list[str]:
    problems = []
    if not str(source.options.get("negara", "")).strip():
        problems.append("\"negara\" wajib diisi dengan kode negara ISO tiga huruf (misalnya IDN)")
    indicators = source.options.get("indikator")
    if not isinstance(indicators, dict) or not indicators:
        problems.append("\"indikator\" wajib diisi, misalnya "
                        "indikator = { \"GE.EST\" = \"estimasi\" } (kode indikator = nama kolom)")
    return problems


def fetch(source: Source, fetcher: Fetcher) -> Table:
    base = str(source.options.get("url", API)).rstrip("/")
    country = source.options["negara"]
    per_page = int(source.options.get("per_halaman", PER_PAGE))
    extra = dict(source.options.get("parameter", {}))
    years: dict[str, dict] = {}
    names = {}
    updated = {}
    for code, column in source.options["indikator"].items():
        url = f"{base}/country/{country}/indicator/{code}"
        page, pages = 1, 1
        bar = None
        received, total = 0, None
        while page <= pages:
            # not conditional: a first page unchanged says nothing of the other pages and
            # indicators, which may have changed
            body = fetcher.json(url, {"format": "json", "per_page": per_page, "page": page,
                                      **extra}, conditional=False)
            meta, rows = _split(body, url)
            pages = int(meta.get("pages") or 0)
            if total is None and meta.get("total") is not None:
                total = int(meta["total"])
            received += len(rows)
            if meta.get("lastupdated"):
                updated[code] = meta["lastupdated"]
            if bar is None:
                bar = fetcher.progress(pages, f"{source.name} {code}")
            bar.update(1)
            for row in rows:
                year = str(row.get("date", "")).strip()
                names[code] = (row.get("indicator") or {}).get("value", code)
                record = years.setdefault(year, {"tahun": year,
                                                 "negara": row.get("countryiso3code") or country})
                record[column] = row.get("value")
            page += 1
        if bar is not None:
            bar.close()
        # a page that came back empty loses years: not published over the last good file (a
        # series that came back without one value is refused by the runner, which knows the
        # last file's column had values)
        if total is not None and received < total:
            raise FetchError(f"API Bank Dunia menyebut {total} baris untuk indikator {code} "
                             f"tetapi hanya memberikan {received}; data tidak lengkap, coba "
                             "lagi nanti")
    columns = ["tahun", "negara", *source.options["indikator"].values()]
    records = sorted((r for r in years.values()
                      if any(r.get(c) is not None for c in columns[2:])),
                     key=lambda r: r["tahun"])
    return Table(text_frame(records, columns), schema=_schema(source, names),
                 metadata={"indikator": names, "diperbarui_sumber": updated})


def _split(body, url: str) -> tuple[dict, list]:
    """The API answers `[meta, rows]`, or `[{"message": [...]}]` for a wrong request."""
    if isinstance(body, list) and body and isinstance(body[0], dict) and "message" in body[0]:
        messages = "; ".join(str(m.get("value", m)) for m in body[0]["message"])
        raise FetchError(f"API Bank Dunia menolak permintaan {url}: {messages}")
    if not (isinstance(body, list) and len(body) == 2 and isinstance(body[0], dict)):
        if isinstance(body, list) and len(body) == 1 and isinstance(body[0], dict):
            return body[0], []  # a query with no data at all: meta only
        raise FetchError(f"jawaban dari {url} tidak berbentuk [meta, data] seperti biasanya "
                         "API Bank Dunia; mungkin formatnya berubah")
    return body[0], body[1] or []


def _schema(source: Source, names: dict) -> dict:
    fields = [
        {"name": "tahun", "type": "integer", "title": "Tahun",
         "description": "Tahun yang diukur.", "constraints": {"required": True, "unique": True,
                                                              "minimum": 1900, "maximum": 2100}},
        {"name": "negara", "type": "string", "title": "Negara",
         "description": "Kode negara ISO 3166-1 alpha-3 (IDN = Indonesia).",
         "constraints": {"required": True, "pattern": "[A-Z]{3}"}},
    ]
    for code, column in source.options["indikator"].items():
        fields.append({"name": column, "type": "number", "title": names.get(code, code),
                       "description": f"Nilai indikator Bank Dunia {code} "
                                      f"({names.get(code, code)}); kosong bila tidak tersedia."})
    return {"fields": fields, "primaryKey": ["tahun"]}
