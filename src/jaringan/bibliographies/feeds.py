"""Atom 1.0 feed of a public bibliography's changes: entries added and removed, details changed, published.

A network's page links the feed of each list published on it, so a
library's website or a reader's feed reader follows "Literature on Maluku"
as it grows. A private list has no feed (its sharing link is for reading it, not following it).
"""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape
from django.utils.translation import gettext as _

from . import selectors
from .models import Bibliography, Change


class BibliographyChangesFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, pk):
        bibliography = Bibliography.objects.select_related("network").filter(pk=pk, public=True).first()
        if bibliography is None:
            raise Http404
        return bibliography

    def title(self, obj) -> str:
        return obj.title

    def subtitle(self, obj) -> str:
        return _("Changes to the bibliography “%(title)s”, compiled by %(compiler)s") % {
            "title": obj.title, "compiler": obj.compiler}

    def link(self, obj) -> str:
        return reverse("bibliography_detail", args=[obj.pk])

    def feed_url(self, obj) -> str:
        return reverse("bibliography_feed", args=[obj.pk])

    def author_name(self, obj) -> str:
        return obj.compiler

    def items(self, obj) -> list[Change]:
        return selectors.changes(obj)

    def item_title(self, item: Change) -> str:
        words = {
            Change.Kind.CREATED: _("Bibliography started: %(title)s"),
            Change.Kind.ADDED: _("Added: %(title)s"),
            Change.Kind.REMOVED: _("Removed: %(title)s"),
            Change.Kind.EDITED: _("Changed: %(title)s"),
            Change.Kind.PUBLISHED: _("Published on the page of %(title)s"),
        }
        return words.get(item.kind, "%(title)s") % {"title": item.title}

    def item_link(self, item: Change) -> str:
        if item.kind == Change.Kind.ADDED and item.edition_id:
            return reverse("edition_detail", args=[item.edition_id])
        return reverse("bibliography_detail", args=[item.bibliography_id]) + f"#change-{item.pk}"

    def item_guid(self, item: Change) -> str:
        return f"tag:jaringan,bibliography-{item.bibliography_id}:change-{item.pk}"

    item_guid_is_permalink = False

    def item_updateddate(self, item: Change):
        return item.at

    def item_pubdate(self, item: Change):
        return item.at

    def item_description(self, item: Change) -> str:
        return escape(self.item_title(item))
