# The two commands of the README: `make run` and `make test`.
VENV := .venv/bin

.PHONY: run test setup setup-test lint format bench

setup:
	./scripts/setup.sh run

setup-test:
	./scripts/setup.sh test

run: setup
	$(VENV)/python manage.py migrate --noinput
	$(VENV)/python manage.py seed_demo
	PATH="$(CURDIR)/.venv/bin:$$PATH" $(VENV)/honcho start -f Procfile.dev

test: setup-test
	./scripts/services.sh
	./scripts/test.sh

lint:
	$(VENV)/ruff check . && $(VENV)/ruff format --check .

format:
	$(VENV)/ruff format . && $(VENV)/ruff check --fix .

bench: setup-test
	./scripts/services.sh
	$(VENV)/python bench/pages.py
	$(VENV)/python bench/desk.py
	$(VENV)/python bench/feeds.py
	$(VENV)/python bench/registrations.py
	$(VENV)/python bench/reminders.py
	$(VENV)/python bench/documents.py
	$(VENV)/python bench/storage.py
	$(VENV)/python bench/attendance.py
	$(VENV)/python bench/report.py
	$(VENV)/python bench/delegations.py
	$(VENV)/python bench/participant_list.py
