"""Deterministic generator of the raw files described in the data contract.

Writes the five raw tables of contract section 1 (customers, orders, tickets,
survey_responses, agents) as `<table>.csv` or `<table>.parquet`, with exactly
the contract's columns plus an `updated_at` column on customers, orders and
tickets. Every value is text (Parquet columns are all strings). The same seed,
scale, start date and options give byte-identical files.

The data has the shapes the marts must handle: Vietnamese names and cities,
mixed-case vocabularies, timestamps with `T`, `Z` and `+07:00`, repeat buyers
with churn-then-reactivation gaps, one-time buyers, prospects, customers that
are only known from orders or tickets, unanswered, unresolved, multi-contact
and reopened tickets, and survey comments with commas and quotes.

With `--bad-rows`, rows breaking every rule of contract section 4 are injected
(one row per kind in the small demo set, a share of `BAD_ROW_RATE` per kind in
the large ones), plus duplicate keys resolved by `updated_at` or by file
order. See `_customer_faults`, `_order_faults`, `_ticket_faults` and
`_survey_faults` for the exact list.

The bundled demo set is
`python -m cs_analytics.generate --out data/demo --scale S --seed 42 --bad-rows`.
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

DAY = 86_400
HOUR = 3_600
# Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving).
LOCAL_UTC_OFFSET = 7 * HOUR
# Share of rows per kind of bad row in the large sets (the demo gets one each).
BAD_ROW_RATE = 1e-4
DEMO_ARGS = ("--out", "data/demo", "--scale", "S", "--seed", "42", "--bad-rows")

TABLES = ("customers", "orders", "tickets", "survey_responses", "agents")
COLUMNS: dict[str, tuple[str, ...]] = {
    "customers": (
        "customer_id",
        "signed_up_at",
        "full_name",
        "email",
        "phone",
        "city",
        "acquisition_channel",
        "updated_at",
    ),
    "orders": (
        "order_id",
        "customer_id",
        "ordered_at",
        "status",
        "amount",
        "cancel_reason",
        "updated_at",
    ),
    "tickets": (
        "ticket_id",
        "customer_id",
        "agent_id",
        "channel",
        "category",
        "priority",
        "created_at",
        "first_response_at",
        "resolved_at",
        "contact_count",
        "reopen_count",
        "wait_seconds",
        "updated_at",
    ),
    "survey_responses": (
        "response_id",
        "survey_type",
        "customer_id",
        "ticket_id",
        "score",
        "submitted_at",
        "comment",
    ),
    "agents": ("agent_id", "agent_name", "team"),
}
KEYS = {
    "customers": "customer_id",
    "orders": "order_id",
    "tickets": "ticket_id",
    "survey_responses": "response_id",
    "agents": "agent_id",
}
# Prefix and zero-padded width of the generated ids.
ID_FORMAT = {
    "customers": ("C", 7),
    "orders": ("O", 8),
    "tickets": ("T", 7),
    "survey_responses": ("R", 7),
    "agents": ("A", 4),
}


@dataclass(frozen=True)
class Scale:
    """Row counts and time span of one preset."""

    name: str
    customers: int
    orders: int
    tickets: int
    survey_responses: int
    agents: int
    years: int
    start: date
    file_format: str


SCALES = {
    "S": Scale("S", 1_500, 4_000, 1_500, 1_500, 20, 2, date(2024, 1, 1), "csv"),
    "M": Scale("M", 100_000, 1_000_000, 300_000, 300_000, 150, 3, date(2023, 1, 1), "parquet"),
    "L": Scale(
        "L",
        1_000_000,
        10_000_000,
        3_000_000,
        2_000_000,
        1_000,
        3,
        date(2023, 1, 1),
        "parquet",
    ),
}


@dataclass(frozen=True)
class Window:
    """The generated period, in local wall-clock seconds since 1970-01-01 00:00."""

    start: int
    end: int  # exclusive

    @property
    def days(self) -> int:
        return (self.end - self.start) // DAY


def make_window(start: date, years: int) -> Window:
    try:
        end = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        end = date(start.year + years, 3, 1)
    epoch = date(1970, 1, 1)
    return Window((start - epoch).days * DAY, (end - epoch).days * DAY)


# --------------------------------------------------------------------------
# Vocabularies
# --------------------------------------------------------------------------

FAMILY_NAMES = (
    ("Nguyễn", 38),
    ("Trần", 11),
    ("Lê", 9.5),
    ("Phạm", 7),
    ("Hoàng", 4),
    ("Huỳnh", 2),
    ("Phan", 4.5),
    ("Vũ", 3),
    ("Võ", 2),
    ("Đặng", 2),
    ("Bùi", 2),
    ("Đỗ", 1.4),
    ("Hồ", 1.3),
    ("Ngô", 1.3),
    ("Dương", 1),
    ("Lý", 0.5),
    ("Đinh", 0.7),
    ("Trương", 0.8),
    ("Lâm", 0.5),
    ("Mai", 0.5),
)
MIDDLE_NAMES = (
    ("Văn", "Hữu", "Đức", "Minh", "Quốc", "Thành", "Công", "Gia", "Hoàng", "Anh"),
    ("Thị", "Ngọc", "Thu", "Thanh", "Mai", "Kim", "Thùy", "Phương", "Bảo", "Hồng"),
)
GIVEN_NAMES = (
    (
        "An",
        "Bình",
        "Cường",
        "Dũng",
        "Đạt",
        "Hải",
        "Hiếu",
        "Hoàng",
        "Hùng",
        "Huy",
        "Khánh",
        "Khoa",
        "Long",
        "Minh",
        "Nam",
        "Nghĩa",
        "Phong",
        "Phúc",
        "Quân",
        "Quang",
        "Sơn",
        "Tài",
        "Thắng",
        "Thịnh",
        "Trung",
        "Tuấn",
        "Tùng",
        "Việt",
        "Vinh",
        "Vũ",
    ),
    (
        "An",
        "Anh",
        "Bình",
        "Chi",
        "Dung",
        "Giang",
        "Hà",
        "Hằng",
        "Hạnh",
        "Hoa",
        "Hương",
        "Huyền",
        "Lan",
        "Linh",
        "Loan",
        "Mai",
        "My",
        "Nga",
        "Ngân",
        "Nhung",
        "Oanh",
        "Phương",
        "Quỳnh",
        "Tâm",
        "Thảo",
        "Thủy",
        "Trang",
        "Uyên",
        "Vy",
        "Yến",
    ),
)
EMAIL_DOMAINS = (
    ("gmail.com", 70),
    ("yahoo.com", 8),
    ("outlook.com", 6),
    ("icloud.com", 5),
    ("fpt.vn", 3),
    ("hotmail.com", 4),
    ("vnn.vn", 2),
    ("viettel.vn", 2),
)
MOBILE_PREFIXES = (
    "90",
    "91",
    "93",
    "94",
    "96",
    "97",
    "98",
    "32",
    "33",
    "34",
    "35",
    "36",
    "37",
    "38",
    "39",
    "70",
    "76",
    "77",
    "78",
    "79",
    "81",
    "82",
    "83",
    "84",
    "85",
    "86",
    "88",
    "89",
)
CITIES = (
    ("TP. Hồ Chí Minh", 30),
    ("Hà Nội", 25),
    ("Đà Nẵng", 8),
    ("Hải Phòng", 6),
    ("Cần Thơ", 5),
    ("Biên Hòa", 4),
    ("Nha Trang", 3),
    ("Huế", 3),
    ("Vũng Tàu", 2),
    ("Buôn Ma Thuột", 2),
    ("Quy Nhơn", 2),
    ("Hạ Long", 2),
    ("Bắc Ninh", 2),
    ("Thủ Dầu Một", 2),
    ("Vinh", 2),
    ("Đà Lạt", 2),
    (" Hà Nội ", 0.3),
    ("TP. Hồ Chí Minh ", 0.3),
    (None, 6),
)
ACQUISITION_CHANNELS = (
    ("Facebook", 15),
    ("facebook", 10),
    ("zalo", 10),
    ("Zalo", 5),
    ("ZALO", 1),
    ("google", 12),
    ("Google", 5),
    (" google ", 0.5),
    ("tiktok", 8),
    ("TikTok", 4),
    ("referral", 6),
    ("Referral", 2),
    (None, 18),
)
# Order status: (canonical status, its share, raw spellings with weights).
ORDER_STATUSES = (
    (
        "completed",
        0.80,
        (
            ("completed", 40),
            ("Completed", 10),
            ("delivered", 20),
            ("Delivered", 10),
            ("DELIVERED", 2),
            ("paid", 10),
            (" paid ", 3),
            ("complete", 5),
        ),
    ),
    (
        "cancelled",
        0.09,
        (
            ("cancelled", 50),
            ("Cancelled", 20),
            ("canceled", 25),
            ("CANCELLED", 5),
        ),
    ),
    (
        "returned",
        0.05,
        (
            ("returned", 45),
            ("Returned", 15),
            ("refunded", 30),
            ("Refunded", 10),
        ),
    ),
    (
        "pending",
        0.06,
        (
            ("pending", 35),
            ("Pending", 10),
            ("processing", 20),
            ("shipped", 25),
            ("Shipped", 10),
        ),
    ),
)
CANCEL_REASONS = (
    ("đổi ý", 20),
    ("đặt nhầm sản phẩm", 15),
    ("giao hàng quá lâu", 20),
    ("tìm được giá rẻ hơn", 15),
    ("muốn đổi địa chỉ, số điện thoại nhận hàng", 10),
    ("thanh toán không thành công", 10),
    (None, 10),
)
RETURN_REASONS = (
    ("hàng lỗi", 25),
    ("sai kích thước", 15),
    ("không giống mô tả", 15),
    ("hàng bị vỡ, móp méo khi nhận", 15),
    ('sản phẩm ghi "chính hãng" nhưng bị lỗi', 5),
    ("giao sai màu", 10),
    (None, 15),
)
# Ticket channels: (canonical, share, raw spellings, median first response s).
CHANNELS = (
    ("phone", 25, (("phone", 80), ("Phone", 15), ("PHONE", 5)), 45),
    ("email", 20, (("email", 80), ("Email", 15), ("EMAIL", 5)), 4 * HOUR),
    ("chat", 25, (("chat", 85), ("Chat", 15)), 60),
    ("zalo", 15, (("zalo", 70), ("Zalo", 30)), 15 * 60),
    ("facebook", 10, (("facebook", 70), ("Facebook", 30)), 25 * 60),
    ("web", 3, (("web", 80), ("Web", 20)), 2 * HOUR),
    ("unknown", 2, ((None, 1),), HOUR),
)
QUEUED_CHANNELS = ("phone", "chat")
CATEGORIES = (
    ("giao hàng", 28),
    ("thanh toán", 14),
    ("đổi trả", 16),
    ("tài khoản", 8),
    ("sản phẩm", 14),
    ("khuyến mãi", 7),
    ("hoàn tiền", 8),
    (None, 5),
)
# Priorities: (canonical, raw spellings, first-response factor, resolution median h).
PRIORITIES = (
    ("low", (("low", 12), ("Low", 3)), 1.5, 30.0),
    (
        "normal",
        (
            ("normal", 45),
            ("Normal", 5),
            (" normal ", 1),
            (None, 5),
            ("medium", 1.5),
            ("P1", 0.5),
        ),
        1.0,
        14.0,
    ),
    ("high", (("high", 15), ("High", 4), (" HIGH ", 1)), 0.6, 5.0),
    ("urgent", (("urgent", 5), ("Urgent", 2), ("URGENT", 1)), 0.3, 2.0),
)
TEAMS = (
    ("CSKH Hà Nội", 30),
    ("CSKH TP.HCM", 35),
    ("Đổi trả & Hoàn tiền", 15),
    ("Khách hàng VIP", 8),
    ("Mạng xã hội", 12),
    (None, 10),
)
SURVEY_TYPES = (
    (("nps", 70), ("NPS", 25), (" Nps ", 5)),
    (("csat", 70), ("CSAT", 25), ("Csat", 5)),
)
NPS_SCORE_WEIGHTS = (2, 2, 2, 3, 3, 6, 7, 12, 18, 23, 22)  # scores 0..10
CSAT_SCORE_WEIGHTS = {  # scores 1..5, by ticket experience
    "good": (3, 5, 12, 38, 42),
    "bad": (18, 22, 25, 22, 13),
}
COMMENTS = (
    (  # negative
        "Chờ lâu quá, gọi 3 lần mới gặp được nhân viên",
        "Không hài lòng",
        'Nhân viên hứa "sẽ gọi lại" nhưng không gọi',
        "Hàng lỗi, đổi trả mất 2 tuần",
        "Tổng đài khó liên lạc; chat bot trả lời không đúng ý",
        "Thất vọng, sẽ không mua nữa",
    ),
    (  # neutral
        "Bình thường",
        "Tạm được, cần cải thiện thời gian phản hồi",
        'Ổn, nhưng app hay báo "lỗi hệ thống"',
        "Giao hàng hơi chậm",
    ),
    (  # positive
        "Nhân viên rất nhiệt tình, giải quyết nhanh",
        "Hài lòng với dịch vụ",
        'Giao hàng "siêu tốc", đóng gói cẩn thận',
        "Sẽ giới thiệu cho bạn bè",
        "Tư vấn dễ hiểu, cảm ơn shop!",
        "Rất tốt",
    ),
)
ORDER_HOURS = (1, 0.5, 0.3, 0.2, 0.2, 0.4, 1, 2, 3, 4, 5, 6, 6, 5, 5, 5, 5, 5, 6, 7, 8, 8, 6, 3)
TICKET_HOURS = (
    0.3,
    0.2,
    0.1,
    0.1,
    0.1,
    0.2,
    0.5,
    2,
    5,
    7,
    8,
    8,
    6,
    7,
    8,
    8,
    7,
    6,
    5,
    5,
    5,
    4,
    2,
    1,
)


# --------------------------------------------------------------------------
# Vectorised helpers
# --------------------------------------------------------------------------


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


# --------------------------------------------------------------------------
# Purchases and customers
# --------------------------------------------------------------------------


@dataclass(frozen=True)
class Purchases:
    """Customer universe and their orders.

    Universe indices 0..n_file-1 are customers of the customers file, the
    following n_late ones only appear in orders (late-arriving customers).
    """

    n_file: int
    n_late: int
    counts: np.ndarray  # orders per universe customer
    first_order: np.ndarray  # local seconds of the first order, -1 without
    customer: np.ndarray  # universe index per order, orders sorted by time
    ordered: np.ndarray  # local seconds per order, ascending


def _order_counts(rng: np.random.Generator, scale: Scale, n_late: int) -> np.ndarray:
    """Orders per customer: prospects (0), one-time buyers (1), repeat buyers."""
    kind = rng.random(scale.customers)
    one_time = (kind >= 0.15) & (kind < 0.50)
    repeat = kind >= 0.50
    file_counts = one_time.astype(np.int64)
    late_counts = 1 + rng.binomial(2, 0.3, n_late)
    extra = scale.orders - file_counts.sum() - late_counts.sum() - 2 * repeat.sum()
    if extra < 0:
        raise ValueError(f"scale {scale.name}: too few orders for its customers")
    weights = rng.gamma(0.6, size=int(repeat.sum()))
    file_counts[repeat] = 2 + rng.multinomial(extra, weights / weights.sum())
    return np.concatenate([file_counts, late_counts])


def _purchase_days(
    rng: np.random.Generator, counts: np.ndarray, n_file: int, days: int
) -> np.ndarray:
    """Day offsets (float) of every order, grouped by customer, ascending."""
    n_orders = int(counts.sum())
    customer = np.repeat(np.arange(len(counts)), counts)
    starts = np.cumsum(counts) - counts
    buyers = np.flatnonzero(counts > 0)
    mean_gap = 0.6 * days / np.maximum(counts, 1) * rng.lognormal(0.0, 0.5, len(counts))
    gaps = rng.exponential(1.0, n_orders) * mean_gap[customer]
    # Churn then reactivation: a dormant spell longer than the 90-day window.
    dormant = np.flatnonzero((counts >= 3) & (rng.random(len(counts)) < 0.25))
    spell_at = starts[dormant] + 1 + (rng.random(dormant.size) * (counts[dormant] - 1))
    gaps[spell_at.astype(np.int64)] = rng.uniform(100, 300, dormant.size)
    gaps[starts[buyers]] = 0.0
    within = np.cumsum(gaps)
    within -= np.repeat(within[starts[buyers]], counts[buyers])
    length = np.zeros(len(counts))
    length[buyers] = within[starts[buyers] + counts[buyers] - 1]
    # Late-arriving customers first bought in the last 90 days.
    limit = np.where(np.arange(len(counts)) < n_file, 0.97 * days, 85.0)
    shrink = np.where(length > limit, limit / np.maximum(length, 1e-9), 1.0)
    within *= shrink[customer]
    length *= shrink
    base = np.where(np.arange(len(counts)) < n_file, 0.0, days - 90.0)
    first = base + rng.random(len(counts)) * (limit - length)
    return first[customer] + within


def plan_purchases(rng: np.random.Generator, scale: Scale, window: Window) -> Purchases:
    n_late = max(1, round(scale.customers * 0.01))
    counts = _order_counts(rng, scale, n_late)
    days = _purchase_days(rng, counts, scale.customers, window.days)
    day = np.clip(np.floor(days).astype(np.int64), 0, window.days - 1)
    secs = window.start + day * DAY + clock(rng, len(day), ORDER_HOURS)
    customer = np.repeat(np.arange(len(counts)), counts)
    first_order = np.full(len(counts), -1, dtype=np.int64)
    first_order[counts > 0] = secs[(np.cumsum(counts) - counts)[counts > 0]]
    by_time = np.argsort(secs, kind="stable")
    return Purchases(scale.customers, n_late, counts, first_order, customer[by_time], secs[by_time])


@dataclass(frozen=True)
class Built:
    """A generated table and numeric helpers aligned with its rows."""

    table: pa.Table
    aux: dict[str, np.ndarray]


def _emails(rng: np.random.Generator, names: Names) -> pa.Array:
    n = len(names.full_name)
    number = texts(rng.integers(1, 10_000, n))
    domain = pick(rng, EMAIL_DOMAINS, n)
    local = pc.binary_join_element_wise(names.given_ascii, names.family_ascii, ".")
    address = pc.binary_join_element_wise(local, number, "@", domain, "")
    return null_where(address, rng.random(n) < 0.07)


def _phones(rng: np.random.Generator, n: int) -> pa.Array:
    prefix = pa.array(MOBILE_PREFIXES).take(rng.integers(0, len(MOBILE_PREFIXES), n))
    line = pc.utf8_lpad(texts(rng.integers(0, 10_000_000, n)), 7, "0")
    national = np.where(rng.random(n) < 0.15, "+84", "0")
    phone = pc.binary_join_element_wise(pa.array(national), prefix, line, "")
    return null_where(phone, rng.random(n) < 0.08)


def customer_numbers(
    rng: np.random.Generator, purchases: Purchases, window: Window
) -> tuple[np.ndarray, np.ndarray]:
    """Sign-up instants of the file customers and their id numbers (sign-up order)."""
    n = purchases.n_file
    first = purchases.first_order[:n]
    before_first = first - (rng.lognormal(np.log(7.0), 1.2, n) * DAY).astype(np.int64)
    anytime = (
        window.start
        - 180 * DAY
        + (rng.random(n) * (window.end - window.start + 180 * DAY)).astype(np.int64)
    )
    signup = np.where(first >= 0, before_first, anytime)
    numbers = np.empty(n, dtype=np.int64)
    numbers[np.argsort(signup, kind="stable")] = np.arange(1, n + 1)
    return signup, numbers


def build_customers(
    rng: np.random.Generator, signup: np.ndarray, numbers: np.ndarray, window: Window
) -> Built:
    order = np.argsort(numbers, kind="stable")
    signup = signup[order]
    n = len(signup)
    names = vietnamese_names(rng, n)
    updated = np.minimum(
        np.maximum(signup, window.start) + (rng.random(n) * 300 * DAY).astype(np.int64),
        window.end - 1,
    )
    table = pa.table(
        {
            "customer_id": ids("C", numbers[order], ID_FORMAT["customers"][1]),
            "signed_up_at": format_ts(rng, signup, SIGN_UP, null=rng.random(n) < 0.03),
            "full_name": null_where(names.full_name, rng.random(n) < 0.01),
            "email": _emails(rng, names),
            "phone": _phones(rng, n),
            "city": pick(rng, CITIES, n),
            "acquisition_channel": pick(rng, ACQUISITION_CHANNELS, n),
            "updated_at": format_ts(rng, updated, EVENT_LATER),
        }
    )
    return Built(table, {"updated": updated})


# --------------------------------------------------------------------------
# Orders
# --------------------------------------------------------------------------


def _order_status(rng: np.random.Generator, ordered: np.ndarray, window: Window) -> np.ndarray:
    """Canonical status index per order (index into ORDER_STATUSES)."""
    shares = [share for _, share, _ in ORDER_STATUSES]
    status = pick_index(rng, shares[:3], len(ordered))
    recent = ordered >= window.end - 14 * DAY
    pending = rng.random(len(ordered)) < np.where(recent, 0.5, shares[3])
    status[pending] = 3
    return status


def _amounts(rng: np.random.Generator, customer: np.ndarray, n_customers: int) -> np.ndarray:
    spend = rng.lognormal(0.0, 0.4, n_customers)[customer]
    amount = rng.lognormal(np.log(280_000), 0.8, len(customer)) * spend
    amount = np.maximum(np.round(amount / 1_000) * 1_000, 10_000).astype(np.int64)
    amount[rng.random(len(customer)) < 0.002] = 0  # fully paid by voucher
    return amount


def _reasons(rng: np.random.Generator, status: np.ndarray) -> pa.Array:
    """Cancel reasons for cancelled and returned orders only."""
    no_reason = ((None, 1.0),)
    return pick_within(rng, status, [no_reason, CANCEL_REASONS, RETURN_REASONS, no_reason])


def build_orders(
    rng: np.random.Generator,
    purchases: Purchases,
    customer_ids: pa.Array,
    window: Window,
) -> Built:
    ordered = purchases.ordered
    n = len(ordered)
    status = _order_status(rng, ordered, window)
    settle_days = np.array([3.0, 0.3, 12.0, 0.2])[status]
    updated = ordered + (rng.exponential(1.0, n) * settle_days * DAY).astype(np.int64) + 60
    updated = np.minimum(updated, window.end - 1)
    table = pa.table(
        {
            "order_id": ids("O", np.arange(1, n + 1), ID_FORMAT["orders"][1]),
            "customer_id": pad_some(rng, customer_ids.take(purchases.customer), 0.003),
            "ordered_at": format_ts(rng, ordered, EVENT_START),
            "status": pick_within(rng, status, [s for _, _, s in ORDER_STATUSES]),
            "amount": texts(_amounts(rng, purchases.customer, len(purchases.counts))),
            "cancel_reason": _reasons(rng, status),
            "updated_at": format_ts(rng, updated, EVENT_LATER),
        }
    )
    return Built(table, {"ordered": ordered, "updated": updated, "status": status})


# --------------------------------------------------------------------------
# Agents, tickets and surveys
# --------------------------------------------------------------------------


def build_agents(rng: np.random.Generator, n: int) -> Built:
    names = vietnamese_names(rng, n)
    table = pa.table(
        {
            "agent_id": ids("A", np.arange(1, n + 1), ID_FORMAT["agents"][1]),
            "agent_name": names.full_name,
            "team": pick(rng, TEAMS, n),
        }
    )
    return Built(table, {})


@dataclass(frozen=True)
class TicketPlan:
    customer_ids: pa.Array
    created: np.ndarray


def _ticket_origins(
    rng: np.random.Generator,
    n: int,
    customer_ids: pa.Array,
    purchases: Purchases,
    window: Window,
) -> TicketPlan:
    """Who opened each ticket and when.

    75% follow an order, 12% come from any customer of the file (prospects
    included), 8% from an unknown person and 5% from ids absent from the
    customers file.
    """
    origin = pick_index(rng, (75, 12, 8, 5), n)
    created = window.start + (rng.random(n) * window.days).astype(np.int64) * DAY
    created += clock(rng, n, TICKET_HOURS)
    who = rng.integers(0, purchases.n_file, n)
    linked = np.flatnonzero(origin == 0)
    order = rng.integers(0, len(purchases.ordered), linked.size)
    after = purchases.ordered[order] + (rng.lognormal(np.log(2 * DAY), 1.0, linked.size)).astype(
        np.int64
    )
    too_late = after >= window.end
    after[too_late] = purchases.ordered[order][too_late] + (
        rng.random(too_late.sum()) * (window.end - purchases.ordered[order][too_late])
    ).astype(np.int64)
    created[linked] = after
    who[linked] = purchases.customer[order]
    unknown_block = len(purchases.counts) + 1
    strangers = unknown_block + rng.integers(0, max(10, n // 50), n)
    known = customer_ids.take(who)
    stranger_ids = ids("C", strangers, ID_FORMAT["customers"][1])
    who_ids = null_where(pc.if_else(pa.array(origin == 3), stranger_ids, known), origin == 2)
    return TicketPlan(pad_some(rng, who_ids, 0.003), created)


def _counts(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    contact = np.where(rng.random(n) < 0.72, 1, 1 + rng.geometric(0.55, n))
    contact = np.minimum(contact, 9)
    reopen = pick_index(rng, (90, 8, 2), n)
    return contact, reopen


def _first_responses(
    rng: np.random.Generator, channel: np.ndarray, priority: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """First response delay and queue wait in seconds (wait -1 where absent)."""
    n = len(channel)
    median = np.array([c[3] for c in CHANNELS], dtype=float)[channel]
    factor = np.array([p[2] for p in PRIORITIES])[priority]
    delay = median * factor * rng.lognormal(0.0, 1.0, n)
    queued = np.isin(channel, [i for i, c in enumerate(CHANNELS) if c[0] in QUEUED_CHANNELS])
    wait = np.round(rng.lognormal(np.log(40.0), 0.9, n)).astype(np.int64)
    delay = np.where(queued, wait + 5 + rng.lognormal(np.log(20.0), 0.5, n), delay)
    wait = np.where(queued & (rng.random(n) > 0.02), wait, -1)
    return np.maximum(delay, 30).astype(np.int64), wait


def _ticket_times(
    rng: np.random.Generator,
    created: np.ndarray,
    channel: np.ndarray,
    priority: np.ndarray,
    window: Window,
) -> dict[str, np.ndarray]:
    n = len(created)
    delay, wait = _first_responses(rng, channel, priority)
    first = created + delay
    answered = (rng.random(n) > 0.03) & (first < window.end)
    contact, reopen = _counts(rng, n)
    median_h = np.array([p[3] for p in PRIORITIES])[priority]
    work = median_h * HOUR * rng.lognormal(0.0, 1.0, n)
    work *= (1 + 0.8 * (contact - 1)) * (1 + 1.5 * reopen)
    resolved = first + work.astype(np.int64)
    is_resolved = answered & (rng.random(n) > 0.04) & (resolved < window.end)
    # A few tickets are closed by the system without any agent reply.
    auto = ~answered & (rng.random(n) < 0.1)
    auto_at = created + (rng.lognormal(np.log(3 * DAY), 0.5, n)).astype(np.int64)
    auto &= auto_at < window.end
    resolved = np.where(auto, auto_at, resolved)
    is_resolved |= auto
    first = np.where(answered, first, -1)
    resolved = np.where(is_resolved, resolved, -1)
    last = np.maximum(np.maximum(created, first), resolved)
    updated = np.minimum(last + rng.integers(60, HOUR, n), window.end - 1)
    return {
        "created": created,
        "first_response": first,
        "resolved": resolved,
        "contact": contact,
        "reopen": reopen,
        "wait": wait,
        "updated": updated,
    }


def _agent_ids(rng: np.random.Generator, n: int, n_agents: int, assigned: np.ndarray) -> pa.Array:
    workload = rng.gamma(4.0, size=n_agents)
    agent = pick_index(rng, workload, n) + 1
    former = rng.random(n) < 0.005  # agents who left: absent from agents
    agent = np.where(former, n_agents + 1 + rng.integers(0, 2, n), agent)
    return null_where(ids("A", agent, ID_FORMAT["agents"][1]), ~assigned)


def _optional_ints(values: np.ndarray, null: np.ndarray) -> pa.Array:
    return null_where(texts(values), null)


def build_tickets(
    rng: np.random.Generator,
    scale: Scale,
    customer_ids: pa.Array,
    purchases: Purchases,
    window: Window,
) -> Built:
    n = scale.tickets
    origins = _ticket_origins(rng, n, customer_ids, purchases, window)
    by_time = np.argsort(origins.created, kind="stable")
    created = origins.created[by_time]
    channel = pick_index(rng, [c[1] for c in CHANNELS], n)
    raw_priority = [p[1] for p in PRIORITIES]
    priority = pick_index(rng, [sum(w for _, w in p) for p in raw_priority], n)
    times = _ticket_times(rng, created, channel, priority, window)
    answered = times["first_response"] >= 0
    assigned = np.where(answered, rng.random(n) < 0.97, rng.random(n) < 0.35)
    table = pa.table(
        {
            "ticket_id": ids("T", np.arange(1, n + 1), ID_FORMAT["tickets"][1]),
            "customer_id": origins.customer_ids.take(by_time),
            "agent_id": _agent_ids(rng, n, scale.agents, assigned),
            "channel": pick_within(rng, channel, [c[2] for c in CHANNELS]),
            "category": _categories(rng, n),
            "priority": pick_within(rng, priority, raw_priority),
            "created_at": format_ts(rng, created, EVENT_START),
            "first_response_at": format_ts(rng, times["first_response"], EVENT_LATER, ~answered),
            "resolved_at": format_ts(rng, times["resolved"], EVENT_LATER, times["resolved"] < 0),
            "contact_count": _optional_ints(times["contact"], rng.random(n) < 0.03),
            "reopen_count": _optional_ints(times["reopen"], rng.random(n) < 0.05),
            "wait_seconds": _optional_ints(times["wait"], times["wait"] < 0),
            "updated_at": format_ts(rng, times["updated"], EVENT_LATER),
        }
    )
    return Built(table, times)


def _categories(rng: np.random.Generator, n: int) -> pa.Array:
    spelled = [
        ((c, 80), (c.capitalize(), 15), (c.upper(), 5)) if c else ((None, 1),)
        for c, _ in CATEGORIES
    ]
    category = pick_index(rng, [w for _, w in CATEGORIES], n)
    return pick_within(rng, category, spelled)


def _comments(rng: np.random.Generator, sentiment: np.ndarray) -> pa.Array:
    flat = [text for pool in COMMENTS for text in pool]
    sizes = np.array([len(pool) for pool in COMMENTS])
    offsets = np.cumsum(sizes) - sizes
    n = len(sentiment)
    index = offsets[sentiment] + (rng.random(n) * sizes[sentiment]).astype(np.int64)
    has = rng.random(n) < np.array([0.45, 0.25, 0.25])[sentiment]
    return null_where(pa.array(flat, pa.string()).take(index), ~has)


def _after(
    rng: np.random.Generator, start: np.ndarray, median: float, window: Window
) -> np.ndarray:
    """A moment after start (lognormal delay), folded back before the window's end."""
    at = start + (rng.lognormal(np.log(median), 1.0, len(start))).astype(np.int64)
    late = at >= window.end
    at[late] = start[late] + (rng.random(late.sum()) * (window.end - start[late])).astype(np.int64)
    return at


