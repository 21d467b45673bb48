"""Search documents from the catalogue, set-wise: a handful of queries for any number of editions.

An edition's document is its preferred record's fields (display fields come
from it first; authors, subjects, identifiers from every member record), and
for every holding: the library's code, its kind, the networks it is an
admitted member of, its call numbers, and whether it lends.

**Availability** (the ``available`` filter and facet): an edition is
available when at least one holding library may supply it to another member
today — it is an admitted member of a network with an agreement that is
active today, covers loans or copies, includes that library (network-wide
coverage, or named as a party) and lets it supply (a reciprocal agreement, or
the role "supplies" / "asks and supplies").  Libraries, memberships and
agreements change far less often than records; such a change reaches the
index through :func:`jaringan.discovery.services.libraries_changed` (which
puts the libraries' editions in the outbox) or the next ``jaringan reindex``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace

from django.utils import timezone

from jaringan.catalog.models import Edition, SourceRecord
from jaringan.core import agreements as rules
from jaringan.core import membership as ms
from jaringan.core.catalog import codec
from jaringan.core.search import EditionDocument, document_from_records
from jaringan.network.models import Agreement, AgreementParty, Library, Membership
from jaringan.serials.selectors import Part, holders_by_edition

#: Services that make a holding available to other members.
LENDING_SERVICES = frozenset({rules.Service.LOAN.value, rules.Service.COPY.value})


#: A library's own details that its holdings' documents hold (``LibraryFacts``); its networks and lending
#: come from memberships and agreements.
LIBRARY_FIELDS_INDEXED = frozenset({"code", "kind"})


@dataclass
class LibraryFacts:
    code: str
    kind: str
    networks: tuple[str, ...]
    lends: bool


@dataclass
class Libraries:
    """What the index needs of every library, read once (4 queries) and reused for every batch."""

    by_id: dict[int, LibraryFacts] = field(default_factory=dict)

    @classmethod
    def load(cls, library_ids: Iterable[int] | None = None) -> "Libraries":
        libraries = Library.objects.all()
        memberships = Membership.objects.filter(state__in=ms.ACTIVE_STATES)
        if library_ids is not None:
            ids = list(set(library_ids))
            libraries = libraries.filter(pk__in=ids)
            memberships = memberships.filter(library_id__in=ids)
        networks: dict[int, list[str]] = defaultdict(list)
        member_of: dict[int, set[int]] = defaultdict(set)
        for library_id, network_id, code in memberships.values_list("library_id", "network_id", "network__code"):
            networks[library_id].append(code)
            member_of[library_id].add(network_id)
        lenders = _lenders(member_of)
        return cls({
            pk: LibraryFacts(code=code, kind=kind, networks=tuple(sorted(networks[pk])), lends=pk in lenders)
            for pk, code, kind in libraries.values_list("pk", "code", "kind")
        })


def _lenders(member_of: dict[int, set[int]]) -> set[int]:
    """Libraries that may supply a loan or a copy to another member under an agreement active today."""
    today = timezone.localdate()
    networks = {n for ns in member_of.values() for n in ns}
    agreements = [
        a for a in Agreement.objects.filter(network_id__in=networks, starts__lte=today)
        .only("pk", "network_id", "services", "coverage", "relation", "ends")
        if (a.ends is None or a.ends >= today) and LENDING_SERVICES & set(a.services or ())
    ]
    roles: dict[int, dict[int, str]] = defaultdict(dict)
    for agreement_id, library_id, role in AgreementParty.objects.filter(
            agreement_id__in=[a.pk for a in agreements]).values_list("agreement_id", "library_id", "role"):
        roles[agreement_id][library_id] = role
    lenders = set()
    for library_id, joined in member_of.items():
        for a in agreements:
            if a.network_id not in joined:
                continue
            role = roles[a.pk].get(library_id)
            if a.coverage == rules.Coverage.NAMED and role is None:
                continue
            if a.relation == rules.Relation.ONE_WAY and role not in (rules.PartyRole.SUPPLIER, rules.PartyRole.BOTH):
                continue
            lenders.add(library_id)
            break
    return lenders


def build_documents(edition_ids: Iterable[int], libraries: Libraries | None = None) -> list[EditionDocument]:
    """Documents of the editions that exist and hold at least one record, in the order of ``edition_ids``.

    Two queries for the editions' records (plus four for the libraries when
    ``libraries`` is not given).
    """
    ids = list(dict.fromkeys(int(i) for i in edition_ids))
    if not ids:
        return []
    preferred = dict(Edition.objects.filter(pk__in=ids).values_list("pk", "preferred_id"))
    members: dict[int, list[tuple[int, int, dict]]] = defaultdict(list)
    rows = (SourceRecord.objects.filter(edition_id__in=list(preferred), withdrawn=False)
            .order_by("edition_id", "pk").values_list("pk", "edition_id", "library_id", "data"))
    for pk, edition_id, library_id, data in rows:
        members[edition_id].append((pk, library_id, data))
    if libraries is None:
        libraries = Libraries.load({lib for ms_ in members.values() for _pk, lib, _d in ms_})
    out, parts = [], []
    for edition_id in ids:
        found = members.get(edition_id)
        if not found:
            continue
        first = preferred.get(edition_id)
        found.sort(key=lambda m: (m[0] != first, m[0]))  # the preferred record first, then by age
        records, holdings = [], []
        for _pk, library_id, data in found:
            record = codec.from_data(data)
            records.append(record)
            facts = libraries.by_id.get(library_id)
            if facts is None:
                continue
            holdings.append({
                "library": facts.code,
                "network_codes": list(facts.networks),
                "library_kind": facts.kind,
                "call_numbers": [h.call_number for h in record.holdings if h.call_number],
                "available": facts.lends,
            })
        out.append(document_from_records(edition_id, records, holdings))
        if part := part_of(edition_id, records[0]):
            parts.append(part)
    return _with_holders(out, parts)


def part_of(edition_id: int, record) -> Part | None:
    """What the union catalogue of serials is asked of an edition: a serial, or an article with its journal."""
    if record.format == "serial":
        return Part(edition_id, serial=True)
    if record.container or (record.format == "article" and record.issns):
        return Part(edition_id, serial=False, issns=record.issns, journal=record.container, volume=record.volume,
                    year=record.year)
    return None


def _with_holders(documents: list[EditionDocument], parts: list[Part]) -> list[EditionDocument]:
    """The documents with the members whose journal holdings cover them (``EditionDocument.holders``)."""
    holders = {pk: c.codes for pk, c in holders_by_edition(parts).items() if c.codes} if parts else {}
    if not holders:
        return documents
    return [replace(d, holders=holders[int(d.edition_id)]) if int(d.edition_id) in holders else d
            for d in documents]
