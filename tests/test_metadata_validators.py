"""The published metadata passes the real validators, for EVERY dataset of the example site:
frictionless on each Data Package, pyshacl with the DCAT-AP 3 shapes, jsonschema with the
Project Open Data v1.1 schema, and a JSON-LD parse of every landing page's schema.org block.

The shapes and schemas are read from `../shared/standards/` (beside the repository, as CI
clones it); if that folder is missing the tests fail and say so.
"""

from __future__ import annotations

import csv
import hashlib
import json
import zipfile
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import ROOT
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF

STANDARDS = Path(ROOT).parent / "shared" / "standards"
SH = Namespace("http://www.w3.org/ns/shacl#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")


@pytest.fixture(scope="module")
def standards() -> Path:
    if not (STANDARDS / "dcat-ap-3.0.1").is_dir() or not (STANDARDS / "pod-v1.1").is_dir():
        pytest.fail(f"{STANDARDS} is missing: the validator tests need the shared standards "
                    "folder (shapes and schemas) cloned beside this repository as ../shared/")
    return STANDARDS


@pytest.fixture(scope="module", params=["contoh", "tabel-besar"])
def site(request) -> Path:
    """The example site, and the same data with its bigger tables published as very large
    ones (CSV and Parquet, no JSON or Excel)."""
    return request.getfixturevalue("example_site" if request.param == "contoh"
                                   else "large_tables_site")


def _dataset_dirs(site: Path) -> list[Path]:
    return sorted(p.parent for p in (site / "data").glob("*/datapackage.json"))


def _local(site: Path, url: str) -> Path:
    """The built file behind one of the site's absolute URLs."""
    path = url.split("://", 1)[1].split("/", 1)[1]
    return site / path


def _downloads(folder: Path) -> set[str]:
    """The formats a dataset's folder holds downloads in: the usual three, or for a very
    large table CSV and Parquet."""
    found = {p.suffix[1:] for p in folder.glob(f"{folder.name}.*")
             if p.suffix in (".csv", ".json", ".xlsx", ".parquet")}
    assert found in ({"csv", "json", "xlsx"}, {"csv", "parquet"}), (folder.name, found)
    return found


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_every_dataset_of_the_site_is_in_every_catalogue(site):
    ids = {p.name for p in _dataset_dirs(site)}
    assert {"penyelenggara", "standar-pelayanan"} <= ids
    pages = {p.parent.name for p in (site / "data").glob("*/index.html")} - {"tema", "penerbit"}
    assert pages == ids
    pod = json.loads((site / "data" / "data.json").read_text(encoding="utf-8"))
    assert {d["landingPage"].rstrip("/").rsplit("/", 1)[1] for d in pod["dataset"]} == ids
    graph = Graph().parse(site / "data" / "catalog.ttl")
    assert {str(s).rstrip("/").rsplit("/", 1)[1] for s in graph.subjects(RDF.type, DCAT.Dataset)} == ids


def test_frictionless_validates_every_data_package(site):
    from frictionless import validate

    dirs = _dataset_dirs(site)
    assert dirs
    for folder in dirs:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        (resource,) = descriptor["resources"]
        assert resource["path"] == f"{folder.name}.csv"  # the CSV download itself
        assert resource["schema"]["fields"]
        report = validate(str(folder / "datapackage.json"))
        assert report.valid, f"{folder.name}: {report.flatten(['type', 'note'])[:5]}"


def test_a_package_whose_csv_was_altered_fails_validation(site, tmp_path):
    from frictionless import validate

    folder = site / "data" / "standar-pelayanan"
    copy = tmp_path / "standar-pelayanan"
    copy.mkdir()
    (copy / "datapackage.json").write_bytes((folder / "datapackage.json").read_bytes())
    (copy / "standar-pelayanan.csv").write_bytes(
        (folder / "standar-pelayanan.csv").read_bytes() + b"x\r\n")
    assert not validate(str(copy / "datapackage.json")).valid  # size and SHA-256 are checked


