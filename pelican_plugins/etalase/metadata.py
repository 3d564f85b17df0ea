"""THE one mapping from a dataset's catalogue record to the four metadata vocabularies.

`Record` is the neutral description of one published dataset (catalogue.py fills it from the
`Dataset`, git history, the settings and the written downloads). `TERMS` is the crosswalk:
one row per field, naming its key in each vocabulary —

* Frictionless Data Package (`data/<id>/datapackage.json`),
* Project Open Data v1.1 (`data/data.json`),
* DCAT / DCAT-AP 3 as RDF (`data/catalog.ttl`, `data/catalog.jsonld`),
* schema.org `Dataset` (JSON-LD embedded in each landing page) —

and `_JSON_ENCODERS` / `_DCAT_ENCODERS` say how each kind of value is written in each one. No
field is written four times by hand: adding a field is one row in `TERMS`.

Everything here is deterministic (sorted, no random blank-node ids, no clock), so rebuilding
the same commit gives byte-identical files.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Callable, NamedTuple

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, SKOS, XSD

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
EU = "http://publications.europa.eu/resource/authority/"
STABLE = URIRef(f"{EU}planned-availability/STABLE")
IANA = "https://www.iana.org/assignments/media-types/"
ADMS_PUBLISHER_TYPE = "http://purl.org/adms/publishertype/"
POD_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema"

# The JSON-LD context written inline into catalog.jsonld (no remote context to fetch).
JSONLD_CONTEXT = {
    "dcat": str(DCAT), "dct": str(DCTERMS), "foaf": str(FOAF), "vcard": str(VCARD),
    "spdx": str(SPDX), "skos": str(SKOS), "xsd": str(XSD), "dcatap": str(DCATAP),
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}


class Frequency(NamedTuple):
    label: str  # Indonesian, for people
    eu: str  # EU frequency authority code (DCAT-AP)
    iso: str  # ISO 8601 repeating duration (Project Open Data)


# Dataset.frequency codes. The EU and ISO forms are what DCAT-AP and data.json expect.
FREQUENCIES = {
    "continuous": Frequency("terus-menerus", "UPDATE_CONT", "R/PT1S"),
    "daily": Frequency("harian", "DAILY", "R/P1D"),
    "weekly": Frequency("mingguan", "WEEKLY", "R/P1W"),
    "monthly": Frequency("bulanan", "MONTHLY", "R/P1M"),
    "quarterly": Frequency("triwulanan (tiga bulanan)", "QUARTERLY", "R/P3M"),
    "semiannual": Frequency("semesteran (enam bulanan)", "BIANNUAL", "R/P6M"),
    "annual": Frequency("tahunan", "ANNUAL", "R/P1Y"),
    "irregular": Frequency("tidak tentu (setiap ada perubahan)", "IRREG", "irregular"),
}

# Licences we can name; any other URL is published as it is.
LICENSES = {
    "https://creativecommons.org/licenses/by/4.0/": ("CC-BY-4.0", "Creative Commons Atribusi 4.0 Internasional"),
    "https://creativecommons.org/publicdomain/zero/1.0/": ("CC0-1.0", "CC0 1.0 Universal (domain publik)"),
    "https://opendatacommons.org/licenses/by/1-0/": ("ODC-By-1.0", "Open Data Commons Attribution 1.0"),
}

LANGUAGES = {"id": "IND", "en": "ENG"}  # ISO 639-1 → EU language authority code

# Catalogue themes: Indonesian label and the EU data theme it belongs to (DCAT-AP).
THEMES = {
    "layanan": ("Layanan publik", "GOVE"),
    "kinerja": ("Kinerja pelayanan", "GOVE"),
    "informasi-publik": ("Informasi publik", "GOVE"),
    "statistik": ("Statistik", "GOVE"),
    "etika": ("Kode etik dan perilaku", "GOVE"),
    "keuangan": ("Keuangan", "ECON"),
    "kesehatan": ("Kesehatan", "HEAL"),
    "pendidikan": ("Pendidikan", "EDUC"),
    "kependudukan": ("Kependudukan", "SOCI"),
    "lingkungan": ("Lingkungan", "ENVI"),
    "transportasi": ("Transportasi", "TRAN"),
    "hukum": ("Hukum dan keadilan", "JUST"),
}
EU_THEME_LABELS = {"GOVE": "Government and public sector", "ECON": "Economy and finance",
                   "HEAL": "Health", "EDUC": "Education, culture and sport",
                   "SOCI": "Population and society", "ENVI": "Environment",
                   "TRAN": "Transport", "JUST": "Justice, legal system and public safety"}
FILE_TYPES = {"csv": "CSV", "json": "JSON", "xlsx": "XLSX",  # EU file-type authority codes
              "parquet": "PARQUET"}


def theme_label(slug: str) -> str:
    return THEMES.get(slug, (slug.replace("-", " ").capitalize(), "GOVE"))[0]


def license_name(url: str) -> tuple[str, str]:
    """(SPDX-style id, title) of a licence URL."""
    return LICENSES.get(url, ("lisensi-lain", url))


@dataclass(frozen=True)
class Agent:
    """A publisher or contact point."""

    name: str
    url: str | None = None  # its web page
    email: str | None = None
    uri: str | None = None  # its stable identifier (the RDF node); None = a blank node
    kind: str | None = None  # ADMS publisher type, e.g. "LocalAuthority"


@dataclass(frozen=True)
class Download:
    """One written file of a dataset."""

    format: str  # csv, json, xlsx
    url: str  # absolute download URL
    media_type: str
    byte_size: int
    sha256: str
    title: str


@dataclass
class Record:
    """The neutral catalogue record of one dataset: what every vocabulary is written from."""

    id: str
    uri: str  # stable HTTP URI: the landing page, also the identifier
    title: str
    description: str
    publisher: Agent
    contact: Agent
    license: str  # URL
    theme: str  # catalogue theme slug
    frequency: str  # a FREQUENCIES code
    keywords: tuple[str, ...] = ()
    issued: str | None = None  # ISO date or date-time
    modified: str | None = None
    temporal: tuple[str, str] | None = None  # ISO dates
    spatial: str | None = None  # URI of the place covered (e.g. EU country authority IDN)
    version: str | None = None
    language: str = "id"
    downloads: tuple[Download, ...] = ()
    table_schema: dict = field(default_factory=dict)  # the published Table Schema
    catalog_uri: str = ""  # the catalogue's URI (data/)
    catalog_name: str = ""
    package_url: str = ""  # its datapackage.json


@dataclass(frozen=True)
class Term:
    """One row of the crosswalk: a Record attribute and its key in each vocabulary."""

    attr: str
    kind: str  # how the value is encoded, see the _ENCODERS tables
    package: str | None = None  # Frictionless Data Package key
    pod: str | None = None  # Project Open Data v1.1 key
    dcat: URIRef | None = None  # DCAT predicate
    schema_org: tuple[str, ...] = ()  # schema.org properties


DCT = DCTERMS
DCAT_VERSION = URIRef(f"{DCAT}version")  # DCAT 3 term, not in rdflib's DCAT namespace yet
TERMS: tuple[Term, ...] = (
    Term("id", "text", package="name"),
    Term("uri", "text", pod="identifier", dcat=DCT.identifier, schema_org=("identifier",)),
    Term("title", "prose", "title", "title", DCT.title, ("name",)),
    Term("description", "prose", "description", "description", DCT.description, ("description",)),
    Term("keywords", "keywords", "keywords", "keyword", DCAT.keyword, ("keywords",)),
    Term("uri", "page", "homepage", "landingPage", DCAT.landingPage, ("url",)),
    Term("issued", "date", "created", "issued", DCT.issued, ("datePublished",)),
    Term("modified", "date", None, "modified", DCT.modified, ("dateModified",)),
    Term("version", "text", "version", None, DCAT_VERSION, ("version",)),
    Term("license", "license", "licenses", "license", DCT.license, ("license",)),
    Term("language", "language", None, "language", DCT.language, ("inLanguage",)),
    Term("frequency", "frequency", None, "accrualPeriodicity", DCT.accrualPeriodicity),
    Term("temporal", "period", None, "temporal", DCT.temporal, ("temporalCoverage",)),
    Term("spatial", "place", None, "spatial", DCT.spatial, ("spatialCoverage",)),
    Term("theme", "theme", None, "theme", DCAT.theme),
    Term("publisher", "agent", "contributors", "publisher", DCT.publisher,
         ("creator", "publisher")),
    Term("contact", "contact", "contributors", "contactPoint", DCAT.contactPoint),
    Term("downloads", "downloads", "resources", "distribution", DCAT.distribution,
         ("distribution",)),
)


def _empty(value) -> bool:
    return value is None or value == "" or value == () or value == []


# --- JSON vocabularies (Data Package, data.json, schema.org) -------------------------------


def _as_datetime(value: str) -> str:
    return value if "T" in value else f"{value}T00:00:00Z"


def _package_resource(record: Record) -> list[dict]:
    resources = []
    for d in record.downloads:
        if d.format != "csv":  # the tabular resource; JSON and XLSX are the same rows
            continue
        resources.append({
            "name": record.id, "path": d.url.rsplit("/", 1)[-1], "profile": "tabular-data-resource",
            "title": record.title, "format": "csv", "mediatype": d.media_type, "encoding": "utf-8",
            "bytes": d.byte_size, "hash": f"sha256:{d.sha256}", "schema": record.table_schema,
        })
    return resources


def _pod_distribution(record: Record) -> list[dict]:
    out = []
    for d in record.downloads:
        item = {"@type": "dcat:Distribution", "title": d.title, "downloadURL": d.url,
                "mediaType": d.media_type, "format": FILE_TYPES.get(d.format, d.format.upper())}
        if d.format == "csv" and record.package_url:
            item.update(describedBy=record.package_url, describedByType="application/json")
        out.append(item)
    return out


def _schema_org_distribution(record: Record) -> list[dict]:
    return [{"@type": "DataDownload", "name": d.title, "contentUrl": d.url,
             "encodingFormat": d.media_type, "contentSize": f"{d.byte_size} B", "sha256": d.sha256}
            for d in record.downloads]


def _schema_org_agent(agent: Agent, record: Record) -> dict:
    out = {"@type": "Organization", "name": agent.name}
    if agent.url:
        out["url"] = agent.url
    return out


_JSON_ENCODERS: dict[tuple[str, str], Callable[[Any, Record], Any]] = {
    ("keywords", "package"): lambda v, r: list(v),
    ("keywords", "pod"): lambda v, r: list(v),
    ("keywords", "schema_org"): lambda v, r: list(v),
    ("date", "package"): lambda v, r: _as_datetime(v),
    ("license", "package"): lambda v, r: [{"name": license_name(v)[0], "path": v,
                                          "title": license_name(v)[1]}],
    ("language", "pod"): lambda v, r: [v],
    ("frequency", "pod"): lambda v, r: FREQUENCIES[v].iso,
    ("period", "pod"): lambda v, r: f"{v[0]}/{v[1]}",
    ("period", "schema_org"): lambda v, r: f"{v[0]}/{v[1]}",
    ("theme", "pod"): lambda v, r: [theme_label(v)],
    ("agent", "package"): lambda v, r: [{"title": v.name, "role": "publisher",
                                        **({"path": v.url} if v.url else {})}],
    ("agent", "pod"): lambda v, r: {"@type": "org:Organization", "name": v.name},
    ("agent", "schema_org"): _schema_org_agent,
    ("contact", "package"): lambda v, r: [{"title": v.name, "email": v.email, "role": "maintainer"}],
    ("contact", "pod"): lambda v, r: {"@type": "vcard:Contact", "fn": v.name,
                                      "hasEmail": f"mailto:{v.email}"},
    ("downloads", "package"): lambda v, r: _package_resource(r),
    ("downloads", "pod"): lambda v, r: _pod_distribution(r),
    ("downloads", "schema_org"): lambda v, r: _schema_org_distribution(r),
}


def _json_fields(record: Record, vocabulary: str) -> dict:
    """Every TERM of `record` that `vocabulary` has, encoded for it."""
    out: dict[str, Any] = {}
    for term in TERMS:
        keys = getattr(term, vocabulary)
        if not keys:
            continue
        value = getattr(record, term.attr)
        if _empty(value):
            continue
        encoded = _JSON_ENCODERS.get((term.kind, vocabulary), lambda v, r: v)(value, record)
        for key in (keys,) if isinstance(keys, str) else keys:
            if isinstance(out.get(key), list) and isinstance(encoded, list):
                out[key] = out[key] + encoded  # e.g. publisher and contact both contributors
            else:
                out[key] = encoded
    return out


def data_package(record: Record) -> dict:
    """The dataset's Frictionless Data Package (tabular, CSV resource with its Table Schema)."""
    return {"profile": "tabular-data-package", **_json_fields(record, "package")}


