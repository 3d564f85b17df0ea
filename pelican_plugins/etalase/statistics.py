"""Section: performance statistics (SKM/IKM, timeliness, complaints, PPID annual report).

Reads the operational sources (all optional, each with its Table Schema):
`data/skm/*.csv` (survey answers), `data/kinerja/populasi-skm.csv` (declared populations),
`data/kinerja/permohonan-layanan.csv`, `data/kinerja/pengaduan.csv`,
`data/ppid/permohonan-informasi.csv`, `data/hari-libur/cuti-bersama.csv`, and the staff-written
blocks of the PPID annual report in `content/laporan-ppid/<tahun>.md`. Checks what the schemas
cannot (unknown service codes, dates in the wrong order, survey dates outside their period),
computes with the pure modules `skm`, `timeliness`, `complaints`, `ppid_report`, publishes
every computed table as a dataset, lays out the statistics pages, and attaches a short
summary to every service page (`service.parts["kinerja"]`).
"""

from __future__ import annotations

import copy
import dataclasses
import functools
import math
from dataclasses import dataclass, field
from typing import Any

import markdown
import numpy as np
import pandas as pd

from . import charts, complaints, parallel, ppid_report, schema, skm, timeliness
from .datasets import Dataset, DownloadIndex, StoredRows
from .errors import Problem
from .pagecache import Fingerprinter, frame_digest, row_values
from .schema import load_schema
from .site import NavItem, Page, Site
from .textformat import clean_html
from .workdays import site_calendar

BASE = "statistik/"
RECENT_MONTHS = 3  # the service-page summary covers the last three months of data
# Beyond this many services (ETALASE_STATISTIK_MAKS_LAYANAN), the SKM, timeliness and
# complaints overviews list providers, and each provider's pages list its services: a
# province's 10 000 services made the SKM overview 9.4 MB of HTML, too much for a phone.
OVERVIEW_SERVICES = 300
OVERDUE_SHOWN = 20  # the overdue requests listed on the timeliness page; all are downloadable
SKM_DIR = "skm"
# The other tables the statistics are computed from: (stem under data/, Table Schema)
POPULATIONS = ("kinerja/populasi-skm", "populasi-skm")
REQUESTS = ("kinerja/permohonan-layanan", "permohonan-layanan")
COMPLAINTS = ("kinerja/pengaduan", "pengaduan")
REGISTER = ("ppid/permohonan-informasi", "permohonan-informasi")
# After the name of the service table (`Site.source_name`)
UNKNOWN_SERVICE = "tidak ada di {}; isi dengan kode layanan dari kolom kode di berkas itu"


@dataclass
class SurveyRow:
    """The IKM of one scope (a service, a provider, or the whole site) in one period."""

    period: skm.Period
    tingkat: str  # layanan / penyelenggara / keseluruhan
    kode: str | None
    nama: str
    result: skm.IKMResult
    populasi: int | None = None
    sumber_populasi: str | None = None

    def __reduce__(self):  # pickled by value for the cache, like skm's results
        return (SurveyRow, (self.period, self.tingkat, self.kode, self.nama, self.result,
                            self.populasi, self.sumber_populasi))

    def fingerprint(self):
        """Every field as plain values, for a page's cache key (pagecache.py)."""
        return (self.period.fingerprint(), self.tingkat, self.kode, self.nama,
                self.result.fingerprint(), self.populasi, self.sumber_populasi)

    @property
    def sampel_minimal(self) -> int | None:
        return skm.krejcie_morgan(self.populasi)

    @property
    def sampel_cukup(self) -> bool | None:
        needed = self.sampel_minimal
        return None if needed is None else self.result.respondents >= needed

    @property
    def kekurangan(self) -> int:
        needed = self.sampel_minimal
        return 0 if needed is None else max(needed - self.result.respondents, 0)


# The register-sized tables of `Statistics` (2 M and 200 000 rows at national scale, 40 % of
# the cached result): the cache keeps them apart, and a build reads them only when something
# uses them (`_stored`, `_from_cache`). A rebuild after a service row changed does not.
REGISTERS = ("requests", "complaints")


def _none() -> None:
    return None


@dataclass
class Statistics:
    """Everything the statistics pages and the service summaries show."""

    surveys: list[SurveyRow] = field(default_factory=list)
    profiles: dict[tuple[str, str, str | None], list[dict]] = field(default_factory=dict)
    periods: list[skm.Period] = field(default_factory=list)
    # enriched request register (REGISTERS: a factory, so a deferred one is read on first use)
    requests: pd.DataFrame | None = field(default_factory=_none, repr=False, compare=False)
    timeliness_monthly: pd.DataFrame | None = None
    overdue: pd.DataFrame | None = None
    requests_as_of: pd.Timestamp | None = None
    timeliness_summary: dict[str, dict] = field(default_factory=dict)
    complaints: pd.DataFrame | None = field(default_factory=_none, repr=False, compare=False)
    complaints_monthly: pd.DataFrame | None = None
    complaints_breakdown: pd.DataFrame | None = None
    complaints_per_service: pd.DataFrame | None = None
    ppid_reports: list[ppid_report.AnnualReport] = field(default_factory=list)
    ppid_texts: dict[int, dict] = field(default_factory=dict)
    ppid_as_of: pd.Timestamp | None = None  # latest date in the information-request register
    # the requests still waiting for a written answer (ppid_report.waiting_requests), and the
    # objections still waiting for the superior's answer (ppid_report.waiting_objections)
    requests_waiting: list[dict] = field(default_factory=list)
    objections_waiting: list[dict] = field(default_factory=list)
    ppid_register: str | None = None  # the register's file as staff see it
    # service code → hash of everything its statistics page shows (the page's cache key)
    service_digests: dict[str, str] = field(default_factory=dict)
    # service code → its performance box (`Performance`), for the services that have one
    performance: dict[str, Performance] = field(default_factory=dict)
    # With the cache on: the key of this result (pagecache.Tables.result_key), which decides
    # everything in it, for results computed from it in turn (compliance.py)
    key: str | None = field(default=None, repr=False, compare=False)
    _scopes: dict = field(default_factory=dict, repr=False, compare=False)
    _scoped: int = field(default=-1, repr=False, compare=False)  # surveys grouped in _scopes
    # REGISTERS left in the cache: (the names of those present, a function reading them).
    # With that function, the object cannot be pickled, and `hasattr` reads the registers.
    _deferred: tuple | None = field(default=None, repr=False, compare=False)

    def has(self, name: str) -> bool:
        """Whether the register `name` (REGISTERS) was read, without reading a deferred one."""
        if name in self.__dict__:
            return self.__dict__[name] is not None
        return self._deferred is not None and name in self._deferred[0]

    def __getattr__(self, name: str):
        """A deferred register, read from the cache on first use (only called for
        attributes this object does not have)."""
        deferred = self.__dict__.get("_deferred")
        if name not in REGISTERS or deferred is None or deferred[1] is None:
            raise AttributeError(name)
        registers = deferred[1]()
        for register in REGISTERS:
            self.__dict__.setdefault(register, registers.get(register))
        self._deferred = None
        return self.__dict__[name]

    def scope(self, tingkat: str, kode: str | None) -> list[SurveyRow]:
        """The survey rows of one scope, oldest period first."""
        if self._scoped != len(self.surveys):  # grouped and sorted once (40 000 rows)
            groups: dict = {}
            for r in self.surveys:
                groups.setdefault((r.tingkat, r.kode), []).append(r)
            self._scopes.clear()
            self._scopes.update((scope, sorted(rows, key=lambda r: skm.period_sort_key(
                r.period.code))) for scope, rows in groups.items())
            self._scoped = len(self.surveys)
        return list(self._scopes.get((tingkat, kode), ()))


