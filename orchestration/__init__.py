"""Dagster orchestration of the warehouse: raw gates, dbt build and its tests, publish."""
