"""The letter's text (data/letter.yaml), validated into frozen dataclasses.

Every string is an {en, cy} pair; placeholders in braces must name a known setting field, a service in
data/services.yaml with that detail, or one of the letter's own values, and both languages must use the same ones.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..content.fields import ID_PATTERN, Fields
from ..content.loader import read_yaml
from ..content.services import Service, services
from ..content.text import HasTexts, Text
from ..languages import LANGS
from ..paths import data_dir
from ..setting import FIELDS as SETTING_FIELDS

PLACEHOLDER = re.compile(r"\{([a-z0-9_-]+)(?:\.([a-z0-9_]+))?\}")
SERVICE_DETAILS = ("name", "web", "phone", "phone2", "sms", "email")
FILE_NAME = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
BLOCK_KINDS = ("paragraph", "heading", "bullets", "services")


@dataclass(frozen=True, slots=True)
class LetterBlock:
    kind: str                      # paragraph, heading, bullets or services
    texts: tuple[Text, ...]        # one for paragraph/heading, one per item for bullets; none for services
    services: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Post:
    id: str
    title: Text
    text: Text


@dataclass(frozen=True, slots=True)
class LetterText(HasTexts):
    title: Text
    file_name: Text
    labels: dict[str, Text]
    greeting: Text
    body: tuple[LetterBlock, ...]
    closing: Text
    sign_off: Text
    signature_role: Text
    notes: Text
    posts: tuple[Post, ...]


LABELS = ("phone", "text", "letter_link")


def _check_placeholders(f: Fields, key: str, text: Text, known: dict[str, Service], *, in_post: bool) -> None:
    for lang in LANGS:
        for match in PLACEHOLDER.finditer(text(lang)):
            name, detail = match.groups()
            problem = _placeholder_problem(name, detail, known, in_post=in_post)
            if problem:
                f.fail(f"{match.group(0)} in the {lang} text: {problem}", key)
    en = Counter(m.group(0) for m in PLACEHOLDER.finditer(text.en))
    cy = Counter(m.group(0) for m in PLACEHOLDER.finditer(text.cy))
    if en != cy:
        f.fail(f"the English and Welsh use different placeholders ({', '.join(sorted(en))} / "
               f"{', '.join(sorted(cy))})", key)


def _placeholder_problem(name: str, detail: str | None, known: dict[str, Service], *, in_post: bool) -> str | None:
    if detail is None:
        if name == "date" and not in_post:
            return None
        if name == "letter_link" and in_post:
            return None
        return ("unknown placeholder (use {date} in the letter, {letter_link} in posts, {setting.FIELD} or "
                "{SERVICE.DETAIL})")
    if name == "setting":
        if detail in SETTING_FIELDS:
            return None
        return f"the setting has no field '{detail}' ({', '.join(SETTING_FIELDS)})"
    service = known.get(name)
    if service is None:
        return f"no service '{name}' in data/services.yaml"
    if detail not in SERVICE_DETAILS:
        return f"'{detail}' must be one of {', '.join(SERVICE_DETAILS)}"
    if detail_value(service, detail, "en") is None:
        return f"service '{name}' has no {detail} in data/services.yaml"
    return None


def detail_value(service: Service, detail: str, lang: str) -> str | None:
    """One detail of a service in `lang` (None where the services file does not give it)."""
    if detail == "name":
        return service.name(lang)
    if detail == "web":
        return service.url(lang)
    if detail in ("phone", "phone2"):
        index = 0 if detail == "phone" else 1
        return service.phones[index] if len(service.phones) > index else None
    return getattr(service, detail)


def _text(f: Fields, key: str, known: dict[str, Service], *, in_post: bool = False) -> Text:
    text = f.text(key)
    _check_placeholders(f, key, text, known, in_post=in_post)
    return text


def _block(f: Fields, known: dict[str, Service]) -> LetterBlock:
    kinds = [k for k in BLOCK_KINDS if k in f.data]
    if len(kinds) != 1:
        f.fail(f"each block has exactly one of: {', '.join(BLOCK_KINDS)}")
    kind = kinds[0]
    if kind in ("paragraph", "heading"):
        block = LetterBlock(kind, (_text(f, kind, known),))
    elif kind == "bullets":
        value = f.data["bullets"]
        f.read.add("bullets")
        if not isinstance(value, list) or not value:
            f.fail("must be a list of {en, cy} items", kind)
        items = Fields({str(i): v for i, v in enumerate(value)}, file=f.file, item=None,
                       path=f"{f.path}.bullets", kind="letter")
        block = LetterBlock(kind, tuple(_text(items, str(i), known) for i in range(len(value))))
    else:
        ids = f.data["services"]
        f.read.add("services")
        if not isinstance(ids, list) or not ids or not all(isinstance(i, str) and i in known for i in ids):
            f.fail("must be a list of service ids from data/services.yaml", kind)
        block = LetterBlock(kind, (), tuple(ids))
    f.no_other_keys()
    return block


def parse_letter(data: object, file: Path | str, known: dict[str, Service]) -> LetterText:
    top = Fields(data, file=file, item=None, kind="letter")
    label_fields = Fields(top.data.get("labels"), file=file, item=None, path="labels", kind="letter")
    top.read.add("labels")
    labels = {name: label_fields.text(name) for name in LABELS}
    label_fields.no_other_keys()
    for name in ("phone", "text"):
        for lang in LANGS:
            if "{number}" not in labels[name](lang):
                label_fields.fail(f"the {lang} text must contain {{number}}", name)
    file_name = top.text("file_name")
    for lang in LANGS:
        if not FILE_NAME.match(file_name(lang)):
            top.fail(f"{file_name(lang)!r} must be lower-case ASCII words joined by hyphens", "file_name")
    body = tuple(_block(entry, known) for entry in top.items("body"))
    posts, seen = [], set()
    for entry in top.items("posts"):
        post_id = entry.string("id", pattern=ID_PATTERN)
        if post_id in seen:
            entry.fail(f"post id {post_id!r} is used twice", "id")
        seen.add(post_id)
        posts.append(Post(id=post_id, title=entry.text("title"), text=_text(entry, "text", known, in_post=True)))
        entry.no_other_keys()
    letter = LetterText(
        title=_text(top, "title", known), file_name=file_name, labels=labels, greeting=_text(top, "greeting", known),
        body=body, closing=_text(top, "closing", known), sign_off=_text(top, "sign_off", known),
        signature_role=_text(top, "signature_role", known), notes=_text(top, "notes", known), posts=tuple(posts))
    top.no_other_keys()
    return letter


@lru_cache(maxsize=4)
def _letter_text(path: Path) -> LetterText:
    return parse_letter(read_yaml(path), path, services())


def letter_text(path: Path | None = None) -> LetterText:
    """The letter and posts from data/letter.yaml (validated; a problem names the file and field)."""
    return _letter_text((path or data_dir() / "letter.yaml").resolve())
