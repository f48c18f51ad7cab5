"""Generate synthetic, anonymised cases shaped by published figures (shared/reference/statistics.md).

Each distribution below names its source, or says "assumed" where no published figure exists. The output is
a CSV that is the same, byte for byte, for the same number of rows and seed: random numbers come only from
numpy's PCG64 `Generator.random()` (uniform doubles), turned into categories by inverse CDF and into
normal draws by Box-Muller, so nothing depends on numpy's other sampling algorithms.

These are invented rows. They show the shape of what has been reported, not how often abuse happens, and
they cannot show what works: every difference between groups was put there by the assumptions below.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from . import schema as s

CHUNK = 100_000          # rows generated and written at a time (fixed, so output does not depend on it)
PROGRESS_FROM = 200_000  # show a progress bar for runs at least this long
FIRST_MONTH = (2024, 1)
MONTHS = 24


@dataclass(frozen=True, slots=True)
class Shares:
    """A categorical distribution and where its figures come from ("assumed" when nothing is published)."""
    values: tuple[str, ...]
    weights: tuple[float, ...]
    source: str

    def probabilities(self) -> np.ndarray:
        w = np.asarray(self.weights, dtype=float)
        return w / w.sum()


SEX = Shares(("male", "female"), (0.92, 0.08),
             "IWF 2023: 91% of confirmed sextortion reports were about boys; Thorn/NCMEC 2024: 90% of victims "
             "with known age and sex were boys aged 14-17")
AGE_BY_SEX = {
    "male": Shares(tuple(str(a) for a in range(11, 18)), (0.005, 0.01, 0.025, 0.10, 0.22, 0.31, 0.33),
                   "IWF 2023: 60% aged 16-17; Thorn/NCMEC 2024: boys aged 14-17; IWF 2024: as young as 11"),
    "female": Shares(tuple(str(a) for a in range(11, 18)), (0.04, 0.06, 0.10, 0.20, 0.22, 0.19, 0.19),
                     "assumed: girls younger on average (IWF 2024: more girls, a rise among 14-15-year-olds)"),
}
LOCAL_AUTHORITY = Shares(s.LOCAL_AUTHORITIES, (1.0,) * len(s.LOCAL_AUTHORITIES),
                         "assumed: every local authority equally likely")
SETTING_BY_AGE_BAND = {
    "11": Shares(("primary", "secondary", "special"), (0.55, 0.40, 0.05), "assumed"),
    "12-15": Shares(("secondary", "special", "pupil-referral-unit"), (0.90, 0.05, 0.05), "assumed"),
    "16-17": Shares(("secondary", "further-education", "special", "pupil-referral-unit"),
                    (0.55, 0.38, 0.04, 0.03), "assumed"),
}
PLATFORM = Shares(s.PLATFORMS, (0.45, 0.33, 0.08, 0.06, 0.04, 0.04),
                  "assumed shares; Thorn/NCMEC 2024: Instagram and Snapchat most common for first contact")
MOVED_TO = Shares(s.MOVED_TO, (0.45, 0.12, 0.13, 0.30),
                  "assumed shares; the alert and Thorn/NCMEC: moved to end-to-end encrypted apps")
PERSONA_BY_SEX = {
    "male": Shares(s.PERSONAS, (0.78, 0.07, 0.10, 0.05),
                   "assumed shares; Thorn and the NCA: most often posing as a young girl or young person"),
    "female": Shares(("young-male", "young-female", "hacked-known-account", "other"), (0.55, 0.20, 0.15, 0.10),
                     "assumed"),
}
# Minutes from first contact to threat, a mixture (assumed; the NCA: sometimes under an hour):
# 60% within minutes (log-normal, median 25 min), 30% within hours (median 4 h), 10% 1 to 7 days.
SPEED = ((0.60, 25.0, 0.6), (0.30, 240.0, 0.8))
SPEED_DAYS = (0.10, 1440.0, 10_080.0)
DEMAND_TYPE = Shares(s.DEMAND_TYPES, (0.30, 0.25, 0.33, 0.12),
                     "assumed shares; types named by NCMEC, Thorn and the alert (pre-paid gift cards)")
DEMAND_MEDIAN_GBP, DEMAND_SIGMA, DEMAND_RANGE = 100.0, 0.9, (20, 3000)   # assumed (log-normal)
CLAIMED_HACKED = 0.25   # assumed; a named tactic in the alert
AI_IMAGE = 0.02         # assumed; Thorn found AI threats in "a small number" of cases
PAID = 0.38             # Thorn/NCMEC 2024: 38% paid, where the impact was described
ASKED_AGAIN = 0.27      # Thorn/NCMEC 2024: 27% of those who paid were asked again
TOLD_FIRST = Shares(s.TOLD_FIRST, (0.34, 0.22, 0.18, 0.08, 0.06, 0.04, 0.08), "assumed")
# What happened next, by who the young person told first (all assumed; synthetic data cannot show what works).
AFTER_TELLING = {   # told_first: (police_informed, report_remove_used, take_it_down_used, platform_reported)
    "parent-or-carer": (0.80, 0.28, 0.15, 0.55),
    "school-staff": (0.92, 0.40, 0.20, 0.60),
    "friend": (0.55, 0.15, 0.08, 0.45),
    "other-family": (0.70, 0.20, 0.10, 0.50),
    "helpline": (0.60, 0.45, 0.20, 0.55),
    "police": (1.00, 0.30, 0.15, 0.50),
    "no-one": (0.75, 0.20, 0.10, 0.50),
}


def month_codes() -> tuple[str, ...]:
    year, month = FIRST_MONTH
    out = []
    for i in range(MONTHS):
        y, m = divmod(month - 1 + i, 12)
        out.append(f"{year + y:04d}-{m + 1:02d}")
    return tuple(out)


# Rising over the period (assumed shape: reports have risen, e.g. NCMEC 10,731 in 2022 to 26,718 in 2023).
MONTH = Shares(month_codes(), tuple(1 + i / (MONTHS - 1) for i in range(MONTHS)), "assumed: rising over time")


def _pick(shares: Shares, u: np.ndarray) -> np.ndarray:
    """Inverse CDF: uniform draws in [0, 1) to indices into shares.values."""
    cdf = np.cumsum(shares.probabilities())
    cdf[-1] = 1.0
    return np.searchsorted(cdf, u, side="right")


def _normal(rng: np.random.Generator, n: int) -> np.ndarray:
    """Standard normal draws by Box-Muller from uniform doubles (stable across numpy versions)."""
    u1 = 1.0 - rng.random(n)   # (0, 1]
    u2 = rng.random(n)
    return np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * math.pi * u2)


def _categorical(shares: Shares, u: np.ndarray) -> np.ndarray:
    return np.asarray(shares.values, dtype=object)[_pick(shares, u)]


def _by_group(groups: np.ndarray, table: dict[str, Shares], u: np.ndarray) -> np.ndarray:
    out = np.empty(len(u), dtype=object)
    for key, shares in table.items():
        where = groups == key
        out[where] = _categorical(shares, u[where])
    return out


def _yes(flag: np.ndarray) -> np.ndarray:
    return np.where(flag, "yes", "no").astype(object)


def _minutes(rng: np.random.Generator, n: int) -> np.ndarray:
    which = rng.random(n)
    z = _normal(rng, n)
    days = rng.random(n)
    (p_fast, med_fast, sd_fast), (p_hours, med_hours, sd_hours) = SPEED
    _, low, high = SPEED_DAYS
    minutes = np.where(which < p_fast, med_fast * np.exp(sd_fast * z),
                       np.where(which < p_fast + p_hours, med_hours * np.exp(sd_hours * z),
                                low + days * (high - low)))
    return np.clip(np.rint(minutes), 2, 20_160).astype(np.int64)


def _amounts(rng: np.random.Generator, n: int) -> np.ndarray:
    raw = DEMAND_MEDIAN_GBP * np.exp(DEMAND_SIGMA * _normal(rng, n))
    return np.clip(np.rint(raw / 10) * 10, *DEMAND_RANGE).astype(np.int64)


def _chunk(rng: np.random.Generator, first_id: int, n: int) -> pd.DataFrame:
    sex = _categorical(SEX, rng.random(n))
    age = _by_group(sex, AGE_BY_SEX, rng.random(n)).astype(np.int64)
    age_group = np.where(age == 11, "11", np.where(age <= 15, "12-15", "16-17")).astype(object)
    told = _categorical(TOLD_FIRST, rng.random(n))
    paid = rng.random(n) < PAID
    asked_again = paid & (rng.random(n) < ASKED_AGAIN)
    after = {name: np.empty(n, dtype=bool) for name in
             ("police_informed", "report_remove_used", "take_it_down_used", "platform_reported")}
    draws = {name: rng.random(n) for name in after}
    for who, chances in AFTER_TELLING.items():
        where = told == who
        for (name, flag), chance in zip(after.items(), chances):
            flag[where] = draws[name][where] < chance
    columns = {
        "case_id": np.arange(first_id, first_id + n, dtype=np.int64),
        "month": _categorical(MONTH, rng.random(n)),
        "local_authority": _categorical(LOCAL_AUTHORITY, rng.random(n)),
        "setting_type": _by_group(age_group, SETTING_BY_AGE_BAND, rng.random(n)),
        "age": age,
        "sex": sex,
        "first_contact_platform": _categorical(PLATFORM, rng.random(n)),
        "moved_to_platform": _categorical(MOVED_TO, rng.random(n)),
        "persona": _by_group(sex, PERSONA_BY_SEX, rng.random(n)),
        "minutes_to_threat": _minutes(rng, n),
        "claimed_hacked": _yes(rng.random(n) < CLAIMED_HACKED),
        "ai_image": _yes(rng.random(n) < AI_IMAGE),
        "demand_type": _categorical(DEMAND_TYPE, rng.random(n)),
        "demand_gbp": _amounts(rng, n),
        "paid": _yes(paid),
        "asked_again": _yes(asked_again),
        "told_first": told,
        **{name: _yes(flag) for name, flag in after.items()},
    }
    return pd.DataFrame(columns, columns=list(s.NAMES))


def chunks(rows: int, seed: int):
    """The cases in chunks of CHUNK rows: (DataFrame, rows so far)."""
    if rows < 1:
        raise ValueError("rows must be at least 1")
    if seed < 0:
        raise ValueError("seed must be 0 or more")
    rng = np.random.Generator(np.random.PCG64(seed))
    done = 0
    while done < rows:
        n = min(CHUNK, rows - done)
        yield _chunk(rng, done + 1, n)
        done += n


def generate(rows: int, seed: int) -> pd.DataFrame:
    """All the cases as one DataFrame of strings and integers (as they appear in the CSV)."""
    return pd.concat(list(chunks(rows, seed)), ignore_index=True)


def to_csv_text(frame: pd.DataFrame, header: bool = True) -> str:
    """CSV text with a fixed format: comma-separated, "\\n" line ends, no index, no quoting needed."""
    return frame.to_csv(index=False, header=header, lineterminator="\n")


def write(rows: int, seed: int, out: Path, *, progress: bool | None = None) -> Path:
    """Write `rows` synthetic cases from `seed` to `out` (UTF-8 CSV); a progress bar for long runs."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    show = rows >= PROGRESS_FROM if progress is None else progress
    bar = None
    if show:
        from tqdm import tqdm
        bar = tqdm(total=rows, unit="rows", unit_scale=True, desc="Generating cases")
    tmp = out.with_name(out.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as handle:
            for i, frame in enumerate(chunks(rows, seed)):
                handle.write(to_csv_text(frame, header=(i == 0)))
                if bar is not None:
                    bar.update(len(frame))
        tmp.replace(out)
    finally:
        if bar is not None:
            bar.close()
        tmp.unlink(missing_ok=True)
    return out