# --- loading and checking ---------------------------------------------------------------

def _rows(frame: pd.DataFrame) -> pd.Series:
    return frame.attrs["row_numbers"]


def _check_services(site: Site, frame, column: str = "layanan") -> pd.Series:
    """Report unknown service codes; return a mask of the rows that are fine.

    Not while the service table itself has problems: a service whose row is refused for one
    bad cell would make every request, answer and complaint naming it "unknown" (537 false
    messages for one typed fee in the example), burying the one that says what to fix."""
    ok = pd.Series(True, index=frame.index)
    if (not site.services and site.problems) or site.has_problem("standar-pelayanan"):
        return ok  # the service table's own errors (or its providers') say it
    codes = frame[column]
    unknown = codes.notna() & ~codes.isin(list(site.services))
    rows = _rows(frame)
    for idx in unknown[unknown].index:
        site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), column,
                                     codes[idx], UNKNOWN_SERVICE.format(
                                         site.source_name("standar-pelayanan"))))
    return ok & ~unknown


def _check_order(site: Site, frame, first: str, later: str, what: str) -> pd.Series:
    """Report rows where `later` is before `first`; return a mask of the rows that are fine."""
    wrong = frame[later].notna() & frame[first].notna() & (frame[later] < frame[first])
    rows = _rows(frame)
    for idx in wrong[wrong].index:
        site.problems.append(Problem(
            frame.attrs["display"], int(rows[idx]), later, frame[later][idx].date().isoformat(),
            f"lebih awal dari {first} ({frame[first][idx].date().isoformat()}); {what}"))
    return ~wrong


def _check_started(site: Site, frame, parsed: dict[str, skm.Period]) -> pd.Series:
    """Report answers to a survey period that has not begun (`schema.today`): a mistyped
    year with the date left blank (2052-S1) would otherwise be published as a period of
    its own. Made only when the statistics are computed, never kept with a result: a period
    refused today may have begun next time, and one that had begun still has."""
    today = schema.today()
    early = {code for code, period in parsed.items() if period.start > today}
    wrong = frame["periode"].isin(early)
    rows = _rows(frame)
    for idx in wrong[wrong].index:
        site.problems.append(Problem(
            frame.attrs["display"], int(rows[idx]), "periode", frame["periode"][idx],
            f"periode ini belum dimulai ({schema.as_of(today)}); periksa tahunnya"))
    return ~wrong


def _keep(frame: pd.DataFrame, mask: pd.Series) -> pd.DataFrame:
    attrs = dict(frame.attrs)
    result = frame[mask].copy()
    result.attrs.update(attrs)
    result.attrs["row_numbers"] = attrs["row_numbers"][mask]
    return result


def _read(site: Site, stem: str, schema_name: str) -> pd.DataFrame | None:
    """Read an optional source; None when it is absent or its header is wrong (a missing or
    unknown column is already reported, and its rows cannot be cross-checked)."""
    before = len(site.problems)
    frame = site.read(stem, schema_name, required=False)
    if frame is None or any(p.row in (None, 1) for p in site.problems[before:]):
        return None
    return frame


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy without the reader's attrs (row numbers), for computing and concatenating."""
    result = frame.copy()
    result.attrs = {}
    return result


def _skm_tables(site: Site) -> list[tuple[str, str]]:
    """(stem, schema) of every SKM answer file, e.g. ("skm/2025-S1", "skm")."""
    folder = site.data_dir / SKM_DIR
    if not folder.is_dir():
        return []
    stems = {p.stem for p in folder.iterdir() if p.suffix.lower() in (".csv", ".xlsx")
             and not p.name.startswith((".", "~$"))}
    return [(f"{SKM_DIR}/{stem}", "skm") for stem in sorted(stems)]


def _read_skm(site: Site) -> pd.DataFrame | None:
    frames = []
    for stem, schema_name in _skm_tables(site):
        frame = _read(site, stem, schema_name)
        if frame is None:
            continue
        ok = _check_services(site, frame)
        parsed = {code: skm.parse_period(code) for code in frame["periode"].unique()}
        ok &= _check_started(site, frame, parsed)
        periods = frame["periode"].map(parsed)
        starts = frame["periode"].map({c: pd.Timestamp(p.start) for c, p in parsed.items()})
        ends = frame["periode"].map({c: pd.Timestamp(p.end) for c, p in parsed.items()})
        dates = frame["tanggal"]
        outside = dates.notna() & ((dates < starts) | (dates > ends))
        rows = _rows(frame)
        for idx in outside[outside].index:
            p = periods[idx]
            site.problems.append(Problem(
                frame.attrs["display"], int(rows[idx]), "tanggal",
                frame["tanggal"][idx].date().isoformat(),
                f"di luar periode {p.code} ({p.start.isoformat()} sampai {p.end.isoformat()})"))
        frames.append(_plain(_keep(frame, ok & ~outside)))
    if not frames:
        return None
    combined = pd.concat(frames, ignore_index=True)
    combined.attrs["display"] = f"data/{SKM_DIR}/"
    return combined


def _read_populations(site: Site) -> dict[tuple[str, str | None], int]:
    frame = _read(site, *POPULATIONS)
    if frame is None:
        return {}
    ok = _check_services(site, frame)
    declared: dict[tuple[str, str | None], int] = {}
    rows = _rows(frame)
    for idx in frame[ok].index:
        layanan = frame["layanan"][idx]
        key = (frame["periode"][idx], layanan if isinstance(layanan, str) and layanan else None)
        if key in declared:
            site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), "layanan",
                                         key[1] or "", f"periode {key[0]} dengan layanan ini "
                                         "sudah diisi di baris sebelumnya; satu baris per periode "
                                         "dan layanan"))
            continue
        declared[key] = int(frame["populasi"][idx])
    return declared


def _read_requests(site: Site):
    frame = _read(site, *REQUESTS)
    if frame is None:
        return None
    ok = _check_services(site, frame)
    ok &= _check_order(site, frame, "tanggal_masuk", "tanggal_selesai",
                       "tanggal selesai tidak boleh sebelum tanggal masuk")
    return _keep(frame, ok)


def _read_complaints(site: Site):
    frame = _read(site, *COMPLAINTS)
    if frame is None:
        return None
    ok = _check_services(site, frame)
    ok &= _check_order(site, frame, "tanggal_masuk", "tanggal_selesai",
                       "tanggal selesai tidak boleh sebelum tanggal masuk")
    missing = (frame["status"] == complaints.RESOLVED) & frame["tanggal_selesai"].isna()
    rows = _rows(frame)
    for idx in missing[missing].index:
        site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), "tanggal_selesai",
                                     None, "kosong, padahal status selesai; isi tanggal pengaduan "
                                     "selesai ditangani"))
    return _keep(frame, ok & ~missing)


