"""Would weights learned for the comparisons decide better than today's points?

    .venv/bin/python bench/learn_weights.py [--interactions] [--folds 5] [--json]

Reads the two labelled development sets as ``bench/never_met.py`` does (the same loaders, each record
through the project's own readers) and asks ``match()`` about every labelled pair.  Each comparison it
makes is one outcome of one rule: its field, its verdict and its points ("title match +55" is another rule
than "title match +40").  A logistic regression learns one weight per outcome (``--interactions``: and
per pair of outcomes met together) on part of the pairs and decides the rest; the vetoes stay vetoes.
The pairs are split into folds by connected records (a record's pairs all fall in one fold), the
threshold is chosen on the training folds (the best F1 at a precision of 0.995 or more), and each set's
precision, recall and F1 are those of the pairs decided out of fold, beside ``match()``'s own on the same
pairs.

This is the pair-level decision, before blocking and placement: ``bench/match_real.py`` measures the
import, which finds fewer.  A learned weighting that does no better out of fold than today's points says
that the comparisons' outcomes hold no more evidence to weigh: what is missed must be seen by a comparison
first.
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import sys
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

import match_real  # noqa: E402
from never_met import _records  # noqa: E402

from jaringan.core.catalog.matching import match  # noqa: E402
from jaringan.core.catalog.matching.decision import VETOES  # noqa: E402

SETS = ("goldfinch", "dblp_scholar")
#: Precision the threshold must keep on the training folds.
PRECISION_FLOOR = 0.995
#: An outcome, or a pair of outcomes, met in fewer labelled pairs is not weighed.
SEEN_AT_LEAST = 5


def labelled_pairs() -> list[dict]:
    """Every labelled pair of both sets with its label, ``match()``'s verdict and the outcomes it made."""
    pairs = []
    for name in SETS:
        records, labels = _records(name)
        for a, b, label in labels:
            if a not in records or b not in records:
                continue
            decision = match(records[a], records[b])
            pairs.append({"set": name, "a": (name, a), "b": (name, b), "label": label, "same": decision.same,
                          "vetoed": any((c.field, c.verdict) in VETOES for c in decision.comparisons),
                          "outcomes": sorted({f"{c.field} {c.verdict} {c.points:+d}" for c in decision.comparisons})})
    return pairs


def folds_of(pairs: list[dict], folds: int, seed: int = 1) -> list[int]:
    """A fold for each pair: the records linked by pairs (labelled either way) fall in one fold."""
    ids = list(dict.fromkeys(record for pair in pairs for record in (pair["a"], pair["b"])))
    groups = match_real.components(ids, [(pair["a"], pair["b"]) for pair in pairs])
    roots = sorted(groups)
    random.Random(seed).shuffle(roots)
    fold = {member: n % folds for n, root in enumerate(roots) for member in groups[root]}
    return [fold[pair["a"]] for pair in pairs]


def features(pairs: list[dict], interactions: bool) -> np.ndarray:
    """One column per outcome (and pair of outcomes) seen often enough, and a constant column."""
    made = [pair["outcomes"] + ([f"{x} & {y}" for x, y in itertools.combinations(pair["outcomes"], 2)]
                                if interactions else []) for pair in pairs]
    seen: dict[str, int] = {}
    for names in made:
        for name in names:
            seen[name] = seen.get(name, 0) + 1
    columns = {name: n for n, name in enumerate(sorted(k for k, v in seen.items() if v >= SEEN_AT_LEAST))}
    x = np.zeros((len(pairs), len(columns) + 1))
    x[:, -1] = 1.0
    for row, names in enumerate(made):
        for name in names:
            if name in columns:
                x[row, columns[name]] = 1.0
    return x


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, steps: int = 1500, rate: float = 1.0) -> np.ndarray:
    """Logistic regression by gradient descent, with an L2 penalty."""
    w = np.zeros(x.shape[1])
    for _step in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        w -= rate * (x.T @ (p - y) + l2 * w) / len(y)
    return w


def figures(labels, predicted) -> dict:
    tp = sum(1 for t, p in zip(labels, predicted) if t and p)
    fp = sum(1 for t, p in zip(labels, predicted) if not t and p)
    fn = sum(1 for t, p in zip(labels, predicted) if t and not p)
    precision, recall, f1 = match_real.rates(tp, fp, fn)
    return {"precision": precision, "recall": recall, "f1": f1, "tp": tp, "fp": fp, "fn": fn}


def _threshold(scores: np.ndarray, y: np.ndarray, vetoed: np.ndarray) -> float:
    best_f1, best = -1.0, float(scores.max())
    for t in np.quantile(scores, np.linspace(0.3, 0.9, 121)):
        found = figures(y, (scores >= t) & ~vetoed)
        if found["precision"] >= PRECISION_FLOOR and found["f1"] > best_f1:
            best_f1, best = found["f1"], float(t)
    return best


def cross_validated(pairs: list[dict], *, interactions: bool, folds: int) -> tuple[list[bool], int]:
    x = features(pairs, interactions)
    y = np.array([pair["label"] for pair in pairs], dtype=float)
    vetoed = np.array([pair["vetoed"] for pair in pairs])
    fold = np.array(folds_of(pairs, folds))
    predicted = np.zeros(len(pairs), dtype=bool)
    for k in range(folds):
        train, test = fold != k, fold == k
        w = fit(x[train], y[train])
        threshold = _threshold(x[train] @ w, y[train], vetoed[train])
        predicted[test] = ((x[test] @ w) >= threshold) & ~vetoed[test]
    return predicted.tolist(), x.shape[1] - 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interactions", action="store_true", help="weigh pairs of outcomes met together too")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    if match_real.sets_missing():
        return 2
    pairs = labelled_pairs()
    predicted, weighed = cross_validated(pairs, interactions=args.interactions, folds=args.folds)
    print(f"{len(pairs):,} labelled pairs, {weighed} outcomes{' and pairs of outcomes' if args.interactions else ''} "
          f"weighed, {args.folds} folds by connected records")
    result = {"weighed": weighed}
    for name in SETS:
        rows = [n for n, pair in enumerate(pairs) if pair["set"] == name]
        labels = [pairs[n]["label"] for n in rows]
        today = figures(labels, [pairs[n]["same"] for n in rows])
        learned = figures(labels, [predicted[n] for n in rows])
        result[name] = {"match": today, "learned": learned}
        for label, found in (("match()", today), ("learned", learned)):
            print(f"{name:<13} {label:<8} precision {found['precision']:.4f}  recall {found['recall']:.4f}  "
                  f"F1 {found['f1']:.4f}  (tp {found['tp']}, fp {found['fp']}, fn {found['fn']})")
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
