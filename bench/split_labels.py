"""Labelled pairs that look alike to every comparison yet are labelled both ways: where rules run out.

    .venv/bin/python bench/split_labels.py [--json]

Reads the development splits as ``bench/match_real.py`` does (the same loaders, each record through the
project's own readers) and asks ``match()`` about every labelled pair. Two kinds of difference are
counted, each as pairs labelled the same and pairs labelled different:

* ``reworded`` (DBLP–Scholar): two articles whose titles ``match()`` finds different, though the shorter
  title's significant words stand in the longer one in order (a common subsequence of at least 80 % of
  them, typos allowed), by the same authors: a title reworded, or another paper of the same people on the
  same subject;
* ``reissued`` (goldfinch): two books with the same title, publisher and page count whose years are more
  than two apart: a reprint of the same edition, or a new printing catalogued as another.

When a kind is labelled the same about as often as different, no rule over these fields can take its
pairs without taking as many wrong ones: the fields that tell them apart are not in the records.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))

import match_real  # noqa: E402
import never_met  # noqa: E402

from jaringan.core.catalog.matching import match  # noqa: E402
from jaringan.core.catalog.matching.titles import title_words, typo_apart  # noqa: E402
from jaringan.core.catalog.text import ALL_STOP_WORDS  # noqa: E402

#: Share of the shorter title's significant words found in order in the longer one.
REWORDED_SHARE = 0.8
#: Years further apart than this make a reissue.
REISSUE_YEARS = 2


def _significant(record) -> list[str]:
    text = f"{record.title} {record.subtitle or ''}"
    return [w for w in title_words(text) if w not in ALL_STOP_WORDS and len(w) > 1 and not w.isdigit()]


def _in_order(x: list[str], y: list[str]) -> int:
    """Length of the longest common subsequence of two word lists, a typo counting as the same word."""
    row = [0] * (len(y) + 1)
    for word in x:
        previous = 0
        for j, other in enumerate(y):
            kept = row[j + 1]
            row[j + 1] = previous + 1 if word == other or typo_apart(word, other) else max(row[j + 1], row[j])
            previous = kept
    return row[-1]


def _verdicts(decision) -> dict[str, str]:
    return {c.field: c.verdict for c in decision.comparisons}


def _counted(name: str, of_the_kind) -> dict:
    """Labelled pairs of a development set that ``of_the_kind(a, b)`` takes, as labelled the same or different."""
    records, labels = never_met._records(name)
    counts = {"same": 0, "different": 0}
    for a, b, label in labels:
        if a in records and b in records and of_the_kind(records[a], records[b]):
            counts["same" if label else "different"] += 1
    return counts


def _reworded(a, b) -> bool:
    decision = match(a, b)
    verdicts = _verdicts(decision)
    if decision.same or verdicts.get("title") != "mismatch" or verdicts.get("authors") != "match":
        return False
    x, y = _significant(a), _significant(b)
    return len(x) >= 3 and len(y) >= 3 and _in_order(x, y) >= REWORDED_SHARE * min(len(x), len(y))


def _reissued(a, b) -> bool:
    ya, yb = a.year, b.year
    if not (ya and yb and str(ya).isdigit() and str(yb).isdigit()) or abs(int(ya) - int(yb)) <= REISSUE_YEARS:
        return False
    verdicts = _verdicts(match(a, b))
    return all(verdicts.get(field) == "match" for field in ("title", "publisher", "pages"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    if match_real.sets_missing():
        return 2
    figures = {"reworded": _counted("dblp_scholar", _reworded), "reissued": _counted("goldfinch", _reissued)}
    for kind, counts in figures.items():
        print(f"{kind:<10} labelled the same {counts['same']:>4}, labelled different {counts['different']:>4}")
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
