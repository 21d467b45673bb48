"""Match quality on labelled real data, through the production path.

    .venv/bin/python bench/match_real.py [--set goldfinch|dblp_scholar|all] [--json] [--errors N]

The sets are the development splits in ``../shared/fixtures/matching_dev/``
(``JARINGAN_SHARED`` overrides where ``shared/`` is), records nobody on this
project wrote:

* ``goldfinch`` — real MARC records of English monographs contributed to
  HathiTrust by many libraries, 10,208 labelled pairs (1 = same edition);
* ``dblp_scholar`` — 5,742 labelled pairs of computer-science citations,
  DBLP's clean records against Google Scholar's dirty ones.

Each record is given to a library of the demo network as a real contributor
would send it: MARC 21 files for goldfinch (the set's cluster field ``CID``
dropped first, since it is the answer), CSV citation lists for DBLP–Scholar
(authors separated by ``;`` as the CSV format asks).  A library holds one
record per edition, so the records are spread over the libraries: records
labelled the same (directly or through others) never go to one library.  In goldfinch, records of one
title proper also go to different libraries while libraries are left: a library's two records of one
title are two editions to the import, which the labels do not say (each record is labelled against a
few others only).  The citation lists are spread by their labels alone.  Every file is imported with
``import_file``, the service behind ``jaringan import``, into a fresh
database; then the editions are read back with ``export_editions``, the
selector behind ``jaringan export editions``, and each labelled pair is
scored: predicted "same" when both records landed in one edition.

Prints pairs, precision, recall and F1 per set (and per work, where works
are scored), and writes the false decisions to ``bench/out/``, and beside
them each with what ``match()`` says of the two records as stored and the
editions they landed in (``match_real_SET_reasons.txt``); for a missed pair that
``match()`` calls the same, why they landed apart: each edition's members (the
preferred record starred), what ``match()`` says of each record against the
other edition's preferred record, and whether its library holds another record
of that edition.  ``--json``
ends with one JSON object of the figures on the last line.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import sys
import tempfile
import time
import zipfile
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

from tests.paths import FIXTURES  # noqa: E402

DEV = FIXTURES / "matching_dev"
GOLDFINCH = DEV / "goldfinch_val"
DBLP_SCHOLAR = DEV / "dblp_scholar_valid" / "valid.txt"
OUT = REPO / "bench" / "out"
#: How many of the demo's libraries receive records.
LIBRARIES = 24


def sets_missing() -> bool:
    """Whether the development sets are missing (said on stderr): every script reading them stops then."""
    if DEV.is_dir():
        return False
    print(f"the matching development sets are not at {DEV}: set JARINGAN_SHARED to the shared folder",
          file=sys.stderr)
    return True


def components(ids: list, links: list[tuple]) -> dict:
    """The ids linked by pairs, directly or through others: each component's members (in the order of
    ``ids``) by its root."""
    parent = {i: i for i in ids}

    def root(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for a, b in links:
        parent[root(a)] = root(b)
    found: dict = defaultdict(list)
    for i in ids:
        found[root(i)].append(i)
    return found


def rates(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """Precision, recall and F1, rounded to four places (1.0 when nothing was found or was to find)."""
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return round(precision, 4), round(recall, 4), round(f1, 4)


def spread(ids: list[str], positives: list[tuple[str, str]], libraries: int,
           titles: dict[str, str] | None = None) -> dict[str, int]:
    """A library for each record such that records labelled the same, directly or through others (one
    component of the "same" pairs), never share one: each library holds one record of an edition.
    Records of one title (``titles``, normalised) are kept apart too while libraries are left: a library's
    two records of one title are two editions to the import, which the labels may not say (each record
    is labelled against a few others only)."""
    placed: dict[str, int] = {}
    load = [0] * libraries
    holding: dict[str, set[int]] = defaultdict(set)  # title -> the libraries holding a record of it
    for members in sorted(components(ids, positives).values(), key=lambda m: (-len(m), min(m))):
        if len(members) > libraries:
            raise SystemExit(f"{len(members)} records labelled one edition: more than the {libraries} libraries")
        free = set(range(libraries))
        for rid in sorted(members):
            title = (titles or {}).get(rid)
            lib = min(free, key=lambda n: (title is not None and n in holding[title], load[n], n))
            free.discard(lib)
            placed[rid] = lib
            load[lib] += 1
            if title is not None:
                holding[title].add(lib)
    return placed


# --- goldfinch: MARC 21 ------------------------------------------------------------------------------

def goldfinch() -> tuple[dict[str, bytes], list[tuple[str, str, int]], str]:
    """(id -> MARC 21 bytes, labelled pairs, format) for the goldfinch validation split."""
    import pymarc

    labels = []
    with (GOLDFINCH / "202303_goldfinch_set_1.1_val_labels.csv").open(newline="") as f:
        for row in csv.DictReader(f):
            labels.append((row["id1"], row["id2"], int(row["label"])))
    wanted = {i for a, b, _l in labels for i in (a, b)}
    records: dict[str, bytes] = {}
    archive = next(GOLDFINCH.glob("*_val.json.zip"))
    with zipfile.ZipFile(archive) as z, z.open(z.namelist()[0]) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            data = json.loads(line)
            data["fields"] = [f for f in data["fields"] if next(iter(f)) != "CID"]
            rid = next(f["001"] for f in data["fields"] if "001" in f)
            if rid not in wanted or rid in records:
                continue
            record = pymarc.parse_json_to_array(json.dumps(data))[0]
            records[rid] = record.as_marc()
    return records, [p for p in labels if p[0] in records and p[1] in records], "marc21"


# --- DBLP–Scholar: CSV citations ---------------------------------------------------------------------

def _entity(text: str) -> dict[str, str]:
    """``COL title VAL … COL authors VAL …`` as a dict."""
    out = {}
    for part in text.split("COL ")[1:]:
        name, _sep, value = part.partition(" VAL ")
        out[name.strip()] = value.strip()
    return out


def dblp_scholar() -> tuple[dict[str, bytes], list[tuple[str, str, int]], str]:
    """(id -> one CSV row's fields, labelled pairs, format); identical entities share one id."""
    ids: dict[tuple, str] = {}
    rows: dict[str, dict[str, str]] = {}
    labels = []
    for line in DBLP_SCHOLAR.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        left, right, label = line.rsplit("\t", 2) if line.count("\t") >= 2 else (*line.split("\t"), "0")
        pair = []
        for side, text in (("d", left), ("s", right)):
            entity = _entity(text)
            key = (side, tuple(sorted(entity.items())))
            if key not in ids:
                ids[key] = f"{side}{len(ids) + 1}"
                year = entity.get("year", "")
                rows[ids[key]] = {
                    "id": ids[key], "title": entity.get("title", ""),
                    "authors": "; ".join(a.strip() for a in entity.get("authors", "").split(",") if a.strip()),
                    "venue": entity.get("venue", "").strip(" ,"),
                    "year": year[:-2] if year.endswith(".0") else year,
                }
            pair.append(ids[key])
        labels.append((pair[0], pair[1], int(label)))
    return rows, labels, "csv"


def _titles(records: dict[str, bytes]) -> dict[str, str]:
    """Each MARC record's title proper (245 $a), normalised."""
    import pymarc

    from jaringan.core.catalog.text import normalise_for_match

    titles = {}
    for rid, value in records.items():
        fields = pymarc.Record(data=value).get_fields("245")
        title = normalise_for_match((fields[0].get_subfields("a") or [""])[0] if fields else "")
        if title:
            titles[rid] = title
    return titles


def _files(records: dict, placed: dict[str, int], fmt: str, folder: Path) -> dict[int, Path]:
    by_library: dict[int, list[str]] = defaultdict(list)
    for rid, lib in placed.items():
        by_library[lib].append(rid)
    paths = {}
    for lib, rids in sorted(by_library.items()):
        path = folder / f"library{lib:02d}.{'mrc' if fmt == 'marc21' else 'csv'}"
        if fmt == "marc21":
            path.write_bytes(b"".join(records[r] for r in sorted(rids)))
        else:
            with path.open("w", newline="", encoding="utf-8") as f:
                writer = csv.DictWriter(f, fieldnames=["id", "title", "authors", "venue", "year"])
                writer.writeheader()
                for r in sorted(rids):
                    writer.writerow(records[r])
        paths[lib] = path
    return paths


def score(labels: list[tuple[str, str, int]], edition_of: dict[str, int]) -> dict:
    tp = fp = fn = tn = 0
    errors = []
    for a, b, label in labels:
        same = a in edition_of and edition_of.get(a) == edition_of.get(b)
        if same and label:
            tp += 1
        elif same:
            fp += 1
            errors.append(("false merge", a, b))
        elif label:
            fn += 1
            errors.append(("missed", a, b))
        else:
            tn += 1
    precision, recall, f1 = rates(tp, fp, fn)
    return {"pairs": len(labels), "tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision,
            "recall": recall, "f1": f1, "errors": errors}


def run_set(name: str, loader, folder: Path) -> dict:
    from jaringan.catalog import selectors
    from jaringan.catalog.pipeline import import_file
    from jaringan.catalog.models import Edition, SourceRecord
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    records, labels, fmt = loader()
    placed = spread(list(records), [(a, b) for a, b, label in labels if label], LIBRARIES,
                    _titles(records) if fmt == "marc21" else None)
    sub = folder / name
    sub.mkdir()
    paths = _files(records, placed, fmt, sub)
    libraries = list(Library.objects.order_by("code")[:LIBRARIES])
    SourceRecord.objects.all().delete()
    Edition.objects.all().delete()
    started = time.perf_counter()
    quarantined = 0
    for lib, path in paths.items():
        with path.open("rb") as stream:
            batch = import_file(actor=SYSTEM, library=libraries[lib], stream=stream, name=path.name,
                                format=fmt)
        quarantined += batch.quarantined
    seconds = time.perf_counter() - started
    code_of = {lib.code: n for n, lib in enumerate(libraries)}
    edition_of: dict[str, int] = {}
    work_of: dict[str, int] = {}
    for line in selectors.export_editions():
        edition = json.loads(line)
        for member in edition["records"]:
            if code_of.get(member["library"]) == placed.get(member["source_id"]):
                edition_of[member["source_id"]] = edition["edition"]
                if edition.get("work") is not None:
                    work_of[member["source_id"]] = edition["work"]
    result = score(labels, edition_of)
    result["reasons"] = _reasons(result["errors"], edition_of)
    result.update(records=len(records), libraries=len(paths), quarantined=quarantined,
                  seconds=round(seconds, 1), editions=Edition.objects.count())
    if work_of:
        works = score(labels, work_of)
        result["works"] = {k: works[k] for k in ("precision", "recall", "f1")}
    return result


def _reasons(errors: list[tuple[str, str, str]], edition_of: dict[str, int]) -> list[str]:
    """For each false decision, what ``match()`` says of the two records as stored (their canonical forms
    read back), and the editions they landed in: a missed pair that ``match()`` calls the same is a
    placement problem (another member or a closer edition won, or the two were never candidates)."""
    from jaringan.catalog.models import SourceRecord
    from jaringan.core.catalog import codec
    from jaringan.core.catalog.matching import match

    ids = {i for _kind, a, b in errors for i in (a, b)}
    canonical = {row.source_id: codec.from_data(row.data, holdings=False)
                 for row in SourceRecord.objects.filter(source_id__in=ids, withdrawn=False)}
    lines = []
    for kind, a, b in errors:
        if a not in canonical or b not in canonical:
            lines.append(f"{kind}: {a} ~ {b}  (not both in the catalogue: a deleted or refused record)")
            continue
        decision = match(canonical[a], canonical[b])
        verdict = "same" if decision.same else "different"
        lines.append(f"{kind}: {a} ~ {b}  match() {verdict} {decision.score:+d}; editions "
                     f"{edition_of.get(a)} / {edition_of.get(b)}")
        lines.extend("    " + line for line in decision.explain().splitlines())
        if decision.same and kind == "missed":
            lines.extend(_apart(a, b, canonical))
    return lines


def _apart(a: str, b: str, canonical: dict) -> list[str]:
    """Why two records ``match()`` calls the same landed apart: each edition's members (source id @
    library, the preferred record starred), and what ``match()`` says of each record against the other
    edition's preferred record, the one a record meets when it is placed."""
    from jaringan.catalog.models import SourceRecord
    from jaringan.core.catalog import codec
    from jaringan.core.catalog.matching import match

    rows = {r.source_id: r for r in SourceRecord.objects.filter(source_id__in=(a, b), withdrawn=False)
            .select_related("edition", "library")}
    lines = []
    for own, other in ((a, b), (b, a)):
        edition = rows[other].edition
        members = SourceRecord.objects.filter(edition=edition, withdrawn=False).select_related("library")
        shown = ", ".join(f"{'*' if m.pk == edition.preferred_id else ''}{m.source_id}@{m.library.code}"
                          for m in members.order_by("pk"))
        lines.append(f"    edition {edition.pk} of {other}: {shown}")
        preferred = SourceRecord.objects.filter(pk=edition.preferred_id).first()
        if preferred is not None and preferred.source_id != other:
            decision = match(canonical[own], codec.from_data(preferred.data, holdings=False))
            lines.append(f"    {own} against that edition's preferred {preferred.source_id}: "
                         f"{'same' if decision.same else 'different'} {decision.score:+d}")
        if any(m.library_id == rows[own].library_id for m in members):
            lines.append(f"    {own}'s library ({rows[own].library.code}) holds another record of that edition")
    return lines


def _write_errors(name: str, result: dict, records: dict | None, limit: int) -> Path:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"match_real_{name}_errors.txt"
    with path.open("w", encoding="utf-8") as f:
        for kind, a, b in result["errors"][:limit]:
            f.write(f"{kind}: {a} ~ {b}\n")
    with (OUT / f"match_real_{name}_reasons.txt").open("w", encoding="utf-8") as f:
        f.writelines(line + "\n" for line in result["reasons"])
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=["goldfinch", "dblp_scholar", "all"], default="all")
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    parser.add_argument("--errors", type=int, default=100000, help="false decisions written to bench/out/")
    args = parser.parse_args()
    if sets_missing():
        return 2
    home = tempfile.mkdtemp(prefix="jaringan-match-")
    os.environ["JARINGAN_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from jaringan.demo import network as demo

    call_command("migrate", verbosity=0)
    demo.load_network()
    sets = {"goldfinch": goldfinch, "dblp_scholar": dblp_scholar}
    chosen = list(sets) if args.set == "all" else [args.set]
    figures = {}
    for name in chosen:
        result = run_set(name, sets[name], Path(home))
        errors = _write_errors(name, result, None, args.errors)
        figures[name] = {k: v for k, v in result.items() if k not in ("errors", "reasons")}
        r = figures[name]
        print(f"{name:<13} {r['records']:,} records in {r['libraries']} libraries -> {r['editions']:,} editions "
              f"({r['quarantined']} quarantined, {r['seconds']} s)")
        print(f"  pairs {r['pairs']:,}: precision {r['precision']:.4f}  recall {r['recall']:.4f}  "
              f"F1 {r['f1']:.4f}  (tp {r['tp']}, fp {r['fp']}, fn {r['fn']})")
        if "works" in r:
            w = r["works"]
            print(f"  as works:   precision {w['precision']:.4f}  recall {w['recall']:.4f}  F1 {w['f1']:.4f}")
        print(f"  false decisions: {errors.relative_to(REPO)}, with match()'s reasons: "
              f"{errors.with_name(errors.name.replace('_errors', '_reasons')).relative_to(REPO)}", flush=True)
    if args.json:
        print(json.dumps(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
