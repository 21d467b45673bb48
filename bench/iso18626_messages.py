"""How long reading, writing and schema-checking one ISO 18626 message takes (pure core, no database).

    python bench/iso18626_messages.py [ROUNDS]

Reads ReShare's samples from ../shared/iso18626 (JARINGAN_SHARED overrides),
and prints the median microseconds per message for parse, build, validate
and confirmation_for.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

from jaringan.core import iso18626 as core

SHARED = Path(os.environ.get("JARINGAN_SHARED", Path(__file__).resolve().parents[2] / "shared"))
ISO = SHARED / "iso18626"


def timed(fn, rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples) * 1e6


def main(rounds: int = 200) -> None:
    xsd = ISO / "ISO-18626-v1_2.xsd"
    core.validate(b"<x/>", xsd)  # load the schema once
    print(f"{'message':45} {'parse':>9} {'build':>9} {'validate':>9} {'confirm':>9}  (µs, median of {rounds})")
    for path in sorted((ISO / "reshare_samples").glob("*.xml")):
        raw = path.read_bytes()
        message = core.parse(raw)
        built = core.build(message)
        parse = timed(lambda: core.parse(raw), rounds)
        build = timed(lambda: core.build(message), rounds)
        check = timed(lambda: core.validate(built, xsd), rounds)
        confirm = "-"
        if message.ELEMENT in core.messages.CONFIRMATIONS:
            confirm = f"{timed(lambda: core.confirmation_for(message, status='OK'), rounds):9.0f}"
        print(f"{path.name:45} {parse:9.0f} {build:9.0f} {check:9.0f} {confirm:>9}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
