# Two commands for a new user: `make run` and `make test` (each sets itself up).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= data/processed

.PHONY: setup run test eval eval-formats stress bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

run: $(STAMP)
	$(VENV)/bin/notices run data/raw --out $(OUT)

test: $(STAMP)
	$(PY) -m pytest -q

eval: $(STAMP)
	$(VENV)/bin/notices run data/raw --out $(OUT) --force --quiet > /dev/null
	$(VENV)/bin/notices eval --gold data/gold --pred $(OUT)

# the same evaluation on PDF (and DOCX) renderings of the sample notices
eval-formats: $(STAMP)
	@for fmt in pdf docx html; do \
	  rm -rf build/eval-$$fmt; \
	  $(PY) -m tests.render_samples $$fmt build/eval-$$fmt/in > /dev/null && \
	  $(VENV)/bin/notices run build/eval-$$fmt/in --out build/eval-$$fmt/out --quiet > /dev/null; \
	  echo "== $$fmt"; $(VENV)/bin/notices eval --gold data/gold --pred build/eval-$$fmt/out; \
	done

stress: $(STAMP)
	HYPOTHESIS_PROFILE=stress $(PY) -m pytest -q -m "slow or not slow"

bench: $(STAMP)
	$(PY) benchmarks/throughput.py

schema: $(STAMP)
	$(VENV)/bin/notices schema --output docs/schema.md

clean:
	rm -rf $(OUT)/.versions $(OUT)/.current $(OUT)/.lock
	find $(OUT) -maxdepth 1 -type l -delete
