# The two commands of the README. Both work on a fresh clone: they create
# .venv, install what they need into it, and are safe to run again.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test lint install install-test clean

## make site: install Briefing and spaCy's English model, then build the sample site into site/
site: install
	$(BIN)/briefing build

## make test: install Briefing with its test tools (Chromium, the HTML validator), then run the checks below and every test
test: lint
	$(BIN)/python -m pytest

## make lint: ruff's lint and format checks and mypy, with the project's settings only (pyproject.toml);
## all three run, so one pass shows every finding
lint: install-test
	@status=0; \
	$(BIN)/ruff check --config pyproject.toml . || status=1; \
	$(BIN)/ruff format --config pyproject.toml --check . || status=1; \
	$(BIN)/mypy --config-file pyproject.toml generator || status=1; \
	exit $$status

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	bash scripts/install-test-tools

clean:
	rm -rf site/* .briefing-cache test-artifacts
