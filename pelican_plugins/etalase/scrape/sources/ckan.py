"""CKAN action API (Satu Data Indonesia and many regional portals): metadata and rows.

The dataset's metadata comes from `package_show`; its rows from `datastore_search`, paged with
`offset` until `total` rows are in. With `mode = "berkas"` the resource's file (CSV or XLSX)
is downloaded instead, with a conditional request. Every answer is
`{"help", "success", "result"}`; `success = false` is reported with CKAN's own message.

    [[sumber]]
    nama = "satu-data-ikm"
    jenis = "ckan"
    url = "https://data.go.id"          # the portal's address
    dataset = "indeks-kepuasan-masyarakat"
    resource = "0d3f…"                  # the resource id (a table in the DataStore)
"""

from __future__ import annotations

import json

from .. import shapes
from ..config import Source
from ..fetching import Fetcher, Table, text_frame
from ..http import FetchError
from . import remote_file

PAGE_SIZE = 1000
# The [[sumber]] keys this kind reads, besides those every source has (config.SOURCE_KEYS).
KEYS = {"url": shapes.ADDRESS, "dataset": shapes.TEXT, "resource": shapes.TEXT,
        "mode": shapes.TEXT, "per_halaman": shapes.POSITIVE_WHOLE,
        "kolom": shapes.TEXT_TABLE, "hanya_kolom_terpetakan": shapes.YES_NO}
# CKAN DataStore (PostgreSQL) column types → Table Schema types.
_TYPES = {"int": "integer", "int4": "integer", "int8": "integer", "integer": "integer",
          "bigint": "integer", "numeric": "number", "float8": "number", "float": "number",
          "double precision": "number", "date": "date", "bool": "boolean", "boolean": "boolean"}


def check(source: Source) -> list[str]:
    problems = []
    if not source.url.startswith(("http://", "https://")):
        problems.append("\"url\" wajib diisi dengan alamat portal CKAN "
                        "(misalnya https://data.go.id)")
    if not source.options.get("dataset"):
        problems.append("\"dataset\" wajib diisi dengan nama atau id dataset di portal CKAN")
    mode = source.options.get("mode", "datastore")
    if mode not in ("datastore", "berkas"):
        problems.append("\"mode\" harus \"datastore\" (baris dari DataStore) atau \"berkas\" "
                        "(unduh berkas sumber daya)")
    if mode == "datastore" and not source.options.get("resource"):
        problems.append("\"resource\" wajib diisi dengan id sumber daya (resource) DataStore")
    return problems


def _action(fetcher: Fetcher, source: Source, action: str, params: dict, **kwargs) -> dict:
    url = f"{source.url.rstrip('/')}/api/3/action/{action}"
    try:
        body = fetcher.json(url, params, **kwargs)
    except FetchError as exc:  # CKAN answers 403/404/409 with a JSON explanation
        try:
            body = json.loads(exc.response.content) if exc.response is not None else None
        except ValueError:
            body = None
        if not (isinstance(body, dict) and body.get("success") is False):
            raise
        body["error"] = {**(body.get("error") or {}), "status": exc.response.status}
    if not isinstance(body, dict) or "success" not in body:
        raise FetchError(f"jawaban dari {url} bukan jawaban API CKAN "
                         "(tidak ada \"success\"); periksa alamat portal")
    if not body["success"]:
        error = body.get("error") or {}
        # CKAN's "Validation Error" names what it found wrong under the field's own key
        # (resource_id: ["Not found: Resource"]): passed on, it says which setting to fix
        fields = "; ".join(f"{key}: {' '.join(map(str, value)) if isinstance(value, list) else value}"
                           for key, value in error.items()
                           if key not in ("message", "__type", "status"))
        detail = "; ".join(part for part in (error.get("message") or error.get("__type"),
                                             fields) if part) or "tanpa keterangan"
        status = f" (HTTP {error['status']})" if error.get("status") else ""
        raise FetchError(f"API CKAN menolak {action}{status}: {detail}; periksa \"dataset\" "
                         "dan \"resource\" di data/sumber.toml")
    return body.get("result") or {}


def fetch(source: Source, fetcher: Fetcher) -> Table:
    mode = source.options.get("mode", "datastore")
    package = _action(fetcher, source, "package_show", {"id": source.options["dataset"]},
                      conditional=False)
    metadata = {key: package.get(key) for key in
                ("name", "title", "notes", "license_title", "metadata_modified")}
    metadata["organization"] = (package.get("organization") or {}).get("title")
    if mode == "berkas":
        return _resource_file(source, fetcher, package, metadata)
    return _datastore(source, fetcher, metadata)


def _datastore(source: Source, fetcher: Fetcher, metadata: dict) -> Table:
    limit = int(source.options.get("per_halaman", PAGE_SIZE))
    resource = source.options["resource"]
    records: list[dict] = []
    fields: list[dict] = []
    total, offset, bar = None, 0, None
    while total is None or offset < total:
        result = _action(fetcher, source, "datastore_search",
                         {"resource_id": resource, "limit": limit, "offset": offset},
                         conditional=False)
        if total is None:
            total = int(result.get("total") or 0)
            fields = [f for f in result.get("fields", []) if f.get("id") != "_id"]
            bar = fetcher.progress(-(-total // limit), source.name)
        elif result.get("total") is not None and int(result["total"]) != total:
            # rows added or removed between two pages: the pages no longer join up (a row
            # would be published twice, or lost)
            raise FetchError(f"data di portal CKAN berubah selama diambil (jumlah baris "
                             f"{total}, lalu {int(result['total'])}); coba lagi nanti")
        page = result.get("records") or []
        if bar is not None:
            bar.update(1)
        if not page:
            break  # the portal claims more rows than it hands out: stop, do not loop
        records.extend(page)
        offset += len(page)
    if bar is not None:
        bar.close()
    if total and len(records) < total:
        raise FetchError(f"portal CKAN menyebut {total} baris tetapi hanya memberikan "
                         f"{len(records)}; data tidak lengkap")
    rename = dict(source.options.get("kolom", {}))
    columns = [f["id"] for f in fields]
    frame = text_frame(records, columns).rename(columns=rename)
    schema = {"fields": [
        {"name": rename.get(f["id"], f["id"]), "type": _TYPES.get(str(f.get("type")), "string"),
         "title": (f.get("info") or {}).get("label") or f["id"],
         "description": (f.get("info") or {}).get("notes")
                        or f"Kolom {f['id']} dari portal CKAN."}
        for f in fields]}
    return Table(frame, schema=schema, metadata=metadata)


def _resource_file(source: Source, fetcher: Fetcher, package: dict, metadata: dict) -> Table:
    wanted = source.options.get("resource")
    resources = package.get("resources") or []
    if wanted:
        resources = [r for r in resources if wanted in (r.get("id"), r.get("name"))]
    else:
        resources = [r for r in resources
                     if str(r.get("format", "")).lower() in ("csv", "xlsx", "xls")]
    if not resources:
        raise FetchError("dataset CKAN tidak memiliki sumber daya "
                         + (f"\"{wanted}\"" if wanted else "berformat CSV atau XLSX"))
    response = fetcher.get(resources[0]["url"])
    table = remote_file.parse(source, response.content, response.url,
                              (response.headers or {}).get("content-type"))
    table.metadata.update(metadata)
    return table
