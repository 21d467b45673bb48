"""End-to-end ingest speed of the union catalogue, beside raw pymarc parsing of the same records.

    python bench/ingest.py                      # the 40,000 LoC records, one library
    python bench/ingest.py --million            # 1,000,000 records held by 20 libraries
    python bench/ingest.py --records 5000 --libraries 4   # a quick run
    python bench/ingest.py --json               # the same, then the figures as one JSON object

End to end means what `jaringan import` does: read and normalise each record,
match it against the catalogue, store it (raw bytes, canonical form, blocking
keys, match evidence), refresh the editions it joins, and bring the search
index up to date from the outbox (with decoding workers, in a second process
alongside the import, whose documents two more processes build, as `jaringan
import` does for a large file). Runs on a fresh database: SQLite in a
temporary folder, or the PostgreSQL named by DATABASE_URL (its
`jaringan_bench` database is dropped and made again).

`--million` builds its input from the LoC records: every record stands for up
to five editions (reprints of other years, later editions) in each pass over
the 40,000 (a million takes several passes, each making other editions), and each edition
is held by 1 to 20 libraries (most by few, some by many), each library's copy
with the variation real catalogues show (subtitle left out, title case,
"&" for "and", ISBN missing, its own 001 and call number in 852). The twenty
files are imported one after another in one process, as ``jaringan harvest``
takes many sources in one run (so what matching keeps in memory carries over
from file to file); one indexing process serves them all, forked from the
importer before the first file, as each `jaringan import` forks its own. pymarc's
parse speed is measured on the same files in the same run; peak memory is the
resident set of the importing process and the largest of its decoding and
indexing processes. Each file's own rate is printed as it ends, with the importing process's peak
memory so far. ``--files K`` imports only the first K files of the input (built whole, so the first
file of the million is the same file), for a quicker look at the early files.

Each file's CPU time of the importing process a record (matching, SQLite's
work, storing; not the decoding or indexing processes) is printed beside its
rate: unlike the rate, it hardly moves when other work shares the machine, so
runs on a busy machine can still be compared.

``--json`` prints the same lines, then the figures as one JSON object on the
last line, so that runs can be compared by a script: ``records_per_second``
overall, ``files`` (each file's library, records read, new, quarantined,
``records_per_second``, ``importing_cpu_ms_per_record`` and ``importing_peak_mib``, the importing
process's peak resident memory so far), ``peak_memory_mib`` (``importing`` process,
``largest_worker``), ``pymarc_records_per_second`` and ``ratio_to_pymarc``,
``database``, ``records``, ``seconds`` and ``editions``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("JARINGAN_SHARED", REPO.parent / "shared"))
LOC = SHARED / "fixtures" / "loc_mds_booksall2016" / "booksall2016_part01_first40k.mrc"


def loc_records(limit: int | None):
    import pymarc

    with open(LOC, "rb") as fh:
        for n, rec in enumerate(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True)):
            if limit is not None and n >= limit:
                return
            if rec is not None:
                yield n, rec


def _vary(rec, rng: random.Random, library: int, serial: str, *, year: int | None, edition: str | None):
    """A library's copy of an edition: its own 001 and 852, and light cataloguing variation."""
    import pymarc

    copy = pymarc.Record(leader=rec.leader, force_utf8=True)
    for field in rec.fields:
        if field.tag in ("001", "852"):
            continue
        if field.is_control_field():
            copy.add_field(pymarc.Field(tag=field.tag, data=field.data))
            continue
        subfields = list(field.subfields)
        if field.tag == "245":
            if rng.random() < 0.15:
                subfields = [s for s in subfields if s.code != "b"]
            if rng.random() < 0.15:
                subfields = [pymarc.Subfield(s.code, s.value.replace(" and ", " & ")) if s.code == "a" else s
                             for s in subfields]
            if rng.random() < 0.1:
                subfields = [pymarc.Subfield(s.code, s.value.title()) if s.code == "a" else s for s in subfields]
        if field.tag == "020" and rng.random() < 0.2:
            continue
        if field.tag in ("260", "264") and year is not None:
            subfields = [pymarc.Subfield(s.code, f"{year}.") if s.code == "c" else s for s in subfields]
        copy.add_field(pymarc.Field(tag=field.tag, indicators=list(field.indicators), subfields=subfields))
    if edition:
        copy.add_ordered_field(pymarc.Field(tag="250", indicators=[" ", " "],
                                            subfields=[pymarc.Subfield("a", edition)]))
    if year is not None and copy["008"] is not None:
        data = copy["008"].data
        copy["008"].data = data[:7] + str(year) + data[11:]
    copy.add_ordered_field(pymarc.Field(tag="001", data=serial))
    copy.add_ordered_field(pymarc.Field(tag="852", indicators=[" ", " "], subfields=[
        pymarc.Subfield("a", f"L{library:02d}"), pymarc.Subfield("h", f"{rng.randint(0, 999):03d} {serial[-4:]}")]))
    return copy


