# genera_graph: two commands do all set-up on a fresh Debian machine (Python 3.11, root).
#   make demo   install, build the sample district into the default store, serve the explorer
#   make test   install (Python and Debian packages) and run ruff and the whole suite
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
STORE  ?= genera.sqlite
# pytest-xdist workers for make test (one per core; a test file stays on one worker)
TEST_WORKERS ?= auto

.PHONY: demo test install system-deps lint bench clean messages compile-messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# re-install only when the packaging changes: quick the second time
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

install: $(STAMP) compile-messages

# gettext catalogs (genera_graph/l10n/locale/<lang>/LC_MESSAGES/genera_graph.po, in the repo)
LOCALE := genera_graph/l10n/locale
POT    := $(LOCALE)/genera_graph.pot

# extract every marked text from the code and merge it into each language's catalog
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg --no-location --sort-output --omit-header \
	    -k NP_:1c,2 -k NN_:1,2 -k NNP_:1c,2,3 --project=genera_graph -o $(POT) .
	$(BIN)/python scripts/dictionary_messages.py $(POT)
	$(BIN)/pybabel update -i $(POT) -d $(LOCALE) -D genera_graph --no-fuzzy-matching --ignore-obsolete -w 100
	@rm -f $(POT)

# compile the catalogs into .mo beside them (build products, not committed; without them the
# library compiles the .po in memory)
compile-messages: $(STAMP)
	$(BIN)/pybabel compile -d $(LOCALE) -D genera_graph --statistics

# Debian packages the tests need (headless Chromium + driver, PostgreSQL server)
system-deps:
	@bash scripts/install-system-deps.sh

lint: install
	$(BIN)/ruff check .

# make test installs PostgreSQL, so the store tests must run against it, not skip
test: install system-deps lint
	GENERA_TEST_PG_REQUIRED=$${GENERA_TEST_PG_REQUIRED:-1} $(BIN)/python -m pytest \
	    -n $(TEST_WORKERS) --dist loadfile

demo: install
	@bash scripts/demo.sh "$(STORE)"

bench: install system-deps
	@# the real temporal contact network of bench_introductions.py ships inside this package
	@# (only its data files are read: --no-deps)
	$(BIN)/python -m pip install --quiet --no-deps face2face==0.2.1a0
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache test-artefacts
	find $(LOCALE) -name '*.mo' -delete
