"""Where the data from outside the project lives.

`../shared/` beside the repository (see the README); `JARINGAN_SHARED` overrides it.

`REPO` is always there. `SHARED`, `FIXTURES` and `ISO18626` are looked up when a
test module (or a test) asks for them: when the folder is missing, whatever asked
is skipped with one line saying what is missing and how to point at it, unless
`JARINGAN_REQUIRE_SHARED=1` (as CI sets), where it fails instead.
"""

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_DIR = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
_FOLDERS = {"SHARED": SHARED_DIR, "FIXTURES": SHARED_DIR / "fixtures", "ISO18626": SHARED_DIR / "iso18626"}


def missing_reason() -> str:
    return (f"outside test data not found at {SHARED_DIR} (the shared/ folder beside the repository); "
            f"set JARINGAN_SHARED=/path/to/shared to run these tests")


def shared_available() -> bool:
    return SHARED_DIR.is_dir()


def required() -> bool:
    return os.environ.get("JARINGAN_REQUIRE_SHARED", "") not in ("", "0")


def __getattr__(name: str) -> Path:
    if name not in _FOLDERS:
        raise AttributeError(name)
    if not shared_available():
        if required():
            pytest.fail("JARINGAN_REQUIRE_SHARED is set and the " + missing_reason(), pytrace=False)
        pytest.skip(missing_reason(), allow_module_level=True)
    return _FOLDERS[name]
