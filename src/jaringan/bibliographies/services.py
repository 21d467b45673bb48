"""Writes to bibliographies. Each takes the acting person and checks what they may do.

Every change that a reader of the list would notice is written to its
``Change`` log (the Atom feed), in the same transaction as the change.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from jaringan.catalog.models import Edition
from jaringan.core import citations
from jaringan.core.errors import Conflict, Forbidden, Invalid, NotFound
from jaringan.network.models import Network
from jaringan.network.permissions import Principal

from . import selectors
from .models import TITLE_LENGTH, Bibliography, Change, Entry, Section, new_share_token
from .permissions import can_compile, can_edit, can_publish

#: Entries a list may hold (a thousand is the size the exports are measured at; five times that is room).
MAX_ENTRIES = 5000
NOTE_LENGTH = 4000
SCOPE_LENGTH = 10_000
EDITABLE = ("title", "compiler", "scope_note", "public", "style")


def _check_details(data: dict) -> dict:
    errors: dict[str, list[str]] = {}
    clean = {}
    for name in EDITABLE:
        if name not in data or data[name] is None:
            continue
        value = data[name]
        if name == "public":
            clean[name] = bool(value)
            continue
        value = str(value).strip()
        limit = SCOPE_LENGTH if name == "scope_note" else TITLE_LENGTH
        if name in ("title", "compiler") and not value:
            errors[name] = [_("This field is required.")]
        elif len(value) > limit:
            errors[name] = [_("At most %(n)s characters.") % {"n": limit}]
        elif name == "style" and value not in citations.STYLES:
            errors[name] = [_("No such citation style; choose one of %(styles)s.") % {
                "styles": ", ".join(citations.STYLES)}]
        clean[name] = value
    if errors:
        raise Invalid("; ".join(f"{f}: {' '.join(m)}" for f, m in errors.items()), code="invalid", errors=errors)
    return clean


def _owned(actor: Principal, bibliography: Bibliography) -> None:
    if not can_edit(actor, bibliography):
        raise Forbidden(_("Only the compiler who owns this bibliography may change it."), code="forbidden")


def _log(bibliography: Bibliography, kind: str, actor: Principal, *, title: str = "", edition_id=None) -> None:
    now = timezone.now()
    Change.objects.create(bibliography=bibliography, kind=kind, title=title[:500], edition_id=edition_id,
                          by_id=actor.user_id, at=now)
    Bibliography.objects.filter(pk=bibliography.pk).update(updated=now)
    bibliography.updated = now


@transaction.atomic
def bibliography_create(*, actor: Principal, data: dict) -> Bibliography:
    if not can_compile(actor):
        raise Forbidden(_("Sign in to compile a bibliography."), code="forbidden")
    data = {"compiler": data.get("compiler") or actor.username, **{k: v for k, v in data.items() if v is not None}}
    missing = {name: [_("This field is required.")] for name in ("title",) if not str(data.get(name) or "").strip()}
    if missing:
        raise Invalid(_("title: This field is required."), code="invalid", errors=missing)
    clean = _check_details(data)
    bibliography = Bibliography.objects.create(owner_id=actor.user_id, **clean)
    _log(bibliography, Change.Kind.CREATED, actor, title=bibliography.title)
    return bibliography


@transaction.atomic
def bibliography_update(*, actor: Principal, bibliography: Bibliography, data: dict) -> Bibliography:
    _owned(actor, bibliography)
    clean = _check_details(data)
    for name, value in clean.items():
        setattr(bibliography, name, value)
    if not bibliography.public and bibliography.network_id:  # a private list is on no network's page
        bibliography.network, bibliography.published_by, bibliography.published = None, None, None
    bibliography.save()
    _log(bibliography, Change.Kind.EDITED, actor, title=bibliography.title)
    return bibliography


@transaction.atomic
def bibliography_delete(*, actor: Principal, bibliography: Bibliography) -> None:
    _owned(actor, bibliography)
    bibliography.delete()


@transaction.atomic
def share_link_renew(*, actor: Principal, bibliography: Bibliography) -> Bibliography:
    """A new sharing link; the old one stops working."""
    _owned(actor, bibliography)
    bibliography.share_token = new_share_token()
    bibliography.save(update_fields=["share_token"])
    return bibliography


@transaction.atomic
def section_add(*, actor: Principal, bibliography: Bibliography, title: str) -> Section:
    _owned(actor, bibliography)
    title = (title or "").strip()
    if not title or len(title) > TITLE_LENGTH:
        raise Invalid(_("A section needs a title of at most %(n)s characters.") % {"n": TITLE_LENGTH},
                      code="invalid", errors={"title": [_("This field is required.")]})
    last = bibliography.sections.aggregate(m=Max("position"))["m"]
    section = Section.objects.create(bibliography=bibliography, title=title, position=(last or 0) + 1)
    _log(bibliography, Change.Kind.EDITED, actor, title=title)
    return section


@transaction.atomic
def section_delete(*, actor: Principal, section: Section) -> None:
    """The section goes; its entries stay in the list, before the sections."""
    _owned(actor, section.bibliography)
    section.delete()


def _section_of(bibliography: Bibliography, section_id) -> Section | None:
    if section_id in (None, "", 0, "0"):
        return None
    try:
        return bibliography.sections.get(pk=int(section_id))
    except (Section.DoesNotExist, TypeError, ValueError):
        raise Invalid(_("No section %(id)s in this bibliography.") % {"id": section_id}, code="invalid",
                      errors={"section": [_("No such section in this bibliography.")]}) from None


@transaction.atomic
def entry_add(*, actor: Principal, bibliography: Bibliography, edition_id: int, section_id=None,
              note: str = "") -> Entry:
    """Add an edition (or an article: an edition of format article) at the end of the list or its section."""
    _owned(actor, bibliography)
    Bibliography.objects.select_for_update().filter(pk=bibliography.pk).first()  # one add at a time per list
    edition = Edition.objects.filter(pk=edition_id).only("pk", "title").first()
    if edition is None:
        raise NotFound(_("No edition %(id)s in the union catalogue.") % {"id": edition_id}, code="not_found",
                       errors={"edition": [_("No such edition.")]})
    section = _section_of(bibliography, section_id)
    if len(note or "") > NOTE_LENGTH:
        raise Invalid(_("A note has at most %(n)s characters.") % {"n": NOTE_LENGTH}, code="invalid",
                      errors={"note": [_("Too long.")]})
    if bibliography.entries.filter(edition_id=edition.pk).exists():
        raise Conflict(_("“%(title)s” is already in this bibliography.") % {"title": edition.title},
                       code="already_listed")
    if bibliography.entries.count() >= MAX_ENTRIES:
        raise Conflict(_("A bibliography holds at most %(n)s entries.") % {"n": MAX_ENTRIES}, code="full")
    last = bibliography.entries.aggregate(m=Max("position"))["m"]
    try:
        with transaction.atomic():
            entry = Entry.objects.create(bibliography=bibliography, section=section, edition_id=edition.pk,
                                         title=edition.title[:500], note=(note or "").strip(),
                                         position=(last or 0) + 1, added_by_id=actor.user_id)
    except IntegrityError:
        raise Conflict(_("“%(title)s” is already in this bibliography.") % {"title": edition.title},
                       code="already_listed") from None
    _log(bibliography, Change.Kind.ADDED, actor, title=edition.title, edition_id=edition.pk)
    return entry


@transaction.atomic
def entry_update(*, actor: Principal, entry: Entry, data: dict) -> Entry:
    """Change an entry's note or section."""
    _owned(actor, entry.bibliography)
    if "note" in data and data["note"] is not None:
        note = str(data["note"]).strip()
        if len(note) > NOTE_LENGTH:
            raise Invalid(_("A note has at most %(n)s characters.") % {"n": NOTE_LENGTH}, code="invalid",
                          errors={"note": [_("Too long.")]})
        entry.note = note
    if "section" in data:
        entry.section = _section_of(entry.bibliography, data["section"])
    entry.save()
    _log(entry.bibliography, Change.Kind.EDITED, actor, title=entry.title, edition_id=entry.edition_id)
    return entry