def pod_dataset(record: Record) -> dict:
    return {"@type": "dcat:Dataset", "accessLevel": "public", **_json_fields(record, "pod")}


def pod_catalog(records: list[Record], catalog_url: str) -> dict:
    """The catalogue as Project Open Data v1.1 `data.json` (non-federal profile)."""
    return {
        "@context": f"{POD_SCHEMA}/catalog.jsonld",
        "@id": catalog_url,
        "@type": "dcat:Catalog",
        "conformsTo": POD_SCHEMA,
        "describedBy": f"{POD_SCHEMA}/catalog.json",
        "dataset": [pod_dataset(r) for r in records],
    }


def schema_org(record: Record) -> dict:
    """The schema.org `Dataset` embedded in the landing page, for dataset search engines."""
    out = {"@context": "https://schema.org", "@type": "Dataset",
           **_json_fields(record, "schema_org"), "isAccessibleForFree": True}
    if record.table_schema.get("fields"):
        out["variableMeasured"] = [f.get("title") or f["name"] for f in record.table_schema["fields"]]
    if record.catalog_uri:
        out["includedInDataCatalog"] = {"@type": "DataCatalog", "name": record.catalog_name,
                                        "url": record.catalog_uri}
    return out


def script_json(data: dict) -> str:
    """JSON for a <script type="application/ld+json"> element: `</` cannot end the script."""
    return json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")


