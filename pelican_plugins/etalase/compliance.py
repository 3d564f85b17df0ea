"""The compliance report (Kepatuhan): what the law requires to be public, and whether it is.

Pure checks over plain inputs, each returning a `Check` made of `Finding`s with a status
`ok`, `peringatan` (cannot be checked fully, or not yet due) or `gagal` (a gap):

1. the ten `berkala` items (Perki 1/2021 Pasal 11(1)): covered by which page, dataset or DIP
   entry, when last updated; a gap when none covers it or the newest is older than six
   months (UU 14/2008 Pasal 9(3));
2. every service standard: which of the 14 components (UU 25/2009 Pasal 21) are missing;
3. the SKM (PermenPAN-RB 14/2017): years without a survey, a latest survey older than a
   year, a past year whose every survey has a sample below the Krejcie–Morgan minimum (gaps;
   a small sample in a year that also has a large enough one, or in the year still running,
   is a warning); periods in which
   other services were surveyed but this one was not (a warning: the rule is once a year);
4. the information requests waiting for a written answer (UU 14/2008 Pasal 22(7)–(8)):
   past 10 working days, or 17 when extended, on the register's last date (a gap); and the
   objections waiting for the PPID's superior (Pasal 36(2)): past 30 working days (a gap);
5. the annual public-information service report (Perki 1/2021 Pasal 56): present for last
   year once 31 March has passed;
6. the maklumat pelayanan (UU 25/2009 Pasal 22) of every provider and the codes of conduct
   that bind its staff.

`run(site, today)` gathers the inputs from a loaded `Site`; `summary_lines` prints the same
report for `etalase validate`; `problems` turns gaps into build errors when the setting
`ETALASE_KEPATUHAN_GAGALKAN_BUILD` is true.
"""

from __future__ import annotations

import datetime as dt
import runpy
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import kip
from .errors import Problem
from .textformat import tanggal

OK, WARN, FAIL = "ok", "peringatan", "gagal"
STATUS_LABELS = {OK: "Terpenuhi", WARN: "Perlu diperiksa", FAIL: "Belum terpenuhi"}
_RANK = {OK: 0, WARN: 1, FAIL: 2}
SETTING = "ETALASE_KEPATUHAN_GAGALKAN_BUILD"
SKM_MAX_AGE_DAYS = 365  # PermenPAN-RB 14/2017: at least once a year per service unit
REPORT_DUE = (3, 31)  # Perki 1/2021 Pasal 56: three months after the fiscal year, 31 March


@dataclass
class Finding:
    subject: str
    status: str
    detail: str
    where: str | None = None  # the file or folder to change to close the gap
    links: list[tuple[str, str]] = field(default_factory=list)  # (site-relative url, title)
    date: dt.date | None = None
    provider: str | None = None  # the kode of the provider it concerns, if one


@dataclass
class Check:
    key: str
    title: str
    basis: str
    findings: list[Finding] = field(default_factory=list)

    @property
    def status(self) -> str:
        return max((f.status for f in self.findings), key=_RANK.__getitem__, default=OK)

    def count(self, status: str) -> int:
        return sum(1 for f in self.findings if f.status == status)

    def fingerprint(self):
        """What a page showing this check depends on (pagecache.py), as plain values hashed
        in one go: at national scale a check has thousands of findings."""
        return (self.key, self.title, self.basis, [
            (f.subject, f.status, f.detail, f.where, f.links,
             None if f.date is None else f.date.isoformat(), f.provider)
            for f in self.findings])

    def by_provider(self) -> dict[str, Check]:
        """The check split per provider: kode → the same check with only the findings that
        concern that provider (findings that concern none are left out)."""
        parts: dict[str, Check] = {}
        for f in self.findings:
            if f.provider is not None:
                if f.provider not in parts:
                    parts[f.provider] = Check(self.key, self.title, self.basis)
                parts[f.provider].findings.append(f)
        return parts


def worst(checks: list[Check]) -> str:
    return max((c.status for c in checks), key=_RANK.__getitem__, default=OK)


# --- 1. the ten berkala items ---------------------------------------------------------------

