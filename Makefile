# dialoog: `make report` renders the demo report, `make test` runs the tests.
# Both create .venv with Python 3.11+ and install the project on first use.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
GEMEENTE ?= schiedam

.PHONY: help install report test lint lock clean-venv

help: ## show this help
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit("dialoog needs Python 3.11 or newer, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	@touch $(STAMP)

install: $(STAMP) ## create .venv and install dialoog with its test tools

report: $(STAMP) ## render the demo report for $(GEMEENTE) into reports/$(GEMEENTE)/
	$(BIN)/dialoog report $(GEMEENTE) --study .

test: $(STAMP) ## run the whole test suite
	$(BIN)/python -m pytest

lint: $(STAMP) ## ruff lint and format check
	$(BIN)/ruff check src tests
	$(BIN)/ruff format --check src tests

lock: $(STAMP) ## re-pin every package (constraints.txt) after changing dependencies in pyproject.toml
	$(BIN)/python -m pip install --quiet pip-tools
	$(BIN)/pip-compile --quiet --extra test --strip-extras --no-emit-index-url --no-emit-find-links \
	  --output-file constraints.txt pyproject.toml

clean-venv: ## remove .venv
	rm -rf $(VENV)