# --- DCAT (RDF) --------------------------------------------------------------------------

# The class each linked resource has, as DCAT-AP's range shapes require (no inference).
RANGE = {
    DCAT.landingPage: FOAF.Document, FOAF.homepage: FOAF.Document,
    DCT.license: DCT.LicenseDocument, DCT.language: DCT.LinguisticSystem,
    DCT.accrualPeriodicity: DCT.Frequency, DCAT.mediaType: DCT.MediaType,
    DCT.format: DCT.MediaTypeOrExtent, DCAT.theme: SKOS.Concept,
    DCAT.themeTaxonomy: SKOS.ConceptScheme, DCT.spatial: DCT.Location,
}


def _node_id(*parts: str) -> BNode:
    """A blank node with a fixed label, so serialisations are reproducible."""
    return BNode("".join(c if c.isalnum() else "_" for c in "_".join(parts)))


def _link(g: Graph, s, p, o) -> None:
    g.add((s, p, o))
    if p in RANGE:
        g.add((o, RDF.type, RANGE[p]))


def _dcat_agent(g, s, p, agent: Agent, r: Record):
    node = URIRef(agent.uri) if agent.uri else _node_id("agent", agent.name)
    g.add((s, p, node))
    for kind in (FOAF.Agent, FOAF.Organization):
        g.add((node, RDF.type, kind))
    g.add((node, FOAF.name, Literal(agent.name)))
    if agent.url:
        g.add((node, FOAF.homepage, URIRef(agent.url)))
    if agent.kind:
        kind = URIRef(f"{ADMS_PUBLISHER_TYPE}{agent.kind}")
        g.add((node, DCT.type, kind))
        g.add((kind, RDF.type, SKOS.Concept))
        g.add((kind, SKOS.prefLabel, Literal(agent.kind, lang="en")))
    if agent.email:
        g.add((node, FOAF.mbox, URIRef(f"mailto:{agent.email}")))


