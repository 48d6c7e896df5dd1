# Two commands set everything up on a fresh machine:
#   make run    build the warehouse from the bundled demo data (or $CS_RAW_DIR)
#   make test   run the whole test suite
# make check-raw CS_RAW_DIR=... checks a new export (staging and audit only,
# into a scratch file) before its first real build.
# Both create .venv (Python 3.11) and install the pinned dependencies when needed.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
SCALE ?= M
# dbt target of `make bench`: dev (DuckDB) or spark (Spark and DuckDB, compared).
TARGET ?= dev
# Language of `make report`: vi (default, the departments' own) or en.
REPORT_LANG ?= vi
# The headless browser of the report's test: Debian's chromium package.
CHROMIUM := /usr/bin/chromium
# The DuckDB client of `make duckdb-lts` (see there).
DUCKDB_LTS_VERSION := 1.4.5
DUCKDB_LTS_DIR := $(VENV)/duckdb-lts

# The environment defaults are cs_analytics/settings.py's; make needs this one
# as a literal (setup creates its folder), and tests/test_settings.py checks
# that it agrees.
export CS_WAREHOUSE_PATH ?= warehouse/cs_analytics.duckdb
export DBT_PROFILES_DIR ?= $(CURDIR)
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home

# Dagster loads the dbt project from its manifest; `dagster dev` parses it
# again itself (DbtProject.prepare_if_dev), `make nightly` needs it up to date.
DBT_TARGET_PATH ?= target
MANIFEST := $(DBT_TARGET_PATH)/manifest.json
DBT_SOURCES := dbt_project.yml $(shell find models macros seeds data-tests -type f 2>/dev/null)
SEMANTIC_MANIFEST := target/semantic_manifest.json

.PHONY: setup run check-raw report test browser java duckdb-lts bench holidays dev nightly manifest lint lock clean

setup: $(STAMP) profiles.yml
	@mkdir -p "$(dir $(CS_WAREHOUSE_PATH))" "$(DAGSTER_HOME)"
	@test -f "$(DAGSTER_HOME)/dagster.yaml" || cp orchestration/dagster.yaml "$(DAGSTER_HOME)/dagster.yaml"

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	@# dbt's plugin (cs_analytics.raw.dbt_plugin) and Dagster import the project from any folder.
	$(BIN)/python -c "import site, sys; open(site.getsitepackages()[0] + '/cs_analytics_project.pth', 'w').write(sys.argv[1] + '\n')" "$(CURDIR)"
	@touch $(STAMP)

profiles.yml:
	cp profiles.example.yml profiles.yml

# On Spark the raw folder's Excel workbooks are first read into the cache
# folder (dbt-spark cannot open a workbook; DuckDB's plugin reads them itself).
run: setup
	@if [ "$${CS_TARGET:-dev}" = spark ]; then $(BIN)/python -m cs_analytics.raw.workbooks; fi
	@status=0; $(BIN)/dbt build || status=$$?; \
	$(BIN)/python -m cs_analytics.warehouse.summary; \
	if [ $$status -ne 0 ]; then \
		echo "dbt build failed (see its errors above): the marts shown are those of the last good build."; \
	fi; \
	exit $$status

check-raw: setup
	$(BIN)/python -m cs_analytics.raw.preflight $(if $(CS_RAW_DIR),--raw-dir "$(CS_RAW_DIR)") $(if $(VARS_FILE),--vars-file "$(VARS_FILE)")

report: setup
	$(BIN)/python -m cs_analytics.report --lang $(REPORT_LANG)

test: setup browser java duckdb-lts
	$(BIN)/python -m pytest

# A DuckDB 1.4 client (the LTS line that BI drivers bundle), in its own folder
# beside the venv's DuckDB 2: tests/test_snapshot_compatibility.py opens the
# published snapshot with it, in a subprocess with this folder on PYTHONPATH.
duckdb-lts: $(DUCKDB_LTS_DIR)/.installed

$(DUCKDB_LTS_DIR)/.installed: $(STAMP)
	rm -rf $(DUCKDB_LTS_DIR)
	$(BIN)/python -m pip install --quiet --no-deps --target $(DUCKDB_LTS_DIR) duckdb==$(DUCKDB_LTS_VERSION)
	@touch $@

# Installs Debian's chromium for the report's browser test, only when it is missing.
browser:
	@test -x $(CHROMIUM) || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  echo "Installing Debian's chromium for the report's browser test"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium; }

# Spark (the spark target and its tests) runs on Java 17: Debian's package when missing.
java:
	@command -v java >/dev/null || { \
	  SUDO=$$( [ "$$(id -u)" -eq 0 ] || echo sudo ); \
	  echo "Installing Debian's Java 17 for the Spark target"; \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq openjdk-17-jre-headless; }

# LONG_OPEN=1: tickets open for months; BASELINE=<git ref>: also build that commit in the same
# run (the business-time cost rule, docs/performance.md).
bench: setup
	$(BIN)/python -m cs_analytics.bench --scale $(SCALE) --target $(TARGET)$(if $(FORMAT), --format $(FORMAT))$(if $(LONG_OPEN), --long-open)$(if $(BASELINE), --baseline $(BASELINE))

# The holidays seed (contract section 7) from the pinned `holidays` package:
# make holidays COUNTRY=VN YEARS=2015-2035 (then add your own closures to it).
COUNTRY ?= VN
YEARS ?= 2015-2035
holidays: setup
	$(BIN)/python -m cs_analytics.calendar --country $(COUNTRY) --years $(YEARS)

manifest: $(MANIFEST)

$(MANIFEST): $(STAMP) profiles.yml $(DBT_SOURCES)
	$(BIN)/dbt parse --quiet

# The venv's bin on PATH: prepare_if_dev runs the `dbt` it finds there.
dev: setup $(MANIFEST)
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/dagster dev

nightly: setup $(MANIFEST)
	$(BIN)/dagster job execute -m orchestration.definitions -j nightly_build

# ruff for Python; sqlfluff (dbt templater, .sqlfluff) for the SQL of models and
# data tests; MetricFlow's checks of the semantic layer (semantic models and
# metrics, from the semantic manifest dbt parse writes). sqlfluff and mf open
# the profile's database (mf through `dbt debug`): a throwaway DuckDB file,
# never the warehouse; --skip-dw, for that file has no tables to query.
lint: setup $(SEMANTIC_MANIFEST)
	$(BIN)/ruff check .
	@mkdir -p target/lint
	CS_WAREHOUSE_PATH=target/lint/lint.duckdb $(BIN)/sqlfluff lint models data-tests --processes 2
	CS_WAREHOUSE_PATH=target/lint/lint.duckdb $(BIN)/mf validate-configs --skip-dw

# mf reads the semantic manifest from target/ under the project, whatever
# DBT_TARGET_PATH says.
$(SEMANTIC_MANIFEST): $(STAMP) profiles.yml $(DBT_SOURCES)
	$(BIN)/dbt parse --quiet --target-path target

lock:
	$(PYTHON) -m venv /tmp/cs-analytics-lock
	/tmp/cs-analytics-lock/bin/python -m pip install --quiet -r requirements.in
	(echo "# Generated by 'make lock' from requirements.in with Python 3.11. Do not edit."; \
	 /tmp/cs-analytics-lock/bin/python -m pip freeze --exclude-editable | sort -f) > requirements.lock
	rm -rf /tmp/cs-analytics-lock

clean:
	rm -rf target logs warehouse/*.duckdb warehouse/published warehouse/gx_data_docs warehouse/alerts.jsonl