def _csat_scores(rng: np.random.Generator, bad_experience: np.ndarray) -> np.ndarray:
    good = pick_index(rng, CSAT_SCORE_WEIGHTS["good"], len(bad_experience)) + 1
    bad = pick_index(rng, CSAT_SCORE_WEIGHTS["bad"], len(bad_experience)) + 1
    return np.where(bad_experience, bad, good)


def _survey_subjects(
    rng: np.random.Generator,
    n: int,
    tickets: Built,
    orders: Built,
    window: Window,
) -> dict[str, np.ndarray]:
    """Type, subject (ticket row or order row), moment and score of each response.

    Half are CSAT, 90% of them about a resolved ticket (at most one response
    per ticket), the rest after an order; NPS responses follow an order.
    """
    is_csat = rng.random(n) < 0.5
    resolved = np.flatnonzero(tickets.aux["resolved"] >= 0)
    want = np.flatnonzero(is_csat & (rng.random(n) < 0.9))
    about = want[: resolved.size]
    ticket_row = np.full(n, -1, dtype=np.int64)
    ticket_row[about] = rng.choice(resolved, about.size, replace=False)
    order_row = rng.integers(0, orders.table.num_rows, n)
    order_at = orders.aux["ordered"][order_row]
    submitted = _after(rng, order_at, 10 * DAY, window)
    resolved_at = tickets.aux["resolved"][ticket_row[about]]
    submitted[about] = _after(rng, resolved_at, 2 * HOUR, window)
    t = tickets.aux
    slow = (t["resolved"] - t["created"]) > 48 * HOUR
    bad = (t["reopen"] > 0) | (t["contact"] > 2) | slow
    bad_experience = np.where(ticket_row >= 0, bad[ticket_row], rng.random(n) < 0.15)
    score = np.where(
        is_csat,
        _csat_scores(rng, bad_experience),
        pick_index(rng, NPS_SCORE_WEIGHTS, n),
    )
    return {
        "is_csat": is_csat,
        "ticket_row": ticket_row,
        "order_row": order_row,
        "submitted": submitted,
        "score": score,
    }


