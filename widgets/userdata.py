"""The per-user data folder: the setting file, the learner records and the keys. FMSE_DATA_DIR overrides it.

Files made here are as private as their folder: owner-only (0600) in the per-user folder, which is made
owner-only (0700); in a folder that FMSE_DATA_DIR names (which a setting may share on purpose), the folder's own
read and write permissions for its group and read permission for others, never wider (and never writable by
everyone). An existing records file with wider permissions is narrowed when the course opens it. Keys are
owner-only everywhere.
"""
from __future__ import annotations

import os
import secrets
import stat
from pathlib import Path

PRIVATE = 0o600


def data_folder() -> Path:
    """Where this user's course data lives (created on first write, never inside the repository)."""
    override = os.environ.get("FMSE_DATA_DIR")
    if override:
        return Path(override).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("fmse-course", appauthor=False))


def make_folder(folder: Path) -> None:
    """Create the folder (owner-only if the course makes it); an existing folder keeps its permissions."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)


def file_mode(folder: Path) -> int:
    """The permissions for a new file in `folder` (see the module docstring)."""
    if not os.environ.get("FMSE_DATA_DIR") or os.name != "posix":
        return PRIVATE
    try:
        # The folder's read and write bits for its group, and its read bit for others: a folder shared with a group
        # shares its files with that group; never writable by everyone, whatever the folder allows.
        shared = stat.S_IMODE(folder.stat().st_mode) & 0o064
    except OSError:
        return PRIVATE
    return PRIVATE | shared


def keep_private(path: Path, mode: int) -> None:
    """Narrow an existing file's permissions to `mode` if they are wider (never widens; only the owner can)."""
    if os.name != "posix":
        return
    try:
        found = path.stat()
        if stat.S_IMODE(found.st_mode) & ~mode and found.st_uid == os.getuid():
            os.chmod(path, stat.S_IMODE(found.st_mode) & mode)
    except OSError:
        pass  # not ours to change, or gone: the file's own checks report anything that matters


def temporary_beside(path: Path, mode: int) -> Path:
    """A new empty file in `path`'s folder, with permissions `mode`, for writing before it is put in place."""
    while True:
        temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            continue
        if os.name == "posix":
            os.fchmod(fd, mode)  # exactly `mode`, whatever the umask
        os.close(fd)
        return temporary


def put_in_place(temporary: Path, path: Path) -> bool:
    """Give the finished `temporary` file the name `path`, unless a file of that name exists already (another
    process made it first: theirs is kept). True if ours was put in place; `temporary` is gone either way."""
    try:
        os.link(temporary, path)  # atomic, and never replaces an existing file
        placed = True
    except FileExistsError:
        placed = False
    except OSError:  # a file system without hard links
        placed = not path.exists()
        if placed:
            os.replace(temporary, path)
    temporary.unlink(missing_ok=True)
    return placed


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a crash mid-write leaves the previous version in place."""
    make_folder(path.parent)
    mode = file_mode(path.parent)
    temporary = temporary_beside(path, mode)
    try:
        with temporary.open("w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
