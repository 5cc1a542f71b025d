# Every target sets itself up: a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# The demo's own ledger, recreated by every `make run`; your trucewatch.db is never touched.
DEMO_DB ?= build/demo.db

.PHONY: run test lint bench fuzz fuzz-extract fuzz-importers clean

$(BIN)/trucewatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,scale]'
	touch $@

# Loads the Astana 2017 scenario and the demo reports into the demo's own SQLite file
# ($(DEMO_DB), made afresh each run), assesses them and prints the violations ledger.
run: $(BIN)/trucewatch
	mkdir -p $(dir $(DEMO_DB))
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/trucewatch --db sqlite:///$(DEMO_DB) init
	$(BIN)/trucewatch --db sqlite:///$(DEMO_DB) scenario load astana-2017
	$(BIN)/trucewatch --db sqlite:///$(DEMO_DB) ingest --scenario astana-2017 --demo
	$(BIN)/trucewatch --db sqlite:///$(DEMO_DB) violations --all

# Debian's Chromium, Pango and PostgreSQL with PostGIS, when missing (root or sudo);
# tests that need one that could not be installed are skipped, saying why.
test: $(BIN)/trucewatch
	scripts/debian-packages.sh
	$(BIN)/pytest

# ruff, mypy, and the import layering of docs/architecture.md (lint-imports); CI runs it.
lint: $(BIN)/trucewatch
	$(BIN)/ruff check src tests bench fuzz scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

bench: $(BIN)/trucewatch
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py  # CPU time, 3 runs a side: whole commands beside pandas, DuckDB, geopandas, shapely, PostGIS, spaCy (about 6 min on 2 idle cores)
	$(BIN)/python bench/backfill.py --articles 1000  # trucewatch backfill's stages on a 2-worker LocalCluster
	$(BIN)/python bench/import_acled.py --no-merge  # 1M ACLED rows stored; merging them: drop --no-merge (about 4 min)
	$(BIN)/python bench/dashboard.py  # the dashboard's first render over 200,000 incidents (about 2 min)

# Coverage-guided fuzzing (atheris), SECONDS_TO_FUZZ (60) each: the article reader and
# extractor, then the dataset importers (ACLED, UCDP CSV and API pages, GDELT and its
# zips, ACLED deletions; seeded from tests/fixtures/importers). New inputs go to
# fuzz/found, a crashing input to fuzz/crash-*. Not part of `make test` or CI.
fuzz: fuzz-extract fuzz-importers

fuzz-extract: $(BIN)/trucewatch
	$(BIN)/pip install --quiet atheris
	mkdir -p fuzz/found
	cd fuzz && ../$(BIN)/python fuzz_extract.py found corpus -max_total_time=$${SECONDS_TO_FUZZ:-60} -rss_limit_mb=4096

fuzz-importers: $(BIN)/trucewatch
	$(BIN)/pip install --quiet atheris
	mkdir -p fuzz/found/importers
	cd fuzz && ../$(BIN)/python fuzz_importers.py found/importers -max_total_time=$${SECONDS_TO_FUZZ:-60} -rss_limit_mb=4096 -timeout=20

clean:
	rm -rf $(VENV) $(DEMO_DB) .pytest_cache .mypy_cache .ruff_cache
