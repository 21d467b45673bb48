"""Labelled same-edition pairs whose records share no blocking key, so that the import never compares them.

    .venv/bin/python bench/never_met.py [--set goldfinch|dblp_scholar|all] [--json]

Reads the development splits as ``bench/match_real.py`` does (the same loaders), each record through the
project's own readers (MARC 21 for goldfinch, the CSV citation list for DBLP–Scholar), computes
``key_numbers`` for both records of every positive pair and lists the pairs with no key number in common,
with each record's title, subtitle, authors, year and page count and what ``match()`` says of the pair
(a pair that never met cannot be found by any rule of ``match()``; one that ``match()`` calls the same is
lost to blocking alone).  Also prints the number of keys a record has on average, the cost of every key
on every import.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

import match_real  # noqa: E402

from jaringan.core.catalog.matching import key_numbers, match  # noqa: E402
from jaringan.core.catalog.readers import read  # noqa: E402


def _records(name: str) -> tuple[dict, list[tuple[str, str, int]]]:
    """(id -> canonical record, labelled pairs) of one set, each record read by the project's reader."""
    raw, labels, fmt = (match_real.goldfinch if name == "goldfinch" else match_real.dblp_scholar)()
    if fmt == "marc21":
        data = b"".join(raw.values())
    else:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=["id", "title", "authors", "venue", "year"])
        writer.writeheader()
        writer.writerows(raw.values())
        data = out.getvalue().encode("utf-8")
    records = {}
    for item in read(data, format=fmt):
        if item.record is not None and item.source_id is not None:
            records[item.source_id] = item.record
    return records, labels


def _shown(record) -> str:
    title = record.title + (f" : {record.subtitle}" if record.subtitle else "")
    return f"{title!r} / {'; '.join(record.authors) or '-'} / {record.year or '-'} / {record.pages or '-'} p."


def never_met(name: str) -> dict:
    records, labels = _records(name)
    keys = {rid: set(key_numbers(r)) for rid, r in records.items()}
    positives = [(a, b) for a, b, label in labels if label and a in records and b in records]
    apart = [(a, b) for a, b in positives if not keys[a] & keys[b]]
    lines = []
    for a, b in apart:
        decision = match(records[a], records[b])
        lines.append(f"{a} ~ {b}  match() {'same' if decision.same else 'different'} {decision.score:+d}")
        lines.append(f"    {_shown(records[a])}")
        lines.append(f"    {_shown(records[b])}")
    return {"records": len(records), "positives": len(positives), "never_met": len(apart),
            "never_met_but_same": sum(match(records[a], records[b]).same for a, b in apart),
            "keys_per_record": round(sum(map(len, keys.values())) / max(len(keys), 1), 2), "lines": lines}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["goldfinch", "dblp_scholar", "all"], default="all")
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    if match_real.sets_missing():
        return 2
    chosen = ["goldfinch", "dblp_scholar"] if args.set == "all" else [args.set]
    figures = {}
    for name in chosen:
        result = never_met(name)
        print(f"{name}: {result['positives']:,} positive pairs, {result['never_met']} share no key "
              f"({result['never_met_but_same']} of them match() calls the same); "
              f"{result['keys_per_record']} keys a record")
        for line in result["lines"]:
            print("  " + line)
        figures[name] = {k: v for k, v in result.items() if k != "lines"}
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
