"""A simulated year of interlibrary loan across the archipelago, under four ways of choosing lenders.

    python bench/ill_simulation.py [--requests 22000] [--libraries 110] [--seed 2025]
                                   [--load-effect 0.25] [--weight NAME=VALUE ...]

The network: the demo's 28 real libraries, extended with public, university
and school libraries in other real Indonesian cities (coordinates of the city;
sizes and staff drawn from a seed) — big national and university libraries
and many small ones, on every island group.

Holdings: 40,000 titles whose demand follows a Zipf law; each title is of a
kind (general, academic, school, special), and a library holds it with a
probability that grows with the library's size, the title's popularity and how
well the kind suits the library (a school holds school books, a university
academic ones). Big libraries hold more copies of popular titles.

Requests: readers of every library ask for titles their own library does not
hold (so small libraries borrow much more than they lend), 70 % loans and
30 % copies of 5–40 pages; most readers take a copy delivered digitally.

A lender's answer: a title is on the shelf unless every copy is out; a
library has a hidden reliability; a loaded library (open requests beyond what
its staff can handle) says no more often and is slower to ship. A parcel
takes a day plus a day per 700 km plus a day and a half per sea crossing; a
digital copy arrives within hours. Every policy asks at most 5 lenders in turn.

The policies, on the same requests and the same random draws:

* routing — `jaringan.core.ill.routing.rank` with its default weights, fed
  with the figures the network has gathered so far that year (each lender's,
  and the whole network's lending with its number of members for the fair
  share);
* static — each library's fixed preferred list: the national library first,
  then by collection size (the default of many ILL systems);
* random — candidates in random order;
* reshare — Project ReShare's shared-index load balancing: each library's
  target number of loans is its own borrowing times the network's lend/borrow
  ratio, and lenders are ranked by target minus loans made so far (no
  distance, no fees).

Reports fill rate, turnaround (mean, p90), mean shipping distance of parcels,
the share of lending done by the top 10 % of libraries, the Gini of lending
load, the spread of net lending balances, and the ratios routing/static and
routing/reshare against the targets (against static: fill not lower, Gini
≤ 0.6×, distance ≤ 0.8×; against reshare: fill not lower, Gini ≤ 0.9×,
distance ≤ 0.7×; physical turnaround ≤ 8 days).
"""

from __future__ import annotations

import argparse
import bisect
import heapq
import math
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from jaringan.core.agreements import Coverage, Relation, Service, Terms, shipping_bands_from  # noqa: E402
from jaringan.core.ill.geography import Place, leg  # noqa: E402
from jaringan.core.ill.routing import DEFAULT, Candidate, Need, Network, Weights, rank  # noqa: E402
from jaringan.demo import datafiles  # noqa: E402

LIBRARIES = datafiles.network()["libraries"]

