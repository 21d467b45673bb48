"""Reaching readers beyond the site: the search box, and the readers' e-mail digests (`digests`).

A search box of the union catalogue for a member's or a network's own website: a plain HTML form (no
script, nothing loaded from elsewhere) that opens the results here, optionally limited to one member's
holdings or to one network's members. The page shows the snippet to copy and a preview of it."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import get_language, override
from django.views.decorators.http import require_http_methods

from jaringan.errorpages import or_404
from jaringan.network import selectors as network_selectors

from . import selectors

LANGUAGES = ("id", "en")


@dataclass(frozen=True)
class Scope:
    key: str
    label: str
    path: str
    hidden: tuple[tuple[str, str], ...] = ()


def snippet(action: str, hidden: tuple[tuple[str, str], ...], language: str, name: str) -> str:
    """The form to paste into a website, its words in ``language``."""
    with override(language):
        label = _("Search the catalogue of %(name)s") % {"name": name}
        placeholder, button = _("Title, author, subject or ISBN"), _("Search")
    fields = "".join(f'\n  <input type="hidden" name="{escape(k)}" value="{escape(v)}">' for k, v in hidden)
    return (f'<form class="jaringan-search" action="{escape(action)}" method="get" target="_blank" rel="noopener"'
            f' role="search" lang="{language}">\n'
            f'  <label>{escape(label)}<br>\n'
            f'  <input type="search" name="q" required maxlength="1000" placeholder="{escape(placeholder)}"></label>'
            f'{fields}\n'
            f'  <button type="submit">{escape(button)}</button>\n'
            f'</form>')


def _page(request, *, name: str, scopes: list[Scope], back: str):
    chosen = next((s for s in scopes if s.key == request.GET.get("scope")), scopes[0])
    language = request.GET.get("lang") if request.GET.get("lang") in LANGUAGES else LANGUAGES[0]
    code = snippet(request.build_absolute_uri(chosen.path), chosen.hidden, language, name)
    return render(request, "analysis/search_box.html", {
        "name": name, "scopes": scopes, "scope": chosen.key, "language": language, "snippet": code, "back": back,
        "languages": [("id", "Bahasa Indonesia"), ("en", "English")],
    })


def network_search_box(request, code):
    net = or_404(network_selectors.network_by_code(code))
    scopes = [Scope("network", _("The holdings of the network's members"), reverse("network_search", args=[net.code])),
              Scope("all", _("The whole union catalogue"), reverse("search"))]
    return _page(request, name=net.name, scopes=scopes, back=reverse("network_detail", args=[net.code]))


def library_search_box(request, code):
    library = or_404(network_selectors.library_by_code(code))
    scopes = [Scope("library", _("This library's holdings"), reverse("search"), (("library", library.code),))]
    scopes += [Scope(f"network-{n.code}", _("The holdings of the members of %(name)s") % {"name": n.name},
                     reverse("network_search", args=[n.code])) for n in selectors.networks_of(library)]
    scopes.append(Scope("all", _("The whole union catalogue"), reverse("search")))
    return _page(request, name=library.name, scopes=scopes, back=reverse("library_detail", args=[library.code]))


def _digest_choices():
    from .texts import LCC_MAIN, subject_label

    subjects = [(f"ddc:{d}", subject_label("ddc", str(d))) for d in range(10)]
    subjects += [(f"lcc:{letter}", subject_label("lcc", letter)) for letter in sorted(LCC_MAIN)]
    from .digests import digest_libraries

    return subjects, digest_libraries()


@login_required
@require_http_methods(["GET", "POST"])
def digest(request):
    """A reader's own e-mail digest of new acquisitions: subjects, libraries, how often; or stop it."""
    from django.contrib import messages
    from django.shortcuts import redirect

    from jaringan.core.errors import Invalid
    from jaringan.network.permissions import principal_of

    from . import digests

    current = digests.digest_of(request.user)
    subjects, libraries = _digest_choices()
    status = 200
    context = {"digest": current, "subjects": subjects, "libraries": libraries, "languages": LANGUAGES,
               "chosen_subjects": set(current.subjects) if current else set(),
               "chosen_libraries": {lib.code for lib in current.libraries.all()} if current else set(),
               "frequency": current.frequency if current else "weekly",
               "language": current.language if current else (get_language() or "id")[:2]}
    if request.method == "POST":
        p = principal_of(request)
        try:
            if request.POST.get("action") == "stop":
                digests.digest_stop(actor=p, user=request.user)
                messages.success(request, _("Your digest is stopped; nothing more will be sent."))
            else:
                language = request.POST.get("language") if request.POST.get("language") in LANGUAGES else "id"
                digests.digest_subscribe(actor=p, user=request.user, frequency=request.POST.get("frequency", ""),
                                         subjects=request.POST.getlist("subjects"),
                                         library_codes=request.POST.getlist("libraries"), language=language)
                messages.success(request, _("Saved: the digest will be sent to %(email)s.") % {
                    "email": request.user.email})
            return redirect("analysis_digest")
        except Invalid as exc:
            context.update(error=exc.message, chosen_subjects=set(request.POST.getlist("subjects")),
                           chosen_libraries=set(request.POST.getlist("libraries")))
            status = 400
    return render(request, "analysis/digest.html", context, status=status)