def _read_register(site: Site):
    frame = _read(site, *REGISTER)
    if frame is None:
        return None
    for column in ppid_report.OBJECTION_DATES:  # optional: a register kept without them
        frame[column] = pd.to_datetime(frame[column])
    ok = _check_order(site, frame, "tanggal_permohonan", "tanggal_pemberitahuan",
                      "pemberitahuan tidak mungkin sebelum permohonan diterima")
    ok &= _check_order(site, frame, "tanggal_permohonan", "tanggal_informasi_diberikan",
                       "informasi tidak mungkin diberikan sebelum permohonan diterima")
    ok &= _check_order(site, frame, "tanggal_permohonan", "tanggal_keberatan",
                       "keberatan tidak mungkin diajukan sebelum permohonan diterima")
    ok &= _check_order(site, frame, "tanggal_keberatan", "tanggal_tanggapan_keberatan",
                       "tanggapan tidak mungkin sebelum keberatan diterima")
    ok &= _check_objection_dates(site, frame)
    refused = frame["keputusan"].isin(["ditolak", "dikabulkan_sebagian"])
    no_reason = refused & frame["alasan_penolakan"].isna()
    stray = frame["keputusan"].isin(["dikabulkan_seluruhnya"]) & frame["alasan_penolakan"].notna()
    rows = _rows(frame)
    for idx in no_reason[no_reason].index:
        site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), "alasan_penolakan",
                                     None, f"kosong, padahal keputusan {frame['keputusan'][idx]}; "
                                     "isi huruf pengecualian UU 14/2008 Pasal 17 (a sampai j)"))
    for idx in stray[stray].index:
        site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), "alasan_penolakan",
                                     frame["alasan_penolakan"][idx], "diisi, padahal permohonan "
                                     "dikabulkan seluruhnya; kosongkan"))
    return _keep(frame, ok & ~no_reason & ~stray)


def _check_objection_dates(site: Site, frame: pd.DataFrame) -> pd.Series:
    """An objection's dates must agree with its `keberatan` cell: a date of an objection
    the register says was never made, an answer's date while it says the objection is still
    waiting, or an answer's date without the objection's. Returns a mask of the fine rows."""
    objection = frame["keberatan"].fillna("tidak")
    filed, answered = frame["tanggal_keberatan"], frame["tanggal_tanggapan_keberatan"]
    checks = [
        (filed.notna() & (objection == "tidak"), "tanggal_keberatan",
         "diisi, padahal kolom keberatan \"tidak\" (atau kosong); isi keberatan dengan "
         "diajukan atau dijawab, atau kosongkan tanggal ini"),
        (answered.notna() & (objection != "dijawab"), "tanggal_tanggapan_keberatan",
         "diisi, padahal kolom keberatan belum \"dijawab\"; ubah keberatan menjadi dijawab, "
         "atau kosongkan tanggal ini"),
        (answered.notna() & filed.isna() & (objection == "dijawab"), "tanggal_keberatan",
         "kosong, padahal tanggal tanggapan keberatan diisi; isi tanggal keberatan diterima "
         "(batas tanggapan 30 hari kerja dihitung dari tanggal itu)"),
    ]
    rows = _rows(frame)
    bad = pd.Series(False, index=frame.index)
    for wrong, column, what in checks:
        for idx in wrong[wrong].index:
            value = frame[column][idx]
            site.problems.append(Problem(frame.attrs["display"], int(rows[idx]), column,
                                         None if pd.isna(value) else value.date().isoformat(),
                                         what))
        bad |= wrong
    return ~bad


def _render(text: str):
    return clean_html(markdown.markdown(text, extensions=["tables"]))


def _read_ppid_texts(site: Site, years: list[int]) -> dict[int, dict]:
    folder = (site.root or site.data_dir.parent) / "content" / "laporan-ppid"
    texts = {}
    for year in years:
        path = folder / f"{year}.md"
        if not path.exists():
            continue
        intro, blocks = ppid_report.split_blocks(path.read_text(encoding="utf-8"))
        texts[year] = {
            "intro": _render(intro) if intro else None,
            "blocks": {n: (title, _render(body)) for n, (title, body) in blocks.items()},
            "source": site.display(path),
        }
    return texts


# --- computing ------------------------------------------------------------------------

def _surveys(site: Site, answers: pd.DataFrame, stats: Statistics, declared, requests) -> None:
    register_span = None
    if requests is not None and not requests.empty:
        # the register counts from the first day of the month of its first request
        first = requests["tanggal_masuk"].min().to_period("M").start_time
        register_span = (first, timeliness.as_of_date(requests))
    periods = sorted({skm.parse_period(code) for code in answers["periode"].unique()},
                     key=lambda p: skm.period_sort_key(p.code))
    stats.periods = periods

    counts_by_period: dict[str, dict[str, int]] = {}

    def counted(period, codes):
        """Requests received in the period for these services, if the register covers it."""
        if register_span is None:
            return None
        start, end = pd.Timestamp(period.start), pd.Timestamp(period.end)
        if register_span[0] > start or register_span[1] < end:
            return None
        if period.code not in counts_by_period:  # counted once per period, not per service
            mask = requests["tanggal_masuk"].between(start, end)
            counts_by_period[period.code] = {  # a dict: looked up 80 000 times
                code: int(n) for code, n in requests.loc[mask, "layanan"].value_counts().items()}
        counts = counts_by_period[period.code]
        if codes is None:
            return sum(counts.values())
        return sum(counts.get(code, 0) for code in codes)

    def population(period, key, codes):
        if key in declared:
            return declared[key], "dinyatakan"
        value = counted(period, codes)
        return (value, "permohonan") if value is not None else (None, None)

    providers = site.providers
    provider_of = {code: s.provider.kode for code, s in site.services.items()}
    for period in periods:
        in_period = answers[answers["periode"] == period.code]
        # Every group's IKM and profile is taken from these two, by row positions.
        matrix = skm.answer_matrix(in_period)
        labels = skm.profile_labels(in_period)

        def subset(positions):
            return (matrix[positions],
                    {column: values[positions] for column, values in labels.items()})

        pop, source = population(period, (period.code, None), None)
        stats.surveys.append(SurveyRow(period, "keseluruhan", None, "Seluruh layanan",
                                       skm.ikm_from_matrix(matrix), pop, source))
        group_labels_of = {}  # provider → the profile labels of its questionnaires
        service_provider = in_period["layanan"].map(provider_of)  # NaN: not grouped
        for provider_code, positions in sorted(
                in_period.groupby(service_provider).indices.items()):
            provider = providers.get(provider_code)
            if provider is None:
                continue
            codes = [s.kode for s in provider.services]
            total = 0
            for code in codes:
                value = declared.get((period.code, code))
                value = value if value is not None else counted(period, [code])
                if value is None:
                    total = None
                    break
                total += value
            group_matrix, group_labels = subset(positions)
            stats.surveys.append(SurveyRow(period, "penyelenggara", provider_code, provider.nama,
                                           skm.ikm_from_matrix(group_matrix), total,
                                           "permohonan" if total is not None else None))
            group_labels_of[provider_code] = group_labels
        # The site's profile and each provider's, suppressed together: a provider's hidden
        # cell is not the site's count minus the other providers'.
        whole, by_provider = skm.linked_profiles(labels, group_labels_of)
        stats.profiles[(period.code, "keseluruhan", None)] = whole
        for provider_code, rows in by_provider.items():
            stats.profiles[(period.code, "penyelenggara", provider_code)] = rows
        groups, surveyed = pd.factorize(in_period["layanan"], sort=True)
        by_service = groups >= 0  # a blank service: the whole unit only (DATA.md)
        for code, result in zip(surveyed, skm.ikm_by_group(
                matrix[by_service], groups[by_service], len(surveyed))):
            pop, source = population(period, (period.code, code), [code])
            stats.surveys.append(SurveyRow(period, "layanan", code, site.services[code].nama,
                                           result, pop, source))