# Real cities beyond the demo's, with their province and approximate coordinates.
CITIES = [
    ("Banda Aceh", "Aceh", 5.5483, 95.3238), ("Lhokseumawe", "Aceh", 5.1801, 97.1507),
    ("Pematangsiantar", "Sumatera Utara", 2.9595, 99.0687), ("Bukittinggi", "Sumatera Barat", -0.3039, 100.3835),
    ("Pekanbaru", "Riau", 0.5071, 101.4478), ("Batam", "Kepulauan Riau", 1.0456, 104.0305),
    ("Tanjung Pinang", "Kepulauan Riau", 0.9186, 104.4665), ("Jambi", "Jambi", -1.6101, 103.6131),
    ("Palembang", "Sumatera Selatan", -2.9761, 104.7754),
    ("Pangkal Pinang", "Kepulauan Bangka Belitung", -2.1291, 106.1138),
    ("Bengkulu", "Bengkulu", -3.7928, 102.2608), ("Bandar Lampung", "Lampung", -5.3971, 105.2668),
    ("Serang", "Banten", -6.1200, 106.1503), ("Tangerang", "Banten", -6.1783, 106.6319),
    ("Bekasi", "Jawa Barat", -6.2383, 106.9756), ("Cirebon", "Jawa Barat", -6.7320, 108.5523),
    ("Tasikmalaya", "Jawa Barat", -7.3274, 108.2207), ("Tegal", "Jawa Tengah", -6.8694, 109.1402),
    ("Purwokerto", "Jawa Tengah", -7.4213, 109.2344), ("Semarang", "Jawa Tengah", -6.9667, 110.4167),
    ("Surakarta", "Jawa Tengah", -7.5755, 110.8243), ("Yogyakarta", "DI Yogyakarta", -7.7956, 110.3695),
    ("Kediri", "Jawa Timur", -7.8480, 112.0178), ("Malang", "Jawa Timur", -7.9666, 112.6326),
    ("Surabaya", "Jawa Timur", -7.2575, 112.7521), ("Jember", "Jawa Timur", -8.1724, 113.7005),
    ("Denpasar", "Bali", -8.6705, 115.2126), ("Singaraja", "Bali", -8.1120, 115.0882),
    ("Mataram", "Nusa Tenggara Barat", -8.5833, 116.1167), ("Bima", "Nusa Tenggara Barat", -8.4606, 118.7270),
    ("Ende", "Nusa Tenggara Timur", -8.8432, 121.6623), ("Maumere", "Nusa Tenggara Timur", -8.6199, 122.2111),
    ("Pontianak", "Kalimantan Barat", -0.0263, 109.3425), ("Singkawang", "Kalimantan Barat", 0.9060, 108.9872),
    ("Palangka Raya", "Kalimantan Tengah", -2.2096, 113.9108),
    ("Banjarbaru", "Kalimantan Selatan", -3.4420, 114.8450),
    ("Balikpapan", "Kalimantan Timur", -1.2379, 116.8529), ("Tarakan", "Kalimantan Utara", 3.3274, 117.5785),
    ("Manado", "Sulawesi Utara", 1.4748, 124.8421), ("Gorontalo", "Gorontalo", 0.5435, 123.0568),
    ("Palu", "Sulawesi Tengah", -0.8917, 119.8707), ("Mamuju", "Sulawesi Barat", -2.6748, 118.8885),
    ("Parepare", "Sulawesi Selatan", -4.0135, 119.6255), ("Kendari", "Sulawesi Tenggara", -3.9985, 122.5130),
    ("Ternate", "Maluku Utara", 0.7893, 127.3772), ("Tual", "Maluku", -5.6295, 132.7509),
    ("Sorong", "Papua Barat Daya", -0.8762, 131.2558), ("Nabire", "Papua Tengah", -3.3667, 135.4833),
    ("Timika", "Papua Tengah", -4.5467, 136.8883), ("Wamena", "Papua Pegunungan", -4.0960, 138.9460),
    ("Merauke", "Papua Selatan", -8.4932, 140.4018),
]

#: Cities big enough for a university library in the generated network.
UNIVERSITY_CITIES = {
    "Banda Aceh", "Pekanbaru", "Palembang", "Bandar Lampung", "Semarang", "Surakarta", "Malang", "Surabaya",
    "Jember", "Denpasar", "Mataram", "Pontianak", "Manado", "Palu", "Kendari", "Ternate", "Sorong", "Merauke",
}

GENRES = ("general", "academic", "school", "special")
GENRE_SHARE = (0.40, 0.35, 0.15, 0.10)
#: How well a kind of library suits a kind of title (holding it, and its readers asking for it).
AFFINITY = {
    "national": {"general": 1.5, "academic": 1.0, "school": 0.6, "special": 1.0},
    "public": {"general": 1.5, "academic": 0.4, "school": 1.0, "special": 0.3},
    "academic": {"general": 0.6, "academic": 2.0, "school": 0.2, "special": 0.8},
    "school": {"general": 1.0, "academic": 0.1, "school": 3.0, "special": 0.05},
    "special": {"general": 0.3, "academic": 1.0, "school": 0.05, "special": 4.0},
}
#: Readers per unit of collection, by kind (schools and public libraries have many readers for their size).
DEMAND = {"national": 0.6, "public": 1.6, "academic": 1.0, "school": 1.8, "special": 0.5}

TITLES = 40_000
ZIPF_DEMAND = 0.9
ROTA_LIMIT = 5
#: Beyond this many times its capacity a library works no slower (it refuses more instead).
MAX_OVERLOAD = 4.0
PRESTIGE = {"national": 0, "academic": 1, "special": 2, "public": 3, "school": 4}
START = date(2025, 1, 1)

