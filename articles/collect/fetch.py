"""Fetching web pages politely with httpx: robots.txt, a rate per host, a timeout, retries with backoff on 429 and
5xx honouring Retry-After, a redirect limit, a size limit, a User-Agent that says who asks, and conditional
requests (ETag / Last-Modified) so that a page unchanged since the last run is not downloaded again.

Every way a fetch can fail ends in FetchFailed with the reason in words; nothing else escapes `fetch`.
"""

import email.utils
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import httpx

from ..text.limits import DEFAULT_MAX_FILE_BYTES
from .origin import Origin, WebSource
from .robots import RobotsRules
from .store import FetchStore

USER_AGENT = "aidmap/0.1 (collects news on counterpart aid to Xinjiang for research; obeys robots.txt)"
# What an article page may be: HTML or plain text. A PDF or an image is named as such and not imported.
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
ANY_TYPE = ("",)
# A robots.txt Crawl-delay is honoured up to this many seconds (a day's delay would stall the import).
MAX_CRAWL_DELAY = 30.0
REDIRECTS = (301, 302, 303, 307, 308)
RETRIED = (429, 500, 502, 503, 504)


class FetchFailed(Exception):
    """The address could not be fetched; the message says why."""


@dataclass(frozen=True)
class Policy:
    rate: float = 1.0  # requests a second to one host, at most
    timeout: float = 20.0  # seconds to connect, and between two reads of the answer
    retries: int = 3  # on 429 and 5xx
    backoff: float = 1.0  # seconds before the first retry without Retry-After; doubled each time
    longest_wait: float = 120.0  # a Retry-After longer than this fails the address instead of stalling the run
    max_redirects: int = 5
    max_bytes: int = DEFAULT_MAX_FILE_BYTES
    longest_download: float = 300.0  # seconds for one answer, however steadily a slow server trickles it


@dataclass(frozen=True)
class Fetched:
    source: WebSource
    changed: bool  # False when the server answered 304 Not Modified: the bytes are the kept copy


class HostClock:
    """At most `rate` requests a second to each host: a request begins 1/rate after the previous one to that host
    ended, so that however the network delays requests, the server never sees two closer than 1/rate."""

    def __init__(self, rate: float):
        self.interval = 1.0 / rate
        self._next: dict[str, float] = {}
        self._intervals: dict[str, float] = {}  # hosts whose robots.txt asks for longer
        self._lock = threading.Lock()

    def slow_down(self, host: str, seconds: float) -> None:
        """Space this host's requests by `seconds` when that is longer than the rate's interval."""
        if seconds > self.interval:
            self._intervals[host] = seconds

    def wait(self, host: str) -> None:
        with self._lock:
            now = time.monotonic()
            start = max(now, self._next.get(host, now))
            self._next[host] = start + self._intervals.get(host, self.interval)
        if start > now:
            time.sleep(start - now)

    def done(self, host: str) -> None:
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0),
                                   time.monotonic() + self._intervals.get(host, self.interval))


