"""YAML parsed safely, with libyaml's C loader where PyYAML was built with it (several times faster than PyYAML's
own: the course reads every exercise, glossary and translation file), else with PyYAML's pure-Python one."""
from __future__ import annotations

import yaml

try:
    from yaml import CSafeLoader as SafeLoader
except ImportError:  # pragma: no cover - depends on the PyYAML build
    from yaml import SafeLoader  # type: ignore[assignment]


def safe_load(stream: str | bytes) -> object:
    """yaml.safe_load, by the fastest safe loader available (the same data; the same yaml.YAMLError on bad YAML)."""
    return yaml.load(stream, Loader=SafeLoader)  # noqa: S506 - a safe loader