@transaction.atomic
def entry_remove(*, actor: Principal, entry: Entry) -> None:
    bibliography = entry.bibliography
    _owned(actor, bibliography)
    edition_id, title = entry.edition_id, entry.title
    entry.delete()
    _log(bibliography, Change.Kind.REMOVED, actor, title=title, edition_id=edition_id)


@transaction.atomic
def entry_move(*, actor: Principal, entry: Entry, step: int) -> Entry:
    """Move an entry one place up (``step`` -1) or down (+1) within its section."""
    bibliography = entry.bibliography
    _owned(actor, bibliography)
    _sections, entries = selectors.ordered_entries(bibliography)
    same = [e for e in entries if e.section_id == entry.section_id]
    index = next(n for n, e in enumerate(same) if e.pk == entry.pk)
    other = index + (1 if step > 0 else -1)
    if 0 <= other < len(same):
        same[index], same[other] = same[other], same[index]
        _renumber(entries, same)
    return entry


def _renumber(entries: list[Entry], reordered: list[Entry]) -> None:
    """Positions 1…n over the whole list, with ``reordered`` (one section's entries) in their new order."""
    moved = iter(reordered)
    ids = {e.pk for e in reordered}
    final = [next(moved) if e.pk in ids else e for e in entries]
    for n, e in enumerate(final, start=1):
        if e.position != n:
            e.position = n
            Entry.objects.filter(pk=e.pk).update(position=n)