def _dcat_contact(g, s, p, agent: Agent, r: Record):
    node = URIRef(agent.uri) if agent.uri else _node_id("contact", agent.name)
    g.add((s, p, node))
    for kind in (VCARD.Kind, VCARD.Organization):
        g.add((node, RDF.type, kind))
    g.add((node, VCARD.fn, Literal(agent.name)))
    if agent.email:
        g.add((node, VCARD.hasEmail, URIRef(f"mailto:{agent.email}")))


def _dcat_date(g, s, p, value: str, r: Record):
    g.add((s, p, Literal(value, datatype=XSD.dateTime if "T" in value else XSD.date)))


def _dcat_period(g, s, p, value, r: Record):
    node = _node_id("periode", r.id)
    g.add((s, p, node))
    g.add((node, RDF.type, DCT.PeriodOfTime))
    g.add((node, DCAT.startDate, Literal(value[0], datatype=XSD.date)))
    g.add((node, DCAT.endDate, Literal(value[1], datatype=XSD.date)))


def _dcat_theme(g, s, p, slug: str, r: Record):
    eu_code = THEMES.get(slug, ("", "GOVE"))[1]
    eu = URIRef(f"{EU}data-theme/{eu_code}")
    _link(g, s, p, eu)
    g.add((eu, SKOS.prefLabel, Literal(EU_THEME_LABELS.get(eu_code, eu_code), lang="en")))
    g.add((eu, SKOS.inScheme, URIRef(f"{EU}data-theme")))
    if r.catalog_uri:  # and our own theme, the one the catalogue is browsed by
        own = URIRef(f"{r.catalog_uri}tema/{slug}/")
        _link(g, s, p, own)
        g.add((own, SKOS.prefLabel, Literal(theme_label(slug), lang="id")))
        g.add((own, SKOS.inScheme, URIRef(f"{r.catalog_uri}tema/")))