def build_small(records: int, libraries: int, folder: Path, seed: int = 7) -> dict[int, Path]:
    """The first `records` LoC records, each held (unvaried) by 1..`libraries` libraries."""
    import pymarc

    rng = random.Random(seed)
    files = {n: (folder / f"library{n:02d}.mrc").open("wb") for n in range(libraries)}
    for n, rec in loc_records(records):
        for lib in rng.sample(range(libraries), rng.randint(1, libraries)):
            copy = pymarc.Record(leader=rec.leader, force_utf8=True)
            copy.fields = [f for f in rec.fields if f.tag != "001"]
            copy.add_ordered_field(pymarc.Field(tag="001", data=f"L{lib}-{n}"))
            files[lib].write(copy.as_marc())
    for fh in files.values():
        fh.close()
    return {n: folder / f"library{n:02d}.mrc" for n in range(libraries)}


def build_million(total: int, libraries: int, folder: Path, seed: int = 11) -> dict[int, Path]:
    """`total` records over `libraries` files: LoC records as up to five editions, held with variation."""
    rng = random.Random(seed)
    files = {n: (folder / f"library{n:02d}.mrc").open("wb") for n in range(libraries)}
    weights = [1 / (rank + 1) ** 0.9 for rank in range(libraries)]  # big libraries hold more
    written = 0
    rounds = 0
    while written < total:
        # Another pass over the LoC records makes further editions of them (other years and
        # statements), never a second copy of one a library already has.
        for n, rec in loc_records(None):
            editions = rng.choice((1, 1, 1, 2, 2, 3, 5))
            for e in range(rounds * 5, rounds * 5 + editions):
                year, statement = None, None
                if e:
                    year = rng.randint(1990, 2024)
                    statement = f"{e + 1}. ed." if rng.random() < 0.5 else None
                holders = min(libraries, max(1, int(rng.paretovariate(1.2))))
                chosen = set()
                while len(chosen) < holders:
                    chosen.add(rng.choices(range(libraries), weights)[0])
                for lib in chosen:
                    serial = f"{lib:02d}{n:06d}{e:02d}"
                    files[lib].write(_vary(rec, rng, lib, serial, year=year, edition=statement).as_marc())
                    written += 1
                    if written >= total:
                        break
                if written >= total:
                    break
            if written >= total:
                break
        rounds += 1
    for fh in files.values():
        fh.close()
    return {n: folder / f"library{n:02d}.mrc" for n in range(libraries)}