def _sentiment(is_csat: np.ndarray, score: np.ndarray) -> np.ndarray:
    csat = np.select([score >= 4, score == 3], [2, 1], 0)
    nps = np.select([score >= 9, score >= 7], [2, 1], 0)
    return np.where(is_csat, csat, nps)


def build_surveys(
    rng: np.random.Generator, n: int, tickets: Built, orders: Built, window: Window
) -> Built:
    s = _survey_subjects(rng, n, tickets, orders, window)
    by_time = np.argsort(s["submitted"], kind="stable")
    s = {key: value[by_time] for key, value in s.items()}
    has_ticket = s["ticket_row"] >= 0
    ticket_ids = null_where(
        tickets.table["ticket_id"].combine_chunks().take(np.maximum(s["ticket_row"], 0)),
        ~has_ticket,
    )
    about_ticket = (
        tickets.table["customer_id"].combine_chunks().take(np.maximum(s["ticket_row"], 0))
    )
    after_order = orders.table["customer_id"].combine_chunks().take(s["order_row"])
    customer = pc.if_else(pa.array(has_ticket), about_ticket, after_order)
    table = pa.table(
        {
            "response_id": ids("R", np.arange(1, n + 1), ID_FORMAT["survey_responses"][1]),
            "survey_type": pick_within(rng, s["is_csat"].astype(np.int64), SURVEY_TYPES),
            "customer_id": null_where(customer, rng.random(n) < 0.04),
            "ticket_id": ticket_ids,
            "score": texts(s["score"]),
            "submitted_at": format_ts(rng, s["submitted"], EVENT_START),
            "comment": _comments(rng, _sentiment(s["is_csat"], s["score"])),
        }
    )
    return Built(table, {"is_csat": s["is_csat"], "score": s["score"]})