def check_berkala(entries, today: dt.date) -> Check:
    """`entries`: DIP entries (dip.Entry) of everything published or listed."""
    check = Check("berkala", "Informasi berkala (10 butir)",
                  "UU 14/2008 Pasal 9; Perki 1/2021 Pasal 11 ayat (1)")
    limit = (pd.Timestamp(today) - pd.DateOffset(months=kip.BERKALA_MAX_AGE_MONTHS)).date()
    for number, item in kip.BERKALA_ITEMS.items():
        covering = [e for e in entries if e.kategori == kip.BERKALA and number in e.butir_berkala]
        subject = f"{number}. {item.title}"
        links = [(e.tautan or "", e.judul) for e in covering]
        dates = [e.waktu_pembuatan for e in covering if e.waktu_pembuatan is not None]
        newest = max(dates, default=None)
        if not covering:
            check.findings.append(Finding(subject, FAIL, "belum ada halaman, dataset, atau butir "
                                          "DIP yang memenuhinya", "data/ppid/dip.csv"))
        elif newest is None:
            check.findings.append(Finding(subject, WARN, "tanggal pembaruan terakhir tidak "
                                          "diketahui", "data/ppid/dip.csv", links))
        elif newest < limit:
            check.findings.append(Finding(
                subject, FAIL, f"terakhir diperbarui {tanggal(newest)}, lebih dari "
                f"{kip.BERKALA_MAX_AGE_MONTHS} bulan lalu (wajib diperbarui paling sedikit "
                "setiap 6 bulan)", "data/ppid/dip.csv", links, newest))
        else:
            check.findings.append(Finding(subject, OK, f"terakhir diperbarui {tanggal(newest)}",
                                          None, links, newest))
    return check


# --- 2. service standards -------------------------------------------------------------------

def _provider_of(service) -> str | None:
    provider = getattr(service, "provider", None)
    return getattr(provider, "kode", None)


def check_services(services: dict, where: str = "data/standar-pelayanan.csv") -> Check:
    """`services`: kode → object with `nama`, `url`, `missing_components()` and, if it has
    one, `provider.kode`; `where`: the staff file they are kept in."""
    check = Check("standar", "Standar pelayanan: 14 komponen", "UU 25/2009 Pasal 21")
    if not services:
        check.findings.append(Finding("Standar pelayanan", FAIL, "belum ada layanan yang "
                                      "standarnya diumumkan", where))
    for kode, service in sorted(services.items()):
        missing = service.missing_components()
        link = [(service.url, service.nama)]
        if missing:
            check.findings.append(Finding(service.nama, FAIL, "belum ada: " + ", ".join(missing),
                                          where, link,
                                          provider=_provider_of(service)))
        else:
            check.findings.append(Finding(service.nama, OK, "ke-14 komponen lengkap", None, link,
                                          provider=_provider_of(service)))
    return check


# --- 3. SKM -----------------------------------------------------------------------------------

