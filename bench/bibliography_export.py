"""A bibliography of 1,000 entries exported in every format, each timed (target: 2 s each).

    python bench/bibliography_export.py               # 1,000 entries, a fresh database in a temporary home
    python bench/bibliography_export.py --entries 200
    python bench/bibliography_export.py --json        # the same lines, then the figures as one JSON object
    DATABASE_URL=postgresql://... python bench/bibliography_export.py

The demo network is loaded and the first ``--entries`` real Indonesian records of
the Library of Congress (shipped with the package) go into Pattimura's
catalogue through the importer; a bibliography is compiled of their editions
through the same service the pages use. Each format is then made by
``jaringan.bibliographies.exports.export`` — what the download links call —
and timed with the wall clock: BibTeX, RIS, CSL-JSON, MARC 21, MARCXML, and the
references as text in each CSL style and locale. A style is timed twice:
*cold*, when no reference of the list has been rendered yet (citeproc-py
writes every one: 1 to 2.5 ms of CPU an entry by style), and *warm*, when they are
kept (what every export after the first, and after an entry is added from a
page, costs). The printable page (HTTP through Django's test client, after one untimed
request to another page) is timed warm. Each line gives the wall time and this process's CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))
sys.path.insert(0, str(REPO))

TARGET_SECONDS = 2.0


def _setup(home: str) -> None:
    os.environ.setdefault("JARINGAN_HOME", home)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    if "postgres" in settings.DATABASES["default"]["ENGINE"]:
        name = f"bench_bibliography_{os.getpid()}"
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute(f"CREATE DATABASE {name}")
        settings.DATABASES["default"]["NAME"] = name
        connection.close()
        connection.settings_dict["NAME"] = name
    call_command("migrate", verbosity=0)


def _drop_postgres() -> None:
    from django.conf import settings
    from django.db import connection

    if "postgres" not in settings.DATABASES["default"]["ENGINE"]:
        return
    name = settings.DATABASES["default"]["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = "postgres"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")


def _compile(count: int):
    from jaringan.bibliographies import services
    from jaringan.catalog.services.batches import batch_start
    from jaringan.catalog.services.ingest import ingest
    from jaringan.catalog.models import SourceRecord
    from jaringan.demo import network as demo
    from jaringan.network.models import Library
    from jaringan.network.permissions import SYSTEM, principal_for
    from django.contrib.auth import get_user_model
    from tests.catalog.items import loc_items

    demo.load_network()
    items = loc_items(count + 50)  # a few records merge into one edition: read a few more
    batch = batch_start(actor=SYSTEM, library=Library.objects.get(code="UNPATTI"))
    ingest(batch=batch, items=items)
    editions = list(dict.fromkeys(SourceRecord.objects.filter(source_id__in=[i.source_id for i in items])
                                  .order_by("pk").values_list("edition_id", flat=True)))[:count]
    owner = principal_for(get_user_model().objects.get(username="staf.unpatti"))
    bibliography = services.bibliography_create(actor=owner, data={"title": "Bench", "public": True})
    started = time.perf_counter()
    for edition_id in editions:
        services.entry_add(actor=owner, bibliography=bibliography, edition_id=edition_id)
    return bibliography, len(editions), time.perf_counter() - started


def _timed(fn):
    """(wall seconds, CPU seconds of this process, result): on a machine shared with other work the CPU time
    is the less disturbed figure (on SQLite it includes the database's work; PostgreSQL's server is not in it)."""
    started, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - started, time.process_time() - cpu, result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--json", action="store_true", help="also print the figures as one JSON object")
    parser.add_argument("--no-cold", action="store_true",
                        help="render the references once untimed, and time only the exports that read them")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="jrg-bench-bib-") as home:
        _setup(home)
        try:
            return _run(args)
        finally:
            _drop_postgres()


def _run(args) -> int:
    from django.conf import settings
    from django.test import Client

    from jaringan.bibliographies import exports
    from jaringan.core import citations

    bibliography, count, compile_seconds = _compile(args.entries)
    database = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    print(f"{count:,} entries compiled in {compile_seconds:.1f} s ({database})")
    url_for = lambda pk: f"https://jaringan.example/catalogue/{pk}/"  # noqa: E731
    figures: dict[str, float] = {}
    cpu: dict[str, float] = {}
    sizes: dict[str, int] = {}

    def show(name, seconds, cpu_seconds, size):
        figures[name], cpu[name], sizes[name] = seconds, cpu_seconds, size
        print(f"{name:<22} {seconds:6.2f} s  (CPU {cpu_seconds:5.2f} s)  {size:>10,} bytes  "
              f"{'ok' if seconds <= TARGET_SECONDS else 'OVER'}")

    for fmt in ("bib", "ris", "csl", "marc", "marcxml"):
        seconds, cpu_seconds, result = _timed(lambda: exports.export(bibliography, fmt, url_for=url_for))
        show(fmt, seconds, cpu_seconds, len(result.body))
    if args.no_cold:
        from jaringan.bibliographies import selectors, services

        services.references_warm(exports=selectors.resolved(bibliography)["exportable"])
    for style in citations.STYLES:
        for locale in citations.LOCALES.values():
            for state in ("warm",) if args.no_cold else ("cold", "warm"):
                seconds, cpu_seconds, result = _timed(lambda: exports.export(
                    bibliography, "txt", url_for=url_for, style=style, locale=locale))
                show(f"{style} {locale} {state}", seconds, cpu_seconds, len(result.body))
    client = Client(HTTP_ACCEPT_LANGUAGE="id", SERVER_NAME="127.0.0.1", HTTP_HOST="127.0.0.1")
    client.get("/bibliographies/")  # untimed: the first request loads the URLs, the API's schemas, the catalogues
    seconds, cpu_seconds, response = _timed(lambda: client.get(f"/bibliographies/{bibliography.pk}/print/"))
    assert response.status_code == 200
    show("printable page", seconds, cpu_seconds, len(response.content))
    over = [k for k, v in figures.items() if v > TARGET_SECONDS]
    print(f"over {TARGET_SECONDS} s: {', '.join(over) if over else 'none'}")
    if args.json:
        print(json.dumps({"entries": count, "database": database, "compile_seconds": round(compile_seconds, 3),
                          "seconds": {k: round(v, 3) for k, v in figures.items()},
                          "cpu_seconds": {k: round(v, 3) for k, v in cpu.items()}, "bytes": sizes,
                          "target_seconds": TARGET_SECONDS, "over": over}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
