"""Atom 1.0 feeds of new acquisitions: the whole catalogue, one network's members, one library.

Each entry is an edition of the union catalogue that a library has newly
taken into its holdings (newest holding first): its title and year, its
authors, a link to the record page, ``updated`` = when that holding was
created, and a summary with the publisher, year and the libraries holding it.
Feed readers, library websites and a network's newsletter can follow them.
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from jaringan.network.models import Library, Membership, Network

from . import selectors

__all__ = ["LibraryAcquisitionsFeed", "NetworkAcquisitionsFeed", "NewAcquisitionsFeed"]

#: Entries in one feed.
FEED_ENTRIES = 50
#: Holding libraries named in an entry's summary before "and N more".
NAMED_HOLDERS = 10
#: Subjects given as an entry's categories.
CATEGORIES = 10
SITE_NAME = "Jaringan"


class NewAcquisitionsFeed(Feed):
    """Editions newly held anywhere in the union catalogue."""

    feed_type = Atom1Feed
    author_name = SITE_NAME

    def title(self, obj=None) -> str:
        return _("New in the union catalogue")

    def subtitle(self, obj=None) -> str:
        return _("Editions newly added to the holdings of the member libraries")

    def link(self, obj=None) -> str:
        return reverse("catalogue")

    def feed_url(self, obj=None) -> str:
        return reverse("feed_new")

    def libraries(self, obj):
        """The libraries whose holdings count; None for every library."""
        return None

    def items(self, obj=None) -> list[dict]:
        return selectors.new_acquisitions(libraries=self.libraries(obj), limit=FEED_ENTRIES)

    def item_title(self, item: dict) -> str:
        record = item["record"]
        return f"{record.full_title} ({record.year})" if record.year else record.full_title

    def item_link(self, item: dict) -> str:
        return reverse("edition_detail", args=[item["edition"].pk])

    def item_author_name(self, item: dict) -> str | None:
        return "; ".join(item["record"].authors) or None

    def item_updateddate(self, item: dict):
        return item["added"]

    def item_pubdate(self, item: dict):
        return item["added"]

    def item_categories(self, item: dict) -> tuple[str, ...]:
        return item["record"].subjects[:CATEGORIES]

    def item_description(self, item: dict) -> str:
        record = item["record"]
        parts = []
        if record.authors:
            parts.append(_("By %(authors)s.") % {"authors": "; ".join(record.authors)})
        publication = ", ".join(str(p) for p in (record.place, record.publisher, record.year) if p)
        if publication:
            parts.append(_("Published: %(publication)s.") % {"publication": publication})
        holders = item["holders"]
        named = ", ".join(holders[:NAMED_HOLDERS])
        if len(holders) > NAMED_HOLDERS:
            named = _("%(names)s and %(count)s more") % {"names": named, "count": len(holders) - NAMED_HOLDERS}
        if holders:
            parts.append(_("Held by: %(libraries)s.") % {"libraries": named})
        return escape(" ".join(parts))  # the summary is typed HTML: member data must not become markup


class NetworkAcquisitionsFeed(NewAcquisitionsFeed):
    """Editions newly held by the admitted members of one network."""

    def get_object(self, request, code):
        return get_object_or_404(Network, code=code)

    def title(self, obj) -> str:
        return _("New in %(network)s") % {"network": obj.name}

    def subtitle(self, obj) -> str:
        return _("Editions newly added to the holdings of the members of %(network)s") % {"network": obj.name}

    def link(self, obj) -> str:
        return reverse("network_detail", args=[obj.code])

    def feed_url(self, obj) -> str:
        return reverse("feed_network_new", args=[obj.code])

    def author_name(self, obj) -> str:
        return obj.name

    def libraries(self, obj):
        return Library.objects.filter(memberships__network=obj, memberships__state=Membership.State.ADMITTED)


class LibraryAcquisitionsFeed(NewAcquisitionsFeed):
    """One library's newly added holdings."""

    def get_object(self, request, code):
        return get_object_or_404(Library, code=code)

    def title(self, obj) -> str:
        return _("New at %(library)s") % {"library": obj.name}

    def subtitle(self, obj) -> str:
        return _("Editions newly added to the holdings of %(library)s") % {"library": obj.name}

    def link(self, obj) -> str:
        return reverse("library_detail", args=[obj.code])

    def feed_url(self, obj) -> str:
        return reverse("feed_library_new", args=[obj.code])

    def author_name(self, obj) -> str:
        return obj.name

    def libraries(self, obj):
        return Library.objects.filter(pk=obj.pk)