# --------------------------------------------------------------------------
# Bad rows (contract section 4)
# --------------------------------------------------------------------------

Mutation = Callable[[pa.Table, dict[str, np.ndarray], np.random.Generator], pa.Table]


@dataclass(frozen=True)
class Fault:
    """One kind of bad row: copies of valid rows changed by `mutate`.

    `place` is where the copy goes: anywhere, or right before / after the row
    it copies. Copies get a fresh key unless `same_key`. Only `core` faults are
    injected in sets too small for BAD_ROW_RATE (one row each).
    """

    reason: str
    mutate: Mutation
    core: bool = True
    same_key: bool = False
    place: str = "random"
    eligible: Callable[[dict[str, np.ndarray]], np.ndarray] | None = None


def set_column(rows: pa.Table, column: str, values: str | None | pa.Array) -> pa.Table:
    if values is None or isinstance(values, str):
        values = pa.array([values] * rows.num_rows, pa.string())
    return rows.set_column(rows.schema.get_field_index(column), column, values)


def setting(**columns: str | None) -> Mutation:
    def mutate(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
        for column, value in columns.items():
            rows = set_column(rows, column, value)
        return rows

    return mutate


def later_copy(column: str, shift: int, **changes: str | None) -> Mutation:
    """A newer version of the row: `column` moved `shift` seconds later."""

    def mutate(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
        rows = set_column(rows, column, plain_ts(aux["updated"] + shift))
        return setting(**changes)(rows, aux, rng)

    return mutate


def _has_update(aux: dict[str, np.ndarray]) -> np.ndarray:
    return aux["updated"] < aux["updated"].max() - 3 * DAY


def _customer_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(customer_id=None)),
        Fault("missing_key", setting(customer_id="   ")),
        Fault("invalid_timestamp", setting(signed_up_at="2024-02-30")),
        Fault("invalid_timestamp", setting(updated_at="15/03/2025 10:00")),
        Fault("invalid_timestamp", setting(signed_up_at="2025-06-31 08:00:00"), core=False),
        Fault("invalid_timestamp", setting(updated_at="yesterday"), core=False),
        # Newer version earlier in the file: the latest updated_at wins.
        Fault(
            "duplicate_key",
            later_copy("updated_at", 3 * DAY, city="Đà Nẵng"),
            same_key=True,
            place="before",
            eligible=_has_update,
        ),
        # Same updated_at: the row further down the file wins.
        Fault(
            "duplicate_key", setting(email="khachhang.moi@gmail.com"), same_key=True, place="after"
        ),
        # A null updated_at is older than any other: the original wins.
        Fault(
            "duplicate_key", setting(updated_at=None, city="Cần Thơ"), same_key=True, place="after"
        ),
    ]


