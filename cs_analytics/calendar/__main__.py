"""`python -m cs_analytics.calendar --country VN --years 2015-2035`."""

from cs_analytics.calendar.holiday_seed import main

raise SystemExit(main())
