"""The business calendar's seeds: the public holidays of seeds/holidays.csv,
written from the `holidays` package (contract section 7)."""
