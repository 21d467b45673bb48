"""What each record of an import costs at the least: every step of the ingest, once, in one process.

    python bench/ingest_floor.py                 # the 40,000 LoC records
    python bench/ingest_floor.py --records 5000  # a quick run

``bench/ingest.py`` measures the import as it runs: processes reading,
matching and storing, and indexing beside one another. This script takes the
same records through the same steps one after another, in 500-record chunks,
with nothing around them: no processes to hand records between, no outbox, no
matching (one library: nothing to match), each step's CPU time
(``time.process_time``, Tantivy's threads included) added up:

* **frame + pymarc**: split the file into records, and pymarc decodes each
  (as the import calls it);
* **normalise**: the canonical record from pymarc's (``record_from_marc``);
* **stored form**: the canonical record as stored (JSON), its description
  number and its blocking keys;
* **database rows**: the rows an import writes for a new record in a new
  edition (record with its raw bytes, keys, match link, edition, work, outbox
  row), on the project's own schema as an import writes them, committed per
  chunk: SQLite by default; the PostgreSQL of ``DATABASE_URL`` when it is set
  (a fresh ``jaringan_floor`` database beside it, and the server's CPU for
  the connection, read from /proc, added in);
* **analysis**: the record's search document, its text through the shared
  analyser (first sight of each word, as in a first import), as JSON;
* **Tantivy**: adding those documents with one writer, committed per 5,000
  as the index's drain alongside an import does (``--index-commit N`` for
  another size).

The garbage collector runs with the thresholds an import sets
(``jaringan.core.collector``); ``--default-gc`` keeps Python's own, to see
what they save.

Sastrawi's time inside the analysis is measured around each of its calls and
printed with the other libraries' steps: what a record costs in pymarc,
Sastrawi, Tantivy and the database alone, and the rate that allows.

The sum is the CPU a record needs however the work is spread. On N cores, no
arrangement of processes can ingest faster than N / sum records a second: the
ceiling printed for this machine's cores, beside pymarc's own rate (its reader
over the same file, measured first, as ``bench/ingest.py`` does).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
import time
from collections import defaultdict
from contextlib import nullcontext
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
LOC = SHARED / "fixtures" / "loc_mds_booksall2016" / "booksall2016_part01_first40k.mrc"
CHUNK = 500


class Clock:
    """CPU seconds by step."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self._step: str | None = None
        self._start = 0.0

    def step(self, name: str | None) -> None:
        now = time.process_time()
        if self._step is not None:
            self.seconds[self._step] += now - self._start
        self._step, self._start = name, now


