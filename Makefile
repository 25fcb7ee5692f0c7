# claimkit — two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app claimkit.web:create_app
STAMP := $(VENV)/.installed

RUN_PKGS := libzbar0 poppler-utils fonts-dejavu-core fonts-noto-core tesseract-ocr tesseract-ocr-fra tesseract-ocr-ara
TEST_PKGS := $(RUN_PKGS) chromium
PG_PKGS := postgresql

.PHONY: run test test-pg lint typecheck security pytest setup system-run system-test system-pg screenshots forms clean

# Installs the Debian packages given in $(1) that are missing: with apt when root, otherwise says which.
define ensure_apt
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "apt: installation de $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null 2>&1 || \
	    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing; }; \
	  else echo "Paquets système manquants : $$missing — lancez : sudo apt-get install $$missing"; exit 1; fi; \
	fi
endef

system-run:
	$(call ensure_apt,$(RUN_PKGS))

system-test:
	$(call ensure_apt,$(TEST_PKGS))

system-pg:
	$(call ensure_apt,$(PG_PKGS))

$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q -U pip
	$(PY) -m pip install -q -c constraints.txt -e '.[dev]'
	touch $@

# Browser libraries (pinned in package-lock.json) served by the app itself; without npm the photo scan still works.
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && touch $@; \
	else echo "npm absent : le scan en direct par caméra utilisera seulement BarcodeDetector."; fi

setup: $(STAMP) node_modules/.installed

run: system-run setup
	$(FLASK) db-upgrade
	@echo "claimkit: http://127.0.0.1:5000 (courriels dans instance/outbox/)"
	$(FLASK) run-scheduler & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: setup
	$(VENV)/bin/mypy claimkit

security: setup
	$(VENV)/bin/bandit -q -c pyproject.toml -r claimkit

pytest: setup system-test
	$(VENV)/bin/pytest

test: lint typecheck security pytest

# Throw-away PostgreSQL cluster (Debian's postgresql, unix socket, stopped at the end).
test-pg: system-test system-pg setup
	@scripts/with-postgres $(VENV)/bin/pytest

# Re-takes the phone screenshots in docs/screenshots/ (the e2e tests write there when asked).
screenshots: setup system-test
	CLAIMKIT_SCREENSHOTS=1 $(VENV)/bin/pytest tests/e2e --no-cov -q

# Redraws the fillable form templates in claimkit/forms_pdf/ (a test checks the committed files match).
forms: setup
	$(PY) scripts/draw_forms.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
