"""Match quality on a labelled set built from the real fixtures.

    .venv/bin/python bench/match_quality.py [--seed N] [--loc-slice N]   (from the repository root)

Base records are real: the LoC Indonesian records, a slice of the LoC 40k
file, Koha's and Evergreen's sample bibliographic records and Open Library's
MARC test records, normalised with ``jaringan.core.catalog.marc``.

Labelled pairs:

* positive — a real record and a copy changed the way another library would
  catalogue the same edition (typos, dropped subtitle, "&"/"and"/"dan",
  inverted author names, identifiers stripped, punctuation and case, publisher
  abbreviated, extent written differently), one to three changes per copy,
  drawn with a seeded ``random.Random``;
* negative — (a) different real records that share a blocking key (the pairs
  the matcher really has to reject), (b) a reprint of a real record with a new
  year (ISBN kept or not, "Cet. 2" or not), (c) a new edition (edition
  statement, year, pages and ISBN changed), (d) two volumes of a set sharing
  one ISBN, and a set record against one of its volumes, (e) a wrong ISBN
  reused on an unrelated record.

It prints pair counts, precision, recall, F1, recall per variation, false
positives per kind of negative, the time per comparison, and the pairwise
quality of ``cluster()`` over all records together.  Writes the false
decisions to ``bench/out/match_quality_errors.txt``.

An article/citation set is not built: the fixtures hold only three component
part records (RecordManager's analytic, one Koha 773, the qualified-DC
article), too few to measure anything.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections import Counter, defaultdict
from dataclasses import replace
from itertools import combinations
from pathlib import Path

import pymarc

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from jaringan.core.catalog.errors import CatalogError  # noqa: E402
from jaringan.core.catalog.marc import record_from_marc  # noqa: E402
from jaringan.core.catalog.matching import blocking_keys, cluster, match  # noqa: E402
from jaringan.core.catalog.record import CanonicalRecord, pages_from_extent  # noqa: E402
from jaringan.core.catalog.text import normalise_for_match  # noqa: E402
from tests.paths import FIXTURES  # noqa: E402

OUT = REPO / "bench" / "out"
SEED = 20261125
LOC_SLICE = 6000
POSITIVES = 2500
SYNTHETIC_NEGATIVES_EACH = 400
REAL_NEGATIVES_MAX = 4000
REAL_NEGATIVES_PER_KEY = 6
TARGET_F1, TARGET_PRECISION = 0.98, 0.99

VARIATIONS = (
    "title_typo",
    "subtitle_dropped",
    "ampersand",
    "author_inverted",
    "identifiers_stripped",
    "punctuation_case",
    "publisher_abbreviated",
    "extent_rewritten",
)


# --------------------------------------------------------------------------- loading
def _marc_records(path: Path, *, limit: int | None = None, force_utf8: bool = False):
    with path.open("rb") as handle:
        reader = pymarc.MARCReader(handle, permissive=True, to_unicode=True, force_utf8=force_utf8)
        for n, record in enumerate(reader):
            if limit is not None and n >= limit:
                return
            if record is not None:
                yield record


def load_base(loc_slice: int) -> list[CanonicalRecord]:
    """Real records from the fixtures, one per control number."""
    sources: list[tuple[str, object]] = [
        ("loc", _marc_records(FIXTURES / "loc_mds_booksall2016/booksall2016_part01_indonesia.mrc")),
        ("loc", _marc_records(FIXTURES / "loc_mds_booksall2016/booksall2016_part01_first40k.mrc", limit=loc_slice)),
        ("koha", pymarc.parse_xml_to_array(str(FIXTURES / "koha_misc4dev/koha_sample_bibs.marcxml"))),
        ("evergreen", pymarc.parse_xml_to_array(str(FIXTURES / "evergreen/concerto_enhanced/concerto_bibs.marcxml"))),
        ("evergreen", _marc_records(FIXTURES / "evergreen/lul_fre_500.mrc")),
        ("evergreen", _marc_records(FIXTURES / "evergreen/jazz_1k.mrc")),
        ("evergreen", pymarc.parse_xml_to_array(str(FIXTURES / "evergreen/badisbns.xml"))),
    ]
    ol = FIXTURES / "openlibrary_marc_tests"
    sources += [("ol", _marc_records(p)) for p in sorted((ol / "bin_input").glob("*.mrc"))]
    sources += [("ol", pymarc.parse_xml_to_array(str(p))) for p in sorted((ol / "xml_input").glob("*.xml"))]
    seen: set[str] = set()
    base: list[CanonicalRecord] = []
    for origin, records in sources:
        for n, marc in enumerate(records):
            try:
                record = record_from_marc(marc, library=origin)
            except CatalogError:
                continue
            key = f"{origin}:{record.source_id or n}" if origin != "loc" else f"loc:{record.source_id}"
            if key in seen:
                continue
            seen.add(key)
            base.append(replace(record, source_id=key))
    return base


# --------------------------------------------------------------------------- variations
def _typo(rng: random.Random, text: str) -> str:
    words = [i for i, w in enumerate(text.split(" ")) if sum(c.isalpha() for c in w) >= 4]
    if not words:
        return text
    parts = text.split(" ")
    i = rng.choice(words)
    word = parts[i]
    letters = [j for j, c in enumerate(word) if c.isalpha()]
    j = rng.choice(letters[1:])  # cataloguers rarely miss the first letter
    kind = rng.choice(("substitute", "delete", "transpose", "double"))
    if kind == "substitute":
        word = word[:j] + rng.choice("aeiounrstlkm") + word[j + 1 :]
    elif kind == "delete":
        word = word[:j] + word[j + 1 :]
    elif kind == "transpose" and j + 1 < len(word) and word[j + 1].isalpha():
        word = word[:j] + word[j + 1] + word[j] + word[j + 2 :]
    else:
        word = word[:j] + word[j] + word[j:]
    parts[i] = word
    return " ".join(parts)


def _swap_ampersand(rng: random.Random, text: str | None) -> str | None:
    if not text:
        return text
    if "&" in text:
        return text.replace("&", rng.choice(("and", "dan")))
    return re.sub(r"\b(and|dan)\b", "&", text)


def _invert(name: str) -> str:
    if "," in name:
        surname, _, given = name.partition(",")
        given = re.sub(r",?\s*[0-9]{4}-?([0-9]{4})?\.?$", "", given).strip(" ,.")
        return f"{given} {surname}".strip() if given else surname
    words = name.split()
    return f"{words[-1]}, {' '.join(words[:-1])}" if len(words) > 1 else name


def _publisher_variant(rng: random.Random, publisher: str) -> str:
    stripped = re.sub(r"^(Penerbit|PT\.?|CV\.?)\s+", "", publisher, flags=re.I)
    if stripped != publisher:
        return stripped
    return f"{rng.choice(('Penerbit', 'PT', 'CV'))} {publisher}"


def _extent_variant(rng: random.Random, record: CanonicalRecord) -> str | None:
    if not record.pages:
        return record.extent
    style = rng.choice(("{n} hlm.", "{n} p.", "{n} pages", "x, {n} p. : ill. ; 24 cm", "[4], {n} halaman"))
    return style.format(n=record.pages)


def apply_variation(rng: random.Random, record: CanonicalRecord, name: str) -> CanonicalRecord | None:
    """``record`` as another library would catalogue it, or None if ``name`` does not apply."""
    if name == "title_typo":
        typo = _typo(rng, record.title)
        return replace(record, title=typo) if typo != record.title else None
    if name == "subtitle_dropped":
        if not record.subtitle:
            return None
        if rng.random() < 0.5:
            return replace(record, subtitle=None)
        return replace(record, title=f"{record.title} : {record.subtitle}", subtitle=None)
    if name == "ampersand":
        title = _swap_ampersand(rng, record.title)
        publisher = _swap_ampersand(rng, record.publisher)
        if title == record.title and publisher == record.publisher:
            return None
        return replace(record, title=title, publisher=publisher)
    if name == "author_inverted":
        if not record.authors:
            return None
        return replace(record, authors=tuple(_invert(a) for a in reversed(record.authors)))
    if name == "identifiers_stripped":
        if not (record.isbns or record.lccn or record.oclc_numbers):
            return None
        return replace(record, isbns=(), lccn=None, oclc_numbers=(), issns=())
    if name == "punctuation_case":
        title = rng.choice((record.title.upper(), record.title.lower(), record.title + ".", record.title.replace(",", "")))
        return replace(record, title=title) if title != record.title else None
    if name == "publisher_abbreviated":
        if not record.publisher:
            return None
        return replace(record, publisher=_publisher_variant(rng, record.publisher))
    if name == "extent_rewritten":
        if not record.pages:
            return None
        extent = _extent_variant(rng, record)
        return replace(record, extent=extent, pages=pages_from_extent(extent))
    raise ValueError(name)


def make_positive(rng: random.Random, record: CanonicalRecord, n: int) -> tuple[CanonicalRecord, list[str]] | None:
    applied: list[str] = []
    for name in rng.sample(VARIATIONS, len(VARIATIONS)):
        changed = apply_variation(rng, record, name)
        if changed is not None:
            record = changed
            applied.append(name)
        if len(applied) == n:
            break
    if not applied:
        return None
    return replace(record, source_id=f"{record.source_id}~copy", library="copy"), applied


# --------------------------------------------------------------------------- hard negatives
def _random_isbn(rng: random.Random) -> str:
    body = "978602" + "".join(rng.choice("0123456789") for _ in range(6))
    total = sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def reprint(rng: random.Random, record: CanonicalRecord) -> CanonicalRecord | None:
    if record.year is None:
        return None
    isbns = record.isbns if rng.random() < 0.5 else ()
    edition = record.edition if rng.random() < 0.5 else f"Cet. {rng.randint(2, 5)}"
    return replace(record, year=record.year + rng.randint(1, 6), isbns=isbns, edition=edition,
                   source_id=f"{record.source_id}~reprint", library="reprint", lccn=None, oclc_numbers=())


def new_edition(rng: random.Random, record: CanonicalRecord) -> CanonicalRecord | None:
    if record.year is None:
        return None
    pages = int(record.pages * rng.uniform(1.1, 1.4)) if record.pages else None
    edition = rng.choice(("2nd ed.", "Edisi ke-2", "Ed. rev.", "3rd ed.", "Edisi revisi", "Cet. 2, edisi kedua"))
    return replace(record, year=record.year + rng.randint(1, 8), edition=edition, pages=pages,
                   extent=f"{pages} hlm." if pages else None, isbns=(_random_isbn(rng),),
                   source_id=f"{record.source_id}~edition", library="edition", lccn=None, oclc_numbers=())


def volumes(rng: random.Random, record: CanonicalRecord) -> list[tuple[CanonicalRecord, CanonicalRecord]]:
    isbns = record.isbns or (_random_isbn(rng),)
    style = rng.choice(("Jilid {n}", "v. {n}", "{n}", "Buku {n}", "Part {n}"))
    # Separate records of the volumes: each has its own control numbers (or none).
    record = replace(record, isbns=isbns, lccn=None, oclc_numbers=())
    one = replace(record, part=style.format(n=1), source_id=f"{record.source_id}~v1", library="v1")
    two = replace(record, part=style.format(n=2), source_id=f"{record.source_id}~v2", library="v2",
                  pages=int(record.pages * rng.uniform(0.8, 1.2)) if record.pages else None)
    whole = replace(record, part=None, source_id=f"{record.source_id}~set", library="set")
    return [(one, two), (whole, two)]


# --------------------------------------------------------------------------- evaluation
#: A synthetic record that is still the same edition as a base record (a wrong ISBN
#: does not make a new edition): its source id → the base record's source id.
same_edition_as: dict[str, str] = {}


def build_pairs(rng: random.Random, base: list[CanonicalRecord]):
    positives, negatives = [], []
    for record in rng.sample(base, min(POSITIVES, len(base))):
        made = make_positive(rng, record, rng.choice((1, 1, 2, 3)))
        if made:
            positives.append((record, made[0], tuple(made[1])))
    with_year = [r for r in base if r.year is not None]
    for record in rng.sample(with_year, SYNTHETIC_NEGATIVES_EACH):
        if (other := reprint(rng, record)) is not None:
            negatives.append((record, other, "reprint_new_year"))
    for record in rng.sample(with_year, SYNTHETIC_NEGATIVES_EACH):
        if (other := new_edition(rng, record)) is not None:
            negatives.append((record, other, "new_edition"))
    for record in rng.sample(base, SYNTHETIC_NEGATIVES_EACH // 2):
        for one, two in volumes(rng, record):
            negatives.append((one, two, "volumes_share_isbn"))
            if one.part is None:  # the set record is the base record under another library
                same_edition_as[one.source_id] = record.source_id
    with_isbn = [r for r in base if r.isbns]
    for n, record in enumerate(rng.sample(with_isbn, SYNTHETIC_NEGATIVES_EACH)):
        other = rng.choice(base)
        if other is not record:
            wrong = replace(other, isbns=record.isbns, source_id=f"{other.source_id}~badisbn{n}", library=f"badisbn{n}")
            negatives.append((record, wrong, "reused_wrong_isbn"))
            same_edition_as[wrong.source_id] = other.source_id
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(base):
        for key in blocking_keys(record):
            by_key[key].append(i)
    # Two records of one catalogue are taken to be different editions; across
    # catalogues (Koha's and Evergreen's samples both hold LC records) they are
    # often the same book, so those pairs are not labelled — see cross_catalogue().
    real: set[tuple[int, int]] = set()
    for key in sorted(by_key):
        members = by_key[key]
        pairs = [(i, j) for i, j in combinations(members, 2) if base[i].library == base[j].library]
        real.update(rng.sample(pairs, min(REAL_NEGATIVES_PER_KEY, len(pairs))))
    for i, j in rng.sample(sorted(real), min(REAL_NEGATIVES_MAX, len(real))):
        negatives.append((base[i], base[j], "real_shared_key"))
    return positives, negatives


def looks_like_source_duplicate(a: CanonicalRecord, b: CanonicalRecord) -> bool:
    """Same title words, year and authors, and a shared ISBN/ISSN or no identifiers at all.

    Catalogues do hold duplicates (LoC's CIP and final records, Koha's sample
    data); such a "false positive" is probably right.  Only reported, never
    taken out of the figures.
    """
    same_text = normalise_for_match(a.title).rstrip(" -") == normalise_for_match(b.title).rstrip(" -")
    same_ids = bool(set(a.isbns) & set(b.isbns) or set(a.issns) & set(b.issns)) or not (a.isbns or b.isbns)
    return same_text and a.year == b.year and sorted(a.authors) == sorted(b.authors) and same_ids


def evaluate(positives, negatives):
    found = Counter()
    per_variation = defaultdict(lambda: [0, 0])
    false_positive_kinds = Counter()
    negatives_by_kind = Counter()
    errors: list[str] = []
    comparisons = 0
    matching_time = 0.0
    for a, b, applied in positives:
        tick = time.perf_counter()
        decision = match(a, b)
        matching_time += time.perf_counter() - tick
        comparisons += 1
        blocked = bool(blocking_keys(a) & blocking_keys(b))
        hit = blocked and decision.same
        found["tp" if hit else "fn"] += 1
        for name in applied:
            per_variation[name][0] += hit
            per_variation[name][1] += 1
        if not hit:
            errors.append(f"FN {'+'.join(applied)} blocked={blocked}\n  {a}\n  {b}\n{decision.explain()}\n")
    for a, b, kind in negatives:
        tick = time.perf_counter()
        decision = match(a, b)
        matching_time += time.perf_counter() - tick
        comparisons += 1
        negatives_by_kind[kind] += 1
        if decision.same:
            found["fp"] += 1
            false_positive_kinds[kind] += 1
            if kind == "real_shared_key" and looks_like_source_duplicate(a, b):
                false_positive_kinds["real_shared_key (likely duplicates in the source)"] += 1
            errors.append(f"FP {kind}\n  {a}\n  {b}\n{decision.explain()}\n")
        else:
            found["tn"] += 1
    return found, per_variation, false_positive_kinds, negatives_by_kind, errors, matching_time / comparisons


def cross_catalogue(base: list[CanonicalRecord]) -> tuple[int, int]:
    """(pairs of records from different catalogues sharing a key, pairs the matcher merges)."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(base):
        for key in blocking_keys(record):
            by_key[key].append(i)
    pairs = {
        (i, j) for members in by_key.values() for i, j in combinations(members, 2) if base[i].library != base[j].library
    }
    return len(pairs), sum(match(base[i], base[j]).same for i, j in pairs)


