# dialoog: `make report` renders the demo report, `make test` runs the tests.
# Both create .venv with Python 3.11+ and install the project on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GEMEENTE ?= schiedam

.PHONY: help install report test lint clean-venv

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit("dialoog needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install dialoog with its test tools

report: $(STAMP) ## render the demo report for $(GEMEENTE) into reports/$(GEMEENTE)/
	$(BIN)/dialoog report $(GEMEENTE) --study .

test: $(STAMP) ## run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

clean-venv: ## remove .venv
	rm -rf $(VENV)