def test_per_dataset_packages_drop_keys_into_other_datasets_the_zip_package_keeps_and_checks_them(
        site, tmp_path):
    from frictionless import validate

    own = json.loads((site / "data/standar-pelayanan/datapackage.json").read_text(encoding="utf-8"))
    assert "foreignKeys" not in own["resources"][0]["schema"]
    with zipfile.ZipFile(site / "data" / "etalase-semua-data.zip") as zf:
        zf.extractall(tmp_path)
    whole = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    services = next(r for r in whole["resources"] if r["name"] == "standar-pelayanan")
    assert services["schema"]["foreignKeys"][0]["reference"]["resource"] == "penyelenggara"
    report = validate(str(tmp_path / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])[:5]
    # A service pointing at an unknown provider is caught by that foreign key.
    table = tmp_path / "standar-pelayanan" / "standar-pelayanan.csv"
    with open(table, encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    rows[1][rows[0].index("penyelenggara")] = "tidak-ada"
    with open(table, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\r\n").writerows(rows)
    for resource in whole["resources"]:
        resource.pop("bytes", None), resource.pop("hash", None)
    (tmp_path / "datapackage.json").write_text(json.dumps(whole), encoding="utf-8")
    errors = validate(str(tmp_path / "datapackage.json")).flatten(["type"])
    assert ["foreign-key"] in errors


def test_data_json_is_valid_project_open_data_1_1_non_federal(site, standards):
    import jsonschema
    import referencing

    folder = standards / "pod-v1.1" / "non-federal"
    schemas = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in folder.glob("*.json")}
    registry = referencing.Registry().with_resources(
        (f"https://project-open-data.cio.gov/v1.1/schema/{name}",
         referencing.Resource.from_contents(schema)) for name, schema in schemas.items())
    validator = jsonschema.Draft4Validator(schemas["catalog.json"], registry=registry,
                                           format_checker=jsonschema.FormatChecker())
    data = json.loads((site / "data" / "data.json").read_text(encoding="utf-8"))
    errors = [f"/{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
              for e in validator.iter_errors(data)]
    assert errors == []
    assert len(data["dataset"]) == len(_dataset_dirs(site))


def test_data_json_validation_does_catch_a_broken_catalogue(standards):
    import jsonschema
    import referencing

    folder = standards / "pod-v1.1" / "non-federal"
    schemas = {f.name: json.loads(f.read_text(encoding="utf-8")) for f in folder.glob("*.json")}
    registry = referencing.Registry().with_resources(
        (f"https://project-open-data.cio.gov/v1.1/schema/{name}",
         referencing.Resource.from_contents(schema)) for name, schema in schemas.items())
    validator = jsonschema.Draft4Validator(schemas["catalog.json"], registry=registry)
    broken = {"conformsTo": "https://project-open-data.cio.gov/v1.1/schema",
              "dataset": [{"title": "tanpa penerbit"}]}
    assert list(validator.iter_errors(broken))


def _shacl(data: Graph, shapes: Path):
    import pyshacl

    _, report, _ = pyshacl.validate(data, shacl_graph=str(shapes), advanced=True, inference="none")
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    by_severity = {}
    for result in results:
        by_severity.setdefault(report.value(result, SH.resultSeverity), []).append(
            f"{report.value(result, SH.focusNode)} {report.value(result, SH.resultPath)} "
            f"{report.value(result, SH.resultMessage)}")
    return by_severity


@pytest.mark.parametrize("name,fmt", [("catalog.ttl", "turtle"), ("catalog.jsonld", "json-ld")])
def test_the_dcat_catalogue_has_zero_dcat_ap_3_violations(site, standards, name, fmt):
    data = Graph().parse(site / "data" / name, format=fmt)
    results = _shacl(data, standards / "dcat-ap-3.0.1" / "merged-html-shapes+range.ttl")
    assert results.get(SH.Violation, []) == []


def test_the_shapes_do_find_violations_in_a_catalogue_missing_mandatory_fields(site, standards):
    data = Graph().parse(site / "data" / "catalog.ttl")
    for dataset in list(data.subjects(RDF.type, DCAT.Dataset)):
        data.remove((dataset, DCTERMS.description, None))
    results = _shacl(data, standards / "dcat-ap-3.0.1" / "merged-html-shapes+range.ttl")
    assert len(results.get(SH.Violation, [])) == len(_dataset_dirs(site))


def test_the_json_ld_catalogue_has_an_inline_context_and_the_same_graph_as_the_turtle(site):
    raw = json.loads((site / "data" / "catalog.jsonld").read_text(encoding="utf-8"))
    assert isinstance(raw["@context"], dict)  # nothing remote to fetch
    turtle = Graph().parse(site / "data" / "catalog.ttl")
    jsonld = Graph().parse(site / "data" / "catalog.jsonld", format="json-ld")
    assert isomorphic(turtle, jsonld)


def test_each_dcat_dataset_carries_what_the_ckan_dcat_harvester_reads(site):
    g = Graph().parse(site / "data" / "catalog.ttl")
    catalog = next(g.subjects(RDF.type, DCAT.Catalog))
    for folder in _dataset_dirs(site):
        ds = URIRef(f"{catalog}{folder.name}/")
        assert (catalog, DCAT.dataset, ds) in g
        assert g.value(ds, DCTERMS.identifier) == Literal(str(ds))
        for prop in (DCTERMS.title, DCTERMS.description, DCTERMS.license, DCTERMS.modified,
                     DCAT.keyword, DCAT.theme, DCAT.landingPage):
            assert g.value(ds, prop) is not None, (folder.name, prop)
        assert g.value(g.value(ds, DCTERMS.publisher), FOAF.name) is not None
        assert str(g.value(g.value(ds, DCAT.contactPoint), VCARD.hasEmail)).startswith("mailto:")
        distributions = list(g.objects(ds, DCAT.distribution))
        assert {str(g.value(d, DCAT.downloadURL)).rsplit(".", 1)[1] for d in distributions} == \
            _downloads(folder)
        for d in distributions:
            assert g.value(d, DCAT.accessURL) == ds
            assert g.value(d, DCAT.mediaType) is not None
            written = _local(site, str(g.value(d, DCAT.downloadURL)))
            assert g.value(d, DCAT.byteSize).toPython() == written.stat().st_size
            checksum = g.value(d, SPDX.checksum)
            assert g.value(checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
            assert str(g.value(checksum, SPDX.checksumValue)) == _sha256(written)


def test_every_landing_page_links_to_the_dcat_catalogue(site):
    for folder in _dataset_dirs(site):
        page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
        alternates = {link["type"]: link["href"] for link in page.select("link[rel=alternate]")}
        assert alternates["text/turtle"].endswith("/data/catalog.ttl")
        assert alternates["application/ld+json"].endswith("/data/catalog.jsonld")


def test_the_schema_org_block_of_every_landing_page_parses_as_json_ld(site):
    for folder in _dataset_dirs(site):
        page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
        (script,) = page.select('script[type="application/ld+json"]')
        data = json.loads(script.string)
        assert data["@type"] == "Dataset"
        assert data["name"] == page.h1.get_text(strip=True)
        for key in ("description", "identifier", "license", "creator", "publisher",
                    "dateModified", "datePublished"):
            assert data.get(key), (folder.name, key)
        for download in data["distribution"]:
            assert download["@type"] == "DataDownload" and download["encodingFormat"]
            assert _local(site, download["contentUrl"]).is_file()
        # As RDF too, with schema.org's context given locally (no network in tests).
        data["@context"] = {"@vocab": "http://schema.org/"}
        graph = Graph().parse(data=json.dumps(data), format="json-ld")
        schema = Namespace("http://schema.org/")
        (dataset,) = graph.subjects(RDF.type, schema.Dataset)
        assert len(list(graph.objects(dataset, schema.distribution))) == len(_downloads(folder))


def test_the_four_vocabularies_say_the_same_thing_about_each_dataset(site):
    pod = {d["landingPage"]: d for d in json.loads(
        (site / "data" / "data.json").read_text(encoding="utf-8"))["dataset"]}
    g = Graph().parse(site / "data" / "catalog.ttl")
    for folder in _dataset_dirs(site):
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        page = BeautifulSoup((folder / "index.html").read_text(encoding="utf-8"), "lxml")
        org = json.loads(page.select_one('script[type="application/ld+json"]').string)
        uri = org["url"]
        ds = URIRef(uri)
        assert package["title"] == pod[uri]["title"] == str(g.value(ds, DCTERMS.title)) == org["name"]
        assert pod[uri]["modified"] == str(g.value(ds, DCTERMS.modified)) == org["dateModified"]
        assert package["licenses"][0]["path"] == pod[uri]["license"] == \
            str(g.value(ds, DCTERMS.license)) == org["license"]
        assert package["keywords"] == pod[uri]["keyword"] == org["keywords"]