AGREEMENT = Terms(
    id=1, network_id=1, services=frozenset({Service.LOAN, Service.COPY}), coverage=Coverage.NETWORK,
    relation=Relation.RECIPROCAL, starts=date(2025, 1, 1), ends=None,
    fee_per_loan=Decimal("10000"), fee_per_page=Decimal("300"),
    shipping_bands=shipping_bands_from([
        {"up_to_km": 50, "fee": "10000"}, {"up_to_km": 500, "fee": "20000"},
        {"up_to_km": 1500, "fee": "35000"}, {"fee": "50000"},
    ]),
)


@dataclass
class Lib:
    idx: int
    code: str
    kind: str
    place: Place
    size: int
    staff: int
    offers_copy: bool
    digital: bool
    reliability: float  # hidden: share of available items it actually sends
    answer_days: float  # hidden: days to say no
    ship_days: float  # hidden: days to find, pack and post


def build_libraries(target: int, rng: random.Random) -> list[Lib]:
    libs = []
    for d in LIBRARIES:
        libs.append(Lib(
            len(libs), d["code"], d["kind"], Place(d["province"], d["latitude"], d["longitude"]),
            d["collection_size"], d["staff_count"], d["offers_copy"], "digital" in d["delivery_methods"],
            rng.uniform(0.8, 0.98), rng.uniform(0.5, 2.0), rng.uniform(1.0, 3.0),
        ))
    plan = []
    for city, province, lat, lon in CITIES:
        plan.append(("public", city, province, lat, lon))
        if city in UNIVERSITY_CITIES:
            plan.append(("academic", city, province, lat, lon))
        plan.append(("school", city, province, lat, lon))
    for kind, city, province, lat, lon in plan:
        if len(libs) >= target:
            break
        size = {
            "public": lambda: int(rng.lognormvariate(math.log(25000), 0.6)),
            "academic": lambda: int(rng.lognormvariate(math.log(60000), 0.5)),
            "school": lambda: int(rng.lognormvariate(math.log(4000), 0.6)),
        }[kind]()
        staff = max(1, round(size / rng.uniform(1500, 3000)))
        digital = kind == "academic" or (kind == "public" and rng.random() < 0.4)
        offers_copy = kind != "school"
        # small places are less practised at ILL: lower reliability, slower
        reliability = rng.uniform(0.65, 0.95) if kind == "school" else rng.uniform(0.75, 0.97)
        place = Place(province, lat + rng.uniform(-0.03, 0.03), lon + rng.uniform(-0.03, 0.03))
        libs.append(Lib(len(libs), f"{kind[:3].upper()}-{city.upper().replace(' ', '')}", kind, place, size, staff,
                        offers_copy, digital, reliability, rng.uniform(0.5, 3.0), rng.uniform(1.0, 4.0)))
    return libs


class Holdings:
    """Who holds each title (drawn once per title, from the seed), and how many copies."""

    def __init__(self, libs: list[Lib], genres: list[str], seed: int):
        self.libs, self.genres, self.seed = libs, genres, seed
        self.cache: dict[int, dict[int, int]] = {}

    def of(self, title: int) -> dict[int, int]:
        got = self.cache.get(title)
        if got is None:
            rng = random.Random(self.seed * 1_000_003 + title)
            genre = self.genres[title]
            popularity = (title + 1) ** -0.45
            got = {}
            for lib in self.libs:
                lam = lib.size / 10000 * 2.0 * popularity * AFFINITY[lib.kind][genre]
                if rng.random() < 1 - math.exp(-lam):
                    extra = rng.random() < min(0.9, lam / 8)
                    got[lib.idx] = 1 + extra + (rng.random() < min(0.6, lam / 40))
            self.cache[title] = got
        return got


@dataclass(order=True)
class Req:
    day: float
    id: int
    requester: int = field(compare=False)
    title: int = field(compare=False)
    service: Service = field(compare=False)
    pages: int | None = field(compare=False, default=None)
    digital_ok: bool = field(compare=False, default=True)


