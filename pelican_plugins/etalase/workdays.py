"""Working-day (hari kerja) arithmetic for Indonesian public services.

A working day is Monday to Friday that is neither a national public holiday (from the
maintained `holidays` library, Indonesian calendar, category "public") nor a cuti bersama
day. Cuti bersama (joint leave set each year by an SKB of three ministers, sometimes amended
during the year) is kept by staff in `data/hari-libur/cuti-bersama.csv`, so a late change is
one line in a spreadsheet rather than a library upgrade.

Counting convention (used by every statistic and deadline on the site): the day a request
arrives is day 0; the first working day after it is day 1. So `working_days_between(start,
end)` counts the working days in the half-open interval (start, end], and
`add_working_days(start, n)` returns the n-th working day after `start`; the two are inverse:
`working_days_between(d, add_working_days(d, n)) == n`. A request received on a Friday and
answered the next Monday took 1 working day. This is how "paling lambat 10 hari kerja sejak
diterimanya permintaan" (UU 14/2008 Pasal 22(7)) is read.

Everything is vectorised with numpy's business-day functions, so millions of rows take
milliseconds; scalar dates work too.
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.metadata
from collections.abc import Iterable
from functools import cached_property

import numpy as np
import pandas as pd

WEEKMASK = "1111100"  # Monday to Friday
FIRST_YEAR, LAST_YEAR = 2010, 2040  # calendar span; dates outside it count weekends only
CUTI_BERSAMA_FILE = "hari-libur/cuti-bersama"  # stem under data/, read with its Table Schema


def public_holidays(years: Iterable[int]) -> dict[dt.date, str]:
    """Indonesian national public holidays (libur nasional) in `years`, names in Indonesian."""
    return dict(_public_holidays(tuple(years)))


@functools.lru_cache(maxsize=4)
def _public_holidays(years: tuple[int, ...]) -> tuple[tuple[dt.date, str], ...]:
    # Worked out once per process (0.14 s for the calendar's 31 years, 0.1 s of it importing
    # the library's 250 countries): the preview builds again and again in one process, and
    # with the cache on `site_calendar` keeps the result between builds.
    import holidays

    calendar = holidays.country_holidays("ID", years=list(years), categories=("public",),
                                         language="id")
    return tuple(sorted(calendar.items()))


def _as_day_array(values) -> np.ndarray:
    """Dates, strings, Timestamps, Series or arrays → numpy datetime64[D] (NaT kept)."""
    if isinstance(values, (pd.Series, pd.Index)):
        return pd.to_datetime(values).to_numpy(dtype="datetime64[D]")
    if isinstance(values, np.ndarray) and np.issubdtype(values.dtype, np.datetime64):
        return values.astype("datetime64[D]")
    if isinstance(values, (list, tuple, np.ndarray)):
        return pd.to_datetime(pd.Series(values)).to_numpy(dtype="datetime64[D]")
    if values is None or values is pd.NaT:
        return np.datetime64("NaT", "D")
    return np.datetime64(pd.Timestamp(values).date(), "D")


class WorkCalendar:
    """Working days: weekends, national holidays and the given cuti bersama dates are off."""

    def __init__(self, cuti_bersama: Iterable = (), first_year: int = FIRST_YEAR,
                 last_year: int = LAST_YEAR, public: dict[dt.date, str] | None = None):
        """`public`: the national holidays of those years, if already worked out."""
        self.first_year, self.last_year = first_year, last_year
        self.public = public_holidays(range(first_year, last_year + 1)) if public is None \
            else public
        self.cuti_bersama = sorted({pd.Timestamp(d).date() for d in cuti_bersama})

    @cached_property
    def holidays(self) -> list[dt.date]:
        """Every weekday-or-weekend day off other than Saturday/Sunday, sorted."""
        return sorted(set(self.public) | set(self.cuti_bersama))

    @property
    def known_until(self) -> dt.date | None:
        """The last day up to which every day off is known: the end of the last year whose
        cuti bersama are in the data. The national holidays come from the `holidays` library,
        which works them out for any year of the calendar (to `last_year`), but cuti bersama
        only from data/hari-libur/cuti-bersama.csv, one joint decree (SKB) a year, entered
        whole: after that year, a deadline may still move. None without any cuti bersama
        (none is known at all)."""
        if not self.cuti_bersama:
            return None
        return dt.date(min(self.cuti_bersama[-1].year, self.last_year), 12, 31)

    @cached_property
    def _numpy(self) -> np.busdaycalendar:
        days = np.array(self.holidays, dtype="datetime64[D]")
        return np.busdaycalendar(weekmask=WEEKMASK, holidays=days)

    def is_working_day(self, dates):
        """True where the date is a working day (vectorised)."""
        days = _as_day_array(dates)
        valid = ~np.isnat(days)
        if np.ndim(days) == 0:
            return bool(valid and np.is_busday(days, busdaycal=self._numpy))
        result = np.zeros(days.shape, dtype=bool)
        result[valid] = np.is_busday(days[valid], busdaycal=self._numpy)
        return result

    def working_days_between(self, start, end):
        """Working days in (start, end]: 0 on the same day, negative if end is before start.

        Arrays (or Series) in → float array out, NaN where either date is missing.
        """
        s, e = _as_day_array(start), _as_day_array(end)
        one = np.timedelta64(1, "D")
        if np.ndim(s) == 0 and np.ndim(e) == 0:
            if np.isnat(s) or np.isnat(e):
                return None
            return int(np.busday_count(s + one, e + one, busdaycal=self._numpy))
        s, e = np.broadcast_arrays(s, e)
        valid = ~(np.isnat(s) | np.isnat(e))
        out = np.full(s.shape, np.nan)
        out[valid] = np.busday_count(s[valid] + one, e[valid] + one, busdaycal=self._numpy)
        return out

    def add_working_days(self, start, n):
        """The n-th working day after `start` (n ≥ 0; n = 0 gives `start` itself).

        A start on a weekend or holiday counts from the working day before it, so Saturday + 1
        is the next Monday (when Monday is a working day). Vectorised over start and n.
        """
        s = _as_day_array(start)
        n_arr = np.asarray(n)
        if np.ndim(s) == 0 and n_arr.ndim == 0:
            if np.isnat(s):
                return None
            if int(n_arr) == 0:
                return pd.Timestamp(s).date()
            day = np.busday_offset(s, int(n_arr), roll="backward", busdaycal=self._numpy)
            return pd.Timestamp(day).date()
        s, n_arr = np.broadcast_arrays(s, n_arr)
        valid = ~np.isnat(s)
        out = np.full(s.shape, np.datetime64("NaT"), dtype="datetime64[D]")
        days = np.busday_offset(s[valid], n_arr[valid].astype("int64"), roll="backward",
                                busdaycal=self._numpy)
        out[valid] = np.where(n_arr[valid] == 0, s[valid], days)
        return out


def calendar_from_frame(frame: pd.DataFrame | None,
                        public: dict[dt.date, str] | None = None) -> WorkCalendar:
    """A calendar from the validated cuti-bersama table (column `tanggal`), or without it;
    `public` as for `WorkCalendar`."""
    if frame is None or frame.empty:
        return WorkCalendar(public=public)
    return WorkCalendar(frame["tanggal"].dropna().tolist(), public=public)


def site_calendar(site) -> WorkCalendar:
    """The site's calendar, read once from data/hari-libur/cuti-bersama.csv and shared.

    Any section that needs working days (statistics, PPID request deadlines) calls this;
    the file is optional (without it only national holidays and weekends are off).
    """
    calendar = site.parts.get("kalender_kerja")
    if calendar is None:
        frame = site.read(CUTI_BERSAMA_FILE, "cuti-bersama", required=False)
        years = range(FIRST_YEAR, LAST_YEAR + 1)
        public = site.computed(  # from the cache, when it is on: decided by the library
            "libur-nasional", [importlib.metadata.version("holidays"), list(years)],
            lambda: public_holidays(years))
        calendar = calendar_from_frame(frame, public)
        site.parts["kalender_kerja"] = calendar
        site.parts["cuti_bersama_frame"] = frame
    return calendar
