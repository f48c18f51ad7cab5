"""The one error type for bad content: it names the file, the exercise and the field to fix."""
from __future__ import annotations

from pathlib import Path


class ContentError(ValueError):
    """A content file is malformed. The message says where and what to fix."""

    def __init__(self, file: Path | str, problem: str, *, item: str | None = None, field: str | None = None,
                 kind: str = "exercise"):
        self.file = str(file)
        self.item = item
        self.field = field
        self.problem = problem
        where = [self.file]
        if item:
            where.append(f"{kind} '{item}'")
        if field:
            where.append(f"field '{field}'")
        super().__init__(f"{': '.join(where)}: {problem}")
