# genera_graph: two commands do all set-up on a fresh Debian machine (Python 3.11, root).
#   make demo   install, build the sample district into the default store, serve the explorer
#   make test   install (Python and Debian packages) and run ruff and the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= genera.sqlite

.PHONY: demo test install system-deps lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# re-install only when the packaging changes: quick the second time
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP)

# Debian packages the tests need (headless Chromium + driver, PostgreSQL server)
system-deps:
	@bash scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check .

# make test installs PostgreSQL, so the store tests must run against it, not skip
test: install system-deps lint
	GENERA_TEST_PG_REQUIRED=$${GENERA_TEST_PG_REQUIRED:-1} $(BIN)/python -m pytest

demo: install
	@bash scripts/demo.sh "$(STORE)"

bench: install
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artefacts
