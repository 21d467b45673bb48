"""Pages, CSV downloads and the API of collection analysis: who sees what, buy-warnings through the agreement
check's own rule, charts drawn server-side with their tables, both languages."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client

from jaringan.analysis import selectors
from jaringan.catalog.models import SourceRecord
from jaringan.ill.rota import offer_between
from jaringan.network.models import Library, Network


def _client(user=None, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    if user is not None:
        client.force_login(user)
    return client


def _csv_rows(response):
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


@pytest.mark.django_db
def test_who_sees_a_networks_figures_member_by_member(catalogue, user):
    url = "/analysis/networks/JPIT/"
    public = _client().get(url)
    assert public.status_code == 200
    text = public.content.decode()
    assert 'id="total-editions"' in text and 'id="matrix"' not in text and 'src="/analysis/chart/' in text
    assert _client().get(url + "?csv=matrix").status_code == 403
    for username in ("koordinator", "staf.unpatti"):  # its coordinator; staff of a member
        page = _client(user(username)).get(url).content.decode()
        assert 'id="matrix"' in page and 'id="duties"' in page
    assert 'id="matrix"' not in _client(user("staf.itb")).get(url).content.decode()  # ITB is not in JPIT
    members = selectors.network_group(Network.objects.get(code="JPIT"))
    rows = _csv_rows(_client(user("koordinator")).get(url + "?csv=matrix"))
    assert rows[0][1:] == [m.name for m in members] and len(rows) == len(members) + 1
    figures = selectors.group_figures(members)
    assert [int(x) for x in rows[1][1:]] == figures.editions.matrix[0]


@pytest.mark.django_db
def test_a_members_profile_is_for_its_staff_and_its_coordinators(catalogue, user):
    url = "/analysis/networks/JPIT/libraries/UNPATTI/"
    assert _client().get(url).status_code == 403
    assert _client(user("staf.itb")).get(url).status_code == 403
    page = _client(user("staf.unpatti")).get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Assigned DDC 551.46–551.469" in text  # the eastern agreement's division of labour
    rows = _csv_rows(_client(user("koordinator")).get(url + "?scheme=lcc&csv=subjects"))
    assert rows[0][0] == "Subject" and len(rows) > 3
    assert _client(user("staf.unpatti")).get("/analysis/networks/JPIT/libraries/ITB/").status_code == 404


@pytest.mark.django_db
def test_last_copies_download_lists_what_only_one_member_holds(catalogue, user):
    response = _client(user("staf.unhas")).get("/analysis/networks/JPIT/last-copies/?library=UNHAS&csv=1")
    rows = _csv_rows(response)
    members = selectors.network_group(Network.objects.get(code="JPIT"))
    total, _page = selectors.last_copies(members, holder=Library.objects.get(code="UNHAS"), limit=0)
    assert len(rows) - 1 == total > 0 and {r[3] for r in rows[1:]} == {Library.objects.get(code="UNHAS").name}
    assert _client(user("staf.itb")).get("/analysis/networks/JPIT/last-copies/?library=UNHAS").status_code == 403


def _held_by(codes, not_by):
    """An ISBN held by a library of `codes` and not by `not_by`."""
    libraries = {lib.code: lib.pk for lib in Library.objects.all()}
    held: dict[str, set] = {}
    for library_id, isbns in SourceRecord.objects.filter(withdrawn=False).values_list("library_id", "data__isbns"):
        for isbn in isbns or ():
            held.setdefault(isbn, set()).add(library_id)
    for isbn, holders in sorted(held.items()):
        if holders & {libraries[c] for c in codes} and libraries[not_by] not in holders:
            return isbn, holders
    raise AssertionError("no such ISBN in the demo catalogue")


@pytest.mark.django_db
def test_buy_warning_says_borrow_dont_buy_at_the_agreements_cost(catalogue, user):
    unpatti = Library.objects.get(code="UNPATTI")
    isbn, holders = _held_by(["UNHAS", "UNUD"], not_by="UNPATTI")
    own = next(isbn for isbns in SourceRecord.objects.filter(library=unpatti, withdrawn=False)
               .values_list("data__isbns", flat=True) for isbn in (isbns or ()))
    client = _client(user("staf.unpatti"))
    text = f"{isbn}\n{own}\n9780000000002\nnot-an-isbn\n"
    page = client.post("/analysis/libraries/UNPATTI/order-check/", {"isbns": text})
    assert page.status_code == 200
    rows = _csv_rows(client.post("/analysis/libraries/UNPATTI/order-check/", {"isbns": text, "as": "csv"}))
    assert [r[0] for r in rows[1:]] == ["1", "2", "3", "4"]
    first = rows[1]
    lenders = [Library.objects.get(pk=pk) for pk in holders]
    offers = {lib.name: offer_between(unpatti, lib, "loan") for lib in lenders}
    allowed = {name: o.quote.requester_cost for name, o in offers.items() if o.decision.allowed}
    assert allowed, "the eastern agreement lets UNPATTI borrow from UNHAS and UNUD"
    assert first[4] == "Borrow, don't buy" and first[8] in allowed and int(first[9]) == allowed[first[8]]
    assert int(first[5]) == len(holders)
    assert rows[2][4] == "You hold it already"
    assert rows[3][4] == "Not in the network"
    assert rows[4][4] == "No ISBN on this line" and rows[4][10] == "not an ISBN"
    assert _client(user("staf.itb")).post("/analysis/libraries/UNPATTI/order-check/",
                                          {"isbns": isbn}).status_code == 403


@pytest.mark.django_db
def test_the_api_gives_public_totals_and_guards_member_figures_and_order_checks(catalogue, user):
    totals = Client().get("/api/networks/JPIT/overlap").json()
    figures = selectors.group_figures(selectors.network_group(Network.objects.get(code="JPIT")))
    assert totals["editions"]["total"] == figures.editions.total and totals["editions"]["one"] == figures.editions.one
    assert Client().get("/api/networks/JPIT/overlap/members").status_code == 401
    assert _client(user("staf.itb")).get("/api/networks/JPIT/overlap/members").status_code == 403
    members = _client(user("staf.unud")).get("/api/networks/JPIT/overlap/members").json()
    assert sum(m["unique"] for m in members) == figures.editions.one
    isbn, holders = _held_by(["UNHAS", "UNUD"], not_by="UNPATTI")
    client = _client(user("staf.unpatti"))
    answer = client.post("/api/libraries/UNPATTI/order-check", json.dumps({"isbns": [isbn, "12"]}),
                         content_type="application/json")
    assert answer.status_code == 200
    first, second = answer.json()
    assert first["verdict"] == "borrow" and first["holders"] == len(holders) and first["cost"] is not None
    assert second["verdict"] == "invalid" and second["line"] == 2
    assert _client(user("staf.itb")).post("/api/libraries/UNPATTI/order-check", json.dumps({"isbns": [isbn]}),
                                          content_type="application/json").status_code == 403


@pytest.mark.django_db
def test_evaluation_pages_show_the_demo_loans_with_charts_tables_and_csv_in_indonesian(catalogue, user):
    from jaringan.demo.ill import load_ill

    assert load_ill() > 0
    client = _client(user("koordinator"), language="id")
    page = client.get("/analysis/networks/JPIT/evaluation/")
    text = page.content.decode()
    assert page.status_code == 200 and 'src="/analysis/chart/' in text and 'id="months"' in text
    assert "Peminjaman" in text or "Bulan" in text
    rows = _csv_rows(client.get("/analysis/networks/JPIT/evaluation/?csv=members"))
    by_name = {r[0]: r for r in rows[1:]}
    from jaringan.analysis.evaluation import default_period
    from jaringan.ill.selectors import network_balance

    balance = network_balance(Network.objects.get(code="JPIT"), default_period())
    lent = {row["library"].name: row["lent"] for row in balance["members"]}
    assert sum(lent.values()) > 0 and {n: int(by_name[n][6]) for n in lent} == lent
    months = _csv_rows(client.get("/analysis/networks/JPIT/evaluation/?csv=months"))
    assert sum(int(r[1]) for r in months[1:]) > 0
    assert _client(user("staf.itb")).get("/analysis/libraries/UNPATTI/evaluation/").status_code == 403
    assert _client(user("staf.unpatti")).get("/analysis/libraries/UNPATTI/evaluation/").status_code == 200


@pytest.mark.django_db
def test_a_chart_is_an_image_of_its_own_compressed_and_only_at_an_address_the_site_signed(catalogue, user):
    import gzip
    import re as regex

    page = _client(user("koordinator")).get("/analysis/networks/JPIT/").content.decode()
    sources = regex.findall(r'<img src="(/analysis/chart/[^"]+\.svg)"', page)
    assert sources and "data:image" not in page  # the page carries the charts' addresses, not the charts
    signed_in = _client(user("koordinator")).get(sources[0], HTTP_ACCEPT_ENCODING="gzip, deflate")
    assert signed_in.status_code == 200 and signed_in["Content-Type"] == "image/svg+xml"
    assert signed_in["Content-Encoding"] == "gzip"  # compressed for a signed-in person too: nothing reflected
    svg = gzip.decompress(signed_in.content)
    assert svg.startswith(b"<?xml") and b"<svg" in svg
    plain = _client().get(sources[0])  # asked without compression, the same image
    assert plain.status_code == 200 and plain.content == svg and "Content-Encoding" not in plain
    forged = sources[0].replace("/analysis/chart/", "/analysis/chart/x")
    assert _client().get(forged).status_code == 404
