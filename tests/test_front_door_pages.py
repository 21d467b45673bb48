"""The pages a newcomer meets first when something is off: not found, not allowed, a server error, the
site's icon, and the API's docs, which work with no connection to the internet."""

import re
from html import unescape

import pytest
from django.test import Client, RequestFactory
from django.utils import translation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("lang", "title"), [("en", "Page not found"), ("id", "Halaman tidak ditemukan")])
def test_not_found_is_translated_and_in_the_sites_frame(lang, title):
    response = Client().get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=lang)
    html = unescape(response.content.decode())
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in html and f'<html lang="{lang}">' in html
    assert 'class="top"' in html and 'name="q"' in html  # the site's header, and a search box
    assert "/no-such-page/" in html.split('id="error-reason"', 1)[1]


@pytest.mark.parametrize(("lang", "title"), [("en", "Something went wrong"), ("id", "Terjadi kesalahan")])
def test_server_error_page_is_translated(lang, title):
    from django.views.defaults import server_error

    with translation.override(lang):
        html = server_error(RequestFactory().get("/")).content.decode()
    assert f"<h1>{title}</h1>" in html and "site.css" in html


def test_the_site_has_an_icon():
    client = Client()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon["Content-Type"] == "image/x-icon"
    assert icon.content[:4] == b"\x00\x00\x01\x00" and b"PNG" in icon.content[:40]
    home = client.get("/").content.decode()
    links = re.findall(r'<link rel="icon" href="([^"]+)"', home)
    assert "/favicon.ico" in links
    for href in links:
        assert b"".join(client.get(href)).startswith((b"\x00\x00\x01\x00", b"<svg"))


def test_api_docs_load_nothing_from_outside_and_their_assets_are_served():
    client = Client()
    html = client.get("/api/docs").content.decode()
    assert "swagger-ui" in html
    assert "https://" not in html and "http://" not in html and "cdn" not in html.lower()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets), assets
    for url in assets:
        response = client.get(url)
        assert response.status_code == 200, url
        assert b"".join(response.streaming_content if response.streaming else [response.content])
