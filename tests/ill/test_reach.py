"""What a reader can get: each search result says it (own library, borrowed from N members, copies only, or
nothing) with a request link where they may ask, and a record's holdings come in that order, each with why."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.utils import translation

from jaringan.core.ill.geography import leg
from jaringan.core.ill.routing import reach_penalty
from jaringan.network import reach
from jaringan.network.models import Library

pytestmark = pytest.mark.django_db


@pytest.fixture
def indexed(held, settings, tmp_path):
    """The test books in a search index of this test's own."""
    from jaringan.discovery import services as discovery

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    discovery.reindex()
    return held


@pytest.fixture
def reader_at(demo_network):
    """A signed-in reader of the library with this code."""
    from jaringan.network import services

    def make(client, code: str):
        username = f"pembaca.{code.lower()}"
        services.user_create(username=username, password="kata-sandi-panjang", role="reader", library=code,
                             check_password=False)
        from django.contrib.auth import get_user_model

        client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


def page(client, url: str, lang: str = "en") -> str:
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 200
    return unescape(response.content.decode())


def holding_codes(html: str) -> list[str]:
    body = html.split('id="holdings"', 1)[1].split("</tbody>\n</table>", 1)[0]
    return re.findall(r'href="/libraries/([A-Z0-9-]+)/"', body)


def results(html: str) -> list[str]:
    return html.split('<ol class="results"', 1)[1].split("</ol>", 1)[0].split("<li>")[1:]


def test_the_members_a_library_may_borrow_from_come_nearest_and_cheapest_first(held):
    unpatti = Library.objects.get(code="UNPATTI")
    routes = reach.reach_of(unpatti)
    assert routes["UNPATTI"].kind == reach.HOME
    assert routes["UNHAS"].kind == routes["UNUD"].kind == reach.LOAN
    assert routes["ITB"].kind == reach.NONE and routes["PNRI"].kind == reach.NONE
    unhas = Library.objects.get(code="UNHAS")
    way = leg(reach._place(unpatti), reach._place(unhas))
    assert routes["UNHAS"].penalty == reach_penalty(way, routes["UNHAS"].cost)
    assert [r.library for r in routes.ordered(["ITB", "UNUD", "UNPATTI", "UNHAS"])] == [
        "UNPATTI", "UNHAS", "UNUD", "ITB"]
    assert reach.reach_of(None) == {} and reach.reach_of(None)["UNHAS"].kind == reach.NONE


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_record_lists_what_the_reader_can_get_first_each_with_why(client, indexed, user, lang):
    client.force_login(user("pembaca"))
    html = page(client, f"/catalogue/{indexed[0].pk}/", lang)
    assert holding_codes(html)[:3] == ["UNPATTI", "UNHAS", "UNUD"]
    assert set(holding_codes(html)[3:]) == {"PNRI", "ITB", "UI"}
    with translation.override(lang):
        unhas = reach.route_sentence(reach.reach_of(Library.objects.get(code="UNPATTI"))["UNHAS"])
        expected = [reach.route_label(reach.HOME), unhas, reach.route_label(reach.NONE)]
    for text in expected:
        assert text in html
    if lang == "id":
        assert "Availability to you" not in html and "No agreement lets" not in html


def test_staff_see_their_own_library_first_and_a_visitor_the_plain_list(client, indexed, user):
    client.force_login(user("staf.itb"))
    codes = holding_codes(page(client, f"/catalogue/{indexed[0].pk}/"))
    assert codes[:2] == ["ITB", "UI"]  # UI lends to ITB under the West Java network's agreement
    client.logout()
    html = page(client, f"/catalogue/{indexed[0].pk}/")
    assert "route-" not in html.split('id="holdings"', 1)[1]


def test_each_result_says_whether_the_reader_can_get_it_with_a_request_link(client, indexed, reader_at):
    title = indexed[0].title.split(":")[0].split("/")[0].strip()
    url = f"/search/?q={title.replace(' ', '+')}"
    reader_at(client, "UNCEN")  # Cenderawasih (Jayapura): borrows from Pattimura, Hasanuddin, Udayana
    first = results(page(client, url))[0]
    assert "route-loan" in first and "Can be borrowed through interlibrary loan from 3 members" in first
    assert f'href="/ill/new/?edition={indexed[0].pk}"' in first
    client.logout()
    reader_at(client, "UNPATTI")
    first = results(page(client, url))[0]
    assert "route-home" in first and "/ill/new/" not in first
    client.logout()
    reader_at(client, "USU")  # Medan: no agreement reaches any holder
    first = results(page(client, url))[0]
    assert "route-none" in first and "/ill/new/" not in first
    client.logout()
    assert "route-" not in results(page(client, url))[0]  # a visitor is not told what only a reader can get


def test_a_coordinator_is_not_offered_a_request(client, indexed, user):
    client.force_login(user("koordinator"))
    title = indexed[0].title.split(":")[0].split("/")[0].strip()
    html = page(client, f"/search/?q={title.replace(' ', '+')}")
    assert "/ill/new/" not in html and "route-" not in results(html)[0]


@pytest.mark.parametrize("lang", ["en", "id"])
def test_a_readers_request_from_a_record_asks_only_what_the_record_does_not_say(client, held, reader_at, lang):
    from jaringan.ill.web import pages

    reader_at(client, "UNCEN")
    html = page(client, f"/ill/new/?edition={held[0].pk}", lang)
    form = html.split('class="stacked ill-new"', 1)[1].split("</form>", 1)[0]
    assert 'name="max_cost"' not in form and 'name="title"' not in form and 'name="isbn"' not in form
    assert 'data-for="pages_requested"' in form and 'data-for="any_edition"' in form
    with translation.override(lang):
        sentence = reach.route_sentence(reach.reach_of(Library.objects.get(code="UNCEN"))["UNPATTI"])
    notice = html.split('id="first-lender"', 1)[1].split("</p>", 1)[0]
    assert "Pattimura" in notice and "Rp" in notice and sentence in notice  # the nearest and cheapest holder
    if lang == "id":
        assert "Likely asked first" not in notice
    assert "max_cost" in pages.RequestForm(libraries=[Library.objects.get(code="UNCEN")], staff=True).fields


def test_lender_buttons_explain_themselves_and_destructive_ones_ask_to_be_sure(client, held, staff):
    from jaringan.ill import services

    desk = staff("staf.unpatti")
    req = services.illrequest_create(actor=desk, edition=held[1], service="loan", reader_name="Pembaca tamu")
    req.refresh_from_db()
    lender = {"UNHAS": "staf.unhas", "UNUD": "staf.unud", "UI": "staf.ui", "PNRI": "staf.pnri"}[req.supplier.code]
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=lender))
    html = page(client, f"/manage/ill/requests/{req.pk}/")
    section = html.split('id="actions"', 1)[1].split("</section>", 1)[0]
    assert section.count("<form") == 1 and section.count('name="note"') == 1  # one form, one note box
    safe, red = section.split('<fieldset class="ill-red">', 1)
    expect = safe.split('id="act-ExpectToSupply"', 1)[1].split("</div>", 1)[0]
    assert "cannot send it yet" in expect and "formnovalidate" in expect  # no box to tick for it
    assert 'name="confirm"' not in safe
    assert red.count('<input type="checkbox" name="confirm" value="1" required>') == 1  # one box for the red ones
    unfilled = red.split('id="act-Unfilled"', 1)[1].split("</div>", 1)[0]
    assert "next lender" in unfilled and "formnovalidate" not in unfilled