class Fetcher:
    def __init__(self, store: FetchStore, policy: Policy = Policy()):
        self.store, self.policy = store, policy
        self.clock = HostClock(policy.rate)
        self.client = httpx.Client(
            timeout=policy.timeout, follow_redirects=False, trust_env=False, headers={"User-Agent": USER_AGENT},
        )
        self.robots = RobotsRules(self._read_robots, USER_AGENT)

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, accept: tuple[str, ...] = PAGE_TYPES) -> Fetched:
        """The page at `url` (kept in the store), following redirects; raises FetchFailed with the reason."""
        check_address(url)
        chain = [url]
        conditional = self.store.validators(url)
        while True:
            current = chain[-1]
            if not self.robots.allows(current):
                raise FetchFailed(f"robots.txt of {urlsplit(current).netloc} disallows {current}")
            self.clock.slow_down(urlsplit(current).netloc, min(self.robots.crawl_delay(current), MAX_CRAWL_DELAY))
            status, headers, body = self._get(current, conditional, accept)
            if status not in REDIRECTS:
                break
            chain.append(self._redirect_target(chain, headers))
        if status == 304 and (kept := self.store.load(url)):
            return Fetched(_source(kept[0], kept[1], self.store.body_path(url)), changed=False)
        if status != 200:
            raise FetchFailed(f"HTTP {status} {_phrase(status)}" + (f" at {current}" if current != url else ""))
        record = _record(url, current, status, headers)
        path = self.store.save(url, record, body)
        return Fetched(_source(record, body, path), changed=True)

    def _redirect_target(self, chain: list[str], headers) -> str:
        if "location" not in headers:
            raise FetchFailed(f"a redirect without a Location from {chain[-1]}")
        target = urljoin(chain[-1], headers["location"])
        if target in chain:
            raise FetchFailed("a redirect loop: " + " → ".join([*chain, target]))
        if len(chain) > self.policy.max_redirects:
            raise FetchFailed(f"more than {self.policy.max_redirects} redirects: " + " → ".join([*chain, target]))
        check_address(target)
        return target

    def _get(self, url: str, conditional: dict, accept: tuple[str, ...]):
        """(status, headers, body) of one GET, retried on 429 and 5xx; the body only of a 200 answer."""
        host = urlsplit(url).netloc
        for attempt in range(self.policy.retries + 1):
            self.clock.wait(host)
            try:
                with self.client.stream("GET", url, headers=conditional) as response:
                    status = response.status_code
                    if status in RETRIED and attempt < self.policy.retries:
                        delay = self._delay(response, attempt)
                    elif status == 200:
                        _check_type(response, accept)
                        return status, response.headers, self._read(response)
                    else:
                        return status, response.headers, b""
            except httpx.TimeoutException as error:
                raise FetchFailed(f"no answer within {self.policy.timeout:g} s (timed out: {url})") from error
            except (httpx.HTTPError, httpx.InvalidURL) as error:
                raise FetchFailed(f"could not fetch {url}: {error or type(error).__name__}") from error
            finally:
                self.clock.done(host)
            time.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns")

    def _delay(self, response: httpx.Response, attempt: int) -> float:
        """Seconds before retrying: the server's Retry-After (seconds or a date), else an exponential backoff."""
        delay = retry_after(response.headers.get("retry-after"))
        if delay is None:
            delay = self.policy.backoff * 2**attempt
        if delay > self.policy.longest_wait:
            raise FetchFailed(
                f"HTTP {response.status_code} {_phrase(response.status_code)} with Retry-After {delay:.0f} s, longer "
                f"than the {self.policy.longest_wait:g} s this run waits; try again later"
            )
        return delay

    def _read(self, response: httpx.Response) -> bytes:
        limit = self.policy.max_bytes
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise FetchFailed(_too_large(int(declared), limit))
        chunks, size, deadline = [], 0, time.monotonic() + self.policy.longest_download
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > limit:  # a server that sends more than it declared, or declared nothing
                raise FetchFailed(_too_large(size, limit, more=True))
            if time.monotonic() > deadline:
                raise FetchFailed(f"the answer took longer than {self.policy.longest_download:g} s to arrive")
            chunks.append(chunk)
        return b"".join(chunks)

    def _read_robots(self, address: str):
        """robots.txt's text; None when the host has none (a 4xx answer); RobotsRules.UNREACHABLE when it cannot
        be read (5xx, no answer). It is kept like a page and asked for conditionally on the next run; its own
        redirects are followed without asking robots.txt again."""
        conditional = self.store.validators(address)
        try:
            status, headers, body = self._get(address, conditional, ANY_TYPE)
            for _hop in range(self.policy.max_redirects):
                if status not in REDIRECTS or "location" not in headers:
                    break
                status, headers, body = self._get(urljoin(address, headers["location"]), conditional, ANY_TYPE)
        except FetchFailed:
            return RobotsRules.UNREACHABLE
        if status == 304 and (kept := self.store.load(address)):
            return kept[1].decode("utf-8", errors="replace")
        if status == 200:
            self.store.save(address, _record(address, address, status, headers), body)
            return body.decode("utf-8", errors="replace")
        return None if 400 <= status < 500 else RobotsRules.UNREACHABLE


def check_address(url: str) -> None:
    try:
        parts = urlsplit(url)
        valid = parts.scheme in ("http", "https") and bool(parts.hostname)
        parts.port  # noqa: B018 (raises ValueError on a port that is no number)
    except ValueError:
        valid = False
    if not valid:
        raise FetchFailed(f"not an http(s) address: {url!r}")


def retry_after(value: str | None) -> float | None:
    """Retry-After in seconds: a number of seconds, or an HTTP date (RFC 9110); None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _record(requested: str, final: str, status: int, headers) -> dict:
    """What the store keeps beside a page's bytes."""
    return {
        "requested_url": requested, "url": final, "status": status,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"), "content_type": _media_type(headers),
        "etag": headers.get("etag", ""), "last_modified": headers.get("last-modified", ""),
    }


def _check_type(response: httpx.Response, accept: tuple[str, ...]) -> None:
    media = _media_type(response.headers)
    if "" not in accept and media not in accept:
        raise FetchFailed(f"not a web page but {media or 'content of no declared type'}; only "
                          f"{', '.join(a for a in accept if a)} are read")


def _media_type(headers) -> str:
    return headers.get("content-type", "").split(";")[0].strip().lower()


def _source(record: dict, body: bytes, path: str) -> WebSource:
    origin = Origin(
        requested_url=record["requested_url"], url=record["url"], status=record["status"],
        fetched_at=datetime.fromisoformat(record["fetched_at"]), content_type=record["content_type"],
    )
    return WebSource(origin=origin, body=body, path=path)


def _too_large(size: int, limit: int, more: bool = False) -> str:
    return (f"the response is {'more than ' if more else ''}{size} bytes, over the limit of {limit} bytes "
            f"(AIDMAP_MAX_FILE_BYTES)")


def _phrase(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return ""
