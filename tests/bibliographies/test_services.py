"""Compiling a bibliography: order, sections, no entry twice, who may see, change and publish it."""

from __future__ import annotations

import pytest

from jaringan.bibliographies import selectors, services
from jaringan.bibliographies.models import Change, Entry
from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.network.models import Network

pytestmark = pytest.mark.django_db


def test_entries_keep_the_compilers_order_within_sections(compiled, principal):
    owner = principal("staf.unpatti")
    sections, entries = selectors.ordered_entries(compiled)
    assert [s.title for s in sections] == ["Sejarah", "Budaya"]
    assert [e.section_id for e in entries] == [None] * 3 + [sections[0].pk] * 4 + [sections[1].pk] * 3
    history = [e for e in entries if e.section_id == sections[0].pk]
    services.entry_move(actor=owner, entry=history[1], step=-1)
    _s, after = selectors.ordered_entries(compiled)
    assert [e.pk for e in after if e.section_id == sections[0].pk] == [history[1].pk, history[0].pk,
                                                                     *[e.pk for e in history[2:]]]
    services.entry_move(actor=owner, entry=after[0], step=-1)  # already first: nothing moves
    assert [e.pk for e in selectors.ordered_entries(compiled)[1]] == [e.pk for e in after]
    services.section_delete(actor=owner, section=sections[0])
    assert Entry.objects.filter(bibliography=compiled).count() == 10  # the entries stay


def test_no_entry_twice_and_bad_input_named(compiled, catalogue, principal):
    owner = principal("staf.unpatti")
    with pytest.raises(Conflict) as twice:
        services.entry_add(actor=owner, bibliography=compiled, edition_id=catalogue[0])
    assert twice.value.code == "already_listed"
    with pytest.raises(NotFound) as missing:
        services.entry_add(actor=owner, bibliography=compiled, edition_id=999_999)
    assert "999999" in missing.value.message and "edition" in missing.value.errors
    with pytest.raises(Invalid) as bad:
        services.entry_add(actor=owner, bibliography=compiled, edition_id=catalogue[10], section_id=424242)
    assert "section" in bad.value.errors
    with pytest.raises(Invalid) as style:
        services.bibliography_update(actor=owner, bibliography=compiled, data={"style": "mla"})
    assert "style" in style.value.errors
    assert compiled.entries.count() == 10


def test_only_the_owner_changes_and_a_private_list_is_hidden(compiled, principal):
    other = principal("pembaca")
    with pytest.raises(Forbidden):
        services.entry_remove(actor=other, entry=compiled.entries.first())
    with pytest.raises(Forbidden):
        services.bibliography_update(actor=other, bibliography=compiled, data={"title": "Mine now"})
    assert selectors.bibliography_get(other, compiled.pk) == compiled  # public: anyone reads it
    services.bibliography_update(actor=principal("staf.unpatti"), bibliography=compiled, data={"public": False})
    with pytest.raises(NotFound):
        selectors.bibliography_get(other, compiled.pk)
    with pytest.raises(NotFound):
        selectors.bibliography_get(principal("koordinator"), compiled.pk)
    assert compiled not in selectors.bibliographies_visible(other)
    assert selectors.bibliography_by_token(compiled.share_token) == compiled  # the link still reads it
    old = compiled.share_token
    services.share_link_renew(actor=principal("staf.unpatti"), bibliography=compiled)
    with pytest.raises(NotFound):
        selectors.bibliography_by_token(old)


def test_coordinators_publish_only_on_their_networks(compiled, principal):
    eastern, forum = Network.objects.get(code="JPIT"), Network.objects.get(code="FPPTI")
    with pytest.raises(Forbidden):
        services.bibliography_publish(actor=principal("staf.unpatti"), bibliography=compiled, network=eastern)
    with pytest.raises(Forbidden):
        services.bibliography_publish(actor=principal("koordinator"), bibliography=compiled, network=forum)
    services.bibliography_publish(actor=principal("koordinator"), bibliography=compiled, network=eastern)
    assert selectors.published_on(eastern) == [compiled]
    # the compiler making it private takes it off the page
    services.bibliography_update(actor=principal("staf.unpatti"), bibliography=compiled, data={"public": False})
    compiled.refresh_from_db()
    assert compiled.network is None and selectors.published_on(eastern) == []
    with pytest.raises(Conflict) as private:
        services.bibliography_publish(actor=principal("koordinator"), bibliography=compiled, network=eastern)
    assert private.value.code == "not_public"
    kinds = list(Change.objects.filter(bibliography=compiled).values_list("kind", flat=True))
    assert kinds.count(Change.Kind.ADDED) == 10 and Change.Kind.PUBLISHED in kinds


def test_a_merged_edition_leads_to_its_successor(compiled, catalogue):
    from jaringan.catalog.models import Edition, RetiredEdition

    gone = catalogue[1]
    title = Edition.objects.get(pk=gone).title
    RetiredEdition.objects.create(edition_id=gone, title=title, successor_id=catalogue[11])
    Edition.objects.filter(pk=gone).delete()
    now = selectors.current_edition_ids([gone, catalogue[0], 987_654])
    assert now == {gone: catalogue[11], catalogue[0]: catalogue[0], 987_654: None}


def test_demo_lists_are_compiled_and_published_once(catalogue):
    from jaringan.bibliographies.models import Bibliography
    from jaringan.demo import datafiles
    from jaringan.demo.bibliographies import load_bibliographies

    assert load_bibliographies() == 2
    assert load_bibliographies() == 0
    for spec in datafiles.bibliographies()["lists"]:
        b = Bibliography.objects.get(title=spec["title"])
        assert b.public and b.network.code == spec["network"] and b.owner.username == spec["owner"]
        assert b.sections.count() == len(spec["sections"])
