"""The thresholds of the Great Expectations checks, a resource of their own module so
that the gates (and the benchmark, which times them) load without the dbt project."""

from dagster import ConfigurableResource
from pydantic import Field

from cs_analytics.raw_tables import table_names


def _default_min_rows() -> dict[str, int]:
    return {table: 1 for table in table_names()}


def _default_max_rows() -> dict[str, int]:
    return {table: 500_000_000 for table in table_names()}


class QualityGateConfig(ConfigurableResource):
    """Thresholds of the Great Expectations gates; override them in the run config
    (Launchpad: resources.quality_gates.config) or in definitions.py."""

    min_non_null_share: float = Field(
        default=0.99,
        description="Raw gate: least share of rows with a value in each required column.",
    )
    min_parseable_timestamp_share: float = Field(
        default=0.99,
        description="Raw gate: least share of present timestamps that parse (ISO 8601 or a "
        "format of the dbt var timestamp_formats).",
    )
    min_in_range_share: float = Field(
        default=0.99,
        description="Raw gate: least share of present amounts (valid with the dbt vars' "
        "separators, >= 0) and scores (NPS 0-10, CSAT 1-5) that are valid.",
    )
    min_rows: dict[str, int] = Field(
        default_factory=_default_min_rows,
        description="Raw gate: fewer rows than this in a present raw table is a WARNING "
        "(never blocking: an empty table gives empty marts).",
    )
    max_rows: dict[str, int] = Field(
        default_factory=_default_max_rows,
        description="Raw gate: largest number of rows per raw table (blocking).",
    )
    min_ratio_to_previous: float = Field(
        default=0.5,
        description="KPI check: a headline number below this share of the previous published "
        "snapshot's raises a WARNING (0.5 = a drop of more than half).",
    )
    max_ratio_to_previous: float = Field(
        default=10.0,
        description="KPI check: a headline number above this multiple of the previous "
        "snapshot's raises a WARNING.",
    )
    data_docs_keep_days: int = Field(
        default=14,
        description="Validation results older than this many days leave the Data Docs.",
    )
