"""The demo's union catalogue: the Library of Congress's real Indonesian records,
spread over the demo libraries as real holdings spread.

The national library holds most Indonesian imprints (legal deposit); large
academic and public libraries hold many; school libraries few. Each library's
copy is its own record, as a member system would send it: its own control
number (001), its own holding (852 with a call number), and the variation of
hand cataloguing (an ISBN left out, a subtitle dropped). The records pass
through the same reader and the same matching as any member's file.

Each library sent most of its records in a first file, in one of the first months of the demo's year, and
the rest as new acquisitions in a few later months; each file and its records are dated back to their month
(`history`), so the statistics count records added month by month.
"""

from __future__ import annotations

import io
import lzma
import random
from pathlib import Path

import pymarc
from django.utils.translation import gettext as _

from jaringan.catalog.pipeline import import_file
from jaringan.catalog.models import SourceRecord
from jaringan.network.models import Library
from jaringan.network.permissions import SYSTEM

from . import datafiles, history

#: The Library of Congress's 3,148 Indonesian records, shipped with the package (see data/README.md).
RECORDS = datafiles.DATA / "loc-indonesia-2016.mrc.xz"
SEED = 2026
#: Chance that the national library holds an Indonesian imprint.
NATIONAL_SHARE = 0.6
#: A library of 200,000 volumes holds about this share of the records; smaller ones less.
LARGEST_SHARE = 0.3
#: Chances of the variations of hand cataloguing.
DROP_ISBN = 0.2
DROP_SUBTITLE = 0.1
#: Share of a library's records that came as new acquisitions after its first file, and in how many months.
ACQUIRED = 0.25
ACQUISITION_MONTHS = 3


def records_path() -> Path:
    """The demo's records, inside the installed package wherever it was cloned or installed."""
    return RECORDS


def _open(path: Path):
    return lzma.open(path, "rb") if path.suffix == ".xz" else open(path, "rb")


def _holders(rng: random.Random, libraries: list[Library]) -> list[Library]:
    out = []
    for lib in libraries:
        if lib.kind == "national":
            p = NATIONAL_SHARE
        else:
            p = LARGEST_SHARE * min(lib.collection_size, 200_000) / 200_000
        if rng.random() < p:
            out.append(lib)
    return out


def _call_number(record: pymarc.Record) -> str:
    cls = ""
    for tag, code in (("082", "a"), ("050", "a")):
        field = record.get(tag)
        if field and field.get(code):
            cls = field.get(code).replace("/", "").strip()
            break
    author = record.get("100") or record.get("110")
    cutter = (author.get("a") or "")[:3].upper() if author else ""
    title = record.get("245")
    first = ((title.get("a") or " ")[:1].lower()) if title else ""
    return " ".join(x for x in (cls, cutter, first) if x)


def _copy_for(record: pymarc.Record, library: Library, rng: random.Random) -> bytes:
    copy = pymarc.Record(leader=record.leader, force_utf8=True)
    copy.fields = [f for f in record.fields if f.tag not in ("001", "003", "852")]
    if rng.random() < DROP_ISBN:
        copy.remove_fields("020")
    if rng.random() < DROP_SUBTITLE and copy.get("245"):
        field = copy["245"]
        field.subfields = [s for s in field.subfields if s.code != "b"]
    control = record["001"].data.strip() if record.get("001") else str(rng.random())
    copy.add_ordered_field(pymarc.Field(tag="001", data=f"{library.code}-{control}"))
    copy.add_field(pymarc.Field(
        tag="852", indicators=[" ", " "],
        subfields=[pymarc.Subfield("a", library.code), pymarc.Subfield("h", _call_number(record)),
                   pymarc.Subfield("t", str(rng.choice((1, 1, 1, 2, 3))))],
    ))
    return copy.as_marc()


def _months(rng: random.Random) -> list[int]:
    """When a library sent its files, in months back from now: its first file in one of the year's first three
    months, then its acquisitions in later months, oldest first."""
    first = rng.randrange(history.MONTHS - 3, history.MONTHS)
    later = sorted(rng.sample(range(first), min(ACQUISITION_MONTHS, first)), reverse=True)
    return [first, *later]


def load_catalogue(*, path: Path | None = None, limit: int | None = None, actor=None, progress=None,
                   past: bool = False) -> dict:
    """Spread the records over the demo libraries and take them in, library by library (``past``: file by file,
    each dated back to its month; else in one file each, today)."""
    path = path or records_path()
    rng, dates = random.Random(SEED), random.Random(history.SEED)
    libraries = list(Library.objects.order_by("code"))
    months = {lib.code: _months(dates) if past else [0] for lib in libraries}
    files: dict[tuple[str, int], io.BytesIO] = {}
    with _open(path) as fh:
        for n, record in enumerate(pymarc.MARCReader(fh, to_unicode=True, force_utf8=True)):
            if limit is not None and n >= limit:
                break
            if record is None:
                continue
            for lib in _holders(rng, libraries):
                later = len(months[lib.code]) - 1
                part = dates.randrange(1, later + 1) if later and dates.random() < ACQUIRED else 0
                files.setdefault((lib.code, part), io.BytesIO()).write(_copy_for(record, lib, rng))
    counts = {}
    for lib in libraries:
        for part, months_back in enumerate(months[lib.code]):
            data = files[(lib.code, part)].getvalue() if (lib.code, part) in files else b""
            if not data:
                continue
            month = history.month_start(months_back)
            name = f"{lib.code.lower()}-katalog.mrc" if part == 0 else f"{lib.code.lower()}-baru-{month:%Y-%m}.mrc"
            batch = import_file(actor=actor or SYSTEM, library=lib, stream=io.BytesIO(data), name=name,
                                format="marc21", progress=progress)
            if past:
                history.age_batch(batch, history.days_back(dates, months_back))
            counts[lib.code] = counts.get(lib.code, 0) + batch.read
    if past:
        history.editions_follow()
    return counts


def load_once(limit: int, *, say=lambda text: None, past: bool = False) -> dict:
    """Fill the union catalogue with ``limit`` records unless it holds some already; the records taken in
    by library code (empty when nothing was loaded)."""
    if limit <= 0 or SourceRecord.objects.exists():
        return {}
    say(_("Loading %(n)s real Indonesian records into the demo libraries' catalogues...") % {"n": limit})
    counts = load_catalogue(limit=limit, past=past)
    say(_("%(records)s member records from %(libraries)s libraries taken in.") % {
        "records": sum(counts.values()), "libraries": len(counts)})
    return counts