def cluster_quality(rng: random.Random, base, positives, negatives) -> tuple[float, float, int, float]:
    """Pairwise precision/recall of ``cluster()`` over base + copies + synthetic negatives."""
    records: list[CanonicalRecord] = []
    truth: list[str] = []
    base_ids = {record.source_id for record in base}
    for record in base:
        records.append(record)
        truth.append(record.source_id)
    for original, copy, _ in positives:
        records.append(copy)
        truth.append(original.source_id)
    synthetic = {
        record.source_id: record
        for pair in negatives
        if pair[2] != "real_shared_key"
        for record in pair[:2]
        if record.source_id not in base_ids
    }
    for source_id, record in synthetic.items():
        records.append(record)
        truth.append(same_edition_as.get(source_id, source_id))
    started = time.perf_counter()
    editions = cluster(records)
    elapsed = time.perf_counter() - started
    predicted_pairs = true_pairs = both = 0
    truth_sizes = Counter(truth)
    true_pairs = sum(n * (n - 1) // 2 for n in truth_sizes.values())
    for members in editions:
        predicted_pairs += len(members) * (len(members) - 1) // 2
        inside = Counter(truth[i] for i in members)
        both += sum(n * (n - 1) // 2 for n in inside.values())
    precision = both / predicted_pairs if predicted_pairs else 1.0
    recall = both / true_pairs if true_pairs else 1.0
    return precision, recall, len(records), elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--loc-slice", type=int, default=LOC_SLICE)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    base = load_base(args.loc_slice)
    loaded = time.perf_counter() - started
    positives, negatives = build_pairs(rng, base)
    found, per_variation, fp_kinds, neg_kinds, errors, per_comparison = evaluate(positives, negatives)
    tp, fp, fn = found["tp"], found["fp"], found["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    print(f"base records {len(base):,} (loaded in {loaded:.1f} s), seed {args.seed}")
    print(f"pairs: {len(positives):,} positive, {len(negatives):,} negative")
    print(f"{'':<24}{'recall':>8}{'pairs':>8}")
    for name in VARIATIONS:
        hit, total = per_variation[name]
        print(f"  {name:<22}{hit / total if total else 0:>8.3f}{total:>8}")
    print(f"{'negative kind':<24}{'FP':>8}{'pairs':>8}")
    for kind, total in sorted(neg_kinds.items()):
        print(f"  {kind:<22}{fp_kinds[kind]:>8}{total:>8}")
    duplicates = fp_kinds["real_shared_key (likely duplicates in the source)"]
    print(f"    of the real_shared_key FPs, {duplicates} look like duplicate records in the source data")
    print(f"TP {tp}  FP {fp}  FN {fn}  TN {found['tn']}")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"(target F1 >= {TARGET_F1}, precision >= {TARGET_PRECISION})")
    print(f"time per comparison {per_comparison * 1e6:.0f} µs")
    cross_pairs, cross_merged = cross_catalogue(base)
    print(f"unlabelled cross-catalogue pairs sharing a key: {cross_pairs:,}, judged same edition: {cross_merged:,}")
    print("article/citation set: skipped (the fixtures hold 3 component-part records, too few to measure)")
    c_precision, c_recall, c_records, c_elapsed = cluster_quality(rng, base, positives, negatives)
    c_f1 = 2 * c_precision * c_recall / (c_precision + c_recall) if c_precision + c_recall else 0.0
    print(f"cluster() over {c_records:,} records in {c_elapsed:.1f} s: pairwise precision {c_precision:.4f} "
          f"recall {c_recall:.4f} F1 {c_f1:.4f}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "match_quality_errors.txt").write_text("\n".join(errors), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
