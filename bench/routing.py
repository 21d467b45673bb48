"""Speed of ranking one interlibrary-loan request among many candidate lenders.

    python bench/routing.py [--members 200] [--runs 300]

Builds `--members` candidates from the demo network's real places (jittered
a little so no two coincide), each with two agreements to weigh (a
network-wide one priced by distance bands and a named bilateral one, ended
or current), plausible holdings, load, balance, fill and turnaround figures;
then times `routing.rank` for a loan and for a digital copy, `--runs` times
each. Prints the median, p90 and worst wall time per request, and the mean
CPU time (steadier on a busy machine). The target is ≤ 20 ms at 200 members.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jaringan.core.agreements import (  # noqa: E402
    Coverage,
    PartyRole,
    Relation,
    Service,
    Terms,
    shipping_bands_from,
)
from jaringan.core.ill.geography import Place  # noqa: E402
from jaringan.core.ill.routing import Candidate, Need, Network, rank  # noqa: E402
from jaringan.demo import datafiles  # noqa: E402

LIBRARIES = datafiles.network()["libraries"]

BANDS = shipping_bands_from([
    {"up_to_km": 50, "fee": "10000"}, {"up_to_km": 500, "fee": "20000"},
    {"up_to_km": 1500, "fee": "35000"}, {"fee": "50000"},
])


def build(members: int, seed: int = 1):
    rng = random.Random(seed)
    requester = 0
    network = Terms(
        id=1, network_id=1, services=frozenset({Service.LOAN, Service.COPY}), coverage=Coverage.NETWORK,
        relation=Relation.RECIPROCAL, starts=date(2025, 1, 1), ends=None,
        fee_per_loan=Decimal("10000"), fee_per_page=Decimal("300"), free_loans_per_year=20, shipping_bands=BANDS,
    )
    ids = list(range(1, members + 1))
    admitted = {1: frozenset([requester, *ids])}
    candidates = []
    for lib_id in ids:
        base = LIBRARIES[lib_id % len(LIBRARIES)]
        place = Place(base["province"], base["latitude"] + rng.uniform(-0.3, 0.3),
                      base["longitude"] + rng.uniform(-0.3, 0.3))
        bilateral = Terms(
            id=1000 + lib_id, network_id=1, services=frozenset({Service.LOAN}), coverage=Coverage.NAMED,
            relation=Relation.RECIPROCAL, starts=date(2024, 1, 1),
            ends=date(2024, 12, 31) if lib_id % 3 else None,
            parties={requester: PartyRole.BOTH, lib_id: PartyRole.BOTH}, fee_per_loan=Decimal("5000"),
        )
        asked = rng.randint(0, 400)
        candidates.append(Candidate(
            library_id=lib_id, place=place, items=rng.choice([1, 1, 1, 2, 3]), agreements=(network, bilateral),
            delivers_digital=rng.random() < 0.5, collection_size=rng.randint(1000, 200000),
            open_lending=rng.randint(0, 30), lent=rng.randint(0, 500), borrowed=rng.randint(0, 500),
            asked=asked, filled=rng.randint(0, asked), median_days_to_ship=rng.choice([None, 1.0, 2.5, 4.0]),
            shipments=rng.randint(0, 100),
        ))
    origin = Place("Sulawesi Selatan", -5.1477, 119.4327)
    network = Network(lent=sum(c.lent for c in candidates), lenders=len(candidates))  # for each fair share
    loan = Need(requester, Service.LOAN, origin, date(2025, 6, 1), admitted, used_this_year={1: 25}, network=network)
    copy = Need(requester, Service.COPY, origin, date(2025, 6, 1), admitted, pages=24, max_cost=50000,
                network=network)
    return loan, copy, candidates


def timed(need, candidates, runs):
    times = []
    c0 = time.process_time()
    for _ in range(runs):
        t0 = time.perf_counter()
        ranking = rank(need, candidates)
        times.append((time.perf_counter() - t0) * 1000)
    cpu = (time.process_time() - c0) * 1000 / runs
    times.sort()
    return ranking, times, cpu


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=200)
    ap.add_argument("--runs", type=int, default=300)
    args = ap.parse_args(argv)
    loan, copy, candidates = build(args.members)
    load = f", machine load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores" if hasattr(os, "getloadavg") else ""
    print(f"{args.members} candidate members, {args.runs} runs each (ms per request{load})")
    for label, need in (("loan", loan), ("copy", copy)):
        ranking, times, cpu = timed(need, candidates, args.runs)
        print(f"  {label:5} wall median {statistics.median(times):6.2f}  p90 {times[int(0.9 * len(times))]:6.2f}"
              f"  worst {times[-1]:6.2f}   CPU mean {cpu:6.2f}"
              f"   ({len(ranking.lenders)} ranked, {len(ranking.excluded)} excluded)")


if __name__ == "__main__":
    main()
