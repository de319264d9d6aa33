"""Web archives (WARC, WARC.gz, and WACZ, a zip holding WARCs under archive/) read with warcio: every HTML or
text page captured becomes a source with its address and capture date; of several captures of one address the
latest is kept; images, scripts and other records are skipped.

An archive is read twice, so that memory holds one page at a time however large the archive: first the record
headers, to find the latest capture of each address, then the pages chosen.
"""

import os
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from .fetch import PAGE_TYPES
from .origin import Origin, WebSource

ARCHIVE_SUFFIXES = (".warc", ".warc.gz", ".wacz")


class ArchiveUnreadable(ValueError):
    """The archive cannot be read; the message says why."""


def is_archive(path: str) -> bool:
    return path.lower().endswith(ARCHIVE_SUFFIXES)


def archive_pages(path: str, max_bytes: int) -> Iterator[WebSource | tuple[str, str]]:
    """The latest capture of each HTML or text page in the archive at `path`, in the archive's order; (address,
    reason) for a page over `max_bytes`. Raises ArchiveUnreadable (before any page) when it is no WARC."""
    chosen = set(_latest_captures(path).values())
    for position, record in _records(path):
        if position in chosen:
            body = record.content_stream().read(max_bytes + 1)
            url = record.rec_headers.get_header("WARC-Target-URI")
            if len(body) > max_bytes:
                yield url, (f"the capture in {os.path.basename(path)} is over the limit of {max_bytes} bytes "
                            f"(AIDMAP_MAX_FILE_BYTES)")
            else:
                yield WebSource(origin=_origin(record), body=body, path=path)


def _latest_captures(path: str) -> dict[str, int]:
    """The position of the latest capture of each page's address (the later record of two of the same time)."""
    latest: dict[str, tuple[datetime, int]] = {}
    for position, record in _records(path):
        origin = _origin(record)
        if origin and (origin.url not in latest or origin.fetched_at >= latest[origin.url][0]):
            latest[origin.url] = (origin.fetched_at, position)
    return {url: position for url, (_when, position) in latest.items()}


def _records(path: str) -> Iterator[tuple[int, object]]:
    """(position, record) of every record, numbered across the WARCs of a WACZ; ArchiveUnreadable on anything
    that is not one."""
    position = 0
    try:
        for stream in _warc_streams(path):
            for record in ArchiveIterator(stream):
                if record.format != "warc":  # warcio reads old ARC files too, and takes any text line for one
                    raise ArchiveUnreadable(f"not a readable web archive: a {record.format} record, not WARC")
                yield position, record
                position += 1
    except (ArchiveLoadFailed, zipfile.BadZipFile, OSError, ValueError) as error:
        if isinstance(error, ArchiveUnreadable):
            raise
        raise ArchiveUnreadable(f"not a readable web archive: {error}") from error
    if not position:
        raise ArchiveUnreadable("not a readable web archive: it holds no WARC record")


def _warc_streams(path: str):
    if not path.lower().endswith(".wacz"):
        with open(path, "rb") as handle:
            yield handle
        return
    with zipfile.ZipFile(path) as wacz:
        names = [n for n in wacz.namelist() if n.startswith("archive/") and n.lower().endswith((".warc", ".warc.gz"))]
        if not names:
            raise ArchiveUnreadable("a WACZ without WARC files under archive/")
        for name in sorted(names):
            with wacz.open(name) as member:
                yield member


def _origin(record) -> Origin | None:
    """What a response (or resource) record knows of an HTML or text page; None for anything else."""
    if record.rec_type == "response":
        headers = record.http_headers
        status = int(headers.get_statuscode() or 0) if headers else 0
        content_type = headers.get_header("Content-Type", "") if headers else ""
        if status != 200:
            return None
    elif record.rec_type == "resource":
        status, content_type = None, record.rec_headers.get_header("Content-Type", "")
    else:
        return None
    media = content_type.split(";")[0].strip().lower()
    url = record.rec_headers.get_header("WARC-Target-URI", "")
    if media not in PAGE_TYPES or not url.lower().startswith(("http://", "https://")):
        return None  # an image, a script, or an address that is not a web page's (dns:, a javascript: link)
    return Origin(requested_url=url, url=url, status=status, fetched_at=_capture_date(record), content_type=media,
                  captured=True)


def _capture_date(record) -> datetime:
    """WARC-Date (ISO 8601, UTC, seconds or finer)."""
    value = record.rec_headers.get_header("WARC-Date", "").replace("Z", "+00:00")
    try:
        when = datetime.fromisoformat(value)
    except ValueError:
        return datetime.fromtimestamp(0, UTC)
    return when if when.tzinfo else when.replace(tzinfo=UTC)
