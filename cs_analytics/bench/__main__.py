from cs_analytics.bench.cli import main

raise SystemExit(main())
