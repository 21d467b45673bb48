"""SLiMS Union Catalog: the endpoint SLiMS pushes to, and the page where staff register its node."""

from __future__ import annotations

import json
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from jaringan.core.catalog.readers.slims import MAX_PUSH_BYTES
from jaringan.core.errors import JaringanError
from jaringan.errorpages import or_404
from jaringan.network.permissions import principal_of
from jaringan.security.throttle import client_address

from . import selectors, ucs
from .permissions import staff_library_page

#: Random bytes of a generated node password (24 URL-safe characters: typed or pasted anywhere).
GENERATED_PASSWORD_BYTES = 18
PUSHES_SHOWN = 20


@csrf_exempt
@require_POST
def push(request):
    """Where SLiMS's union-catalogue client POSTs (``/ucs/``, ``/ucs/ucs.php``, ``/ucs/ucpoll.php``, ``/ucs/uc-ops.php``).

    The reply is streamed so that HTTP/1.1 servers (waitress, gunicorn) send it
    chunked: SLiMS's old socket client always de-chunks the reply body, and
    would read a plain one as empty.
    """
    body = request.read(MAX_PUSH_BYTES + 1)
    reply = ucs.ucs_push(body=body, content_type=request.content_type or "", address=client_address(request))
    # ASCII with \u escapes, as PHP's json_encode writes: safe whatever charset the client assumes.
    data = json.dumps(reply, ensure_ascii=True).encode("ascii")
    return StreamingHttpResponse(iter([data]), content_type="text/json")


class NodeForm(forms.Form):
    node_id = forms.CharField(label=gettext_lazy("Node ID"), max_length=ucs.NODE_ID_MAX,
                              help_text=gettext_lazy("As in SLiMS: System → UCS settings → Server ID."))
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    password = forms.CharField(
        label=gettext_lazy("Password"), required=False, widget=forms.PasswordInput(render_value=False),
        help_text=gettext_lazy("At least 8 characters. Leave it empty and a password is made for you."))


@login_required
def nodes(request, code):
    """A library's SLiMS nodes: register one, give it a new password, switch it off or on."""
    library = staff_library_page(request, code)
    form = NodeForm(request.POST or None)
    new_password = None
    if request.method == "POST" and form.is_valid():
        password = form.cleaned_data["password"] or secrets.token_urlsafe(GENERATED_PASSWORD_BYTES)
        try:
            node = ucs.ucs_node_register(actor=principal_of(request), library=library,
                                         node_id=form.cleaned_data["node_id"], password=password,
                                         name=form.cleaned_data["name"])
            messages.success(request, _("The node %(node)s can push records now.") % {"node": node.node_id})
            if not form.cleaned_data["password"]:
                new_password = password
            form = NodeForm()
        except JaringanError as exc:
            for field, errors in exc.errors.items():
                if field in form.fields:
                    for error in errors:
                        form.add_error(field, error)
            form.add_error(None, exc.message)
    address = request.build_absolute_uri("/ucs")
    return render(request, "catalog/ucs.html", {
        "library": library,
        "form": form,
        "nodes": selectors.ucs_nodes(library),
        "new_password": new_password,
        "address": address,
        "pushes": selectors.ucs_pushes(library)[:PUSHES_SHOWN],
    })


@login_required
@require_POST
def node_active(request, code, pk):
    library = staff_library_page(request, code)
    node = or_404(selectors.ucs_node_get(library, pk))
    active = request.POST.get("active") == "1"
    try:
        ucs.ucs_node_set_active(actor=principal_of(request), node=node, active=active)
        messages.success(request, (_("The node %(node)s is switched on.") if active
                                   else _("The node %(node)s is switched off.")) % {"node": node.node_id})
    except JaringanError as exc:
        messages.error(request, exc.message)
    return redirect("ucs_nodes", code=library.code)
