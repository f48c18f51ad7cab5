"""Services in one place: every address and number in notebooks and data comes from data/services.yaml."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from fmse_widgets.content.errors import ContentError
from fmse_widgets.content.services import parse_services, services
from fmse_widgets.page import signposts_html

URL = re.compile(r"https?://[^\s\"'<>)\]\\]+")
PHONE = re.compile(r"(?<![\d.])0\d(?:[ -]?\d){6,9}(?![\d])")
HASHES = re.compile(r"""(?:cy_)?en_hash["']?:\s*["'][0-9a-f]{12}["']""")  # translation fingerprints, not numbers


def digits(number: str) -> str:
    return re.sub(r"\D", "", number)


def allowlist() -> tuple[set[str], set[str]]:
    urls, phones = set(), set()
    for service in services().values():
        urls |= {u.rstrip("/") for u in service.addresses()}
        phones |= {digits(p) for p in service.phones}
    return urls, phones


def scanned_files(root: Path) -> list[Path]:
    files = [*root.glob("notebooks/**/*.ipynb"), *root.glob("data/**/*.yaml"), *root.glob("data/**/*.md")]
    return [f for f in files if f.name != "services.yaml" and ".ipynb_checkpoints" not in f.parts]


def test_every_url_and_phone_number_is_on_the_allowlist(root):
    urls, phones = allowlist()
    unknown = []
    for path in scanned_files(root):
        text = HASHES.sub("", path.read_text(encoding="utf-8"))
        unknown += [f"{path.relative_to(root)}: {u}" for u in URL.findall(text) if u.rstrip("/.,;") not in urls]
        unknown += [f"{path.relative_to(root)}: {p}" for p in PHONE.findall(text) if digits(p) not in phones]
    assert unknown == [], "add these to data/services.yaml (from shared/reference/services.md) or remove them"


def test_the_scan_would_catch_an_unlisted_number_and_address():
    assert PHONE.findall("call 0800 123 4567 today") == ["0800 123 4567"]
    assert digits("0800 123 4567") not in allowlist()[1]
    assert URL.findall('see <a href="https://example.org/x">') == ["https://example.org/x"]


def test_services_cover_the_reference_list():
    expected = {"report-remove", "take-it-down", "stopncii", "ceop-safety-centre", "police", "childline", "meic",
                "nspcc-helpline", "posh", "revenge-porn-helpline", "uk-safer-internet-centre", "internet-matters",
                "hwb-keeping-safe-online", "ceop-education", "keeping-learners-safe", "education-support"}
    assert expected <= set(services())
    assert services()["meic"].phones == ("080880 23456",) and services()["meic"].sms == "84001"
    assert services()["posh"].phones == ("0344 381 4772",)


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_signposts_render_from_the_services_file(lang):
    html = signposts_html(lang)
    for number in ("0344 381 4772", "0808 800 5000", "080880 23456", "0800 1111", "08000 562 561"):
        assert number in html
    assert 'href="tel:08003814772"' not in html and 'href="tel:03443814772"' in html
    assert ('lang="en">Childline</span>' in html) == (lang == "cy")


def test_bad_services_file_is_named(tmp_path):
    bad = {"services": [{"id": "x", "name": {"en": "X", "cy": "X"}, "purpose": {"en": "p", "cy": "q"},
                         "web": "http://insecure.example"}]}
    with pytest.raises(ContentError, match=r"service 'x': field 'services\[0\]\.web': .* must be an https://"):
        parse_services(bad, tmp_path / "services.yaml")

