"""How ISO 18626 messages name libraries, and which libraries another system serves.

Every library is named in messages by an agency id (``agencyIdType`` +
``agencyIdValue``). A library served here is ``(JARINGAN_ISO18626_AGENCY_TYPE,
its code)`` unless it was given other names (`AgencyId`); a library served by
another system (`peer_of`) is named as its `Peer` row says. `library_for_agency`
reads a name back.
"""

from __future__ import annotations

from jaringan.core.iso18626 import elements as el
from jaringan.network.models import Library

from .. import conf
from ..models import AgencyId, Peer


def peer_of(library: Library | None) -> Peer | None:
    """The library's `Peer` when another system serves it (and the peer is active), else None."""
    if library is None:
        return None
    peer = getattr(library, "_ill_peer", False)
    if peer is False:
        peer = Peer.objects.filter(library=library, active=True).first()
        library._ill_peer = peer
    return peer


def agency_of(library: Library) -> el.AgencyId:
    """How messages name ``library``."""
    peer = peer_of(library)
    if peer is not None:
        return el.AgencyId(agency_id_type=el.SchemeValue(value=peer.agency_id_type),
                           agency_id_value=peer.agency_id_value)
    alias = AgencyId.objects.filter(library=library).order_by("id").first()
    if alias is not None:
        return el.AgencyId(agency_id_type=el.SchemeValue(value=alias.id_type), agency_id_value=alias.id_value)
    return el.AgencyId(agency_id_type=el.SchemeValue(value=conf.agency_type()), agency_id_value=library.code)


def library_for_agency(agency: el.AgencyId | None) -> tuple[Library | None, Peer | None]:
    """The library a message's agency id names, and its peer when another system serves it."""
    if agency is None:
        return None, None
    kind, value = agency.agency_id_type.value.strip(), agency.agency_id_value.strip()
    peer = Peer.objects.select_related("library").filter(agency_id_type=kind, agency_id_value=value).first()
    if peer is not None:
        return peer.library, (peer if peer.active else None)
    alias = AgencyId.objects.select_related("library").filter(id_type=kind, id_value=value).first()
    if alias is not None:
        return alias.library, peer_of(alias.library)
    if kind == conf.agency_type():
        library = Library.objects.filter(code=value).first()
        return library, peer_of(library)
    return None, None


def agency_label(agency: el.AgencyId | None) -> str:
    return f"{agency.agency_id_type.value}:{agency.agency_id_value}" if agency else "?"


def stored_agency(pair) -> el.AgencyId | None:
    """The agency id a request keeps as ``[type, value]`` (`stored_pair`), or None."""
    if not pair:
        return None
    return el.AgencyId(agency_id_type=el.SchemeValue(value=pair[0]), agency_id_value=pair[1])


def stored_pair(agency: el.AgencyId) -> list[str]:
    return [agency.agency_id_type.value, agency.agency_id_value]
