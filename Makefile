# xxgk-warehouse — see README.md.  `make run` builds the warehouse from raw/, `make test` runs the tests.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

export XXGK_RAW_DIR ?= raw
export XXGK_WAREHOUSE ?= warehouse/xxgk.duckdb
export DAGSTER_HOME ?= $(CURDIR)/.dagster_home
export GX_ANALYTICS_ENABLED := False
export DO_NOT_TRACK := 1
export DBT_SEND_ANONYMOUS_USAGE_STATS := False
export PATH := $(CURDIR)/$(BIN):$(PATH)

MANIFEST := dbt_project/target/manifest.json
DBT_SOURCES := $(shell find dbt_project -path dbt_project/target -prune -o -type f \( -name '*.sql' -o -name '*.yml' -o -name '*.csv' \) -print 2>/dev/null)

.PHONY: install manifest run test lint format ui bench bench-100k bench-parse corpus clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -r requirements.lock
	$(BIN)/pip install -q --no-deps -e .
	touch $@

# The dbt manifest is prepared at build time, never parsed on import of the Dagster definitions.
manifest: $(MANIFEST)

$(MANIFEST): $(STAMP) $(DBT_SOURCES)
	cd dbt_project && ../$(BIN)/dbt parse --quiet --profiles-dir . --target-path target

$(DAGSTER_HOME)/dagster.yaml:
	mkdir -p $(DAGSTER_HOME)
	cp orchestration/dagster.yaml $@

run: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/python -m orchestration.run

test: $(STAMP) $(MANIFEST)
	$(BIN)/ruff check orchestration tests bench
	$(BIN)/ruff format --check orchestration tests bench
	$(BIN)/pytest

lint:
	$(BIN)/ruff check orchestration tests bench
	$(BIN)/ruff format --check orchestration tests bench

format:
	$(BIN)/ruff check --fix orchestration tests bench
	$(BIN)/ruff format orchestration tests bench

ui: $(STAMP) $(MANIFEST) $(DAGSTER_HOME)/dagster.yaml
	$(BIN)/dagster dev -w workspace.yaml -h 127.0.0.1 -p 3000

N ?= 1000
OUT ?= /tmp/xxgk-corpus
# A generated corpus (bench/generate.py): $(OUT)/raw to load, $(OUT)/truth/*.parquet ground truth.
corpus: $(STAMP)
	$(BIN)/python -m bench.generate $(N) $(OUT)

# Benchmark on generated 1k and 10k corpora → bench/results/bench.{md,json}; bench-100k is opt-in.
bench: $(STAMP) $(MANIFEST)
	$(BIN)/python -m bench.run_bench --sizes 1000,10000

bench-100k: $(STAMP) $(MANIFEST)
	$(BIN)/python -m bench.run_bench --sizes "" --with-100k --no-profile

bench-parse: $(STAMP)
	$(BIN)/python bench/bench_parse.py

clean:
	rm -rf warehouse .dagster_home dbt_project/target dbt_project/logs
