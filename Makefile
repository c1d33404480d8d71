# Every target sets itself up: a .venv, the install, and the index when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

.PHONY: install index serve test lint clean

install: $(VENV)/.installed

# torch 2.13.0 first: the CPU build on local disk. An unpinned torch would pull a multi-GB GPU build.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

index: install
	$(BIN)/qa-bot build

serve: index
	$(BIN)/qa-bot serve --host 127.0.0.1 --port 7860

test: install
	$(BIN)/python -m pytest

lint: install
	$(BIN)/ruff check qa_bot tests app.py

clean:
	rm -rf $(VENV) index .pytest_cache .hypothesis
