# kb: two commands set everything up: `make serve` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
HOST ?= 127.0.0.1
PORT ?= 5000
CORPUS ?=

.PHONY: install index serve typecheck test bench bench-100k relevance clean

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

# mypy reads packages by folder, and installed web/ and indexer/ are kb.web and kb.indexer:
# it checks a tree of links laid out that way (errors name kb/web/... for web/...)
TYPECHECK := build/typecheck
typecheck: install
	@# mypy does not follow package-dir: a tree of links laid out as kb installs
	@rm -rf $(TYPECHECK)/kb && mkdir -p $(TYPECHECK)/kb
	@ln -s $(filter-out %/__pycache__,$(wildcard $(CURDIR)/kb/*)) $(TYPECHECK)/kb/
	@ln -s $(CURDIR)/web $(TYPECHECK)/kb/web
	@ln -s $(CURDIR)/indexer $(TYPECHECK)/kb/indexer
	cd $(TYPECHECK) && $(abspath $(BIN))/python -m mypy --config-file $(CURDIR)/pyproject.toml -p kb

test: typecheck
	$(BIN)/python -m pytest -q

# CORPUS=folder of real notes the generated corpora learn their text from (optional)
bench: install
	$(BIN)/python -m benchmarks $(if $(CORPUS),--source $(CORPUS))

# 100,000 sessions: a build (20-40 minutes) and every figure of it beside its targets;
# INDEX=DIR measures an index built before instead (no build figures)
bench-100k: install
	$(BIN)/python -m benchmarks --sizes 100000 --no-soak --no-prose --out benchmarks/out/100k.json \
		$(if $(INDEX),--index $(INDEX)) $(if $(CORPUS),--source $(CORPUS))

# CORPUS=folder of the real notes benchmarks/judged/queries.yaml was judged on
relevance: install
	$(BIN)/python -m benchmarks.relevance --verbose $(if $(CORPUS),--corpus $(CORPUS))
	$(BIN)/python -m benchmarks.topics $(if $(CORPUS),--corpus $(CORPUS))

clean:
	rm -rf $(VENV) .kb-index .pytest_cache build/typecheck
