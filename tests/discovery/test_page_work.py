"""What the search page writes for each result and facet, made in Python rather than in template nodes
(the page's largest cost under load: see bench/search_load.py --wrk), and the edition page's
citation, written once per record and language."""

from __future__ import annotations

import html as htmllib
import re
from dataclasses import replace

import pytest
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core.catalog.export import formatted_citation
from jaringan.core.catalog.record import CanonicalRecord
from jaringan.discovery.facets import thousands


def results(html: str) -> list[tuple[int, str, str]]:
    """(edition id, facts line, holdings line) of each result, text as a reader sees it."""
    section = html.split('<ol class="results"', 1)[1].split("</ol>", 1)[0]
    found = re.findall(r'href="/catalogue/(\d+)/">.*?</a>\s*<div class="meta">(.*?)</div>\s*'
                       r'<div class="meta">(.*?)</div>', section, re.S)
    return [(int(pk), htmllib.unescape(facts), htmllib.unescape(" ".join(held.split()))) for pk, facts, held in found]


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "held"), [("en", "held by"), ("id", "dimiliki")])
def test_each_result_names_its_authors_publisher_year_format_and_holding_libraries(client, catalogue, lang, held):
    client.cookies["django_language"] = lang
    html = client.get("/search/", {"q": "indonesia"}, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    shown = results(html)
    assert len(shown) == 20
    for pk, facts, holdings in shown:
        edition = Edition.objects.select_related("preferred").get(pk=pk)
        data = edition.preferred.data
        if data.get("authors"):
            assert facts.startswith("; ".join(data["authors"]) + " · ")
        if data.get("publisher"):
            assert f"{data['publisher']}, {edition.year or '—'} · " in facts
        names = list(SourceRecord.objects.filter(edition=edition, withdrawn=False).order_by("library__name")
                     .values_list("library__name", flat=True))
        assert holdings.startswith(f"{held} {len(names)} ")
        assert holdings.endswith(": " + ", ".join(names[:5]) + (" …" if len(names) > 5 else ""))


@pytest.mark.django_db
def test_facet_counts_are_written_as_intcomma_writes_them_in_each_language(client, catalogue):
    for lang in ("en", "id"):
        with translation.override(lang):
            for n in (0, 7, 999, 1000, 12_345, 1_234_567):
                assert thousands(n) == intcomma(n)
        client.cookies["django_language"] = lang
        html = client.get("/search/", {"q": "indonesia"}, HTTP_ACCEPT_LANGUAGE=lang).content.decode()
        counts = re.findall(r'<span class="count">([^<]*)</span>', html)
        assert counts and all(re.fullmatch(r"≈?\d{1,3}([.,]\d{3})*", c) for c in counts)


BOOK = CanonicalRecord(title="Pengantar ilmu perpustakaan", authors=("Sulistyo-Basuki",),
                       publisher="Gramedia Pustaka Utama", place="Jakarta", year=1991, language="ind")


def test_a_citation_kept_for_a_record_is_never_given_for_a_changed_one():
    first = formatted_citation(BOOK, "apa")
    assert formatted_citation(BOOK, "apa") == first
    changed = formatted_citation(replace(BOOK, year=1993, title="Pengantar ilmu perpustakaan dan informasi"), "apa")
    assert "1993" in changed and "informasi" in changed and "1991" not in changed
    assert formatted_citation(BOOK, "apa", url="https://example.org/e/1") != first