def check_skm(surveys, services: dict, today: dt.date) -> Check:
    """`surveys`: statistics.SurveyRow-like rows (period, tingkat, kode, result, sampel_*)."""
    check = Check("skm", "Survei Kepuasan Masyarakat", "PermenPAN-RB 14/2017")
    rows = [s for s in surveys if s.tingkat == "layanan"]
    if not rows:
        check.findings.append(Finding("Survei Kepuasan Masyarakat", FAIL, "belum ada survei",
                                      "data/skm/"))
        return check
    first_year = min(s.period.start.year for s in rows)
    site_periods = {s.period.code: s.period
                    for s in sorted(rows, key=lambda s: (s.period.start, s.period.end))}
    required_years = range(first_year, today.year)  # complete years since the first survey
    by_service: dict[str, list] = {}
    for s in rows:
        by_service.setdefault(s.kode, []).append(s)
    for kode, service in sorted(services.items()):
        own = sorted(by_service.get(kode, ()), key=lambda s: s.period.end)
        link = [(f"statistik/layanan/{kode}/", service.nama)]
        if not own:
            check.findings.append(Finding(service.nama, FAIL, "belum pernah disurvei",
                                          "data/skm/", link, provider=_provider_of(service)))
            continue
        notes, status = [], OK
        years = {s.period.start.year for s in own} | {s.period.end.year for s in own}
        gaps = [y for y in required_years if y not in years]
        if gaps:
            status = FAIL
            notes.append("tanpa survei pada tahun " + ", ".join(str(y) for y in gaps))
        latest = own[-1]
        if (today - latest.period.end).days > SKM_MAX_AGE_DAYS:
            status = FAIL
            notes.append(f"survei terakhir ({latest.period.code}) berakhir "
                         f"{tanggal(latest.period.end)}, lebih dari setahun lalu")
        # Once a year with a sample large enough: a year whose every survey was too small
        # is a gap; a small survey in a year that also has a large enough one is shown as
        # such, a warning.
        enough_in = {year for s in own if s.sampel_cukup is not False
                     for year in {s.period.start.year, s.period.end.year}}
        for s in own:
            if s.sampel_cukup is False:
                covered = enough_in & {s.period.start.year, s.period.end.year}
                # this year is not over: a larger survey may still come (a year without any
                # survey is only judged once it is over, too)
                running = not covered and s.period.end.year >= today.year
                status = max(status, WARN if covered or running else FAIL,
                             key=_RANK.__getitem__)
                notes.append(f"{s.period.code}: {s.result.respondents} responden, kurang dari "
                             f"sampel minimal {s.sampel_minimal} (Krejcie–Morgan, populasi "
                             f"{s.populasi})" + (
                                 f"; tahun {min(covered)} tetap punya survei dengan sampel "
                                 "mencukupi" if covered else
                                 f"; tahun {today.year} belum punya survei dengan sampel "
                                 "mencukupi" if running else ""))
        surveyed = {s.period.code for s in own}
        skipped = [code for code in site_periods if code not in surveyed
                   and site_periods[code].start >= own[0].period.start]
        if skipped:
            status = max(status, WARN, key=_RANK.__getitem__)
            notes.append("tidak disurvei pada periode " + ", ".join(skipped) +
                         " (layanan lain disurvei)")
        if latest.sampel_cukup is None and status == OK:
            status = WARN
            notes.append(f"{latest.period.code}: populasi tidak diketahui, kecukupan sampel "
                         "tidak dapat diperiksa")
        if not notes:
            notes.append(f"survei terakhir {latest.period.code}, {latest.result.respondents} "
                         "responden, sampel mencukupi")
        check.findings.append(Finding(service.nama, status, "; ".join(notes),
                                      "data/skm/" if status != OK else None, link,
                                      latest.period.end, _provider_of(service)))
    return check


# --- 4. objections ---------------------------------------------------------------------------

def _waiting(subject: str, row: dict, limit: int, span: str, per: str, where: str | None,
             unanswered: str = "belum dijawab", note: str = "") -> Finding:
    """A request or an objection still waiting on the register's last date (`per`): a gap once
    it has waited more than `limit` working days (`span` says the limit in words)."""
    received = tanggal(row["diterima"])
    if row["hari_kerja"] is not None and row["hari_kerja"] > limit:
        return Finding(subject, FAIL, f"diterima {received}, {unanswered} setelah "
                       f"{row['hari_kerja']} hari kerja; batasnya {span}{per}{note}", where,
                       date=row["diterima"])
    return Finding(subject, OK, f"diterima {received}, masih dalam batas {span}{per}",
                   date=row["diterima"])


def _as_of(as_of: dt.date | None) -> str:
    return f" (per {tanggal(as_of)}, tanggal terakhir di register)" if as_of else ""


def check_answers(waiting: list[dict], as_of: dt.date | None, where: str | None) -> Check:
    """The information requests still waiting for a written answer
    (`ppid_report.waiting_requests`): past 10 working days (17 when extended, UU 14/2008
    Pasal 22(7)–(8)) on the register's last date, a gap."""
    check = Check("jawaban", "Jawaban atas permohonan informasi",
                  "UU 14/2008 Pasal 22 ayat (7) dan (8)")
    for row in waiting:
        span = f"{row['batas']} hari kerja" + (
            " (sudah diperpanjang)" if row["batas"] > kip.ANSWER_DAYS else "")
        # A decision recorded without the date of the written answer is most often a date
        # not filled in: said, so staff look there first.
        decided = (f"; keputusannya sudah dicatat ({row['keputusan'].lower()}), tetapi "
                   "tanggal jawaban tertulisnya (kolom tanggal_pemberitahuan) masih kosong"
                   ) if row["keputusan"] else ""
        check.findings.append(_waiting(f"Permohonan {row['nomor']}", row, row["batas"], span,
                                       _as_of(as_of), where, "belum dijawab tertulis", decided))
    if not waiting:
        check.findings.append(Finding("Permohonan informasi", OK, "setiap permohonan di "
                                      "register sudah dijawab tertulis"))
    return check


