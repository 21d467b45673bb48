"""Where the data from outside the project lives.

`../shared/` beside the repository (see the README); `JARINGAN_SHARED` overrides it.
"""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
FIXTURES = SHARED / "fixtures"
ISO18626 = SHARED / "iso18626"
