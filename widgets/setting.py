"""The setting file: the school or setting's name, its DSP and deputy, and local numbers.

Set once with `fmse-course setting set ...` (or by editing setting.yaml in the data folder). The letter, the
signposts, the certificate and the response checklist read it; every value that is not set shows as a clear
bracketed placeholder in the page's language.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields
from pathlib import Path

import yaml

from . import yaml_text
from .i18n import translator
from .userdata import data_folder, write_atomically

FILE_NAME = "setting.yaml"
PHONE = re.compile(r"^\+?[0-9][0-9 ()-]{1,18}[0-9]$")
EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
MAX_LENGTH = 120
DEFAULT_REFRESHER_MONTHS = 12
MAX_REFRESHER_MONTHS = 120


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    dsp_name: str
    dsp_phone: str
    dsp_email: str
    deputy_name: str
    deputy_phone: str
    deputy_email: str
    childrens_services_name: str
    childrens_services_phone: str
    police_phone: str
    refresher_months: str        # how often staff redo the course, in months ("0": never); the Staff training tab
    is_set: bool                 # True when the setting's name has been set
    problem: str | None = None   # a message naming what to fix, when the file could not be read


FIELDS = [f.name for f in fields(Setting) if f.name not in ("is_set", "problem")]
# Where the records are kept and which setting they belong to: read by the records store (records/recorder.py,
# records/commands.py), never shown on a page.
STORE_KEYS = ("records_url", "setting_id")
SETTING_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")


def _placeholders(lang: str) -> dict[str, str]:
    tr = translator(lang)
    return {
        "name": tr.gettext("[your setting's name]"),
        "dsp_name": tr.gettext("[designated safeguarding person's name]"),
        "dsp_phone": tr.gettext("[designated safeguarding person's phone]"),
        "dsp_email": tr.gettext("[designated safeguarding person's email]"),
        "deputy_name": tr.gettext("[deputy designated safeguarding person's name]"),
        "deputy_phone": tr.gettext("[deputy's phone]"),
        "deputy_email": tr.gettext("[deputy's email]"),
        "childrens_services_name": tr.gettext("[your local authority's children's services]"),
        "childrens_services_phone": tr.gettext("[children's services phone]"),
        "police_phone": "101",
        "refresher_months": str(DEFAULT_REFRESHER_MONTHS),
    }


def setting_path() -> Path:
    return data_folder() / FILE_NAME


class SettingError(ValueError):
    """A value for the setting file is not acceptable; the message names the field."""


def check_value(field: str, value: str) -> str:
    value = " ".join(str(value).split())
    if field == "setting_id" and value and not SETTING_ID.match(value):
        raise SettingError(f"setting_id: {value!r} must be 1-40 lowercase letters, digits and hyphens, "
                           f"e.g. ysgol-y-bryn")
    if field == "records_url" and value and not (value.startswith(("postgresql://", "postgres://", "sqlite:///"))
                                                 or "://" not in value):
        raise SettingError(f"records_url: {value!r} must be postgresql://user@host:port/dbname, sqlite:///path "
                           f"or a file path")
    if field in STORE_KEYS:
        return value
    if field not in FIELDS:
        raise SettingError(f"unknown field '{field}': use one of {', '.join(FIELDS)}")
    if len(value) > MAX_LENGTH:
        raise SettingError(f"{field}: at most {MAX_LENGTH} characters, please")
    if value and field.endswith("_phone") and not PHONE.match(value):
        raise SettingError(f"{field}: {value!r} does not look like a phone number (digits, spaces, + and brackets)")
    if value and field == "refresher_months" and not (value.isdigit() and int(value) <= MAX_REFRESHER_MONTHS):
        raise SettingError(f"{field}: {value!r} must be a whole number of months from 0 (no refresher) to "
                           f"{MAX_REFRESHER_MONTHS}")
    if value and field.endswith("_email") and not EMAIL.match(value):
        raise SettingError(f"{field}: {value!r} does not look like an email address")
    return value


def read_values(path: Path | None = None) -> dict[str, str]:
    """The values in the setting file (only those set); raises SettingError naming the file and field."""
    path = path or setting_path()
    if not path.exists():
        return {}
    try:
        data = yaml_text.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise SettingError(f"{path}: cannot be read ({exc.__class__.__name__}); fix or delete the file, "
                           f"or set it again with `fmse-course setting set`") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise SettingError(f"{path}: must be a list of 'field: value' lines")
    values = {}
    for key, value in data.items():
        if value is None or value == "":
            continue
        try:
            values[key] = check_value(str(key), str(value))
        except SettingError as exc:
            raise SettingError(f"{path}: {exc}") from None
    return values


def read_store_values(path: Path | None = None) -> dict[str, str]:
    """records_url and setting_id from the setting file (those set)."""
    return {k: v for k, v in read_values(path).items() if k in STORE_KEYS}


def load_setting(lang: str, path: Path | None = None) -> Setting:
    """The setting in `lang`: real values where set, bracketed placeholders elsewhere; never raises for a bad file."""
    placeholders = _placeholders(lang)
    try:
        values, problem = read_values(path), None
    except SettingError as exc:
        values, problem = {}, str(exc)
    merged = {f: values.get(f) or placeholders[f] for f in FIELDS}
    return Setting(**merged, is_set=bool(values.get("name")), problem=problem)


def refresher_months(setting: Setting) -> int:
    """The refresher period in months (0: no refresher), DEFAULT_REFRESHER_MONTHS until the DSP sets one."""
    value = setting.refresher_months
    return int(value) if value.isdigit() else DEFAULT_REFRESHER_MONTHS


def save_values(changes: dict[str, str], path: Path | None = None) -> dict[str, str]:
    """Merge `changes` into the setting file (an empty value clears a field) and write it atomically."""
    path = path or setting_path()
    values = read_values(path)
    for field, value in changes.items():
        checked = check_value(field, value)
        if checked:
            values[field] = checked
        else:
            values.pop(field, None)
    header = "# The setting's details for the FMSE course (fmse-course setting set --help).\n"
    write_atomically(path, header + yaml.safe_dump({f: values[f] for f in (*FIELDS, *STORE_KEYS) if f in values},
                                                   allow_unicode=True, sort_keys=False))
    return values
