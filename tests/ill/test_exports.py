"""The interlibrary loan lists as CSV: the queues, the ledger and the network's figures, each with its page's
filters and permissions, UTF-8 with a byte-order mark, the header in the page's language, ISO dates, plain
numbers, and streamed a chunk of rows at a time."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext

from jaringan.csvdownload import CHUNK_ROWS
from jaringan.ill import services
from jaringan.ill.models import IllRequest
from jaringan.ill.web import screens
from jaringan.network.models import Agreement, Library

pytestmark = pytest.mark.django_db


def tr(msgid: str, lang: str) -> str:
    with translation.override(lang):
        return gettext(msgid)


def download(client, url: str, lang: str = "id") -> tuple[list[str], list[list[str]]]:
    """The CSV's header and rows, after checking it is a streamed UTF-8 attachment with a byte-order mark."""
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200, (url, response.status_code)
    assert response.streaming and response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    body = b"".join(response.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    return rows[0], rows[1:]


def login(client, user, username):
    client.force_login(user(username))
    return client


@pytest.fixture
def supplied(held, staff):
    """A loan from UNPATTI supplied by the first lender of its rota and charged (no free loans), and a
    reader's request still waiting for UNPATTI's approval."""
    Agreement.objects.filter(network__code="JPIT").update(free_loans_per_year=0)
    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[0], service="loan", reader_name="Tamu, \"Ambon\"")
    req.refresh_from_db()
    lender = staff(f"staf.{req.supplier.code.lower()}")
    for action in ("WillSupply", "Loaned"):
        req = services.illrequest_act(actor=lender, request=req, action=action)
    waiting = services.illrequest_create(actor=staff("pembaca"), edition=held[1], service="copy", page_count=12)
    return req, waiting


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_ledger_as_csv(client, user, supplied, lang):
    req, _waiting = supplied
    login(client, user, "staf.unpatti")
    page = client.get("/manage/ill/ledger/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert 'href="?library=UNPATTI&amp;csv=1" download' in page
    header, rows = download(client, "/manage/ill/ledger/?csv=1", lang)
    assert header[:2] == [tr("Date", lang), tr("Request", lang)] and header[-2:] == [tr("Owed to us", lang),
                                                                                   tr("We owe", lang)]
    assert header[4] == {"id": "Kode perpustakaan", "en": "Library code"}[lang]
    lines = list(req.ledger.order_by("-on", "-id"))
    assert len(rows) == len(lines) >= 1
    with translation.override(lang):
        label = screens.ledger_line_label("loan_fee")
    fee = next(r for r in rows if r[5] == label)
    line = req.ledger.get(kind="loan_fee")
    assert fee[0] == line.on.isoformat() and fee[1] == str(req.pk) and fee[3] == req.supplier.name
    assert fee[4] == req.supplier.code and fee[6] == "" and fee[7] == str(line.amount)  # UNPATTI owes it
    assert sum(int(r[7]) for r in rows) == sum(e.amount for e in lines)
    login(client, user, f"staf.{req.supplier.code.lower()}")
    _header, theirs = download(client, f"/manage/ill/ledger/?library={req.supplier.code}&csv=1", lang)
    assert {r[7] for r in theirs} == {""} and sum(int(r[6]) for r in theirs) == sum(e.amount for e in lines)


def test_the_queues_as_csv_keep_the_pages_filter(client, user, supplied):
    req, waiting = supplied
    login(client, user, "staf.unpatti")
    header, rows = download(client, "/manage/ill/?csv=1")
    assert header[0] == tr("No.", "id") and tr("State", "id") in header
    assert [int(r[0]) for r in rows] == [waiting.pk, req.pk]  # the page's order: the latest change first
    loaned = rows[1]
    with translation.override("id"):
        assert screens.state_label("Loaned") in loaned and "Loaned" not in loaned
    req.refresh_from_db()
    assert loaned[header.index(tr("Due date", "id"))] == req.due_date.isoformat()
    assert loaned[header.index(tr("Asked on", "id"))] == timezone.localtime(req.created).replace(
        microsecond=0).isoformat()
    assert loaned[header.index(tr("Reader", "id"))] == 'Tamu, "Ambon"'  # quoted as CSV quotes
    _header, only = download(client, "/manage/ill/?state=AwaitingApproval&csv=1")
    assert [int(r[0]) for r in only] == [waiting.pk]
    page = client.get("/manage/ill/?state=AwaitingApproval").content.decode()
    assert 'href="?library=UNPATTI&amp;state=AwaitingApproval&amp;csv=1" download' in page
    login(client, user, f"staf.{req.supplier.code.lower()}")
    _header, lending = download(client, f"/manage/ill/lending/?library={req.supplier.code}&csv=1", "en")
    assert [int(r[0]) for r in lending] == [req.pk] and lending[0][7] == "UNPATTI"


def test_the_csv_has_the_pages_permissions(client, user, supplied):
    req, _waiting = supplied
    login(client, user, "staf.itb")
    for url in ("/manage/ill/?library=UNPATTI&csv=1", "/manage/ill/lending/?library=UNPATTI&csv=1",
                "/manage/ill/ledger/?library=UNPATTI&csv=1"):
        assert client.get(url).status_code == 403, url
    login(client, user, "pembaca")
    assert client.get("/manage/ill/ledger/?csv=1").status_code == 403
    assert client.get("/manage/ill/?csv=1")["Location"] == "/my/requests/"  # a reader goes to their own
    login(client, user, "koordinator.fppti")
    assert client.get("/manage/networks/JPIT/ill/?csv=members").status_code == 403
    client.logout()
    assert client.get("/manage/ill/ledger/?csv=1").status_code == 302


def test_a_long_queue_is_streamed_in_chunks_with_a_fixed_number_of_queries(client, user, supplied):
    req, _waiting = supplied
    unpatti = Library.objects.get(code="UNPATTI")
    count = 2 * CHUNK_ROWS + 50
    IllRequest.objects.bulk_create([
        IllRequest(requester=unpatti, supplier=req.supplier, title=f"Buku ke-{n}", state="RequestReceived",
                   service="loan", reader_name=f"Pembaca {n}", need_by=date(2027, 1, 1 + n % 28))
        for n in range(count)])
    login(client, user, "staf.unpatti")
    response = client.get("/manage/ill/?state=RequestReceived&csv=1")
    with CaptureQueriesContext(connection) as queries:
        chunks = list(response.streaming_content)
    assert len(chunks) >= 3  # the header with its mark, then the rows a chunk at a time
    assert len(queries) <= 3  # one read of the rows (their libraries joined), not one a row
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))[1:]
    assert len(rows) == count and {r[9][:4] for r in rows} == {"2027"}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_networks_figures_and_settlement_as_csv(client, user, supplied, lang):
    req, _waiting = supplied
    login(client, user, "koordinator")
    today = timezone.localdate()
    period = f"start={today.replace(day=1).isoformat()}&end={today.isoformat()}"
    page = client.get(f"/manage/networks/JPIT/ill/?{period}", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert "csv=members" in page and "csv=settlement" in page
    header, rows = download(client, f"/manage/networks/JPIT/ill/?{period}&csv=members", lang)
    assert header[0] == tr("Member", lang) and header[-1] == tr("Net", lang)
    lender = next(r for r in rows if r[1] == req.supplier.code)
    borrower = next(r for r in rows if r[1] == "UNPATTI")
    owed = sum(e.amount for e in req.ledger.all())
    assert lender[3] == "1" and lender[7] == "1.0" and lender[-1] == str(owed)  # lent one; filled; owed
    assert borrower[4] == "1" and borrower[-1] == str(-owed)
    header, payments = download(client, f"/manage/networks/JPIT/ill/?{period}&csv=settlement", lang)
    assert payments == [[borrower[0], "UNPATTI", req.supplier.name, req.supplier.code, str(owed), str(len(
        req.ledger.all()))]]
    _header, none = download(client, "/manage/networks/JPIT/ill/?start=2020-01-01&end=2020-01-31&csv=settlement")
    assert none == []
