# claimkit — two commands for a newcomer: `make run` and `make test` (see README.md).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app claimkit.web:create_app
STAMP := $(VENV)/.installed
COVERAGE_FLOOR := 93

RUN_PKGS := libzbar0 poppler-utils fonts-dejavu-core fonts-noto-core tesseract-ocr tesseract-ocr-fra tesseract-ocr-ara
TEST_PKGS := $(RUN_PKGS) chromium
PG_PKGS := postgresql
BENCH_PKGS := $(PG_PKGS) hey

.PHONY: bench-load mails run test test-pg check lint typecheck security pytest coverage setup system-run system-test system-pg screenshots forms messages clean

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

# Two steps, as pip's hash-checking mode wants: every pinned package from constraints.txt, each checked against its
# sha256 (--require-hashes refuses a file whose hash is not listed, and any package not pinned there); then the
# project itself, editable, with nothing more fetched (--no-deps, built by the pinned setuptools). An editable
# install has no file to hash, so it cannot join the first step; `pip check` then proves the set is complete.
$(STAMP): pyproject.toml constraints.txt
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --require-hashes --no-deps -r constraints.txt
	$(PY) -m pip install -q --no-deps --no-build-isolation -e '.[dev]'
	$(PY) -m pip check
	touch $@

# Browser libraries pinned in package-lock.json. The one the app serves (the zxing build for the live scan) is
# vendored in claimkit/static/vendor/ (package data, with its licences): npm refreshes that copy, so a bump shows in
# git; without npm the vendored copy is used as it is. axe-core is for the browser tests only.
ZXING := node_modules/@zxing/browser/umd/zxing-browser.min.js
node_modules/.installed: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --loglevel=error && \
	  cp $(ZXING) claimkit/static/vendor/zxing-browser.min.js && touch $@; \
	else echo "npm absent : claimkit/static/vendor/ garde sa copie de zxing ; les tests e2e n'auront pas axe-core."; fi

setup: $(STAMP) node_modules/.installed

run: system-run setup
	$(FLASK) db-upgrade
	@echo "claimkit: http://127.0.0.1:5000 (courriels dans instance/outbox/ ; leurs liens : make mails)"
	$(FLASK) run-scheduler & sched=$$!; trap 'kill $$sched 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

# The newest mails of instance/outbox/ with their links (the sign-up link, a reset link…), for `make run`.
mails: setup
	$(FLASK) mail-links

lint: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

typecheck: setup
	$(VENV)/bin/mypy claimkit

security: setup
	$(VENV)/bin/bandit -q -c pyproject.toml -r claimkit

pytest: setup system-test
	$(VENV)/bin/pytest

# Branch coverage of the last pytest run: the domain is fully covered, the whole package keeps its floor.
coverage: setup
	$(VENV)/bin/coverage report --include='claimkit/domain/*' --fail-under=100 --skip-covered --show-missing
	$(VENV)/bin/coverage report --fail-under=$(COVERAGE_FLOOR) --skip-covered

test: lint typecheck security pytest coverage

# The quick loop while editing (well under a minute): linters, layer contracts, types, unit tests.
check: setup
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/mypy claimkit
	$(VENV)/bin/pytest tests/unit --no-cov -q

# Throw-away PostgreSQL cluster (Debian's postgresql, unix socket, stopped at the end).
test-pg: system-test system-pg setup
	@scripts/with-postgres $(VENV)/bin/pytest

# Load bench of issue 20 (bench/README.md): throw-away PostgreSQL, gunicorn, the compiled client hey. 127.0.0.1 only.
bench-load: system-run setup
	$(call ensure_apt,$(BENCH_PKGS))
	@scripts/with-postgres $(PY) bench/load.py $(ARGS)

# Re-takes the phone screenshots in docs/screenshots/ (the e2e tests write there when asked).
screenshots: setup system-test
	CLAIMKIT_SCREENSHOTS=1 $(VENV)/bin/pytest tests/e2e --no-cov -q

# Redraws the fillable form templates in claimkit/forms_pdf/ (a test checks the committed files match).
forms: setup
	$(PY) scripts/draw_forms.py

# After changing a user-facing string: re-extract, merge into the Arabic catalogue, list what needs translating
# (claimkit/translations/README.md), then translate and run `make messages` again to compile.
messages: setup
	$(VENV)/bin/pybabel -q extract -F babel.cfg -o claimkit/translations/messages.pot --project=claimkit \
		--copyright-holder=claimkit --no-wrap --sort-by-file .
	$(VENV)/bin/pybabel -q update -i claimkit/translations/messages.pot -d claimkit/translations -l ar --no-wrap \
		--ignore-obsolete
	$(VENV)/bin/pybabel compile -d claimkit/translations -l ar --statistics

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache .coverage
