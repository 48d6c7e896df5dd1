"""Dagster orchestration of the warehouse: raw gates, dbt build, mart gates, publish."""