def _order_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(order_id=None)),
        Fault("missing_key", setting(order_id="  ")),
        Fault("missing_customer", setting(customer_id=None)),
        Fault("missing_customer", setting(customer_id=" ")),
        Fault("invalid_timestamp", setting(ordered_at="2025-13-45")),
        Fault("invalid_timestamp", setting(ordered_at="2025-03-01 24:00:00")),
        Fault("invalid_timestamp", setting(ordered_at=None)),
        Fault("invalid_timestamp", setting(updated_at="N/A")),
        Fault("invalid_timestamp", setting(ordered_at="yesterday"), core=False),
        Fault("invalid_status", setting(status="đã giao")),
        Fault("invalid_status", setting(status="on hold")),
        # A rejected newer version never wins: the original stays valid.
        Fault(
            "invalid_status",
            later_copy("updated_at", DAY, status="refund_requested"),
            same_key=True,
            place="after",
            eligible=_has_update,
        ),
        Fault("invalid_amount", setting(amount="1,000")),
        Fault("invalid_amount", setting(amount="NaN")),
        Fault("invalid_amount", setting(amount="-5")),
        Fault("invalid_amount", setting(amount="$12")),
        Fault("invalid_amount", setting(amount=None)),
        Fault("invalid_amount", setting(amount="inf"), core=False),
        Fault("invalid_amount", setting(amount="150.000 đ"), core=False),
        Fault(
            "duplicate_key",
            later_copy("updated_at", 2 * DAY, status="Delivered"),
            same_key=True,
            place="before",
            eligible=_has_update,
        ),
        Fault("duplicate_key", setting(amount="99000"), same_key=True, place="after"),
        Fault(
            "duplicate_key",
            setting(updated_at=None, status="cancelled"),
            same_key=True,
            place="after",
        ),
    ]


