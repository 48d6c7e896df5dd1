"""The former path of the project's dbt-duckdb plugin, kept so that a
profiles.yml copied before the plugin moved to `cs_analytics.raw.dbt_plugin`
stops with one sentence instead of an ImportError: this plugin registers none
of the project's SQL functions, so the macro require_duckdb_plugin
(macros/raw/raw_files.sql) refuses the build and says to copy
profiles.example.yml again."""

from dbt.adapters.duckdb.plugins import BasePlugin


class Plugin(BasePlugin):
    """Registers nothing."""
