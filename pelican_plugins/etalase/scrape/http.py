"""One polite HTTP session for every scraper.

It identifies itself (User-Agent with a contact address), obeys robots.txt, waits between
requests to the same host (and longer when robots.txt asks for a Crawl-delay), uses connect
and read timeouts, retries connection errors, 429 and 5xx with exponential backoff while
honouring Retry-After, refuses responses larger than a limit, and sends conditional requests
(If-None-Match / If-Modified-Since) so an unchanged source costs one cheap request.

Every failure is a `FetchError` whose message tells staff, in Indonesian, what happened.

`requests` and `tenacity` are imported when a session first needs them: a site build imports
this module (through the source kinds) only to check `data/sumber.toml`, and would otherwise
pay 0.07 s for them every time.
"""

from __future__ import annotations

import email.utils
import logging
import time
import urllib.robotparser
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable
from urllib.parse import urljoin, urlsplit

from .config import Settings

if TYPE_CHECKING:  # imported where used (see above); named here for the annotations
    import requests
    from tenacity import Retrying

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
# A whole response must arrive within this many read timeouts: a server trickling a byte
# every second never trips the read timeout, and a scheduled run would hang for days.
WHOLE_RESPONSE_TIMEOUTS = 10
REDIRECTS = frozenset({301, 302, 303, 307, 308})
_REASONS = {
    400: "permintaan tidak sah", 401: "perlu login", 403: "akses ditolak",
    404: "alamat tidak ditemukan", 410: "alamat sudah dihapus", 429: "terlalu banyak permintaan",
    500: "kesalahan di server sumber", 502: "gerbang server sumber bermasalah",
    503: "server sumber sedang tidak tersedia", 504: "server sumber kehabisan waktu",
}


class FetchError(Exception):
    """A source could not be fetched; `str(error)` is the Indonesian explanation for staff.

    For a 4xx answer `response` holds it, so an API's own error message can be passed on.
    """

    def __init__(self, message: str, response: "Response | None" = None):
        super().__init__(message)
        self.response = response


class _Retryable(Exception):
    """A failure worth another try; `retry_after` is the server's requested wait, if any."""

    def __init__(self, message: str, retry_after: float | None = None, status: int | None = None):
        super().__init__(message)
        self.retry_after = retry_after
        self.status = status  # the HTTP status, when the server did answer


@dataclass
class Response:
    url: str  # the final address, after redirects
    status: int
    headers: dict[str, str]
    content: bytes = b""

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass
class _Host:
    last_request: float | None = None
    robots: urllib.robotparser.RobotFileParser | None = None
    crawl_delay: float = 0.0


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


