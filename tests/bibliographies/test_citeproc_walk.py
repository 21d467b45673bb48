"""citeproc-py's walk of a style with what it asks again kept (``core.citations.walk``, ``conditions``,
``lookups``): the same text as citeproc-py as it comes, whatever came before, and switched off entirely.

The records are those of ``test_references_unchanged`` (real LoC records and made ones: no author, a
body as author, editions, series, theses, maps, music, articles with many authors, markup-like text).
"""

from __future__ import annotations

import pytest
from citeproc import Citation, CitationItem, model
from citeproc.source import VariableError
from citeproc.source.json import CiteProcJSON

from jaringan.core import citations
from jaringan.core.citations import Entry, conditions, lookups, render, walk, writers

from .test_references_unchanged import PAIRS, _records


@pytest.fixture(scope="module")
def items():
    return writers.csl_items([Entry(id=str(n), record=r) for n, r in enumerate(_records())])


def _fresh(kept: bool) -> None:
    """citeproc-py's classes with or without the kept lookups, and styles loaded afresh (nothing kept on them)."""
    render._style.cache_clear()
    lookups.citeproc_lookups(kept)


@pytest.fixture
def switched_back():
    yield
    _fresh(True)


def test_switched_off_citeproc_renders_the_same_text_in_every_style(items, switched_back):
    _fresh(True)
    kept = {pair: citations.render_entries(items, *pair) for pair in PAIRS}
    _fresh(False)
    assert model.Group.__dict__.get("render") is None and model.Text.render is lookups.original["text_render"]
    assert model.Choose.render is lookups.original["choose_render"] and not lookups.lookups_kept()
    plain = {pair: citations.render_entries(items, *pair) for pair in PAIRS}
    for pair in PAIRS:
        differ = [(n, a, b) for n, (a, b) in enumerate(zip(kept[pair], plain[pair])) if a != b]
        assert not differ, f"{pair}: {len(differ)} references differ, the first: {differ[0]}"
    _fresh(True)
    assert model.Group.render is walk.group_render and model.Choose.render is conditions.choose_render


def test_what_is_kept_does_not_depend_on_the_references_before(items, switched_back):
    """A ``cs:choose`` keeps its answer for each kind of reference and an element its plan: rendering the
    list backwards on a fresh style gives each reference the same text as forwards."""
    for pair in PAIRS:
        _fresh(True)
        forwards = citations.render_entries(items, *pair)
        _fresh(True)
        backwards = citations.render_entries(items[::-1], *pair)[::-1]
        assert forwards == backwards, pair


def _cited(data: dict):
    source = CiteProcJSON([dict(data, id="item")])
    citation = walk.cited(source, "item", Citation)
    return citation.cites[0], source["item"]


def test_a_reference_reads_its_values_as_citeproc_reads_them():
    lookups.keep_style_lookups()
    item, reference = _cited({"type": "book", "title": "Sejarah Maluku", "language": "id"})
    assert item.reference is reference and reference.type == "book" and reference.language == "id"
    assert str(reference["title"]) == "Sejarah Maluku" and "__class__" not in reference
    with pytest.raises(VariableError):
        reference["editor"]
    with pytest.raises(VariableError):
        reference.editor
    assert isinstance(item, CitationItem) and item.key == "item" and item.citation.cites == [item]


def test_references_of_one_kind_share_their_facts():
    lookups.keep_style_lookups()
    book = conditions.facts(_cited({"type": "book", "title": "A", "publisher": "P"})[0])
    same = conditions.facts(_cited({"type": "book", "title": "B", "publisher": "Q"})[0])
    thesis = conditions.facts(_cited({"type": "thesis", "title": "A", "publisher": "P"})[0])
    bare = conditions.facts(_cited({"type": "book", "title": "A"})[0])
    assert book is same and ("type", "book") in book and "publisher" in book
    assert thesis != book and bare != book and ("type", "thesis") in thesis


def test_a_choose_keeps_one_answer_for_each_kind_of_reference(items, switched_back):
    _fresh(True)
    citations.render_entries(items, "chicago", "en-US")
    style = render._style("chicago", "en-US")
    kept = [choose.__dict__.get("_jaringan_first_branch") for choose in style.root.iter("{*}choose")]
    answers = [k for k in kept if k]
    assert answers and max(len(k) for k in answers) < len(items)
    kinds = {conditions.facts(_cited({**item})[0]) for item in items}
    assert all(set(k) <= kinds for k in answers)
