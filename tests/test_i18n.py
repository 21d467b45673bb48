"""Both languages, complete: every user-facing string has its Indonesian translation."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "jaringan"
PO = PACKAGE / "locale" / "id" / "LC_MESSAGES" / "django.po"
MO = PO.with_suffix(".mo")


def test_catalogue_is_complete():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_compiled_catalogue_matches_the_source():
    po = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in polib.pofile(str(PO))
          if not e.obsolete}
    mo = {(e.msgctxt, e.msgid): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in polib.mofile(str(MO))
          if e.msgid}
    assert po == mo, "run `make messages` (or compilemessages) after editing the .po file"


@pytest.mark.skipif(not shutil.which("xgettext"), reason="gettext's xgettext is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(tmp_path):
    """Extract the strings again from a copy of the code; none may be missing a translation."""
    copy = tmp_path / "jaringan"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("static", "__pycache__"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "jaringan.settings", "JARINGAN_HOME": str(tmp_path / "home")}
    subprocess.run(
        [sys.executable, "-m", "django", "makemessages", "-l", "id", "--no-obsolete"],
        cwd=copy, env=env, check=True, capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "id" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert missing == [], f"untranslated strings (run `make messages` and translate them): {missing}"