def _dcat_downloads(g, s, p, downloads, r: Record):
    for d in downloads:
        node = URIRef(f"{r.uri}#unduh-{d.format}")
        g.add((s, p, node))
        g.add((node, RDF.type, DCAT.Distribution))
        g.add((node, DCT.title, Literal(d.title, lang=r.language)))
        g.add((node, DCT.description, Literal(
            f"Seluruh baris dataset \"{r.title}\" dalam format {d.format.upper()}.", lang=r.language)))
        g.add((node, DCAT.accessURL, URIRef(r.uri)))
        # Download URLs are kept stable: the catalogue promises it (DCAT-AP availability).
        g.add((node, DCATAP.availability, STABLE))
        g.add((STABLE, RDF.type, SKOS.Concept))
        g.add((STABLE, SKOS.prefLabel, Literal("stable", lang="en")))
        g.add((node, DCAT.downloadURL, URIRef(d.url)))
        _link(g, node, DCAT.mediaType, URIRef(f"{IANA}{d.media_type}"))
        _link(g, node, DCT.format, URIRef(f"{EU}file-type/{FILE_TYPES.get(d.format, d.format.upper())}"))
        _link(g, node, DCT.license, URIRef(r.license))
        g.add((node, DCAT.byteSize, Literal(d.byte_size, datatype=XSD.nonNegativeInteger)))
        checksum = _node_id("checksum", r.id, d.format)
        g.add((node, SPDX.checksum, checksum))
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(d.sha256, datatype=XSD.hexBinary)))
        if r.modified:
            _dcat_date(g, node, DCT.modified, r.modified, r)


