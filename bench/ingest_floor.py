"""What each record of an import costs at the least: every step of the ingest, once, in one process.

    python bench/ingest_floor.py                 # the 40,000 LoC records
    python bench/ingest_floor.py --records 5000  # a quick run

``bench/ingest.py`` measures the import as it runs: processes reading,
matching and storing, and indexing beside one another. This script takes the
same records through the same steps one after another, in 500-record chunks,
with nothing around them: no processes to hand records between, no outbox, no
matching (one library: nothing to match), each step's CPU time
(``time.process_time``, Tantivy's threads included) added up:

* **frame + decode**: split the file into records, and the reader's decoder
  (rmarc when installed, else pymarc) decodes each, as the import calls it;
* **normalise**: the canonical record from the decoded one (``record_from_marc``);
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
printed with the other libraries' steps: what a record costs in the decoder,
Sastrawi, Tantivy and the database alone, and the rate that allows.

The sum is the CPU a record needs however the work is spread. On N cores, no
arrangement of processes can ingest faster than N / sum records a second: the
ceiling printed for this machine's cores, beside pymarc's own rate (its reader
over the same file, measured first, as ``bench/ingest.py`` does).

**Decoders** (printed first; ``--decoders`` prints only this): the records
decoded by pymarc's ``Record`` and by rmarc's (pymarc's API, decoded in Rust),
one after the other over the same bytes, CPU µs a record each; then every
MARC 21 fixture (the files ``tests/core/catalog/readers/test_fixtures.py``
reads: MARC-8, broken and non-bibliographic ones included) read by the
ISO 2709 reader with each, and the items compared (canonical record, source
id, deleted flag, error). The reader decodes with rmarc when it is installed
(``iso2709.DECODER``) because both hold: no item differs, and rmarc is faster.
Measured on the 40,000 LoC records (2 shared cores, two runs): decoding
72-73 µs a record with pymarc, 24 µs with rmarc; the reader's whole item
(checks, decoding, normalising) 215-217 µs with pymarc, 151-159 µs with
rmarc; 73 MARC 21 fixture files, 46,019 items, none different.
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


def compare_decoders(limit: int | None, *, fixtures: bool) -> None:
    """Print pymarc's and rmarc's CPU time a record over the LoC records, and (``fixtures``) whether the
    ISO 2709 reader gives the same items with each on every MARC 21 fixture."""
    sys.path.insert(0, str(REPO / "src"))
    import pymarc

    from jaringan.core.catalog.readers import iso2709

    try:
        import rmarc
    except ImportError:
        print("decoders            rmarc is not installed: pymarc only")
        return
    decoders = {"pymarc": pymarc.Record, "rmarc": rmarc.Record}
    with open(LOC, "rb") as stream:
        raws = [raw for n, (_o, raw, _e) in zip(range(limit or 10**9), iso2709.split_records(stream))]
    decoding, reading = {}, {}
    for name, decoder in decoders.items():
        started = time.process_time()
        for raw in raws:
            decoder(data=raw, to_unicode=True, force_utf8=True, hide_utf8_warnings=True)
        decoding[name] = 1e6 * (time.process_time() - started) / len(raws)
        started = time.process_time()
        for n, raw in enumerate(raws):
            iso2709.item_from_iso2709(raw, position=n, offset=None, decoder=decoder)
        reading[name] = 1e6 * (time.process_time() - started) / len(raws)
    print(f"decoders            {len(raws):,} LoC records, CPU µs a record: decoding "
          + ", ".join(f"{n} {us:.0f}" for n, us in decoding.items()) + "; the reader's item (checks, decoding, "
          "normalising) " + ", ".join(f"{n} {us:.0f}" for n, us in reading.items())
          + f"; the reader uses {iso2709.DECODER.__module__.split('.')[0]}")
    if not fixtures:
        return
    sys.path.insert(0, str(REPO))
    from jaringan.core.catalog.readers import sniff_format
    from tests.core.catalog.readers.test_fixtures import FILES
    from tests.paths import FIXTURES

    compared = items = 0
    different: list[str] = []
    for path in FILES:
        full = FIXTURES / path
        if sniff_format(full.read_bytes()[:65536], path) != "marc21":
            continue
        read = {}
        for name, decoder in decoders.items():
            with full.open("rb") as stream:
                read[name] = [(i.position, i.offset, i.source_id, i.record, i.error, i.deleted)
                              for i in iso2709.read_iso2709(stream, decoder=decoder)]
        compared += 1
        items += len(read["pymarc"])
        different += [f"{path} item {a[0]}: pymarc {a[2:]!r}, rmarc {b[2:]!r}"
                      for a, b in zip(read["pymarc"], read["rmarc"]) if a != b]
        if len(read["pymarc"]) != len(read["rmarc"]):
            different.append(f"{path}: {len(read['pymarc'])} items with pymarc, {len(read['rmarc'])} with rmarc")
    print(f"  fixtures          {compared} MARC 21 files, {items:,} items: {len(different)} differ")
    for line in different[:20]:
        print(f"    {line}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, help="only the first N records")
    parser.add_argument("--index-commit", type=int, default=5000, metavar="N",
                        help="documents per Tantivy commit (default 5,000)")
    parser.add_argument("--default-gc", action="store_true",
                        help="Python's own garbage collector thresholds, not an import's")
    parser.add_argument("--decoders", action="store_true",
                        help="only compare the MARC decoders (pymarc, rmarc): speed, and items on every fixture")
    args = parser.parse_args()
    compare_decoders(args.records, fixtures=args.decoders)
    if args.decoders:
        return 0
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
    from pymarc import MARCReader

    from jaringan.catalog import bulk
    from jaringan.catalog.models import BlockKey, Edition, EditionChange, MatchLink, SourceRecord, Work
    from jaringan.core.catalog import codec
    from jaringan.core.catalog.marc import record_from_marc
    from jaringan.core.catalog.matching import key_numbers
    from jaringan.core.catalog.matching.blocking import same_work_key
    from jaringan.core.catalog.readers.iso2709 import DECODER, _source_id, split_records
    from jaringan.core.collector import bulk_collection
    from jaringan.core.search.document import document_from_records
    from jaringan.core.search.index import SearchIndex, document_fields
    from jaringan.demo import network as demo
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
    in_decoder = [0.0]  # the decoder decoding the records (the framing aside)
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
    demo.load_network()
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
        clock.step("frame + decode")
        for raws in chunks():
            clock.step("frame + decode")
            decoding = time.process_time()
            marcs = [DECODER(data=raw, to_unicode=True, force_utf8=True, hide_utf8_warnings=True) for raw in raws]
            in_decoder[0] += time.process_time() - decoding
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
            clock.step("frame + decode")  # reading the next chunk
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
    outside = {DECODER.__module__.split(".")[0]: in_decoder[0], "Sastrawi": in_sastrawi[0],
               "Tantivy": clock.seconds["Tantivy"], database: in_database[0]}
    print("in libraries       " + ", ".join(f"{name} {1e6 * seconds / count:.0f}" for name, seconds in outside.items())
          + " µs a record")
    spent = sum(outside.values())
    print(f"                    together {1e6 * spent / count:.0f} µs a record: {cores * count / spent:,.0f} records/s "
          f"on {cores} cores if all the rest cost nothing")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
