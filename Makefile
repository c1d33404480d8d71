# Every target sets itself up: a .venv, the install, and the index when it is missing or stale.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export GRADIO_ANALYTICS_ENABLED := False
export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export TOKENIZERS_PARALLELISM := false

CHROMIUM := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install index serve test lint screenshots clean

install: $(VENV)/.installed

# One resolve, with torch pinned to 2.13.0 (pyproject.toml): the CPU build on local disk; an unpinned torch
# would pull a multi-GB GPU build. The venv's own pip is enough (no upgrade step), and nothing is
# byte-compiled ahead: Python compiles the modules it imports, on first use.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --no-compile torch==2.13.0 -e '.[test,eval]'
	touch $@

index: install
	$(BIN)/qa-bot build

PORT ?= 7860
serve: index
	$(BIN)/qa-bot serve --host 127.0.0.1 --port $(PORT)

# The end-to-end tests drive Debian's Chromium (installed here, never downloaded by a test tool).
$(CHROMIUM):
	$(SUDO) apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium

test: install $(CHROMIUM)
	QA_BOT_REQUIRE_BROWSER=1 $(BIN)/python -m pytest

# Refresh the README's screenshots from the real-browser tests.
screenshots: install $(CHROMIUM)
	QA_BOT_REQUIRE_BROWSER=1 QA_BOT_SCREENSHOTS=docs/screenshots $(BIN)/python -m pytest -q tests/test_browser.py

lint: install
	$(BIN)/ruff check qa_bot qa_web qa_eval tests bench app.py tools
	$(BIN)/python tools/check_imports.py

clean:
	rm -rf $(VENV) index .pytest_cache .hypothesis

# Answer quality on ../shared/eval beside BM25-alone and dense-alone baselines (see bench/quality.py).
.PHONY: bench-quality
bench-quality: install
	$(BIN)/python bench/quality.py

# Speed and scale (issue 7): latency breakdown, build, cold start, memory, load at 1-64 clients with
# and without micro-batching, two processes behind nginx, txtai and ONNX beside us (see bench/perf/).
# Writes bench/results/perf.json and perf.md. `make bench SECTIONS="load peer"` re-runs some sections.
# Section spread measures the old targets (1M ask p50, index time / txtai) three times: min/median/max.
.PHONY: bench
bench: install
	command -v nginx >/dev/null && command -v wrk >/dev/null || \
		(DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx wrk)
	$(BIN)/python -c "import onnxruntime, onnx, txtai" 2>/dev/null || { \
		$(BIN)/python -m pip install --quiet onnxruntime onnx msgpack && \
		$(BIN)/python -m pip install --quiet --no-deps txtai; }
	$(BIN)/python -m bench.perf $(SECTIONS)

# Cold `qa-bot list` and `qa-bot ask` before and after a change (BEFORE=<git revision>), in one run.
.PHONY: bench-startup
bench-startup: install
	$(BIN)/python bench/startup.py $(if $(BEFORE),--before $(BEFORE))

# The server's limits under attack (issue 17): memory under 10 MB bodies, 50 wrong admin passwords.
.PHONY: bench-hardening
bench-hardening: install
	$(BIN)/python bench/hardening.py

# Real consumer messages (TREC LiveQA, ../shared/eval/liveqa_train.jsonl): focus and question-type
# agreement, retrieval per dev/held-out split, latency of long messages (see bench/liveqa.py).
.PHONY: bench-liveqa
bench-liveqa: install
	$(BIN)/python bench/liveqa.py

# Patients' wording on the seed corpus (issue 14): first questions, conversations, emergencies.
.PHONY: bench-patients
bench-patients: install
	$(BIN)/python bench/patients.py

# The shipped corpus (issue 16): patients' questions on the NIH library, MedQuAD dev questions it
# answers, off-topic questions (see bench/library/). Writes bench/results/library.{json,md}.
.PHONY: bench-library
bench-library: install
	$(BIN)/python bench/library.py

# The relevance floor of the staff search, chosen on the seed corpus (bench/search_floor.py).
.PHONY: bench-search-floor
bench-search-floor: install
	$(BIN)/python bench/search_floor.py