_DCAT_ENCODERS: dict[str, Callable] = {
    "text": lambda g, s, p, v, r: g.add((s, p, Literal(v))),
    "prose": lambda g, s, p, v, r: g.add((s, p, Literal(v, lang=r.language))),
    "keywords": lambda g, s, p, v, r: [g.add((s, p, Literal(k, lang=r.language))) for k in v],
    "page": lambda g, s, p, v, r: _link(g, s, p, URIRef(v)),
    "date": _dcat_date,
    "license": lambda g, s, p, v, r: _link(g, s, p, URIRef(v)),
    "language": lambda g, s, p, v, r: _link(g, s, p, URIRef(f"{EU}language/{LANGUAGES.get(v, v.upper())}")),
    "frequency": lambda g, s, p, v, r: _link(g, s, p, URIRef(f"{EU}frequency/{FREQUENCIES[v].eu}")),
    "period": _dcat_period,
    "place": lambda g, s, p, v, r: _link(g, s, p, URIRef(v)),
    "theme": _dcat_theme,
    "agent": _dcat_agent,
    "contact": _dcat_contact,
    "downloads": _dcat_downloads,
}


def _bind(g: Graph) -> None:
    for prefix, ns in JSONLD_CONTEXT.items():
        g.bind(prefix, Namespace(ns))


@dataclass(frozen=True)
class Catalog:
    uri: str  # the catalogue's URI: <site>/data/
    title: str
    description: str
    publisher: Agent
    homepage: str
    license: str
    language: str = "id"
    issued: str | None = None
    modified: str | None = None
    spatial: str | None = None


def dcat_graph(records: list[Record], catalog: Catalog) -> Graph:
    """The whole catalogue as a DCAT (DCAT-AP 3) graph."""
    g = Graph()
    _bind(g)
    cat = URIRef(catalog.uri)
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCT.title, Literal(catalog.title, lang=catalog.language)))
    g.add((cat, DCT.description, Literal(catalog.description, lang=catalog.language)))
    _dcat_agent(g, cat, DCT.publisher, catalog.publisher, None)
    _link(g, cat, FOAF.homepage, URIRef(catalog.homepage))
    _link(g, cat, DCT.license, URIRef(catalog.license))
    _link(g, cat, DCT.language, URIRef(f"{EU}language/{LANGUAGES.get(catalog.language, 'IND')}"))
    if catalog.spatial:
        _link(g, cat, DCT.spatial, URIRef(catalog.spatial))
    if catalog.issued:
        _dcat_date(g, cat, DCT.issued, catalog.issued, None)
    if catalog.modified:
        _dcat_date(g, cat, DCT.modified, catalog.modified, None)
    for scheme, title in ((URIRef(f"{EU}data-theme"), "Data theme (EU)"),
                          (URIRef(f"{catalog.uri}tema/"), "Tema katalog data")):
        _link(g, cat, DCAT.themeTaxonomy, scheme)
        g.add((scheme, DCT.title, Literal(title)))
    for r in records:
        ds = URIRef(r.uri)
        g.add((cat, DCAT.dataset, ds))
        g.add((ds, RDF.type, DCAT.Dataset))
        for term in TERMS:
            value = getattr(r, term.attr)
            if term.dcat is None or _empty(value):
                continue
            _DCAT_ENCODERS[term.kind](g, ds, term.dcat, value, r)
    return g


def turtle(graph: Graph) -> str:
    return graph.serialize(format="turtle")


def _sorted_json(value):
    """JSON-LD with arrays sorted (they are unordered sets in RDF): reproducible output."""
    if isinstance(value, dict):
        return {k: _sorted_json(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        items = [_sorted_json(v) for v in value]
        return sorted(items, key=lambda v: json.dumps(v, sort_keys=True, ensure_ascii=False))
    return value


def jsonld(graph: Graph) -> str:
    """The graph as JSON-LD with its @context written inline (nothing remote to fetch)."""
    data = json.loads(graph.serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True))
    data["@context"] = JSONLD_CONTEXT
    return json.dumps(_sorted_json(data), ensure_ascii=False, indent=1) + "\n"