def build_requests(libs, holdings, genres, count, rng) -> tuple[list[Req], int]:
    weights = [DEMAND[lib.kind] * lib.size ** 0.4 for lib in libs]
    cum = []
    total = 0.0
    for w in weights:
        total += w
        cum.append(total)
    zipf = []
    z = 0.0
    for r in range(TITLES):
        z += (r + 1) ** -ZIPF_DEMAND
        zipf.append(z)
    requests, local = [], 0
    while len(requests) < count:
        requester = bisect.bisect(cum, rng.random() * total)
        kind = libs[requester].kind
        for _ in range(50):
            title = bisect.bisect(zipf, rng.random() * z)
            if rng.random() * 4.0 > AFFINITY[kind][genres[title]]:
                continue  # the reader's interests
            if requester in holdings.of(title):
                local += 1  # borrowed at home: no interlibrary loan
                continue
            break
        else:
            continue
        copy = rng.random() < 0.3
        requests.append(Req(
            rng.uniform(0, 365), len(requests), requester, title, Service.COPY if copy else Service.LOAN,
            rng.randint(5, 40) if copy else None, rng.random() < 0.9,
        ))
    requests.sort()
    for n, r in enumerate(requests):
        r.id = n
    return requests, local


def draw(seed: int, *parts: int) -> float:
    """A uniform number fixed by (seed, parts): the same draw for every policy."""
    return random.Random(hash((seed, *parts))).random()


class World:
    """The state one policy's year runs on."""

    def __init__(self, libs: list[Lib]):
        n = len(libs)
        self.libs = libs
        self.busy: list[list[float]] = [[] for _ in range(n)]  # heaps of end times of open requests
        self.asked = [0] * n
        self.filled = [0] * n
        self.lent = [0] * n
        self.borrowed = [0] * n
        self.ship_days: list[list[float]] = [[] for _ in range(n)]
        self.median: list[float | None] = [None] * n

    def open(self, lib: int, now: float) -> int:
        heap = self.busy[lib]
        while heap and heap[0] <= now:
            heapq.heappop(heap)
        return len(heap)

    def capacity(self, lib: int) -> float:
        """What the library's staff can really handle at once (hidden from the policy)."""
        return 2 + math.sqrt(self.libs[lib].staff)

    def shipped(self, lib: int, days: float):
        self.ship_days[lib].append(days)
        if len(self.ship_days[lib]) % 10 == 1:
            self.median[lib] = statistics.median(self.ship_days[lib])


def offers(lib: Lib, service: Service) -> bool:
    return service is Service.LOAN or lib.offers_copy


def rota_routing(world: World, req: Req, holders: dict[int, int], now: float, weights: Weights) -> list[int]:
    libs = world.libs
    requester = libs[req.requester]
    members = {1: frozenset(range(len(libs)))}
    candidates = []
    for idx, items in holders.items():
        lib = libs[idx]
        candidates.append(Candidate(
            library_id=idx, place=lib.place, items=items, agreements=(AGREEMENT,),
            offers=frozenset({Service.LOAN, Service.COPY} if lib.offers_copy else {Service.LOAN}),
            delivers_digital=lib.digital, collection_size=lib.size, open_lending=world.open(idx, now),
            lent=world.lent[idx], borrowed=world.borrowed[idx], asked=world.asked[idx], filled=world.filled[idx],
            median_days_to_ship=world.median[idx], shipments=len(world.ship_days[idx]),
        ))
    network = Network(lent=sum(world.lent), lenders=len(libs))
    need = Need(requester.idx, req.service, requester.place, START + timedelta(days=int(now)), members,
                pages=req.pages, accepts_digital=req.digital_ok, network=network)
    return list(rank(need, candidates, weights=weights).order)


def rota_static(world: World, req: Req, holders: dict[int, int], now: float, weights: Weights) -> list[int]:
    libs = world.libs
    eligible = [i for i in holders if offers(libs[i], req.service)]
    return sorted(eligible, key=lambda i: (PRESTIGE[libs[i].kind], -libs[i].size, i))


def rota_random(world: World, req: Req, holders: dict[int, int], now: float, weights: Weights) -> list[int]:
    eligible = sorted(i for i in holders if offers(world.libs[i], req.service))
    random.Random(req.id * 7919 + 17).shuffle(eligible)
    return eligible


def rota_reshare(world: World, req: Req, holders: dict[int, int], now: float, weights: Weights) -> list[int]:
    """Project ReShare's shared-index load balancing: a library's target number of loans is its own borrowing
    times the network's lend/borrow ratio; lenders are ranked by target minus loans made (no distance, no
    fees); ties in a random order of the request's own."""
    eligible = sorted(i for i in holders if offers(world.libs[i], req.service))
    random.Random(req.id * 7919 + 17).shuffle(eligible)
    lent, borrowed = sum(world.lent), sum(world.borrowed)
    ratio = lent / borrowed if borrowed else 1.0
    return sorted(eligible, key=lambda i: -(world.borrowed[i] * ratio - world.lent[i]))


