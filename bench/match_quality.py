"""Match quality on a labelled set built from the real fixtures.

    .venv/bin/python bench/match_quality.py [--seed N] [--loc-slice N] [--json]   (from the repository root)

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
decisions to ``bench/out/match_quality_errors.txt``.  ``--json`` prints the
same, then the figures as one JSON object on the last line: for each set
(``books``, ``cluster``, ``articles``) precision, recall and F1, and for the
pair sets the counts (TP, FP, FN, TN), recall and pairs per variation, false
positives and pairs per kind of negative.

Articles are measured apart (``--articles-only`` runs just them).  The
fixtures hold only three component-part records, so article-like records are
derived: the venues are the fixtures' real serial titles (Koha's, Evergreen's
concerto and jazz serials) with their real abbreviated key titles (MARC 210,
"Natl. geogr. (Print)" for "National geographic (Print)") where catalogued,
else an ISO 4-style abbreviation cut from the words; titles, authors and
language come from real records; year, volume, issue, page range and (for
some venues) a DOI are drawn.  Each article is written as a CSV row and read
by the CSV reader, as a library's citation list would be.  Positive pairs are
the same article typed by another library (venue abbreviated or as an
acronym, authors as initials or cut to "et al.", title typos and case, DOI
as a link or left out, volume/issue/pages left out or written "pp. 45–67");
negatives are the same title and authors in another venue (conference and
journal versions) or another year, the same title and venue by other
authors, a generic title ("Editorial") by one editor in two issues, real
different articles sharing a blocking key, and the same pairs printed in one
journal in one year (one issue half the time).
"""

from __future__ import annotations

import argparse
import csv
import io
import json
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
from jaringan.core.catalog.readers.csvfile import read_csv  # noqa: E402
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
    # A reprint's record dates it by its own year alone: none of the first printing's dates (the years its
    # statement names, a guess's span, a set's last year).
    return replace(record, year=record.year + rng.randint(1, 6), other_years=(), year_until=None, year_last=None,
                   isbns=isbns, edition=edition,
                   source_id=f"{record.source_id}~reprint", library="reprint", lccn=None, oclc_numbers=())