def _survey_frames(stats: Statistics) -> tuple[pd.DataFrame, pd.DataFrame]:
    ikm_rows = []
    bounds = {p: (pd.Timestamp(p.start), pd.Timestamp(p.end))
              for p in {row.period for row in stats.surveys}}
    for row in stats.surveys:
        result = row.result
        letter, label = result.grade
        start, end = bounds[row.period]
        ikm_rows.append({
            "periode": row.period.code, "periode_mulai": start,
            "periode_selesai": end, "tingkat": row.tingkat,
            "kode": row.kode, "nama": row.nama, "responden": result.respondents,
            "ikm_1_4": (None if result.ikm_1_4 is None
                        else float(skm.round_half_up(result.ikm_1_4, 4))),
            "ikm": None if result.ikm is None else float(result.ikm),
            "mutu": letter, "kinerja": label, "populasi": row.populasi,
            "sumber_populasi": row.sumber_populasi, "sampel_minimal": row.sampel_minimal,
            "sampel_cukup": row.sampel_cukup,
        })
    order = {"keseluruhan": 0, "penyelenggara": 1, "layanan": 2}
    ikm = pd.DataFrame(ikm_rows)
    if not ikm.empty:
        ikm = ikm.assign(_o=ikm["tingkat"].map(order), _p=ikm["periode"].map(skm.period_sort_key))
        ikm = ikm.sort_values(["_p", "_o", "kode"], na_position="first").drop(columns=["_o", "_p"])
        ikm["populasi"] = ikm["populasi"].astype("Int64")
        ikm["sampel_minimal"] = ikm["sampel_minimal"].astype("Int64")
    return ikm.reset_index(drop=True), _unsur_frame(stats)


def _unsur_frame(stats: Statistics) -> pd.DataFrame:
    """One row per unsur of every survey result (360 000 at national scale), computed a
    column at a time from the counts (`skm.unsur_values`), not unsur by unsur."""
    columns = ["periode", "tingkat", "kode", "unsur", "nama_unsur", "jumlah_jawaban", "nrr",
               "nilai_unsur", "mutu"]
    rows = [(row.period.code, row.tingkat, row.kode, key, name, answers, total)
            for row in stats.surveys for key, name, answers, total in row.result.counts]
    if not rows:
        return pd.DataFrame(columns=columns)
    periode, tingkat, kode, unsur, nama, answers, totals = zip(*rows)
    answers = np.array(answers, dtype="int64")
    nrr, nilai, letters = skm.unsur_values(answers, np.array(totals, dtype="int64"))
    return pd.DataFrame({"periode": periode, "tingkat": tingkat, "kode": kode, "unsur": unsur,
                         "nama_unsur": nama, "jumlah_jawaban": answers, "nrr": nrr,
                         "nilai_unsur": nilai, "mutu": letters}, columns=columns)


def _profile_frame(stats: Statistics) -> pd.DataFrame:
    rows = [{"periode": periode, "tingkat": tingkat, "kode": kode, **row}
            for (periode, tingkat, kode), profile in stats.profiles.items() for row in profile]
    frame = pd.DataFrame(rows, columns=["periode", "tingkat", "kode", "karakteristik", "kategori",
                                        "jumlah", "disembunyikan"])
    frame["jumlah"] = frame["jumlah"].astype("Int64")
    return frame


def _dataset(out: list[Dataset], id_: str, title: str, frame: pd.DataFrame, source: str,
             **extra) -> None:
    table_schema = load_schema(extra.pop("schema_name", id_))
    out.append(Dataset(id=id_, title=title, description=table_schema["description"],
                       schema=table_schema, frame=frame, theme="kinerja", source=source,
                       **extra))


def shown_names(site: Site) -> tuple[dict, dict]:
    """What the statistics read of each service and provider, and all the overview pages
    show of them: part of the statistics' cache key (`load`), so those pages can be keyed
    by that key alone (`pages`)."""
    return ({code: {"kode": code, "nama": s.nama, "penyelenggara": s.provider.kode,
                    "jangka_waktu_hari_kerja": s.row.get("jangka_waktu_hari_kerja")}
             for code, s in site.services.items()},
            {code: {"kode": code, "nama": p.nama, "url": p.url}
             for code, p in site.providers.items()})


def load(site: Site) -> None:
    calendar = site_calendar(site)
    # Everything computed from the registers comes from the cache when none of its inputs
    # changed: the source tables (by their keys), the calendar and what is read of each
    # service and provider. A change to a service's text does not read, check or compute
    # 2.7 M rows again: their checks passed when that result was computed (they depend on
    # nothing else), so the tables are not even read.
    sources = _skm_tables(site) + [POPULATIONS, REQUESTS, COMPLAINTS, REGISTER]
    inputs = [[(stem, site.source_key(stem, name)) for stem, name in sources], calendar.holidays,
              shown_names(site)]
    # the key of this result (hashing the inputs takes 0.05 s for 10 000 services)
    key = site.tables.result_key("statistik", inputs) if site.tables else None
    found = None if site.problems or not key else _from_cache(site, key, calendar)
    if found is None:
        answers = _read_skm(site)
        declared = _read_populations(site)
        requests = _read_requests(site)
        register = _read_register(site)
        complaint_rows = _read_complaints(site)
        if site.problems:
            # The build stops with every problem listed; computing on partly valid data (or
            # without the service table) would only risk a traceback instead of that list.
            site.parts["statistik"] = Statistics()
            return

        def compute():
            stats, datasets = _compute(site, calendar, answers, declared, requests, register,
                                       complaint_rows)
            if site.tables:  # the rows are hashed once, with the result: a download whose
                for dataset in datasets:  # rows did not change is then taken from the cache
                    try:
                        dataset.origin = frame_digest(dataset.frame)
                    except TypeError:  # cells pandas cannot hash: keyed by the rows, or not
                        dataset.origin = None  # cached
            return stats, datasets

        found = _stored(site, key, *compute()) if key else compute()
    stats, computed = found
    stats.key = key
    site.parts["statistik"] = stats
    datasets = list(computed)
    cuti = site.parts.get("cuti_bersama_frame")
    if cuti is not None:  # read with the calendar, not part of the cached result
        _dataset(datasets, "cuti-bersama", "Cuti bersama", cuti[["tanggal", "keterangan"]],
                 cuti.attrs["display"], keywords=["hari kerja", "cuti bersama"],
                 kip_category="setiap_saat")
    for dataset in datasets:
        site.add_dataset(dataset)
    stats.ppid_texts = _read_ppid_texts(site, [report.year for report in stats.ppid_reports])

    _attach_to_services(site, stats)
    if (stats.surveys or stats.has("requests") or stats.has("complaints")
            or stats.ppid_reports):
        site.nav.append(NavItem("Statistik", BASE))


def _stored(site: Site, key: str, stats: Statistics, datasets: list[Dataset]) -> tuple:
    """Cache freshly computed statistics under `key`, as `Site.computed` would, with the
    REGISTERS apart from the rest; return them whole."""
    tables = site.tables
    registers = {name: stats.__dict__.get(name) for name in REGISTERS}
    rest = copy.copy(stats)
    for name in REGISTERS:
        rest.__dict__.pop(name, None)
    rest._deferred = ({name for name, frame in registers.items() if frame is not None}, None)
    # The datasets' rows apart too: a later build reads them only to write a download or
    # render a page that changed (`StoredRows`).
    kept = [dataclasses.replace(d, frame=StoredRows.of(d)) for d in datasets]
    if tables.put(_registers_key(key), registers) and \
            tables.put(_rows_key(key), {d.id: d.frame for d in datasets}):
        tables.put_result(key, (stats, datasets), stored=(rest, kept))
    return stats, datasets


