# kb: two commands set everything up: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
CORPUS ?=

.PHONY: install index serve test bench relevance clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	# setuptools notes that an editable install maps folders; it is expected here
	PYTHONWARNINGS="ignore:Editable installation" $(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

install: $(STAMP)

index: install
	$(BIN)/kb index

serve: index
	$(BIN)/kb serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest -q

bench: install
	$(BIN)/python -m benchmarks

# CORPUS=folder of the real notes benchmarks/judged/queries.yaml was judged on
relevance: install
	$(BIN)/python -m benchmarks.relevance --verbose $(if $(CORPUS),--corpus $(CORPUS))
	$(BIN)/python -m benchmarks.topics $(if $(CORPUS),--corpus $(CORPUS))

clean:
	rm -rf $(VENV) .kb-index .pytest_cache
