# The two commands of the README. Both work on a fresh clone: they create
# .venv, install what they need into it, and are safe to run again.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: site test install install-test clean

## make site: install Briefing and spaCy's English model, then build the sample site into site/
site: install
	$(BIN)/briefing build

## make test: install Briefing with its test tools (Chromium, the HTML validator), then run every test
test: install-test
	$(BIN)/python -m pytest

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
