"""The per-user data folder: the setting file now, learner records later. FMSE_DATA_DIR overrides it."""
from __future__ import annotations

import os
from pathlib import Path


def data_folder() -> Path:
    """Where this user's course data lives (created on first write, never inside the repository)."""
    override = os.environ.get("FMSE_DATA_DIR")
    if override:
        return Path(override).expanduser().resolve()
    from platformdirs import user_data_dir

    return Path(user_data_dir("fmse-course", appauthor=False))


def write_atomically(path: Path, text: str) -> None:
    """Write a whole file or nothing: a crash mid-write leaves the previous version in place."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with temporary.open("w", encoding="utf-8") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
