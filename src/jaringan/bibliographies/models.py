"""Bibliographies: a compiler's named list of editions (and articles) in sections, in a chosen order.

An entry names its edition by number (``edition_id``, no foreign key): editions
of the union catalogue are merged and split by imports and staff, and a merged
edition's number leads to its successor (``catalog.RetiredEdition``), so a list
never loses an entry when the catalogue moves under it. The title is kept as
it was when added, to show while an edition is gone.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from jaringan.core.citations import DEFAULT_STYLE, STYLES
from jaringan.network.models import Network

#: Bytes of randomness in a sharing link (24 URL-safe characters): not guessable.
SHARE_TOKEN_BYTES = 18
TITLE_LENGTH = 300
STYLE_CHOICES = [(key, style.title) for key, style in STYLES.items()]


def new_share_token() -> str:
    return secrets.token_urlsafe(SHARE_TOKEN_BYTES)


class Bibliography(models.Model):
    title = models.CharField(_("title"), max_length=TITLE_LENGTH)
    compiler = models.CharField(_("compiler"), max_length=TITLE_LENGTH)
    scope_note = models.TextField(_("scope note"), blank=True)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bibliographies")
    public = models.BooleanField(_("public"), default=False)
    share_token = models.CharField(max_length=64, unique=True, default=new_share_token)
    style = models.CharField(_("citation style"), max_length=32, choices=STYLE_CHOICES, default=DEFAULT_STYLE)
    network = models.ForeignKey(Network, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="bibliographies")
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published = models.DateTimeField(null=True, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated", "-pk"]
        verbose_name = _("bibliography")
        verbose_name_plural = _("bibliographies")
        constraints = [
            # Only a public list is shown on a network's page.
            models.CheckConstraint(condition=models.Q(network__isnull=True) | models.Q(public=True),
                                   name="bibliography_published_is_public"),
        ]

    def __str__(self) -> str:
        return self.title


class Section(models.Model):
    bibliography = models.ForeignKey(Bibliography, on_delete=models.CASCADE, related_name="sections")
    title = models.CharField(_("section"), max_length=TITLE_LENGTH)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title


class Entry(models.Model):
    bibliography = models.ForeignKey(Bibliography, on_delete=models.CASCADE, related_name="entries")
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    edition_id = models.BigIntegerField(db_index=True)
    title = models.CharField(max_length=500)
    note = models.TextField(_("note"), blank=True)
    position = models.PositiveIntegerField(default=0)
    added = models.DateTimeField(default=timezone.now)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")

    class Meta:
        ordering = ["position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["bibliography", "edition_id"], name="bibliography_entry_once"),
        ]

    def __str__(self) -> str:
        return self.title


class Change(models.Model):
    """What happened to a list, for its Atom feed: created, an entry added or removed, edited, published."""

    class Kind(models.TextChoices):
        CREATED = "created", _("created")
        ADDED = "added", _("entry added")
        REMOVED = "removed", _("entry removed")
        EDITED = "edited", _("details changed")
        PUBLISHED = "published", _("published")

    bibliography = models.ForeignKey(Bibliography, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    edition_id = models.BigIntegerField(null=True, blank=True)
    title = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(default=timezone.now, db_index=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")

    class Meta:
        ordering = ["-at", "-pk"]


class RenderedReference(models.Model):
    """A reference citeproc-py wrote, kept: the same CSL item, style and locale always read the same.

    ``key`` is :func:`jaringan.core.citations.item_key` of the item. A record
    that changes has a new key; old rows are only a cache and may be deleted.
    """

    key = models.CharField(max_length=40)
    style = models.CharField(max_length=32)
    locale = models.CharField(max_length=16)
    html = models.TextField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "style", "locale"], name="rendered_reference_once"),
        ]
