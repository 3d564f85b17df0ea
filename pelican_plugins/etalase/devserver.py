"""`etalase devserver`: serve output/ on 127.0.0.1 and rebuild whenever a source changes.

Watches data/, content/, theme/, the settings and the plugin itself (Pelican's own autoreload
does not know about data/). Every rebuild goes through the atomic `build()`, so a file saved
half-way shows its errors in the terminal, and at the top of every page served, while the
last good site keeps being served. The
new pages are served as soon as they are built; the search index follows a few seconds later
(until then search finds what the previous pages said). Every build of one preview shows the
build date of its first (`fixed_build_time`).
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.server
import io
import os
import re
import threading
from pathlib import Path

from .build import build, refresh_search
from .errors import DataError
from .parallel import release
from .site import build_time


QUIET_MS = 500

# The report of the last build, while it failed: every page the preview serves then says so
# at its top, so staff looking at the browser, not the terminal, know their last save is not
# shown yet, and why. Never part of the built site.
failed: dict[str, str | None] = {"report": None}

NOTICE = (
    '<div role="alert" style="margin:0;padding:1rem;border:4px solid #b0281a;background:#fff;'
    'color:#1a1a1a;font:16px/1.5 sans-serif">'
    "<p style=\"margin:0 0 .5rem\"><strong>Perubahan terakhir belum tampil.</strong> Situs tidak "
    "dibangun ulang karena ada kesalahan pada data sumber; yang tampil di bawah ini adalah "
    "versi terakhir yang berhasil dibangun. Perbaiki kesalahan berikut lalu simpan lagi, "
    "kemudian muat ulang halaman ini.</p>"
    '<pre style="margin:0;white-space:pre-wrap;overflow-wrap:anywhere">{report}</pre></div>')
_BODY = re.compile(rb"<body\b[^>]*>", re.I)


class _Handler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def end_headers(self):
        # the preview changes under the browser: a reload must ask again
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def send_head(self):
        report = failed["report"]
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        if report is None or not path.endswith(".html") or not os.path.isfile(path):
            return super().send_head()
        if not self.path.split("?")[0].endswith(("/", ".html")):
            return super().send_head()  # the redirect to the folder's address, as usual
        try:
            with open(path, "rb") as fh:
                page = fh.read()
        except OSError:  # swapped out by a build finishing just now
            return super().send_head()
        return self._send_page(200, page, report)

    def send_error(self, code, message=None, explain=None):
        """A page not there while the last build failed (the first, say): the notice alone,
        not Python's English error page."""
        report = failed["report"]
        if report is None or code != 404 or self.command not in ("GET", "HEAD"):
            return super().send_error(code, message, explain)
        page = ('<!doctype html><html lang="id"><meta charset="utf-8">'
                "<title>Halaman belum ada</title><body></body></html>").encode("utf-8")
        body = self._send_page(404, page, report)
        if self.command == "GET":
            self.wfile.write(body.getvalue())

    def _send_page(self, status: int, page: bytes, report: str) -> io.BytesIO:
        notice = NOTICE.format(report=html.escape(report)).encode("utf-8")
        found = _BODY.search(page)
        at = found.end() if found else 0
        page = page[:at] + notice + page[at:]
        self.send_response(status)
        # the page's own charset stands (the site's pages say UTF-8 in their head)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(page)))
        self.end_headers()
        return io.BytesIO(page)


def rebuild(settings: Path, output: Path, overrides: dict | None = None) -> bool:
    """Build and serve the new pages, then make the search index again (`build.py`); then,
    while nothing changes, free the last build's model (`parallel.release`)."""
    try:
        return _rebuild(settings, output, overrides)
    finally:
        release()


def _rebuild(settings: Path, output: Path, overrides: dict | None = None) -> bool:
    try:
        build(settings, output, overrides, search_later=True)
    except DataError as exc:
        failed["report"] = exc.report()
        print(failed["report"], flush=True)
        print("Situs lama tetap disajikan. Simpan perbaikan untuk membangun ulang.", flush=True)
        return False
    failed["report"] = None
    print(f"Situs dibangun ulang di {output}/; indeks pencarian sedang diperbarui.", flush=True)
    try:
        refresh_search(settings, output, overrides)
    except DataError as exc:
        print(exc.report(), flush=True)
        print("Pencarian masih memakai indeks sebelumnya.", flush=True)
        return True
    print("Indeks pencarian diperbarui.", flush=True)
    return True


@contextlib.contextmanager
def fixed_build_time(root: Path):
    """Within the `with`, builds of the project at `root` show the build time
    (`site.build_time`) of its start.

    Each page's footer shows the date of the last commit, so without this a commit made while
    the preview runs changes every page and the next rebuild renders all of them again (at
    national scale 30 s instead of 5). A build time set by SOURCE_DATE_EPOCH is kept as it is,
    and nothing is fixed where no commit is found.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    epoch = 0 if before else int(build_time(root).timestamp())
    if epoch:
        os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        if epoch:
            if before is None:
                os.environ.pop("SOURCE_DATE_EPOCH", None)
            else:
                os.environ["SOURCE_DATE_EPOCH"] = before


def serve(settings: Path, output: Path, root: Path, port: int = 8000,
          data: Path | None = None, cache: bool = True) -> None:
    from pelican.settings import read_settings

    from .pagecache import project_root

    # The content-hash cache (pagecache.py) is on while staff preview their changes, so a
    # rebuild renders only what changed; published builds (`make html`, `make publish`) are
    # made without it.
    overrides = {"ETALASE_CACHE": cache}
    if data:
        overrides["ETALASE_DATA_PATH"] = str(data.resolve())
    # the project whose last commit the pages show (site.build_time), as the build finds it
    built = project_root(read_settings(str(settings), override=dict(overrides)))
    with fixed_build_time(built):
        _serve(settings, output, root, port, data, overrides)


def _serve(settings: Path, output: Path, root: Path, port: int, data: Path | None,
           overrides: dict) -> None:
    import watchfiles  # installed with Pelican

    rebuild(settings, output, overrides)
    output.mkdir(parents=True, exist_ok=True)
    handler = functools.partial(_Handler, directory=str(output))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"Menyajikan http://127.0.0.1:{port}/ — tekan Ctrl+C untuk berhenti.", flush=True)
    watched = [p for p in (data or root / "data", root / "content", root / "theme",
                           Path(__file__).parent, settings) if p.exists()]
    output_name = output.resolve().name

    usual = watchfiles.DefaultFilter()  # caches, editor backups and swap files

    def relevant(change, path: str) -> bool:
        # Hidden files are what programs write before they rename a saved file into place
        # (and LibreOffice's .~lock files): a build waits for the file itself.
        return f"/{output_name}/" not in path and f"/.{output_name}-" not in path and \
            not os.path.basename(path).startswith(".") and usual(change, path)

    try:
        # A build starts once the sources have been quiet for half a second, so a large CSV
        # saved in many writes is not read half-written (watchfiles' default groups changes
        # for at most 1.6 s, then builds from a partly written file). A save that pauses
        # longer still can be: that build reports the problems, and the next one follows.
        for _changes in watchfiles.watch(*watched, watch_filter=relevant, step=QUIET_MS,
                                         debounce=60_000):
            rebuild(settings, output, overrides)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
