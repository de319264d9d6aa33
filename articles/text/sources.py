"""Which files an import reads: files and folders walked recursively, with every problem named."""

import errno
import hashlib
import os
import re


def collect_files(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Regular files under `paths`, sorted per folder, each once; and (path, reason) for what cannot be read."""
    files, problems, folders_seen, files_seen = [], [], set(), set()

    def add_file(path: str) -> None:
        real = os.path.realpath(path)
        if real not in files_seen:  # named twice, or reached again through a link
            files_seen.add(real)
            files.append(path)

    def walk(folder: str) -> None:
        real = os.path.realpath(folder)
        if real in folders_seen:
            problems.append((folder, "folder visited already (a symbolic link loop)"))
            return
        folders_seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError as error:
            problems.append((folder, f"cannot list the folder: {error.strerror or error}"))
            return
        for entry in entries:
            if not entry.name.startswith("."):
                visit(entry.path)

    def visit(path: str) -> None:
        if os.path.isdir(path):
            walk(path)
        elif os.path.isfile(path):
            add_file(path)
        elif _is_link_loop(path):
            problems.append((path, "a symbolic link that points back at itself (a link loop)"))
        elif os.path.lexists(path):
            problems.append((path, "not a regular file (a broken link or a device)"))
        else:
            problems.append((path, "no such file or folder"))

    for path in paths:
        visit(path)
    return files, problems


def _is_link_loop(path: str) -> bool:
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    return False


def source_names(files: list[str], roots: list[str]) -> dict[str, str]:
    """Each file's name in the database: its path under the folder given on the command line, or its basename.

    Two files called a.txt in different folders of one corpus stay two sources, and importing the same
    folder again finds the same names wherever the command is run from.
    """
    folders = [os.path.abspath(root) for root in roots if os.path.isdir(root)]
    names = {}
    for path in files:
        absolute = os.path.abspath(path)
        under = [f for f in folders if absolute.startswith(f.rstrip(os.sep) + os.sep)]
        names[path] = os.path.relpath(absolute, max(under, key=len)) if under else os.path.basename(path)
    return names


def file_digest(path: str, max_bytes: int) -> str | None:
    """SHA-256 of the file's bytes, read in chunks; None when it cannot be read or is over `max_bytes`
    (the import then reports why when it processes the file)."""
    digest = hashlib.sha256()
    try:
        if os.path.getsize(path) > max_bytes:
            return None
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    except OSError:
        return None
    return digest.hexdigest()


# Web addresses ------------------------------------------------------------------------------------------------

WEB_SCHEMES = ("http://", "https://")
# SourceFile.name's length: a longer address is cut and told apart by a digest of the whole.
MAX_NAME = 255
_TRAILING_COMMENT = re.compile(r"\s+#")


def is_web_address(argument: str) -> bool:
    return argument.lower().startswith(WEB_SCHEMES)


def split_arguments(arguments: list[str]) -> tuple[list[str], list[str]]:
    """The command line's paths and its web addresses, each in the order given."""
    return [a for a in arguments if not is_web_address(a)], [a for a in arguments if is_web_address(a)]


def read_address_list(path: str) -> tuple[list[str], list[tuple[str, str]]]:
    """The addresses in a file of one address a line (blank lines and `#` comments skipped), each once; and
    (file:line, reason) for each line that is not an http(s) address or the file that cannot be read."""
    try:
        with open(path, encoding="utf-8-sig") as handle:
            lines = handle.read().splitlines()
    except (OSError, UnicodeDecodeError) as error:
        return [], [(path, f"cannot read the list of addresses: {getattr(error, 'strerror', None) or error}")]
    addresses, problems = [], []
    for number, line in enumerate(lines, 1):
        address = _TRAILING_COMMENT.split(line.strip(), 1)[0]  # `#` after a space: an address's own # is kept
        if not address or address.startswith("#"):
            continue
        if not is_web_address(address) or " " in address:
            problems.append((f"{path}:{number}", f"not an http(s) address: {address!r}"))
        elif address not in addresses:
            addresses.append(address)
    return addresses, problems


def web_source_name(address: str) -> str:
    """A page's name in the database: its address, cut to fit with a digest of the whole when too long."""
    if len(address) <= MAX_NAME:
        return address
    digest = hashlib.sha256(address.encode()).hexdigest()[:16]
    return f"{address[:MAX_NAME - 17]}#{digest}"