def _registers_key(key: str) -> str:
    return f"{key}-register"


def _rows_key(key: str) -> str:
    return f"{key}-baris"


def _from_cache(site: Site, key: str, calendar) -> tuple | None:
    """The statistics an earlier build stored under `key` (`_stored`), or None; their
    REGISTERS are read from the cache only if something uses them (and computed again from
    the sources if the cache has lost them since)."""
    tables = site.tables
    found = tables.result(key)
    if found is None or not (tables.keep(_registers_key(key)) and tables.keep(_rows_key(key))):
        return None  # none, or only part of it
    stats, datasets = found
    # (The preview may keep a whole result in memory: it has nothing stored apart.) This
    # build's own copies read what is: what the cache keeps in memory for the next build of
    # the process must not hold on to this build's site.
    if stats._deferred is not None:
        stats = copy.copy(stats)
        stats._deferred = (stats._deferred[0],
                           functools.partial(_read_registers, site, key, calendar))
    every = functools.cache(functools.partial(_read_rows, site, key, calendar))

    def reading(dataset: Dataset) -> Dataset:
        stored = dataset.stored_rows
        if stored is None:
            return dataset
        return dataclasses.replace(dataset, frame=dataclasses.replace(
            stored, read=lambda: every()[dataset.id]))

    return stats, [reading(dataset) for dataset in datasets]


def _read_registers(site: Site, key: str, calendar) -> dict:
    """The REGISTERS stored with the statistics under `key`; computed again from the
    sources, and stored again, if the cache lost them."""
    registers = site.tables.result(_registers_key(key))
    if registers is None:
        stats, _ = _compute_again(site, calendar)
        registers = {name: stats.__dict__.get(name) for name in REGISTERS}
        site.tables.put(_registers_key(key), registers)
    return registers


def _read_rows(site: Site, key: str, calendar) -> dict[str, pd.DataFrame]:
    """The datasets' rows stored with the statistics under `key`, by dataset id; computed
    again from the sources, and stored again, if the cache lost them."""
    rows = site.tables.get(_rows_key(key))
    if rows is None:
        _, datasets = _compute_again(site, calendar)
        rows = {d.id: d.frame for d in datasets}
        site.tables.put(_rows_key(key), rows)
    return rows


def _compute_again(site: Site, calendar) -> tuple[Statistics, list[Dataset]]:
    """Every statistic computed again from the sources, for a part the cache lost (their
    checks passed when the rest was computed)."""
    return _compute(site, calendar, _read_skm(site), _read_populations(site),
                    _read_requests(site), _read_register(site), _read_complaints(site))


def _compute(site: Site, calendar, answers, declared, requests, register,
             complaint_rows) -> tuple[Statistics, list[Dataset]]:
    """Every statistic and computed table: plain values only (no `Service`), so the result
    can be cached (`Site.computed`); `load` adds the datasets to the site in this order."""
    stats = Statistics()
    promises = {code: s.row.get("jangka_waktu_hari_kerja") for code, s in site.services.items()}
    promises = {k: int(v) for k, v in promises.items() if v is not None and not pd.isna(v)}

    def requests_part(out: list[Dataset]) -> None:
        enriched = timeliness.enrich(_plain(requests), promises, calendar)
        stats.requests = enriched
        stats.requests_as_of = timeliness.as_of_date(enriched)
        stats.timeliness_monthly = timeliness.monthly(enriched)
        stats.overdue = timeliness.overdue_open(enriched, stats.requests_as_of, calendar)
        stats.timeliness_summary = timeliness.service_summary(enriched, stats.requests_as_of,
                                                              RECENT_MONTHS)
        source = requests.attrs["display"]
        _dataset(out, "permohonan-layanan", "Permohonan layanan",
                 requests[["layanan", "tanggal_masuk", "tanggal_selesai"]], source,
                 keywords=["permohonan layanan", "ketepatan waktu"], berkala_item=3)
        _dataset(out, "ketepatan-waktu", "Ketepatan waktu pelayanan per bulan",
                 stats.timeliness_monthly, source, berkala_item=3,
                 keywords=["ketepatan waktu", "jangka waktu penyelesaian", "hari kerja"],
                 temporal=_month_span(stats.timeliness_monthly["bulan"]))
        _dataset(out, "permohonan-lewat-janji", "Permohonan layanan terbuka yang melewati janji",
                 stats.overdue, source, berkala_item=3, keywords=["keterlambatan"])

    def survey_part():
        """The SKM results and their tables: about half of the work, so it runs in another
        process beside the registers (`parallel.beside`). Populations are counted from the
        request register as read (enriching it adds columns, never rows)."""
        part = Statistics()
        _surveys(site, answers, part, declared, None if requests is None else _plain(requests))
        ikm, unsur = _survey_frames(part)
        return (part.periods, part.surveys, part.profiles, ikm, unsur, _profile_frame(part),
                _survey_parts(part.surveys))

    def survey_datasets(out: list[Dataset], ikm, unsur, profile) -> None:
        public = answers[[f["name"] for f in load_schema("skm-jawaban")["fields"]]]
        # Every SKM table covers its survey periods, first day of the first to last day of the
        # last: not the first date column (periode_mulai, which ends the range on the day the
        # last period began; an answer's tanggal, which may be blank).
        periods = None if ikm.empty else (ikm["periode_mulai"].min().date().isoformat(),
                                          ikm["periode_selesai"].max().date().isoformat())
        _dataset(out, "skm-jawaban", "Jawaban Survei Kepuasan Masyarakat", public,
                 f"data/{SKM_DIR}/", keywords=["SKM", "survei kepuasan masyarakat"], berkala_item=3,
                 temporal=periods)
        _dataset(out, "skm-ikm", "Indeks Kepuasan Masyarakat (IKM)", ikm, f"data/{SKM_DIR}/",
                 keywords=["IKM", "SKM", "PermenPAN-RB 14/2017"], berkala_item=3,
                 temporal=periods)
        _dataset(out, "skm-unsur", "Nilai per unsur SKM", unsur, f"data/{SKM_DIR}/",
                 keywords=["NRR", "unsur pelayanan"], berkala_item=3, temporal=periods)
        _dataset(out, "skm-profil-responden", "Profil responden SKM", profile,
                 f"data/{SKM_DIR}/", keywords=["responden"], berkala_item=3, temporal=periods)

    def complaints_part(out: list[Dataset]) -> None:
        enriched = complaints.enrich(_plain(complaint_rows), calendar)
        stats.complaints = enriched
        stats.complaints_monthly = complaints.monthly(enriched)
        stats.complaints_breakdown = complaints.breakdown(enriched)
        stats.complaints_per_service = complaints.per_service(enriched)
        source = complaint_rows.attrs["display"]
        span = _month_span(stats.complaints_monthly["bulan"])
        _dataset(out, "pengaduan", "Pengaduan masyarakat",
                 complaint_rows[[f["name"] for f in load_schema("pengaduan")["fields"]]], source,
                 keywords=["pengaduan"], berkala_item=8)
        _dataset(out, "pengaduan-bulanan", "Pengaduan per bulan", stats.complaints_monthly,
                 source, keywords=["pengaduan"], berkala_item=8, temporal=span)
        _dataset(out, "pengaduan-rincian", "Pengaduan per kanal, kategori, dan status",
                 stats.complaints_breakdown, source, keywords=["pengaduan"], berkala_item=8,
                 temporal=span)
        _dataset(out, "pengaduan-per-layanan", "Pengaduan per layanan",
                 stats.complaints_per_service, source, keywords=["pengaduan"], berkala_item=8,
                 temporal=span)

    def register_part(out: list[Dataset]) -> None:
        stats.ppid_as_of = ppid_report.as_of(register)
        enriched = ppid_report.enrich(_plain(register), calendar, stats.ppid_as_of)
        years = ppid_report.years(enriched)
        stats.ppid_reports = [ppid_report.annual_report(enriched, y) for y in years]
        stats.requests_waiting = ppid_report.waiting_requests(enriched)
        stats.objections_waiting = ppid_report.waiting_objections(enriched)
        source = stats.ppid_register = register.attrs["display"]
        _register_dataset(out, register, source)
        _dataset(out, "laporan-ppid", "Laporan layanan informasi publik (blok 3 dan 4)",
                 ppid_report.report_rows(stats.ppid_reports), source, berkala_item=5,
                 keywords=["PPID", "laporan layanan informasi publik", "Perki 1/2021"],
                 temporal=(f"{years[0]}-01-01", f"{years[-1]}-12-31") if years else None)

    def registers() -> tuple[list, list, list, dict]:
        made = ([], [], [])
        if requests is not None:
            requests_part(made[0])
        if complaint_rows is not None:
            complaints_part(made[1])
        if register is not None:
            register_part(made[2])
        # While the survey part still runs: the registers' part of the services' digests,
        # and the scan of these tables for personal data.
        site.scan_now(made[0] + made[1] + made[2])
        return (*made, _table_parts(stats))

    if answers is not None and not answers.empty:
        made, surveyed = parallel.beside(survey_part, registers, parallel.workers(site.settings))
    else:
        made, surveyed = registers(), None
    timely, complained, requested, table_parts = made
    out: list[Dataset] = timely
    survey_parts: dict[str, bytes] = {}
    if surveyed is not None:
        stats.periods, stats.surveys, stats.profiles, ikm, unsur, profile, survey_parts = \
            surveyed
        survey_datasets(out, ikm, unsur, profile)
    out += complained + requested
    stats.service_digests = _digests(survey_parts, table_parts)
    # Made here, so a cached result brings them (and the survey rows grouped by scope, which
    # they are made from): a rebuild attaches them to 10 000 services without work.
    stats.performance = _performance(stats, list(site.services))
    return stats, out


