# Two commands do everything on a fresh machine (see README.md):
#   make example   set up .venv and write the plans for the bundled example in data/
#   make test      set up .venv with the test tools and run the whole test suite
VENV ?= .venv
PY := $(VENV)/bin/python

.PHONY: example test setup

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	$(PY) -m ipykernel install --sys-prefix --name python3 >/dev/null
	touch $@

setup: $(VENV)/.installed

example: $(VENV)/.installed
	$(VENV)/bin/cgplan plan --all --dir data
	$(VENV)/bin/cgplan status --dir data

test: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	sh scripts/ensure-browser.sh
	$(PY) -m pytest