def new_edition(rng: random.Random, record: CanonicalRecord) -> CanonicalRecord | None:
    if record.year is None:
        return None
    pages = int(record.pages * rng.uniform(1.1, 1.4)) if record.pages else None
    edition = rng.choice(("2nd ed.", "Edisi ke-2", "Ed. rev.", "3rd ed.", "Edisi revisi", "Cet. 2, edisi kedua"))
    return replace(record, year=record.year + rng.randint(1, 8), other_years=(), year_until=None, year_last=None,
                   edition=edition, pages=pages,
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


# --------------------------------------------------------------------------- articles
ARTICLE_POSITIVES = 1500
ARTICLE_NEGATIVES_EACH = 300
ARTICLE_REAL_NEGATIVES_MAX = 2000
ARTICLE_VARIATIONS = (
    "venue_abbreviated",
    "venue_acronym",
    "author_initials",
    "authors_et_al",
    "author_order_name",
    "title_typo",
    "punctuation_case",
    "subtitle_dropped",
    "doi_as_link",
    "doi_dropped",
    "locator_dropped",
    "pages_rewritten",
)
#: Titles every journal prints in many issues (English and Indonesian).
GENERIC_TITLES = ("Editorial", "Introduction", "Book reviews", "Letters to the editor", "Pengantar redaksi",
                  "Kata pengantar", "Tinjauan buku", "Dari redaksi")
ARTICLE_COLUMNS = ("id", "title", "subtitle", "authors", "venue", "year", "volume", "issue", "pages", "doi", "language")
VENUE_SMALL_WORDS = frozenset("a an and the of for on in at to & dan untuk di de la le et".split())
SHARE_OF_VENUES_WITH_DOIS = 0.6


def _marc_value(marc, tag: str, code: str | None = None) -> str | None:
    fields = marc.get_fields(tag)
    if not fields:
        return None
    value = fields[0].get(code) if code else fields[0].value()
    return re.sub(r"[\s:/.;,]+$", "", value).strip() if value else None


def load_venues() -> list[tuple[str, str | None]]:
    """(full title, real abbreviated key title or None) of every serial in the fixtures."""
    serials = list(pymarc.parse_xml_to_array(str(FIXTURES / "koha_misc4dev/koha_sample_bibs.marcxml")))
    serials += pymarc.parse_xml_to_array(str(FIXTURES / "evergreen/concerto_enhanced/concerto_bibs.marcxml"))
    serials += _marc_records(FIXTURES / "evergreen/jazz_1k.mrc")
    venues: dict[str, tuple[str, str | None]] = {}
    for marc in serials:
        if marc is None or marc.leader[7] != "s":
            continue
        full = _marc_value(marc, "222") or _marc_value(marc, "245", "a")
        abbreviated = _marc_value(marc, "210")
        if not full:
            continue
        if abbreviated and normalise_for_match(abbreviated) == normalise_for_match(full):
            abbreviated = None
        venues.setdefault(normalise_for_match(full), (full, abbreviated))
    return sorted(venues.values())


def iso4_like(rng: random.Random, venue: str) -> str:
    """An ISO 4-style abbreviation: small words dropped, long words cut after a consonant ("Doc.")."""
    out = []
    for word in venue.split():
        bare = word.strip("().,")
        if bare.lower() in VENUE_SMALL_WORDS:
            continue
        if bare.lower() in ("journal", "jurnal"):
            out.append(word.replace(bare, "J."))
            continue
        if len(bare) <= 4 or not bare.isalpha():
            out.append(word)
            continue
        cuts = [n for n in range(3, min(7, len(bare) - 1)) if bare[n - 1].lower() not in "aeiou"]
        out.append(word.replace(bare, bare[: rng.choice(cuts)] + ".") if cuts else word)
    return " ".join(out) or venue


def _acronym(venue: str) -> str | None:
    """Initials in capitals ("IP&M"-style) for a venue of three or more words in Latin letters, else None."""
    words = [w.strip("().,:;'") for w in re.sub(r"\([^)]*\)", " ", venue).split()]
    words = [w for w in words if w and w.lower() not in VENUE_SMALL_WORDS and not w.isdigit()]
    if len(words) < 3 or not all(w.isascii() and w[0].isalpha() for w in words):
        return None
    return "".join(w[0] for w in words).upper()


def _random_doi(rng: random.Random, venue_number: int, venue: str, year: int, volume: int, issue: int, start: int) -> str:
    letters = (_acronym(venue) or re.sub(r"[^A-Za-z]", "", venue)[:4]).upper() or "J"
    return f"10.{1000 + venue_number * 37 % 9000}/{letters}.{year}.{volume}.{issue}.{start:04d}"


def article_rows(rng: random.Random, base: list[CanonicalRecord], venues: list[tuple[str, str | None]]) -> list[dict]:
    """Article-like CSV rows: real titles, authors and languages; a real venue; drawn year, volume, issue, pages, DOI."""
    with_doi = set(rng.sample(range(len(venues)), int(len(venues) * SHARE_OF_VENUES_WITH_DOIS)))
    founded = [rng.randint(1950, 1995) for _ in venues]
    rows = []
    for n, record in enumerate(r for r in base if r.authors and r.title):
        v = rng.randrange(len(venues))
        year = record.year if record.year and record.year > founded[v] else rng.randint(founded[v] + 1, 2016)
        volume, issue, start = year - founded[v], rng.randint(1, 4), rng.randint(1, 400)
        rows.append({
            "id": f"A{n}", "title": record.title, "subtitle": record.subtitle or "",
            "authors": "; ".join(record.authors[:4]), "venue": venues[v][0], "year": str(year),
            "volume": str(volume), "issue": str(issue), "pages": f"{start}-{start + rng.randint(4, 30)}",
            "doi": _random_doi(rng, v, venues[v][0], year, volume, issue, start) if v in with_doi else "",
            "language": record.language or "", "_venue": v,
        })
    return rows


def read_rows(rows: list[dict]) -> list[CanonicalRecord]:
    """The rows as a CSV file read by the CSV reader (one record each, in order)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=ARTICLE_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({**row, "id": f"row{n}"} for n, row in enumerate(rows))  # one record per row
    items = list(read_csv(io.BytesIO(out.getvalue().encode("utf-8"))))
    assert all(item.ok for item in items) and len(items) == len(rows)
    return [item.record for item in items]


ET_AL_SUFFIX = re.compile(r"\s+(et al\.|dkk\.)$")


def _initials(name: str) -> str:
    """"Surname, Given Names" with the given names as initials; other names (corporate, single) as they are."""
    suffix = ET_AL_SUFFIX.search(name)
    name = name[: suffix.start()] if suffix else name
    surname, comma, given = name.partition(",")
    words = [w for w in given.split() if w[0].isalpha()]
    if not comma or not words or any(ch.isdigit() for ch in given):
        return name + (suffix.group() if suffix else "")
    initials = " ".join(f"{w[0]}." for w in words)
    return f"{surname.strip()}, {initials}" + (suffix.group() if suffix else "")


def vary_article(rng: random.Random, row: dict, name: str, venues: list[tuple[str, str | None]]) -> dict | None:
    """``row`` as another library's citation list has it, or None when ``name`` does not apply."""
    full, real_abbreviation = venues[row["_venue"]]
    authors = [a.strip() for a in row["authors"].split(";") if a.strip()]
    if name == "venue_abbreviated":
        abbreviation = real_abbreviation or iso4_like(rng, full)
        return {**row, "venue": abbreviation} if normalise_for_match(abbreviation) != normalise_for_match(full) else None
    if name == "venue_acronym":
        acronym = _acronym(full)
        return {**row, "venue": acronym} if acronym else None
    if name == "author_initials":
        changed = "; ".join(_initials(a) for a in authors)
        return {**row, "authors": changed} if changed != row["authors"] else None
    if name == "authors_et_al":
        if len(authors) < 2 or ET_AL_SUFFIX.search(authors[0]):
            return None
        return {**row, "authors": f"{authors[0]} {rng.choice(('et al.', 'dkk.'))}"}
    if name == "author_order_name":
        if any(ET_AL_SUFFIX.search(a) for a in authors):
            return None
        changed = "; ".join(_invert(a) for a in authors)
        return {**row, "authors": changed} if changed != row["authors"] else None
    if name == "title_typo":
        typo = _typo(rng, row["title"])
        return {**row, "title": typo} if typo != row["title"] else None
    if name == "punctuation_case":
        title = rng.choice((row["title"].upper(), row["title"].lower(), row["title"] + "."))
        return {**row, "title": title} if title != row["title"] else None
    if name == "subtitle_dropped":
        return {**row, "subtitle": ""} if row["subtitle"] else None
    if name == "doi_as_link":
        if not row["doi"]:
            return None
        return {**row, "doi": rng.choice(("https://doi.org/", "http://dx.doi.org/", "doi:")) + row["doi"].lower()}
    if name == "doi_dropped":
        return {**row, "doi": ""} if row["doi"] else None
    if name == "locator_dropped":
        return {**row, "volume": "", "issue": "", "pages": ""}
    if name == "pages_rewritten":
        start, _, end = row["pages"].partition("-")
        return {**row, "pages": rng.choice((f"pp. {start}-{end}", f"{start}\u2013{end}", f"hlm. {start}-{end}"))}
    raise ValueError(name)


def build_article_pairs(rng: random.Random, base: list[CanonicalRecord]):
    venues = load_venues()
    rows = article_rows(rng, base, venues)
    positives_rows, negative_rows = [], []
    for row in rng.sample(rows, min(ARTICLE_POSITIVES, len(rows))):
        applied, copy = [], row
        wanted = rng.choice((1, 1, 2, 3))
        for name in rng.sample(ARTICLE_VARIATIONS, len(ARTICLE_VARIATIONS)):
            changed = vary_article(rng, copy, name, venues)
            if changed is not None:
                copy, applied = changed, applied + [name]
            if len(applied) == wanted:
                break
        positives_rows.append((row, {**copy, "id": row["id"] + "~copy"}, tuple(applied)))

    def elsewhere(row: dict, **changes) -> dict:
        start = rng.randint(1, 400)
        other = {**row, "issue": str(rng.randint(1, 4)), "pages": f"{start}-{start + rng.randint(4, 30)}",
                 "doi": "", **changes}
        return {**other, "id": row["id"] + "~" + "-".join(changes)}

    for row in rng.sample(rows, ARTICLE_NEGATIVES_EACH):
        v = rng.choice([n for n in range(len(venues)) if n != row["_venue"]])
        negative_rows.append((row, elsewhere(row, venue=venues[v][0], _venue=v,
                                             volume=str(rng.randint(1, 60))), "other_venue"))
    for row in rng.sample(rows, ARTICLE_NEGATIVES_EACH):
        later = rng.randint(1, 5)
        negative_rows.append((row, elsewhere(row, year=str(int(row["year"]) + later),
                                             volume=str(int(row["volume"]) + later)), "other_year"))
    for row in rng.sample(rows, ARTICLE_NEGATIVES_EACH):
        others = rng.choice([r for r in rng.sample(rows, 5) if r["authors"] != row["authors"]])
        negative_rows.append((row, elsewhere(row, authors=others["authors"]), "other_authors"))
    for row in rng.sample(rows, ARTICLE_NEGATIVES_EACH):
        title = rng.choice(GENERIC_TITLES)
        editor = row["authors"].split(";")[0]
        one = {**row, "title": title, "subtitle": "", "authors": editor, "doi": "", "id": row["id"] + "~ed1"}
        issues = rng.sample(range(1, 5), 2)
        one["issue"] = str(issues[0])
        two = elsewhere(one, issue=str(issues[1]))
        negative_rows.append((one, two, "generic_title_other_issue"))
    flat = [r for a, b, _ in positives_rows + negative_rows for r in (a, b)]
    read_back = iter(read_rows(flat))
    pairs = [(next(read_back), next(read_back), label) for _a, _b, label in positives_rows + negative_rows]
    positives, negatives = pairs[:len(positives_rows)], pairs[len(positives_rows):]
    base_records = read_rows(rows)
    by_key: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(base_records):
        for key in blocking_keys(record):
            by_key[key].append(i)
    real = sorted({pair for members in by_key.values() for pair in combinations(members, 2)})
    sampled = rng.sample(real, min(ARTICLE_REAL_NEGATIVES_MAX, len(real)))
    negatives += [(base_records[i], base_records[j], "real_shared_key") for i, j in sampled]
    # The hardest: two real records sharing a key, printed in one journal in one year (and one issue
    # half the time) — same author's neighbouring titles, volumes of a report series.
    moved = []
    for i, j in sampled[:ARTICLE_REAL_NEGATIVES_MAX // 2]:
        one = rows[i]
        issue = one["issue"] if rng.random() < 0.5 else str(rng.randint(1, 4))
        start = rng.randint(1, 400)
        moved.append((one, {**rows[j], "venue": one["venue"], "_venue": one["_venue"], "year": one["year"],
                            "volume": one["volume"], "issue": issue, "pages": f"{start}-{start + 9}", "doi": ""}))
    read_moved = iter(read_rows([r for pair in moved for r in pair]))
    negatives += [(next(read_moved), next(read_moved), "same_venue_year_shared_key") for _pair in moved]
    return venues, rows, positives, negatives


def _f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def figures(positives, negatives, variations, found, per_variation, fp_kinds, neg_kinds, per_comparison) -> dict:
    """The figures of one labelled pair set, as ``--json`` prints them."""
    tp, fp, fn = found["tp"], found["fp"], found["fn"]
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return {
        "positive_pairs": len(positives), "negative_pairs": len(negatives),
        "tp": tp, "fp": fp, "fn": fn, "tn": found["tn"],
        "precision": round(precision, 4), "recall": round(recall, 4), "f1": round(_f1(precision, recall), 4),
        "variations": {name: {"recall": round(hit / total, 4) if total else 0.0, "pairs": total}
                       for name in variations for hit, total in [per_variation[name]]},
        "negative_kinds": {kind: {"fp": fp_kinds[kind], "pairs": total} for kind, total in sorted(neg_kinds.items())},
        "microseconds_per_comparison": round(per_comparison * 1e6, 1),
    }


def report_articles(rng: random.Random, base: list[CanonicalRecord]) -> tuple[list[str], dict]:
    venues, rows, positives, negatives = build_article_pairs(rng, base)
    found, per_variation, fp_kinds, neg_kinds, errors, per_comparison = evaluate(positives, negatives)
    tp, fp, fn = found["tp"], found["fp"], found["fn"]
    result = figures(positives, negatives, ARTICLE_VARIATIONS, found, per_variation, fp_kinds, neg_kinds,
                     per_comparison)
    precision, recall, f1 = result["precision"], result["recall"], result["f1"]
    real_abbreviations = sum(1 for _full, abbreviated in venues if abbreviated)
    print(f"articles: {len(rows):,} article-like records in {len(venues)} real venues "
          f"({real_abbreviations} with a real abbreviated title)")
    print(f"pairs: {len(positives):,} positive, {len(negatives):,} negative")
    print(f"{'':<24}{'recall':>8}{'pairs':>8}")
    for name in ARTICLE_VARIATIONS:
        hit, total = per_variation[name]
        print(f"  {name:<22}{hit / total if total else 0:>8.3f}{total:>8}")
    print(f"{'negative kind':<24}{'FP':>8}{'pairs':>8}")
    for kind, total in sorted(neg_kinds.items()):
        print(f"  {kind:<26}{fp_kinds[kind]:>4}{total:>8}")
    print(f"TP {tp}  FP {fp}  FN {fn}  TN {found['tn']}")
    print(f"articles: precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"(target F1 >= {TARGET_F1}, precision >= {TARGET_PRECISION})")
    print(f"time per comparison {per_comparison * 1e6:.0f} µs")
    return errors, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--loc-slice", type=int, default=LOC_SLICE)
    parser.add_argument("--articles-only", action="store_true", help="measure only the article pairs")
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    started = time.perf_counter()
    base = load_base(args.loc_slice)
    loaded = time.perf_counter() - started
    run = {"seed": args.seed, "loc_slice": args.loc_slice, "base_records": len(base)}
    if args.articles_only:
        errors, run["articles"] = report_articles(random.Random(args.seed), base)
        OUT.mkdir(parents=True, exist_ok=True)
        (OUT / "match_quality_article_errors.txt").write_text("\n".join(errors), encoding="utf-8")
        if args.json:
            print(json.dumps(run))
        return 0
    positives, negatives = build_pairs(rng, base)
    found, per_variation, fp_kinds, neg_kinds, errors, per_comparison = evaluate(positives, negatives)
    tp, fp, fn = found["tp"], found["fp"], found["fn"]
    run["books"] = figures(positives, negatives, VARIATIONS, found, per_variation, fp_kinds, neg_kinds,
                           per_comparison)
    precision, recall, f1 = run["books"]["precision"], run["books"]["recall"], run["books"]["f1"]

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
    run["books"]["real_shared_key_fp_likely_source_duplicates"] = duplicates
    print(f"TP {tp}  FP {fp}  FN {fn}  TN {found['tn']}")
    print(f"precision {precision:.4f}  recall {recall:.4f}  F1 {f1:.4f}  "
          f"(target F1 >= {TARGET_F1}, precision >= {TARGET_PRECISION})")
    print(f"time per comparison {per_comparison * 1e6:.0f} µs")
    cross_pairs, cross_merged = cross_catalogue(base)
    print(f"unlabelled cross-catalogue pairs sharing a key: {cross_pairs:,}, judged same edition: {cross_merged:,}")
    c_precision, c_recall, c_records, c_elapsed = cluster_quality(rng, base, positives, negatives)
    c_f1 = _f1(c_precision, c_recall)
    run["cluster"] = {"records": c_records, "seconds": round(c_elapsed, 2), "precision": round(c_precision, 4),
                      "recall": round(c_recall, 4), "f1": round(c_f1, 4)}
    print(f"cluster() over {c_records:,} records in {c_elapsed:.1f} s: pairwise precision {c_precision:.4f} "
          f"recall {c_recall:.4f} F1 {c_f1:.4f}")
    print()
    article_errors, run["articles"] = report_articles(random.Random(args.seed), base)
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "match_quality_errors.txt").write_text("\n".join(errors), encoding="utf-8")
    (OUT / "match_quality_article_errors.txt").write_text("\n".join(article_errors), encoding="utf-8")
    if args.json:
        print(json.dumps(run))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
