"""The columns of the synthetic case data: names, meanings, allowed values and ranges (one source of truth).

The generator writes these columns, validation checks files against them, the data cards describe them, and a
test keeps the cards and this module in agreement.
"""
from __future__ import annotations

from dataclasses import dataclass

# Wales's 22 principal areas (local authorities), as codes; their English and Welsh names are in labels.py.
LOCAL_AUTHORITIES = (
    "blaenau-gwent", "bridgend", "caerphilly", "cardiff", "carmarthenshire", "ceredigion", "conwy",
    "denbighshire", "flintshire", "gwynedd", "isle-of-anglesey", "merthyr-tydfil", "monmouthshire",
    "neath-port-talbot", "newport", "pembrokeshire", "powys", "rhondda-cynon-taf", "swansea", "torfaen",
    "vale-of-glamorgan", "wrexham",
)
SETTING_TYPES = ("primary", "secondary", "special", "further-education", "pupil-referral-unit")
SEXES = ("male", "female")
PLATFORMS = ("instagram", "snapchat", "online-game", "tiktok", "facebook", "other")
MOVED_TO = ("whatsapp", "telegram", "other-encrypted", "no-move")
PERSONAS = ("young-female", "young-male", "hacked-known-account", "other")
DEMAND_TYPES = ("gift-card", "bank-transfer", "payment-app", "cryptocurrency")
TOLD_FIRST = ("parent-or-carer", "school-staff", "friend", "other-family", "helpline", "police", "no-one")
YES_NO = ("yes", "no")

AGE_MIN, AGE_MAX = 11, 17
# Age bands used by filters and charts: code -> (youngest, oldest).
AGE_BANDS = {"11-13": (11, 13), "14-15": (14, 15), "16-17": (16, 17)}
MONTH_PATTERN = r"^(19|20)\d\d-(0[1-9]|1[0-2])$"


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    kind: str                           # "id", "month", "category", "int" or "flag"
    meaning: str                        # in English, for messages and the command line
    values: tuple[str, ...] = ()        # allowed values of a category ("yes"/"no" for a flag)
    minimum: int | None = None          # inclusive range of an int
    maximum: int | None = None


COLUMNS: tuple[Column, ...] = (
    Column("case_id", "id", "a row number for this synthetic case (1, 2, 3 ...); it identifies nobody",
           minimum=1, maximum=99_999_999),
    Column("month", "month", "the month the concern came to light, as YYYY-MM"),
    Column("local_authority", "category", "one of Wales's 22 local authority areas", LOCAL_AUTHORITIES),
    Column("setting_type", "category", "the kind of education setting", SETTING_TYPES),
    Column("age", "int", "the young person's age in whole years", minimum=AGE_MIN, maximum=AGE_MAX),
    Column("sex", "category", "the young person's sex", SEXES),
    Column("first_contact_platform", "category", "where the offender first made contact", PLATFORMS),
    Column("moved_to_platform", "category", "the end-to-end encrypted app the chat was moved to, if any", MOVED_TO),
    Column("persona", "category", "who the offender pretended to be", PERSONAS),
    Column("minutes_to_threat", "int", "minutes from first contact to the first threat",
           minimum=1, maximum=20_160),
    Column("claimed_hacked", "flag", "the offender claimed to have hacked the young person's account", YES_NO),
    Column("ai_image", "flag", "the offender used a digitally manipulated or AI-generated image", YES_NO),
    Column("demand_type", "category", "what the offender demanded", DEMAND_TYPES),
    Column("demand_gbp", "int", "the amount first demanded, in whole pounds", minimum=1, maximum=10_000),
    Column("paid", "flag", "the young person paid something", YES_NO),
    Column("asked_again", "flag", "after paying, the offender demanded more (always 'no' if nothing was paid)",
           YES_NO),
    Column("told_first", "category", "who the young person told first ('no-one': it came to light another way)",
           TOLD_FIRST),
    Column("police_informed", "flag", "the police were informed", YES_NO),
    Column("report_remove_used", "flag", "Report Remove was used", YES_NO),
    Column("take_it_down_used", "flag", "Take It Down was used", YES_NO),
    Column("platform_reported", "flag", "the account was reported to the platform", YES_NO),
)

BY_NAME = {c.name: c for c in COLUMNS}
NAMES = tuple(c.name for c in COLUMNS)
CATEGORY_COLUMNS = tuple(c.name for c in COLUMNS if c.kind == "category")
FLAG_COLUMNS = tuple(c.name for c in COLUMNS if c.kind == "flag")
INT_COLUMNS = tuple(c.name for c in COLUMNS if c.kind in ("int", "id"))


def age_band(age: int) -> str:
    for band, (low, high) in AGE_BANDS.items():
        if low <= age <= high:
            return band
    raise ValueError(f"age {age} is outside {AGE_MIN}-{AGE_MAX}")
