# Two commands on a fresh machine:  `make demo` (the main job) and `make test` (install + tests).
# Both create ./.venv and install torch==2.13.0 (the CPU build) before the package.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= outputs
TE     := $(BIN)/trade-events

.PHONY: demo test bench story-cv install clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q torch==2.13.0
	$(BIN)/python -m pip install -q -e ".[test,int8,ray]"
	touch $@

install: $(BIN)/.installed

## label → train → evaluate → package → extract, on the bundled defaults
demo: install
	$(TE) label --corpus --output $(OUT)/labelled
	$(TE) train --dataset $(OUT)/labelled --output $(OUT)/model
	$(TE) evaluate --model $(OUT)/model --dataset $(OUT)/labelled --crossval --int8 --output $(OUT)/evaluation
	$(TE) package --model $(OUT)/model --evaluation $(OUT)/evaluation --int8 --output $(OUT)/package
	$(TE) extract --model $(OUT)/package/trade-events-model --seeds --output $(OUT)/events/seeds.events.jsonl
	$(TE) merge $(OUT)/events/seeds.events.jsonl --output $(OUT)/events/seeds.merged.jsonl

## install, then run the whole test suite (the end-to-end training test included)
test: install
	$(BIN)/pytest

## speed and memory of extraction (fp32 and int8) against the raw forward-pass ceiling; needs `make demo` first
bench: install
	$(TE) benchmark --model $(OUT)/model --evaluation $(OUT)/evaluation --repeats 2 --output $(OUT)/benchmark.json

## the span ruler with support: 4-fold cross-validation over the 112 hand-labelled Reuters stories (~8 min); needs `make demo` first
story-cv: install
	$(BIN)/python -m trade_events.evaluate.story_cv --model $(OUT)/model --dataset $(OUT)/labelled --output $(OUT)/evaluation/story_cv.json

clean:
	rm -rf $(OUT) build dist *.egg-info