def _survey_parts(surveys) -> dict[str, bytes]:
    """`_digests`' part from the survey results: a hash of each service's results, made in
    the process that computes them (20 bytes a service to send back, not 40 000 results'
    fingerprints)."""
    parts: dict[str, list] = {}
    for row in surveys:
        if row.tingkat == "layanan":
            parts.setdefault(row.kode, []).append(row.fingerprint())
    fingerprints = Fingerprinter()
    return {code: fingerprints.digest(found) for code, found in parts.items()}


def _table_parts(stats: Statistics) -> dict[str, list]:
    """`_digests`' part from the registers: each service's rows of their tables (made while
    the survey part still runs)."""
    parts: dict[str, list] = {}
    for name in ("timeliness_monthly", "complaints_per_service", "overdue"):
        table = getattr(stats, name)
        if table is None or table.empty:
            continue
        rows = pd.util.hash_pandas_object(table, index=False).to_numpy()
        for code, positions in table.groupby("layanan", sort=False).indices.items():
            parts.setdefault(code, []).append((name, rows[positions].tobytes()))
    return parts


def _digests(survey_parts: dict[str, bytes], table_parts: dict[str, list]) -> dict[str, str]:
    """For each service, a hash of what its statistics page is made from: its survey results
    (`_survey_parts`), then its rows of the monthly, complaints and overdue tables
    (`_table_parts`); `pages` makes the page from exactly these. A register change then
    renders again only the pages it touches."""
    parts = {code: [found] for code, found in survey_parts.items()}
    for code, found in table_parts.items():
        parts.setdefault(code, []).extend(found)
    fingerprints = Fingerprinter()
    return {code: fingerprints.digest(value).hex() for code, value in parts.items()}


def _register_dataset(out: list[Dataset], register: pd.DataFrame, source: str) -> None:
    table_schema = load_schema("permohonan-informasi")
    out.append(Dataset(
        id="permohonan-informasi", title="Register permohonan informasi publik",
        description=table_schema["description"], schema=table_schema,
        frame=register[[f["name"] for f in table_schema["fields"]]], theme="informasi-publik",
        source=source, berkala_item=5, keywords=["PPID", "permohonan informasi"]))


def _month_span(months: pd.Series) -> tuple[str, str] | None:
    if months is None or months.dropna().empty:
        return None
    first = pd.Period(months.min(), "M")
    last = pd.Period(months.max(), "M")
    return (first.start_time.date().isoformat(), last.end_time.date().isoformat())


class Performance(dict):
    """The performance box of a service page (`service.parts["kinerja"]`): its latest survey
    result, timeliness and recent complaints. Its cache key (pagecache.py) is the service's
    statistics digest (which covers every survey result of the service) and the other
    figures, not a walk through the survey result's nine unsur on every page worker.

    Made once with the statistics and never changed: the key is hashed when it is made and
    cached with it, so a rebuild does not hash 10 000 boxes again (0.2 s)."""

    def __init__(self, digest: str | None, **figures):
        super().__init__(figures)
        self.digest = digest
        # plain values (dates as ISO text), hashed in one go
        self.key = Fingerprinter().digest(
            (digest, {k: _iso_dates(v) for k, v in self.items() if k != "ikm"})).hex()

    def fingerprint(self):
        return self.key


def _iso_dates(value):
    if isinstance(value, pd.Timestamp):
        return ("Timestamp", value.isoformat())
    if isinstance(value, dict):
        return {k: _iso_dates(v) for k, v in value.items()}
    return value


def _attach_to_services(site: Site, stats: Statistics) -> None:
    for code, service in site.services.items():
        part = stats.performance.get(code)
        if part is not None:
            service.parts["kinerja"] = part


def _performance(stats: Statistics, codes: list[str]) -> dict[str, Performance]:
    """The performance box of each of the services `codes` that has figures to show."""
    found: dict[str, Performance] = {}
    recent_complaints: dict[str, int] = {}
    since = newest = None
    if stats.complaints is not None and not stats.complaints.empty:
        newest = stats.complaints["tanggal_masuk"].max()
        last = pd.Period(newest, "M")
        since = (last - (RECENT_MONTHS - 1)).start_time
        recent = stats.complaints[stats.complaints["tanggal_masuk"] >= since]
        recent_complaints = recent.groupby("layanan").size().to_dict()
    for code in codes:
        surveys = stats.scope("layanan", code)
        latest = surveys[-1] if surveys else None
        part = Performance(
            # the digest covers `latest`, made from the same survey results (`scope`)
            stats.service_digests.get(code) if latest else None,
            url=f"{BASE}layanan/{code}/",
            ikm=latest,
            tepat_waktu=stats.timeliness_summary.get(code),
            pengaduan=(recent_complaints.get(code, 0) if since is not None else None),
            pengaduan_sejak=since,
            pengaduan_sampai=newest,
        )
        if latest or part["tepat_waktu"] or part["pengaduan"] is not None:
            found[code] = part
    return found


# --- pages ------------------------------------------------------------------------------

def _records_by_service(frame: pd.DataFrame | None) -> dict[str, list[dict]]:
    """`frame`'s rows as records, grouped by their `layanan`, rows in their order.

    The whole table is converted once: converting 10 000 small groups one by one took most of
    the time of the statistics pages at national scale."""
    grouped: dict[str, list[dict]] = {}
    for record in _records(frame):
        grouped.setdefault(record["layanan"], []).append(record)
    return grouped


