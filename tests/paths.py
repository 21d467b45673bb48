"""Where the data from outside the project lives.

`../shared/` beside the repository (see the README); `JARINGAN_SHARED` overrides it.

`REPO` is always there, and so is `LOC_INDONESIA`: the Library of Congress's 3,148
Indonesian records, which the package ships (xz-compressed) for the demo, as a plain
MARC file byte for byte the same as `shared/fixtures/loc_mds_booksall2016/
booksall2016_part01_indonesia.mrc`. `SHARED`, `FIXTURES` and `ISO18626` are looked up
when a test module (or a test) asks for them: when the folder is missing, whatever
asked is skipped with one line saying what is missing and how to point at it, unless
`JARINGAN_REQUIRE_SHARED=1` (as CI sets), where it fails instead.
"""

import lzma
import os
import tempfile
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


PACKAGED_LOC = REPO / "src" / "jaringan" / "demo" / "data" / "loc-indonesia-2016.mrc.xz"


def _loc_indonesia() -> Path:
    """The packaged records decompressed once per machine and user (a few milliseconds' work kept)."""
    target = (Path(tempfile.gettempdir()) / f"jaringan-tests-{os.getuid()}"
              / f"loc-indonesia-2016-{PACKAGED_LOC.stat().st_size}.mrc")
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        part = target.with_suffix(f".{os.getpid()}.part")
        part.write_bytes(lzma.decompress(PACKAGED_LOC.read_bytes()))
        part.replace(target)
    return target


def __getattr__(name: str) -> Path:
    if name == "LOC_INDONESIA":
        return _loc_indonesia()
    if name not in _FOLDERS:
        raise AttributeError(name)
    if not shared_available():
        if required():
            pytest.fail("JARINGAN_REQUIRE_SHARED is set and the " + missing_reason(), pytrace=False)
        pytest.skip(missing_reason(), allow_module_level=True)
    return _FOLDERS[name]
