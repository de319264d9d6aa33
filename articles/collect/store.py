"""The raw bytes of every fetched page, kept under one folder with what the fetch knew of them.

Each address asked for has a body file and a JSON file beside it (address, final address, status, fetch time,
content type, and the ETag and Last-Modified validators that make the next fetch a conditional request). Files
are replaced whole (written aside, then renamed), so a fetch stopped half-way leaves the previous copy.
"""

import hashlib
import json
import os
import re
import tempfile

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


class FetchStore:
    def __init__(self, folder: str):
        self.folder = folder

    def body_path(self, url: str) -> str:
        return self._base(url) + ".body"

    def load(self, url: str) -> tuple[dict, bytes] | None:
        """The record and the bytes kept for `url`, or None when there are none (or they cannot be read)."""
        try:
            with open(self._base(url) + ".json", encoding="utf-8") as handle:
                record = json.load(handle)
            with open(self.body_path(url), "rb") as handle:
                return record, handle.read()
        except (OSError, ValueError):
            return None

    def validators(self, url: str) -> dict[str, str]:
        """The headers of a conditional request for `url`: If-None-Match and If-Modified-Since, when known."""
        kept = self.load(url)
        if kept is None:
            return {}
        record = kept[0]
        headers = {}
        if record.get("etag"):
            headers["If-None-Match"] = record["etag"]
        if record.get("last_modified"):
            headers["If-Modified-Since"] = record["last_modified"]
        return headers

    def save(self, url: str, record: dict, body: bytes) -> str:
        """Keep `body` and `record` for `url`; the path of the body file."""
        base = self._base(url)
        os.makedirs(os.path.dirname(base), exist_ok=True)
        _replace(base + ".body", body)
        _replace(base + ".json", json.dumps(record, ensure_ascii=False, indent=1).encode())
        return base + ".body"

    def _base(self, url: str) -> str:
        """One folder per host, one name per address (a digest: addresses are longer than file names may be)."""
        host = _UNSAFE.sub("_", url.split("://", 1)[-1].split("/", 1)[0]) or "_"
        return os.path.join(self.folder, host, hashlib.sha256(url.encode()).hexdigest()[:32])


def _replace(path: str, data: bytes) -> None:
    handle, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
