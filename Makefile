# armsledger — the commands a developer and CI use. `make demo` and `make test` are the two that matter.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
SHARED ?= ../shared
STAMP := $(VENV)/.installed

.PHONY: demo test eval lint bench install clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/armsledger demo --out report.html

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy --strict src/armsledger

test: $(STAMP) lint
	bash scripts/system-deps.sh
	$(BIN)/python -m pytest -q

eval: $(STAMP)
	$(BIN)/armsledger extract $(SHARED)/eval/dev/*.json --format jsonl > pred.jsonl
	$(BIN)/python $(SHARED)/eval/score.py $(SHARED)/eval/dev pred.jsonl

bench: $(STAMP)
	$(BIN)/python benchmarks/bench_extract.py
	$(BIN)/python benchmarks/bench_estimate.py
	$(BIN)/python benchmarks/bench_asof.py

clean:
	rm -rf $(VENV) build *.egg-info demo.db report.html pred.jsonl
