# The README's two commands: `make run` starts the shell, `make test` runs every test.
# Both build .venv first; the only things they need are python3 and make.

PYTHON ?= python3
VENV   := .venv
STAMP  := $(VENV)/.installed

.PHONY: run test lint bench system-deps clean

run: $(STAMP)
	@$(VENV)/bin/minishell

test: $(STAMP) system-deps
	$(VENV)/bin/python -m pytest -n 2 --dist loadfile --durations=30 tests

lint: $(STAMP)
	$(VENV)/bin/ruff check minishell graders lessons tests bench

bench: $(STAMP) system-deps
	@for b in bench/*.py; do echo "== $$b"; $(VENV)/bin/python $$b || exit 1; done

# Debian packages the tests drive for real (dash, strace, QEMU, chromium...).
system-deps:
	@bash scripts/system-deps.sh

$(STAMP): pyproject.toml
	@test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install -q --upgrade pip
	$(VENV)/bin/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

clean:
	rm -rf $(VENV) .pytest_cache