def pymarc_rate(paths) -> tuple[int, float]:
    import pymarc

    count, start = 0, time.perf_counter()
    for path in paths:
        with open(path, "rb") as fh:
            count += sum(1 for r in pymarc.MARCReader(fh, to_unicode=True, force_utf8=True) if r)
    return count, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, help="the first N LoC records, held by --libraries (quick runs)")
    parser.add_argument("--libraries", type=int, default=4)
    parser.add_argument("--million", nargs="?", const=1_000_000, type=int, metavar="N",
                        help="N records (default 1,000,000) held by 20 libraries")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes decoding MARC 21 (default: every core)")
    parser.add_argument("--files", type=int, metavar="K",
                        help="import only the first K files of the input (the input is built whole)")
    parser.add_argument("--json", action="store_true", help="end with the figures as one JSON object")
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="jaringan-bench-")
    os.environ["JARINGAN_HOME"] = home
    if os.environ.get("DATABASE_URL"):
        import psycopg

        base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
        with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
            conn.execute("DROP DATABASE IF EXISTS jaringan_bench")
            conn.execute("CREATE DATABASE jaringan_bench")
        os.environ["DATABASE_URL"] = base + "/jaringan_bench"
    sys.path.insert(0, str(REPO / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from jaringan.catalog.pipeline import ImportPipeline
    from jaringan.catalog.models import Edition
    from jaringan.demo import network as demo
    from jaringan.discovery.services import drain_alongside
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM

    folder = Path(home) / "input"
    folder.mkdir()
    started = time.perf_counter()
    if args.million:
        what = f"{args.million:,} records built from the LoC records, 20 libraries"
        paths = build_million(args.million, 20, folder)
    elif args.records:
        what = f"the first {args.records:,} LoC records, each held by 1-{args.libraries} libraries"
        paths = build_small(args.records, args.libraries, folder)
    else:
        what = "the 40,000 LoC records, one library"
        paths = {0: LOC}
    print(f"input               {what} (built in {time.perf_counter() - started:.0f} s)", flush=True)
    if args.files:
        paths = dict(list(paths.items())[: args.files])
        print(f"importing           the first {len(paths)} files", flush=True)
    parsed, parse_seconds = pymarc_rate(paths.values())
    print(f"pymarc parse        {parsed / parse_seconds:,.0f} records/s ({parsed:,} records)", flush=True)

    call_command("migrate", verbosity=0)
    demo.load_network()
    libraries = list(Library.objects.order_by("code")[: len(paths)])
    total, start = 0, time.perf_counter()
    files = []
    # As `jaringan import` does with workers: the index is brought up to date in another process, forked
    # before the first record is read (one process for all the files, as one `jaringan import` has one).
    # The decoding processes are started once and kept for every file, as the uploads waiting on a
    # server are run one after another.
    pipeline = ImportPipeline(workers=args.workers, follow_index=False)
    with drain_alongside(enabled=args.workers > 1), pipeline.workers_kept() as pipeline:
        for n, path in paths.items():
            file_start, file_cpu = time.perf_counter(), time.process_time()
            with open(path, "rb") as stream:
                batch = pipeline.import_file(actor=SYSTEM, library=libraries[n], stream=stream,
                                             name=path.name, format="marc21")
            stored, cpu = time.perf_counter(), time.process_time() - file_cpu
            _caught_up()
            lag = time.perf_counter() - stored
            total += batch.read
            peak_so_far = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            files.append({"library": libraries[n].code, "read": batch.read, "new": batch.created,
                          "quarantined": batch.quarantined,
                          "records_per_second": round(batch.read / (stored - file_start), 1),
                          "importing_cpu_ms_per_record": round(1000 * cpu / max(batch.read, 1), 3),
                          "importing_peak_mib": round(peak_so_far, 1)})
            print(f"  {libraries[n].code:<12} {batch.read:>9,} read {batch.created:>9,} new "
                  f"{batch.quarantined:>6,} quarantined  {batch.read / (stored - file_start):,.0f}/s this file "
                  f"({1000 * cpu / max(batch.read, 1):.2f} ms CPU a record importing), "
                  f"{total / (time.perf_counter() - start):,.0f} records/s so far "
                  f"(index caught up {lag:.1f} s after the last record was stored), "
                  f"importing process peak {peak_so_far:,.0f} MiB", flush=True)
    indexed = _drain()
    seconds = time.perf_counter() - start
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    workers_peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"database            {engine}")
    print(f"end-to-end ingest   {total / seconds:,.0f} records/s ({total:,} in {seconds:.1f} s, "
          f"index {indexed}), {100 * (total / seconds) / (parsed / parse_seconds):.1f} % of pymarc")
    print(f"editions            {Edition.objects.count():,}")
    print(f"peak memory         {peak:,.0f} MiB importing process, {workers_peak:,.0f} MiB largest worker (decoding or indexing)")
    print(f"catalogue kept in   {home} (for bench/late_file.py; remove it when done)")
    if args.json:
        rate, pymarc = total / seconds, parsed / parse_seconds
        print(json.dumps({
            "database": engine, "records": total, "seconds": round(seconds, 1),
            "records_per_second": round(rate, 1), "files": files, "editions": Edition.objects.count(),
            "peak_memory_mib": {"importing": round(peak, 1), "largest_worker": round(workers_peak, 1)},
            "pymarc_records_per_second": round(pymarc, 1), "ratio_to_pymarc": round(rate / pymarc, 4),
        }))
    return 0


def _caught_up() -> None:
    """Wait until the indexing process has applied every change in the outbox."""
    from jaringan.catalog.models import EditionChange

    while EditionChange.objects.exists():
        time.sleep(0.05)


def _drain() -> str:
    """Bring the search index up to date, when the search app is installed."""
    try:
        from jaringan.discovery import services as discovery
    except ImportError:
        return "not built: no search app"
    started = time.perf_counter()
    count = 0
    while True:
        done = discovery.outbox_drain()
        count += done
        if not done:
            break
    return f"{count:,} editions in {time.perf_counter() - started:.1f} s"


if __name__ == "__main__":
    raise SystemExit(main())