def _records(frame: pd.DataFrame | None) -> list[dict]:
    """`frame`'s rows as dicts of plain values, blanks as None; converted a column at a time
    (`row_values`: 3 times faster than `to_dict("records")` for the 220 000 monthly rows of a
    province)."""
    if frame is None:
        return []
    columns = list(frame.columns)
    return [dict(zip(columns, row)) for row in row_values(frame)]


def _ikm_trend_chart(rows: list[SurveyRow], title: str) -> Any:
    usable = [r for r in rows if r.result.ikm is not None]
    if len(usable) < 1:
        return None
    values = [float(r.result.ikm) for r in usable]
    desc = "; ".join(f"{r.period.label}: {charts.fmt(float(r.result.ikm), 2)} "
                     f"(mutu {r.result.grade[0]})" for r in usable)
    low = min(60.0, math.floor(min(values) / 5) * 5)
    return charts.line_chart(
        title=title, desc="Nilai IKM per periode. " + desc,
        labels=[_short_period(r.period.code) for r in usable],
        series=[("IKM", values)], y_min=low, y_max=100, decimals=2,
        guides=[(88.31, "A"), (76.61, "B"), (65.0, "C")])


def _short_period(code: str) -> str:
    return code.replace("-S", " S").replace("-Q", " T")


def _unsur_chart(row: SurveyRow) -> Any:
    unsur = [u for u in row.result.unsur if u.nrr is not None]
    if not unsur:
        return None
    desc = "; ".join(f"{u.key.upper()} {u.name}: {charts.fmt(float(u.nrr_rounded), 2)}"
                     for u in unsur)
    return charts.bar_chart(
        title=f"Nilai rata-rata per unsur, {row.period.label}",
        desc="NRR skala 1–4 per unsur. " + desc,
        labels=[f"{u.key.upper()} {u.name}" for u in unsur],
        values=[float(u.nrr_rounded) for u in unsur], x_min=1, x_max=4, decimals=2,
        guides=[(3.5324, "A"), (3.0644, "B"), (2.60, "C")])


def _on_time_chart(monthly: list[dict], title: str) -> Any:
    points = [m for m in monthly if m.get("persen_tepat_waktu") is not None]
    if not points:
        return None
    desc = "; ".join(f"{charts.month_label(m['bulan'])}: {charts.fmt(m['persen_tepat_waktu'], 1)}%"
                     for m in points)
    return charts.line_chart(
        title=title, desc="Persentase permohonan yang selesai tepat waktu per bulan. " + desc,
        labels=[charts.month_short(m["bulan"]) for m in points],
        series=[("Tepat waktu (%)", [m["persen_tepat_waktu"] for m in points])],
        y_min=0, y_max=100, decimals=1, suffix="%")


def _complaints_chart(monthly: list[dict]) -> Any:
    if not monthly:
        return None
    desc = "; ".join(f"{charts.month_label(m['bulan'])}: {m['diterima']} diterima, "
                     f"{m['selesai']} selesai" for m in monthly)
    top = max(m["diterima"] for m in monthly)
    return charts.line_chart(
        title="Pengaduan per bulan", desc="Jumlah pengaduan yang diterima dan yang selesai per "
        "bulan. " + desc, labels=[charts.month_short(m["bulan"]) for m in monthly],
        series=[("Diterima", [m["diterima"] for m in monthly]),
                ("Selesai", [m["selesai"] for m in monthly])],
        y_min=0, y_max=charts.nice_max(top), decimals=0)


def _site_on_time(stats: Statistics) -> list[dict]:
    table = stats.timeliness_monthly
    if table is None or table.empty:
        return []
    grouped = table.groupby("bulan")[["diterima", "selesai", "selesai_tepat_waktu"]].sum()
    grouped["persen_tepat_waktu"] = timeliness.percent(grouped["selesai_tepat_waktu"],
                                                       grouped["selesai"])
    return _records(grouped.reset_index())


