"""The thresholds of the Great Expectations gates, a resource of their own module so
that the gates load without the dbt project. docs/orchestration.md explains each."""

from dagster import ConfigurableResource
from pydantic import Field


class QualityGateConfig(ConfigurableResource):
    """Thresholds of the gates that compare a run with the previous published
    snapshot (the last good run); override them in the run config (Launchpad:
    resources.quality_gates.config) or in definitions.py."""

    min_rows_ratio_to_previous: float = Field(
        default=0.5,
        description="Raw gate (blocking): a raw table with fewer rows than this share of the "
        "rows the previous snapshot read stops the run before dbt (0.5 = more than half lost).",
    )
    max_rows_ratio_to_previous: float = Field(
        default=10.0,
        description="Raw gate: a raw table with more rows than this multiple of the previous "
        "snapshot's raises a WARNING.",
    )
    max_hours_behind_previous: float = Field(
        default=0.0,
        description="Freshness (blocking): the latest order, ticket or survey response of the "
        "build may be at most this many hours older than the previous snapshot's; an older "
        "export is not published (0 = the latest event may not go back at all).",
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
