"""Who may change a library's catalogue: its staff, and the coordinators of a network it is admitted to.

Every page and API call that works on one library's records (uploads, batches, quarantine, OAI-PMH
sources, SLiMS nodes, serial holdings) finds that library through ``staff_library`` (the API) or
``staff_library_page`` (the pages): one check, in one place.
"""

from __future__ import annotations

from jaringan.core.errors import Forbidden, NotFound
from jaringan.network import permissions as perm
from jaringan.network import selectors as network_selectors
from jaringan.network.models import Library
from jaringan.network.permissions import Principal, principal_of

#: What the API says to anyone else.
STAFF_ONLY = "Only the library's staff or its network's coordinator may do this."


def can_catalogue(p: Principal, library: Library) -> bool:
    """Staff of the library, or a coordinator of a network it is admitted to."""
    return perm.acts_for_library(p, library)


def cataloguable(p: Principal, libraries) -> set[int]:
    """Of these libraries, the ids whose records `p` may correct (one query, not one per library)."""
    return perm.library_ids_acted_for(p, {lib.pk for lib in libraries})


def staff_library(p: Principal, code: str) -> Library:
    """The library ``code`` names, for someone who may catalogue for it: ``NotFound`` when there is no
    such library, ``Forbidden`` for anyone else."""
    library = network_selectors.library_by_code(code)
    if library is None:
        raise NotFound(f"No library with code {code}.")
    if not can_catalogue(p, library):
        raise Forbidden(STAFF_ONLY)
    return library


def staff_library_page(request, code: str) -> Library:
    """``staff_library`` for the person signed in to a page (its ``NotFound`` or ``Forbidden`` is the site's
    404 or 403 page, as every error of the tree a view lets through: ``jaringan.errorpages``)."""
    return staff_library(principal_of(request), code)
