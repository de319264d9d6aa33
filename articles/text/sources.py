"""Which files an import reads: files and folders walked recursively, with every problem named."""

import os


def collect_files(paths: list[str]) -> tuple[list[str], list[tuple[str, str]]]:
    """Regular files under `paths`, sorted per folder; and (path, reason) for what cannot be read."""
    files, problems, seen = [], [], set()
    for path in paths:
        if os.path.isdir(path):
            _walk(path, files, problems, seen)
        elif os.path.isfile(path):
            files.append(path)
        elif os.path.lexists(path):
            problems.append((path, "not a regular file (a broken link or a device)"))
        else:
            problems.append((path, "no such file or folder"))
    return files, problems


def _walk(folder: str, files: list[str], problems: list[tuple[str, str]], seen: set) -> None:
    real = os.path.realpath(folder)
    if real in seen:
        problems.append((folder, "folder visited already (a symbolic link loop)"))
        return
    seen.add(real)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except OSError as error:
        problems.append((folder, f"cannot list the folder: {error.strerror or error}"))
        return
    for entry in entries:
        if entry.name.startswith("."):
            continue
        if entry.is_dir():
            _walk(entry.path, files, problems, seen)
        elif entry.is_file():
            files.append(entry.path)
        else:
            problems.append((entry.path, "not a regular file (a broken link or a device)"))
