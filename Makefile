# Cuadra: two commands on a fresh machine.
#   make demo   create .venv, install, migrate the embedded SQLite db, load demo data, serve
#   make test   install if needed, then pytest + ruff + import-linter (DATABASE_URL selects the db)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 8000
# pytest-xdist spreads the suite over the cores (each worker has its own test database)
PYTEST_ARGS ?= -n auto

.PHONY: demo test install lint browser clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml
	$(BIN)/pip install -q -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

# Debian's Chromium for the browser tests; never a tool's own browser download.
browser:
	@command -v chromium >/dev/null 2>&1 || \
	  { (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
	    || echo "chromium could not be installed: browser tests will be skipped"; }

demo: install
	$(BIN)/cuadra init
	$(BIN)/cuadra demo
	$(BIN)/cuadra serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports

test: install browser
	$(BIN)/pytest $(PYTEST_ARGS)
	$(BIN)/ruff check .
	$(BIN)/lint-imports

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
