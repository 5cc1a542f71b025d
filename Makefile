# Every target sets itself up: a fresh machine needs only Python 3.11 and pip.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DB ?= sqlite:///trucewatch.db

.PHONY: run test lint bench fuzz clean

$(BIN)/trucewatch: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

# Loads the Astana 2017 scenario and the demo reports into a fresh SQLite file,
# assesses them and prints the violations ledger.
run: $(BIN)/trucewatch
	rm -f trucewatch.db
	$(BIN)/trucewatch --db $(DB) init
	$(BIN)/trucewatch --db $(DB) scenario load astana-2017
	$(BIN)/trucewatch --db $(DB) ingest --scenario astana-2017 --demo
	$(BIN)/trucewatch --db $(DB) violations --all

# Debian's Chromium, Pango and PostgreSQL with PostGIS, when missing (root or sudo);
# tests that need one that could not be installed are skipped, saying why.
test: $(BIN)/trucewatch
	scripts/debian-packages.sh
	$(BIN)/pytest

lint: $(BIN)/trucewatch
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy

bench: $(BIN)/trucewatch
	$(BIN)/pip install --quiet -e '.[dev,bench]'
	$(BIN)/python bench/run.py
	$(BIN)/python bench/import_acled.py --no-merge  # 1M ACLED rows stored; merging them: drop --no-merge (about 4 min)

# Coverage-guided fuzzing of the reader and extractor (atheris); new inputs go to
# fuzz/found, a crashing input to fuzz/crash-*.
fuzz: $(BIN)/trucewatch
	$(BIN)/pip install --quiet atheris
	mkdir -p fuzz/found
	cd fuzz && ../$(BIN)/python fuzz_extract.py found corpus -max_total_time=$${SECONDS_TO_FUZZ:-60} -rss_limit_mb=4096

clean:
	rm -rf $(VENV) trucewatch.db .pytest_cache .mypy_cache .ruff_cache