@dataclass
class Outcome:
    filled: bool
    turnaround: float | None = None
    km: float | None = None  # of a parcel (None for a digital copy)
    lender: int | None = None


def run(policy, libs, requests, holdings, seed, weights: Weights = DEFAULT,
        load_effect: float = 0.25) -> tuple[World, list[Outcome]]:
    world = World(libs)
    outcomes: list[Outcome | None] = [None] * len(requests)
    rotas: dict[int, list[int]] = {}
    events: list[tuple[float, int, int]] = [(r.day, r.id, 0) for r in requests]  # (time, request, step)
    heapq.heapify(events)
    while events:
        now, rid, step = heapq.heappop(events)
        req = requests[rid]
        if step == 0:
            holders = {i: n for i, n in holdings.of(req.title).items() if i != req.requester}
            rotas[rid] = policy(world, req, holders, now, weights)[:ROTA_LIMIT]
        rota = rotas[rid]
        if step >= len(rota):
            outcomes[rid] = Outcome(False)
            del rotas[rid]
            continue
        idx = rota[step]
        lib = libs[idx]
        items = holdings.of(req.title)[idx]
        ratio = world.open(idx, now) / world.capacity(idx)
        on_shelf = 1 - 0.35 ** items
        p_yes = on_shelf * lib.reliability / (1 + load_effect * ratio)
        slow = 1 + 2 * load_effect * min(ratio, MAX_OVERLOAD)
        world.asked[idx] += 1
        if draw(seed, rid, idx, 1) >= p_yes:
            done = now + lib.answer_days * slow * (0.5 + draw(seed, rid, idx, 2))
            heapq.heappush(world.busy[idx], done)
            heapq.heappush(events, (done, rid, step + 1))
            continue
        ship = lib.ship_days * slow * (0.5 + draw(seed, rid, idx, 3))
        heapq.heappush(world.busy[idx], now + ship)
        world.filled[idx] += 1
        world.lent[idx] += 1
        world.borrowed[req.requester] += 1
        world.shipped(idx, ship)
        way = leg(libs[req.requester].place, lib.place)
        digital = req.service is Service.COPY and lib.digital and req.digital_ok
        if digital:
            transit, km = 0.2, None
        else:
            transit = (1 + way.km / 700 + 1.5 * way.crossings) * (0.8 + 0.5 * draw(seed, rid, idx, 4))
            km = way.km
        del rotas[rid]
        outcomes[rid] = Outcome(True, now + ship + transit - req.day, km, idx)
    return world, outcomes


def gini(values: list[float]) -> float:
    xs = sorted(values)
    n, total = len(xs), sum(xs)
    if n == 0 or total == 0:
        return 0.0
    return sum((2 * (i + 1) - n - 1) * x for i, x in enumerate(xs)) / (n * total)


def report(world: World, outcomes: list[Outcome], with_holders: int) -> dict:
    filled = [o for o in outcomes if o.filled]
    turnaround = sorted(o.turnaround for o in filled)
    parcels = [o.km for o in filled if o.km is not None]
    physical = [o.turnaround for o in filled if o.km is not None]
    lending = sorted(world.lent, reverse=True)
    top = max(1, round(len(lending) / 10))
    net = [lent - borrowed for lent, borrowed in zip(world.lent, world.borrowed)]
    return {
        "fill rate": len(filled) / with_holders,
        "turnaround mean": statistics.fmean(turnaround),
        "turnaround p90": turnaround[int(0.9 * len(turnaround))],
        "physical turnaround": statistics.fmean(physical),
        "shipping km mean": statistics.fmean(parcels),
        "top 10% lending share": sum(lending[:top]) / max(1, sum(lending)),
        "gini lending": gini(world.lent),
        "net balance sd": statistics.pstdev(net),
        "net balance range": max(net) - min(net),
    }


