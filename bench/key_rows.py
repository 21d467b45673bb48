"""How many of the block keys a catalogue stores an edition already held: the grounds for keys kept by edition.

    python bench/ingest.py --million --files 6     # leaves its catalogue in the folder it prints
    python bench/key_rows.py --home FOLDER [--sample 5000] [--json]

Every record stores one row for each of its block keys (``BlockKey``). A record that joins an edition
another library already holds mostly brings keys the edition has already, from an earlier member. Until
migration 0010 a candidate edition was found through those rows, so each such row made the key index
larger, was written at every chunk and read by every later candidate query, and found no edition the
index did not find already; since then candidates are found in the editions' keys (``EditionKey``),
each (key, edition) pair once, and a joining record adds only the pairs its edition lacks.

This reads the catalogue ``bench/ingest.py`` left in ``--home`` (its ``jaringan.sqlite3``), without
changing it, and prints:

- the key rows, and the distinct (key, edition) pairs among them (what the candidate query returns),
  and the pairs the editions' keys hold (the same number, where the catalogue has them);
- for each library, in the order its records came in: its records, those that joined an edition (the
  catalogue matched them), and of the first ``--sample`` of those, their key rows and the share already
  under the same key in the same edition from an earlier record.

``--json`` ends with the figures as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time
from pathlib import Path


def figures(database: Path, sample: int) -> dict:
    """The catalogue's key rows and, library by library, how many of a joining record's keys its edition held."""
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    try:
        rows = con.execute("SELECT count(*) FROM catalog_blockkey").fetchone()[0]
        pairs = con.execute("SELECT count(*) FROM (SELECT DISTINCT key, edition_id FROM catalog_blockkey "
                            "WHERE edition_id IS NOT NULL)").fetchone()[0]
        kept = None  # the editions' keys (migration 0010), where the catalogue has them
        if con.execute("SELECT 1 FROM sqlite_master WHERE name = 'catalog_editionkey'").fetchone():
            kept = con.execute("SELECT count(*) FROM catalog_editionkey").fetchone()[0]
        libraries = []
        order = con.execute("SELECT r.library_id, l.code, min(r.id), count(*) FROM catalog_sourcerecord r "
                            "JOIN network_library l ON l.id = r.library_id GROUP BY r.library_id, l.code "
                            "ORDER BY min(r.id)").fetchall()
        for library_id, code, _first, records in order:
            joined = [pk for (pk,) in con.execute(
                "SELECT r.id FROM catalog_sourcerecord r JOIN catalog_matchlink m ON m.record_id = r.id "
                "WHERE r.library_id = ? AND m.decided = 'matched' ORDER BY r.id", [library_id])]
            sampled = joined[:sample]
            keys = held = 0
            for start in range(0, len(sampled), 500):
                part = sampled[start:start + 500]
                found = con.execute(
                    "SELECT count(*), coalesce(sum(EXISTS (SELECT 1 FROM catalog_sourcerecord r "
                    "JOIN catalog_blockkey o ON o.record_id = r.id WHERE r.edition_id = b.edition_id "
                    "AND o.edition_id = b.edition_id AND o.key = b.key AND o.record_id < b.record_id)), 0) "
                    "FROM catalog_blockkey b "
                    f"WHERE b.record_id IN ({','.join('?' * len(part))})", part).fetchone()  # noqa: S608
                keys, held = keys + found[0], held + found[1]
            libraries.append({"library": code, "records": records, "joined": len(joined),
                              "sampled": len(sampled), "key_rows_sampled": keys,
                              "held_already": held, "share_held": round(held / keys, 4) if keys else None})
    finally:
        con.close()
    return {"key_rows": rows, "edition_key_pairs": pairs, "edition_keys_kept": kept,
            "rows_per_pair": round(rows / pairs, 3) if pairs else None, "libraries": libraries}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, required=True, help="the folder bench/ingest.py left")
    parser.add_argument("--sample", type=int, default=5000, help="joined records of each library looked at")
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    database = args.home / "jaringan.sqlite3"
    if not database.is_file():
        print(f"no catalogue at {database}: run python bench/ingest.py --million --files K first, "
              "it prints the folder it leaves", file=sys.stderr)
        return 2
    started = time.perf_counter()
    found = figures(database, args.sample)
    print(f"key rows            {found['key_rows']:,}, {found['edition_key_pairs']:,} distinct (key, edition) "
          f"pairs: {found['rows_per_pair']} rows a pair")
    if found["edition_keys_kept"] is not None:
        print(f"editions' keys      {found['edition_keys_kept']:,} (key, edition) pairs kept, where candidates are "
              "found")
    for library in found["libraries"]:
        share = "-" if library["share_held"] is None else f"{100 * library['share_held']:.1f} %"
        print(f"  {library['library']:<16} {library['records']:>9,} records {library['joined']:>9,} joined an "
              f"edition; of {library['sampled']:,} of these, {library['key_rows_sampled']:,} key rows, "
              f"{share} held by the edition already")
    print(f"read in {time.perf_counter() - started:.1f} s")
    if args.json:
        print(json.dumps(found))
    return 0


if __name__ == "__main__":
    sys.exit(main())
