# The two commands of the README:
#   make demo   install Jaringan and start the demo network (embedded SQLite)
#   make test   install the test dependencies and run the whole test suite
# DATABASE_URL=postgresql://... make test  runs the same suite on PostgreSQL.

# Django 5.2 runs on Python 3.11 to 3.13: the first of python3.11, python3.12, python3.13, python3
# that runs and is one of those (PYTHON=/path/to/python chooses another). CI uses 3.11.
SUPPORTED := (3, 11) <= sys.version_info[:2] <= (3, 13)
ifeq ($(origin PYTHON),undefined)
PYTHON := $(firstword $(foreach p,python3.11 python3.12 python3.13 python3,$(shell $(p) -c 'import sys; print("$(p)" if $(SUPPORTED) else "")' 2>/dev/null)))
endif
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test messages

$(BIN)/python:
	@test -n "$(PYTHON)" || { echo "Jaringan needs Python 3.11, 3.12 or 3.13: none of python3.11, python3.12, python3.13, python3 is one; install one or run make PYTHON=/path/to/python3.X"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(None if $(SUPPORTED) else "Jaringan needs Python 3.11, 3.12 or 3.13; $(PYTHON) is %d.%d" % sys.version_info[:2])'
	@$(PYTHON) -c 'import sys; print("Using $(PYTHON) (Python %d.%d.%d, %s)" % (*sys.version_info[:3], sys.executable))'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e ".[test]"

demo: install
	$(BIN)/jaringan demo

# The suite runs in one process per core (pytest-xdist); TEST_WORKERS=1 runs it in one process.
TEST_WORKERS ?= auto

test: install-test
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

# Refresh the Indonesian catalogue after changing user-facing strings, then translate it.
messages: install
	cd src/jaringan && JARINGAN_HOME=$(CURDIR)/var DJANGO_SETTINGS_MODULE=jaringan.settings $(CURDIR)/$(BIN)/django-admin makemessages -l id --ignore "static/*"
	cd src/jaringan && $(CURDIR)/$(BIN)/django-admin compilemessages -l id