FORMATS = {
    "fill rate": "{:.2%}", "turnaround mean": "{:.1f} d", "turnaround p90": "{:.1f} d",
    "physical turnaround": "{:.1f} d",
    "shipping km mean": "{:,.0f} km", "top 10% lending share": "{:.1%}", "gini lending": "{:.3f}",
    "net balance sd": "{:,.0f}", "net balance range": "{:,.0f}",
}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--requests", type=int, default=22000)
    ap.add_argument("--libraries", type=int, default=110)
    ap.add_argument("--seed", type=int, default=2025)
    ap.add_argument("--load-effect", type=float, default=0.25,
                    help="how much a loaded lender refuses and slows (0: load does not matter)")
    ap.add_argument("--weight", action="append", default=[], metavar="NAME=VALUE",
                    help="change one routing weight (repeatable), e.g. --weight balance=0")
    args = ap.parse_args(argv)
    weights = Weights.from_mapping({**DEFAULT.as_dict(), **dict(w.split("=", 1) for w in args.weight)})
    t0 = time.perf_counter()
    rng = random.Random(args.seed)
    libs = build_libraries(args.libraries, rng)
    genres = [rng.choices(GENRES, GENRE_SHARE)[0] for _ in range(TITLES)]
    holdings = Holdings(libs, genres, args.seed)
    requests, local = build_requests(libs, holdings, genres, args.requests, rng)
    with_holders = sum(1 for r in requests if len(holdings.of(r.title)) > (r.requester in holdings.of(r.title)))
    kinds = {k: sum(1 for lib in libs if lib.kind == k) for k in PRESTIGE}
    print(f"{len(libs)} libraries ({', '.join(f'{n} {k}' for k, n in kinds.items())}); "
          f"{len(requests):,} requests in a year ({local:,} more filled at home), "
          f"{with_holders:,} held by some other member; "
          f"{statistics.fmean(len(holdings.of(r.title)) for r in requests):.1f} holders per title asked "
          f"({time.perf_counter() - t0:.1f} s)")
    results, lenders = {}, {}
    for name, policy in (("routing", rota_routing), ("static", rota_static), ("random", rota_random),
                         ("reshare", rota_reshare)):
        t1 = time.perf_counter()
        world, outcomes = run(policy, libs, requests, holdings, args.seed, weights, args.load_effect)
        results[name] = report(world, outcomes, with_holders)
        lenders[name] = world.lent
        print(f"  {name:8} ran in {time.perf_counter() - t1:.1f} s")
    print(f"\n{'':24}" + "".join(f"{name:>14}" for name in results) + f"{'routing/static':>16}"
          + f"{'routing/reshare':>17}")
    for metric, fmt in FORMATS.items():
        row = "".join(f"{fmt.format(results[name][metric]):>14}" for name in results)
        ratios = [results["routing"][metric] / results[other][metric] if results[other][metric] else float("nan")
                  for other in ("static", "reshare")]
        print(f"{metric:24}{row}{ratios[0]:>15.2f}×{ratios[1]:>16.2f}×")
    print("\nlent by the biggest libraries:")
    for lib in sorted(libs, key=lambda x: -x.size)[:5]:
        print(f"  {lib.code:24}" + "".join(f"{lenders[name][lib.idx]:>14,}" for name in results))
    for kind in PRESTIGE:
        idx = [lib.idx for lib in libs if lib.kind == kind]
        print(f"  all {kind:20}" + "".join(f"{sum(lenders[name][i] for i in idx):>14,}" for name in results))
    r, s, b = results["routing"], results["static"], results["reshare"]
    checks = [
        ("fill rate not lower than static", r["fill rate"] >= s["fill rate"]),
        ("Gini of lending load ≤ 0.6 × static", r["gini lending"] <= 0.6 * s["gini lending"]),
        ("mean shipping distance ≤ 0.8 × static", r["shipping km mean"] <= 0.8 * s["shipping km mean"]),
        (f"fill rate not lower than ReShare-style ({r['fill rate']:.2%} vs {b['fill rate']:.2%})",
         r["fill rate"] >= b["fill rate"]),
        (f"Gini of lending load ≤ 0.9 × ReShare-style ({r['gini lending'] / b['gini lending']:.2f}×)",
         r["gini lending"] <= 0.9 * b["gini lending"]),
        (f"mean shipping distance ≤ 0.7 × ReShare-style ({r['shipping km mean'] / b['shipping km mean']:.2f}×)",
         r["shipping km mean"] <= 0.7 * b["shipping km mean"]),
        (f"physical turnaround ≤ 8 days ({r['physical turnaround']:.1f} d)", r["physical turnaround"] <= 8),
    ]
    print()
    for label, ok in checks:
        print(f"  [{'met' if ok else 'MISSED'}] {label}")
    print(f"\ntotal {time.perf_counter() - t0:.1f} s")
    return 0 if all(ok for _, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
