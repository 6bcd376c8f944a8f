PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test lint bench loadtest clean messages

$(STAMP): pyproject.toml
	test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

PORT ?= 8000

run: $(STAMP)
	RONDA_DATABASE_URL=$${RONDA_DATABASE_URL:-sqlite:///ronda.db} $(BIN)/ronda serve --demo --port $(PORT)

# Tests run in TEST_WORKERS processes (pytest-xdist): each test has its own databases and ports.
TEST_WORKERS ?= 2

test: $(STAMP)
	$(BIN)/pytest -q -n $(TEST_WORKERS)

lint: $(STAMP)
	$(BIN)/ruff check scheduler app tests bench
	$(BIN)/ruff format --check scheduler app tests bench
	$(BIN)/mypy scheduler

bench: $(STAMP)
	$(BIN)/python -m bench.run --output docs/benchmarks.md

# The live day under load (2,000 event streams, attendee pages, round changes): about 10 min.
loadtest: $(STAMP)
	$(BIN)/python -m bench.loadtest --output docs/benchmarks.md

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

# Translations: collect every _() and {% trans %} into the template, merge into each language.
messages: $(STAMP)
	$(BIN)/pybabel extract -F babel.cfg -k _ -k ngettext:1,2 --no-location --sort-output \
		--project Ronda -o app/locale/ronda.pot .
	$(BIN)/pybabel update -i app/locale/ronda.pot -d app/locale -D ronda --no-fuzzy-matching