def _before_creation(column: str, shift: int, **changes: str | None) -> Mutation:
    def mutate(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
        rows = set_column(rows, column, plain_ts(aux["created"] - shift))
        return setting(**changes)(rows, aux, rng)

    return mutate


def _resolved(aux: dict[str, np.ndarray]) -> np.ndarray:
    return (aux["resolved"] >= 0) & _has_update(aux)


def _ticket_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(ticket_id="   ")),
        Fault("missing_key", setting(ticket_id=None), core=False),
        Fault("invalid_timestamp", setting(created_at="yesterday")),
        Fault("invalid_timestamp", setting(created_at=None), core=False),
        Fault("invalid_timestamp", setting(first_response_at="2025-13-45"), core=False),
        Fault("invalid_timestamp", setting(resolved_at="2025-06-01 24:00:00"), core=False),
        Fault("invalid_timestamp", setting(updated_at="31/12/2025"), core=False),
        Fault("invalid_count", setting(contact_count="4.5")),
        Fault("invalid_count", setting(contact_count="2.0")),
        Fault("invalid_count", setting(reopen_count="-1")),
        Fault("invalid_count", setting(wait_seconds="two")),
        Fault("invalid_count", setting(contact_count="0"), core=False),
        Fault("invalid_count", setting(wait_seconds="-5"), core=False),
        Fault("invalid_count", setting(contact_count="1e3"), core=False),
        Fault("response_before_creation", _before_creation("first_response_at", 1_800)),
        Fault(
            "resolved_before_creation",
            _before_creation("resolved_at", 3 * HOUR, first_response_at=None),
        ),
        # Reopened after the export of the original row: the newer one wins.
        Fault(
            "duplicate_key",
            later_copy("updated_at", 2 * DAY, reopen_count="1", contact_count="2"),
            same_key=True,
            place="before",
            eligible=_resolved,
        ),
        Fault(
            "duplicate_key", setting(priority="urgent"), same_key=True, place="after", core=False
        ),
        Fault(
            "duplicate_key",
            setting(updated_at=None, priority="low"),
            same_key=True,
            place="after",
            core=False,
        ),
    ]


