"""Load exercise files from data/exercises/ (one YAML file per exercise), validated, cached per process."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from .. import yaml_text
from ..paths import exercises_dir
from .errors import ContentError
from .exercises import PARSERS, Exercise
from .fields import ID_PATTERN, Fields


def read_yaml(path: Path) -> object:
    """Parse a YAML file safely; unreadable or malformed YAML becomes a ContentError naming the file."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml_text.safe_load(handle.read())
    except OSError as exc:
        raise ContentError(path, f"cannot be read ({exc.strerror or exc})") from None
    except UnicodeDecodeError:
        raise ContentError(path, "is not UTF-8 text: save it as UTF-8") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError(path, f"is not valid YAML{where}: {problem}") from None


def parse_exercise(data: object, file: Path | str) -> Exercise:
    """Validate one exercise's data and build its dataclass."""
    item = data.get("id") if isinstance(data, dict) and isinstance(data.get("id"), str) else None
    f = Fields(data, file=file, item=item)
    exercise_id = f.string("id", pattern=ID_PATTERN)
    kind = f.string("type", choices=tuple(PARSERS))
    exercise = PARSERS[kind](f, exercise_id, kind)
    f.no_other_keys()
    return exercise


def load_file(path: Path) -> Exercise:
    exercise = parse_exercise(read_yaml(path), path)
    if path.stem != exercise.id:
        raise ContentError(path, f"the file name must be the exercise id: rename it to {exercise.id}.yaml",
                           item=exercise.id, field="id")
    return exercise


@lru_cache(maxsize=None)
def _load(folder: Path, exercise_id: str) -> Exercise:
    path = folder / f"{exercise_id}.yaml"
    if not path.is_file():
        raise ContentError(path, f"no exercise with id '{exercise_id}': check the id in the notebook "
                                 f"or add the file to {folder}")
    return load_file(path)


def load(exercise_id: str, folder: Path | None = None) -> Exercise:
    """One exercise by id (the file data/exercises/<id>.yaml)."""
    return _load((folder or exercises_dir()).resolve(), exercise_id)


def load_all(folder: Path | None = None) -> dict[str, Exercise]:
    """Every exercise in the folder, by id; the first malformed file raises ContentError."""
    folder = folder or exercises_dir()
    return {e.id: e for e in (load_file(p) for p in sorted(folder.glob("*.yaml")))}