def check_objections(waiting: list[dict], as_of: dt.date | None, where: str | None) -> Check:
    """The objections still waiting for the PPID's superior (`ppid_report.waiting_objections`):
    past the 30 working days of UU 14/2008 Pasal 36(2) on the register's last date, a gap;
    without the date received, it cannot be checked."""
    check = Check("keberatan", "Tanggapan atas keberatan", "UU 14/2008 Pasal 36 ayat (2)")
    limit = kip.SUPERIOR_ANSWER_DAYS
    for row in waiting:
        subject = f"Keberatan atas permohonan {row['nomor']}"
        if row["diterima"] is None:
            check.findings.append(Finding(subject, WARN, "belum dijawab, tetapi tanggal "
                                          "keberatan diterima tidak dicatat: batas "
                                          f"{limit} hari kerja tidak dapat diperiksa", where))
        else:
            check.findings.append(_waiting(subject, row, limit, f"{limit} hari kerja",
                                           _as_of(as_of), where))
    if not waiting:
        check.findings.append(Finding("Keberatan", OK, "tidak ada keberatan yang menunggu "
                                      "tanggapan atasan PPID"))
    return check


# --- 5. annual report -------------------------------------------------------------------------

def report_due(year: int) -> dt.date:
    return dt.date(year + 1, *REPORT_DUE)


def check_annual_report(written: set[int], with_data: set[int], today: dt.date) -> Check:
    """`written`: years with content/laporan-ppid/<tahun>.md; `with_data`: years with requests."""
    check = Check("laporan", "Laporan tahunan layanan informasi publik",
                  "Perki 1/2021 Pasal 56 (paling lambat 31 Maret tahun berikutnya)")
    last = today.year - 1
    due = [last] if today > report_due(last) else [last - 1]
    pending = [] if today > report_due(last) else [last]
    for year in due + pending:
        where = f"content/laporan-ppid/{year}.md"
        link = [(f"statistik/ppid/{year}/", f"Laporan {year}")] if year in with_data else []
        if year in written:
            note = "" if year in with_data else "; tidak ada permohonan tercatat di register"
            check.findings.append(Finding(f"Laporan {year}", OK, "sudah diterbitkan" + note,
                                          None, link))
        elif year in due:
            check.findings.append(Finding(f"Laporan {year}", FAIL, "belum diterbitkan; jatuh "
                                          f"tempo {tanggal(report_due(year))}", where, link))
        else:
            check.findings.append(Finding(f"Laporan {year}", WARN, "belum diterbitkan; jatuh "
                                          f"tempo {tanggal(report_due(year))}", where, link))
    return check


# --- 6. maklumat and codes of conduct -----------------------------------------------------------

def check_maklumat_and_codes(providers: dict, codes: dict | None, files: tuple[str, str] = (
        "data/penyelenggara.csv", "data/kode-etik-daftar.csv")) -> Check:
    """`providers`: kode → object with `nama`, `url`, `row`; `codes`: kode → object with
    `binds(provider_kode)`, `judul`, `url` (None when the codes section is not installed);
    `files`: the staff files of the providers and of the codes."""
    check = Check("maklumat", "Maklumat pelayanan dan kode etik",
                  "UU 25/2009 Pasal 22 dan Pasal 34")
    for kode, provider in sorted(providers.items(), key=lambda kv: kv[1].nama):
        link = [(provider.url, provider.nama)]
        maklumat = str(provider.row.get("maklumat") or "").strip()
        notes, status = [], OK
        if not maklumat:
            status = FAIL
            notes.append("maklumat pelayanan belum ada")
        else:
            notes.append("maklumat ada")
        if codes is None:
            status = max(status, WARN, key=_RANK.__getitem__)
            notes.append("kode etik belum dapat diperiksa")
        else:
            binding = [c for c in codes.values() if c.binds(kode)]
            if binding:
                notes.append("kode etik: " + ", ".join(c.judul for c in binding))
                link += [(c.url, c.judul) for c in binding]
            else:
                status = FAIL
                notes.append("belum ada kode etik yang mengikat pelaksananya")
        where = files[0] if not maklumat else (files[1] if status == FAIL else None)
        check.findings.append(Finding(provider.nama, status, "; ".join(notes), where, link,
                                      provider=kode))
    if not providers:
        check.findings.append(Finding("Penyelenggara", FAIL, "belum ada penyelenggara",
                                      files[0]))
    return check


