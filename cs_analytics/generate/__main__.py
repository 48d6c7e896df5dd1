"""`python -m cs_analytics.generate --out DIR --scale S --seed 42 --bad-rows`."""

from cs_analytics.generate.cli import main

raise SystemExit(main())
