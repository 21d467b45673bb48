"""End-to-end ingest speed of the union catalogue, beside raw pymarc parsing of the same file.

    python bench/ingest.py [--records 5000] [--libraries 4]

Takes the first N records of the LoC fixture, writes a file in which each
record is held by 1..L libraries (their own 001 and 852), and measures, in the
same run: pymarc parsing the file alone, then `jaringan import` of each
library's part into a fresh database (SQLite in a temporary folder, or the
PostgreSQL named by DATABASE_URL: its `jaringan_bench` database is dropped and
made again). Prints records per second and the peak resident memory.
"""

from __future__ import annotations

import argparse
import io
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


def build_files(records: int, libraries: int, seed: int = 7) -> tuple[bytes, dict[int, bytes]]:
    import pymarc

    rng = random.Random(seed)
    source, parts = io.BytesIO(), {n: io.BytesIO() for n in range(libraries)}
    with open(LOC, "rb") as fh:
        for n, rec in enumerate(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True)):
            if n >= records:
                break
            raw = rec.as_marc()
            source.write(raw)
            for lib in rng.sample(range(libraries), rng.randint(1, libraries)):
                copy = pymarc.Record(leader=rec.leader, force_utf8=True)
                copy.fields = [f for f in rec.fields if f.tag != "001"]
                copy.add_ordered_field(pymarc.Field(tag="001", data=f"L{lib}-{n}"))
                parts[lib].write(copy.as_marc())
    return source.getvalue(), {k: v.getvalue() for k, v in parts.items()}


def pymarc_rate(data: bytes) -> tuple[int, float]:
    import pymarc

    start = time.perf_counter()
    count = sum(1 for r in pymarc.MARCReader(io.BytesIO(data), to_unicode=True, force_utf8=True) if r)
    return count, time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--libraries", type=int, default=4)
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

    from jaringan.catalog import services
    from jaringan.catalog.models import Edition
    from jaringan.network import demo
    from jaringan.network.models import Library

    call_command("migrate", verbosity=0)
    demo.load_demo()
    source, parts = build_files(args.records, args.libraries)
    parsed, parse_seconds = pymarc_rate(source)
    libraries = list(Library.objects.order_by("code")[: args.libraries])
    total, start = 0, time.perf_counter()
    for n, data in parts.items():
        batch = services.import_file(actor=demo.SYSTEM, library=libraries[n], stream=io.BytesIO(data),
                                     name=f"part{n}.mrc", format="marc21")
        total += batch.read
    seconds = time.perf_counter() - start
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"database            {engine}")
    print(f"source records      {parsed:,} (LoC), held {total:,} times by {args.libraries} libraries")
    print(f"pymarc parse        {parsed / parse_seconds:,.0f} records/s")
    print(f"end-to-end ingest   {total / seconds:,.0f} records/s ({total:,} in {seconds:.1f} s), "
          f"{100 * (total / seconds) / (parsed / parse_seconds):.1f} % of pymarc")
    print(f"editions            {Edition.objects.count():,}")
    print(f"peak memory         {peak:,.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
