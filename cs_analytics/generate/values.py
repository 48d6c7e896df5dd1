"""Vectorised helpers: weighted picks, ids, texts, timestamps in every
spelling of the contract, Vietnamese names. All draw from a given
`numpy.random.Generator`, so the caller's seed decides every value.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cs_analytics.generate.scales import HOUR, LOCAL_UTC_OFFSET
from cs_analytics.generate.vocabularies import FAMILY_NAMES, GIVEN_NAMES, MIDDLE_NAMES

# Prefix and zero-padded width of the generated ids.
ID_FORMAT = {
    "customers": ("C", 7),
    "orders": ("O", 8),
    "tickets": ("T", 7),
    "survey_responses": ("R", 7),
    "agents": ("A", 4),
}


@dataclass(frozen=True)
class Built:
    """A generated table and numeric helpers aligned with its rows."""

    table: pa.Table
    aux: dict[str, np.ndarray]


def pick_index(rng: np.random.Generator, weights: Sequence[float], n: int) -> np.ndarray:
    """Indices 0..len(weights)-1 drawn with the given relative weights."""
    cdf = np.cumsum(np.asarray(weights, dtype=float))
    return np.searchsorted(cdf / cdf[-1], rng.random(n), side="right")


def pick(rng: np.random.Generator, choices: Sequence[tuple[str | None, float]], n: int) -> pa.Array:
    values = pa.array([value for value, _ in choices], pa.string())
    return values.take(pick_index(rng, [weight for _, weight in choices], n))


def pick_within(
    rng: np.random.Generator,
    groups: np.ndarray,
    spellings: Sequence[Sequence[tuple[str | None, float]]],
) -> pa.Array:
    """For each row, one spelling of its group (groups index into spellings)."""
    flat = [value for group in spellings for value, _ in group]
    index = np.zeros(len(groups), dtype=np.int64)
    offset = 0
    for group_index, group in enumerate(spellings):
        rows = np.flatnonzero(groups == group_index)
        index[rows] = offset + pick_index(rng, [w for _, w in group], rows.size)
        offset += len(group)
    return pa.array(flat, pa.string()).take(index)


def ids(prefix: str, numbers: np.ndarray, width: int) -> pa.Array:
    digits = pc.utf8_lpad(pa.array(numbers, pa.int64()).cast(pa.string()), width, "0")
    return pc.binary_join_element_wise(prefix, digits, "")


def texts(values: np.ndarray) -> pa.Array:
    return pa.array(values, pa.int64()).cast(pa.string())


def null_where(values: pa.Array, mask: np.ndarray) -> pa.Array:
    if not mask.any():
        return values
    return pc.if_else(pa.array(mask), pa.scalar(None, values.type), values)


def replace_rows(values: pa.Array, rows: np.ndarray, replacement: pa.Array) -> pa.Array:
    if rows.size == 0:
        return values
    mask = np.zeros(len(values), dtype=bool)
    mask[rows] = True
    return pc.replace_with_mask(values, pa.array(mask), replacement)


def pad_some(rng: np.random.Generator, values: pa.Array, share: float) -> pa.Array:
    """Surround a small share of ids with spaces (valid: values are trimmed)."""
    rows = np.flatnonzero(rng.random(len(values)) < share)
    padded = pc.binary_join_element_wise(" ", values.take(rows), " ", "")
    return replace_rows(values, rows, padded)


def clock(rng: np.random.Generator, n: int, hour_weights: Sequence[float]) -> np.ndarray:
    """Seconds after midnight, with a realistic hour-of-day profile."""
    return pick_index(rng, hour_weights, n) * HOUR + rng.integers(0, HOUR, n)


def plain_ts(secs: np.ndarray) -> pa.Array:
    """`YYYY-MM-DD HH:MM:SS` text of local wall-clock seconds."""
    return pa.array(np.asarray(secs, dtype=np.int64).astype("datetime64[s]")).cast(pa.string())


@dataclass(frozen=True)
class TsMix:
    """Shares of the timestamp spellings other than `YYYY-MM-DD HH:MM:SS`."""

    t: float = 0.05
    utc: float = 0.03
    offset: float = 0.03
    fraction: float = 0.0
    minutes: float = 0.0
    date_only: float = 0.0


# Truncating or rounding is only safe on timestamps that start something.
EVENT_START = TsMix(fraction=0.005, minutes=0.005)
EVENT_LATER = TsMix()
SIGN_UP = TsMix(t=0.04, utc=0.02, offset=0.02, date_only=0.12)


def _styled(style: str, plain: pa.Array, secs: np.ndarray, rng: np.random.Generator) -> pa.Array:
    if style == "t":
        return pc.replace_substring(plain, " ", "T")
    if style == "utc":
        utc = pc.replace_substring(plain_ts(secs - LOCAL_UTC_OFFSET), " ", "T")
        return pc.binary_join_element_wise(utc, "Z", "")
    if style == "offset":
        return pc.binary_join_element_wise(pc.replace_substring(plain, " ", "T"), "+07:00", "")
    if style == "fraction":
        micros = pc.utf8_lpad(texts(rng.integers(0, 1_000_000, len(secs))), 6, "0")
        return pc.binary_join_element_wise(plain, micros, ".")
    if style == "minutes":
        return pc.utf8_slice_codeunits(plain, 0, 16)
    return pc.utf8_slice_codeunits(plain, 0, 10)  # date_only


def format_ts(
    rng: np.random.Generator,
    secs: np.ndarray,
    mix: TsMix,
    null: np.ndarray | None = None,
) -> pa.Array:
    """ISO 8601 text of local seconds in a mix of spellings (same instants)."""
    styles = ("t", "utc", "offset", "fraction", "minutes", "date_only")
    shares = [getattr(mix, name) for name in styles]
    choice = pick_index(rng, [1.0 - sum(shares), *shares], len(secs))
    text = plain_ts(secs)
    for number, style in enumerate(styles, start=1):
        rows = np.flatnonzero(choice == number)
        if rows.size:
            variant = _styled(style, text.take(rows), secs[rows], rng)
            text = replace_rows(text, rows, variant)
    return text if null is None else null_where(text, null)


def ascii_lower(name: str) -> str:
    stripped = unicodedata.normalize("NFD", name.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in stripped if not unicodedata.combining(ch)).lower()


@dataclass(frozen=True)
class Names:
    full_name: pa.Array
    given_ascii: pa.Array
    family_ascii: pa.Array


def vietnamese_names(rng: np.random.Generator, n: int) -> Names:
    female = (rng.random(n) < 0.52).astype(np.int64)
    family = pick_index(rng, [w for _, w in FAMILY_NAMES], n)
    middle = rng.integers(0, len(MIDDLE_NAMES[0]), n) + female * len(MIDDLE_NAMES[0])
    given = rng.integers(0, len(GIVEN_NAMES[0]), n) + female * len(GIVEN_NAMES[0])
    families = [name for name, _ in FAMILY_NAMES]
    middles = [*MIDDLE_NAMES[0], *MIDDLE_NAMES[1]]
    givens = [*GIVEN_NAMES[0], *GIVEN_NAMES[1]]
    parts = [
        pa.array(vocab, pa.string()).take(index)
        for vocab, index in ((families, family), (middles, middle), (givens, given))
    ]
    return Names(
        full_name=pc.binary_join_element_wise(*parts, " "),
        given_ascii=pa.array([ascii_lower(g) for g in givens]).take(given),
        family_ascii=pa.array([ascii_lower(f) for f in families]).take(family),
    )
