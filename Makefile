# The two commands of the README:
#   make demo   install Jaringan and start the demo network (embedded SQLite)
#   make test   install the test dependencies and run the whole test suite
# DATABASE_URL=postgresql://... make test  runs the same suite on PostgreSQL.

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test messages

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11) and "Jaringan needs Python 3.11")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

demo: install
	$(BIN)/jaringan demo

test: install-test
	$(BIN)/python -m pytest

# Refresh the Indonesian catalogue after changing user-facing strings, then translate it.
messages: install
	cd src/jaringan && JARINGAN_HOME=$(CURDIR)/var DJANGO_SETTINGS_MODULE=jaringan.settings $(CURDIR)/$(BIN)/django-admin makemessages -l id --ignore "static/*"
	cd src/jaringan && $(CURDIR)/$(BIN)/django-admin compilemessages -l id