@transaction.atomic
def entries_reorder(*, actor: Principal, bibliography: Bibliography, entry_ids: list[int]) -> None:
    """Put every entry of the list in the given order (all of them, each once)."""
    _owned(actor, bibliography)
    current = {e.pk: e for e in bibliography.entries.all()}
    if sorted(entry_ids) != sorted(current):
        raise Invalid(_("Give every entry of the bibliography exactly once."), code="invalid",
                      errors={"entries": [_("Give every entry of the bibliography exactly once.")]})
    for n, pk in enumerate(entry_ids, start=1):
        if current[pk].position != n:
            Entry.objects.filter(pk=pk).update(position=n)
    _log(bibliography, Change.Kind.EDITED, actor, title=bibliography.title)


@transaction.atomic
def bibliography_publish(*, actor: Principal, bibliography: Bibliography, network: Network) -> Bibliography:
    """Show a public list on ``network``'s page; only that network's coordinator does it."""
    if not can_publish(actor, network.pk):
        raise Forbidden(_("Only a coordinator of %(network)s may publish on its page.") % {"network": network.name},
                        code="forbidden")
    if not bibliography.public:
        raise Conflict(_("Only a public bibliography can be published; its compiler must make it public first."),
                       code="not_public")
    bibliography.network, bibliography.published_by_id, bibliography.published = network, actor.user_id, timezone.now()
    bibliography.save(update_fields=["network", "published_by", "published"])
    _log(bibliography, Change.Kind.PUBLISHED, actor, title=network.name)
    return bibliography


@transaction.atomic
def bibliography_unpublish(*, actor: Principal, bibliography: Bibliography) -> Bibliography:
    """Take a list off its network's page: that network's coordinator, or the list's owner."""
    if bibliography.network_id is None:
        return bibliography
    if not (can_publish(actor, bibliography.network_id) or can_edit(actor, bibliography)):
        raise Forbidden(_("Only the network's coordinator or the compiler may take it off the network's page."),
                        code="forbidden")
    bibliography.network, bibliography.published_by, bibliography.published = None, None, None
    bibliography.save(update_fields=["network", "published_by", "published"])
    return bibliography


def references_warm(*, exports: list, locales=tuple(citations.LOCALES.values())) -> None:
    """Render and keep the references of ``exports`` in every style and locale.

    citeproc-py takes 1 to 2.5 ms a reference by style (``core.citations.lookups``); paid once an entry
    when it is added from a page or the API, every later page and file of the list reads them.
    """
    for style in citations.STYLES:
        for locale in locales:
            selectors.references(exports, style, locale)
