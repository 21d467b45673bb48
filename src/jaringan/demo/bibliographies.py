"""The demo's bibliographies: two public lists compiled from the demo catalogue's real records and
published on their networks' pages (``data/bibliographies.toml``), through the same services the
pages use.

* "Literatur tentang Maluku" — compiled by Pattimura's staff, published by the
  eastern network's coordinator on the page of the Eastern Indonesia network;
* "Sejarah Indonesia" — compiled by ITB's staff, published on the West Java network's page.

Entries are chosen by the records' own subject headings and titles (LoC
headings: "Maluku (Indonesia)", "Indonesia -- History"), in sections, oldest first.
"""

from __future__ import annotations

import re

from django.contrib.auth import get_user_model
from django.db import transaction

from jaringan.bibliographies import services
from jaringan.bibliographies.models import Bibliography
from jaringan.catalog.models import Edition, SourceRecord
from jaringan.network.models import Network
from jaringan.network.permissions import principal_for

from . import datafiles

#: Entries of a demo list at most.
DEMO_ENTRIES = 40


def _candidates(words: list[str]) -> list[tuple[int, int, str, dict]]:
    """(year, edition id, title, data) of editions whose preferred record's subjects or title hold a word."""
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b")  # "banda", not "bandar"
    preferred = dict(Edition.objects.values_list("pk", "preferred_id"))
    out = []
    for pk, edition_id, data in (SourceRecord.objects.filter(pk__in=[p for p in preferred.values() if p])
                                 .values_list("pk", "edition_id", "data").iterator(chunk_size=500)):
        text = " ".join([data.get("title") or "", *(data.get("subjects") or [])]).casefold()
        if pattern.search(text):
            out.append((data.get("year") or 0, edition_id, data.get("title") or "", data))
    return sorted(out, key=lambda row: (row[0], row[1]))


@transaction.atomic
def load_bibliographies() -> int:
    """Compile and publish the demo's lists, once; how many were made (0 when already there)."""
    users = get_user_model().objects
    made = 0
    for spec in datafiles.bibliographies()["lists"]:
        if Bibliography.objects.filter(title=spec["title"]).exists() or not users.filter(username=spec["owner"]).exists():
            continue
        owner = principal_for(users.get(username=spec["owner"]))
        bibliography = services.bibliography_create(actor=owner, data={
            "title": spec["title"], "compiler": spec["compiler"], "scope_note": spec["scope_note"],
            "style": spec["style"], "public": True})
        sections = [(services.section_add(actor=owner, bibliography=bibliography, title=section["title"]),
                     section["words"]) for section in spec["sections"]]
        for _year, edition_id, _title, data in _candidates(spec["match"])[:DEMO_ENTRIES]:
            subjects = " ".join(data.get("subjects") or []).casefold()
            section = next((s for s, words in sections if not words or any(w in subjects for w in words)), None)
            services.entry_add(actor=owner, bibliography=bibliography, edition_id=edition_id,
                               section_id=section.pk if section else None)
        network = Network.objects.filter(code=spec["network"]).first()
        if network is not None and users.filter(username=spec["coordinator"]).exists():
            services.bibliography_publish(actor=principal_for(users.get(username=spec["coordinator"])),
                                          bibliography=bibliography, network=network)
        made += 1
    return made
