"""Reading one exercise's fields with checks that name the field and the fix (the content schema's machinery).

Hand-written rather than JSON Schema so that a kernel can validate content without importing jsonschema
(about 30 MiB and 0.7 s); every rule lives here or in the type's parser in `exercises/<type>.py`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal, NoReturn, overload

from .errors import ContentError
from .text import CY_STATUSES, LANGS, Text

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
HASH_PATTERN = re.compile(r"^[0-9a-f]{12}$")
TEXT_KEYS = {"en", "cy", "cy_status", "cy_en_hash",
             "cy_reviewer", "cy_reviewed"}  # who reviewed the Welsh and when (`fmse-course content import`)


class Fields:
    """A mapping read field by field; every problem raises ContentError naming file, exercise and field."""

    def __init__(self, data: Any, *, file: Path | str, item: str | None, path: str = "", kind: str = "exercise"):
        self.file, self.item, self.path, self.kind = file, item, path, kind
        if not isinstance(data, Mapping):
            self.fail(f"must be a mapping of fields, not {type(data).__name__}")
        self.data = data
        self.read: set[str] = set()

    def fail(self, problem: str, key: str | None = None) -> NoReturn:
        raise ContentError(self.file, problem, item=self.item, field=self._join(key), kind=self.kind)

    def _join(self, key: str | None) -> str | None:
        if key is None:
            return self.path or None
        return f"{self.path}.{key}" if self.path else key

    def _get(self, key: str, required: bool) -> Any:
        self.read.add(key)
        if key not in self.data:
            if required:
                self.fail("is missing", key)
            return None
        return self.data[key]

    @overload
    def string(self, key: str, *, required: Literal[True] = ..., pattern: re.Pattern[str] | None = ...,
               choices: tuple[str, ...] | None = ...) -> str: ...
    @overload
    def string(self, key: str, *, required: bool, pattern: re.Pattern[str] | None = ...,
               choices: tuple[str, ...] | None = ...) -> str | None: ...

    def string(self, key: str, *, required: bool = True, pattern: re.Pattern[str] | None = None,
               choices: tuple[str, ...] | None = None) -> str | None:
        value = self._get(key, required)
        if value is None and not required:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail("must be a non-empty string", key)
        if pattern is not None and not pattern.match(value):
            self.fail(f"{value!r} must be lower-case letters, digits and single hyphens (like 'spot-the-signs')", key)
        if choices is not None and value not in choices:
            self.fail(f"{value!r} must be one of: {', '.join(choices)}", key)
        return value

    def boolean(self, key: str, *, default: bool | None = None) -> bool:
        value = self._get(key, default is None)
        if value is None:
            return bool(default)
        if not isinstance(value, bool):
            self.fail(f"must be true or false, not {value!r}", key)
        return value

    def number(self, key: str, *, minimum: float, maximum: float, default: float | None = None) -> float:
        value = self._get(key, default is None)
        if value is None:
            return float(default)  # type: ignore[arg-type]
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not minimum <= value <= maximum:
            self.fail(f"must be a number from {minimum} to {maximum}, not {value!r}", key)
        return float(value)

    @overload
    def text(self, key: str, *, required: Literal[True] = ...) -> Text: ...
    @overload
    def text(self, key: str, *, required: bool) -> Text | None: ...

    def text(self, key: str, *, required: bool = True) -> Text | None:
        value = self._get(key, required)
        if value is None and not required:
            return None
        return parse_text(value, file=self.file, item=self.item, field=self._join(key) or key, kind=self.kind)

    def items(self, key: str, *, minimum: int = 1) -> list[Fields]:
        value = self._get(key, True)
        if not isinstance(value, list):
            self.fail("must be a list", key)
        if len(value) < minimum:
            self.fail(f"needs at least {minimum} entries, has {len(value)}", key)
        return [Fields(entry, file=self.file, item=self.item, path=f"{self._join(key)}[{i}]", kind=self.kind)
                for i, entry in enumerate(value)]

    def no_other_keys(self) -> None:
        unknown = sorted(set(self.data) - self.read, key=str)
        if unknown:
            self.fail(f"unknown field(s) {', '.join(map(str, unknown))}: check the spelling")


def parse_text(value: Any, *, file: Path | str, item: str | None, field: str, kind: str = "exercise") -> Text:
    """An {en, cy} pair: both plain non-empty strings, with the Welsh translation's status and source hash."""
    def error(problem: str) -> ContentError:
        return ContentError(file, problem, item=item, field=field, kind=kind)

    if not isinstance(value, Mapping):
        raise error("must be a mapping with 'en' and 'cy' strings")
    unknown = set(value) - TEXT_KEYS
    if unknown:
        raise error(f"unknown key(s) {', '.join(sorted(map(str, unknown)))}; allowed: "
                    f"{', '.join(sorted(TEXT_KEYS))}")
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise error(f"needs a non-empty '{lang}' string")
    status = value.get("cy_status", "draft")
    if status not in CY_STATUSES:
        raise error(f"cy_status {status!r} must be one of: {', '.join(CY_STATUSES)}")
    source_hash = value.get("cy_en_hash", "")
    if source_hash and not (isinstance(source_hash, str) and HASH_PATTERN.match(source_hash)):
        raise error("cy_en_hash must be 12 hex digits in quotes (run `fmse-course content stamp`)")
    for name in ("cy_reviewer", "cy_reviewed"):
        if name in value and not (isinstance(value[name], str) and value[name].strip()):
            raise error(f"{name} must be a non-empty string in quotes (written by `fmse-course content import`)")
    return Text(en=value["en"], cy=value["cy"], cy_status=status, cy_en_hash=source_hash)