def _server_cpu_reader(connection):
    """A function giving the CPU seconds the database server spent for this connection so far: 0 for
    SQLite (its work is this process's), else the PostgreSQL backend's, read from /proc (the server
    runs on this machine)."""
    if connection.vendor != "postgresql":
        return lambda: 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        stat = Path(f"/proc/{cursor.fetchone()[0]}/stat")
    ticks = os.sysconf("SC_CLK_TCK")

    def seconds() -> float:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / ticks  # utime and stime

    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, help="only the first N records")
    parser.add_argument("--index-commit", type=int, default=5000, metavar="N",
                        help="documents per Tantivy commit (default 5,000)")
    parser.add_argument("--default-gc", action="store_true",
                        help="Python's own garbage collector thresholds, not an import's")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="jaringan-floor-")
    os.environ["JARINGAN_HOME"] = home
    if os.environ.get("DATABASE_URL"):  # PostgreSQL: a fresh database beside the one named
        import psycopg

        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS jaringan_floor")
            conn.execute("CREATE DATABASE jaringan_floor")
        os.environ["DATABASE_URL"] = os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/jaringan_floor"
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone
    from pymarc import MARCReader, Record

    from jaringan.catalog import bulk
    from jaringan.catalog.models import BlockKey, Edition, EditionChange, MatchLink, SourceRecord, Work
    from jaringan.core.catalog import codec
    from jaringan.core.catalog.marc import record_from_marc
    from jaringan.core.catalog.matching import key_numbers
    from jaringan.core.catalog.matching.blocking import same_work_key
    from jaringan.core.catalog.readers.iso2709 import _source_id, split_records
    from jaringan.core.collector import bulk_collection
    from jaringan.core.search.document import document_from_records
    from jaringan.core.search.index import SearchIndex, document_fields
    from jaringan.network import demo
    from jaringan.network.models import Library

    # pymarc's own rate, as bench/ingest.py measures it: its reader over the file, nothing else.
    started = time.perf_counter()
    with open(LOC, "rb") as fh:
        parsed = sum(1 for n, r in zip(range(args.records or 10**9), MARCReader(fh, to_unicode=True, force_utf8=True))
                     if r)
    pymarc_rate = parsed / (time.perf_counter() - started)

    # Sastrawi's share of the analysis: the time in its stemmer (first sight of a word; the analyser
    # keeps its answers), measured around each call.
    from jaringan.core.catalog import text as analyser

    stemmer = analyser._sastrawi_stemmer()  # (its dictionary loaded here, before the clock runs)
    in_sastrawi = [0.0]
    in_pymarc = [0.0]  # pymarc decoding the records (the framing aside)
    in_database = [0.0]  # the rows' INSERTs and their commit, without making the rows

    class TimedSastrawi:
        def stem(self, word: str) -> str:
            started = time.process_time()
            try:
                return stemmer.stem(word)
            finally:
                in_sastrawi[0] += time.process_time() - started

    timed = TimedSastrawi()
    analyser._sastrawi_stemmer = lambda: timed

    call_command("migrate", verbosity=0)
    demo.load_demo()
    library = Library.objects.order_by("code").first()
    server_cpu = _server_cpu_reader(connection)
    index = SearchIndex(Path(home) / "index")
    clock = Clock()
    count = 0
    ids = {"record": 0, "edition": 0, "work": 0}

    def chunks():
        chunk = []
        with open(LOC, "rb") as stream:
            for n, (_offset, raw, _error) in enumerate(split_records(stream)):
                if args.records is not None and n >= args.records:
                    break
                chunk.append(raw)
                if len(chunk) == CHUNK:
                    yield chunk
                    chunk = []
        if chunk:
            yield chunk

    texts: list[str] = []
    with (nullcontext() if args.default_gc else bulk_collection()), index.writer() as writer:
        clock.step("frame + pymarc")
        for raws in chunks():
            clock.step("frame + pymarc")
            decoding = time.process_time()
            marcs = [Record(data=raw, to_unicode=True, force_utf8=True, hide_utf8_warnings=True) for raw in raws]
            in_pymarc[0] += time.process_time() - decoding
            clock.step("normalise")
            records = [record_from_marc(m, source_id=_source_id(m)) for m in marcs]
            clock.step("stored form")
            stored = []
            for record in records:
                data = codec.to_data(record)
                stored.append((codec.data_text(data), codec.description_number(data), key_numbers(record)))
            clock.step("database rows")
            at = bulk.db_datetime(timezone.now())
            rows, keys, links, editions, works, changes = [], [], [], [], [], []
            for raw, record, (text, description, record_keys) in zip(raws, records, stored):
                for name in ids:
                    ids[name] += 1
                pk = ids["record"]
                rows.append((pk, library.pk, record.source_id or str(pk), "marc21", raw, hashlib.sha1(raw).hexdigest(),
                             text, description, pk, False, at, at))
                keys += [(k, pk) for k in record_keys]
                links.append((pk, pk, MatchLink.Decided.NEW, 0, "[]", at))
                works.append((pk, same_work_key(record)[:255], record.title[:500]))
                editions.append((pk, pk, pk, record.full_title[:500], record.year, record.format,
                                 record.language or "", at, at))
                changes.append((pk, at))
            writing, serving = time.process_time(), server_cpu()
            with transaction.atomic():
                bulk.insert_rows(Work, ["id", "key", "title"], works)
                bulk.insert_rows(Edition, ["id", "work_id", "preferred_id", "title", "year", "format", "language",
                                           "created", "updated"], editions)
                bulk.insert_rows(SourceRecord, ["id", "library_id", "source_id", "format", "raw", "checksum",
                                                "data", "description", "edition_id", "withdrawn", "created",
                                                "updated"], rows)
                bulk.insert_rows(BlockKey, ["key", "record_id"], keys)
                bulk.insert_rows(MatchLink, ["record_id", "edition_id", "decided", "score", "comparisons", "at"],
                                 links)
                bulk.insert_rows(EditionChange, ["edition_id", "at"], changes)
            served = server_cpu() - serving  # the database server's own work, on the same cores
            in_database[0] += time.process_time() - writing + served
            clock.seconds["database rows"] += served
            clock.step("analysis")
            for record, row in zip(records, rows):
                texts.append(json.dumps(document_fields(document_from_records(row[0], [record])),
                                        ensure_ascii=False))
            clock.step("Tantivy")
            if len(texts) >= args.index_commit:
                for text in texts:
                    writer.add_json(text)
                writer.commit()
                texts = []
            count += len(raws)
            clock.step("frame + pymarc")  # reading the next chunk
        clock.step("Tantivy")
        for text in texts:
            writer.add_json(text)
    clock.step(None)  # the writer's last commit, on leaving
    connection.close()

    total = sum(clock.seconds.values())
    database = "PostgreSQL (client and server)" if connection.vendor == "postgresql" else "SQLite"
    cores = os.cpu_count() or 1
    ceiling = cores * count / total
    collector = "Python's default" if args.default_gc else "as an import sets it"
    print(f"records             {count:,} LoC records, one library, {database}; garbage collector {collector}; "
          f"index commits per {args.index_commit:,}")
    print(f"pymarc parse        {pymarc_rate:,.0f} records/s (its reader over the file, nothing else)")
    for name, seconds in clock.seconds.items():
        print(f"  {name:<17} {1e6 * seconds / count:7.0f} µs a record  ({100 * seconds / total:4.1f} %)")
    print(f"  {'all steps':<17} {1e6 * total / count:7.0f} µs a record")
    print(f"ceiling             {ceiling:,.0f} records/s on {cores} cores, {100 * ceiling / pymarc_rate:.0f} % of "
          "pymarc's rate (every core busy with these steps and nothing else)")
    outside = {"pymarc": in_pymarc[0], "Sastrawi": in_sastrawi[0],
               "Tantivy": clock.seconds["Tantivy"], database: in_database[0]}
    print("in libraries       " + ", ".join(f"{name} {1e6 * seconds / count:.0f}" for name, seconds in outside.items())
          + " µs a record")
    spent = sum(outside.values())
    print(f"                    together {1e6 * spent / count:.0f} µs a record: {cores * count / spent:,.0f} records/s "
          f"on {cores} cores if all the rest cost nothing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
