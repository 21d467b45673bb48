"""A late file of the million taken again into copies of one catalogue, with chunks of several sizes.

    python bench/ingest.py --million --files 3      # leaves its catalogue in the folder it prints
    python bench/late_file.py --home FOLDER --file 4 [--records 20000] [--chunks 500,2000,5000] [--runs 2] [--json]

``--home`` is the folder ``bench/ingest.py`` left (its ``jaringan.sqlite3`` and ``input/``). For every run
and chunk size, in turn, the catalogue is copied to a new folder and the first ``--records`` records of
the ``--file``-th library's file (1-based, the libraries in the order ``bench/ingest.py`` gives them) are
imported with ``ImportPipeline`` (decoding processes on every core, as ``jaringan import`` runs a large
file) and ``chunk`` records a transaction. Each line gives the rate, the importing process's CPU
milliseconds a record, the kilobytes it read and wrote a record (``/proc/self/io``: SQLite's pages read
from the system and written to its log and file) and its peak memory. The matching's memories start
empty in each run, as after a restart, so the figures are the same for every chunk size but higher than
the same file's in one long ``bench/ingest.py`` run. ``--json`` ends with the runs as one JSON object.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def _io() -> tuple[int, int]:
    fields = dict(line.split(": ") for line in Path("/proc/self/io").read_text().strip().splitlines())
    return int(fields["rchar"]), int(fields["wchar"])


def one_run(home: Path, file: int, records: int, chunk: int) -> dict:
    """Import into a copy of the catalogue (this process), the figures as a dict."""
    import time

    import pymarc

    folder = Path(tempfile.mkdtemp(prefix="jaringan-late-"))
    try:
        shutil.copy(home / "jaringan.sqlite3", folder / "jaringan.sqlite3")
        part = folder / "part.mrc"
        with open(home / "input" / f"library{file - 1:02d}.mrc", "rb") as source, part.open("wb") as out:
            for n, record in enumerate(pymarc.MARCReader(source, to_unicode=True, force_utf8=True)):
                if n >= records:
                    break
                out.write(record.as_marc())
        os.environ["JARINGAN_HOME"] = str(folder)
        sys.path.insert(0, str(REPO / "src"))
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jaringan.settings")
        import django

        django.setup()
        from jaringan.catalog.pipeline import ImportPipeline
        from jaringan.network.models import Library
        from jaringan.network.permissions import SYSTEM

        library = list(Library.objects.order_by("code"))[file - 1]
        pipeline = ImportPipeline(workers=os.cpu_count() or 1, follow_index=False, chunk=chunk)
        read0, written0 = _io()
        start, cpu0 = time.perf_counter(), time.process_time()
        with pipeline.workers_kept() as kept, part.open("rb") as stream:
            batch = kept.import_file(actor=SYSTEM, library=library, stream=stream, name=part.name, format="marc21")
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu0
        read1, written1 = _io()
        count = max(batch.read, 1)
        return {"chunk": chunk, "library": library.code, "read": batch.read,
                "records_per_second": round(batch.read / seconds, 1),
                "importing_cpu_ms_per_record": round(1000 * cpu / count, 3),
                "kb_read_per_record": round((read1 - read0) / count / 1024, 1),
                "kb_written_per_record": round((written1 - written0) / count / 1024, 1),
                "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, required=True, help="the folder bench/ingest.py left")
    parser.add_argument("--file", type=int, required=True, help="which library's file (1-based)")
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--chunks", default="500,2000,5000", help="chunk sizes, comma-separated")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--json", action="store_true", help="end with the runs as one JSON object")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a run in its own process
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one_run(args.home, args.file, args.records, args.one)))
        return 0
    if not (args.home / "jaringan.sqlite3").exists():
        print(f"{args.home}: no jaringan.sqlite3 here; run bench/ingest.py --million --files K first", file=sys.stderr)
        return 2
    runs = []
    for n in range(args.runs):
        for chunk in (int(c) for c in args.chunks.split(",")):
            # Each run in a fresh process: Django, the connection and the matching's memories start anew.
            done = subprocess.run([sys.executable, __file__, "--home", str(args.home), "--file", str(args.file),
                                   "--records", str(args.records), "--one", str(chunk)],
                                  capture_output=True, text=True, check=True)
            figures = json.loads(done.stdout.strip().splitlines()[-1])
            runs.append(figures)
            print(f"run {n + 1}  chunk {chunk:>6,}  {figures['records_per_second']:>7,.0f} records/s  "
                  f"{figures['importing_cpu_ms_per_record']:.2f} ms CPU a record  "
                  f"{figures['kb_read_per_record']:,.0f} KB read, {figures['kb_written_per_record']:,.0f} KB written "
                  f"a record  peak {figures['peak_mib']:,.0f} MiB", flush=True)
    if args.json:
        print(json.dumps({"file": args.file, "records": args.records, "runs": runs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
