"""The union catalogue over Z39.50: Zebra's own server (zebrasrv) fed by ``jaringan.interop.z3950``,
asked by Debian's yaz-client with Bib-1 queries, against what ``/sru`` answers."""

from __future__ import annotations

import importlib.util
import re
import shutil
import socket
import subprocess
import threading
import time
from dataclasses import replace

import isbnlib
import pymarc
import pytest
import requests
from lxml import etree

from jaringan.core.catalog.marc import record_from_marc
from jaringan.interop import z3950
from jaringan.interop.z3950.zebra import CONFIG
from tests.catalog.items import retyped
from tests.interop.conftest import _ingest
from tests.paths import REPO

SRW = "http://www.loc.gov/zing/srw/"
MARC = "http://www.loc.gov/MARC21/slim"
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)
#: A change must be found over Z39.50 within this many seconds.
CHANGE_VISIBLE_WITHIN = 60

pytestmark = pytest.mark.skipif(not (shutil.which("zebrasrv") and shutil.which("yaz-client")),
                                reason="Zebra and yaz-client are needed (apt-get install idzebra-2.0 yaz)")


def _bench():
    """bench/sru_vs_zebra.py, for its reading of bench/queries.txt as CQL."""
    spec = importlib.util.spec_from_file_location("sru_vs_zebra", REPO / "bench" / "sru_vs_zebra.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def zebra(indexed, live_server, tmp_path):
    """``jaringan z3950 serve`` as it runs beside the hub (in a thread here), on a free port."""
    where = z3950.layout(tmp_path / "z3950")
    port = _free_port()
    stop, started = threading.Event(), threading.Event()
    serving = threading.Thread(target=z3950.serve, kwargs={"listen": f"127.0.0.1:{port}", "interval": 1,
                                                           "ready": started.set, "stop": stop}, args=(where,))
    serving.start()
    try:
        assert started.wait(120), "zebrasrv did not start"
        _wait_for_port(port)
        yield f"tcp:127.0.0.1:{port}/Default"
    finally:
        stop.set()
        serving.join(60)


def _wait_for_port(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}")


SETUP = ["set_cqlfile {cql}", "querytype cql2rpn", "format xml", "elements marcxml"]


def yaz_answers(target: str, commands: list[str]) -> list[str]:
    """yaz-client over Z39.50, CQL turned into Bib-1 queries by the same mapping Zebra's SRU uses:
    what it printed for each of ``commands`` (its prompt "Z> " starts each command's answer)."""
    setup = [line.format(cql=CONFIG / "cql2pqf.properties") for line in SETUP]
    script = "\n".join([f"open {target}", *setup, *commands, "quit", ""])
    done = subprocess.run(["yaz-client"], input=script, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    answers = done.stdout.split("Z> ")[1:]
    assert "Connection accepted" in answers[0], answers[0]
    return answers[1 + len(setup):1 + len(setup) + len(commands)]


def yaz(target: str, commands: list[str]) -> str:
    return "Z> ".join(yaz_answers(target, commands))


def z_hits(output: str) -> list[int]:
    return [int(n) for n in re.findall(r"Number of hits: (\d+)", output)]


def z_count(answer: str) -> int | None:
    """The hit count of one find's answer; None when Zebra answered with a diagnostic instead."""
    found = z_hits(answer)
    return found[0] if found else None


def sru_hits(live_server, query: str) -> int:
    response = requests.get(f"{live_server.url}/sru", params={"version": "1.2", "operation": "searchRetrieve",
                                                             "query": query, "maximumRecords": 0}, timeout=30)
    return int(etree.fromstring(response.content, PARSER).findtext(f"{{{SRW}}}numberOfRecords"))


def test_bib1_searches_find_and_show_what_sru_does(indexed, live_server, zebra):
    item = indexed.items[107].record
    word = next(w for w in item.title.split() if len(w) > 4)
    author = item.authors[0].split(",")[0]
    other = indexed.items[20].record
    queries = [f"dc.title={word}", f'dc.creator="{author}"', f"bath.isbn={item.isbns[0]}",
               f'dc.title={word} and dc.creator="{author}"', f"bath.isbn={item.isbns[0]} or bath.isbn={other.isbns[0]}"]
    out = yaz(zebra, [f"find {q}" for q in queries] + [f"find bath.isbn={item.isbns[0]}", "show 1"])
    assert z_hits(out)[:len(queries)] == [sru_hits(live_server, q) for q in queries]
    assert all(n > 0 for n in z_hits(out))
    shown = out[out.rindex("Number of hits"):]
    record = etree.fromstring(shown[shown.index("<record"):shown.index("</record>") + 9].encode(), PARSER)
    assert record.tag == f"{{{MARC}}}record" and "zebra-keys" not in shown  # the record /sru serves
    assert item.title.split()[0] in record.findtext(f"{{{MARC}}}datafield[@tag='245']/{{{MARC}}}subfield[@code='a']")
    # Bib-1 as Koha's staff client sends it (no CQL): title 4, author 1004, ISBN-10 7, subject 21, any 1016.
    isbn10 = isbnlib.to_isbn10(item.isbns[0])
    out = yaz(zebra, ["querytype prefix", f"find @attr 1=4 {word}", f"find @attr 1=7 {isbn10}",
                      "find @attr 1=21 history", "find @attr 1=1016 indonesia",
                      f'find @attr 1=1004 "{item.authors[0].split(",")[0]}"'])
    assert z_hits(out)[1] == 1 and min(z_hits(out)) > 0
    # Koha's targets ask MARC 21 in ISO 2709 ("usmarc") by default: made by YAZ from the MARCXML.
    shown = yaz(zebra, ["querytype prefix", f"find @attr 1=7 {isbn10}", "format usmarc", "elements F", "show 1"])
    assert re.search(r"^245 \d\d \$a " + re.escape(item.title.split()[0]), shown, re.M), shown[-800:]
    assert re.search(r"^001 " + str(indexed.editions["UNPATTI:107"]) + "$", shown, re.M)


def test_the_bench_queries_count_alike_over_z3950_and_sru(indexed, live_server, zebra):
    """The queries of bench/queries.txt over Z39.50 (Bib-1, through the CQL mapping) and over SRU:
    every identifier query counts exactly alike, and most others do."""
    bench = _bench()
    queries = bench.read_queries(REPO / "bench" / "queries.txt")
    counts = [z_count(answer) for answer in yaz_answers(zebra, [f"find {cql}" for _kind, cql in queries])]
    compared = {}
    for (kind, cql), z in zip(queries, counts, strict=True):
        if z is not None:  # else a query Zebra does not take (a range of years)
            compared.setdefault(kind, []).append((cql, z, sru_hits(live_server, cql)))
    identifiers = [c for c in compared["fielded"] if c[0].startswith("bath.isbn")]
    assert identifiers and all(z == s for _q, z, s in identifiers), identifiers
    same = sum(z == s for rows in compared.values() for _q, z, s in rows)
    answered = sum(len(rows) for rows in compared.values())
    # Zebra indexes the search text of every member record, each stemmed term spelled as every word
    # of the catalogue that means it (words.py): 276 of the 282 queries both answer count alike here.
    # The rest ask a word this catalogue never spells ("perpustakaan": only its relatives, which /sru
    # finds by the word's stem), or a truncation that reaches one of those spellings.
    assert same >= 0.95 * answered, {k: [r for r in v if r[1] != r[2]] for k, v in compared.items()}
    # Indonesian and English words find their relatives over Z39.50 as over /sru.
    stemmed = {cql: (z, s) for rows in compared.values() for cql, z, s in rows}
    assert stemmed["pendidikan"][0] == stemmed["pendidikan"][1] > 0, stemmed["pendidikan"]
    assert stemmed["economics"][0] == stemmed["economics"][1] > 0, stemmed["economics"]


def test_an_edition_change_is_found_over_z3950_within_a_minute(indexed, live_server, zebra):
    from jaringan.catalog.models import SourceRecord

    item = indexed.items[3]
    assert SourceRecord.objects.filter(library__code="PNRI", source_id=item.source_id).exists()
    assert z_hits(yaz(zebra, ["find dc.title=zzyzxquokka"])) == [0]
    marc = pymarc.Record(data=item.raw, to_unicode=True, force_utf8=True)
    title = marc["245"]
    title.subfields = [pymarc.Subfield(s.code, "Zzyzxquokka " + s.value if s.code == "a" else s.value)
                       for s in title.subfields]
    _ingest("PNRI", [replace(item, raw=marc.as_marc(), record=record_from_marc(marc, source_id=item.source_id))])
    started = time.monotonic()
    while time.monotonic() - started < CHANGE_VISIBLE_WITHIN:
        if z_hits(yaz(zebra, ["find dc.title=zzyzxquokka"])) == [1]:
            break
        time.sleep(1)
    else:
        pytest.fail(f"the changed title was not found over Z39.50 within {CHANGE_VISIBLE_WITHIN} s")
    assert sru_hits(live_server, "dc.title=zzyzxquokka") == 1
    # and a withdrawn last holding takes the record away
    unpatti = indexed.editions["UNPATTI:101"]
    assert z_hits(yaz(zebra, ["querytype prefix", f"find @attr 1=12 {unpatti}"])) == [1]
    _ingest("UNPATTI", [replace(retyped(indexed.items[101], source_id="UNPATTI-101"), deleted=True, record=None)])
    started = time.monotonic()
    while z_hits(yaz(zebra, ["querytype prefix", f"find @attr 1=12 {unpatti}"])) != [0]:
        assert time.monotonic() - started < CHANGE_VISIBLE_WITHIN, "the retired edition is still found"
        time.sleep(1)