def _scored(survey: str, score: str) -> Mutation:
    return setting(survey_type=survey, score=score)


def _rescored(rows: pa.Table, aux: dict[str, np.ndarray], rng: np.random.Generator) -> pa.Table:
    """A corrected answer to the same survey: a different valid score."""
    top = np.where(aux["is_csat"], 5, 10)
    low = np.where(aux["is_csat"], 1, 0)
    score = np.where(aux["score"] == top, low, aux["score"] + 1)
    return set_column(rows, "score", texts(score))


def _survey_faults() -> list[Fault]:
    return [
        Fault("missing_key", setting(response_id=None)),
        Fault("missing_key", setting(response_id="  "), core=False),
        Fault("invalid_timestamp", setting(submitted_at="2025-02-29 10:00:00")),
        Fault("invalid_timestamp", setting(submitted_at=None), core=False),
        Fault("invalid_survey_type", setting(survey_type="ces")),
        Fault("invalid_survey_type", setting(survey_type=None), core=False),
        Fault("invalid_score", _scored("nps", "11")),
        Fault("invalid_score", _scored("csat", "0")),
        Fault("invalid_score", _scored("csat", "4.5")),
        Fault("invalid_score", _scored("nps", None), core=False),
        Fault("invalid_score", _scored("nps", "-1"), core=False),
        Fault("invalid_score", _scored("NPS", "mười"), core=False),
        # No updated_at column: the row further down the file wins.
        Fault("duplicate_key", _rescored, same_key=True, place="after"),
    ]


FAULTS: dict[str, Callable[[], list[Fault]]] = {
    "customers": _customer_faults,
    "orders": _order_faults,
    "tickets": _ticket_faults,
    "survey_responses": _survey_faults,
}


