"""Reading a built warehouse: DuckDB connections with the profile's limits
(`connection`), the tables of a Spark build read without Spark (`spark`), and
the summary `make run` prints (`python -m cs_analytics.warehouse.summary`)."""
