"""SRU 1.1, 1.2 and 2.0 over real HTTP: Debian's yaz-client as the client, and direct requests."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
import requests
from lxml import etree

from tests.interop import slims

SRW = "http://www.loc.gov/zing/srw/"
SRU2 = "http://docs.oasis-open.org/ns/search-ws/sruResponse"
SCAN2 = "http://docs.oasis-open.org/ns/search-ws/scan"
DIAG1 = "http://www.loc.gov/zing/srw/diagnostic/"
DIAG2 = "http://docs.oasis-open.org/ns/search-ws/diagnostic"
MARC = "http://www.loc.gov/MARC21/slim"
MODS = "http://www.loc.gov/mods/v3"
DC = "http://purl.org/dc/elements/1.1/"
ZEEREX = "http://explain.z3950.org/dtd/2.0/"
VERSIONS = ("1.1", "1.2", "2.0")
PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def sru(live_server, method="GET", **params) -> etree._Element:
    url = live_server.url + "/sru"
    response = (requests.post(url, data=params, timeout=30) if method == "POST"
                else requests.get(url, params=params, timeout=30))
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content, PARSER)


def ns_of(version: str) -> str:
    return SRU2 if version == "2.0" else SRW


def diagnostics(root) -> list[str]:
    return [d.findtext(f"{{{ns}}}uri") for ns in (DIAG1, DIAG2) for d in root.iter(f"{{{ns}}}diagnostic")]


def hits(root, version) -> int:
    return int(root.findtext(f"{{{ns_of(version)}}}numberOfRecords"))


def catalogue_total(query: str) -> int:
    """What the catalogue's own search finds for a query in its own language."""
    from jaringan.core.search import search
    from jaringan.discovery.selectors import current_index

    return search(current_index(), query, limit=1).total


# --- yaz-client -----------------------------------------------------------------------------


