# Two commands do everything on a fresh machine:
#   make run    — virtualenv, install, migrate a fresh SQLite database, load the gazette's data + demo users,
#                 serve on http://127.0.0.1:8000
#   make test   — the whole suite on SQLite and on PostgreSQL (starts PostgreSQL and installs Chromium if needed)
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_TEST_URL ?= postgresql://postgres@127.0.0.1:5432/postgres
HOST ?= 127.0.0.1
PORT ?= 8000
# The suite runs on TEST_WORKERS processes (pytest-xdist; 2 = the cores of these machines). The tests that drive the
# live uvicorn server share one worker and one server (--dist loadgroup, tests/conftest.py).
TEST_WORKERS ?= 2
PYTEST := $(BIN)/pytest -q -n $(TEST_WORKERS) --dist loadgroup

.PHONY: run test test-sqlite test-postgres lint bench fuzz screenshots postgres browser clean-db

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(VENV)/.installed

run: $(VENV)/.installed
	$(BIN)/dongcheng serve --host $(HOST) --port $(PORT)

test: $(VENV)/.installed-test postgres browser lint
	@start=$$(date +%s); $(MAKE) --no-print-directory test-sqlite; rc=$$?; \
	  echo "SQLite suite: $$(( $$(date +%s) - start )) s"; exit $$rc
	@start=$$(date +%s); $(MAKE) --no-print-directory test-postgres; rc=$$?; \
	  echo "PostgreSQL suite: $$(( $$(date +%s) - start )) s"; exit $$rc

test-sqlite: $(VENV)/.installed-test
	@echo "== test suite on SQLite =="
	$(PYTEST)

test-postgres: $(VENV)/.installed-test postgres
	@echo "== test suite on PostgreSQL ($(PG_TEST_URL)) =="
	DONGCHENG_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST)

lint: $(VENV)/.installed-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports  # the import contracts in pyproject.toml: imports flow one way

# Benchmarks against the machine's own raw limits (bench/README.md); writes bench/results.json.
bench: $(VENV)/.installed-test postgres
	$(BIN)/python -m bench.run

# A longer generated-input pass on both databases: 100 examples per operation (CI runs 3) plus schemathesis' coverage
# phase (boundary values of every parameter).
FUZZ := DONGCHENG_CONTRACT_EXAMPLES=100 DONGCHENG_CONTRACT_COVERAGE=1
fuzz: $(VENV)/.installed-test postgres
	$(FUZZ) $(PYTEST) tests/api/test_contract.py
	$(FUZZ) DONGCHENG_TEST_DATABASE_URL=$(PG_TEST_URL) $(PYTEST) tests/api/test_contract.py

# The browser tests again, saving their screenshots into docs/screenshots/ (a plain test run keeps them in /tmp).
screenshots: $(VENV)/.installed-test browser
	DONGCHENG_SCREENSHOTS=$(CURDIR)/docs/screenshots $(PYTEST) -m browser tests

# PostgreSQL runs on 127.0.0.1:5432 on these machines; start the cluster if it is down.
postgres:
	@pg_isready -q -h 127.0.0.1 -p 5432 || { \
	  echo "starting PostgreSQL …"; \
	  pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql | head -n1) main start; \
	  for i in $$(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done; }
	@pg_isready -h 127.0.0.1 -p 5432

# Browser tests drive Debian's Chromium + ChromeDriver (a test tool's own browser download fails here); paper tests
# convert every export to PDF with LibreOffice and read it back with poppler (pdfinfo, pdftotext).
browser:
# fonts-noto-cjk: without a CJK font the pages (and their screenshots, and the PDFs) show empty boxes.
# fonts-arphic-ukai: the 楷体 of GB/T 9704 in the printed gazette (gazette/publish.py; Noto CJK has no 楷体).
	@command -v chromium >/dev/null && command -v chromedriver >/dev/null && fc-list :lang=zh | grep -q . \
	  && fc-list | grep -q "AR PL UKai" \
	  && command -v soffice >/dev/null && command -v pdfinfo >/dev/null || { \
	  echo "installing chromium + chromium-driver + fonts-noto-cjk + fonts-arphic-ukai + libreoffice-calc-nogui + poppler-utils …"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq \
	    chromium chromium-driver fonts-noto-cjk fonts-arphic-ukai libreoffice-calc-nogui poppler-utils >/dev/null; }

clean-db:
	rm -f var/dongcheng.db var/dongcheng.db-wal var/dongcheng.db-shm