def fault_count(fault: Fault, n_rows: int) -> int:
    return max(1 if fault.core else 0, round(n_rows * BAD_ROW_RATE))


def _fault_rows(
    rng: np.random.Generator,
    built: Built,
    fault: Fault,
    count: int,
    used: np.ndarray,
) -> np.ndarray:
    allowed = ~used if fault.eligible is None else (~used & fault.eligible(built.aux))
    candidates = np.flatnonzero(allowed)
    rows = np.sort(rng.choice(candidates, min(count, candidates.size), replace=False))
    used[rows] = True
    return rows


def inject_faults(
    rng: np.random.Generator, table_name: str, built: Built, first_new_key: int
) -> pa.Table:
    """The table with bad rows inserted; fresh keys are numbered from first_new_key."""
    table = built.table
    n = table.num_rows
    key = KEYS[table_name]
    prefix, width = ID_FORMAT[table_name]
    used = np.zeros(n, dtype=bool)
    pieces: list[pa.Table] = []
    positions: list[np.ndarray] = []
    next_key = first_new_key
    for fault in FAULTS[table_name]():
        rows = _fault_rows(rng, built, fault, fault_count(fault, n), used)
        copies = table.take(rows)
        if not fault.same_key:
            fresh = ids(prefix, np.arange(next_key, next_key + rows.size), width)
            copies = set_column(copies, key, fresh)
            next_key += rows.size
        copies = fault.mutate(copies, {k: v[rows] for k, v in built.aux.items()}, rng)
        pieces.append(copies)
        offset = {"before": 0, "after": 1}.get(fault.place)
        where = rng.integers(0, n + 1, rows.size) if offset is None else rows + offset
        positions.append(where)
    bad = pa.concat_tables(pieces)
    order = np.insert(np.arange(n), np.concatenate(positions), n + np.arange(bad.num_rows))
    return pa.concat_tables([table, bad]).take(order)


# --------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------


def write_table(table: pa.Table, out_dir: Path, name: str, file_format: str) -> Path:
    """Write `<name>.<format>` and remove the other format's file, if any."""
    for extension in ("csv", "parquet"):
        stale = out_dir / f"{name}.{extension}"
        if extension != file_format and stale.exists():
            stale.unlink()
    path = out_dir / f"{name}.{file_format}"
    table = table.combine_chunks()
    if file_format == "parquet":
        pq.write_table(table, path, compression="snappy")
        return path
    with duckdb.connect() as con:
        con.register("raw_rows", table)
        target = str(path).replace("'", "''")
        con.execute(f"copy raw_rows to '{target}' (format csv, header true)")
    return path


class Progress:
    """One line per table on stderr, with the elapsed time."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled
        self.started = time.perf_counter()

    def table(self, name: str, rows: int) -> None:
        if self.enabled:
            elapsed = time.perf_counter() - self.started
            print(f"  {name:<17} {rows:>12,} rows   {elapsed:7.1f} s", file=sys.stderr)


def generate(
    out_dir: Path,
    scale: Scale,
    seed: int = 42,
    file_format: str | None = None,
    bad_rows: bool = False,
    start: date | None = None,
    progress: bool = False,
) -> dict[str, int]:
    """Write the five raw tables into out_dir; returns the row count of each."""
    file_format = file_format or scale.file_format
    if file_format not in ("csv", "parquet"):
        raise ValueError(f"unknown format {file_format!r}: use csv or parquet")
    out_dir.mkdir(parents=True, exist_ok=True)
    window = make_window(start or scale.start, scale.years)
    streams = np.random.SeedSequence(seed).spawn(2 * len(TABLES))
    rng = {name: np.random.default_rng(s) for name, s in zip(TABLES, streams, strict=False)}
    fault_rng = {
        name: np.random.default_rng(s)
        for name, s in zip(TABLES, streams[len(TABLES) :], strict=True)
    }
    report = Progress(progress)
    counts: dict[str, int] = {}

    def emit(name: str, built: Built, first_new_key: int) -> None:
        table = built.table
        if bad_rows and name in FAULTS:
            table = inject_faults(fault_rng[name], name, built, first_new_key)
        write_table(table, out_dir, name, file_format)
        counts[name] = table.num_rows
        report.table(name, table.num_rows)

    purchases = plan_purchases(rng["orders"], scale, window)
    signup, numbers = customer_numbers(rng["customers"], purchases, window)
    universe = np.concatenate([numbers, scale.customers + 1 + np.arange(purchases.n_late)])
    customer_ids = ids("C", universe, ID_FORMAT["customers"][1])
    n_known = len(universe) + max(10, scale.tickets // 50) + 1
    emit("customers", build_customers(rng["customers"], signup, numbers, window), n_known + 1)
    orders = build_orders(rng["orders"], purchases, customer_ids, window)
    emit("orders", orders, scale.orders + 1)
    tickets = build_tickets(rng["tickets"], scale, customer_ids, purchases, window)
    emit("tickets", tickets, scale.tickets + 1)
    surveys = build_surveys(
        rng["survey_responses"], scale.survey_responses, tickets, orders, window
    )
    emit("survey_responses", surveys, scale.survey_responses + 1)
    emit("agents", build_agents(rng["agents"], scale.agents), scale.agents + 1)
    return counts


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m cs_analytics.generate",
        description="Generate the raw files of the customer-service warehouse.",
    )
    parser.add_argument("--out", type=Path, required=True, help="folder to write into")
    parser.add_argument("--scale", choices=sorted(SCALES), default="S")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument(
        "--format",
        dest="file_format",
        choices=("csv", "parquet"),
        help="file format (default: csv for S, parquet for M and L)",
    )
    parser.add_argument(
        "--bad-rows",
        action="store_true",
        help="inject rows breaking every rule of contract section 4",
    )
    parser.add_argument(
        "--start-date",
        type=date.fromisoformat,
        help="first day of the generated period (default per scale)",
    )
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    scale = SCALES[args.scale]
    started = time.perf_counter()
    print(f"generating scale {scale.name} into {args.out}", file=sys.stderr)
    counts = generate(
        args.out,
        scale,
        seed=args.seed,
        file_format=args.file_format,
        bad_rows=args.bad_rows,
        start=args.start_date,
        progress=True,
    )
    total = sum(counts.values())
    print(f"done: {total:,} rows in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
