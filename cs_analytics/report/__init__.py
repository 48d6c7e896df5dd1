"""A self-contained, offline HTML report of the marts for the customer-care manager.

`python -m cs_analytics.report [--lang vi|en] [--warehouse PATH] [--out PATH]`
(or `make report`) writes warehouse/published/report/index.html.
"""

from cs_analytics.report.build import BuildResult, build_report
from cs_analytics.report.data import ReportDataError, Sources, resolve_sources

__all__ = ["BuildResult", "ReportDataError", "Sources", "build_report", "resolve_sources"]
