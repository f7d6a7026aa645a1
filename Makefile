# The README's two commands: `make run` and `make test`. Both set up .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: running needs only Tipline's own dependencies; the development tools
# (ruff, mypy, pytest, Playwright, textstat...) are installed for `make test` alone.
RUN_STAMP := $(VENV)/.installed-run
DEV_STAMP := $(VENV)/.installed-dev
# The venv gets no pip of its own (ensurepip costs seconds): the interpreter's pip installs
# into it with --python, without compiling every module up front.
PIP := $(PY) -m pip --python $(BIN)/python install --quiet --disable-pip-version-check --no-compile

.PHONY: run test lint typecheck pytest clean

$(BIN)/python:
	$(PY) -m venv --without-pip $(VENV)

$(RUN_STAMP): pyproject.toml | $(BIN)/python
	$(PIP) -e .
	touch $@

$(DEV_STAMP): $(RUN_STAMP)
	$(PIP) -e '.[dev]'
	touch $@

run: $(RUN_STAMP)
	$(BIN)/tipline run

# The browser tests drive Debian's chromium (Playwright never downloads a browser here)
# and check pages with axe-core from npm. Both are installed once, only when missing.
CHROMIUM := /usr/bin/chromium
AXE := .cache/node/node_modules/axe-core/axe.min.js

$(CHROMIUM):
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

$(AXE):
	npm install --no-save --silent --no-audit --no-fund --prefix .cache/node axe-core@4

test: $(DEV_STAMP) $(CHROMIUM) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports
	$(BIN)/pytest

clean:
	rm -rf $(VENV) var .mypy_cache .pytest_cache .ruff_cache .cache test-artifacts
