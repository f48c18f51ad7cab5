"""Course text shared by many pages (data/text/course.yaml): content note, signposts, attribution."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..paths import data_dir
from .fields import ID_PATTERN, Fields
from .loader import read_yaml
from .text import HasTexts, Text


@dataclass(frozen=True, slots=True)
class SignpostGroup:
    heading: Text
    intro: Text
    services: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Landing:
    title: Text
    intro: Text
    language_heading: Text
    start: Text
    contents: Text


@dataclass(frozen=True, slots=True)
class CourseText(HasTexts):
    note_heading: Text
    note_body: Text
    note_short: Text  # one or two sentences, for a page whose first screen is needed (the workshop room)
    signposts_heading: Text
    groups: tuple[SignpostGroup, ...]
    attribution: Text
    synthetic_note: Text
    landing: Landing


def parse_course_text(data: object, file: Path | str) -> CourseText:
    top = Fields(data, file=file, item=None)
    note = Fields(top.data.get("content_note"), file=file, item=None, path="content_note")
    top.read.add("content_note")
    signs = Fields(top.data.get("signposts"), file=file, item=None, path="signposts")
    top.read.add("signposts")
    groups = []
    for g in signs.items("groups"):
        ids = g.data.get("services", [])
        g.read.add("services")
        if not isinstance(ids, list) or not all(isinstance(i, str) and ID_PATTERN.match(i) for i in ids):
            g.fail("must be a list of service ids from data/services.yaml", "services")
        groups.append(SignpostGroup(heading=g.text("heading"), intro=g.text("intro"), services=tuple(ids)))
        g.no_other_keys()
    land = Fields(top.data.get("landing"), file=file, item=None, path="landing")
    top.read.add("landing")
    landing = Landing(**{name: land.text(name) for name in Landing.__slots__})
    text = CourseText(note_heading=note.text("heading"), note_body=note.text("body"),
                      note_short=note.text("short"),
                      signposts_heading=signs.text("heading"), groups=tuple(groups),
                      attribution=top.text("attribution"), synthetic_note=top.text("synthetic_note"),
                      landing=landing)
    for f in (note, signs, land, top):
        f.no_other_keys()
    return text


@lru_cache(maxsize=4)
def _course_text(path: Path) -> CourseText:
    return parse_course_text(read_yaml(path), path)


def course_text(path: Path | None = None) -> CourseText:
    return _course_text((path or data_dir() / "text" / "course.yaml").resolve())
