# `make` builds the bundled sample into build/booklet.pdf and build/booklet.docx (plus page previews);
# `make test` runs the test suite. Both create the virtual environment .venv themselves.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
SAMPLE := content/booklet.md

.PHONY: all test bench lint fonts clean bytecode
all: $(VENV)/.installed bytecode
	$(BIN)/publish build $(SAMPLE) -o build
	$(BIN)/publish impose build/booklet.pdf -o build/booklet-imposed.pdf
	$(BIN)/publish preview build/booklet.pdf -o build/preview --pages 1,2,3,4

$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	$(BIN)/python -m compileall -q src/publish  # the first build need not compile the package
	touch $@

# Current bytecode for the package, so that no build compiles it (even under PYTHONDONTWRITEBYTECODE,
# which otherwise makes every run after an update recompile each changed module: tens of ms).
bytecode: $(VENV)/.installed
	$(BIN)/python -m compileall -q src/publish

test: $(VENV)/.installed
	$(BIN)/python -m pytest -q

lint: $(VENV)/.installed
	$(BIN)/ruff check src tests tools bench
	$(BIN)/ruff format --check src tests tools bench
	$(BIN)/mypy

bench: $(VENV)/.installed bytecode
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test,bench]'
	$(BIN)/python bench/bench.py

fonts: $(VENV)/.installed
	$(BIN)/python tools/prepare_fonts.py

clean:
	rm -rf build