@dataclass
class PoliteSession:
    settings: Settings
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    notify: Callable[[str], None] = lambda message: None  # retries are reported through this
    requests_made: int = 0
    _hosts: dict[str, _Host] = field(default_factory=dict)

    def __post_init__(self):
        import requests

        self.session = requests.Session()
        self.session.headers["User-Agent"] = self.settings.user_agent

    def close(self) -> None:
        self.session.close()

    # -- public -----------------------------------------------------------------------------
    def get(self, url: str, params: dict | None = None, *, etag: str | None = None,
            last_modified: str | None = None, accept: str | None = None) -> Response:
        """GET `url` politely; a 304 answer to a conditional request is returned, not raised.

        Redirects are followed here, one hop at a time, so every hop is paced and checked
        against its own host's robots.txt.
        """
        import requests

        current = requests.Request("GET", url, params=params).prepare().url
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        if accept:
            headers["Accept"] = accept
        seen = [current]
        while True:
            self._check_robots(current)
            try:
                response = self._retrying()(self._attempt, current, headers)
            except _Retryable as exc:
                attempts = self.settings.attempts
                # which address, of the several a source may ask (pages, indicators)
                raise FetchError(f"{exc} untuk {current} (sudah dicoba {attempts} kali)") \
                    from None
            location = response.headers.get("location")
            if response.status not in REDIRECTS or not location:
                return response
            if len(seen) > self.settings.max_redirects:
                loop = " → ".join(urlsplit(u).path or "/" for u in seen[-4:])
                raise FetchError(f"terlalu banyak pengalihan (redirect) dari {url} "
                                 f"(lebih dari {self.settings.max_redirects}, terakhir: {loop}): "
                                 "alamatnya mengalihkan berputar-putar; periksa alamat sumber")
            current = urljoin(current, location)
            seen.append(current)

    def _retrying(self) -> Retrying:
        from tenacity import Retrying, retry_if_exception_type, stop_after_attempt

        return Retrying(
            stop=stop_after_attempt(self.settings.attempts),
            wait=self._wait,
            retry=retry_if_exception_type(_Retryable),
            sleep=self.sleep,
            before_sleep=self._announce,
            reraise=True,
        )

    # -- one attempt ------------------------------------------------------------------------
    def _attempt(self, url: str, headers: dict) -> Response:
        import requests

        self._pace(url)
        timeout = (self.settings.connect_timeout, self.settings.read_timeout)
        self.requests_made += 1
        try:
            with self.session.get(url, headers=headers, timeout=timeout, stream=True,
                                  allow_redirects=False) as answer:
                status = answer.status_code
                if status in REDIRECTS:
                    return Response(answer.url, status, _lower(answer.headers))
                if status == 429 or status >= 500:
                    wait = parse_retry_after(answer.headers.get("Retry-After"))
                    raise _Retryable(f"server menjawab HTTP {status} ({_reason(status)})", wait,
                                     status)
                if status == 304:
                    return Response(answer.url, status, _lower(answer.headers))
                if status >= 400:
                    body = self._read_limited(answer, url)
                    raise FetchError(f"server menjawab HTTP {status} ({_reason(status)}) untuk "
                                     f"{url}; periksa alamat di data/sumber.toml",
                                     Response(answer.url, status, _lower(answer.headers), body))
                content = self._read_limited(answer, url)
                return Response(answer.url, status, _lower(answer.headers), content)
        except requests.exceptions.ConnectTimeout:
            raise _Retryable(f"tidak tersambung ke {_host(url)} dalam "
                             f"{_secs(self.settings.connect_timeout)} detik") from None
        except (requests.exceptions.ReadTimeout, requests.exceptions.ChunkedEncodingError) as exc:
            if isinstance(exc, requests.exceptions.ReadTimeout) or "timed out" in str(exc):
                raise _Retryable(f"server {_host(url)} tidak menjawab dalam "
                                 f"{_secs(self.settings.read_timeout)} detik "
                                 "(batas_waktu_baca)") from None
            raise _Retryable(f"jawaban dari {_host(url)} terputus di tengah jalan") from None
        except requests.ConnectionError as exc:
            if "timed out" in str(exc).lower() or "read timeout" in str(exc).lower():
                raise _Retryable(f"server {_host(url)} tidak menjawab dalam "
                                 f"{_secs(self.settings.read_timeout)} detik "
                                 "(batas_waktu_baca)") from None
            raise _Retryable(f"tidak dapat tersambung ke {_host(url)} (alamat tidak dikenal, "
                             "server mati, atau jaringan terputus)") from None
        except requests.exceptions.InvalidURL:
            raise FetchError(f"alamat tidak sah: {url}") from None
        except requests.RequestException as exc:
            raise FetchError(f"permintaan ke {url} gagal ({exc.__class__.__name__})") from None

    def _read_limited(self, answer: requests.Response, url: str) -> bytes:
        limit = self.settings.max_bytes
        too_big = FetchError(f"jawaban dari {url} lebih besar dari batas "
                             f"{_megabytes(limit)} (ukuran_maksimum_mb); pengambilan dihentikan")
        declared = answer.headers.get("Content-Length")
        if declared and declared.isdigit() and int(declared) > limit:
            raise too_big
        seconds = self.settings.read_timeout * WHOLE_RESPONSE_TIMEOUTS
        deadline = self.clock() + seconds
        body = bytearray()
        while True:
            # what has arrived, at most CHUNK bytes, so the clock is looked at as it trickles
            # in (iter_content waits for a whole chunk, or for the whole body)
            chunk = _arrived(answer)
            if not chunk:
                break
            body += chunk
            if len(body) > limit:
                raise too_big
            if self.clock() > deadline:
                raise FetchError(f"jawaban dari {url} datang terlalu lambat: belum lengkap "
                                 f"setelah {_secs(seconds)} detik ({len(body)} byte; batasnya "
                                 "sepuluh kali batas_waktu_baca); pengambilan dihentikan. Coba "
                                 "lagi nanti, atau naikkan batas_waktu_baca bila berkasnya "
                                 "memang besar dan servernya lambat")
        return bytes(body)

    # -- politeness -------------------------------------------------------------------------
    def _host_state(self, url: str) -> _Host:
        parts = urlsplit(url)
        return self._hosts.setdefault(f"{parts.scheme}://{parts.netloc}", _Host())

    def _pace(self, url: str) -> None:
        host = self._host_state(url)
        interval = max(self.settings.interval, host.crawl_delay)
        now = self.clock()
        if host.last_request is not None:
            remaining = host.last_request + interval - now
            if remaining > 0:
                self.sleep(remaining)
        host.last_request = self.clock()

    def _check_robots(self, url: str) -> None:
        host = self._host_state(url)
        if host.robots is None:
            host.robots = self._load_robots(url)
            delay = host.robots.crawl_delay(self.settings.user_agent)
            host.crawl_delay = float(delay or 0)
        if not host.robots.can_fetch(self.settings.user_agent, url):
            raise FetchError(f"robots.txt di {_host(url)} melarang pengambilan otomatis "
                             f"dari {urlsplit(url).path or '/'}; Etalase menghormatinya dan "
                             "tidak mengambil alamat ini. Mintalah izin kepada pengelola situs "
                             "atau gunakan sumber lain")

    def _load_robots(self, url: str) -> urllib.robotparser.RobotFileParser:
        """Read the host's robots.txt (with the same retries); 401/403 = keep out, 404 = allowed."""
        parts = urlsplit(url)
        robots_url = f"{parts.scheme}://{parts.netloc}/robots.txt"
        parser = urllib.robotparser.RobotFileParser(robots_url)
        try:
            answer = self._retrying()(self._attempt, robots_url, {})
            for _ in range(5):  # RFC 9309: follow at least five redirects
                if answer.status not in REDIRECTS or not answer.headers.get("location"):
                    break
                target = urljoin(answer.url, answer.headers["location"])
                answer = self._retrying()(self._attempt, target, {})
        except _Retryable as exc:
            tried = f"{exc} (sudah dicoba {self.settings.attempts} kali)"
            if exc.status is None:  # no answer at all: say just that
                raise FetchError(tried) from None
            raise FetchError(f"{tried} untuk robots.txt; karena aturan situs itu tidak dapat "
                             "dibaca, tidak ada yang diambil") from None
        except FetchError as exc:
            if exc.response is None:
                raise
            if exc.response.status in (401, 403):
                parser.disallow_all = True
            else:
                parser.allow_all = True
            return parser
        if answer.status in REDIRECTS:  # still redirecting: treat as unavailable (allowed)
            parser.allow_all = True
            return parser
        parser.parse(answer.content.decode("utf-8", "replace").splitlines())
        return parser

    # -- retries ----------------------------------------------------------------------------
    def _wait(self, state) -> float:
        exc = state.outcome.exception()
        retry_after = getattr(exc, "retry_after", None)
        if retry_after is not None:
            if retry_after > self.settings.max_wait:
                raise FetchError(f"{exc}; server meminta menunggu {_secs(retry_after)} detik, "
                                 f"lebih lama dari tunggu_maksimum "
                                 f"{_secs(self.settings.max_wait)} detik. Coba lagi nanti")
            return retry_after
        return min(self.settings.backoff * 2 ** (state.attempt_number - 1), self.settings.max_wait)

    def _announce(self, state) -> None:
        exc = state.outcome.exception()
        wait = state.next_action.sleep if state.next_action else 0
        self.notify(f"{exc}; mencoba lagi dalam {_secs(wait)} detik "
                    f"(percobaan {state.attempt_number + 1} dari {self.settings.attempts})")


def _arrived(answer) -> bytes:
    """What of `answer`'s body has arrived (at most CHUNK bytes; b"" at its end), with
    urllib3's errors turned into requests' own, as `iter_content` turns them, so a cut or a
    silent connection is retried like any other."""
    import requests
    from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError, SSLError

    try:
        return answer.raw.read1(CHUNK, decode_content=True)
    except ProtocolError as exc:
        raise requests.exceptions.ChunkedEncodingError(exc) from None
    except DecodeError as exc:
        raise requests.exceptions.ContentDecodingError(exc) from None
    except ReadTimeoutError as exc:
        raise requests.exceptions.ConnectionError(exc) from None
    except SSLError as exc:
        raise requests.exceptions.SSLError(exc) from None


def _lower(headers) -> dict[str, str]:
    return {k.lower(): v for k, v in headers.items()}


def _host(url: str) -> str:
    return urlsplit(url).netloc


def _reason(status: int) -> str:
    return _REASONS.get(status, "kesalahan di server sumber" if status >= 500 else "ditolak")


def _secs(value: float) -> str:
    return f"{value:g}".replace(".", ",")


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:g} MB".replace(".", ",")
