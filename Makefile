# Vakmanschap: `make run` to start the portal, `make test` to run the whole suite.
VENV    := .venv
PY      := $(VENV)/bin/python
PORT    ?= 8000
STAMP   := $(VENV)/.installed

.PHONY: run test setup venv install lint format bench loadtest screenshots clean

# The web server and the task worker (imports, the nightly purge) together; Ctrl-C stops both.
run: setup
	$(PY) manage.py seed_demo
	$(PY) bin/run.py $(PORT)

# One pytest-xdist worker per core (each with its own test database and browser); PYTEST_WORKERS=0 runs in one process.
# worksteal: a worker that runs out takes over the end of another's queue (each share starts with long tests: tests/conftest.py).
PYTEST_WORKERS ?= auto
test: install node_modules
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal $(PYTEST_ARGS)

# Everything `run` needs before it serves; safe to repeat.
setup: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py load_frameworks

venv: $(PY)

$(PY):
	@PYBIN=$$(bin/find-python) || exit 1; \
	echo "Creating $(VENV) with $$PYBIN"; \
	"$$PYBIN" -m venv $(VENV)

# Reinstall only when the requirements change.
install: $(STAMP)

$(STAMP): $(PY) requirements.txt requirements-dev.txt
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@command -v msgfmt >/dev/null || { echo "msgfmt (GNU gettext) is missing: install it, e.g. 'sudo apt-get install gettext' or 'brew install gettext'"; exit 1; }
	touch $(STAMP)

# Test tools from npm (the Nu HTML Checker vnu-jar, which needs Java; IBM's accessibility-checker-engine for the
# browser tests), pinned in package.json / package-lock.json.
node_modules: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm is missing: install Node.js, e.g. 'sudo apt-get install nodejs npm'"; exit 1; }
	@command -v java >/dev/null || { echo "java is missing (for the HTML checker): e.g. 'sudo apt-get install default-jre-headless'"; exit 1; }
	npm ci --ignore-scripts --no-audit --no-fund --silent
	touch node_modules

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports
	$(VENV)/bin/reuse lint --quiet
	$(VENV)/bin/bandit -c pyproject.toml -r vakmanschap organisation competencies assessments learning reports privacy -q
	$(PY) bin/pip-audit-ci

format: install
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

# Speed on PostgreSQL with a large organisation: set DATABASE_URL; see bench/README.md.
bench: install
	@for script in bench/bench_*.py; do echo "== $$script"; $(PY) $$script || exit 1; done

# Load test on PostgreSQL (set DATABASE_URL): gunicorn on 127.0.0.1 and locust, bounded; see bench/README.md.
# LOADTEST_SERVERS=2 runs two app servers sharing PostgreSQL and Redis.
loadtest: install
	$(PY) bench/loadtest/run.py

# README screenshots (docs/screenshots/*.png) from the demo data in a fresh database; needs /usr/bin/chromium.
screenshots: install
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	$(PY) bin/screenshots.py

clean:
	rm -rf $(VENV) db.sqlite3 staticfiles .pytest_cache node_modules