def pages(site: Site):
    stats: Statistics = site.parts.get("statistik")
    if stats is None:
        return
    # Pages get download links, not the datasets, and never the whole `Statistics` with its
    # registers: a page's cache key covers its whole context (pagecache.py).
    common = {"page_kind": "statistik", "skm": skm, "charts": charts,
              "datasets": DownloadIndex(site.datasets), "ppid": ppid_report,
              "complaint_labels": complaints.LABELS}
    limit = int(site.settings.get("ETALASE_STATISTIK_MAKS_LAYANAN", OVERVIEW_SERVICES))
    provider_of = {code: service.provider.kode for code, service in site.services.items()}

    names = functools.cache(lambda: shown_names(site))  # (services, providers), on use

    def overview(name: str):
        """The cache key inputs of an overview page (None: keyed by its context)."""
        return None if stats.key is None else ("statistik", name, stats.key, limit)
    # Made by the worker that writes a page showing them, once (the overview pages are keyed
    # by the statistics' key, `overview`, when there is one)
    overall = functools.cache(lambda: stats.scope("keseluruhan", None))
    site_on_time = functools.cache(lambda: _site_on_time(stats))
    complaints_monthly = functools.cache(lambda: _records(stats.complaints_monthly))
    sections = [name for name, present in (("skm", stats.surveys),
                                           ("ketepatan-waktu", stats.has("requests")),
                                           ("pengaduan", stats.has("complaints"))) if present]
    yield Page(f"{BASE}index.html", "statistik.html", lambda: {
        **common, "sections": sections, "ppid_reports": stats.ppid_reports,
        "overall": overall(), "site_on_time": site_on_time(),
        "complaints_monthly": complaints_monthly(),
    }, overview("index"))

    def skm_page() -> dict:  # made only by the worker that writes it (40 000 results)
        shown_services, shown_providers = names()
        latest_period = stats.periods[-1] if stats.periods else None
        services = sorted({r.kode for r in stats.surveys if r.tingkat == "layanan"},
                          key=lambda c: site.services[c].nama.lower())
        grid = {(r.tingkat, r.kode, r.period.code): r for r in stats.surveys}
        short = [r for r in stats.surveys if r.sampel_cukup is False]
        by_provider: dict[str, list[str]] = {}
        for code in services:
            by_provider.setdefault(provider_of[code], []).append(code)
        compact = len(services) > limit
        counts: dict[str, int] = {}
        if compact:  # service-level shortfalls are counted per provider, not listed
            for r in short:
                if r.tingkat == "layanan":
                    counts[provider_of[r.kode]] = counts.get(provider_of[r.kode], 0) + 1
            short = [r for r in short if r.tingkat != "layanan"]
        short_per_provider = sorted(counts.items(),
                                    key=lambda item: site.providers[item[0]].nama.lower())
        return {
            **common, "periods": stats.periods, "overall": overall(),
            "latest_period": latest_period,
            "trend_chart": _ikm_trend_chart(overall(), "IKM seluruh layanan per periode"),
            "unsur_chart": _unsur_chart(overall()[-1]) if overall() else None,
            "providers": sorted({r.kode for r in stats.surveys if r.tingkat == "penyelenggara"},
                                key=lambda c: site.providers[c].nama.lower()),
            "services": services, "services_by_provider": by_provider, "compact": compact,
            "grid": grid, "short": short, "short_per_provider": short_per_provider,
            "site_services": shown_services, "site_providers": shown_providers,
            "profile": {p.code: stats.profiles.get((p.code, "keseluruhan", None), [])
                        for p in stats.periods},
        }

    if stats.surveys:
        yield Page(f"{BASE}skm/index.html", "statistik-skm.html", skm_page, overview("skm"))
    if stats.has("requests"):
        per_provider = len(stats.timeliness_summary) > limit

        def timeliness_page() -> dict:
            shown_services, shown_providers = names()
            if per_provider:  # totals per provider, from the register
                with_provider = stats.requests.assign(
                    penyelenggara=stats.requests["layanan"].map(provider_of))
                per = timeliness.service_summary(with_provider, stats.requests_as_of,
                                                 RECENT_MONTHS, by="penyelenggara")
                rows = [(shown_providers[k], s) for k, s in per.items() if k in site.providers]
            else:
                rows = [(shown_services[c], s) for c, s in stats.timeliness_summary.items()
                        if c in site.services]
            rows.sort(key=lambda pair: pair[0]["nama"].lower())
            return {
                **common, "summary": rows, "per_provider": per_provider,
                "site_on_time": site_on_time(),
                "chart": _on_time_chart(site_on_time(), "Selesai tepat waktu, seluruh layanan"),
                "overdue": _records(stats.overdue.head(OVERDUE_SHOWN)),
                "overdue_count": len(stats.overdue), "as_of": stats.requests_as_of,
                "site_services": shown_services, "months": RECENT_MONTHS,
            }

        yield Page(f"{BASE}ketepatan-waktu/index.html", "statistik-ketepatan-waktu.html",
                   timeliness_page, overview("ketepatan-waktu"))
    if stats.has("complaints"):
        def complaints_page() -> dict:
            shown_services, shown_providers = names()
            totals = complaints.totals(stats.complaints)
            per_provider = stats.complaints["layanan"].nunique() > limit
            kode = stats.complaints["layanan"]
            if per_provider:
                kode = kode.map(provider_of)
            per = (stats.complaints.assign(kode=kode.fillna(""))
                   .groupby("kode").agg(diterima=("nomor", "size"), selesai=("selesai", "sum"),
                                        median=("hari_kerja", "median")).reset_index())
            per["persen_selesai"] = timeliness.percent(per["selesai"], per["diterima"])
            breakdown = stats.complaints_breakdown
            last_month = breakdown["bulan"].max() if not breakdown.empty else None
            latest = breakdown[breakdown["bulan"] == last_month]
            return {
                **common, "monthly": complaints_monthly(),
                "chart": _complaints_chart(complaints_monthly()), "last_month": last_month,
                "latest": {key: [(r["nilai"], r["jumlah"])
                                 for r in _records(latest[latest["dimensi"] == key])]
                           for key in complaints.DIMENSIONS},
                "totals": {k: list(v.items()) for k, v in totals.items()},
                "per_service": _records(per.sort_values("diterima", ascending=False)),
                "per_provider": per_provider,
                "site_services": shown_services, "site_providers": shown_providers,
            }

        yield Page(f"{BASE}pengaduan/index.html", "statistik-pengaduan.html", complaints_page,
                   overview("pengaduan"))
    if stats.ppid_reports:
        yield Page(f"{BASE}ppid/index.html", "statistik-ppid-index.html", {
            **common, "reports": stats.ppid_reports})
        for report in stats.ppid_reports:
            yield Page(f"{BASE}ppid/{report.year}/index.html", "statistik-ppid.html", {
                **common, "report": report, "text": stats.ppid_texts.get(report.year),
                "provisional_until": (stats.ppid_as_of if stats.ppid_as_of is not None
                                      and stats.ppid_as_of.year <= report.year else None),
                "staff_blocks": ppid_report.STAFF_BLOCKS,
                "objection_times": ppid_report.OBJECTION_TIMES, "as_of": stats.ppid_as_of,
                "canonical_path": f"{BASE}ppid/{report.year}/",
            })

    def surveyed_services(provider) -> list:
        return [s for s in sorted(provider.services, key=lambda s: s.nama.lower())
                if stats.scope("layanan", s.kode)]

    def provider_page(code: str) -> dict:
        provider = site.providers[code]
        surveys = stats.scope("penyelenggara", code)
        latest = surveys[-1]
        return {
            **common, "provider": provider, "surveys": surveys,
            "trend_chart": _ikm_trend_chart(surveys, f"IKM {provider.nama} per periode"),
            "unsur_chart": _unsur_chart(latest),
            "services": [(s, stats.scope("layanan", s.kode)[-1])
                         for s in surveyed_services(provider)],
            "profile": stats.profiles.get((latest.period.code, "penyelenggara", code), []),
            "canonical_path": f"{BASE}penyelenggara/{code}/",
        }

    def provider_inputs(code: str) -> tuple:
        """What decides a provider's page: its names, its survey results and profile, and
        each surveyed service's name and statistics digest (which covers the service's
        survey results); not its charts, which are made from these."""
        provider = site.providers[code]
        surveys = stats.scope("penyelenggara", code)
        return ("statistik-penyelenggara", code, provider.nama, provider.row.get("singkatan"),
                surveys, stats.profiles.get((surveys[-1].period.code, "penyelenggara", code), []),
                [(s.kode, s.nama, stats.service_digests.get(s.kode))
                 for s in surveyed_services(provider)])

    for code in sorted({r.kode for r in stats.surveys if r.tingkat == "penyelenggara"}):
        # made only by the worker that writes the page (charts of 200 providers)
        yield Page(f"{BASE}penyelenggara/{code}/index.html", "statistik-penyelenggara.html",
                   functools.partial(provider_page, code), provider_inputs(code))
    @functools.cache
    def by_service() -> tuple[dict, dict, dict]:
        """Each table split by service once (not filtered again for every service), and only
        by a worker that renders a service's statistics page."""
        return (_records_by_service(stats.timeliness_monthly),
                _records_by_service(stats.complaints_per_service),
                _records_by_service(stats.overdue))

    def shown(service) -> tuple[dict, dict]:
        """All the statistics page shows of a service and its provider: its key, so a new
        summary or requirement does not make the page again."""
        return ({"kode": service.kode, "nama": service.nama, "url": service.url,
                 "jangka_waktu": service.jangka_waktu,
                 "jangka_waktu_hari_kerja": service.jangka_waktu_hari_kerja},
                {"kode": service.provider.kode, "nama": service.provider.nama})

    def service_page(code: str, service) -> dict:
        surveys = stats.scope("layanan", code)
        monthly_by, complaints_by, overdue_by = by_service()
        monthly = monthly_by.get(code, [])
        about, provider = shown(service)
        return {
            **common, "service": about, "provider": provider, "surveys": surveys,
            "trend_chart": _ikm_trend_chart(surveys, f"IKM {service.nama} per periode"),
            "unsur_chart": _unsur_chart(surveys[-1]) if surveys else None,
            "monthly": monthly, "complaint_months": complaints_by.get(code, []),
            "overdue": overdue_by.get(code, []),
            "on_time_chart": _on_time_chart(monthly, "Selesai tepat waktu per bulan"),
            "canonical_path": f"{BASE}layanan/{code}/",
        }

    for code, service in site.services.items():
        if "kinerja" in service.parts:  # the context is made only when the page is written,
            # and its cache key is made from what decides it: what it shows of the service and
            # its statistics (`common` is constant, or covered by the site-wide key: the
            # download links).
            inputs = ("statistik", stats.service_digests.get(code), code, shown(service))
            yield Page(f"{BASE}layanan/{code}/index.html", "statistik-layanan.html",
                       functools.partial(service_page, code, service), inputs)
