"""Great Expectations 1.x, run in code: an ephemeral context per step, a pandas
data source, expectation suites built in code, and validation results kept on
disk for the Data Docs site.

The gates never hand GX a table: DuckDB computes one-row frames of metrics
(raw_gates.py, freshness.py, kpi_drift.py) and GX validates those, so a gate
costs the same at any data size. Every validation is stored under
`<warehouse>/gx_data_docs/.validation_results/` and rendered into the Data
Docs site `<warehouse>/gx_data_docs/index.html`.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from orchestration.locking import exclusive_lock

DATA_DOCS_SITE = "cs_analytics"
RESULTS_FOLDER = ".validation_results"


@dataclass(frozen=True)
class GateOutcome:
    """The result of one expectation suite on one frame."""

    suite: str
    evaluated: int
    blocking_failures: tuple[str, ...]
    warnings: tuple[str, ...]
    observed: Mapping[str, Any]

    def summary(self) -> str:
        """One sentence for the check's description."""
        failures = [*self.blocking_failures, *self.warnings]
        if not failures:
            return f"{self.suite}: all {self.evaluated} expectations met."
        return f"{self.suite}: {len(failures)} of {self.evaluated} expectations failed: " + (
            "; ".join(failures) + "."
        )


@dataclass(frozen=True)
class GateResult:
    """What one gate says about one asset, before it becomes an asset check result:
    failures that block the run, warnings that do not, and what was observed."""

    description: str
    blocking_failures: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    metadata: Mapping[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return not self.blocking_failures and not self.warnings

    @classmethod
    def refused(cls, sentence: str) -> GateResult:
        """A blocking failure described by exactly one sentence."""
        return cls(sentence, blocking_failures=(sentence,))

    @classmethod
    def from_outcome(
        cls,
        outcome: GateOutcome,
        *,
        notes: Sequence[str] = (),
        warnings: Sequence[str] = (),
        **metadata: Any,
    ) -> GateResult:
        """A GX outcome, after the notes that explain it; `warnings` are added to its own."""
        return cls(
            " ".join([*notes, outcome.summary()]),
            blocking_failures=outcome.blocking_failures,
            warnings=(*warnings, *outcome.warnings),
            metadata={"observed": dict(outcome.observed), **metadata},
        )


def to_builtin(value: Any) -> Any:
    """A plain Python value (for metadata and messages) from a numpy or DuckDB one."""
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def frame_from_metrics(metrics: Mapping[str, Any]) -> pd.DataFrame:
    """A one-row frame of numeric metrics (None becomes NaN, which GX skips)."""
    return pd.DataFrame(
        {name: [float("nan") if value is None else value] for name, value in metrics.items()}
    )


def between(
    column: str,
    min_value: float | None,
    max_value: float | None,
    meaning: str,
    *,
    warning: bool = False,
) -> Any:
    """An ExpectColumnValuesToBeBetween on a summary column, described in words."""
    import great_expectations as gx

    return gx.expectations.ExpectColumnValuesToBeBetween(
        column=column,
        min_value=min_value,
        max_value=max_value,
        description=meaning,
        severity="warning" if warning else "critical",
    )


class GreatExpectationsRunner:
    """One ephemeral GX context for a step: a pandas data source, expectation suites
    built in code, and validation results persisted for the Data Docs site."""

    def __init__(self, docs_dir: Path, run_name: str, keep_days: int = 14) -> None:
        self.docs_dir = docs_dir
        self.run_name = run_name
        self.keep_days = keep_days
        self._context: Any = None
        self._suites: list[str] = []

    @property
    def index_path(self) -> Path:
        return self.docs_dir / "index.html"

    def _get_context(self) -> Any:
        if self._context is not None:
            return self._context
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self.docs_dir.mkdir(parents=True, exist_ok=True)
        defaults = InMemoryStoreBackendDefaults()
        stores = dict(defaults.stores)
        stores[defaults.validation_results_store_name] = {
            "class_name": "ValidationResultsStore",
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(self.docs_dir / RESULTS_FOLDER),
            },
        }
        config = DataContextConfig(
            store_backend_defaults=defaults,
            stores=stores,
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
            data_docs_sites={
                DATA_DOCS_SITE: {
                    "class_name": "SiteBuilder",
                    "store_backend": {
                        "class_name": "TupleFilesystemStoreBackend",
                        "base_directory": str(self.docs_dir),
                    },
                    "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                }
            },
        )
        context = gx.get_context(mode="ephemeral", project_config=config)
        context.data_sources.add_pandas("cs_analytics_frames")
        self._context = context
        return context

    def validate(
        self, suite_name: str, frame: pd.DataFrame, expectations: Sequence[Any]
    ) -> GateOutcome:
        """Validate `frame` against `expectations` as the suite `suite_name`."""
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier
        from great_expectations.expectations.metadata_types import FailureSeverity

        context = self._get_context()
        if suite_name in self._suites:
            raise ValueError(f"The expectation suite {suite_name} was validated twice in one step.")
        self._suites.append(suite_name)
        data_source = context.data_sources.get("cs_analytics_frames")
        batch_definition = data_source.add_dataframe_asset(
            name=suite_name
        ).add_batch_definition_whole_dataframe("whole_frame")
        suite = context.suites.add(gx.ExpectationSuite(name=suite_name))
        for expectation in expectations:
            suite.add_expectation(expectation)
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=suite_name, data=batch_definition, suite=suite)
        )
        result = definition.run(
            batch_parameters={"dataframe": frame},
            result_format="SUMMARY",
            run_id=RunIdentifier(run_name=self.run_name, run_time=dt.datetime.now(dt.UTC)),
        )
        blocking: list[str] = []
        warnings: list[str] = []
        single_row = len(frame) == 1
        for item in result.results:
            if item.success:
                continue
            config = item.expectation_config
            column = config.kwargs.get("column")
            if column is not None and single_row and column in frame.columns:
                observed = to_builtin(frame[column].iloc[0])
            else:
                details = item.result.get("details") or {}
                missing = (details.get("mismatched") or {}).get("missing")
                observed = (
                    f"missing {', '.join(map(str, missing))}"
                    if missing
                    else item.result.get("observed_value") or details
                )
            if item.exception_info and item.exception_info.get("raised_exception"):
                observed = item.exception_info.get("exception_message")
            text = f"{config.description or config.type} (observed {observed})"
            if config.severity == FailureSeverity.CRITICAL:
                blocking.append(text)
            else:
                warnings.append(text)
        observed_values = (
            {name: to_builtin(frame[name].iloc[0]) for name in frame.columns}
            if single_row
            else {"rows": len(frame), "columns": list(map(str, frame.columns))}
        )
        return GateOutcome(
            suite=suite_name,
            evaluated=len(result.results),
            blocking_failures=tuple(blocking),
            warnings=tuple(warnings),
            observed=observed_values,
        )

    def build_data_docs(self) -> Path | None:
        """Render this step's validations into the Data Docs site; return index.html."""
        if self._context is None:
            return None
        from great_expectations.data_context.types.resource_identifiers import (
            ExpectationSuiteIdentifier,
        )

        context = self._context
        with exclusive_lock(self.docs_dir / ".build.lock"):
            self._prune_old_results()
            store = context.validation_results_store
            identifiers: list[Any] = [
                key
                for key in store.list_keys()
                if getattr(key.run_id, "run_name", None) == self.run_name
                and key.expectation_suite_identifier.name in self._suites
            ]
            identifiers += [ExpectationSuiteIdentifier(name=name) for name in self._suites]
            context.build_data_docs(site_names=[DATA_DOCS_SITE], resource_identifiers=identifiers)
        return self.index_path

    def _prune_old_results(self) -> None:
        """Keep `keep_days` days of validation results (and their pages)."""
        cutoff = time.time() - self.keep_days * 86400
        for folder in (self.docs_dir / RESULTS_FOLDER, self.docs_dir / "validations"):
            if not folder.is_dir():
                continue
            for path in folder.rglob("*"):
                if path.is_file() and path.suffix in {".json", ".html"}:
                    if path.stat().st_mtime < cutoff:
                        path.unlink(missing_ok=True)
            for path in sorted(folder.rglob("*"), key=lambda p: len(p.parts), reverse=True):
                if path.is_dir() and not any(path.iterdir()):
                    shutil.rmtree(path, ignore_errors=True)
