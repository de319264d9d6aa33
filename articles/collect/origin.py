"""Where a source's bytes came from on the web: what a fetch or an archive's record knows about them."""

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Origin:
    requested_url: str  # the address asked for (or the archive record's target)
    url: str  # the final address, after redirects
    status: int | None  # the HTTP status of the final response
    fetched_at: datetime  # when it was fetched, or captured by the archive (UTC)
    content_type: str  # without its parameters: text/html
    published: date | None = None  # the date the page's metadata gives, if any
    captured: bool = False  # read from a web archive: fetched_at is the capture date


@dataclass(frozen=True)
class WebSource:
    """One page's bytes ready for the text pipeline, with where they came from and where they are kept."""

    origin: Origin
    body: bytes
    path: str  # the file holding the raw bytes, or the archive holding the record
