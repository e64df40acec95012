# Two commands for a new user: `make run` and `make test` (each sets itself up).
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
OUT    ?= data/processed

CHROMIUM ?= /usr/bin/chromium
BROWSER_PKGS := chromium fonts-wqy-microhei

.PHONY: setup browser run test eval eval-holdout eval-dev misses eval-formats stress bench schema clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	@# a venv made before the rename holds this package under the name `pipeline`
	$(PY) -m pip uninstall --quiet --yes pipeline 2>/dev/null || true
	$(PY) -m pip install --quiet -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

# The review page's browser test needs Debian's chromium (and a CJK font for the screenshot).
# Installed once with apt-get when running as root (CI); otherwise a warning says what to do.
browser:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "installing $(BROWSER_PKGS) for the browser test (apt-get)"; \
	    log=$$(mktemp); \
	    { DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $(BROWSER_PKGS); } \
	      >"$$log" 2>&1 || { cat "$$log" >&2; rm -f "$$log"; exit 1; }; \
	    rm -f "$$log"; \
	  else \
	    echo "warning: $(CHROMIUM) not found; the browser test will fail:" \
	         "sudo apt-get install chromium fonts-wqy-microhei, or set NOTICES_SKIP_BROWSER=1" >&2; \
	  fi; \
	fi

run: $(STAMP)
	$(VENV)/bin/notices run data/raw --out $(OUT)

test: $(STAMP) browser
	$(PY) -m pytest -q

eval: $(STAMP)
	$(VENV)/bin/notices run data/raw --out $(OUT) --force --quiet > /dev/null
	$(VENV)/bin/notices eval --gold data/gold --pred $(OUT) --per-notice

# the held-out set (data/holdout: six notices annotated without looking at the output;
# for measuring generalisation, never for tuning rules)
eval-holdout: $(STAMP)
	$(VENV)/bin/notices run data/holdout/raw --out build/holdout --force --quiet > /dev/null
	$(VENV)/bin/notices eval --gold data/holdout/gold --pred build/holdout --per-notice

# the development set (data/dev: eight notices annotated blind, for finding error classes;
# rules are still written from the guidelines, not from its sentences)
eval-dev: $(STAMP)
	$(VENV)/bin/notices run data/dev/raw --out build/dev --force --quiet > /dev/null
	$(VENV)/bin/notices eval --gold data/dev/gold --pred build/dev --per-notice

# every missed, extra and wrong item of the annotated notices, one per line (tab-separated)
misses: $(STAMP)
	$(VENV)/bin/notices run data/raw --out $(OUT) --force --quiet > /dev/null
	$(VENV)/bin/notices eval --gold data/gold --pred $(OUT) --misses | grep -P '\t'

# the same evaluation on PDF, DOCX and HTML renderings of the sample notices
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
