"""Bibliography pages: the lists, one list (also by its sharing link), its printable page and its files,
the "add to bibliography" chooser, and the owner's and coordinator's actions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from jaringan.core import citations
from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404
from jaringan.network import selectors as network_selectors
from jaringan.network.permissions import principal_of

from . import exports, selectors, services
from .forms import BibliographyForm
from .models import Bibliography
from .permissions import can_edit

#: The session remembers the list a person last added to, so search results and record pages offer
#: "Add to «…»" with one click without asking the database.
LAST_KEY = "bibliography_last"


def _get(request, pk) -> Bibliography:
    return selectors.bibliography_get(principal_of(request), pk)


def _by_token(token) -> Bibliography:
    return selectors.bibliography_by_token(token)


def _owned(request, pk) -> Bibliography:
    bibliography = _get(request, pk)
    if not can_edit(principal_of(request), bibliography):
        raise Http404
    return bibliography


def _edition_url(request):
    return lambda pk: request.build_absolute_uri(reverse("edition_detail", args=[pk]))


def _style(request, bibliography) -> str:
    style = request.GET.get("style") or bibliography.style
    return style if style in citations.STYLES else citations.DEFAULT_STYLE


def _remember(request, bibliography: Bibliography) -> None:
    request.session[LAST_KEY] = [bibliography.pk, bibliography.title[:80]]


def bibliography_list(request):
    p = principal_of(request)
    lists = list(selectors.bibliographies_visible(p))
    return render(request, "bibliographies/list.html", {
        "mine": [b for b in lists if b.owner_id == p.user_id],
        "public": [b for b in lists if b.public and b.owner_id != p.user_id],
        "form": BibliographyForm(initial={"compiler": request.user.get_full_name() or request.user.get_username()})
        if p.authenticated else None,
    })


@login_required
@require_POST
def bibliography_new(request):
    form = BibliographyForm(request.POST)
    if form.is_valid():
        try:
            bibliography = services.bibliography_create(actor=principal_of(request), data=form.cleaned_data)
            _remember(request, bibliography)
            messages.success(request, _("Bibliography created. Add entries from search results or record pages."))
            return redirect("bibliography_detail", pk=bibliography.pk)
        except JaringanError as exc:
            messages.error(request, exc.message)
    for errors in form.errors.values():
        for e in errors:
            messages.error(request, e)
    return redirect("bibliography_list")


def _page(request, bibliography: Bibliography, *, template: str, shared: str | None = None):
    p = principal_of(request)
    style = _style(request, bibliography)
    locale = citations.csl_locale(get_language())
    data = selectors.resolved(bibliography, url_for=_edition_url(request))
    references = iter(selectors.references(data["exportable"], style, locale))
    groups: list[dict] = [{"section": None, "rows": []}] + [{"section": s, "rows": []} for s in data["sections"]]
    index = {g["section"].pk: g for g in groups[1:]}
    number = 0
    for row in data["rows"]:
        if row["export"] is not None:
            number += 1
            row["number"], row["reference"] = number, next(references)
        index.get(row["entry"].section_id, groups[0])["rows"].append(row)
    editing = can_edit(p, bibliography) and shared is None
    return render(request, template, {
        "bibliography": bibliography, "groups": [g for g in groups if g["rows"] or (editing and g["section"])],
        "count": len(data["rows"]), "style": style, "numeric": citations.style_for(style).numeric,
        "styles": [(key, s.title) for key, s in citations.STYLES.items()],
        "formats": exports.FORMATS, "shared": shared, "editing": editing,
        "share_url": request.build_absolute_uri(reverse("bibliography_shared", args=[bibliography.share_token]))
        if editing else None,
        "form": BibliographyForm(instance=bibliography) if editing else None,
        "networks": network_selectors.networks_coordinated_by(p) if p.coordinated or p.is_superuser else [],
        "can_unpublish": bibliography.network_id is not None and (
            editing or (p.is_superuser or bibliography.network_id in p.coordinated)),
    })


def bibliography_detail(request, pk):
    return _page(request, _get(request, pk), template="bibliographies/detail.html")


def bibliography_shared(request, token):
    bibliography = _by_token(token)
    return _page(request, bibliography, template="bibliographies/detail.html", shared=token)


def bibliography_print(request, pk):
    return _page(request, _get(request, pk), template="bibliographies/print.html")


def bibliography_shared_print(request, token):
    return _page(request, _by_token(token), template="bibliographies/print.html", shared=token)


def _download(request, bibliography, fmt):
    if fmt not in exports.FORMATS:
        raise Http404
    result = exports.export(bibliography, fmt, url_for=_edition_url(request), style=_style(request, bibliography),
                            locale=citations.csl_locale(get_language()))
    response = HttpResponse(result.body, content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    if result.left_out:
        response["X-Jaringan-Left-Out"] = ",".join(result.left_out)
    return response


def bibliography_export(request, pk, fmt):
    return _download(request, _get(request, pk), fmt)


def bibliography_shared_export(request, token, fmt):
    return _download(request, _by_token(token), fmt)


@login_required
@require_POST
def bibliography_edit(request, pk):
    """The owner's actions on the list: details, a section, a new link, deletion."""
    bibliography = _owned(request, pk)
    p = principal_of(request)
    action = request.POST.get("action", "details")
    try:
        if action == "details":
            form = BibliographyForm(request.POST, instance=selectors.bibliography_fresh(bibliography))
            if not form.is_valid():
                for errors in form.errors.values():
                    for e in errors:
                        messages.error(request, e)
                return redirect("bibliography_detail", pk=pk)
            services.bibliography_update(actor=p, bibliography=bibliography, data=form.cleaned_data)
            messages.success(request, _("Saved."))
        elif action == "section":
            services.section_add(actor=p, bibliography=bibliography, title=request.POST.get("title", ""))
            messages.success(request, _("Section added."))
        elif action == "section_delete":
            section = or_404(selectors.section_get(bibliography, request.POST.get("section") or 0))
            services.section_delete(actor=p, section=section)
            messages.success(request, _("Section removed; its entries stay in the list."))
        elif action == "renew_link":
            services.share_link_renew(actor=p, bibliography=bibliography)
            messages.success(request, _("A new sharing link was made; the old one no longer works."))
        elif action == "delete":
            services.bibliography_delete(actor=p, bibliography=bibliography)
            if (request.session.get(LAST_KEY) or [None])[0] == pk:
                del request.session[LAST_KEY]
            messages.success(request, _("Bibliography deleted."))
            return redirect("bibliography_list")
    except JaringanError as exc:
        messages.error(request, exc.message)
    return redirect("bibliography_detail", pk=pk)


