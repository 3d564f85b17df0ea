"""Atom feeds of dataset changes, so a journalist can subscribe to one dataset or to all.

One entry per version of a dataset (a git commit that changed its source), newest first,
with the commit message and the row-level summary. Written with `feedgenerator` (Pelican's
own feed library). Every date comes from git, so the feed is byte-identical across rebuilds;
an empty feed is dated by the build time (the last commit), never by the wall clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from feedgenerator import Atom1Feed


@dataclass(frozen=True)
class Entry:
    title: str
    link: str  # absolute URL of the change (landing page anchor)
    id: str  # stable unique id
    summary: str
    when: dt.datetime  # timezone-aware


class _ReproducibleAtom(Atom1Feed):
    """Atom1Feed whose <updated> never falls back to the current time."""

    def __init__(self, *args, fallback: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._fallback = fallback

    def latest_post_date(self):
        if not self.items:
            return self._fallback
        return super().latest_post_date()


def write_feed(path: Path, title: str, link: str, feed_url: str, description: str,
               entries: list[Entry], fallback: dt.datetime, limit: int = 100) -> Path:
    """Write an Atom feed of `entries` (newest first, at most `limit`) to `path`."""
    feed = _ReproducibleAtom(title=title, link=link, feed_url=feed_url, description=description,
                             language="id", feed_guid=feed_url, fallback=fallback)
    ordered = sorted(entries, key=lambda e: (e.when, e.id), reverse=True)[:limit]
    for entry in ordered:
        feed.add_item(title=entry.title, link=entry.link, description=entry.summary,
                      unique_id=entry.id, pubdate=entry.when, updateddate=entry.when)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8") as fh:
        feed.write(fh, "utf-8")
    return path
