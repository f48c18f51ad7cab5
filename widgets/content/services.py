"""The services file (data/services.yaml): every service's name, addresses and numbers, in one place."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..languages import LANGS
from ..paths import data_dir
from .errors import ContentError
from .fields import ID_PATTERN, Fields
from .loader import read_yaml
from .text import HasTexts, Text


@dataclass(frozen=True, slots=True)
class Service(HasTexts):
    id: str
    name: Text
    purpose: Text
    name_lang: str | None          # "en" where the name is an English proper noun in both languages
    web: dict[str, str]            # lang -> address
    also_web: tuple[str, ...]      # other published addresses of the same service
    phones: tuple[str, ...]
    sms: str | None
    email: str | None

    def url(self, lang: str) -> str | None:
        return self.web.get(lang)

    def addresses(self) -> set[str]:
        return set(self.web.values()) | set(self.also_web)


def _web(f: Fields) -> dict[str, str]:
    """The service's address by language: `web`, and `web_cy` where it has a separate Welsh page."""
    web = {}
    for key in ("web", "web_cy"):
        value = f.string(key, required=False)
        if value is not None and not value.startswith("https://"):
            f.fail(f"{value!r} must be an https:// address", key)
        web[key] = value
    if web["web_cy"] and not web["web"]:
        f.fail("a Welsh address needs the English one in 'web' too", "web_cy")
    if not web["web"]:
        return {}
    return {"en": web["web"], "cy": web["web_cy"] or web["web"]}


def _strings(f: Fields, key: str) -> tuple[str, ...]:
    value = f.data.get(key, [])
    f.read.add(key)
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        f.fail("must be a list of strings", key)
    return tuple(value)


def parse_services(data: object, file: Path | str) -> dict[str, Service]:
    top = Fields(data, file=file, item=None)
    services: dict[str, Service] = {}
    for entry in top.items("services"):
        service_id = entry.string("id", pattern=ID_PATTERN)
        entry.item, entry.kind = service_id, "service"
        if service_id in services:
            entry.fail(f"service id {service_id!r} is used twice", "id")
        services[service_id] = Service(
            id=service_id, name=entry.text("name"), purpose=entry.text("purpose"),
            name_lang=entry.string("name_lang", required=False, choices=LANGS),
            web=_web(entry), also_web=_strings(entry, "also_web"), phones=_strings(entry, "phones"),
            sms=entry.string("sms", required=False), email=entry.string("email", required=False))
        entry.no_other_keys()
    top.no_other_keys()
    return services


@lru_cache(maxsize=4)
def _services(path: Path) -> dict[str, Service]:
    return parse_services(read_yaml(path), path)


def services(path: Path | None = None) -> dict[str, Service]:
    """All services by id."""
    return _services((path or data_dir() / "services.yaml").resolve())


def service(service_id: str) -> Service:
    found = services()
    if service_id not in found:
        raise ContentError(data_dir() / "services.yaml", f"no service with id '{service_id}'")
    return found[service_id]