@login_required
@require_POST
def entry_action(request, pk):
    entry = or_404(selectors.entry_get(pk))
    if not can_edit(principal_of(request), entry.bibliography):
        raise Http404
    p = principal_of(request)
    action = request.POST.get("action", "")
    try:
        if action in ("up", "down"):
            services.entry_move(actor=p, entry=entry, step=-1 if action == "up" else 1)
        elif action == "remove":
            services.entry_remove(actor=p, entry=entry)
            messages.success(request, _("“%(title)s” was removed.") % {"title": entry.title})
        elif action == "save":
            services.entry_update(actor=p, entry=entry, data={"note": request.POST.get("note", ""),
                                                               "section": request.POST.get("section") or None})
            messages.success(request, _("Saved."))
    except JaringanError as exc:
        messages.error(request, exc.message)
    return redirect(reverse("bibliography_detail", args=[entry.bibliography_id]) + f"#entry-{entry.pk}")


def _next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


@login_required
def entry_add(request):
    """GET: choose a list (or start one) for an edition. POST: add it, and go back where the person was."""
    p = principal_of(request)
    try:
        edition_id = int(request.POST.get("edition") or request.GET.get("edition") or 0)
    except ValueError:
        edition_id = 0
    edition = selectors.edition_brief(edition_id)
    if edition is None:
        raise Http404(_("No such edition."))
    back = _next(request, reverse("edition_detail", args=[edition.pk]))
    if request.method == "POST":
        try:
            if request.POST.get("bibliography") == "new":
                bibliography = services.bibliography_create(actor=p, data={
                    "title": request.POST.get("title", ""),
                    "compiler": request.user.get_full_name() or request.user.get_username()})
            else:
                bibliography = _owned(request, int(request.POST.get("bibliography") or 0))
            services.entry_add(actor=p, bibliography=bibliography, edition_id=edition.pk,
                               section_id=request.POST.get("section") or None, note=request.POST.get("note", ""))
            services.references_warm(exports=selectors.exports_of([edition.pk]))
            _remember(request, bibliography)
            messages.success(request, _("Added to “%(list)s”.") % {"list": bibliography.title})
            return redirect(back)
        except (JaringanError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Choose a bibliography.")))
    lists = list(selectors.bibliographies_of(p).prefetch_related("sections"))
    listed = selectors.lists_holding(lists, edition)
    return render(request, "bibliographies/add.html", {
        "edition": edition, "lists": lists, "listed": listed, "next": back,
        "with_sections": any(b.sections.all() for b in lists)})


@login_required
@require_POST
def bibliography_publish(request, pk):
    bibliography = _get(request, pk)
    p = principal_of(request)
    try:
        if request.POST.get("action") == "unpublish":
            services.bibliography_unpublish(actor=p, bibliography=bibliography)
            messages.success(request, _("Taken off the network's page."))
        else:
            network = or_404(network_selectors.network_by_code(request.POST.get("network", "")))
            services.bibliography_publish(actor=p, bibliography=bibliography, network=network)
            messages.success(request, _("Published on the page of %(network)s.") % {"network": network.name})
    except JaringanError as exc:
        messages.error(request, exc.message)
    return redirect("bibliography_detail", pk=pk)
