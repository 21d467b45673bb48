"""The search-box snippet page: the choices a member and a network have, the words in either language, and a
snippet that is plain HTML (its form names this site's search and the limit chosen)."""

from __future__ import annotations

import html
import re

import pytest
from django.test import Client


def _snippet(response) -> str:
    assert response.status_code == 200
    found = re.search(r'<textarea id="snippet"[^>]*>(.*?)</textarea>', response.content.decode(), re.S)
    return html.unescape(found.group(1))


@pytest.mark.django_db
def test_a_member_chooses_its_holdings_a_network_or_everything(demo_network):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    page = client.get("/analysis/libraries/UNPATTI/search-box/")
    text = page.content.decode()
    for scope in ("library", "network-JPIT", "network-FPPTI", "all"):
        assert f'value="{scope}"' in text, scope
    first = _snippet(page)  # its own holdings by default, words in Indonesian by default
    assert 'action="http://testserver/search/"' in first and '<input type="hidden" name="library" value="UNPATTI">' in first
    assert "Cari di katalog UPT Perpustakaan Universitas Pattimura" in first and 'lang="id"' in first
    network = _snippet(client.get("/analysis/libraries/UNPATTI/search-box/?scope=network-JPIT&lang=en"))
    assert 'action="http://testserver/networks/JPIT/search/"' in network and 'type="hidden"' not in network
    assert "Search the catalogue of UPT Perpustakaan Universitas Pattimura" in network
    assert "<script" not in text.split('id="snippet"')[1]  # nothing but the form in the snippet and preview
    everything = _snippet(client.get("/analysis/networks/JPIT/search-box/?scope=all"))
    assert 'action="http://testserver/search/"' in everything and "Jaringan Perpustakaan Indonesia Timur" in everything
    unknown = _snippet(client.get("/analysis/networks/JPIT/search-box/?scope=nonsense&lang=xx"))
    assert 'action="http://testserver/networks/JPIT/search/"' in unknown and 'lang="id"' in unknown
    assert client.get("/analysis/libraries/NOPE/search-box/").status_code == 404
    assert "/analysis/libraries/UNPATTI/search-box/" in client.get("/libraries/UNPATTI/").content.decode()
    assert "/analysis/networks/JPIT/search-box/" in client.get("/networks/JPIT/").content.decode()
