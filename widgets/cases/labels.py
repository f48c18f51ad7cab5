"""Display names of the case data's columns and values, in English and Welsh (through gettext).

The data itself holds language-neutral codes (schema.py); pages show these names. The local authorities'
Welsh names are their official names.
"""
from __future__ import annotations

from functools import lru_cache

from ..i18n import translator
from ..welsh import sort_key
from . import schema as s


@lru_cache(maxsize=4)
def _values(lang: str) -> dict[str, dict[str, str]]:
    tr = translator(lang)
    return {
        "local_authority": {
            "blaenau-gwent": tr.pgettext("local authority", "Blaenau Gwent"),
            "bridgend": tr.pgettext("local authority", "Bridgend"),
            "caerphilly": tr.pgettext("local authority", "Caerphilly"),
            "cardiff": tr.pgettext("local authority", "Cardiff"),
            "carmarthenshire": tr.pgettext("local authority", "Carmarthenshire"),
            "ceredigion": tr.pgettext("local authority", "Ceredigion"),
            "conwy": tr.pgettext("local authority", "Conwy"),
            "denbighshire": tr.pgettext("local authority", "Denbighshire"),
            "flintshire": tr.pgettext("local authority", "Flintshire"),
            "gwynedd": tr.pgettext("local authority", "Gwynedd"),
            "isle-of-anglesey": tr.pgettext("local authority", "Isle of Anglesey"),
            "merthyr-tydfil": tr.pgettext("local authority", "Merthyr Tydfil"),
            "monmouthshire": tr.pgettext("local authority", "Monmouthshire"),
            "neath-port-talbot": tr.pgettext("local authority", "Neath Port Talbot"),
            "newport": tr.pgettext("local authority", "Newport"),
            "pembrokeshire": tr.pgettext("local authority", "Pembrokeshire"),
            "powys": tr.pgettext("local authority", "Powys"),
            "rhondda-cynon-taf": tr.pgettext("local authority", "Rhondda Cynon Taf"),
            "swansea": tr.pgettext("local authority", "Swansea"),
            "torfaen": tr.pgettext("local authority", "Torfaen"),
            "vale-of-glamorgan": tr.pgettext("local authority", "Vale of Glamorgan"),
            "wrexham": tr.pgettext("local authority", "Wrexham"),
        },
        "setting_type": {
            "primary": tr.pgettext("setting type", "Primary school"),
            "secondary": tr.pgettext("setting type", "Secondary school"),
            "special": tr.pgettext("setting type", "Special school"),
            "further-education": tr.pgettext("setting type", "Further education college"),
            "pupil-referral-unit": tr.pgettext("setting type", "Pupil referral unit"),
        },
        "sex": {
            "male": tr.pgettext("sex", "Male"),
            "female": tr.pgettext("sex", "Female"),
        },
        "first_contact_platform": {
            "instagram": tr.pgettext("platform", "Instagram"),
            "snapchat": tr.pgettext("platform", "Snapchat"),
            "online-game": tr.pgettext("platform", "An online game"),
            "tiktok": tr.pgettext("platform", "TikTok"),
            "facebook": tr.pgettext("platform", "Facebook"),
            "other": tr.pgettext("platform", "Another platform"),
        },
        "moved_to_platform": {
            "whatsapp": tr.pgettext("platform", "WhatsApp"),
            "telegram": tr.pgettext("platform", "Telegram"),
            "other-encrypted": tr.pgettext("platform", "Another encrypted app"),
            "no-move": tr.pgettext("platform", "Did not move"),
        },
        "persona": {
            "young-female": tr.pgettext("persona", "A girl or young woman"),
            "young-male": tr.pgettext("persona", "A boy or young man"),
            "hacked-known-account": tr.pgettext("persona", "A hacked account of someone they knew"),
            "other": tr.pgettext("persona", "Someone else"),
        },
        "demand_type": {
            "gift-card": tr.pgettext("demand", "Gift card"),
            "bank-transfer": tr.pgettext("demand", "Bank transfer"),
            "payment-app": tr.pgettext("demand", "Payment app"),
            "cryptocurrency": tr.pgettext("demand", "Cryptocurrency"),
        },
        "told_first": {
            "parent-or-carer": tr.pgettext("told first", "A parent or carer"),
            "school-staff": tr.pgettext("told first", "A member of school staff"),
            "friend": tr.pgettext("told first", "A friend"),
            "other-family": tr.pgettext("told first", "Another family member"),
            "helpline": tr.pgettext("told first", "A helpline"),
            "police": tr.pgettext("told first", "The police"),
            "no-one": tr.pgettext("told first", "No one: it came to light another way"),
        },
        "age_band": {
            "11-13": tr.pgettext("age band", "11 to 13"),
            "14-15": tr.pgettext("age band", "14 to 15"),
            "16-17": tr.pgettext("age band", "16 to 17"),
        },
        "flag": {
            "yes": tr.pgettext("answer", "Yes"),
            "no": tr.pgettext("answer", "No"),
        },
    }