# --- glue ----------------------------------------------------------------------------------------

def content_dir(site) -> Path:
    path = site.settings.get("PATH")
    if path:
        return Path(path)
    return (site.root or site.data_dir.parent) / "content"


def run(site, entries, today: dt.date) -> list[Check]:
    """Every check on a loaded site; `entries` are the DIP entries."""
    stats = site.parts.get("statistik")
    report_dir = content_dir(site) / "laporan-ppid"
    written = {int(p.stem) for p in report_dir.glob("*.md") if p.stem.isdigit()} \
        if report_dir.is_dir() else set()
    with_data = {r.year for r in stats.ppid_reports} if stats is not None else set()
    # with a register of information requests only
    register = []
    if stats is not None and stats.ppid_reports:
        as_of = stats.ppid_as_of.date() if stats.ppid_as_of is not None else None
        register = [check_answers(stats.requests_waiting, as_of, stats.ppid_register),
                    check_objections(stats.objections_waiting, as_of, stats.ppid_register)]
    return [
        check_berkala(entries, today),
        check_services(site.services, site.source_name("standar-pelayanan")),
        _skm_check(site, stats, today),
        *register,
        check_annual_report(written, with_data, today),
        check_maklumat_and_codes(site.providers, site.parts.get("codes"), (
            site.source_name("penyelenggara"), site.source_name("kode-etik-daftar"))),
    ]


def _skm_check(site, stats, today: dt.date) -> Check:
    """`check_skm` on the site's statistics; with the cache on, taken from an earlier build
    whose statistics had the same key (their inputs include every service's code and name,
    all the check reads of a service) on the same day: 10 000 services take half a second."""
    surveys = stats.surveys if stats is not None else []
    if stats is None or stats.key is None:
        return check_skm(surveys, site.services, today)
    return site.computed("kepatuhan-skm", [stats.key, today],
                         lambda: check_skm(surveys, site.services, today))


def summary_lines(checks: list[Check], today: dt.date) -> list[str]:
    """The report as plain text, for `etalase validate` and the build log."""
    lines = [f"Kepatuhan keterbukaan informasi per {tanggal(today)}:"]
    for check in checks:
        lines.append(f"  [{STATUS_LABELS[check.status]}] {check.title} ({check.basis})")
        for finding in check.findings:
            if finding.status != OK:
                mark = "✗" if finding.status == FAIL else "!"
                where = f" → {finding.where}" if finding.where else ""
                lines.append(f"      {mark} {finding.subject}: {finding.detail}{where}")
    gaps = sum(c.count(FAIL) for c in checks)
    lines.append(f"  {gaps} kekurangan." if gaps else "  Tidak ada kekurangan.")
    return lines


def problems(checks: list[Check]) -> list[Problem]:
    """Every gap as a build error (used when the setting makes gaps fail the build)."""
    return [Problem(f.where or "kepatuhan", None, None, None,
                    f"kepatuhan — {c.title}: {f.subject}: {f.detail}")
            for c in checks for f in c.findings if f.status == FAIL]


def fail_setting(root: Path) -> bool:
    """`ETALASE_KEPATUHAN_GAGALKAN_BUILD` from the project's pelicanconf.py (for validate)."""
    conf = Path(root) / "pelicanconf.py"
    if not conf.exists():
        return False
    try:
        return bool(runpy.run_path(str(conf)).get(SETTING, False))
    except Exception:  # a broken settings file is reported by the build itself
        return False