def yaz(live_server, version: str, commands: list[str]) -> str:
    if shutil.which("yaz-client") is None:
        pytest.fail("yaz-client is required (apt-get install yaz)")
    script = "\n".join([f"sru get {version}", f"open {live_server.url}/sru", "querytype cql", *commands, "quit", ""])
    done = subprocess.run(["yaz-client"], input=script, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("version", VERSIONS)
def test_yaz_client_finds_shows_and_scans(indexed, live_server, version):
    out = yaz(live_server, version, [
        "find dc.title=indonesia", "schema marcxml", "show 1",
        "schema mods", "show 2",
        "find bath.isbn=979-8880-16-1",
        "find dc.creator=abidin and dc.subject=history",
        "scan dc.title=sej",
        "find dc.title=", "find foo.bar=x", "find dc.title<x",
    ])
    counts = [int(n) for n in re.findall(r"Number of hits: (\d+)", out)]
    assert counts[0] == catalogue_total("title:indonesia") > 10
    assert re.search(r'pos=1 schema=info:srw/schema/1/marcxml-v1\.1\s*<record xmlns="http://www.loc.gov/MARC21/slim">', out)
    assert re.search(r'pos=2 schema=info:srw/schema/1/mods-v3\.7\s*<mods xmlns="http://www.loc.gov/mods/v3"', out)
    assert counts[3] == 1  # the ISBN-10 finds the record that has the ISBN-13
    assert counts[4] == catalogue_total("author:abidin subject:history") >= 1
    scanned = re.findall(r"^(\w+): (\d+) \1$", out, re.M)
    assert len(scanned) == 20 and scanned[0][0] == "sejarah" and [w for w, _n in scanned] == sorted(w for w, _ in scanned)
    assert "SRW diagnostic info:srw/diagnostic/1/10" in out
    assert "SRW diagnostic info:srw/diagnostic/1/15" in out
    assert "SRW diagnostic info:srw/diagnostic/1/19" in out


# --- every version, directly ----------------------------------------------------------------


@pytest.mark.parametrize("version", VERSIONS)
def test_search_retrieve_pages_through_everything_with_next_record_position(indexed, live_server, version):
    ns = ns_of(version)
    seen, start, rounds = [], 1, 0
    while start:
        root = sru(live_server, version=version, operation="searchRetrieve", query="dc.title=indonesia",
                   startRecord=start, maximumRecords=4, recordSchema="marcxml")
        assert root.tag == f"{{{ns}}}searchRetrieveResponse" and root.findtext(f"{{{ns}}}version") == version
        total = hits(root, version)
        positions = [int(p.text) for p in root.iter(f"{{{ns}}}recordPosition")]
        assert positions == list(range(start, start + len(positions)))
        seen += [r.findtext(f"{{{MARC}}}controlfield[@tag='001']") for r in root.iter(f"{{{MARC}}}record")]
        following = root.findtext(f"{{{ns}}}nextRecordPosition")
        start = int(following) if following else 0
        rounds += 1
    assert len(seen) == len(set(seen)) == total == catalogue_total("title:indonesia")
    assert rounds == -(-total // 4)
    precision = root.findtext(f"{{{SRU2}}}resultCountPrecision")
    assert (precision is not None) == (version == "2.0")


@pytest.mark.parametrize("version", VERSIONS)
@pytest.mark.parametrize("schema, element", [
    ("marcxml", f"{{{MARC}}}record"), ("info:srw/schema/1/marcxml-v1.1", f"{{{MARC}}}record"),
    ("dc", "{info:srw/schema/1/dc-schema}dc"), ("info:srw/schema/1/dc-v1.1", "{info:srw/schema/1/dc-schema}dc"),
    ("mods", f"{{{MODS}}}mods"), ("info:srw/schema/1/mods-v3.5", f"{{{MODS}}}mods"),
])
def test_every_schema_by_name_or_identifier_packed_as_xml_or_string(indexed, live_server, version, schema, element):
    ns = ns_of(version)
    packing = "recordXMLEscaping" if version == "2.0" else "recordPacking"
    for escaping in ("xml", "string"):
        root = sru(live_server, version=version, operation="searchRetrieve", query="sejarah", maximumRecords=2,
                   recordSchema=schema, **{packing: escaping})
        records = root.findall(f"{{{ns}}}records/{{{ns}}}record")
        assert len(records) == 2 and not diagnostics(root)
        for record in records:
            assert record.findtext(f"{{{ns}}}{packing}") == escaping
            assert record.findtext(f"{{{ns}}}recordSchema").startswith("info:srw/schema/1/")
            data = record.find(f"{{{ns}}}recordData")
            inner = etree.fromstring(data.text.encode(), PARSER) if escaping == "string" else data[0]
            assert inner.tag == element


def test_slims_copy_cataloguing_request(indexed, live_server):
    """What SLiMS's z3950sru.php sends and how it reads the answer (SimpleXML: the srw namespace, then
    ``recordData->children()->mods``, i.e. a MODS element with no namespace prefix)."""
    item = indexed.items[107].record
    keywords = " ".join(item.title.split()[:3])
    for prefix in ("", "?"):  # SLiMS's default server address ends in "?": it then sends "??version=1.1"
        url = f"{live_server.url}/sru?{prefix}version=1.1&operation=searchRetrieve&query=" \
              f"{requests.utils.quote(chr(34) + keywords + chr(34))}&startRecord=1&maximumRecords=20&recordSchema=mods"
        root = etree.fromstring(requests.get(url, timeout=30).content, PARSER)
        assert root.tag == f"{{{SRW}}}searchRetrieveResponse" and root.findtext(f"{{{SRW}}}version") == "1.1"
        number = int(root.findtext(f"{{{SRW}}}numberOfRecords"))
        assert number >= 1
        found = []
        for record in root.findall(f"{{{SRW}}}records/{{{SRW}}}record"):
            mods = [c for c in record.find(f"{{{SRW}}}recordData") if c.prefix is None and etree.QName(c).localname == "mods"]
            assert len(mods) == 1
            m = mods[0]
            first_identifier = m.find(f"{{{MODS}}}identifier")
            found.append({
                "title": m.findtext(f"{{{MODS}}}titleInfo/{{{MODS}}}title"),
                "authors": [n.findtext(f"{{{MODS}}}namePart") for n in m.findall(f"{{{MODS}}}name")],
                "publisher": m.findtext(f"{{{MODS}}}originInfo/{{{MODS}}}publisher"),
                "publish_year": m.findtext(f"{{{MODS}}}originInfo/{{{MODS}}}dateIssued"),
                "isbn_issn": first_identifier.text if first_identifier is not None
                and first_identifier.get("type") == "isbn" else None,
            })
        assert len(found) == min(number, 20)
        mine = next(f for f in found if f["title"] == item.title)
        assert mine["authors"][:1] == list(item.authors[:1]) and mine["publisher"] and mine["publish_year"]
        assert mine["isbn_issn"] and item.isbns and mine["isbn_issn"] in item.isbns
    isbn = item.isbns[0]
    for index, term, expected in (("bath.isbn", isbn, 1), ("dc.title", keywords, None), ("bath.name", item.authors[0], None)):
        root = sru(live_server, version="1.1", operation="searchRetrieve", query=f'{index} any "{term}"',
                   startRecord=1, maximumRecords=20, recordSchema="mods")
        assert not diagnostics(root)
        count = hits(root, "1.1")
        assert count == expected if expected else count >= 1


def test_slims_marc_sru_request(indexed, live_server):
    """What SLiMS's "MARC SRU" screen (marcsru.php) sends, with the maxitem and xmlformat=marc21 its
    reader adds, and how that reader counts records: the response root's own unprefixed ``record``s."""
    item = indexed.items[107].record
    keywords = " ".join(item.title.split()[:3])
    for index in ("", "dc.title any ", "bath.isbn any "):
        term = item.isbns[0] if index.startswith("bath.isbn") else keywords
        query = requests.utils.quote(f'{index}"{term}"')
        url = (f"{live_server.url}/sru?version=1.1&operation=searchRetrieve&query={query}&startRecord=1"
               f"&maximumRecords=20&recordSchema=marc&maxitem=20&xmlformat=marc21")
        root = etree.fromstring(requests.get(url, timeout=30).content, PARSER)
        found = slims.marc_records(root)
        counted = hits(sru(live_server, version="1.1", operation="searchRetrieve", query=f'{index}"{term}"'), "1.1")
        assert root.tag == f"{{{MARC}}}collection" and len(found) == min(counted, 20) >= 1
        titles = [r.findtext(f"{{{MARC}}}datafield[@tag='245']/{{{MARC}}}subfield[@code='a']") for r in found]
        assert any(t and t.startswith(item.title.split()[0]) for t in titles)
    # Without xmlformat the same request is an SRU response, maxitem ignored: SLiMS's MODS screen reads that.
    root = sru(live_server, version="1.1", operation="searchRetrieve", query=f'"{keywords}"', maxitem="20",
               recordSchema="marc")
    assert root.tag == f"{{{SRW}}}searchRetrieveResponse" and not diagnostics(root) and not slims.marc_records(root)


def test_cql_means_what_the_catalogue_search_means(indexed, live_server):
    pairs = [
        ("dc.title = sejarah", "title:sejarah"),
        ('dc.title = "sejarah sulawesi"', 'title:"sejarah sulawesi"'),
        ('dc.title all "sejarah selatan"', "title:sejarah title:selatan"),
        ('dc.title any "sejarah hukum"', "title:sejarah OR title:hukum"),
        ("dc.creator = abidin or dc.subject = islam", "author:abidin OR subject:islam"),
        ("indonesia not dc.subject = history", "indonesia -subject:history"),
        ("bath.name = muhammad", "author:muhammad"),
        ("perpus*", "perpus*"),
        ("dc.title = pem*", "title:pem*"),
        ("dc.date within \"1998 2000\"", "year:1998-2000"),
        ("dc.date >= 2000", "year:>=2000"),
        ("dc.date < 1999", "year:<1999"),
        ("cql.allRecords = 1", "*"),
        ("pendidikan", "pendidikan"),
    ]
    for query, same in pairs:
        root = sru(live_server, version="1.2", operation="searchRetrieve", query=query, maximumRecords=0)
        assert not diagnostics(root), query
        assert hits(root, "1.2") == catalogue_total(same), query
    assert catalogue_total("*") == 119


def test_sort_by_date(indexed, live_server):
    def years(query):
        root = sru(live_server, version="2.0", query=query, maximumRecords=30, recordSchema="dc")
        return [int(d.text) for d in root.iter(f"{{{DC}}}date") if d.text and d.text.isdigit()]

    ascending = years("dc.title = indonesia sortBy dc.date")
    descending = years("dc.title = indonesia sortBy dc.date/sort.descending")
    assert ascending == sorted(ascending) and descending == sorted(descending, reverse=True)
    assert len(ascending) > 5 and ascending != descending
    root = sru(live_server, version="1.1", operation="searchRetrieve", query="dc.title = indonesia",
               sortKeys="dc.date,,0", maximumRecords=30, recordSchema="dc")
    assert [int(d.text) for d in root.iter(f"{{{DC}}}date") if d.text.isdigit()] == descending


@pytest.mark.parametrize("version", VERSIONS)
def test_explain_is_the_default(indexed, live_server, version):
    ns = ns_of(version)
    params = {"version": version} if version == "2.0" else {"version": version, "operation": "explain"}
    for root in (sru(live_server, **params), sru(live_server, "POST", **params)):
        assert root.tag == f"{{{ns}}}explainResponse"
        explain = root.find(f"{{{ns}}}record/{{{ns}}}recordData/{{{ZEEREX}}}explain")
        names = {(n.get("set"), n.text) for n in explain.iter(f"{{{ZEEREX}}}name")}
        assert {("dc", "title"), ("dc", "creator"), ("bath", "isbn"), ("cql", "serverChoice")} <= names
        schemas = {s.get("name"): s.get("identifier") for s in explain.iter(f"{{{ZEEREX}}}schema")}
        assert schemas["mods"].startswith("info:srw/schema/1/mods-v3")
        # every version answered is stated: SLiMS sends 1.1
        assert explain.find(f"{{{ZEEREX}}}serverInfo").get("version").split() == list(VERSIONS)
    bare = sru(live_server)
    assert bare.tag == f"{{{SRU2}}}explainResponse"


@pytest.mark.parametrize("version", VERSIONS)
def test_scan_lists_words_in_order_around_the_term(indexed, live_server, version):
    ns = SCAN2 if version == "2.0" else SRW

    def terms(**params):
        base = {"version": version, "scanClause": "dc.title = sejarah"}
        if version != "2.0":
            base["operation"] = "scan"
        root = sru(live_server, **{**base, **params})
        assert root.tag == f"{{{ns}}}scanResponse", diagnostics(root)
        return [(t.findtext(f"{{{ns}}}value"), int(t.findtext(f"{{{ns}}}numberOfRecords")))
                for t in root.iter(f"{{{ns}}}term")]

    first = terms(maximumTerms=5)
    assert first[0][0] == "sejarah" and len(first) == 5 and all(n >= 1 for _w, n in first)
    assert [w for w, _n in first] == sorted(w for w, _n in first)
    around = terms(maximumTerms=5, responsePosition=3)
    assert around[2][0] == "sejarah" and around[3:] == first[1:3]
    before = terms(maximumTerms=3, responsePosition=0)
    assert before[0] == first[1]
    authors = terms(scanClause="dc.creator = a", maximumTerms=3)
    assert len(authors) == 3 and authors[0][0].startswith("a")


@pytest.mark.parametrize("version", VERSIONS)
def test_diagnostics_never_a_server_error(indexed, live_server, version):
    def diag(**params):
        base = {"version": version, "operation": "searchRetrieve"}
        root = sru(live_server, **{**base, **params})
        found = diagnostics(root)
        return found[0].rsplit("/", 1)[1] if found else None

    d = "info:srw/diagnostic/1/"
    assert diag(query="(dc.title = x") == "10"
    assert diag(query="dc.title = ") == "10"
    assert diag(query="dc.format = book") == "16"
    assert diag(query="dc.title < sejarah") == "19"
    assert diag(query="dc.title =/fuzzy sejarah") == "20"
    assert diag(query="sejarah", startRecord="500") == "61"
    assert diag(query="sejarah", recordSchema="onix") == "66"
    assert diag() == "7"
    assert diag(query="sejarah", maximumRecords="many") == "6"
    assert diag(query="sejarah", startRecord="0") == "6"
    assert diag(query="sejarah", operation="update") == "4"
    assert diag(query="sejarah", version="3.0") == "5"
    assert diag(query="sejarah", version="0.9") == "5"
    assert diag(query="foo.title = x") == "15"
    assert diag(query='dc.title = ""') == "27"
    assert diag(query="se*jarah") == "28"
    assert diag(query="s*") == "29"
    assert diag(query="a prox b") == "39"
    assert diag(query="dc.date = soon") == "36"
    assert diag(query="sejarah", recordXPath="/record") == "72"
    assert diag(query="sejarah", stylesheet="x.xsl") == "110"
    # A name no SRU version defines is ignored by 1.1 and 1.2 (SLiMS sends maxitem, xmlformat) and
    # refused by 2.0; one SRU defines elsewhere (scan's maximumTerms) is refused by all three.
    assert diag(query="sejarah", frobnicate="1") == ("8" if version == "2.0" else None)
    assert diag(query="sejarah", maxitem="20") == ("8" if version == "2.0" else None)
    assert diag(query="sejarah", maximumTerms="5") == "8"
    packing = "recordXMLEscaping" if version == "2.0" else "recordPacking"
    assert diag(query="sejarah", **{packing: "json"}) == "71"
    assert diag(query="dan") == "35"
    for nasty in ('"', "((((", "a and or b", "\\", "dc.title = \"unterminated", "x" * 5000, "☃ = ☃",
                  "dc.title == \"\\\"\"", "> = x", "sortBy", "title = x sortBy foo.bar"):
        root = sru(live_server, version=version, operation="searchRetrieve", query=nasty)
        assert root.tag == f"{{{ns_of(version)}}}searchRetrieveResponse"  # a response, never an error page
    root = sru(live_server, version=version, operation="searchRetrieve", query="sejarah", startRecord="500")
    assert hits(root, version) == 0 and d + "61" in diagnostics(root)


@pytest.mark.parametrize("version", VERSIONS)
def test_a_nul_byte_or_an_oversized_form_is_a_diagnostic(indexed, live_server, settings, version):
    """Never Django's HTML 500 or 400 page: a NUL byte (no index holds one, no XML can echo it) is a
    query syntax error naming where it is; a form too large to read is diagnostic 6."""
    operation = {} if version == "2.0" else {"operation": "searchRetrieve"}
    for method in ("GET", "POST"):
        for query, position in (("sejarah\x00", 8), ("\x00", 1), ('dc.title = "a\x00b"', 14)):
            root = sru(live_server, method, version=version, query=query, **operation)
            assert diagnostics(root) == ["info:srw/diagnostic/1/10"] and hits(root, version) == 0
            assert root.findtext(f".//{{{DIAG2 if version == '2.0' else DIAG1}}}details") == \
                f"query: character U+0000 at position {position}"
        root = sru(live_server, method, version=version, operation="scan", scanClause="dc.title=a\x00")
        assert diagnostics(root) == ["info:srw/diagnostic/1/10"]
        root = sru(live_server, method, version=version, query="sejarah", maximumRecords="1\x00", **operation)
        assert diagnostics(root) == ["info:srw/diagnostic/1/6"]
    big = {"version": version, "query": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1), **operation}
    response = requests.post(f"{live_server.url}/sru?version={version}", data=big, timeout=30)
    assert response.status_code == 200 and response.headers["Content-Type"].startswith("text/xml")
    root = etree.fromstring(response.content, PARSER)
    assert root.tag == f"{{{ns_of(version)}}}searchRetrieveResponse"
    assert diagnostics(root) == ["info:srw/diagnostic/1/6"] and hits(root, version) == 0


def test_no_version_means_2_0_unless_an_operation_is_named(indexed, live_server):
    assert sru(live_server, query="sejarah").tag == f"{{{SRU2}}}searchRetrieveResponse"
    assert sru(live_server, operation="searchRetrieve", query="sejarah").findtext(f"{{{SRW}}}version") == "1.2"
    assert sru(live_server, scanClause="dc.title=a").tag == f"{{{SCAN2}}}scanResponse"


# --- the records kept between requests, and the shorter stack for /sru --------------------------


def test_a_changed_edition_is_never_served_from_the_kept_records(indexed, live_server):
    from django.utils import timezone

    from jaringan.catalog.models import Edition, SourceRecord

    def first(**params):
        root = sru(live_server, version="1.2", operation="searchRetrieve", query="dc.title = indonesia",
                   maximumRecords="1", recordSchema="marcxml", **params)
        return etree.tostring(root.find(f".//{{{SRW}}}recordData/{{{MARC}}}record"), encoding="unicode")

    before = first()
    assert first() == before  # kept, and the same
    edition_id = int(re.search(r'<controlfield tag="001">(\d+)<', before).group(1))
    for record in SourceRecord.objects.filter(edition_id=edition_id):
        record.data = {**record.data, "holdings": [{"call_number": "FRESH 001.2", "items": 1}]}
        record.save(update_fields=["data"])
    Edition.objects.filter(pk=edition_id).update(updated=timezone.now())
    after = first()
    assert "FRESH 001.2" in after and "FRESH 001.2" not in before
    escaped = sru(live_server, version="1.2", operation="searchRetrieve", query="dc.title = indonesia",
                  maximumRecords="1", recordSchema="marcxml", recordPacking="string")
    assert "FRESH 001.2" in escaped.findtext(f".//{{{SRW}}}recordData")  # every packing sees the change


def _environ(path: str, query: str = "", host: str = "testserver", *, method: str = "GET", body: bytes = b"",
             **extra) -> dict:
    """A WSGI server's environment for one request."""
    import io

    return {"REQUEST_METHOD": method, "PATH_INFO": path, "QUERY_STRING": query, "SERVER_NAME": "testserver",
            "SERVER_PORT": "80", "HTTP_HOST": host, "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(), "SERVER_PROTOCOL": "HTTP/1.1", "CONTENT_LENGTH": str(len(body)),
            "CONTENT_TYPE": "application/x-www-form-urlencoded" if body else "", **extra}


def _wsgi(application, path: str, query: str = "", host: str = "testserver", *, method: str = "GET",
          body: bytes = b"", **extra) -> tuple[str, dict, bytes]:
    """One request through a WSGI application, in this process (the test's database connection kept open)."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    environ = _environ(path, query, host, method=method, body=body, **extra)
    answer = {}

    def start_response(status, headers, exc_info=None):
        answer.update(status=status, headers=dict(headers))

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        content = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return answer["status"], answer["headers"], content


#: Requests of every kind: what SLiMS sends, records in every schema and packing, counts, scans,
#: explain, sorting, paging, diagnostics, odd characters.
ALL_KINDS = [
    "version=1.2&operation=searchRetrieve&query=dc.title%3Dindonesia&maximumRecords=3&recordSchema=mods",
    "version=2.0&query=sejarah&maximumRecords=2&recordXMLEscaping=string",
    "version=1.1&operation=searchRetrieve&query=sejarah&maximumRecords=0",
    "version=1.1&operation=searchRetrieve&query=sejarah&maximumRecords=4&recordSchema=dc&startRecord=3",
    "version=1.1&operation=searchRetrieve&query=dc.title%3Dindonesia&sortKeys=dc.date,,0&maximumRecords=2",
    "version=2.0&query=indonesia&maximumRecords=1&recordSchema=info:srw/schema/1/marcxml-v1.1",
    "version=1.2&operation=searchRetrieve&query=(((", "version=2.0&scanClause=dc.title%3Da",
    "version=1.2&operation=scan&scanClause=dc.title%3Dsej&maximumTerms=5&responsePosition=2", "",
    "version=1.2&operation=explain", "version=2.0&recordXMLEscaping=string",
    "?version=1.1&operation=searchRetrieve&query=sejarah", "?version=1.1&operation=searchRetrieve&query=%22sejarah%22"
    "&recordSchema=mods",
    "version=3.0&query=x", "version=1.2&operation=delete", "version=1.2&operation=searchRetrieve",
    "version=1.2&operation=searchRetrieve&query=sejarah&startRecord=0",
    "version=1.2&operation=searchRetrieve&query=sejarah&startRecord=99999999999999999999",
    "version=1.2&operation=searchRetrieve&query=sejarah&foo=bar&x-extra=1&stylesheet=s.xsl",
    "version=1.2&operation=searchRetrieve&query=%C3%9Cmit+%E2%80%94+%F0%9F%93%9A&maximumRecords=1",
    "version=1.2&operation=searchRetrieve&query=%ff%fe&maximumRecords=1",
    "query=sejarah&query=indonesia&maximumRecords=1&maximumRecords=5",
    "version=1.2&operation=searchRetrieve&query=sejarah%00", "version=2.0&scanClause=%00",
    "version=1.1&operation=searchRetrieve&query=%22sejarah%22&recordSchema=marc&maxitem=2&xmlformat=marc21",
]


def _without_language(answer):
    """The site's answer less the language middleware's headers (SRU answers in the standard's English)."""
    status, headers, body = answer
    return status, {k: v for k, v in headers.items() if k not in ("Vary", "Content-Language")}, body


def test_the_sru_handler_answers_as_the_whole_site_does(indexed, settings):
    from django.core.handlers.wsgi import WSGIHandler

    from jaringan.interop.sru.wsgi import with_sru

    settings.ALLOWED_HOSTS = ["testserver", ".example.org"]
    site = WSGIHandler()
    lean = with_sru(site)
    for query in ALL_KINDS:
        status, headers, body = _wsgi(lean, "/sru", query)
        assert (status, headers, body) == _without_language(_wsgi(site, "/sru", query)), query
        assert status == "200 OK" and headers["Content-Type"].startswith("text/xml")
        for name in ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Length"):
            assert name in headers  # the security middleware's headers
    for request in ({"host": "evil.example"}, {"host": "Evil.Example.org:99999"},  # allowed hosts
                    {"method": "POST", "body": b"version=1.2&operation=searchRetrieve&query=sejarah"},
                    {"method": "PUT"}, {"method": "HEAD"}, {"host": "a.example.org", "wsgi.url_scheme": "https"}):
        assert (_without_language(_wsgi(lean, "/sru", "query=sejarah", **request))
                == _without_language(_wsgi(site, "/sru", "query=sejarah", **request))), request
    assert _wsgi(lean, "/sru", "query=sejarah", host="evil.example")[0].startswith("400")
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 3
    many = "&".join(f"x-{n}=1" for n in range(5))
    assert _wsgi(with_sru(site), "/sru", many) == _without_language(_wsgi(site, "/sru", many))
    assert _wsgi(site, "/sru", many)[0] == "200 OK"  # a diagnostic, not Django's 400 page
    assert _wsgi(lean, "/oai", "verb=Identify")[2] == _wsgi(site, "/oai", "verb=Identify")[2]  # the rest as it was
    assert _wsgi(lean, "/sru/")[0] == _wsgi(site, "/sru/")[0]


def test_security_settings_reach_sru_answers(indexed, settings):
    """HSTS over HTTPS (also behind a proxy that says so), other policies; and settings that make
    responses other than headers (an HTTPS redirect) send every request through the middleware."""
    from django.core.handlers.wsgi import WSGIHandler

    from jaringan.interop.sru.wsgi import with_sru

    settings.ALLOWED_HOSTS = ["testserver"]
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_HSTS_PRELOAD = True
    settings.SECURE_REFERRER_POLICY = "no-referrer, strict-origin"
    settings.X_FRAME_OPTIONS = "sameorigin"
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    site = WSGIHandler()
    lean = with_sru(site)
    query = "version=1.1&operation=searchRetrieve&query=sejarah&maximumRecords=1"
    for extra in ({}, {"wsgi.url_scheme": "https"}, {"HTTP_X_FORWARDED_PROTO": "https"}):
        answer = _wsgi(lean, "/sru", query, **extra)
        assert answer == _without_language(_wsgi(site, "/sru", query, **extra))
        assert ("Strict-Transport-Security" in answer[1]) == bool(extra)
    assert answer[1]["X-Frame-Options"] == "SAMEORIGIN" and answer[1]["Referrer-Policy"] == "no-referrer,strict-origin"
    settings.SECURE_SSL_REDIRECT = True
    redirected = _wsgi(with_sru(WSGIHandler()), "/sru", query)
    assert redirected[0] == "301 Moved Permanently"
    assert redirected == _without_language(_wsgi(WSGIHandler(), "/sru", query))


def test_yaz_client_through_the_deployed_application(indexed, live_server, settings):
    """The WSGI application a deployment serves (``jaringan.wsgi``, in a server process of its own)
    gives yaz-client exactly what the site's own request handling gives it."""
    from types import SimpleNamespace

    from django.db import connection

    from .server import serving

    commands = ["find dc.title=indonesia", "schema marcxml", "show 1", "schema mods", "show 2", "schema dc", "show 3",
                "find dc.creator=abidin and dc.subject=history", "scan dc.title=sej", "find foo.bar=x"]
    with serving(connection.settings_dict["NAME"], "--index", str(settings.SEARCH_INDEX_DIR)) as url:
        for version in VERSIONS:
            deployed = yaz(SimpleNamespace(url=url), version, commands)
            site = yaz(live_server, version, commands)
            assert _without_timing(deployed).replace(url, "URL") == _without_timing(site).replace(live_server.url, "URL")
            assert "Number of hits: " in deployed and "<mods " in deployed and "SRW diagnostic" in deployed


def _without_timing(out: str) -> str:
    return re.sub(r"(?m)^Elapsed: .*$", "", out)


def test_a_count_follows_each_commit_to_the_index(indexed, settings):
    """Counts are kept per index version: a commit that reaches this process makes them again."""
    from dataclasses import replace

    from django.core.handlers.wsgi import WSGIHandler

    from jaringan.discovery.services import outbox_drain
    from jaringan.interop.sru.wsgi import with_sru
    from tests.catalog.items import retyped

    from .conftest import _ingest

    settings.ALLOWED_HOSTS = ["testserver"]
    application = with_sru(WSGIHandler())

    def count() -> int:
        body = _wsgi(application, "/sru", "version=1.2&operation=searchRetrieve&query=cql.allRecords%3D1"
                                          "&maximumRecords=0")[2]
        return hits(etree.fromstring(body, PARSER), "1.2")

    before = count()
    assert before == count() == 119  # the editions the fixture indexed
    _ingest("UNPATTI", [replace(retyped(indexed.items[101], source_id="UNPATTI-101"), deleted=True, record=None)])
    outbox_drain()
    assert count() == before - 1
