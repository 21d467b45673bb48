"""The demo's articles: read through the catalogue's import into the demo's journals, each in a volume
some member holds; on first start search finds them by their abstracts (snippet marked), counts them by
journal and by who holds their volume, and an article's page names those members."""

from __future__ import annotations

import re

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_articles(settings, tmp_path):
    from jaringan.demo import articles, network, serials
    from jaringan.discovery import services as discovery

    settings.SEARCH_INDEX_DIR = tmp_path / "index"
    network.load_network()
    serials.load_serials()
    read = articles.load_articles()
    discovery.reindex()
    return read


def test_every_article_is_read_and_lies_in_a_volume_some_member_holds(demo_articles):
    from jaringan.catalog.models import Edition
    from jaringan.core.catalog import codec
    from jaringan.demo import articles, datafiles
    from jaringan.serials.selectors import article_holders

    expected = datafiles.articles()["articles"]
    assert demo_articles == len(expected) >= 6
    found = [codec.from_data(e.preferred.data) for e in Edition.objects.filter(format="article")
             .select_related("preferred")]
    assert sorted(r.title for r in found) == sorted(a["title"] for a in expected)
    for record in found:
        languages = {language for language, _text in record.abstracts}
        assert languages == {"ind", "eng"} and record.keywords, record.title  # both abstracts, keywords
        held = article_holders(record)
        assert held is not None and held.holders, record.title  # linked to its journal, held by someone
    assert articles.load_articles() == 0  # once


def test_search_shows_the_articles_snippets_and_facets_on_first_start(demo_articles):
    page = Client().get("/search/", {"q": "mangrove"}, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Keanekaragaman jenis burung di hutan mangrove Teluk Ambon Dalam" in page
    assert re.search(r'<p class="snippet">[^<]*<mark>mangrove</mark>', page)
    articles = Client().get("/search/", {"format": "article"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    facets = articles.split('<aside class="facets"', 1)[1].split("</aside>", 1)[0]
    assert "<h2>Journal</h2>" in facets and "Biodiversitas" in facets and "Medical Journal of Indonesia" in facets
    assert "<h2>Journal volume held at</h2>" in facets
    english = Client().get("/search/", {"q": "coral reefs"}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Kondisi terumbu karang di perairan Pulau Saparua, Maluku Tengah" in english  # its English abstract


def test_an_articles_page_names_who_holds_its_volume(demo_articles):
    from jaringan.catalog.models import Edition

    edition = Edition.objects.get(title__startswith="Kondisi terumbu karang")
    page = Client().get(f"/catalogue/{edition.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    holders = page.split('id="volume-holders"', 1)[1].split("</ul>", 1)[0]
    # Ilmu Kelautan 21 (2016): IPB (2008-) and Pattimura (2010-), not BRIN (to vol. 20, 2015) or UNHAS.
    assert "/libraries/IPB/" in holders and "/libraries/UNPATTI/" in holders
    assert "/libraries/BRIN/" not in holders and "/libraries/UNHAS/" not in holders