@lru_cache(maxsize=4)
def _columns(lang: str) -> dict[str, str]:
    tr = translator(lang)
    return {
        "case_id": tr.pgettext("column", "Case number"),
        "month": tr.pgettext("column", "Month"),
        "local_authority": tr.pgettext("column", "Local authority"),
        "setting_type": tr.pgettext("column", "Setting type"),
        "age": tr.pgettext("column", "Age"),
        "age_band": tr.pgettext("column", "Age band"),
        "sex": tr.pgettext("column", "Sex"),
        "first_contact_platform": tr.pgettext("column", "First contact"),
        "moved_to_platform": tr.pgettext("column", "Moved to"),
        "persona": tr.pgettext("column", "Offender posed as"),
        "minutes_to_threat": tr.pgettext("column", "Minutes to threat"),
        "claimed_hacked": tr.pgettext("column", "Claimed to have hacked"),
        "ai_image": tr.pgettext("column", "AI-generated image"),
        "demand_type": tr.pgettext("column", "Demand"),
        "demand_gbp": tr.pgettext("column", "Amount demanded (£)"),
        "paid": tr.pgettext("column", "Paid"),
        "asked_again": tr.pgettext("column", "Asked again"),
        "told_first": tr.pgettext("column", "Told first"),
        "police_informed": tr.pgettext("column", "Police informed"),
        "report_remove_used": tr.pgettext("column", "Report Remove used"),
        "take_it_down_used": tr.pgettext("column", "Take It Down used"),
        "platform_reported": tr.pgettext("column", "Reported to the platform"),
    }


def value_label(column: str, value: str, lang: str) -> str:
    """The display name of a code (e.g. 'isle-of-anglesey' -> 'Ynys Môn' in Welsh)."""
    table = _values(lang)
    key = "flag" if column in s.FLAG_COLUMNS else column
    return table[key][value]


def column_label(column: str, lang: str) -> str:
    return _columns(lang)[column]


@lru_cache(maxsize=4)
def _months(lang: str) -> tuple[str, ...]:
    tr = translator(lang)
    return (tr.pgettext("month", "January"), tr.pgettext("month", "February"), tr.pgettext("month", "March"),
            tr.pgettext("month", "April"), tr.pgettext("month", "May"), tr.pgettext("month", "June"),
            tr.pgettext("month", "July"), tr.pgettext("month", "August"), tr.pgettext("month", "September"),
            tr.pgettext("month", "October"), tr.pgettext("month", "November"), tr.pgettext("month", "December"))


def month_label(month: str, lang: str) -> str:
    """'2024-09' -> 'September 2024' / 'Medi 2024'."""
    year, number = month.split("-")
    name = _months(lang)[int(number) - 1]
    return f"{name} {year}"


def sorted_values(column: str, lang: str) -> list[str]:
    """A column's codes in the order a reader expects: alphabetical for local authorities, else as listed."""
    values = list(s.BY_NAME[column].values) if column in s.BY_NAME else list(s.AGE_BANDS)
    if column == "local_authority":
        key = sort_key(lang)  # Welsh alphabetical order in Welsh (ch, dd, ff, ... are single letters)
        values.sort(key=lambda v: key(value_label(column, v, lang)))
    return values
